/* SPDX-License-Identifier: Apache-2.0
 *
 * fingerprint: rolling k-gram hashes and robust winnowing (see the header).
 *
 * Robust winnowing: the selection (the window's minimum) stays while it is
 * in the window and no strictly smaller hash arrives, so a run of equal
 * minima keeps its first; when it leaves the window, the window is searched
 * again for its rightmost minimum. The last w hashes live in a ring. A
 * search costs w and happens about once every w/2 k-grams on hashed input,
 * so about two comparisons per k-gram; the search uses conditional moves,
 * not branches (which entry of the window wins follows no pattern: as
 * branches, the search took a quarter of winnowing's time in perf, and a
 * benchmark of 5.5 million tokens went from 35.5 to 29.9 ms). A monotone
 * deque, O(1) amortized too, costs more in branch misses than it saves in
 * comparisons. Any input stays within O(n w).
 */
#include "fingerprint.h"

#include <string.h>

#include "mem.h"
#include "banned.h"

/* Odd multiplier of the polynomial rolling hash (mod 2^64). */
#define ROLL_BASE 0x9E3779B97F4A7C15ull
#define MAX_W 1024

void lp_fps_init(struct lp_fps *f)
{
    f->v = NULL;
    f->n = f->cap = 0;
}

void lp_fps_release(struct lp_fps *f)
{
    if (!f)
        return;
    lp_free(f->v);
    lp_fps_init(f);
}

/* Finalizer of a 64-bit mix (from MurmurHash3's fmix64 constants): the
 * polynomial's low bits depend on few inputs; this spreads them. */
static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

static uint64_t power(uint64_t b, unsigned e)
{
    uint64_t r = 1;
    while (e--)
        r *= b;
    return r;
}

static lp_err emit(struct lp_fps *out, const struct lp_token *tok, size_t pos,
                   unsigned k, uint64_t h)
{
    /* The capacity check inline: lp_grow is a call, made only to grow. */
    if (out->n == out->cap &&
        !lp_grow((void **)&out->v, &out->cap, out->n + 1, sizeof *out->v))
        return LP_ENOMEM;
    /* Winnowing keeps window minima, which crowd the low end of the hash
     * space; mixed once more (a bijection), the fingerprints spread evenly
     * again over the registry's buckets. */
    out->v[out->n].hash = mix64(h ^ 0x2545F4914F6CDD1Dull);
    out->v[out->n].first = tok[pos].line;
    out->v[out->n].last = tok[pos + k - 1].line;
    out->n++;
    return LP_OK;
}

/* Tokens that make a k-gram worth a fingerprint: not only numbers and
 * punctuation. */
static inline bool is_content(uint8_t cls)
{
    return cls != LP_TOK_NUMBER && cls != LP_TOK_OP;
}

/* A stream shorter than k (a tiny header, a one-line script) gets a single
 * fingerprint of all its tokens, so that such files still match their
 * reformatted copies. */
static lp_err short_stream(struct lp_fps *out, const struct lp_token *tok,
                           size_t n)
{
    uint64_t roll = 0;
    size_t content = 0, legal = 0;
    for (size_t i = 0; i < n; i++) {
        content += is_content(tok[i].cls);
        legal += tok[i].cls == LP_TOK_LEGAL;
    }
    if (!content || legal >= LP_FP_MAX_LEGAL)
        return LP_OK; /* blank, as in winnow() */
    for (size_t i = 0; i < n; i++)
        roll = roll * ROLL_BASE + tok[i].hash;
    return emit(out, tok, 0, (unsigned)n, mix64(roll ^ n));
}

/* Hashes of the abstract stream's classes, and the salt of its k-grams
 * (arbitrary odd constants). */
#define ABS_IDENT 0x6a09e667f3bcc909ull
#define ABS_NUMBER 0xbb67ae8584caa73bull
#define ABS_STRING 0x3c6ef372fe94f82bull
#define ABS_SALT 0xa54ff53a5f1d36f1ull

/* Hash of a blank abstract k-gram (see winnow). */
#define BLANK UINT64_MAX

static inline unsigned slot64(uint64_t h)
{
    return (unsigned)((h * 0x9E3779B97F4A7C15ull) >> 58);
}

static inline uint64_t tok_hash(const struct lp_token *t, bool abstract)
{
    if (!abstract)
        return t->hash;
    switch (t->cls) {
    case LP_TOK_IDENT:
        return ABS_IDENT;
    case LP_TOK_NUMBER:
        return ABS_NUMBER;
    case LP_TOK_STRING:
        return ABS_STRING;
    default:
        return t->hash;
    }
}

/* The rolling hash of a stream's k-grams and what makes one blank, shared
 * by winnow() and kgrams(); `abstract` is a constant at each call. */
struct roll {
    uint64_t roll, top, salt;
    /* Abstract stream: distinct tokens of the current k-gram, counted in
     * 64 slots (a collision only undercounts). Normalized stream: its
     * content tokens and its licence words. */
    uint8_t seen[64];
    unsigned ndistinct, content, legal;
};

/* Takes in the first k - 1 tokens. */
static inline __attribute__((always_inline)) void
roll_init(struct roll *r, const struct lp_token *tok, unsigned k,
          bool abstract)
{
    memset(r, 0, sizeof *r);
    r->salt = abstract ? ABS_SALT : 0;
    r->top = power(ROLL_BASE, k - 1);
    for (size_t i = 0; i < k - 1; i++) {
        uint64_t th = tok_hash(&tok[i], abstract);
        r->roll = r->roll * ROLL_BASE + th;
        if (abstract) {
            r->ndistinct += r->seen[slot64(th)]++ == 0;
        } else {
            r->content += is_content(tok[i].cls);
            r->legal += tok[i].cls == LP_TOK_LEGAL;
        }
    }
}

/* The hash of the k-gram starting at token i (BLANK when it is blank),
 * and the state moved past its first token. */
static inline __attribute__((always_inline)) uint64_t
roll_next(struct roll *r, const struct lp_token *tok, size_t i, unsigned k,
          bool abstract)
{
    uint64_t in = tok_hash(&tok[i + k - 1], abstract);
    uint64_t out_h = tok_hash(&tok[i], abstract);
    r->roll = r->roll * ROLL_BASE + in;
    uint64_t h = mix64(r->roll) ^ r->salt;
    r->roll -= out_h * r->top;
    /* A blank k-gram is never selected while its window has another,
     * and never emitted: it says nothing of origin. */
    if (abstract) {
        /* few distinct tokens: a table of numbers, a run of #defines */
        r->ndistinct += r->seen[slot64(in)]++ == 0;
        if (r->ndistinct < LP_AFP_MIN_DISTINCT)
            h = BLANK;
        r->ndistinct -= --r->seen[slot64(out_h)] == 0;
    } else {
        /* only numbers and punctuation (data), or licence text */
        r->content += is_content(tok[i + k - 1].cls);
        r->legal += tok[i + k - 1].cls == LP_TOK_LEGAL;
        if (!r->content || r->legal >= LP_FP_MAX_LEGAL)
            h = BLANK;
        r->content -= is_content(tok[i].cls);
        r->legal -= tok[i].cls == LP_TOK_LEGAL;
    }
    return h;
}

/* The winnowing of either stream: `abstract` is a constant at each call,
 * so each gets its own loop. */
static inline __attribute__((always_inline)) lp_err
winnow(const struct lp_token *tok, size_t n, unsigned k, unsigned w,
       bool abstract, struct lp_fps *out)
{
    if (k == 0 || w == 0 || w > MAX_W || k > MAX_W)
        return LP_EINVAL;
    if (n < k) {
        if (abstract || n < LP_FP_MIN_TOKENS)
            return LP_OK;
        return short_stream(out, tok, n);
    }
    size_t ngrams = n - k + 1;
    /* The last w k-gram hashes, in a ring whose size is a power of two. */
    uint64_t ring[MAX_W];
    size_t mask = 1;
    while (mask < (size_t)w)
        mask <<= 1;
    mask--;
    size_t sel = 0, last_emitted = SIZE_MAX;
    uint64_t selh = UINT64_MAX;
    struct roll r;
    roll_init(&r, tok, k, abstract);
    for (size_t i = 0; i < ngrams; i++) {
        uint64_t h = roll_next(&r, tok, i, k, abstract);
        ring[i & mask] = h;

        if (i == 0 || h < selh) {
            sel = i;
            selh = h;
        } else if (i >= w && sel <= i - w) {
            /* The selection left the window: its rightmost minimum. */
            sel = i - w + 1;
            selh = ring[sel & mask];
            /* without branches: which entry wins follows no pattern */
            for (size_t j = sel + 1; j <= i; j++) {
                uint64_t v = ring[j & mask];
                bool le = v <= selh;
                sel = le ? j : sel;
                selh = le ? v : selh;
            }
        }
        /* A window is complete from i = w-1 on, or at the very end. */
        if ((i + 1 >= w || i + 1 == ngrams) && sel != last_emitted) {
            last_emitted = sel;
            if (selh == BLANK)
                continue;
            lp_err err = emit(out, tok, sel, k, selh);
            if (err)
                return err;
        }
    }
    return LP_OK;
}

/* The k-gram hashes of lp_kgram_hashes(), in either stream (a constant at
 * each call, as in winnow()). */
static inline __attribute__((always_inline)) void
kgrams(const struct lp_token *tok, size_t n, unsigned k, bool abstract,
       uint64_t *h, bool *has)
{
    struct roll r;
    roll_init(&r, tok, k, abstract);
    for (size_t i = 0; i + k <= n; i++) {
        uint64_t x = roll_next(&r, tok, i, k, abstract);
        /* as emit() writes it; a blank k-gram is never emitted */
        has[i] = x != BLANK;
        h[i] = has[i] ? mix64(x ^ 0x2545F4914F6CDD1Dull) : 0;
    }
}

void lp_kgram_hashes(const struct lp_token *tok, size_t n, unsigned k,
                     enum lp_stream s, uint64_t *h, bool *has)
{
    if (k == 0 || k > MAX_W || n < k)
        return;
    if (s == LP_STREAM_ABSTRACT)
        kgrams(tok, n, k, true, h, has);
    else
        kgrams(tok, n, k, false, h, has);
}

lp_err lp_fingerprint_append(const struct lp_token *tok, size_t n, unsigned k,
                             unsigned w, enum lp_stream s, struct lp_fps *out)
{
    return s == LP_STREAM_ABSTRACT ? winnow(tok, n, k, w, true, out)
                                   : winnow(tok, n, k, w, false, out);
}

lp_err lp_fingerprint(const struct lp_token *tok, size_t n, unsigned k,
                      unsigned w, struct lp_fps *out)
{
    out->n = 0;
    return winnow(tok, n, k, w, false, out);
}
