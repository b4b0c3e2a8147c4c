#!/usr/bin/env bash
# Issue 15, points 1 and 3: a small C header that shares with a registered
# one only scaffolding (its system includes, the C++ guard, and the
# `size_t size);` that ends the declaration before the guard closes) is
# not reported; it once was, at similarity 0.37 (as zstd's fuzz.h against
# xxHash's sort.hh in the real-world benchmark). A copy of the header, its
# names changed, still is.
. "$(dirname "$0")/lib.sh"
F=$FIX/scaffold
"$LP" add -q --name tally "$F/prot"
run_rc "$LP" scan -j 1 --format json "$F/leak"
expect_eq "exit" 0 "$rc"
expect_eq "level" none "$(jqv '.verdict.level')"
expect_eq "files" 0 "$(jqv '.files | length')"
[ ! -s "$T/err" ] || die "stderr: $(cat "$T/err")"

mkdir -p "$T/leak"
sed 's/tally/count/g' "$F/prot/tally_sort.h" > "$T/leak/count_sort.h"
run_rc "$LP" scan -j 1 --format json "$T/leak"
expect_eq "exit copy" 1 "$rc"
expect_eq "matched" '["tally_sort.h"]' \
    "$(jqv '[.files[].matches[0].asset] | tojson')"
echo ok
