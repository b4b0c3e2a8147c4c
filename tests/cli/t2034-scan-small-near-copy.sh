#!/usr/bin/env bash
# Issue 15 point 7: a small near-copy is found. lru_conf.h (2 KB, 48
# lines: a comment that is mostly a licence, then an include guard around
# ten short #define lines) with 4 of its lines changed (92% identical: the
# title, the copyright year and two values) is found by the fingerprints
# of short k-grams that small files also get; the span covers the
# preprocessor lines, not the licence.
. "$(dirname "$0")/lib.sh"
P=$FIX/hosts/proj
"$LP" add -q --name lru --version 1 "$P"
mkdir -p "$T/leak"
sed -e 's/build-time settings/compile-time settings/' \
    -e 's/2024 The Fixture/2025 The Fixture/' \
    -e 's/LRU_CONF_MIN_CAP 8/LRU_CONF_MIN_CAP 16/' \
    -e 's/LRU_CONF_TRACE 0/LRU_CONF_TRACE 1/' "$P/src/lru_conf.h" >"$T/leak/conf.h"
expect_eq "changed lines" 4 "$(diff "$P/src/lru_conf.h" "$T/leak/conf.h" | grep -c '^<')"
expect_eq "size" "48 2256" "$(wc -lc <"$T/leak/conf.h" | awk '{print $1, $2}')"
run_rc "$LP" scan --format json "$T/leak"
expect_eq "exit" 1 "$rc"
expect_eq "match" "src/lru_conf.h 36 48 36 48" "$(jqv '.files[0].matches[0] | "\(.asset) \(.spans[0].lines[0]) \(.spans[-1].lines[1]) \(.spans[0].asset_lines[0]) \(.spans[-1].asset_lines[1])"')"
expect_eq "similarity" 0.56 "$(jqv '.files[0].matches[0].similarity')"
