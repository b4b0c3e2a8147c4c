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
# every harness.
mkdir -p "$out/lib"
objs=()
inc=${SRC_INC:--Isrc}
# GEN_SRC: the generated licence background (make fuzz builds it).
for f in src/*.c src/*.cc src/*/*.c src/*/*.cc ${GEN_SRC:-}; do
    [ -e "$f" ] || continue
    o="$out/lib/$(basename "$f").o"
    case $f in
    *.cc) clang++ -std=c++17 -O1 -g -fsanitize=fuzzer-no-link $san $inc -c "$f" -o "$o" ;;
    *)    clang -std=c11 -D_GNU_SOURCE -O1 -g -fsanitize=fuzzer-no-link $san \
              -Iinclude $inc $(pkg-config --cflags $pkgs) -c "$f" -o "$o" ;;
    esac
    objs+=("$o")
done
status=0
# FUZZ_TARGETS="archive listing" runs only those harnesses.
for h in fuzz/fuzz_*.c; do
    t=$(basename "$h" .c); t=${t#fuzz_}
    if [ -n "${FUZZ_TARGETS:-}" ] && [[ " $FUZZ_TARGETS " != *" $t "* ]]; then
        continue
    fi
    bin=$out/fuzz_$t
    clang -std=c11 -D_GNU_SOURCE -O1 -g -fsanitize=fuzzer $san \
        -Iinclude $inc $(pkg-config --cflags $pkgs) -c "$h" -o "$bin.o"
    clang++ -fsanitize=fuzzer $san "$bin.o" "${objs[@]}" -o "$bin" $libs
    mkdir -p "$out/$t/corpus"
    rm -f "$out/$t"/crash-* "$out/$t"/leak-* "$out/$t"/timeout-* # last run's
    cp -r "fuzz/corpus/$t/." "$out/$t/corpus/" 2>/dev/null || true
    echo "== $t: ${secs}s"
    if ! (cd "$out/$t" && "../fuzz_$t" -max_total_time="$secs" -max_len=65536 \
            -print_final_stats=1 corpus 2>&1 | grep -E 'stat::number_of_executed_units|ERROR|SUMMARY' ); then
        :
    fi
    if ls "$out/$t"/crash-* >/dev/null 2>&1; then
        echo "== $t: CRASH, see $out/$t/"
        status=1
    fi
done
exit $status
