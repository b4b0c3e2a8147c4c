#!/bin/sh
# Builds the small utilities of this archive and copies them to ~/bin.
set -e
DEST=${DEST:-$HOME/bin}
HERE=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$DEST"
for tool in extras/base64.c:b64 misc/flowtop.c:flowtop; do
    src=${tool%%:*}
    name=${tool##*:}
    echo "building $name"
    ${CC:-cc} -O2 -Wall -o "$DEST/$name" "$HERE/$src"
done
install -m 0755 "$HERE/extras/lru_cache.py" "$DEST/lru_cache.py"
echo "installed into $DEST; make sure it is on your PATH"
