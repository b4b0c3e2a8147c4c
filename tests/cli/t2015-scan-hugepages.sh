#!/usr/bin/env bash
# A bulk command (add, scan, secrets) executes itself once more with glibc's
# malloc asked for transparent huge pages when the kernel gives them on
# request only (cli/hugepages.c; its decision is unit-tested in
# test_hugepages). Here: that second start changes nothing a user sees.
# Standard input is still whole, the report is the one of a run without it
# (LEAKPRINT_HUGEPAGES=0), and a user's GLIBC_TUNABLES is kept.
. "$(dirname "$0")/lib.sh"
add_proj 1.0
scan_stdin() { # ENV... : scan of ring.c through a pipe, report in $T/out
    set +e
    cat "$FIX/proj/src/ring.c" | env "$@" "$LP" scan --format json - "$FIX/other" \
        >"$T/out" 2>"$T/err"
    rc=$?
    set -e
}
scan_stdin X=1
expect_eq "exit" 1 "$rc"
expect_eq "asset" src/ring.c "$(jqv '.files[] | select(.path == "-") | .matches[0].asset')"
expect_eq "exact" true "$(jqv '.files[] | select(.path == "-") | .matches[0].exact')"
jq -S 'del(.elapsed)' "$T/out" > "$T/with.json"
scan_stdin LEAKPRINT_HUGEPAGES=0
expect_eq "opt-out exit" 1 "$rc"
expect_eq "same report" "$(cat "$T/with.json")" "$(jq -S 'del(.elapsed)' "$T/out")"
scan_stdin GLIBC_TUNABLES=glibc.malloc.check=0
expect_eq "user tunables exit" 1 "$rc"
expect_eq "same report, user tunables" "$(cat "$T/with.json")" "$(jq -S 'del(.elapsed)' "$T/out")"
[ ! -s "$T/err" ] || die "stderr: $(cat "$T/err")"
echo ok
