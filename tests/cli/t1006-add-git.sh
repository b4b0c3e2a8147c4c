#!/usr/bin/env bash
# add --history reads a git repository's commits (nothing checked out):
# tags or every commit become versions dated by their commits, each blob is
# read once, versions already registered are skipped; scan reads the HEAD
# tree of a bare repository or a .git directory.
. "$(dirname "$0")/lib.sh"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
g() { git -C "$T/repo" -c user.name=t -c user.email=t@example.com "$@"; }
# commit DATE MESSAGE: commits everything with that author and commit date.
commit() {
    g add -A
    GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" g commit -q -m "$2"
}
git init -q "$T/repo"
cp -r "$FIX/proj/." "$T/repo/"
commit 2024-01-10T10:00:00Z one
g tag v1.0
echo 'int extra(void) { return 42; }' >>"$T/repo/src/ring.c"
commit 2024-03-01T10:00:00Z two
g tag -a v1.1 -m release
echo 'int more(void) { return 7; }' >>"$T/repo/src/config.c"
ln -s src/ring.c "$T/repo/link.c" # a link is not a file: not registered
commit 2024-05-01T10:00:00Z three
# Uncommitted changes are not part of any commit.
echo 'garbage' >>"$T/repo/Makefile"

run_rc "$LP" add --history=tags --name gw "$T/repo"
expect_eq "tags exit" 0 "$rc"
expect_eq "tags summary" "added 2 versions, 10 files (12925 bytes, 6 new contents, 305 fingerprints)" "$(cat "$T/out")"
run_rc "$LP" list --format json
expect_eq "versions" "v1.0 2024-01-10T10:00:00Z,v1.1 2024-03-01T10:00:00Z" \
    "$(jqv '[.collections[0].versions[] | "\(.name) \(.created)"] | join(",")')"
# Again: nothing new.
run_rc "$LP" add --history=tags --name gw "$T/repo"
expect_eq "again" "added 0 versions, 0 files (0 bytes, 0 new contents, 0 fingerprints)" "$(cat "$T/out")"

# Every commit, in another collection: 3 versions named by commit id; one
# new content only (config.c of the third commit).
# The link of the newest commit is named as skipped, once (exit 2, as for a
# link in a directory).
run_rc "$LP" add --history=all --name every "$T/repo"
expect_eq "all exit" 2 "$rc"
expect_eq "all summary" "added 3 versions, 15 files (19432 bytes, 1 new contents, 88 fingerprints); some paths were skipped (see above)" "$(cat "$T/out")"
expect_one_line_error "repo/link.c': symbolic link not followed \(skipped\)"
head=$(g rev-parse HEAD | cut -c1-12)
run_rc "$LP" list --format json
expect_eq "newest commit" "$head" "$(jqv '.collections[] | select(.name == "every") | .versions[-1].name')"

# HEAD only, named by --version.
run_rc "$LP" add --history=none --name head --version rc1 "$T/repo"
expect_eq "none summary" "added 1 versions, 5 files (6507 bytes, 0 new contents, 0 fingerprints); some paths were skipped (see above)" "$(cat "$T/out")"

# Scan a bare clone: its HEAD tree, under the clone's path.
git clone -q --bare "$T/repo" "$T/bare.git"
run_rc "$LP" scan --format json "$T/bare.git"
expect_eq "bare exit" 1 "$rc" # found, though the link was not read
expect_one_line_error "bare.git/link.c': symbolic link not followed \(skipped\)"
expect_eq "bare files" 5 "$(jqv '.scope.files_scanned')"
expect_eq "bare ring" "gw v1.1" "$(jqv '.files[] | select(.path | endswith("bare.git/src/ring.c")) | .matches[0] | "\(.collection) \(.version)"')"

# A blob over --max-file-size is named as skipped before it is inflated.
run_rc "$LP" scan --max-file-size 1K --format json "$T/bare.git"
expect_eq "large blob exit" 1 "$rc" # the other files still match
grep -q "bare.git/src/ring.c': file larger than 1024 bytes (skipped)" "$T/err" ||
    die "no skip line for the large blob: $(cat "$T/err")"

# The first version of ring.c is consistent with v1.0 only.
g show v1.0:src/ring.c >"$T/ring-v1.c"
run_rc "$LP" scan --format json "$T/ring-v1.c"
expect_eq "dated" "v1.0" "$(jqv '.scope.collections[] | select(.name == "gw") | .versions.consistent | join(",")')"
expect_eq "dated json" "2024-01-10T10:00:00Z" "$(jqv '.scope.collections[] | select(.name == "gw") | .versions.dated | join(",")')"
run_rc "$LP" scan "$T/ring-v1.c"
grep -q "the sample is consistent with version v1.0 only (dated 2024-01-10)" "$T/out" ||
    die "no dated attribution in: $(cat "$T/out")"
# Makefile and the first ring.c: only v1.0 holds both; the Makefile alone
# is in both tags: the range and its dates.
g show v1.0:Makefile >"$T/Makefile"
run_rc "$LP" scan "$T/Makefile"
grep -q "consistent with 2 versions, v1.0..v1.1 (dated 2024-01-10..2024-03-01)" "$T/out" ||
    die "no version range in: $(cat "$T/out")"
# Directories of the bare clone's scan: matched files against each
# directory's files in the best version.
run_rc "$LP" scan --format json "$T/bare.git"
expect_eq "directories" ".:1/1 docs:1/1 scripts:1/1 src:1/2" \
    "$(jqv '.scope.collections[] | select(.name == "gw") | [.directories[] | "\(.path):\(.matched)/\(.files)"] | join(" ")')"

# A later add reads only the blobs it has not seen: the Makefile's blob is
# deleted from the repository, yet the next tag, which still holds it,
# registers (its id names a registered blob).
echo 'int later(void) { return 1; }' >>"$T/repo/src/ring.c"
g add src/ring.c
GIT_AUTHOR_DATE=2024-06-01T10:00:00Z GIT_COMMITTER_DATE=2024-06-01T10:00:00Z \
    g commit -q -m four
g tag v1.2
mk=$(g rev-parse v1.2:Makefile)
rm "$T/repo/.git/objects/${mk:0:2}/${mk:2}"
run_rc "$LP" add --history=tags --name gw "$T/repo"
expect_eq "cached exit" 2 "$rc" # the link only
expect_one_line_error "repo/link.c': symbolic link not followed"
expect_eq "cached summary" "added 1 versions, 5 files (6537 bytes, 1 new contents, 88 fingerprints); some paths were skipped (see above)" "$(cat "$T/out")"

# A history longer than --max-versions is refused, nothing registered.
run_rc "$LP" add --history=all --max-versions 2 --name capped "$T/repo"
expect_eq "capped exit" 2 "$rc"
expect_one_line_error "repo': 4 new versions, more than --max-versions 2"
run_rc "$LP" list --format json
expect_eq "capped absent" 0 "$(jqv '[.collections[] | select(.name == "capped")] | length')"

# Errors: not a repository; two paths.
run_rc "$LP" add --history=tags "$FIX/proj"
expect_eq "not a repo exit" 2 "$rc"
expect_one_line_error "proj': not a git repository"
run_rc "$LP" add --history=all "$T/repo" "$T/repo"
expect_eq "two paths exit" 2 "$rc"
expect_one_line_error "exactly one repository"
run_rc "$LP" add --history=some "$T/repo"
expect_eq "bad history exit" 2 "$rc"
expect_one_line_error "invalid value for --history"
