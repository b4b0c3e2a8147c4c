#!/usr/bin/env bash
# Issue 15, point 1: a match needs a minimum of evidence in absolute terms.
# clamp.c shares with the registered tally.c only its pair of MIN/MAX
# macros (2 lines, 6 fingerprints: once reported at similarity 0.35 as
# "likely" when scanned with other files); it is not a match. A real copy
# of a function is still found; --min-tokens sets the floor.
. "$(dirname "$0")/lib.sh"
F=$FIX/evidence-floor
"$LP" add -q --name tally "$F/prot"
mkdir -p "$T/leak"
cp "$F/leak/clamp.c" "$T/leak/"
run_rc "$LP" scan -j 1 --format json "$T/leak"
expect_eq "exit" 0 "$rc"
expect_eq "level" none "$(jqv '.verdict.level')"
expect_eq "files" 0 "$(jqv '.files | length')"
[ ! -s "$T/err" ] || die "stderr: $(cat "$T/err")"

# A real copy: tally.c's window functions (lines 42-70) pasted into clamp.c.
{ cat "$F/leak/clamp.c"; sed -n '42,70p' "$F/prot/tally.c"; } > "$T/leak/clamp.c"
run_rc "$LP" scan -j 1 --format json "$T/leak"
expect_eq "exit copy" 1 "$rc"
expect_eq "asset copy" tally.c "$(jqv '.files[0].matches[0].asset')"
# (the span may start at the macros, which tally.c has above them too)
expect_eq "span covers copy" true \
    "$(jqv '[.files[0].matches[0].spans[].lines] | any(.[0] <= 28 and .[1] >= 54)')"

# A small file that is most of a small registered one is a copy, below
# the floor too: tally.h restyled (about 30 tokens).
sed -e 's/^struct tally;$/struct tally ;/' -e 's/, int kind)/,\n    int kind)/' \
    "$F/prot/tally.h" > "$T/leak/tally_api.h"
run_rc "$LP" scan -j 1 --format json "$T/leak"
expect_eq "header" tally.h \
    "$(jqv '.files[] | select(.path | endswith("tally_api.h")) | .matches[0].asset')"
rm "$T/leak/tally_api.h"

# The floor is --min-tokens: the copy holds about 240 tokens.
run_rc "$LP" scan -j 1 --format json --min-tokens 1000 "$T/leak"
expect_eq "exit 1000" 0 "$rc"
expect_eq "files 1000" 0 "$(jqv '.files | length')"
run_rc "$LP" scan -j 1 --format json --min-tokens 200 "$T/leak"
expect_eq "exit 200" 1 "$rc"

run_rc "$LP" scan --min-tokens 0 "$T/leak"
expect_eq "exit bad" 2 "$rc"
expect_one_line_error "^leakprint: '0': invalid value for --min-tokens \(1-100000\)$"
echo ok
