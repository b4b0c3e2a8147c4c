#!/usr/bin/env bash
# A registry needs only read permission to be read: list, stats, scan and
# secrets work on a registry of another user that we may read but not
# write, and on a read-only mount, without creating a file in it. A
# permission problem is named as such, never "no registry here".
. "$(dirname "$0")/lib.sh"
DB=$LEAKPRINT_DB
add_proj 1.0
# as_reader CMD...: runs CMD as a reader that may read the registry but not
# write it. As root (who may write anything): the unprivileged uid 65534
# when it can reach the binary and the fixtures (a checkout in a private
# directory is out of its reach), else root without any capability, which
# the files' modes bind as they bind any user; otherwise ourselves, the
# registry being made read-only below. $other says whether the reader is
# another user than the registry's owner.
other=0
if [ "$(id -u)" = 0 ]; then
    command -v setpriv >/dev/null || die "no setpriv to leave root (Debian package util-linux)"
    chmod a+rx "$T"
    chmod 1777 "$LP_REPORTS" # the wrapper keeps its JSON copies there
    nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
    if nobody "$LP" --version >/dev/null 2>&1 && nobody test -r "$FIX/proj/src/ring.c"; then
        other=1
        as_reader() { nobody "$@"; }
    else
        as_reader() { setpriv --bounding-set=-all --inh-caps=-all "$@"; }
    fi
else
    as_reader() { "$@"; }
fi
chmod -R a+rX "$DB"
chmod -R a-w "$DB"
before=$(ls "$DB")

run_rc as_reader "$LP" list
expect_eq "list exit" 0 "$rc"
grep -q '^gw	1 version	newest 1.0 ' "$T/out" || die "list: $(cat "$T/out" "$T/err")"
run_rc as_reader "$LP" stats --format json
expect_eq "stats exit" 0 "$rc"
expect_eq "stats files" 5 "$(jqv .files)"
run_rc as_reader "$LP" scan --format json "$FIX/proj"
expect_eq "scan exit" 1 "$rc"
expect_eq "scan level" confirmed "$(jqv .verdict.level)"
run_rc as_reader "$LP" secrets --format json "$FIX/proj/src/ring.c"
expect_eq "secrets exit" 0 "$rc"
expect_eq "secrets stderr" "" "$(cat "$T/err")"
# a reader leaves no -shm or -wal behind
expect_eq "files of the registry" "$before" "$(ls "$DB")"
# A -wal with content and no -shm may hold the last commits, which a reader
# that can create no -shm cannot read: refused, never silently ignored.
chmod u+w "$DB"
printf 'frames' >"$DB/meta.sqlite-wal"
chmod a+r,a-w "$DB/meta.sqlite-wal" "$DB"
run_rc as_reader "$LP" list
expect_eq "unreadable -wal exit" 2 "$rc"
expect_eq "unreadable -wal" "leakprint: '$DB/meta.sqlite-wal': permission denied (it holds commits a reader needs write access to the registry to read)" "$(cat "$T/err")"
chmod u+w "$DB"
rm -f "$DB/meta.sqlite-wal"
chmod a-w "$DB"

# Each file it may not read is named, with the reason.
chmod u+w "$DB"
chmod go-r "$DB/MANIFEST"
[ "$other" = 1 ] || chmod a-r "$DB/MANIFEST"
run_rc as_reader "$LP" list
expect_eq "unreadable manifest exit" 2 "$rc"
expect_eq "unreadable manifest" "leakprint: '$DB/MANIFEST': permission denied" "$(cat "$T/err")"
chmod a+r "$DB/MANIFEST"
chmod go-r "$DB/meta.sqlite"
[ "$other" = 1 ] || chmod a-r "$DB/meta.sqlite"
run_rc as_reader "$LP" scan "$FIX/proj"
expect_eq "unreadable metadata exit" 2 "$rc"
expect_eq "unreadable metadata" "leakprint: '$DB/meta.sqlite': permission denied" "$(cat "$T/err")"
chmod a+r "$DB/meta.sqlite"
chmod go-rx "$DB"
[ "$other" = 1 ] || chmod a-rx "$DB"
run_rc as_reader "$LP" stats
expect_eq "unreadable directory exit" 2 "$rc"
expect_eq "unreadable directory" "leakprint: '$DB': permission denied" "$(cat "$T/err")"
chmod -R u+rwX "$DB"

# A read-only mount (root only: a private mount namespace).
if [ "$(id -u)" = 0 ]; then
    unshare -m true 2>"$T/unshare.err" || die "unshare -m as root: $(cat "$T/unshare.err")"
    run_rc unshare -m bash -c 'mount --bind -o ro "$1" "$1" && shift && "$@"' \
        - "$DB" "$LP" scan --format json "$FIX/proj"
    expect_eq "read-only mount scan exit" 1 "$rc"
    expect_eq "read-only mount level" confirmed "$(jqv .verdict.level)"
    run_rc unshare -m bash -c 'mount --bind -o ro "$1" "$1" && shift && "$@"' \
        - "$DB" "$LP" add --name gw --version 2.0 "$FIX/proj"
    expect_eq "read-only mount add exit" 2 "$rc"
    expect_one_line_error "^leakprint: '$DB': lock: Read-only file system$"
else
    echo "note: read-only mount part skipped (needs root)"
fi
exit 0
