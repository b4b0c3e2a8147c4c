#!/usr/bin/env bash
# Binaries: a protected tool rebuilt with a one-line patch or at another
# optimisation level is found by its printable strings (matched as prose)
# and its TLSH distance is given; a firmware image with 1% of its bytes
# changed is found by TLSH alone; an unrelated binary matches nothing.
. "$(dirname "$0")/lib.sh"
cd "$T"
src=$FIX/tools/acme-deploy.c
mkdir prot
gcc -O2 -o prot/acme-deploy "$src"
python3 - <<'PY'
import random
r = random.Random(7)
img = bytes(r.randrange(256) for _ in range(65536))
open("prot/fw.bin", "wb").write(img)
b = bytearray(img)
for i in range(0, len(b), 100):   # 1% of the bytes
    b[i] ^= 0x5a
open("fw-patched.bin", "wb").write(bytes(b))
PY
"$LP" add -q --name tools prot
sed 's/rolling restart/rolling restart and canary/' "$src" >patched.c
gcc -O2 -o acme-patched patched.c
gcc -O0 -g -o acme-O0 "$src"
cp prot/acme-deploy acme-stripped && strip acme-stripped

run_rc "$LP" scan --format json acme-patched acme-O0 acme-stripped fw-patched.bin
expect_eq "exit" 1 "$rc"
expect_eq "level" confirmed "$(jqv .verdict.level)"
for f in acme-patched acme-O0 acme-stripped; do
    q=".files[] | select(.path == \"$f\") | .matches[0]"
    expect_eq "$f kind" binary "$(jqv ".files[] | select(.path == \"$f\") | .kind")"
    expect_eq "$f asset" acme-deploy "$(jqv "$q | .asset")"
    expect_at_least "$f evidence" 8 "$(jqv "$q | .evidence")"
    [ "$(jqv "$q | .tlsh_distance")" -ge 0 ] || die "$f: no TLSH distance"
done
expect_at_least "patched similarity" 0.7 "$(jqv '.files[] | select(.path == "acme-patched") | .matches[0].similarity')"
q='.files[] | select(.path == "fw-patched.bin") | .matches[0]'
expect_eq "firmware asset" fw.bin "$(jqv "$q | .asset")"
d=$(jqv "$q | .tlsh_distance")
[ "$d" -le 30 ] || die "firmware TLSH distance $d > 30"
run_rc "$LP" scan fw-patched.bin
grep -q "TLSH distance $d" "$T/out" || die "text: $(cat "$T/out")"

# An unrelated binary: nothing.
run_rc "$LP" scan --format json /usr/bin/true
expect_eq "unrelated" none "$(jqv .verdict.level)"
