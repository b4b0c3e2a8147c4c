#!/usr/bin/env bash
# The HTML report's caps and the secrets page (issue 16): --html-max-lines
# and --html-max-file-lines cap the sample lines shown, and a note says
# how many were left out; 0 shows none; a bad value is one line on stderr.
# `secrets --format html` shows each secret masked (no character of a
# value beyond its public prefix), with its category, and the footer's
# command line has no --password value. A line of a matched file that
# holds a secret found with --secrets is not shown.
. "$(dirname "$0")/lib.sh"
. "$HELPERS/browser.sh"
add_proj
cd "$T"
mkdir leak
cp "$FIX/proj/src/ring.c" "$FIX/proj/src/config.c" leak/
lines() { grep -o '<span class="ln">' "$1" | wc -l; }

run_rc "$LP" scan --format html -o all.html leak
expect_eq "exit" 1 "$rc"
total=$(lines all.html)
expect_at_least "lines shown by default" 40 "$total"
! grep -q 'lines-note' all.html || die "a note without a cap"

run_rc "$LP" scan --format html --html-max-lines 10 -o capped.html leak
expect_eq "capped exit" 1 "$rc"
expect_eq "capped lines" 10 "$(lines capped.html)"
grep -qE 'id="lines-note">Sample lines left out for the caps \(10 in all, 200 per file\): [0-9]+ lines of 1 files shown in part; the lines of 1 more files not shown, the total reached.' capped.html ||
    die "no note on the cap: $(grep -o 'id="lines-note">[^<]*' capped.html)"

run_rc "$LP" scan --format html --html-max-file-lines 4 -o perfile.html leak
expect_eq "per-file lines" 8 "$(lines perfile.html)"
expect_eq "per-file notes" 2 "$(grep -c 'more lines of this file not shown' perfile.html)"

run_rc "$LP" scan --format html --html-max-lines 0 -o none.html leak
expect_eq "no lines" 0 "$(lines none.html)"

run_rc "$LP" scan --format html --html-max-lines=-3 leak
expect_eq "bad value exit" 2 "$rc"
expect_one_line_error "^leakprint: '-3': invalid value for --html-max-lines \(0-10000000\)$"

# secrets: masked, never a value; the footer leaves the password out
mkdir app
{
    printf 'AWS_ACCESS_KEY_ID=AKIAZZZZ2222EXAMPLEX\n'
    printf 'password = "P4ssw0rd-Zk81-Qv73-Hm55"\n'
} >app/conf.env
run_rc "$LP" secrets --format html -o secrets.html --password 'Hunter<2>' app
expect_eq "secrets exit" 1 "$rc"
for v in ZZZZ2222 Zk81-Qv73 'Hunter'; do
    ! grep -q -- "$v" secrets.html || die "secrets.html shows part of a value: $v"
done
grep -q '<td class="path">AKIA\*\*\*\*\*\*\*\*</td>' secrets.html || die "no masked AWS key"
grep -q -- '--password \*\*\* app</code>' secrets.html || die "footer: $(grep -o 'command: .*' secrets.html)"
# both spellings getopt takes (a shorter prefix is ambiguous with
# --password-file)
run_rc "$LP" secrets --format html -o secrets2.html --password=Hunter3 --password Hunter4 app
expect_eq "secrets2 exit" 1 "$rc"
! grep -q Hunter secrets2.html || die "secrets2.html shows a password"
grep -q -- '--password=\*\*\* --password \*\*\* app</code>' secrets2.html ||
    die "footer: $(grep -o 'command: .*' secrets2.html)"
expect_eq "loads" "" "$(python3 "$HTML_CHECK" external secrets.html)"
dump_dom "$T/secrets.html" >dom.html || die "chromium --dump-dom failed"
python3 "$HTML_CHECK" dom dom.html >dom.json
expect_eq "secrets level" "2 found" "$(jq -r .level dom.json)"

# scan --secrets: the matched file's line that holds a secret is hidden
{ sed -n 1,40p "$FIX/proj/src/ring.c"; echo '    k = "AKIAZZZZ2222EXAMPLEX";'
  sed -n '41,$p' "$FIX/proj/src/ring.c"; } >leak/ring.c
run_rc "$LP" scan --secrets --format html -o withsecret.html leak
expect_eq "scan --secrets exit" 1 "$rc"
! grep -q ZZZZ2222 withsecret.html || die "a line shows a secret"
grep -q 'a secret was found on this line: not shown' withsecret.html || die "no hidden line"
