#!/usr/bin/env bash
# A flipped byte in a segment is caught by its checksum: one line naming the
# segment, exit 2, never read as data.
. "$(dirname "$0")/lib.sh"
add_proj 1.0
seg=$(ls "$LEAKPRINT_DB"/seg-*.lps | head -1)
size=$(stat -c %s "$seg")
off=$((size - 7))
byte=$(od -An -tu1 -j "$off" -N1 "$seg" | tr -d ' ')
printf "$(printf '\\%03o' $(( (byte ^ 0x5a) & 255 )))" |
    dd of="$seg" bs=1 seek="$off" conv=notrunc status=none
run_rc "$LP" scan "$FIX/proj"
expect_eq "exit" 2 "$rc"
expect_one_line_error "'$seg': checksum mismatch"
