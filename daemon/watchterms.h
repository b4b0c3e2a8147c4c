/* SPDX-License-Identifier: Apache-2.0
 *
 * watchterms.h: the watch terms of `leakprint watch` (docs/TERMS.md): a YAML
 * file of literals and regexes with a severity each, plus the terms the
 * caller derives from the registry (collections, domains, host names,
 * distinctive identifiers, file names), compiled into one Hyperscan
 * database and matched against each item's text.
 *
 * Life of a set: lp_terms_load() (or lp_terms_parse() from memory, or
 * lp_terms_new() for no file) gives a set that takes terms;
 * lp_terms_add() adds the derived ones; lp_terms_compile() builds the
 * database, after which the set is read-only and may be matched from any
 * number of threads, each with its own struct lp_terms_scratch. A reload
 * (SIGHUP) builds a new set the same way and swaps it in: building one
 * never reads or writes another.
 *
 * Matching rules: a literal matches case-insensitively (ASCII letters),
 * and only where it is not part of a longer word: on each side whose
 * edge byte of the term is a word byte (A-Z a-z 0-9 _ or any byte of a
 * multi-byte UTF-8 character) the text's next byte must not be one. A
 * regex matches as written (Hyperscan syntax, `(?i)` allowed). Matches
 * of one term are counted without overlap, leftmost first.
 */
#ifndef LP_DAEMON_WATCHTERMS_H
#define LP_DAEMON_WATCHTERMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "leakprint.h"

/* Limits: each has a one-line error naming the file (docs/TERMS.md). */
#define LP_TERMS_MAX 100000              /* terms in one set */
#define LP_TERMS_MAX_BYTES (1024 * 1024) /* the terms file */
#define LP_TERMS_MAX_LEN 1024            /* bytes of one term or regex */
#define LP_TERMS_COUNT_MAX 10000         /* a hit's count stops there */
#define LP_TERMS_MAX_DEPTH 64            /* nesting of [ and { in the file */
/* Bytes of one text matched (Hyperscan takes an unsigned int length): the
 * rest is not looked at and the hits say so (truncated). */
#define LP_TERMS_SCAN_MAX ((size_t)UINT32_MAX)

enum lp_terms_severity {
    LP_TERMS_LOW,
    LP_TERMS_MEDIUM,
    LP_TERMS_HIGH,
    LP_TERMS_CRITICAL,
};

/* Where a term comes from: the file's `term` (a literal) or `regex`, or
 * one of the kinds the caller derives from the registry (literals). */
enum lp_terms_kind {
    LP_TERMS_TERM,
    LP_TERMS_REGEX,
    LP_TERMS_COLLECTION,
    LP_TERMS_DOMAIN,
    LP_TERMS_HOST,
    LP_TERMS_IDENT,
    LP_TERMS_FILE,
};

struct lp_terms;

/* One term that matched a text. */
struct lp_terms_hit {
    const char *label; /* the term, or the regex's name or text: borrowed
                          from the set, valid until lp_terms_free() */
    enum lp_terms_kind kind;
    enum lp_terms_severity severity;
    uint32_t count;   /* matches, without overlap; at most LP_TERMS_COUNT_MAX */
    size_t first;     /* byte offset where the first match starts */
    size_t first_end; /* and where it ends (exclusive) */
    size_t term;      /* the term's index in the set (lp_terms_label()) */
};

/* The hits of one text, in order of first offset (ties: the term added
 * first). The caller embeds it: lp_terms_hits_init(), reuse it for any
 * number of texts (each lp_terms_match() replaces its content), then
 * lp_terms_hits_release(). */
struct lp_terms_hits {
    struct lp_terms_hit *v;
    size_t n, cap;
    bool truncated; /* the text was longer than LP_TERMS_SCAN_MAX */
};

/* Per-thread matching state (a Hyperscan scratch and the per-term
 * bookkeeping): opaque. */
struct lp_terms_scratch;

/* An empty set (no file): derive true, no term; it takes terms. Returns
 * NULL when out of memory. Caller frees with lp_terms_free(). */
struct lp_terms *lp_terms_new(void);

/* Reads the terms file at path (at most LP_TERMS_MAX_BYTES) into a new set
 * that takes more terms. On failure *out is NULL and err holds one line
 * "'path':LINE: reason" (or "'path': reason" when there is no line).
 * Returns LP_OK, LP_ENOTFOUND (no such file), LP_EIO, LP_EFORMAT (not
 * YAML, or not the format), LP_ELIMIT (too big, too many terms, a term
 * too long), LP_ENOMEM. Caller frees *out with lp_terms_free(). */
lp_err lp_terms_load(const char *path, struct lp_terms **out, char *err,
                     size_t errlen);

/* lp_terms_load() on the len bytes of buf, which need not end in NUL;
 * name stands for the file in messages and is copied. */
lp_err lp_terms_parse(const char *buf, size_t len, const char *name,
                      struct lp_terms **out, char *err, size_t errlen);

/* Frees t; accepts NULL. */
void lp_terms_free(struct lp_terms *t);

/* The file's `derive:` (true when absent or for lp_terms_new()). */
bool lp_terms_derive(const struct lp_terms *t);

/* Adds a literal term of kind (any but LP_TERMS_REGEX) and severity,
 * matched as the file's literals are. text is copied. A literal already
 * in the set (compared without case) is not added again: the first one
 * keeps its severity and kind, and LP_OK is returned. Returns LP_EINVAL
 * (a regex kind, an empty text or one with a NUL, or t compiled),
 * LP_ELIMIT (LP_TERMS_MAX terms, or text longer than LP_TERMS_MAX_LEN),
 * LP_ENOMEM; lp_terms_errmsg() says why. */
lp_err lp_terms_add(struct lp_terms *t, enum lp_terms_kind kind,
                    const char *text, enum lp_terms_severity severity);

/* Builds the Hyperscan database of every term; t is read-only afterwards.
 * A set with no term compiles to nothing and matches nothing. Returns
 * LP_OK, LP_EFORMAT when Hyperscan refuses a pattern (lp_terms_errmsg():
 * "'path':LINE: regex does not compile: Hyperscan's reason", or "derived
 * term 'text': reason"), LP_ENOMEM, LP_EINVAL when already compiled. */
lp_err lp_terms_compile(struct lp_terms *t);

/* The number of terms in the set (duplicates of lp_terms_add() not
 * counted). */
size_t lp_terms_count(const struct lp_terms *t);

/* The label of term i (see struct lp_terms_hit), or NULL past the end.
 * Borrowed; valid until lp_terms_free(). */
const char *lp_terms_label(const struct lp_terms *t, size_t i);

/* The kind and severity of term i: false past the end. */
bool lp_terms_info(const struct lp_terms *t, size_t i,
                   enum lp_terms_kind *kind, enum lp_terms_severity *severity);

/* The last error's detail (borrowed; valid until the next call on t). */
const char *lp_terms_errmsg(const struct lp_terms *t);

/* A scratch for one thread: matches any compiled set (it grows when a
 * larger set comes, e.g. after a reload). Returns NULL when out of
 * memory. Caller frees with lp_terms_scratch_free(). */
struct lp_terms_scratch *lp_terms_scratch_new(void);

/* Frees s; accepts NULL. */
void lp_terms_scratch_free(struct lp_terms_scratch *s);

void lp_terms_hits_init(struct lp_terms_hits *h);
void lp_terms_hits_release(struct lp_terms_hits *h);

/* Matches the len bytes of text against the compiled set t, with the
 * calling thread's scratch s, into hits (replacing what they held): each
 * term that matched once, in order of first offset. Returns LP_OK,
 * LP_EINVAL (t not compiled), LP_ENOMEM, LP_EIO (Hyperscan failed; hits
 * are then empty). */
lp_err lp_terms_match(const struct lp_terms *t, struct lp_terms_scratch *s,
                      const char *text, size_t len, struct lp_terms_hits *hits);

/* "critical", "high", "medium", "low" (static). */
const char *lp_terms_severity_name(enum lp_terms_severity s);

/* "term", "regex", "collection", "domain", "host", "ident", "file"
 * (static). */
const char *lp_terms_kind_name(enum lp_terms_kind k);

#endif
