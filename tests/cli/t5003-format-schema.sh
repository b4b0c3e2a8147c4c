#!/usr/bin/env bash
# docs/schema/ and its validator can fail: a report with a wrong enum, a
# missing field, a value out of range, a secret's full value or the JSONL
# summary line out of place is rejected with its JSON path; a test whose
# binary writes an invalid report fails through lib.sh even when the test
# itself checks nothing; and no test runs the binary other than as "$LP".
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
S=$root/docs/schema
validate() { /usr/bin/python3 "$HELPERS/validate.py" "$@"; }
# expect_invalid SCHEMA FILE PATTERN [--lines]: exit 1, an error matching it.
expect_invalid() {
    run_rc validate "$S/$1" "$2" ${4:-}
    expect_eq "exit of validate $1 $(basename "$2")" 1 "$rc"
    grep -qE "$3" "$T/out" || die "no error '$3' in: $(cat "$T/out")"
}

add_proj 1.0
cp -r "$FIX/proj" "$T/leak"
run_rc "$LP" scan --format json "$T/leak"
expect_eq "scan exit" 1 "$rc"
cp "$T/out" "$T/good.json"
run_rc validate "$S/scan.schema.json" "$T/good.json"
expect_eq "valid scan" 0 "$rc"
expect_eq "valid scan says nothing" 0 "$(wc -c <"$T/out")"

jq '.files[0].kind = "source"' "$T/good.json" >"$T/kind.json"
expect_invalid scan.schema.json "$T/kind.json" \
    "^$T/kind.json: \\\$\.files\[0\]\.kind: 'source' is not one of"
jq 'del(.verdict.level)' "$T/good.json" >"$T/level.json"
expect_invalid scan.schema.json "$T/level.json" \
    "\\\$\.verdict: 'level' is a required property"
jq '.files[0].matches[0].spans[0].how = "fuzzy"' "$T/good.json" >"$T/how.json"
expect_invalid scan.schema.json "$T/how.json" "spans\[0\]\.how: 'fuzzy' is not one of"
jq '.files[0].matches[0].similarity = 1.2' "$T/good.json" >"$T/sim.json"
expect_invalid scan.schema.json "$T/sim.json" "similarity: 1.2 is greater than the maximum of 1"
jq '.files[0].matches[0].spans[0].lines = [0, 4]' "$T/good.json" >"$T/line.json"
expect_invalid scan.schema.json "$T/line.json" "lines\[0\]: 0 is less than the minimum of 1"
jq '.verdict.extra = 1' "$T/good.json" >"$T/extra.json"
expect_invalid scan.schema.json "$T/extra.json" "Additional properties are not allowed"
# strict JSON: a key twice, NaN
sed '0,/"assets"/s//"assets": 1, "assets"/' "$T/good.json" >"$T/dup.json"
expect_invalid scan.schema.json "$T/dup.json" "duplicate key 'assets'"
sed '0,/"confidence": [0-9.]*/s//"confidence": NaN/' "$T/good.json" >"$T/nan.json"
expect_invalid scan.schema.json "$T/nan.json" "'NaN' is not JSON"

# JSONL: each line, and the summary line last and only last
run_rc "$LP" scan --format jsonl "$T/leak"
cp "$T/out" "$T/good.jsonl"
run_rc validate "$S/scan-line.schema.json" "$T/good.jsonl" --lines
expect_eq "valid jsonl" 0 "$rc"
{ tail -n 1 "$T/good.jsonl"; head -n 1 "$T/good.jsonl"; } >"$T/order.jsonl"
expect_invalid scan-line.schema.json "$T/order.jsonl" \
    "order.jsonl:1: the summary line is not the last line" --lines
head -n 1 "$T/good.jsonl" | jq -c '.sha256 = "xyz"' >"$T/sha.jsonl"
tail -n 1 "$T/good.jsonl" >>"$T/sha.jsonl"
expect_invalid scan-line.schema.json "$T/sha.jsonl" "sha.jsonl:1: \\\$\.sha256: 'xyz' does not match" --lines
: >"$T/empty.jsonl"
expect_invalid scan-line.schema.json "$T/empty.jsonl" "empty" --lines

# secrets: the masked form is never the value; known goes with known_in
cd "$T"
mkdir app
printf 'AWS_ACCESS_KEY_ID=AKIAZZZZ2222EXAMPLEX\n' >app/.env
run_rc "$LP" secrets --format json app
expect_eq "secrets exit" 1 "$rc"
cp "$T/out" "$T/secrets.json"
jq '.secrets[0].masked = "AKIAZZZZ2222EXAMPLEX"' "$T/secrets.json" >"$T/full.json"
expect_invalid secrets.schema.json "$T/full.json" "secrets\[0\]\.masked: 'AKIAZZZZ2222EXAMPLEX' does not match"
jq '.secrets[0].known = true | del(.secrets[0].known_in)' "$T/secrets.json" >"$T/known.json"
expect_invalid secrets.schema.json "$T/known.json" "secrets\[0\]: 'known_in' is a required property"
jq '.secrets[0].confidence = "certain"' "$T/secrets.json" >"$T/conf.json"
expect_invalid secrets.schema.json "$T/conf.json" "confidence: 'certain' is not one of"

# lib.sh fails a test whose binary writes an invalid report, even when the
# test checks nothing and ends with status 0.
cat >"$T/fake" <<'EOF'
#!/bin/sh
echo '{"tool": {"name": "leakprint", "version": "0.1.0"}}'
EOF
chmod +x "$T/fake"
mkdir "$T/cli"
cp "$HELPERS/../lib.sh" "$T/cli/"
ln -s "$HELPERS" "$T/cli/helpers"
ln -s "$FIX" "$T/fixtures"
mkdir -p "$T/docs" && ln -s "$S" "$T/docs/schema"
printf '. "$(dirname "$0")/lib.sh"\n"$LP" scan --format json x >/dev/null\n' >"$T/cli/t.sh"
run_rc env LEAKPRINT="$T/fake" bash "$T/cli/t.sh"
expect_eq "exit of a test with an invalid report" 1 "$rc"
grep -q "'verdict' is a required property" "$T/err" || die "no schema error: $(cat "$T/err")"
grep -q "FAIL: a JSON report does not follow docs/schema/" "$T/err" || die "no FAIL line"
# the same with a valid report passes
cp "$T/good.json" "$T/fake.json"
printf '#!/bin/sh\ncat "%s"\n' "$T/fake.json" >"$T/fake"
run_rc env LEAKPRINT="$T/fake" bash "$T/cli/t.sh"
expect_eq "exit of a test with a valid report" 0 "$rc"

# Every test runs the binary through the wrapper.
direct=
for f in "$HELPERS"/../t[0-9]*.sh; do
    [ "${f##*/}" != "${0##*/}" ] || continue
    ! grep -qE '\$\{?(LEAKPRINT|LP_REAL)\b|build/leakprint' "$f" || direct+=" $f"
done
expect_eq "tests that bypass \$LP" "" "$direct"
