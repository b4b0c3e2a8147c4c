#!/usr/bin/env bash
# A file listing posted as "proof" (find, tree, ls -R, ls -lR, git
# ls-files, unzip -l, tar tv), made here by the real tools under another
# root, is recognised and matched against the registry's paths: the
# collection, how many of its files it names, and the directories. A
# listing is at most "likely"; unrelated paths sharing only common names
# (Makefile, README.md) name nothing.
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/core"
cd "$T/core"
for d in src/net src/db tools docs; do
    mkdir -p "$d"
    for i in 1 2 3 4 5 6 7 8 9 10; do
        printf '/* %s %s */\nint f_%s(void) { return %s; }\n' "$d" "$i" "$i" "$i" >"$d/mod_$i.c"
    done
done
printf 'all:\n' >Makefile
printf '# core\n' >README.md
"$LP" add -q --name core --version 2.3 .
mkdir -p "$T/leak/core-2.3"
cp -r "$T/core/." "$T/leak/core-2.3/"
rm "$T/leak/core-2.3/docs/mod_10.c"       # the seller's copy lacks a file
printf 'x\n' >"$T/leak/core-2.3/extra.txt" # and has one more
cd "$T/leak"
mkdir "$T/l"
find . >"$T/l/find.txt"
tree core-2.3 >"$T/l/tree.txt"
tree --charset=ascii core-2.3 >"$T/l/tree-ascii.txt"
ls -R core-2.3 >"$T/l/ls-R.txt"
ls -lR core-2.3 >"$T/l/ls-lR.txt"
(cd core-2.3 && git init -q && git add . && git ls-files >"$T/l/git-ls-files.txt" && rm -rf .git)
zip -qr "$T/core.zip" core-2.3 && unzip -l "$T/core.zip" >"$T/l/unzip-l.txt"
tar cf "$T/core.tar" core-2.3 && tar tvf "$T/core.tar" >"$T/l/tar-tv.txt"

for f in find tree tree-ascii ls-R ls-lR git-ls-files unzip-l tar-tv; do
    run_rc "$LP" scan --format json "$T/l/$f.txt"
    expect_eq "$f exit" 1 "$rc"
    expect_eq "$f level" likely "$(jqv .verdict.level)"
    # a listing is not a matched file: in "listings", not in "files"
    expect_eq "$f files" "0 1" "$(jqv '"\(.files | length) \(.listings | length)"')"
    expect_eq "$f named" "core 41 42" \
        "$(jqv '.listings[0].listing.collections[0] | "\(.name) \(.assets_named) \(.assets_total)"')"
    expect_eq "$f dirs" "src/db 10/10 src/net 10/10 tools 10/10 docs 9/10" \
        "$(jqv '[.listings[0].listing.collections[0].directories[] | select(.path != ".") | "\(.path) \(.matched)/\(.files)"] | join(" ")')"
done
expect_eq "formats" "find tree tree ls-r ls-l paths unzip tar-tv" \
    "$(for f in find tree tree-ascii ls-R ls-lR git-ls-files unzip-l tar-tv; do
           "$LP" scan --format json "$T/l/$f.txt" | jq -r '.listings[0].listing.format'; done | tr '\n' ' ' | sed 's/ $//')"
"$LP" scan "$T/l/tree.txt" >"$T/out" || true
grep -q "core: tree listing of 42 files names 41 of its 42 files (listed under 'core-2.3')" "$T/out" ||
    die "text: $(cat "$T/out")"

# Unrelated paths that share only common names: no hit, verdict none.
mkdir -p "$T/other/a/b" && cd "$T/other"
touch Makefile README.md a/Makefile a/b/README.md a/x.py a/b/y.py a/b/z.rs
find . >"$T/l/other.txt"
run_rc "$LP" scan --format json "$T/l/other.txt"
expect_eq "other exit" 0 "$rc"
expect_eq "other level" none "$(jqv .verdict.level)"
expect_eq "other files" 0 "$(jqv '.files | length')"
