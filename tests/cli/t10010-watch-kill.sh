#!/usr/bin/env bash
# watch survives kill -9: bench/watch/kill.sh with 30 kills at random
# moments (a fixed seed) while items are dropped, then `watch --once`:
# every distinct item done once, one sighting per drop, the inbox empty,
# every evidence file present (mode 0444), one JSONL line per alert id of
# the outbox, none twice, and the daemons said nothing on stderr. Then the
# two windows a kill can hit, made by hand: a crash between an alert's
# append and its mark (the line is not written again; its delivery is
# marked at start), a torn last line (cut off with one warning, then the
# alert written whole), and a crash between an item's record and its
# unlink (the same inbox file again adds no sighting).
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
W=$T/k
WORK=$W LEAKPRINT=$LP run_rc bash "$ROOT/bench/watch/kill.sh" 30 17
expect_eq "kill.sh exit ($(cat "$T/out") $(cat "$T/err"))" 0 "$rc"
grep -Eq '^items [0-9]+ \(distinct [0-9]+, alerts [0-9]+\), kills 30, lost 0, doubled 0$' "$T/out" ||
    die "kill.sh: $(cat "$T/out")"
expect_eq "daemons' stderr" "" "$(cat "$W/daemon.err")"
cd "$W"
# the registry and key kill.sh made
export LEAKPRINT_DB=$W/reg XDG_CONFIG_HOME=$W/config
expect_eq "inbox" "" "$(ls -A in)"
# exact figures, from the case database
/usr/bin/python3 - <<'PY' >got.txt
import hashlib, json, sqlite3
drops = [l.split() for l in open("drops.txt")]
db = sqlite3.connect("cases/c.db")
q = lambda sql: db.execute(sql).fetchall()
print("drops", len(drops))
print("items", q("SELECT count(*), count(DISTINCT sha256) FROM items"))
print("states", q("SELECT state, count(*) FROM items GROUP BY state"))
print("sightings", q("SELECT count(*) FROM sightings"))
print("items match", sorted({s for _, s in drops}) == [r[0] for r in q("SELECT sha256 FROM items ORDER BY sha256")])
print("sightings match", sorted(map(tuple, drops)) == sorted(q("SELECT name, item FROM sightings")))
# the leaks: the copies of ledger.c and audit.c (names *.c), each in a
# case (a near-duplicate of an earlier one in that one's)
leaks = sorted({s for n, s in drops if n.endswith(".c") and "-" not in n})
print("leak items", [r[0] for r in q("SELECT sha256 FROM items WHERE level IN ('likely', 'confirmed') ORDER BY sha256")] == leaks)
print("leaks in cases", q("SELECT count(*) FROM items WHERE level IN ('likely', 'confirmed') AND case_id IS NULL")[0][0] == 0)
# each alert's id is the hash of its case, kind and item; one leak alert a case
alerts = [(r[0], r[1], json.loads(r[2])) for r in q("SELECT id, case_id, json FROM alerts")]
print("outbox", all(i == hashlib.sha256(("%d|%s|%s" % (c, a["kind"], a["item"]["sha256"])).encode()).hexdigest() and a["case"] == c
                    for i, c, a in alerts),
      sorted(c for _, c, a in alerts if a["kind"] == "leak") == [r[0] for r in q("SELECT id FROM cases ORDER BY id")])
ids = sorted(i for i, _, _ in alerts)
lines = [json.loads(l)["id"] for l in open("alerts.jsonl")]
print("jsonl", sorted(lines) == ids)
print("delivered", q("SELECT count(*) FROM deliveries")[0][0] == len(ids))
PY
n=$(wc -l <drops.txt)
d=$(cut -d ' ' -f 2 drops.txt | sort -u | wc -l)
expect_eq "figures" "drops $n
items [($d, $d)]
states [('done', $d)]
sightings [($n,)]
items match True
sightings match True
leak items True
leaks in cases True
outbox True True
jsonl True
delivered True" "$(cat got.txt)"
for s in $(cut -d ' ' -f 2 drops.txt | sort -u); do
    f=cases/evidence/${s:0:2}/$s
    [ -f "$f" ] || die "no evidence file $f"
    expect_eq "mode of $f" 444 "$(stat -c %a "$f")"
done

# a crash between the append of the last alert and its mark (so before
# the sink's mark, upto, is moved past it)
lines=$(wc -l <alerts.jsonl)
last=$(tail -n 1 alerts.jsonl | jq -r .id)
/usr/bin/python3 -c "import sqlite3, sys; db = sqlite3.connect('cases/c.db'); db.execute('DELETE FROM deliveries WHERE alert = ?', (sys.argv[1],)); db.execute('UPDATE sinks SET upto = 0'); db.commit()" "$last"
run_rc "$LP" watch --inbox in --cases cases/c.db --alert jsonl:alerts.jsonl --once
expect_eq "append/mark exit" 0 "$rc"
expect_eq "append/mark stderr" "" "$(cat "$T/err")"
expect_eq "append/mark lines" "$lines" "$(wc -l <alerts.jsonl)"
run_rc "$LP" cases --cases cases/c.db status --format json
expect_eq "append/mark undelivered" '{"jsonl:alerts.jsonl":0}' "$(jq -c .undelivered "$T/out")"

# a torn last line (a crash inside the write, as a power cut can leave):
# cut off, and the alert (not marked) written whole
/usr/bin/python3 -c "import sqlite3, sys; db = sqlite3.connect('cases/c.db'); db.execute('DELETE FROM deliveries WHERE alert = ?', (sys.argv[1],)); db.execute('UPDATE sinks SET upto = 0'); db.commit()" "$last"
head -n $((lines - 1)) alerts.jsonl >a.tmp
tail -n 1 alerts.jsonl | head -c 40 >>a.tmp
mv a.tmp alerts.jsonl
run_rc "$LP" watch --inbox in --cases cases/c.db --alert jsonl:alerts.jsonl --once
expect_eq "torn exit" 0 "$rc"
expect_one_line_error "^leakprint: warning: 'alerts.jsonl': a torn last line \(40 bytes\) cut off$"
expect_eq "torn lines" "$lines" "$(wc -l <alerts.jsonl)"
expect_eq "torn last id" "$last" "$(tail -n 1 alerts.jsonl | jq -r .id)"
expect_eq "torn ids unique" "$lines" "$(jq -r .id alerts.jsonl | sort -u | wc -l)"

# a crash between an item's record and its unlink: the same inbox file
# (same inode, mtime and name) is there again; no second sighting
echo 'kept for later' >in/again.txt
ln in/again.txt kept
run_rc "$LP" watch --inbox in --cases cases/c.db --once
expect_eq "record exit" 0 "$rc"
ln kept in/again.txt
run_rc "$LP" watch --inbox in --cases cases/c.db --once
expect_eq "record exit 2" 0 "$rc"
expect_eq "record inbox" "" "$(ls -A in)"
s=$(sha256sum kept | cut -c 1-64)
expect_eq "record sightings" 1 "$(/usr/bin/python3 -c "import sqlite3, sys; print(sqlite3.connect('cases/c.db').execute('SELECT count(*) FROM sightings WHERE item = ?', (sys.argv[1],)).fetchone()[0])" "$s")"
# a new file of the same name and content is a new sighting
echo 'kept for later' >in/again.txt
run_rc "$LP" watch --inbox in --cases cases/c.db --once
expect_eq "record sightings 2" 2 "$(/usr/bin/python3 -c "import sqlite3, sys; print(sqlite3.connect('cases/c.db').execute('SELECT count(*) FROM sightings WHERE item = ?', (sys.argv[1],)).fetchone()[0])" "$s")"
