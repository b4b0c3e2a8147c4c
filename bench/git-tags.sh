#!/usr/bin/env bash
# What indexing a git history costs: a repository made of the kernel/
# directory of the benchmark's Linux subset, with 100 more tags, each
# changing one .c file, registered with `add --history=tags` next to one
# plain `add` of the same tree. Usage: bash bench/git-tags.sh BIN
set -euo pipefail
BIN=${1:?usage: bench/git-tags.sh path/to/leakprint}
case "$BIN" in */*) BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN") ;; esac
CACHE=${LEAKPRINT_BENCH_CACHE:-$HOME/.cache/leakprint-bench}
bash "$(dirname "$0")/corpus.sh" >&2
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cp -r "$CACHE/linux/kernel" "$W/repo"
g() { git -C "$W/repo" -c user.name=bench -c user.email=bench@example.com "$@"; }
g init -q
g add -A
g commit -qm base
g tag t000
mapfile -t files < <(g ls-files '*.c' | head -n 100)
for i in $(seq 1 100); do
    echo "int bench_tag_$i;" >>"$W/repo/${files[$((i - 1))]}"
    g commit -qam "change $i"
    g tag "$(printf 't%03d' "$i")"
done
run() { # NAME ARGS...: one line: name, summary, CPU seconds, peak RSS
    local name=$1; shift
    /usr/bin/time -o "$W/time" -f '%U %S %M' "$BIN" --db "$W/reg-$name" add "$@" >"$W/out"
    read -r u s m <"$W/time"
    printf '| %s | %s | %.2f | %d |\n' "$name" "$(cat "$W/out")" \
        "$(awk -v a="$u" -v b="$s" 'BEGIN { print a + b }')" $((m / 1024))
}
echo "| add | summary | CPU s | peak RSS MB |"
echo "|---|---|---:|---:|"
run tree --name k --version one "$W/repo"
run tags --name k --history=tags "$W/repo"
