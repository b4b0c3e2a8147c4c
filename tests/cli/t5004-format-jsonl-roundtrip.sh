#!/usr/bin/env bash
# JSONL read back: a report of scan or secrets, read into the result model
# (jsonl_read.h, through tests/tools/jsonl_roundtrip) and written again, is
# byte for byte the JSON document, the JSONL lines, the text and the SARIF
# report the run writes itself: the demo, the fixtures, an archive with
# members not read, file listings, a git history registered version by
# version, scan --secrets against a registry that knows a secret, and
# secrets with a baseline, with a registry and in a git history. A report
# cut short or tampered with fails with one line naming FILE:LINE.
. "$(dirname "$0")/lib.sh"
export XDG_CACHE_HOME=$T/cache
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
RT=$BUILD_DIR/tools/jsonl_roundtrip
[ -x "$RT" ] || die "$RT is not built (make test builds it)"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# same CMD ARG...: runs `leakprint CMD --format F ARG...` for each format,
# reads the JSONL back and writes each format from it: the same bytes, by
# the stream reader and by the buffer reader.
n=0
same() {
    local cmd=$1 f d
    shift
    n=$((n + 1))
    d=$T/rt$n
    mkdir -p "$d"
    for f in jsonl json text sarif; do
        run_rc "$LP" "$cmd" --format $f -j 2 "$@"
        cp "$T/out" "$d/direct.$f"
    done
    [ "$(tail -c 1 "$d/direct.jsonl" | od -An -c | tr -d ' ')" = '\n' ] ||
        die "case $n: no JSONL written"
    for f in jsonl json text sarif; do
        "$RT" $f "$d/direct.jsonl" >"$d/back.$f" 2>"$d/err" ||
            die "case $n ($cmd $*): $(cat "$d/err")"
        if ! cmp -s "$d/direct.$f" "$d/back.$f"; then
            diff "$d/direct.$f" "$d/back.$f" | head -6 >&2
            die "case $n ($cmd $*): $f read back differs"
        fi
    done
    "$RT" --buf json "$d/direct.jsonl" | cmp -s - "$d/direct.json" ||
        die "case $n ($cmd $*): the buffer reader differs"
}

# 1-2. The demo: a leak, and clean material.
"$LP" add -q --name acme-gateway --version 2.4.1 "$ROOT/demo/protected"
same scan "$ROOT/demo/leak"
expect_eq "demo level" confirmed "$(jq -r .verdict.level "$T/rt1/back.json")"
same scan "$ROOT/demo/clean"

# 3. The fixtures, against a second collection and public material.
add_proj 1.0
"$LP" add -q --name tools --public "$FIX/tools"
same scan "$FIX"

# 4. An archive with a member that cannot be read (encrypted), beside one
# that matches.
cd "$T"
mkdir arch
cp "$FIX/proj/src/ring.c" arch/
zip -q -P s3cret arch/enc.zip arch/ring.c
cp -r "$FIX/proj" arch/copy
tar czf arch.tgz arch
same scan arch.tgz
expect_eq "skipped read back" 1 "$(jq '.skipped | length' "$T/rt4/back.json")"

# 5. File listings of the protected tree.
mkdir lists
(cd "$FIX" && find proj) >lists/find.txt
(cd "$FIX" && ls -lR proj) >lists/ls-lR.txt
same scan lists
expect_eq "listing read back" 2 \
    "$(jq '.listings | length' "$T/rt5/back.json")"

# 6. A git history registered version by version: the copy of its second
# commit is dated by the versions consistent with it.
g() { git -C "$T/repo" -c user.name=t -c user.email=t@example.com "$@"; }
commit() {
    g add -A
    GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" g commit -q -m "$2"
}
git init -q -b main repo
cp -r "$FIX/proj/src" repo/
commit 2024-01-10T10:00:00Z one
printf '/* more */\nint more(void) { return 2; }\n' >>repo/src/ring.c
commit 2024-02-01T10:00:00Z two
cp -r repo/src copy2
printf 'int gone(void);\n' >>repo/src/ring.c
commit 2024-03-01T10:00:00Z three
"$LP" add -q --name hist --history=all repo
same scan copy2

# 7. scan --secrets against a registry whose collection holds the secret.
mkdir -p vault app
printf 'AWS_ACCESS_KEY_ID=AKIAZZZZ2222EXAMPLEX\n' >vault/keys.env
"$LP" add -q --name vault vault
printf 'AWS_ACCESS_KEY_ID=AKIAZZZZ2222EXAMPLEX\ndb: 10.1.2.3\n' >app/.env
printf 'GITHUB_TOKEN=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\n' >app/ci.yml
printf 'ci: https://build01.eu.acme.corp/jobs\n' >app/net.yml
cp "$FIX/proj/src/ring.c" app/
same scan --secrets app
expect_eq "known read back" true "$(jq '.secrets[0].known' "$T/rt7/back.json")"

# 8-9. secrets with the registry, then with a baseline of part of it.
same secrets app
"$LP" secrets --write-baseline base.json app/.env >/dev/null || true
same secrets --baseline base.json app
expect_eq "baselined read back" 2 \
    "$(jq .summary.baselined "$T/rt9/back.json")"

# 10. secrets in a git history: findings with their commits.
tok=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
printf 'GITHUB_TOKEN=%s\nhost: 10.0.0.7\n' "$tok" >repo/config.yml
commit 2024-04-01T10:00:00Z token
printf 'name: app\n' >repo/config.yml
commit 2024-05-01T10:00:00Z removed
same secrets repo
expect_eq "commit read back" 2024-04-01 \
    "$(jq -r '.secrets[0].commit_date' "$T/rt10/back.json")"

# A report cut short, a line after the last, a name the last line lacks.
d=$T/rt1
head -n 2 "$d/direct.jsonl" >cut.jsonl
run_rc "$RT" json cut.jsonl
expect_eq "cut exit" 2 "$rc"
expect_eq "cut" "jsonl_roundtrip: cut.jsonl:2: the report ends before its last line" "$(cat "$T/err")"
{ cat "$d/direct.jsonl"; head -n 1 "$d/direct.jsonl"; } >after.jsonl
lines=$(wc -l <"$d/direct.jsonl")
run_rc "$RT" json after.jsonl
expect_eq "after" "jsonl_roundtrip: after.jsonl:$((lines + 1)): a line after the last line" "$(cat "$T/err")"
sed '1s/"collection":"acme-gateway"/"collection":"acme-other"/' "$d/direct.jsonl" >renamed.jsonl
run_rc "$RT" json renamed.jsonl
expect_eq "unknown" "jsonl_roundtrip: renamed.jsonl:1: unknown collection 'acme-other' (not in the last line)" "$(cat "$T/err")"
