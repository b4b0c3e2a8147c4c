#!/usr/bin/env bash
# --color auto|always|never: auto colours a text report on a terminal
# unless NO_COLOR is set (not empty) or TERM is dumb; always and never
# decide alone; after the command too.
. "$(dirname "$0")/lib.sh"
cd "$T"
add_proj
unset NO_COLOR
ESC=$'\033'
# on_tty ENV...: the scan's standard output is a terminal (script(1)); the
# number of lines with an escape character goes to $T/n.
on_tty() {
    env "$@" script -q -e -c "\"$LP\" $opts scan -q \"$FIX/proj\"" /dev/null \
        >"$T/tty" 2>&1 || true
    grep -q VERDICT "$T/tty" || die "no report on the terminal: $(cat "$T/tty")"
    grep -c "$ESC\\[" "$T/tty" >"$T/n" || true
}
opts=
on_tty TERM=xterm
[ "$(cat "$T/n")" -gt 0 ] || die "auto on a terminal: no colour"
on_tty TERM=dumb
expect_eq "TERM=dumb" 0 "$(cat "$T/n")"
on_tty TERM=xterm NO_COLOR=1
expect_eq "NO_COLOR=1" 0 "$(cat "$T/n")"
on_tty TERM=xterm NO_COLOR=
[ "$(cat "$T/n")" -gt 0 ] || die "NO_COLOR empty: no colour"
opts="--color never"
on_tty TERM=xterm
expect_eq "--color never" 0 "$(cat "$T/n")"
opts="--color=always"
on_tty TERM=dumb NO_COLOR=1
[ "$(cat "$T/n")" -gt 0 ] || die "--color always on a dumb terminal: no colour"
# Not a terminal: auto is plain, always colours (a pipe, a file of -o).
run_rc "$LP" scan -q "$FIX/proj"
expect_eq "auto in a file" 0 "$(grep -c "$ESC" "$T/out" || true)"
run_rc "$LP" --color always scan -q "$FIX/proj"
expect_eq "always exit" 1 "$rc"
expect_eq "always" "${ESC}[1mVERDICT${ESC}[0m" "$(head -n 1 "$T/out" | cut -c 1-15)"
run_rc "$LP" scan -q --color=always -o rep.txt "$FIX/proj"
grep -q "$ESC" rep.txt || die "--color=always -o: no colour"
# JSON never has any.
run_rc "$LP" scan -q --color always --format json "$FIX/proj"
expect_eq "json" 0 "$(grep -c "$ESC" "$T/out" || true)"
# The progress line (stderr on a terminal, a run of over 200 ms: a slow
# stream) is erased with an escape sequence, but on a dumb terminal with
# blanks.
progress() {
    # script(1) runs the command with $SHELL, which may be dash: <(...)
    # needs bash.
    env SHELL=/bin/bash "$@" script -q -e -c "\"$LP\" secrets <(sleep 1; echo hello)" /dev/null \
        >"$T/tty" 2>&1 || true
    grep -q "scanning: " "$T/tty" || die "no progress line: $(cat "$T/tty")"
}
progress TERM=xterm
grep -q "$ESC\\[K" "$T/tty" || die "TERM=xterm: progress line not erased"
progress TERM=dumb
expect_eq "progress on a dumb terminal" 0 "$(grep -c "$ESC" "$T/tty" || true)"
