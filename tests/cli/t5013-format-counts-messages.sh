#!/usr/bin/env bash
# Counts and messages of the reports: an input not read at all is counted
# once, as unreadable, not also as scanned, in text, JSON and JSONL;
# one file, one exposure and one input are said in the singular; a scan of
# nothing says there was nothing to scan.
. "$(dirname "$0")/lib.sh"
export XDG_CACHE_HOME=$T/cache
add_proj 1.0
cd "$T"
mkdir big empty one
head -c 5000 /dev/zero | tr '\0' 'x' >big/a.txt
echo hello >big/b.txt
# 1. a file over --max-file-size: 1 scanned, 1 unreadable, everywhere
run_rc "$LP" scan --max-file-size 1K big
expect_eq "exit" 2 "$rc"
expect_eq "summary" "the one file scanned matches no protected file" "$(sed -n 2p "$T/out" | sed 's/^ *//')"
expect_eq "scanned" "SCANNED  1 file (6 B), 0 matched, 1 unreadable" "$(grep '^SCANNED' "$T/out")"
expect_eq "skipped" '         1 input not read (named on stderr and in the JSON report'"'"'s "skipped")' \
    "$(grep 'not read' "$T/out")"
expect_one_line_error "^leakprint: 'big/a.txt': file larger than 1024 bytes \(skipped\)$"
run_rc "$LP" scan --max-file-size 1K --format json big
expect_eq "json" "1 1 1" "$(jqv '"\(.scope.files_scanned) \(.scope.files_unreadable) \(.skipped | length)"')"
run_rc "$LP" scan --max-file-size 1K --format jsonl big
expect_eq "jsonl" "1 1" "$(tail -n 1 "$T/out" | jq -r '"\(.scope.files_scanned) \(.scope.files_unreadable)"')"
# 2. the singular: one file, one exposure, one rule named by its count
printf 'db: 10.1.2.3\n' >one/net.yml
run_rc "$LP" secrets one
expect_eq "secrets exit" 0 "$rc"
expect_eq "secrets line" "SECRETS  0 found, and 1 exposure, in 1 file" \
    "$(grep '^SECRETS' "$T/out" | sed 's/ (.*//')"
# 3. nothing to scan
run_rc "$LP" scan empty
expect_eq "empty summary" "nothing to scan: no file was read" "$(sed -n 2p "$T/out" | sed 's/^ *//')"
expect_eq "empty scanned" "SCANNED  0 files (0 B), 0 matched, 0 unreadable" "$(grep '^SCANNED' "$T/out")"
# 4. several files: plural
run_rc "$LP" scan "$FIX/other"
n=$(find "$FIX/other" -type f | wc -l)
expect_eq "plural summary" "none of the $n files scanned matches the registry" "$(sed -n 2p "$T/out" | sed 's/^ *//')"
