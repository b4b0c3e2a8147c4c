#!/usr/bin/env bash
# Settles the fingerprint parameters k (k-gram length) and w (winnowing
# window) by measurement: for each pair, builds leakprint with them, indexes
# the kernel subset and scans the restyled copy and glibc (bench/corpus.sh),
# then prints index cost, restyled recall, decoy matches and scan CPU time.
# Usage: bash bench/sweep-kw.sh ["K:W K:W ..."]     (default: a small grid)
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${LEAKPRINT_BENCH_CACHE:-$HOME/.cache/leakprint-bench}
bash bench/corpus.sh >&2
grid=${1:-"8:16 10:16 12:12 12:16 12:24 15:16 15:24"}
out=$CACHE/sweep
mkdir -p "$out"
find "$CACHE/restyled" -type f \( -name '*.c' -o -name '*.h' \) -printf '%P\n' | sort >"$out/c-files"
nc=$(wc -l <"$out/c-files")
src_bytes=$(find "$CACHE/linux" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
cpu() { awk '{print $1 + $2}' "$1" | tail -1; }
echo "| k | w | t = k+w-1 | index bytes/source byte | restyled .c/.h found | glibc files sim >= 0.3 | glibc files matched | scan restyled CPU s |"
echo "|---|---|---|---|---|---|---|---|"
for kw in $grid; do
    k=${kw%:*}; w=${kw#*:}
    b=build/kw-$k-$w
    make -s BUILD="$b" OPT="-O2 -g -DLP_FP_K=$k -DLP_FP_W=$w" "$b/leakprint" >/dev/null
    reg=$out/reg-$k-$w
    rm -rf "$reg"
    "$b/leakprint" --db "$reg" add -q --name linux --version 6.1 "$CACHE/linux"
    /usr/bin/time -o "$out/t-$k-$w" -f '%U %S' "$b/leakprint" --db "$reg" scan -q -j 1 \
        --format json -o "$out/r-$k-$w.json" "$CACHE/restyled" || true
    "$b/leakprint" --db "$reg" scan -q --format json -o "$out/u-$k-$w.json" "$CACHE/unrelated" || true
    seg=$(du -cb "$reg"/seg-*.lps | tail -1 | cut -f1)
    found=$(jq -r --arg p "$CACHE/restyled/" '.files[] | select(.matches[0].asset == (.path | ltrimstr($p))) | .path | ltrimstr($p)' "$out/r-$k-$w.json" | sort | comm -12 - "$out/c-files" | wc -l)
    fp=$(jq '[.files[] | select(.matches[0].similarity >= 0.3)] | length' "$out/u-$k-$w.json")
    um=$(jq '.files | length' "$out/u-$k-$w.json")
    printf '| %s | %s | %s | %.3f | %s / %s (%.2f%%) | %s | %s | %s |\n' "$k" "$w" $((k + w - 1)) \
        "$(echo "$seg $src_bytes" | awk '{print $1 / $2}')" "$found" "$nc" \
        "$(echo "$found $nc" | awk '{print 100 * $1 / $2}')" "$fp" "$um" "$(cpu "$out/t-$k-$w")"
    rm -rf "$b"
done
