#!/usr/bin/env bash
# add where it used to go wrong: a path that does not exist, or a tree with
# no file, is an error that records nothing (and creates no registry);
# adds within one second get distinct default version names; a registry
# found inside the tree is skipped and said to be; messages name an input
# by the path the user gave ('dir/x.tar.gz!member', 'repo!file').
. "$(dirname "$0")/lib.sh"
DB=$LEAKPRINT_DB

run_rc "$LP" add "$T/nope"
expect_eq "missing path exit" 2 "$rc"
expect_one_line_error "^leakprint: '$T/nope': "
[ ! -e "$DB" ] || die "a failed add created the registry"
mkdir "$T/empty"
run_rc "$LP" add "$T/empty"
expect_eq "empty tree exit" 2 "$rc"
expect_eq "empty tree" "leakprint: '$T/empty': no file to register (nothing was added)" "$(cat "$T/err")"
[ ! -e "$DB" ] || die "an add of nothing created the registry"

add_proj 1.0
"$LP" list --format json >"$T/list0.json"
run_rc "$LP" add --name gw --version 2.0 "$T/empty"
expect_eq "empty tree into a registry exit" 2 "$rc"
expect_eq "empty tree into a registry" "leakprint: '$T/empty': no file to register (nothing was added)" "$(cat "$T/err")"
"$LP" list --format json >"$T/list1.json"
cmp -s "$T/list0.json" "$T/list1.json" || die "an add of nothing changed the registry: $(cat "$T/list1.json")"

# Five adds in a row without --version: some fall within one second.
for i in 1 2 3 4 5; do
    run_rc "$LP" add -q --name burst "$FIX/proj/src"
    expect_eq "add $i within a second exit" 0 "$rc"
done
run_rc "$LP" list --format json
names=$(jqv '.collections[] | select(.name == "burst") | .versions[].name')
expect_eq "versions" 5 "$(echo "$names" | sort -u | wc -l)"
echo "$names" | grep -qvE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z(-[0-9]+)?$' \
    && die "a default version name of another form: $names"

# Another registry inside the tree: skipped and said; the own one silently.
mkdir -p "$T/tree/src"
cp "$FIX/other/csv.c" "$T/tree/src/"
"$LP" --db "$T/tree/other.db" add -q --name x "$FIX/proj/docs"
cp "$FIX/proj/src/ring.c" "$T/tree/ring.c"
head -c 60 "$T/tree/ring.c" | gzip >"$T/tree/bad.gz"
head -c 30 "$T/tree/bad.gz" >"$T/tree/cut.gz" && rm "$T/tree/bad.gz"
run_rc "$LP" --db "$T/tree/own.db" add --name tree "$T/tree"
run_rc "$LP" --db "$T/tree/own.db" add --name tree --version 2 "$T/tree"
expect_eq "tree exit" 2 "$rc"
grep -qx "leakprint: '$T/tree/other.db': a leakprint registry (skipped)" "$T/err" \
    || die "the inner registry is not named: $(cat "$T/err")"
grep -q "own.db" "$T/err" && die "the own registry was named: $(cat "$T/err")"
# ... and the damaged member is named by the path given, not 'cut.gz!cut'.
grep -q "^leakprint: '$T/tree/cut.gz!cut': " "$T/err" \
    || die "the damaged member is not named by its full path: $(cat "$T/err")"
expect_eq "stderr lines" 2 "$(wc -l <"$T/err")"
run_rc "$LP" --db "$T/tree/own.db" list --format json
expect_eq "tree files" 3 "$(jqv '.collections[0].versions[1].files')"

# A git repository with a missing blob: named 'repo!path'. Its Makefile is
# a content no earlier add read: one whose git blob id the registry knows
# is not read at all (t3008: add records the id of every content).
git init -q "$T/broken.git"
cp "$FIX/proj/Makefile" "$FIX/proj/src/ring.c" "$T/broken.git/"
echo '# broken' >>"$T/broken.git/Makefile"
git -C "$T/broken.git" add .
git -C "$T/broken.git" -c user.name=t -c user.email=t@example.com commit -qm one
obj=$(git -C "$T/broken.git" rev-parse HEAD:Makefile)
rm -f "$T/broken.git/.git/objects/${obj:0:2}/${obj:2}"
run_rc "$LP" add --history=none "$T/broken.git"
expect_eq "broken repository exit" 2 "$rc"
expect_one_line_error "^leakprint: '$T/broken.git!Makefile': blob $obj: "
exit 0
