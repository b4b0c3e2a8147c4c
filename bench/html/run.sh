#!/usr/bin/env bash
# The HTML report's benchmark (docs/HTML.md, "Size and speed"): a
# generated protected tree of N files (default 10,000; bench/html/gen.py),
# registered, then scanned as its own leak, so that every file matches.
# Prints the report's size, what writing it costs next to the JSON
# report of the same scan, and how long headless Chromium takes to open
# it (a screenshot: load, layout and paint), next to an empty page (the
# browser's own start). Usage: bash bench/html/run.sh build/leakprint [N]
set -euo pipefail
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
N=${2:-10000}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/leakprint-bench-html.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
python3 "$here/gen.py" "$N" tree
"$BIN" --db reg add -q --name bench --version 1.0 tree
# seconds of a command (wall clock), best of 3
best() {
    local b=
    for _ in 1 2 3; do
        local s e
        s=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || true
        e=$(date +%s.%N)
        b=$(echo "$e - $s" | bc | awk -v b="$b" '{ print (b == "" || $1 < b) ? $1 : b }')
    done
    printf '%.2f\n' "$b"
}
json=$(best "$BIN" --db reg scan -q --format json -o r.json tree)
html=$(best "$BIN" --db reg scan -q --format html -o r.html tree)
files=$(jq '.files | length' r.json)
shot() {
    local p
    p=$(mktemp -d "$tmp/profile.XXXXXX")
    timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
        --user-data-dir="$p" --screenshot="$tmp/shot.png" "file://$tmp/$1"
}
echo '<!DOCTYPE html><title>empty</title><p>empty' >empty.html
empty=$(best shot empty.html)
open=$(best shot r.html)
printf 'matched files         %s\n' "$files"
printf 'report size           %s bytes (JSON: %s)\n' "$(stat -c %s r.html)" "$(stat -c %s r.json)"
printf 'scan + JSON report    %s s\n' "$json"
printf 'scan + HTML report    %s s\n' "$html"
printf 'Chromium, empty page  %s s\n' "$empty"
printf 'Chromium, the report  %s s (screenshot: load, layout, paint)\n' "$open"
