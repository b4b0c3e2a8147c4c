#!/usr/bin/env bash
# A manual converted to plain text (markup gone) and re-wrapped to another
# width still matches its Markdown original, as one span.
. "$(dirname "$0")/lib.sh"
add_proj 1.0
mkdir -p "$T/leak"
sed -e 's/^#* *//' -e 's/[`*]//g' -e 's/^- //' "$FIX/proj/docs/guide.md" |
    fmt -w 38 >"$T/leak/admin-guide.txt"
[ "$(wc -l <"$T/leak/admin-guide.txt")" -gt 35 ] || die "re-wrapping failed"
run_rc "$LP" scan --format json "$T/leak"
expect_eq "exit" 1 "$rc"
expect_eq "asset" docs/guide.md "$(jqv '.files[0].matches[0].asset')"
expect_eq "kind" prose "$(jqv '.files[0].kind')"
expect_at_least "similarity" 0.9 "$(jqv '.files[0].matches[0].similarity')"
# From the first lines to the last (winnowing may skip a few words at
# either end).
expect_one_span_covering "$T/leak/admin-guide.txt" 6
