#!/usr/bin/env bash
# watch --once: inbox items taken into the evidence store (mode 0444, by
# SHA-256), the inboxes emptied, one item per content with a sighting per
# copy, one case and one JSONL alert (exact fields, deterministic id, valid
# against docs/schema/alert.schema.json) for the leak, none for the
# unrelated file; a sidecar's source and url in the alert, a garbage one
# ignored with one warning; a second run with a new copy adds a sighting
# and no alert; cases list, show, set and status on the result.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$T"
"$LP" add -q --name vault --version 1.0 "$FIX/watch/vault"
LEDGER=$FIX/watch/vault/src/ledger.c
jqc() { jq -c "$1" "$T/out"; }
sha() { sha256sum "$1" | cut -c 1-64; }
mkdir in1 in2 cases
cp "$LEDGER" in1/a-leak.c
cat >in1/a-leak.c.meta.json <<'J'
{"source": "forum-x", "url": "http://x.onion/t/1", "title": "vault dump",
 "author": "seller", "posted_at": "2026-12-01T10:00:00Z",
 "collected_at": "2026-12-01T10:05:00Z"}
J
cp "$LEDGER" in1/b-again.c
cp "$FIX/other/csv.c" in1/csv.c
echo 'still being written' >in1/.partial
echo 'a paste with nothing in it' >in2/z.txt
echo 'garbage {' >in2/z.txt.meta.json

run_rc "$LP" watch --inbox in1 --inbox in2 --cases cases/c.db --alert jsonl:alerts.jsonl --once
expect_eq "exit" 0 "$rc"
expect_one_line_error "^leakprint: warning: 'in2/z.txt.meta.json': sidecar ignored: "
expect_eq "stdout" "" "$(cat "$T/out")"
# the inboxes are empty but for the dot file
expect_eq "in1" ".partial" "$(ls -A in1 | tr '\n' ' ' | sed 's/ $//')"
expect_eq "in2" "" "$(ls -A in2)"
# the evidence store: three contents, read-only
s_ledger=$(sha "$LEDGER"); s_csv=$(sha "$FIX/other/csv.c")
s_z=$(printf 'a paste with nothing in it\n' | sha256sum | cut -c 1-64)
for s in "$s_ledger" "$s_csv" "$s_z"; do
    f=cases/evidence/${s:0:2}/$s
    [ -f "$f" ] || die "no evidence file $f"
    expect_eq "mode of $f" 444 "$(stat -c %a "$f")"
    expect_eq "content of $f" "$s" "$(sha "$f")"
done
expect_eq "evidence files" 3 "$(find cases/evidence -type f | wc -l)"

# exactly one alert, for the leak
expect_eq "alert lines" 1 "$(wc -l <alerts.jsonl)"
id=$(printf '1|leak|%s' "$s_ledger" | sha256sum | cut -c 1-64)
jq -c --arg id "$id" --arg sha "$s_ledger" '
  [.id == $id, .kind, .severity, .case, .item.sha256 == $sha, .item.name,
   .item.source, .item.url, .verdict.level, .collections, .secrets, .terms,
   .summary, (.time | test("^[0-9-]{10}T[0-9:]{8}Z$")),
   (.verdict.confidence > 0.5)]' alerts.jsonl >got.json
expect_eq "alert" '[true,"leak","high",1,true,"a-leak.c","forum-x","http://x.onion/t/1","likely",["vault"],0,["vault","vault_ledger_grow","vault_ledger_post","vault_ledger_settle","vault_ledger_account_total","vault_ledger_release"],"likely leak of vault (1 file) in a-leak.c from forum-x",true,true]' "$(cat got.json)"
expect_eq "alert keys" '["id","time","kind","severity","case","item","verdict","collections","secrets","terms","summary"]' \
    "$(jq -c 'keys_unsorted' alerts.jsonl)"
/usr/bin/python3 "$HELPERS/validate.py" "$ROOT/docs/schema/alert.schema.json" alerts.jsonl --lines ||
    die "the alert does not follow alert.schema.json"

# the case database
run_rc "$LP" cases --cases cases/c.db list --format json
expect_eq "list exit" 0 "$rc"
expect_eq "list" '[{"id":1,"status":"new","level":"likely","note":null,"items":1}]' \
    "$(jqc '[.[] | {id, status, level, note, items}]')"
run_rc "$LP" cases --cases cases/c.db status --format json
expect_eq "status" '{"alerts":1,"cases":1,"disabled":{},"items":{"done":3,"quarantined":0,"queued":0},"last_error":null,"quarantine":[],"undelivered":{"jsonl:alerts.jsonl":0}}' \
    "$(jq -cS 'del(.throughput)' "$T/out")"
expect_eq "throughput" '3 5' "$(jqv '"\(.throughput.done_last_hour) \(.throughput.per_minute * 100 | round)"')"
run_rc "$LP" cases --cases cases/c.db show 1 --format json
expect_eq "show items" "[[\"$s_ledger\",\"a-leak.c\",$(stat -c %s "$LEDGER"),\"done\",\"likely\"]]" \
    "$(jqc '[.items[] | [.sha256, .name, .size, .state, .level]]')"
expect_eq "show sightings" '[["a-leak.c","forum-x","http://x.onion/t/1","vault dump","seller","2026-12-01T10:00:00Z","2026-12-01T10:05:00Z"],["b-again.c",null,null,null,null,null,null]]' \
    "$(jqc '[.items[0].sightings[] | [.name, .source, .url, .title, .author, .posted_at, .collected_at]]')"

# again, with a new copy, the case database from $LEAKPRINT_CASES: one
# more sighting, no new case, no new alert line
cp "$LEDGER" in1/c-third.c
LEAKPRINT_CASES=cases/c.db run_rc "$LP" watch --inbox in1 --alert jsonl:alerts.jsonl --once
expect_eq "exit 2nd" 0 "$rc"
expect_eq "stderr 2nd" "" "$(cat "$T/err")"
expect_eq "alert lines 2nd" 1 "$(wc -l <alerts.jsonl)"
expect_eq "in1 2nd" ".partial" "$(ls -A in1)"
LEAKPRINT_CASES=cases/c.db run_rc "$LP" cases show 1 --format json
expect_eq "sightings 2nd" '["a-leak.c","b-again.c","c-third.c"]' "$(jqc '[.items[0].sightings[].name]')"
run_rc "$LP" cases --cases cases/c.db list --format json
expect_eq "cases 2nd" 1 "$(jqv length)"

# set, then show
run_rc "$LP" cases --cases cases/c.db set 1 --status confirmed --note "sold on forum-x"
expect_eq "set exit" 0 "$rc"
expect_eq "set stdout" "" "$(cat "$T/out")"
run_rc "$LP" cases --cases cases/c.db show 1 --format json
expect_eq "after set" '["confirmed","sold on forum-x"]' "$(jqc '[.status, .note]')"
run_rc "$LP" cases --cases cases/c.db list --status new --format json
expect_eq "list new" '[]' "$(jqc .)"
run_rc "$LP" cases --cases cases/c.db show 1
expect_eq "show text exit" 0 "$rc"
grep -q "^case 1: confirmed, level likely" "$T/out" || die "show text: $(head -n 1 "$T/out")"
grep -q "^note: sold on forum-x$" "$T/out" || die "show text: no note"
grep -q "^  seen .* as a-leak.c from forum-x <http://x.onion/t/1>$" "$T/out" || die "show text: no sighting"

# the schema can fail: a severity it does not know, a field it does not have
jq -c '.severity = "urgent" | .extra = 1' alerts.jsonl >bad.jsonl
/usr/bin/python3 "$HELPERS/validate.py" "$ROOT/docs/schema/alert.schema.json" bad.jsonl --lines >bad.out 2>&1 &&
    die "an alert with a wrong severity passes the schema"
grep -q "severity: 'urgent' is not one of" bad.out || die "schema: $(cat bad.out)"
grep -q "Additional properties are not allowed" bad.out || die "schema: $(cat bad.out)"
