#!/usr/bin/env bash
# Issue 15 point 5: code commented out in a C file of its own (a block
# comment, a run of "//" lines, "#if 0") is found, with spans on the
# host's lines; a comment of prose, or a licence, finds nothing (comment
# prose is not fingerprinted: docs/ACCURACY.md says why).
. "$(dirname "$0")/lib.sh"
P=$FIX/hosts/proj
"$LP" add -q --name lru --version 1 "$P"
mkdir -p "$T/leak"
cd "$T/leak"
code() { sed -n 90,129p "$P/src/lru.c"; }
own='int main(void)
{
    return 0;
}'
# the function's first line is line 7 of each host
{ echo "$own"; printf '/* old code, kept for reference\n *\n'; code; echo '*/'; } >block.c
{ echo "$own"; printf '// old code\n//\n'; code | sed 's|^|// |'; } >slashes.c
{ echo "$own"; printf '\n#if 0\n'; code; echo '#endif'; } >ifzero.c
{ echo "$own"; sed -n 1,35p "$P/src/lru_conf.h"; } >licence.c
{ echo "$own"; printf '/*\n * The cache keeps entries in an array and evicts the one used\n * least recently; a table finds them by id; see lru.c for more.\n */\n'; } >prose.c
run_rc "$LP" scan --format json .
expect_eq "exit" 1 "$rc"
span() {
    jqv ".files[] | select(.path == \"./$1\") | \"\(.matches[0].asset) \(.matches[0].spans[0].lines[0]) \(.matches[0].spans[-1].lines[1]) \(.matches[0].spans[0].asset_lines[0]) \(.matches[0].spans[-1].asset_lines[1])\""
}
for f in block.c slashes.c; do
    expect_eq "$f" "src/lru.c 7 46 90 129" "$(span "$f")"
done
# "#if 0" and "#endif" are lexed with the code they wrap: the span takes
# them, one line on each side (docs/VERDICT.md, span boundaries).
expect_eq "ifzero.c" "src/lru.c 6 47 89 129" "$(span ifzero.c)"
expect_eq "other comments" "" "$(jqv '.files[] | select(.path == "./prose.c" or .path == "./licence.c") | .path')"
expect_eq "matched" 3 "$(jqv .scope.files_matched)"
