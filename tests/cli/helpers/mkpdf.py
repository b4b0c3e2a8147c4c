#!/usr/bin/env python3
"""Writes a text file as a PDF of N lines per page, with MuPDF's mutool.

Usage: mkpdf.py TEXT OUT.pdf LINES_PER_PAGE
Each page is a content stream of Helvetica lines (mutool create), so the
PDF is made here, at test time, by a tool from a Debian package.
"""
import sys, subprocess, os
src, out, per = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = [l.rstrip("\n") for l in open(src)]
pages = [lines[i:i + per] for i in range(0, len(lines), per)]
files = []
for n, pg in enumerate(pages):
    f = "%s.page%d.txt" % (out, n)
    with open(f, "w") as w:
        w.write("%%MediaBox 0 0 595 842\n%%Font F1 Helvetica\nBT /F1 9 Tf 40 810 Td 11 TL\n")
        for l in pg:
            l = l.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            w.write("(%s) Tj T*\n" % l)
        w.write("ET\n")
    files.append(f)
subprocess.run(["mutool", "create", "-o", out] + files, check=True)
for f in files:
    os.remove(f)
