/* SPDX-License-Identifier: Apache-2.0
 *
 * pool: a fixed set of pthreads draining an index counter (see pool.h).
 */
#include "pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "mem.h"
#include "banned.h"

#define MAX_JOBS 256

struct lp_pool_queue {
    lp_pool_task_fn fn;
    void (*drop)(void *task);
    pthread_mutex_t mu;
    pthread_cond_t cv;
    void **v; /* FIFO: tasks v[head .. head + n) (mod cap) */
    size_t *sizes;
    size_t head, n, cap;
    size_t bytes, max_bytes;
    unsigned producers; /* items running */
    bool threads; /* workers run: tasks may be queued */
};

lp_err lp_pool_queue_new(lp_pool_task_fn fn, void (*drop)(void *task),
                         size_t max_bytes, struct lp_pool_queue **out)
{
    struct lp_pool_queue *q = lp_calloc(1, sizeof *q);
    *out = NULL;
    if (!q)
        return LP_ENOMEM;
    q->fn = fn;
    q->drop = drop;
    q->max_bytes = max_bytes;
    q->cap = 4096; /* tasks at most: each holds a buffer */
    q->v = lp_calloc(q->cap, sizeof *q->v);
    q->sizes = lp_calloc(q->cap, sizeof *q->sizes);
    if (!q->v || !q->sizes) {
        lp_free(q->v);
        lp_free(q->sizes);
        lp_free(q);
        return LP_ENOMEM;
    }
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
    *out = q;
    return LP_OK;
}

void lp_pool_queue_free(struct lp_pool_queue *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->n; i++) {
        void *t = q->v[(q->head + i) % q->cap];
        if (q->drop)
            q->drop(t);
        else
            lp_free(t);
    }
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->cv);
    lp_free(q->v);
    lp_free(q->sizes);
    lp_free(q);
}

bool lp_pool_queue_push(struct lp_pool_queue *q, void *task, size_t bytes)
{
    bool ok = false;
    pthread_mutex_lock(&q->mu);
    /* An empty queue takes any one task: a large member is worth
     * handing to an idle worker too. */
    if (q->threads && q->n < q->cap &&
        (q->n == 0 || q->bytes + bytes <= q->max_bytes)) {
        size_t at = (q->head + q->n) % q->cap;
        q->v[at] = task;
        q->sizes[at] = bytes;
        q->n++;
        q->bytes += bytes;
        ok = true;
        pthread_cond_signal(&q->cv);
    }
    pthread_mutex_unlock(&q->mu);
    return ok;
}

/* Items running (each may push tasks): +1 before one, -1 after. */
static void producing(struct lp_pool_queue *q, int delta)
{
    pthread_mutex_lock(&q->mu);
    q->producers = (unsigned)((int)q->producers + delta);
    if (!q->producers)
        pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

/* A queued task, or NULL: at once when `wait` is false, else once there
 * is one or no producer is left. */
static void *pop(struct lp_pool_queue *q, bool wait, const atomic_int *err)
{
    void *t = NULL;
    pthread_mutex_lock(&q->mu);
    while (wait && !q->n && q->producers && !atomic_load(err))
        pthread_cond_wait(&q->cv, &q->mu);
    if (q->n) {
        t = q->v[q->head];
        q->bytes -= q->sizes[q->head];
        q->head = (q->head + 1) % q->cap;
        q->n--;
    }
    pthread_mutex_unlock(&q->mu);
    return t;
}

struct pool {
    size_t n;
    size_t batch;  /* items taken at once, at most */
    unsigned jobs;
    lp_pool_begin_fn begin;
    lp_pool_fn fn;
    struct lp_pool_queue *q;
    void *ctx;
    atomic_size_t next;
    atomic_size_t done;
    atomic_int err;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned running;
};

struct worker {
    struct pool *p;
    unsigned id;
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

unsigned lp_pool_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (unsigned)(n > MAX_JOBS ? MAX_JOBS : n);
}

static void fail(struct pool *p, lp_err e)
{
    int zero = 0;
    if (e && atomic_compare_exchange_strong(&p->err, &zero, (int)e) && p->q) {
        pthread_mutex_lock(&p->q->mu); /* wake the waiting workers */
        pthread_cond_broadcast(&p->q->cv);
        pthread_mutex_unlock(&p->q->mu);
    }
}

/* Items to take when `next` is the first: up to p->batch, fewer towards
 * the end so that the workers finish together. */
static size_t batch_size(const struct pool *p, size_t next)
{
    size_t left = next < p->n ? p->n - next : 0;
    size_t take = left / (2 * (size_t)p->jobs);
    return take < 1 ? 1 : take > p->batch ? p->batch : take;
}

static void *work(void *arg)
{
    struct worker *w = arg;
    struct pool *p = w->p;
    bool items = true;
    for (;;) {
        if (atomic_load(&p->err))
            break;
        /* Queued tasks first: they hold memory. */
        void *t = p->q ? pop(p->q, !items, &p->err) : NULL;
        if (t) {
            fail(p, p->q->fn(p->ctx, w->id, t));
            continue;
        }
        if (!items)
            break; /* no task and no producer left */
        /* Counted as running before the index is taken, so that no
         * worker stops waiting between the two. */
        if (p->q)
            producing(p->q, 1);
        size_t take = batch_size(p, atomic_load(&p->next));
        size_t i = atomic_fetch_add(&p->next, take);
        size_t end = i < p->n && take > p->n - i ? p->n : i + take;
        if (i < p->n && p->begin)
            p->begin(p->ctx, w->id, i, end - i);
        for (size_t k = i; k < end && k < p->n && !atomic_load(&p->err); k++) {
            fail(p, p->fn(p->ctx, w->id, k));
            atomic_fetch_add(&p->done, 1);
        }
        if (p->q)
            producing(p->q, -1);
        if (i >= p->n) {
            items = false;
            if (!p->q)
                break;
        }
    }
    pthread_mutex_lock(&p->mu);
    p->running--;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void wait_all(struct pool *p, lp_pool_progress progress)
{
    pthread_mutex_lock(&p->mu);
    while (p->running) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 200 * 1000 * 1000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        int r = pthread_cond_timedwait(&p->cv, &p->mu, &ts);
        if (r == ETIMEDOUT && progress && p->running) {
            pthread_mutex_unlock(&p->mu);
            progress(p->ctx, atomic_load(&p->done), p->n);
            pthread_mutex_lock(&p->mu);
        }
    }
    pthread_mutex_unlock(&p->mu);
}

lp_err lp_pool_run_queue(size_t n, unsigned jobs, lp_pool_fn fn,
                         struct lp_pool_queue *q, lp_pool_progress progress,
                         void *ctx)
{
    return lp_pool_run_batches(n, jobs, 1, NULL, fn, q, progress, ctx);
}

lp_err lp_pool_run_batches(size_t n, unsigned jobs, size_t batch,
                           lp_pool_begin_fn begin, lp_pool_fn fn,
                           struct lp_pool_queue *q, lp_pool_progress progress,
                           void *ctx)
{
    if (jobs == 0)
        jobs = lp_pool_cores();
    if (jobs > MAX_JOBS)
        jobs = MAX_JOBS;
    if (jobs > n && !q)
        jobs = n ? (unsigned)n : 1;
    if (q)
        q->threads = jobs > 1;
    struct pool p = {.n = n, .batch = batch ? batch : 1, .jobs = jobs,
                     .begin = begin, .fn = fn, .q = q, .ctx = ctx};
    atomic_init(&p.next, 0);
    atomic_init(&p.done, 0);
    atomic_init(&p.err, 0);
    if (jobs == 1) {
        /* No thread: simpler stacks in debuggers and sanitizers. */
        double next = progress ? now_seconds() + 0.2 : 0;
        for (size_t i = 0; i < n; i++) {
            if (begin && i % p.batch == 0)
                begin(ctx, 0, i, n - i < p.batch ? n - i : p.batch);
            lp_err e = fn(ctx, 0, i);
            if (e)
                return e;
            if (progress && (i & 15) == 15 && now_seconds() >= next) {
                progress(ctx, i + 1, n);
                next = now_seconds() + 0.2;
            }
        }
        return LP_OK;
    }
    pthread_t tids[MAX_JOBS];
    struct worker ws[MAX_JOBS];
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);
    unsigned started = 0;
    for (unsigned i = 0; i < jobs; i++) {
        ws[i].p = &p;
        ws[i].id = i;
        pthread_mutex_lock(&p.mu);
        p.running++;
        pthread_mutex_unlock(&p.mu);
        if (pthread_create(&tids[i], NULL, work, &ws[i]) != 0) {
            if (started == 0) {
                work(&ws[i]); /* no thread at all: do it here */
            } else {
                pthread_mutex_lock(&p.mu);
                p.running--;
                pthread_mutex_unlock(&p.mu);
            }
            break;
        }
        started++;
    }
    wait_all(&p, progress);
    for (unsigned i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.cv);
    return (lp_err)atomic_load(&p.err);
}
