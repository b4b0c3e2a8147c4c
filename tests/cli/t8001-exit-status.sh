#!/usr/bin/env bash
# Exit status of scan and secrets (CONTRACT.md): 1 when anything was found
# (a leak at likely or confirmed, a secret), even if some inputs could not
# be read; else 2 when one could not be read wholly, or on a usage error;
# 0 only when everything was read and nothing found. Each input not read
# is one line on stderr naming it, and an entry of the report's "skipped".
. "$(dirname "$0")/lib.sh"
cd "$T"
add_proj 1.0
mkdir leak clean app quiet
cp "$FIX/proj/src/ring.c" leak/
cp "$FIX/other/csv.c" clean/
printf '# settings\nAWS_ACCESS_KEY_ID=AKIAZZZZ2222EXAMPLEX\n' >app/.env
printf 'db: 10.1.2.3\n' >quiet/net.yml
printf 'nothing to see\n' >quiet/readme.txt

# expect_status WHAT CODE STDERR: the last run's exit code, and its stderr:
# empty when STDERR is "", else exactly one line matching it.
expect_status() {
    expect_eq "$1: exit" "$2" "$rc"
    if [ -z "$3" ]; then
        expect_eq "$1: stderr" "" "$(cat "$T/err")"
    else
        expect_one_line_error "$3"
    fi
}
link_skip() { echo "^leakprint: '$1': symbolic link not followed \\(skipped\\)$"; }

# scan
run_rc "$LP" scan --format json leak
expect_status "leak only" 1 ""
expect_eq "leak only: found" true "$(jqv '.verdict.level | IN("likely", "confirmed")')"
expect_eq "leak only: skipped" 0 "$(jqv '.skipped | length')"
run_rc "$LP" scan --format json clean
expect_status "clean, all read" 0 ""
expect_eq "clean: level" none "$(jqv .verdict.level)"

# a symbolic link is not followed (dangling or not): a skipped input
ln -s /nonexistent leak/gone.c
ln -s csv.c clean/link.c
run_rc "$LP" scan --format json leak
expect_status "leak and a link not read" 1 "$(link_skip leak/gone.c)"
expect_eq "leak and a link: found" true "$(jqv '.verdict.level | IN("likely", "confirmed")')"
expect_eq "leak and a link: skipped" "leak/gone.c" "$(jqv '.skipped[].path')"
run_rc "$LP" scan --format jsonl leak
expect_status "leak and a link, jsonl" 1 "$(link_skip leak/gone.c)"
run_rc "$LP" scan --format json clean
expect_status "nothing found, a link not read" 2 "$(link_skip clean/link.c)"
expect_eq "nothing found: skipped" 1 "$(jqv .scope.files_unreadable)"
run_rc "$LP" scan clean
expect_status "nothing found, text" 2 "$(link_skip clean/link.c)"

# a file over --max-file-size is not read either
rm clean/link.c leak/gone.c
head -c 10000 /dev/zero | tr '\0' 'x' >big.txt
cp big.txt leak/ && cp big.txt clean/
run_rc "$LP" scan --format json --max-file-size 8K leak
expect_status "leak and a file too large" 1 \
    "^leakprint: 'leak/big.txt': file larger than 8192 bytes \\(skipped\\)$"
run_rc "$LP" scan --format json --max-file-size 8K clean
expect_status "nothing found, a file too large" 2 \
    "^leakprint: 'clean/big.txt': file larger than 8192 bytes \\(skipped\\)$"
# several targets: the one not read wholly does not hide the other's leak
run_rc "$LP" scan --format json --max-file-size 8K clean/big.txt leak/ring.c
expect_status "two targets, one not read" 1 "'clean/big.txt': file larger than"
# a target that does not exist is said, and the others are still read
run_rc "$LP" scan --format json nosuch leak/ring.c
expect_status "a missing target and a leak" 1 \
    "^leakprint: 'nosuch': No such file or directory$"
expect_eq "missing target: skipped" "nosuch" "$(jqv '.skipped[].path')"
expect_eq "missing target: the other read" "leak/ring.c" "$(jqv '.files[].path')"
run_rc "$LP" scan --format json clean/csv.c nosuch
expect_status "a missing target, nothing found" 2 \
    "^leakprint: 'nosuch': No such file or directory$"
run_rc "$LP" secrets --format json nosuch app
expect_status "secrets: a missing target and a secret" 1 \
    "^leakprint: 'nosuch': No such file or directory$"

# secrets: a secret counts, an exposure does not
run_rc "$LP" secrets --format json app
expect_status "secret only" 1 ""
run_rc "$LP" secrets --format json quiet
expect_status "an exposure, all read" 0 ""
expect_eq "an exposure: reported" 1 "$(jqv '.exposures | length')"
ln -s /nonexistent app/gone.env
ln -s readme.txt quiet/link.txt
run_rc "$LP" secrets --format json app
expect_status "secret and a link not read" 1 "$(link_skip app/gone.env)"
run_rc "$LP" secrets --format jsonl app
expect_status "secret and a link, jsonl" 1 "$(link_skip app/gone.env)"
run_rc "$LP" secrets --format json quiet
expect_status "no secret, a link not read" 2 "$(link_skip quiet/link.txt)"
expect_eq "no secret: skipped" "quiet/link.txt" "$(jqv '.skipped[].path')"
# scan --secrets: a secret is a finding of scan too
run_rc "$LP" scan --secrets --format json app
expect_status "scan --secrets, secret and a link" 1 "$(link_skip app/gone.env)"
expect_eq "scan --secrets: level" none "$(jqv .verdict.level)"
rm app/gone.env quiet/link.txt
run_rc "$LP" scan --secrets --format json quiet
expect_status "scan --secrets, nothing found" 0 ""

# usage errors
run_rc "$LP" scan --format xml leak
expect_status "scan, unknown format" 2 "'xml': unknown format"
run_rc "$LP" secrets --format json
expect_status "secrets, no target" 2 "secrets: no target given"
