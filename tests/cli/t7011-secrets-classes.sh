#!/usr/bin/env bash
# secrets (issue 15, points 13 and 14): what is no secret is not reported,
# and the formats the labelled corpus missed are found. Every value here is
# made up for this test.
#  14a a token's shape with a bad checksum: no rule reports it, not even a
#      generic assignment naming a token;
#  14b vendors' documented example keys; 14c AES test vectors (FIPS-197,
#      SP 800-38A); 14d public identifiers (Stripe publishable keys, Google
#      OAuth client ids, AWS account ids, a Sentry DSN: an exposure only).
#  13  wp-config.php keys, salts and password, .pgpass lines, PGPASSWORD=,
#      sqlcmd -P, .npmrc _auth, a base64-encoded PEM private key, AWS
#      secret keys after their key id, in core-site.xml, in `aws configure`.
. "$(dirname "$0")/lib.sh"
export XDG_CACHE_HOME=$T/cache XDG_CONFIG_HOME=$T/config
cd "$T"
mkdir neg pos
# ghp_ + 36 base62 characters whose last 6 are not the CRC32 of the 30
bad=ghp_Wq7zXk2mPq9vLz7tRw4nBy6cHd3fJs8gKa5e
cat >neg/app.env <<X
GITHUB_TOKEN=$bad
github_token: "$bad"
npm_token = "npm_Wq7zXk2mPq9vLz7tRw4nBy6cHd3fJs8gKa5e"
AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
STRIPE_SECRET_KEY=sk_test_4eC39HqLyjWDarjtT1zdp7dc
STRIPE_API_KEY=pk_live_51Hq7zXk2mPq9vLz7tRw4nBy6cHd3fJs8gK
STRIPE_PUBLISHABLE_KEY=pk_test_TYooMQauvdEDq54NiTphI7jx
aes_secret_key = "2b7e151628aed2a6abf7158809cf4f3c"
secret = "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4"
GOOGLE_CLIENT_ID=123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com
google_api_token: "123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com"
AWS_ACCOUNT_ID=123456789012
SENTRY_DSN=https://0000abcdef0123456789abcdef012345@o1.ingest.sentry.io/42
X
run_rc "$LP" secrets --format json neg
expect_eq "neg exit" 0 "$rc"
expect_eq "neg secrets" "" "$(jqv '.secrets[] | "\(.line) \(.rule)"')"
expect_eq "neg exposures" "14 sentry-dsn monitoring" \
    "$(jqv '.exposures[] | "\(.line) \(.rule) \(.type)"')"

cat >pos/wp-config.php <<'X'
<?php
define( 'DB_PASSWORD', 'Zq8#kLm2Vx9pTr4w' );
define( 'AUTH_KEY',         'k9#Vq2!mZ8p@Lr5$Tw1^Xy7&Bn3*Cd6(Ef4)Gh0_Ij-Kl+Mn=Op' );
define( 'NONCE_SALT',       'put your unique phrase here' );
X
printf 'db01.test:5432:shop:app:Hy7kPq2mZx9vLw4t\n*:*:*:postgres:Tr8nBv3cXz6mQw1e\n' >pos/.pgpass
cat >pos/deploy.sh <<'X'
PGPASSWORD=Hy7kPq2mZx9vLw4u psql -h db01 -U app shop
sqlcmd -S db01 -U sa -P 'Wq3eRt5yUi7oPa9s' -Q "select 1"
X
printf 'registry=https://npm.test/\n_auth=Y2k6Rzd2UXAybUt4OXpMNHR3\n' >pos/.npmrc
# a made-up EC key block, base64-encoded whole as an env variable holds it
key=$(printf -- '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIFAKE0000KEYqPz7vW2mL9sXr4tN8bYc3dFh6jKwQoAoGCCqGSM49\nAwEHoUQDQgAEFAKE0000gtD7fGUOv8fwNfBb0jXxUJR4QQAAabVVloZaXZxmCu\n-----END EC PRIVATE KEY-----\n' | base64 -w0)
printf 'TLS_KEY=%s\n' "$key" >pos/tls.env
# AWS secret keys where no generic rule looks: a positional argument after
# the key id, Hadoop's core-site.xml, `aws configure set`
cat >pos/Aws.java <<'X'
AWSCredentials c = new BasicAWSCredentials("AKIAZQ3MV7XK2LWN4PRS", "Zk3mQ9vLx7tRw4nBy6cHd3fJs8gKa5eP2oU1iY0A");
X
cat >pos/core-site.xml <<'X'
<configuration>
  <property><name>fs.s3a.secret.key</name><value>Zk3mQ9vLx7tRw4nBy6cHd3fJs8gKa5eP2oU1iY0B</value></property>
</configuration>
X
printf 'aws configure set aws_secret_access_key Zk3mQ9vLx7tRw4nBy6cHd3fJs8gKa5eP2oU1iY0C\n' >pos/setup.sh
run_rc "$LP" secrets --format json pos
expect_eq "pos exit" 1 "$rc"
expect_eq "pos secrets" ".npmrc:2 npmrc-auth ********
.pgpass:1 pgpass-password ********
.pgpass:2 pgpass-password ********
Aws.java:1 aws-access-key-id AKIA********
Aws.java:1 aws-secret-after-key-id ********
core-site.xml:2 hadoop-s3a-secret-key ********
deploy.sh:1 db-password-env ********
deploy.sh:2 sqlcmd-password ********
setup.sh:1 aws-secret-access-key ********
tls.env:1 base64-pem-private-key LS0tLS1CRUdJTi********
wp-config.php:2 php-define-password ********
wp-config.php:3 wordpress-auth-key ********" \
    "$(jqv '.secrets[] | "\(.path | sub("^pos/"; "")):\(.line) \(.rule) \(.masked)"' | sort)"
for v in Zq8#kLm2 Hy7kPq2m Wq3eRt5y Y2k6Rzd2 Tr8nBv3c Zk3mQ9vL; do
    ! grep -q -- "$v" "$T/out" "$T/err" || die "the report shows part of a value: $v"
done
end_test
