#!/usr/bin/env bash
# leakprint secrets against ripgrep's reading floor (docs/SECRETS.md, issue
# 15 point 15):
#   bash bench/secrets/floor.sh [BUILD_DIR]
# The floor is what ripgrep spends merely reading the files: a search for a
# literal found nowhere (`rg -uu -c NOSUCHLITERALxyz DIR`). On each corpus,
# on a warm page cache, N rounds (FLOOR_ROUNDS, 5) of: ripgrep -j1,
# leakprint secrets -j1, ripgrep and leakprint with their default threads,
# interleaved so that the machine's load weighs on all alike; each keeps its
# round of least CPU time (user+sys). Prints Markdown: CPU, MB per
# CPU-second, the ratio to the floor, wall time, peak RSS.
#
# Corpora, built in $CACHE/secrets/floor (never in the repository) from the
# trees bench/corpus.sh extracts from Debian's sources:
#   trees/  copies of linux/, unrelated/, decoys/ and restyled/ under distinct
#           names, up to FLOOR_MB (1000) MB: source trees as they leak
#           (92,000 files of 12 KB on average)
#   big/    the same bytes in files of 40 MB: the reading is cheap there and
#           the engine's own speed is what counts
# Env: LEAKPRINT_BENCH_CACHE, FLOOR_MB, FLOOR_ROUNDS, FLOOR_CORPORA
# ("trees big").
set -euo pipefail

BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${LEAKPRINT_BENCH_CACHE:-$HOME/.cache/leakprint-bench}
F=$CACHE/secrets/floor
R=$F/results
MB=${FLOOR_MB:-1000}
ROUNDS=${FLOOR_ROUNDS:-5}
CORPORA=${FLOOR_CORPORA:-trees big}
LP=$(cd "$BUILD" && pwd)/leakprint
NOWHERE=NOSUCHLITERALxyz

log() { printf 'bench-floor: %s\n' "$*" >&2; }

[ -x "$LP" ] || { log "$LP: not built (make)"; exit 1; }
command -v rg > /dev/null || bash "$HERE/../../scripts/deps.sh" ripgrep time
[ -x /usr/bin/time ] || bash "$HERE/../../scripts/deps.sh" time
bash "$HERE/../corpus.sh" >&2
mkdir -p "$F" "$R"

# trees/: whole copies of the corpus trees, round after round, until MB.
if [ "$(cat "$F/.trees.done" 2>/dev/null)" != "$MB" ]; then
    log "copying the corpus trees into $F/trees (up to $MB MB)"
    rm -rf "$F/trees" "$F/.big.done"; mkdir -p "$F/trees"
    have=0 i=0
    while [ "$have" -lt $((MB * 1000000)) ]; do
        i=$((i + 1))
        for t in linux unrelated decoys restyled; do
            [ "$have" -lt $((MB * 1000000)) ] || break
            cp -r "$CACHE/$t" "$F/trees/$t-$i"
            have=$((have + $(find "$CACHE/$t" -type f -printf '%s\n' |
                awk '{s += $1} END {print s + 0}')))
        done
    done
    echo "$MB" > "$F/.trees.done"
fi
# big/: the bytes of trees/, in path order, cut into files of 40 MB.
if [[ " $CORPORA " == *" big "* ]] && [ ! -e "$F/.big.done" ]; then
    log "cutting $F/trees into files of 40 MB in $F/big"
    rm -rf "$F/big"; mkdir -p "$F/big"
    (cd "$F/trees" && find . -type f -print0 | sort -z | xargs -0 cat) |
        split -b 40M -a 3 - "$F/big/part-"
    date > "$F/.big.done"
fi

# run NAME CMD...: one run under GNU time; "user sys wall maxrss_kb" in
# $R/NAME.try
run() {
    local name=$1; shift
    /usr/bin/time -o "$R/$name.raw" -f '%U %S %e %M' "$@" > /dev/null 2> "$R/$name.err" || true
    grep -E '^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$' "$R/$name.raw" | tail -n 1 > "$R/$name.try"
}

# keep NAME: NAME.try becomes NAME.best when it took less CPU
keep() {
    local name=$1
    if [ ! -s "$R/$name.best" ] || awk 'NR == FNR {a = $1 + $2; next}
            {exit !(a < $1 + $2)}' "$R/$name.try" "$R/$name.best"; then
        cp "$R/$name.try" "$R/$name.best"
    fi
}

echo "| corpus | run | CPU s (user+sys) | user / sys | MB per CPU-second | ratio to the floor | wall s | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|"
for c in $CORPORA; do
    D=$F/$c
    BYTES=$(find "$D" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
    NFILES=$(find "$D" -type f | wc -l)
    log "$c: $NFILES files, $BYTES bytes; $ROUNDS rounds"
    rg -uu -c "$NOWHERE" "$D" > /dev/null || true # the page cache, warm
    "$LP" secrets -q --format jsonl -o "$R/$c.jsonl" "$D" || true
    rm -f "$R/$c".*.best
    for ((k = 0; k < ROUNDS; k++)); do
        run "$c.rg_j1" rg -j1 -uu -c "$NOWHERE" "$D"; keep "$c.rg_j1"
        run "$c.lp_j1" "$LP" secrets -q -j1 --format jsonl -o /dev/null "$D"; keep "$c.lp_j1"
        run "$c.rg" rg -uu -c "$NOWHERE" "$D"; keep "$c.rg"
        run "$c.lp" "$LP" secrets -q --format jsonl -o /dev/null "$D"; keep "$c.lp"
    done
    python3 - "$R" "$c" "$BYTES" "$NFILES" <<'EOF'
import sys
R, c, BYTES, NFILES = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def t(n):
    u, s, w, m = open("%s/%s.%s.best" % (R, c, n)).read().split()
    return float(u), float(s), float(w), int(m)
label = "%s (%d files, %.0f MB)" % (c, NFILES, BYTES / 1e6)
for floor, runs in (("rg_j1", (("rg_j1", "`rg -j1 -uu -c` (the floor, one thread)"),
                               ("lp_j1", "`leakprint secrets -j1`"))),
                    ("rg", (("rg", "`rg -uu -c` (the floor, its threads)"),
                            ("lp", "`leakprint secrets`")))):
    fu, fs, _, _ = t(floor)
    for n, name in runs:
        u, s, w, m = t(n)
        cpu = u + s
        print("| %s | %s | %.2f | %.2f / %.2f | %.0f | %s | %.2f | %.0f |" % (
            label, name, cpu, u, s, BYTES / 1e6 / cpu if cpu else 0,
            "**%.2f**" % (cpu / (fu + fs)) if n.startswith("lp") and fu + fs else "1",
            w, m / 1024))
EOF
done
