#!/usr/bin/env bash
# An inotify queue overflow (IN_Q_OVERFLOW: more events than the kernel
# keeps) makes the daemon pass over its inboxes whole: the daemon is
# started with a queue of 16 events (fs.inotify.max_queued_events, which
# applies to the instances made while it is set, and is restored at
# once), stopped (SIGSTOP), 60 items renamed into its inbox, continued:
# every item is taken in and done, the inbox left empty. Needs root to
# set the limit: without it the test says so and passes.
. "$(dirname "$0")/lib.sh"
cd "$T"
PID=
LIMIT=/proc/sys/fs/inotify/max_queued_events
old=$(cat "$LIMIT")
trap 'echo "$old" >"$LIMIT" 2>/dev/null || :; if [ -n "$PID" ]; then kill -9 "$PID" 2>/dev/null || :; fi; end_test' EXIT
if ! echo "$old" >"$LIMIT" 2>/dev/null; then
    echo "ok (not run: $LIMIT cannot be set without root)"
    exit 0
fi
"$LP" add -q --name vault --version 1.0 "$FIX/watch/vault"
done_items() { [ "$(sqlq c.db "SELECT count(*) FROM items WHERE state = 'done'")" = "$1" ]; }
mkdir in stage
echo first >in/first.txt
echo 16 >"$LIMIT"
"$LP" watch --inbox in --cases c.db 2>daemon.err &
PID=$!
wait_for "the item present at start" done_items 1
echo "$old" >"$LIMIT"
kill -STOP "$PID"
for i in $(seq 60); do
    echo "paste $i" >stage/p$i.txt
    mv stage/p$i.txt in/
done
kill -CONT "$PID"
wait_for "every item after the overflow" done_items 61
expect_eq "inbox" "" "$(ls -A in)"
kill -TERM "$PID"
wait "$PID" || die "the daemon did not exit 0"
PID=
expect_eq "daemon stderr" "" "$(cat daemon.err)"
echo "ok"
