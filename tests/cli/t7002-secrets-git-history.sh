#!/usr/bin/env bash
# secrets reads the history of a git repository: a token added in one
# commit, kept while the file was edited, then removed, is found once, with
# the commit that added it and its date; a secret on a branch never merged
# too; a secret still in HEAD and the working tree is found once, in the
# current file, with no commit. --history none reads the current files
# only. A bare clone gives the same findings.
. "$(dirname "$0")/lib.sh"
export XDG_CACHE_HOME=$T/cache
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
g() { git -C "$T/repo" -c user.name=t -c user.email=t@example.com "$@"; }
# commit DATE MESSAGE: commits everything with that author and commit date.
commit() {
    g add -A
    GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" g commit -q -m "$2"
}
tok=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
aws=AKIAZZZZ2222EXAMPLEX
git init -q -b main "$T/repo"
printf 'name: app\nGITHUB_TOKEN=%s\n' "$tok" >"$T/repo/config.yml"
echo 'hello' >"$T/repo/README"
commit 2024-01-10T10:00:00Z one
c1=$(g rev-parse HEAD)
# Edited around the token: a new blob that holds it again.
printf 'name: app2\nGITHUB_TOKEN=%s\n' "$tok" >"$T/repo/config.yml"
commit 2024-02-01T10:00:00Z edit
printf 'name: app2\n' >"$T/repo/config.yml"
commit 2024-03-01T10:00:00Z removed
# A branch never merged, with a key of its own.
g checkout -q -b wip
printf 'export AWS_ACCESS_KEY_ID=%s\n' "$aws" >"$T/repo/deploy.sh"
commit 2024-04-01T10:00:00Z wip
c4=$(g rev-parse HEAD)
g checkout -q main
echo 'unrelated' >"$T/repo/notes.txt"
printf 'AWS_ACCESS_KEY_ID=%s\n' "$aws" >"$T/repo/keys.env"
commit 2024-05-01T10:00:00Z three

cd "$T"
run_rc "$LP" secrets --format json repo
expect_eq "exit" 1 "$rc"
expect_eq "findings" \
    "repo/config.yml 2:14 github-pat $c1 2024-01-10|repo/deploy.sh 1:26 aws-access-key-id $c4 2024-04-01|repo/keys.env 1:19 aws-access-key-id - -" \
    "$(jqv '[.secrets[] | "\(.path) \(.line):\(.column) \(.rule) \(.commit // "-") \(.commit_date // "-")"] | join("|")')"
expect_eq "summary" "3" "$(jqv '.summary.secrets')"
expect_eq "no commit field on current files" "false" \
    "$(jqv '.secrets[2] | has("commit") or has("commit_date")')"

# Text: the commit's short id and day after the finding.
run_rc "$LP" secrets repo
expect_eq "text exit" 1 "$rc"
expect_eq "text" \
    "repo/config.yml:2:14  github-pat  ghp_********  (GitHub personal access token (classic), high, entropy 4.8)  (in commit ${c1:0:12}, 2024-01-10)" \
    "$(head -n 1 "$T/out")"
expect_eq "text current" \
    "repo/keys.env:1:19  aws-access-key-id  AKIA********  (AWS access key ID, high, entropy 3.1)" \
    "$(sed -n 3p "$T/out")"

# jsonl: the same fields.
run_rc "$LP" secrets --format jsonl repo
expect_eq "jsonl" "$c1 2024-01-10" "$(head -n 1 "$T/out" | jq -r '"\(.commit) \(.commit_date)"')"
run_rc "$LP" secrets --format sarif repo
expect_eq "sarif" "$c1 2024-01-10" "$(jqv '.runs[0].results[0].properties | "\(.commit) \(.commit_date)"')"

# --history none: the files on disk only.
run_rc "$LP" secrets --format json --history none repo
expect_eq "none exit" 1 "$rc"
expect_eq "none" "repo/keys.env -" \
    "$(jqv '[.secrets[] | "\(.path) \(.commit // "-")"] | join("|")')"
run_rc "$LP" secrets --history some repo
expect_eq "bad value exit" 2 "$rc"
expect_one_line_error "'some': invalid value for --history"

# A bare clone (every branch): HEAD's tree is the current files.
git clone -q --bare --no-local repo bare.git
run_rc "$LP" secrets --format json bare.git
expect_eq "bare exit" 1 "$rc"
expect_eq "bare" \
    "bare.git/config.yml $c1 2024-01-10|bare.git/deploy.sh $c4 2024-04-01|bare.git/keys.env - -" \
    "$(jqv '[.secrets[] | "\(.path) \(.commit // "-") \(.commit_date // "-")"] | join("|")')"
run_rc "$LP" secrets --format json --history none bare.git
expect_eq "bare none" "bare.git/keys.env" "$(jqv '[.secrets[].path] | join("|")')"

# scan is unchanged: the current files only.
"$LP" add -q --name gw "$FIX/proj"
run_rc "$LP" scan --secrets --format json repo
expect_eq "scan" "repo/keys.env -" \
    "$(jqv '[.secrets[] | "\(.path) \(.commit // "-")"] | join("|")')"

# A working-tree change is current: the committed blob it replaces is
# history (keys.env of the last commit).
printf 'AWS_ACCESS_KEY_ID=none\n' >repo/keys.env
run_rc "$LP" secrets --format json repo
expect_eq "edited" "repo/keys.env $(g rev-parse HEAD)" \
    "$(jqv '[.secrets[] | select(.path == "repo/keys.env") | "\(.path) \(.commit)"] | join("|")')"

for f in "$T"/out "$T"/err; do
    ! grep -q -e "$tok" -e "$aws" "$f" || die "value in $f"
done
echo ok
