#!/usr/bin/env bash
# Compares the CPU time of leakprint binaries scanning one tree: one thread,
# the same registry, ROUNDS rounds in which each binary runs once in turn
# (so that a noisy neighbour slows all of them alike). Prints, per binary,
# the minimum, first quartile and median CPU milliseconds (user + system:
# perf's task-clock, or GNU time's when perf is missing) and each against
# the first binary. Used for the tables of docs/PERFORMANCE.md.
#
#   bash bench/compare.sh [-n ROUNDS] REGISTRY TREE BIN...
#   bash bench/compare.sh -n 15 /tmp/reg ~/.cache/leakprint-bench/restyled \
#        /tmp/lp-101112d build/leakprint
set -euo pipefail
rounds=11
if [ "${1:-}" = -n ]; then
    rounds=$2
    shift 2
fi
if [ $# -lt 3 ]; then
    echo "usage: bash bench/compare.sh [-n ROUNDS] REGISTRY TREE BIN..." >&2
    exit 2
fi
reg=$1 tree=$2
shift 2
out=$(mktemp)
tmp=$(mktemp)
trap 'rm -f "$out" "$tmp"' EXIT

# CPU milliseconds of one scan by binary $1 (a scan that finds something
# exits 1: the status is not looked at).
cpu_ms() {
    local cmd=("$1" --db "$reg" scan -j 1 -q --format json -o /dev/null "$tree")
    if command -v perf >/dev/null 2>&1; then
        perf stat -x, -e task-clock -o "$tmp" "${cmd[@]}" >/dev/null 2>&1 || true
        grep task-clock "$tmp" | cut -d, -f1
    else
        /usr/bin/time -o "$tmp" -f '%U %S' "${cmd[@]}" >/dev/null 2>&1 || true
        tail -1 "$tmp" | awk '{printf "%.0f\n", ($1 + $2) * 1000}'
    fi
}

for ((i = 1; i <= rounds; i++)); do
    for k in $(seq $#); do
        echo "$k $(cpu_ms "${!k}")" >>"$out"
    done
done

printf '%-40s %8s %8s %8s   %s\n' binary min q1 median "median vs first"
first=
for k in $(seq $#); do
    read -r min q1 med < <(awk -v k="$k" '$1 == k {print $2}' "$out" |
        sort -n | awk '{a[NR] = $1}
            END {printf "%.0f %.0f %.0f\n", a[1], a[int(NR / 4) + 1],
                        a[int((NR + 1) / 2)]}')
    [ -n "$first" ] || first=$med
    printf '%-40s %8s %8s %8s   %+.1f%%\n' "${!k}" "$min" "$q1" "$med" \
        "$(awk -v a="$med" -v b="$first" 'BEGIN {print (a / b - 1) * 100}')"
done
