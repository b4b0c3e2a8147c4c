#!/usr/bin/env bash
# Hostile input stays text in the HTML report (issue 16): a protected file
# leaked under the name "<img src=x onerror=alert(1)>.c", once on disk and
# once as a member of a tar archive, with a line holding a <script> that
# would mark the page, and a second name whose handler would do so too.
# After Chromium loaded the page, the DOM holds the names and the line as
# text, no img element and no handler, the page's body is unmarked (nothing
# ran), and the page loads nothing from outside itself.
. "$(dirname "$0")/lib.sh"
. "$HELPERS/browser.sh"
add_proj
cd "$T"
mkdir leak
img='<img src=x onerror=alert(1)>.c'
mark="<img src=x onerror=document.body.setAttribute('data-pwned',1)>.c"
script="<script>document.body.setAttribute('data-pwned','2')</script>"
{ sed -n 1,3p "$FIX/proj/src/ring.c"; echo "// $script"; sed -n '4,$p' "$FIX/proj/src/ring.c"; } >"leak/$img"
cp "$FIX/proj/src/config.c" "leak/$mark"
tar -cf dump.tar -C leak .
run_rc "$LP" scan --format json leak dump.tar
expect_eq "json exit" 1 "$rc"
cp "$T/out" report.json
expect_eq "json paths" "dump.tar!./$img|dump.tar!./$mark|leak/$img|leak/$mark" \
    "$(jq -r '[.files[].path] | sort | join("|")' report.json)"
run_rc "$LP" scan --format html -o report.html leak dump.tar
expect_eq "html exit" 1 "$rc"
expect_eq "html stderr" "" "$(cat "$T/err")"

# the file as written: the names escaped, nothing that loads
expect_eq "loads" "" "$(python3 "$HTML_CHECK" external report.html)"
grep -qF '&lt;img src=x onerror=alert(1)&gt;.c' report.html || die "the name is not escaped text"
! grep -qF '<img' report.html || die "an img tag in the page"
expect_eq "script tags" 1 "$(grep -o '<script' report.html | wc -l)"

for js in on off; do
    if [ $js = on ]; then dump_dom "$T/report.html" >dom.html
    else NOJS=1 dump_dom "$T/report.html" >dom.html; fi ||
        die "chromium --dump-dom failed: $(tail -n 3 "$T/chromium.err")"
    python3 "$HTML_CHECK" dom dom.html >dom.json
    expect_eq "$js: img elements" null "$(jq -r '.tags.img' dom.json)"
    expect_eq "$js: script elements" 1 "$(jq -r '.tags.script' dom.json)"
    expect_eq "$js: handlers" "" "$(jq -r '.handlers | join(" ")' dom.json)"
    expect_eq "$js: body not marked" "{}" "$(jq -c '.body_attrs' dom.json)"
    expect_eq "$js: paths as text" "$(jq -r '[.files[].path] | sort | join("|")' report.json)" \
        "$(jq -r '.paths | sort | join("|")' dom.json)"
    # the line is shown as text, for the file on disk and for the
    # archive's member (from the text the scan kept)
    expect_eq "$js: script line as text" 2 \
        "$(jq --arg s "$script" '[.lines[] | select(contains("// " + $s))] | length' dom.json)"
done
