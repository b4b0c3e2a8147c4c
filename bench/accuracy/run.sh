#!/usr/bin/env bash
# The accuracy benchmark: leak samples in seven categories built from code no
# one here wrote (bench/accuracy/make_samples.py), scanned by leakprint and,
# in the same run, by jscpd (the copy/paste detector), each scored against
# the truth (bench/accuracy/score.py). Prints Markdown tables for
# docs/ACCURACY.md. Usage: bash bench/accuracy/run.sh BIN [SCALE]
# (SCALE: fraction of the full sample sizes, default 1; `make accuracy`).
#
# Registry: the Linux subset as collection "linux", version "6.0-sim" (a
# simulated older version: a block of lines removed from 30% of the .c
# files) then "6.1", the version every sample comes from.
#
# jscpd cannot index the whole 60 MB subset in reasonable time (more than
# 4 CPU-minutes and 3 GB for one sample file), so it compares each category
# with the protected files its samples come from plus 300 others drawn at
# random: a smaller haystack than leakprint's, which favours it.
# jscpd 4 has no mode that ignores identifiers (its --mode weak, used for
# every category, only drops comments and layout).
#
# Environment: ACCURACY_REUSE=1 keeps the samples of the last run (to
# re-score a new build quickly); ACCURACY_NO_JSCPD=1 skips jscpd (the
# tables then show its scores of the last run, on the same samples).
set -euo pipefail

BIN=${1:?usage: bench/accuracy/run.sh path/to/leakprint [scale]}
SCALE=${2:-1}
case "$BIN" in */*) BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN") ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${LEAKPRINT_BENCH_CACHE:-$HOME/.cache/leakprint-bench}
OUT=$CACHE/accuracy
CATS=(verbatim restyled renamed snippets docs mixed decoys)

bash "$HERE/../corpus.sh" >&2
for tool in python3 ctags jq npm /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "accuracy: $tool missing" >&2; exit 2; }
done
JSCPD=$CACHE/npm/node_modules/.bin/jscpd
if [ ! -x "$JSCPD" ]; then
    echo "accuracy: installing jscpd 4 (npm) into $CACHE/npm" >&2
    mkdir -p "$CACHE/npm"
    (cd "$CACHE/npm" && npm install --silent --no-audit --no-fund jscpd@4 >/dev/null)
fi

REG=$OUT/registry
if [ -z "${ACCURACY_REUSE:-}" ]; then
    rm -rf "$OUT"; mkdir -p "$OUT"
    echo "accuracy: building samples (scale $SCALE)" >&2
    python3 "$HERE/make_samples.py" "$CACHE" "$OUT/samples" --scale "$SCALE" >&2
fi
rm -rf "$REG"
"$BIN" --db "$REG" add -q --name linux --version 6.0-sim "$OUT/samples/old"
"$BIN" --db "$REG" add -q --name linux --version 6.1 "$CACHE/linux"
# The standard licence texts every Debian ships, as public background (what
# a vendor does too): a manual that carries the GNU FDL, as one of Linux's
# does, is not thereby a copy of another manual carrying it.
"$BIN" --db "$REG" add -q --public --follow-symlinks --name common-licenses \
    /usr/share/common-licenses
# And the open-source code Linux embeds that the decoys' trees embed too:
# lib/mpi comes from GnuPG 1.4's mpi/, of GNU MP's lineage, as glibc's
# stdlib/add_n.c and mod_1.c are. A vendor registers what it embeds.
"$BIN" --db "$REG" add -q --public --name gnupg-mpi "$CACHE/upstream-mpi"

# timed NAME CMD...: runs CMD under GNU time into $OUT/NAME.time (wall, CPU
# seconds, peak RSS in KB); its exit status is ignored (1 = a leak found).
timed() {
    local name=$1; shift
    /usr/bin/time -o "$OUT/$name.time" -f '%e %U %S %M' "$@" >"$OUT/$name.log" 2>&1 || true
}

for cat in "${CATS[@]}"; do
    dir=$OUT/samples/$cat
    echo "accuracy: $cat: leakprint" >&2
    timed "lp-$cat" "$BIN" --db "$REG" scan -q --format json -o "$OUT/lp-$cat.json" "$dir"
    python3 "$HERE/score.py" "$OUT/samples/$cat.truth.jsonl" "$dir" leakprint \
        "$OUT/lp-$cat.json" >"$OUT/lp-$cat.score"

    [ -n "${ACCURACY_NO_JSCPD:-}" ] && continue
    echo "accuracy: $cat: jscpd" >&2
    prot=$OUT/jscpd-protected-$cat
    rm -rf "$prot"; mkdir -p "$prot"
    { jq -r 'select(.asset != null) | .asset' "$OUT/samples/$cat.truth.jsonl"
      (cd "$CACHE/linux" && find . -type f -printf '%P\n' | sort | shuf -n 300 --random-source=<(yes)); } |
        sort -u | while read -r f; do
            mkdir -p "$prot/$(dirname "$f")"; ln "$CACHE/linux/$f" "$prot/$f"
        done
    timed "jscpd-$cat" "$JSCPD" --silent --skipLocal --mode weak --absolute \
        --min-lines 5 --min-tokens 50 --max-size 2mb --max-lines 100000 \
        --reporters json --output "$OUT/jscpd-$cat" "$dir" "$prot"
    python3 "$HERE/score.py" "$OUT/samples/$cat.truth.jsonl" "$dir" jscpd \
        "$OUT/jscpd-$cat/jscpd-report.json" "$prot" >"$OUT/jscpd-$cat.score" 2>/dev/null ||
        echo '{"error": "no report"}' >"$OUT/jscpd-$cat.score"
done

# Tables.
fmt() { jq -r "$1" "$2"; }
echo "### Accuracy (scale $SCALE)"
echo
echo "| category | files | leakprint precision | recall | false positives | span IoU file / asset | jscpd precision | recall | false positives | span IoU file / asset |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
num='if . == null then "-" else (. * 1000 | round / 1000 | tostring) end'
for cat in "${CATS[@]}"; do
    lp=$OUT/lp-$cat.score js=$OUT/jscpd-$cat.score
    printf '| %s | %s | %s | %s | %s | %s / %s | %s | %s | %s | %s / %s |\n' "$cat" \
        "$(fmt .files "$lp")" "$(fmt ".precision | $num" "$lp")" "$(fmt ".recall | $num" "$lp")" \
        "$(fmt .fp "$lp")" "$(fmt ".iou_file | $num" "$lp")" "$(fmt ".iou_asset | $num" "$lp")" \
        "$(fmt ".precision | $num" "$js")" "$(fmt ".recall | $num" "$js")" "$(fmt '.fp // "-"' "$js")" \
        "$(fmt ".iou_file | $num" "$js")" "$(fmt ".iou_asset | $num" "$js")"
done
echo
echo "| category | leakprint verdict | best version | consistent versions | unrelated files with similarity >= 0.3 |"
echo "|---|---|---|---|---:|"
for cat in "${CATS[@]}"; do
    lp=$OUT/lp-$cat.score
    printf '| %s | %s | %s | %s | %s |\n' "$cat" "$(fmt '.verdict // "-"' "$lp")" \
        "$(fmt '.best_version // "-"' "$lp")" "$(fmt '(.consistent // []) | join(", ")' "$lp")" \
        "$(fmt '."unrelated_sim_ge_0.3"' "$lp")"
done
echo
echo "| category | leakprint wall s | CPU s | peak RSS MB | jscpd wall s | CPU s | peak RSS MB |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for cat in "${CATS[@]}"; do
    read -r w1 u1 s1 m1 < <(tail -n 1 "$OUT/lp-$cat.time")
    read -r w2 u2 s2 m2 < <(tail -n 1 "$OUT/jscpd-$cat.time")
    printf '| %s | %s | %.2f | %d | %s | %.2f | %d |\n' "$cat" "$w1" "$(awk -v a="$u1" -v b="$s1" 'BEGIN { print a + b }')" \
        $((m1 / 1024)) "$w2" "$(awk -v a="$u2" -v b="$s2" 'BEGIN { print a + b }')" $((m2 / 1024))
done
echo
echo "Reports and scores: $OUT"
