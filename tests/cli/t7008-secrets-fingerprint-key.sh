#!/usr/bin/env bash
# secrets (issue 14, points 1 and 3): fingerprints are keyed by a random
# key, not by the old public one, so that a report and a word list no
# longer give a value away. The key: the registry's (secrets.key, 0600,
# made by add), else the user's ($XDG_CONFIG_HOME/leakprint/secrets.key,
# 0600), else --fingerprint-key FILE. Reports carry the key's id in every
# format, never the key; a baseline under another key is refused.
. "$(dirname "$0")/lib.sh"
export XDG_CACHE_HOME=$T/cache
cd "$T"
pw=Tr0ub4dor-x9
mkdir leak proj
printf 'db_password = "%s"\nAWS_ACCESS_KEY_ID=AKIAZZZZ2222EXAMPLEX\n' "$pw" >leak/app.env
cp leak/app.env proj/
# hmac_hex KEY VALUE
hmac_hex() { python3 -c 'import hmac,hashlib,sys; print(hmac.new(sys.argv[1].encode(), sys.argv[2].encode(), hashlib.sha256).hexdigest())' "$1" "$2"; }
key_id() { python3 -c 'import hashlib,sys; print(hashlib.sha256(b"leakprint key id" + bytes.fromhex(open(sys.argv[1]).read().strip())).hexdigest()[:16])' "$1"; }
mode() { stat -c %a "$1"; }

# 1. Without a registry: the user's key, made 0600.
run_rc "$LP" secrets --format json leak
expect_eq "exit" 1 "$rc"
ukey=$T/config/leakprint/secrets.key
expect_eq "user key mode" 600 "$(mode "$ukey")"
expect_eq "user dir mode" 700 "$(mode "$T/config/leakprint")"
uid=$(key_id "$ukey")
expect_eq "key id json" "$uid" "$(jqv .summary.fingerprint_key)"
fp=$(jqv '.secrets[0].fingerprint')
expect_eq "rule" "generic-password-quoted ********" "$(jqv '.secrets[0] | "\(.rule) \(.masked)"')"
# The attack of the issue: the old fixed key and a word list. No word
# (the password among them) gives the report's fingerprint any more.
for w in password hunter2 letmein "$pw" admin123 qwerty welcome1 dragon; do
    [ "$(hmac_hex 'leakprint secrets v1' "$w")" != "$fp" ] || die "recovered '$w' with the old key"
done
# ... while the right key does (the key is what keeps the value)
expect_eq "keyed" "$fp" "$(python3 -c 'import hmac,hashlib,sys; print(hmac.new(bytes.fromhex(open(sys.argv[1]).read().strip()), sys.argv[2].encode(), hashlib.sha256).hexdigest())' "$ukey" "$pw")"
# the same user key gives the same fingerprint next run
run_rc "$LP" secrets --format json leak
expect_eq "stable" "$fp" "$(jqv '.secrets[0].fingerprint')"

# Runs that make the user's key at once agree on one (it is linked into
# place whole, the first one wins), and leave nothing else beside it.
for i in 1 2 3 4; do
    XDG_CONFIG_HOME=$T/race "$LP" secrets --format json -o race$i.json leak 2>/dev/null &
done
wait
expect_eq "race" 1 "$(for i in 1 2 3 4; do jq -r .summary.fingerprint_key race$i.json; done | sort -u | wc -l)"
expect_eq "race files" "secrets.key" "$(ls "$T/race/leakprint")"

# 2. The key id in every format, the key in none.
hexkey=$(cat "$ukey")
run_rc "$LP" secrets leak
expect_eq "text" "         fingerprints under key $uid" "$(tail -n 1 "$T/out")"
grep -qF -- "$hexkey" "$T/out" "$T/err" && die "key in text"
run_rc "$LP" secrets --format jsonl leak
expect_eq "jsonl" "$uid" "$(tail -n 1 "$T/out" | jq -r .summary.fingerprint_key)"
grep -qF -- "$hexkey" "$T/out" "$T/err" && die "key in jsonl"
run_rc "$LP" secrets --format sarif leak
expect_eq "sarif" "$uid" "$(jqv '.runs[0].properties.fingerprint_key')"
grep -qF -- "$hexkey" "$T/out" "$T/err" && die "key in sarif"

# 3. Registries: each has its own key (0600, made by add); a value is
# fingerprinted differently under each, and found known in each.
"$LP" --db r1 add -q --name core proj
"$LP" --db r2 add -q --name core proj
expect_eq "registry key mode" 600 "$(mode r1/secrets.key)"
cmp -s r1/secrets.key r2/secrets.key && die "two registries share a key"
run_rc "$LP" --db r1 secrets --format json leak
f1=$(jqv '.secrets[0].fingerprint')
expect_eq "r1" "true $(key_id r1/secrets.key)" "$(jqv '"\(.secrets[0].known) \(.summary.fingerprint_key)"')"
run_rc "$LP" --db r2 secrets --format json leak
f2=$(jqv '.secrets[0].fingerprint')
expect_eq "r2 known" true "$(jqv '.secrets[0].known')"
[ "$f1" != "$f2" ] || die "two registries give the same fingerprint"
[ "$f1" != "$fp" ] || die "the registry's key is the user's"
for r in r1 r2; do
    for f in "$r"/*; do
        ! grep -qF -- "$pw" "$f" || die "value in $f"
    done
done
# scan --secrets: the registry's key; its id in JSON and JSONL
run_rc "$LP" --db r1 scan --secrets --format json leak
expect_eq "scan json" "$(key_id r1/secrets.key) $f1 true" "$(jqv '"\(.fingerprint_key) \(.secrets[0].fingerprint) \(.secrets[0].known)"')"
run_rc "$LP" --db r1 scan --secrets --format jsonl leak
expect_eq "scan jsonl" "$(key_id r1/secrets.key)" "$(tail -n 1 "$T/out" | jq -r .fingerprint_key)"
run_rc "$LP" --db r1 scan --format json leak
expect_eq "scan without secrets" null "$(jqv '.fingerprint_key')"

# 4. --fingerprint-key: a team's shared key gives the same fingerprints
# on every machine (another user's configuration here).
openssl rand -hex 32 >team.key
chmod 600 team.key
tid=$(key_id team.key)
run_rc "$LP" secrets --fingerprint-key team.key --format json leak
t1=$(jqv '.secrets[0].fingerprint')
expect_eq "given id" "$tid" "$(jqv .summary.fingerprint_key)"
XDG_CONFIG_HOME=$T/other run_rc "$LP" secrets --fingerprint-key team.key --format json leak
expect_eq "same key, same fingerprint" "$t1" "$(jqv '.secrets[0].fingerprint')"
[ ! -e "$T/other" ] || die "a user key was made though a key was given"
# the key a registry is made with: put in place before its first add
mkdir r3 && install -m 600 team.key r3/secrets.key
"$LP" --db r3 add -q --name core proj
run_rc "$LP" --db r3 secrets --fingerprint-key team.key --format json leak
expect_eq "team registry" "$t1 true" "$(jqv '"\(.secrets[0].fingerprint) \(.secrets[0].known)"')"
# another registry's key is refused: no secret could be found known
run_rc "$LP" --db r1 secrets --fingerprint-key team.key leak
expect_eq "other key exit" 2 "$rc"
expect_eq "other key" "leakprint: 'team.key': fingerprint key $tid is not the registry's ($(key_id r1/secrets.key))" "$(cat "$T/err")"
# a key others may read: a warning
chmod 644 team.key
run_rc "$LP" secrets --fingerprint-key team.key leak
expect_eq "readable exit" 1 "$rc"
expect_eq "readable" "leakprint: warning: 'team.key': fingerprint key readable by others (chmod o-r)" "$(cat "$T/err")"
chmod 600 team.key
# not a key: one line, exit 2
printf 'abc\n' >short.key && chmod 600 short.key
run_rc "$LP" secrets --fingerprint-key short.key leak
expect_eq "short exit" 2 "$rc"
expect_eq "short" "leakprint: 'short.key': not a fingerprint key (64 hexadecimal digits)" "$(cat "$T/err")"
run_rc "$LP" secrets --fingerprint-key missing.key leak
expect_eq "missing exit" 2 "$rc"
expect_eq "missing" "leakprint: 'missing.key': No such file or directory" "$(cat "$T/err")"

# 5. Baselines name their key; one made under another is refused.
run_rc "$LP" secrets --write-baseline base.json leak
expect_eq "baseline id" "$uid" "$(jq -r .summary.fingerprint_key base.json)"
run_rc "$LP" secrets --baseline base.json --format json leak
expect_eq "baselined" "0 2" "$(jqv '"\(.summary.secrets) \(.summary.baselined)"')"
run_rc "$LP" secrets --fingerprint-key team.key --baseline base.json leak
expect_eq "mismatch exit" 2 "$rc"
expect_eq "mismatch" "leakprint: 'base.json': baseline made under fingerprint key $uid, this run uses $tid" "$(cat "$T/err")"
jq 'del(.summary.fingerprint_key)' base.json >old.json
run_rc "$LP" secrets --baseline old.json leak
expect_eq "old exit" 2 "$rc"
expect_eq "old" "leakprint: 'old.json': baseline names no fingerprint key (made by an older leakprint): write it again with --write-baseline" "$(cat "$T/err")"

# 6. A registry made before keys: readers use the user's key and say so;
# the next add gives it a key.
rm r2/secrets.key
run_rc "$LP" --db r2 secrets --format json leak
expect_eq "old registry exit" 1 "$rc"
expect_eq "old registry" "leakprint: note: 'r2': registry has no fingerprint key: secrets are fingerprinted under your own key and none is found known (see --fingerprint-key)" "$(cat "$T/err")"
expect_eq "old registry key" "$uid false" "$(jqv '"\(.summary.fingerprint_key) \(.secrets[0].known)"')"
"$LP" --db r2 add -q --name more proj
expect_eq "key made by add" 600 "$(mode r2/secrets.key)"

# 7. A key kept apart from its registry (docs/FORMAT.md): add, secrets and
# scan --secrets all given it; the registry holds no key.
"$LP" --db r4 add -q --name core --fingerprint-key team.key proj
[ ! -e r4/secrets.key ] || die "the key given was written into the registry"
run_rc "$LP" --db r4 secrets --fingerprint-key team.key --format json leak
expect_eq "apart" "$t1 true $tid" "$(jqv '"\(.secrets[0].fingerprint) \(.secrets[0].known) \(.summary.fingerprint_key)"')"
run_rc "$LP" --db r4 scan --secrets --fingerprint-key team.key --format json leak
expect_eq "apart scan" "true $tid" "$(jqv '"\(.secrets[0].known) \(.fingerprint_key)"')"
# add under another key than the registry's is refused, and adds nothing
run_rc "$LP" --db r1 add -q --name other --fingerprint-key team.key proj
expect_eq "add other key exit" 2 "$rc"
expect_eq "add other key" "leakprint: 'team.key': fingerprint key $tid is not the registry's ($(key_id r1/secrets.key))" "$(cat "$T/err")"
run_rc "$LP" --db r1 list
! grep -q other "$T/out" || die "a collection added under another key"
end_test
