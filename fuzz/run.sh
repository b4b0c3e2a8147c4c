#!/usr/bin/env bash
# Builds every fuzz/fuzz_*.c harness with clang's libFuzzer (+ASan, UBSan)
# and runs each for FUZZ_SECONDS (default 20) on a copy of its corpus.
# New crashes are left in build/fuzz/<target>/ as crash-* files: minimise
# them and add them to fuzz/corpus/<target>/ so `make check` replays them.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${FUZZ_SECONDS:-20}
out=build/fuzz
mkdir -p "$out"
# The Makefile's list of pkg-config packages (make fuzz passes it), so that
# the two never differ.
pkgs=${PKGS:?run it through make fuzz, which gives the packages in PKGS}
libs="$(pkg-config --libs $pkgs) $(pkg-config --static --libs mupdf) -lharfbuzz -lbz2 -ltlsh -lpthread -lm"
san="-fsanitize=address,undefined"
# The library is built once, instrumented for coverage, and linked into
# every harness. Objects are compiled, and harnesses built and run,
# FUZZ_JOBS at a time (default: the number of cores).
jobs=${FUZZ_JOBS:-$(nproc)}
mkdir -p "$out/lib"
inc="${SRC_INC:--Isrc}"
export out inc pkgs san secs
compile_obj() {
    local f=$1 o
    o="$out/lib/$(basename "$f").o"
    case $f in
    *.cc) clang++ -std=c++17 -O1 -g -fsanitize=fuzzer-no-link $san $inc -c "$f" -o "$o" ;;
    *)    clang -std=c11 -D_GNU_SOURCE -O1 -g -fsanitize=fuzzer-no-link $san \
              -Iinclude $inc $(pkg-config --cflags $pkgs) -c "$f" -o "$o" ;;
    esac
}
export -f compile_obj
srcs=()
objs=()
# GEN_SRC: the generated licence background (make fuzz builds it).
for f in src/*.c src/*.cc src/*/*.c src/*/*.cc ${GEN_SRC:-}; do
    [ -e "$f" ] || continue
    srcs+=("$f")
    objs+=("$out/lib/$(basename "$f").o")
done
printf '%s\0' "${srcs[@]}" | xargs -0 -P "$jobs" -n 1 bash -c 'compile_obj "$1"' _
export OBJS="${objs[*]}" LIBS="$libs"
# One harness: built, then run on a copy of its corpus; its output in
# $out/<target>.log. Exit 1 when it left a crash.
fuzz_one() {
    local t=$1 bin=$out/fuzz_$1 extra="" f
    # a harness of code outside src/ names its files on a line
    # "FUZZ_EXTRA: daemon/x.c ...": compiled into it, their folders on the
    # include path
    for f in $(sed -n 's/.*FUZZ_EXTRA: *//p' "fuzz/fuzz_$t.c"); do
        extra="$extra $f"
        inc_extra="${inc_extra:-} -I$(dirname "$f")"
    done
    # shellcheck disable=SC2086 # word lists
    if ! { clang -std=c11 -D_GNU_SOURCE -O1 -g -fsanitize=fuzzer $san \
               -Iinclude $inc ${inc_extra:-} $(pkg-config --cflags $pkgs) \
               -c "fuzz/fuzz_$t.c" -o "$bin.o" &&
           (for f in $extra; do
               clang -std=c11 -D_GNU_SOURCE -O1 -g -fsanitize=fuzzer-no-link \
                   $san -Iinclude $inc ${inc_extra:-} \
                   $(pkg-config --cflags $pkgs) -c "$f" \
                   -o "$bin.$(basename "$f").o" || exit 1
           done) &&
           clang++ -fsanitize=fuzzer $san "$bin.o" \
               $(for f in $extra; do printf '%s ' "$bin.$(basename "$f").o"; done) \
               $OBJS -o "$bin" $LIBS; } \
            > "$out/$t.log" 2>&1; then
        echo "== $t: the harness does not build" >> "$out/$t.log"
        return 1
    fi
    {
        mkdir -p "$out/$t/corpus"
        rm -f "$out/$t"/crash-* "$out/$t"/leak-* "$out/$t"/timeout-* # last run's
        cp -r "fuzz/corpus/$t/." "$out/$t/corpus/" 2>/dev/null || true
        echo "== $t: ${secs}s"
        (cd "$out/$t" && "../fuzz_$t" -max_total_time="$secs" -max_len=65536 \
            -print_final_stats=1 corpus 2>&1 |
            grep -E 'stat::number_of_executed_units|ERROR|SUMMARY') || true
    } >> "$out/$t.log" 2>&1
    if ls "$out/$t"/crash-* >/dev/null 2>&1; then
        echo "== $t: CRASH, see $out/$t/" >> "$out/$t.log"
        return 1
    fi
    return 0
}
export -f fuzz_one
targets=()
# FUZZ_TARGETS="archive listing" runs only those harnesses.
for h in fuzz/fuzz_*.c; do
    t=$(basename "$h" .c); t=${t#fuzz_}
    if [ -n "${FUZZ_TARGETS:-}" ] && [[ " $FUZZ_TARGETS " != *" $t "* ]]; then
        continue
    fi
    targets+=("$t")
done
status=0
printf '%s\0' "${targets[@]}" | xargs -0 -P "$jobs" -n 1 bash -c 'fuzz_one "$1"' _ || status=1
for t in "${targets[@]}"; do
    cat "$out/$t.log"
done
exit $status
