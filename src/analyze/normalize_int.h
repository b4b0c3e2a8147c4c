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
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

/* End of the run of identifier bytes (class LP_CC_ID or LP_CC_DIG: A-Z
 * a-z 0-9 _ $ and bytes >= 0x80) that starts at p, p <= end. With SSE2,
 * 16 bytes a step, the end found from a bit mask: where an identifier ends
 * follows no pattern, and a byte-at-a-time loop mispredicts its exit about
 * once an identifier. The last 15 bytes of the input go one at a time. */
static inline const unsigned char *lp_lex_ident_run(const unsigned char *p,
                                                    const unsigned char *end)
{
#if defined(__SSE2__)
    const __m128i zero = _mm_setzero_si128();
    const __m128i case_bit = _mm_set1_epi8(0x20);
    /* x + (0x80 - lo) < -128 + n, signed, when x is in [lo, lo + n) */
    const __m128i to_a = _mm_set1_epi8((char)(0x80 - 'a'));
    const __m128i to_0 = _mm_set1_epi8((char)(0x80 - '0'));
    const __m128i n_alpha = _mm_set1_epi8((char)(-128 + 26));
    const __m128i n_digit = _mm_set1_epi8((char)(-128 + 10));
    const __m128i under = _mm_set1_epi8('_'), dollar = _mm_set1_epi8('$');
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i high = _mm_cmplt_epi8(v, zero);
        __m128i alpha = _mm_cmplt_epi8(
            _mm_add_epi8(_mm_or_si128(v, case_bit), to_a), n_alpha);
        __m128i digit = _mm_cmplt_epi8(_mm_add_epi8(v, to_0), n_digit);
        __m128i sym = _mm_or_si128(_mm_cmpeq_epi8(v, under),
                                   _mm_cmpeq_epi8(v, dollar));
        __m128i id = _mm_or_si128(_mm_or_si128(high, alpha),
                                  _mm_or_si128(digit, sym));
        unsigned stop = (unsigned)_mm_movemask_epi8(id) ^ 0xffffu;
        if (stop)
            return p + __builtin_ctz(stop);
        p += 16;
    }
#endif
    while (p < end && (lp_lex_cc[*p] & (LP_CC_ID | LP_CC_DIG)))
        p++;
    return p;
}

/* Word-at-a-time scanning: a run of plain bytes (comment text) is skipped
 * 8 bytes per step instead of one. */
#define LP_SWAR_LOW7 0x7f7f7f7f7f7f7f7full

/* The 8 bytes at p, first byte lowest whatever the host's byte order. */
static inline uint64_t lp_swar_load(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

/* High bit clear in exactly the bytes of w equal to c; AND several of
 * these to test for any of several bytes. No carry crosses a byte. */
static inline uint64_t lp_swar_ne(uint64_t w, unsigned char c)
{
    uint64_t x = w ^ (0x0101010101010101ull * c);
    return ((x & LP_SWAR_LOW7) + LP_SWAR_LOW7) | x;
}

/* Index (0 to 8) of the first byte whose high bit is clear in `ne`, an AND
 * of lp_swar_ne() results. */
static inline unsigned lp_swar_first(uint64_t ne)
{
    uint64_t hit = ~ne & ~LP_SWAR_LOW7;
    return hit ? (unsigned)__builtin_ctzll(hit) >> 3 : 8;
}

/* 1 if the byte at p (p < lx->end) ends a line: "\n", or a "\r" that no
 * "\n" follows. */
static inline size_t lp_lex_nl_at(const struct lp_lex *lx,
                                  const unsigned char *p)
{
    return *p == '\n' ||
           (*p == '\r' && (p + 1 == lx->end || p[1] != '\n'));
}

/* Number of newlines in [s, e); a "\r" counts unless a "\n" follows it
 * (looked up to lx->end, so "\r\n" split across e counts once, later). */
static inline size_t lp_lex_count_nl(const struct lp_lex *lx,
                                     const unsigned char *s,
                                     const unsigned char *e)
{
    size_t n = 0;
    while (s < e) {
        if (e - s >= 8) {
            uint64_t w = lp_swar_load(s);
            unsigned k = lp_swar_first(lp_swar_ne(w, '\n') &
                                       lp_swar_ne(w, '\r'));
            s += k;
            if (k == 8)
                continue;
        }
        n += lp_lex_nl_at(lx, s);
        s++;
    }
    return n;
}

/* XXH3 of each one-byte string, filled by lp_normalize() before any lexer
 * runs: most operators and punctuators are one byte, and a table read is
 * cheaper than hashing them again. */
extern uint64_t lp_lex_hash1[256];

/* Hash of a token's text: XXH3 of it, or of its first LP_MAX_TOKEN bytes
 * seeded with its length when longer. */
static inline uint64_t lp_lex_hash(const unsigned char *s, size_t n)
{
    if (n == 1)
        return lp_lex_hash1[s[0]];
    if (n <= LP_MAX_TOKEN)
        return lp_hash64(s, n);
    return lp_hash64_seed(s, LP_MAX_TOKEN, (uint64_t)n);
}

/* Appends a token whose line the caller has checked against
 * LP_MAX_LINES. LP_ENOMEM when the array cannot grow (the tokens already
 * there stay). */
static inline lp_err lp_lex_push_any(struct lp_tokens *t, uint64_t hash,
                                     size_t line, int cls)
{
    if (t->n == t->cap &&
        !lp_grow((void **)&t->v, &t->cap, t->n + 1, sizeof *t->v))
        return LP_ENOMEM;
    t->v[t->n].hash = hash;
    t->v[t->n].line = (uint32_t)line;
    t->v[t->n].cls = (uint8_t)cls;
    t->n++;
    return LP_OK;
}

/* Appends a token with a precomputed hash; dropped past LP_MAX_LINES. */
static inline lp_err lp_lex_push(struct lp_lex *lx, uint64_t hash,
                                 size_t line, int cls)
{
    if (line > LP_MAX_LINES)
        return LP_OK;
    return lp_lex_push_any(lx->out, hash, line, cls);
}

/* Appends the token [s, e) of class `cls` on the current line. */
static inline lp_err lp_lex_emit(struct lp_lex *lx, const unsigned char *s,
                                 const unsigned char *e, int cls)
{
    if (lx->line > LP_MAX_LINES)
        return LP_OK;
    return lp_lex_push_any(lx->out, lp_lex_hash(s, (size_t)(e - s)),
                           lx->line, cls);
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
 * once per language, at the first use of its lexer. */
#define LP_KW_SLOTS 512
#define LP_KW_MAXLEN 20

struct lp_kwset {
    const char *s[LP_KW_SLOTS];
    uint8_t n[LP_KW_SLOTS];
    /* bit n of lens[c]: some word of n bytes starts with c. Rejects most
     * identifiers before the slot is even computed. */
    uint32_t lens[256];
};

static inline unsigned lp_kw_slot(const unsigned char *p, size_t n)
{
    return ((unsigned)p[0] * 31u + (unsigned)p[n - 1] * 7u +
            (unsigned)p[n >> 1] * 3u + (unsigned)n * 131u) &
           (LP_KW_SLOTS - 1);
}

/* memcmp(w, p, n) == 0 without the call: keywords are short, and every
 * identifier of a C-family file is looked up. */
static inline bool lp_kw_eq(const char *w, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)w[i] != p[i])
            return false;
    return true;
}

/* Fills `k` from a NULL-terminated list (NULL list: empty set). */
void lp_kwset_build(struct lp_kwset *k, const char *const *words);

/* Adds one non-empty word unless already present. */
void lp_kwset_add(struct lp_kwset *k, const char *word);

/* True if p[0..n) is in the set. */
static inline bool lp_kwset_has(const struct lp_kwset *k,
                                const unsigned char *p, size_t n)
{
    if (n == 0 || n > LP_KW_MAXLEN || !((k->lens[p[0]] >> n) & 1))
        return false;
    unsigned i = lp_kw_slot(p, n);
    for (; k->s[i]; i = (i + 1) & (LP_KW_SLOTS - 1))
        if (k->n[i] == n && lp_kw_eq(k->s[i], p, n))
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
