#!/usr/bin/env bash
# scan --history all reads the history of a suspect git repository: a
# protected file committed, then deleted in the next commit, is still in
# every clone. The plain scan (the current files) finds nothing; with
# --history all the file is found once, under its path in the repository,
# with the commit that added it and that commit's day, in JSON, JSONL (read
# back by merge), text and SARIF. A bare clone gives the same. A bad value
# is a one-line usage error.
. "$(dirname "$0")/lib.sh"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
add_proj 1.0
g() { git -C "$T/repo" -c user.name=t -c user.email=t@example.com "$@"; }
commit() {
    g add -A
    GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" g commit -q -m "$2"
}
git init -q -b main "$T/repo"
cp "$FIX/other/csv.c" "$T/repo/csv.c"
mkdir "$T/repo/lib"
cp "$FIX/proj/src/ring.c" "$T/repo/lib/queue.c"
commit 2024-01-10T10:00:00Z one
c1=$(g rev-parse HEAD)
g rm -q lib/queue.c
commit 2024-02-01T10:00:00Z deleted

cd "$T"
run_rc "$LP" scan --format json repo
expect_eq "plain exit" 0 "$rc"
expect_eq "plain matched" 0 "$(jqv .scope.files_matched)"
expect_eq "plain scanned" 1 "$(jqv .scope.files_scanned)"
run_rc "$LP" scan --format json --history none repo
expect_eq "none exit" 0 "$rc"
expect_eq "none matched" 0 "$(jqv .scope.files_matched)"

run_rc "$LP" scan --format json --history all repo
expect_eq "history exit" 1 "$rc"
expect_eq "history scanned" 2 "$(jqv .scope.files_scanned)"
expect_eq "history files" \
    "repo/lib/queue.c src/ring.c true $c1 2024-01-10" \
    "$(jqv '[.files[] | "\(.path) \(.matches[0].asset) \(.matches[0].exact) \(.commit) \(.commit_date)"] | join("|")')"

# JSONL, read back (jsonl_read.h) and written as JSON again: the same
# bytes, commit included.
RT=$BUILD_DIR/tools/jsonl_roundtrip
[ -x "$RT" ] || die "$RT is not built (make test builds it)"
run_rc "$LP" scan --format json --history all repo
cp "$T/out" "$T/direct.json"
run_rc "$LP" scan --format jsonl --history all repo
expect_eq "jsonl exit" 1 "$rc"
expect_eq "jsonl" "$c1 2024-01-10" \
    "$(head -n 1 "$T/out" | jq -r '"\(.commit) \(.commit_date)"')"
"$RT" json "$T/out" >"$T/back.json" || die "jsonl not read back"
cmp -s "$T/direct.json" "$T/back.json" || die "JSON read back from JSONL differs"

# Text: the commit's short id and day after the path.
run_rc "$LP" scan --color never --history all repo
expect_eq "text exit" 1 "$rc"
expect_eq "text" "  repo/lib/queue.c  [code]  (in commit ${c1:0:12}, 2024-01-10)" \
    "$(grep -F 'repo/lib/queue.c' "$T/out" | head -n 1)"

run_rc "$LP" scan --format sarif --history all repo
expect_eq "sarif" "$c1 2024-01-10" \
    "$(jqv '.runs[0].results[0].properties | "\(.commit) \(.commit_date)"')"

# A bare clone: HEAD's tree is the current files.
git clone -q --bare --no-local repo bare.git
run_rc "$LP" scan --format json bare.git
expect_eq "bare plain" "0 0" "$rc $(jqv .scope.files_matched)"
run_rc "$LP" scan --format json --history all bare.git
expect_eq "bare exit" 1 "$rc"
expect_eq "bare" "bare.git/lib/queue.c $c1" \
    "$(jqv '[.files[] | "\(.path) \(.commit)"] | join("|")')"

run_rc "$LP" scan --history some repo
expect_eq "bad value exit" 2 "$rc"
expect_one_line_error "^leakprint: 'some': invalid value for --history \(none or all\)$"
