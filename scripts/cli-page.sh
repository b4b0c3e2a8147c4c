#!/usr/bin/env bash
# Renders a page of docs/cli (Markdown) for the terminal or as a man page,
# so that --help and man say the same thing as the page.
# Usage: cli-page.sh plain|man docs/cli/NAME.md [VERSION]
#
# Before pandoc reads the page: a line "<!-- include NAME.md -->" becomes
# that file of docs/cli (fragments are named _*.md and are not pages
# themselves); a paragraph whose first line is indented (the option tables:
# "  --format F   text...") is kept as it is written, as a code block, for
# pandoc would otherwise join its lines. pandoc runs without "smart"
# punctuation, so that --db stays two hyphens and quotes stay ASCII.
#
# plain: the page as text of 78 columns (what --help prints).
# man: a man page, section 1: leakprint(1) for leakprint.md and
# leakprint-NAME(1) for NAME.md. Its NAME line is the title's tagline
# ("# leakprint scan: compare ..."), else the first sentence of the page's
# prose; the first code block is its SYNOPSIS, the rest its DESCRIPTION;
# leakprint(1) ends with SEE ALSO naming every command's page.
set -euo pipefail
mode=$1 page=$2 version=${3:-}
command -v pandoc >/dev/null ||
    { echo "cli-page.sh: pandoc is needed (make deps installs it)" >&2; exit 1; }
dir=$(dirname "$page")
name=$(basename "$page" .md)
[ "$name" = leakprint ] && man=leakprint || man=leakprint-$name

# prepare: the Markdown pandoc reads.
prepare() {
    awk -v dir="$dir" '
        /^<!-- include [^ ]+ -->$/ {
            file = dir "/" $3
            while ((getline line < file) > 0) emit(line)
            close(file); next }
        { emit($0) }
        function emit(line) {
            if (line ~ /^```/) fenced = !fenced
            else if (!fenced && line == "") table = 0
            else if (!fenced && blank && line ~ /^  [^ ]/) table = 1
            blank = line == ""
            print (table ? "  " : "") line
        }' "$page"
}

if [ "$mode" = plain ]; then
    prepare | pandoc -f markdown-smart -t plain --columns=78
    exit 0
fi
[ "$mode" = man ] || { echo "cli-page.sh: plain or man" >&2; exit 2; }

# man: NAME, SYNOPSIS (the first code block), DESCRIPTION (the rest).
prepare | awk -v man="$man" '
    NR == 1 && /^# / {
        tag = $0; sub(/^# [^:]*:? */, "", tag); next }
    !synopsis_done && /^```/ { in_syn = !in_syn; syn = syn $0 "\n"
                              if (!in_syn) synopsis_done = 1; next }
    in_syn { syn = syn $0 "\n"; next }
    { body = body $0 "\n"
      if (tag == "" && !got && $0 ~ /^[A-Z]/) para = 1
      if (para && $0 == "") { para = 0; got = 1 }
      if (para) first = first (first == "" ? "" : " ") $0 }
    END {
        if (tag == "") { tag = first; sub(/[.:] .*/, "", tag); sub(/[.:]$/, "", tag) }
        sub(/^[A-Z]/, tolower(substr(tag, 1, 1)), tag)
        printf "# NAME\n\n%s - %s\n\n", man, tag
        if (syn != "") printf "# SYNOPSIS\n\n%s\n", syn
        printf "# DESCRIPTION\n%s", body
    }' >"${TMPDIR:-/tmp}/cli-page.$$.md"
trap 'rm -f "${TMPDIR:-/tmp}/cli-page.$$.md"' EXIT
if [ "$name" = leakprint ]; then
    {
        printf '\n# SEE ALSO\n\n'
        for f in "$dir"/*.md; do
            n=$(basename "$f" .md)
            case $n in _* | leakprint) continue ;; esac
            printf '%s**leakprint-%s**(1)' "${sep:-}" "$n"
            sep=', '
        done
        printf '\n'
    } >>"${TMPDIR:-/tmp}/cli-page.$$.md"
fi
upper=$(printf '%s' "$man" | tr a-z A-Z)
pandoc -f markdown-smart -s -t man \
    -M title="$upper" -M section=1 -M header="leakprint manual" \
    -M footer="leakprint${version:+ $version}" -M date="" \
    "${TMPDIR:-/tmp}/cli-page.$$.md"
