#!/usr/bin/env bash
# scan - reads one file from standard input (a pipe), named "-"; its limit
# is --max-file-size, as for any file.
. "$(dirname "$0")/lib.sh"
add_proj 1.0
set +e
"$LP" scan --format json - <"$FIX/proj/src/ring.c" >"$T/out" 2>"$T/err"
rc=$?
set -e
expect_eq "exit" 1 "$rc"
expect_eq "path" - "$(jqv '.files[0].path')"
expect_eq "asset" src/ring.c "$(jqv '.files[0].matches[0].asset')"
expect_eq "exact" true "$(jqv '.files[0].matches[0].exact')"
# Through a pipe, with a directory next to it: both scanned.
set +e
sed 's/^    /\t/' "$FIX/proj/src/config.c" | "$LP" scan --format json - "$FIX/other" >"$T/out" 2>"$T/err"
rc=$?
set -e
expect_eq "pipe exit" 1 "$rc"
expect_eq "pipe asset" src/config.c "$(jqv '.files[] | select(.path == "-") | .matches[0].asset')"
# Too large: its first bytes are read, the cut is named, exit 2 (not read
# wholly, nothing found in 100 bytes).
set +e
"$LP" scan --format json --max-file-size 100 - <"$FIX/proj/src/ring.c" >"$T/out" 2>"$T/err"
rc=$?
set -e
expect_eq "large exit" 2 "$rc"
expect_one_line_error "^leakprint: '-': larger than 100 bytes \(--max-file-size\): its first 100 bytes were read$"
expect_eq "large read" "100" "$(jqv '.scope.bytes_scanned // .scope.files_scanned')"
# Beyond the limit, a leak in its first bytes is still found (exit 1), from
# stdin and from a pipe named as a file (a shell's process substitution).
big() { cat "$FIX/proj/src/ring.c"; head -c 300000 /dev/zero | tr '\0' '\n'; }
set +e
big | "$LP" scan --format json --max-file-size 100000 - >"$T/out" 2>"$T/err"
rc=$?
set -e
expect_eq "stdin cut, found" 1 "$rc"
expect_one_line_error "^leakprint: '-': larger than 100000 bytes \(--max-file-size\): its first 100000 bytes were read$"
expect_eq "stdin cut match" "-" "$(jqv '.files[0].path')"
set +e
"$LP" scan --format json --max-file-size 100000 <(big) >"$T/out" 2>"$T/err"
rc=$?
set -e
expect_eq "pipe cut, found" 1 "$rc"
grep -q "larger than 100000 bytes (--max-file-size): its first 100000 bytes were read" "$T/err" || die "pipe: $(cat "$T/err")"
expect_eq "pipe match" 1 "$(jqv '.files | length')"
