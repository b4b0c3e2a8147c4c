#!/usr/bin/env bash
# Unrelated material: verdict none, no file reported, exit 0.
. "$(dirname "$0")/lib.sh"
add_proj 1.0
run_rc "$LP" scan --format json "$FIX/other"
expect_eq "exit" 0 "$rc"
expect_eq "level" none "$(jqv .verdict.level)"
expect_eq "files" 0 "$(jqv '.files | length')"
expect_eq "scanned" 3 "$(jqv .scope.files_scanned)"
run_rc "$LP" scan "$FIX/other"
grep -q '^VERDICT  none' "$T/out" || die "text verdict"
