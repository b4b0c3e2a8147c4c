#!/usr/bin/env bash
# scripts/check-layers.py checks daemon/ (watch and cases) as it checks
# cli/: only <leakprint.h>, its own headers and banned.h may be included,
# and only the functions of <leakprint.h> called from the library; cli/
# may include daemon/daemon.h (the entry points), nothing else of daemon/.
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
    rm -rf "$tmp/t/build"
    for f in "$tmp"/t/src/*/*.c "$tmp"/t/cli/*.c "$tmp"/t/daemon/*.c; do
        rel=${f#"$tmp/t/"}; o="$tmp/t/build/${rel%.c}.o"
        mkdir -p "$(dirname "$o")"
        cc -c -I"$tmp/t/include" -I"$tmp/t/daemon" \
            $(for d in "$tmp"/t/src/*/; do printf -- '-I%s ' "$d"; done) \
            "$f" -o "$o" || exit 1
    done
}
mk include leakprint.h 'int lp_version(void);'
mk src/match m.h 'int lp_m(void);'
mk src/match m.c '#include "m.h"
int lp_m(void) { return 1; }'
mk src/run r.c '#include "m.h"
#include "leakprint.h"
int lp_version(void) { return lp_m(); }'
mk daemon daemon.h 'int cmd_watch(void);'
mk daemon cases.h 'int lp_cases_x(void);'
mk daemon cases.c '#include "cases.h"
#include "leakprint.h"
int lp_cases_x(void) { return lp_version(); }'
mk daemon cmd_watch.c '#include "daemon.h"
#include "cases.h"
int cmd_watch(void) { return lp_cases_x(); }'
mk cli main.c '#include "leakprint.h"
#include "../daemon/daemon.h"
int main(void) { return lp_version() + cmd_watch(); }'
build
out=$(check) || die "a clean tree fails: $out"
expect_eq "clean tree" "layers: every dependency points one way" "$out"

# daemon includes a library header
mk daemon cases.c '#include "cases.h"
#include "m.h"
int lp_cases_x(void) { return lp_m(); }'
build
out=$(check) && die "a daemon include of src/ passes"
expect_contains "daemon/cases.c:2: daemon includes 'm.h' (only <leakprint.h> and daemon/)" "$out"
expect_contains "daemon/cases.c: daemon calls lp_m (src/match/m.c), which is not in <leakprint.h>" "$out"

# cli includes a daemon header other than daemon.h
mk daemon cases.c '#include "cases.h"
#include "leakprint.h"
int lp_cases_x(void) { return lp_version(); }'
mk cli main.c '#include "leakprint.h"
#include "../daemon/cases.h"
int main(void) { return lp_version() + lp_cases_x(); }'
build
out=$(check) && die "a cli include of daemon/cases.h passes"
expect_contains "cli/main.c:2: cli includes '../daemon/cases.h' (only <leakprint.h> and cli/)" "$out"
