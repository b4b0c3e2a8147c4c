#!/usr/bin/env bash
# Adds up the "N passed, N failed" lines of both runs of `make check` (release
# and ASan+UBSan) into the final line; exits non-zero if anything failed.
set -euo pipefail
log=$1
read -r p f < <(awk '/^[0-9]+ passed, [0-9]+ failed$/ {p+=$1; f+=$3} END {print p+0, f+0}' "$log")
runs=$(grep -cE '^[0-9]+ passed, [0-9]+ failed$' "$log" || true)
if [ "$runs" -ne 2 ]; then
    echo "total: expected 2 test runs, saw $runs (a build failed?)"
    f=$((f + 1))
fi
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
