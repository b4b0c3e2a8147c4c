#!/usr/bin/env bash
# bench/watch/speed.sh [N]: how fast `leakprint watch` takes in what
# collectors drop (issue 17, "Speed"), against the registry of the bench's
# Linux tree (bench/corpus.sh; the watch fixture when that cache is
# missing). Prints:
#   pastes     N small pastes (default 2000; one in ten holds 40 lines of a
#              registered file, the rest unrelated text and code) taken in
#              by `watch --once`: items per second (wall) and per
#              CPU-second (user + system), peak RSS
#   latency    the daemon running: 20 probes (100 lines from the middle of
#              a registered file) renamed into its inbox one at a time; from
#              each rename to its alert's line in the JSONL sink (median and
#              max, milliseconds, of those that alerted within 5 s: a probe
#              the verdict finds no leak alerts never)
#   dump       one tar of the restyled kernel/ tree (about 14 MB) taken in
#              by `watch --once`, against `scan --secrets` of the same file
#              (watch looks for secrets too): MB per CPU-second of each
# Environment: LEAKPRINT (default build/leakprint), LEAKPRINT_BENCH_CACHE.
set -euo pipefail
N=${1:-2000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LP=${LEAKPRINT:-$ROOT/build/leakprint}
case "$LP" in /*) ;; *) LP=$ROOT/$LP ;; esac
CACHE=${LEAKPRINT_BENCH_CACHE:-$HOME/.cache/leakprint-bench}
W=$(mktemp -d)
PID=
trap 'if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || :; fi; rm -rf "$W"' EXIT
cd "$W"
export XDG_CONFIG_HOME=$W/config NO_COLOR=1
if [ -d "$CACHE/linux" ]; then
    SRC=$CACHE/linux
else
    echo "speed: no $CACHE/linux (bench/corpus.sh): the watch fixture instead" >&2
    SRC=$ROOT/tests/fixtures/watch/vault
fi
"$LP" --db reg add -q --name protected "$SRC"

# The pastes: made in stage/ and renamed into the inbox, as collectors do.
mkdir -p stage in cases
python3 - "$SRC" "$N" <<'PY'
import os, random, sys
src, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)
code = []
for d, _, fs in os.walk(src):
    for f in fs:
        if f.endswith(".c"):
            code.append(os.path.join(d, f))
code.sort()
words = ("the of and to in is for on that with as by this be are from at or an "
         "release dump leak source code database forum sale price access proof "
         "sample escrow contact vendor internal build tool manual script").split()
for i in range(n):
    with open("stage/paste-%05d.txt" % i, "w") as out:
        if i % 10 == 0 and code:
            lines = open(rng.choice(code), errors="replace").read().splitlines()
            at = rng.randrange(max(1, len(lines) - 40))
            out.write("posted by someone\n" + "\n".join(lines[at:at + 40]) + "\n")
        else:
            for _ in range(rng.randrange(5, 40)):
                out.write(" ".join(rng.choice(words) for _ in range(rng.randrange(4, 14))) + "\n")
PY
for f in stage/*; do mv "$f" in/; done
/usr/bin/time -o t.pastes -f '%e %U %S %M' "$LP" --db reg watch --inbox in \
    --cases cases/c.db --alert jsonl:alerts.jsonl --once 2>/dev/null || true
read -r wall user sys rss <t.pastes
leaks=$(wc -l <alerts.jsonl)
awk -v n="$N" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v l="$leaks" 'BEGIN {
    printf "pastes   %d items (%d alerts): %.0f items/s wall, %.0f items per CPU-second, peak RSS %.1f MB\n",
           n, l, n / (w > 0 ? w : 0.01), n / (u + s > 0 ? u + s : 0.01), r / 1024 }'

# Latency: the daemon waits on inotify; each leak paste renamed in alone.
"$LP" --db reg watch --inbox in --cases cases/d.db --alert jsonl:lat.jsonl 2>/dev/null &
PID=$!
sleep 1
: >lat.txt
for i in $(seq 1 20); do
    python3 - "$SRC" "$i" >"stage/leak-$i.txt" <<'PY'
import os, sys
src, i = sys.argv[1], int(sys.argv[2])
code = sorted(os.path.join(d, f) for d, _, fs in os.walk(src) for f in fs if f.endswith(".c"))
# a file's middle, past its licence header and includes: surely a leak
big = [c for c in code if sum(1 for _ in open(c, errors="replace")) >= 220] or code
lines = open(big[(i * 37) % len(big)], errors="replace").read().splitlines()
print("latency probe %d" % i)
print("\n".join(lines[100:200]))
PY
    before=$( (wc -l <lat.jsonl) 2>/dev/null || echo 0)
    t0=$(date +%s%N)
    mv "stage/leak-$i.txt" in/
    until [ "$( (wc -l <lat.jsonl) 2>/dev/null || echo 0)" -gt "$before" ]; do
        sleep 0.005
        [ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 5000 ] || break
    done
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    # a probe that is no leak by the verdict (a table, say) makes no alert
    [ "$ms" -ge 5000 ] || echo "$ms" >>lat.txt
done
kill "$PID"
wait "$PID" 2>/dev/null || :
PID=
sort -n lat.txt | awk '{ a[NR] = $1 } END {
    printf "latency  rename to alert line, %d of 20 probes alerted: median %d ms, max %d ms\n", NR, a[int((NR + 1) / 2)], a[NR] }'

# A dump: watch against scan --secrets (watch looks for secrets too), the
# same tar.
if [ -d "$CACHE/restyled/kernel" ]; then
    tar -cf dump.tar -C "$CACHE/restyled" kernel
    mb=$(du -m dump.tar | cut -f1)
    mkdir -p in2
    cp dump.tar in2/
    /usr/bin/time -o t.scan -f '%U %S' "$LP" --db reg scan -q --secrets --format json -o /dev/null dump.tar || true
    /usr/bin/time -o t.watch -f '%U %S' "$LP" --db reg watch --inbox in2 --cases cases/e.db --once 2>/dev/null || true
    awk -v mb="$mb" -v s="$(tail -1 t.scan)" -v w="$(tail -1 t.watch)" 'BEGIN {
        split(s, a, " "); split(w, b, " ");
        printf "dump     %d MB tar: scan --secrets %.0f MB per CPU-second, watch %.0f MB per CPU-second\n",
               mb, mb / (a[1] + a[2]), mb / (b[1] + b[2]) }'
fi
