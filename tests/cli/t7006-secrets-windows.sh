#!/usr/bin/env bash
# Secrets are sought in all of a file: a line longer than --max-line (a
# minified bundle) is read whole, and a file larger than --max-file-size is
# read in windows that overlap, each secret reported once with its real
# line and column (issue 13: nothing skipped that the engine can read).
. "$(dirname "$0")/lib.sh"
cd "$T"
key=AKIAZZZZ2222EXAMPLEX # made up

# A 10 MB bundle on one line, the key in its middle.
python3 - "$key" <<'PY'
import sys
key = sys.argv[1]
half = "var a=1;" * (5 << 17)  # 5 MiB
open("bundle.min.js", "w").write(half + 'k="' + key + '";' + half + "\n")
PY
run_rc "$LP" secrets --format json bundle.min.js
expect_eq "bundle exit" 1 "$rc"
expect_eq "bundle stderr" "" "$(cat "$T/err")"
expect_eq "bundle finding" "aws-access-key-id 1 $((5 * 1048576 + 4))" \
    "$(jqv '.secrets[] | "\(.rule) \(.line) \(.column)"')"

# 3.5 MB of 100-byte lines with the key on chosen lines, read in windows
# of 1 MiB overlapping by 64 KiB: lines in a window's middle, in the
# overlap of two windows (each side of its middle), and the last line.
lines="7 10160 10322 10486 20650 20811 36000"
python3 - "$key" $lines <<'PY'
import sys
key, at = sys.argv[1], set(int(x) for x in sys.argv[2:])
with open("big.log", "w") as f:
    for n in range(1, 36001):
        if n in at:
            f.write(("id=%s " % key).ljust(99, "x") + "\n")
        else:
            f.write("%06d " % n + "x" * 92 + "\n")
PY
run_rc "$LP" secrets --format json --max-file-size 1M big.log
expect_eq "windows exit" 1 "$rc"
expect_eq "windows stderr" "" "$(cat "$T/err")"
expect_eq "windows findings" "$(for l in $lines; do printf '%s 4\n' "$l"; done)" \
    "$(jqv '.secrets[] | "\(.line) \(.column)"')"
expect_eq "windows skipped" 0 "$(jqv '.skipped | length')"

# Across a window's start in the middle of a line: the column counts from
# the line's start.
python3 - "$key" <<'PY'
import sys
key = sys.argv[1]
w, ov = 1 << 20, 1 << 16
start = w - ov  # the second window starts here
pad = "y" * (start + 40000 - 3)  # the key 40000 bytes into the window
open("long.txt", "w").write("head\n" + pad[5:] + ' k=' + key + " tail\n")
PY
run_rc "$LP" secrets --format json --max-file-size 1M long.txt
expect_eq "mid-line exit" 1 "$rc"
expect_eq "mid-line finding" "2 $((1048576 - 65536 + 39996))" \
    "$(jqv '.secrets[] | "\(.line) \(.column)"')"

# scan --secrets: the big file is searched for secrets but not compared,
# and says so.
add_proj 1.0
run_rc "$LP" scan --secrets --format json --max-file-size 1M big.log
expect_eq "scan --secrets exit" 1 "$rc"
expect_one_line_error "^leakprint: 'big.log': larger than 1048576 bytes \\(--max-file-size\\): searched for secrets in windows, not compared$"
expect_eq "scan --secrets findings" "$(for l in $lines; do printf '%s\n' "$l"; done)" \
    "$(jqv '.secrets[] | .line')"
