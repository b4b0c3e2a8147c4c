#!/usr/bin/env bash
# The JSON report is written one file at a time (src/report/report_json.c): the
# document's frame first, then each file's object, indented to its depth.
# Here: the result is exactly the document a single dump would give (as
# Python lays out the same data, two spaces deep), with no file, one, or
# several (one of them under a non-ASCII name), and each entry of "files"
# is the object the JSONL format writes for that file.
. "$(dirname "$0")/lib.sh"
add_proj 1.0
mkdir -p "$T/leak/sub"
cp "$FIX/proj/src/ring.c" "$T/leak/"
cp "$FIX/proj/src/ring.c" "$T/leak/sub/ring-çopie.c"
paste_ring 10 60 "$T/leak/sub/csv-with-ring.c"
cp "$FIX/other/csv.c" "$T/leak/csv.c"
relayout() {
    python3 -c 'import json, sys
sys.stdout.write(json.dumps(json.load(open(sys.argv[1], encoding="utf-8")),
                            indent=2, ensure_ascii=False) + "\n")' "$1"
}
for dir in "$FIX/other" "$T/leak/sub" "$T/leak"; do
    run_rc "$LP" scan -j 2 --format json "$dir"
    cp "$T/out" "$T/doc.json"
    relayout "$T/doc.json" > "$T/relaid.json"
    cmp -s "$T/doc.json" "$T/relaid.json" ||
        die "$dir: layout differs: $(diff "$T/doc.json" "$T/relaid.json" | head -5)"
    run_rc "$LP" scan -j 2 --format jsonl "$dir"
    expect_eq "$dir: files as in JSONL" "$(head -n -1 "$T/out" | jq -cS .)" \
        "$(jq -cS '.files[]' "$T/doc.json")"
done
expect_eq "files of the last" 3 "$(jq '.files | length' "$T/doc.json")"
expect_eq "none in other/" 0 "$(jq '.files | length' <("$LP" scan --format json "$FIX/other"))"
echo ok
