#!/usr/bin/env bash
# A file that repeats itself: 60 blocks of the same 45 table rows, each
# after a line of its own. Every fingerprint of the rows is at 60 places of
# the asset, so a reformatted copy gives 236,998 pairs with it, more than
# span building takes whole (SPAN_PAIRS_MAX, src/match.c): the repeated
# fingerprints keep only their places next to the diagonal of the distinct
# lines. The copy (two lines added on top, comments removed) is still found
# as one span of the whole table, two lines down.
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/prot" "$T/leak"
awk 'BEGIN {
    print "/* a table of test programs, generated */"
    print "static const struct bpf_case cases[] = {"
    split("MOV ADD SUB MUL DIV LSH RSH AND OR XOR", op, " ")
    for (b = 0; b < 60; b++) {
        printf "    CASE(unique_case_%d, \"check %d\", expect_%d),\n", b, b, b * 7
        for (i = 0; i < 45; i++)
            printf "        INSN(BPF_ALU64_IMM(BPF_%s, R%d, %d)), /* step */\n",
                   op[i % 10 + 1], int(i / 10), i
    }
    print "};"
}' > "$T/prot/cases.c"
expect_eq "lines" 2763 "$(wc -l < "$T/prot/cases.c")"
{ printf '// copied\n// from the vendor\n'; sed 's|  */\* step \*/||' "$T/prot/cases.c"; } \
    > "$T/leak/cases.c"
"$LP" add -q --name tab "$T/prot"
run_rc "$LP" scan -j 1 --format json "$T/leak"
expect_eq "exit" 1 "$rc"
expect_eq "asset" cases.c "$(jqv '.files[0].matches[0].asset')"
expect_eq "exact" false "$(jqv '.files[0].matches[0].exact')"
expect_eq "similarity" 1 "$(jqv '.files[0].matches[0].similarity')"
expect_eq "coverage" 1 "$(jqv '.files[0].matches[0].coverage')"
expect_eq "spans" '[{"lines":[5,2764],"asset_lines":[3,2762],"how":"normalized"}]' \
    "$(jqv '[.files[0].matches[0].spans[] | {lines, asset_lines, how}] | tojson')"
[ ! -s "$T/err" ] || die "stderr: $(cat "$T/err")"
echo ok
