#!/usr/bin/env bash
# A reformatted copy (comments stripped, other indentation, braces on their
# own lines, blank lines removed, CRLF) is found with normalized spans.
. "$(dirname "$0")/lib.sh"
add_proj 1.0
mkdir -p "$T/leak"
# Restyle: drop comment lines, indent with tabs, Allman braces, CRLF.
sed -e '/^\s*\/\*/d' -e '/^ \*/d' -e 's/^    /\t/' -e 's/^\(.*[^ ]\) {$/\1\n{/' \
    -e '/^$/d' -e 's/$/\r/' "$FIX/proj/src/ring.c" >"$T/leak/ring_buffer.c"
run_rc "$LP" scan --format json "$T/leak"
expect_eq "exit" 1 "$rc"
expect_eq "asset" "src/ring.c" "$(jqv '.files[0].matches[0].asset')"
expect_eq "exact" false "$(jqv '.files[0].matches[0].exact')"
# No blob has its size, so its SHA-256 is computed only once it matched.
expect_eq "sha256" "$(sha256sum "$T/leak/ring_buffer.c" | cut -c1-64)" \
    "$(jqv '.files[0].sha256')"
expect_eq "how" normalized "$(jqv '.files[0].matches[0].spans[0].how')"
sim=$(jqv '.files[0].matches[0].similarity')
awk -v s="$sim" 'BEGIN { exit !(s >= 0.9) }' || die "similarity $sim < 0.9"
cov=$(jqv '.files[0].matches[0].coverage')
awk -v s="$cov" 'BEGIN { exit !(s >= 0.9) }' || die "coverage $cov < 0.9"
expect_eq "spans" 1 "$(jqv '.files[0].matches[0].spans | length')"
