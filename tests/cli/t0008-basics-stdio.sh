#!/usr/bin/env bash
# Standard streams: "-" with standard input closed is named as such (not
# "Is a directory" from a descriptor reused); a report that cannot be
# written names the file and the system's reason (a full disk), once.
. "$(dirname "$0")/lib.sh"
cd "$T"
add_proj
for cmd in scan secrets; do
    run_rc "$LP" "$cmd" -q - <&-
    expect_eq "$cmd - with stdin closed: exit" 2 "$rc"
    expect_eq "$cmd - with stdin closed" "leakprint: '-': standard input is closed" "$(cat "$T/err")"
done
# Standard input open and empty is read as before.
run_rc "$LP" scan -q --format json - </dev/null
expect_eq "empty stdin exit" 0 "$rc"
if [ -w /dev/full ]; then
    for fmt in text json sarif; do
        run_rc "$LP" scan -q --format "$fmt" -o /dev/full "$FIX/proj"
        expect_eq "scan -o /dev/full ($fmt): exit" 2 "$rc"
        expect_eq "scan -o /dev/full ($fmt)" \
            "leakprint: '/dev/full': cannot write the report: no space left on device" "$(cat "$T/err")"
    done
    printf 'AKIA%s\n' QZ5XJ7RT2LMN4KPW >key.txt
    run_rc "$LP" secrets -q -o /dev/full key.txt
    expect_eq "secrets -o /dev/full: exit" 2 "$rc"
    expect_eq "secrets -o /dev/full" \
        "leakprint: '/dev/full': cannot write the report: no space left on device" "$(cat "$T/err")"
fi
if [ -w /dev/full ]; then
    # Standard output on a full disk: one line, the system's reason.
    run_rc sh -c '"$0" scan -q "$1" >/dev/full' "$LP" "$FIX/proj"
    expect_eq "scan >/dev/full: exit" 2 "$rc"
    expect_eq "scan >/dev/full" \
        "leakprint: '<stdout>': cannot write the report: no space left on device" "$(cat "$T/err")"
    for args in list stats; do
        run_rc sh -c '"$0" $1 >/dev/full' "$LP" "$args"
        expect_eq "$args >/dev/full: exit" 2 "$rc"
        expect_eq "$args >/dev/full" \
            "leakprint: '<stdout>': cannot write the report: no space left on device" "$(cat "$T/err")"
    done
    for args in --version --help "scan --help"; do
        run_rc sh -c '"$0" $1 >/dev/full' "$LP" "$args"
        expect_eq "$args >/dev/full: exit" 2 "$rc"
        expect_eq "$args >/dev/full" "leakprint: '<stdout>': write failed: no space left on device" "$(cat "$T/err")"
    done
fi
