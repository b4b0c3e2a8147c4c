#!/usr/bin/env bash
# The misp: sink of watch updates its feed at each delivery pass: the
# events of the cases whose alerts wait, and of cases seen again since the
# feed was written, are written again, manifest.json and hashes.csv
# updated; the other events are left as they are (the same file). After
# every run the feed equals, byte for byte, a full `cases export --format
# misp` of the same database; a feed that cannot be read back is written
# whole.
. "$(dirname "$0")/lib.sh"
cd "$T"
"$LP" add -q --name vault --version 1.0 "$FIX/watch/vault"
# a leak of another file is a case of its own (one of a file a case has
# seen joins that case)
"$LP" add -q --name gw --version 1.0 "$FIX/proj"
LEDGER=$FIX/watch/vault/src/ledger.c
AUDIT=$FIX/watch/vault/src/audit.c
mkdir in cases

uuid_of() {
    python3 -c 'import sys, uuid; print(uuid.uuid5(uuid.UUID("5b0e4c1a-9d37-4f62-8a15-c3e7d2f90b46"), "case|" + sys.argv[1]))' \
        "$(sha256sum "$1" | cut -c 1-64)"
}
# watch --once with the sink, then the feed must equal a fresh export
run_and_compare() {
    run_rc "$LP" watch --inbox in --cases cases/c.db --alert misp:sinkfeed --once
    expect_eq "watch exit ($1)" 0 "$rc"
    expect_eq "watch stderr ($1)" "" "$(cat "$T/err")"
    rm -rf feed
    run_rc "$LP" cases --cases cases/c.db export --format misp -o feed
    expect_eq "export exit ($1)" 0 "$rc"
    diff -r feed sinkfeed >diff.txt || die "$1: the sink's feed differs from export's: $(head -20 diff.txt)"
    run_rc "$LP" cases --cases cases/c.db status --format json
    expect_eq "undelivered ($1)" 0 "$(jq -r '.undelivered["misp:sinkfeed"]' "$T/out")"
}

# 1: one leak, one case
cp "$LEDGER" in/a-leak.c
printf '{"source": "forum-x", "url": "http://x.onion/t/1"}\n' >in/a-leak.c.meta.json
run_and_compare "first"
u1=$(uuid_of "$LEDGER")
expect_eq "first feed" "$u1.json hashes.csv manifest.json" "$(ls -A sinkfeed | tr '\n' ' ' | sed 's/ $//')"

# 2: a new leak (case 2) and the first one seen again elsewhere (no
# alert, but its event gets the new URL)
cp "$AUDIT" in/b-leak.c
cp "$LEDGER" in/a-again.c
printf '{"source": "paste-y", "url": "https://paste.example/raw/9"}\n' >in/a-again.c.meta.json
run_and_compare "second"
u2=$(uuid_of "$AUDIT")
expect_eq "case 1 urls" '["http://x.onion/t/1","https://paste.example/raw/9"]' \
    "$(jq -c '[.Event.Attribute[] | select(.type == "url") | .value]' "sinkfeed/$u1.json")"
expect_eq "manifest events" 2 "$(jq 'length' sinkfeed/manifest.json)"

# 3: a third leak with nothing else changed since the feed was written
# (its time put ahead, so no case counts as changed after it): only the
# new case's event is written; the others are the same files
touch -d '+10 minutes' sinkfeed/manifest.json
ino1=$(stat -c %i "sinkfeed/$u1.json")
ino2=$(stat -c %i "sinkfeed/$u2.json")
{ cat "$FIX/proj/src/ring.c"; echo "/* copied 3 */"; } >in/c-leak.c
run_and_compare "third"
expect_eq "case 1 file kept" "$ino1" "$(stat -c %i "sinkfeed/$u1.json")"
expect_eq "case 2 file kept" "$ino2" "$(stat -c %i "sinkfeed/$u2.json")"
expect_eq "events" 3 "$(ls sinkfeed/*-*.json | wc -l)"
expect_eq "manifest events" 3 "$(jq 'length' sinkfeed/manifest.json)"

# 4: hashes.csv lost (or not as an export writes it): the feed is written
# whole again, and still equals the export
rm sinkfeed/hashes.csv
{ cat "$FIX/proj/src/config.c"; echo "/* copied 4 */"; } >in/d-leak.c
run_and_compare "fourth"
printf 'not,a hashes line\n' >sinkfeed/hashes.csv
{ cat "$FIX/proj/scripts/deploy.sh"; echo "# copied 5"; } >in/e-leak.sh
run_and_compare "fifth"
expect_eq "manifest events" 5 "$(jq 'length' sinkfeed/manifest.json)"
# 6: a near-duplicate of case 1's leak joins it without an alert: the
# feed is brought up to date all the same (case 1's event gets the item)
{ cat "$LEDGER"; echo "/* copied 6 */"; } >in/f-again.c
run_and_compare "sixth"
expect_eq "case 1 files" 2 \
    "$(jq '[.Event.Object[] | select(.name == "file")] | length' "sinkfeed/$u1.json")"
echo ok
