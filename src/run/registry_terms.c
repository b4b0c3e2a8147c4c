/* SPDX-License-Identifier: Apache-2.0
 *
 * registry_terms: lp_registry_terms(), the watch terms the registry has
 * learnt (collection names, the organisation's domains, internal host
 * names and distinctive identifiers; see include/leakprint.h), read from
 * its metadata at the generation the handle reads, so that an add
 * committing meanwhile is not half seen.
 */
#include <string.h>

#include "meta.h"

#include "banned.h"

struct terms_ctx {
    int (*fn)(void *ctx, const struct lp_term_info *t);
    void *ctx;
    size_t left;  /* terms that may still be yielded */
    bool stopped; /* fn returned non-zero */
};

/* Yields t; non-zero when no more may be. */
static int yield(struct terms_ctx *tc, const struct lp_term_info *t)
{
    if (!tc->left)
        return 1;
    tc->left--;
    if (tc->fn(tc->ctx, t)) {
        tc->stopped = true;
        return 1;
    }
    return !tc->left;
}

static int on_collection(void *ctx, const char *name, bool public_)
{
    struct lp_term_info t = {LP_TERM_COLLECTION, name, name, 0};
    return public_ ? 0 : yield(ctx, &t);
}

static int on_domain(void *ctx, const char *domain)
{
    struct lp_term_info t = {LP_TERM_DOMAIN, domain, NULL, 0};
    return yield(ctx, &t);
}

static int on_term(void *ctx, const struct lp_meta_term *m)
{
    struct lp_term_info t = {
        .kind = strcmp(m->kind, "host") == 0 ? LP_TERM_HOST : LP_TERM_IDENT,
        .term = m->term,
        .collection = m->collection,
        .files = (size_t)m->files,
    };
    return yield(ctx, &t);
}

lp_err lp_registry_terms(lp_registry *reg, size_t max,
                         int (*fn)(void *ctx, const struct lp_term_info *t),
                         void *ctx)
{
    if (!reg || !fn)
        return LP_EINVAL;
    struct lp_meta *m = lp_registry_meta(reg);
    uint64_t gen = lp_registry_gen(reg);
    struct terms_ctx tc = {fn, ctx, max ? max : LP_TERMS_DEFAULT_MAX, false};
    lp_err err = lp_meta_collections(m, gen, on_collection, &tc);
    if (!err && tc.left && !tc.stopped)
        err = lp_meta_org_domains(m, gen, on_domain, &tc);
    if (!err && tc.left && !tc.stopped)
        err = lp_meta_terms(m, gen, tc.left, on_term, &tc);
    if (!err && tc.stopped)
        err = LP_EABORTED;
    return err;
}
