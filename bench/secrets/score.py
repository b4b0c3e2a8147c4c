#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Scores a secret scanner's findings on the labelled corpus (corpus.py).

    score.py LABELS RULES_JSONL --leakprint REPORT.json [--name NAME]
    score.py LABELS RULES_JSONL --secretlint REPORT.json CORPUS_DIR

A finding matches a label when it is in the same file, on a line the value
spans, and it names the label's rule or any rule for the same value
(leakprint: its keyed fingerprint equals the label's; secretlint, whose
rules are its own: any rule on those lines). Each label is matched once.
Findings that match no label are false positives: in hosts/ and configs/
(real text and made-up configuration around the injected values) they
count against the precision of their rule's class; in negatives/ they are
hard-negative findings, listed apart. Prints a JSON summary on stdout and a
readable report on stderr; never prints a value.
"""
import argparse
import collections
import json
import os
import sys


def load_labels(path):
    with open(path) as f:
        return [json.loads(x) for x in f if x.strip()]


def leakprint_findings(report, rules):
    """[(path, line, rule, class, fp)] from `leakprint secrets --format
    json`, paths relative to the corpus directory."""
    with open(report) as f:
        d = json.load(f)
    out = []
    for s in d.get("secrets", []):
        p = s["path"]
        p = p[len("corpus/"):] if p.startswith("corpus/") else p
        r = rules.get(s["rule"], {})
        cls = "generic" if r.get("flags", {}).get("generic") else "structured"
        out.append((p, s["line"], s["rule"], cls, s.get("fingerprint")))
    return out, d


# secretlint's rules that look for a password or secret by its context
# (the rest look for a named format)
SECRETLINT_GENERIC = ("basicauth", "database-connection-string")


def secretlint_findings(report, corpus):
    with open(report) as f:
        text = f.read().strip()
    data = json.loads(text) if text else []
    out = []
    for res in data:
        p = os.path.relpath(os.path.abspath(res["filePath"]),
                            os.path.abspath(corpus))
        for m in res.get("messages", []):
            rid = m.get("ruleId", "?")
            line = m.get("loc", {}).get("start", {}).get("line")
            if line is None:
                line = m.get("line", 0)
            cls = "generic" if any(g in rid for g in SECRETLINT_GENERIC) \
                else "structured"
            out.append((p, line, rid, cls, None))
    return out


# leakprint rules whose formats secretlint's recommended preset also looks
# for (by its rule list: aws, github, npm, slack, sendgrid, shopify, openai,
# anthropic, linear, 1password, privatekey, basicauth,
# database-connection-string): recall on these is the fairer comparison
COMMON = ("aws-access-key-id", "aws-secret-access-key", "github-", "npm",
          "slack-", "sendgrid", "shopify", "openai", "anthropic", "linear",
          "onepassword", "pem-", "openssh-private-key", "basic-auth-url",
          "postgres-url", "mysql-url", "mongodb")


def score(labels, findings, name):
    by_place = collections.defaultdict(list)
    for i, lab in enumerate(labels):
        for k in range(lab["lines"]):
            by_place[(lab["path"], lab["line"] + k)].append(i)
    hit = [False] * len(labels)
    tp = collections.Counter()
    fp = collections.Counter()
    fp_rules = collections.Counter()
    neg_rules = collections.Counter()
    neg_files = collections.Counter()
    dup = 0
    for (path, line, rule, cls, fpr) in findings:
        if path.startswith("negatives/"):
            neg_rules[rule] += 1
            neg_files[path] += 1
            continue
        cand = by_place.get((path, line), [])
        match = None
        for i in cand:  # the label's own rule, or the same value
            if labels[i]["rule"] == rule or (fpr and labels[i]["fp"] == fpr):
                match = i
                break
        if match is None and fpr is None and cand:
            match = cand[0]  # a scanner without fingerprints: the place
        if match is None:
            fp[cls] += 1
            fp_rules[(cls, rule, path.split("/")[0])] += 1
        elif hit[match]:
            dup += 1  # a second finding of a value already counted
        else:
            hit[match] = True
            tp[labels[match]["class"]] += 1
    total = collections.Counter(lab["class"] for lab in labels)
    miss = collections.Counter(lab["rule"] for i, lab in enumerate(labels)
                               if not hit[i])
    miss_ctx = collections.Counter(lab["context"] for i, lab in
                                   enumerate(labels) if not hit[i])
    classes = {}
    for c in ("structured", "generic"):
        n, t, f = total[c], tp[c], fp[c]
        classes[c] = {
            "labels": n, "found": t, "false_positives": f,
            "recall": round(t / n, 4) if n else None,
            "precision": round(t / (t + f), 4) if t + f else None}
    common = {}
    for c in ("structured", "generic"):
        idx = [i for i, lab in enumerate(labels) if lab["class"] == c and
               lab["rule"].startswith(COMMON)]
        found = sum(1 for i in idx if hit[i])
        common["common_" + c] = {
            "labels": len(idx), "found": found,
            "recall": round(found / len(idx), 4) if idx else None}
    # issue 15's classes (corpus.py's "case" of a label)
    cases = {}
    for i, lab in enumerate(labels):
        if "case" in lab:
            c = cases.setdefault(lab["case"], {"labels": 0, "found": 0})
            c["labels"] += 1
            c["found"] += hit[i]
    for c in cases.values():
        c["recall"] = round(c["found"] / c["labels"], 4)
    summary = {
        "scanner": name, **common, "cases": dict(sorted(cases.items())), "findings": len(findings), "classes": classes,
        "duplicates": dup,
        "hard_negative_findings": sum(neg_rules.values()),
        "hard_negative_by_rule": dict(neg_rules.most_common()),
        "hard_negative_by_file": dict(neg_files.most_common()),
        "missed_by_rule": dict(miss.most_common()),
        "missed_by_context": dict(miss_ctx.most_common()),
        "false_positives_by_rule": [
            {"class": c, "rule": r, "where": w, "count": k}
            for (c, r, w), k in fp_rules.most_common()],
    }
    return summary


def report(s, out):
    print("== %s: %d findings" % (s["scanner"], s["findings"]), file=out)
    for c, v in s["classes"].items():
        print("  %-10s labels %4d  found %4d  recall %s  false positives "
              "%4d  precision %s" % (c, v["labels"], v["found"], v["recall"],
                                     v["false_positives"], v["precision"]),
              file=out)
    print("  hard negatives: %d findings %s" % (
        s["hard_negative_findings"], s["hard_negative_by_rule"] or ""),
        file=out)
    for c, v in s["cases"].items():
        print("  case %-16s labels %4d  found %4d  recall %s" % (
            c, v["labels"], v["found"], v["recall"]), file=out)
    if s["missed_by_rule"]:
        print("  missed, by rule: %s" % s["missed_by_rule"], file=out)
    for x in s["false_positives_by_rule"][:40]:
        print("  false positive: %(class)s %(rule)s in %(where)s x%(count)d"
              % x, file=out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("labels")
    ap.add_argument("rules")
    ap.add_argument("--leakprint")
    ap.add_argument("--secretlint", nargs=2, metavar=("REPORT", "CORPUS"))
    a = ap.parse_args()
    labels = load_labels(a.labels)
    with open(a.rules) as f:
        rules = {r["id"]: r for r in (json.loads(x) for x in f if x.strip())}
    if a.leakprint:
        findings, _ = leakprint_findings(a.leakprint, rules)
        s = score(labels, findings, "leakprint")
    else:
        findings = secretlint_findings(*a.secretlint)
        s = score(labels, findings, "secretlint")
    report(s, sys.stderr)
    json.dump(s, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
