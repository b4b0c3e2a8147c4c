#!/usr/bin/env bash
# cases export --format misp -o DIR: a MISP feed of the cases, checked
# against the MISP core format's shapes (tests/cli/helpers/misp_check.py):
# one <uuid>.json per case with its items as file objects and the URLs
# they were seen at, manifest.json with each event's summary, hashes.csv
# with the MD5 of every attribute value; uuids are version 5 (checked
# against Python's uuid5), the same at every export; a case confirmed by
# an analyst gets infoleak:confirmed; usage errors are one line.
. "$(dirname "$0")/lib.sh"
cd "$T"
"$LP" add -q --name vault --version 1.0 "$FIX/watch/vault"
LEDGER=$FIX/watch/vault/src/ledger.c
mkdir in cases
cp "$LEDGER" in/a-leak.c
printf '{"source": "forum-x", "url": "http://x.onion/t/1"}\n' >in/a-leak.c.meta.json
cp "$LEDGER" in/b-again.c
printf '{"source": "paste-y", "url": "https://paste.example/raw/9"}\n' >in/b-again.c.meta.json
cp "$FIX/other/csv.c" in/csv.c
run_rc "$LP" watch --inbox in --cases cases/c.db --alert misp:sinkfeed --once
expect_eq "watch exit" 0 "$rc"

run_rc "$LP" cases --cases cases/c.db export --format misp -o feed
expect_eq "export exit" 0 "$rc"
expect_eq "export stderr" "" "$(cat "$T/err")"
sha=$(sha256sum "$LEDGER" | cut -c 1-64)
uuid=$(python3 -c 'import sys, uuid; print(uuid.uuid5(uuid.UUID("5b0e4c1a-9d37-4f62-8a15-c3e7d2f90b46"), "case|" + sys.argv[1]))' "$sha")
expect_eq "feed files" "$uuid.json hashes.csv manifest.json" "$(ls -A feed | tr '\n' ' ' | sed 's/ $//')"
python3 "$HELPERS/misp_check.py" feed >check.txt || die "the feed is not a MISP feed: $(cat check.txt)"
expect_eq "feed summary" "1 event, 5 attributes, 1 object" "$(cat check.txt)"
jq -c '.Event | [.info, .analysis, .threat_level_id, .published,
    [.Tag[].name], [.Attribute[] | [.type, .value]],
    [.Object[].Attribute[] | [.object_relation, .value]]]' "feed/$uuid.json" >got.json
expect_eq "event" '["leakprint case 1: likely leak of protected code (1 item)",0,2,false,["tlp:amber","dark-web:topic=\"intellectual-property-copyright-materials\"","infoleak:submission=\"crawler\"","infoleak:certainty=\"50\""],[["url","http://x.onion/t/1"],["url","https://paste.example/raw/9"]],[["sha256","'"$sha"'"],["filename","a-leak.c"],["size-in-bytes","'"$(stat -c %s "$LEDGER")"'"]]]' "$(cat got.json)"

# the misp: sink of watch wrote the same feed when the case's alert came
diff -r feed sinkfeed >/dev/null || die "the misp: sink's feed differs from export's"
run_rc "$LP" cases --cases cases/c.db status --format json
expect_eq "misp sink delivered" '0' "$(jq -r '.undelivered["misp:sinkfeed"]' "$T/out")"

# the same export again: the same bytes
run_rc "$LP" cases --cases cases/c.db export --format misp -o feed2
expect_eq "export again exit" 0 "$rc"
diff -r feed feed2 >/dev/null || die "a second export differs"

# an analyst confirms the case: the event says so, under the same uuid
"$LP" cases --cases cases/c.db set 1 --status confirmed >/dev/null
run_rc "$LP" cases --cases cases/c.db export --format misp -o feed
expect_eq "export confirmed exit" 0 "$rc"
expect_eq "confirmed" '2 true' "$(jq -r '.Event | "\(.analysis) \([.Tag[].name] | index("infoleak:confirmed=\"true-positive\"") != null)"' "feed/$uuid.json")"
expect_eq "manifest follows" '2' "$(jq -r --arg u "$uuid" '.[$u].analysis' feed/manifest.json)"
python3 "$HELPERS/misp_check.py" feed >/dev/null || die "the feed is not a MISP feed after set"

# usage errors: one line, exit 2
run_rc "$LP" cases --cases cases/c.db export --format misp
expect_eq "no -o exit" 2 "$rc"
expect_one_line_error "^leakprint: cases export: -o DIR is required$"
run_rc "$LP" cases --cases cases/c.db export -o feed
expect_eq "no format exit" 2 "$rc"
expect_one_line_error "^leakprint: cases export: --format misp is required$"
run_rc "$LP" cases --cases cases/c.db list --format misp
expect_eq "misp list exit" 2 "$rc"
expect_one_line_error "^leakprint: cases list: --format misp is for export$"
: >afile
run_rc "$LP" cases --cases cases/c.db export --format misp -o afile/x
expect_eq "bad dir exit" 2 "$rc"
expect_one_line_error "^leakprint: 'afile/x': cannot make the feed directory: not a directory$"
echo ok
