/* SPDX-License-Identifier: Apache-2.0
 *
 * rules: the built-in secret rules (issue 5). A rule is a Hyperscan
 * pattern that finds where a candidate ends (no start-of-match tracking:
 * it costs ~30x), a PCRE2 pattern run in a small window before that end to
 * confirm it and to extract the value (its named group "secret"), and the
 * validators the value must pass: length, charset, Shannon entropy and,
 * where the format has one, a checksum. Rules are data: they live in
 * rules_*.c tables, each with a positive and a negative example written
 * here (made-up values of the right shape, never real secrets).
 */
#ifndef LP_RULES_H
#define LP_RULES_H

#include <stddef.h>

/* Checksums and structural checks a value must pass. */
enum lp_rule_check {
    LP_CHECK_NONE = 0,
    LP_CHECK_GITHUB_CRC32, /* ghp_/gho_/ghu_/ghs_/ghr_: last 6 chars are the
                              base62 CRC32 of the 30 before them */
    LP_CHECK_NPM_CRC32,    /* npm_: the same scheme as GitHub's */
    LP_CHECK_JWT,          /* three base64url parts, the first two JSON
                              objects once decoded, the first with "alg" */
    LP_CHECK_LUHN,         /* digits pass the Luhn check (card numbers) */
    LP_CHECK_PEM,          /* BEGIN and END lines agree, base64 body */
    LP_CHECK_B64_PEM,      /* base64 whose head decodes to the BEGIN line
                              of a private key */
};

enum lp_rule_flags {
    LP_RULE_CASELESS = 1 << 0,  /* Hyperscan and PCRE2 ignore case */
    LP_RULE_MULTILINE = 1 << 1, /* the value spans lines (key blocks): the
                                   window reaches back to the BEGIN line */
    LP_RULE_EXPOSURE = 1 << 3,  /* not a secret but an exposure (an
                                   internal host or address): reported
                                   under "exposures" with its value */
    LP_RULE_GENERIC = 1 << 2,   /* a password or secret assignment: the
                                   placeholder, example-value and
                                   variable-reference filters apply */
};

struct lp_rule {
    const char *id;       /* "aws-access-key-id": lower case, dashes */
    const char *format;   /* the named format: "AWS access key ID" */
    const char *category; /* cloud-credential, source-hosting, ci-cd,
                             package-registry, payment, messaging, email,
                             ai-api, database, private-key, token,
                             password, ... (see rules_*.c) */
    const char *hs;       /* Hyperscan pattern whose match ends where the
                             value (or its closing delimiter) ends; no
                             lookarounds, no back-references, no groups
                             needed */
    const char *pcre;     /* PCRE2 pattern with a named group (?<secret>...)
                             that, searched in the window, ends where the
                             Hyperscan match ends */
    unsigned window;      /* bytes before the match end searched by PCRE2;
                             0: 256 (multi-line keys: up to 16384) */
    unsigned min_len, max_len; /* of the value; 0: no bound */
    double min_entropy;   /* Shannon entropy of the value, bits per byte;
                             0: none */
    enum lp_rule_check check;
    unsigned flags;       /* enum lp_rule_flags */
    const char *positive; /* a line holding a made-up value it must find */
    const char *positive_value; /* the value it must extract from it */
    const char *negative; /* a near miss it must not report */
};

/* The tables, each ended by an entry with a NULL id. */
extern const struct lp_rule lp_rules_services[];
extern const struct lp_rule lp_rules_generic[];
extern const struct lp_rule lp_rules_exposures[];

/* Every built-in table, in the order rules are numbered (specific formats
 * before generic assignments); *n gets their count. */
const struct lp_rule *const *lp_rules_tables(size_t *n);

#endif
