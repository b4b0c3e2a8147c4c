#!/usr/bin/env bash
# Issue 15 point 7: a source file behind NUL bytes (a kilobyte of zeros
# before it, zero padding after it or between its halves) is text and is
# found; a file of zeros only, or a binary, stays binary.
. "$(dirname "$0")/lib.sh"
P=$FIX/hosts/proj
"$LP" add -q --name lru --version 1 "$P"
mkdir -p "$T/leak"
{ head -c 1024 /dev/zero; cat "$P/src/lru.c"; } >"$T/leak/prefixed.c"
{ cat "$P/src/lru.c"; head -c 4096 /dev/zero; } >"$T/leak/padded.c"
{ sed -n 1,60p "$P/src/lru.c"; head -c 512 /dev/zero; sed -n '61,$p' "$P/src/lru.c"; } >"$T/leak/middle.c"
head -c 2048 /dev/zero >"$T/leak/zeros.bin"
run_rc "$LP" scan --format json "$T/leak"
expect_eq "exit" 1 "$rc"
for f in prefixed.c padded.c middle.c; do
    expect_eq "$f" "code src/lru.c 1 7 129" "$(jqv ".files[] | select(.path | endswith(\"/$f\")) | \"\(.kind) \(.matches[0].asset) \(.matches[0].similarity) \(.matches[0].spans[0].lines[0]) \(.matches[0].spans[-1].lines[1])\"")"
done
expect_eq "zeros" "" "$(jqv '.files[] | select(.path | endswith("/zeros.bin")) | .path')"
expect_eq "matched" 3 "$(jqv .scope.files_matched)"
