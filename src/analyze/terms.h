/* SPDX-License-Identifier: Apache-2.0
 *
 * terms: the identifiers distinctive of a content of code, which the
 * registry learns at `add` as watch terms (lp_registry_terms()). One pass
 * over the text, no allocation: the caller gives the array of results,
 * which point into the text.
 *
 * An identifier is kept when it is a word of [A-Za-z_][A-Za-z0-9_]*
 * (a run of [A-Za-z0-9_] and bytes >= 0x80: a run that holds a non-ASCII
 * byte, or starts with a digit, is no identifier) that
 *   - is LP_TERMS_MIN_LEN to LP_TERMS_MAX_LEN bytes long;
 *   - has at least LP_TERMS_MIN_WORDS sub-words: split at '_', where a
 *     lower-case letter or a digit is followed by an upper-case one
 *     ("parseHeader"), where an upper-case run ends before a capitalised
 *     word ("HTTPServer": HTTP, Server), and between letters and digits
 *     ("sha256sum": sha, 256, sum), and at least LP_TERMS_MIN_MEAN letters
 *     and digits per sub-word (a random string, a key "Zx9vQ2mLp8", has
 *     many short ones);
 *   - is not a macro-like name (no lower-case letter) shorter than
 *     LP_TERMS_MACRO_LEN;
 *   - does not start with a well-known public prefix (lp_terms_public_prefix):
 *     compiler built-ins and the APIs of common libraries.
 * At most `max` are kept, each once: the longest, then the first in byte
 * order (deterministic whatever the order in the text).
 */
#ifndef LP_TERMS_H
#define LP_TERMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes of an identifier kept, at least and at most (longer words are
 * generated data: hashes, encoded blobs). */
#define LP_TERMS_MIN_LEN 16
#define LP_TERMS_MAX_LEN 64
/* Sub-words an identifier kept has, at least. */
#define LP_TERMS_MIN_WORDS 3
/* Letters and digits per sub-word, on average, at least. */
#define LP_TERMS_MIN_MEAN 3
/* A name without a lower-case letter (a macro, a constant) is kept from
 * this length on. */
#define LP_TERMS_MACRO_LEN 20
/* Identifiers kept per content of protected material, at most. */
#define LP_TERMS_PER_CONTENT 16
/* Per content of public material, at most: what protected identifiers
 * are checked against ("rare in other code"), so more are kept. */
#define LP_TERMS_PER_PUBLIC 1024

/* One identifier found: text[off .. off+len). */
struct lp_term_span {
    size_t off;
    uint32_t len;
};

/* A byte range of the text whose words are never kept: the lines that
 * hold a secret, so that no secret value becomes a term. */
struct lp_term_skip {
    size_t from, to; /* text[from .. to) */
};

/* The distinctive identifiers of text[0..len) (see above) into out (max
 * entries, caller-owned), ordered longest first, then by byte order;
 * words that overlap one of the nskip ranges of skip (sorted by `from`)
 * are not kept. Returns how many were written. */
size_t lp_terms_idents(const char *text, size_t len,
                       const struct lp_term_skip *skip, size_t nskip,
                       struct lp_term_span *out, size_t max);

/* The range of the `lines` lines (at least 1) of text[0..len) from the
 * one holding byte `offset`, for lp_terms_idents(). */
struct lp_term_skip lp_terms_lines(const char *text, size_t len, size_t offset,
                                   uint32_t lines);

/* Sub-words of the identifier s[0..n) (see above). */
unsigned lp_terms_subwords(const char *s, size_t n);

/* Whether s[0..n) starts with a public prefix (see terms.c for the list). */
bool lp_terms_public_prefix(const char *s, size_t n);

/* An internal host name found by the exposure rule internal-hostname,
 * made a term: lower-cased into out (outlen bytes). False when it is no
 * host name (empty, too long for out, an IP address, a byte outside
 * [A-Za-z0-9.-]). */
bool lp_terms_host(const char *value, char *out, size_t outlen);

#endif
