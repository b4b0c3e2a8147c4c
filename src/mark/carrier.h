/* SPDX-License-Identifier: Apache-2.0
 *
 * carrier: sites in C source where a canary mark can be written without
 * changing behaviour (issue 18, point 1). Each site has q equivalent
 * spellings; a mark writes one per site; reading a copy that was reformatted,
 * stripped of comments, renamed consistently or cut finds the sites again by
 * their context key and tells which spelling each has.
 *
 * Kinds (see carrier_c.c for the exact rules): increment statements
 * (x++; / ++x; / x += 1;, q=3), operand order of a comparison (a < b / b > a,
 * q=2), infinite loops (for (;;) / while (1), q=2), and integer constants
 * of powers of two and masks in [16, 2^31) (hex / decimal, q=2). Nothing on a
 * preprocessor line, in a literal or in a comment is a site.
 *
 * Key: a 64-bit hash of the site's kind, its canonical spelling and the
 * LP_CARRIER_WINDOW normalized tokens on each side (identifiers a
 * placeholder, numbers their value, literals a placeholder, other carriers in
 * their canonical spelling, preprocessor lines left out). Sites whose key is
 * not unique in their text are dropped.
 */
#ifndef LP_CARRIER_H
#define LP_CARRIER_H

#include <stddef.h>
#include <stdint.h>

#include "leakprint.h"

#define LP_CARRIER_MAX_BYTES (16u << 20) /* largest text */
#define LP_CARRIER_MAX_SITES 200000u     /* most sites in one text */
#define LP_CARRIER_WINDOW 12             /* context tokens on each side */
#define LP_CARRIER_ERRLEN 160            /* an error message, NUL included */

enum lp_carrier_kind {
    LP_CARRIER_INC = 1, /* x++; (0)  ++x; (1)  x += 1; (2) */
    LP_CARRIER_CMP,     /* a < b (0, '<' or '<=' form)  b > a (1); for ==
                           and !=: 0 when the operand whose normalized form
                           hashes lower comes first, 1 otherwise */
    LP_CARRIER_LOOP,    /* for (;;) (0)  while (1) (1) */
    LP_CARRIER_CONST,   /* 0x100 (0)  256 (1), suffix kept */
};

struct lp_carrier_site {
    uint64_t key;   /* context key, unique in the text */
    uint32_t start; /* byte range [start, end) the site spans */
    uint32_t end;
    uint32_t a0, a1; /* INC: the lvalue; CMP: left operand; CONST: digits */
    uint32_t b0, b1; /* CMP: right operand; CONST: the suffix */
    uint32_t op0;    /* CMP: the operator's first byte */
    uint64_t num;    /* CONST: the value */
    uint8_t kind;    /* enum lp_carrier_kind */
    uint8_t q;       /* spellings: 2 or 3 */
    uint8_t value;   /* the current spelling, < q */
    uint8_t upper;   /* CONST: hex digits in upper case (the text's habit) */
};

/* One (key, value) pair that lp_carriers_read() gives. */
struct lp_carrier_mark {
    uint64_t key;
    uint8_t kind;
    uint8_t value;
};

/* Finds the sites of text[0..len) (C source), in text order, into *out
 * (caller frees with lp_free) and *n. LP_ELIMIT past LP_CARRIER_MAX_BYTES,
 * LP_CARRIER_MAX_SITES or the tokenizer's cap, LP_ENOMEM; the reason goes in
 * err (errlen bytes, may be NULL). On error *out is NULL. */
lp_err lp_carriers_find(const char *text, size_t len, char *err, size_t errlen,
                        struct lp_carrier_site **out, size_t *n);

/* Writes a copy of text with sites[i] spelled values[i] into *out (caller
 * frees with lp_free; NUL-terminated, *outlen bytes without the NUL). The
 * sites must come from lp_carriers_find() on this same text; only their bytes
 * change, spacing inside them is kept. LP_EINVAL for a value >= q or sites
 * out of order, overlapping or out of range; LP_ENOMEM. */
lp_err lp_carriers_apply(const char *text, size_t len,
                         const struct lp_carrier_site *sites,
                         const uint8_t *values, size_t n, char *err,
                         size_t errlen, char **out, size_t *outlen);

/* The marks a (possibly altered) copy carries: its sites' (key, value)
 * pairs sorted by key into *out (caller frees with lp_free) and *n. Errors
 * as lp_carriers_find(). */
lp_err lp_carriers_read(const char *text, size_t len, char *err, size_t errlen,
                        struct lp_carrier_mark **out, size_t *n);

/* The mark of key among marks[0..n) sorted by key (lp_carriers_read()), or
 * NULL. Borrowed from marks. */
const struct lp_carrier_mark *
lp_carriers_lookup(const struct lp_carrier_mark *marks, size_t n, uint64_t key);

#endif
