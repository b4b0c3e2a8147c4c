#!/usr/bin/env bash
# watch -j N: items scanned at once give what one at a time gives. 40
# pastes holding the vault ledger (each another header) and 40 unrelated
# ones, taken in by -j 3 and by -j 1 into two case databases: every item
# done once with the same verdict in both, one case and one leak alert
# in each (the near-duplicates fold whatever their order), and a bad -j
# named in one line.
. "$(dirname "$0")/lib.sh"
cd "$T"
"$LP" add -q --name vault --version 1.0 "$FIX/watch/vault"
mkdir a
for i in $(seq 1 40); do
    { echo "// paste $i"; cat "$FIX/watch/vault/src/ledger.c"; } >a/leak$i.c
    echo "nothing to see in paste $i" >a/other$i.txt
done
cp -r a b
run_rc "$LP" watch --inbox a --cases ja.db --alert jsonl:ja.jsonl --once -j 3
expect_eq "-j 3 exit" 0 "$rc"
expect_eq "-j 3 stderr" "" "$(cat "$T/err")"
run_rc "$LP" watch --inbox b --cases jb.db --alert jsonl:jb.jsonl --once --jobs 1
expect_eq "-j 1 exit" 0 "$rc"
items="SELECT name, state, level, case_id IS NOT NULL FROM items ORDER BY name"
expect_eq "same items" "$(sqlq jb.db "$items")" "$(sqlq ja.db "$items")"
expect_eq "done" "80 40" "$(sqlq ja.db "SELECT count(*), sum(level = 'likely') FROM items WHERE state = 'done'")"
for j in ja jb; do
    expect_eq "$j cases" 1 "$(sqlq $j.db "SELECT count(*) FROM cases")"
    expect_eq "$j alerts" "leak" "$(jq -r .kind $j.jsonl)"
done
run_rc "$LP" watch --inbox a --cases ja.db --once -j 0
expect_eq "bad -j exit" 2 "$rc"
expect_one_line_error "^leakprint: '0': invalid value for -j \(a number from 1 to 256\)$"
run_rc "$LP" watch --inbox a --cases ja.db --once -j 257
expect_eq "-j over exit" 2 "$rc"
expect_one_line_error "^leakprint: '257': invalid value for -j \(a number from 1 to 256\)$"
echo "ok"
