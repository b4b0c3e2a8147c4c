/* SPDX-License-Identifier: Apache-2.0
 *
 * mem: every allocation of the library goes through these calls, so that a
 * test build can fail the Nth allocation (lp_mem_fail_after) and check that
 * each caller returns LP_ENOMEM cleanly. Size arithmetic that may overflow
 * goes through lp_mul_ok/lp_add_ok.
 */
#ifndef LP_MEM_H
#define LP_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

void *lp_malloc(size_t n);
void *lp_calloc(size_t n, size_t size);
void *lp_realloc(void *p, size_t n);
/* realloc of n*size bytes, NULL on overflow. */
void *lp_reallocarray(void *p, size_t n, size_t size);
void lp_free(void *p);
/* A copy of s (caller frees with lp_free), NULL when out of memory. */
char *lp_strdup(const char *s);
char *lp_strndup(const char *s, size_t n);
/* "dir/name" (caller frees with lp_free), NULL when out of memory. */
char *lp_path_join(const char *dir, const char *name);

/* Test hook: after `n` more successful allocations, every allocation fails
 * until called again with n < 0. Not thread-safe: for single-threaded tests. */
void lp_mem_fail_after(long n);

static inline bool lp_mul_ok(size_t a, size_t b, size_t *out)
{
    return !__builtin_mul_overflow(a, b, out);
}

static inline bool lp_add_ok(size_t a, size_t b, size_t *out)
{
    return !__builtin_add_overflow(a, b, out);
}

/* Grows *p (an array of elements of `size` bytes with capacity *cap) to hold
 * at least `need` elements. Returns false when out of memory or on overflow,
 * leaving *p untouched. */
bool lp_grow(void **p, size_t *cap, size_t need, size_t size);

/* As lp_grow() for scratch whose contents need not survive: a growth
 * frees the old array and allocates a new one, without copying. On failure
 * *p is freed and *cap is 0. */
bool lp_grow_scratch(void **p, size_t *cap, size_t need, size_t size);

/* qsort that accepts an empty (possibly NULL) array: qsort(NULL, 0, ...) is
 * undefined behaviour. */
static inline void lp_sort(void *base, size_t n, size_t size,
                           int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

#endif
