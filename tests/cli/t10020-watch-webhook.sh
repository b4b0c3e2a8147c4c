#!/usr/bin/env bash
# watch --alert webhook:URL against a loopback receiver (helpers/
# sink_receiver.py on 127.0.0.1, a port it picks) that checks every
# Standard Webhooks signature: answered 500 twice (the first with
# Retry-After: 2, waited for), then 200, the alert arrives once valid, with the same id
# at every attempt, the JSONL sink's exact body and headers; a receiver
# with another secret sees bad signatures and the alert stays undelivered;
# the tries run out with the alert kept for the next run, which delivers
# it; a Retry-After longer than --webhook-max-delay leaves it for the next
# run; a POST that outlives --webhook-timeout and a refused connection are
# retried; 410 disables the sink with one line (cases status shows it),
# and a later run (the database remembers) does not post again; no
# secret, a bad secret and bad flags are one line each.
. "$(dirname "$0")/lib.sh"
cd "$T"
PIDS=""
stop_all() {
    for p in $PIDS; do kill "$p" 2>/dev/null; done
    PIDS=""
}
trap 'st=$?; set +e; stop_all; (exit $st); end_test' EXIT
# recv NAME ARGS...: starts a webhook receiver in dir NAME, sets $PORT
recv() { sink_receiver webhook "$@"; }
"$LP" add -q --name vault --version 1.0 "$FIX/watch/vault"
LEDGER=$FIX/watch/vault/src/ledger.c
SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
printf '%s\n' "$SECRET" >secret
drop() { mkdir -p in && cp "$LEDGER" "in/$1"; }

# 500 (Retry-After: 2), 500, then 200
recv r1 --secret "$SECRET" --fail 2 --retry-after 2
drop a.c
run_rc "$LP" watch --inbox in --cases c1.db --alert jsonl:a1.jsonl \
    --alert "webhook:http://127.0.0.1:$PORT/hook" --webhook-secret-file secret --once
expect_eq "exit" 0 "$rc"
expect_eq "stderr" "" "$(cat "$T/err")"
expect_eq "stdout" "" "$(cat "$T/out")"
id=$(jq -r .id a1.jsonl)
expect_eq "attempts" "[[\"$id\",500,true],[\"$id\",500,true],[\"$id\",200,true]]" \
    "$(jq -sc 'map([.id, .status, .valid])' r1/log)"
# the first retry waited for Retry-After (2 s; the backoff alone: at most
# 1 s), the second for the backoff only (1 to 2 s)
expect_eq "waits" '[true,true]' "$(jq -sc '[.[1].at - .[0].at >= 1.95,
    (.[2].at - .[1].at | . >= 0.95 and . < 2.9)]' r1/log)"
expect_eq "body" "$(cat a1.jsonl)" "$(jq -r 'select(.status == 200) | .body' r1/log)"
expect_eq "path and type" '["/hook","application/json"]' \
    "$(jq -c 'select(.status == 200) | [.path, .content_type]' r1/log)"
# the signature by hand: v1,base64(HMAC-SHA256(key, id.ts.body))
ts=$(jq -r 'select(.status == 200) | .ts' r1/log)
now=$(date +%s)
[ "$ts" -le "$now" ] && [ "$ts" -ge $((now - 60)) ] || die "timestamp $ts is not now ($now)"
key_hex=$(printf '%s' "${SECRET#whsec_}" | base64 -d | od -An -tx1 | tr -d ' \n')
sig=$(printf '%s.%s.%s' "$id" "$ts" "$(cat a1.jsonl)" |
    openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key_hex" -binary | base64)
expect_eq "signature" "v1,$sig" "$(jq -r 'select(.status == 200) | .sig' r1/log)"
run_rc "$LP" cases --cases c1.db status --format json
expect_eq "backlog" "{\"jsonl:a1.jsonl\":0,\"webhook:http://127.0.0.1:$PORT/hook\":0}" \
    "$(jq -c .undelivered "$T/out")"
# a second run posts nothing more
run_rc "$LP" watch --inbox in --cases c1.db --alert "webhook:http://127.0.0.1:$PORT/hook" \
    --webhook-secret-file secret --once
expect_eq "exit again" 0 "$rc"
expect_eq "posts again" 3 "$(wc -l <r1/log)"

# the receiver knows another secret: every signature is wrong (401), the
# alert stays in the outbox; the secret comes from the environment here
recv r2 --secret whsec_QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB
drop b.c
LEAKPRINT_WEBHOOK_SECRET=$SECRET run_rc "$LP" watch --inbox in --cases c2.db \
    --alert "webhook:http://127.0.0.1:$PORT/" --once
expect_eq "exit wrong secret" 2 "$rc"
expect_one_line_error "^leakprint: 'webhook:http://127.0.0.1:$PORT/': alert [0-9a-f]{64} not delivered \(HTTP 401, 1 attempt\); kept for the next run$"
expect_eq "wrong secret seen" '[[false,401]]' "$(jq -sc 'map([.valid, .status])' r2/log)"
grep -q "$SECRET\|${SECRET#whsec_}" "$T/err" c2.db && die "the secret is in stderr or the case database"

# the tries run out (2 of them, 500 each): kept, then delivered next run
recv r3 --secret "$SECRET" --fail 2
R3=${PIDS##* } R3PORT=$PORT
drop c.c
LEAKPRINT_WEBHOOK_SECRET=$SECRET run_rc "$LP" watch --inbox in --cases c3.db \
    --alert "webhook:http://127.0.0.1:$PORT/" --webhook-tries 2 --once
expect_eq "exit tries" 2 "$rc"
expect_one_line_error "^leakprint: 'webhook:http://127.0.0.1:$PORT/': alert [0-9a-f]{64} not delivered \(HTTP 500, 2 attempts\); kept for the next run$"
run_rc "$LP" cases --cases c3.db status --format json
expect_eq "backlog after tries" 1 "$(jq ".undelivered[\"webhook:http://127.0.0.1:$PORT/\"]" "$T/out")"
LEAKPRINT_WEBHOOK_SECRET=$SECRET run_rc "$LP" watch --inbox in --cases c3.db \
    --alert "webhook:http://127.0.0.1:$PORT/" --webhook-tries 2 --once
expect_eq "exit next run" 0 "$rc"
expect_eq "statuses" '[500,500,200]' "$(jq -sc 'map(.status)' r3/log)"
expect_eq "one id" 1 "$(jq -r .id r3/log | sort -u | wc -l)"

# a Retry-After longer than --webhook-max-delay: left for the next run
recv r8 --secret "$SECRET" --fail 1 --retry-after 100
drop i.c
LEAKPRINT_WEBHOOK_SECRET=$SECRET run_rc "$LP" watch --inbox in --cases c8.db \
    --alert "webhook:http://127.0.0.1:$PORT/" --once
expect_eq "exit long wait" 2 "$rc"
expect_one_line_error "^leakprint: 'webhook:http://127.0.0.1:$PORT/': alert [0-9a-f]{64} not delivered \(HTTP 500, Retry-After 100 s is more than --webhook-max-delay\); kept for the next run$"
expect_eq "long wait posts" 1 "$(wc -l <r8/log)"

# a receiver too slow for --webhook-timeout: the POST is given up and
# tried again, the same alert
recv r6 --secret "$SECRET" --slow 1
drop h.c
LEAKPRINT_WEBHOOK_SECRET=$SECRET run_rc "$LP" watch --inbox in --cases c6.db \
    --alert "webhook:http://127.0.0.1:$PORT/" --webhook-timeout 0.5 --once
expect_eq "exit slow" 0 "$rc"
expect_eq "stderr slow" "" "$(cat "$T/err")"
expect_eq "slow then 200" '["slow",200]' "$(jq -sc 'map(.status)' r6/log)"
expect_eq "slow one id" 1 "$(jq -r .id r6/log | sort -u | wc -l)"

# a refused connection (a port nobody listens on any more) is retried
kill "$R3"; wait "$R3" 2>/dev/null || true
PORT=$R3PORT
drop d.c
LEAKPRINT_WEBHOOK_SECRET=$SECRET run_rc "$LP" watch --inbox in --cases c4.db \
    --alert "webhook:http://127.0.0.1:$PORT/" --webhook-tries 2 --once
expect_eq "exit refused" 2 "$rc"
expect_one_line_error "^leakprint: 'webhook:http://127.0.0.1:$PORT/': alert [0-9a-f]{64} not delivered \(couldn't connect to server, 2 attempts\); kept for the next run$"

# 410 Gone: one line, the sink disabled in the database, no more posts
recv r5 --secret "$SECRET" --gone
drop e.c
LEAKPRINT_WEBHOOK_SECRET=$SECRET run_rc "$LP" watch --inbox in --cases c5.db \
    --alert "webhook:http://127.0.0.1:$PORT/" --once
expect_eq "exit gone" 2 "$rc"
expect_one_line_error "^leakprint: 'webhook:http://127.0.0.1:$PORT/': HTTP 410 Gone: sink disabled \(its alerts stay in the outbox\)$"
expect_eq "gone posts" '[410]' "$(jq -sc 'map(.status)' r5/log)"
expect_eq "disabled row" "webhook:http://127.0.0.1:$PORT/|HTTP 410 Gone" \
    "$(python3 -c 'import sqlite3,sys; print("|".join(sqlite3.connect(sys.argv[1]).execute("select name, reason from sinks_disabled").fetchone()))' c5.db)"
run_rc "$LP" cases --cases c5.db status --format json
expect_eq "status disabled" "[[\"webhook:http://127.0.0.1:$PORT/\",\"HTTP 410 Gone\",true]]" \
    "$(jq -c '.disabled | to_entries | map([.key, .value.reason, (.value.since | test("^[0-9-]{10}T[0-9:]{8}Z$"))])' "$T/out")"
run_rc "$LP" cases --cases c5.db status
grep -qE "^disabled: webhook:http://127.0.0.1:$PORT/ \(HTTP 410 Gone since [0-9-]{10}T[0-9:]{8}Z\)$" "$T/out" ||
    die "status text: $(cat "$T/out")"
drop f.c
LEAKPRINT_WEBHOOK_SECRET=$SECRET run_rc "$LP" watch --inbox in --cases c5.db \
    --alert "webhook:http://127.0.0.1:$PORT/" --once
expect_eq "exit gone again" 0 "$rc"
expect_eq "stderr gone again" "" "$(cat "$T/err")"
expect_eq "gone posts again" 1 "$(wc -l <r5/log)"
# enabled again (here the receiver still answers 410: disabled again at
# its first post, which shows it was tried)
run_rc "$LP" cases --cases c5.db enable "webhook:http://127.0.0.1:$PORT/"
expect_eq "enable" "0 enabled webhook:http://127.0.0.1:$PORT/" "$rc $(cat "$T/out")"
run_rc "$LP" cases --cases c5.db status --format json
expect_eq "status enabled" "{}" "$(jq -c .disabled "$T/out")"
LEAKPRINT_WEBHOOK_SECRET=$SECRET run_rc "$LP" watch --inbox in --cases c5.db \
    --alert "webhook:http://127.0.0.1:$PORT/" --once
expect_eq "exit enabled" 2 "$rc"
expect_one_line_error "HTTP 410 Gone: sink disabled"
expect_eq "gone posts enabled" 2 "$(wc -l <r5/log)"
run_rc "$LP" cases --cases c5.db enable webhook:http://nowhere/
expect_eq "enable unknown exit" 2 "$rc"
expect_one_line_error "^leakprint: 'webhook:http://nowhere/': no such sink is disabled \(cases status lists them\)$"

# no secret, a bad secret, bad flags and URLs: one line, before any item
drop g.c
run_rc "$LP" watch --inbox in --cases c7.db --alert "webhook:http://127.0.0.1:9/" --once
expect_eq "exit no secret" 2 "$rc"
expect_one_line_error "^leakprint: webhook: no secret \(set LEAKPRINT_WEBHOOK_SECRET or give --webhook-secret-file\)$"
[ -f in/g.c ] || die "an item was taken in though the sink was not ready"
LEAKPRINT_WEBHOOK_SECRET='whsec_not base64!' run_rc "$LP" watch --inbox in --cases c7.db \
    --alert "webhook:http://127.0.0.1:9/" --once
expect_one_line_error "^leakprint: '\\\$LEAKPRINT_WEBHOOK_SECRET': not a webhook secret \(whsec_ then base64 of 1 to 256 bytes\)$"
grep -q "not base64" "$T/err" && die "the secret's value is in the message"
run_rc "$LP" watch --inbox in --cases c7.db --alert "webhook:http://127.0.0.1:9/" \
    --webhook-secret-file missing --once
expect_one_line_error "^leakprint: 'missing': cannot read the webhook secret: no such file or directory$"
run_rc "$LP" watch --inbox in --cases c7.db --alert "webhook:ftp://x/" --once
expect_one_line_error "^leakprint: 'webhook:ftp://x/': webhook: needs an http:// or https:// URL$"
run_rc "$LP" watch --inbox in --cases c7.db --alert jsonl:x --webhook-timeout 0 --once
expect_one_line_error "^leakprint: watch: --webhook-timeout '0': not a number of seconds \(more than 0, at most 86400\)$"
run_rc "$LP" watch --inbox in --cases c7.db --alert jsonl:x --webhook-tries 1.5 --once
expect_one_line_error "^leakprint: watch: --webhook-tries '1.5': not a number of tries from 1 to 100$"
