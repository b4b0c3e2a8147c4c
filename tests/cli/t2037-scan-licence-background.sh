#!/usr/bin/env bash
# The built-in licence background (docs/VERDICT.md, "Licence text"; issue
# 15, point 2): licence text shared with the registry is no evidence, even
# when no licence was registered with --public. A sample that shares only
# licence text (an identical COPYING, the LGPL against the GPL, an MIT
# paragraph under another copyright line) gives no match, exit 0, and is
# listed in "licence_only"; code that carries the same licence header still
# matches; --no-licence-background counts licence text as before. The
# licence texts come from /usr/share/common-licenses at test time; the MIT
# licence (not there) is written out below: a short text. A build without
# the SPDX texts (npm missing or offline: scripts/licence-texts.sh said so
# when it built) has no MIT in its background: those checks are skipped.
. "$(dirname "$0")/lib.sh"
spdx=false
[ -s "$BUILD_DIR/gen/licences/spdx-MIT.txt" ] && spdx=true
$spdx || echo "note: built without the SPDX licence texts: MIT cases skipped" >&2
CL=/usr/share/common-licenses
[ -f "$CL/GPL-2" ] && [ -f "$CL/LGPL-2.1" ] && [ -f "$CL/BSD" ] ||
    die "$CL lacks GPL-2, LGPL-2.1 or BSD (package base-files)"
# mit HOLDER: the MIT licence under a copyright line of HOLDER.
mit() {
    cat <<EOF
MIT License

Copyright (c) $1

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
EOF
}
# gpl_header: the notice the GPL asks each source file to carry, as a C
# comment (taken from the licence's own "How to Apply" section).
gpl_header() {
    echo "/*"
    sed -n '/^    This program is free software/,/^    Foundation, Inc/p' "$CL/GPL-2" |
        sed 's/^    / * /'
    echo " */"
}

# The protected project: GPL-2 COPYING, an MIT LICENSE of its own, a
# README whose licence section is the BSD text, and ring.c with the GPL
# header.
P=$T/proj
mkdir -p "$P/src"
cp "$CL/GPL-2" "$P/COPYING"
mit "2019 Acme Widgets Inc." >"$P/LICENSE"
{ echo "Ring buffers for the gateway: fixed-size queues of frames shared"
  echo "between the radio thread and the packet scheduler, without locks."
  echo
  echo "Licence"
  echo "======="
  echo
  cat "$CL/BSD"
} >"$P/README"
{ gpl_header; cat "$FIX/proj/src/ring.c"; } >"$P/src/ring.c"
"$LP" add -q --name core "$P"

# 1. An identical COPYING (an exact copy of a registered file).
S=$T/s1
mkdir -p "$S"
cp "$CL/GPL-2" "$S/COPYING"
run_rc "$LP" scan --format json "$S"
expect_eq "identical COPYING: exit" 0 "$rc"
expect_eq "identical COPYING: level" none "$(jqv .verdict.level)"
expect_eq "identical COPYING: files" 0 "$(jqv '.files | length')"
expect_eq "identical COPYING: licence_only" "$S/COPYING GPL-2" \
    "$(jqv '.licence_only[] | "\(.path) \(.licence)"')"
expect_eq "identical COPYING: fingerprints are all the file's" true \
    "$(jqv '.licence_only[0].fingerprints > 100')"
# ... and without the background, the evidence it was before.
run_rc "$LP" scan --no-licence-background --format json "$S"
expect_eq "--no-licence-background: exit" 1 "$rc"
expect_eq "--no-licence-background: exact" true "$(jqv '.files[0].matches[0].exact')"
expect_eq "--no-licence-background: no licence_only" null "$(jqv .licence_only)"

# 2. The LGPL against the registered GPL, and the MIT licence under another
# copyright line, and the BSD text alone: no evidence, named each.
S=$T/s2
mkdir -p "$S"
cp "$CL/LGPL-2.1" "$S/COPYING.LIB"
mit "2023 Someone Else <someone@example.org>" >"$S/LICENSE.txt"
cp "$CL/BSD" "$S/LICENSE.bsd.txt"
run_rc "$LP" scan --format json "$S"
expect_eq "licence texts: exit" 0 "$rc"
expect_eq "licence texts: level" none "$(jqv .verdict.level)"
expect_eq "licence texts: files" 0 "$(jqv '.files | length')"
expect_eq "licence texts: licence_only" \
    "COPYING.LIB GPL-2$($spdx && echo "|LICENSE.txt MIT")" \
    "$(jqv '[.licence_only[] | "\(.path | split("/") | last) \(.licence)"] | join("|")')"
run_rc "$LP" scan "$S"
expect_eq "text report: exit" 0 "$rc"
grep -q "^LICENCE ONLY  (licence text shared with the registry: not evidence)$" "$T/out" ||
    die "text report: no LICENCE ONLY section: $(cat "$T/out")"
grep -q "^  $S/COPYING.LIB  GPL-2, [0-9]* fingerprints$" "$T/out" ||
    die "text report: no line for COPYING.LIB: $(cat "$T/out")"
# Without the background the LGPL is reported against COPYING, and the MIT
# text against LICENSE.
run_rc "$LP" scan --no-licence-background --format json "$S"
expect_eq "licence texts, no background: exit" 1 "$rc"
expect_eq "licence texts, no background: assets" "COPYING LICENSE" \
    "$(jqv '[.files[].matches[0].asset] | sort | join(" ")')"

# 3. Code that carries the licence header still matches, renamed; the
# COPYING and the MIT copy beside it are licence-only.
S=$T/s3
mkdir -p "$S"
cp "$CL/GPL-2" "$S/COPYING"
{ gpl_header; cat "$FIX/proj/src/ring.c"; } >"$S/queue.c"
mit "2023 Someone Else" >"$S/LICENSE"
run_rc "$LP" scan --format json "$S"
expect_eq "code + header: exit" 1 "$rc"
expect_eq "code + header: match" "$S/queue.c src/ring.c" \
    "$(jqv '.files[] | "\(.path) \(.matches[0].asset)"')"
expect_eq "code + header: licence_only" \
    "$S/COPYING GPL-2$($spdx && echo " $S/LICENSE MIT")" \
    "$(jqv '[.licence_only[] | "\(.path) \(.licence)"] | join(" ")')"
run_rc "$LP" scan --format jsonl "$S"
expect_eq "jsonl: licence_only on the last line" \
    "$S/COPYING GPL-2$($spdx && echo " $S/LICENSE MIT")" \
    "$(tail -n 1 "$T/out" | jq -r '[.licence_only[] | "\(.path) \(.licence)"] | join(" ")')"
