#!/usr/bin/env bash
# bench/watch/kill.sh [KILLS] [SEED]: kill -9 the watch daemon KILLS times
# (default 1000) at random moments while items are dropped into its inbox,
# restarting it each time, then drain with `watch --once` and count:
#   items   dropped (copies of the registered fixture files with a few
#           variants, unrelated files and pastes, many of them duplicates)
#   kills   kill -9 that hit a running daemon
#   lost    items dropped but not done, sightings missing, evidence files
#           missing, files left in the inbox, alerts not in the JSONL sink
#   doubled sightings or JSONL alert lines beyond one per drop / per id
# It exits 1 when lost or doubled is not 0. SEED (default 17) fixes the
# random sequence (bash's $RANDOM), so a run can be repeated.
# Environment: LEAKPRINT (the binary; default build/dev/leakprint), WORK
# (the directory to work in, kept; default a temporary one, removed).
# tests/cli/t10010-watch-kill.sh runs it with 30 kills.
set -euo pipefail
KILLS=${1:-1000}
SEED=${2:-17}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LP=${LEAKPRINT:-$ROOT/build/dev/leakprint}
FIX=$ROOT/tests/fixtures
V=$FIX/watch/vault/src
PID=
OWN=
if [ -n "${WORK:-}" ]; then
    mkdir -p "$WORK"
else
    WORK=$(mktemp -d)
    OWN=1
fi
trap 'if [ -n "$PID" ]; then kill -9 "$PID" 2>/dev/null || :; fi
      if [ -n "$OWN" ]; then rm -rf "$WORK"; fi' EXIT
cd "$WORK"
export LEAKPRINT_DB=$WORK/reg XDG_CONFIG_HOME=$WORK/config NO_COLOR=1
"$LP" add -q --name vault --version 1.0 "$FIX/watch/vault"
mkdir -p in stage cases
: >drops.txt
RANDOM=$SEED
items=0
kills=0

# drop: one item written in stage/ and renamed into the inbox; its name
# and SHA-256 appended to drops.txt first
drop() {
    local name f k
    name=$(printf 'd%05d' "$items")
    case $((RANDOM % 3)) in
    0) # a registered file, or one of 4 variants of it (a comment added)
        f=$([ $((RANDOM % 2)) -eq 0 ] && echo ledger.c || echo audit.c)
        k=$((RANDOM % 5))
        name=$name.c
        { cat "$V/$f"; [ "$k" -eq 0 ] || printf '/* copy %d */\n' "$k"; } >"stage/$name" ;;
    1) # an unrelated fixture file
        f=$(printf '%s\n' csv.c notes.md build.sh | sed -n "$((RANDOM % 3 + 1))p")
        name=$name-$f
        cp "$FIX/other/$f" "stage/$name" ;;
    *) # a small paste, one of 20
        name=$name.txt
        printf 'paste %d: nothing to see\n' $((RANDOM % 20)) >"stage/$name" ;;
    esac
    echo "$name $(sha256sum "stage/$name" | cut -c 1-64)" >>drops.txt
    mv "stage/$name" in/
    items=$((items + 1))
}

for ((i = 0; i < KILLS; i++)); do
    # the kills are not the items' fault: no quarantine for them
    "$LP" watch --inbox in --cases cases/c.db --alert jsonl:alerts.jsonl \
        --max-attempts 1000000 2>>daemon.err &
    PID=$!
    # a few items, and the kill within 30 ms: the daemon starts in about
    # 20 ms and takes an item in and scans it in a few, so the kills land
    # in every step (start, store, record, unlink, scan, done, append, mark)
    for ((j = RANDOM % 6; j > 0; j--)); do drop; done
    sleep "0.$(printf '%03d' $((RANDOM % 30)))"
    if kill -9 "$PID" 2>/dev/null; then kills=$((kills + 1)); fi
    wait "$PID" 2>/dev/null || :
    PID=
done
# drain what the last kill left
"$LP" watch --inbox in --cases cases/c.db --alert jsonl:alerts.jsonl --once \
    --max-attempts 1000000 2>>daemon.err ||
    echo "watch --once: exit $?" >>daemon.err

# count, from the case database, the evidence store and the sink
/usr/bin/python3 - "$items" "$kills" <<'PY'
import collections, hashlib, json, os, sqlite3, sys
items, kills = int(sys.argv[1]), int(sys.argv[2])
drops = [l.split() for l in open("drops.txt")]
distinct = {sha for _, sha in drops}
db = sqlite3.connect("cases/c.db")
done = {r[0] for r in db.execute("SELECT sha256 FROM items WHERE state = 'done'")}
seen = collections.Counter(db.execute("SELECT name, item FROM sightings"))
want = collections.Counter((n, s) for n, s in drops)
lost = len(distinct - done)
lost += sum((want - seen).values())
doubled = sum((seen - want).values())
for sha in distinct:
    f = "cases/evidence/%s/%s" % (sha[:2], sha)
    if not os.path.isfile(f) or oct(os.stat(f).st_mode & 0o777) != "0o444":
        lost += 1
lost += len(os.listdir("in"))
outbox = {r[0] for r in db.execute("SELECT id FROM alerts")}
lines = [json.loads(l)["id"] for l in open("alerts.jsonl")] if os.path.exists("alerts.jsonl") else []
lost += len(outbox - set(lines))
doubled += len(lines) - len(set(lines)) + len(set(lines) - outbox)
print("items %d (distinct %d, alerts %d), kills %d, lost %d, doubled %d"
      % (items, len(distinct), len(outbox), kills, lost, doubled))
sys.exit(1 if lost or doubled else 0)
PY
