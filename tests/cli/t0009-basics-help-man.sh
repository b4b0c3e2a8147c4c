#!/usr/bin/env bash
# --help pages are plain text (no Markdown), each names every option its
# command accepts and the top-level page every option of every command;
# make install installs the man pages made from the same sources.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$T"
add_proj
# The commands, from the table of cli/main.c.
cmds=$(sed -n 's/^ *{"\([a-z-]*\)", cmd_[a-z_]*,.*/\1/p' "$ROOT/cli/main.c")
[ -n "$cmds" ] || die "no command found in cli/main.c"
"$LP" --help >top.txt
# no_markdown FILE WHAT: no heading mark, fence, comment or backquote.
no_markdown() {
    ! grep -nE '^#|^```|<!--|`|\*\*' "$1" >md.txt || die "$2: Markdown: $(head -n 3 md.txt)"
}
no_markdown top.txt "leakprint --help"
# Every long option of cli/, offered to each command: one it accepts is
# not "unknown" (with "=1" a flag says "takes no value", another complains
# of its value or of a missing target: nothing runs).
opts=$(grep -ho '{"[a-z][a-z-]*", *\(no\|required\|optional\)_argument' "$ROOT"/cli/*.[ch] |
       sed 's/{"\([a-z-]*\)".*/\1/' | sort -u)
for c in $cmds; do
    run_rc "$LP" "$c" --help
    expect_eq "$c --help exit" 0 "$rc"
    cp "$T/out" "help-$c.txt"
    no_markdown "help-$c.txt" "leakprint $c --help"
    grep -q "^leakprint $c" "help-$c.txt" || die "$c --help: no title line"
    for o in $opts; do
        run_rc "$LP" "$c" "--$o=1"
        if grep -q "unknown option '--$o'" "$T/err"; then continue; fi
        # the global options are on the top-level page (below)
        case $o in db|color|help) continue ;; esac
        grep -q -- "--$o\\b" "help-$c.txt" || die "$c accepts --$o: not in its --help"
        # the top-level page: in the synopsis of that command, or of INPUT
        # (by its short form when it has one: -j for --jobs)
        short=$(grep -oE -- "-[a-zA-Z], --$o\\b" "help-$c.txt" | head -n 1 | cut -c 1-2 || true)
        awk -v c="$c" '/^ *leakprint \[GLOBAL\] / { on = $3 == c } /^ *INPUT:/ { on = 1 }
                       /^ *$/ { on = 0 } on' top.txt |
            grep -qE -- "--$o\\b${short:+|\\[$short\\b}" ||
            die "$c accepts --$o: not in leakprint --help for $c"
    done
done
# The formats each command's synopsis in the top-level page names.
expect_eq "secrets formats" 1 "$(grep -c 'secrets \[--format text|json|jsonl|sarif|html\]' top.txt)"
grep -q -- 'GLOBAL: \[--db DIR\] \[--color auto|always|never\]' top.txt ||
    die "top-level help: no global options"
grep -q -- 'secrets' top.txt || die "top-level help: no secrets"

# make install puts one man page per command (and leakprint(1)) in
# $(PREFIX)/share/man/man1.
build=${BUILD:-$BUILD_DIR}
case $build in /*) ;; *) build=$ROOT/$build ;; esac
make -s --no-print-directory -C "$ROOT" BUILD="$build" DESTDIR="$T/inst" \
    PREFIX=/usr install >make.log 2>&1 || die "make install: $(tail -n 5 make.log)"
mandir=$T/inst/usr/share/man/man1
[ -f "$mandir/leakprint.1" ] || die "no leakprint.1 installed"
for c in $cmds; do
    f=$mandir/leakprint-$c.1
    [ -f "$f" ] || die "no man page leakprint-$c.1 installed"
    grep -q "^\\.TH \"LEAKPRINT-$(echo "$c" | tr a-z A-Z)\" \"1\"" "$f" || die "$f: no .TH"
    grep -q '^\.SH NAME' "$f" || die "$f: no NAME section"
done
# man-db is among the packages scripts/deps.sh installs: no man is a failure.
command -v man >/dev/null || die "no man command (Debian package man-db)"
MANPATH=$T/inst/usr/share/man MANWIDTH=100 man -P cat leakprint-scan >man.txt 2>man.err ||
    die "man leakprint-scan: $(cat man.err)"
grep -q '^NAME' man.txt || die "man leakprint-scan: no NAME"
grep -q 'leakprint-scan - find registered protected material' man.txt ||
    die "man leakprint-scan: $(sed -n 1,5p man.txt)"
grep -q -- '--min-similarity X' man.txt || die "man leakprint-scan: no options"
