/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of pool (cmocka): every item runs once; tasks pushed by items
 * run once each, on any worker, and a full queue makes the producer run
 * its task itself; an error stops the run and frees the tasks not run;
 * taken in batches, each worker runs exactly the items its begin call
 * announced, in order, and every item once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mem.h"
#include "pool.h"

#include "banned.h"

#define ITEMS 40
#define TASKS 50 /* per item */

struct state {
    struct lp_pool_queue *q;
    atomic_int items[ITEMS];
    atomic_int tasks[ITEMS * TASKS];
    atomic_int inline_runs, dropped;
    int fail_at; /* task that fails, or -1 */
};

struct task {
    struct state *st;
    int id;
};

static lp_err run_task(void *ctx, unsigned worker, void *p)
{
    (void)worker;
    (void)ctx;
    struct task *t = p;
    atomic_fetch_add(&t->st->tasks[t->id], 1);
    lp_err err = t->id == t->st->fail_at ? LP_EIO : LP_OK;
    lp_free(t);
    return err;
}

static void drop_task(void *p)
{
    struct task *t = p;
    atomic_fetch_add(&t->st->dropped, 1);
    lp_free(t);
}

static lp_err run_item(void *ctx, unsigned worker, size_t i)
{
    struct state *st = ctx;
    atomic_fetch_add(&st->items[i], 1);
    for (int k = 0; k < TASKS; k++) {
        struct task *t = lp_malloc(sizeof *t);
        if (!t)
            return LP_ENOMEM;
        t->st = st;
        t->id = (int)i * TASKS + k;
        if (!lp_pool_queue_push(st->q, t, 100)) {
            atomic_fetch_add(&st->inline_runs, 1);
            lp_err err = run_task(ctx, worker, t);
            if (err)
                return err;
        }
    }
    return LP_OK;
}

static void run(struct state *st, size_t items, unsigned jobs, size_t bytes,
                lp_err want)
{
    memset(st, 0, sizeof *st);
    st->fail_at = want ? 7 : -1;
    assert_int_equal(lp_pool_queue_new(run_task, drop_task, bytes, &st->q),
                     LP_OK);
    assert_int_equal(lp_pool_run_queue(items, jobs, run_item, st->q, NULL, st),
                     want);
    lp_pool_queue_free(st->q);
}

static void test_every_task_once(void **state)
{
    (void)state;
    static struct state st;
    /* One item, two workers: the other worker takes its tasks. */
    for (unsigned jobs = 1; jobs <= 4; jobs++) {
        run(&st, 1, jobs, 1 << 20, LP_OK);
        assert_int_equal(st.items[0], 1);
        for (int k = 0; k < TASKS; k++)
            assert_int_equal(st.tasks[k], 1);
        /* One job: nobody else could take a task. */
        if (jobs == 1)
            assert_int_equal(st.inline_runs, TASKS);
    }
    /* Many items, a queue of one task's bytes: tasks still run once. */
    run(&st, ITEMS, 3, 100, LP_OK);
    for (int i = 0; i < ITEMS; i++)
        assert_int_equal(st.items[i], 1);
    for (int k = 0; k < ITEMS * TASKS; k++)
        assert_int_equal(st.tasks[k], 1);
    assert_int_equal(st.dropped, 0);
}

static void test_error_frees_tasks(void **state)
{
    (void)state;
    static struct state st;
    run(&st, ITEMS, 2, 1 << 20, LP_EIO);
    /* Each task ran at most once; those not run were dropped, not lost. */
    int ran = 0;
    for (int k = 0; k < ITEMS * TASKS; k++) {
        assert_true(st.tasks[k] <= 1);
        ran += st.tasks[k];
    }
    int pushed = 0;
    for (int i = 0; i < ITEMS; i++)
        pushed += st.items[i] ? TASKS : 0;
    assert_true(ran + st.dropped <= pushed);
    assert_true(st.tasks[7] == 1);
}

/* Batches: what each worker was told it would run, and what it ran. */
#define BATCH_ITEMS 1000
struct batch_state {
    size_t batch;
    atomic_int runs[BATCH_ITEMS];
    atomic_int wrong;  /* items run outside of their worker's batch */
    atomic_size_t announced, begins;
    struct {
        size_t next, end;
    } w[4];
};

static void begin_batch(void *ctx, unsigned worker, size_t first, size_t count)
{
    struct batch_state *st = ctx;
    /* The last batch may run without being used up (not here: no error). */
    if (st->w[worker].next != st->w[worker].end || count == 0 ||
        count > st->batch)
        atomic_fetch_add(&st->wrong, 1);
    st->w[worker].next = first;
    st->w[worker].end = first + count;
    atomic_fetch_add(&st->announced, count);
    atomic_fetch_add(&st->begins, 1);
}

static lp_err run_batched(void *ctx, unsigned worker, size_t i)
{
    struct batch_state *st = ctx;
    if (st->w[worker].next != i || i >= st->w[worker].end)
        atomic_fetch_add(&st->wrong, 1);
    st->w[worker].next = i + 1;
    atomic_fetch_add(&st->runs[i], 1);
    return LP_OK;
}

static void test_batches(void **state)
{
    (void)state;
    static struct batch_state st;
    const size_t sizes[] = {0, 1, 5, 33, BATCH_ITEMS};
    const size_t batches[] = {1, 7, 32};
    for (unsigned jobs = 1; jobs <= 4; jobs++) {
        for (size_t b = 0; b < sizeof batches / sizeof *batches; b++) {
            for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++) {
                memset(&st, 0, sizeof st);
                st.batch = batches[b];
                size_t n = sizes[z];
                assert_int_equal(lp_pool_run_batches(n, jobs, st.batch,
                                                     begin_batch, run_batched,
                                                     NULL, NULL, &st),
                                 LP_OK);
                assert_int_equal(st.wrong, 0);
                assert_int_equal(st.announced, n);
                for (size_t i = 0; i < n; i++)
                    assert_int_equal(st.runs[i], 1);
                /* Never more begins than items; batches are used when
                 * there are enough items for them. */
                assert_true(st.begins <= n);
                if (n == BATCH_ITEMS)
                    assert_true(st.begins < n / st.batch + n / 8 + 1);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_task_once),
        cmocka_unit_test(test_error_frees_tasks),
        cmocka_unit_test(test_batches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
