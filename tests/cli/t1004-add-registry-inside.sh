#!/usr/bin/env bash
# The default registry (./leakprint.db) inside the tree being added or
# scanned is never read as material.
. "$(dirname "$0")/lib.sh"
unset LEAKPRINT_DB
cp -r "$FIX/proj" "$T/proj"
cd "$T/proj"
run_rc "$LP" add --name gw --version 1 .
expect_eq "add exit" 0 "$rc"
grep -q '^added 5 files' "$T/out" || die "registry files were added: $(cat "$T/out")"
run_rc "$LP" add --name gw --version 2 .
grep -q '^added 5 files (.* 0 new contents' "$T/out" || die "second add: $(cat "$T/out")"
run_rc "$LP" scan --format json .
expect_eq "scan exit" 1 "$rc"
expect_eq "scanned" 5 "$(jqv .scope.files_scanned)"
# Without --name, "." is named after the directory it resolves to.
run_rc "$LP" add -q .
expect_eq "default name exit" 0 "$rc"
run_rc "$LP" list --format json
expect_eq "default name" "gw proj" "$(jqv '[.collections[].name] | join(" ")')"
