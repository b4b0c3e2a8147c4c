/* SPDX-License-Identifier: Apache-2.0
 *
 * rules_generic: the built-in secret rules of part B (issue 5): private key
 * blocks, JWTs, database and basic-auth URLs, password hashes (htpasswd,
 * shadow), Kubernetes and Docker credentials, .netrc, command lines that
 * carry passwords, and generic password/secret/token assignments.
 *
 * Invariants every rule keeps (tests/unit/test_rules_generic.c checks them):
 * - `hs` and `pcre` end at the same byte. A value that is not closed by a
 *   quote ends with a one-byte terminator outside its charset, or with the
 *   end of the data (\z), or with \b when the charset is word characters:
 *   so Hyperscan, which has no start of match, reports one end per
 *   candidate and never one inside a longer run.
 * - Values that may be placeholders or variable references carry
 *   LP_RULE_GENERIC and a min_entropy; their charset refuses a first byte
 *   of "$", "<", "{" or "%" so "${API_KEY}", "<token>" and "%(pw)s" never
 *   match at all.
 * - Key blocks (LP_RULE_MULTILINE) match the END line in Hyperscan; PCRE2
 *   reaches back to the BEGIN line through a body that cannot contain the
 *   five dashes of another armour line, so one block never swallows two.
 * All example values are made up.
 */
#include <stddef.h>

#include "rules.h"

#include "banned.h"

/* The terminators that close an unquoted value (see the header comment). */
#define T_B64 "(?:[^A-Za-z0-9+/=]|\\z)"
#define T_B64URL "(?:[^A-Za-z0-9_\\-]|\\z)"
#define T_SPACE "(?:\\s|\\z)"
#define T_WORD "(?:[\\s\"'&;]|\\z)"
#define T_EOL "[ \\t]*(?:\\r?\\n|\\z)"

/* A PEM armour: Hyperscan finds the END line, PCRE2 the whole block. A
 * dash is allowed in the body (DEK-Info: AES-128-CBC) unless four more
 * follow it. The body is taken in possessive runs, not byte by byte: a
 * one-byte alternation under `+` keeps a backtracking frame per byte and
 * overflows PCRE2's JIT stack (32 KiB by default) on a 2048-bit RSA key,
 * which was then silently not found (bench/secrets). */
#define PEM_HS(label) "-----END " label "-----"
#define PEM_PCRE(label)                                                      \
    "(?s)(?<secret>-----BEGIN " label "-----"                                \
    "(?:[^-]++|-(?!----))++-----END " label "-----)"

/* Made-up base64 lines shared by the key examples. */
#define B64_L1 "gtD7fGUOv8fwNfBb0jXxUJR4QQAAabVVloZaXZxmCu1VShIqmArIntn9oX98WHgC"
#define B64_L2 "tzC1uwB5FXZPf7stg7NvlE3LaruSrjLnonWKTn9UGKzEesg61SHE/qaQQ0NV3vTH"
#define B64_L3 "1lS6V6+o9jl8zSOwW/rXL+iuItEnuj+hlrWB8gpj"
#define PEM_EXAMPLE(label, first)                                            \
    "-----BEGIN " label "-----\n" first "EXAMPLE0000" B64_L1 "\n" B64_L2      \
    "\n" B64_L3 "==\n-----END " label "-----"

/* A URL credential "scheme://user:password@": the password is the value. */
#define URL_HS(scheme)                                                       \
    scheme "://[^\\s:@/'\"]{0,64}:[^\\s$<{%@/'\"][^\\s@/'\"]{2,127}@"
#define URL_PCRE(scheme)                                                     \
    scheme "://[^\\s:@/'\"]{0,64}:(?<secret>[^\\s$<{%@/'\"][^\\s@/'\"]{2,127})@"

/* Generic assignments. KEY is a keyword alternation, lower case (the rules
 * are caseless). Quoted: `key = "v"`, `"key": "v"`, `key: 'v'`, `key := "v"`,
 * `'key' => 'v'`, `key="v"` (XML attributes too). Unquoted: `KEY=v` (.env,
 * properties), `key: v` (YAML), `key = v` (INI), the value running to the
 * end of the line. */
#define GQ_SEP "[a-z0-9_.\\-]{0,32}[\"']?[ \\t]{0,4}(?::=|=>|[:=])[ \\t]{0,4}"
#define GQ_FIRST "[^\"'\\s$<{%\\\\*`]"
#define GQ_HS(key, rest) key GQ_SEP "[\"']" GQ_FIRST "[^\"'\\r\\n]" rest "[\"']"
#define GQ_PCRE(key, look, rest)                                             \
    key GQ_SEP "[\"'](?<secret>" look GQ_FIRST "[^\"'\\r\\n]" rest ")[\"']"
#define GU_SEP "[a-z0-9_.\\-]{0,32}[ \\t]{0,4}[:=][ \\t]{0,4}"
#define GU_FIRST "[^\\s\"'$<>{}()`;,\\\\*%|&!]"
#define GU_REST "[^\\s\"'$<>{}()`;,\\\\]"
#define GU_HS(key, rest) key GU_SEP GU_FIRST GU_REST rest T_EOL
/* An unquoted value must hold a digit or a symbol: `password = user.pw`
 * and `token: my_token_name` are code and names, not secrets. */
#define GU_LOOK "(?=\\S*[0-9!@#^*+=~/?])"
#define GU_PCRE(key, rest)                                                   \
    key GU_SEP "(?<secret>" GU_LOOK GU_FIRST GU_REST rest ")" T_EOL
/* Random keys and tokens nearly always hold a digit; names do not. */
#define DIGIT_LOOK "(?=[^\"'\\r\\n]*[0-9])"

#define K_PASSWORD "(?:password|passwd|passphrase)"
#define K_SECRET "secret"
#define K_APIKEY "api[_.\\-]?key"
#define K_TOKEN "token"
#define K_PRIVKEY "private[_.\\-]?key"

/* The base64 of a made-up PEM EC key, as kubeconfig files inline it. */
#define KUBE_KEY_B64 \
    "LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCk1IY0NBUUVFSUVYQU1QTEUwMD" \
    "AwS0VZcVB6N3ZXMm1MOXNYcjR0TjhiWWMzZEZoNmpLd1FvQW9HQ0NxR1NNNDkKQXdF" \
    "SG9VUURRZ0FFWEFNUExFMDAwMGd0RDdmR1VPdjhmd05mQmIwalh4VUpSNFFRQUFhYl" \
    "ZWbG9aYVhaeG1DdQoxVlNoSXFtQXJJbnRuOW9YOThXSGdDdHpDMXV3QjVGWFpQZjdz" \
    "dGc3TnZ3PT0KLS0tLS1FTkQgRUMgUFJJVkFURSBLRVktLS0tLQo="

/* The table is data: one initializer per rule, grouped by category. */
const struct lp_rule lp_rules_generic[] = {
    /* ---- private keys ---- */
    {
        .id = "pem-rsa-private-key",
        .format = "PEM RSA private key (PKCS#1, plain or RFC 1421 encrypted)",
        .category = "private-key",
        .hs = PEM_HS("RSA PRIVATE KEY"),
        .pcre = PEM_PCRE("RSA PRIVATE KEY"),
        .window = 16384, .min_len = 100, .max_len = 16384,
        .min_entropy = 4.0, .check = LP_CHECK_PEM,
        .flags = LP_RULE_MULTILINE,
        .positive = "key.pem:\n" PEM_EXAMPLE("RSA PRIVATE KEY",
                                             "MIIEowIBAAKCAQEA") "\n",
        .positive_value = PEM_EXAMPLE("RSA PRIVATE KEY", "MIIEowIBAAKCAQEA"),
        /* hs: no match (a public key) */
        .negative = "-----BEGIN RSA PUBLIC KEY-----\nMIIBCgKCAQEA" B64_L1
                    "\n-----END RSA PUBLIC KEY-----\n",
    },
    {
        .id = "pem-ec-private-key",
        .format = "PEM EC private key (SEC 1)",
        .category = "private-key",
        .hs = PEM_HS("EC PRIVATE KEY"),
        .pcre = PEM_PCRE("EC PRIVATE KEY"),
        .window = 16384, .min_len = 100, .max_len = 16384,
        .min_entropy = 4.0, .check = LP_CHECK_PEM,
        .flags = LP_RULE_MULTILINE,
        .positive = "const EC_KEY = `" PEM_EXAMPLE("EC PRIVATE KEY",
                                                   "MHcCAQEEI") "`;\n",
        .positive_value = PEM_EXAMPLE("EC PRIVATE KEY", "MHcCAQEEI"),
        /* hs matches; value too short (a documentation stub) */
        .negative = "-----BEGIN EC PRIVATE KEY-----\n...\n"
                    "-----END EC PRIVATE KEY-----\n",
    },
    {
        .id = "pem-dsa-private-key",
        .format = "PEM DSA private key",
        .category = "private-key",
        .hs = PEM_HS("DSA PRIVATE KEY"),
        .pcre = PEM_PCRE("DSA PRIVATE KEY"),
        .window = 16384, .min_len = 100, .max_len = 16384,
        .min_entropy = 4.0, .check = LP_CHECK_PEM,
        .flags = LP_RULE_MULTILINE,
        .positive = PEM_EXAMPLE("DSA PRIVATE KEY", "MIIBuwIBAAKBgQ") "\n",
        .positive_value = PEM_EXAMPLE("DSA PRIVATE KEY", "MIIBuwIBAAKBgQ"),
        /* hs: no match (a DSA parameters block) */
        .negative = "-----BEGIN DSA PARAMETERS-----\nMIIBHgKBgQ" B64_L1
                    "\n-----END DSA PARAMETERS-----\n",
    },
    {
        .id = "pem-pkcs8-private-key",
        .format = "PEM PKCS#8 private key",
        .category = "private-key",
        .hs = PEM_HS("PRIVATE KEY"),
        .pcre = PEM_PCRE("PRIVATE KEY"),
        .window = 16384, .min_len = 100, .max_len = 16384,
        .min_entropy = 4.0, .check = LP_CHECK_PEM,
        .flags = LP_RULE_MULTILINE,
        .positive = "private_key.pem: |\n" PEM_EXAMPLE(
            "PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC") "\n",
        .positive_value =
            PEM_EXAMPLE("PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"),
        /* hs: no match (a certificate) */
        .negative = "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIE" B64_L1
                    "\n-----END CERTIFICATE-----\n",
    },
    {
        .id = "pem-encrypted-pkcs8-private-key",
        .format = "PEM encrypted PKCS#8 private key",
        .category = "private-key",
        .hs = PEM_HS("ENCRYPTED PRIVATE KEY"),
        .pcre = PEM_PCRE("ENCRYPTED PRIVATE KEY"),
        .window = 16384, .min_len = 100, .max_len = 16384,
        .min_entropy = 4.0, .check = LP_CHECK_PEM,
        .flags = LP_RULE_MULTILINE,
        .positive = PEM_EXAMPLE("ENCRYPTED PRIVATE KEY",
                                "MIIFHDBOBgkqhkiG9w0BBQ0wQTAp") "\n",
        .positive_value = PEM_EXAMPLE("ENCRYPTED PRIVATE KEY",
                                      "MIIFHDBOBgkqhkiG9w0BBQ0wQTAp"),
        /* hs matches; PCRE2: the BEGIN line disagrees, no match */
        .negative = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0B" B64_L1
                    "\n-----END ENCRYPTED PRIVATE KEY-----\n",
    },
    {
        .id = "openssh-private-key",
        .format = "OpenSSH private key",
        .category = "private-key",
        .hs = PEM_HS("OPENSSH PRIVATE KEY"),
        .pcre = PEM_PCRE("OPENSSH PRIVATE KEY"),
        .window = 16384, .min_len = 100, .max_len = 16384,
        .min_entropy = 4.0, .check = LP_CHECK_PEM,
        .flags = LP_RULE_MULTILINE,
        .positive = "cat > ~/.ssh/id_ed25519 <<EOF\n" PEM_EXAMPLE(
            "OPENSSH PRIVATE KEY", "b3BlbnNzaC1rZXktdjEAAAAA") "\nEOF\n",
        .positive_value = PEM_EXAMPLE("OPENSSH PRIVATE KEY",
                                      "b3BlbnNzaC1rZXktdjEAAAAA"),
        /* hs: no match (a public key line) */
        .negative = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLE0000" B64_L3
                    " ci@example.com\n",
    },
    {
        .id = "ssh2-encrypted-private-key",
        .format = "SSH2 (RFC 4716 style) encrypted private key",
        .category = "private-key",
        .hs = "---- END SSH2 ENCRYPTED PRIVATE KEY ----",
        .pcre = "(?s)(?<secret>---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----"
                "(?:[^-]++|-(?!---))++---- END SSH2 ENCRYPTED PRIVATE KEY ----)",
        .window = 16384, .min_len = 100, .max_len = 16384,
        .min_entropy = 4.0, .check = LP_CHECK_NONE,
        .flags = LP_RULE_MULTILINE,
        .positive = "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\n"
                    "Comment: \"rsa-key-20240101\"\nP2/56wAAAi4AAAA3EXAMPLE0000"
                    B64_L1 "\n" B64_L2 "\n"
                    "---- END SSH2 ENCRYPTED PRIVATE KEY ----\n",
        .positive_value = "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\n"
                          "Comment: \"rsa-key-20240101\"\nP2/56wAAAi4AAAA3"
                          "EXAMPLE0000" B64_L1 "\n" B64_L2 "\n"
                          "---- END SSH2 ENCRYPTED PRIVATE KEY ----",
        /* hs: no match (the public key of the same format) */
        .negative = "---- BEGIN SSH2 PUBLIC KEY ----\nAAAAB3NzaC1yc2E" B64_L1
                    "\n---- END SSH2 PUBLIC KEY ----\n",
    },
    {
        .id = "putty-private-key",
        .format = "PuTTY private key file (PPK v2/v3)",
        .category = "private-key",
        /* The MAC line closes the file: 40 hex digits (v2, HMAC-SHA-1) or
         * 64 (v3, HMAC-SHA-256). */
        .hs = "Private-MAC: [0-9a-f]{40}(?:[0-9a-f]{24})?(?:[^0-9a-f]|\\z)",
        .pcre = "(?s)(?<secret>PuTTY-User-Key-File-[23]: "
                "(?:[^P]|P(?!uTTY-User-Key-File-))+?"
                "Private-MAC: [0-9a-f]{40}(?:[0-9a-f]{24})?)(?:[^0-9a-f]|\\z)",
        .window = 16384, .min_len = 120, .max_len = 16384,
        .min_entropy = 4.0, .check = LP_CHECK_NONE,
        .flags = LP_RULE_MULTILINE,
        .positive = "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\n"
                    "Comment: rsa-key-20240101\nPublic-Lines: 1\n"
                    "AAAAB3NzaC1yc2EAAAABJQAAAQEXAMPLE0000" B64_L3 "\n"
                    "Private-Lines: 2\n" B64_L1 "\n" B64_L2 "\n"
                    "Private-MAC: 572dd7df79d82a5d04395d6a3a21f42a6ec7f306\n",
        .positive_value =
            "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\n"
            "Comment: rsa-key-20240101\nPublic-Lines: 1\n"
            "AAAAB3NzaC1yc2EAAAABJQAAAQEXAMPLE0000" B64_L3 "\n"
            "Private-Lines: 2\n" B64_L1 "\n" B64_L2 "\n"
            "Private-MAC: 572dd7df79d82a5d04395d6a3a21f42a6ec7f306",
        /* hs: no match (the MAC is 39 hex digits) */
        .negative = "PuTTY-User-Key-File-2: ssh-rsa\nPrivate-Lines: 1\n"
                    B64_L1 "\nPrivate-MAC: "
                    "572dd7df79d82a5d04395d6a3a21f42a6ec7f30\n",
    },
    {
        .id = "pgp-private-key-block",
        .format = "OpenPGP armoured private key block",
        .category = "private-key",
        .hs = PEM_HS("PGP PRIVATE KEY BLOCK"),
        .pcre = PEM_PCRE("PGP PRIVATE KEY BLOCK"),
        .window = 16384, .min_len = 100, .max_len = 16384,
        .min_entropy = 4.0, .check = LP_CHECK_NONE,
        .flags = LP_RULE_MULTILINE,
        .positive = "-----BEGIN PGP PRIVATE KEY BLOCK-----\n"
                    "Comment: EXAMPLE 0000\n\nlQOYBGXAMPLE0000" B64_L1 "\n"
                    B64_L2 "\n=Ab0C\n-----END PGP PRIVATE KEY BLOCK-----\n",
        .positive_value = "-----BEGIN PGP PRIVATE KEY BLOCK-----\n"
                          "Comment: EXAMPLE 0000\n\nlQOYBGXAMPLE0000" B64_L1
                          "\n" B64_L2
                          "\n=Ab0C\n-----END PGP PRIVATE KEY BLOCK-----",
        /* hs: no match (a public key block) */
        .negative = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGXAMPLE"
                    B64_L1 "\n-----END PGP PUBLIC KEY BLOCK-----\n",
    },
    {
        .id = "age-secret-key",
        .format = "age secret key",
        .category = "private-key",
        /* "AGE-SECRET-KEY-1" then 58 upper-case bech32 characters. */
        .hs = "AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}\\b",
        .pcre = "(?<secret>AGE-SECRET-KEY-1"
                "[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\\b",
        .window = 0, .min_len = 74, .max_len = 74,
        .min_entropy = 4.0, .check = LP_CHECK_NONE, .flags = 0,
        .positive = "SOPS_AGE_KEY=AGE-SECRET-KEY-1AJKK3K6KTUH4F2VH7J9626N3PV2"
                    "UTWTZ7W2RG85T7VZ6AKCYD0HQKE368H\n",
        .positive_value = "AGE-SECRET-KEY-1AJKK3K6KTUH4F2VH7J9626N3PV2UTWTZ7W2"
                          "RG85T7VZ6AKCYD0HQKE368H",
        /* hs: no match ("B", "I", "O" are not bech32; 57 characters) */
        .negative = "SOPS_AGE_KEY=AGE-SECRET-KEY-1BIOK3K6KTUH4F2VH7J9626N3PV2"
                    "UTWTZ7W2RG85T7VZ6AKCYD0HQKE368\n",
    },

    /* ---- tokens ---- */
    {
        .id = "jwt",
        .format = "JSON Web Token",
        .category = "token",
        .hs = "eyJ[A-Za-z0-9_\\-]{8,}\\.eyJ[A-Za-z0-9_\\-]{8,}\\."
              "[A-Za-z0-9_\\-]{16,}" T_B64URL,
        .pcre = "(?<secret>eyJ[A-Za-z0-9_\\-]{8,}\\.eyJ[A-Za-z0-9_\\-]{8,}\\."
                "[A-Za-z0-9_\\-]{16,})" T_B64URL,
        .window = 4096, .min_len = 40, .max_len = 4096,
        .min_entropy = 4.0, .check = LP_CHECK_JWT, .flags = 0,
        .positive = "const session = \"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
                    "eyJzdWIiOiJleGFtcGxlLTAwMDAiLCJuYW1lIjoiVGVzdCBVc2VyIiwia"
                    "WF0IjoxNTE2MjM5MDIyfQ.8CGUy3EbD103wBVrSmY2Jvby1YiR8ukAPV6"
                    "JJwE0TZC\";\n",
        .positive_value = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJleG"
                          "FtcGxlLTAwMDAiLCJuYW1lIjoiVGVzdCBVc2VyIiwiaWF0Ijox"
                          "NTE2MjM5MDIyfQ.8CGUy3EbD103wBVrSmY2Jvby1YiR8ukAPV6"
                          "JJwE0TZC",
        /* hs: no match (an unsigned "alg":"none" token has no signature) */
        .negative = "token = \"eyJhbGciOiJub25lIn0.eyJzdWIiOiJleGFtcGxlIn0.\"\n",
    },
    {
        .id = "bearer-token-header",
        .format = "Authorization: Bearer header",
        .category = "token",
        .hs = "authorization[\"']?[ \\t]{0,4}[:=][ \\t]{0,4}[\"']?bearer"
              "[ \\t]{1,4}[a-z0-9._~+/\\-]{16,}={0,2}"
              "(?:[^a-z0-9._~+/=\\-]|\\z)",
        .pcre = "authorization[\"']?[ \\t]{0,4}[:=][ \\t]{0,4}[\"']?bearer"
                "[ \\t]{1,4}(?<secret>[a-z0-9._~+/\\-]{16,}={0,2})"
                "(?:[^a-z0-9._~+/=\\-]|\\z)",
        .window = 2048, .min_len = 16, .max_len = 2048,
        .min_entropy = 3.5, .check = LP_CHECK_NONE,
        .flags = LP_RULE_CASELESS | LP_RULE_GENERIC,
        .positive = "curl -H \"Authorization: Bearer "
                    "Li2Y27PFcWIzFA0xJXzBBQjd9Y3hFDNMzcAehF9R\" "
                    "https://api.example.com/v1/items\n",
        .positive_value = "Li2Y27PFcWIzFA0xJXzBBQjd9Y3hFDNMzcAehF9R",
        /* hs: no match (a shell variable) */
        .negative = "curl -H \"Authorization: Bearer $API_TOKEN\" "
                    "https://api.example.com/v1/items\n",
    },
    {
        .id = "basic-auth-header",
        .format = "Authorization: Basic header",
        .category = "password",
        .hs = "authorization[\"']?[ \\t]{0,4}[:=][ \\t]{0,4}[\"']?basic"
              "[ \\t]{1,4}[a-z0-9+/]{8,}={0,2}" T_B64,
        .pcre = "authorization[\"']?[ \\t]{0,4}[:=][ \\t]{0,4}[\"']?basic"
                "[ \\t]{1,4}(?<secret>[a-z0-9+/]{8,}={0,2})" T_B64,
        .window = 1024, .min_len = 8, .max_len = 1024,
        .min_entropy = 3.0, .check = LP_CHECK_NONE,
        .flags = LP_RULE_CASELESS | LP_RULE_GENERIC,
        .positive = "headers = {\"Authorization\": \"Basic "
                    "Y2ktYm90OlhxN3ZQejJtSzlzTHc0\"}\n",
        .positive_value = "Y2ktYm90OlhxN3ZQejJtSzlzTHc0",
        /* hs: no match (a string concatenation, no value) */
        .negative = "headers = {\"Authorization\": \"Basic \" + creds}\n",
    },
    {
        .id = "curl-user-password",
        .format = "curl -u/--user user:password",
        .category = "password",
        .hs = "curl[ \\t][^\\r\\n]{0,512}(?:-u|--user)(?:[ \\t]{1,4}|=)[\"']?"
              "[^\\s:\"'$<{]{1,64}:[^\\s\"'$<{%][^\\s\"']{2,127}" T_WORD,
        .pcre = "curl[ \\t][^\\r\\n]{0,512}(?:-u|--user)(?:[ \\t]{1,4}|=)"
                "[\"']?[^\\s:\"'$<{]{1,64}:"
                "(?<secret>[^\\s\"'$<{%][^\\s\"']{2,127})" T_WORD,
        .window = 1024, .min_len = 3, .max_len = 128,
        .min_entropy = 2.5, .check = LP_CHECK_NONE,
        .flags = LP_RULE_GENERIC,
        .positive = "curl -sS -u deploy:Xq7vPz2mK9sLw4 "
                    "https://ci.example.com/job/build\n",
        .positive_value = "Xq7vPz2mK9sLw4",
        /* hs: no match (variables) */
        .negative = "curl -sS -u \"$CI_USER:$CI_PASSWORD\" "
                    "https://ci.example.com/job/build\n",
    },
    {
        .id = "curl-header-api-key",
        .format = "curl -H API key header",
        .category = "token",
        .hs = "(?:-H|--header)[ \\t]{1,4}[\"']?(?i:x-api-key|api-key|apikey|"
              "x-auth-token|private-token|x-access-token|x-api-token)"
              "[ \\t]{0,4}:[ \\t]{0,4}[^\\s\"'$<{%][^\\s\"']{11,255}" T_WORD,
        .pcre = "(?:-H|--header)[ \\t]{1,4}[\"']?(?i:x-api-key|api-key|apikey|"
                "x-auth-token|private-token|x-access-token|x-api-token)"
                "[ \\t]{0,4}:[ \\t]{0,4}"
                "(?<secret>[^\\s\"'$<{%][^\\s\"']{11,255})" T_WORD,
        .window = 1024, .min_len = 12, .max_len = 256,
        .min_entropy = 3.3, .check = LP_CHECK_NONE,
        .flags = LP_RULE_GENERIC,
        .positive = "curl -H 'X-API-Key: Li2Y27PFcWIzFA0xJXzBBQjd' "
                    "https://api.example.com/v2/reports\n",
        .positive_value = "Li2Y27PFcWIzFA0xJXzBBQjd",
        /* hs: no match (a template reference) */
        .negative = "curl -H 'X-API-Key: {{api_key}}' "
                    "https://api.example.com/v2/reports\n",
    },

    /* ---- databases and URLs ---- */
    {
        .id = "postgres-url-password",
        .format = "PostgreSQL connection URL",
        .category = "database",
        .hs = URL_HS("postgres(?:ql)?(?:\\+[a-z0-9]{2,16})?"),
        .pcre = URL_PCRE("postgres(?:ql)?(?:\\+[a-z0-9]{2,16})?"),
        .window = 0, .min_len = 3, .max_len = 128,
        .min_entropy = 2.0, .check = LP_CHECK_NONE,
        .flags = LP_RULE_GENERIC,
        .positive = "DATABASE_URL=postgres://app:Xq7vPz2mK9sLw4@db.internal"
                    ":5432/app\n",
        .positive_value = "Xq7vPz2mK9sLw4",
        /* hs: no match (a variable reference) */
        .negative = "DATABASE_URL=postgres://app:${DB_PASSWORD}@db.internal"
                    ":5432/app\n",
    },
    {
        .id = "mysql-url-password",
        .format = "MySQL/MariaDB connection URL",
        .category = "database",
        .hs = URL_HS("(?:mysql|mysqlx|mariadb)(?:\\+[a-z0-9]{2,16})?"),
        .pcre = URL_PCRE("(?:mysql|mysqlx|mariadb)(?:\\+[a-z0-9]{2,16})?"),
        .window = 0, .min_len = 3, .max_len = 128,
        .min_entropy = 2.0, .check = LP_CHECK_NONE,
        .flags = LP_RULE_GENERIC,
        .positive = "SQLALCHEMY_DATABASE_URI = \"mysql+pymysql://web:"
                    "r7Kp2vXw9qLz@10.0.0.12/shop\"\n",
        .positive_value = "r7Kp2vXw9qLz",
        /* hs: no match (no password) */
        .negative = "SQLALCHEMY_DATABASE_URI = \"mysql+pymysql://web@10.0.0.12"
                    "/shop\"\n",
    },
    {
        .id = "mongodb-url-password",
        .format = "MongoDB connection URL",
        .category = "database",
        .hs = URL_HS("mongodb"),
        .pcre = URL_PCRE("mongodb"),
        .window = 0, .min_len = 3, .max_len = 128,
        .min_entropy = 2.0, .check = LP_CHECK_NONE,
        .flags = LP_RULE_GENERIC,
        .positive = "  uri: mongodb://admin:Mq8wZt4nR2xV@mongo-0.mongo:27017"
                    "/admin?replicaSet=rs0\n",
        .positive_value = "Mq8wZt4nR2xV",
        /* hs: no match (a template placeholder) */
        .negative = "  uri: mongodb://admin:<password>@mongo-0.mongo:27017"
                    "/admin\n",
    },
    {
        .id = "mongodb-srv-url-password",
        .format = "MongoDB SRV connection URL (mongodb+srv)",
        .category = "database",
        .hs = URL_HS("mongodb\\+srv"),
        .pcre = URL_PCRE("mongodb\\+srv"),
        .window = 0, .min_len = 3, .max_len = 128,
        .min_entropy = 2.0, .check = LP_CHECK_NONE,
        .flags = LP_RULE_GENERIC,
        .positive = "client = MongoClient(\"mongodb+srv://svc:Tz4kW9pQ2mXr"
                    "@cluster0.ab1cd.mongodb.net/prod\")\n",
        .positive_value = "Tz4kW9pQ2mXr",
        /* hs: no match (a Python format field) */
        .negative = "client = MongoClient(\"mongodb+srv://svc:%(pw)s"
                    "@cluster0.ab1cd.mongodb.net/prod\")\n",
    },
    {
        .id = "redis-url-password",
        .format = "Redis connection URL",
        .category = "database",
        .hs = URL_HS("rediss?"),
        .pcre = URL_PCRE("rediss?"),
        .window = 0, .min_len = 3, .max_len = 128,
        .min_entropy = 2.0, .check = LP_CHECK_NONE,
        .flags = LP_RULE_GENERIC,
        .positive = "REDIS_URL=rediss://:Hk3vN8qZ2wLp@cache.internal:6380/0\n",
        .positive_value = "Hk3vN8qZ2wLp",
        /* hs: no match (no credentials) */
        .negative = "REDIS_URL=rediss://cache.internal:6380/0\n",
    },
    {
        .id = "amqp-url-password",
        .format = "AMQP (RabbitMQ) connection URL",
        .category = "database",
        .hs = URL_HS("amqps?"),
        .pcre = URL_PCRE("amqps?"),
        .window = 0, .min_len = 3, .max_len = 128,
        .min_entropy = 2.0, .check = LP_CHECK_NONE,
        .flags = LP_RULE_GENERIC,
        .positive = "broker_url = 'amqp://worker:Vb6xQ2pL9kZt@rabbit:5672//'\n",
        .positive_value = "Vb6xQ2pL9kZt",
        /* hs: no match (two characters are not a password) */
        .negative = "broker_url = 'amqp://worker:pw@rabbit:5672//'\n",
    },
    {
        .id = "ldap-url-password",
        .format = "LDAP URL with credentials",
        .category = "database",
        .hs = URL_HS("ldaps?"),
        .pcre = URL_PCRE("ldaps?"),
        .window = 0, .min_len = 3, .max_len = 128,
        .min_entropy = 2.0, .check = LP_CHECK_NONE,
        .flags = LP_RULE_GENERIC,
        .positive = "LDAP_URI=ldaps://binder:Jw5tR8mQ3xNc@ldap.corp.local:636\n",
        .positive_value = "Jw5tR8mQ3xNc",
        /* hs: no match (a Jinja placeholder) */
        .negative = "LDAP_URI=ldaps://binder:{{ ldap_pw }}@ldap.corp.local\n",
    },
    {
        .id = "basic-auth-url",
        .format = "URL with user:password (HTTP, FTP, git, ...)",
        .category = "password",
        .hs = URL_HS("(?:https?|ftps?|sftp|ssh|git|svn|smb|rsync|wss?)"),
        .pcre = URL_PCRE("(?:https?|ftps?|sftp|ssh|git|svn|smb|rsync|wss?)"),
        .window = 0, .min_len = 3, .max_len = 128,
        .min_entropy = 2.0, .check = LP_CHECK_NONE,
        .flags = LP_RULE_GENERIC,
        .positive = "index-url = https://ci-bot:Pz7qX2wK9mLv@pypi.internal"
                    "/simple\n",
        .positive_value = "Pz7qX2wK9mLv",
        /* hs: no match (a host and port, no user info) */
        .negative = "index-url = https://pypi.internal:8443/simple\n",
    },
    {
        .id = "jdbc-url-password",
        .format = "JDBC URL with password= parameter",
        .category = "database",
        .hs = "jdbc:[a-z0-9]{2,24}:[^\\s\"'<>]{1,256}[?&;:]password="
              "[^\\s\"'&;$<{%][^\\s\"'&;]{2,127}" T_WORD,
        .pcre = "jdbc:[a-z0-9]{2,24}:[^\\s\"'<>]{1,256}[?&;:]password="
                "(?<secret>[^\\s\"'&;$<{%][^\\s\"'&;]{2,127})" T_WORD,
        .window = 512, .min_len = 3, .max_len = 128,
        .min_entropy = 2.0, .check = LP_CHECK_NONE,
        .flags = LP_RULE_CASELESS | LP_RULE_GENERIC,
        .positive = "db.url=jdbc:sqlserver://sql01:1433;databaseName=erp;"
                    "user=erp_app;password=Gh4mK8zQ2vWx;encrypt=true\n",
        .positive_value = "Gh4mK8zQ2vWx",
        /* hs: no match (a Spring placeholder) */
        .negative = "db.url=jdbc:postgresql://pg:5432/erp?user=erp&"
                    "password=${DB_PASS}\n",
    },
    {
        .id = "jdbc-oracle-thin-password",
        .format = "Oracle JDBC thin URL user/password@",
        .category = "database",
        .hs = "jdbc:oracle:thin:[a-z0-9_$#]{1,30}/[^\\s\"'@/$<{%]"
              "[^\\s\"'@/]{2,127}@",
        .pcre = "jdbc:oracle:thin:[a-z0-9_$#]{1,30}/"
                "(?<secret>[^\\s\"'@/$<{%][^\\s\"'@/]{2,127})@",
        .window = 0, .min_len = 3, .max_len = 128,
        .min_entropy = 2.0, .check = LP_CHECK_NONE,
        .flags = LP_RULE_CASELESS | LP_RULE_GENERIC,
        .positive = "url = \"jdbc:oracle:thin:scott/Tg7wP3kX9mQz@//ora1:1521"
                    "/ORCL\"\n",
        .positive_value = "Tg7wP3kX9mQz",
        /* hs: no match (no credentials before "@") */
        .negative = "url = \"jdbc:oracle:thin:@//ora1:1521/ORCL\"\n",
    },
    {
        .id = "ado-connection-string-password",
        .format = "ADO.NET/ODBC connection string (Password=/Pwd=)",
        .category = "database",
        .hs = "(?:server|data source|host)=[^;\\r\\n\"']{1,128};"
              "[^\\r\\n\"']{0,256}(?:password|pwd)=[^;\\s\"'$<{%]"
              "[^;\\r\\n\"']{2,127}(?:[;\"']|\\z)",
        .pcre = "(?:server|data source|host)=[^;\\r\\n\"']{1,128};"
                "[^\\r\\n\"']{0,256}?(?:password|pwd)="
                "(?<secret>[^;\\s\"'$<{%][^;\\r\\n\"']{2,127})(?:[;\"']|\\z)",
        .window = 512, .min_len = 3, .max_len = 128,
        .min_entropy = 2.0, .check = LP_CHECK_NONE,
        .flags = LP_RULE_CASELESS | LP_RULE_GENERIC,
        .positive = "\"Default\": \"Server=sql01;Database=Erp;User Id=erp;"
                    "Password=Nw3qZ8vK2pLt;TrustServerCertificate=True\"\n",
        .positive_value = "Nw3qZ8vK2pLt",
        /* hs: no match (integrated security, no password) */
        .negative = "\"Default\": \"Server=sql01;Database=Erp;"
                    "Integrated Security=SSPI\"\n",
    },
    {
        .id = "ldap-bind-password",
        .format = "LDAP bind password (bindpw, ldap_default_authtok)",
        .category = "password",
        .hs = "(?:bindpw|bind_pw|bind_?password|ldap_default_authtok)"
              "[\"']?[ \\t]{0,4}[:= \\t][ \\t]{0,4}[\"']?[^\\s\"'$<{%]"
              "[^\\s\"']{2,127}" T_WORD,
        .pcre = "(?:bindpw|bind_pw|bind_?password|ldap_default_authtok)"
                "[\"']?[ \\t]{0,4}[:= \\t][ \\t]{0,4}[\"']?"
                "(?<secret>[^\\s\"'$<{%][^\\s\"']{2,127})" T_WORD,
        .window = 0, .min_len = 3, .max_len = 128,
        .min_entropy = 2.5, .check = LP_CHECK_NONE,
        .flags = LP_RULE_CASELESS | LP_RULE_GENERIC,
        .positive = "bindpw Qm4xT9vK2wZp\n",
        .positive_value = "Qm4xT9vK2wZp",
        /* hs: no match (a variable) */
        .negative = "bindpw $LDAP_BIND_PW\n",
    },

    /* ---- password hashes ---- */
    {
        .id = "htpasswd-apr1",
        .format = "htpasswd Apache MD5 ($apr1$)",
        .category = "password-hash",
        .hs = "[a-z0-9._@\\-]{1,64}:\\$apr1\\$[./0-9a-z]{1,8}\\$[./0-9a-z]{22}"
              T_SPACE,
        .pcre = "[a-z0-9._@\\-]{1,64}:(?<secret>\\$apr1\\$[./0-9a-z]{1,8}\\$"
                "[./0-9a-z]{22})" T_SPACE,
        .window = 0, .min_len = 29, .max_len = 37,
        .min_entropy = 3.5, .check = LP_CHECK_NONE,
        .flags = LP_RULE_CASELESS,
        .positive = "admin:$apr1$2aAZfZhE$pojvGIkxNF9g.kBdGdkqrQ\n",
        .positive_value = "$apr1$2aAZfZhE$pojvGIkxNF9g.kBdGdkqrQ",
        /* hs: no match (the hash is 21 characters) */
        .negative = "admin:$apr1$2aAZfZhE$pojvGIkxNF9g.kBdGdkqr\n",
    },
    {
        .id = "htpasswd-bcrypt",
        .format = "htpasswd bcrypt ($2y$)",
        .category = "password-hash",
        .hs = "[a-z0-9._@\\-]{1,64}:\\$2[aby]\\$[0-9]{2}\\$[./0-9a-z]{53}"
              T_SPACE,
        .pcre = "[a-z0-9._@\\-]{1,64}:(?<secret>\\$2[aby]\\$[0-9]{2}\\$"
                "[./0-9a-z]{53})" T_SPACE,
        .window = 0, .min_len = 60, .max_len = 60,
        .min_entropy = 4.0, .check = LP_CHECK_NONE,
        .flags = LP_RULE_CASELESS,
        .positive = "deploy:$2y$10$zZxklIVazUp0cbyYGx1DsTZ3Fm/xXTw2TyWHYZzwD0"
                    "EaYfZ1vgiE2\n",
        .positive_value = "$2y$10$zZxklIVazUp0cbyYGx1DsTZ3Fm/xXTw2TyWHYZzwD0"
                          "EaYfZ1vgiE2",
        /* hs: no match (a shadow line: ":" follows the hash) */
        .negative = "deploy:$2y$10$zZxklIVazUp0cbyYGx1DsTZ3Fm/xXTw2TyWHYZzwD0"
                    "EaYfZ1vgiE2:19700:0:99999:7:::\n",
    },
    {
        .id = "htpasswd-sha1",
        .format = "htpasswd SHA-1 ({SHA})",
        .category = "password-hash",
        .hs = "[a-z0-9._@\\-]{1,64}:\\{SHA\\}[a-z0-9+/]{27}=" T_SPACE,
        .pcre = "[a-z0-9._@\\-]{1,64}:(?<secret>\\{SHA\\}[a-z0-9+/]{27}=)"
                T_SPACE,
        .window = 0, .min_len = 33, .max_len = 33,
        .min_entropy = 4.0, .check = LP_CHECK_NONE,
        .flags = LP_RULE_CASELESS,
        .positive = "jenkins:{SHA}AYHpN2EH29r2xfPIZJfuIZsB3ZI=\n",
        .positive_value = "{SHA}AYHpN2EH29r2xfPIZJfuIZsB3ZI=",
        /* hs: no match (no padding: not a SHA-1 digest) */
        .negative = "jenkins:{SHA}AYHpN2EH29r2xfPIZJfuIZsB3Z\n",
    },
    {
        .id = "shadow-sha512crypt",
        .format = "/etc/shadow SHA-512 crypt ($6$)",
        .category = "password-hash",
        .hs = "[a-z_][a-z0-9_.\\-]{0,31}\\$?:\\$6\\$(?:rounds=[0-9]{1,9}\\$)?"
              "[./0-9A-Za-z]{1,16}\\$[./0-9A-Za-z]{86}:",
        .pcre = "[a-z_][a-z0-9_.\\-]{0,31}\\$?:(?<secret>\\$6\\$"
                "(?:rounds=[0-9]{1,9}\\$)?[./0-9A-Za-z]{1,16}\\$"
                "[./0-9A-Za-z]{86}):",
        .window = 0, .min_len = 91, .max_len = 120,
        .min_entropy = 4.0, .check = LP_CHECK_NONE, .flags = 0,
        .positive = "root:$6$wbGJxzeHq46RW861$eq6ny4DDQCFZsHLLoI6P3Bk7X5DnF/r9c"
                    "yyhj5FZHZQV6SUYFSjulKE0f829DuSlvxdB1l4HqQC8yPFkhSZegl:"
                    "19700:0:99999:7:::\n",
        .positive_value = "$6$wbGJxzeHq46RW861$eq6ny4DDQCFZsHLLoI6P3Bk7X5DnF/r9"
                          "cyyhj5FZHZQV6SUYFSjulKE0f829DuSlvxdB1l4HqQC8yPFkhSZ"
                          "egl",
        /* hs: no match (a locked account) */
        .negative = "root:!*:19700:0:99999:7:::\n",
    },
    {
        .id = "shadow-sha256crypt",
        .format = "/etc/shadow SHA-256 crypt ($5$)",
        .category = "password-hash",
        .hs = "[a-z_][a-z0-9_.\\-]{0,31}\\$?:\\$5\\$(?:rounds=[0-9]{1,9}\\$)?"
              "[./0-9A-Za-z]{1,16}\\$[./0-9A-Za-z]{43}:",
        .pcre = "[a-z_][a-z0-9_.\\-]{0,31}\\$?:(?<secret>\\$5\\$"
                "(?:rounds=[0-9]{1,9}\\$)?[./0-9A-Za-z]{1,16}\\$"
                "[./0-9A-Za-z]{43}):",
        .window = 0, .min_len = 48, .max_len = 80,
        .min_entropy = 4.0, .check = LP_CHECK_NONE, .flags = 0,
        .positive = "backup:$5$kFhZri2PLm6A22LN$N3yxg.qwaqdvvAMHI7jlwHUCXIYS2x"
                    "2gjc50uwHDdZu:19700:0:99999:7:::\n",
        .positive_value = "$5$kFhZri2PLm6A22LN$N3yxg.qwaqdvvAMHI7jlwHUCXIYS2x2g"
                          "jc50uwHDdZu",
        /* hs: no match (the hash is 42 characters) */
        .negative = "backup:$5$kFhZri2PLm6A22LN$N3yxg.qwaqdvvAMHI7jlwHUCXIYS2x"
                    "2gjc50uwHDdZ:19700:0:99999:7:::\n",
    },
    {
        .id = "shadow-yescrypt",
        .format = "/etc/shadow yescrypt ($y$)",
        .category = "password-hash",
        .hs = "[a-z_][a-z0-9_.\\-]{0,31}\\$?:\\$y\\$[./0-9A-Za-z]{1,16}\\$"
              "[./0-9A-Za-z]{1,86}\\$[./0-9A-Za-z]{43}:",
        .pcre = "[a-z_][a-z0-9_.\\-]{0,31}\\$?:(?<secret>\\$y\\$"
                "[./0-9A-Za-z]{1,16}\\$[./0-9A-Za-z]{1,86}\\$"
                "[./0-9A-Za-z]{43}):",
        .window = 0, .min_len = 50, .max_len = 160,
        .min_entropy = 4.0, .check = LP_CHECK_NONE, .flags = 0,
        .positive = "alice:$y$j9T$SI2N1R8nibLviY6vISKO3r$W.v5toJ32gA7Sy9w4T4zm"
                    "54Uotb42MKnMR8cB9I7P0s:19700:0:99999:7:::\n",
        .positive_value = "$y$j9T$SI2N1R8nibLviY6vISKO3r$W.v5toJ32gA7Sy9w4T4zm5"
                          "4Uotb42MKnMR8cB9I7P0s",
        /* hs: no match (no salt field) */
        .negative = "alice:$y$j9T$W.v5toJ32gA7Sy9w4T4zm54Uotb42MKnMR8cB9I7P0s"
                    ":19700:0:99999:7:::\n",
    },
    {
        .id = "shadow-bcrypt",
        .format = "/etc/shadow bcrypt ($2b$)",
        .category = "password-hash",
        .hs = "[a-z_][a-z0-9_.\\-]{0,31}\\$?:\\$2[aby]\\$[0-9]{2}\\$"
              "[./0-9A-Za-z]{53}:",
        .pcre = "[a-z_][a-z0-9_.\\-]{0,31}\\$?:(?<secret>\\$2[aby]\\$[0-9]{2}"
                "\\$[./0-9A-Za-z]{53}):",
        .window = 0, .min_len = 60, .max_len = 60,
        .min_entropy = 4.0, .check = LP_CHECK_NONE, .flags = 0,
        .positive = "bob:$2b$12$hyqkE/btQCFbx9VncEE8wT8qTX5zT4NYjA7pck.YE1sG0"
                    "4qWBkEd6:19700:0:99999:7:::\n",
        .positive_value = "$2b$12$hyqkE/btQCFbx9VncEE8wT8qTX5zT4NYjA7pck.YE1sG0"
                          "4qWBkEd6",
        /* hs: no match (an htpasswd line: nothing follows the hash) */
        .negative = "bob:$2b$12$hyqkE/btQCFbx9VncEE8wT8qTX5zT4NYjA7pck.YE1sG0"
                    "4qWBkEd6\n",
    },

    /* ---- Kubernetes, Docker, .netrc ---- */
    {
        .id = "kubernetes-secret-data",
        .format = "Kubernetes Secret manifest data: value",
        .category = "kubernetes",
        /* kind: Secret, then (bounded) a data: line, then an indented key
         * whose value is base64 (whole quanta). PCRE2 checks that the key
         * line belongs to the data: block. Two bounded gaps of 4096 bytes
         * fit the window and compile in about 0.5 s; a tighter form (each
         * line of the block indented) took 87 s. */
        .hs = "kind:[ \\t]{0,4}[\"']?Secret[\\s\\S]{0,4096}\\ndata:"
              "[\\s\\S]{0,4096}\\n[ \\t]{1,8}[A-Za-z0-9._\\-]{1,64}:[ \\t]{1,4}"
              "[\"']?(?:[A-Za-z0-9+/]{4}){2,}(?:[A-Za-z0-9+/]{2}==|"
              "[A-Za-z0-9+/]{3}=)?[\"']?" T_SPACE,
        .pcre = "kind:[ \\t]*[\"']?Secret[\"']?[ \\t]*\\r?\\n"
                "(?:(?!---|data:)[^\\n]*+\\n){0,64}+data:[ \\t]*\\r?\\n"
                "(?:[ \\t]+[^\\n]*+\\n){0,64}?[ \\t]+[A-Za-z0-9._\\-]{1,64}:"
                "[ \\t]+[\"']?(?<secret>(?:[A-Za-z0-9+/]{4}){2,}"
                "(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?)[\"']?" T_SPACE,
        .window = 8192, .min_len = 8, .max_len = 8192,
        .min_entropy = 3.0, .check = LP_CHECK_NONE,
        .flags = LP_RULE_MULTILINE,
        .positive = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n"
                    "type: Opaque\ndata:\n  username: YXBw\n"
                    "  password: Wng4IXFQMnZMbTkjclQ0dw==\n",
        .positive_value = "Wng4IXFQMnZMbTkjclQ0dw==",
        /* hs: no match (a ConfigMap) */
        .negative = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\n"
                    "data:\n  password: Wng4IXFQMnZMbTkjclQ0dw==\n",
    },
    {
        .id = "kubernetes-secret-stringdata",
        .format = "Kubernetes Secret manifest stringData: value",
        .category = "kubernetes",
        .hs = "kind:[ \\t]{0,4}[\"']?Secret[\\s\\S]{0,4096}\\nstringData:"
              "[\\s\\S]{0,4096}\\n[ \\t]{1,8}[A-Za-z0-9._\\-]{1,64}:"
              "[ \\t]{1,4}[\"']?[^\\s\"'$<{%#|>][^\\r\\n\"']{4,255}[\"']?" T_EOL,
        .pcre = "kind:[ \\t]*[\"']?Secret[\"']?[ \\t]*\\r?\\n"
                "(?:(?!---|stringData:)[^\\n]*+\\n){0,64}+stringData:[ \\t]*\\r?\\n"
                "(?:[ \\t]+[^\\n]*+\\n){0,64}?[ \\t]+[A-Za-z0-9._\\-]{1,64}:"
                "[ \\t]+[\"']?(?<secret>[^\\s\"'$<{%#|>][^\\r\\n\"']{4,255}?)"
                "[\"']?" T_EOL,
        .window = 8192, .min_len = 5, .max_len = 256,
        .min_entropy = 3.0, .check = LP_CHECK_NONE,
        .flags = LP_RULE_MULTILINE | LP_RULE_GENERIC,
        .positive = "kind: Secret\nmetadata:\n  name: api\nstringData:\n"
                    "  API_TOKEN: \"Zx8!qP2vLm9#rT4w\"\n",
        .positive_value = "Zx8!qP2vLm9#rT4w",
        /* hs: no match (a Helm template) */
        .negative = "kind: Secret\nmetadata:\n  name: api\nstringData:\n"
                    "  API_TOKEN: {{ .Values.apiToken | quote }}\n",
    },
    {
        .id = "kubeconfig-client-key-data",
        .format = "kubeconfig client-key-data",
        .category = "kubernetes",
        /* The base64 of a PEM key starts with the base64 of "-----BEGIN". */
        .hs = "client-key-data[\"']?:[ \\t]{0,4}[\"']?LS0tLS1CRUdJTi"
              "[A-Za-z0-9+/]{40,}={0,2}" T_B64,
        .pcre = "client-key-data[\"']?:[ \\t]{0,4}[\"']?"
                "(?<secret>LS0tLS1CRUdJTi[A-Za-z0-9+/]{40,}={0,2})" T_B64,
        .window = 8192, .min_len = 60, .max_len = 8192,
        .min_entropy = 4.0, .check = LP_CHECK_NONE, .flags = 0,
        .positive = "    client-key-data: " KUBE_KEY_B64 "\n",
        .positive_value = KUBE_KEY_B64,
        /* hs: no match (a file path instead of inline data) */
        .negative = "    client-key: /home/ci/.minikube/profiles/client.key\n",
    },
    {
        .id = "base64-pem-private-key",
        .format = "base64-encoded PEM private key (env, JSON, Secret data)",
        .category = "private-key",
        /* The base64 of "-----BEGIN" on one line; the check decodes the
         * head and wants a private key's BEGIN line (issue 15, point 13). */
        .hs = "LS0tLS1CRUdJTi[A-Za-z0-9+/]{120,}={0,2}" T_B64,
        .pcre = "(?<secret>LS0tLS1CRUdJTi[A-Za-z0-9+/]{120,}={0,2})" T_B64,
        .window = 8192, .min_len = 140, .max_len = 8192,
        .min_entropy = 4.0, .check = LP_CHECK_B64_PEM, .flags = 0,
        .positive = "{\"tls_key\": \"" KUBE_KEY_B64 "\"}\n",
        .positive_value = KUBE_KEY_B64,
        /* hs matches; the check: a certificate, not a key */
        .negative = "TLS_CERT=LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURkekND"
                    "QWwrZ0F3SUJBZ0lFWEFNUExFMDAwMGd0RDdmR1VPdjhmd05mQmIwalh4"
                    "VUpSNFFRQUFhYlZWbG9aYVhaeG1DdTFWU2hJcW1BckludG45b1g5OFdI"
                    "Z0MKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=\n",
    },
    {
        .id = "kubeconfig-user-token",
        .format = "kubeconfig user token",
        .category = "kubernetes",
        .hs = "user:[ \\t]*\\r?\\n[ \\t]{2,16}token:[ \\t]{1,4}[\"']?"
              "[A-Za-z0-9._~+/\\-]{20,}={0,2}(?:[^A-Za-z0-9._~+/=\\-]|\\z)",
        .pcre = "user:[ \\t]*\\r?\\n[ \\t]{2,16}token:[ \\t]{1,4}[\"']?"
                "(?<secret>[A-Za-z0-9._~+/\\-]{20,}={0,2})"
                "(?:[^A-Za-z0-9._~+/=\\-]|\\z)",
        .window = 4096, .min_len = 20, .max_len = 4096,
        .min_entropy = 3.5, .check = LP_CHECK_NONE,
        .flags = LP_RULE_MULTILINE | LP_RULE_GENERIC,
        .positive = "users:\n- name: admin\n  user:\n    token: "
                    "Li2Y27PFcWIzFA0xJXzBBQjd9Y3hFDNMzcAehF9R\n",
        .positive_value = "Li2Y27PFcWIzFA0xJXzBBQjd9Y3hFDNMzcAehF9R",
        /* hs: no match (an environment variable) */
        .negative = "users:\n- name: admin\n  user:\n    token: ${KUBE_TOKEN}\n",
    },
    {
        .id = "docker-config-auth",
        .format = "Docker config.json / .dockercfg auth",
        .category = "container-registry",
        .hs = "\"auth\"[ \\t\\r\\n]{0,16}:[ \\t\\r\\n]{0,16}\"[A-Za-z0-9+/]{8,}"
              "={0,2}\"",
        .pcre = "\"[^\"\\s]{1,256}\"[ \\t\\r\\n]{0,16}:[ \\t\\r\\n]{0,16}\\{"
                "[ \\t\\r\\n]{0,16}\"auth\"[ \\t\\r\\n]{0,16}:[ \\t\\r\\n]{0,16}"
                "\"(?<secret>[A-Za-z0-9+/]{8,}={0,2})\"",
        .window = 1024, .min_len = 8, .max_len = 1024,
        .min_entropy = 3.0, .check = LP_CHECK_NONE,
        .flags = LP_RULE_MULTILINE,
        .positive = "{\n  \"auths\": {\n    \"registry.example.com\": {\n"
                    "      \"auth\": \"Y2ktYm90OlhxN3ZQejJtSzlzTHc0\"\n    }\n"
                    "  }\n}\n",
        .positive_value = "Y2ktYm90OlhxN3ZQejJtSzlzTHc0",
        /* hs: no match (an empty auth, credentials in a helper) */
        .negative = "{\"auths\": {\"registry.example.com\": {\"auth\": \"\"}},"
                    " \"credsStore\": \"desktop\"}\n",
    },
    {
        .id = "netrc-password",
        .format = ".netrc machine/login/password",
        .category = "password",
        .hs = "machine[ \\t]{1,8}[^\\s]{1,128}[ \\t\\r\\n]{1,16}(?:login"
              "[ \\t]{1,8}[^\\s]{1,128}[ \\t\\r\\n]{1,16})?password[ \\t]{1,8}"
              "[^\\s$<{%][^\\s]{2,127}" T_SPACE,
        .pcre = "machine[ \\t]{1,8}[^\\s]{1,128}[ \\t\\r\\n]{1,16}(?:login"
                "[ \\t]{1,8}[^\\s]{1,128}[ \\t\\r\\n]{1,16})?password[ \\t]{1,8}"
                "(?<secret>[^\\s$<{%][^\\s]{2,127})" T_SPACE,
        .window = 512, .min_len = 3, .max_len = 128,
        .min_entropy = 2.5, .check = LP_CHECK_NONE,
        .flags = LP_RULE_MULTILINE | LP_RULE_GENERIC,
        .positive = "machine api.example.com\n  login ci-bot\n"
                    "  password Xq7vPz2mK9sLw4\n",
        .positive_value = "Xq7vPz2mK9sLw4",
        /* hs: no match (a variable) */
        .negative = "machine api.example.com login ci-bot password "
                    "$NETRC_PASSWORD\n",
    },
    {
        .id = "mysql-cli-password",
        .format = "mysql/mysqldump -p<password> command line",
        .category = "password",
        .hs = "mysql(?:dump|admin)?[ \\t][^\\r\\n]{0,256}[ \\t](?:-p|"
              "--password=)[\"']?[^\\s\"'$<{%\\-][^\\s\"']{3,127}" T_WORD,
        .pcre = "mysql(?:dump|admin)?[ \\t][^\\r\\n]{0,256}[ \\t](?:-p|"
                "--password=)[\"']?(?<secret>[^\\s\"'$<{%\\-][^\\s\"']{3,127})"
                T_WORD,
        .window = 512, .min_len = 4, .max_len = 128,
        .min_entropy = 2.5, .check = LP_CHECK_NONE,
        .flags = LP_RULE_GENERIC,
        .positive = "mysqldump -h db01 -u backup -pKw8vT3xQ2mZn shop > "
                    "shop.sql\n",
        .positive_value = "Kw8vT3xQ2mZn",
        /* hs: no match (-p alone prompts for the password) */
        .negative = "mysqldump -h db01 -u backup -p shop > shop.sql\n",
    },
    {
        .id = "wordpress-auth-key",
        .format = "WordPress authentication key or salt (wp-config.php)",
        .category = "token",
        /* define('AUTH_KEY', '...'): WordPress's generator never writes a
         * quote, a backslash or a space; its placeholder has spaces */
        .hs = "define\\([ \\t]{0,4}[\"'](?:AUTH|SECURE_AUTH|LOGGED_IN|NONCE)_"
              "(?:KEY|SALT)[\"'][ \\t]{0,4},[ \\t]{0,24}[\"']"
              "[^\"'\\s\\\\]{32,128}[\"']",
        .pcre = "define\\([ \\t]{0,4}[\"'](?:AUTH|SECURE_AUTH|LOGGED_IN|NONCE)_"
                "(?:KEY|SALT)[\"'][ \\t]{0,4},[ \\t]{0,24}[\"']"
                "(?<secret>[^\"'\\s\\\\]{32,128})[\"']",
        .window = 0, .min_len = 32, .max_len = 128,
        .min_entropy = 4.0, .check = LP_CHECK_NONE, .flags = 0,
        .positive = "define( 'SECURE_AUTH_SALT', \t'Qa1@Ws2#Ed3$Rf4%Tg5^Yh6&"
                    "Uj7*Ik8(Ol9)P;0_Zx-Cv+Bn=Mm' );\n",
        .positive_value = "Qa1@Ws2#Ed3$Rf4%Tg5^Yh6&Uj7*Ik8(Ol9)P;0_Zx-Cv+Bn=Mm",
        /* hs: no match (the shipped placeholder) */
        .negative = "define( 'AUTH_KEY', 'put your unique phrase here' );\n",
    },
    {
        .id = "php-define-password",
        .format = "PHP define() of a password or secret (wp-config.php)",
        .category = "password",
        .hs = "define\\([ \\t]{0,4}[\"'][a-z0-9_]{0,32}(?:password|passwd|"
              "secret)[a-z0-9_]{0,16}[\"'][ \\t]{0,4},[ \\t]{0,4}[\"']"
              GQ_FIRST "[^\"'\\r\\n]{5,127}[\"']",
        .pcre = "define\\([ \\t]{0,4}[\"'][a-z0-9_]{0,32}(?:password|passwd|"
                "secret)[a-z0-9_]{0,16}[\"'][ \\t]{0,4},[ \\t]{0,4}[\"']"
                "(?<secret>" GQ_FIRST "[^\"'\\r\\n]{5,127})[\"']",
        .window = 0, .min_len = 6, .max_len = 128,
        .min_entropy = 2.5, .check = LP_CHECK_NONE,
        .flags = LP_RULE_CASELESS | LP_RULE_GENERIC,
        .positive = "define('DB_PASSWORD', 'Zq8#kLm2Vx9pTr4w');\n",
        .positive_value = "Zq8#kLm2Vx9pTr4w",
        /* hs: no match (read from the environment) */
        .negative = "define('DB_PASSWORD', get" "env('DB_PASSWORD'));\n",
    },
    {
        .id = "pgpass-password",
        .format = "PostgreSQL password file line (.pgpass)",
        .category = "database",
        /* host:port:database:user:password, the port PostgreSQL's or
         * PgBouncer's or "*" (the literal Hyperscan looks for) */
        .hs = "(?:^|\\n)[a-z0-9.*_\\-]{1,253}:(?:543[0-9]|6432|\\*):"
              "[a-z0-9_.*\\-]{1,63}:[a-z0-9_.@*\\-]{1,63}:"
              "[^\\s$<{%:][^\\s]{3,127}" T_EOL,
        .pcre = "(?:^|\\n)[a-z0-9.*_\\-]{1,253}:(?:543[0-9]|6432|\\*):"
                "[a-z0-9_.*\\-]{1,63}:[a-z0-9_.@*\\-]{1,63}:"
                "(?<secret>[^\\s$<{%:][^\\s]{3,127})" T_EOL,
        .window = 0, .min_len = 4, .max_len = 128,
        .min_entropy = 2.5, .check = LP_CHECK_NONE,
        .flags = LP_RULE_CASELESS | LP_RULE_GENERIC,
        .positive = "db01.test:5432:shop:app:Hy7kPq2mZx9vLw4t\n",
        .positive_value = "Hy7kPq2mZx9vLw4t",
        /* hs: no match (another port: a clock or an address) */
        .negative = "12:30:45:67:Hy7kPq2mZx9vLw4t\n",
    },
    {
        .id = "db-password-env",
        .format = "PGPASSWORD= or MYSQL_PWD= on a command line or in an env",
        .category = "password",
        .hs = "(?:PGPASSWORD|MYSQL_PWD)=[\"']?[^\\s\"'$<{%`\\\\]"
              "[^\\s\"'`\\\\]{3,127}" T_WORD,
        .pcre = "(?:PGPASSWORD|MYSQL_PWD)=[\"']?(?<secret>[^\\s\"'$<{%`\\\\]"
                "[^\\s\"'`\\\\]{3,127})" T_WORD,
        .window = 0, .min_len = 4, .max_len = 128,
        .min_entropy = 2.5, .check = LP_CHECK_NONE,
        .flags = LP_RULE_GENERIC,
        .positive = "PGPASSWORD=Hy7kPq2mZx9vLw4u psql -h db01 -U app shop\n",
        .positive_value = "Hy7kPq2mZx9vLw4u",
        /* hs: no match (a variable) */
        .negative = "PGPASSWORD=$DB_PASS psql -h db01 -U app shop\n",
    },
    {
        .id = "sqlcmd-password",
        .format = "sqlcmd/bcp/osql -P <password> command line",
        .category = "password",
        .hs = "(?:sqlcmd|bcp|osql)(?:\\.exe)?[ \\t][^\\r\\n]{0,256}[ \\t]-P"
              "[ \\t]{0,4}[\"']?[^\\s\"'$<{%\\-][^\\s\"']{3,127}" T_WORD,
        .pcre = "(?:sqlcmd|bcp|osql)(?:\\.exe)?[ \\t][^\\r\\n]{0,256}[ \\t]-P"
                "[ \\t]{0,4}[\"']?(?<secret>[^\\s\"'$<{%\\-][^\\s\"']{3,127})"
                T_WORD,
        .window = 512, .min_len = 4, .max_len = 128,
        .min_entropy = 2.5, .check = LP_CHECK_NONE,
        .flags = LP_RULE_GENERIC,
        .positive = "sqlcmd -S db01 -U sa -P 'Wq3eRt5yUi7oPa9s' "
                    "-Q \"select 1\"\n",
        .positive_value = "Wq3eRt5yUi7oPa9s",
        /* hs: no match (a variable) */
        .negative = "sqlcmd -S db01 -U sa -P $(SA_PASSWORD) -Q \"select 1\"\n",
    },
    {
        .id = "npmrc-auth",
        .format = "npm registry basic auth in .npmrc (_auth)",
        .category = "package-registry",
        .hs = "(?:^|[\\n:])_auth[ \\t]{0,2}=[ \\t]{0,2}[\"']?[A-Za-z0-9+/]{12,}"
              "={0,2}" T_B64,
        .pcre = "(?:^|[\\n:])_auth[ \\t]{0,2}=[ \\t]{0,2}[\"']?"
                "(?<secret>[A-Za-z0-9+/]{12,}={0,2})" T_B64,
        .window = 0, .min_len = 12, .max_len = 1024,
        .min_entropy = 3.0, .check = LP_CHECK_NONE,
        .flags = LP_RULE_GENERIC,
        .positive = "registry=https://npm.test/\n"
                    "_auth=Y2k6Rzd2UXAybUt4OXpMNHR3\n",
        .positive_value = "Y2k6Rzd2UXAybUt4OXpMNHR3",
        /* hs: no match (the token form, another rule's) */
        .negative = "_authToken=${NPM_TOKEN}\n",
    },
    {
        .id = "sshpass-password",
        .format = "sshpass -p <password> command line",
        .category = "password",
        .hs = "sshpass[ \\t]{1,4}-p[ \\t]{0,4}[\"']?[^\\s\"'$<{%\\-]"
              "[^\\s\"']{2,127}" T_WORD,
        .pcre = "sshpass[ \\t]{1,4}-p[ \\t]{0,4}[\"']?"
                "(?<secret>[^\\s\"'$<{%\\-][^\\s\"']{2,127})" T_WORD,
        .window = 0, .min_len = 3, .max_len = 128,
        .min_entropy = 2.5, .check = LP_CHECK_NONE,
        .flags = LP_RULE_GENERIC,
        .positive = "sshpass -p 'Rt6yW2qX8kLm' ssh deploy@web01 uptime\n",
        .positive_value = "Rt6yW2qX8kLm",
        /* hs: no match (the password comes from a file) */
        .negative = "sshpass -f /run/secrets/ssh_pw ssh deploy@web01 uptime\n",
    },

    /* ---- cloud keys named by their assignment ---- */
    {
        .id = "aws-secret-access-key",
        .format = "AWS secret access key (by key name)",
        .category = "cloud-credential",
        /* `key = v`, `key: v`, and `aws configure set key v` */
        .hs = "aws[_.\\-]?secret[_.\\-]?(?:access[_.\\-]?)?key[\"']?[ \\t]{0,4}"
              "(?::=|=>|[:= \\t])[ \\t]{0,4}[\"']?[a-z0-9/+]{40}" T_B64,
        .pcre = "aws[_.\\-]?secret[_.\\-]?(?:access[_.\\-]?)?key[\"']?"
                "[ \\t]{0,4}(?::=|=>|[:= \\t])[ \\t]{0,4}[\"']?"
                "(?<secret>[a-z0-9/+]{40})" T_B64,
        .window = 0, .min_len = 40, .max_len = 40,
        .min_entropy = 4.0, .check = LP_CHECK_NONE,
        .flags = LP_RULE_CASELESS | LP_RULE_GENERIC,
        .positive = "aws_secret_access_key = "
                    "nVRh+pkEIDDPGQt3hCd2QuZqtBUUMiVS532Pqo5d\n",
        .positive_value = "nVRh+pkEIDDPGQt3hCd2QuZqtBUUMiVS532Pqo5d",
        /* hs: no match (41 characters) */
        .negative = "aws_secret_access_key = "
                    "nVRh+pkEIDDPGQt3hCd2QuZqtBUUMiVS532Pqo5dX\n",
    },
    {
        .id = "aws-secret-after-key-id",
        .format = "AWS secret access key quoted right after its key ID",
        .category = "cloud-credential",
        /* new BasicAWSCredentials("AKIA...", "secret"), positional
         * arguments, ["AKIA...", "secret"]: the pair names the format.
         * The examples' key id is AWS-style documentation (EXAMPLE), so
         * that no other rule reports it */
        .hs = "(?:AKIA|ASIA)[A-Z2-7]{16}[\"'][ \\t]{0,4}[,:][ \\t]{0,4}[\"']"
              "[A-Za-z0-9/+]{40}[\"']",
        .pcre = "(?:AKIA|ASIA)[A-Z2-7]{16}[\"'][ \\t]{0,4}[,:][ \\t]{0,4}[\"']"
                "(?<secret>[A-Za-z0-9/+]{40})[\"']",
        .window = 0, .min_len = 40, .max_len = 40,
        .min_entropy = 4.0, .check = LP_CHECK_NONE,
        .flags = LP_RULE_GENERIC,
        .positive = "new BasicAWSCredentials(\"AKIAZQ3MV7XK2EXAMPLE\", "
                    "\"nVRh+pkEIDDPGQt3hCd2QuZqtBUUMiVS532Pqo5d\");\n",
        .positive_value = "nVRh+pkEIDDPGQt3hCd2QuZqtBUUMiVS532Pqo5d",
        /* hs: no match (a region, not a secret) */
        .negative = "new BasicAWSCredentials(\"AKIAZQ3MV7XK2EXAMPLE\", "
                    "\"eu-west-1\");\n",
    },
    {
        .id = "hadoop-s3a-secret-key",
        .format = "Hadoop S3A/S3N secret key property (core-site.xml)",
        .category = "cloud-credential",
        .hs = "fs\\.s3[an]?\\.(?:secret\\.key|awsSecretAccessKey)</name>"
              "[ \\t\\r\\n]{0,32}<value>[^<\\s$]{8,128}</value>",
        .pcre = "fs\\.s3[an]?\\.(?:secret\\.key|awsSecretAccessKey)</name>"
                "[ \\t\\r\\n]{0,32}<value>(?<secret>[^<\\s$]{8,128})</value>",
        .window = 0, .min_len = 8, .max_len = 128,
        .min_entropy = 3.5, .check = LP_CHECK_NONE,
        .flags = LP_RULE_GENERIC,
        .positive = "<property><name>fs.s3a.secret.key</name>\n  "
                    "<value>nVRh+pkEIDDPGQt3hCd2QuZqtBUUMiVS532Pqo5d</value>"
                    "</property>\n",
        .positive_value = "nVRh+pkEIDDPGQt3hCd2QuZqtBUUMiVS532Pqo5d",
        /* hs: no match (a variable) */
        .negative = "<property><name>fs.s3a.secret.key</name>"
                    "<value>${env.S3_SECRET}</value></property>\n",
    },
    {
        .id = "azure-storage-account-key",
        .format = "Azure Storage connection string AccountKey",
        .category = "cloud-credential",
        /* A storage key is 64 random bytes: 86 base64 characters and "==". */
        .hs = "AccountKey=[A-Za-z0-9+/]{86}==",
        .pcre = "(?:AccountName=[a-z0-9]{3,24};)?AccountKey="
                "(?<secret>[A-Za-z0-9+/]{86}==)",
        .window = 0, .min_len = 88, .max_len = 88,
        .min_entropy = 4.5, .check = LP_CHECK_NONE, .flags = 0,
        .positive = "\"StorageConnection\": \"DefaultEndpointsProtocol=https;"
                    "AccountName=example0000;AccountKey=7N5X4hhS8vsANUDWGmoAEHj"
                    "2tcntbmeNZpu2e7u0fx/9zbJJSXr6wxMwVssykGal9PAuZcAFNV7HC6INn8"
                    "TzzA==;EndpointSuffix=core.windows.net\"\n",
        .positive_value = "7N5X4hhS8vsANUDWGmoAEHj2tcntbmeNZpu2e7u0fx/9zbJJSXr6w"
                          "xMwVssykGal9PAuZcAFNV7HC6INn8TzzA==",
        /* hs: no match (the development storage shortcut) */
        .negative = "\"StorageConnection\": \"UseDevelopmentStorage=true\"\n",
    },
    {
        .id = "azure-shared-access-key",
        .format = "Azure Service Bus/Event Hubs SharedAccessKey",
        .category = "cloud-credential",
        .hs = "SharedAccessKeyName=[^;\\s\"']{1,64};SharedAccessKey="
              "[A-Za-z0-9+/]{43}=",
        .pcre = "SharedAccessKeyName=[^;\\s\"']{1,64};SharedAccessKey="
                "(?<secret>[A-Za-z0-9+/]{43}=)",
        .window = 0, .min_len = 44, .max_len = 44,
        .min_entropy = 4.0, .check = LP_CHECK_NONE, .flags = 0,
        .positive = "SB_CONN=Endpoint=sb://example0000.servicebus.windows.net/;"
                    "SharedAccessKeyName=RootManageSharedAccessKey;"
                    "SharedAccessKey=5h9L1bkKaZGSJw0sttOdB4x4JBMtmbNq9y89eq/YyQE=\n",
        .positive_value = "5h9L1bkKaZGSJw0sttOdB4x4JBMtmbNq9y89eq/YyQE=",
        /* hs: no match (a placeholder without padding) */
        .negative = "SB_CONN=Endpoint=sb://example0000.servicebus.windows.net/;"
                    "SharedAccessKeyName=RootManageSharedAccessKey;"
                    "SharedAccessKey=<your-key>\n",
    },
    {
        .id = "azure-sas-token",
        .format = "Azure shared access signature (sv=...&sig=)",
        .category = "cloud-credential",
        .hs = "sv=20[0-9]{2}-[0-9]{2}-[0-9]{2}&[^\\s\"'<>]{0,512}sig="
              "[A-Za-z0-9%+/=]{30,120}(?:[^A-Za-z0-9%+/=]|\\z)",
        .pcre = "sv=20[0-9]{2}-[0-9]{2}-[0-9]{2}&[^\\s\"'<>]{0,512}sig="
                "(?<secret>[A-Za-z0-9%+/=]{30,120})(?:[^A-Za-z0-9%+/=]|\\z)",
        .window = 1024, .min_len = 30, .max_len = 120,
        .min_entropy = 4.0, .check = LP_CHECK_NONE, .flags = 0,
        .positive = "BLOB_SAS=\"https://example0000.blob.core.windows.net/c?"
                    "sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&"
                    "spr=https&sig=qYYLwph5N6rnUYUG1s4jstXP4GNSTzRznE58KEoa0000"
                    "%3D\"\n",
        .positive_value = "qYYLwph5N6rnUYUG1s4jstXP4GNSTzRznE58KEoa0000%3D",
        /* hs: no match (no signature yet) */
        .negative = "BLOB_SAS=\"https://example0000.blob.core.windows.net/c?"
                    "sv=2022-11-02&ss=b&srt=co&sp=rl&sig=\"\n",
    },

    /* ---- generic assignments (placeholder filters apply) ---- */
    {
        .id = "generic-password-quoted",
        .format = "password assignment, quoted (code, JSON, YAML, XML attribute)",
        .category = "password",
        .hs = GQ_HS(K_PASSWORD, "{5,127}"),
        .pcre = GQ_PCRE(K_PASSWORD, "", "{5,127}"),
        .window = 512, .min_len = 6, .max_len = 128,
        .min_entropy = 2.5, .check = LP_CHECK_NONE,
        .flags = LP_RULE_CASELESS | LP_RULE_GENERIC,
        .positive = "    db_password = \"Wq3!zR8vLp2#\"\n",
        .positive_value = "Wq3!zR8vLp2#",
        /* hs matches; entropy of "aaaaaaaa" is 0 */
        .negative = "    db_password = \"aaaaaaaa\"\n",
    },
    {
        .id = "generic-password-unquoted",
        .format = "password assignment, unquoted (.env, INI, YAML, properties)",
        .category = "password",
        .hs = GU_HS(K_PASSWORD, "{5,127}"),
        .pcre = GU_PCRE(K_PASSWORD, "{5,127}"),
        .window = 512, .min_len = 6, .max_len = 128,
        .min_entropy = 2.5, .check = LP_CHECK_NONE,
        .flags = LP_RULE_CASELESS | LP_RULE_GENERIC,
        .positive = "MYSQL_ROOT_PASSWORD=Ht5vQ9zX2mKw\n",
        .positive_value = "Ht5vQ9zX2mKw",
        /* hs matches; PCRE2: a name without a digit or symbol is code */
        .negative = "password = settings.database_password\n",
    },
    {
        .id = "generic-secret-quoted",
        .format = "secret assignment, quoted (secret_key, client_secret)",
        .category = "secret",
        .hs = GQ_HS(K_SECRET, "{15,255}"),
        .pcre = GQ_PCRE(K_SECRET, DIGIT_LOOK, "{15,255}"),
        .window = 512, .min_len = 16, .max_len = 256,
        .min_entropy = 3.5, .check = LP_CHECK_NONE,
        .flags = LP_RULE_CASELESS | LP_RULE_GENERIC,
        .positive = "SECRET_KEY = 'k9#vT2q!Zx8mLp4Rw7sYb3Nd'\n",
        .positive_value = "k9#vT2q!Zx8mLp4Rw7sYb3Nd",
        /* hs matches; PCRE2: no digit (a name, not a key) */
        .negative = "secretName: \"database-credentials\"\n",
    },
    {
        .id = "generic-secret-unquoted",
        .format = "secret assignment, unquoted (.env, INI, YAML)",
        .category = "secret",
        .hs = GU_HS(K_SECRET, "{15,255}"),
        .pcre = GU_PCRE(K_SECRET, "{15,255}"),
        .window = 512, .min_len = 16, .max_len = 256,
        .min_entropy = 3.5, .check = LP_CHECK_NONE,
        .flags = LP_RULE_CASELESS | LP_RULE_GENERIC,
        .positive = "  client_secret: Qx7vR2mK9pLw4sTz8bNc\n",
        .positive_value = "Qx7vR2mK9pLw4sTz8bNc",
        /* hs: no match (a variable) */
        .negative = "  client_secret: ${OAUTH_CLIENT_SECRET}\n",
    },
    {
        .id = "generic-api-key-quoted",
        .format = "API key assignment, quoted",
        .category = "token",
        .hs = GQ_HS(K_APIKEY, "{15,255}"),
        .pcre = GQ_PCRE(K_APIKEY, DIGIT_LOOK, "{15,255}"),
        .window = 512, .min_len = 16, .max_len = 256,
        .min_entropy = 3.5, .check = LP_CHECK_NONE,
        .flags = LP_RULE_CASELESS | LP_RULE_GENERIC,
        .positive = "const apiKey = \"Li2Y27PFcWIzFA0xJXzBBQjd\";\n",
        .positive_value = "Li2Y27PFcWIzFA0xJXzBBQjd",
        /* hs: no match (too short) */
        .negative = "const apiKey = \"abc123\";\n",
    },
    {
        .id = "generic-api-key-unquoted",
        .format = "API key assignment, unquoted (.env, INI, YAML)",
        .category = "token",
        .hs = GU_HS(K_APIKEY, "{15,255}"),
        .pcre = GU_PCRE(K_APIKEY, "{15,255}"),
        .window = 512, .min_len = 16, .max_len = 256,
        .min_entropy = 3.5, .check = LP_CHECK_NONE,
        .flags = LP_RULE_CASELESS | LP_RULE_GENERIC,
        .positive = "MAPS_API_KEY=Fz8kQ2wN7vXp3mLt9rYc\n",
        .positive_value = "Fz8kQ2wN7vXp3mLt9rYc",
        /* hs matches; entropy of a repeated pattern is low */
        .negative = "MAPS_API_KEY=0000000000000000000000\n",
    },
    {
        .id = "generic-token-quoted",
        .format = "token assignment, quoted (access_token, auth_token)",
        .category = "token",
        .hs = GQ_HS(K_TOKEN, "{15,255}"),
        .pcre = GQ_PCRE(K_TOKEN, DIGIT_LOOK, "{15,255}"),
        .window = 512, .min_len = 16, .max_len = 256,
        .min_entropy = 3.5, .check = LP_CHECK_NONE,
        .flags = LP_RULE_CASELESS | LP_RULE_GENERIC,
        .positive = "    access_token := \"Pq4wX9vT2kLm7nZr3sYb8c\"\n",
        .positive_value = "Pq4wX9vT2kLm7nZr3sYb8c",
        /* hs matches; PCRE2: no digit (a lexer token name) */
        .negative = "    token = \"IDENTIFIER_OR_KEYWORD\"\n",
    },
    {
        .id = "generic-token-unquoted",
        .format = "token assignment, unquoted (.env, INI, YAML)",
        .category = "token",
        .hs = GU_HS(K_TOKEN, "{15,255}"),
        .pcre = GU_PCRE(K_TOKEN, "{15,255}"),
        .window = 512, .min_len = 16, .max_len = 256,
        .min_entropy = 3.5, .check = LP_CHECK_NONE,
        .flags = LP_RULE_CASELESS | LP_RULE_GENERIC,
        .positive = "SLACK_BOT_TOKEN=Mz3vK8qW2xPn7tLr4bYc9d\n",
        .positive_value = "Mz3vK8qW2xPn7tLr4bYc9d",
        /* hs: no match (a variable) */
        .negative = "SLACK_BOT_TOKEN=$(cat /run/secrets/slack)\n",
    },
    {
        .id = "generic-private-key-quoted",
        .format = "private_key assignment, quoted (inline key material)",
        .category = "private-key",
        .hs = GQ_HS(K_PRIVKEY, "{31,4095}"),
        .pcre = GQ_PCRE(K_PRIVKEY, DIGIT_LOOK, "{31,4095}"),
        .window = 4608, .min_len = 32, .max_len = 4096,
        .min_entropy = 3.5, .check = LP_CHECK_NONE,
        .flags = LP_RULE_CASELESS | LP_RULE_GENERIC,
        .positive = "  \"private_key\": \"0x532a4b3ea53b3266ab5e27cec03b40fca2f9"
                    "03fb6ac49f239da2d17d782483fd\",\n",
        .positive_value = "0x532a4b3ea53b3266ab5e27cec03b40fca2f903fb6ac49f239d"
                          "a2d17d782483fd",
        /* hs: no match (a key id, too short) */
        .negative = "  \"private_key_id\": \"572dd7df79d8\",\n",
    },
    {
        .id = "generic-private-key-unquoted",
        .format = "PRIVATE_KEY assignment, unquoted (.env)",
        .category = "private-key",
        .hs = GU_HS(K_PRIVKEY, "{31,2047}"),
        .pcre = GU_PCRE(K_PRIVKEY, "{31,2047}"),
        .window = 2560, .min_len = 32, .max_len = 2048,
        .min_entropy = 3.5, .check = LP_CHECK_NONE,
        .flags = LP_RULE_CASELESS | LP_RULE_GENERIC,
        .positive = "DEPLOYER_PRIVATE_KEY=532a4b3ea53b3266ab5e27cec03b40fca2f9"
                    "03fb6ac49f239da2d17d782483fd\n",
        .positive_value = "532a4b3ea53b3266ab5e27cec03b40fca2f903fb6ac49f239da2"
                          "d17d782483fd",
        /* hs: no match (a path of 19 characters is too short) */
        .negative = "DEPLOYER_PRIVATE_KEY=./keys/deployer.key\n",
    },
    {
        .id = "xml-secret-element",
        .format = "XML element <password>/<secret>/<token>/<apiKey>",
        .category = "password",
        .hs = "<[a-z0-9_:.\\-]{0,48}(?:password|passwd|secret|api_?key|"
              "api-key|token)[a-z0-9_.\\-]{0,16}>[^<>\\s$%{][^<>\\r\\n]{3,255}"
              "</",
        .pcre = "<[a-z0-9_:.\\-]{0,48}(?:password|passwd|secret|api_?key|"
                "api-key|token)[a-z0-9_.\\-]{0,16}>"
                "(?<secret>[^<>\\s$%{][^<>\\r\\n]{3,255})</",
        .window = 512, .min_len = 4, .max_len = 256,
        .min_entropy = 2.5, .check = LP_CHECK_NONE,
        .flags = LP_RULE_CASELESS | LP_RULE_GENERIC,
        .positive = "    <password>Xq7vPz2mK9sLw4</password>\n",
        .positive_value = "Xq7vPz2mK9sLw4",
        /* hs: no match (a Maven property reference) */
        .negative = "    <password>${env.NEXUS_PASSWORD}</password>\n",
    },
    {
        .id = "xml-appsettings-secret",
        .format = ".NET appSettings <add key=\"...Password\" value=\"...\">",
        .category = "password",
        .hs = "key=[\"'][^\"'<>]{0,48}(?:password|passwd|secret|api_?key|"
              "token)[^\"'<>]{0,16}[\"'][ \\t\\r\\n]{1,16}value=[\"']"
              "[^\"'\\s$<{%][^\"'\\r\\n]{3,255}[\"']",
        .pcre = "key=[\"'][^\"'<>]{0,48}(?:password|passwd|secret|api_?key|"
                "token)[^\"'<>]{0,16}[\"'][ \\t\\r\\n]{1,16}value=[\"']"
                "(?<secret>[^\"'\\s$<{%][^\"'\\r\\n]{3,255})[\"']",
        .window = 512, .min_len = 4, .max_len = 256,
        .min_entropy = 2.5, .check = LP_CHECK_NONE,
        .flags = LP_RULE_CASELESS | LP_RULE_GENERIC,
        .positive = "    <add key=\"SmtpPassword\" value=\"Jr6wQ2vX9kTm\" />\n",
        .positive_value = "Jr6wQ2vX9kTm",
        /* hs: no match (an empty value) */
        .negative = "    <add key=\"SmtpPassword\" value=\"\" />\n",
    },
    {.id = NULL},
};
