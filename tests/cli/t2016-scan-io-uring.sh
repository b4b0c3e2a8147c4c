#!/usr/bin/env bash
# add and scan read small files ahead in batches through io_uring
# (src/input/prefetch.c, unit-tested in test_prefetch); what it cannot read whole
# is read the ordinary way. Here: a tree of every kind of entry (small
# files over several batches, empty, larger than a batch read, over
# --max-file-size, a link not followed, a FIFO) gives the same registry and
# the same report, warnings and exit code with it as without it
# (LEAKPRINT_IO_URING=0), on one worker and on two.
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/leak/many"
cp -r "$FIX/proj/src" "$FIX/proj/docs" "$T/leak/"
for i in $(seq 1 70); do
    sed -n "$i,\$p" "$FIX/proj/src/ring.c" > "$T/leak/many/ring-$i.c"
done
: > "$T/leak/empty.c"
for i in $(seq 1 100); do cat "$FIX/proj/src/ring.c"; done > "$T/leak/big.c"
head -c 131072 "$T/leak/big.c" > "$T/leak/exactly-128k.c"
for i in $(seq 1 700); do cat "$FIX/other/csv.c"; done > "$T/leak/huge.c"
ln -s src/ring.c "$T/leak/link.c"
mkfifo "$T/leak/pipe"
[ "$(stat -c %s "$T/leak/big.c")" -gt 131072 ] || die "big.c is not over 128 KB"

for mode in on off; do
    env=(X=1); [ $mode = off ] && env=(LEAKPRINT_IO_URING=0)
    env "${env[@]}" "$LP" --db "$T/reg-$mode" add -q --name gw --version 1.0 "$FIX/proj" "$T/leak/many"
    for j in 1 2; do
        set +e
        env "${env[@]}" "$LP" --db "$T/reg-$mode" scan -j $j --format json \
            --max-file-size 1M "$T/leak" > "$T/out" 2> "$T/err-$mode-$j"
        rc=$?
        set -e
        expect_eq "exit ($mode, -j $j)" 1 "$rc" # found; some not read
        jq -S 'del(.elapsed, .registry.path) | del(.. | .dated?)' "$T/out" > "$T/report-$mode-$j"
    done
    "$LP" --db "$T/reg-$mode" list --format json | jq -S 'del(.. | .created?)' > "$T/list-$mode"
done
expect_eq "files matched" 75 "$(jq '.scope.files_matched' "$T/report-on-1")"
# huge.c, over --max-file-size, is not read: unreadable, not also scanned
expect_eq "files scanned" 76 "$(jq '.scope.files_scanned' "$T/report-on-1")"
expect_eq "files unreadable" 3 "$(jq '.scope.files_unreadable' "$T/report-on-1")"
expect_eq "ring-70 found" ring-70.c \
    "$(jq -r '.files[] | select(.path | endswith("many/ring-70.c")) | .matches[0].asset' "$T/report-on-1")"
expect_eq "big.c found" true \
    "$(jq '.files[] | select(.path | endswith("/big.c")) | .matches | length > 0' "$T/report-on-1")"
grep -q "huge.c': file larger than 1048576 bytes" "$T/err-on-1" || die "huge.c: $(cat "$T/err-on-1")"
grep -q "pipe': not a regular file" "$T/err-on-1" || die "pipe: $(cat "$T/err-on-1")"
grep -q "link.c': symbolic link not followed" "$T/err-on-1" || die "link: $(cat "$T/err-on-1")"
for j in 1 2; do
    cmp -s "$T/report-on-$j" "$T/report-off-$j" || die "-j $j: reports differ: $(diff "$T/report-on-$j" "$T/report-off-$j" | head -5)"
    cmp -s "$T/err-on-$j" "$T/err-off-$j" || die "-j $j: stderr differs: $(diff "$T/err-on-$j" "$T/err-off-$j" | head -5)"
done
cmp -s "$T/report-on-1" "$T/report-on-2" || die "-j 1 and -j 2 differ"
cmp -s "$T/list-on" "$T/list-off" || die "registries differ: $(diff "$T/list-on" "$T/list-off" | head -5)"
echo ok
# The tool reads LEAKPRINT_IO_URING and tells the library: with 0, no ring
# is set up at all (checked where strace is installed and allowed).
if command -v strace >/dev/null && strace -qq -o /dev/null true 2>/dev/null; then
    strace -f -qq -e trace=io_uring_setup -o "$T/trace-off" env LEAKPRINT_IO_URING=0 \
        "$LP" --db "$T/reg-off" scan -q -j 1 "$FIX/proj" >/dev/null || true
    expect_eq "no ring with LEAKPRINT_IO_URING=0" 0 "$(grep -c io_uring_setup "$T/trace-off" || true)"
fi
