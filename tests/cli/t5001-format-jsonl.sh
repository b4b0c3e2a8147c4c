#!/usr/bin/env bash
# JSONL: one line per matched file, then the verdict and scope line; the
# output is the same whatever the number of threads.
. "$(dirname "$0")/lib.sh"
add_proj 1.0
cp -r "$FIX/proj" "$T/leak"
cp -r "$FIX/other" "$T/leak/other"
run_rc "$LP" scan --format jsonl -j 1 "$T/leak"
expect_eq "exit" 1 "$rc"
expect_eq "lines" 6 "$(wc -l <"$T/out")"
expect_eq "last line" confirmed "$(tail -1 "$T/out" | jq -r .verdict.level)"
expect_eq "first path" "$T/leak/Makefile" "$(head -1 "$T/out" | jq -r .path)"
cp "$T/out" "$T/one"
run_rc "$LP" scan --format jsonl -j 4 "$T/leak"
cmp -s "$T/one" "$T/out" || die "output differs between -j 1 and -j 4"
run_rc "$LP" scan --format json -o "$T/report.json" "$T/leak"
expect_eq "-o exit" 1 "$rc"
expect_eq "-o stdout empty" 0 "$(wc -c <"$T/out")"
expect_eq "-o file" confirmed "$(jq -r .verdict.level "$T/report.json")"
