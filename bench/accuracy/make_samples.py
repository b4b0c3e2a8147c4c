#!/usr/bin/env python3
"""Builds the leak samples of the accuracy benchmark, with their truth.

From the corpora of bench/corpus.sh (code no one here wrote):
  protected  the Linux 6.1 subset (linux/), registered as version 6.1 after
             an older, simulated version (old/: a block of lines removed
             from 30% of its .c files), so that attribution can be scored;
  unrelated  glibc (unrelated/) and binutils (decoys/).

Categories, one directory each under OUT, with truth.jsonl (one line per
sample file: {"file", "asset", "lines", "asset_lines"}; asset null for a
file that must not match; lines the copied range where it is partial):
  verbatim   protected files copied as they are
  restyled   .c/.h reformatted by clang-format (restyled/) and comments stripped
  renamed    .c files with their functions, parameters and locals renamed
             consistently (names from universal-ctags)
  snippets   20-200-line fragments of protected .c files pasted into glibc files
  docs       Documentation .rst files, markup removed, re-wrapped to 50-100 columns
  mixed      30% protected files (verbatim or restyled), 70% glibc files
  decoys     glibc and binutils files only

Usage: make_samples.py CACHE OUT [--scale S]   (S = fraction of the full size)
Deterministic for a given corpus (fixed seed).
"""
import json
import os
import random
import re
import shutil
import subprocess
import sys
import textwrap

SIZES = {"verbatim": 300, "restyled": 300, "renamed": 300, "snippets": 300,
         "docs": 100, "mixed": 500, "decoys": 2000}


def files_under(root, exts=None):
    out = []
    for d, _, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            if os.path.islink(p) or (exts and not n.endswith(exts)):
                continue
            out.append(os.path.relpath(p, root))
    return sorted(out)


def read(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", "surrogateescape")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(text.encode("utf-8", "surrogateescape"))


def lines_of(text):
    return text.count("\n") + (0 if text.endswith("\n") or not text else 1)


def c_segments(text):
    """Splits C source into ("code" | "string" | "comment" | "include",
    text) pieces, in order; joined, they are the text again."""
    i, n, start = 0, len(text), 0
    while i < n:
        c = text[i]
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            end, kind = min(j + 1, n), "string"
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            end, kind = (n if j < 0 else j + 2), "comment"
        elif text.startswith("//", i):
            j = text.find("\n", i)
            end, kind = (n if j < 0 else j), "comment"
        elif text.startswith("#include", i) and (i == 0 or text[i - 1] == "\n"):
            j = text.find("\n", i)
            end, kind = (n if j < 0 else j), "include"
        else:
            i += 1
            continue
        if i > start:
            yield "code", text[start:i]
        yield kind, text[i:end]
        i = start = end
    if start < n:
        yield "code", text[start:]


def strip_c_comments(text):
    """Removes /* */ and // comments, keeping strings and line count."""
    return "".join("\n" * t.count("\n") if k == "comment" else t
                   for k, t in c_segments(text))


C_KEYWORDS = set("""auto break case char const continue default do double else enum
extern float for goto if inline int long register restrict return short signed
sizeof static struct switch typedef union unsigned void volatile while bool
_Bool true false NULL""".split())


def renamable(path):
    """Names of the functions defined, parameters and locals of a C file."""
    try:
        out = subprocess.run(
            ["ctags", "-x", "--language-force=C", "--kinds-C=+flz-dmegstuvxp",
             "-f", "-", path], capture_output=True, text=True, errors="replace",
            check=False).stdout
    except OSError:
        return set()
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1] in ("function", "local", "parameter"):
            if parts[0] not in C_KEYWORDS and re.fullmatch(r"[A-Za-z_]\w*", parts[0]):
                names.add(parts[0])
    return names


def rename(text, names, rng):
    """Consistent renaming of `names`, outside strings and comments."""
    mapping = {}
    for n in sorted(names):
        mapping[n] = "%s%d" % (rng.choice(["var", "tmp", "fn", "obj", "val", "q"]),
                               len(mapping))
    ident = re.compile(r"\b[A-Za-z_]\w*")
    # header names (#include lines), strings and comments are not code
    out = [ident.sub(lambda m: mapping.get(m.group(0), m.group(0)), t)
           if k == "code" else t for k, t in c_segments(text)]
    return "".join(out), len(mapping)


def top_level_lines(text):
    """Line numbers (0-based) after which a paste lands at top level: not
    inside a comment, a string or braces. 0 (the start) is always one."""
    spots, depth, line = [0], 0, 0
    for kind, t in c_segments(text):
        if kind != "code":
            line += t.count("\n")
            continue
        for c in t:
            if c == "\n":
                line += 1
                if depth == 0:
                    spots.append(line)
            elif c in "{}":
                depth = max(depth + (1 if c == "{" else -1), 0)
    return spots


RST_ROLE = re.compile(r":[\w.-]+:`([^`<]*)(?:<[^>]*>)?`")


MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def plain_markup(text, markdown):
    """The text of a reStructuredText or Markdown document, as a converter
    to plain text would leave it."""
    out = []
    for line in text.splitlines():
        if markdown:
            s = line.strip()
            if s.startswith("```"):
                continue
            s = re.sub(r"^#+\s*", "", s)
            s = re.sub(r"^[-*+]\s+", "", s)
            s = MD_LINK.sub(lambda m: m.group(1), s)
            out.append(s.replace("`", "").replace("**", "").replace("*", ""))
            continue
        s = line.strip()
        if re.fullmatch(r"([=\-~^\"'`#*+])\1{2,}", s):
            continue  # heading underline
        if s.startswith(".. "):
            m = re.match(r"\.\. [\w-]+::\s*(.*)", s)
            out.append(m.group(1) if m else "")
            continue
        s = RST_ROLE.sub(lambda m: m.group(1), s)
        s = s.replace("``", "").replace("**", "").replace("*", "")
        out.append(s)
    return "\n".join(out)


def rewrap(text, width):
    paras = re.split(r"\n\s*\n", text)
    return "\n\n".join(textwrap.fill(" ".join(p.split()), width)
                       for p in paras if p.strip()) + "\n"


def sample(rng, pop, k):
    return rng.sample(pop, min(k, len(pop)))


def simple_restyle(text):
    """A restyling without clang-format (for corpora the benchmark's cache
    did not restyle): comments stripped, tabs and 8/4-space indents become 3
    spaces, an opening brace at a line's end goes to a line of its own."""
    out = []
    for line in strip_c_comments(text).split("\n"):
        body = line.lstrip(" \t")
        lead = line[:len(line) - len(body)].replace("\t", "    ")
        ind = "   " * (len(lead) // 4)
        if body.endswith("{") and len(body) > 1 and not body.startswith("#"):
            out.append(ind + body[:-1].rstrip())
            out.append(ind + "{")
        else:
            out.append(ind + body if body else "")
    return "\n".join(out)


def main():
    cache, out = sys.argv[1], sys.argv[2]
    scale = float(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--scale" else 1.0
    rng = random.Random(20261124)
    linux = os.path.join(cache, "linux")
    restyled = os.path.join(cache, "restyled")
    glibc = os.path.join(cache, "unrelated")
    binutils = os.path.join(cache, "decoys")
    size = {k: max(5, int(v * scale)) for k, v in SIZES.items()}

    protected = files_under(linux)

    def has_code(f):
        # A file that is a comment, or a couple of #includes, proves nothing
        # once restyled or renamed: it is not a sample of those.
        text = strip_c_comments(read(os.path.join(linux, f)))
        return sum(1 for l in text.split("\n") if l.strip()) >= 3

    cfiles = [f for f in protected if f.endswith(".c") and has_code(f)]
    chfiles = [f for f in protected if f.endswith((".c", ".h")) and has_code(f)]
    glibc_c = files_under(glibc, (".c",))
    unrelated = files_under(glibc)
    decoy_pool = [("unrelated", f) for f in unrelated] + \
                 [("decoys", f) for f in files_under(binutils)]

    shutil.rmtree(out, ignore_errors=True)
    truth = {}

    def add(cat, rel, text, asset=None, lines=None, asset_lines=None):
        write(os.path.join(out, cat, rel), text)
        truth.setdefault(cat, []).append({"file": rel, "asset": asset,
                                          "lines": lines, "asset_lines": asset_lines})

    # old version: a block of 3-8 lines removed from 30% of the .c files
    old = os.path.join(out, "old")
    shutil.copytree(linux, old, symlinks=False)
    for f in sample(rng, cfiles, len(cfiles) * 3 // 10):
        lines = read(os.path.join(old, f)).split("\n")
        if len(lines) > 20:
            k = rng.randrange(5, len(lines) - 10)
            del lines[k:k + rng.randrange(3, 9)]
            write(os.path.join(old, f), "\n".join(lines))

    # A licence text (COPYING, LICENSE*, the kernel's LICENSES/) copied as
    # it is is no evidence of a leak (docs/VERDICT.md, "Licence text"):
    # still copied, so that the samples stay the same, but expected to
    # match nothing.
    def is_licence(f):
        base = os.path.basename(f).upper()
        return base.startswith(("COPYING", "LICENSE", "LICENCE")) or \
            f.split(os.sep)[0] == "LICENSES"

    for i, f in enumerate(sample(rng, protected, size["verbatim"])):
        add("verbatim", "%04d-%s" % (i, os.path.basename(f)),
            read(os.path.join(linux, f)), None if is_licence(f) else f)

    def restyle(f):
        if os.path.isdir(restyled):
            return strip_c_comments(read(os.path.join(restyled, f)))
        return simple_restyle(read(os.path.join(linux, f)))

    for i, f in enumerate(sample(rng, chfiles, size["restyled"])):
        add("restyled", "%04d-%s" % (i, os.path.basename(f)), restyle(f), f)

    done = 0
    for f in sample(rng, cfiles, len(cfiles)):
        if done == size["renamed"]:
            break
        names = renamable(os.path.join(linux, f))
        if len(names) < 3:
            continue
        text, _ = rename(read(os.path.join(linux, f)), names, rng)
        add("renamed", "%04d-%s" % (done, os.path.basename(f)), text, f)
        done += 1

    long_c = [f for f in cfiles if lines_of(read(os.path.join(linux, f))) >= 60]
    for i in range(size["snippets"]):
        # A fragment with at least 10 lines of code once comments are gone
        # (a 100-line stretch of a long comment block is no copied code).
        while True:
            f = rng.choice(long_c)
            src = read(os.path.join(linux, f)).split("\n")
            n = rng.randint(20, min(200, len(src) - 1))
            a = rng.randrange(0, len(src) - n)
            code = strip_c_comments("\n".join(src[:a + n])).split("\n")[a:]
            if sum(1 for l in code if l.strip()) >= 10:
                break
        host_text = read(os.path.join(glibc, rng.choice(glibc_c)))
        host = host_text.split("\n")
        at = rng.choice(top_level_lines(host_text))
        text = "\n".join(host[:at] + src[a:a + n] + host[at:])
        add("snippets", "%04d-snippet.c" % i, text, f, [at + 1, at + n], [a + 1, a + n])

    docs = [f for f in protected if f.endswith((".rst", ".md"))
            and len(read(os.path.join(linux, f))) > 1500]
    for i, f in enumerate(sample(rng, docs, size["docs"])):
        text = rewrap(plain_markup(read(os.path.join(linux, f)), f.endswith(".md")),
                      rng.randint(50, 100))
        add("docs", "%04d-%s.txt" % (i, os.path.basename(f).rsplit(".", 1)[0]), text, f)

    nprot = size["mixed"] * 3 // 10
    for i, f in enumerate(sample(rng, chfiles, nprot)):
        text = restyle(f) if i % 2 else read(os.path.join(linux, f))
        add("mixed", "p%04d-%s" % (i, os.path.basename(f)), text, f)
    for i, f in enumerate(sample(rng, unrelated, size["mixed"] - nprot)):
        add("mixed", "u%04d-%s" % (i, os.path.basename(f)), read(os.path.join(glibc, f)))

    for i, (tree, f) in enumerate(sample(rng, decoy_pool, size["decoys"])):
        add("decoys", "%04d-%s" % (i, os.path.basename(f)),
            read(os.path.join(cache, tree, f)))

    for cat, rows in truth.items():
        with open(os.path.join(out, cat + ".truth.jsonl"), "w") as fh:
            for r in rows:
                fh.write(json.dumps(r) + "\n")
    print(" ".join("%s=%d" % (c, len(r)) for c, r in truth.items()))


if __name__ == "__main__":
    main()
