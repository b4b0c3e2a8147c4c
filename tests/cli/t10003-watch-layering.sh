#!/usr/bin/env bash
# scripts/check-layers.py checks daemon/ (watch and cases) as it checks
# cli/: only <leakprint.h>, its own headers and banned.h may be included,
# and only the functions of <leakprint.h> called from the library; cli/
# may include daemon/daemon.h (the entry points), nothing else of daemon/.
# front/, what cli/ and daemon/ share, is held to the same rule, and uses
# nothing of either: both may include it and call it.
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
    for f in "$tmp"/t/src/*/*.c "$tmp"/t/cli/*.c "$tmp"/t/daemon/*.c \
        "$tmp"/t/front/*.c; do
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
#include "../front/front.h"
int cmd_watch(void) { return lp_cases_x() + lp_front_x(); }'
mk cli main.c '#include "leakprint.h"
#include "../daemon/daemon.h"
#include "../front/front.h"
int main(void) { return lp_version() + cmd_watch() + lp_front_x(); }'
mk front front.h 'int lp_front_x(void);'
mk front front.c '#include "front.h"
#include "leakprint.h"
int lp_front_x(void) { return lp_version(); }'
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

# front uses the daemon (its header, a function) or the library's insides
mk cli main.c '#include "leakprint.h"
#include "../daemon/daemon.h"
int main(void) { return lp_version() + cmd_watch(); }'
mk front front.c '#include "front.h"
#include "../daemon/daemon.h"
#include "m.h"
int lp_front_x(void) { return cmd_watch() + lp_m(); }'
build
out=$(check) && die "a front use of daemon/ passes"
expect_contains "front/front.c:2: front includes '../daemon/daemon.h' (only <leakprint.h> and front/)" "$out"
expect_contains "front/front.c:3: front includes 'm.h' (only <leakprint.h> and front/)" "$out"
expect_contains "front/front.c: front calls cmd_watch (daemon/cmd_watch.c), of the programs it serves" "$out"
expect_contains "front/front.c: front calls lp_m (src/match/m.c), which is not in <leakprint.h>" "$out"
