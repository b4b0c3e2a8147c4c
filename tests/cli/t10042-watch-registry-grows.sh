#!/usr/bin/env bash
# The daemon uses what `add` registers while it runs: a file of a
# collection not registered yet matches nothing; once `add` committed it,
# the next item (a copy under another header) is a leak, with its alert;
# cases retro then files the first one into that case: a near-duplicate
# with nothing new, so no alert.
. "$(dirname "$0")/lib.sh"
cd "$T"
PID=
trap 'if [ -n "$PID" ]; then kill -9 "$PID" 2>/dev/null || :; fi; end_test' EXIT
"$LP" add -q --name vault --version 1.0 "$FIX/watch/vault"
done_items() { [ "$(sqlq c.db "SELECT count(*) FROM items WHERE state = 'done'")" = "$1" ]; }
lines() { [ -f alerts.jsonl ] && [ "$(wc -l <alerts.jsonl)" -eq "$1" ]; }
mkdir in stage lib
cp "$FIX/other/csv.c" lib/csv.c
"$LP" watch --inbox in --cases c.db --alert jsonl:alerts.jsonl 2>daemon.err &
PID=$!
cp lib/csv.c stage/first.c
mv stage/first.c in/
wait_for "the first item" done_items 1
expect_eq "first level" "none" "$(sqlq c.db "SELECT level FROM items")"
"$LP" add -q --name lib --version 1 lib
{ echo "// reposted"; cat lib/csv.c; } >stage/second.c
mv stage/second.c in/
wait_for "the second item's alert" lines 1
expect_eq "second alert" "leak second.c lib" \
    "$(jq -r '"\(.kind) \(.item.name) \(.collections[0])"' alerts.jsonl)"
run_rc "$LP" cases --cases c.db retro
expect_eq "retro" "re-checked 2 items" "$(cat "$T/out")"
kill -TERM "$PID"
wait "$PID" || die "the daemon did not exit 0"
PID=
expect_eq "daemon stderr" "" "$(cat daemon.err)"
expect_eq "first filed" "first.c likely 1|second.c likely 1" \
    "$(sqlq c.db "SELECT name, level, case_id FROM items ORDER BY name" | tr '\n' '|' | sed 's/|$//')"
expect_eq "alerts" "1 1" "$(wc -l <alerts.jsonl) $(sqlq c.db "SELECT count(*) FROM alerts")"
echo "ok"
