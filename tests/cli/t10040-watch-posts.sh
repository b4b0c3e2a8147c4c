#!/usr/bin/env bash
# watch: posts, attachments, passwords and one case per incident.
#  - A NAME.posts.jsonl file: each post an item (its title and body), its
#    attachments items of the same case; the archive password its body
#    gives opens an encrypted attachment; a line that is no post and an
#    attachment that is no name in the inbox get one warning each; an
#    attachment named before it came joins the post when it comes.
#  - Near-duplicates: a tar of the leaked file and one more joins the
#    case and alerts scope-grew (new_files 1); the same file re-packed
#    joins it without an alert.
#  - A sidecar's password opens an encrypted archive.
#  - A secret of the registry in a paste alerts `secret` (critical) and
#    its value appears in no alert, log or case database.
#  - cases retro: an item that matched nothing matches once the registry
#    holds its collection, and alerts `retro`, delivered by the next watch.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$T"
"$LP" add -q --name vault --version 1.0 "$FIX/watch/vault"
LEDGER=$FIX/watch/vault/src/ledger.c AUDIT=$FIX/watch/vault/src/audit.c
sha() { sha256sum "$1" | cut -c 1-64; }

mkdir in
cp "$LEDGER" ledger.c
zip -q -P infected in/dump.zip ledger.c
cat >in/forum-x.posts.jsonl <<'J'
{"id": "4711", "source": "forum-x", "url": "http://x.onion/t/4711", "title": "Vault source for sale", "author": "seller", "posted_at": "2026-12-01T10:00:00Z", "body": "Sample attached.\nArchive password: infected\nPrice 2 BTC, escrow ok.", "attachments": ["dump.zip"]}
garbage
{"id": "4712", "source": "forum-x", "url": "http://x.onion/t/4712", "body": "full dump soon", "attachments": ["../etc/passwd", "late.tar"]}
J
run_rc "$LP" watch --inbox in --cases c.db --alert jsonl:a.jsonl --once
expect_eq "exit" 0 "$rc"
expect_eq "stderr" "leakprint: warning: 'in/forum-x.posts.jsonl':2: not a post (a JSON object): '[' or '{' expected near 'garbage', ignored|leakprint: warning: 'in/forum-x.posts.jsonl':3: attachment 1 is not a name in the inbox, ignored" \
    "$(tr '\n' '|' <"$T/err" | sed 's/|$//')"
expect_eq "inbox" "" "$(ls -A in)"
expect_eq "items" "dump.zip likely 1
forum-x.posts.jsonl#4711 none 1
forum-x.posts.jsonl#4712 none " \
    "$(sqlq c.db "SELECT name, level, coalesce(case_id, '') FROM items ORDER BY name")"
# the post's text is the item: title, a blank line, body
post=$(printf 'Vault source for sale\n\nSample attached.\nArchive password: infected\nPrice 2 BTC, escrow ok.\n' | sha256sum | cut -c 1-64)
expect_eq "post item" "$post" "$(sqlq c.db "SELECT sha256 FROM items WHERE name LIKE '%#4711'")"
# the post offers vault for sale (a sale claim: it names the collection),
# its attachment is the leak: one case
expect_eq "alerts" "sale-claim forum-x.posts.jsonl#4711 forum-x http://x.onion/t/4711 1 none critical
leak dump.zip forum-x http://x.onion/t/4711 1 likely high" \
    "$(jq -r '"\(.kind) \(.item.name) \(.item.source) \(.item.url) \(.case) \(.verdict.level) \(.severity)"' a.jsonl)"
expect_eq "pending" "late.tar" "$(sqlq c.db "SELECT name FROM pending")"

# the attachment comes: it joins the post's group; with the other file
# of vault it grows case 1; the ledger re-packed joins it quietly
tar -cf in/late.tar -C "$FIX/watch/vault/src" ledger.c audit.c
tar -czf in/repack.tgz ledger.c
run_rc "$LP" watch --inbox in --cases c.db --alert jsonl:a.jsonl --once
expect_eq "exit 2" 0 "$rc"
expect_eq "stderr 2" "" "$(cat "$T/err")"
expect_eq "alerts 2" 3 "$(wc -l <a.jsonl)"
expect_eq "scope-grew" "scope-grew late.tar forum-x 1 1 high" \
    "$(tail -n 1 a.jsonl | jq -r '"\(.kind) \(.item.name) \(.item.source) \(.case) \(.new_files) \(.severity)"')"
expect_eq "scope summary" "scope of case 1 grew: 1 more file of vault in late.tar from forum-x" \
    "$(tail -n 1 a.jsonl | jq -r .summary)"
expect_eq "one case" "1 5" "$(sqlq c.db "SELECT count(DISTINCT case_id), count(*) FROM items WHERE case_id IS NOT NULL")"
expect_eq "case files" "src/audit.c src/ledger.c" \
    "$(sqlq c.db "SELECT asset FROM case_files WHERE case_id = 1 ORDER BY asset" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "pending 2" "" "$(sqlq c.db "SELECT name FROM pending")"
/usr/bin/python3 "$HELPERS/validate.py" "$ROOT/docs/schema/alert.schema.json" a.jsonl --lines ||
    die "an alert does not follow alert.schema.json"

# posts that cannot be taken in: one warning each, the file's other posts
# taken in, exit 0
mkdir in5
cat >in5/odd.posts.jsonl <<'J'
{"id": "e1"}
{"id": "e2", "body": "see attached", "attachments": "x.zip"}
[1, 2]
J
run_rc "$LP" watch --inbox in5 --cases c5.db --once
expect_eq "odd posts exit" 0 "$rc"
expect_eq "odd posts stderr" "leakprint: warning: 'in5/odd.posts.jsonl':1: a post with no title, body or attachment, ignored|leakprint: warning: 'in5/odd.posts.jsonl':2: field 'attachments' is not an array, ignored|leakprint: warning: 'in5/odd.posts.jsonl':3: not a post (a JSON object): another JSON value, ignored" \
    "$(tr '\n' '|' <"$T/err" | sed 's/|$//')"
expect_eq "odd posts items" "odd.posts.jsonl#e2" "$(sqlq c5.db "SELECT name FROM items")"
expect_eq "odd posts inbox" "" "$(ls -A in5)"

# a sidecar's password
mkdir in2
cp "$AUDIT" audit.c
zip -q -P 's3cret pass' in2/enc.zip audit.c
echo '{"source": "paste-y", "password": "s3cret pass"}' >in2/enc.zip.meta.json
run_rc "$LP" watch --inbox in2 --cases c2.db --alert jsonl:b.jsonl --once
expect_eq "sidecar exit" 0 "$rc"
expect_eq "sidecar alert" "leak enc.zip paste-y" "$(jq -r '"\(.kind) \(.item.name) \(.item.source)"' b.jsonl)"

# a secret the registry knows, in a paste
mkdir ops in3
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ops/deploy.pem 2>/dev/null
printf 'url = "https://build.corp.example/api"\n' >ops/deploy.conf
"$LP" add -q --name ops --version 1 ops
{ echo "found on a build box:"; cat ops/deploy.pem; } >in3/paste.txt
run_rc "$LP" watch --inbox in3 --cases c3.db --alert jsonl:s.jsonl --once
expect_eq "secret exit" 0 "$rc"
expect_eq "secret alerts" "secret critical 1 1" \
    "$(jq -r '"\(.kind) \(.severity) \(.secrets) \(.case)"' s.jsonl | sort)"
expect_eq "secret summary" "1 of the organisation's secrets in paste.txt" \
    "$(jq -r 'select(.kind == "secret") | .summary' s.jsonl)"
line=$(sed -n 3p ops/deploy.pem)
for f in s.jsonl c3.db "$T/err" "$T/out"; do
    ! grep -qF "$line" "$f" || die "$f holds the key's value"
done

# cases retro: a file of no collection yet, then of one
mkdir in4 lib
cp "$FIX/other/csv.c" lib/csv.c
cp lib/csv.c in4/csv.c
run_rc "$LP" watch --inbox in4 --cases c4.db --alert jsonl:r.jsonl --once
expect_eq "before retro" "none" "$(sqlq c4.db "SELECT level FROM items")"
[ ! -e r.jsonl ] || die "an alert before retro"
"$LP" add -q --name lib --version 1 lib
run_rc "$LP" cases --cases c4.db retro
expect_eq "retro exit" 0 "$rc"
expect_eq "retro out" "re-checked 1 item" "$(cat "$T/out")"
expect_eq "retro outbox" "retro 1" "$(sqlq c4.db "SELECT kind, case_id FROM alerts")"
run_rc "$LP" watch --inbox in4 --cases c4.db --alert jsonl:r.jsonl --once
expect_eq "retro delivered" "retro re-check: likely leak of lib (1 file) in csv.c" \
    "$(jq -r '"\(.kind) \(.summary)"' r.jsonl)"
# again: nothing new, no alert
run_rc "$LP" cases --cases c4.db retro
expect_eq "retro again" "re-checked 1 item|1" "$(cat "$T/out")|$(sqlq c4.db "SELECT count(*) FROM alerts")"
run_rc "$LP" cases --cases c4.db retro --format json
expect_eq "retro format exit" 2 "$rc"
expect_one_line_error "^leakprint: cases retro: --format is for list, show, status and export$"
echo "ok"
