#!/usr/bin/env bash
# Prints the path of the official SARIF 2.1.0 JSON schema, fetching it
# first when it is not cached yet. OASIS publishes no package of it, but
# Microsoft's SARIF multitool ships it on npm (package/sarif-2.1.0.json):
# the package (~40 MB, mostly .NET binaries) is packed into a temporary
# directory, that one file is kept in
# ${XDG_CACHE_HOME:-$HOME/.cache}/leakprint/sarif-2.1.0.json, the rest is
# removed. The version is pinned so that every machine checks against the
# same text. Exits non-zero, with a reason on stderr, when the schema
# cannot be had: a test that needs it must fail, not skip.
set -euo pipefail
pkg=@microsoft/sarif-multitool-linux@${SARIF_MULTITOOL_VERSION:-5.7.0}
dir=${XDG_CACHE_HOME:-$HOME/.cache}/leakprint
out=$dir/sarif-2.1.0.json

die() { echo "sarif-schema: $*" >&2; exit 1; }

# A schema is usable when it parses and says what it is; a truncated or
# foreign file is fetched again.
usable() {
    jq -e '."$schema" and (.title | test("SARIF"; "i")) and .definitions.run' \
        "$1" >/dev/null 2>&1
}

if [ -s "$out" ] && usable "$out"; then
    echo "$out"
    exit 0
fi
command -v npm >/dev/null || die "npm is needed to fetch $pkg"
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --loglevel=error "$pkg" >npm.out 2>npm.err) ||
    die "npm pack $pkg failed: $(grep -v "^npm warn" "$tmp/npm.err" | grep . | head -n 1)"
tgz=$(find "$tmp" -maxdepth 1 -name '*.tgz' | head -n 1)
[ -n "$tgz" ] || die "npm pack $pkg made no archive"
tar xzf "$tgz" -C "$tmp" package/sarif-2.1.0.json ||
    die "$pkg holds no package/sarif-2.1.0.json"
usable "$tmp/package/sarif-2.1.0.json" ||
    die "package/sarif-2.1.0.json of $pkg is not a SARIF schema"
# Renamed into place so that a run that stops halfway leaves no torn file.
cp "$tmp/package/sarif-2.1.0.json" "$out.tmp.$$"
mv -f "$out.tmp.$$" "$out"
echo "$out"
