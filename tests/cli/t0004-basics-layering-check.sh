#!/usr/bin/env bash
# scripts/check-layers.py fails on an include or a call that points the
# wrong way, and on a cli file that uses more than <leakprint.h>.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$T
expect_contains() { # WHAT TEXT
    case $2 in *"$1"*) ;; *) die "expected '$1' in: $2" ;; esac
}
check() { python3 "$root/scripts/check-layers.py" --root "$tmp/t" "$tmp/t/build"; }
mk() { # folder file text
    mkdir -p "$tmp/t/$1" && printf '%s\n' "$3" > "$tmp/t/$1/$2"
}
build() {
    for f in "$tmp"/t/src/*/*.c "$tmp"/t/cli/*.c; do
        rel=${f#"$tmp/t/"}; o="$tmp/t/build/${rel%.c}.o"
        mkdir -p "$(dirname "$o")"
        cc -c -I"$tmp/t/include" $(for d in "$tmp"/t/src/*/; do printf -- '-I%s ' "$d"; done) \
            "$f" -o "$o" || exit 1
    done
}
mk include leakprint.h 'int lp_version(void);'
mk src/base mem.h 'int lp_mem(void);'
mk src/base mem.c '#include "mem.h"
int lp_mem(void) { return 1; }'
mk src/match m.h 'int lp_m(void);'
mk src/match m.c '#include "m.h"
#include "mem.h"
int lp_m(void) { return lp_mem(); }'
mk src/run r.c '#include "m.h"
#include "leakprint.h"
int lp_version(void) { return lp_m(); }'
mk cli main.c '#include "leakprint.h"
int main(void) { return lp_version(); }'
build
out=$(check) || die "a clean tree fails: $out"
expect_eq "clean tree" "layers: every dependency points one way" "$out"

# base includes match: the wrong way
mk src/base mem.c '#include "mem.h"
#include "m.h"
int lp_mem(void) { return 1; }'
build
out=$(check) && die "an upward include passes"
expect_contains "src/base/mem.c:2: base includes match/m.h" "$out"

# a call upward without an include (declared by hand)
mk src/base mem.c '#include "mem.h"
int lp_m(void);
int lp_mem(void) { return lp_m(); }'
build
out=$(check) && die "an upward call passes"
expect_contains "src/base/mem.c: base calls lp_m (src/match/m.c)" "$out"

# peers: index may not use input
mk src/base mem.c '#include "mem.h"
int lp_mem(void) { return 1; }'
mk src/input w.h 'int lp_w(void);'
mk src/input w.c '#include "w.h"
int lp_w(void) { return 2; }'
mk src/index i.c '#include "w.h"
int lp_i(void) { return lp_w(); }'
build
out=$(check) && die "a peer dependency passes"
expect_contains "src/index/i.c:1: index includes input/w.h" "$out"

# the cli calls an internal function
rm "$tmp/t/src/index/i.c" "$tmp/t/build/src/index/i.o"
mk cli main.c '#include "leakprint.h"
int lp_m(void);
int main(void) { return lp_version() + lp_m(); }'
build
out=$(check) && die "a cli call outside <leakprint.h> passes"
expect_contains "cli/main.c: cli calls lp_m (src/match/m.c), which is not in <leakprint.h>" "$out"
