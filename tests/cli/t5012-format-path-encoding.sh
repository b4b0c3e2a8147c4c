#!/usr/bin/env bash
# Names that are no valid UTF-8, or that hold controls: one reversible
# encoding (docs/ENCODING.md). Text: a byte of no text as \xNN, a
# bidirectional control as \uNNNN, a backslash as \\ (so a real name
# "back\xc3" is told from a name holding the byte 0xc3). JSON: valid UTF-8
# (U+FFFD for each such byte) and the exact bytes in path_b64 / asset_b64,
# only then; a JSONL report read back gives the same bytes.
. "$(dirname "$0")/lib.sh"
export XDG_CACHE_HOME=$T/cache
RT=$BUILD_DIR/tools/jsonl_roundtrip
[ -x "$RT" ] || die "$RT is not built (make test builds it)"
cd "$T"
mkdir prot leak
cp "$FIX/proj/src/ring.c" "prot/$(printf 'ring\xff.c')"
"$LP" add -q --name core prot
cp "$FIX/proj/src/ring.c" "leak/$(printf 'bad\xc3(.c')"
cp "$FIX/proj/src/ring.c" 'leak/back\xc3(.c'
cp "$FIX/proj/src/ring.c" "leak/$(printf 'r\xe2\x80\xaeing.c')"
printf 'AWS_ACCESS_KEY_ID=AKIAZZZZ2222EXAMPLEX\n' >"leak/$(printf 'k\xfe.env')"

# text
run_rc "$LP" scan leak
expect_eq "exit" 1 "$rc"
expect_eq "text paths" '  leak/back\\xc3(.c  [code]|  leak/bad\xc3(.c  [code]|  leak/r\u202eing.c  [code]' \
    "$(grep '^  leak/' "$T/out" | tr '\n' '|' | sed 's/|$//')"
expect_eq "text asset" '    <- core:ring\xff.c' "$(grep -m1 -o '^    <- core:[^ ]*' "$T/out")"
! LC_ALL=C grep -q "$(printf '[\x80-\xff]')" "$T/out" || die "a byte above 0x7f in the text report"

# JSON: U+FFFD and the exact bytes beside it; a valid name has no *_b64
run_rc "$LP" scan --format json leak
b64() { printf '%s' "$1" | base64 -w 0; }
expect_eq "json bad" "leak/bad$(printf '\xef\xbf\xbd')(.c $(b64 "$(printf 'leak/bad\xc3(.c')")" \
    "$(jqv '.files[] | select(.path | startswith("leak/bad")) | "\(.path) \(.path_b64)"')"
expect_eq "json backslash" 'leak/back\xc3(.c null' \
    "$(jqv '.files[] | select(.path | startswith("leak/back")) | "\(.path) \(.path_b64)"')"
expect_eq "json bidi" "leak/r$(printf '\xe2\x80\xae')ing.c null" \
    "$(jqv '.files[] | select(.path | startswith("leak/r")) | "\(.path) \(.path_b64)"')"
expect_eq "json asset" "$(b64 "$(printf 'ring\xff.c')")" "$(jqv '.files[0].matches[0].asset_b64')"
# the bytes decode to the name on disk
name=$(jqv '.files[] | select(.path_b64) | .path_b64' | base64 -d)
[ -f "$name" ] || die "path_b64 does not name the file"

# secrets: the same
run_rc "$LP" secrets --format json leak
expect_eq "secret path" "$(b64 "$(printf 'leak/k\xfe.env')")" "$(jqv '.secrets[0].path_b64')"
run_rc "$LP" secrets leak
expect_eq "secret text" 'leak/k\xfe.env:1:19' "$(head -n 1 "$T/out" | cut -d' ' -f1)"

# JSONL read back: the same JSON and text, byte for byte
for f in json text; do
    run_rc "$LP" scan --format $f leak
    cp "$T/out" "$T/direct.$f"
done
run_rc "$LP" scan --format jsonl leak
cp "$T/out" "$T/direct.jsonl"
for f in json text; do
    "$RT" $f "$T/direct.jsonl" >"$T/back.$f" || die "read back failed"
    cmp -s "$T/direct.$f" "$T/back.$f" || die "$f read back differs"
done
# a path_b64 that is not base64 is refused, naming the line
sed 's/"path_b64":"[^"]*"/"path_b64":"@@@"/' "$T/direct.jsonl" >"$T/bad.jsonl"
set +e
"$RT" json "$T/bad.jsonl" >/dev/null 2>"$T/err"
rc=$?
set -e
expect_eq "bad b64 exit" 1 "$(( rc != 0 ))"
grep -q "bad.jsonl:[0-9]*: 'path_b64': not the base64 of a name" "$T/err" || die "bad b64: $(cat "$T/err")"

# a registered secret and a listing's registry root under names that are
# no UTF-8: known_in and registry_root get their bytes too, and come back
# from JSONL
mkdir -p "$T/p2/$(printf 'sr\xffc')/net" "$T/l2"
printf 'AWS_ACCESS_KEY_ID=AKIAZZZZ2222EXAMPLEX\n' >"$T/p2/$(printf 'k\xfe.env')"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
    printf '/* net %s */\nint f_%s(void) { return %s; }\n' $i $i $i \
        >"$T/p2/$(printf 'sr\xffc')/net/mod_$i.c"
done
"$LP" --db "$T/reg2" add -q --name core2 "$T/p2"
printf 'AWS_ACCESS_KEY_ID=AKIAZZZZ2222EXAMPLEX\n' >"$T/l2/a.env"
run_rc "$LP" --db "$T/reg2" secrets --format json "$T/l2"
expect_eq "known_in" "core2:k$(printf '\xef\xbf\xbd').env $(b64 "$(printf 'core2:k\xfe.env')")" \
    "$(jqv '.secrets[0] | "\(.known_in[0]) \(.known_in_b64[0])"')"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo "/srv/repo/net/mod_$i.c"; done >"$T/l2/files.txt"
run_rc "$LP" --db "$T/reg2" scan --format json "$T/l2/files.txt"
expect_eq "registry_root" "sr$(printf '\xef\xbf\xbd')c $(b64 "$(printf 'sr\xffc')") null" \
    "$(jqv '.listings[0].listing.collections[0] | "\(.registry_root) \(.registry_root_b64) \(.listing_root_b64)"')"
for f in json text; do
    run_rc "$LP" --db "$T/reg2" scan --secrets --format $f "$T/l2"
    cp "$T/out" "$T/direct2.$f"
done
run_rc "$LP" --db "$T/reg2" scan --secrets --format jsonl "$T/l2"
cp "$T/out" "$T/direct2.jsonl"
grep -q '"known_in_b64"' "$T/direct2.jsonl" || die "no known_in_b64 in JSONL"
for f in json text; do
    "$RT" $f "$T/direct2.jsonl" >"$T/back2.$f" || die "read back failed"
    cmp -s "$T/direct2.$f" "$T/back2.$f" || die "$f read back differs (known_in, registry_root)"
done

# stderr names an input not read in the same encoding
ln -s /nonexistent "leak/$(printf 'l\xe2\x80\xaek\xc3')"
run_rc "$LP" scan leak
expect_eq "stderr" "leakprint: 'leak/l\\u202ek\\xc3': symbolic link not followed (skipped)" "$(cat "$T/err")"
