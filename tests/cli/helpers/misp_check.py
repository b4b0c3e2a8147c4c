#!/usr/bin/env python3
"""Checks a MISP feed directory against the shapes of the MISP core format
(draft-dulaunoy-misp-core-format: the Event, Attribute, Object, Tag and
Orgc fields and their types) and of MISP's feed files (manifest.json:
each event's summary under its uuid; hashes.csv: "md5(value),event uuid"
for every attribute value). Prints "N events, N attributes, N objects",
or one line per problem and exits 1.
Usage: misp_check.py DIR"""
import hashlib
import json
import os
import re
import sys

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
CATEGORIES = {"Internal reference", "Targeting data", "Antivirus detection",
              "Payload delivery", "Artifacts dropped", "Payload installation",
              "Persistence mechanism", "Network activity", "Payload type",
              "Attribution", "External analysis", "Financial fraud",
              "Support Tool", "Social network", "Person", "Other"}
TYPES = {"sha256", "md5", "sha1", "filename", "size-in-bytes", "url", "text",
         "link", "comment"}
SUMMARY = ("Orgc", "Tag", "info", "date", "analysis", "threat_level_id", "timestamp")
problems = []


def need(cond, where, what):
    if not cond:
        problems.append("%s: %s" % (where, what))


def check_tags(tags, where):
    need(isinstance(tags, list), where, "Tag is no list")
    for t in tags if isinstance(tags, list) else []:
        need(isinstance(t.get("name"), str) and t["name"], where, "a tag without a name")
        need(re.match(r"^#[0-9A-Fa-f]{6}$", t.get("colour", "")), where, "a tag colour")


def check_attr(a, where, in_object):
    need(UUID.match(a.get("uuid", "")), where, "attribute uuid %r" % a.get("uuid"))
    need(a.get("type") in TYPES, where, "attribute type %r" % a.get("type"))
    need(a.get("category") in CATEGORIES, where, "attribute category %r" % a.get("category"))
    need(isinstance(a.get("value"), str) and a["value"] != "", where, "attribute value")
    need(isinstance(a.get("to_ids"), bool), where, "to_ids")
    need(re.match(r"^[0-9]+$", str(a.get("timestamp", ""))), where, "attribute timestamp")
    if in_object:
        need(isinstance(a.get("object_relation"), str), where, "object_relation")
    return a.get("value")


def main():
    d = sys.argv[1]
    files = sorted(f for f in os.listdir(d) if f.endswith(".json") and f != "manifest.json")
    with open(os.path.join(d, "manifest.json")) as f:
        manifest = json.load(f)
    need(set(manifest) == {f[:-5] for f in files}, "manifest.json",
         "keys are not the event files")
    want_hashes = set()
    nattr = nobj = 0
    for name in files:
        with open(os.path.join(d, name)) as f:
            doc = json.load(f)
        ev = doc.get("Event", {})
        u = ev.get("uuid", "")
        need(u + ".json" == name, name, "uuid is not the file name")
        need(UUID.match(u), name, "event uuid")
        need(isinstance(ev.get("info"), str) and ev["info"], name, "info")
        need(re.match(r"^\d{4}-\d{2}-\d{2}$", ev.get("date", "")), name, "date")
        need(ev.get("analysis") in (0, 1, 2), name, "analysis")
        need(ev.get("threat_level_id") in (1, 2, 3, 4), name, "threat_level_id")
        need(re.match(r"^[0-9]+$", ev.get("timestamp", "")), name, "timestamp")
        need(isinstance(ev.get("published"), bool), name, "published")
        org = ev.get("Orgc", {})
        need(org.get("name") and UUID.match(org.get("uuid", "")), name, "Orgc")
        check_tags(ev.get("Tag"), name)
        for a in ev.get("Attribute", []):
            want_hashes.add((hashlib.md5(check_attr(a, name, False).encode()).hexdigest(), u))
            nattr += 1
        for o in ev.get("Object", []):
            nobj += 1
            need(o.get("name") == "file" and o.get("meta-category") == "file", name, "object name")
            need(UUID.match(o.get("template_uuid", "")), name, "template_uuid")
            need(UUID.match(o.get("uuid", "")), name, "object uuid")
            for a in o.get("Attribute", []):
                want_hashes.add((hashlib.md5(check_attr(a, name, True).encode()).hexdigest(), u))
                nattr += 1
        m = manifest.get(u, {})
        for k in SUMMARY:
            need(m.get(k) == ev.get(k), "manifest.json", "%s of %s differs from the event" % (k, u))
    got = set()
    with open(os.path.join(d, "hashes.csv")) as f:
        for line in f:
            h, _, u = line.rstrip("\n").partition(",")
            got.add((h, u))
    need(got == want_hashes, "hashes.csv", "not the md5 of every attribute value")
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print("%d event%s, %d attributes, %d object%s" % (len(files), "" if len(files) == 1 else "s",
                                                     nattr, nobj, "" if nobj == 1 else "s"))


main()
