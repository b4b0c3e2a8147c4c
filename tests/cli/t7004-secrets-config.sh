#!/usr/bin/env bash
# secrets --config: the organisation's rules, disabled rules, allowed paths,
# values and stop-words, an inline leakprint:allow, its domains' hosts and
# e-mail addresses as exposures; --write-baseline then --baseline leaves
# only what is new; a bad configuration is one line naming file and line.
. "$(dirname "$0")/lib.sh"
export XDG_CACHE_HOME=$T/cache
cd "$T"
mkdir -p app/testdata
cat >app/deploy.env <<'X'
ACME_DEPLOY=acmedt_q8w7e6r5t4y3u2i1o0p9a8s7d6f5g4h3
DB_PASSWORD=Zx9!qLmNotReal2#vR7tP4w
STRIPE_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dc  # leakprint:allow
SLACK=xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx
mail ops@acme.com, ci at jenkins01.build.acme.com, site www.acme.com
X
printf 'ACME_DEPLOY=acmedt_z9x8c7v6b5n4m3l2k1j0h9g8f7d6s5a4\n' >app/testdata/fixture.env
cat >cfg.yml <<'X'
version: 1
domains: [acme.com]
disable: [slack-bot-token]
allow:
  paths: ['testdata/*']
  stopwords: [notreal]
rules:
  - id: acme-deploy-token
    format: ACME deploy token
    category: ci-cd
    regex: 'acmedt_[a-z0-9]{32}'
    min_entropy: 3.5
X
run_rc "$LP" secrets --config cfg.yml --format json app
expect_eq "exit" 1 "$rc"
expect_eq "secrets" "app/deploy.env:1:13 acme-deploy-token ci-cd acmedt_********" \
    "$(jqv '[.secrets[] | "\(.path):\(.line):\(.column) \(.rule) \(.category) \(.masked)"] | join("|")')"
expect_eq "exposures" "5:6 org-email ops@acme.com|5:26 org-hostname jenkins01.build.acme.com" \
    "$(jqv '[.exposures[] | "\(.line):\(.column) \(.rule) \(.value)"] | join("|")')"
# Without the configuration, the built-in rules see the rest.
run_rc "$LP" secrets --format json app
expect_eq "without config" "generic-password-unquoted slack-bot-token" \
    "$(jqv '[.secrets[].rule] | sort | unique | join(" ")')"
run_rc "$LP" secrets --list-rules --config cfg.yml
expect_eq "list-rules" "acme-deploy-token ci-cd ACME deploy token" "$(grep '^acme-deploy' "$T/out" | tr -s ' ')"
! grep -q '^slack-bot-token ' "$T/out" || die "disabled rule listed"
# Baseline: what is known now is not reported again; a new one is.
run_rc "$LP" secrets --config cfg.yml --write-baseline base.json app
expect_eq "write exit" 1 "$rc"
expect_eq "baseline" "1 2" "$(jq -r '"\(.secrets | length) \(.exposures | length)"' base.json)"
run_rc "$LP" secrets --config cfg.yml --baseline base.json --format json app
expect_eq "all known exit" 0 "$rc"
expect_eq "all known" "0 0 3" "$(jqv '"\(.summary.secrets) \(.summary.exposures) \(.summary.baselined)"')"
printf 'NEW=acmedt_m1n2b3v4c5x6z7l8k9j0h1g2f3d4s5a6\n' >>app/deploy.env
run_rc "$LP" secrets --config cfg.yml --baseline base.json app
expect_eq "new exit" 1 "$rc"
expect_eq "new" "app/deploy.env:6:5  acme-deploy-token  acmedt_********  (ACME deploy token, high, entropy 4.8)" \
    "$(head -n 1 "$T/out")"
expect_eq "text baselined" "         3 more already in the baseline" "$(sed -n 3p "$T/out")"
# scan --secrets takes the same configuration and baseline. The baseline
# was made under the user's key: the registry is made with that key, as a
# team shares one (docs/SECRETS.md).
mkdir "$T/reg"
install -m 600 "$T/config/leakprint/secrets.key" "$T/reg/secrets.key"
"$LP" add -q --name gw "$FIX/proj"
run_rc "$LP" scan --secrets --config cfg.yml --baseline base.json --format json app
expect_eq "scan secrets" "acme-deploy-token:6" "$(jqv '[.secrets[] | "\(.rule):\(.line)"] | join(" ")')"
run_rc "$LP" scan --config cfg.yml app
expect_eq "scan config alone" 2 "$rc"
expect_one_line_error "scan: --config, --baseline and --write-baseline go with --secrets"
# No value anywhere: outputs, the baseline.
for f in "$T"/out "$T"/err base.json; do
    ! grep -q 'acmedt_q8w7e6r5t4y3\|4eC39HqLyjWDarjtT1zdp7dc' "$f" || die "value in $f"
done
# Mistakes are one line naming the file and line.
printf 'allow:\n  path: [x]\n' >bad.yml
run_rc "$LP" secrets --config bad.yml app
expect_eq "bad exit" 2 "$rc"
expect_one_line_error "'bad.yml': line 2: allow: unknown key 'path' \\(paths, regexes, stopwords\\)$"
printf 'disable: [no-such-rule]\n' >bad.yml
run_rc "$LP" secrets --config bad.yml app
expect_one_line_error "'bad.yml': disable: no rule 'no-such-rule' \\(see leakprint secrets --list-rules\\)$"
printf 'rules:\n  - {id: x, regex: "a(b"}\n' >bad.yml
run_rc "$LP" secrets --config bad.yml app
expect_eq "bad regex exit" 2 "$rc"
grep -q "^leakprint: 'bad.yml': rule 'x': pcre2: missing closing parenthesis" "$T/err" || die "bad regex: $(cat "$T/err")"
run_rc "$LP" secrets --config missing.yml app
expect_one_line_error "'missing.yml': No such file or directory"
run_rc "$LP" secrets --baseline app/deploy.env app
expect_eq "bad baseline exit" 2 "$rc"
expect_one_line_error "'app/deploy.env': line 1: '\\[' or '\\{' expected near 'ACME'$"
