#!/usr/bin/env bash
# add reads archives: one given as a path is the tree itself (its one top
# directory dropped, as a directory's name is); one inside a directory is
# named "dir/x.tar.gz!member".
. "$(dirname "$0")/lib.sh"
cd "$T"
cp -r "$FIX/proj" gw-1.0
tar czf gw-1.0.tar.gz gw-1.0
"$LP" add -q --name gw --version 1.0 gw-1.0.tar.gz
run_rc "$LP" scan --format json "$FIX/proj/src/ring.c"
expect_eq "archive path" "gw:src/ring.c" \
    "$(jqv '[.files[0].matches[] | "\(.collection):\(.asset)"] | join(" ")')"
# The directory holds the same five contents: no new blob.
"$LP" add -q --name gwdir --version 1.0 gw-1.0
expect_eq "same contents" 5 "$("$LP" stats --format json | jq .blobs)"
mkdir vendor
mv gw-1.0.tar.gz vendor/
cp "$FIX/other/csv.c" vendor/
export LEAKPRINT_DB=$T/reg2
"$LP" add -q --name vend --version 1 vendor
"$LP" scan --format json "$FIX/proj/src/config.c" >"$T/out" || true
expect_eq "nested path" "vend:gw-1.0.tar.gz!gw-1.0/src/config.c" \
    "$(jqv '[.files[0].matches[] | select(.collection == "vend") | "\(.collection):\(.asset)"] | join(" ")')"
# An archive over --max-file-size is streamed from its file.
tar cf big.tar gw-1.0
export LEAKPRINT_DB=$T/reg3
"$LP" add -q --name big --max-file-size 4K big.tar
expect_eq "streamed add" 5 "$("$LP" stats --format json | jq .files)"
