#!/usr/bin/env bash
# Compression bombs are skipped one by one: each named with the limit it
# trips, the archive's other members still read (scan and add), nested too;
# a compressed stream of zeros is raw content, and 1 GB of it is stopped
# at a limit, fast, with exit 2.
. "$(dirname "$0")/lib.sh"
add_proj 1.0
A=$T/a
mkdir -p "$A"
python3 - "$A" "$FIX/proj/src/ring.c" <<'EOF'
import gzip, io, sys, tarfile, zipfile
out, ring = sys.argv[1], open(sys.argv[2], "rb").read()

def zip_bytes(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(zipfile.ZipInfo(name, (2024, 1, 2, 3, 4, 5)), data,
                       compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()

def tar_bytes(members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()

# 16 bombs of 4 MB of zeros (64 MB from 70 KB: more than the whole input
# may expand to), then the real file.
bombs = [("bomb%02d.bin" % i, bytes(4 << 20)) for i in range(16)]
members = bombs + [("src/ring.c", ring)]
open(out + "/bombs.zip", "wb").write(zip_bytes(members))
open(out + "/bombs.tar.gz", "wb").write(gzip.compress(tar_bytes(members), 9, mtime=0))
# The same zip inside a tar inside a zip.
open(out + "/nested.zip", "wb").write(zip_bytes([
    ("in.tar", tar_bytes([("bombs.zip", zip_bytes(members))]))]))
EOF

# Each bomb is named with the limit, the real file after them is found.
for f in bombs.zip bombs.tar.gz; do
    run_rc "$LP" scan --format json "$A/$f"
    expect_eq "$f exit (found, some skipped)" 1 "$rc"
    expect_eq "$f found" "$A/$f!src/ring.c true" \
        "$(jqv '[.files[] | "\(.path) \(.matches[0].exact)"] | join(" ")')"
    expect_eq "$f bombs" 16 "$(jqv '[.skipped[] | select(.reason == "expands more than 250 times its compressed size (--max-ratio; a compression bomb?)")] | length')"
    expect_eq "$f bomb path" "$A/$f!bomb00.bin" "$(jqv '.skipped[0].path')"
    expect_eq "$f stderr" 16 "$(grep -c "^leakprint: '$A/$f!bomb[0-9]*.bin': expands more than 250 times" "$T/err")"
done
run_rc "$LP" scan --format json "$A/nested.zip"
expect_eq "nested found" "$A/nested.zip!in.tar!bombs.zip!src/ring.c" "$(jqv '.files[0].path')"
expect_eq "nested bomb path" "$A/nested.zip!in.tar!bombs.zip!bomb15.bin" "$(jqv '.skipped[15].path')"
# The size limit skips them one by one too.
run_rc "$LP" scan --format json --max-ratio 100000 --max-file-size 1M "$A/bombs.zip"
expect_eq "size exit (found, some skipped)" 1 "$rc"
expect_eq "size found" true "$(jqv '.files[0].matches[0].exact')"
expect_eq "size bombs" 16 "$(jqv '[.skipped[] | select(.reason == "file larger than 1048576 bytes (--max-file-size)")] | length')"
# add registers the real file and names the bombs.
run_rc "$LP" --db "$T/reg2" add --name bz --version 1 "$A/bombs.zip"
expect_eq "add exit" 2 "$rc"
expect_eq "add bombs" 16 "$(grep -c "expands more than 250 times its compressed size" "$T/err")"
run_rc "$LP" --db "$T/reg2" scan --format json "$FIX/proj/src/ring.c"
expect_eq "add found" "bz true" "$(jqv '.files[0].matches[0] | "\(.collection) \(.exact)"')"

# Raw content that starts with 512 zeros or more (a disk image) is read
# as itself, not taken for an empty tar: as many bytes as the plain file.
{ head -c 4096 /dev/zero; cat "$FIX/proj/src/ring.c"; } >"$T/img"
size=$(stat -c %s "$T/img")
for c in gzip xz zstd bzip2 lz4; do
    $c -c "$T/img" >"$T/img.$c"
    run_rc "$LP" scan --format json "$T/img.$c"
    expect_eq "$c zeros" "1 $size 0" "$(jqv '"\(.scope.files_scanned) \(.scope.bytes_scanned) \(.skipped | length)"')"
    run_rc sh -c "\"$LP\" scan --format json - <\"$T/img.$c\""
    expect_eq "$c zeros stdin" "1 $size" "$(jqv '"\(.scope.files_scanned) \(.scope.bytes_scanned)"')"
done
# A tar after zero blocks is still a tar.
tar cf "$T/r.tar" -C "$FIX/proj/src" ring.c
{ head -c 1024 /dev/zero; cat "$T/r.tar"; } | gzip >"$T/zeros-then.tar.gz"
run_rc "$LP" scan --format json "$T/zeros-then.tar.gz"
expect_eq "tar after zeros" "$T/zeros-then.tar.gz!ring.c true" \
    "$(jqv '.files[0] | "\(.path) \(.matches[0].exact)"')"

# 1 GB of zeros in 1 MB of gzip (64 members of 16 MB, as gzip reads
# them): skipped at the ratio with one line, exit 2, in well under 2 s.
head -c 16M /dev/zero | gzip >"$T/m.gz"
for i in $(seq 64); do cat "$T/m.gz"; done >"$T/zeros.gz"
for input in "$T/zeros.gz" -; do
    run_rc /usr/bin/time -f "%e" -o "$T/time" sh -c "\"$LP\" scan --format json \"$input\" <\"$T/zeros.gz\""
    expect_eq "zeros exit ($input)" 2 "$rc"
    expect_eq "zeros reason ($input)" "expands more than 250 times its compressed size (--max-ratio; a compression bomb?)" \
        "$(jqv '.skipped[0].reason')"
    expect_eq "zeros stderr ($input)" 1 "$(wc -l <"$T/err")"
    awk -v s="$(tail -n 1 "$T/time")" 'BEGIN { exit !(s < 2) }' || die "zeros took $(cat "$T/time") s"
done
expect_eq "zeros path" "-!-" "$(jqv '.skipped[0].path')"
# With the ratio raised, --max-expanded stops it.
run_rc "$LP" scan --format json --max-ratio 100000 --max-expanded 32M "$T/zeros.gz"
expect_eq "zeros expanded" "2 expands to more than 33554432 bytes (--max-expanded): rest not read" \
    "$rc $(jqv '.skipped[0].reason')"
