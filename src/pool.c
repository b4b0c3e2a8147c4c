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

struct pool {
    size_t n;
    lp_pool_fn fn;
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

static void *work(void *arg)
{
    struct worker *w = arg;
    struct pool *p = w->p;
    for (;;) {
        if (atomic_load(&p->err))
            break;
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n)
            break;
        lp_err e = p->fn(p->ctx, w->id, i);
        if (e) {
            int zero = 0;
            atomic_compare_exchange_strong(&p->err, &zero, (int)e);
        }
        atomic_fetch_add(&p->done, 1);
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

lp_err lp_pool_run(size_t n, unsigned jobs, lp_pool_fn fn,
                   lp_pool_progress progress, void *ctx)
{
    if (jobs == 0)
        jobs = lp_pool_cores();
    if (jobs > MAX_JOBS)
        jobs = MAX_JOBS;
    if (jobs > n)
        jobs = n ? (unsigned)n : 1;
    struct pool p = {.n = n, .fn = fn, .ctx = ctx};
    atomic_init(&p.next, 0);
    atomic_init(&p.done, 0);
    atomic_init(&p.err, 0);
    if (jobs == 1) {
        /* No thread: simpler stacks in debuggers and sanitizers. */
        double next = progress ? now_seconds() + 0.2 : 0;
        for (size_t i = 0; i < n; i++) {
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
