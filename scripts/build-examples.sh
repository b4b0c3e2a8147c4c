#!/usr/bin/env bash
# Builds programs on the public API as a user of the installed library
# does: with `pkg-config leakprint` from PREFIX (a `make install PREFIX=`
# tree). Each SRC.c becomes OUTDIR/NAME, linked with libleakprint.so
# (found at run time through an rpath to PREFIX/lib), and
# OUTDIR/NAME-static, linked with libleakprint.a and the libraries that
# `pkg-config --static --libs` adds. The linker prefers the .so when both
# are in the same directory, so the static link asks for the archive by
# -Wl,-Bstatic (as for any library installed both ways).
# Environment: CC (default cc), SAN (sanitizer flags of the build, if any).
# Usage: build-examples.sh PREFIX OUTDIR [SRC.c...]
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 PREFIX OUTDIR [SRC.c...]" >&2; exit 2; }
prefix=$1 out=$2
shift 2
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
cc=${CC:-cc}
san=${SAN:-}
cflags=$(pkg-config --cflags leakprint)
mkdir -p "$out"
for src in "$@"; do
    name=$(basename "$src" .c)
    # shellcheck disable=SC2086 # flags are lists of words
    $cc -std=c11 -Wall -Wextra -Werror $san $cflags -o "$out/$name" "$src" \
        $(pkg-config --libs leakprint) -Wl,-rpath,"$prefix/lib"
    # shellcheck disable=SC2086
    $cc -std=c11 -Wall -Wextra -Werror $san $cflags -o "$out/$name-static" "$src" \
        -L"$prefix/lib" -Wl,-Bstatic -lleakprint -Wl,-Bdynamic -Wl,--as-needed \
        $(pkg-config --static --libs leakprint)
done
