#!/usr/bin/env bash
# Builds the benchmark corpora (never committed) in a cache directory outside
# the repository: ${LEAKPRINT_BENCH_CACHE:-$HOME/.cache/leakprint-bench}.
#
#   linux/      the "protected" tree: a subset of the Linux 6.1 sources
#               (C, headers, Makefiles, Kconfig, scripts, documentation)
#   restyled/   the same tree with every .c/.h reformatted by clang-format in
#               a style clearly different from the kernel's (Allman braces,
#               3-space indent, 100 columns); other files copied as they are
#   unrelated/  a subset of the glibc sources of about the same size
#   decoys/     binutils 2.40 (bfd, gas, binutils, ld, gold, without their
#               test suites): more code no one here wrote, for the decoy
#               samples of the accuracy benchmark (bench/accuracy)
#   upstream-mpi/  the mpi/ directory of GnuPG 1.4.23 (Debian source package
#               gnupg1): the open-source upstream of Linux's lib/mpi, which
#               the accuracy benchmark registers as public background
#
# Idempotent: each step leaves a marker file and is skipped when it exists.
# Prints the sizes at the end. Needs root or sudo for apt-get the first time.
set -euo pipefail

CACHE=${LEAKPRINT_BENCH_CACHE:-$HOME/.cache/leakprint-bench}
JOBS=${BENCH_FORMAT_JOBS:-2}
STYLE='{BasedOnStyle: Google, IndentWidth: 3, ColumnLimit: 100, BreakBeforeBraces: Allman}'

# Kernel subset, relative to the top of the source tree.
LINUX_PARTS=(
    Makefile Kconfig COPYING MAINTAINERS
    kernel mm fs/ext4 net/ipv4 drivers/net/ethernet/intel lib include/linux
    scripts Documentation/admin-guide
)
# glibc: everything but the bulky test data (libm ULPs, locales, charset
# tables, translations, old changelogs, benchmarks): about the same size.
GLIBC_EXCLUDE=(math localedata iconvdata po ChangeLog.old benchtests)

log() { printf 'corpus: %s\n' "$*" >&2; }

# The Debian packages it needs (scripts/deps.sh installs the missing ones).
install_pkgs() {
    bash "$(dirname "$0")/../scripts/deps.sh" linux-source-6.1 glibc-source \
        binutils-source clang-format ripgrep time xz-utils bzip2 curl jq
}

# extract_subset TARBALL DEST PART... : extracts the listed parts (relative to
# the archive's single top-level directory) into DEST. Missing parts are
# skipped with a note, so a minor source version change does not break this.
extract_subset() {
    local tarball=$1 dest=$2; shift 2
    local top tmp part members=()
    tmp="$dest.tmp"
    rm -rf "$tmp"; mkdir -p "$tmp"
    # List first and keep only the parts present (tar fails on absent members).
    local present=()
    local listing="$tmp/.listing"
    tar -tJf "$tarball" > "$listing"
    top=$(head -n 1 "$listing" | cut -d/ -f1)
    for part in "$@"; do members+=("$top/$part"); done
    for part in "${members[@]}"; do
        if grep -qxF -e "$part" -e "$part/" "$listing"; then
            present+=("$part")
        else
            log "note: $part not in $(basename "$tarball"), skipped"
        fi
    done
    rm -f "$listing"
    tar -xJf "$tarball" -C "$tmp" --strip-components=1 "${present[@]}"
    rm -rf "$dest"; mv "$tmp" "$dest"
}

# extract_excluding TARBALL DEST PART... : extracts all but the listed parts.
extract_excluding() {
    local tarball=$1 dest=$2; shift 2
    local tmp="$dest.tmp" top part excludes=()
    rm -rf "$tmp"; mkdir -p "$tmp"
    top=$( (tar -tJf "$tarball" 2>/dev/null || true) | head -n 1 | cut -d/ -f1)
    for part in "$@"; do excludes+=("--exclude=$top/$part"); done
    tar -xJf "$tarball" -C "$tmp" --strip-components=1 "${excludes[@]}"
    rm -rf "$dest"; mv "$tmp" "$dest"
}

mb() { find "$1" -type f -printf "%s\n" | awk '{s += $1} END {printf "%.1f", s / 1048576}'; }
nfiles() { find "$1" -type f | wc -l; }

mkdir -p "$CACHE"
install_pkgs

# 1. linux (protected)
if [ ! -e "$CACHE/.linux.done" ]; then
    tarball=/usr/src/linux-source-6.1.tar.xz
    [ -e "$tarball" ] || { log "$tarball missing (package linux-source-6.1)"; exit 1; }
    log "extracting a kernel subset from $tarball"
    extract_subset "$tarball" "$CACHE/linux" "${LINUX_PARTS[@]}"
    # Symlinks (scripts/dtc/include-prefixes...) and empty files are noise here.
    find "$CACHE/linux" -type l -delete
    basename "$tarball" > "$CACHE/.linux.done"
fi

# 2. restyled: same tree, every .c/.h through clang-format
if [ ! -e "$CACHE/.restyled.done" ]; then
    log "restyling the kernel subset with clang-format ($JOBS jobs), this takes a while"
    rm -rf "$CACHE/restyled.tmp"
    cp -a "$CACHE/linux" "$CACHE/restyled.tmp"
    : > "$CACHE/restyled.failed"
    export STYLE FAILED="$CACHE/restyled.failed"
    # shellcheck disable=SC2016
    (cd "$CACHE/restyled.tmp" && find . -type f \( -name '*.c' -o -name '*.h' \) -print0 \
        | xargs -0 -r -n 64 -P "$JOBS" bash -c '
            for f; do
                if clang-format -style="$STYLE" "$f" > "$f.cf" 2>/dev/null && [ -s "$f.cf" -o ! -s "$f" ]; then
                    mv "$f.cf" "$f"
                else
                    rm -f "$f.cf"; printf "%s\n" "$f" >> "$FAILED"
                fi
            done' _)
    rm -rf "$CACHE/restyled"; mv "$CACHE/restyled.tmp" "$CACHE/restyled"
    date > "$CACHE/.restyled.done"
fi

# 3. unrelated: a glibc subset (the marker names the selection, so changing
#    it rebuilds the tree)
if ! grep -qs "minus ${GLIBC_EXCLUDE[*]}\$" "$CACHE/.unrelated.done"; then
    tarballs=(/usr/src/glibc/glibc-*.tar.xz)
    tarball=${tarballs[0]}
    [ -e "$tarball" ] || { log "no /usr/src/glibc/glibc-*.tar.xz (package glibc-source)"; exit 1; }
    log "extracting a glibc subset from $tarball"
    extract_excluding "$tarball" "$CACHE/unrelated" "${GLIBC_EXCLUDE[@]}"
    find "$CACHE/unrelated" -type l -delete
    echo "$(basename "$tarball") minus ${GLIBC_EXCLUDE[*]}" > "$CACHE/.unrelated.done"
fi

# 4. decoys: binutils without test suites
BINUTILS_PARTS=(bfd gas binutils ld gold include opcodes)
if ! grep -qs "${BINUTILS_PARTS[*]}\$" "$CACHE/.decoys.done"; then
    tarballs=(/usr/src/binutils/binutils-*.tar.xz)
    tarball=${tarballs[0]}
    [ -e "$tarball" ] || { log "no /usr/src/binutils/binutils-*.tar.xz (package binutils-source)"; exit 1; }
    log "extracting binutils from $tarball"
    extract_subset "$tarball" "$CACHE/decoys" "${BINUTILS_PARTS[@]}"
    find "$CACHE/decoys" -type d \( -name testsuite -o -name po \) -prune -exec rm -rf {} +
    find "$CACHE/decoys" -type l -delete
    echo "$(basename "$tarball") ${BINUTILS_PARTS[*]}" > "$CACHE/.decoys.done"
fi

# 5. upstream-mpi: GnuPG 1.4's multi-precision code, from Debian's source
#    package (bookworm's gnupg1 1.4.23-1.1; its orig tarball, checked against
#    the SHA-256 that bookworm's Sources index gives). Linux's lib/mpi was
#    taken from it, and glibc's mpn code shares GNU MP's ancestry with it.
GNUPG1_URL=http://deb.debian.org/debian/pool/main/g/gnupg1/gnupg1_1.4.23.orig.tar.bz2
GNUPG1_SHA256=c9462f17e651b6507848c08c430c791287cd75491f8b5a8b50c6ed46b12678ba
if [ ! -e "$CACHE/.upstream-mpi.done" ]; then
    log "fetching GnuPG 1.4's mpi/ from Debian's source pool"
    mkdir -p "$CACHE/downloads"
    tarball=$CACHE/downloads/$(basename "$GNUPG1_URL")
    if [ ! -e "$tarball" ]; then
        curl -fsS -o "$tarball.tmp" "$GNUPG1_URL"
        mv "$tarball.tmp" "$tarball"
    fi
    echo "$GNUPG1_SHA256  $tarball" | sha256sum -c --quiet - \
        || { log "$tarball: SHA-256 mismatch"; rm -f "$tarball"; exit 1; }
    rm -rf "$CACHE/upstream-mpi.tmp"; mkdir -p "$CACHE/upstream-mpi.tmp"
    tar -xjf "$tarball" -C "$CACHE/upstream-mpi.tmp" --strip-components=2 gnupg-1.4.23/mpi
    rm -rf "$CACHE/upstream-mpi"; mv "$CACHE/upstream-mpi.tmp" "$CACHE/upstream-mpi"
    basename "$tarball" > "$CACHE/.upstream-mpi.done"
fi

failed=$(wc -l < "$CACHE/restyled.failed" 2>/dev/null || echo 0)
ncf=$(find "$CACHE/linux" -type f \( -name '*.c' -o -name '*.h' \) | wc -l)
printf '%-10s %8s MB %7s files\n' linux "$(mb "$CACHE/linux")" "$(nfiles "$CACHE/linux")"
printf '%-10s %8s MB %7s files (%s .c/.h, %s left unchanged: clang-format failed)\n' \
    restyled "$(mb "$CACHE/restyled")" "$(nfiles "$CACHE/restyled")" "$ncf" "$failed"
printf '%-10s %8s MB %7s files\n' unrelated "$(mb "$CACHE/unrelated")" "$(nfiles "$CACHE/unrelated")"
printf '%-10s %8s MB %7s files\n' decoys "$(mb "$CACHE/decoys")" "$(nfiles "$CACHE/decoys")"
printf '%-10s %8s MB %7s files\n' upstream-mpi "$(mb "$CACHE/upstream-mpi")" "$(nfiles "$CACHE/upstream-mpi")"
echo "cache: $CACHE"
