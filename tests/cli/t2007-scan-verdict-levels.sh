#!/usr/bin/env bash
# Each verdict level on a sample built for it (docs/VERDICT.md):
#   unlikely   a 10-line fragment of a protected function in another file
#   likely     one strong file: a 30-line protected function pasted
#   confirmed  3 copies in a small sample
#   likely     the same 3 copies lost among 300 unrelated files, when they
#              are a small share of a large collection (shared third-party
#              code looks like this)
. "$(dirname "$0")/lib.sh"

# gen DIR N SEED: N distinct generated C files (different names, constants
# and statement orders), so that they share no run of 27 tokens.
gen() {
    mkdir -p "$1"
    awk -v dir="$1" -v n="$2" -v seed="$3" 'BEGIN {
        srand(seed)
        for (f = 0; f < n; f++) {
            out = sprintf("%s/gen%03d.c", dir, f)
            for (g = 0; g < 4; g++) {
                name = sprintf("fn_%d_%d_%d", seed, f, g)
                printf "int %s(int a%d, int b%d)\n{\n", name, f, g > out
                for (l = 0; l < 6; l++)
                    printf "    a%d = a%d * %d + b%d %% %d;\n", f, f, int(rand() * 1000), g, int(rand() * 97) + 2 > out
                printf "    return a%d;\n}\n", f > out
            }
            close(out)
        }
    }'
}

add_proj 1.0
# unlikely: lines 40-49 of ring.c (pkt_ring_push) inside csv.c
mkdir -p "$T/u"
paste_ring 40 49 "$T/u/tool.c"
run_rc "$LP" scan --format json "$T/u"
expect_eq "fragment level" unlikely "$(jqv .verdict.level)"
expect_eq "fragment exit" 0 "$rc"
# The paste is lines 46-55; a span's ends are decided to within a few
# tokens (docs/ACCURACY.md, "Span boundaries"), here a line on each side.
expect_eq "fragment span" "45 54" "$(jqv '.files[0].matches[0].spans[0].lines | "\(.[0]) \(.[1])"')"

# likely: lines 40-69 (push, pop, expire) inside csv.c
mkdir -p "$T/l"
paste_ring 40 69 "$T/l/tool.c"
run_rc "$LP" scan --format json "$T/l"
expect_eq "function level" likely "$(jqv .verdict.level)"
expect_eq "function exit" 1 "$rc"

# A large collection alone in a new registry: the fixture plus 400
# generated files.
export LEAKPRINT_DB="$T/reg2"
gen "$T/big/gen" 400 7
cp -r "$FIX/proj/." "$T/big/"
"$LP" add -q --name big --version 1 "$T/big"
mkdir -p "$T/c"
cp "$FIX/proj/src/ring.c" "$FIX/proj/src/config.c" "$FIX/proj/scripts/deploy.sh" "$T/c/"
run_rc "$LP" scan --format json "$T/c"
expect_eq "copies level" confirmed "$(jqv .verdict.level)"
expect_eq "copies exit" 1 "$rc"
gen "$T/c/noise" 300 8
run_rc "$LP" scan --format json "$T/c"
expect_eq "diluted files" 303 "$(jqv .scope.files_scanned)"
expect_eq "diluted matched" 3 "$(jqv .scope.files_matched)"
expect_eq "diluted level" likely "$(jqv .verdict.level)"
expect_eq "diluted exit" 1 "$rc"
