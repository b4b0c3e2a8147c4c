#!/usr/bin/env bash
# Versions: a sample whose files exist only in 1.0 is consistent with 1.0
# alone; unchanged files are consistent with every version holding them.
. "$(dirname "$0")/lib.sh"
cp -r "$FIX/proj" "$T/v1"
"$LP" add -q --name gw --version 1.0 "$T/v1"
cp -r "$T/v1" "$T/v2"
sed -i 's/r->dropped += n;/r->dropped += n; r->expired += n;/' "$T/v2/src/ring.c"
"$LP" add -q --name gw --version 2.0 "$T/v2"
cp -r "$T/v2" "$T/v3"
echo "install: gatewayd docs" >>"$T/v3/Makefile"
"$LP" add -q --name gw --version 3.0 "$T/v3"

# ring.c of 1.0 and an unchanged file.
mkdir -p "$T/s1"
cp "$T/v1/src/ring.c" "$T/v1/src/config.c" "$T/s1/"
run_rc "$LP" scan --format json "$T/s1"
expect_eq "old best" 1.0 "$(jqv .scope.collections[0].versions.best)"
expect_eq "old consistent" '["1.0"]' "$(jqv '.scope.collections[0].versions.consistent | tojson')"

# ring.c of 2.0 (also in 3.0) with the Makefile of 3.0: only 3.0 has both.
mkdir -p "$T/s3"
cp "$T/v3/src/ring.c" "$T/v3/Makefile" "$T/s3/"
run_rc "$LP" scan --format json "$T/s3"
expect_eq "new best" 3.0 "$(jqv .scope.collections[0].versions.best)"
expect_eq "new consistent" '["3.0"]' "$(jqv '.scope.collections[0].versions.consistent | tojson')"

# Unchanged files only: all three versions hold them; best is the newest.
mkdir -p "$T/s0"
cp "$T/v1/src/config.c" "$T/v1/docs/guide.md" "$T/s0/"
run_rc "$LP" scan --format json "$T/s0"
expect_eq "any best" 3.0 "$(jqv .scope.collections[0].versions.best)"
expect_eq "any consistent" '["1.0","2.0","3.0"]' "$(jqv '.scope.collections[0].versions.consistent | tojson')"
expect_eq "assets total (newest)" 5 "$(jqv .scope.collections[0].assets_total)"

# ring.c of 1.0 with the Makefile of 3.0: no version holds both, and the
# verdict (likely) is 0.05 less sure than its evidence alone would make it.
mkdir -p "$T/mix"
cp "$T/v1/src/ring.c" "$T/v3/Makefile" "$T/mix/"
run_rc "$LP" scan --format json "$T/mix"
expect_eq "mixed consistent" '[]' "$(jqv '.scope.collections[0].versions.consistent | tojson')"
expect_eq "mixed level" likely "$(jqv .verdict.level)"
ev=$(jqv '[.files[].matches[0].evidence] | add')
expect_eq "mixed confidence" \
    "$(awk -v e="$ev" 'BEGIN { e = e >= 150 ? 1 : e / 150; printf "%.3f", 0.6 + 0.2 * e - 0.05 }')" \
    "$(jqv .verdict.confidence | awk '{ printf "%.3f", $1 }')"
