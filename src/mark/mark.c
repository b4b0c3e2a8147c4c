/* SPDX-License-Identifier: Apache-2.0
 *
 * mark: the plan of which site carries which code position, a recipient's
 * copy of a text, and the votes of a leak (mark.h).
 */
#include "mark.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "carrier.h"
#include "mem.h"
#include "banned.h"

/* A key of the collection and its rank. */
struct ranked {
    uint64_t key;
    uint8_t rank[32]; /* HMAC-SHA256(marking key, "leakprint/mark/v1/site|" key) */
};

static int by_rank(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    int c = memcmp(x->rank, y->rank, sizeof x->rank);
    return c ? c : (x->key > y->key) - (x->key < y->key);
}

static int by_key(const void *a, const void *b)
{
    const struct lp_mark_slot *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

static int by_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

lp_err lp_mark_plan_build(const uint8_t key[LP_TARDOS_KEY_LEN],
                          const uint64_t *keys, size_t nkeys, size_t m,
                          struct lp_mark_plan *out)
{
    memset(out, 0, sizeof *out);
    if (!key || (!keys && nkeys) || m == 0 || m > LP_TARDOS_MAX_LEN)
        return LP_EINVAL;
    out->m = m;
    if (!nkeys)
        return LP_OK;
    /* the distinct keys */
    uint64_t *k = lp_reallocarray(NULL, nkeys, sizeof *k);
    if (!k)
        return LP_ENOMEM;
    memcpy(k, keys, nkeys * sizeof *k);
    qsort(k, nkeys, sizeof *k, by_u64);
    size_t d = 0;
    for (size_t i = 0; i < nkeys; i++)
        if (!d || k[d - 1] != k[i])
            k[d++] = k[i];
    struct ranked *r = lp_reallocarray(NULL, d, sizeof *r);
    if (!r) {
        lp_free(k);
        return LP_ENOMEM;
    }
    lp_err err = LP_OK;
    for (size_t i = 0; i < d && !err; i++) {
        uint8_t msg[32] = "leakprint/mark/v1/site|";
        const size_t pre = strlen("leakprint/mark/v1/site|");
        for (int b = 0; b < 8; b++)
            msg[pre + (size_t)b] = (uint8_t)(k[i] >> (8 * b));
        unsigned mdlen = 0;
        r[i].key = k[i];
        if (!HMAC(EVP_sha256(), key, LP_TARDOS_KEY_LEN, msg, pre + 8,
                  r[i].rank, &mdlen) ||
            mdlen != sizeof r[i].rank)
            err = LP_ENOMEM;
    }
    lp_free(k);
    if (!err) {
        qsort(r, d, sizeof *r, by_rank);
        out->n = d < m ? d : m;
        out->slots = lp_reallocarray(NULL, out->n, sizeof *out->slots);
        if (!out->slots)
            err = LP_ENOMEM;
    }
    for (size_t i = 0; !err && i < out->n; i++)
        out->slots[i] = (struct lp_mark_slot){r[i].key, (uint32_t)i};
    lp_free(r);
    if (err) {
        lp_mark_plan_release(out);
        return err;
    }
    qsort(out->slots, out->n, sizeof *out->slots, by_key);
    return LP_OK;
}

void lp_mark_plan_release(struct lp_mark_plan *p)
{
    if (!p)
        return;
    lp_free(p->slots);
    memset(p, 0, sizeof *p);
}

long lp_mark_plan_pos(const struct lp_mark_plan *p, uint64_t key)
{
    struct lp_mark_slot want = {.key = key};
    const struct lp_mark_slot *s =
        p->n ? bsearch(&want, p->slots, p->n, sizeof *p->slots, by_key)
             : NULL;
    return s ? (long)s->pos : -1;
}

lp_err lp_mark_text(const struct lp_mark_plan *p, const struct lp_tardos *code,
                    size_t recipient, const char *text, size_t len,
                    char **out, size_t *outlen, size_t *changed, char *err,
                    size_t errlen)
{
    struct lp_carrier_site *sites = NULL;
    size_t n = 0;
    *out = NULL;
    if (changed)
        *changed = 0;
    if (p->m != lp_tardos_length(code) || recipient >= code->n_users)
        return LP_EINVAL;
    lp_err e = lp_carriers_find(text, len, err, errlen, &sites, &n);
    if (e)
        return e;
    uint8_t *values = lp_reallocarray(NULL, n ? n : 1, 1);
    if (!values) {
        lp_free(sites);
        return LP_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        long pos = lp_mark_plan_pos(p, sites[i].key);
        values[i] = sites[i].value;
        if (pos < 0)
            continue;
        values[i] = (uint8_t)lp_tardos_bit(code, recipient, (size_t)pos);
        if (changed && values[i] != sites[i].value)
            (*changed)++;
    }
    e = lp_carriers_apply(text, len, sites, values, n, err, errlen, out,
                          outlen);
    lp_free(values);
    lp_free(sites);
    return e;
}

lp_err lp_mark_votes_init(struct lp_mark_votes *v, size_t m)
{
    memset(v, 0, sizeof *v);
    v->zeros = lp_reallocarray(NULL, m ? m : 1, sizeof *v->zeros);
    v->ones = lp_reallocarray(NULL, m ? m : 1, sizeof *v->ones);
    if (!v->zeros || !v->ones) {
        lp_mark_votes_release(v);
        return LP_ENOMEM;
    }
    memset(v->zeros, 0, (m ? m : 1) * sizeof *v->zeros);
    memset(v->ones, 0, (m ? m : 1) * sizeof *v->ones);
    v->m = m;
    return LP_OK;
}

void lp_mark_votes_release(struct lp_mark_votes *v)
{
    if (!v)
        return;
    lp_free(v->zeros);
    lp_free(v->ones);
    memset(v, 0, sizeof *v);
}

lp_err lp_mark_read_text(const struct lp_mark_plan *p,
                         struct lp_mark_votes *v, const char *text,
                         size_t len, char *err, size_t errlen)
{
    struct lp_carrier_mark *marks = NULL;
    size_t n = 0;
    if (p->m != v->m)
        return LP_EINVAL;
    lp_err e = lp_carriers_read(text, len, err, errlen, &marks, &n);
    if (e)
        return e;
    for (size_t i = 0; i < n; i++) {
        long pos = lp_mark_plan_pos(p, marks[i].key);
        if (pos < 0 || marks[i].value > 1)
            continue; /* not planned, or x += 1: never written */
        if (marks[i].value)
            v->ones[pos]++;
        else
            v->zeros[pos]++;
        v->sites++;
    }
    lp_free(marks);
    return LP_OK;
}

void lp_mark_votes_word(const struct lp_mark_votes *v, int8_t *y)
{
    for (size_t i = 0; i < v->m; i++)
        y[i] = v->ones[i] > v->zeros[i]   ? 1
               : v->zeros[i] > v->ones[i] ? 0
                                          : -1;
}
