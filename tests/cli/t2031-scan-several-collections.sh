#!/usr/bin/env bash
# Several collections (issue 15, point 10): files registered in two
# collections are credited to each (a match per collection, whatever
# --max-matches says), each has its scope, and the verdict names both.
. "$(dirname "$0")/lib.sh"
"$LP" add -q --name gw --version 1.0 "$FIX/proj"
mkdir -p "$T/edge/lib"
cp "$FIX/proj/src/ring.c" "$FIX/proj/src/config.c" "$FIX/other/csv.c" \
    "$T/edge/lib/"
"$LP" add -q --name edge --version 3.1 "$T/edge"

# An identical copy of config.c and a renamed one of ring.c.
mkdir -p "$T/s"
cp "$FIX/proj/src/config.c" "$T/s/config.c"
sed 's/pkt_ring/packet_queue/g' "$FIX/proj/src/ring.c" >"$T/s/queue.c"
for mm in 3 5 1; do
    run_rc "$LP" scan --format json --max-matches "$mm" "$T/s"
    expect_eq "exit ($mm)" 1 "$rc"
    expect_eq "summary ($mm)" \
        "2 of 2 files come from protected collections 'gw' (1.0) and 'edge' (3.1)" \
        "$(jqv .verdict.summary)"
    expect_eq "scope ($mm)" '[["gw",2,"1.0"],["edge",2,"3.1"]]' \
        "$(jqv '[.scope.collections[] | [.name, .assets_matched, .versions.best]] | tojson')"
    expect_eq "matches ($mm)" \
        '[["config.c",["gw:src/config.c","edge:lib/config.c"]],["queue.c",["gw:src/ring.c","edge:lib/ring.c"]]]' \
        "$(jqv '[.files[] | [(.path | split("/") | last), [.matches[] | "\(.collection):\(.asset)"]]] | sort | tojson')"
done
expect_eq "edge directories" '[{"path":"lib","matched":2,"files":3}]' \
    "$(jqv '.scope.collections[1].directories | tojson')"
expect_eq "same scores" true \
    "$(jqv '[.files[] | .matches[0].similarity == .matches[1].similarity and .matches[0].spans == .matches[1].spans] | all')"

# The text report names both, in the verdict, the scope and each file.
run_rc "$LP" scan "$T/s"
expect_eq "text exit" 1 "$rc"
grep -qxF "         2 of 2 files come from protected collections 'gw' (1.0) and 'edge' (3.1)" \
    "$T/out" || die "text summary: $(cat "$T/out")"
grep -qE "^SCOPE    gw: 2 of 5 files" "$T/out" || die "text: no gw scope"
grep -qE "^         edge: 2 of 3 files" "$T/out" || die "text: no edge scope"
expect_eq "text matches" 4 "$(grep -cE '^    <- (gw:src|edge:lib)/' "$T/out")"
