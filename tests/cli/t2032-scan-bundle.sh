#!/usr/bin/env bash
# Bundles (issue 15, point 11): a file made of whole registered headers
# matches each of them, each region a match of its own (past
# --max-matches, which bounds the alternatives for one region), and each
# counts in the scope; up to 1000 matches per file, the rest counted in
# matches_more; the text report says "and N more" where it cuts.
. "$(dirname "$0")/lib.sh"

# headers N DIR: N small distinct headers DIR/hdrI.h (printf is a
# builtin: no process per file).
headers() {
    local i=0
    mkdir -p "$2"
    while [ "$i" -lt "$1" ]; do
        printf '%s\n' "/* hdr$i.h: interface of unit $i. */" \
            "#ifndef UNIT${i}_H" "#define UNIT${i}_H" "#include <stddef.h>" "" \
            "struct unit${i}_state {" "    int count_$i;" "    unsigned flags_$i;" \
            "    const char *name_$i;" "    size_t len_$i;" "};" "" \
            "int unit${i}_open(struct unit${i}_state *s, const char *path_$i, unsigned mode_$i);" \
            "int unit${i}_read(struct unit${i}_state *s, void *buf_$i, size_t n_$i);" \
            "int unit${i}_write(struct unit${i}_state *s, const void *buf_$i, size_t n_$i);" \
            "void unit${i}_close(struct unit${i}_state *s);" "" \
            "static inline int unit${i}_ready(const struct unit${i}_state *s)" "{" \
            "    return s->count_$i > $i && (s->flags_$i & $((i * 7 + 3))u) != 0;" \
            "}" "#endif" >"$2/hdr$i.h"
        i=$((i + 1))
    done
}

headers 300 "$T/inc"
"$LP" add -q --name inc --version 1 "$T/inc"
mkdir -p "$T/s"
cat "$T/inc/hdr0.h" "$T/inc/hdr1.h" "$T/inc/hdr2.h" "$T/inc/hdr3.h" >"$T/s/four.h"
cat "$T"/inc/hdr*.h >"$T/s/all.h"

run_rc "$LP" scan --format json "$T/s/four.h"
expect_eq "four: exit" 1 "$rc"
expect_eq "four: matches" '["hdr0.h","hdr1.h","hdr2.h","hdr3.h"]' \
    "$(jqv '[.files[0].matches[].asset] | sort | tojson')"
expect_eq "four: scope" '[4,300]' \
    "$(jqv '.scope.collections[0] | [.assets_matched, .assets_total] | tojson')"
expect_eq "four: no more" null "$(jqv '.files[0].matches_more')"

run_rc "$LP" scan --format json "$T/s/all.h"
expect_eq "all: exit" 1 "$rc"
expect_eq "all: matches" 300 "$(jqv '[.files[0].matches[].asset] | unique | length')"
expect_eq "all: scope" '[300,300,1]' \
    "$(jqv '.scope.collections[0] | [.assets_matched, .assets_total, .coverage] | tojson')"
expect_eq "all: directories" '[{"path":".","matched":300,"files":300}]' \
    "$(jqv '.scope.collections[0].directories | tojson')"
# 300 headers of 20 lines in one file: confirmed by the evidence of all.
expect_eq "all: level" confirmed "$(jqv .verdict.level)"

# --max-matches 1 bounds alternatives, not the assets of a bundle.
run_rc "$LP" scan --format json --max-matches 1 "$T/s/four.h"
expect_eq "four, max 1: matches" 4 "$(jqv '.files[0].matches | length')"

# The text report shows 10 matches of a file, then how many more.
run_rc "$LP" scan "$T/s/all.h"
expect_eq "text: shown" 10 "$(grep -c '^    <- inc:hdr' "$T/out")"
grep -qxF "    ... and 290 more matches" "$T/out" ||
    die "text: no 'and 290 more matches': $(cat "$T/out")"
grep -qE "^SCOPE    inc: 300 of 300 files" "$T/out" || die "text scope"

# Past 1000 matches in one file: the rest is counted, not listed.
headers 1003 "$T/big"
"$LP" add -q --name big --version 1 "$T/big"
cat "$T"/big/hdr*.h >"$T/s/big.h"
run_rc "$LP" scan --format json "$T/s/big.h"
expect_eq "big: exit" 1 "$rc"
# Headers 0-299 of big are those of inc too: both are credited for them.
expect_eq "big: listed" 1000 "$(jqv '.files[0].matches | length')"
listed_big=$(jqv '[.files[0].matches[] | select(.collection == "big")] | length')
expect_eq "big: more" $((1003 + 300 - 1000)) "$(jqv .files[0].matches_more)"
expect_eq "big: scope of big" "$listed_big" \
    "$(jqv '.scope.collections[] | select(.name == "big") | .assets_matched')"
run_rc "$LP" scan "$T/s/big.h"
grep -qxF "    ... and 1293 more matches (--format json lists the first 1000)" \
    "$T/out" || die "text: big: $(grep -F 'more' "$T/out")"
# The JSONL line of the file carries the count too (validated on exit).
run_rc "$LP" scan --format jsonl "$T/s/big.h"
expect_eq "jsonl: more" 303 "$(head -n 1 "$T/out" | jq -r .matches_more)"
