#!/usr/bin/env python3
"""Scores the real-world benchmark's scans (bench/realworld/run.sh).

Usage: score.py OUT "BUNDLERS" "DECOYS" "COLLECTIONS"
OUT holds upstream/<collection>/ (the registered trees), src/<pkg>/x/ (the
scanned trees) and scans/<pkg>.json (leakprint's reports).

The truth, per (scanned file, collection):
- A file's *lines* are its lines with white space collapsed; a line is
  *meaningful* when it has 6 or more characters, one of them a letter or a
  digit ("}", "#endif" and blank lines are not).
- A file is a *copy* of a collection when some upstream file of that
  collection has the same basename and holds at least half of the file's
  distinct meaningful lines, and has 8 or more of them (fewer is too little
  to tell: a stub of 6 #defines, a 5-line dependabot.yml). Recall counts
  those.
- *Gray*: same basename, between 20% and 50% of the lines (a file that
  diverged far from its origin, such as Lua 5.1's files against 5.4's).
  Reported or not, a gray pair counts neither way; so does a small file
  (under 8 meaningful lines) or a dot file (.gitignore, .clang-format)
  that would otherwise be a copy. Licence files (COPYING, LICENSE, ...)
  are never copies.
- Any other reported pair is a false positive unless it is *shared code*:
  the file and the reported asset have a run of 6 or more consecutive
  identical meaningful lines (a partial copy: the report is right) that is
  neither licence wording nor low-information (fewer than two thirds of its
  lines distinct, or compressed by zlib to under 30% of its size, as long
  lists of `case 'A':` are). Shared code counts as true, in its own column.
- Licence files (COPYING, LICENSE, ...) and licence text are point 2 of
  issue 15 (public background); a false positive whose shared text is
  licence wording is classed "licence" and a second precision is given
  without them.

Reason classes of false positives: licence, tiny (the reported spans hold
at most 3 meaningful lines), low-information (the spans' lines are few
distinct ones, or the file is a build/CI/project file), related code (half
or more of the spans' meaningful lines are in the asset, but not as a run
of 6 identical ones: helpers shared by projects of one author, an older
version of the library's code reorganised), other.
A package's verdict is right when a bundler is "confirmed" or "likely" with
every collection it bundles in the scope, and a decoy is neither.
"""
import difflib
import json
import os
import re
import sys
import zlib
from collections import defaultdict

OUT = sys.argv[1]
BUNDLERS = sys.argv[2].split()
DECOYS = sys.argv[3].split()
COLLS = sys.argv[4].split()
MIN_LINES = 8  # distinct meaningful lines of a file scored as a copy
SHARED_RUN = 6  # identical consecutive meaningful lines of shared code
EDITED_MIN = 8  # meaningful lines of the spans found in the asset's spans

LICENCE_RE = re.compile(
    r"permission is hereby granted|general public license|redistribution and use|"
    r"this software is provided|without warranty|licensed under|license for more|"
    r"free software foundation|merchantability|copyright \(c\)|copyright notice|"
    r"all rights reserved|you may not use this file|the above copyright|"
    r"spdx-license-identifier|software is furnished|liability", re.I)
LICENCE_NAME = re.compile(r"^(copying|licen[cs]e|copyright|notice|authors)([._-].*)?$", re.I)
LICENCE_DIR = re.compile(r"/licen[cs]es/|/common-licenses/|[^/]*gpl[^/]*\.txt$", re.I)
BUILD_NAME = re.compile(
    r"(^makefile|\.mk$|\.am$|\.in$|\.cmake$|cmakelists\.txt$|\.ya?ml$|\.sln$|"
    r"\.vcxproj|\.dsp$|\.dsw$|\.filters$|\.pbxproj$|\.props$|configure|\.m4$|"
    r"\.bat$|\.cmd$|\.sh$|meson\.build|\.toml$|\.cfg$)", re.I)


def read_lines(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return []
    if b"\0" in data[:8192]:
        return []
    return [" ".join(l.split()) for l in data.decode("latin-1").splitlines()]


def meaningful(line):
    return len(line) >= 6 and any(c.isalnum() for c in line)


_cache = {}


def lines_of(path):
    if path not in _cache:
        _cache[path] = read_lines(path)
    return _cache[path]


def mset(path):
    return {l for l in lines_of(path) if meaningful(l)}


# Upstream files by collection and basename.
upstream = {}
for c in COLLS:
    root = os.path.join(OUT, "upstream", c)
    byname = defaultdict(list)
    for d, _, fs in os.walk(root):
        for f in fs:
            byname[f].append(os.path.join(d, f))
    upstream[c] = (root, byname)


def truth(path):
    """{collection: 'copy'|'gray'} for a scanned file."""
    base = os.path.basename(path)
    res = {}
    mine = None
    for c in COLLS:
        cands = upstream[c][1].get(base)
        if not cands:
            continue
        if mine is None:
            mine = mset(path)
        if not mine:
            continue
        best = max(len(mine & mset(u)) / len(mine) for u in cands)
        if LICENCE_NAME.match(base) or LICENCE_DIR.search(path):
            continue  # licence text: point 2, never a copy
        if best >= 0.5 and (len(mine) < MIN_LINES or base.startswith(".")):
            res[c] = "gray"
        elif best >= 0.5:
            res[c] = "copy"
        elif best >= 0.2:
            res[c] = "gray"
    return res


def span_lines(lines, spans, key):
    out = []
    for s in spans:
        a, b = s[key]
        out.extend(lines[a - 1:b])
    return out


def informative(run):
    if len(set(run)) * 3 < 2 * len(run):
        return False
    text = " ".join(run).encode("latin-1")
    return len(zlib.compress(text, 6)) >= 0.3 * len(text)


def longest_run(path, asset):
    """Longest run of consecutive identical meaningful lines that is not
    licence wording (a block is licence wording when a quarter of its lines
    are), and whether some licence block was found."""
    a = [l for l in lines_of(path) if meaningful(l)]
    b = [l for l in lines_of(asset) if meaningful(l)]
    if not a or not b:
        return 0, False
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    best, lic_seen = 0, False
    for blk in sm.get_matching_blocks():
        run = a[blk.a:blk.a + blk.size]
        lic = sum(1 for l in run if LICENCE_RE.search(l))
        if run and lic * 4 >= len(run):
            lic_seen = lic_seen or len(run) >= 3
        elif informative(run):
            best = max(best, len(run))
    return best, lic_seen


def edited_copy(path, asset, m):
    """Whether the reported spans are a copy with edits: 8 or more of the
    spans' meaningful lines found, in order, in the asset's reported lines
    (an alignment with gaps: a line added, changed or reformatted in
    between), half of the spans' meaningful lines at least, informative
    and not licence wording."""
    sl = [l for l in span_lines(lines_of(path), m.get("spans", []), "lines")
          if meaningful(l)]
    al = [l for l in span_lines(lines_of(asset), m.get("spans", []), "asset_lines")
          if meaningful(l)]
    if not sl or not al:
        return False
    sm = difflib.SequenceMatcher(None, sl, al, autojunk=False)
    same = []
    for blk in sm.get_matching_blocks():
        same.extend(sl[blk.a:blk.a + blk.size])
    lic = sum(1 for l in same if LICENCE_RE.search(l))
    return (len(same) >= EDITED_MIN and 2 * len(same) >= len(sl)
            and lic * 4 < len(same) and informative(same))


def classify(path, asset, m, run_is_licence):
    base = os.path.basename(path)
    lines = lines_of(path)
    sl = [l for l in span_lines(lines, m.get("spans", []), "lines") if meaningful(l)]
    lic = sum(1 for l in sl if LICENCE_RE.search(l))
    if (LICENCE_NAME.match(base) or LICENCE_DIR.search(path) or run_is_licence
            or (sl and lic * 4 >= len(sl))):
        return "licence"
    if len(sl) <= 3:
        return "tiny"
    if BUILD_NAME.search(base) or len(set(sl)) * 2 < len(sl):
        return "low-information"
    if sl and sum(1 for l in sl if l in mset(asset)) * 2 >= len(sl):
        return "related code"
    return "other"


# Pairs read by hand and judged shared code (reviewed.tsv).
REVIEWED = set()
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "reviewed.tsv")) as f:
    for line in f:
        if line.strip() and not line.startswith("#"):
            pkg, path, coll, asset = line.rstrip("\n").split("\t")[:4]
            REVIEWED.add((pkg, path, coll, asset))

rows = []
fps = []
tot = defaultdict(int)
for pkg in BUNDLERS + DECOYS:
    root = os.path.join(OUT, "src", pkg, "x")
    with open(os.path.join(OUT, "scans", pkg + ".json")) as f:
        doc = json.load(f)
    reported = {}
    for fe in doc.get("files", []):
        for m in fe.get("matches", []):
            key = (fe["path"], m["collection"])
            if key not in reported or m["similarity"] > reported[key]["similarity"]:
                reported[key] = m
    files = tp = fp = fn = shared = lic_fp = gray = edited = 0
    expected = set()
    for d, _, fs in os.walk(root):
        for f in fs:
            files += 1
            p = os.path.join(d, f)
            t = truth(p)
            for c, kind in t.items():
                if kind == "copy":
                    expected.add(c)
                    if os.environ.get("REALWORLD_DEBUG"):
                        print("copy", pkg, c, os.path.relpath(p, root), file=sys.stderr)
                    if (p, c) in reported:
                        tp += 1
                    else:
                        fn += 1
                        cls = "missed"
                        if (pkg, os.path.relpath(p, root), c, "-") in REVIEWED:
                            tot["reviewed_fn"] += 1
                            cls += ", reviewed: no copy"
                        fps.append((pkg, "FN", os.path.relpath(p, root), c, "-", 0, cls))
                elif (p, c) in reported:
                    gray += 1
            for c in COLLS:
                if c in t or (p, c) not in reported:
                    continue
                m = reported[(p, c)]
                asset = os.path.join(upstream[c][0], m["asset"])
                run, run_lic = longest_run(p, asset)
                lic_file = bool(LICENCE_NAME.match(f) or LICENCE_DIR.search(p)
                                or LICENCE_NAME.match(os.path.basename(asset)))
                if lic_file:
                    run = 0
                if run >= SHARED_RUN:
                    shared += 1
                    continue
                if not lic_file and edited_copy(p, asset, m):
                    shared += 1
                    edited += 1
                    if os.environ.get("REALWORLD_DEBUG"):
                        print("edited", pkg, c, os.path.relpath(p, root), m["asset"],
                              file=sys.stderr)
                    continue
                cls = classify(p, asset, m, run_lic)
                if (pkg, os.path.relpath(p, root), c, m["asset"]) in REVIEWED:
                    tot["reviewed"] += 1
                    cls += ", reviewed: shared"
                fp += 1
                lic_fp += cls == "licence"
                fps.append((pkg, "FP", os.path.relpath(p, root), c, m["asset"],
                            m["similarity"], cls))
    level = doc["verdict"]["level"]
    scoped = {c["name"] for c in doc["scope"].get("collections", [])}
    if pkg in BUNDLERS:
        right = level in ("confirmed", "likely") and expected <= scoped and expected
    else:
        right = level not in ("confirmed", "likely")
    good = tp + shared
    prec = good / (good + fp) if good + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    rows.append((pkg, "bundler" if pkg in BUNDLERS else "decoy", files,
                 ",".join(sorted(expected)) or "-", tp, shared, gray, fp, lic_fp,
                 fn, prec, rec, level, "yes" if right else "NO"))
    for k, v in (("files", files), ("tp", tp), ("shared", shared), ("edited", edited),
                 ("gray", gray),
                 ("fp", fp), ("lic", lic_fp), ("fn", fn), ("right", bool(right))):
        tot[k] += v

print("| package | kind | files | bundles | tp | shared | gray | fp | of which licence | fn "
      "| precision | recall | verdict | right |")
print("|---|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|---|---|")
for r in rows:
    print("| %s | %s | %d | %s | %d | %d | %d | %d | %d | %d | %.3f | %.3f | %s | %s |" % r)
good = tot["tp"] + tot["shared"]
prec = good / (good + tot["fp"]) if good + tot["fp"] else 1.0
prec_nl = good / (good + tot["fp"] - tot["lic"]) if good + tot["fp"] - tot["lic"] else 1.0
rec = tot["tp"] / (tot["tp"] + tot["fn"]) if tot["tp"] + tot["fn"] else 1.0
print("| **all** | | %d | | %d | %d | %d | %d | %d | %d | **%.4f** | **%.4f** | | %d of %d |"
      % (tot["files"], tot["tp"], tot["shared"], tot["gray"], tot["fp"], tot["lic"], tot["fn"],
         prec, rec, tot["right"], len(rows)))
print()
print("Precision without the licence-text false positives (point 2): %.4f" % prec_nl)
print()
good_r = good + tot["reviewed"]
print("Precision with the %d false positives read by hand and judged shared code "
      "(bench/realworld/reviewed.tsv) counted as right: %.4f"
      % (tot["reviewed"], good_r / (good_r + tot["fp"] - tot["reviewed"])
         if good_r + tot["fp"] - tot["reviewed"] else 1.0))
print()
fn_r = tot["fn"] - tot["reviewed_fn"]
print("Recall with the %d misses read by hand and judged no copy "
      "(bench/realworld/reviewed.tsv, asset '-') left out: %.4f"
      % (tot["reviewed_fn"], tot["tp"] / (tot["tp"] + fn_r) if tot["tp"] + fn_r else 1.0))
print()
print("Shared code: %d pairs, of which %d copies with edits (no run of %d identical "
      "lines, but %d or more of the spans' lines in the asset's, in order)"
      % (tot["shared"], tot["edited"], SHARED_RUN, EDITED_MIN))
print()
print("False positives and misses (package, FP/FN, file, collection, asset, "
      "similarity, class):")
print()
classes = defaultdict(int)
for e in fps:
    classes[e[6].split(",")[0]] += 1
    print("- %s %s `%s` %s `%s` %.4f %s" % e)
print()
print("Classes: " + ", ".join("%s %d" % kv for kv in sorted(classes.items())))
