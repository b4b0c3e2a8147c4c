#!/usr/bin/env bash
# Issue 15 point 4: a C function (lru_evict and lru_put, lines 90-129 of
# lru.c) pasted into a file of another kind is found by the look of its
# lines, lexed as C, with spans on the host's own lines: Markdown with and
# without a fence, reStructuredText (a literal block after "::" and a
# code-block directive), texinfo (@example, braces escaped), a shell
# script's heredoc, HTML (<pre>, entities), DOCX and PDF (made here with
# pandoc and mutool). Prose without code finds nothing.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
P=$FIX/hosts/proj
"$LP" add -q --name lru --version 1 "$P"
mkdir -p "$T/leak"
cd "$T/leak"
code() { sed -n 90,129p "$P/src/lru.c"; }
# Each host puts the function's first line on line 6.
{ printf '# Cache notes\n\nWe evict the oldest entry, as follows.\n\n```c\n'; code; printf '```\n\nThat is all.\n'; } >fenced.md
{ printf '# Cache notes\n\nWe evict the oldest entry, as follows.\n\n\n'; code; printf '\nThat is all.\n'; } >plain.md
{ printf 'Cache notes\n===========\n\nThe eviction::\n\n'; code | sed 's/^/    /'; printf '\nThat is all.\n'; } >literal.rst
{ printf 'Cache notes\n===========\n\n.. code-block:: c\n\n'; code | sed 's/^/   /'; printf '\nThat is all.\n'; } >directive.rst
{ printf '@node Eviction\n@chapter Eviction\n\nThe oldest entry goes first.\n@example\n'; code | sed -e 's/@/@@/g' -e 's/{/@{/g' -e 's/}/@}/g'; printf '@end example\n'; } >manual.texi
{ printf '#!/bin/sh\n# writes the cache code\nset -e\nout=${1:-lru_put.c}\ncat >"$out" <<'"'"'EOF'"'"'\n'; code; printf 'EOF\necho done\n'; } >gen.sh
{ printf '<html><body>\n<h1>Cache notes</h1>\n<p>We evict the oldest entry, as follows.</p>\n<pre><code>\n\n'; code | python3 -c 'import html,sys; sys.stdout.write(html.escape(sys.stdin.read(), quote=False))'; printf '</code></pre>\n<p>That is all.</p>\n</body></html>\n'; } >page.html
# pandoc's DOCX of the fenced Markdown; mutool's PDF of the plain one
pandoc -s --metadata title=Notes fenced.md -o notes.docx
python3 "$HERE/helpers/mkpdf.py" plain.md notes.pdf 30
printf 'Cache notes\n\nWe evict the oldest entry; then we put the new one in its\nplace (see the code) and return; nothing else happens here.\n' >prose.md
run_rc "$LP" scan --format json .
expect_eq "exit" 1 "$rc"
# file, asset and first and last line of its first span
span() {
    jqv ".files[] | select(.path == \"./$1\") | \"\(.matches[0].asset) \(.matches[0].spans[0].lines[0]) \(.matches[0].spans[-1].lines[1]) \(.matches[0].spans[0].asset_lines[0]) \(.matches[0].spans[-1].asset_lines[1])\""
}
for f in fenced.md plain.md literal.rst directive.rst manual.texi gen.sh; do
    expect_eq "$f" "src/lru.c 6 45 90 129" "$(span $f)"
done
# documents: the lines of their extracted text (pages for the PDF)
expect_eq "html" "src/lru.c 5 43 90 129" "$(span page.html)"
expect_eq "docx" "src/lru.c 7 45 90 129" "$(span notes.docx)"
expect_eq "pdf" "src/lru.c 5 45 90 129" "$(span notes.pdf)"
expect_eq "pdf pages" "1 2" "$(jqv '.files[] | select(.path == "./notes.pdf") | .matches[0].spans | "\(.[0].pages[0]) \(.[-1].pages[1])"')"
expect_eq "prose" "" "$(jqv '.files[] | select(.path == "./prose.md") | .path')"
expect_eq "matched" 9 "$(jqv .scope.files_matched)"
