#!/usr/bin/env bash
# Runs every test of one build ($BUILD, default build): cmocka unit tests
# (each test case counts), fuzz corpus replays and end-to-end CLI scripts.
# Ends with the line "N passed, N failed".
set -uo pipefail
BUILD=${BUILD:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
passed=0
failed=0
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    out=$("$t" 2>&1)
    rc=$?
    p=$(printf '%s\n' "$out" | grep -o '\[  PASSED  \] [0-9]*' | grep -o '[0-9]*$' | awk '{s+=$1} END {print s+0}')
    f=$(printf '%s\n' "$out" | grep -o '\[  FAILED  \] [0-9]*' | grep -o '[0-9]*$' | awk '{s+=$1} END {print s+0}')
    passed=$((passed + p))
    if [ "$f" -gt 0 ] || { [ $rc -ne 0 ] && [ "$f" -eq 0 ]; }; then
        printf '%s\n' "$out" | grep -E 'FAILED|ERROR|Sanitizer|error' | head -20
        fail "$(basename "$t") (exit $rc)"
        [ "$f" -gt 1 ] && failed=$((failed + f - 1))
    fi
done

for r in "$BUILD"/replay/fuzz_*; do
    [ -x "$r" ] || continue
    target=${r##*/fuzz_}
    if out=$("$r" "fuzz/corpus/$target" 2>&1); then
        passed=$((passed + 1))
    else
        printf '%s\n' "$out" | tail -20
        fail "replay $target"
    fi
done

# Dependencies between the stage folders point one way (docs/ARCHITECTURE.md).
if out=$(python3 scripts/check-layers.py "$BUILD" 2>&1); then
    passed=$((passed + 1))
else
    printf '%s\n' "$out" | tail -25
    fail "layering (scripts/check-layers.py)"
fi

export LEAKPRINT="$root/$BUILD/leakprint"
export TESTS_DIR="$root/tests/cli"
for t in tests/cli/t[0-9]*.sh; do
    [ -f "$t" ] || continue
    if out=$(bash "$t" 2>&1); then
        passed=$((passed + 1))
    else
        printf '%s\n' "$out" | tail -25
        fail "$t"
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
