#!/usr/bin/env bash
# watch as a daemon: an item already in the inbox at start and items
# renamed in later are taken in and processed, each alert delivered after
# its item (polled with a deadline); SIGHUP logs "watch: reloaded" and the
# daemon goes on; SIGTERM (then SIGINT for a second daemon) exits 0 with
# nothing left queued.
. "$(dirname "$0")/lib.sh"
cd "$T"
PID=
trap 'if [ -n "$PID" ]; then kill -9 "$PID" 2>/dev/null || :; fi; end_test' EXIT
"$LP" add -q --name vault --version 1.0 "$FIX/watch/vault"
V=$FIX/watch/vault/src
sha() { sha256sum "$1" | cut -c 1-64; }
lines() { [ -f alerts.jsonl ] && [ "$(wc -l <alerts.jsonl)" -eq "$1" ]; }
empty() { [ -z "$(ls -A "$1")" ]; }
mkdir in stage
cp "$V/ledger.c" in/first.c
"$LP" watch --inbox in --cases c.db --alert jsonl:alerts.jsonl 2>daemon.err &
PID=$!
wait_for "the item present at start" lines 1
expect_eq "first alert" "first.c $(sha "$V/ledger.c")" \
    "$(jq -r '"\(.item.name) \(.item.sha256)"' alerts.jsonl)"
# renamed in (written elsewhere first), and written in place
cp "$V/audit.c" stage/second.c
mv stage/second.c in/
wait_for "the item renamed in" lines 2
expect_eq "second alert" "second.c $(sha "$V/audit.c")" \
    "$(jq -r '"\(.item.name) \(.item.sha256)"' alerts.jsonl | tail -n 1)"
cp "$FIX/other/csv.c" in/unrelated.c
cp "$V/ledger.c" in/again.c
wait_for "the inbox emptied" empty in
kill -HUP "$PID"
wait_for "the reload line" grep -q '^leakprint: watch: reloaded$' daemon.err
kill -0 "$PID" || die "the daemon died on SIGHUP"
kill -TERM "$PID"
set +e
wait "$PID"
rc=$?
set -e
PID=
expect_eq "exit on SIGTERM" 0 "$rc"
expect_eq "daemon stderr" "leakprint: watch: reloaded" "$(cat daemon.err)"
expect_eq "alert lines" 2 "$(wc -l <alerts.jsonl)"
run_rc "$LP" cases --cases c.db status --format json
expect_eq "status" '{"queued":0,"done":3,"quarantined":0}' "$(jq -c .items "$T/out")"
run_rc "$LP" cases --cases c.db show 1 --format json
expect_eq "sightings" '["first.c","again.c"]' "$(jq -c '[.items[0].sightings[].name]' "$T/out")"

# SIGINT also stops a second daemon, exit 0
"$LP" watch --inbox in --cases c.db --alert jsonl:alerts.jsonl 2>daemon.err &
PID=$!
echo 'a late paste' >stage/late.txt
mv stage/late.txt in/
done4() {
    "$LP" cases --cases c.db status --format json >st.json &&
        [ "$(jq -c .items st.json)" = '{"queued":0,"done":4,"quarantined":0}' ]
}
wait_for "the late item done" done4
kill -INT "$PID"
set +e
wait "$PID"
rc=$?
set -e
PID=
expect_eq "exit on SIGINT" 0 "$rc"
expect_eq "daemon stderr 2" "" "$(cat daemon.err)"
run_rc "$LP" cases --cases c.db status --format json
expect_eq "status 2" '{"queued":0,"done":4,"quarantined":0}' "$(jq -c .items "$T/out")"
