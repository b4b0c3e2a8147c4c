#!/usr/bin/env bash
# One writer at a time: while another process holds the registry lock, add
# fails at once with a clear message, and a scan (a reader) still works.
. "$(dirname "$0")/lib.sh"
add_proj 1.0
run_rc flock -x "$LEAKPRINT_DB/LOCK" "$LP" add --name gw --version 2.0 "$FIX/proj"
expect_eq "locked add exit" 2 "$rc"
expect_one_line_error "locked by another writer"
run_rc flock -x "$LEAKPRINT_DB/LOCK" "$LP" scan --format json "$FIX/proj"
expect_eq "scan during lock exit" 1 "$rc"
expect_eq "scan during lock level" confirmed "$(jqv .verdict.level)"
