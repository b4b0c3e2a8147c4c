#!/usr/bin/env bash
# The secrets benchmark (docs/SECRETS.md): `make bench-secrets`, or
#   bash bench/secrets/run.sh BUILD_DIR
# with BUILD_DIR holding leakprint, bench/rules_dump and bench/engine_bench.
#
# 1. corpus: bench/secrets/corpus.py builds a labelled corpus (fresh values
#    of every rule injected into real Debian source files and made-up config
#    files, plus hard negatives) in $CACHE/secrets/ (never in the repo).
# 2. accuracy: leakprint and secretlint 11 on that corpus, scored by
#    score.py against the labels, timed with peak RSS.
# 3. throughput: the whole linux-source-6.1 tree (~1.3 GB): cat, leakprint
#    secrets -j1 and -j2 and their CPU against ripgrep's reading floor,
#    ripgrep with the rules' patterns (on a sample: it is too slow for the
#    whole tree), and the raw engine on in-memory
#    buffers (engine_bench).
# Prints Markdown; results, reports and timings go to $CACHE/secrets/results.
# Env: LEAKPRINT_BENCH_CACHE, SECRETS_SEED (5), SECRETS_PER_RULE (4),
#      RG_SAMPLE_EVERY (keep every Nth file for ripgrep: 40).
set -euo pipefail

BUILD=${1:-build}
LP=$BUILD/leakprint
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${LEAKPRINT_BENCH_CACHE:-$HOME/.cache/leakprint-bench}
S=$CACHE/secrets
R=$S/results
SEED=${SECRETS_SEED:-5}
PER_RULE=${SECRETS_PER_RULE:-4}
RG_EVERY=${RG_SAMPLE_EVERY:-40}
LP=$(cd "$(dirname "$LP")" && pwd)/$(basename "$LP")
BUILD=$(cd "$BUILD" && pwd)

log() { printf 'bench-secrets: %s\n' "$*" >&2; }

# The Debian packages it needs (scripts/deps.sh installs the missing ones).
install_pkgs() {
    bash "$HERE/../../scripts/deps.sh" linux-source-6.1 glibc-source ripgrep \
        time openssl openssh-client gnupg xz-utils
}

# timed NAME CMD...: runs CMD under GNU time, stdout to $R/NAME.out; leaves
# "wall user sys maxrss_kb exit" in $R/NAME.time
timed() {
    local name=$1; shift
    local rc=0
    /usr/bin/time -o "$R/$name.time.raw" -f '%e %U %S %M' "$@" > "$R/$name.out" \
        2> "$R/$name.err" || rc=$?
    printf '%s %s\n' "$(grep -E '^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$' "$R/$name.time.raw" | tail -n 1)" \
        "$rc" > "$R/$name.time"
}

# timed_best N NAME CMD...: timed, N times; keeps the run of least CPU time
# (user+sys): this machine's timings move by a third from run to run.
timed_best() {
    local n=$1 name=$2 i best=""; shift 2
    for ((i = 0; i < n; i++)); do
        timed "$name.try" "$@"
        local cpu; cpu=$(awk '{print $2 + $3}' "$R/$name.try.time")
        if [ -z "$best" ] || awk -v a="$cpu" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$cpu
            mv "$R/$name.try.time" "$R/$name.time"
            mv "$R/$name.try.out" "$R/$name.out"
            mv "$R/$name.try.err" "$R/$name.err"
        fi
    done
    rm -f "$R/$name.try".*
}

install_pkgs
command -v npm > /dev/null || { log "npm (Node 20) is needed for secretlint"; exit 1; }
mkdir -p "$S" "$R"
# the Debian sources bench/corpus.sh extracts (linux and glibc subsets)
bash "$HERE/../corpus.sh" >&2

# the whole kernel tree, for throughput (and YAML/JSON host files)
if [ ! -e "$S/.throughput.done" ]; then
    log "extracting /usr/src/linux-source-6.1.tar.xz"
    rm -rf "$S/throughput"; mkdir -p "$S/throughput"
    tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$S/throughput"
    find "$S/throughput" -type l -delete
    date > "$S/.throughput.done"
fi
TREE=$(find "$S/throughput" -mindepth 1 -maxdepth 1 -type d | head -n 1)

# 1. corpus (rebuilt when the rules, the seed, the generator or the
# fingerprint key change); leakprint runs with the bench's own key, which
# the labels' fingerprints are made under
KEY=$S/fingerprint.key
[ -s "$KEY" ] || (umask 077 && openssl rand -hex 32 > "$KEY")
"$BUILD/bench/rules_dump" > "$S/rules.jsonl"
stamp=$(cat "$S/rules.jsonl" "$HERE/corpus.py" "$KEY" | sha256sum | cut -c1-16)-$SEED-$PER_RULE
if [ "$(cat "$S/.corpus.done" 2>/dev/null)" != "$stamp" ]; then
    log "building the labelled corpus (seed $SEED)"
    python3 "$HERE/corpus.py" "$S/rules.jsonl" "$CACHE/linux" "$CACHE/unrelated" \
        "$TREE/Documentation/devicetree/bindings" "$TREE/tools/perf/pmu-events" \
        --out "$S" --seed "$SEED" --per-rule "$PER_RULE" \
        --rules-dump "$BUILD/bench/rules_dump" --fingerprint-key "$KEY"
    echo "$stamp" > "$S/.corpus.done"
fi

# 2. accuracy: leakprint, then secretlint, on the same corpus
cd "$S"
log "leakprint on the labelled corpus"
cat -- $(find corpus -type f) > /dev/null 2>&1 || true
timed lp_corpus "$LP" secrets --fingerprint-key "$KEY" --format json -j 2 corpus
python3 "$HERE/score.py" labels.jsonl rules.jsonl --leakprint "$R/lp_corpus.out" \
    > "$R/lp_score.json"

SL=$S/secretlint/node_modules/.bin/secretlint
if [ ! -x "$SL" ]; then
    log "installing secretlint 11 with npm into $S/secretlint"
    npm install --prefix "$S/secretlint" secretlint@11 \
        @secretlint/secretlint-rule-preset-recommend@11 >&2
fi
echo '{"rules":[{"id":"@secretlint/secretlint-rule-preset-recommend"}]}' > "$S/secretlintrc.json"
log "secretlint on the labelled corpus (about a minute)"
timed sl_corpus "$SL" --secretlintrc "$S/secretlintrc.json" --format json "corpus/**/*"
python3 "$HERE/score.py" labels.jsonl rules.jsonl --secretlint "$R/sl_corpus.out" corpus \
    > "$R/sl_score.json"
slver=$(node -e "console.log(require('$S/secretlint/node_modules/secretlint/package.json').version)")

# 3. throughput on the whole kernel tree
find "$TREE" -type f -size -64M | sort > "$R/files.txt"
BYTES=$(tr '\n' '\0' < "$R/files.txt" | xargs -0 stat -c %s | awk '{s+=$1} END {print s}')
NFILES=$(wc -l < "$R/files.txt")
awk -v n="$RG_EVERY" 'NR % n == 0' "$R/files.txt" > "$R/files-rg.txt"
RG_BYTES=$(tr '\n' '\0' < "$R/files-rg.txt" | xargs -0 stat -c %s | awk '{s+=$1} END {print s}')
python3 - "$S/rules.jsonl" > "$R/patterns.txt" <<'EOF'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    p = r["hs"]
    p = ("(?s)" if r["flags"]["multiline"] else "") + p
    p = ("(?i)" if r["flags"]["caseless"] else "") + p
    print(p)
EOF
log "throughput: $NFILES files, $BYTES bytes"
timed cat_warm sh -c "tr '\n' '\0' < '$R/files.txt' | xargs -0 cat > /dev/null"
timed cat sh -c "tr '\n' '\0' < '$R/files.txt' | xargs -0 cat > /dev/null"
# the reading floor: ripgrep looking for a string that is nowhere (it reads
# every file and does next to nothing else)
# best of 5 runs each
timed_best 5 rg_floor rg -j1 -c -uuu --no-mmap 'zq9xjv7kw3' "$TREE"
timed_best 5 lp_j1 "$LP" secrets --format json -j 1 "$TREE"
timed_best 5 lp_j2 "$LP" secrets --format json -j 2 "$TREE"
log "ripgrep, the same patterns (PCRE2), every ${RG_EVERY}th file: $RG_BYTES bytes"
timed rg_sample sh -c "tr '\n' '\0' < '$R/files-rg.txt' | xargs -0 rg -c -P -j 2 --no-ignore --hidden -f '$R/patterns.txt' -- > /dev/null; true"
timed lp_sample sh -c "tr '\n' '\0' < '$R/files-rg.txt' | xargs -0 '$LP' secrets --format json -j 2 -- > /dev/null; true"
log "raw engine on in-memory buffers"
"$BUILD/bench/engine_bench" "$R/files.txt" 1 hot > "$R/engine.json"
"$BUILD/bench/engine_bench" "$R/files.txt" 1 > "$R/engine_arena.json"

# the report
python3 - "$R" "$BYTES" "$NFILES" "$RG_BYTES" "$slver" <<'EOF'
import json, sys
R, BYTES, NFILES, RG_BYTES, SLVER = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
def t(name):
    w, u, s, m, rc = open("%s/%s.time" % (R, name)).read().split()
    return float(w), float(u) + float(s), int(m), int(rc)
lp, sl = (json.load(open("%s/%s_score.json" % (R, n))) for n in ("lp", "sl"))
print("## Accuracy on the labelled corpus\n")
print("| | leakprint | secretlint %s |" % SLVER)
print("|---|---|---|")
for c in ("structured", "generic"):
    for k in ("labels", "recall", "precision", "false_positives"):
        a, b = lp["classes"][c][k], sl["classes"][c][k]
        print("| %s: %s | %s | %s |" % (c, k.replace("_", " "), a, b))
for k in ("common_structured", "common_generic"):
    if k in lp:
        print("| %s (formats both cover): labels / recall | %d / %s | %d / %s |"
              % (k.split("_")[1], lp[k]["labels"], lp[k]["recall"], sl[k]["labels"], sl[k]["recall"]))
print("| hard-negative findings | %d | %d |" % (lp["hard_negative_findings"], sl["hard_negative_findings"]))
for n, name in (("lp_corpus", "leakprint -j2"), ("sl_corpus", "secretlint")):
    w, cpu, m, rc = t(n)
    print("| %s: wall s / CPU s / peak RSS MB | %.2f / %.2f / %.0f | |" % (name, w, cpu, m / 1024) if n == "lp_corpus"
          else "| %s: wall s / CPU s / peak RSS MB | | %.2f / %.2f / %.0f |" % (name, w, cpu, m / 1024))
print("\n## Throughput: linux-source-6.1, %d files, %.0f MB\n" % (NFILES, BYTES / 1e6))
print("| run | bytes | wall s | CPU s (user+sys) | user s / sys s | MB per CPU-second | wall MB/s | peak RSS MB | exit |")
print("|---|---|---|---|---|---|---|---|---|")
for n, name, b in (("cat_warm", "cat (warming the page cache)", BYTES), ("cat", "cat", BYTES),
                   ("rg_floor", "rg -j1, a string found nowhere (reading floor; best of 5)", BYTES),
                   ("lp_j1", "leakprint secrets -j1 (best of 5)", BYTES),
                   ("lp_j2", "leakprint secrets -j2 (best of 5)", BYTES),
                   ("rg_sample", "rg -P -f patterns (every Nth file)", RG_BYTES),
                   ("lp_sample", "leakprint secrets -j2 (same sample)", RG_BYTES)):
    w, cpu, m, rc = t(n)
    us = open("%s/%s.time" % (R, n)).read().split()[1:3]
    print("| %s | %.0f MB | %.2f | %.2f | %s / %s | %.0f | %.0f | %.0f | %d |" % (
        name, b / 1e6, w, cpu, us[0], us[1], b / 1e6 / cpu if cpu else 0, b / 1e6 / w if w else 0, m / 1024, rc))
fl = t("rg_floor")[1]
for n, name in (("lp_j1", "-j1"), ("lp_j2", "-j2")):
    print("\nleakprint secrets %s against ripgrep's reading floor (CPU, user+sys): **%.2f**"
          % (name, t(n)[1] / fl if fl else 0))
for f, how in (("engine", "each file in one reused buffer, as the CLI reads it"),
               ("engine_arena", "all files in one 1.3 GB arena in main memory")):
    e = json.load(open("%s/%s.json" % (R, f)))
    print("\nRaw engine (engine_bench, %s, one thread): %.0f MB in %.2f CPU s: **%.2f GB/s**; %d findings."
          % (how, e["bytes"] / 1e6, e["cpu_seconds"], e["gb_per_cpu_s"], e["findings"]))
EOF
