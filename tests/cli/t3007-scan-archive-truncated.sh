#!/usr/bin/env bash
# A truncated archive (zip, tar.gz, tar.xz, 7z, a compressed file; alone
# or inside another archive) gives every member it holds whole; the member
# cut short is named "damaged or truncated" (and read up to the cut), or
# the archive is named with the member it stopped after. Never silent.
. "$(dirname "$0")/lib.sh"
add_proj 1.0
D=$T/d
mkdir -p "$D"
cp "$FIX/proj/src/config.c" "$FIX/proj/src/ring.c" "$D/"
# 40 KB that does not compress, between the two.
python3 -c "import random; random.seed(7); print(''.join(random.choice('abcdefghij \n') for _ in range(40000)))" >"$D/mid.txt"
(
    cd "$D"
    zip -q ../x.zip config.c mid.txt ring.c
    tar czf ../x.tar.gz config.c mid.txt ring.c
    tar cJf ../x.tar.xz config.c mid.txt ring.c
    7zz a -bd -bso0 -bse0 ../x.7z config.c mid.txt ring.c
    gzip -c ring.c >../ring.c.gz
)

# cut FILE PERCENT OUT: the first PERCENT % of FILE's bytes.
cut_at() { head -c $(($(stat -c %s "$1") * $2 / 100)) "$1" >"$3"; }

for f in x.zip x.tar.gz x.tar.xz; do
    ext=${f#x.}
    for pct in 10 50 90; do
        cut_at "$T/$f" "$pct" "$T/cut.$ext"
        run_rc "$LP" scan --format json "$T/cut.$ext"
        expect_eq "$f@$pct exit (found, some cut)" 1 "$rc"
        # config.c, whole before the cut, is found; mid.txt is cut short.
        expect_eq "$f@$pct whole" "$T/cut.$ext!config.c true" \
            "$(jqv '[.files[] | "\(.path) \(.matches[0].exact)"] | join(" ")')"
        expect_eq "$f@$pct cut" "$T/cut.$ext!mid.txt" "$(jqv '.skipped[0].path')"
        jqv '.skipped[0].reason' | grep -qE '^damaged or truncated after [0-9]+ bytes: .* \(read up to there\)$' ||
            die "$f@$pct reason: $(jqv '.skipped[0].reason')"
        expect_eq "$f@$pct one line" 1 "$(wc -l <"$T/err")"
        expect_eq "$f@$pct scanned" 2 "$(jqv '.scope.files_scanned')"
    done
    # Cut inside ring.c (the last member, 400 bytes before the end): read
    # up to the cut, and said.
    head -c $(($(stat -c %s "$T/$f") - 400)) "$T/$f" >"$T/cut.$ext"
    run_rc "$LP" scan --format json "$T/cut.$ext"
    expect_eq "$f@99 cut (found, cut)" "1 $T/cut.$ext!ring.c" "$rc $(jqv '.skipped[0].path')"
    expect_eq "$f@99 scanned" 3 "$(jqv '.scope.files_scanned')"
done

# A tar.gz cut between members (in the gzip trailer): the members are all
# whole, and the cut stream is said.
head -c $(($(stat -c %s "$T/x.tar.gz") - 4)) "$T/x.tar.gz" >"$T/trailer.tar.gz"
run_rc "$LP" scan --format json "$T/trailer.tar.gz"
expect_eq "trailer exit (found, cut)" 1 "$rc"
expect_eq "trailer files" 2 "$(jqv '.files | length')"
expect_eq "trailer said" "$T/trailer.tar.gz: damaged or truncated archive after member 'ring.c': gzip stream truncated (rest not read)" \
    "$(jqv '.skipped[] | "\(.path): \(.reason)"')"

# A 7z keeps its index at its end: cut, nothing of it can be read, said.
for pct in 10 50 99; do
    cut_at "$T/x.7z" "$pct" "$T/cut.7z"
    run_rc "$LP" scan --format json "$T/cut.7z"
    expect_eq "7z@$pct" "2 0 $T/cut.7z" "$rc $(jqv '.files | length') $(jqv '.skipped[0].path')"
    jqv '.skipped[0].reason' | grep -q '^damaged or truncated archive: .* (not read)$' ||
        die "7z@$pct reason: $(jqv '.skipped[0].reason')"
done

# A compressed file cut: its content up to the cut, said.
cut_at "$T/ring.c.gz" 70 "$T/cut.c.gz"
run_rc "$LP" scan --format json "$T/cut.c.gz"
expect_eq "gz exit (found, cut)" 1 "$rc"
jqv '.skipped[0] | "\(.path): \(.reason)"' |
    grep -qE "^$T/cut.c.gz!cut.c: damaged or truncated after [0-9]+ bytes: gzip stream truncated \(read up to there\)$" ||
    die "gz: $(jqv .skipped)"
expect_eq "gz scanned" 1 "$(jqv '.scope.files_scanned')"
# Cut in its header: nothing to read, said.
head -c 5 "$T/ring.c.gz" >"$T/head.gz"
run_rc "$LP" scan --format json "$T/head.gz"
expect_eq "gz header" "2 $T/head.gz: damaged or truncated archive: gzip stream truncated (not read)" \
    "$rc $(jqv '.skipped[] | "\(.path): \(.reason)"')"

# Nested: a cut tar.gz inside a zip.
cut_at "$T/x.tar.gz" 50 "$T/cut.tar.gz"
(cd "$T" && zip -q outer.zip cut.tar.gz)
run_rc "$LP" scan --format json "$T/outer.zip"
expect_eq "nested exit (found, cut)" 1 "$rc"
expect_eq "nested whole" "$T/outer.zip!cut.tar.gz!config.c" "$(jqv '.files[0].path')"
expect_eq "nested cut" "$T/outer.zip!cut.tar.gz!mid.txt" "$(jqv '.skipped[0].path')"

# A zip cut in its central directory: the members are whole, and the
# missing directory is said.
head -c $(($(stat -c %s "$T/x.zip") - 30)) "$T/x.zip" >"$T/cd.zip"
run_rc "$LP" scan --format json "$T/cd.zip"
expect_eq "zip directory exit (found, cut)" 1 "$rc"
expect_eq "zip directory files" 2 "$(jqv '.files | length')"
jqv '.skipped[0].reason' | grep -q "^damaged or truncated zip: no central directory at its end" ||
    die "zip directory: $(jqv .skipped)"

# Two tars in one gzip stream (cat a.tar b.tar | gzip): libarchive stops at
# the first one's end; what follows is said, not lost in silence.
tar cf "$T/a.tar" -C "$D" config.c
tar cf "$T/b.tar" -C "$D" ring.c
cat "$T/a.tar" "$T/b.tar" | gzip >"$T/cat.tar.gz"
run_rc "$LP" scan --format json "$T/cat.tar.gz"
expect_eq "concatenated (found, rest not read)" "1 $T/cat.tar.gz: data after the end of the archive, after member 'config.c' (another archive appended?) (not read)" \
    "$rc $(jqv '.skipped[] | "\(.path): \(.reason)"')"
