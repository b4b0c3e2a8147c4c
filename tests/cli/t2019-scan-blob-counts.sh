#!/usr/bin/env bash
# The matcher sizes its table of distinct asset places by the entries the
# registry's metadata gives the asset (blob.nfp, blob.nafp), and counts
# again in a table sized by the hits when there are more places than that
# (src/match/match.c, asset_distinct). Here the counts are set to 1 behind the
# tool's back: the evidence and similarity of a reformatted copy stay what
# they were (coverage, their share of that count, is then capped at 1).
. "$(dirname "$0")/lib.sh"
add_proj 1.0
mkdir -p "$T/leak"
sed -e '/^\s*\/\*/d' -e '/^ \*/d' -e 's/^    /\t/' -e '/^$/d' \
    "$FIX/proj/src/ring.c" >"$T/leak/ring_buffer.c"
fields='.files[0].matches[0] | [.asset, .evidence, .similarity, .fingerprints] | tojson'
run_rc "$LP" scan --format json "$T/leak"
expect_eq "exit" 1 "$rc"
before=$(jqv "$fields")
expect_eq "asset" '"src/ring.c"' "$(jqv '.files[0].matches[0].asset | tojson')"
python3 - "$LEAKPRINT_DB/meta.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE blob SET nfp = 1, nafp = 1")
db.commit()
db.close()
PY
run_rc "$LP" scan --format json "$T/leak"
expect_eq "exit, counts of 1" 1 "$rc"
expect_eq "the same evidence" "$before" "$(jqv "$fields")"
expect_eq "coverage" 1 "$(jqv '.files[0].matches[0].coverage')"
[ ! -s "$T/err" ] || die "stderr: $(cat "$T/err")"
echo ok
