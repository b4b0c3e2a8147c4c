#!/usr/bin/env bash
# Span boundaries (issue 15, point 6): a 60-line region of a registered
# file (ring.c lines 15-74: the end of a struct, then five functions and
# the head of a sixth) pasted after line 30 of an unrelated file is
# reported with one span of exactly the pasted lines, on the sample's side
# (31-90) and on the protected file's (15-74). Chaining alone stops inside
# the copy (33-85 / 17-69): winnowing leaves the first and last tokens of a
# copy without a fingerprint of their own.
. "$(dirname "$0")/lib.sh"
add_proj 1.0
mkdir -p "$T/leak"
{ sed -n '1,30p' "$FIX/other/csv.c"; sed -n '15,74p' "$FIX/proj/src/ring.c"
  sed -n '31,$p' "$FIX/other/csv.c"; } >"$T/leak/tool.c"
expect_eq "pasted" "$(sed -n '15,74p' "$FIX/proj/src/ring.c")" "$(sed -n '31,90p' "$T/leak/tool.c")"
run_rc "$LP" scan --format json "$T/leak"
expect_eq "exit" 1 "$rc"
expect_eq "asset" src/ring.c "$(jqv '.files[0].matches[0].asset')"
expect_eq "spans" '[{"lines":[31,90],"asset_lines":[15,74],"how":"normalized"}]' \
    "$(jqv '[.files[0].matches[0].spans[] | {lines, asset_lines, how}] | tojson')"
# The evidence is that of the fingerprints: extending a span adds none.
expect_eq "fingerprints" "$(jqv '.files[0].matches[0].fingerprints')" \
    "$(jqv '.files[0].matches[0].spans[0].fingerprints')"
