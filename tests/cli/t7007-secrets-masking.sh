#!/usr/bin/env bash
# secrets (issue 14, point 2): a masked value shows at most its format's
# public prefix, then always 8 '*': no other character of the value, and
# not its length (a password of 8 characters and one of 40 look alike).
. "$(dirname "$0")/lib.sh"
export XDG_CACHE_HOME=$T/cache XDG_CONFIG_HOME=$T/config
cd "$T"
mkdir app
pw8=Xq7Lm29p
pw40=P4ssw0rd-Zk81-Qv73-Hm55-Tr0x-Lb62-Wc9rd
{
    printf 'AWS_ACCESS_KEY_ID=AKIAZZZZ2222EXAMPLEX\n'
    printf 'token: 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\n'
    printf 'password = "%s"\n' "$pw8"
    printf 'password = "%s"\n' "$pw40"
} >app/conf.env
run_rc "$LP" secrets --format json app
expect_eq "exit" 1 "$rc"
expect_eq "masked" "aws-access-key-id AKIA********|github-pat ghp_********|generic-password-quoted ********|generic-password-quoted ********" \
    "$(jqv '[.secrets[] | "\(.rule) \(.masked)"] | join("|")')"
run_rc "$LP" secrets app
expect_eq "text" "app/conf.env:3:13  generic-password-quoted  ********  (password assignment, quoted (code, JSON, YAML, XML attribute), medium, entropy 3.0)" \
    "$(sed -n 3p "$T/out")"
# no output holds a character of a value beyond the public prefix
for fmt in text json jsonl sarif; do
    run_rc "$LP" secrets --format $fmt app
    for v in ZZZZ2222 WCzAEXAM HHk4QbneI "$pw8" Zk81-Qv73; do
        ! grep -q -- "$v" "$T/out" "$T/err" || die "$fmt shows part of a value: $v"
    done
done
end_test
