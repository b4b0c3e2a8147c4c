#!/usr/bin/env bash
# add registers files; a second version of unchanged files adds no content;
# list and stats report exact figures.
. "$(dirname "$0")/lib.sh"
run_rc "$LP" add --name gw --version 1.0 "$FIX/proj"
expect_eq "add exit" 0 "$rc"
grep -q '^added 5 files (.* 5 new contents' "$T/out" || die "summary: $(cat "$T/out")"
run_rc "$LP" add --name gw --version 1.1 "$FIX/proj"
grep -q '^added 5 files (.* 0 new contents, 0 fingerprints' "$T/out" || die "dedupe: $(cat "$T/out")"
run_rc "$LP" add --name gw --version 1.1 "$FIX/proj"
expect_eq "same version again exit" 2 "$rc"
expect_one_line_error "version '1.1' of collection 'gw' exists"
run_rc "$LP" list --format json
expect_eq "list exit" 0 "$rc"
expect_eq "collections" "gw" "$(jqv '[.collections[].name] | join(",")')"
expect_eq "versions" "1.0,1.1" "$(jqv '[.collections[0].versions[].name] | join(",")')"
expect_eq "files" "5" "$(jqv '.collections[0].versions[1].files')"
run_rc "$LP" stats --format json
expect_eq "stats exit" 0 "$rc"
expect_eq "blobs" 5 "$(jqv '.blobs')"
expect_eq "stats files" 10 "$(jqv '.files')"
[ "$(jqv '.fingerprints')" -gt 50 ] || die "too few fingerprints"
