#!/usr/bin/env bash
# The reports as CONTRACT.md shapes them: "files" holds matched files only
# (files_matched of them), a file listing is in "listings" (text: a
# LISTINGS section), the top directory is "." in JSON as in text; the
# JSONL last line names the rules (none without --secrets); scan SARIF has
# partialFingerprints, stable from run to run and the same for the same
# content under another name, the assets under the uriBaseId REGISTRY
# (declared in originalUriBaseIds), never a file of the scanned tree, and
# uris without a leading "./", ':' percent-encoded.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
schema=$(bash "$root/scripts/sarif-schema.sh") || die "no SARIF schema"
add_proj 1.0
cd "$T"
mkdir -p leak
cp "$FIX/proj/src/ring.c" leak/
(cd "$FIX" && find proj) >leak/find.txt

# 1. a matched file and a listing
run_rc "$LP" scan --format json leak
expect_eq "exit" 1 "$rc"
expect_eq "files" "1 1 leak/ring.c" "$(jqv '"\(.files | length) \(.scope.files_matched) \(.files[0].path)"')"
expect_eq "no empty matches" 0 "$(jqv '[.files[] | select(.matches == [])] | length')"
expect_eq "listings" "leak/find.txt paths gw" \
    "$(jqv '.listings[0] | "\(.path) \(.listing.format) \(.listing.collections[0].name)"')"
expect_eq "top directory" true \
    "$(jqv '[.listings[0].listing.collections[0].directories[].path] | (index(".") != null) and (index("") == null)')"
run_rc "$LP" scan leak
expect_eq "text files" "FILES|  leak/ring.c  [code]" "$(grep -A1 '^FILES' "$T/out" | tr '\n' '|' | sed 's/|$//')"
expect_eq "text listings" "LISTINGS|  leak/find.txt  [listing]" "$(grep -A1 '^LISTINGS' "$T/out" | tr '\n' '|' | sed 's/|$//')"
grep -q '^       directories:.* \. ' "$T/out" || die "text: no top directory '.'"

# 2. the JSONL last line: rules, empty without --secrets
run_rc "$LP" scan --format jsonl leak
expect_eq "jsonl lines" 2 "$(wc -l <"$T/out")"
expect_eq "jsonl rules" "[] 1" "$(tail -n 1 "$T/out" | jq -c '"\(.rules | tojson) \(.listings | length)"' -r)"
! tail -n 1 "$T/out" | jq -e 'has("baselined")' >/dev/null || die "baselined without --secrets"

# 3. SARIF
mkdir -p 'x:y'
cp "$FIX/proj/src/ring.c" 'x:y/renamed.c'
run_rc "$LP" scan --format sarif -o "$T/a.sarif" ./leak ./x:y
expect_eq "sarif exit" 1 "$rc"
cp "$T/a.sarif" "$T/out"
# (the listing is a result of rule leaked-listing too)
expect_eq "uris" "leak/ring.c x%3Ay/renamed.c leak/find.txt" \
    "$(jqv '[.runs[0].results[].locations[0].physicalLocation.artifactLocation.uri] | join(" ")')"
expect_eq "assets" "REGISTRY gw/src/ring.c" \
    "$(jqv '[.runs[0].results[] | select(.ruleId == "leaked-code") | .relatedLocations[0].physicalLocation.artifactLocation | "\(.uriBaseId) \(.uri)"] | unique | join(" ")')"
expect_eq "base declared" true "$(jqv '.runs[0].originalUriBaseIds.REGISTRY.description.text | length > 0')"
fp1=$(jqv '.runs[0].results[0].partialFingerprints["leakprintLeak/v1"]')
expect_eq "fingerprint length" 64 "${#fp1}"
expect_eq "same content, same fingerprint" "$fp1" \
    "$(jqv '.runs[0].results[1].partialFingerprints["leakprintLeak/v1"]')"
run_rc "$LP" scan --format sarif leak
expect_eq "stable fingerprint" "$fp1" "$(jqv '.runs[0].results[0].partialFingerprints["leakprintLeak/v1"]')"
/usr/bin/python3 "$root/tests/cli/helpers/sarif_validate.py" "$schema" "$T/a.sarif" >/dev/null ||
    die "not valid SARIF"
