#!/usr/bin/env bash
# The accuracy benchmark (bench/accuracy) on a small corpus that the build's
# own packages install: libgit2's examples, headers and manuals as the
# protected code; libssh2's and zlib's examples as unrelated code (snippet
# hosts); OpenSSL's and Mbed TLS's headers as decoys. Every category is
# scored against its truth; prints a summary line per category.
. "$(dirname "$0")/lib.sh"
BENCH=$(cd "$(dirname "$0")/../../bench/accuracy" && pwd)
C=$T/cache
for d in /usr/share/doc/libgit2-dev/examples /usr/include/git2 \
         /usr/share/doc/libssh2-1-dev/examples /usr/share/doc/zlib1g-dev/examples \
         /usr/include/openssl /usr/include/mbedtls; do
    [ -d "$d" ] || die "$d missing (packages libgit2-dev, libssl-dev and their dependencies)"
done
mkdir -p "$C/linux/docs" "$C/unrelated" "$C/decoys"
cp -r /usr/share/doc/libgit2-dev/examples "$C/linux/examples"
cp -r /usr/include/git2 "$C/linux/git2"
for f in /usr/share/doc/libgit2-dev/*.md /usr/share/doc/libgit2-dev/*.md.gz; do
    case $f in
        *.gz) gzip -dc "$f" >"$C/linux/docs/$(basename "$f" .gz)" ;;
        *) cp "$f" "$C/linux/docs/" ;;
    esac
done
cp -r /usr/share/doc/libssh2-1-dev/examples "$C/unrelated/ssh2"
cp -r /usr/share/doc/zlib1g-dev/examples "$C/unrelated/zlib"
find "$C/unrelated" -name '*.gz' -delete
cp -r /usr/include/openssl /usr/include/mbedtls "$C/decoys/"

python3 "$BENCH/make_samples.py" "$C" "$T/s" --scale 0.1 >"$T/sizes"
"$LP" add -q --name linux --version 6.0-sim "$T/s/old"
"$LP" add -q --name linux --version 6.1 "$C/linux"
# score CATEGORY: scans it, prints "category tp fp fn" and more, keeps JSON.
for cat in verbatim restyled renamed snippets docs mixed decoys; do
    run_rc "$LP" scan -q --format json -o "$T/$cat.json" "$T/s/$cat"
    python3 "$BENCH/score.py" "$T/s/$cat.truth.jsonl" "$T/s/$cat" leakprint \
        "$T/$cat.json" >"$T/$cat.score"
    jq -r --arg c "$cat" '"accuracy subset: \($c): \(.files) files, tp \(.tp), fp \(.fp), fn \(.fn), verdict \(.verdict), best \(.best_version)"' "$T/$cat.score"
done
s() { jq -r "$2" "$T/$1.score"; }
# No false positive anywhere; every verbatim and mixed copy found; the
# decoys get no verdict; the version is the one the samples come from.
for cat in verbatim restyled renamed snippets docs mixed decoys; do
    expect_eq "$cat false positives" 0 "$(s "$cat" .fp)"
done
expect_eq "verbatim misses" 0 "$(s verbatim .fn)"
expect_eq "mixed misses" 0 "$(s mixed .fn)"
expect_eq "decoys verdict" none "$(s decoys .verdict)"
expect_eq "verbatim version" 6.1 "$(s verbatim .best_version)"
# The harder categories: at most one miss each at this size.
for cat in restyled renamed snippets docs; do
    [ "$(s "$cat" .fn)" -le 1 ] || die "$cat: $(s "$cat" .fn) misses of $(s "$cat" .files)"
done
awk -v x="$(s snippets .iou_file)" 'BEGIN { exit !(x >= 0.8) }' ||
    die "snippets span IoU $(s snippets .iou_file) < 0.8"
