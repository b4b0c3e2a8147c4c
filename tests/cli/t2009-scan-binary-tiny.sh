#!/usr/bin/env bash
# Byte-identical files without fingerprints: a binary of some size is
# reported (kind binary, exact); an empty file or one under 256 bytes with
# fewer than 6 tokens proves nothing and is not.
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/prot"
head -c 4096 /dev/urandom >"$T/prot/tool.bin"
printf '\0\1\2\3binary\0' >"$T/prot/tiny.bin"
: >"$T/prot/empty.h"
printf 'CONFIG_X=y\n' >"$T/prot/tiny.config"
"$LP" add -q --name fw --version 1 "$T/prot"
mkdir -p "$T/leak"
cp "$T/prot/"* "$T/leak/"
run_rc "$LP" scan --format json "$T/leak"
expect_eq "matched" 1 "$(jqv .scope.files_matched)"
expect_eq "binary" "tool.bin binary true 1" \
    "$(jqv '.files[0] | "\(.path | split("/") | last) \(.kind) \(.matches[0].exact) \(.matches[0].similarity)"')"
# One binary file, byte-identical, carries no fingerprints: weak evidence.
expect_eq "level" unlikely "$(jqv .verdict.level)"
