#!/usr/bin/env bash
# secrets --list-rules: text or, with --format json, a document of
# docs/schema/rules.schema.json; a configuration that adds a rule and turns
# one off changes the list, and a run's rule count and rules are that list.
. "$(dirname "$0")/lib.sh"
export XDG_CACHE_HOME=$T/cache
cd "$T"
run_rc "$LP" secrets --list-rules
expect_eq "text exit" 0 "$rc"
builtin=$(wc -l <"$T/out")
awk '{ print $1 }' "$T/out" >ids.txt
run_rc "$LP" secrets --list-rules --format json
expect_eq "json exit" 0 "$rc"
expect_eq "json = text" "$(cat ids.txt)" "$(jqv '.rules[].id')"
expect_eq "json first" "aws-access-key-id cloud-credential AWS access key ID" \
    "$(jqv '.rules[0] | "\(.id) \(.category) \(.format)"')"
run_rc "$LP" secrets --list-rules --format sarif
expect_eq "sarif exit" 2 "$rc"
expect_one_line_error "^leakprint: 'sarif': --list-rules writes text or json$"
cat >cfg.yml <<'X'
disable: [slack-bot-token]
rules:
  - id: acme-deploy-token
    format: ACME deploy token
    regex: 'acmedt_[a-z0-9]{32}'
X
run_rc "$LP" secrets --list-rules --format json --config cfg.yml -o rules.json
expect_eq "config exit" 0 "$rc"
expect_eq "config count" "$builtin" "$(jq '.rules | length' rules.json)"
expect_eq "config added" "acme-deploy-token custom ACME deploy token" \
    "$(jq -r '.rules[-1] | "\(.id) \(.category) \(.format)"' rules.json)"
expect_eq "config disabled" "0" "$(jq '[.rules[] | select(.id == "slack-bot-token")] | length' rules.json)"
# A run under that configuration counts and names the same rules.
mkdir app
printf 'ACME=acmedt_q8w7e6r5t4y3u2i1o0p9a8s7d6f5g4h3\n' >app/a.env
run_rc "$LP" secrets --config cfg.yml --format json app
expect_eq "run exit" 1 "$rc"
expect_eq "run rules" "$builtin" "$(jqv .summary.rules)"
run_rc "$LP" secrets --config cfg.yml --format jsonl app
expect_eq "run rules named" "$(jq -r '.rules[].id' rules.json)" \
    "$(tail -n 1 "$T/out" | jq -r '.rules[].id')"
run_rc "$LP" secrets --config cfg.yml app
expect_eq "text count" "SECRETS  1 found, and 0 exposures, in 1 file ($builtin rules)" \
    "$(grep '^SECRETS' "$T/out")"
# Disabling a built-in rule and defining one of the same id replaces it
# (disable names built-in rules): the list and a run count it once.
cat >replace.yml <<'X'
disable: [github-pat]
rules:
  - id: github-pat
    format: ACME's GitHub token
    regex: 'ghp_[A-Za-z0-9]{36}'
X
run_rc "$LP" secrets --list-rules --format json --config replace.yml
expect_eq "replace exit" 0 "$rc"
expect_eq "replace count" "$builtin" "$(jqv '.rules | length')"
expect_eq "replace rule" "github-pat custom ACME's GitHub token" \
    "$(jqv '[.rules[] | select(.id == "github-pat")] | map("\(.id) \(.category) \(.format)") | join("|")')"
run_rc "$LP" secrets --config replace.yml --format json app
expect_eq "replace run rules" "$builtin" "$(jqv .summary.rules)"
# A configuration a run refuses, --list-rules refuses alike.
printf 'rules:\n  - {id: github-pat, regex: "ghp_[A-Za-z0-9]{36}"}\n' >twice.yml
for args in "--list-rules" "app"; do
    run_rc "$LP" secrets --config twice.yml $args
    expect_eq "twice exit ($args)" 2 "$rc"
    expect_one_line_error "^leakprint: 'twice.yml': rule 'github-pat' is defined twice$"
done
