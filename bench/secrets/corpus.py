#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Builds the labelled corpus of the secrets benchmark (bench/secrets).

    corpus.py RULES_JSONL HOST_TREE... --out DIR [--seed N] [--per-rule N]

RULES_JSONL is the output of rules_dump (every built-in rule: id, patterns,
example line). HOST_TREE directories hold real files (Debian's Linux and
glibc sources). The corpus is written to DIR/corpus/:

  hosts/     real files, some with one injected secret line
  configs/   .env, YAML, JSON, Dockerfiles, CI files, shell scripts with
             curl commands and connection strings, key files: realistic
             files around injected secrets
  negatives/ hard negatives: git SHAs, UUIDs, checksums, base64 blobs,
             lockfile integrity hashes, documented example keys,
             placeholders, public keys and certificates; and issue 15's
             (point 14): tokens with a bad checksum, vendors' example keys,
             AES test vectors, public identifiers. Nothing there is a
             secret.

and DIR/labels.jsonl: one line per injected secret, {path, line, lines,
rule, class, sha256, fp}: where the value starts (1-based line), how many
lines it spans, the rule meant to find it, its class (structured: a named
format with a prefix or checksum; generic: a password or secret found by
its key name or URL), the SHA-256 of the value and leakprint's keyed
fingerprint of it (HMAC-SHA256 with the CLI's fixed key), so findings can
be matched by value without the labels holding any value.

Every value is fresh, made with a seeded RNG: a generator per format family
where the format has structure (GitHub and npm CRC32 tokens, JWTs, PEM and
OpenSSH keys made by openssl and ssh-keygen), else a random string of the
rule's own shape (prefix, charset, length) drawn from its pattern. Each
candidate is checked against the rule's pattern in its context (Python re),
length bounds, entropy and the placeholder filter, as the engine would.
Python 3 standard library only (plus openssl and ssh-keygen for keys).
"""
import argparse
import base64
import hashlib
import hmac
import json
import math
import os
import random
import re
import shutil
import string
import subprocess
import sys
import tempfile
import zlib

try:
    import re._parser as sre_parse  # Python >= 3.11
    import re._constants as sre_c
except ImportError:  # pragma: no cover
    import sre_parse
    import sre_constants as sre_c

FP_KEY = None  # the key of --fingerprint-key, which leakprint is run with
B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
PRINTABLE = [chr(c) for c in range(0x21, 0x7F)]

# ---- the engine's filters -----------------------------------------------

class Placeholders:
    """The engine's own placeholder filter (lp_secrets_placeholder), asked
    through `rules_dump --placeholder`, one value a line, in hex."""

    def __init__(self, rules_dump):
        self.p = subprocess.Popen([rules_dump, "--placeholder"], text=True,
                                  stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE)

    def __call__(self, v):
        self.p.stdin.write(v.encode("latin-1", "replace").hex() + "\n")
        self.p.stdin.flush()
        return self.p.stdout.readline().strip() == "1"


placeholder = None  # set in main()


def entropy(v):
    if not v:
        return 0.0
    n = len(v)
    counts = {}
    for ch in v.encode("latin-1", "replace"):
        counts[ch] = counts.get(ch, 0) + 1
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def fingerprint(v):
    return hmac.new(FP_KEY, v.encode(), hashlib.sha256).hexdigest()


# ---- patterns --------------------------------------------------------------

def py_pattern(p):
    """A rule's PCRE2 pattern in Python's syntax (the rules use a small,
    common subset: only the named group and \\z differ)."""
    return p.replace("(?<secret>", "(?P<secret>").replace("\\z", "\\Z")


def compile_rule(r):
    flags = 0
    if r["flags"]["caseless"]:
        flags |= re.I
    if r["flags"]["multiline"]:
        flags |= re.S
    return re.compile(py_pattern(r["pcre"]), flags)


def found_in(rule, rx, text, value):
    """Whether the rule's pattern, searched as the engine does, extracts
    exactly `value` from text, and the value passes its validators."""
    if rule["min_len"] and len(value) < rule["min_len"]:
        return False
    if rule["max_len"] and len(value) > rule["max_len"]:
        return False
    if entropy(value) < rule["min_entropy"]:
        return False
    if rule["flags"]["generic"] and placeholder(value):
        return False
    if not check(rule["check"], value):
        return False
    # The engine searches a window that ends where the match ends; a plain
    # search of the whole text from each start finds the same values here.
    for m in rx.finditer(text):
        if m.group("secret") == value:
            return True
    # overlapping candidates: retry from every position of the value
    at = text.find(value)
    if at < 0:
        return False
    for start in range(max(0, at - 300), at + 1):
        m = rx.search(text, start)
        if m and m.group("secret") == value:
            return True
    return False


class Gen:
    """Random strings matching a parsed regular expression (the subset the
    rules use). Repeats are bounded: at most `slack` past their minimum."""

    def __init__(self, rng, slack=24):
        self.rng = rng
        self.slack = slack

    def charset(self, items):
        neg = False
        chars = set()
        for op, av in items:
            if op == sre_c.NEGATE:
                neg = True
            elif op == sre_c.LITERAL:
                chars.add(chr(av))
            elif op == sre_c.RANGE:
                for c in range(av[0], av[1] + 1):
                    if c < 0x80:
                        chars.add(chr(c))
            elif op == sre_c.CATEGORY:
                name = str(av)
                if "DIGIT" in name and "NOT" not in name:
                    chars.update(string.digits)
                elif "WORD" in name and "NOT" not in name:
                    chars.update(string.ascii_letters + string.digits + "_")
                elif "SPACE" in name and "NOT" not in name:
                    chars.update(" \t")
                elif "NOT_SPACE" in name:
                    chars.update(PRINTABLE)
                elif "NOT_DIGIT" in name:
                    chars.update(c for c in PRINTABLE if not c.isdigit())
                elif "NOT_WORD" in name:
                    chars.update(c for c in PRINTABLE
                                 if not (c.isalnum() or c == "_"))
        if neg:
            chars = set(PRINTABLE) - chars
        return sorted(chars) or ["x"]

    def emit(self, tree, out):
        for op, av in tree:
            if op == sre_c.LITERAL:
                out.append(chr(av))
            elif op == sre_c.NOT_LITERAL:
                out.append(self.rng.choice([c for c in PRINTABLE
                                            if c != chr(av)]))
            elif op == sre_c.ANY:
                out.append(self.rng.choice(B62))
            elif op == sre_c.IN:
                out.append(self.rng.choice(self.charset(av)))
            elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT,
                        getattr(sre_c, "POSSESSIVE_REPEAT", None)):
                lo, hi, sub = av
                hi = lo + self.slack if hi == sre_c.MAXREPEAT else hi
                hi = min(hi, lo + self.slack)
                for _ in range(self.rng.randint(lo, hi)):
                    self.emit(sub, out)
            elif op == sre_c.SUBPATTERN:
                self.emit(av[-1], out)
            elif op == getattr(sre_c, "ATOMIC_GROUP", None):
                self.emit(av, out)
            elif op == sre_c.BRANCH:
                self.emit(self.rng.choice(av[1]), out)
            # AT (anchors), ASSERT, ASSERT_NOT: nothing to emit; the
            # candidate is checked against the whole pattern afterwards

    def secret_tree(self, pattern, flags):
        parsed = sre_parse.parse(pattern, flags)
        gid = parsed.state.groupdict["secret"]

        def walk(tree):
            for op, av in tree:
                if op == sre_c.SUBPATTERN and av[0] == gid:
                    return av[-1]
                subs = []
                if op == sre_c.SUBPATTERN:
                    subs = [av[-1]]
                elif op == sre_c.BRANCH:
                    subs = av[1]
                elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT,
                            getattr(sre_c, "POSSESSIVE_REPEAT", None)):
                    subs = [av[2]]
                elif op in (sre_c.ASSERT, sre_c.ASSERT_NOT):
                    subs = [av[1]]
                for s in subs:
                    t = walk(s)
                    if t is not None:
                        return t
            return None

        return walk(parsed)

    def value(self, tree):
        out = []
        self.emit(tree, out)
        return "".join(out)


# ---- format families with structure ----------------------------------------

def crc32_token(rng, prefix):
    body = "".join(rng.choice(B62) for _ in range(30))
    crc = zlib.crc32(body.encode()) & 0xFFFFFFFF
    digits = []
    for _ in range(6):
        crc, d = divmod(crc, 62)
        digits.append(B62[d])
    return prefix + body + "".join(reversed(digits))


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(rng):
    head = {"alg": rng.choice(["HS256", "RS256", "ES256"]), "typ": "JWT"}
    body = {"sub": "%08x-%04x" % (rng.getrandbits(32), rng.getrandbits(16)),
            "iat": rng.randint(1600000000, 1800000000),
            "scope": rng.choice(["read", "read write", "admin"])}
    sig = bytes(rng.getrandbits(8) for _ in range(rng.choice([32, 64])))
    return ".".join([b64url(json.dumps(head, separators=(",", ":")).encode()),
                     b64url(json.dumps(body, separators=(",", ":")).encode()),
                     b64url(sig)])


def check(kind, v):
    if kind in ("github-crc32", "npm-crc32"):
        u = v.find("_")
        body = v[u + 1:] if u >= 0 else ""
        if len(body) != 36:
            return False
        n = 0
        for ch in body[30:]:
            if ch not in B62:
                return False
            n = n * 62 + B62.index(ch)
        return n == zlib.crc32(body[:30].encode()) & 0xFFFFFFFF
    if kind == "jwt":
        parts = v.split(".")
        if len(parts) != 3:
            return False
        try:
            h = base64.urlsafe_b64decode(parts[0] + "==")
            return h.startswith(b"{") and b'"alg"' in h
        except ValueError:
            return False
    if kind == "luhn":
        ds = [int(c) for c in v if c.isdigit()]
        s = 0
        for i, d in enumerate(reversed(ds)):
            if i & 1:
                d = d * 2 - 9 if d * 2 > 9 else d * 2
            s += d
        return len(ds) >= 12 and s % 10 == 0
    return True


class KeyMaker:
    """Private keys made by openssl and ssh-keygen, at build time."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.n = 0

    def run(self, *cmd, stdin=None):
        return subprocess.run(cmd, check=True, capture_output=True,
                              input=stdin).stdout.decode()

    def openssl_key(self, kind):
        pkcs8 = {
            "rsa": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
            "ec": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
            "ed25519": ["-algorithm", "ED25519"],
        }
        if kind == "pem-rsa-private-key":
            k = self.run("openssl", "genpkey", *pkcs8["rsa"])
            return self.run("openssl", "rsa", "-traditional",
                            stdin=k.encode())
        if kind == "pem-ec-private-key":
            k = self.run("openssl", "genpkey", *pkcs8["ec"])
            return self.run("openssl", "ec", stdin=k.encode())
        if kind == "pem-dsa-private-key":
            p = os.path.join(self.tmp, "dsa.param")
            self.run("openssl", "genpkey", "-genparam", "-algorithm", "DSA",
                     "-pkeyopt", "dsa_paramgen_bits:1024", "-out", p)
            k = self.run("openssl", "genpkey", "-paramfile", p)
            return self.run("openssl", "dsa",
                            stdin=k.encode())
        if kind == "pem-pkcs8-private-key":
            return self.run("openssl", "genpkey",
                            *pkcs8[["rsa", "ec", "ed25519"][self.n % 3]])
        if kind == "pem-encrypted-pkcs8-private-key":
            return self.run("openssl", "genpkey", *pkcs8["ec"], "-aes-256-cbc",
                            "-pass", "pass:bench%d" % self.n)
        if kind == "pgp-private-key-block":
            home = os.path.join(self.tmp, "gnupg%d" % self.n)
            os.makedirs(home, mode=0o700)
            env = ["gpg", "--homedir", home, "--batch", "--quiet",
                   "--pinentry-mode", "loopback", "--passphrase", ""]
            self.run(*env, "--quick-gen-key",
                     "Build %d <build%d@example.org>" % (self.n, self.n),
                     "ed25519", "default", "never")
            return self.run(*env, "--armor", "--export-secret-keys")
        if kind == "openssh-private-key":
            self.n += 1
            p = os.path.join(self.tmp, "id_%d" % self.n)
            t = ["ed25519", "ecdsa", "rsa"][self.n % 3]
            self.run("ssh-keygen", "-q", "-t", t, "-N", "", "-C",
                     "deploy@build%02d" % self.n, "-f", p)
            with open(p) as f:
                return f.read()
        return None

    def key(self, kind):
        self.n += 1
        k = self.openssl_key(kind)
        return k.strip() if k else None


# ---- values ----------------------------------------------------------------

def generic_value(rng):
    """A password, key or token as people and tools make them."""
    style = rng.randrange(5)
    if style == 0:  # password with symbols
        alpha = string.ascii_letters + string.digits + "!#%+-.:=?@^_~"
        v = [rng.choice(string.ascii_letters)]
        v += [rng.choice(alpha) for _ in range(rng.randint(10, 22))]
        v.insert(rng.randrange(1, len(v)), rng.choice(string.digits))
        return "".join(v)
    if style == 1:  # base62 token
        return "".join(rng.choice(B62) for _ in range(rng.randint(20, 40)))
    if style == 2:  # hex key
        return "%0*x" % (64, rng.getrandbits(256)) if rng.random() < 0.5 \
            else "%032x" % rng.getrandbits(128)
    if style == 3:  # base64 key
        return base64.b64encode(bytes(rng.getrandbits(8) for _ in
                                      range(rng.choice([24, 30, 33])))
                                ).decode()
    # words-and-digits passphrase
    words = ["amber", "orbit", "kettle", "violet", "cobalt", "harbor",
             "falcon", "meadow", "quartz", "ember", "lantern", "willow"]
    return "%s%d%s%s" % (rng.choice(words).capitalize(), rng.randint(10, 99),
                         rng.choice("!#@%+"), rng.choice(words))


def key_name(rule):
    return re.sub(r"[^A-Za-z0-9]+", "_", rule["id"]).upper()


# Contexts for one value: (kind, text with {K}/{k}/{V}, host kind)
CONTEXTS = [
    ("env", "{K}={V}", "env"),
    ("env-export", "export {K}=\"{V}\"", "sh"),
    ("yaml", "  {k}: \"{V}\"", "yaml"),
    ("yaml-plain", "{k}: {V}", "yaml"),
    ("json", "  \"{k}\": \"{V}\",", "json"),
    ("c", "static const char *{k} = \"{V}\";", "c"),
    ("python", "{K} = \"{V}\"", "py"),
    ("js", "const {k} = '{V}';", "js"),
    ("dockerfile", "ENV {K}={V}", "dockerfile"),
    ("ci", "      {K}: {V}", "ci"),
    ("curl", "curl -sS -H \"Authorization: Bearer {V}\" "
             "https://api.internal.example/v1/status", "sh"),
    ("curl-header", "curl -H 'X-Api-Key: {V}' https://svc.example/v2/items",
     "sh"),
]


def build_values(rules, rng, per_rule, keys, log):
    """[(rule, value, text-of-context, host kind)]; a rule whose values all
    fail its own pattern is reported and skipped."""
    gen = Gen(rng)
    out = []
    for r in rules:
        if r["flags"]["exposure"]:
            continue
        rx = compile_rule(r)
        flags = (re.I if r["flags"]["caseless"] else 0) | \
            (re.S if r["flags"]["multiline"] else 0)
        tree = gen.secret_tree(py_pattern(r["pcre"]), flags)
        made = 0
        for k in range(per_rule * 40):
            if made >= per_rule:
                break
            value = None
            if r["check"] in ("github-crc32", "npm-crc32"):
                pv = r["positive_value"]
                value = crc32_token(rng, pv[:pv.index("_") + 1])
            elif r["check"] == "jwt":
                value = jwt(rng)
            elif r["check"] == "b64-pem":
                value = base64.b64encode(
                    (keys.key("pem-ec-private-key") + "\n").encode()).decode()
            elif r["check"] == "pem" or r["id"] in ("openssh-private-key",
                                                    "pgp-private-key-block"):
                value = keys.key(r["id"])
            elif r["flags"]["generic"] and k % 3 != 2:
                value = generic_value(rng)
            if value is None:
                value = gen.value(tree)
            if "\n" in value or "\n" in r["positive"].rstrip("\n"):
                # a block: the rule's own example around a fresh block
                text = r["positive"].replace(r["positive_value"], value)
                ctx = ("block", text, "block")
            elif made == 0:
                text = r["positive"].replace(r["positive_value"], value)
                ctx = ("rule-example", text.rstrip("\n"), "auto")
            else:
                kind, tpl, host = rng.choice(CONTEXTS)
                text = tpl.replace("{K}", key_name(r)) \
                    .replace("{k}", key_name(r).lower()).replace("{V}", value)
                ctx = (kind, text, host)
                if not found_in(r, rx, text, value):
                    # the format needs the key names of its own example
                    text = r["positive"].replace(r["positive_value"], value)
                    ctx = ("rule-example", text.rstrip("\n"), "auto")
            if not found_in(r, rx, ctx[1], value):
                continue
            out.append((r, value, ctx))
            made += 1
        if made < per_rule:
            log("note: rule %s: %d of %d values made" % (r["id"], made,
                                                        per_rule))
    return out


# ---- hosts -----------------------------------------------------------------

HOST_EXT = {
    "c": (".c", ".h"), "py": (".py",), "sh": (".sh",), "yaml": (".yaml",),
    "json": (".json",), "js": (".js",), "rst": (".rst", ".txt"),
    "make": ("Makefile", "Kconfig", ".mk"),
}


def collect_hosts(trees, rng, limit):
    by_kind = {k: [] for k in HOST_EXT}
    for tree in trees:
        for root, dirs, files in os.walk(tree):
            dirs.sort()
            for f in sorted(files):
                p = os.path.join(root, f)
                for kind, exts in HOST_EXT.items():
                    if f.endswith(exts):
                        try:
                            size = os.path.getsize(p)
                        except OSError:
                            break
                        if 200 < size < 200000:
                            by_kind[kind].append(p)
                        break
    for kind in by_kind:
        rng.shuffle(by_kind[kind])
        by_kind[kind] = by_kind[kind][:limit]
    return by_kind


def auto_kind(text):
    t = text.strip()
    if t.startswith(("curl", "export ", "mysql", "sshpass", "wget", "git ")):
        return "sh"
    if t.startswith("<"):
        return "xml"
    if re.match(r'^"[^"]+"\s*:', t):
        return "json"
    if re.match(r"^[A-Za-z_][A-Za-z0-9_.-]*:\s", t):
        return "yaml"
    if t.endswith(";"):
        return "c"
    return "env"


def read_text(path):
    with open(path, "rb") as f:
        data = f.read()
    return data.decode("utf-8", "replace")


SYNTH_HEAD = {
    "env": ["# service configuration", "APP_ENV=production", "LOG_LEVEL=info",
            "PORT=8080", "WORKERS=4"],
    "dockerfile": ["FROM debian:bookworm-slim", "WORKDIR /srv/app",
                   "RUN apt-get update && apt-get install -y --no-install-"
                   "recommends ca-certificates && rm -rf /var/lib/apt/lists/*",
                   "COPY . /srv/app"],
    "ci": ["name: deploy", "on:", "  push:", "    branches: [main]", "jobs:",
           "  deploy:", "    runs-on: ubuntu-latest", "    steps:",
           "      - uses: actions/checkout@v4", "    env:"],
    "xml": ["<?xml version=\"1.0\" encoding=\"utf-8\"?>", "<configuration>",
            "  <appSettings>"],
    "json": ["{", "  \"name\": \"billing-service\",", "  \"port\": 8443,"],
    "block": [],
}
SYNTH_TAIL = {
    "env": ["CACHE_TTL=300"],
    "dockerfile": ["EXPOSE 8080", "CMD [\"/srv/app/run\"]"],
    "ci": ["    steps:", "      - run: make deploy"],
    "xml": ["  </appSettings>", "</configuration>"],
    "json": ["  \"debug\": false", "}"],
    "block": [],
}
SYNTH_NAME = {"json": "config.json", "env": ".env", "dockerfile": "Dockerfile",
              "ci": ".github/workflows/deploy.yml", "xml": "app.config",
              "block": None}


def write_file(path, content):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(content)


def place(rng, corpus, hosts, used, n, rule, ctx):
    """Writes the context into a host (a real file of the right kind, or a
    made-up config file) and returns the file's relative path and the
    1-based line where the context starts."""
    kind, text, host = ctx
    if host == "auto":
        host = auto_kind(text)
    if host not in SYNTH_NAME and not hosts.get(host):
        host = {"yaml": "ci", "json": "json"}.get(host, "env")
    if host in SYNTH_NAME:
        name = SYNTH_NAME[host] or key_file_name(rule)
        rel = os.path.join("configs", "%04d" % n, name)
        head, tail = SYNTH_HEAD[host], SYNTH_TAIL[host]
        lines = head + text.split("\n") + tail
        write_file(os.path.join(corpus, rel), "\n".join(lines) + "\n")
        return rel, len(head) + 1
    # a real file, each used once
    pool = hosts[host]
    src = pool[n % len(pool)]
    rel = os.path.join("hosts", "%04d" % n, os.path.basename(src))
    lines = read_text(src).split("\n")
    at = rng.randrange(0, max(1, len(lines) - 1))
    lines[at:at] = text.split("\n")
    write_file(os.path.join(corpus, rel), "\n".join(lines))
    used.add(src)
    return rel, at + 1


def key_file_name(rule):
    names = {
        "openssh-private-key": "id_ed25519", "putty-private-key": "key.ppk",
        "pgp-private-key-block": "private.asc",
        "kubernetes-secret-data": "secret.yaml",
        "kubernetes-secret-stringdata": "secret.yaml",
        "kubeconfig-client-key-data": "kubeconfig",
        "kubeconfig-user-token": "kubeconfig",
        "docker-config-auth": "config.json", "netrc-password": ".netrc",
    }
    return names.get(rule["id"], rule["id"] + ".pem")


# ---- hard negatives --------------------------------------------------------

def negatives(rng, keys, tmp):
    """{relative path: content}: files where nothing is a secret."""
    files = {}
    hx = lambda bits: "%0*x" % (bits // 4, rng.getrandbits(bits))
    # git history: SHAs, abbreviated and full
    log = []
    for i in range(300):
        log.append("commit %s\nAuthor: Dev %d <dev%d@example.org>\n\n"
                   "    Fix %s (%s)\n" % (hx(160), i, i, hx(28)[:7], hx(160)))
    files["git-log.txt"] = "\n".join(log)
    files["packed-refs"] = "".join("%s refs/tags/v1.%d\n" % (hx(160), i)
                                   for i in range(200))
    # UUIDs in code and config
    uu = lambda: "%s-%s-4%s-%s-%s" % (hx(32), hx(16), hx(12),
                                      "%x%s" % (rng.choice([8, 9, 10, 11]),
                                                hx(12)), hx(48))
    files["uuids.py"] = "".join(
        "DEVICE_%d_ID = \"%s\"\nrequest_id = '%s'\n" % (i, uu(), uu())
        for i in range(200))
    files["guids.cs"] = "".join(
        "[Guid(\"%s\")]\nclass C%d {}\n" % (uu().upper(), i)
        for i in range(100))
    # checksums
    files["SHA256SUMS"] = "".join("%s  pkg-%d.tar.gz\n" % (hx(256), i)
                                  for i in range(200))
    files["MD5SUMS"] = "".join("%s  file%d\n" % (hx(128), i)
                               for i in range(200))
    files["checksums.json"] = json.dumps(
        {"files": {"lib%d.so" % i: {"sha1": hx(160), "sha256": hx(256)}
                   for i in range(100)}}, indent=2)
    # base64 blobs (images, certificates' bodies, random data)
    blob = base64.b64encode(bytes(rng.getrandbits(8)
                                  for _ in range(48000))).decode()
    files["image.b64"] = "\n".join(blob[i:i + 76]
                                   for i in range(0, len(blob), 76))
    files["inline-image.css"] = "".join(
        ".icon%d{background:url(data:image/png;base64,%s)}\n" %
        (i, base64.b64encode(bytes(rng.getrandbits(8)
                                   for _ in range(300))).decode())
        for i in range(50))
    # lockfile integrity hashes
    lock = {"name": "app", "lockfileVersion": 3, "packages": {}}
    for i in range(200):
        lock["packages"]["node_modules/pkg%d" % i] = {
            "version": "1.%d.0" % i,
            "resolved": "https://registry.npmjs.org/pkg%d/-/pkg%d-1.%d.0.tgz"
                        % (i, i, i),
            "integrity": "sha512-" + base64.b64encode(
                bytes(rng.getrandbits(8) for _ in range(64))).decode()}
    files["package-lock.json"] = json.dumps(lock, indent=2)
    files["yarn.lock"] = "".join(
        "pkg%d@^1.0.0:\n  version \"1.%d.0\"\n  resolved \"https://registry."
        "yarnpkg.com/pkg%d/-/pkg%d-1.%d.0.tgz#%s\"\n  integrity sha1-%s\n\n"
        % (i, i, i, i, i, hx(160), base64.b64encode(
            bytes(rng.getrandbits(8) for _ in range(20))).decode())
        for i in range(150))
    files["go.sum"] = "".join(
        "github.com/org/mod%d v1.%d.0 h1:%s\n" % (i, i, base64.b64encode(
            bytes(rng.getrandbits(8) for _ in range(32))).decode())
        for i in range(200))
    files["Cargo.lock"] = "".join(
        "[[package]]\nname = \"crate%d\"\nversion = \"0.%d.1\"\nsource = "
        "\"registry+https://github.com/rust-lang/crates.io-index\"\n"
        "checksum = \"%s\"\n\n" % (i, i, hx(256)) for i in range(150))
    files["docker-compose.yml"] = "services:\n" + "".join(
        "  svc%d:\n    image: registry.example.org/svc%d@sha256:%s\n"
        % (i, i, hx(256)) for i in range(80))
    # documented example keys and placeholders
    files["README-examples.md"] = "\n".join([
        "# Configuration", "",
        "Set your AWS credentials (these are AWS's documented examples):", "",
        "    AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
        "    AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "", "A GitHub token looks like `ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`.",
        "Slack: `SLACK_BOT_TOKEN=xoxb-your-token-here`", "",
        "```yaml", "database:", "  password: ${DB_PASSWORD}",
        "  api_key: \"<your-api-key>\"", "  token: YOUR_TOKEN_HERE", "```"])
    files["settings.example.py"] = "\n".join([
        "SECRET_KEY = os.environ[\"SECRET_KEY\"]",
        "DB_PASSWORD = os.getenv('DB_PASSWORD')",
        "API_KEY = \"changeme\"", "PASSWORD = \"\"",
        "STRIPE_KEY = settings.STRIPE_KEY",
        "TOKEN = \"<token>\"", "password = None",
        "auth_token = \"xxxxxxxxxxxxxxxxxxxx\"",
        "client_secret = '{{ client_secret }}'",
        "db_url = 'postgres://user:${DB_PASS}@localhost/app'",
        "redis_url = 'redis://localhost:6379/0'", ""])
    files["env.sample"] = "\n".join([
        "DATABASE_URL=postgres://user:password@localhost:5432/app",
        "SECRET_KEY=replace-me", "API_TOKEN=", "PASSWORD=$PASSWORD",
        "JWT_SECRET=%JWT_SECRET%", "SMTP_PASSWORD=@SMTP_PASSWORD@",
        "GITHUB_TOKEN=${{ secrets.GITHUB_TOKEN }}", ""])
    # public keys and certificates
    pubs, certs = [], []
    for i in range(6):
        p = os.path.join(tmp, "neg_%d" % i)
        t = ["ed25519", "rsa", "ecdsa"][i % 3]
        subprocess.run(["ssh-keygen", "-q", "-t", t, "-N", "", "-C",
                        "ops%d@example.org" % i, "-f", p], check=True)
        with open(p + ".pub") as f:
            pubs.append(f.read().strip())
        key = keys.run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                       "ec_paramgen_curve:P-256")
        pubs.append(keys.run("openssl", "pkey", "-pubout",
                             stdin=key.encode()).strip())
        kp = os.path.join(tmp, "neg_%d.key" % i)
        with open(kp, "w") as f:
            f.write(key)
        certs.append(keys.run("openssl", "req", "-new", "-x509", "-key", kp,
                              "-subj", "/CN=svc%d.example.org" % i, "-days",
                              "365").strip())
    files["authorized_keys"] = "\n".join(x for x in pubs
                                         if x.startswith("ssh-")) + "\n"
    files["public-keys.pem"] = "\n".join(x for x in pubs
                                         if x.startswith("-----")) + "\n"
    files["ca-bundle.crt"] = "\n".join(certs) + "\n"
    files["known_hosts"] = "".join(
        "host%d.example.org %s\n" % (i, x) for i, x in enumerate(pubs)
        if x.startswith("ssh-"))
    return files



# ---- issue 15: the classes the held-out corpus missed, and its hard negatives

def _fresh(rng, make):
    """make(rng) until the value passes the engine's placeholder filter."""
    for _ in range(100):
        v = make(rng)
        if not placeholder(v):
            return v
    raise RuntimeError("no value passes the placeholder filter")


def _chars(rng, alphabet, n):
    return "".join(rng.choice(alphabet) for _ in range(n))


def issue15_cases(rng, keys, per_class):
    """[(case, file name, lines, [(rule, index of the value's line,
    value)])]: point 13's classes in realistic files, each value fresh.
    `rule` is the rule meant to find it (any rule finding the same value
    counts); every secret of a file is labelled."""
    out = []
    pw = lambda: _fresh(rng, generic_value)
    b62 = lambda n: _chars(rng, B62, n)
    hx = lambda n: "%0*x" % (n, rng.getrandbits(4 * n))
    wp_alpha = string.ascii_letters + string.digits + "!@#$%^&*()-_[]{}<>~`+=,.;:/?|"
    dj_alpha = string.ascii_lowercase + string.digits + "!@#$%^&*(-_=+)"
    for i in range(per_class):
        # WordPress: the eight keys and salts, and the database password
        names = ["AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY",
                 "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT"]
        n = names[i % 8]
        v = _chars(rng, wp_alpha, 64)
        dbp = pw()
        lines = ["<?php", "define( 'DB_NAME', 'wordpress' );",
                 "define( 'DB_USER', 'wp' );",
                 "define( 'DB_PASSWORD', '%s' );" % dbp,
                 "define( 'DB_HOST', 'localhost' );",
                 "define( %-20s '%s' );" % ("'%s'," % n, v),
                 "$table_prefix = 'wp_';"]
        out.append(("wordpress", "wp-config.php", lines,
                    [("wordpress-auth-key", 5, v), ("php-define-password", 3, dbp)]))
        # .pgpass
        v = pw().replace(":", "").replace("\\", "")
        host = rng.choice(["db01.corp.test", "localhost", "*", "10.1.2.3"])
        port = rng.choice(["5432", "*", "6432", "5433"])
        lines = ["%s:%s:%s:%s:%s" % (host, port, rng.choice(["app", "*", "shop"]),
                                     rng.choice(["app", "postgres", "ro"]), v)]
        out.append(("pgpass", ".pgpass", lines, [("pgpass-password", 0, v)]))
        # Authorization: Bearer in an .http file and in a script
        v = b62(rng.randint(24, 48))
        if i % 2:
            lines = ["### list items", "GET https://api.svc.test/v1/items",
                     "Authorization: Bearer %s" % v, "Accept: application/json"]
            out.append(("bearer", "items.http", lines,
                        [("bearer-token-header", 2, v)]))
        else:
            lines = ["#!/bin/sh", "set -e",
                     "curl -fsS -H \"Authorization: Bearer %s\" \\" % v,
                     "    https://api.svc.test/v1/items"]
            out.append(("bearer", "fetch.sh", lines,
                        [("bearer-token-header", 2, v)]))
        # database command lines
        v = pw().replace("'", "").replace('"', "")
        form = i % 3
        if form == 0:
            line = "mysqldump -h db01 -u backup -p%s shop > shop.sql" % v
            rule = "mysql-cli-password"
        elif form == 1:
            line = "PGPASSWORD=%s pg_dump -h db01 -U app shop > shop.sql" % v
            rule = "db-password-env"
        else:
            line = "sqlcmd -S db01 -U sa -P '%s' -Q \"BACKUP DATABASE shop\"" % v
            rule = "sqlcmd-password"
        out.append(("db-cli", "backup.sh", ["#!/bin/sh", line], [(rule, 1, v)]))
        # Django and Rails
        v = "django-insecure-" + _chars(rng, dj_alpha, 50) if i % 2 else \
            _chars(rng, dj_alpha, 50)
        lines = ["from pathlib import Path", "BASE_DIR = Path(__file__)",
                 "SECRET_KEY = '%s'" % v, "DEBUG = False"]
        out.append(("django", "settings.py", lines, [("generic-secret-quoted", 2, v)]))
        v = hx(128)
        lines = ["production:", "  secret_key_base: %s" % v]
        out.append(("rails", "secrets.yml", lines, [("generic-secret-unquoted", 1, v)]))
        # .npmrc
        if i % 2:
            v = base64.b64encode(("ci:" + pw()).encode()).decode()
            lines = ["registry=https://npm.corp.test/", "_auth=%s" % v,
                     "always-auth=true"]
            out.append(("npmrc", ".npmrc", lines, [("npmrc-auth", 1, v)]))
        else:
            v = crc32_token(rng, "npm_")
            lines = ["//registry.npmjs.org/:_authToken=%s" % v]
            out.append(("npmrc", ".npmrc", lines, [("npm-access-token", 0, v)]))
        # database URLs
        v = pw().replace("@", "").replace("/", "").replace(":", "")
        scheme = rng.choice(["mysql", "postgres", "postgresql"])
        lines = ["DATABASE_URL=%s://app:%s@db01.svc.test:%s/shop" %
                 (scheme, v, "3306" if scheme == "mysql" else "5432")]
        rule = "mysql-url-password" if scheme == "mysql" else \
            "postgres-url-password"
        out.append(("db-url", ".env", lines, [(rule, 0, v)]))
        # Telegram and Datadog
        v = "%d:AA%s" % (rng.randint(10**8, 10**10 - 1),
                         _chars(rng, B62 + "_-", 33))
        lines = ["bot:", "  token: \"%s\"" % v]
        out.append(("telegram", "bot.yaml", lines, [("telegram-bot-token", 1, v)]))
        v = hx(32)
        lines = ["DD_SITE=datadoghq.eu", "DD_API_KEY=%s" % v]
        out.append(("datadog", "datadog.env", lines, [("datadog-api-key", 1, v)]))
        # a base64-encoded PEM private key
        k = keys.key(["pem-rsa-private-key", "pem-ec-private-key",
                      "pem-pkcs8-private-key"][i % 3])
        v = base64.b64encode((k + "\n").encode()).decode()
        if i % 2:
            lines = ["{", "  \"name\": \"svc\",", "  \"tls_key\": \"%s\"" % v, "}"]
            out.append(("b64-pem", "svc.json", lines, [("base64-pem-private-key", 2, v)]))
        else:
            lines = ["APP_ENV=production", "TLS_PRIVATE_KEY=%s" % v]
            out.append(("b64-pem", "app.env", lines, [("base64-pem-private-key", 1, v)]))
        # password and secret assignments across syntaxes
        v = pw()
        form = [("config.yaml", ["db:", "  password: %s"]),
                ("config.toml", ["[database]", "password = \"%s\""]),
                ("app.ini", ["[db]", "password = %s"]),
                ("app.xml", ["<config>", "  <db user=\"app\" password=\"%s\"/>"]),
                ("app.xml", ["<config>", "  <password>%s</password>"]),
                ("app.properties", ["db.user=app", "db.password=%s"]),
                (".env", ["DB_USER=app", "DB_PASSWORD=\"%s\""]),
                ("env.sh", ["#!/bin/sh", "export DB_PASSWORD='%s'"]),
                ("config.json", ["{", "  \"password\": \"%s\""])][i % 9]
        lines = [form[1][0], form[1][1] % v]
        out.append(("generic-syntax", form[0], lines, [("generic-password-quoted", 1, v)]))
        # AWS secret access keys in less common places
        v = _chars(rng, string.ascii_letters + string.digits + "+/", 40)
        kid = "AKIA" + _chars(rng, string.ascii_uppercase + "234567", 16)
        form = [("credentials", ["[prod]", "aws_access_key_id = " + kid,
                                 "aws_secret_access_key = %s"]),
                ("key.json", ["{\"AccessKey\": {\"UserName\": \"ci\",",
                              "  \"Status\": \"Active\",",
                              "  \"SecretAccessKey\": \"%s\""]),
                (".s3cfg", ["[default]", "access_key = " + kid,
                            "secret_key = %s"]),
                ("S3.java", ["import com.amazonaws.auth.*;",
                             "AWSCredentials c = new BasicAWSCredentials(\""
                             + kid + "\", \"%s\");"]),
                ("core-site.xml", ["<configuration>",
                                   "  <property><name>fs.s3a.secret.key"
                                   "</name><value>%s</value></property>"]),
                ("setup.sh", ["#!/bin/sh",
                              "aws configure set aws_secret_access_key %s"]),
                ][i % 6]
        lines = form[1][:-1] + [form[1][-1] % v]
        labs = [("aws-secret-access-key", len(lines) - 1, v)]
        if kid in lines[1]:
            labs.append(("aws-access-key-id", 1, kid))
        out.append(("aws-secret", form[0], lines, labs))
    return out


def issue15_negatives(rng):
    """Point 14's hard negatives, one file each: what looks like a secret
    and is none."""
    hx = lambda n: "%0*x" % (n, rng.getrandbits(4 * n))
    files = {}
    bad = []
    for i in range(30):
        t = crc32_token(rng, rng.choice(["ghp_", "gho_", "npm_"]))
        t = t[:-1] + ("A" if t[-1] != "A" else "B")  # the checksum breaks
        bad.append(rng.choice(["GITHUB_TOKEN=%s", "github_token: \"%s\"",
                               "NPM_TOKEN=%s", "token = \"%s\""]) % t)
    files["issue15/bad-checksum.env"] = "\n".join(bad) + "\n"
    files["issue15/vendor-docs.env"] = "\n".join([
        "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "STRIPE_SECRET_KEY=sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        "stripe.api_key = \"sk_test_4eC39HqLyjWDarjtT1zdp7dc\"",
        "STRIPE_PUBLISHABLE_KEY=pk_test_TYooMQauvdEDq54NiTphI7jx",
        "curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
        ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2Mj"
        "M5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c' https://api.test",
        "gcm_secret_key = \"feffe9928665731c6d6a8f9467308308\"", ""])
    files["issue15/test_vectors.py"] = "\n".join([
        "# FIPS-197 and SP 800-38A known-answer tests",
        "AES128_SECRET_KEY = \"2b7e151628aed2a6abf7158809cf4f3c\"",
        "aes192 = {\"secret_key\": \"8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b\"}",
        "secret = \"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4\"",
        "fips197_secret_key = '000102030405060708090a0b0c0d0e0f'",
        "api_key = \"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\"",
        ""])
    pub = []
    for i in range(20):
        pub.append("STRIPE_PUBLISHABLE_KEY=pk_live_%s" % _chars(rng, B62, 99))
        pub.append("stripe_api_key: \"pk_test_%s\"" % _chars(rng, B62, 24))
        pub.append("GOOGLE_CLIENT_ID=%d-%s.apps.googleusercontent.com" % (
            rng.randint(10**11, 10**12 - 1),
            _chars(rng, string.ascii_lowercase + string.digits, 32)))
        pub.append("google_oauth_token_client = \"%d-%s.apps.googleusercontent.com\"" % (
            rng.randint(10**11, 10**12 - 1),
            _chars(rng, string.ascii_lowercase + string.digits, 32)))
        pub.append("AWS_ACCOUNT_ID=%012d" % rng.randint(0, 10**12 - 1))
        pub.append("SENTRY_DSN=https://%s@o%d.ingest.sentry.io/%d" % (
            hx(32), rng.randint(1, 999999), rng.randint(1, 9999999)))
    files["issue15/public-ids.env"] = "\n".join(pub) + "\n"
    return files

# ---- main ------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("rules")
    ap.add_argument("trees", nargs="+")
    ap.add_argument("--rules-dump", required=True,
                    help="build/bench/rules_dump, whose --placeholder mode "
                         "answers as the engine does")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--per-rule", type=int, default=4)
    ap.add_argument("--issue15", type=int, default=20,
                    help="values per class of issue 15, point 13")
    ap.add_argument("--clean", type=int, default=1500,
                    help="real files copied without injection")
    ap.add_argument("--fingerprint-key", required=True,
                    help="the key file (64 hex digits) leakprint secrets "
                         "is run with, so that labels carry its fingerprints")
    a = ap.parse_args()
    global FP_KEY
    with open(a.fingerprint_key) as f:
        FP_KEY = bytes.fromhex(f.read().strip())
    global placeholder
    placeholder = Placeholders(a.rules_dump)
    log = lambda m: print("corpus.py: " + m, file=sys.stderr)
    rng = random.Random(a.seed)
    with open(a.rules) as f:
        rules = [json.loads(x) for x in f if x.strip()]
    corpus = os.path.join(a.out, "corpus")
    if os.path.exists(corpus):
        shutil.rmtree(corpus)
    os.makedirs(corpus)
    tmp = tempfile.mkdtemp(prefix="lp-secrets-")
    try:
        keys = KeyMaker(tmp)
        made = build_values(rules, rng, a.per_rule, keys, log)
        hosts = collect_hosts(a.trees, rng, 4000)
        used = set()
        labels = []
        for n, (r, value, ctx) in enumerate(made):
            rel, line = place(rng, corpus, hosts, used, n, r, ctx)
            # the value's own line: its offset in the context
            before = ctx[1][:ctx[1].find(value)]
            labels.append({
                "path": rel, "line": line + before.count("\n"),
                "lines": value.count("\n") + 1, "rule": r["id"],
                "class": "generic" if r["flags"]["generic"] else "structured",
                "context": ctx[0],
                "sha256": hashlib.sha256(value.encode()).hexdigest(),
                "fp": fingerprint(value)})
        # issue 15, point 13: one file per value, in configs/i15-*/
        rules_by_id = {r["id"]: r for r in rules}
        for n, (case, name, lines, labs) in enumerate(
                issue15_cases(rng, keys, a.issue15)):
            rel = os.path.join("configs", "i15-%04d" % n, name)
            write_file(os.path.join(corpus, rel), "\n".join(lines) + "\n")
            for rid, at, value in labs:
              r = rules_by_id[rid]
              labels.append({
                  "path": rel, "line": at + 1, "lines": 1, "rule": rid,
                  "class": "generic" if r["flags"]["generic"] else "structured",
                  "context": "issue15", "case": case,
                  "sha256": hashlib.sha256(value.encode()).hexdigest(),
                  "fp": fingerprint(value)})
        for rel, content in issue15_negatives(rng).items():
            write_file(os.path.join(corpus, "negatives", rel), content)
        # real files without any secret, for false positives on real text
        clean = 0
        for kind in sorted(hosts):
            for src in hosts[kind]:
                if clean >= a.clean:
                    break
                if src in used or rng.random() < 0.6:
                    continue
                rel = os.path.join("hosts", "clean", kind, "%04d-%s" %
                                   (clean, os.path.basename(src)))
                os.makedirs(os.path.dirname(os.path.join(corpus, rel)),
                            exist_ok=True)
                shutil.copyfile(src, os.path.join(corpus, rel))
                clean += 1
        for rel, content in negatives(rng, keys, tmp).items():
            write_file(os.path.join(corpus, "negatives", rel), content)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    with open(os.path.join(a.out, "labels.jsonl"), "w") as f:
        for lab in labels:
            f.write(json.dumps(lab, sort_keys=True) + "\n")
    ns = sum(1 for x in labels if x["class"] == "structured")
    log("%d labels (%d structured, %d generic) from %d rules, %d clean real "
        "files, seed %d" % (len(labels), ns, len(labels) - ns,
                            len({x["rule"] for x in labels}), clean, a.seed))


if __name__ == "__main__":
    main()
