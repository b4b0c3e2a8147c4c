#!/usr/bin/env bash
# A bulk command (add, scan, secrets) asks for transparent huge pages for
# its heap, in process, when the kernel gives them on request only
# (cli/hugepages.c; its decision and the advice itself are unit-tested in
# test_hugepages). Here: that changes nothing a user sees. Standard input
# is read whole, and the report is the one of a run without huge pages
# (LEAKPRINT_HUGEPAGES=0) or with glibc asked for them by the user
# (GLIBC_TUNABLES), with other tunables of the user's, and on two threads.
. "$(dirname "$0")/lib.sh"
add_proj 1.0
scan_stdin() { # ENV... : scan of ring.c through a pipe, report in $T/out
    set +e
    cat "$FIX/proj/src/ring.c" | env "$@" "$LP" scan -j "${JOBS:-1}" --format json - "$FIX/other" \
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
for env in GLIBC_TUNABLES=glibc.malloc.check=0 GLIBC_TUNABLES=glibc.malloc.hugetlb=1; do
    scan_stdin "$env"
    expect_eq "exit, $env" 1 "$rc"
    expect_eq "same report, $env" "$(cat "$T/with.json")" "$(jq -S 'del(.elapsed)' "$T/out")"
done
JOBS=2 scan_stdin X=1
expect_eq "two threads exit" 1 "$rc"
expect_eq "same report, two threads" "$(cat "$T/with.json")" "$(jq -S 'del(.elapsed)' "$T/out")"
[ ! -s "$T/err" ] || die "stderr: $(cat "$T/err")"
echo ok
