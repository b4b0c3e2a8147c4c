#!/usr/bin/env bash
# The HTML report shows the evidence lines of a member of an archive and
# of a document's text (issue 16: "per file, the evidence: the sample's
# lines"), from the text the scan kept; once they were left out, a note
# saying so. --html-keep-text 0 keeps none: the note again.
. "$(dirname "$0")/lib.sh"
add_proj
cd "$T"
mkdir leak
paste_ring 40 69 leak/tool.c
tar -czf dump.tgz -C leak tool.c
rm -r leak
run_rc "$LP" scan --format html -o report.html dump.tgz
expect_eq "exit" 1 "$rc"
expect_eq "stderr" "" "$(cat "$T/err")"
# line 52 of the member is ring.c's line 46, shown with its number
want=$(sed -n 46p "$FIX/proj/src/ring.c" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g')
grep -qF -- "$want" report.html || die "the member's line 52 is not in the report: $want"
grep -q 'class="ln">    52 ' report.html || die "no line numbered 52"
! grep -q 'id="lines-note"' report.html || die "a note of lines not shown"

# no text kept: the lines are not shown, and the note says why
run_rc "$LP" scan --format html --html-keep-text 0 -o none.html dump.tgz
expect_eq "exit none" 1 "$rc"
! grep -qF -- "$want" none.html || die "line shown with --html-keep-text 0"
grep -q 'The lines of 1 files are not shown: the scan kept no text of them' none.html ||
    die "no note in none.html"

run_rc "$LP" scan --format html --html-keep-text 70000 dump.tgz
expect_eq "bad exit" 2 "$rc"
expect_one_line_error "'70000': invalid value for --html-keep-text \\(0-65536 MiB\\)"
echo ok
