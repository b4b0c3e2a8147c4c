#!/bin/sh
# acme-gateway - reproducible build inside the SDK container.
# Copyright (c) 2019-2024 Acme Networks Ltd. CONFIDENTIAL AND PROPRIETARY.
# (Demo material: imaginary company.)
#
# Usage: scripts/build.sh [--arch ARCH] [--test-only] [--clean]
set -eu

ARCH=$(uname -m)
TEST_ONLY=0
CLEAN=0
SDK_IMAGE=registry.acme-networks.example/sdk/gw-builder:2024.03
TOP=$(cd "$(dirname "$0")/.." && pwd)

while [ $# -gt 0 ]; do
    case "$1" in
        --arch) ARCH=$2; shift 2 ;;
        --test-only) TEST_ONLY=1; shift ;;
        --clean) CLEAN=1; shift ;;
        -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
        *) echo "build.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

case "$ARCH" in
    x86_64|amd64) CROSS= ;;
    aarch64|arm64) CROSS=aarch64-linux-gnu- ;;
    armv7l|armhf) CROSS=arm-linux-gnueabihf- ;;
    *) echo "build.sh: unsupported architecture $ARCH" >&2; exit 2 ;;
esac

run_in_sdk() {
    if [ -n "${AGW_NO_CONTAINER:-}" ]; then
        sh -c "$*"
    else
        docker run --rm -v "$TOP:/src" -w /src -e CROSS="$CROSS" \
            "$SDK_IMAGE" sh -c "$*"
    fi
}

if [ "$CLEAN" = 1 ]; then
    run_in_sdk "make clean"
fi

if [ "$TEST_ONLY" = 0 ]; then
    echo ">> building acme-gw for $ARCH"
    run_in_sdk "make -j\$(nproc) CC=\${CROSS}gcc"
fi

echo ">> smoke test"
run_in_sdk "./build/acme-gw -V" | grep -q '^acme-gw ' || {
    echo "build.sh: smoke test failed" >&2
    exit 1
}
run_in_sdk "python3 tools/sessdump.py --self-test"
echo ">> ok: build/acme-gw ($ARCH)"
