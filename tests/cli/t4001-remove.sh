#!/usr/bin/env bash
# remove deletes a collection: its files are no longer reported.
. "$(dirname "$0")/lib.sh"
add_proj 1.0
"$LP" add -q --name other --version 1 "$FIX/other"
run_rc "$LP" remove gw
expect_eq "remove exit" 0 "$rc"
expect_eq "remove message" "removed collection 'gw'" "$(cat "$T/out")"
run_rc "$LP" remove gw
expect_eq "remove again exit" 2 "$rc"
expect_one_line_error "no collection named 'gw'"
run_rc "$LP" list --format json
expect_eq "left" other "$(jqv '[.collections[].name] | join(",")')"
run_rc "$LP" scan --format json "$FIX/proj"
expect_eq "scan exit" 0 "$rc"
expect_eq "level" none "$(jqv .verdict.level)"
