#!/usr/bin/env bash
# secrets --format sarif: one result per secret or exposure with its rule
# (only rules with results listed, ruleIndex pointing at them), level,
# line/column (endLine for a key block), the masked value in the message
# and the keyed fingerprint, never the value; skipped inputs as invocation
# notifications. The documents of secrets and of scan validate against the
# official SARIF 2.1.0 schema (fetched once by scripts/sarif-schema.sh; the
# test fails, never skips, when it cannot be had).
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
# The schema goes to the user's cache, before XDG_CACHE_HOME points into $T.
schema=$(bash "$root/scripts/sarif-schema.sh") || die "no SARIF schema"
validate() {
    /usr/bin/python3 "$root/tests/cli/helpers/sarif_validate.py" "$schema" "$@" ||
        die "not valid SARIF: $*"
}
export XDG_CACHE_HOME=$T/cache
cd "$T"
mkdir app
printf '# settings\nAWS_ACCESS_KEY_ID=AKIAZZZZ2222EXAMPLEX\n' >app/.env
# A made-up RSA key: a comment, a blank line, then 10 lines of key block
# (lines 3-12) whose body is high-entropy bytes of no real key.
{
    printf '# deploy key\n\n-----BEGIN RSA PRIVATE KEY-----\n'
    for i in 1 2 3 4 5 6; do printf 'leakprint-fake-key-%d' "$i" | sha512sum; done |
        xxd -r -p | base64 -w 64
    printf -- '-----END RSA PRIVATE KEY-----\n'
} >app/id_rsa
keyline=$(sed -n 5p app/id_rsa)
printf 'db: 10.1.2.3\n' >app/net.yml

run_rc "$LP" secrets --format sarif -o "$T/secrets.sarif" app
expect_eq "exit" 1 "$rc"
cp "$T/secrets.sarif" "$T/out"
expect_eq "version" "2.1.0" "$(jqv .version)"
expect_eq "driver" "leakprint $("$LP" --version | grep -o '[0-9][0-9.]*' | head -n 1)" \
    "$(jqv '.runs[0].tool.driver | "\(.name) \(.version)"')"
expect_eq "informationUri" true "$(jqv '.runs[0].tool.driver.informationUri | startswith("https://")')"
# Only the three rules with results, in rule order.
expect_eq "rules" "aws-access-key-id pem-rsa-private-key private-ipv4-10" \
    "$(jqv '[.runs[0].tool.driver.rules[].id] | join(" ")')"
expect_eq "rule" "AwsAccessKeyId|AWS access key ID|cloud-credential|security,secret|error" \
    "$(jqv '.runs[0].tool.driver.rules[0] | "\(.name)|\(.shortDescription.text)|\(.properties.category)|\(.properties.tags | join(","))|\(.defaultConfiguration.level)"')"
expect_eq "exposure rule" "internal-address security,exposure" \
    "$(jqv '.runs[0].tool.driver.rules[2] | "\(.properties.category) \(.properties.tags | join(","))"')"
expect_eq "ruleIndex" true \
    "$(jqv '.runs[0] as $r | all($r.results[]; $r.tool.driver.rules[.ruleIndex].id == .ruleId)')"
expect_eq "results" 3 "$(jqv '.runs[0].results | length')"
# Walk order: app/.env, app/id_rsa, app/net.yml.
sel='.runs[0].results[] | select(.ruleId == $id)'
res() { jq -r --arg id "$1" "$sel | $2" "$T/out"; }
loc='.locations[0].physicalLocation | "\(.artifactLocation.uri) \(.region.startLine) \(.region.startColumn) \(.region.endLine)"'
expect_eq "aws" "0 error app/.env 2 19 null" \
    "$(res aws-access-key-id "\"\(.ruleIndex) \(.level) \" + ($loc)")"
expect_eq "aws message" "AWS access key ID: AKIA********" \
    "$(res aws-access-key-id '.message.text')"
expect_eq "aws properties" "cloud-credential high AKIA******** 3.0842" \
    "$(res aws-access-key-id '.properties | "\(.category) \(.confidence) \(.masked) \(.entropy)"')"
sfp=$(res aws-access-key-id '.partialFingerprints["leakprintSecret/v1"]')
expect_eq "fingerprint keys" "leakprintSecret/v1" \
    "$(res aws-access-key-id '.partialFingerprints | keys | join(" ")')"
# The multi-line key: from its BEGIN line to its END line.
expect_eq "key" "1 error app/id_rsa 3 1 12" \
    "$(res pem-rsa-private-key "\"\(.ruleIndex) \(.level) \" + ($loc)")"
expect_eq "key message" "PEM RSA private key (PKCS#1, plain or RFC 1421 encrypted): -----BEGIN********" \
    "$(res pem-rsa-private-key '.message.text')"
# The exposure carries its value (no secret), as a note.
expect_eq "exposure" "2 note app/net.yml 1 5 null" \
    "$(res private-ipv4-10 "\"\(.ruleIndex) \(.level) \" + ($loc)")"
expect_eq "exposure message" "private IPv4 address (10/8): 10.1.2.3|internal-address 10.1.2.3|64" \
    "$(res private-ipv4-10 '"\(.message.text)|\(.properties.category) \(.properties.value)|\(.partialFingerprints["leakprintExposure/v1"] | length)"')"
expect_eq "run properties" "3 2 1" \
    "$(jqv '.runs[0].properties | "\(.files_scanned) \(.secrets) \(.exposures)"')"
expect_eq "no notification" 0 "$(jqv '.runs[0].invocations[0].toolExecutionNotifications | length')"
# No value anywhere: neither the key ID nor a line of the key block.
! grep -qF AKIAZZZZ2222EXAMPLEX "$T/secrets.sarif" || die "AWS value in the SARIF"
! grep -qF "$keyline" "$T/secrets.sarif" || die "key block in the SARIF"
! grep -qF AKIAZZZZ2222EXAMPLEX "$T/err" || die "value on stderr"
# The fingerprint is the one the JSON report gives.
run_rc "$LP" secrets --format json app
expect_eq "same fingerprint" "$sfp" "$(jqv '.secrets[] | select(.rule == "aws-access-key-id") | .fingerprint')"
expect_eq "fingerprint length" 64 "${#sfp}"

# Nothing found: no rules, no results, exit 0.
printf 'nothing to see\n' >readme.txt
run_rc "$LP" secrets --format sarif readme.txt
expect_eq "none exit" 0 "$rc"
expect_eq "none" "0 0" "$(jqv '.runs[0] | "\(.tool.driver.rules | length) \(.results | length)"')"
cp "$T/out" "$T/none.sarif"

# An input not read is a notification of the invocation (exit 1 all the
# same: secrets were found).
ln -s /nonexistent app/link.env
run_rc "$LP" secrets --format sarif app
expect_eq "skipped exit" 1 "$rc"
expect_eq "notification" "warning|symbolic link not followed|app/link.env" \
    "$(jqv '.runs[0].invocations[0].toolExecutionNotifications[0] | "\(.level)|\(.message.text)|\(.locations[0].physicalLocation.artifactLocation.uri)"')"
expect_eq "successful" true "$(jqv '.runs[0].invocations[0].executionSuccessful')"
cp "$T/out" "$T/skipped.sarif"

run_rc "$LP" secrets --format xml app
expect_eq "bad format exit" 2 "$rc"
expect_one_line_error "'xml': unknown format \(text, json, jsonl, sarif, html\)"

# scan's SARIF (t5002's case) against the schema too.
add_proj 1.0
mkdir -p "$T/leak dir"
paste_ring 40 69 "$T/leak dir/tool #1.c"
cp "$FIX/proj/src/config.c" "$T/leak dir/"
ln -s /nonexistent "$T/leak dir/link.c"
run_rc "$LP" scan --format sarif -o "$T/scan.sarif" "$T/leak dir"
expect_eq "scan results" 2 "$(jq '.runs[0].results | length' "$T/scan.sarif")"

validate "$T/secrets.sarif" "$T/none.sarif" "$T/skipped.sarif" "$T/scan.sarif"
# The validator does find errors: a level SARIF does not have.
jq '.runs[0].results[0].level = "fatal"' "$T/secrets.sarif" >"$T/bad.sarif"
set +e
/usr/bin/python3 "$root/tests/cli/helpers/sarif_validate.py" "$schema" "$T/bad.sarif" >"$T/bad.out" 2>&1
rc=$?
set -e
expect_eq "invalid exit" 1 "$rc"
expect_eq "invalid error" "$T/bad.sarif: \$.runs[0].results[0].level: 'fatal' is not one of ['none', 'note', 'warning', 'error']" \
    "$(cat "$T/bad.out")"
