#!/usr/bin/env python3
"""Scores leakprint's and jscpd's reports on one category of samples.

Usage: score.py TRUTH.jsonl SAMPLES_DIR leakprint REPORT.json
       score.py TRUTH.jsonl SAMPLES_DIR jscpd REPORT.json PROTECTED_DIR
Prints one JSON object: files, tp, fp, fn, precision, recall, span IoU on
the file side and the asset side (files with a known copied range),
files of the sample without a copy reported with similarity >= 0.3, and
(leakprint) verdict, best and consistent versions of collection "linux".

A sample file counts as found (tp) when the tool's best match names its
source file; a wrong source is both a false positive and a miss; a file
without a source that gets any match is a false positive.
"""
import json
import os
import sys


def iou(a, b):
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]) + 1)
    union = (a[1] - a[0] + 1) + (b[1] - b[0] + 1) - inter
    return inter / union if union > 0 else 0.0


def leakprint_predictions(report, root):
    pred, extra = {}, {"high_sim_decoys": 0}
    for f in report.get("files", []):
        rel = os.path.relpath(f["path"], root)
        if not f.get("matches"):
            continue
        m = f["matches"][0]
        spans = [(tuple(s["lines"]), tuple(s["asset_lines"])) for s in m.get("spans", [])]
        pred[rel] = (m["asset"], spans, m.get("similarity", 0))
    extra["verdict"] = report.get("verdict", {}).get("level")
    for c in report.get("scope", {}).get("collections", []):
        if c["name"] == "linux":
            extra["best_version"] = c["versions"]["best"]
            extra["consistent"] = c["versions"]["consistent"]
    return pred, extra


def jscpd_predictions(report, root, protected):
    lines = {}  # sample -> asset -> [duplicated lines, spans]
    for d in report.get("duplicates", []):
        a, b = d["firstFile"], d["secondFile"]
        pa, pb = os.path.abspath(a["name"]), os.path.abspath(b["name"])
        if pb.startswith(root + os.sep) and pa.startswith(protected + os.sep):
            a, b, pa, pb = b, a, pb, pa
        if not (pa.startswith(root + os.sep) and pb.startswith(protected + os.sep)):
            continue
        rel, asset = os.path.relpath(pa, root), os.path.relpath(pb, protected)
        e = lines.setdefault(rel, {}).setdefault(asset, [0, []])
        e[0] += d.get("lines", 0)
        e[1].append(((a["start"], a["end"]), (b["start"], b["end"])))
    pred = {}
    for rel, by in lines.items():
        asset, (n, spans) = max(by.items(), key=lambda kv: (kv[1][0], kv[0]))
        pred[rel] = (asset, spans, 1.0)
    return pred, {"high_sim_decoys": None}


def main():
    truth_path, root, tool, report_path = sys.argv[1:5]
    root = os.path.abspath(root)
    with open(report_path) as fh:
        report = json.load(fh)
    if tool == "leakprint":
        pred, extra = leakprint_predictions(report, root)
    else:
        pred, extra = jscpd_predictions(report, root, os.path.abspath(sys.argv[5]))
    tp = fp = fn = 0
    ious_t, ious_a, high = [], [], 0
    truth = [json.loads(l) for l in open(truth_path)]
    for t in truth:
        p = pred.get(t["file"])
        if t["asset"] is None:
            if p:
                fp += 1
                high += p[2] >= 0.3
            continue
        if p and p[0] == t["asset"]:
            tp += 1
            if t["lines"] and p[1]:
                best = max(p[1], key=lambda s: iou(s[0], t["lines"]))
                ious_t.append(iou(best[0], t["lines"]))
                ious_a.append(iou(best[1], t["asset_lines"]))
        else:
            fn += 1
            fp += p is not None
    out = {"files": len(truth), "tp": tp, "fp": fp, "fn": fn,
           "precision": tp / (tp + fp) if tp + fp else None,
           "recall": tp / (tp + fn) if tp + fn else None,
           "iou_file": sum(ious_t) / len(ious_t) if ious_t else None,
           "iou_asset": sum(ious_a) / len(ious_a) if ious_a else None}
    if tool == "leakprint":
        out["unrelated_sim_ge_0.3"] = high
    out.update({k: v for k, v in extra.items() if k != "high_sim_decoys"})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
