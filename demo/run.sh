#!/usr/bin/env bash
# The leakprint demo: registers an imaginary vendor's source tree, then scans
# what a seller posted. Run from the repository root: `make demo`, or
#     bash demo/run.sh build/leakprint
#
#   demo/protected/   "acme-gateway" 2.4.1: C daemon, Makefile, shell scripts,
#                     a Python tool, CI YAML, a config file, the admin manual
#   demo/leak/        the seller's dump. What the scan should find:
#     acme_src/src/session.c, acme_src/src/ring.h,
#     acme_src/scripts/deploy.sh   verbatim copies         (exact)
#     acme_src/src/config.c,
#     acme_src/src/cli.c           restyled, comments and blank lines removed
#     acme_src/docs/MANUAL.md      admin-guide.md re-wrapped to 60 columns
#     misc/flowtop.c               new program with one pasted function
#                                  (agw_cli_tokenize from src/cli.c, ~27 lines)
#     misc/pktq.c                  src/ring.c with its functions, parameters
#                                  and locals renamed, comments removed
#     README.md, extras/*          unrelated: must not match
#   demo/clean/       unrelated files only: a scan of it finds nothing (exit 0)
#
# The same scan is also written as an HTML report, one self-contained page
# (docs/HTML.md), to demo/report.html (or $DEMO_REPORT): open it with
# `xdg-open demo/report.html` or any browser.
#
# Exits 0 when the scan of demo/leak reports a leak (exit code 1), as expected.
set -euo pipefail

BIN=${1:-build/leakprint}
if [ ! -x "$BIN" ]; then
    echo "demo: $BIN: not an executable (build it with 'make')" >&2
    exit 2
fi
case "$BIN" in */*) BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN") ;; esac
cd "$(dirname "$0")/.."

tmp=$(mktemp -d "${TMPDIR:-/tmp}/leakprint-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "== registering demo/protected as acme-gateway 2.4.1"
"$BIN" --db "$tmp/registry" add --name acme-gateway --version 2.4.1 demo/protected
echo
echo "== scanning demo/leak"
rc=0
"$BIN" --db "$tmp/registry" scan demo/leak || rc=$?
echo
report=${DEMO_REPORT:-demo/report.html}
hrc=0
"$BIN" --db "$tmp/registry" scan -q --format html -o "$report" demo/leak || hrc=$?
if [ $hrc -ne $rc ]; then
    echo "demo: FAILED: the HTML report's scan ended with exit code $hrc" >&2
    exit 1
fi
echo "demo: HTML report written to $report (open it: xdg-open $report)"
case $rc in
    1) echo "demo: leak found (exit 1), as expected"; exit 0 ;;
    0) echo "demo: FAILED: the scan found nothing in demo/leak (exit 0)" >&2; exit 1 ;;
    *) echo "demo: FAILED: the scan ended with exit code $rc" >&2; exit 1 ;;
esac
