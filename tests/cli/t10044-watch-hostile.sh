#!/usr/bin/env bash
# Hostile items cost the daemon bounded time and memory and never stop
# it: a nested compression bomb (80 GB if read), a ratio bomb, 200 levels
# of nesting and 1 MB of garbage renamed into the inbox of a running
# daemon are each done, their unread parts named in one line each (a
# warning, not a quarantine); a leak dropped after them still alerts; the
# daemon's peak memory stays under 300 MB (600 under AddressSanitizer) and
# it exits 0 on SIGTERM.
. "$(dirname "$0")/lib.sh"
cd "$T"
PID=
trap 'if [ -n "$PID" ]; then kill -9 "$PID" 2>/dev/null || :; fi; end_test' EXIT
"$LP" add -q --name vault --version 1.0 "$FIX/watch/vault"
mkdir a in stage
python3 "$HELPERS/mkarchives.py" a "$FIX/proj"
python3 -c 'import random, sys
r = random.Random(7)
sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(1 << 20)))' >garbage.bin
done_items() { [ "$(sqlq c.db "SELECT count(*) FROM items WHERE state = 'done'")" = "$1" ]; }
lines() { [ -f alerts.jsonl ] && [ "$(wc -l <alerts.jsonl)" -eq "$1" ]; }
"$LP" watch --inbox in --cases c.db --alert jsonl:alerts.jsonl 2>daemon.err &
PID=$!
start=$(date +%s)
for f in a/nested-bomb.zip a/ratio-bomb.zip a/deep.tar.gz garbage.bin; do
    cp "$f" stage/ && mv "stage/$(basename "$f")" in/
done
wait_for "the hostile items" done_items 4
cp "$FIX/watch/vault/src/ledger.c" stage/leak.c && mv stage/leak.c in/
wait_for "the leak after them" lines 1
secs=$(($(date +%s) - start))
[ "$secs" -lt 20 ] || die "the hostile items took $secs s"
hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$PID/status")
# (AddressSanitizer's shadow memory and quarantine count in it: twice)
limit=300000
[ -z "${SAN:-}" ] || limit=600000
[ "$hwm" -lt "$limit" ] || die "the daemon's peak RSS is $hwm KB"
kill -TERM "$PID"
wait "$PID" || die "the daemon did not exit 0"
PID=
expect_eq "alert" "leak leak.c" "$(jq -r '"\(.kind) \(.item.name)"' alerts.jsonl)"
expect_eq "states" "done 5" "$(sqlq c.db "SELECT state, count(*) FROM items GROUP BY state")"
expect_eq "levels" "likely 1|none 4" \
    "$(sqlq c.db "SELECT level, count(*) FROM items GROUP BY level ORDER BY level" | tr '\n' '|' | sed 's/|$//')"
# what was not read is named, one line each, each a warning
grep -q "^leakprint: warning: 'nested-bomb.zip!.*expands more than 250 times its compressed size" daemon.err ||
    die "the bomb's leaves are not named: $(head -3 daemon.err)"
grep -qF "leakprint: warning: 'deep.tar.gz!" daemon.err || die "the nesting is not named"
grep -q "archive nested deeper than 16 levels (--max-depth)$" daemon.err || die "no depth reason"
[ "$(grep -vc '^leakprint: warning: ' daemon.err)" -eq 0 ] || die "not only warnings: $(grep -v '^leakprint: warning: ' daemon.err | head -3)"
expect_eq "quarantined" 0 "$(sqlq c.db "SELECT count(*) FROM items WHERE state = 'quarantined'")"
echo "ok"
