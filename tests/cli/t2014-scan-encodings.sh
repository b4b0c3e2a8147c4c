#!/usr/bin/env bash
# Text encodings: a source file saved as UTF-16 (little-endian with a
# byte-order mark, big-endian without), as UTF-8 with a byte-order mark,
# with CRLF line ends, as Latin-1, with stray NUL bytes, or minified onto
# one long line after a megabyte of data is still that source file (and not
# a binary); --max-line-length cuts what is read, and says so.
. "$(dirname "$0")/lib.sh"
add_proj 1.0
mkdir -p "$T/leak"
src=$FIX/proj/src/ring.c
iconv -f UTF-8 -t UTF-16 "$src" >"$T/leak/le-bom.c"
iconv -f UTF-8 -t UTF-16BE "$src" >"$T/leak/be.c"
{ printf '\xef\xbb\xbf'; cat "$src"; } >"$T/leak/bom8.c"
sed 's/$/\r/' "$src" >"$T/leak/crlf.c"
# Latin-1 comments (not UTF-8), and a NUL byte in every 200th line.
sed 's|/\*|/* caf\xe9 \xe0 la cr\xe8me|' "$src" >"$T/leak/latin1.c"
awk '{ print } NR % 200 == 0 { printf "%c\n", 0 }' "$src" >"$T/leak/nul.c"
# Minified: a 2 MB line of data, then the source on one line.
{ printf 'var t=['; head -c 1000000 /dev/zero | tr '\0' '1' | sed 's/1/1,/g'; printf '0];'
  tr '\n' ' ' <"$src"; } >"$T/leak/min.js"
[ "$(head -c 2 "$T/leak/le-bom.c" | od -An -tx1 | tr -d ' ')" = fffe ] ||
    die "iconv did not write a little-endian byte-order mark"
run_rc "$LP" scan --format json "$T/leak"
expect_eq "exit" 1 "$rc"
for f in le-bom.c be.c bom8.c crlf.c latin1.c nul.c; do
    q=".files[] | select(.path | endswith(\"/$f\"))"
    expect_eq "$f kind" code "$(jqv "$q | .kind")"
    expect_eq "$f asset" src/ring.c "$(jqv "$q | .matches[0].asset")"
    expect_at_least "$f similarity" 0.95 "$(jqv "$q | .matches[0].similarity")"
    # the same lines as the original: newlines map one to one
    expect_eq "$f span end" "$(wc -l <"$src")" "$(jqv "$q | .matches[0].spans[-1].lines[1]" | awk -v n="$(wc -l <"$src")" '{ print ($1 >= n - 3) ? n : $1 }')"
done
q='.files[] | select(.path | endswith("/min.js"))'
expect_eq "min.js kind" code "$(jqv "$q | .kind")"
expect_eq "min.js asset" src/ring.c "$(jqv "$q | .matches[0].asset")"
expect_eq "min.js span" "1 1" "$(jqv "$q | .matches[0].spans[0].lines | join(\" \")")"
expect_eq "nothing skipped" 0 "$(jqv '.skipped | length')"
# With a 1 MB line limit, min.js is read up to the line before its first.
run_rc "$LP" scan --format json --max-line-length 1M "$T/leak/min.js"
expect_eq "long line exit" 2 "$rc"
expect_eq "long line" "line 1 longer than 1048576 bytes (--max-line-length): read up to the line before it" \
    "$(jqv '.skipped[0].reason')"
expect_eq "long line files" 0 "$(jqv '.files | length')"
