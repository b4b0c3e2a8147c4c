#!/usr/bin/env bash
# watch --terms: the terms file's literals (whole words, any case) and
# regexes (named), and the terms the registry learnt (collection names,
# internal host names, distinctive identifiers): a term alert at the
# highest severity named (a low term alone: none); a post offering data
# for sale that names a collection: sale-claim (critical), with its
# signals; a news article about a sale: nothing. --list-terms prints the
# set; a bad file stops the start in one line; derive: false leaves the
# registry's out; SIGHUP reads the file again (a broken one keeps the
# terms before).
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$T"
PID=
trap 'if [ -n "$PID" ]; then kill -9 "$PID" 2>/dev/null || :; fi; end_test' EXIT
"$LP" add -q --name vault --version 1.0 "$FIX/watch/vault"
mkdir ops
printf 'upload = "https://build01.acme.corp/api"\n' >ops/deploy.conf
"$LP" add -q --name ops --version 1 ops
cat >terms.yml <<'Y'
terms:
  - term: acme-gw
    severity: high
  - regex: 'ACME-[0-9]{4}-KEY'
    name: key-id
    severity: critical
  - term: quiet-word
    severity: low
Y
run_rc "$LP" watch --terms terms.yml --list-terms
expect_eq "list exit" 0 "$rc"
expect_eq "list" "term high acme-gw
regex critical key-id
term low quiet-word
collection low ops
collection low vault
host high build01.acme.corp" "$(grep -v '^ident ' "$T/out")"
expect_eq "idents" "ident high vault_ledger_account_total" "$(grep '^ident ' "$T/out" | head -n 1)"

mkdir in
echo "the ACME-GW box is down again" >in/a.txt
echo "found ACME-1234-KEY in the logs" >in/b.txt
echo "only a quiet-word here, and gwen and vaults" >in/c.txt
echo "who calls vault_ledger_settle() with a null account?" >in/d.txt
echo "mirror at https://build01.acme.corp/api/v2 is open" >in/e.txt
cat >in/forum.posts.jsonl <<'J'
{"id": "1", "source": "forum-x", "title": "Selling vault source code", "body": "Full repo of vault, 12 GB. Price 3 BTC, escrow accepted. Sample on request, contact @seller on Telegram."}
{"id": "2", "source": "news-y", "title": "Breach at a bank", "body": "Attackers claim to sell the stolen database for $50,000, according to the report."}
J
run_rc "$LP" watch --inbox in --cases c.db --terms terms.yml --alert jsonl:a.jsonl --once
expect_eq "exit" 0 "$rc"
expect_eq "stderr" "" "$(cat "$T/err")"
expect_eq "alerts" 'a.txt term high ["acme-gw"]
b.txt term critical ["key-id"]
d.txt term high ["vault_ledger_settle"]
e.txt term high ["build01.acme.corp"]
forum.posts.jsonl#1 sale-claim critical ["vault"]' \
    "$(jq -r '"\(.item.name) \(.kind) \(.severity) \(.terms | tojson)"' a.jsonl | sort)"
expect_eq "signals" '["price","currency","sale","escrow","contact","size","sample","leak"]' \
    "$(jq -c 'select(.kind == "sale-claim") | .signals' a.jsonl)"
expect_eq "claim summary" "sale claim naming vault in forum.posts.jsonl#1 from forum-x (price, currency, sale, escrow, contact, size, sample, leak)" \
    "$(jq -r 'select(.kind == "sale-claim") | .summary' a.jsonl)"
expect_eq "term summary" "watched term acme-gw in a.txt" \
    "$(jq -r 'select(.item.name == "a.txt") | .summary' a.jsonl)"
expect_eq "cases" 5 "$(jq -r .case a.jsonl | sort -u | wc -l)"
/usr/bin/python3 "$HELPERS/validate.py" "$ROOT/docs/schema/alert.schema.json" a.jsonl --lines ||
    die "an alert does not follow alert.schema.json"

# a bad file stops the start; derive: false keeps the registry's out
printf 'terms:\n  - term: x\n    severity: urgent\n' >bad.yml
run_rc "$LP" watch --inbox in --cases c.db --terms bad.yml --once
expect_eq "bad exit" 2 "$rc"
expect_one_line_error "^leakprint: 'bad.yml':3: bad severity 'urgent' \(critical, high, medium or low\)$"
printf 'derive: false\nterms:\n  - term: only-this\n' >own.yml
run_rc "$LP" watch --terms own.yml --list-terms
expect_eq "own terms" "term medium only-this" "$(cat "$T/out")"

# SIGHUP: the file read again
lines() { [ -f h.jsonl ] && [ "$(wc -l <h.jsonl)" -eq "$1" ]; }
done_items() { [ "$(sqlq h.db "SELECT count(*) FROM items WHERE state = 'done'")" = "$1" ]; }
mkdir in2 stage
printf 'derive: false\nterms:\n  - term: first-term\n' >live.yml
"$LP" watch --inbox in2 --cases h.db --terms live.yml --alert jsonl:h.jsonl 2>daemon.err &
PID=$!
echo "about new-term" >stage/one.txt && mv stage/one.txt in2/
wait_for "the first item" done_items 1
[ ! -e h.jsonl ] || die "an alert before the reload"
printf 'derive: false\nterms:\n  - term: new-term\n    severity: high\n' >live.yml
kill -HUP "$PID"
wait_for "the reload" grep -q '^leakprint: watch: reloaded$' daemon.err
echo "more about new-term" >stage/two.txt && mv stage/two.txt in2/
wait_for "the term alert" lines 1
expect_eq "after reload" "two.txt term high" "$(jq -r '"\(.item.name) \(.kind) \(.severity)"' h.jsonl)"
printf 'terms:\n  - regex: "("\n' >live.yml
kill -HUP "$PID"
wait_for "the failed reload" grep -q 'the terms before are kept)$' daemon.err
echo "new-term once more" >stage/three.txt && mv stage/three.txt in2/
wait_for "the alert with the terms kept" lines 2
kill -TERM "$PID"
wait "$PID" || die "the daemon did not exit 0"
PID=
expect_eq "daemon stderr" "leakprint: watch: reloaded
leakprint: 'live.yml':2: regex does not compile: Missing close parenthesis for group started at index 0 (the terms before are kept)" "$(cat daemon.err)"
echo "ok"
