#!/usr/bin/env bash
# A 30-line part of a protected file pasted into an unrelated file is
# reported with the span on both sides.
. "$(dirname "$0")/lib.sh"
add_proj 1.0
mkdir -p "$T/leak"
# Lines 1-45 of csv.c, then ring.c lines 40-69 (push, pop), then the rest.
paste_ring 40 69 "$T/leak/tool.c"
run_rc "$LP" scan --format json "$T/leak"
expect_eq "matched" 1 "$(jqv .scope.files_matched)"
expect_eq "asset" src/ring.c "$(jqv '.files[0].matches[0].asset')"
span=$(jqv '.files[0].matches[0].spans[0] | "\(.lines[0]) \(.lines[1]) \(.asset_lines[0]) \(.asset_lines[1])"')
read -r t0 t1 a0 a1 <<<"$span"
# The copy is target lines 46-75 = asset lines 40-69; the span must cover
# most of it and stay inside it (give or take a k-gram at the edges).
[ "$t0" -ge 45 ] && [ "$t0" -le 50 ] || die "span starts at $t0: $span"
[ "$t1" -ge 70 ] && [ "$t1" -le 76 ] || die "span ends at $t1: $span"
[ $((a0 - t0)) -eq -6 ] && [ $((a1 - t1)) -eq -6 ] || die "asset side off: $span"
sim=$(jqv '.files[0].matches[0].similarity')
awk -v s="$sim" 'BEGIN { exit !(s < 0.6) }' || die "similarity $sim too high for a partial copy"
