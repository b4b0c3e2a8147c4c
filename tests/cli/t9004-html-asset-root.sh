#!/usr/bin/env bash
# --asset-root NAME=DIR (issue 16): the HTML report shows the asset's lines,
# read from a checkout of the collection, beside the sample's; in the
# browser (with and without JavaScript) the asset's pane holds the asset's
# own identifiers where the sample was renamed. From a git repository, the
# asset as the matched version has it. A bad value is one line on stderr,
# exit 2.
. "$(dirname "$0")/lib.sh"
. "$HELPERS/browser.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$T"
"$LP" add -q --name acme-gateway --version 2.4.1 "$ROOT/demo/protected"
cp "$ROOT/demo/leak/misc/pktq.c" .
run_rc "$LP" scan --format html --asset-root "acme-gateway=$ROOT/demo/protected" -o r.html pktq.c
expect_eq "exit" 1 "$rc"
expect_eq "stderr" "" "$(cat "$T/err")"
expect_eq "side by side" 1 "$(grep -c '<div class="side">' r.html)"
grep -qF "<p class=\"cap\">asset <span class=\"path\">$ROOT/demo/protected/src/ring.c</span>, lines 15&ndash;139</p>" r.html ||
    die "no asset pane: $(grep -o '<p class="cap">asset[^<]*' r.html)"
expect_eq "loads" "" "$(python3 "$HTML_CHECK" external r.html)"
for js in on off; do
    if [ $js = on ]; then dump_dom "$T/r.html" >dom.html
    else NOJS=1 dump_dom "$T/r.html" >dom.html; fi ||
        die "chromium --dump-dom failed: $(tail -n 3 "$T/chromium.err")"
    python3 "$HTML_CHECK" dom dom.html >dom.json
    # the sample renamed round_up_pow2 (the asset's) to next_pow
    expect_eq "$js: panes" 2 "$(jq '.lines | length' dom.json)"
    expect_eq "$js: sample" 1 "$(jq '[.lines[0] | select(contains("next_pow(uint32_t x)"))] | length' dom.json)"
    expect_eq "$js: asset" 1 "$(jq '[.lines[1] | select(contains("round_up_pow2(uint32_t v)"))] | length' dom.json)"
done
# without the option: the sample's lines only
run_rc "$LP" scan --format html -o plain.html pktq.c
expect_eq "no root" 0 "$(grep -c 'class="side"' plain.html)"

# a git repository: the asset as the matched version has it, not as the
# working tree has it now (v2.0 added lines at the top of ring.c)
g() { git -C "$T/repo" -c user.name=t -c user.email=t@example.com "$@"; }
git init -q repo
cp -r "$FIX/proj/." repo/
g add -A
GIT_COMMITTER_DATE=2024-01-10T10:00:00Z g commit -q -m one
g tag v1.0
{ printf '/* v2.0 header %s */\n' 1 2 3; cat "$FIX/proj/src/ring.c"; } >repo/src/ring.c
g add -A
GIT_COMMITTER_DATE=2024-03-01T10:00:00Z g commit -q -m two
g tag v2.0
export LEAKPRINT_DB=$T/reg2
"$LP" add -q --history=tags --name gw repo
cp "$FIX/proj/src/ring.c" ring.c
run_rc "$LP" scan --format html --asset-root gw=repo -o git.html ring.c
expect_eq "git exit" 1 "$rc"
grep -qF '<p class="cap">asset <span class="path">repo/src/ring.c at version v1.0</span>' git.html ||
    die "no asset pane of v1.0: $(grep -o '<p class="cap">asset[^<]*<span[^<]*' git.html)"
! grep -q 'v2.0 header' git.html || die "the working tree's ring.c was shown, not v1.0's"
export LEAKPRINT_DB=$T/reg

run_rc "$LP" scan --format html --asset-root acme-gateway pktq.c
expect_eq "no dir exit" 2 "$rc"
expect_one_line_error "^leakprint: 'acme-gateway': --asset-root wants NAME=DIR$"
run_rc "$LP" scan --format html --asset-root "acme-gateway=$T/none" pktq.c
expect_eq "missing dir exit" 2 "$rc"
expect_one_line_error "^leakprint: '$T/none': no such file or directory \(--asset-root\)$"
run_rc "$LP" scan --format html --asset-root "acme-gateway=$T/pktq.c" pktq.c
expect_eq "file exit" 2 "$rc"
expect_one_line_error "^leakprint: '$T/pktq.c': not a directory \(--asset-root\)$"
