#!/usr/bin/env bash
# Input errors: one line on stderr naming the path and the reason, exit 2.
. "$(dirname "$0")/lib.sh"
run_rc "$LP" scan "$FIX/proj"
expect_eq "missing registry exit" 2 "$rc"
expect_one_line_error "^leakprint: '$T/reg': .*registry"
add_proj 1.0
run_rc "$LP" scan "$T/nonexistent"
expect_eq "missing target exit" 2 "$rc"
expect_one_line_error "^leakprint: '$T/nonexistent': No such file or directory$"
# A special file inside a scanned tree is named and makes the exit status 2,
# while the rest is still scanned and reported.
mkdir -p "$T/leak"
cp "$FIX/proj/src/ring.c" "$T/leak/"
mkfifo "$T/leak/pipe"
run_rc "$LP" scan --format json "$T/leak"
expect_eq "fifo exit" 2 "$rc"
expect_one_line_error "'$T/leak/pipe': not a regular file"
expect_eq "still matched" 1 "$(jqv .scope.files_matched)"
expect_eq "unreadable" 1 "$(jqv .scope.files_unreadable)"
run_rc "$LP" scan --format xml "$T/leak"
expect_eq "bad format exit" 2 "$rc"
expect_one_line_error "'xml': unknown format"
run_rc "$LP" scan --min-similarity 7 "$T/leak"
expect_eq "bad similarity exit" 2 "$rc"
