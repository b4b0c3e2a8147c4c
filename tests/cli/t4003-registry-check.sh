#!/usr/bin/env bash
# A registry that lost its MANIFEST while its metadata or segments hold
# data is corrupt: every command says so (exit 2, one line) and add writes
# nothing. `check` names each problem (exit 2) or none (exit 0); `check
# --repair` rebuilds the manifest from the intact segments, after which
# scan finds what it found before. A damaged segment is named by check
# and never dropped by a repair.
. "$(dirname "$0")/lib.sh"
DB=$LEAKPRINT_DB
add_proj 1.0
"$LP" add -q --name docs --version 1 "$FIX/other"
run_rc "$LP" check
expect_eq "check of a sound registry exit" 0 "$rc"
expect_eq "check of a sound registry" "'$DB': no problem found" "$(cat "$T/out")"
expect_eq "check stderr" "" "$(cat "$T/err")"
"$LP" scan --format json "$FIX/proj" "$FIX/other" >"$T/before.json" || [ $? = 1 ]
summary() { jq -c '[.verdict.level, .scope.files_matched, [.files[] | [.path, .matches[0].asset]]]' "$1"; }
want=$(summary "$T/before.json")
sums() { (cd "$DB" && sha256sum seg-* meta.sqlite); }
sums_before=$(sums)

mv "$DB/MANIFEST" "$T/MANIFEST.lost"
msg="leakprint: '$DB/MANIFEST': missing, but segment files are there (registry is corrupt: see 'leakprint check')"
for cmd in "list" "stats" "scan $FIX/proj" "secrets $FIX/proj" "remove gw" \
           "add --name gw --version 2.0 $FIX/proj" "add --name new $FIX/other"; do
    # shellcheck disable=SC2086
    run_rc "$LP" $cmd
    expect_eq "'$cmd' exit" 2 "$rc"
    expect_eq "'$cmd' stderr" "$msg" "$(cat "$T/err")"
    expect_eq "'$cmd' stdout" "" "$(cat "$T/out")"
done
expect_eq "segments and metadata after the refused adds" "$sums_before" "$(sums)"
[ ! -e "$DB/MANIFEST" ] || die "a refused command wrote a MANIFEST"

run_rc "$LP" check
expect_eq "check exit" 2 "$rc"
expect_eq "check output" "'$DB/MANIFEST': missing, but segment files are there" "$(cat "$T/out")"
expect_eq "check summary" "leakprint: '$DB': 1 problem found (registry is corrupt)" "$(cat "$T/err")"
# the same as one JSON document (docs/schema/check.schema.json)
run_rc "$LP" check --format json
expect_eq "check json exit" 2 "$rc"
expect_eq "check json" "false 1 '$DB/MANIFEST': missing, but segment files are there" \
    "$(jqv '"\(.ok) \(.problems) \(.messages | join("|"))"')"
expect_eq "check json registry" "$DB" "$(jqv '.registry')"
expect_eq "check json summary" "leakprint: '$DB': 1 problem found (registry is corrupt)" "$(cat "$T/err")"
run_rc "$LP" check --format yaml
expect_eq "check format exit" 2 "$rc"
expect_one_line_error "'yaml': unknown format \(text, json\)"

# A segment file of a later generation, left by an add that never
# committed, is not taken into the rebuilt manifest.
last=$(cd "$DB" && ls seg-* | sort | tail -1)
cp "$DB/$last" "$DB/seg-00000009-0.lps"
run_rc "$LP" check --repair
expect_eq "repair exit" 0 "$rc"
printf -v want_out '%s\n' \
    "'$DB/MANIFEST': missing, but segment files are there" \
    "'$DB/seg-00000009-0.lps': not taken (left by an add that did not commit)" \
    "'$DB/MANIFEST': rebuilt: generation 2, 2 segments" \
    "'$DB': no problem found"
expect_eq "repair output" "$want_out" "$(cat "$T/out")"$'\n'
cmp -s "$DB/MANIFEST" "$T/MANIFEST.lost" || die "the rebuilt manifest differs from the lost one"
"$LP" scan --format json "$FIX/proj" "$FIX/other" >"$T/after.json" || [ $? = 1 ]
expect_eq "scan after the repair" "$want" "$(summary "$T/after.json")"
run_rc "$LP" add -q --name gw --version 2.0 "$FIX/proj"
expect_eq "add after the repair exit" 0 "$rc"
[ ! -e "$DB/seg-00000009-0.lps" ] || die "the next writer kept the stray segment"

# One flipped byte in a live segment: check names the segment.
seg=$(cd "$DB" && ls seg-* | sort | head -1)
printf '\x55' | dd of="$DB/$seg" bs=1 seek=200 conv=notrunc 2>/dev/null
run_rc "$LP" check
expect_eq "damaged segment exit" 2 "$rc"
expect_eq "damaged segment" "'$DB/$seg': checksum mismatch (segment is corrupt)" "$(cat "$T/out")"
# ... and a repair of a lost manifest does not drop it.
rm "$DB/MANIFEST"
run_rc "$LP" check --repair
expect_eq "repair with a damaged segment exit" 2 "$rc"
grep -qx "'$DB/MANIFEST': not rebuilt: a segment is damaged .*" "$T/out" || die "repair: $(cat "$T/out")"
[ ! -e "$DB/MANIFEST" ] || die "a manifest was written without the damaged segment"

# Metadata with rows but no segment file and no manifest; no metadata but
# a manifest: both corrupt.
mkdir "$T/away" && mv "$DB"/seg-* "$T/away/"
run_rc "$LP" list
expect_eq "rows without manifest exit" 2 "$rc"
expect_eq "rows without manifest" "leakprint: '$DB/MANIFEST': missing, but the metadata holds data (registry is corrupt: see 'leakprint check')" "$(cat "$T/err")"
rm -rf "$DB"
add_proj 1.0
rm "$DB/meta.sqlite"
run_rc "$LP" add -q --name gw --version 2.0 "$FIX/proj"
expect_eq "no metadata exit" 2 "$rc"
expect_eq "no metadata" "leakprint: '$DB/meta.sqlite': missing, but the manifest is there (registry is corrupt: see 'leakprint check')" "$(cat "$T/err")"
[ ! -e "$DB/meta.sqlite" ] || die "add made a new metadata file"
run_rc "$LP" check
expect_eq "check without metadata exit" 2 "$rc"
expect_eq "check without metadata" "'$DB/meta.sqlite': missing" "$(head -1 "$T/out")"
# No registry at all.
run_rc "$LP" --db "$T/none" check
expect_eq "check of nothing exit" 2 "$rc"
expect_eq "check of nothing" "'$T/none': no registry here" "$(cat "$T/out")"
exit 0
