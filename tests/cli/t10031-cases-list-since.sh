#!/usr/bin/env bash
# cases list --since (an RFC 3339 UTC time, a date, or an age: 30m, 12h,
# 7d) keeps the cases changed since then; --format jsonl writes one case
# per line; both are for list only, and a bad value is one line.
. "$(dirname "$0")/lib.sh"
cd "$T"
"$LP" add -q --name vault --version 1.0 "$FIX/watch/vault"
mkdir in cases
cp "$FIX/watch/vault/src/ledger.c" in/a-leak.c
run_rc "$LP" watch --inbox in --cases cases/c.db --once
expect_eq "watch exit" 0 "$rc"
list() { run_rc "$LP" cases --cases cases/c.db list "$@"; }

list --since 1d --format jsonl
expect_eq "since 1d exit" 0 "$rc"
expect_eq "since 1d" '1 new likely 1' "$(jq -r '"\(.id) \(.status) \(.level) \(.items)"' "$T/out")"
expect_eq "jsonl lines" 1 "$(wc -l <"$T/out")"
list --since 2000-01-01T00:00:00Z --format json
expect_eq "since 2000" '[1]' "$(jq -c '[.[].id]' "$T/out")"
list --since 2999-01-01 --format json
expect_eq "since 2999" '[]' "$(jq -c '[.[].id]' "$T/out")"
list --since 2999-01-01 --format jsonl
expect_eq "since 2999 jsonl" "" "$(cat "$T/out")"
list --since 2999-01-01
expect_eq "since 2999 text exit" 0 "$rc"

list --since yesterday
expect_eq "bad since exit" 2 "$rc"
expect_one_line_error "^leakprint: 'yesterday': invalid value for --since \(an RFC 3339 UTC time, a date YYYY-MM-DD, or an age such as 30m, 12h, 7d\)$"
run_rc "$LP" cases --cases cases/c.db show 1 --since 1d
expect_eq "show since exit" 2 "$rc"
expect_one_line_error "^leakprint: cases show: --since is for list$"
run_rc "$LP" cases --cases cases/c.db status --format jsonl
expect_eq "status jsonl exit" 2 "$rc"
expect_one_line_error "^leakprint: cases status: --format jsonl is for list$"
echo ok
