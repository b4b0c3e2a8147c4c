#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks that dependencies between the library's folders point one way.

    base <- input, analyze, index, secrets <- match <- report <- run <- cli

input, analyze, index and secrets are peers: each may use base only, never
one another. Two kinds of dependency are checked:

  - includes: every `#include "x.h"` of src/*/ and cli/ is resolved to the
    folder that holds x.h;
  - calls: every undefined lp_ symbol of a built object (nm) is resolved to
    the object that defines it.

cli/ and daemon/ (watch and cases, a program on the public API in the same
binary) may include only <leakprint.h>, their own headers and banned.h (a
list of poisoned names that defines nothing), and may call only the
functions that include/leakprint.h declares; cli/ may also include
daemon/daemon.h, the daemon's entry points, which its command table calls.
Both may include front/'s headers and call its functions: front/ is what
the two share (front.h), and is held to the same rule as they are: only
<leakprint.h>, its own headers and banned.h, only the functions of
<leakprint.h>, and nothing of cli/ or daemon/ (no symbol they define).

Usage: check-layers.py [--root DIR] BUILD_DIR   (exit 1, a line per violation)
"""
import os
import re
import subprocess
import sys

RANK = {"base": 0, "input": 1, "analyze": 1, "index": 1, "secrets": 1, "mark": 1,
        "match": 2, "report": 3, "run": 4, "cli": 5, "daemon": 5, "front": 5}
# The folders of programs on the public API (not under src/).
PROGRAMS = ("cli", "daemon")
# What they share: on the public API too, used by both, using neither.
FRONT = "front"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def allowed(src, dst):
    """May folder src depend on folder dst?"""
    if src == dst:
        return True
    return RANK[dst] < RANK[src]


def base_of(folder):
    """The folder's path in the tree."""
    return folder if folder in PROGRAMS + (FRONT,) else "src/" + folder


def folders():
    """{folder: [file, ...]} for src/*/, cli/, daemon/ and front/."""
    out = {}
    for f in sorted(RANK):
        d = os.path.join(ROOT, base_of(f))
        if os.path.isdir(d):
            out[f] = sorted(os.listdir(d))
    return out


def check_includes(tree, problems):
    where = {}  # header name -> folder
    for folder, files in tree.items():
        for name in files:
            if name.endswith(".h"):
                where[name] = folder
    inc = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
    for folder, files in tree.items():
        base = base_of(folder)
        for name in files:
            if not name.endswith((".c", ".h", ".cc")):
                continue
            path = os.path.join(base, name)
            with open(os.path.join(ROOT, path), encoding="utf-8") as fp:
                for n, line in enumerate(fp, 1):
                    m = inc.match(line)
                    if not m:
                        continue
                    h = os.path.basename(m.group(1))
                    if h == "leakprint.h":
                        continue
                    if folder in PROGRAMS + (FRONT,):
                        ok = h == "banned.h" or where.get(h) == folder or (
                            folder == "cli" and h == "daemon.h" and
                            where.get(h) == "daemon") or (
                            folder in PROGRAMS and where.get(h) == FRONT)
                        if not ok:
                            problems.append(f"{path}:{n}: {folder} includes "
                                            f"'{m.group(1)}' (only "
                                            f"<leakprint.h> and {folder}/)")
                        continue
                    dst = where.get(h)
                    if dst and not allowed(folder, dst):
                        problems.append(f"{path}:{n}: {folder} includes "
                                        f"{dst}/{h}")


def nm(obj):
    res = subprocess.run(["nm", "--defined-only", obj], capture_output=True,
                         text=True, check=True).stdout
    defined = {l.split()[-1] for l in res.splitlines()
               if len(l.split()) == 3 and l.split()[1] in "TDBRVW"}
    res = subprocess.run(["nm", "--undefined-only", obj], capture_output=True,
                         text=True, check=True).stdout
    undefined = {l.split()[-1] for l in res.splitlines()}
    return defined, undefined


def public_functions():
    with open(os.path.join(ROOT, "include/leakprint.h"),
              encoding="utf-8") as fp:
        text = fp.read()
    return set(re.findall(r"\b(lp_[a-z0-9_]+)\s*\(", text))


def check_calls(build, tree, problems):
    owner = {}  # symbol -> (folder, object)
    objs = []
    for folder, files in tree.items():
        base = base_of(folder)
        for name in files:
            stem, ext = os.path.splitext(name)
            if ext not in (".c", ".cc"):
                continue
            obj = os.path.join(build, base, stem + ".o")
            if not os.path.exists(obj):
                problems.append(f"{obj}: not built (run make first)")
                continue
            defined, undefined = nm(obj)
            objs.append((folder, base + "/" + name, undefined))
            for s in defined:
                owner[s] = (folder, base + "/" + name)
    public = public_functions()
    for folder, src, undefined in objs:
        for s in sorted(undefined):
            if s not in owner:
                continue
            dst, where = owner[s]
            if folder == FRONT and dst in PROGRAMS:
                problems.append(f"{src}: front calls {s} ({where}), of the "
                                "programs it serves")
                continue
            if not s.startswith("lp_"):
                continue
            if folder in PROGRAMS + (FRONT,):
                if dst not in (folder, FRONT) and s not in public:
                    problems.append(f"{src}: {folder} calls {s} ({where}), "
                                    "which is not in <leakprint.h>")
            elif not allowed(folder, dst):
                problems.append(f"{src}: {folder} calls {s} ({where})")


def main():
    global ROOT
    args = sys.argv[1:]
    if len(args) == 3 and args[0] == "--root":
        ROOT = os.path.abspath(args[1])
        args = args[2:]
    if len(args) != 1:
        sys.exit(__doc__.strip().splitlines()[-1])
    tree = folders()
    problems = []
    check_includes(tree, problems)
    check_calls(args[0], tree, problems)
    for p in problems:
        print(p)
    if problems:
        print(f"layers: {len(problems)} dependencies point the wrong way "
              "(scripts/check-layers.py)")
        sys.exit(1)
    print("layers: every dependency points one way")


if __name__ == "__main__":
    main()
