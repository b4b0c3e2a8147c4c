#!/usr/bin/env python3
"""Prints count, mean, min and max of every numeric column of CSV files."""

import csv
import math
import sys


def column_stats(rows, header):
    stats = {name: [0, 0.0, math.inf, -math.inf] for name in header}
    for row in rows:
        for name, cell in zip(header, row):
            try:
                x = float(cell)
            except ValueError:
                continue
            s = stats[name]
            s[0] += 1
            s[1] += x
            s[2] = min(s[2], x)
            s[3] = max(s[3], x)
    return {k: v for k, v in stats.items() if v[0]}


def main(paths):
    if not paths:
        print("usage: csvstat.py FILE.csv...", file=sys.stderr)
        return 2
    for path in paths:
        with open(path, newline="") as f:
            reader = csv.reader(f)
            header = next(reader, [])
            stats = column_stats(reader, header)
        print(path)
        for name, (n, total, lo, hi) in stats.items():
            print("  %-20s n=%-6d mean=%-12.6g min=%-12.6g max=%.6g" % (name, n, total / n, lo, hi))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
