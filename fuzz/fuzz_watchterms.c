/* SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_watchterms: hostile YAML through watch's terms reader
 * (daemon/watchterms.h),
 * then, when it is accepted and small, the set compiled and matched
 * against the same bytes. Checks that a refusal is one NUL-terminated
 * line with no set, and that hits are whole: in order of first offset,
 * inside the text, counted at least once and at most the cap, each term
 * once.
 *
 * FUZZ_EXTRA: daemon/watchterms.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "watchterms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Compiling is Hyperscan's work, slow on large sets: only small ones. */
#define FUZZ_COMPILE_MAX 64

static void check_hits(const struct lp_terms *t, const struct lp_terms_hits *h,
                       size_t size)
{
    for (size_t i = 0; i < h->n; i++) {
        const struct lp_terms_hit *x = &h->v[i];
        if (!x->label || x->term >= lp_terms_count(t) || !x->count ||
            x->count > LP_TERMS_COUNT_MAX || x->first > x->first_end ||
            x->first_end > size)
            abort();
        if (strcmp(x->label, lp_terms_label(t, x->term)))
            abort();
        for (size_t j = 0; j < i; j++)
            if (h->v[j].term == x->term)
                abort();
        if (i && h->v[i - 1].first > x->first)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lp_terms *t = NULL;
    char err[512];
    if (lp_terms_parse((const char *)data, size, "fuzz", &t, err, sizeof err) !=
        LP_OK) {
        if (t || !memchr(err, '\0', sizeof err) || strchr(err, '\n') ||
            strncmp(err, "'fuzz':", 7))
            abort();
        return 0;
    }
    if (lp_terms_count(t) > LP_TERMS_MAX)
        abort();
    for (size_t i = 0; i < lp_terms_count(t); i++)
        if (!lp_terms_label(t, i) || !*lp_terms_label(t, i))
            abort();
    if (lp_terms_count(t) <= FUZZ_COMPILE_MAX && lp_terms_compile(t) == LP_OK) {
        struct lp_terms_scratch *s = lp_terms_scratch_new();
        struct lp_terms_hits h;
        lp_terms_hits_init(&h);
        if (s && lp_terms_match(t, s, (const char *)data, size, &h) == LP_OK)
            check_hits(t, &h, size);
        lp_terms_hits_release(&h);
        lp_terms_scratch_free(s);
    }
    lp_terms_free(t);
    return 0;
}
