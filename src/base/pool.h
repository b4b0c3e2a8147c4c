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

#include <stdbool.h>
#include <stddef.h>

#include "leakprint.h"

typedef lp_err (*lp_pool_fn)(void *ctx, unsigned worker, size_t i);
typedef void (*lp_pool_progress)(void *ctx, size_t done, size_t total);

/* Number of online CPUs (at least 1). */
unsigned lp_pool_cores(void);

/* A queue of tasks that items create while they run (the members of an
 * archive, read by the one worker that reads the archive), drained by the
 * workers that have no item left. Bounded by bytes: a full queue refuses a
 * task, and its producer runs it itself. The order in which tasks run is
 * not the order of their pushes: each task stores its result where its
 * producer said. */
struct lp_pool_queue;
typedef lp_err (*lp_pool_task_fn)(void *ctx, unsigned worker, void *task);

/* fn runs a task (and frees it); drop frees one never run (after an
 * error); NULL: lp_free() it. */
lp_err lp_pool_queue_new(lp_pool_task_fn fn, void (*drop)(void *task),
                         size_t max_bytes, struct lp_pool_queue **out);
void lp_pool_queue_free(struct lp_pool_queue *q);

/* Queues task (of `bytes` bytes); false when the queue is full or no other
 * worker could take it: the caller runs it. */
bool lp_pool_queue_push(struct lp_pool_queue *q, void *task, size_t bytes);

/* Runs the items as the header says; the workers also drain q (may be
 * NULL): a worker left without items waits for tasks while other items
 * run. jobs are not capped by n when there is a queue, since one item may
 * make many tasks. */
lp_err lp_pool_run_queue(size_t n, unsigned jobs, lp_pool_fn fn,
                         struct lp_pool_queue *q, lp_pool_progress progress,
                         void *ctx);

/* lp_pool_run_queue() whose workers take up to `batch` items at once (fewer
 * as the items run out) and call begin(ctx, worker, first, count) before
 * running fn on items first .. first + count - 1, in that order: a worker
 * can prepare for the items it is about to run (read their files ahead).
 * begin may be NULL. */
typedef void (*lp_pool_begin_fn)(void *ctx, unsigned worker, size_t first,
                                 size_t count);
lp_err lp_pool_run_batches(size_t n, unsigned jobs, size_t batch,
                           lp_pool_begin_fn begin, lp_pool_fn fn,
                           struct lp_pool_queue *q, lp_pool_progress progress,
                           void *ctx);

#endif
