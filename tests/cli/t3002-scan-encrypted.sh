#!/usr/bin/env bash
# Encrypted archives: --password (repeatable) and --password-file; what
# cannot be decrypted is named as skipped with the reason. libarchive 3.6
# decrypts zip only: an encrypted 7z is named as such with or without the
# password (docs/cli/scan.md).
. "$(dirname "$0")/lib.sh"
add_proj 1.0
cd "$T"
cp "$FIX/proj/src/ring.c" .
zip -q -P s3cret enc.zip ring.c
7zz a -bd -bso0 -bse0 -ps3cret enc.7z ring.c
7zz a -bd -bso0 -bse0 -ps3cret -mhe=on henc.7z ring.c
printf 'wrong\ns3cret\n' >pw.txt

run_rc "$LP" scan --format json enc.zip
expect_eq "no password exit" 2 "$rc"
expect_eq "no password" "encrypted, no password given (--password): Passphrase required for this entry" \
    "$(jqv '.skipped[0].reason')"
expect_eq "no password path" "enc.zip!ring.c" "$(jqv '.skipped[0].path')"
expect_one_line_error "^leakprint: 'enc.zip!ring.c': encrypted, no password given"

run_rc "$LP" scan --format json --password wrong enc.zip
expect_eq "wrong password" "encrypted, no password given fits: Incorrect passphrase" \
    "$(jqv '.skipped[0].reason')"

run_rc "$LP" scan --format json --password wrong --password s3cret enc.zip
expect_eq "right password exit" 1 "$rc"
expect_eq "right password" "enc.zip!ring.c true" "$(jqv '.files[0] | "\(.path) \(.matches[0].exact)"')"
expect_eq "right password skipped" 0 "$(jqv '.skipped | length')"

run_rc "$LP" scan --format json --password-file pw.txt enc.zip
expect_eq "password file" 1 "$rc"
run_rc "$LP" scan --password-file missing.txt enc.zip
expect_eq "password file missing" 2 "$rc"
expect_one_line_error "^leakprint: 'missing.txt': No such file or directory$"

for pw in "" "--password s3cret"; do
    # shellcheck disable=SC2086
    run_rc "$LP" scan --format json $pw enc.7z
    expect_eq "7z exit ($pw)" 2 "$rc"
    expect_eq "7z ($pw)" "enc.7z!ring.c: encrypted, with a cipher libarchive cannot decrypt (7-Zip AES, RAR): The file content is encrypted, but currently not supported" \
        "$(jqv '.skipped[0] | "\(.path): \(.reason)"')"
    # shellcheck disable=SC2086
    run_rc "$LP" scan --format json $pw henc.7z
    expect_eq "7z header ($pw)" "henc.7z: damaged or truncated archive: The archive header is encrypted, but currently not supported (not read)" \
        "$(jqv '.skipped[0] | "\(.path): \(.reason)"')"
done
# The password is never echoed.
run_rc "$LP" scan --format json --password s3cret enc.7z
! grep -q s3cret "$T/out" "$T/err" || die "password in the output"
