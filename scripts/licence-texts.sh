#!/usr/bin/env bash
# Collects the licence texts of the built-in licence background
# (docs/ACCURACY.md, "Licence background") into OUT/, one file per licence
# named by its id, and writes OUT/list: the files in priority order (the
# first licence holding a fingerprint names it). Nothing here is committed:
#   1. Debian's /usr/share/common-licenses (package base-files, always
#      installed): GPL-2, LGPL-2.1, Apache-2.0, BSD, ...;
#   2. the SPDX licence list as the npm package spdx-license-list (its
#      licenses/<id>.json hold the full texts), fetched once with `npm pack`
#      into CACHE/ (kept across `make` runs and build directories).
# Without network (or without npm), step 2 is skipped with one line on
# stderr and the background holds the common licences only: the build
# still works. Usage: licence-texts.sh OUT CACHE
set -euo pipefail
out=$1
cache=$2
spdx_version=6.12.0
rm -rf "$out" && mkdir -p "$out" "$cache"
: >"$out/list"

# Debian's texts first: their names are the ones users know; a passage
# that several texts hold is named after the first in the list (the list
# below: the versions in use before older ones, GPL-2 before GPL-1 and
# LGPL-2.1 before LGPL-2), then any other text of the directory. The
# aliases (GPL -> GPL-3) are symbolic links to texts already taken.
cl=/usr/share/common-licenses
for id in GPL-2 GPL-3 LGPL-2.1 LGPL-3 Apache-2.0 BSD MPL-2.0 Artistic \
          CC0-1.0 GFDL-1.3 GFDL-1.2 MPL-1.1 LGPL-2 GPL-1 $(ls "$cl"); do
    f=$cl/$id
    [ -f "$f" ] && [ ! -L "$f" ] && [ ! -e "$out/$id.txt" ] || continue
    cp "$f" "$out/$id.txt"
    echo "$out/$id.txt" >>"$out/list"
done

tgz="$cache/spdx-license-list-$spdx_version.tgz"
if [ ! -s "$tgz" ] && command -v npm >/dev/null; then
    tmp=$(mktemp -d "$cache/npm.XXXXXX")
    if (cd "$tmp" && timeout 120 npm pack --silent \
            "spdx-license-list@$spdx_version" >/dev/null 2>&1); then
        mv "$tmp"/spdx-license-list-*.tgz "$tgz"
    fi
    rm -rf "$tmp"
fi
if [ ! -s "$tgz" ]; then
    echo "licence background: spdx-license-list@$spdx_version not fetched (npm missing or offline): common-licenses only" >&2
    exit 0
fi
tmp=$(mktemp -d "$cache/spdx.XXXXXX")
tar -xzf "$tgz" -C "$tmp" package/licenses
# Each JSON file holds one licence: {"name", "url", "osiApproved",
# "licenseText"}; its id is the file's name. A passage that several texts
# hold is named after the first in the list: after Debian's, the licences
# most projects use, then the others from the shortest (the text that adds
# least to the passage names it best: MIT before the licences that embed it).
python3 - "$tmp/package/licenses" "$out" <<'EOF'
import json, os, sys
src, out = sys.argv[1], sys.argv[2]
popular = ["MIT", "BSD-2-Clause", "BSD-3-Clause", "ISC", "Zlib", "BSL-1.0",
           "Unlicense", "0BSD", "MIT-0", "GPL-2.0-only", "GPL-3.0-only",
           "LGPL-2.1-only", "LGPL-3.0-only", "AGPL-3.0-only", "EPL-2.0",
           "EPL-1.0", "CDDL-1.0", "OpenSSL", "PSF-2.0", "Python-2.0"]
texts = {}
for name in os.listdir(src):
    lid = name[:-5]
    if not name.endswith(".json") or \
            not lid.replace("-", "").replace(".", "").replace("+", "").isalnum():
        continue
    with open(os.path.join(src, name), encoding="utf-8") as f:
        texts[lid] = json.load(f).get("licenseText") or ""
order = [i for i in popular if i in texts]
order += sorted((i for i in texts if i not in popular),
                key=lambda i: (len(texts[i]), i))
with open(os.path.join(out, "list"), "a") as lst:
    for lid in order:
        path = os.path.join(out, "spdx-" + lid + ".txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(texts[lid])
        lst.write(path + "\n")
EOF
rm -rf "$tmp"
