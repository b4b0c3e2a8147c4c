/* SPDX-License-Identifier: Apache-2.0
 *
 * test_feed: the one driver from walk entries to items (feed.h): every
 * entry's items are begun in order and processed once; an entry that gives
 * no item goes to failed(); wanted() leaves entries unread; a callback's
 * error stops the run; a file over max_size is skipped, or with windows
 * read in windows whose owned parts tile it exactly once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "feed.h"
#include "limits.h"
#include "mem.h"
#include "testutil.h"

/* What the callbacks saw. */
struct seen {
    char begun[16][64]; /* paths, in begin() order (one worker) */
    size_t nbegun, nprocessed, nfailed, nwindows;
    size_t failed_entry;
    uint64_t owned;       /* bytes owned by the windows, summed */
    uint64_t next_owned;  /* where the next window's owned part must start */
    uint64_t lines;       /* newlines in the owned parts */
    bool skip_second;     /* wanted() says no to entry 1 */
    lp_err fail_with;     /* process() returns it */
};

static lp_err on_begin(void *ctx, const struct lp_item *it, void **token)
{
    struct seen *s = ctx;
    if (s->nbegun < 16)
        snprintf(s->begun[s->nbegun], sizeof s->begun[0], "%s", it->path);
    *token = (void *)(uintptr_t)++s->nbegun;
    return LP_OK;
}

static lp_err on_process(void *ctx, unsigned worker, void *token,
                         const struct lp_item *it)
{
    struct seen *s = ctx;
    (void)worker;
    assert_non_null(token);
    assert_int_equal(it->data[it->len], '\0');
    s->nprocessed++;
    if (it->windowed) {
        /* the owned parts follow each other without a gap or an overlap */
        assert_int_equal(it->offset + it->keep_from, s->next_owned);
        s->next_owned = it->offset + it->keep_to;
        s->owned += it->keep_to - it->keep_from;
        for (size_t i = it->keep_from; i < it->keep_to; i++)
            s->lines += it->data[i] == '\n';
        s->nwindows++;
    }
    return s->fail_with;
}

static lp_err on_failed(void *ctx, size_t entry, const struct lp_walk_entry *e)
{
    struct seen *s = ctx;
    (void)e;
    s->nfailed++;
    s->failed_entry = entry;
    return LP_OK;
}

static bool on_wanted(void *ctx, size_t entry)
{
    struct seen *s = ctx;
    return !(s->skip_second && entry == 1);
}

static const struct lp_feed_ops ops = {.begin = on_begin,
                                       .process = on_process,
                                       .failed = on_failed,
                                       .wanted = on_wanted};

/* Runs the feed over l with one worker and limits lim (max_size max). */
static lp_err run(struct lp_walk_list *l, struct seen *s, uint64_t max,
                  bool windows, struct tu_warns *w)
{
    struct lp_warner warn;
    lp_warner_init(&warn, tu_on_warn, w);
    struct lp_feed_options o = {.list = l, .warn = &warn, .max_size = max,
                                .jobs = 1, .windows = windows, .ops = &ops,
                                .ctx = s};
    lp_archive_limits_from(&o.lim, NULL, max);
    lp_err err = lp_feed_run(&o);
    lp_warner_release(&warn);
    return err;
}

/* Memory entries: each one item, begun and processed in order. */
static void test_memory_items(void **state)
{
    (void)state;
    struct lp_walk_list l;
    struct seen s = {0};
    struct tu_warns w = {0};
    lp_walk_list_init(&l);
    assert_int_equal(lp_walk_add_memory(&l, "a.c", "int a;\n", 7), LP_OK);
    assert_int_equal(lp_walk_add_memory(&l, "b.c", "int b;\n", 7), LP_OK);
    assert_int_equal(lp_walk_add_memory(&l, "c.c", "", 0), LP_OK);
    assert_int_equal(run(&l, &s, 1 << 20, false, &w), LP_OK);
    assert_int_equal(s.nbegun, 3);
    assert_int_equal(s.nprocessed, 3);
    assert_string_equal(s.begun[0], "a.c");
    assert_string_equal(s.begun[1], "b.c");
    assert_string_equal(s.begun[2], "c.c");
    assert_int_equal(s.nfailed, 0);
    assert_int_equal(w.n, 0);

    /* wanted() says no: that entry is neither begun nor failed */
    memset(&s, 0, sizeof s);
    s.skip_second = true;
    assert_int_equal(run(&l, &s, 1 << 20, false, &w), LP_OK);
    assert_int_equal(s.nbegun, 2);
    assert_string_equal(s.begun[1], "c.c");

    /* a callback's error stops the run and is returned */
    memset(&s, 0, sizeof s);
    s.fail_with = LP_EABORTED;
    assert_int_equal(run(&l, &s, 1 << 20, false, &w), LP_EABORTED);
    assert_int_equal(s.nprocessed, 1);
    lp_walk_list_release(&l);
}

/* A memory entry over max_size is cut and said; a missing file is said and
 * goes to failed(). */
static void test_cut_and_failed(void **state)
{
    (void)state;
    struct lp_walk_list l;
    struct seen s = {0};
    struct tu_warns w = {0};
    lp_walk_list_init(&l);
    assert_int_equal(lp_walk_add_memory(&l, "big.txt", "0123456789", 10),
                     LP_OK);
    char dir[64];
    tu_mkdtemp(dir, sizeof dir, "feedtest");
    char missing[128];
    snprintf(missing, sizeof missing, "%s/gone.c", dir);
    const char *roots[] = {missing};
    struct lp_warner warn;
    lp_warner_init(&warn, NULL, NULL);
    char why[256];
    assert_int_equal(lp_walk_collect_all(roots, 1, LP_WALK_SKIP_BAD_ROOTS,
                                         NULL, &l, &warn, why, sizeof why),
                     LP_OK);
    assert_int_equal(warn.nskips, 1); /* said at collection, not listed */
    lp_warner_release(&warn);
    assert_int_equal(l.n, 1);
    assert_int_equal(run(&l, &s, 4, false, &w), LP_OK);
    assert_int_equal(s.nprocessed, 1);
    assert_int_equal(w.n, 1);
    assert_non_null(strstr(w.last, "'big.txt': larger than 4 bytes "
                                   "(--max-file-size): its first 4 bytes "
                                   "were read"));
    tu_rmrf(dir);
    lp_walk_list_release(&l);
}

/* A file over max_size: skipped (said, failed()) without windows; with
 * them, read in windows whose owned parts tile the file exactly once. */
static void test_windows(void **state)
{
    (void)state;
    char dir[64], path[128];
    tu_mkdtemp(dir, sizeof dir, "feedtest");
    snprintf(path, sizeof path, "%s/big.log", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    const uint64_t lines = 30000; /* 100 bytes each: 3,000,000 bytes */
    for (uint64_t i = 0; i < lines; i++)
        fprintf(fp, "%-99llu\n", (unsigned long long)i);
    fclose(fp);
    const char *roots[] = {path};
    struct lp_walk_list l;
    struct lp_warner warn;
    char why[256];
    lp_walk_list_init(&l);
    lp_warner_init(&warn, NULL, NULL);
    assert_int_equal(lp_walk_collect_all(roots, 1, 0, NULL, &l, &warn, why,
                                         sizeof why),
                     LP_OK);
    lp_warner_release(&warn);

    struct seen s = {0};
    struct tu_warns w = {0};
    assert_int_equal(run(&l, &s, 1 << 20, false, &w), LP_OK);
    assert_int_equal(s.nbegun, 0);
    assert_int_equal(s.nfailed, 1);
    assert_int_equal(w.n, 1);

    memset(&s, 0, sizeof s);
    memset(&w, 0, sizeof w);
    assert_int_equal(run(&l, &s, 1 << 20, true, &w), LP_OK);
    assert_int_equal(s.nbegun, 1);
    assert_int_equal(s.nfailed, 0);
    assert_int_equal(w.n, 0);
    /* windows of 1 MiB advancing by 1 MiB - 64 KiB: 3 of them */
    assert_int_equal(s.nwindows, 3);
    assert_int_equal(s.owned, 100 * lines);
    assert_int_equal(s.next_owned, 100 * lines);
    assert_int_equal(s.lines, lines);
    tu_rmrf(dir);
    lp_walk_list_release(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memory_items),
        cmocka_unit_test(test_cut_and_failed),
        cmocka_unit_test(test_windows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
