#!/usr/bin/env bash
# libleakprint.so: its soname, its links, and its dynamic symbols: exactly
# the functions leakprint.h declares LP_API (read here from the header
# independently of scripts/gen-map.py), none of the library's internals
# nor of the libraries linked into it. Then `make install` into a
# temporary prefix, and a program built through pkg-config against it, on
# the shared library and on the static one, runs.
. "$(dirname "$0")/lib.sh"
root=$(cd "$TESTS_DIR/../.." && pwd)
build=$BUILD_DIR
cd "$root"
version=$(sed -n 's/^#define LP_VERSION_STRING "\(.*\)"$/\1/p' include/leakprint.h)
so="$build/libleakprint.so.$version"
[ -f "$so" ] || die "'$so' not built"
expect_eq "soname" "libleakprint.so.${version%%.*}" \
    "$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]$/\1/p')"
expect_eq "link so.N" "libleakprint.so.$version" "$(readlink "$build/libleakprint.so.${version%%.*}")"
expect_eq "link so" "libleakprint.so.${version%%.*}" "$(readlink "$build/libleakprint.so")"

declared=$(sed -n 's/^LP_API .*\b\(lp_[a-z0-9_]*\)(.*/\1/p' include/leakprint.h | sort)
[ "$(echo "$declared" | wc -l)" -ge 10 ] || die "few LP_API functions found: $declared"
exported=$(nm -D --defined-only "$so" | awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' | sort)
expect_eq "exported functions" "$declared" "$exported"
# The only other entry is the version node of the version script.
expect_eq "absolute symbols" "LEAKPRINT_0" \
    "$(nm -D --defined-only "$so" | awk '$2 == "A" { print $3 }')"

# Install as a user would; the build is already up to date, so this only
# copies (the sub-make gets the build's settings, not the caller's
# jobserver).
prefix="$T/inst"
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$root" install \
    BUILD="$build" CC="${CC:-cc}" SAN="${SAN:-}" PREFIX="$prefix" >"$T/make.out" 2>&1 \
    || { cat "$T/make.out" >&2; die "make install failed"; }
for f in bin/leakprint lib/libleakprint.a lib/libleakprint.so.$version \
         lib/libleakprint.so.${version%%.*} lib/libleakprint.so \
         include/leakprint.h lib/pkgconfig/leakprint.pc; do
    [ -e "$prefix/$f" ] || die "'$f' not installed"
done
expect_eq "pkg-config --libs" "-L$prefix/lib -lleakprint" \
    "$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --libs leakprint | sed "s/ *$//")"

CC="${CC:-cc}" SAN="${SAN:-}" bash scripts/build-examples.sh "$prefix" "$T/bin" \
    tests/cli/helpers/api_version.c examples/embed.c
expect_eq "shared program" "$version not found" "$("$T/bin/api_version" "$T/none")"
expect_eq "static program" "$version not found" "$("$T/bin/api_version-static" "$T/none")"
# (grep reads whole outputs here: an early exit would fail the pipe)
needed=$(readelf -d "$T/bin/api_version")
grep "NEEDED.*\[libleakprint.so.${version%%.*}\]" <<<"$needed" >/dev/null \
    || die "the shared program does not use libleakprint.so"
needed=$(readelf -d "$T/bin/api_version-static")
! grep libleakprint <<<"$needed" >/dev/null || die "the static program needs libleakprint.so"
loaded=$(ldd "$T/bin/api_version")
grep "libleakprint.so.${version%%.*} => $prefix/lib/" <<<"$loaded" >/dev/null \
    || die "the shared program does not load the installed library"

# examples/embed.c, on the installed library both ways: registers
# demo/protected from memory buffers, prints each matched file of demo/leak
# as its result arrives (in no fixed order: sorted here), stops a second
# scan at its first result, and exits 1 on the leak.
for bin in embed embed-static; do
    set +e
    "$T/bin/$bin" demo/protected demo/leak "$T/reg-$bin" >"$T/embed.out" 2>"$T/embed.err"
    rc=$?
    set -e
    expect_eq "$bin exit" 1 "$rc"
    expect_eq "$bin stderr" "" "$(cat "$T/embed.err")"
    expect_eq "$bin registered" "registered: 23 files from memory" "$(sed -n 1p "$T/embed.out")"
    expect_eq "$bin matches" "match: demo/leak/acme_src/docs/MANUAL.md <- acme-gateway:docs/admin-guide.md @2.4.1 similarity 1.00
match: demo/leak/acme_src/scripts/deploy.sh <- acme-gateway:scripts/deploy.sh @2.4.1 similarity 1.00
match: demo/leak/acme_src/src/cli.c <- acme-gateway:src/cli.c @2.4.1 similarity 1.00
match: demo/leak/acme_src/src/config.c <- acme-gateway:src/config.c @2.4.1 similarity 1.00
match: demo/leak/acme_src/src/ring.h <- acme-gateway:src/ring.h @2.4.1 similarity 1.00
match: demo/leak/acme_src/src/session.c <- acme-gateway:src/session.c @2.4.1 similarity 1.00
match: demo/leak/misc/flowtop.c <- acme-gateway:src/cli.c @2.4.1 similarity 0.14
match: demo/leak/misc/pktq.c <- acme-gateway:src/ring.c @2.4.1 similarity 1.00" \
        "$(grep '^match: ' "$T/embed.out" | LC_ALL=C sort)"
    expect_eq "$bin verdict" "verdict: 8 of 12 files come from protected collection 'acme-gateway' (2.4.1) (12 files read)" \
        "$(grep '^verdict: ' "$T/embed.out")"
    expect_eq "$bin cancel" "second scan: aborted after 1 result: scan: stopped by the caller" \
        "$(grep '^second scan: ' "$T/embed.out")"
done
