#!/usr/bin/env bash
# Issue 15, point 3: low-information regions alone make no match. lexer.c
# shares with the registered tally.c only a long `case 'A': ... case 'z':`
# list (18 fingerprints, once "likely" at similarity 0.43); the Makefile of
# another tool by the same author shares its variables and install idioms
# with the registered Makefile (similarity 0.31). Neither is reported. A
# copied Makefile (names changed) and a copied function still are.
. "$(dirname "$0")/lib.sh"
F=$FIX/evidence-floor
"$LP" add -q --name tally "$F/prot"
mkdir -p "$T/leak"
cp "$F/leak/lexer.c" "$F/leak/Makefile" "$T/leak/"
run_rc "$LP" scan -j 1 --format json "$T/leak"
expect_eq "exit" 0 "$rc"
expect_eq "level" none "$(jqv '.verdict.level')"
expect_eq "files" 0 "$(jqv '.files | length')"
[ ! -s "$T/err" ] || die "stderr: $(cat "$T/err")"

# Copies: the registered Makefile with the tool renamed, and kind_of()
# (the case list and the code around it, lines 19-41) pasted into lexer.c.
sed 's/tally/counter/g' "$F/prot/Makefile" > "$T/leak/Makefile"
{ cat "$F/leak/lexer.c"; sed -n '19,41p' "$F/prot/tally.c"; } > "$T/leak/lexer.c"
run_rc "$LP" scan -j 1 --format json "$T/leak"
expect_eq "exit copies" 1 "$rc"
expect_eq "matched" '["Makefile","tally.c"]' \
    "$(jqv '[.files[].matches[0].asset] | sort | tojson')"
expect_eq "makefile similarity" 1 \
    "$(jqv '.files[] | select(.path | endswith("Makefile")) | .matches[0].similarity')"
echo ok
