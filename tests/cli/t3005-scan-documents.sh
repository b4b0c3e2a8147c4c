#!/usr/bin/env bash
# Documents: a protected manual (Markdown) leaked as PDF (made by mutool),
# DOCX, ODT, HTML and RTF (made by pandoc) is found as prose; PDF spans
# give pages. A DOCX inside a zip is a document, not an archive. An
# encrypted PDF is named as skipped; a PDF manual registered with add is
# found from its Markdown source.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$T"
# the demo's admin guide: 158 lines, 4 pages of 40
cp "$HERE/../../demo/protected/docs/admin-guide.md" manual.md
"$LP" add -q --name docs manual.md
python3 "$HERE/helpers/mkpdf.py" manual.md manual.pdf 40
for f in docx odt html rtf; do pandoc -s --metadata title=Manual manual.md -o "manual.$f"; done
zip -q office.zip manual.docx
mutool clean -E aes-256 -U secret -O owner manual.pdf locked.pdf

run_rc "$LP" scan --format json manual.pdf manual.docx manual.odt manual.html manual.rtf office.zip locked.pdf
expect_eq "exit" 1 "$rc" # found, though locked.pdf was not read
expect_eq "level" confirmed "$(jqv .verdict.level)"
for f in manual.pdf manual.docx manual.odt manual.html manual.rtf office.zip!manual.docx; do
    q=".files[] | select(.path == \"$f\")"
    expect_eq "$f kind" prose "$(jqv "$q | .kind")"
    expect_eq "$f asset" manual.md "$(jqv "$q | .matches[0].asset")"
    expect_at_least "$f similarity" 0.9 "$(jqv "$q | .matches[0].similarity")"
done
expect_eq "document names" "pdf docx odt html rtf docx" "$(jqv '[.files[].document] | join(" ")')"
lines=$(wc -l <manual.md)
pages=$(( (lines + 39) / 40 ))
expect_eq "pdf pages" "1 $pages" "$(jqv '.files[] | select(.path == "manual.pdf") | .matches[0].spans | "\(.[0].pages[0]) \(.[-1].pages[1])"')"
expect_eq "docx no pages" null "$(jqv '.files[] | select(.path == "manual.docx") | .matches[0].spans[0].pages')"
expect_eq "locked" "locked.pdf: pdf: encrypted" "$(jqv '.skipped[] | "\(.path): \(.reason)"')"
run_rc "$LP" scan manual.pdf
grep -qE "lines [0-9]+-[0-9]+ \(pages 1-$pages\) = asset lines" "$T/out" || die "text: $(cat "$T/out")"

# A PDF registered, its Markdown source found.
export LEAKPRINT_DB=$T/reg2
"$LP" add -q --name pdfs manual.pdf
run_rc "$LP" scan --format json manual.md
expect_eq "from pdf" "pdfs manual.pdf" "$(jqv '.files[0].matches[0] | "\(.collection) \(.asset)"')"
expect_at_least "from pdf similarity" 0.9 "$(jqv '.files[0].matches[0].similarity')"
