/* SPDX-License-Identifier: Apache-2.0
 *
 * testutil: helpers shared by the unit tests: a temporary directory per
 * test, a deterministic pseudo-random generator, a warning collector and
 * allocations that fail the test when out of memory.
 */
#ifndef LP_TESTUTIL_H
#define LP_TESTUTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "mem.h"

/* Creates /tmp/lp-<tag>-XXXXXX into buf (at least 64 bytes). */
static inline void tu_mkdtemp(char *buf, size_t len, const char *tag)
{
    snprintf(buf, len, "/tmp/lp-%s-XXXXXX", tag);
    assert_non_null(mkdtemp(buf));
}

/* Removes a directory made by tu_mkdtemp and all it holds. */
static inline void tu_rmrf(const char *dir)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* xorshift64*: reproducible pseudo-random numbers; *s must not be 0. */
static inline uint64_t tu_rand(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

/* Warnings counted, the last one kept: pass tu_on_warn and a struct
 * tu_warns as a warning callback and its context. */
struct tu_warns {
    int n;
    char last[8192];
};

static inline void tu_on_warn(void *ctx, const char *msg)
{
    struct tu_warns *w = ctx;
    w->n++;
    snprintf(w->last, sizeof w->last, "%s", msg);
}

/* lp_strdup() and lp_calloc() that fail the test instead of returning
 * NULL: for results built by hand, freed by the library's own release. */
static inline char *tu_strdup(const char *s)
{
    char *p = lp_strdup(s);
    assert_non_null(p);
    return p;
}

static inline void *tu_calloc(size_t n, size_t size)
{
    void *p = lp_calloc(n, size);
    assert_non_null(p);
    return p;
}

#endif
