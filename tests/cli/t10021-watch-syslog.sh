#!/usr/bin/env bash
# watch --alert syslog:udp://, syslog:tcp:// and syslog:unix:// against
# loopback receivers (helpers/sink_receiver.py): the exact RFC 5424 line
# for an item whose name holds '"', ']' and '\' (escaped in the structured
# data's name="...", as it is in the summary), one datagram per alert over
# UDP and a unix socket, octet-counted frames over TCP (two alerts on one
# connection), and a TCP receiver that is gone: one line, the alerts kept
# and sent at the next run.
. "$(dirname "$0")/lib.sh"
cd "$T"
PIDS=""
trap 'st=$?; set +e; for p in $PIDS; do kill "$p" 2>/dev/null; done; (exit $st); end_test' EXIT
recv() { sink_receiver "$@"; } # KIND DIR: starts a receiver, sets $PORT
# wait_lines FILE N: polls until FILE has N lines (datagrams may land late)
wait_lines() {
    local i=0
    while [ "$(cat "$1" 2>/dev/null | wc -l)" -lt "$2" ]; do
        i=$((i + 1))
        [ $i -lt 500 ] || die "$1: expected $2 lines, got $(cat "$1" 2>/dev/null | wc -l)"
        sleep 0.02
    done
}
"$LP" add -q --name vault --version 1.0 "$FIX/watch/vault"
"$LP" add -q --name gw --version 1.0 "$FIX/proj"
LEDGER=$FIX/watch/vault/src/ledger.c
HOST=$(hostname)
mkdir in
name='x"]\y.c'
cp "$LEDGER" "in/$name"

recv udp u
recv tcp t
TPID=${PIDS##* }
UPORT=$(cat u/port) TPORT=$(cat t/port)
mkdir sock && recv unix sock
run_rc "$LP" watch --inbox in --cases c.db --alert jsonl:a.jsonl \
    --alert "syslog:udp://127.0.0.1:$UPORT" --alert "syslog:tcp://127.0.0.1:$TPORT" \
    --alert "syslog:unix://$T/sock/sock" --once
expect_eq "exit" 0 "$rc"
expect_eq "stderr" "" "$(cat "$T/err")"
id=$(jq -r .id a.jsonl) time=$(jq -r .time a.jsonl)
expect_eq "summary" 'likely leak of vault (1 file) in x"]\y.c' "$(jq -r .summary a.jsonl)"
want="<11>1 $time $HOST leakprint PID alert [leakprint@32473 case=\"1\" kind=\"leak\" severity=\"high\" id=\"$id\" name=\"x\\\"\\]\\\\y.c\"] likely leak of vault (1 file) in x\"]\\y.c"
expect_eq "wanted line" '<11>1 '"$time $HOST"' leakprint PID alert [leakprint@32473 case="1" kind="leak" severity="high" id="'"$id"'" name="x\"\]\\y.c"] likely leak of vault (1 file) in x"]\y.c' "$want"
wait_lines u/log 1
wait_lines sock/log 1
for d in u t sock; do
    wait_lines $d/log 1
    got=$(jq -r .msg $d/log | sed -E 's/^(<11>1 [^ ]+ [^ ]+ leakprint) [0-9]+ /\1 PID /')
    expect_eq "$d line" "$want" "$got"
done
expect_eq "tcp frames" 0 "$(jq -r 'select(.bad_frame) | 1' t/log | wc -l)"

# two more alerts: a confirmed one (critical: <10>) and a likely one, one
# TCP connection with two frames; the second run also runs the earlier
# ones' sinks, which have nothing left to send
mkdir in2
tar -C "$FIX/proj" -cf in2/whole.tar . # all of gw: confirmed
# another file of vault (the ledger's case shares none of it: a case of
# its own), changed: likely
cp "$FIX/watch/vault/src/audit.c" in2/again.c
printf '\n/* changed */\n' >>in2/again.c
run_rc "$LP" watch --inbox in2 --cases c.db --alert "syslog:tcp://127.0.0.1:$TPORT" --once
expect_eq "exit 2nd" 0 "$rc"
n=$(sqlite3 c.db 'select count(*) from alerts' 2>/dev/null || python3 -c 'import sqlite3; print(sqlite3.connect("c.db").execute("select count(*) from alerts").fetchone()[0])')
wait_lines t/log "$n"
expect_eq "tcp lines" "$n" "$(wc -l <t/log)"
expect_eq "tcp frames 2nd" 0 "$(jq -r 'select(.bad_frame) | 1' t/log | wc -l)"
expect_eq "tcp ids" "$(python3 -c 'import sqlite3; [print(r[0]) for r in sqlite3.connect("c.db").execute("select id from alerts order by rowid")]')" \
    "$(jq -r .msg t/log | sed -E 's/.* id="([0-9a-f]{64})".*/\1/')"
# the severity names their PRI: critical <10>, high <11>
expect_eq "pri and severity" '<11> high again.c
<10> critical whole.tar' "$(jq -r .msg t/log | sed -n '2,$p' |
    sed -E 's/^(<[0-9]+>).* severity="([a-z]+)".* name="([^"]*)".*/\1 \2 \3/' | sort -k3)"

# the TCP receiver gone: one line, kept, delivered once it is back
kill "$TPID"
wait "$TPID" 2>/dev/null || true
cp "$LEDGER" in/z.c
run_rc "$LP" watch --inbox in --cases c9.db --alert "syslog:tcp://127.0.0.1:$TPORT" --once
expect_eq "exit gone" 2 "$rc"
expect_one_line_error "^leakprint: 'syslog:tcp://127.0.0.1:$TPORT': cannot connect: connection refused$"
recv tcp t2
run_rc "$LP" watch --inbox in --cases c9.db --alert "syslog:tcp://127.0.0.1:$(cat t2/port)" --once
expect_eq "exit back" 0 "$rc"
wait_lines t2/log 1
run_rc "$LP" watch --inbox in --cases c9.db --alert "syslog:udp://127.0.0.1" --once
expect_one_line_error "^leakprint: 'syslog:udp://127.0.0.1': syslog: takes udp://HOST:PORT, tcp://HOST:PORT or unix:///PATH$"
