#!/usr/bin/env bash
# Scan speed on archives: the restyled Linux subset of bench/corpus.sh as a
# directory, and as tar, tar.gz, tar.zst, zip and 7z, against a registry of
# the original tree. Beside each, bsdtar -xO (decompression alone, to
# /dev/null) is the floor any reader of the archive pays.
# Usage: bash bench/archives.sh build/leakprint
set -euo pipefail
LP=$(realpath "${1:-build/leakprint}")
CACHE=${LEAKPRINT_BENCH_CACHE:-$HOME/.cache/leakprint-bench}
[ -f "$CACHE/.restyled.done" ] || bash "$(dirname "$0")/corpus.sh"
W=$CACHE/archives
mkdir -p "$W"
export LEAKPRINT_DB=$W/reg
[ -d "$W/reg" ] || "$LP" add -q --name linux "$CACHE/linux"
cd "$W"
[ -f r.tar ] || tar cf r.tar -C "$CACHE" restyled
[ -f r.tar.gz ] || gzip -k -6 r.tar
[ -f r.tar.zst ] || zstd -q -T2 r.tar -o r.tar.zst
[ -f r.zip ] || (cd "$CACHE" && zip -qr "$W/r.zip" restyled)
[ -f r.7z ] || (cd "$CACHE" && 7zz a -bd -bso0 "$W/r.7z" restyled)
mb=$(du -sm --apparent-size "$CACHE/restyled" | cut -f1)
# best of 3: "wall user sys maxrss_kb" of the fastest by user+sys
best() {
    local out=""
    for _ in 1 2 3; do
        /usr/bin/time -f "%e %U %S %M" -o "$W/t" "$@" >/dev/null 2>&1 || true
        local l; l=$(tail -n 1 "$W/t")
        if [ -z "$out" ] || awk -v a="$l" -v b="$out" 'BEGIN { split(a, x); split(b, y); exit !(x[2] + x[3] < y[2] + y[3]) }'; then
            out=$l
        fi
    done
    echo "$out"
}
printf '%-14s %8s %8s %10s %10s %12s\n' input "wall s" "cpu s" "MB/cpu-s" "peak MB" "bsdtar cpu s"
for t in "$CACHE/restyled" r.tar r.tar.gz r.tar.zst r.zip r.7z; do
    read -r wall u s kb < <(best "$LP" scan -q --format json "$t")
    floor="-"
    if [ -f "$t" ]; then
        read -r _ fu fs _ < <(best bsdtar -xOf "$t")
        floor=$(awk -v u="$fu" -v s="$fs" 'BEGIN { printf "%.2f", u + s }')
    fi
    awk -v n="$(basename "$t")" -v w="$wall" -v u="$u" -v s="$s" -v kb="$kb" -v mb="$mb" -v f="$floor" \
        'BEGIN { printf "%-14s %8.2f %8.2f %10.1f %10.0f %12s\n", n, w, u + s, mb / (u + s), kb / 1024, f }'
done
