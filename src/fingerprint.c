/* SPDX-License-Identifier: Apache-2.0
 *
 * fingerprint: rolling k-gram hashes and robust winnowing (see the header).
 *
 * The window minimum is kept in a monotone deque of k-gram positions whose
 * hashes are non-decreasing from front to back, so each k-gram is pushed and
 * popped once: O(n) whatever w is. Equal hashes stay in the deque in order;
 * the front (the selection) moves only when it leaves the window, and then
 * skips to the rightmost of the equal minima, which is robust winnowing.
 */
#include "fingerprint.h"

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
    out->v[out->n].hash = h;
    out->v[out->n].first = tok[pos].line;
    out->v[out->n].last = tok[pos + k - 1].line;
    out->n++;
    return LP_OK;
}

/* A stream shorter than k (a tiny header, a one-line script) gets a single
 * fingerprint of all its tokens, so that such files still match their
 * reformatted copies. */
static lp_err short_stream(struct lp_fps *out, const struct lp_token *tok,
                           size_t n)
{
    uint64_t roll = 0;
    for (size_t i = 0; i < n; i++)
        roll = roll * ROLL_BASE + tok[i].hash;
    return emit(out, tok, 0, (unsigned)n, mix64(roll ^ n));
}

lp_err lp_fingerprint(const struct lp_token *tok, size_t n, unsigned k,
                      unsigned w, struct lp_fps *out)
{
    out->n = 0;
    if (k == 0 || w == 0 || w > MAX_W || k > MAX_W)
        return LP_EINVAL;
    if (n < k)
        return n >= LP_FP_MIN_TOKENS ? short_stream(out, tok, n) : LP_OK;

    size_t ngrams = n - k + 1;
    /* Deque of positions in a ring of at least w+1 slots (a power of two,
     * so that wrapping is a mask, not a division), hashes alongside. */
    size_t dq_pos[2 * MAX_W];
    uint64_t dq_hash[2 * MAX_W];
    size_t head = 0, len = 0, mask = 1;
    while (mask < (size_t)w + 1)
        mask <<= 1;
    mask--;
    size_t last_emitted = SIZE_MAX;
    uint64_t top = power(ROLL_BASE, k - 1), roll = 0;

    for (size_t i = 0; i < k - 1; i++)
        roll = roll * ROLL_BASE + tok[i].hash;
    for (size_t i = 0; i < ngrams; i++) {
        roll = roll * ROLL_BASE + tok[i + k - 1].hash;
        uint64_t h = mix64(roll);
        roll -= tok[i].hash * top;

        /* Push: drop larger hashes from the back; equal ones stay. */
        while (len && dq_hash[(head + len - 1) & mask] > h)
            len--;
        dq_pos[(head + len) & mask] = i;
        dq_hash[(head + len) & mask] = h;
        len++;
        /* Expire the front; then prefer the rightmost of equal minima. */
        if (i >= w && dq_pos[head] <= i - w) {
            head = (head + 1) & mask;
            len--;
            while (len > 1 && dq_hash[(head + 1) & mask] == dq_hash[head]) {
                head = (head + 1) & mask;
                len--;
            }
        }
        /* A window is complete from i = w-1 on, or at the very end. */
        if (i + 1 >= w || i + 1 == ngrams) {
            if (dq_pos[head] != last_emitted) {
                last_emitted = dq_pos[head];
                lp_err err = emit(out, tok, last_emitted, k, dq_hash[head]);
                if (err)
                    return err;
            }
        }
    }
    return LP_OK;
}
