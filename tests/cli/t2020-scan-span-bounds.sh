#!/usr/bin/env bash
# Span boundaries (issue 15, point 6): a 60-line region of a registered
# file pasted after line 30 of an unrelated file (file lines 31-90) is
# reported with one span of exactly the pasted lines, on the sample's side
# and on the protected file's. Chaining the fingerprints alone stops a line
# short at one end or both (31-89 = 17-75; 32-89 = 25-82): winnowing
# leaves the first and last tokens of a copy without a fingerprint of their
# own, and the span is extended to them. Extending adds no evidence.
. "$(dirname "$0")/lib.sh"
add_proj 1.0
# paste_at FIRST LAST OUT: ring.c lines FIRST-LAST after line 30 of csv.c.
paste_at() {
    { sed -n '1,30p' "$FIX/other/csv.c"; sed -n "$1,$2p" "$FIX/proj/src/ring.c"
      sed -n '31,$p' "$FIX/other/csv.c"; } >"$3"
}
spans() {
    jqv '[.files[0].matches[0].spans[] | {lines, asset_lines, how}] | tojson'
}
mkdir -p "$T/a" "$T/b"
# From the head of pkt_ring_new to the head of pkt_ring_dropped.
paste_at 17 76 "$T/a/tool.c"
expect_eq "pasted" "$(sed -n '17,76p' "$FIX/proj/src/ring.c")" "$(sed -n '31,90p' "$T/a/tool.c")"
run_rc "$LP" scan --format json "$T/a"
expect_eq "exit" 1 "$rc"
expect_eq "asset" src/ring.c "$(jqv '.files[0].matches[0].asset')"
expect_eq "spans" '[{"lines":[31,90],"asset_lines":[17,76],"how":"normalized"}]' "$(spans)"
expect_eq "evidence" "$(jqv '.files[0].matches[0].fingerprints')" \
    "$(jqv '.files[0].matches[0].spans[0].fingerprints')"
# From the middle of pkt_ring_new to the middle of pkt_ring_snapshot.
paste_at 24 83 "$T/b/tool.c"
run_rc "$LP" scan --format json "$T/b"
expect_eq "exit b" 1 "$rc"
expect_eq "spans b" '[{"lines":[31,90],"asset_lines":[24,83],"how":"normalized"}]' "$(spans)"
