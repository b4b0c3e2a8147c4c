#!/usr/bin/env bash
# Collection and version names: 1-200 bytes of UTF-8 without control or
# direction-changing characters; a collection name holds no '/', a version
# name may. An invalid name is refused with one line (escaped) and nothing
# is recorded; names that an older leakprint let in are shown escaped.
. "$(dirname "$0")/lib.sh"
DB=$LEAKPRINT_DB
SRC=$FIX/proj/src
add_proj 1.0
"$LP" list --format json >"$T/list0.json"
long=$(printf 'x%.0s' $(seq 201))
check() { # WHAT EXPECTED-STDERR ARGS...
    local what=$1 want=$2
    shift 2
    run_rc "$LP" add -q "$@" "$SRC"
    expect_eq "$what exit" 2 "$rc"
    expect_eq "$what" "leakprint: $want" "$(cat "$T/err")"
}
check "empty version" "'': invalid version name (empty)" --name gw --version ""
check "empty name" "'': invalid collection name (empty)" --name ""
check "slash in a name" "'a/b': invalid collection name (holds '/')" --name a/b
check "newline" "'a\\x0ab': invalid collection name (holds a control character)" --name $'a\nb'
check "escape" "'v\\x1b[31m': invalid version name (holds a control character)" --name gw --version $'v\e[31m'
check "right-to-left override" "'ab\\u202ecd': invalid version name (holds a control character)" --name gw --version $'ab\u202ecd'
check "not UTF-8" "'\\xff\\xfe': invalid collection name (not valid UTF-8)" --name $'\xff\xfe'
check "too long" "'$long': invalid collection name (longer than 200 bytes)" --name "$long"
"$LP" list --format json >"$T/list1.json"
cmp -s "$T/list0.json" "$T/list1.json" || die "a refused add changed the registry"

# A version may hold '/', and a name any other UTF-8.
run_rc "$LP" add -q --name "gw" --version "release/1.2" "$SRC"
expect_eq "slash in a version exit" 0 "$rc"
run_rc "$LP" add -q --name "café" --version "ü 1" "$SRC"
expect_eq "UTF-8 name exit" 0 "$rc"

# Names an older leakprint accepted: list escapes them, in text and JSON.
python3 - "$DB/meta.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE collection SET name = 'o' || char(27) || '[2J' WHERE name = 'café'")
db.execute("UPDATE version SET name = 'v' || char(10) || 'x' WHERE name = 'ü 1'")
db.commit()
PY
run_rc "$LP" list
expect_eq "list exit" 0 "$rc"
expect_eq "list of raw names" "o\\x1b[2J	1 version	newest v\\x0ax (" "$(tail -1 "$T/out" | cut -d'(' -f1)("
run_rc "$LP" list --format json
expect_eq "list json exit" 0 "$rc"
expect_eq "json names" $'o\e[2J|v\nx' "$(jqv '.collections[] | select(.name | startswith("o")) | .name + "|" + .versions[0].name')"
# A name typed to remove is shown escaped when no collection has it.
run_rc "$LP" remove $'a\e[31mb\xe2\x80\xae'
expect_eq "remove exit" 2 "$rc"
expect_eq "remove of a raw name" "leakprint: no collection named 'a\\x1b[31mb\\u202e'" "$(cat "$T/err")"
# remove of a name an older leakprint let in echoes it escaped
run_rc "$LP" remove $'o\e[2J'
expect_eq "remove raw name exit" 0 "$rc"
expect_eq "remove echo" "removed collection 'o\\x1b[2J'" "$(cat "$T/out")"
exit 0
