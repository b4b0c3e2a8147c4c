# lib.sh: shared helpers of the end-to-end tests. Each test sources it, gets
# a fresh temporary directory $T (removed on exit) and the binary $LP.
#
# $LP is helpers/lp, which runs $LEAKPRINT and keeps a copy of every JSON
# and JSONL report (scan, secrets, list, stats; -o files and baselines
# too); when the test ends, each is validated against its schema of
# docs/schema/, and one that is not valid fails the test, whatever the
# test's own status was. Tests run the binary only as "$LP".
set -euo pipefail
HELPERS=$(cd "$(dirname "${BASH_SOURCE[0]}")/helpers" && pwd)
FIX=$(cd "$HELPERS/../../fixtures" && pwd)
export LP_REAL=${LEAKPRINT:?set LEAKPRINT to the built binary}
export LP_SCHEMA_DIR=$(cd "$HELPERS/../../../docs/schema" && pwd)
LP=$HELPERS/lp
# The build the tested binary comes from (its libraries, for t0002/t0003).
BUILD_DIR=$(cd "$(dirname "$LP_REAL")" && pwd)
T=$(mktemp -d)
# The reports' copies live apart from $T, which tests scan and archive.
LP_REPORTS=$(mktemp -d)
export LP_SCHEMA_MANIFEST=$LP_REPORTS/manifest
trap 'end_test' EXIT

# validate_reports: every report the test's runs wrote, against its schema;
# prints the errors and fails when one is invalid.
validate_reports() {
    [ -s "$LP_SCHEMA_MANIFEST" ] || return 0
    /usr/bin/python3 "$HELPERS/validate.py" --batch "$LP_SCHEMA_MANIFEST" >&2 &&
        return 0
    echo "FAIL: a JSON report does not follow docs/schema/ (above)" >&2
    return 1
}

end_test() {
    local st=$?
    validate_reports || st=1
    [ -n "${KEEP:-}" ] || rm -rf "$T" "$LP_REPORTS"
    exit $st
}
export LEAKPRINT_DB="$T/reg"
export NO_COLOR=1
# The per-user fingerprint key (docs/SECRETS.md) is made here, never in
# the real home.
export XDG_CONFIG_HOME="$T/config"

die() { echo "FAIL: $*" >&2; exit 1; }

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
    [ "$2" == "$3" ] || die "$1: expected '$2', got '$3'"
}

# run_rc CMD...: runs CMD, stores its exit code in $rc, stdout in $T/out,
# stderr in $T/err; never fails by itself.
run_rc() {
    set +e
    "$@" >"$T/out" 2>"$T/err"
    rc=$?
    set -e
}

# jqv FILTER: jq -r on the last stdout.
jqv() { jq -r "$1" "$T/out"; }

# expect_one_line_error PATTERN: stderr is exactly one line matching PATTERN.
expect_one_line_error() {
    local n
    n=$(wc -l <"$T/err")
    expect_eq "stderr lines" 1 "$n"
    grep -qE "$1" "$T/err" || die "stderr '$(cat "$T/err")' does not match '$1'"
}

# add_proj [VERSION]: registers the gateway fixture as collection 'gw'.
add_proj() {
    "$LP" add -q --name gw --version "${1:-1.0}" "$FIX/proj"
}

# paste_ring FIRST LAST OUT: the unrelated csv.c with lines FIRST-LAST of
# the protected ring.c pasted after its line 45 (so at OUT's line 46).
paste_ring() {
    { sed -n '1,45p' "$FIX/other/csv.c"; sed -n "$1,$2p" "$FIX/proj/src/ring.c"
      sed -n '46,$p' "$FIX/other/csv.c"; } >"$3"
}

# expect_at_least WHAT MIN VALUE: VALUE >= MIN (decimals allowed).
expect_at_least() {
    awk -v v="$3" -v m="$2" 'BEGIN { exit !(v >= m) }' || die "$1: $3 < $2"
}

# expect_one_span_covering FILE SLACK: the first file's best match has one
# span, from within SLACK lines of FILE's start to within SLACK of its end.
expect_one_span_covering() {
    local first last total
    expect_eq "spans" 1 "$(jqv '.files[0].matches[0].spans | length')"
    first=$(jqv '.files[0].matches[0].spans[0].lines[0]')
    last=$(jqv '.files[0].matches[0].spans[0].lines[1]')
    total=$(wc -l <"$1")
    [ "$first" -le "$2" ] && [ "$last" -ge $((total - $2)) ] ||
        die "span $first-$last does not cover the file (1-$total)"
}


# wait_for WHAT CMD...: polls CMD until it succeeds, 20 s at most (a
# daemon's work seen from outside).
wait_for() {
    local what=$1 i
    shift
    for i in $(seq 200); do
        if "$@"; then return 0; fi
        sleep 0.1
    done
    die "timed out waiting for $what"
}

# sqlq DB SQL: each row of SQL on the SQLite file DB, its columns
# separated by spaces (nothing, and no error, before DB has the table).
sqlq() {
    /usr/bin/python3 -c 'import sqlite3, sys
for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print(*r)' "$@" 2>/dev/null
}

# sink_receiver KIND DIR [ARGS...]: starts helpers/sink_receiver.py (a
# webhook or syslog receiver on 127.0.0.1) writing into DIR, adds its pid
# to $PIDS (the caller kills them) and sets $PORT once it listens.
sink_receiver() {
    local kind=$1 d=$2 i=0
    shift 2
    mkdir -p "$d"
    /usr/bin/python3 "$HELPERS/sink_receiver.py" "$kind" "$d" "$@" &
    PIDS="${PIDS:-} $!"
    while [ ! -s "$d/port" ]; do
        i=$((i + 1))
        [ $i -lt 500 ] || die "receiver $d did not start"
        sleep 0.02
    done
    PORT=$(cat "$d/port")
}
