#!/usr/bin/env bash
# Encrypted archives: --password (repeatable) and --password-file; what
# cannot be decrypted is named as skipped with the reason. libarchive
# decrypts zip; an encrypted 7z (its data, or its header too) is read
# through 7zz, in memory, nested or not, trying each password.
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

run_rc "$LP" scan --format json enc.7z henc.7z
expect_eq "7z no password exit" 2 "$rc"
expect_eq "7z no password" "enc.7z!ring.c: encrypted, no password given (--password): The file content is encrypted, but currently not supported|henc.7z: encrypted, no password given (--password): The archive header is encrypted, but currently not supported" \
    "$(jqv '[.skipped[] | "\(.path): \(.reason)"] | join("|")')"
run_rc "$LP" scan --format json --password wrong enc.7z henc.7z
expect_eq "7z wrong password" "enc.7z: encrypted: 7zz could not extract it with any password given (wrong password, or damaged)|henc.7z: encrypted: 7zz could not extract it with any password given (wrong password, or damaged)" \
    "$(jqv '[.skipped[] | "\(.path): \(.reason)"] | join("|")')"
zip -q nest.zip enc.7z henc.7z
run_rc "$LP" scan --format json --password wrong --password-file pw.txt enc.7z henc.7z nest.zip
expect_eq "7z right password exit" 1 "$rc"
expect_eq "7z right password" "enc.7z!ring.c henc.7z!ring.c nest.zip!enc.7z!ring.c nest.zip!henc.7z!ring.c" \
    "$(jqv '[.files[] | select(.matches[0].exact) | .path] | sort | join(" ")')"
expect_eq "7z right password skipped" 0 "$(jqv '.skipped | length')"
# The password is never echoed.
run_rc "$LP" scan --format json --password s3cret enc.7z henc.7z enc.zip
! grep -q s3cret "$T/out" "$T/err" || die "password in the output"
# The tool finds 7zz on the PATH and hands its path to the library: with
# no 7zz there, an encrypted 7z is named as skipped, and why.
mkdir "$T/no7zz" # every program of /usr/bin but 7-Zip's
for f in /usr/bin/*; do
    case ${f##*/} in 7z*) ;; *) ln -s "$f" "$T/no7zz/" ;; esac
done
run_rc env PATH="$T/no7zz" "$LP" scan --format json --password s3cret enc.7z henc.7z
expect_eq "no 7zz exit" 2 "$rc"
expect_eq "no 7zz" "enc.7z!ring.c: encrypted, with a cipher libarchive cannot decrypt (7-Zip AES, RAR), and no 7zz to read it: The file content is encrypted, but currently not supported|henc.7z: encrypted, with a cipher libarchive cannot decrypt (7-Zip AES, RAR), and no 7zz to read it: The archive header is encrypted, but currently not supported" \
    "$(jqv '[.skipped[] | "\(.path): \(.reason)"] | sort | join("|")')"
