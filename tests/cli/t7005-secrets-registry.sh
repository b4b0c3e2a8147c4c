#!/usr/bin/env bash
# secrets --db: add records the keyed fingerprints of the protected
# material's secrets (never the values) and the domains of its e-mail
# addresses; secrets then says which secrets are the organisation's own,
# where they are, whether the newest version still holds them (rotate), and
# finds the learnt domain's hosts and addresses. Public material teaches
# nothing; an absent registry named by --db is an error.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
schema=$(bash "$root/scripts/sarif-schema.sh") || die "no SARIF schema"
export XDG_CACHE_HOME=$T/cache
cd "$T"
mkdir -p core/deploy leak vendor
cat >core/deploy/prod.env <<'X'
# maintainer: Jane Roe <jane.roe@acme-corp.com>
STRIPE_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dc
AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYzqKq2mUvB0aH
X
for i in 1 2 3; do
    printf '/* (c) ACME <dev%s@acme-corp.com> */\nint f%s(void) { return %s; }\n' $i $i $i >core/f$i.c
done
for i in 1 2 3; do
    printf '/* (c) Other <x%s@othervendor.io> */\nint g%s(void) { return %s; }\n' $i $i $i >vendor/g$i.c
done
"$LP" --db reg add -q --name vendor --public vendor
"$LP" --db reg add -q --name core --version v1 core
sed -i 's/sk_live_4eC39HqLyjWDarjtT1zdp7dc/sk_live_9zQ39HqLyjWDarjtT1zdp7XY/' core/deploy/prod.env
"$LP" --db reg add -q --name core --version v2 core
# The registry holds fingerprints, never a value.
for v in 4eC39HqLyjWDarjtT1zdp7dc 9zQ39HqLyjWDarjtT1zdp7XY wJalrXUtnFEMIK7MDENGbPxRfiCYzqKq2mUvB0aH; do
    ! grep -rqa "$v" reg || die "value $v in the registry"
done
cp core/deploy/prod.env leak/a.env
printf 'STRIPE_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dc\nping build7.acme-corp.com x9@othervendor.io\nGH=ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\nSLACK=xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx\n' >leak/old.env
run_rc "$LP" --db reg secrets --format json leak
expect_eq "exit" 1 "$rc"
expect_eq "known" "a.env:2 stripe-secret-key true core:deploy/prod.env|core v2|true
a.env:3 aws-secret-access-key true core:deploy/prod.env|core v2|true
old.env:1 stripe-secret-key true core:deploy/prod.env|core v1|false
old.env:4 slack-bot-token false |null|null" \
    "$(jqv '.secrets[] | "\(.path | sub("leak/"; "")):\(.line) \(.rule) \(.known) \(.known_in // [] | join(","))|\(.known_version)|\(.still_present)"')"
expect_eq "learnt domain" "a.env:1 org-email jane.roe@acme-corp.com|old.env:2 org-hostname build7.acme-corp.com" \
    "$(jqv '[.exposures[] | "\(.path | sub("leak/"; "")):\(.line) \(.rule) \(.value)"] | join("|")')"
run_rc "$LP" --db reg secrets leak
expect_eq "text" "leak/a.env:2:12  stripe-secret-key  sk_live_********  (Stripe live secret key, high, entropy 4.8)
    known: core:deploy/prod.env; still in core v2: rotate it" "$(sed -n 2,3p "$T/out")"
expect_eq "text last" "    known: core:deploy/prod.env; last in core v1" "$(sed -n 7p "$T/out")"
# SARIF carries the same, and stays valid.
run_rc "$LP" --db reg secrets --format sarif leak
expect_eq "sarif known" "true core v2 true|true core v1 false|false null null" \
    "$(jqv '[.runs[0].results[] | select(.ruleId == "stripe-secret-key" or .ruleId == "slack-bot-token") | .properties | "\(.known) \(.known_version) \(.still_present)"] | join("|")')"
cp "$T/out" "$T/linked.sarif"
/usr/bin/python3 "$root/tests/cli/helpers/sarif_validate.py" "$schema" "$T/linked.sarif" >/dev/null ||
    die "not valid SARIF"
# Without a registry: not known (known false, known_in empty, as
# CONTRACT.md writes them), no learnt domain; in SARIF too.
LEAKPRINT_DB= run_rc "$LP" secrets --format json leak
expect_eq "no registry" "false [] 0" "$(jqv '"\(.secrets[0].known) \(.secrets[0].known_in | tojson) \(.exposures | length)"')"
LEAKPRINT_DB= run_rc "$LP" secrets --format sarif leak
expect_eq "no registry sarif" "false []" "$(jqv '.runs[0].results[0].properties | "\(.known) \(.known_in | tojson)"')"
# scan --secrets links the same way.
run_rc "$LP" --db reg scan --secrets --format json leak
expect_eq "scan" "true core v2" "$(jqv '.secrets[0] | "\(.known) \(.known_version)"')"
# A registry made before secrets were recorded (no such tables) answers
# "not known", not an error.
cp -r reg old
python3 -c 'import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.executescript("DROP TABLE secret; DROP TABLE maildomain;"); db.commit()' old/meta.sqlite
run_rc "$LP" --db old secrets --format json leak
expect_eq "old registry" "1 false 0" "$rc $(jqv '"\(.secrets[0].known) \(.exposures | length)"')"
# A registry named by --db must exist.
run_rc "$LP" --db "$T/none" secrets leak
expect_eq "absent exit" 2 "$rc"
expect_one_line_error "'$T/none': no registry here"
[ ! -e "$T/none" ] || die "a registry was created"
