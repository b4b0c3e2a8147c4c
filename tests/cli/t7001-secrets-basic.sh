#!/usr/bin/env bash
# secrets: no registry needed; findings with path:line:column, rule and the
# value masked, in text and JSON; inside an archive too; nothing found is
# exit 0; the full value never appears in any output.
. "$(dirname "$0")/lib.sh"
export XDG_CACHE_HOME=$T/cache
cd "$T"
mkdir app
printf '# settings\nAWS_ACCESS_KEY_ID=AKIAZZZZ2222EXAMPLEX\n' >app/.env
printf 'nothing to see\n' >app/readme.txt
run_rc "$LP" secrets app
expect_eq "exit" 1 "$rc"
expect_eq "text" "app/.env:2:19  aws-access-key-id  AKIA********  (AWS access key ID, high, entropy 3.1)" \
    "$(head -n 1 "$T/out")"
[ ! -e "$T/reg" ] || die "a registry was created"
run_rc "$LP" secrets --format json app
expect_eq "json" "app/.env 2 19 aws-access-key-id cloud-credential AKIA******** high 64" \
    "$(jqv '.secrets[0] | "\(.path) \(.line) \(.column) \(.rule) \(.category) \(.masked) \(.confidence) \(.fingerprint | length)"')"
fp=$(jqv '.secrets[0].fingerprint')
tar czf app.tgz app
run_rc "$LP" secrets --format json app.tgz
expect_eq "archive" "app.tgz!app/.env $fp" "$(jqv '.secrets[0] | "\(.path) \(.fingerprint)"')"
# the compiled rules are cached: a second engine loads them
ls "$T"/cache/leakprint/secrets-*.hsdb >/dev/null || die "no cache"
run_rc "$LP" secrets app/readme.txt
expect_eq "none exit" 0 "$rc"
for f in "$T"/out "$T"/err; do
    ! grep -q AKIAZZZZ2222EXAMPLEX "$f" || die "value in $f"
done
# scan --secrets fills the scan report's secrets array; with a registry,
# fingerprints are under the registry's key, as secrets --db makes them.
"$LP" add -q --name gw "$FIX/proj"
run_rc "$LP" --db "$T/reg" secrets --format json app
fp=$(jqv '.secrets[0].fingerprint')
run_rc "$LP" scan --secrets --format json app
expect_eq "scan secrets" "app/.env aws-access-key-id $fp" "$(jqv '.secrets[0] | "\(.path) \(.rule) \(.fingerprint)"')"
run_rc "$LP" scan --format json app
expect_eq "scan no secrets" 0 "$(jqv '.secrets | length')"
# Exposures: internal addresses and host names, with their values, apart
# from the secrets; a version number and an impossible address are not.
printf 'db: 10.1.2.3\nci: https://build01.eu.acme.corp/jobs\nv=1.10.2.3.4 bad=192.168.1.300 pub=8.8.8.8\n' >net.yml
run_rc "$LP" secrets --format json net.yml
expect_eq "exposures exit" 0 "$rc"
expect_eq "exposures" "1:5 internal-address 10.1.2.3|2:13 internal-hostname build01.eu.acme.corp" \
    "$(jqv '[.exposures[] | "\(.line):\(.column) \(.type) \(.value)"] | join("|")')"
expect_eq "exposures not secrets" "0 2" "$(jqv '"\(.summary.secrets) \(.summary.exposures)"')"
