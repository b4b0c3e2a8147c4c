#!/usr/bin/env python3
"""html_check.py: checks of the HTML report for the family 9 tests.

  html_check.py png PNG       prints "W H COLOURS SHARE": the distinct
                              colours of the image and the share of its
                              pixels that are not the most common colour
                              (PNG decoded here: zlib, no PIL)
  html_check.py dom FILE      prints a JSON summary of an HTML document
                              (a report, or Chromium's --dump-dom of it)
  html_check.py external FILE prints each element or attribute of FILE
                              that would load anything from outside it
                              (nothing when there is none)
"""
import json
import struct
import sys
import zlib
from html.parser import HTMLParser


def png_pixels(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG")
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                sys.exit(f"{path}: not 8-bit RGB(A), not interlaced")
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pr) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def png(path):
    w, h, bpp, rows = png_pixels(path)
    counts = {}
    for r in rows:
        for i in range(0, len(r), bpp):
            px = r[i:i + 3]
            counts[px] = counts.get(px, 0) + 1
    top = max(counts.values())
    print(w, h, len(counts), round(1 - top / (w * h), 4))


class Summary(HTMLParser):
    """What the tests look at in a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.s = {"level": "", "summary": "", "paths": [], "svg": [],
                  "filter": False, "tags": {}, "handlers": [],
                  "body_attrs": {}, "csp": None, "lines": []}
        self.stack = []
        self.capture = None
        self.buf = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.s["tags"][tag] = self.s["tags"].get(tag, 0) + 1
        for k, _ in attrs:
            if k.startswith("on"):
                self.s["handlers"].append(f"{tag} {k}")
        if tag == "body":
            self.s["body_attrs"] = a
        if tag == "svg" and "id" in a:
            self.s["svg"].append(a["id"])
        if tag == "input" and a.get("id") == "filter":
            self.s["filter"] = True
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.s["csp"] = a.get("content")
        if tag == "table" and a.get("id") in ("files-table",
                                              "files-table-more"):
            self.stack.append("files")
        where = self.stack[-1] if self.stack else ""
        if a.get("id") in ("level", "summary"):
            self.capture, self.buf = a["id"], ""
        elif tag == "a" and where == "files":
            self.capture, self.buf = "paths", ""
        elif tag == "pre" and "lines" in (a.get("class") or ""):
            self.capture, self.buf = "lines", ""

    def handle_endtag(self, tag):
        if tag == "table" and self.stack:
            self.stack.pop()
        if self.capture and tag in ("span", "p", "a", "pre"):
            if self.capture in ("paths", "lines"):
                if tag in ("a", "pre"):
                    self.s[self.capture].append(self.buf)
                    self.capture = None
            else:
                self.s[self.capture] = self.buf
                self.capture = None

    def handle_data(self, data):
        if self.capture:
            self.buf += data


def dom(path):
    p = Summary()
    p.feed(open(path, encoding="utf-8", errors="replace").read())
    print(json.dumps(p.s, sort_keys=True))


LOADING = {"src", "href", "action", "formaction", "poster", "data",
           "srcset", "background", "xlink:href", "ping", "manifest",
           "codebase", "cite", "longdesc", "usemap", "lowsrc", "dynsrc"}


class External(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        if tag in ("link", "iframe", "frame", "object", "embed", "img",
                   "image", "audio", "video", "source", "base", "form",
                   "use", "track", "portal"):
            self.bad.append(f"element <{tag}>")
        if tag == "style":
            self.in_style = True
        for k, v in attrs:
            v = (v or "").strip()
            if k in LOADING and not (v.startswith("#") or
                                     v.startswith("data:")):
                self.bad.append(f"<{tag} {k}={v!r}>")
            if k == "style" and "url(" in v:
                self.bad.append(f"<{tag} style={v!r}>")
            if k == "http-equiv" and v.lower() == "refresh":
                self.bad.append("meta refresh")

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style and ("url(" in data or "@import" in data):
            self.bad.append("a stylesheet that loads something")


def external(path):
    p = External()
    p.feed(open(path, encoding="utf-8", errors="replace").read())
    for b in p.bad:
        print(b)


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("png", "dom", "external"):
        sys.exit(__doc__)
    {"png": png, "dom": dom, "external": external}[sys.argv[1]](sys.argv[2])


if __name__ == "__main__":
    main()
