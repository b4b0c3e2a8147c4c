/* SPDX-License-Identifier: Apache-2.0
 *
 * secrets: the engine that finds credentials (issue 5). Every rule's
 * Hyperscan pattern is compiled into one database, without start-of-match
 * tracking, and serialized into a cache so that a later run loads it in
 * milliseconds. A match end runs the rule's PCRE2 pattern, end-anchored,
 * in a small window before it, to confirm the candidate and extract the
 * value; then the rule's validators (length, entropy, checksum, and the
 * placeholder filters of generic rules) decide. A finding never holds the
 * value: only where it is, its masked form and a keyed fingerprint.
 */
#ifndef LP_SECRETS_H
#define LP_SECRETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "leakprint.h"
#include "rules.h"

struct lp_secrets_engine;

/* Candidates kept per buffer (settling overlaps is quadratic in them): a
 * file holding more secrets reports its first ones, in the order
 * Hyperscan finds them. */
#define LP_SECRETS_MAX_CANDIDATES 4096

/* One worker's scratch space (Hyperscan scratch, PCRE2 match data). */
struct lp_secrets_scratch;

struct lp_secret_finding {
    uint32_t rule;     /* index into the engine's rules */
    uint32_t line;     /* 1-based, of the value's first byte */
    uint32_t column;   /* 1-based, in bytes */
    uint32_t lines;    /* lines the value spans (1 but for key blocks) */
    double entropy;    /* bits per byte of the value */
    char masked[48];   /* a public prefix, then 8 '*' (lp_secrets_mask) */
    char fp[65];       /* keyed fingerprint: HMAC-SHA256, hex */
    char value[128];   /* an exposure's value (a host name, an address);
                          empty for a secret, whose value is never kept */
    uint64_t offset;   /* of the value's first byte in the buffer scanned */
};

/* What an engine is made of: the built-in tables (NULL-id-terminated),
 * the organisation's rules (numbered after them), the rules turned off,
 * and what is allowed: values matching a PCRE2 regex or holding a
 * stop-word (case aside). A value on a line holding "leakprint:allow" is
 * always allowed. */
struct lp_secrets_setup {
    const struct lp_rule *const *tables;
    size_t ntables;
    const struct lp_rule *extra;
    size_t nextra;
    size_t nown; /* the first nown of extra, the configuration's own rules,
                    are not turned off by disabled */
    const char *const *disabled;
    size_t ndisabled;
    const char *const *allow_regexes;
    size_t nallow;
    const char *const *stopwords;
    size_t nstop;
    const char *cache_dir; /* an existing directory, or NULL: no cache */
    const void *key;       /* keys the fingerprints (klen bytes) */
    size_t klen;
};

/* The rules of su in force, in the engine's order: the tables' and
 * extra's, but those disabled names (each of which must name one) and no
 * two of the same id. *out (borrowed rules) is freed by the caller with
 * lp_free(); a one-line reason in err on failure. */
lp_err lp_secrets_gather(const struct lp_secrets_setup *su,
                         const struct lp_rule ***out, size_t *n, char *err,
                         size_t errlen);

/* Builds the engine of `su`; a disabled id that names no rule, a custom
 * rule whose id is taken, or a pattern that does not compile fails with a
 * one-line reason in err. The rules and strings of su must outlive the
 * engine. */
lp_err lp_secrets_engine_build(const struct lp_secrets_setup *su,
                               struct lp_secrets_engine **out, char *err,
                               size_t errlen);

/* Builds the engine from NULL-id-terminated rule tables. The compiled
 * database is loaded from cache_dir when it holds one made from the same
 * rules by the same Hyperscan, else compiled and written there (cache_dir
 * must exist, or be NULL: no cache). `key` (klen bytes) keys the fingerprints. On
 * failure, a one-line reason in err. */
lp_err lp_secrets_engine_new(const struct lp_rule *const *tables,
                             size_t ntables, const char *cache_dir,
                             const void *key, size_t klen,
                             struct lp_secrets_engine **out, char *err,
                             size_t errlen);
void lp_secrets_engine_free(struct lp_secrets_engine *e);

/* The rules, by index; their count. */
const struct lp_rule *lp_secrets_rule(const struct lp_secrets_engine *e,
                                      uint32_t i);
size_t lp_secrets_nrules(const struct lp_secrets_engine *e);

/* Whether the database came from the cache, and the time the engine took
 * to build (seconds). */
bool lp_secrets_from_cache(const struct lp_secrets_engine *e);
double lp_secrets_build_seconds(const struct lp_secrets_engine *e);

lp_err lp_secrets_scratch_new(const struct lp_secrets_engine *e,
                              struct lp_secrets_scratch **out);
void lp_secrets_scratch_free(struct lp_secrets_scratch *s);

/* Finds the secrets of buf[0..len), in order of their end: each goes to
 * fn (which returns non-zero to stop). LP_OK, LP_ENOMEM, or LP_EABORTED
 * when fn stopped it. */
lp_err lp_secrets_scan(const struct lp_secrets_engine *e,
                       struct lp_secrets_scratch *s, const char *buf,
                       size_t len,
                       int (*fn)(void *ctx, const struct lp_secret_finding *f),
                       void *ctx);

/* Helpers, exposed for their tests. */
double lp_secrets_entropy(const char *v, size_t n);
/* Whether value v (n bytes, at least 1) has rule r's length and entropy;
 * its entropy into *entropy. */
bool lp_secrets_in_bounds(const struct lp_rule *r, const char *v, size_t n,
                          double *entropy);
/* The Hyperscan compile flags of rule r's pattern, as the engine uses. */
unsigned lp_secrets_hs_flags(const struct lp_rule *r);
/* The public prefix of value v (n bytes) found by rule r: the literal
 * characters its pattern starts the value with ("ghp_", "AKIA",
 * "sk_live_"), at most 16 and never half the value; 0 for a generic
 * assignment, an exposure, or a format without one. */
size_t lp_secrets_public_prefix(const struct lp_rule *r, const char *v,
                                size_t n);
/* The masked form of value v (n bytes) into out (at least 25 bytes): its
 * first `prefix` characters (a public prefix, or 0), then always 8 '*',
 * so that neither the length nor any other character shows. */
void lp_secrets_mask(const char *v, size_t n, size_t prefix, char *out,
                     size_t outlen);
bool lp_secrets_check(enum lp_rule_check c, const char *v, size_t n);
/* Whether a value of check c's shape that fails it vetoes the same bytes
 * for every other rule: a checksum (GitHub's, npm's CRC32) makes a token
 * whose checksum is wrong no token at all, and no password a generic
 * assignment rule should claim; a failed structural check (JWT, PEM,
 * Luhn) only means this rule's format is not it. */
bool lp_secrets_check_vetoes(enum lp_rule_check c);

/* The '\n' bytes of p[0..n) (how the scan numbers its findings' lines). */
size_t lp_secrets_count_newlines(const char *p, size_t n);

bool lp_secrets_placeholder(const char *v, size_t n);
/* Whether v[0..n) is no secret whichever rule finds it: a vendor's
 * documented example key, a well-known cryptographic test vector, a public
 * identifier (Stripe publishable key, Google OAuth client id), or a value
 * holding EXAMPLE as a word. */
bool lp_secrets_known_public(const char *v, size_t n);

#endif
