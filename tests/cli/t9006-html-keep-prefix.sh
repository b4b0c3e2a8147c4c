#!/usr/bin/env bash
# The text kept for the HTML report's lines (--html-keep-text) is each
# matched file's as far as its spans reach: a member of 2.5 MB whose copy
# is at its top costs the budget a few KB, so 1 MiB is enough to show its
# lines (the whole member was kept, or nothing when over the budget).
. "$(dirname "$0")/lib.sh"
add_proj
cd "$T"
mkdir leak
paste_ring 40 69 leak/tool.c
awk 'BEGIN { for (i = 0; i < 40000; i++)
    printf "/* a generated tail, line %d, of no code at all: padding */\n", i }' >>leak/tool.c
[ "$(wc -c <leak/tool.c)" -gt 2000000 ] || die "tool.c is not over 2 MB"
tar -czf dump.tgz -C leak tool.c
rm -r leak
run_rc "$LP" scan --format html --html-keep-text 1 -o report.html dump.tgz
expect_eq "exit" 1 "$rc"
expect_eq "stderr" "" "$(cat "$T/err")"
want=$(sed -n 46p "$FIX/proj/src/ring.c" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g')
grep -qF -- "$want" report.html || die "the member's line 52 is not in the report: $want"
grep -q 'class="ln">    52 ' report.html || die "no line numbered 52"
! grep -q 'id="lines-note"' report.html || die "a note of lines not shown"
! grep -q 'generated tail, line 100,' report.html || die "lines far past the spans are in the report"
echo ok
