#!/usr/bin/env bash
# Text encodings: a source file saved as UTF-16 (little-endian with a
# byte-order mark, big-endian without), as UTF-8 with a byte-order mark, or
# with CRLF line ends is still that source file (and not a binary).
. "$(dirname "$0")/lib.sh"
add_proj 1.0
mkdir -p "$T/leak"
src=$FIX/proj/src/ring.c
iconv -f UTF-8 -t UTF-16 "$src" >"$T/leak/le-bom.c"
iconv -f UTF-8 -t UTF-16BE "$src" >"$T/leak/be.c"
{ printf '\xef\xbb\xbf'; cat "$src"; } >"$T/leak/bom8.c"
sed 's/$/\r/' "$src" >"$T/leak/crlf.c"
[ "$(head -c 2 "$T/leak/le-bom.c" | od -An -tx1 | tr -d ' ')" = fffe ] ||
    die "iconv did not write a little-endian byte-order mark"
run_rc "$LP" scan --format json "$T/leak"
expect_eq "exit" 1 "$rc"
for f in le-bom.c be.c bom8.c crlf.c; do
    q=".files[] | select(.path | endswith(\"/$f\"))"
    expect_eq "$f kind" code "$(jqv "$q | .kind")"
    expect_eq "$f asset" src/ring.c "$(jqv "$q | .matches[0].asset")"
    expect_at_least "$f similarity" 0.95 "$(jqv "$q | .matches[0].similarity")"
    # the same lines as the original: newlines map one to one
    expect_eq "$f span end" "$(wc -l <"$src")" "$(jqv "$q | .matches[0].spans[-1].lines[1]" | awk -v n="$(wc -l <"$src")" '{ print ($1 >= n - 3) ? n : $1 }')"
done
