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
# Too large: named, skipped, exit 2.
set +e
"$LP" scan --max-file-size 100 - <"$FIX/proj/src/ring.c" >"$T/out" 2>"$T/err"
rc=$?
set -e
expect_eq "large exit" 2 "$rc"
expect_one_line_error "'-': file larger than 100 bytes \(skipped\)"
