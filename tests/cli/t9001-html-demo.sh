#!/usr/bin/env bash
# The HTML report of the demo in a real browser (issue 16): headless
# Chromium renders it to a screenshot whose pixels vary; the DOM it dumps
# after loading holds the verdict, every path of the JSON report of the
# same scan and the three charts, with JavaScript (whose filter box then
# exists) and without (no filter box, the same content); and the page
# loads nothing from outside itself.
. "$(dirname "$0")/lib.sh"
. "$HELPERS/browser.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
"$LP" add -q --name acme-gateway --version 2.4.1 demo/protected
run_rc "$LP" scan --format json demo/leak
expect_eq "json exit" 1 "$rc"
cp "$T/out" "$T/report.json"
run_rc "$LP" scan --format html -o "$T/report.html" demo/leak
expect_eq "html exit" 1 "$rc"
expect_eq "html stderr" "" "$(cat "$T/err")"
expect_eq "html stdout" "" "$(cat "$T/out")"
cd "$T"

# (e) nothing from outside: no element or attribute that loads, and the
# policy that forbids it
expect_eq "loads" "" "$(python3 "$HTML_CHECK" external report.html)"
expect_eq "csp" "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:" \
    "$(python3 "$HTML_CHECK" dom report.html | jq -r .csp)"

# (a) a screenshot that a person can look at: not blank
chromium_run --window-size=900,1200 --screenshot="$T/shot.png" "file://$T/report.html" >/dev/null ||
    die "chromium --screenshot failed: $(tail -n 3 "$T/chromium.err")"
read -r w h colours share < <(python3 "$HTML_CHECK" png shot.png)
expect_eq "screenshot size" "900 1200" "$w $h"
expect_at_least "screenshot colours" 50 "$colours"
expect_at_least "screenshot share not background" 0.05 "$share"

# (b) the DOM after loading, scripts run
paths=$(jq -r '[.files[].path] | sort | join("|")' report.json)
expect_eq "json paths" 8 "$(jq '.files | length' report.json)"
check_dom() { # WHAT FILTER: the dumped DOM in dom.html
    python3 "$HTML_CHECK" dom dom.html >dom.json
    expect_eq "$1 level" "$(jq -r .verdict.level report.json)" "$(jq -r .level dom.json)"
    expect_eq "$1 summary" "$(jq -r .verdict.summary report.json)" "$(jq -r .summary dom.json)"
    expect_eq "$1 paths" "$paths" "$(jq -r '.paths | sort | join("|")' dom.json)"
    expect_eq "$1 charts" "coverage-0 directories-0 timeline-0" "$(jq -r '.svg | join(" ")' dom.json)"
    expect_eq "$1 filter box" "$2" "$(jq -r .filter dom.json)"
    expect_eq "$1 handlers" "" "$(jq -r '.handlers | join(" ")' dom.json)"
}
dump_dom "$T/report.html" >dom.html || die "chromium --dump-dom failed: $(tail -n 3 "$T/chromium.err")"
check_dom "scripts on" true
# sorted by evidence: the pasted function (similarity 0.14) comes last
expect_eq "last row" "demo/leak/misc/flowtop.c" "$(jq -r '.paths[-1]' dom.json)"
# the sample's lines are shown (the files are on disk as scanned)
expect_eq "line text" 1 "$(jq '[.lines[] | select(test("agw_cli_tokenize"))] | length > 0 | if . then 1 else 0 end' dom.json)"

# (c) the same with JavaScript off: the same content, no filter box
NOJS=1 dump_dom "$T/report.html" >dom.html ||
    die "chromium --dump-dom failed: $(tail -n 3 "$T/chromium.err")"
check_dom "scripts off" false
