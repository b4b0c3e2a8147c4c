/* SPDX-License-Identifier: Apache-2.0
 *
 * pool: runs fn(ctx, worker, i) for i in [0, n) on `jobs` threads. Items are
 * handed out in increasing order from an atomic counter; results are stored
 * by index by fn itself, so the caller's output order never depends on the
 * scheduling. The calling thread waits and calls `progress` about every
 * 200 ms (when not NULL). The first error returned by fn stops the handing
 * out of new items and is returned.
 */
#ifndef LP_POOL_H
#define LP_POOL_H

#include <stddef.h>

#include "leakprint.h"

typedef lp_err (*lp_pool_fn)(void *ctx, unsigned worker, size_t i);
typedef void (*lp_pool_progress)(void *ctx, size_t done, size_t total);

/* Number of online CPUs (at least 1). */
unsigned lp_pool_cores(void);

lp_err lp_pool_run(size_t n, unsigned jobs, lp_pool_fn fn,
                   lp_pool_progress progress, void *ctx);

#endif
