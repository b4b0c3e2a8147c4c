#!/usr/bin/env bash
# Evidence weighting (docs/VERDICT.md): a fingerprint in at most 4 files of
# the registry weighs 1, in n > 4 files 4/n, and in more than 256 files it
# is boilerplate and ignored (LP_MAX_FILES_PER_HASH): ring.c inside 250
# registered files is still found, inside 260 it no longer is. Versions of
# one file count once.
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
# evidence_ratio: evidence / fingerprints of the first match.
evidence_ratio() {
    jqv '.files[0].matches[0] | (.evidence / .fingerprints * 1000 | round) / 1000'
}
# registry_of N: a new registry holding `many N` (in $T/pN), version 1;
# then a scan of ring.c with any similarity ($T/out).
registry_of() {
    export LEAKPRINT_DB="$T/reg$1"
    many "$T/p$1" "$1"
    "$LP" add -q --name p --version 1 "$T/p$1"
    run_rc "$LP" scan --min-similarity 0 --format json "$FIX/proj/src/ring.c"
}
registry_of 4
expect_eq "4 files: weight" 1 "$(evidence_ratio)"
# Ten more versions of those 4 files (each changes its own function): still
# 4 files, so the same weight.
for v in $(seq 2 11); do
    for i in 1 2 3 4; do echo "int v$v = $v;" >>"$T/p4/f$i.c"; done
    "$LP" add -q --name p --version "$v" "$T/p4"
done
run_rc "$LP" scan --format json "$FIX/proj/src/ring.c"
expect_eq "4 files, 11 versions: weight" 1 "$(evidence_ratio)"

registry_of 8
expect_eq "8 files: weight" 0.5 "$(evidence_ratio)"
expect_eq "8 files: similarity" 0.5 "$(jqv '.files[0].matches[0].similarity')"

# In 250 files, ring.c's fingerprints weigh 4/250: its similarity falls to
# 0.016, below the default threshold, but they still count.
registry_of 250
expect_eq "250 places: found" 1 "$(jqv .scope.files_matched)"
expect_eq "250 places: weight" 0.016 "$(evidence_ratio)"
run_rc "$LP" scan --format json "$FIX/proj/src/ring.c"
expect_eq "250 places: not reported" 0 "$(jqv .scope.files_matched)"

registry_of 260
expect_eq "260 places: ignored" 0 "$(jqv .scope.files_matched)"
expect_eq "260 places: level" none "$(jqv .verdict.level)"

# A fingerprint that one registered file holds in more than 256 places
# (LP_MAX_PLACES_PER_FILE: a table's row pattern) says nothing of origin:
# a file of that pattern alone is not reported, though one registered file
# holds it; the same pattern 200 times is.
export LEAKPRINT_DB="$T/regrep"
row='    { .id = ITEM_ID, .flags = ITEM_FLAGS, .handler = item_handler, .next = NULL },'
table() { # N: a C file whose table repeats one row N times
    echo 'static const struct item items[] = {'
    for _ in $(seq 1 "$1"); do echo "$row"; done
    echo '};'
}
mkdir -p "$T/rep300" "$T/rep200"
table 300 >"$T/rep300/items.c"
table 200 >"$T/rep200/items.c"
"$LP" add -q --name rep --version 300 "$T/rep300"
table 12 >"$T/rows.c"
run_rc "$LP" scan --min-similarity 0 --format json "$T/rows.c"
expect_eq "crowded: ignored" 0 "$(jqv .scope.files_matched)"
export LEAKPRINT_DB="$T/regrep200"
"$LP" add -q --name rep --version 200 "$T/rep200"
run_rc "$LP" scan --min-similarity 0 --format json "$T/rows.c"
expect_eq "not crowded: found" 1 "$(jqv .scope.files_matched)"
