#!/usr/bin/env bash
# The leakprint benchmark: speed, memory, index size and accuracy on a Linux
# kernel subset. Usage (from anywhere): bash bench/run.sh BIN   (`make bench`)
#
# Builds the corpora first with bench/corpus.sh (cached in
# ${LEAKPRINT_BENCH_CACHE:-$HOME/.cache/leakprint-bench}), then times with GNU
# time, on a warm page cache:
#   1. add       BIN --db REG add --name linux CACHE/linux
#                (then, untimed, GnuPG 1.4's mpi/ with add --public)
#   2. scan      of CACHE/linux      (identical copy)
#   3. scan      of CACHE/restyled   (every .c/.h through clang-format)
#   4. scan      of CACHE/unrelated  (glibc, must not match)
#   5. rg -c .   over CACHE/linux    (a floor: the cost of reading every line)
# then the same on one thread, best of 8 (and the unrelated scan once more
# with LEAKPRINT_IO_URING=0, to show what reading files ahead gives),
# and checks accuracy from the JSON reports with jq. Prints Markdown tables
# (for docs/PERFORMANCE.md); results stay in CACHE/results/.
#
# Environment: BENCH_JOBS=N passes -j N to scan (default: the tool's own).
set -euo pipefail

BIN=${1:?usage: bench/run.sh path/to/leakprint}
[ -x "$BIN" ] || { echo "bench: $BIN: not an executable" >&2; exit 2; }
case "$BIN" in */*) BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN") ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${LEAKPRINT_BENCH_CACHE:-$HOME/.cache/leakprint-bench}
export LEAKPRINT_BENCH_CACHE=$CACHE

bash "$HERE/corpus.sh" >&2
for tool in jq rg /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "bench: $tool missing" >&2; exit 2; }
done

OUT="$CACHE/results"
rm -rf "$OUT"; mkdir -p "$OUT"
REG="$OUT/registry"
JOBS=()
[ -n "${BENCH_JOBS:-}" ] && JOBS=(-j "$BENCH_JOBS")

tree_bytes() { find "$1" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}'; }
warm() { find "$1" -type f -print0 | xargs -0 cat > /dev/null; }

# measure NAME BYTES EXPECTED_RCS CMD... : runs CMD under GNU time; stdout goes
# to $OUT/NAME.out, stderr to $OUT/NAME.err. Appends a row to $OUT/rows.
measure() {
    local name=$1 bytes=$2 expect=$3; shift 3
    local rc=0
    echo "bench: $name: $*" >&2
    /usr/bin/time -o "$OUT/$name.time" -f '%e %U %S %M' "$@" \
        > "$OUT/$name.out" 2> "$OUT/$name.err" || rc=$?
    case " $expect " in
        *" $rc "*) ;;
        *) echo "bench: $name: unexpected exit code $rc (expected $expect); stderr:" >&2
           head -n 5 "$OUT/$name.err" >&2 ;;
    esac
    # GNU time writes "Command exited with non-zero status N" first: keep the last line.
    read -r wall user sys rss_kb < <(tail -n 1 "$OUT/$name.time")
    echo "$name $bytes $wall $user $sys $rss_kb $rc" >> "$OUT/rows"
}

LINUX_BYTES=$(tree_bytes "$CACHE/linux")
RESTYLED_BYTES=$(tree_bytes "$CACHE/restyled")
UNRELATED_BYTES=$(tree_bytes "$CACHE/unrelated")
: > "$OUT/rows"

warm "$CACHE/linux"
measure add "$LINUX_BYTES" 0 "$BIN" --db "$REG" add --name linux "$CACHE/linux"
# The open-source upstream of the kernel's lib/mpi (GnuPG 1.4's mpi/, of GNU
# MP's lineage, as glibc's stdlib/ mpn code is), as public background: what
# a vendor registers for the code it embeds. Not timed (0.5 MB).
add_public() { "$BIN" --db "$1" add -q --public --name gnupg-mpi "$CACHE/upstream-mpi"; }
add_public "$REG"
measure scan-identical "$LINUX_BYTES" 1 \
    "$BIN" --db "$REG" scan "${JOBS[@]}" --format json "$CACHE/linux"
warm "$CACHE/restyled"
measure scan-restyled "$RESTYLED_BYTES" 1 \
    "$BIN" --db "$REG" scan "${JOBS[@]}" --format json "$CACHE/restyled"
warm "$CACHE/unrelated"
measure scan-unrelated "$UNRELATED_BYTES" "0 1" \
    "$BIN" --db "$REG" scan "${JOBS[@]}" --format json "$CACHE/unrelated"
warm "$CACHE/linux"
measure rg-floor "$LINUX_BYTES" 0 rg -c -uu . "$CACHE/linux"

# Per core: the same steps on one thread (-j 1), best of 8 runs, since this
# machine's timings vary from run to run by up to a third.
best_of() { # NAME BYTES CMD...
    local name=$1 bytes=$2 best="" i; shift 2
    for i in 1 2 3 4 5 6 7 8; do
        /usr/bin/time -o "$OUT/$name.1.time" -f '%e %U %S %M' "$@" > /dev/null 2>&1 || true
        read -r wall user sys rss_kb < <(tail -n 1 "$OUT/$name.1.time")
        local cpu; cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
        if [ -z "$best" ] || awk -v a="$cpu" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$cpu
            echo "$name $bytes $wall $user $sys $rss_kb" > "$OUT/$name.best"
        fi
    done
    cat "$OUT/$name.best" >> "$OUT/rows1"
}
: > "$OUT/rows1"
REG1="$OUT/registry-j1"
for i in 1 2 3; do rm -rf "$REG1.$i"; done
warm "$CACHE/linux"
n=0
for i in 1 2 3; do
    /usr/bin/time -o "$OUT/add1.$i.time" -f '%e %U %S %M' \
        "$BIN" --db "$REG1.$i" add -q -j 1 --name linux "$CACHE/linux" > /dev/null 2>&1 || true
done
best=$(for i in 1 2 3; do tail -n 1 "$OUT/add1.$i.time"; done | awk '{print $2 + $3, $0}' | sort -n | head -n 1 | cut -d' ' -f2-)
echo "add $LINUX_BYTES $best" >> "$OUT/rows1"
for i in 2 3; do rm -rf "$REG1.$i"; done
add_public "$REG1.1"
best_of scan-identical "$LINUX_BYTES" "$BIN" --db "$REG1.1" scan -q -j 1 --format json "$CACHE/linux"
warm "$CACHE/restyled"
best_of scan-restyled "$RESTYLED_BYTES" "$BIN" --db "$REG1.1" scan -q -j 1 --format json "$CACHE/restyled"
warm "$CACHE/unrelated"
best_of scan-unrelated "$UNRELATED_BYTES" "$BIN" --db "$REG1.1" scan -q -j 1 --format json "$CACHE/unrelated"
# The same without reading files ahead through io_uring (src/prefetch.c):
# what a machine that forbids io_uring (a container's seccomp filter) gets.
best_of scan-unrelated-nouring "$UNRELATED_BYTES" \
    env LEAKPRINT_IO_URING=0 "$BIN" --db "$REG1.1" scan -q -j 1 --format json "$CACHE/unrelated"
warm "$CACHE/linux"
best_of rg-floor "$LINUX_BYTES" rg -j 1 -c -uu . "$CACHE/linux"
rm -rf "$REG1.1"

REG_BYTES=$(du -sb "$REG" | cut -f1)

# ---- accuracy -------------------------------------------------------------
# A file counts as found when the best (first) match names the same relative
# path. The tool may print paths relative to the target or with the target
# prefixed, and assets with a leading component: both are normalised.
# shellcheck disable=SC2016
JQ_SAME='
  def rel($root): ltrimstr($root + "/") | ltrimstr("./") | ltrimstr(($root | split("/") | last) + "/");
  def same($a; $r): $a == $r or ($a | endswith("/" + $r));
  [ .files[]?
    | (.path | rel($root)) as $r
    | select(($ext | length) == 0 or any($ext[]; . == ($r | split(".") | last)))
    | select((.matches | length) > 0)
    | select(same(.matches[0].asset | rel($aroot); $r)) ]
  | length'
same_path() { # JSON ROOT EXTS...
    local json=$1 root=$2; shift 2
    jq --arg root "$root" --arg aroot "$CACHE/linux" \
        --argjson ext "$(printf '%s\n' "$@" | jq -R . | jq -sc 'map(select(length > 0))')" \
        "$JQ_SAME" "$json"
}
count_files() { # ROOT [find predicates]
    local root=$1; shift
    find "$root" -type f "$@" | wc -l
}
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f %%", 100 * a / b; else print "n/a" }'; }

ID_JSON="$OUT/scan-identical.out"
RS_JSON="$OUT/scan-restyled.out"
UN_JSON="$OUT/scan-unrelated.out"
for j in "$ID_JSON" "$RS_JSON" "$UN_JSON"; do
    jq -e . "$j" > /dev/null 2>&1 || { echo "bench: $j is not valid JSON" >&2; exit 1; }
done

ID_TOTAL=$(count_files "$CACHE/linux")
ID_SAME=$(same_path "$ID_JSON" "$CACHE/linux" "")
ID_EXACT=$(jq '[.files[]? | select(.matches[0].exact == true)] | length' "$ID_JSON")
ID_MATCHED=$(jq '[.files[]?] | length' "$ID_JSON")
RS_TOTAL=$(count_files "$CACHE/restyled" \( -name '*.c' -o -name '*.h' \))
RS_SAME=$(same_path "$RS_JSON" "$CACHE/restyled" c h)
RS_SIM=$(jq '[.files[]? | select(.path | test("\\.[ch]$")) | .matches[0].similarity]
             | if length > 0 then (sort | .[length / 2 | floor]) else "n/a" end' "$RS_JSON")
# .c/.h files of the restyled copy without any match, and the largest of them.
(cd "$CACHE/restyled" && find . -type f \( -name '*.c' -o -name '*.h' \) | sed 's|^\./||' | sort) \
    > "$OUT/restyled.all"
jq -r --arg root "$CACHE/restyled" '.files[]?.path | ltrimstr($root + "/")' "$RS_JSON" | sort \
    > "$OUT/restyled.matched"
comm -23 "$OUT/restyled.all" "$OUT/restyled.matched" > "$OUT/restyled.nomatch"
RS_NONE=$(wc -l < "$OUT/restyled.nomatch")
RS_NONE_MAX=$( (cd "$CACHE/restyled" && tr '\n' '\0' < "$OUT/restyled.nomatch" \
    | xargs -0 -r stat -c '%s' | sort -n | tail -n 1) )
UN_TOTAL=$(count_files "$CACHE/unrelated")
UN_HITS=$(jq '[.files[]? | select(any(.matches[]?; .similarity >= 0.3))] | length' "$UN_JSON")
UN_ANY=$(jq '[.files[]?] | length' "$UN_JSON")
EMPTY_SHA=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
UN_EMPTY=$(jq --arg e "$EMPTY_SHA" '[.files[]? | select(.sha256 == $e)] | length' "$UN_JSON")
verdict() { jq -r '"\(.verdict.level) (\(.verdict.confidence * 100 | round / 100))"' "$1"; }

# ---- report -----------------------------------------------------------------
{
echo "### leakprint benchmark"
echo
echo "$("$BIN" --version 2>/dev/null | head -n 1 || echo leakprint), $(date -u +%Y-%m-%d)," \
     "$(nproc) CPUs ($(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1))," \
     "$(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo) RAM, warm page cache."
echo "Corpus: Linux $(sed 's/linux-source-//; s/.tar.xz//' "$CACHE/.linux.done") subset" \
     "($(count_files "$CACHE/linux") files), restyled copy, glibc $(sed 's/glibc-//; s/.tar.xz.*//' "$CACHE/.unrelated.done") subset."
[ ${#JOBS[@]} -gt 0 ] && echo "scan -j $BENCH_JOBS."
echo
# table ROWS RG_LABEL: one Markdown row per measured step (an Exit column
# when the rows carry exit codes).
table() {
    local rows=$1 rg=$2
    local exitcol=""; [ "$(awk '{print NF; exit}' "$rows")" -ge 7 ] && exitcol=" Exit |"
    echo "| Step | Input MB | Wall s | CPU s (user+sys) | MB per CPU-s | Wall MB/s | Peak RSS MB |$exitcol"
    echo "|---|---:|---:|---:|---:|---:|---:|${exitcol:+---:|}"
    awk -v rg="$rg" '{
        label["add"] = "add (index linux)"
        label["scan-identical"] = "scan identical copy"
        label["scan-restyled"] = "scan restyled copy"
        label["scan-unrelated"] = "scan unrelated (glibc)"
        label["scan-unrelated-nouring"] = "scan unrelated, without io_uring"
        label["rg-floor"] = rg
        mb = $2 / 1048576; w = $3; cpu = $4 + $5
        per_cpu = (cpu > 0) ? sprintf("%.1f", mb / cpu) : "n/a"
        per_wall = (w > 0) ? sprintf("%.1f", mb / w) : "n/a"
        printf "| %s | %.1f | %.2f | %.2f | %s | %s | %.0f |", label[$1], mb, w, cpu,
            per_cpu, per_wall, $6 / 1024
        if (NF >= 7) printf " %s |", $7
        printf "\n"
    }' "$rows"
}
table "$OUT/rows" '`rg -c .` (reading floor)'
echo
echo "One thread (-j 1), best of 8 runs (add: of 3): the per-core figure."
echo
table "$OUT/rows1" '`rg -j 1 -c .` (reading floor)'
echo
echo "MB = 2^20 bytes throughout."
echo
awk -v r="$REG_BYTES" -v s="$LINUX_BYTES" 'BEGIN {
    printf "Registry on disk: %.1f MB for %.1f MB of source, %.3f index bytes per source byte.\n",
        r / 1048576, s / 1048576, r / s }'
echo "Peak RSS is as measured (GNU time %M): the registry is mmap'd, so the pages of it"
echo "that a scan touches count in its RSS although they are shared, clean page cache."
echo
echo "| Accuracy check | Result |"
echo "|---|---|"
echo "| identical copy: best match is the same path | $ID_SAME / $ID_TOTAL files ($(pct "$ID_SAME" "$ID_TOTAL")) |"
echo "| identical copy: best match flagged exact | $ID_EXACT / $ID_TOTAL ($(pct "$ID_EXACT" "$ID_TOTAL")) |"
echo "| identical copy: files with any match | $ID_MATCHED |"
echo "| identical copy: verdict | $(verdict "$ID_JSON") |"
echo "| restyled copy: best match is the same path (.c/.h) | $RS_SAME / $RS_TOTAL ($(pct "$RS_SAME" "$RS_TOTAL")) |"
echo "| restyled copy: .c/.h files without any match | $RS_NONE (largest: ${RS_NONE_MAX:-0} bytes) |"
echo "| restyled copy: median best similarity (.c/.h) | $RS_SIM |"
echo "| restyled copy: verdict | $(verdict "$RS_JSON") |"
echo "| unrelated: files with a match of similarity >= 0.3 | $UN_HITS / $UN_TOTAL ($UN_ANY with any match, $UN_EMPTY of them empty files) |"
echo "| unrelated: verdict | $(verdict "$UN_JSON") |"
} | tee "$OUT/table.md"
echo >&2
echo "bench: reports and timings in $OUT (registry: $REG)" >&2
