#!/usr/bin/env bash
# scan --secrets reports its secrets and exposures in every format: text
# (a SECRETS section, one line per finding as `leakprint secrets` writes
# it), JSON and JSONL ("secrets", "exposures"), SARIF (results of the
# secret rules after the matches, ruleIndex and partialFingerprints as
# secrets --format sarif, valid against the official schema); a secret
# alone is exit 1 in each format; the value is in none.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
schema=$(bash "$root/scripts/sarif-schema.sh") || die "no SARIF schema"
export XDG_CACHE_HOME=$T/cache
add_proj 1.0
cd "$T"
mkdir app only
printf '# settings\nAWS_ACCESS_KEY_ID=AKIAZZZZ2222EXAMPLEX\n' >app/.env
printf 'db: 10.1.2.3\n' >app/net.yml
cp "$FIX/proj/src/ring.c" app/
cp app/.env only/
run_rc "$LP" secrets --format json app
fp=$(jqv '.secrets[0].fingerprint')
masked=$(jqv '.secrets[0].masked')
nrules=$(jqv '.summary.rules')
key=$(jqv '.summary.fingerprint_key')

# text: the SECRETS section between the files and the count
run_rc "$LP" scan --secrets app
expect_eq "text exit" 1 "$rc"
expect_eq "text section" "SECRETS  1 found, and 1 exposure ($nrules rules)
         fingerprints under key $key
  app/.env:2:19  aws-access-key-id  $masked  (AWS access key ID, high, entropy 3.1)
  app/net.yml:1:5  private-ipv4-10  10.1.2.3  (private IPv4 address (10/8), exposure)" \
    "$(sed -n '/^SECRETS/,/^$/p' "$T/out" | sed '/^$/d')"
grep -q '^SCANNED  3 files' "$T/out" || die "no SCANNED line"
# without --secrets: no section
run_rc "$LP" scan app
! grep -q '^SECRETS' "$T/out" || die "a SECRETS section without --secrets"

# JSON: the secrets and the exposures
run_rc "$LP" scan --secrets --format json app
expect_eq "json" "aws-access-key-id $fp|private-ipv4-10 10.1.2.3" \
    "$(jqv '"\(.secrets[0].rule) \(.secrets[0].fingerprint)|\(.exposures[0].rule) \(.exposures[0].value)"')"
run_rc "$LP" scan --format json app
expect_eq "json without --secrets" "0 0" "$(jqv '"\(.secrets | length) \(.exposures | length)"')"

# JSONL: the last line holds them, the exposure with its fingerprint
run_rc "$LP" scan --secrets --format jsonl app
expect_eq "jsonl" "aws-access-key-id $fp|private-ipv4-10 64" \
    "$(tail -n 1 "$T/out" | jq -r '"\(.secrets[0].rule) \(.secrets[0].fingerprint)|\(.exposures[0].rule) \(.exposures[0].fingerprint | length)"')"

# SARIF: leaked-code first, then the rules with findings; results in order
run_rc "$LP" scan --secrets --format sarif -o "$T/scan.sarif" app
expect_eq "sarif exit" 1 "$rc"
cp "$T/scan.sarif" "$T/out"
expect_eq "sarif rules" "leaked-code aws-access-key-id private-ipv4-10" \
    "$(jqv '[.runs[0].tool.driver.rules[].id] | join(" ")')"
expect_eq "sarif results" "leaked-code 0|aws-access-key-id 1 error|private-ipv4-10 2 note" \
    "$(jqv '[.runs[0].results[] | "\(.ruleId) \(.ruleIndex)" + (if .ruleId == "leaked-code" then "" else " \(.level)" end)] | join("|")')"
expect_eq "sarif secret" "app/.env 2 19 $fp AWS access key ID: $masked" \
    "$(jqv '.runs[0].results[1] | "\(.locations[0].physicalLocation.artifactLocation.uri) \(.locations[0].physicalLocation.region.startLine) \(.locations[0].physicalLocation.region.startColumn) \(.partialFingerprints["leakprintSecret/v1"]) \(.message.text)"')"
expect_eq "sarif counts" "1 1" "$(jqv '.runs[0].properties | "\(.secrets) \(.exposures)"')"
# The same exposure fingerprint as secrets --format sarif gives
run_rc "$LP" secrets --format sarif app
efp=$(jqv '.runs[0].results[] | select(.ruleId == "private-ipv4-10") | .partialFingerprints["leakprintExposure/v1"]')
expect_eq "exposure fingerprint" "$efp" \
    "$(jq -r '.runs[0].results[2].partialFingerprints["leakprintExposure/v1"]' "$T/scan.sarif")"
/usr/bin/python3 "$root/tests/cli/helpers/sarif_validate.py" "$schema" "$T/scan.sarif" ||
    die "scan --secrets SARIF not valid"

# A secret alone (nothing leaked): exit 1 in every format
for f in text json jsonl sarif; do
    run_rc "$LP" scan --secrets --format $f only
    expect_eq "$f: a secret alone" 1 "$rc"
    ! grep -qF AKIAZZZZ2222EXAMPLEX "$T/out" "$T/err" || die "$f: the value is written"
done
