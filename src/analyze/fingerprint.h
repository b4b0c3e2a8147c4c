/* SPDX-License-Identifier: Apache-2.0
 *
 * fingerprint: k-gram hashes over a token stream, winnowed.
 *
 * Each k consecutive tokens form a k-gram whose 64-bit hash is rolled over
 * the token hashes (polynomial, then a mixing finalizer). Winnowing keeps,
 * of every window of w consecutive k-gram hashes, the minimum (robust
 * winnowing: on a tie the position already selected stays selected, else the
 * rightmost minimum). Guarantee: any run of at least t = w + k - 1 tokens
 * common to two streams yields at least one fingerprint hash common to both.
 * A stream with at least k tokens but fewer than t keeps its single minimum;
 * one with LP_FP_MIN_TOKENS to k-1 tokens gets one fingerprint of them all.
 * Blank k-grams (licence text, data; and in the abstract stream, few
 * distinct tokens) are never fingerprints; the guarantee holds for runs
 * without them.
 *
 * Each fingerprint carries the first and last line of its k-gram so that
 * matches can be turned into line spans.
 */
#ifndef LP_FINGERPRINT_H
#define LP_FINGERPRINT_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "leakprint.h"
#include "normalize.h"
#include "params.h"

/* An abstract k-gram of fewer distinct tokens says nothing: a table of
 * numbers ("N , N , N , ...") or a run of "# define I S" is the same in
 * every program. It is never a fingerprint. */
#define LP_AFP_MIN_DISTINCT 6

/* A normalized k-gram with this many licence words (LP_TOK_LEGAL), or
 * with nothing but numbers and punctuation, is never a fingerprint:
 * licence notices and data tables are the same in countless projects. */
#define LP_FP_MAX_LEGAL 2

/* Shorter streams get no fingerprint at all: too little to tell. */
#define LP_FP_MIN_TOKENS 6

enum lp_stream {
    LP_STREAM_NORMALIZED = 0,
    LP_STREAM_ABSTRACT = 1,
};

struct lp_fp {
    uint64_t hash;
    uint32_t first; /* line of the k-gram's first token */
    uint32_t last;  /* line of its last token */
};

struct lp_fps {
    struct lp_fp *v;
    size_t n, cap;
};

void lp_fps_init(struct lp_fps *f);
void lp_fps_release(struct lp_fps *f);

/* Replaces the contents of `out` with the winnowed fingerprints of the
 * normalized stream of the n tokens, in stream order. k >= 1, w >= 1,
 * k, w <= 1024. Returns LP_OK, LP_EINVAL or LP_ENOMEM. */
lp_err lp_fingerprint(const struct lp_token *tok, size_t n, unsigned k,
                      unsigned w, struct lp_fps *out);

/* Appends to `out` the winnowed fingerprints of stream `s` of the tokens.
 * The abstract stream hashes an identifier, a number or a string by its
 * class only (keywords, operators and prose words keep their own hash),
 * gives no fingerprint to a stream shorter than k nor to a k-gram of fewer
 * than LP_AFP_MIN_DISTINCT distinct tokens, and salts its hashes: they
 * never equal a normalized one by design. */
lp_err lp_fingerprint_append(const struct lp_token *tok, size_t n, unsigned k,
                             unsigned w, enum lp_stream s, struct lp_fps *out);

/* The hash each k-gram of tokens [0, n) of stream s would have as a
 * fingerprint (what lp_fingerprint_append() of those k tokens alone, w = 1,
 * gives): h[i] for the k-gram starting at token i, i in [0, n - k]; has[i]
 * false (h[i] 0) where that k-gram is blank and gets none. One rolling
 * pass, for a window of k-grams of which winnowing kept some or none.
 * Nothing is written when n < k or k is 0 or above 1024. */
void lp_kgram_hashes(const struct lp_token *tok, size_t n, unsigned k,
                     enum lp_stream s, uint64_t *h, bool *has);

#endif
