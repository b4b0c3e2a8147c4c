#!/usr/bin/env bash
# watch quarantines an item it cannot process instead of retrying it
# forever: its attempts are counted before each one; a stored item that
# cannot be read (its evidence file gone; or mode 000 when not root) fails
# twice, staying queued with one line each, and the third failure
# quarantines it with its reason; an item whose three attempts never ended
# (the process died in each) is quarantined at the fourth start; `cases
# status` lists both with their reasons; a quarantined item is never tried
# again; --max-attempts is checked; a done item forgets its count; `cases
# status` shows the last error and the items done in the last hour.
. "$(dirname "$0")/lib.sh"
cd "$T"
"$LP" add -q --name vault --version 1.0 "$FIX/watch/vault"
V=$FIX/watch/vault/src
sha() { sha256sum "$1" | cut -c 1-64; }
sql() { /usr/bin/python3 -c 'import sqlite3, sys
db = sqlite3.connect("c.db")
for r in db.execute(sys.argv[1], sys.argv[2:]): print("|".join(map(str, r)))
db.commit()' "$@"; }
mkdir in
cp "$V/ledger.c" in/leak.c
echo 'a paste' >in/paste.txt
run_rc "$LP" watch --inbox in --cases c.db --once
expect_eq "first exit" 0 "$rc"
s1=$(sha "$V/ledger.c")
s2=$(printf 'a paste\n' | sha256sum | cut -c 1-64)
expect_eq "attempts forgotten when done" 0 "$(sql 'SELECT count(*) FROM attempts')"

# the stored leak.c made unreadable, the item queued again
E=./evidence/${s1:0:2}/$s1
if [ "$(id -u)" -eq 0 ]; then
    rm -f "$E"
    why="'$E': cannot read the stored item: no such file or directory"
else
    chmod 000 "$E"
    why="'$E': cannot read the stored item: permission denied"
fi
sql "UPDATE items SET state = 'queued' WHERE sha256 = ?" "$s1"
for i in 1 2; do
    run_rc "$LP" watch --inbox in --cases c.db --once
    expect_eq "failure $i exit" 2 "$rc"
    expect_one_line_error "^leakprint: $(printf '%s' "$why" | sed 's/[][\.*^$()]/\\&/g')$"
    expect_eq "failure $i state" "queued|$i" \
        "$(sql 'SELECT state, n FROM items JOIN attempts ON item = sha256 WHERE sha256 = ?' "$s1")"
done
run_rc "$LP" watch --inbox in --cases c.db --once
expect_eq "third exit" 2 "$rc"
expect_eq "third stderr" "leakprint: 'leak.c': quarantined: $why" "$(cat "$T/err")"
expect_eq "third state" "quarantined|$why" "$(sql 'SELECT state, reason FROM items WHERE sha256 = ?' "$s1")"
# never tried again
run_rc "$LP" watch --inbox in --cases c.db --once
expect_eq "after exit" 0 "$rc"
expect_eq "after stderr" "" "$(cat "$T/err")"
expect_eq "after attempts" 3 "$(sql 'SELECT n FROM attempts WHERE item = ?' "$s1")"

# three attempts at paste.txt that never ended (as three crashes leave
# them): the fourth start quarantines it without scanning it
sql "UPDATE items SET state = 'queued' WHERE sha256 = ?" "$s2"
sql "INSERT INTO attempts (item, n) VALUES (?, 3)" "$s2"
run_rc "$LP" watch --inbox in --cases c.db --once
expect_eq "crashed exit" 2 "$rc"
expect_eq "crashed stderr" "leakprint: 'paste.txt': quarantined: 3 attempts did not end (the process died in each)" "$(cat "$T/err")"

run_rc "$LP" cases --cases c.db status --format json
expect_eq "status items" '{"queued":0,"done":0,"quarantined":2}' "$(jq -c .items "$T/out")"
expect_eq "status quarantine" "[[\"$s1\",\"leak.c\",\"$why\"],[\"$s2\",\"paste.txt\",\"3 attempts did not end (the process died in each)\"]]" \
    "$(jq -c '[.quarantine[] | [.sha256, .name, .reason]]' "$T/out")"
# the last error, and the items done in the last hour (the two of the
# first run; one done 70 minutes ago does not count)
expect_eq "last error" "leakprint: 'paste.txt': quarantined: 3 attempts did not end (the process died in each)" \
    "leakprint: $(jq -r .last_error.message "$T/out")"
jq -e '.last_error.time | test("^[0-9-]{10}T[0-9:]{8}Z$")' "$T/out" >/dev/null || die "last error time: $(cat "$T/out")"
expect_eq "throughput" '{"done_last_hour":2,"per_minute":3}' \
    "$(jq -c '.throughput | .per_minute |= (. * 100 | round)' "$T/out")"
old=$(date -u -d '-70 minutes' +%Y-%m-%dT%H:%M:%SZ)
sql "INSERT INTO processed (item, at) VALUES (?, ?)" "$s1" "$old"
run_rc "$LP" cases --cases c.db status
expect_eq "status text last hour" "throughput: 2 done in the last hour (0.03 per minute)" "$(grep '^throughput' "$T/out")"
grep -q "^last error: [0-9-]*T[0-9:]*Z 'paste.txt': quarantined: 3 attempts did not end (the process died in each)$" "$T/out" ||
    die "status text last error: $(cat "$T/out")"
expect_eq "status text" "quarantined $s1 leak.c: $why
quarantined $s2 paste.txt: 3 attempts did not end (the process died in each)" "$(grep '^quarantined' "$T/out")"

# --max-attempts 1: the first failure quarantines
echo 'another paste' >in/p2.txt
run_rc "$LP" watch --inbox in --cases c.db --once --max-attempts 1
expect_eq "max 1 exit" 0 "$rc"
s3=$(printf 'another paste\n' | sha256sum | cut -c 1-64)
E3=./evidence/${s3:0:2}/$s3
rm -f "$E3"
sql "UPDATE items SET state = 'queued' WHERE sha256 = ?" "$s3"
run_rc "$LP" watch --inbox in --cases c.db --once --max-attempts 1
expect_eq "max 1 fail exit" 2 "$rc"
expect_eq "max 1 state" quarantined "$(sql 'SELECT state FROM items WHERE sha256 = ?' "$s3")"
for bad in 0 -1 x 2x ''; do
    run_rc "$LP" watch --inbox in --cases c.db --once --max-attempts "$bad"
    expect_eq "bad --max-attempts '$bad' exit" 2 "$rc"
    expect_one_line_error "^leakprint: '$bad': invalid value for --max-attempts \(a number from 1\)$"
done
