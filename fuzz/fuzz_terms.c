/* SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_terms: libFuzzer harness of the watch-term tokenizer (terms.h).
 * The first byte picks the cap (0..LP_TERMS_PER_CONTENT * 4) and, in its
 * top bit, whether the line of the middle byte is skipped; the rest is
 * the text. Besides the sanitizers, it checks the invariants of
 * lp_terms_idents(): at most max results, inside the text, each a whole
 * word of the allowed length, of ASCII identifier bytes not starting with
 * a digit, outside the skipped range, strictly ordered (longest first,
 * then bytes: so no duplicate), and the same results again; and that
 * lp_terms_host() gives lower-case [a-z0-9.-] only. Replayed over
 * fuzz/corpus/terms/ by the shared replay main.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "terms.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lp_term_span a[4 * LP_TERMS_PER_CONTENT + 1];
    struct lp_term_span b[4 * LP_TERMS_PER_CONTENT + 1];
    if (size == 0)
        return 0;
    size_t max = (data[0] & 0x7f) % (4 * LP_TERMS_PER_CONTENT + 1);
    const char *t = (const char *)data + 1;
    size_t len = size - 1;
    struct lp_term_skip skip = {0, 0};
    size_t nskip = 0;
    if ((data[0] & 0x80) && len) {
        skip = lp_terms_lines(t, len, len / 2, 1);
        if (skip.from > len / 2 || skip.to <= len / 2 || skip.to > len)
            __builtin_trap();
        nskip = 1;
    }
    size_t n = lp_terms_idents(t, len, &skip, nskip, a, max);
    if (n > max)
        __builtin_trap();
    for (size_t i = 0; i < n; i++) {
        size_t o = a[i].off, w = a[i].len;
        const unsigned char *u = (const unsigned char *)t;
        if (w < LP_TERMS_MIN_LEN || w > LP_TERMS_MAX_LEN || o > len ||
            w > len - o)
            __builtin_trap();
        if ((o > 0 && word_byte(u[o - 1])) ||
            (o + w < len && word_byte(u[o + w])))
            __builtin_trap(); /* not a whole word */
        if (u[o] >= '0' && u[o] <= '9')
            __builtin_trap();
        for (size_t k = 0; k < w; k++)
            if (u[o + k] >= 0x80)
                __builtin_trap();
        if (nskip && o < skip.to && o + w > skip.from)
            __builtin_trap();
        if (i > 0) {
            size_t pw = a[i - 1].len;
            if (pw < w || (pw == w && memcmp(t + a[i - 1].off, t + o, w) >= 0))
                __builtin_trap();
        }
    }
    if (lp_terms_idents(t, len, &skip, nskip, b, max) != n)
        __builtin_trap();
    for (size_t i = 0; i < n; i++) /* fields: the struct has padding */
        if (a[i].off != b[i].off || a[i].len != b[i].len)
            __builtin_trap();
    char v[128], h[64];
    size_t k = len < sizeof v - 1 ? len : sizeof v - 1;
    memcpy(v, t, k);
    v[k] = '\0';
    if (lp_terms_host(v, h, sizeof h))
        for (const char *p = h; *p; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                  *p == '.' || *p == '-'))
                __builtin_trap();
    return 0;
}
