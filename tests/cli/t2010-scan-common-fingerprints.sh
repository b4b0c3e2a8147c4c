#!/usr/bin/env bash
# A fingerprint found in more than 256 places of the registry is
# boilerplate and is ignored (LP_MAX_HITS_PER_HASH): ring.c inside 250
# registered files is still found, inside 260 it no longer is.
. "$(dirname "$0")/lib.sh"
# many DIR N: N files, each ring.c followed by a function of its own.
many() {
    mkdir -p "$1"
    for i in $(seq 1 "$2"); do
        { cat "$FIX/proj/src/ring.c"
          printf 'int own_%d(int a_%d) { return a_%d * %d + %d; }\n' "$i" "$i" "$i" "$i" "$((i * 7))"
        } >"$1/f$i.c"
    done
}
many "$T/p250" 250
"$LP" add -q --name p --version 1 "$T/p250"
run_rc "$LP" scan --format json "$FIX/proj/src/ring.c"
expect_eq "250 places: found" 1 "$(jqv .scope.files_matched)"

export LEAKPRINT_DB="$T/reg2"
many "$T/p260" 260
"$LP" add -q --name p --version 1 "$T/p260"
run_rc "$LP" scan --format json "$FIX/proj/src/ring.c"
expect_eq "260 places: ignored" 0 "$(jqv .scope.files_matched)"
expect_eq "260 places: level" none "$(jqv .verdict.level)"
