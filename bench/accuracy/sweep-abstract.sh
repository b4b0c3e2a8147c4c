#!/usr/bin/env bash
# Settles k and w of the abstract stream by measurement: for each pair,
# builds leakprint with them, registers the accuracy benchmark's protected
# versions and scores the renamed and decoy categories (samples of the last
# `make accuracy`, which must have run), and counts the glibc files of
# bench/corpus.sh that match the Linux subset with similarity >= 0.3.
# Usage: bash bench/accuracy/sweep-abstract.sh ["K:W ..."]
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE=${LEAKPRINT_BENCH_CACHE:-$HOME/.cache/leakprint-bench}
S=$CACHE/accuracy/samples
[ -d "$S/renamed" ] || { echo "sweep: run make accuracy first" >&2; exit 2; }
grid=${1:-"12:32 16:24 16:32 16:48 20:32"}
out=$CACHE/sweep-abstract
mkdir -p "$out"
echo "| k | w | t = k+w-1 | renamed recall | renamed false positives | decoy false positives | glibc files sim >= 0.3 | index bytes/source byte (both streams) |"
echo "|---|---|---|---:|---:|---:|---:|---:|"
for kw in $grid; do
    k=${kw%:*}; w=${kw#*:}
    b=build/akw-$k-$w
    make -s BUILD="$b" OPT="-O2 -g -DLP_AFP_K=$k -DLP_AFP_W=$w" "$b/leakprint" >/dev/null
    reg=$out/reg-$k-$w
    rm -rf "$reg"
    "$b/leakprint" --db "$reg" add -q --name linux --version 6.0-sim "$S/old"
    "$b/leakprint" --db "$reg" add -q --name linux --version 6.1 "$CACHE/linux"
    for cat in renamed decoys; do
        "$b/leakprint" --db "$reg" scan -q --format json -o "$out/$cat-$k-$w.json" "$S/$cat" || true
        python3 bench/accuracy/score.py "$S/$cat.truth.jsonl" "$S/$cat" leakprint \
            "$out/$cat-$k-$w.json" >"$out/$cat-$k-$w.score"
    done
    reg1=$out/reg1-$k-$w
    rm -rf "$reg1"
    "$b/leakprint" --db "$reg1" add -q --name linux "$CACHE/linux"
    "$b/leakprint" --db "$reg1" scan -q --format json -o "$out/u-$k-$w.json" "$CACHE/unrelated" || true
    nafp=$("$b/leakprint" --db "$reg1" stats --format json | jq '.fingerprints // 0')
    src=$(find "$CACHE/linux" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
    seg=$(du -cb "$reg1"/seg-*.lps | tail -1 | cut -f1)
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$k" "$w" $((k + w - 1)) \
        "$(jq -r '.recall * 1000 | round / 1000' "$out/renamed-$k-$w.score")" \
        "$(jq -r .fp "$out/renamed-$k-$w.score")" "$(jq -r .fp "$out/decoys-$k-$w.score")" \
        "$(jq '[.files[] | select(.matches[0].similarity >= 0.3)] | length' "$out/u-$k-$w.json")" \
        "$(awk -v s="$seg" -v n="$src" 'BEGIN { printf "%.3f", s / n }')"
    rm -rf "$b"
done
