#!/usr/bin/env bash
# The README's sample output of `make demo` is the demo's real output: the
# block after "Its real output" is compared with what demo/run.sh prints
# for its scan, dates aside (a version is dated by the run that adds it).
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# dates: YYYY-MM-DD, the only thing that differs from run to run.
dates() { sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}/YYYY-MM-DD/g'; }
awk '/Its real output/ { want = 1 } want && /^```$/ { if (on) exit; on = 1; next }
     on' "$ROOT/README.md" | dates >"$T/readme.txt"
[ -s "$T/readme.txt" ] || die "README.md: no block after 'Its real output'"
TMPDIR=$T DEMO_REPORT=$T/report.html bash "$ROOT/demo/run.sh" "$LP" >"$T/demo.txt" 2>"$T/demo.err" ||
    die "demo/run.sh failed: $(cat "$T/demo.err")"
# it also writes the HTML report (family 9 opens it in a browser)
expect_eq "html report" "<!DOCTYPE html>" "$(head -n 1 "$T/report.html")"
grep -qxF "demo: HTML report written to $T/report.html (open it: xdg-open $T/report.html)" "$T/demo.txt" ||
    die "demo/run.sh does not say where the HTML report is"
# the scan's output: after its heading, up to the blank line that ends it
awk '/^== scanning demo\/leak$/ { on = 1; next } /^demo: / { exit } on' "$T/demo.txt" |
    sed -e '${/^$/d}' | dates >"$T/real.txt"
[ -s "$T/real.txt" ] || die "demo/run.sh: no scan output: $(cat "$T/demo.txt")"
diff -u "$T/readme.txt" "$T/real.txt" >"$T/diff.txt" ||
    die "README.md's demo output is stale (update it from make demo):
$(cat "$T/diff.txt")"
