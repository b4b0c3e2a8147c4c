#!/usr/bin/env python3
"""Writes the hostile and ordinary archives of t3001 into a directory.

Usage: mkarchives.py OUTDIR PROJDIR
All made here, at test time, with Python's standard library: nothing
binary is committed.
"""
import gzip
import io
import os
import sys
import tarfile
import zipfile

out, proj = sys.argv[1], sys.argv[2]
ring = open(os.path.join(proj, "src/ring.c"), "rb").read()
config = open(os.path.join(proj, "src/config.c"), "rb").read()


def tar_bytes(members, fmt=tarfile.GNU_FORMAT, mode="w"):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode, format=fmt) as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1700000000
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def zip_bytes(members, method=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, (2024, 1, 2, 3, 4, 5))
            info.compress_type = method
            z.writestr(info, data)
    return buf.getvalue()


def put(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


# Ordinary: a tar.gz holding a zip holding ring.c, and config.c beside it.
inner = zip_bytes([("lib/ring.c", ring)])
put("nested.tar.gz", gzip.compress(
    tar_bytes([("dump/config.c", config), ("dump/inner.zip", inner)]),
    mtime=0))
# One compressed plain file.
put("ring.c.gz", gzip.compress(ring, mtime=0))

# Hostile names: traversal, absolute, newline, and a NUL (patched into the
# zip's two copies of the name, which Python would not write).
put("names.zip", zip_bytes([
    ("../../etc/ring.c", ring),
    ("/abs/config.c", config),
    ("new\nline.c", ring),
    ("nul#name.c", config),
]).replace(b"nul#name.c", b"nul\0name.c"))

# A ratio bomb: 25 members of 8 MB of zeros (200 MB) in a zip of 200 KB;
# each member alone is under --max-file-size.
put("ratio-bomb.zip", zip_bytes([("zeros%02d.bin" % i, bytes(8 << 20))
                                 for i in range(25)]))

# A nested bomb (42.zip-like): each level holds 10 copies of the one below,
# the bottom holds 8 MB of zeros: 10^4 * 8 MB = 80 GB if all were read.
level = zip_bytes([("zeros.bin", bytes(8 << 20))])
for depth in range(4):
    level = zip_bytes([("l%d-%d.zip" % (depth, i), level) for i in range(10)])
put("nested-bomb.zip", level)

# 200 levels of nesting: gzip in tar in gzip ..., ring.c at the bottom.
data, name = ring, "ring.c"
for depth in range(200):
    data = gzip.compress(tar_bytes([(name, data)]), mtime=0)
    name = "level%d.tar.gz" % depth
put("deep.tar.gz", data)

# Truncated: the first member whole, the second cut in the middle.
whole = tar_bytes([("a/config.c", config), ("a/ring.c", ring)],
                  fmt=tarfile.USTAR_FORMAT)
put("truncated.tar", whole[:512 + ((len(config) + 511) // 512) * 512 + 700])
