#!/usr/bin/env bash
# Identifiers renamed to hide the origin (functions, parameters, locals),
# comments stripped: found through the abstract stream, spans tagged renamed.
. "$(dirname "$0")/lib.sh"
add_proj 1.0
mkdir -p "$T/leak"
sed -e '/^\s*\/\*/d' -e '/^ \*/d' \
    -e 's/\bpkt_ring_\([a-z]*\)\b/q_\1_op/g' -e 's/\bring_used\b/q_fill/g' \
    -e 's/\br\b/qq/g' -e 's/\bd\b/item/g' -e 's/\bn\b/cnt/g' \
    -e 's/\border\b/bits/g' -e 's/\bsize\b/cap/g' -e 's/\bnow\b/t_now/g' \
    -e 's/\bhorizon\b/win/g' -e 's/\bbuf\b/dst/g' -e 's/\bmax\b/lim/g' \
    -e 's/\bout\b/res/g' -e 's/\bhead\b/h0/g' -e 's/\bi\b/k/g' \
    "$FIX/proj/src/ring.c" >"$T/leak/queue.c"
# The renaming really hides it from the normalized stream: most k-grams
# hold a renamed identifier.
grep -q 'q_push_op(struct pkt_ring \*qq' "$T/leak/queue.c" || die "renaming failed"
run_rc "$LP" scan --format json "$T/leak"
expect_eq "exit" 1 "$rc"
expect_eq "asset" src/ring.c "$(jqv '.files[0].matches[0].asset')"
expect_eq "how" renamed "$(jqv '[.files[0].matches[0].spans[].how] | unique | join(",")')"
expect_at_least "similarity" 0.7 "$(jqv '.files[0].matches[0].similarity')"
# One span from the first function to the last.
expect_one_span_covering "$T/leak/queue.c" 20
expect_eq "level" likely "$(jqv .verdict.level)"
# The text report calls the match renamed.
run_rc "$LP" scan "$T/leak"
grep -q "gw:src/ring.c @1.0  renamed similarity" "$T/out" ||
    die "no renamed match in the text report: $(cat "$T/out")"

