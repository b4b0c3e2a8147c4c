#!/bin/sh
# acme-gateway - wrap the daemon and its files into a signed firmware image.
# Copyright (c) 2019-2024 Acme Networks Ltd. CONFIDENTIAL AND PROPRIETARY.
# (Demo material: imaginary company.)
#
# Usage: scripts/mkimage.sh --version V --out FILE [--sign-key PATH]
set -eu

VERSION=
OUT=
SIGN_KEY=${AGW_SIGN_KEY:-}
while [ $# -gt 0 ]; do
    case "$1" in
        --version) VERSION=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        --sign-key) SIGN_KEY=$2; shift 2 ;;
        *) echo "mkimage: unknown option $1" >&2; exit 2 ;;
    esac
done
[ -n "$VERSION" ] && [ -n "$OUT" ] || { echo "mkimage: --version and --out are required" >&2; exit 2; }

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT

make DESTDIR="$STAGE/root" install >/dev/null
cat > "$STAGE/root/etc/acme-gw/release" <<EOT
product=acme-gateway
version=$VERSION
built=$(date -u +%Y-%m-%dT%H:%M:%SZ)
EOT

( cd "$STAGE/root" && find . -type f | sort | xargs sha256sum ) > "$STAGE/MANIFEST"
tar -C "$STAGE" --owner=0 --group=0 --numeric-owner -czf "$STAGE/payload.tgz" root MANIFEST

if [ -n "$SIGN_KEY" ]; then
    openssl dgst -sha256 -sign "$SIGN_KEY" -out "$STAGE/payload.sig" "$STAGE/payload.tgz"
else
    echo "mkimage: warning: unsigned image (no --sign-key)" >&2
    : > "$STAGE/payload.sig"
fi

{
    printf 'AGWIMG1\n%s\n' "$VERSION"
    wc -c < "$STAGE/payload.sig"
    cat "$STAGE/payload.sig" "$STAGE/payload.tgz"
} > "$OUT"
echo "mkimage: wrote $OUT ($(wc -c < "$OUT") bytes)"
