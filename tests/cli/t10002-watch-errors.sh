#!/usr/bin/env bash
# watch and cases refuse what they cannot do with one line on stderr naming
# the path or the option, exit 2: a --cases path in a missing directory, a
# file that is no case database, a daemon's missing inbox, no --inbox, a sink not built
# yet, a missing inbox, a missing registry; cases with a bad status, an
# unknown case or subcommand. An item left queued (as by a crash between
# its recording and its scan) is processed at the next run.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$T"
"$LP" add -q --name vault --version 1.0 "$FIX/watch/vault"
mkdir in

run_rc "$LP" watch --inbox in --cases "$T/nope/c.db" --once
expect_eq "bad --cases exit" 2 "$rc"
expect_one_line_error "^leakprint: '$T/nope/c.db': cannot open: no such file or directory$"
echo 'not sqlite at all' >notdb
run_rc "$LP" watch --inbox in --cases notdb --once
expect_eq "not a db exit" 2 "$rc"
expect_one_line_error "^leakprint: 'notdb': not a case database: file is not a database$"
# the daemon (no --once) with an inbox it cannot watch: exit 2 at once
run_rc "$LP" watch --inbox in --inbox missing --cases c2.db
expect_eq "daemon missing inbox exit" 2 "$rc"
expect_one_line_error "^leakprint: 'missing': cannot watch the inbox: no such file or directory$"
run_rc "$LP" watch --cases c.db --once
expect_eq "no --inbox exit" 2 "$rc"
expect_one_line_error "^leakprint: watch: no --inbox given"
run_rc "$LP" watch --inbox in --cases c.db --alert ftp:feed --once
expect_eq "sink exit" 2 "$rc"
expect_one_line_error "^leakprint: 'ftp:feed': unknown sink \(jsonl:PATH, webhook:URL, syslog, syslog:udp://HOST:PORT, syslog:tcp://HOST:PORT, exec:CMD, misp:DIR\)$"
run_rc "$LP" watch --inbox in --cases c.db --frob --once
expect_eq "unknown option exit" 2 "$rc"
expect_one_line_error "^leakprint: watch: unknown option '--frob' \(see leakprint watch --help\)$"
run_rc "$LP" --db "$T/noreg" watch --inbox in --cases c.db --once
expect_eq "no registry exit" 2 "$rc"
expect_one_line_error "'$T/noreg'"
[ ! -e c.db ] || die "a failed start made the case database"
run_rc "$LP" watch --inbox missing --cases c.db --once
expect_eq "missing inbox exit" 2 "$rc"
expect_one_line_error "^leakprint: 'missing': cannot read the inbox: no such file or directory$"

run_rc "$LP" cases --cases nope.db list
expect_eq "cases no db exit" 2 "$rc"
expect_one_line_error "^leakprint: 'nope.db': no case database: no such file or directory$"
[ ! -e nope.db ] || die "cases made a database"
run_rc "$LP" cases --cases c.db set 1 --status bogus
expect_eq "bad status exit" 2 "$rc"
expect_one_line_error "^leakprint: 'bogus': invalid value for --status "
run_rc "$LP" cases --cases c.db show 9
expect_eq "no case exit" 2 "$rc"
expect_one_line_error "^leakprint: 'c.db': no case 9$"
run_rc "$LP" cases --cases c.db set 9 --status closed
expect_eq "set no case exit" 2 "$rc"
expect_one_line_error "^leakprint: 'c.db': no case 9$"
run_rc "$LP" cases --cases c.db frob
expect_eq "bad subcommand exit" 2 "$rc"
expect_one_line_error "^leakprint: 'frob': unknown subcommand of cases"
run_rc "$LP" cases --cases c.db list --format yaml
expect_eq "bad format exit" 2 "$rc"
expect_one_line_error "^leakprint: 'yaml': invalid value for --format \(text, json, jsonl or misp\)$"

# An item recorded but not scanned (a crash in between) is scanned at the
# next start, before new ones, and opens its case then.
cp "$FIX/watch/vault/src/ledger.c" in/leak.c
run_rc "$LP" watch --inbox in --cases c.db --once
expect_eq "first run" 0 "$rc"
/usr/bin/python3 - c.db <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA foreign_keys=OFF")
db.execute("DELETE FROM alerts")
db.execute("DELETE FROM case_files")
db.execute("DELETE FROM cases")
db.execute("UPDATE items SET state='queued', level=NULL, case_id=NULL")
db.commit()
PY
run_rc "$LP" cases --cases c.db status --format json
expect_eq "queued" 1 "$(jqv .items.queued)"
run_rc "$LP" watch --inbox in --cases c.db --alert jsonl:a.jsonl --once
expect_eq "recovery exit" 0 "$rc"
run_rc "$LP" cases --cases c.db status --format json
expect_eq "after recovery" '1 0 1 1' "$(jqv '"\(.items.done) \(.items.queued) \(.cases) \(.alerts)"')"
expect_eq "alert" 'leak.c likely' "$(jq -r '"\(.item.name) \(.verdict.level)"' a.jsonl)"

# A name that is no UTF-8, a directory and a symbolic link in an inbox:
# the file is an item (its name in the alert with U+FFFD for the stray
# byte, the alert valid JSON); the others are left, with a warning each.
mkdir in3 in3/sub
printf '%s\n' '// a paste' >"in3/$(printf 'bad\xff.c')"
# (another file of vault than the ledger: a case of its own, and alert)
cat "$FIX/watch/vault/src/audit.c" >>"in3/$(printf 'bad\xff.c')"
ln -s /etc/hostname in3/link
run_rc "$LP" watch --inbox in3 --cases c.db --alert jsonl:a.jsonl --once
expect_eq "odd names exit" 0 "$rc"
expect_eq "odd names stderr" "leakprint: warning: 'in3/link': a symbolic link, left in the inbox|leakprint: warning: 'in3/sub': not a regular file, left in the inbox" \
    "$(tr '\n' '|' <"$T/err" | sed 's/|$//')"
expect_eq "left" "link sub" "$(ls in3 | tr '\n' ' ' | sed 's/ $//')"
expect_eq "alerts" 2 "$(wc -l <a.jsonl)"
expect_eq "bad name" "bad$(printf '\xef\xbf\xbd').c" "$(tail -n 1 a.jsonl | jq -r .item.name)"
/usr/bin/python3 "$HELPERS/validate.py" "$ROOT/docs/schema/alert.schema.json" a.jsonl --lines ||
    die "an alert does not follow alert.schema.json"
run_rc "$LP" cases --cases c.db show "$(tail -n 1 a.jsonl | jq .case)" --format json
expect_eq "show bad name" "bad$(printf '\xef\xbf\xbd').c" "$(jqv '.items[0].name')"
