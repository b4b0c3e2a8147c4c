#!/usr/bin/env bash
# Command-line conventions: a bad option is one line naming it and pointing
# to the command's --help (never the help page); the global options --db
# and --color may follow the command; --help anywhere.
. "$(dirname "$0")/lib.sh"
cd "$T"
add_proj
# expect_usage WANT ARGS...: exit 2, exactly the one line WANT on stderr,
# nothing on stdout.
expect_usage() {
    local want=$1
    shift
    run_rc "$LP" "$@"
    expect_eq "exit of $*" 2 "$rc"
    expect_eq "stderr of $*" "$want" "$(cat "$T/err")"
    expect_eq "stdout of $*" "" "$(cat "$T/out")"
}
expect_usage "leakprint: scan: unknown option '--frob' (see leakprint scan --help)" \
    scan --frob "$FIX/proj"
expect_usage "leakprint: scan: unknown option '--frob' (see leakprint scan --help)" \
    scan --frob=1 "$FIX/proj"
expect_usage "leakprint: scan: option '--format' needs a value (see leakprint scan --help)" \
    scan "$FIX/proj" --format
expect_usage "leakprint: scan: option '-f' needs a value (see leakprint scan --help)" \
    scan "$FIX/proj" -qf
expect_usage "leakprint: scan: option '--quiet' takes no value (see leakprint scan --help)" \
    scan --quiet=yes "$FIX/proj"
expect_usage "leakprint: scan: ambiguous option '--max' (see leakprint scan --help)" \
    scan --max 3 "$FIX/proj"
expect_usage "leakprint: scan: unknown option '-Z' (see leakprint scan --help)" \
    scan -Zq "$FIX/proj"
expect_usage "leakprint: add: option '--name' needs a value (see leakprint add --help)" \
    add "$FIX/proj" --name
expect_usage "leakprint: secrets: unknown option '--frob' (see leakprint secrets --help)" \
    secrets --frob "$FIX/proj"
expect_usage "leakprint: list: unknown option '--frob' (see leakprint list --help)" list --frob
expect_usage "leakprint: stats: unknown option '-x' (see leakprint stats --help)" stats -x
expect_usage "leakprint: remove: unknown option '--frob' (see leakprint remove --help)" \
    remove --frob gw
expect_usage "leakprint: unknown option '--frob' (see leakprint --help)" --frob list
# The options are read before the registry is opened: a wrong one is named
# even where there is no registry.
for c in scan list stats add; do
    expect_usage "leakprint: $c: unknown option '--frob' (see leakprint $c --help)" \
        --db "$T/none" $c --frob "$FIX/proj"
done
[ ! -e "$T/none" ] || die "a wrong option of add made a registry"
expect_usage "leakprint: option '--db' needs a value (see leakprint --help)" --db
expect_usage "leakprint: no command given (see leakprint --help)" --db "$T/reg"
expect_usage "leakprint: scan: option '--db' needs a value (see leakprint scan --help)" \
    scan "$FIX/proj" --db
expect_usage "leakprint: 'rainbow': invalid value for --color (auto, always or never)" \
    list --color=rainbow

# --db after the command, in both forms, in every command; it wins over
# $LEAKPRINT_DB (which names no registry here).
unset LEAKPRINT_DB
mkdir empty && cd empty
run_rc "$LP" scan -q --db "$T/reg" --format json "$FIX/proj"
expect_eq "scan --db after exit" 1 "$rc"
expect_eq "scan --db after" "confirmed" "$(jqv .verdict.level)"
run_rc "$LP" scan -q "$FIX/proj" --db="$T/reg" --format json
expect_eq "scan --db= after exit" 1 "$rc"
run_rc "$LP" list --db "$T/reg" --format json
expect_eq "list --db after" "gw" "$(jqv '.collections[0].name')"
run_rc "$LP" stats --format=json --db="$T/reg"
expect_eq "stats --db= after" 1 "$(jqv .collections)"
run_rc "$LP" add -q --db "$T/reg2" --name second "$FIX/proj"
expect_eq "add --db after exit" 0 "$rc"
[ -d "$T/reg2" ] || die "add --db after: no registry made at $T/reg2"
[ ! -e leakprint.db ] || die "add --db after: made ./leakprint.db"
run_rc "$LP" remove second --db "$T/reg2"
expect_eq "remove --db after" "removed collection 'second'" "$(cat "$T/out")"
printf 'AKIA%s\n' QZ5XJ7RT2LMN4KPW >key.txt
run_rc "$LP" secrets -q key.txt --db "$T/reg" --format json
expect_eq "secrets --db after exit" 1 "$rc"
# After "--", --db is an argument like any other: a target not found.
run_rc "$LP" scan -q --db "$T/reg" --format json -- --db
expect_eq "after -- exit" 2 "$rc"
expect_eq "after --" "--db" "$(jqv '.skipped[0].path')"
# --help anywhere before "--" prints the command's page on stdout.
run_rc "$LP" scan -q --help "$FIX/proj"
expect_eq "--help later exit" 0 "$rc"
grep -q -- '--min-similarity' "$T/out" || die "scan -q --help: no page"
expect_eq "--help later stderr" "" "$(cat "$T/err")"
