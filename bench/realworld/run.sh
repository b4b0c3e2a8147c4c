#!/usr/bin/env bash
# The real-world benchmark (docs/ACCURACY.md, "Real-world: vendored libraries
# in Debian source packages"): Debian 12 source packages that carry copies of
# well-known libraries, and packages that do not (decoys), scanned against a
# registry of those libraries taken from their own Debian source packages.
# Each scanned file is scored against a truth built by path correspondence
# and line comparison (bench/realworld/score.py says the rule).
# Usage: bash bench/realworld/run.sh BIN   (`make realworld`)
#
# Needs apt-get and dpkg-source (dpkg-dev), and root (or sudo) the first
# time: deb-src entries are added, when the machine has none, as
# /etc/apt/sources.list.d/leakprint-bench-src.sources (a copy of
# debian.sources with "Types: deb-src"), then `apt-get update` runs once.
# Downloads about 60 MB into ${LEAKPRINT_BENCH_CACHE:-~/.cache/leakprint-bench}/realworld
# (nothing is committed); each package is unpacked once (a marker file).
#
# Environment: REALWORLD_PUBLIC_LICENSES=1 also registers
# /usr/share/common-licenses as public background (as a vendor would); by
# default no licence text is registered, so licence-only matches show.
set -euo pipefail

BIN=${1:?usage: bench/realworld/run.sh path/to/leakprint}
case "$BIN" in */*) BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN") ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${LEAKPRINT_BENCH_CACHE:-$HOME/.cache/leakprint-bench}
OUT=$CACHE/realworld
SRC=$OUT/src

# Upstream libraries (source package -> collection name), registered.
LIBS=(zlib:zlib expat:expat cjson:cjson xxhash:xxhash lua5.4:lua)
# Scanned packages: those that bundle some of them (the comment says what,
# the truth is computed, not taken from here) and decoys that bundle none.
#   cmake: Utilities/cmzlib, cmexpat, cmzstd (xxhash); python3.11:
#   Modules/expat; redis: deps/lua (Lua 5.1); rsync: zlib/; libzstd:
#   lib/common/xxhash.*, zlibWrapper (gz*.c from zlib); lz4: lib/xxhash.*
BUNDLERS=(cmake python3.11 redis rsync libzstd lz4)
# gzip is no decoy: its trees.c and algorithm.doc share hundreds of lines
# with zlib's (the same authors), so it is not scanned.
DECOYS=(libpng1.6 sed jansson bzip2 libyaml less)

for tool in apt-get dpkg-source python3 jq /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "realworld: $tool missing" >&2; exit 2; }
done
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

have_src() { grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; }
if ! have_src; then
    echo "realworld: adding deb-src entries" >&2
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
        as_root tee /etc/apt/sources.list.d/leakprint-bench-src.sources >/dev/null
    rm -f "$OUT/.apt-updated"
fi
mkdir -p "$SRC"
if [ ! -e "$OUT/.apt-updated" ]; then
    as_root apt-get update -q >&2
    touch "$OUT/.apt-updated"
fi

# Unpacks source package $1 into $SRC/$1/x (once). The bookworm version is
# asked for first: a security update's files are not on every mirror.
fetch() {
    local p=$1 d=$SRC/$1
    [ -e "$d/.done" ] && return 0
    rm -rf "$d"; mkdir -p "$d"
    echo "realworld: downloading $p" >&2
    (cd "$d" && { apt-get source -q --download-only "$p/bookworm" >/dev/null 2>&1 ||
                  apt-get source -q --download-only "$p" >/dev/null; } &&
        dpkg-source --no-check -x ./*.dsc x >/dev/null)
    find "$d/x" -type l -delete
    touch "$d/.done"
}
for e in "${LIBS[@]}"; do fetch "${e%%:*}"; done
for p in "${BUNDLERS[@]}" "${DECOYS[@]}"; do fetch "$p"; done

# The registry: each library's upstream tree (no debian/, no quilt .pc/).
REG=$OUT/registry
rm -rf "$REG" "$OUT/upstream" "$OUT/scans"
mkdir -p "$OUT/upstream" "$OUT/scans"
for e in "${LIBS[@]}"; do
    p=${e%%:*} name=${e##*:}
    cp -a "$SRC/$p/x" "$OUT/upstream/$name"
    rm -rf "$OUT/upstream/$name/debian" "$OUT/upstream/$name/.pc"
    "$BIN" --db "$REG" add -q --name "$name" "$OUT/upstream/$name"
done
if [ -n "${REALWORLD_PUBLIC_LICENSES:-}" ]; then
    "$BIN" --db "$REG" add -q --public --follow-symlinks --name common-licenses \
        /usr/share/common-licenses
fi

# Scans: each package's unpacked tree as Debian ships it (debian/ included).
: >"$OUT/scans/times"
for p in "${BUNDLERS[@]}" "${DECOYS[@]}"; do
    find "$SRC/$p/x" -type f -exec cat {} + >/dev/null 2>&1 || true
    rc=0
    /usr/bin/time -f "$p %e %U %S" -a -o "$OUT/scans/times" \
        "$BIN" --db "$REG" scan -q --format json -o "$OUT/scans/$p.json" "$SRC/$p/x" \
        2>"$OUT/scans/$p.stderr" || rc=$?
    [ "$rc" -le 1 ] || { echo "realworld: scan of $p failed ($rc)" >&2; exit 2; }
done

python3 "$HERE/score.py" "$OUT" "${BUNDLERS[*]}" "${DECOYS[*]}" \
    "$(printf '%s ' "${LIBS[@]##*:}")" | tee "$OUT/results.md"
echo "realworld: table written to $OUT/results.md" >&2
