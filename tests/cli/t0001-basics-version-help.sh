#!/usr/bin/env bash
# --version, --help, unknown commands and options.
. "$(dirname "$0")/lib.sh"
run_rc "$LP" --version
expect_eq "version exit" 0 "$rc"
expect_eq "version" "leakprint 0.1.0" "$(cat "$T/out")"
run_rc "$LP" --help
expect_eq "help exit" 0 "$rc"
grep -q '^ *leakprint \[GLOBAL\] add' "$T/out" || die "help lacks usage"
run_rc "$LP" scan --help
expect_eq "scan help exit" 0 "$rc"
grep -q -- '--min-similarity' "$T/out" || die "scan help lacks options"
run_rc "$LP" frobnicate
expect_eq "unknown command exit" 2 "$rc"
expect_one_line_error "^leakprint: 'frobnicate': unknown command"
run_rc "$LP"
expect_eq "no command exit" 2 "$rc"
