#!/usr/bin/env python3
# acme-gateway - dump the session table of a running gateway as CSV or JSON.
# Copyright (c) 2019-2024 Acme Networks Ltd. CONFIDENTIAL AND PROPRIETARY.
# (Demo material: imaginary company.)
"""Usage: acme-sessdump [--socket PATH] [--format csv|json] [--limit N]
                     [--proto tcp|udp|N] [--top-talkers K]

Talks to the management socket of acme-gw, runs "show sessions" and turns
the reply into machine-readable rows.
"""

import argparse
import csv
import json
import re
import socket
import sys

DEFAULT_SOCKET = "/run/acme-gw/cli.sock"
PROTO_NAMES = {1: "icmp", 6: "tcp", 17: "udp", 47: "gre", 50: "esp", 58: "icmpv6"}
LINE_RE = re.compile(
    r"^(?P<proto>\d+)\s+(?P<src>\S+):(?P<sport>\d+) -> (?P<dst>\S+):(?P<dport>\d+)"
    r"\s+pkts (?P<pkts_fwd>\d+)/(?P<pkts_rev>\d+)"
    r" bytes (?P<bytes_fwd>\d+)/(?P<bytes_rev>\d+)$"
)


class GatewayError(Exception):
    pass


def run_command(path, command, timeout=5.0):
    """Sends one CLI command, returns the reply lines without the status line."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(path)
        s.sendall(command.encode() + b"\n")
        s.shutdown(socket.SHUT_WR)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    lines = data.decode(errors="replace").splitlines()
    if not lines or not lines[-1].startswith("% "):
        raise GatewayError("truncated reply from gateway")
    status = lines.pop()
    if status != "% ok":
        raise GatewayError(status[2:])
    return lines


def parse_sessions(lines):
    rows = []
    for line in lines:
        m = LINE_RE.match(line.strip())
        if not m:
            continue
        row = {k: (int(v) if v.isdigit() else v) for k, v in m.groupdict().items()}
        row["proto_name"] = PROTO_NAMES.get(row["proto"], str(row["proto"]))
        row["bytes_total"] = row["bytes_fwd"] + row["bytes_rev"]
        rows.append(row)
    return rows


def proto_filter(value):
    for number, name in PROTO_NAMES.items():
        if value == name:
            return number
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError("unknown protocol %r" % value)


def top_talkers(rows, k):
    per_src = {}
    for row in rows:
        per_src[row["src"]] = per_src.get(row["src"], 0) + row["bytes_total"]
    return sorted(per_src.items(), key=lambda kv: kv[1], reverse=True)[:k]


def self_test():
    sample = [
        "6     10.0.0.5:51514 -> 192.0.2.10:443  pkts 12/10 bytes 3400/18220",
        "17    10.0.0.7:5353 -> 224.0.0.251:5353  pkts 3/0 bytes 360/0",
        "1 session(s) shown",
    ]
    rows = parse_sessions(sample)
    assert len(rows) == 2, rows
    assert rows[0]["proto_name"] == "tcp" and rows[0]["bytes_total"] == 21620
    assert top_talkers(rows, 1) == [("10.0.0.5", 21620)]
    print("sessdump: self-test ok")
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--socket", default=DEFAULT_SOCKET)
    ap.add_argument("--format", choices=("csv", "json"), default="csv")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--proto", type=proto_filter)
    ap.add_argument("--top-talkers", type=int, metavar="K")
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args(argv)
    if args.self_test:
        return self_test()

    command = "show sessions" + (" limit %d" % args.limit if args.limit else "")
    try:
        rows = parse_sessions(run_command(args.socket, command))
    except (OSError, GatewayError) as e:
        print("sessdump: %s: %s" % (args.socket, e), file=sys.stderr)
        return 1
    if args.proto is not None:
        rows = [r for r in rows if r["proto"] == args.proto]
    if args.top_talkers:
        rows = [{"src": s, "bytes_total": b} for s, b in top_talkers(rows, args.top_talkers)]

    if args.format == "json":
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif rows:
        w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
