#!/usr/bin/env bash
# SARIF 2.1.0: one result per matched file and asset, the span as location,
# the asset's lines as related locations, paths percent-encoded.
. "$(dirname "$0")/lib.sh"
add_proj 1.0
mkdir -p "$T/leak dir"
paste_ring 40 69 "$T/leak dir/tool #1.c"
cp "$FIX/proj/src/config.c" "$T/leak dir/"
run_rc "$LP" scan --format sarif "$T/leak dir"
expect_eq "exit" 1 "$rc"
expect_eq "version" "2.1.0" "$(jqv .version)"
expect_eq "driver" "leakprint leaked-code" "$(jqv '.runs[0].tool.driver | "\(.name) \(.rules[0].id)"')"
expect_eq "results" 2 "$(jqv '.runs[0].results | length')"
expect_eq "levels" "error warning" "$(jqv '[.runs[0].results[].level] | join(" ")')"
expect_eq "uri" "$(echo "$T" | sed 's/ /%20/g')/leak%20dir/tool%20%231.c" \
    "$(jqv '.runs[0].results[1].locations[0].physicalLocation.artifactLocation.uri')"
# The paste is lines 46-75; its ends are decided to within a few tokens
# (docs/ACCURACY.md, "Span boundaries").
expect_eq "region" "45 76" "$(jqv '.runs[0].results[1].locations[0].physicalLocation.region | "\(.startLine) \(.endLine)"')"
# the asset is a file of the registry, under its own base, not of the tree
expect_eq "asset" "REGISTRY gw/src/ring.c 39 70" "$(jqv '.runs[0].results[1].relatedLocations[0].physicalLocation | "\(.artifactLocation.uriBaseId) \(.artifactLocation.uri) \(.region.startLine) \(.region.endLine)"')"
expect_eq "verdict" likely "$(jqv .runs[0].properties.verdict)"
# html is a format too (family 9 tests it in a browser)
run_rc "$LP" scan --format html "$T/leak dir"
expect_eq "html exit" 1 "$rc"
expect_eq "html" "<!DOCTYPE html>" "$(head -1 "$T/out")"
# An input not read is a notification of the invocation.
ln -s /nonexistent "$T/leak dir/link.c"
run_rc "$LP" scan --format sarif "$T/leak dir"
expect_eq "notification" "warning symbolic link not followed link.c" \
    "$(jqv '.runs[0].invocations[0].toolExecutionNotifications[0] | "\(.level) \(.message.text) \(.locations[0].physicalLocation.artifactLocation.uri | sub(".*/"; ""))"')"
expect_eq "successful" true "$(jqv '.runs[0].invocations[0].executionSuccessful')"
# A file listing that names registered files: a result of rule
# leaked-listing (index 1, after leaked-code), a warning on names alone.
rm "$T/leak dir/link.c"
(cd "$FIX/proj" && find . -type f | sed 's|^\./|/srv/x/|') >"$T/files.txt"
run_rc "$LP" scan --format sarif "$T/files.txt"
expect_eq "listing rules" "leaked-code leaked-listing" \
    "$(jqv '[.runs[0].tool.driver.rules[].id] | join(" ")')"
expect_eq "listing result" "leaked-listing 1 warning gw $(grep -c . "$T/files.txt")" \
    "$(jqv '.runs[0].results[0] | "\(.ruleId) \(.ruleIndex) \(.level) \(.properties.collection) \(.properties.assets_named)"')"
expect_eq "listing uri" "files.txt" \
    "$(jqv '.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri | sub(".*/"; "")')"
