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
# A special file inside a scanned tree is named on stderr while the rest is
# still scanned and reported: the copy found there makes the exit status 1
# all the same (t8001 has every case).
mkdir -p "$T/leak"
cp "$FIX/proj/src/ring.c" "$T/leak/"
mkfifo "$T/leak/pipe"
run_rc "$LP" scan --format json "$T/leak"
expect_eq "fifo exit" 1 "$rc"
expect_one_line_error "'$T/leak/pipe': not a regular file"
expect_eq "still matched" 1 "$(jqv .scope.files_matched)"
expect_eq "unreadable" 1 "$(jqv .scope.files_unreadable)"
run_rc "$LP" scan --format xml "$T/leak"
expect_eq "bad format exit" 2 "$rc"
expect_one_line_error "'xml': unknown format"
run_rc "$LP" scan --min-similarity 7 "$T/leak"
expect_eq "bad similarity exit" 2 "$rc"
# A file over --max-file-size is named as skipped, with the limit: exit 2,
# nothing else being found.
rm -f "$T/leak/pipe"
run_rc "$LP" scan --format json --max-file-size 1K "$T/leak"
expect_eq "size limit exit" 2 "$rc"
expect_one_line_error "'$T/leak/ring.c': file larger than 1024 bytes \\(skipped\\)"
expect_eq "size limit unreadable" 1 "$(jqv .scope.files_unreadable)"
run_rc "$LP" scan --format json --max-file-size 64K "$T/leak"
expect_eq "under the limit exit" 1 "$rc"
run_rc "$LP" scan --max-file-size 12Q "$T/leak"
expect_eq "bad size exit" 2 "$rc"
expect_one_line_error "'12Q': invalid value for --max-file-size"
