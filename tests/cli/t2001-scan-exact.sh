#!/usr/bin/env bash
# A verbatim copy: every file is found, byte-identical, with its asset path,
# the whole-file span, and the verdict is confirmed (exit 1).
. "$(dirname "$0")/lib.sh"
add_proj 1.0
cp -r "$FIX/proj" "$T/leak"
run_rc "$LP" scan --format json "$T/leak"
expect_eq "exit" 1 "$rc"
expect_eq "level" confirmed "$(jqv .verdict.level)"
expect_eq "scanned" 5 "$(jqv .scope.files_scanned)"
expect_eq "matched" 5 "$(jqv .scope.files_matched)"
expect_eq "assets" "Makefile docs/guide.md scripts/deploy.sh src/config.c src/ring.c" \
    "$(jqv '[.files[].matches[0].asset] | join(" ")')"
expect_eq "all exact" true "$(jqv '[.files[].matches[0].exact] | all')"
expect_eq "ring span" "[1,87] [1,87] exact" \
    "$(jqv '.files[] | select(.path | endswith("ring.c")) | .matches[0].spans[0] | "\(.lines|tojson) \(.asset_lines|tojson) \(.how)"')"
expect_eq "scope" "gw 5 5 1 1.0" \
    "$(jqv '.scope.collections[0] | "\(.name) \(.assets_matched) \(.assets_total) \(.coverage) \(.versions.best)"')"
expect_eq "summary" "5 of 5 files come from protected collection 'gw' (1.0)" "$(jqv .verdict.summary)"
expect_eq "kind" "code" "$(jqv '.files[] | select(.path | endswith("config.c")) | .kind')"
expect_eq "sha" "$(sha256sum "$FIX/proj/src/ring.c" | cut -c1-64)" \
    "$(jqv '.files[] | select(.path | endswith("ring.c")) | .sha256')"
# Text output names the verdict and the files.
run_rc "$LP" scan "$T/leak"
expect_eq "text exit" 1 "$rc"
grep -q '^VERDICT  confirmed' "$T/out" || die "text verdict"
grep -q "<- gw:src/ring.c @1.0  identical similarity 1.00 coverage 1.00" "$T/out" || die "text match line"
# The document's other CONTRACT.md fields.
run_rc "$LP" scan --format json "$T/leak"
expect_eq "tool" "leakprint 0.1.0" "$(jqv '"\(.tool.name) \(.tool.version)"')"
expect_eq "registry" "$LEAKPRINT_DB 1 5" "$(jqv '"\(.registry.path) \(.registry.collections) \(.registry.assets)"')"
expect_eq "empty lists" "[][]" "$(jqv '"\(.secrets)\(.canaries)"')"
expect_eq "consistent" '["1.0"]' "$(jqv '.scope.collections[0].versions.consistent | tojson')"
expect_eq "confidence range" true "$(jqv '.verdict.confidence > 0.9 and .verdict.confidence <= 1')"
expect_eq "match keys" "asset,collection,coverage,evidence,exact,fingerprints,similarity,spans,version" \
    "$(jqv '.files[0].matches[0] | keys | join(",")')"
# Identical files at two places of the protected tree: each copy is named
# after the place whose path it shares.
mkdir -p "$T/twins/a" "$T/twins/b" "$T/tleak/x/b" "$T/tleak/x/a"
cp "$FIX/proj/src/ring.c" "$T/twins/a/ring.c"
cp "$FIX/proj/src/ring.c" "$T/twins/b/ring.c"
"$LP" add -q --name twins --version 1 "$T/twins"
cp "$FIX/proj/src/ring.c" "$T/tleak/x/a/"
cp "$FIX/proj/src/ring.c" "$T/tleak/x/b/"
"$LP" remove gw >/dev/null
run_rc "$LP" scan --format json "$T/tleak"
expect_eq "twins" "a/ring.c b/ring.c" "$(jqv '[.files[].matches[0].asset] | join(" ")')"
