#!/usr/bin/env bash
# add --public registers background material (third-party code a vendor
# embeds): content a public collection holds is never reported, even when a
# protected collection holds it too, and does not count as evidence.
. "$(dirname "$0")/lib.sh"
"$LP" add -q --public --name upstream --version 1 "$FIX/proj/src/ring.c"
run_rc "$LP" scan --format json "$FIX/proj"
expect_eq "public only exit" 0 "$rc"
expect_eq "public only level" none "$(jqv .verdict.level)"
run_rc "$LP" list --format json
expect_eq "public flag" true "$(jqv '.collections[0].public')"
add_proj 1.0
# ring.c is also protected now: identical, still not a leak.
run_rc "$LP" scan --format json "$FIX/proj/src/ring.c"
expect_eq "shared exit" 0 "$rc"
expect_eq "shared files" 0 "$(jqv '.files | length')"
# config.c is only protected.
run_rc "$LP" scan --format json "$FIX/proj/src/config.c"
expect_eq "protected exit" 1 "$rc"
expect_eq "protected collection" gw "$(jqv '.files[0].matches[0].collection')"
# Both in one file: only the protected half is evidence, and its span is
# where config.c was pasted.
mkdir -p "$T/mix"
cat "$FIX/proj/src/ring.c" "$FIX/proj/src/config.c" >"$T/mix/both.c"
ring_lines=$(wc -l <"$FIX/proj/src/ring.c")
run_rc "$LP" scan --format json "$T/mix"
expect_eq "mixed exit" 1 "$rc"
expect_eq "mixed asset" src/config.c "$(jqv '.files[0].matches[0].asset')"
expect_eq "mixed matches" 1 "$(jqv '.files[0].matches | length')"
first=$(jqv '[.files[0].matches[0].spans[].lines[0]] | min')
[ "$first" -gt "$ring_lines" ] || die "a span starts at line $first, inside the public part (1-$ring_lines)"
sim=$(jqv '.files[0].matches[0].similarity')
awk -v s="$sim" 'BEGIN { exit !(s >= 0.9) }' ||
    die "similarity $sim: the public half must not count in the file's evidence"
