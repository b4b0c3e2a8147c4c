/* SPDX-License-Identifier: Apache-2.0
 *
 * mem: allocation hooks with fault injection for tests (see mem.h).
 */
#include "mem.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* Countdown of allocations before failing; negative: never fail. */
static _Atomic long fail_countdown = -1;

void lp_mem_fail_after(long n)
{
    atomic_store(&fail_countdown, n);
}

static bool should_fail(void)
{
    long c = atomic_load_explicit(&fail_countdown, memory_order_relaxed);
    if (c < 0)
        return false;
    if (c == 0)
        return true;
    atomic_fetch_sub(&fail_countdown, 1);
    return false;
}

void *lp_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *lp_calloc(size_t n, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

void *lp_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

void *lp_reallocarray(void *p, size_t n, size_t size)
{
    size_t total;
    if (!lp_mul_ok(n, size, &total))
        return NULL;
    return lp_realloc(p, total);
}

void lp_free(void *p)
{
    free(p);
}

char *lp_strndup(const char *s, size_t n)
{
    char *d = lp_malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *lp_strdup(const char *s)
{
    return lp_strndup(s, strlen(s));
}

char *lp_path_join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name), n;
    if (!lp_add_ok(a, b, &n) || !lp_add_ok(n, 2, &n))
        return NULL;
    char *p = lp_malloc(n);
    if (!p)
        return NULL;
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}

bool lp_grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (!lp_mul_ok(ncap, 2, &ncap))
            return false;
    }
    void *np = lp_reallocarray(*p, ncap, size);
    if (!np)
        return false;
    *p = np;
    *cap = ncap;
    return true;
}

bool lp_grow_scratch(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t ncap = *cap;
    lp_free(*p);
    *p = NULL;
    *cap = 0;
    if (!lp_grow(p, &ncap, need, size))
        return false;
    *cap = ncap;
    return true;
}
