#!/usr/bin/env bash
# scan reads archives from memory, nested, and names what it does not read:
# hostile names, bombs, deep nesting, truncation, symbolic link loops.
. "$(dirname "$0")/lib.sh"
add_proj 1.0
A=$T/a
mkdir -p "$A"
python3 "$(dirname "$0")/helpers/mkarchives.py" "$A" "$FIX/proj"

# Nested: tar.gz > zip > file, with logical paths a!b!c.
run_rc "$LP" scan --format json "$A/nested.tar.gz"
expect_eq "nested exit" 1 "$rc"
expect_eq "nested paths" "$A/nested.tar.gz!dump/config.c $A/nested.tar.gz!dump/inner.zip!lib/ring.c" \
    "$(jqv '[.files[].path] | join(" ")')"
expect_eq "nested exact" "true true" "$(jqv '[.files[].matches[0].exact] | join(" ")')"
expect_eq "nested skipped" 0 "$(jqv '.skipped | length')"
expect_eq "nested scanned" 2 "$(jqv '.scope.files_scanned')"

# A compressed plain file is named after itself without the suffix.
run_rc "$LP" scan --format json "$A/ring.c.gz"
expect_eq "gz path" "$A/ring.c.gz!ring.c" "$(jqv '.files[0].path')"

# Names are kept as evidence (never used to write anything), with control
# characters escaped in the text report and on stderr.
run_rc "$LP" scan --format json "$A/names.zip"
expect_eq "names exit" 1 "$rc"
expect_eq "names" '["names.zip!../../etc/ring.c","names.zip!/abs/config.c","names.zip!new\nline.c","names.zip!nul"]' \
    "$(jq -c '[.files[].path | sub(".*/names"; "names")]' "$T/out")"
run_rc "$LP" scan "$A/names.zip"
grep -qF 'names.zip!new\x0aline.c  [code]' "$T/out" || die "newline not escaped: $(cat "$T/out")"
[ ! -e "$T/etc" ] && [ ! -e /abs ] || die "something was written"

# Ratio bomb: each member expands 1000 times; each is stopped by
# --max-ratio after its free first MB and named, exit 2, in bounded memory
# and time.
run_rc /usr/bin/time -f "%M %e" -o "$T/time" "$LP" scan --format json "$A/ratio-bomb.zip"
expect_eq "ratio exit" 2 "$rc"
expect_eq "ratio skipped" 25 "$(jqv '[.skipped[] | select(.reason == "expands more than 250 times its compressed size (--max-ratio; a compression bomb?)")] | length')"
expect_eq "ratio first" "ratio-bomb.zip!zeros00.bin" "$(jqv '.skipped[0].path | sub(".*/"; "")')"
read -r kb secs < <(tail -n 1 "$T/time")
[ "$kb" -lt 300000 ] || die "ratio bomb peak RSS $kb KB"
awk -v s="$secs" 'BEGIN { exit !(s < 10) }' || die "ratio bomb took $secs s"
# A higher ratio lets it through (the limit is the flag's).
run_rc "$LP" scan --format json --max-ratio 2000 "$A/ratio-bomb.zip"
expect_eq "ratio raised" 0 "$(jqv '.skipped | length')"

# Nested bomb: 80 GB if read; stopped by the same budget.
run_rc /usr/bin/time -f "%M %e" -o "$T/time" "$LP" scan --format json "$A/nested-bomb.zip"
expect_eq "bomb exit" 2 "$rc"
# Its leaves are bombs, skipped one by one until they cost too much.
expect_eq "bomb leaves" true "$(jqv '[.skipped[] | select(.reason | startswith("expands more than 250 times its compressed size"))] | length > 100')"
expect_eq "bomb stop" "its members skipped as compression bombs expand to more than 134217728 bytes (--max-ratio): rest not read" \
    "$(jqv '[.skipped[].reason | select(startswith("its members"))] | join("|")')"
read -r kb secs < <(tail -n 1 "$T/time")
[ "$kb" -lt 300000 ] || die "nested bomb peak RSS $kb KB"
awk -v s="$secs" 'BEGIN { exit !(s < 10) }' || die "nested bomb took $secs s"
# --max-expanded stops it too, with its own reason.
run_rc "$LP" scan --format json --max-ratio 1000000 --max-expanded 20M "$A/nested-bomb.zip"
expect_eq "expanded" 1 "$(jqv '[.skipped[] | select(.reason == "expands to more than 20971520 bytes (--max-expanded): rest not read")] | length')"

# 200 levels: read down to --max-depth (16), the rest named.
run_rc "$LP" scan --format json "$A/deep.tar.gz"
expect_eq "deep exit" 2 "$rc"
expect_eq "deep skipped" 1 "$(jqv '.skipped | length')"
expect_eq "deep reason" "archive nested deeper than 16 levels (--max-depth)" "$(jqv '.skipped[0].reason')"
expect_eq "deep path depth" 16 "$(jqv '.skipped[0].path' | tr -cd '!' | wc -c)"
run_rc "$LP" scan --format json --max-depth 250 "$A/deep.tar.gz"
expect_eq "deep found" "ring.c" "$(jqv '.files[0].path' | sed 's/.*!//')"
expect_eq "deep exact" true "$(jqv '.files[0].matches[0].exact')"

# Truncated: what was whole is scanned, the damage named.
run_rc "$LP" scan --format json "$A/truncated.tar"
expect_eq "truncated exit" 1 "$rc" # found, though not all was read
expect_eq "truncated files" "$A/truncated.tar!a/config.c" "$(jqv '[.files[].path] | join(" ")')"
expect_eq "truncated member" "$A/truncated.tar!a/ring.c: damaged or truncated after 188 bytes: Truncated tar archive (read up to there)" \
    "$(jqv '.skipped[] | "\(.path): \(.reason)"')"
expect_eq "truncated scanned" 2 "$(jqv '.scope.files_scanned')"

# --max-entries.
run_rc "$LP" scan --format json --max-entries 1 "$A/nested.tar.gz"
expect_eq "entries" "more than 1 members (--max-entries): rest not read" "$(jqv '.skipped[0].reason')"

# A symbolic link loop: not followed by default; followed and cut with
# --follow-symlinks.
mkdir -p "$T/loop/d"
cp "$FIX/proj/src/ring.c" "$T/loop/d/"
ln -s .. "$T/loop/d/up"
run_rc "$LP" scan --format json "$T/loop"
expect_eq "loop default" "symbolic link not followed" "$(jqv '.skipped[0].reason')"
run_rc "$LP" scan --format json --follow-symlinks "$T/loop"
expect_eq "loop followed" "directory loop" "$(jqv '.skipped[0].reason')"
expect_eq "loop files" 1 "$(jqv '.scope.files_scanned')"

# Standard input may be an archive.
run_rc sh -c "\"$LP\" scan --format json - <\"$A/nested.tar.gz\""
expect_eq "stdin archive" "-!dump/config.c -!dump/inner.zip!lib/ring.c" "$(jqv '[.files[].path] | join(" ")')"

# Every format and compression, made by the Debian tools: one exact match
# each, named outer!member.
F=$T/formats
mkdir -p "$F/d"
cp "$FIX/proj/src/ring.c" "$F/d/"
(
    cd "$F/d"
    genisoimage -quiet -o ../x.iso .
    echo ring.c | cpio -o -H newc --quiet >../x.cpio
    ar rc ../x.a ring.c
    7zz a -bd -bso0 -bse0 ../x.7z ring.c
    bsdtar --format xar -cf ../x.xar ring.c
    for c in gzip:gz bzip2:bz2 xz:xz lzma:lzma zstd:zst lz4:lz4; do
        ${c%%:*} -c ring.c >"../ring.c.${c#*:}"
    done
    tar cJf ../x.tar.xz ring.c
)
run_rc "$LP" scan --format json "$F"/x.* "$F"/ring.c.*
expect_eq "formats skipped" 0 "$(jqv '.skipped | length')"
expect_eq "formats" "ring.c.bz2!ring.c ring.c.gz!ring.c ring.c.lz4!ring.c ring.c.lzma!ring.c ring.c.xz!ring.c ring.c.zst!ring.c x.7z!ring.c x.a!ring.c x.cpio!ring.c x.iso!RING.C x.tar.xz!ring.c x.xar!ring.c" \
    "$(jqv '[.files[] | select(.matches[0].exact) | .path | sub(".*/"; "")] | sort | join(" ")')"

# --max-path-length: of the names, "names.zip!../../etc/ring.c" (26 bytes)
# and "names.zip!/abs/config.c" (23) are longer than 20; the others fit.
run_rc sh -c "cd \"$A\" && \"$LP\" scan --format json --max-path-length 20 names.zip"
expect_eq "path length" "names.zip: a member's path is longer than 20 bytes (--max-path-length)|names.zip: a member's path is longer than 20 bytes (--max-path-length)" \
    "$(jqv '[.skipped[] | "\(.path): \(.reason)"] | join("|")')"
expect_eq "path length files" 2 "$(jqv '.files | length')"

# A symbolic link named on the command line is read through; one in a
# directory only with --follow-symlinks.
ln -s "$FIX/proj/src/ring.c" "$T/ring-link.c"
run_rc "$LP" scan --format json "$T/ring-link.c"
expect_eq "symlink root" true "$(jqv '.files[0].matches[0].exact')"
mkdir "$T/links"
ln -s "$FIX/proj/src/config.c" "$T/links/c.c"
run_rc "$LP" scan --format json "$T/links"
expect_eq "symlink in dir" "0 symbolic link not followed" "$(jqv '"\(.files | length) \(.skipped[0].reason)"')"
run_rc "$LP" scan --format json --follow-symlinks "$T/links"
expect_eq "symlink followed" "true 0" "$(jqv '"\(.files[0].matches[0].exact) \(.skipped | length)"')"

# An archive over --max-file-size is streamed from its file (its members
# are read under the same limit); a plain file over it is still skipped.
tar cf "$T/big.tar" -C "$FIX/proj/src" ring.c # 10240 bytes, GNU tar pads
head -c 5000 /dev/zero | tr '\0' 'a' >"$T/plain.txt"
run_rc "$LP" scan --format json --max-file-size 4K "$T/big.tar" "$T/plain.txt"
expect_eq "streamed" "$T/big.tar!ring.c true" "$(jqv '.files[0] | "\(.path) \(.matches[0].exact)"')"
expect_eq "plain over the limit" "$T/plain.txt: file larger than 4096 bytes" \
    "$(jqv '[.skipped[] | "\(.path): \(.reason)"] | join("|")')"
