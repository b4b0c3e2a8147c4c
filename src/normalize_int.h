/* SPDX-License-Identifier: Apache-2.0
 *
 * normalize_int.h: private to the normalize module (normalize*.c). Holds the
 * pieces the three lexers share: the 256-entry character-class table, the
 * lexer cursor with its line counter, token emission (hash, line, class),
 * keyword sets and the multi-character operator matcher.
 *
 * Invariants: a lexer only reads bytes in [buf, end); `line` is 1 plus the
 * number of newlines ("\n", "\r\n" or a lone "\r") before the cursor; tokens
 * on lines above LP_MAX_LINES are dropped, the scan itself goes on.
 */
#ifndef LP_NORMALIZE_INT_H
#define LP_NORMALIZE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hash.h"
#include "limits.h"
#include "mem.h"
#include "normalize.h"

/* Character classes, bits of lp_lex_cc[]. */
enum lp_cc {
    LP_CC_ID = 1 << 0,    /* identifier: A-Z a-z _ $ and bytes >= 0x80 */
    LP_CC_DIG = 1 << 1,   /* 0-9 */
    LP_CC_SP = 1 << 2,    /* space, tab, vertical tab, form feed */
    LP_CC_NL = 1 << 3,    /* \n \r */
    LP_CC_PUNCT = 1 << 4, /* printable ASCII punctuation except _ and $ */
    LP_CC_CTRL = 1 << 5,  /* other control bytes, NUL, DEL */
    LP_CC_WORD = 1 << 6,  /* prose word: ASCII letters, digits, >= 0x80 */
};

/* The class table (read-only, defined in normalize.c). */
extern const uint8_t lp_lex_cc[256];

/* A lexer's cursor over one input. */
struct lp_lex {
    const unsigned char *buf, *end; /* the input, never read outside */
    size_t line;                    /* line of the next byte to lex */
    struct lp_tokens *out;          /* tokens are appended here */
};

/* Number of newlines in [s, e); a "\r" counts unless a "\n" follows it
 * (looked up to lx->end, so "\r\n" split across e counts once, later). */
static inline size_t lp_lex_count_nl(const struct lp_lex *lx,
                                     const unsigned char *s,
                                     const unsigned char *e)
{
    size_t n = 0;
    for (; s < e; s++) {
        if (*s == '\n')
            n++;
        else if (*s == '\r' && (s + 1 == lx->end || s[1] != '\n'))
            n++;
    }
    return n;
}

/* Hash of a token's text: XXH3 of it, or of its first LP_MAX_TOKEN bytes
 * seeded with its length when longer. */
static inline uint64_t lp_lex_hash(const unsigned char *s, size_t n)
{
    if (n <= LP_MAX_TOKEN)
        return lp_hash64(s, n);
    return lp_hash64_seed(s, LP_MAX_TOKEN, (uint64_t)n);
}

/* Appends a token with a precomputed hash. LP_ENOMEM when the array cannot
 * grow (the tokens already there stay). */
static inline lp_err lp_lex_push(struct lp_lex *lx, uint64_t hash,
                                 size_t line, int cls)
{
    struct lp_tokens *t = lx->out;
    if (line > LP_MAX_LINES)
        return LP_OK;
    if (t->n == t->cap &&
        !lp_grow((void **)&t->v, &t->cap, t->n + 1, sizeof *t->v))
        return LP_ENOMEM;
    t->v[t->n].hash = hash;
    t->v[t->n].line = (uint32_t)line;
    t->v[t->n].cls = (uint8_t)cls;
    t->n++;
    return LP_OK;
}

/* Appends the token [s, e) of class `cls` on the current line. */
static inline lp_err lp_lex_emit(struct lp_lex *lx, const unsigned char *s,
                                 const unsigned char *e, int cls)
{
    if (lx->line > LP_MAX_LINES)
        return LP_OK;
    return lp_lex_push(lx, lp_lex_hash(s, (size_t)(e - s)), lx->line, cls);
}

/* Like lp_lex_emit for a token that may span lines: the token gets the
 * line of its first byte, then the line counter moves past it. */
static inline lp_err lp_lex_emit_span(struct lp_lex *lx,
                                      const unsigned char *s,
                                      const unsigned char *e, int cls)
{
    lp_err err = lp_lex_emit(lx, s, e, cls);
    lx->line += lp_lex_count_nl(lx, s, e);
    return err;
}

/* A keyword set: an open-addressing table over a static word list, built
 * on the stack once per lp_normalize() call (a few hundred nanoseconds). */
#define LP_KW_SLOTS 512
#define LP_KW_MAXLEN 20

struct lp_kwset {
    const char *s[LP_KW_SLOTS];
    uint8_t n[LP_KW_SLOTS];
};

static inline unsigned lp_kw_slot(const unsigned char *p, size_t n)
{
    return ((unsigned)p[0] * 31u + (unsigned)p[n - 1] * 7u +
            (unsigned)p[n >> 1] * 3u + (unsigned)n * 131u) &
           (LP_KW_SLOTS - 1);
}

/* Fills `k` from a NULL-terminated list (NULL list: empty set). */
void lp_kwset_build(struct lp_kwset *k, const char *const *words);

/* True if p[0..n) is in the set. */
static inline bool lp_kwset_has(const struct lp_kwset *k,
                                const unsigned char *p, size_t n)
{
    if (n == 0 || n > LP_KW_MAXLEN)
        return false;
    unsigned i = lp_kw_slot(p, n);
    for (; k->s[i]; i = (i + 1) & (LP_KW_SLOTS - 1))
        if (k->n[i] == n && memcmp(k->s[i], p, n) == 0)
            return true;
    return false;
}

/* Length (1 to 4) of the operator starting at p, p < end: the longest
 * multi-character operator of any supported language, else 1. */
size_t lp_lex_op_len(const unsigned char *p, const unsigned char *end);

/* The three lexers: append the normalized stream of lx's input. */
lp_err lp_lex_c(enum lp_lang lang, struct lp_lex *lx);
lp_err lp_lex_hashc(enum lp_lang lang, struct lp_lex *lx);
lp_err lp_lex_prose(enum lp_lang lang, struct lp_lex *lx);

#endif
