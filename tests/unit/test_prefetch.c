/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of prefetch (cmocka): a batch gives the whole bytes of every
 * small regular file, and nothing (so that the caller reads it the ordinary
 * way) for an empty file, a file of PREFETCH_READ bytes or more, a file
 * larger than the limit, a symbolic link not to be followed, a FIFO, a
 * directory, a missing path and a NULL one; the buffers change hands with
 * the caller's; a slot without memory for its buffer is left to the caller;
 * LEAKPRINT_IO_URING=0 turns it off.
 *
 * Where io_uring is not allowed (a seccomp filter, io_uring_disabled), the
 * batch tests are skipped, saying so; the scan then reads every file
 * itself, which the end-to-end tests cover.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "mem.h"
#include "prefetch.h"
#include "testutil.h"
#include "walk.h"

#include "banned.h"

static char dir[64];

static void put(const char *name, size_t size, char fill)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (size_t i = 0; i < size; i++)
        fputc(fill + (char)(i % 7), f);
    assert_int_equal(fclose(f), 0);
}

static struct lp_prefetch *start(void)
{
    struct lp_prefetch *pf = lp_prefetch_new();
    if (!pf) {
        fprintf(stderr, "test_prefetch: io_uring is not available here\n");
        skip();
    }
    return pf;
}

enum {
    SMALL, ONE, EMPTY, JUST_UNDER, AT_READ, BIG, LINK, FIFO, DIRECTORY,
    MISSING, NOPATH, NFILES
};

static void test_batch(void **state)
{
    (void)state;
    tu_mkdtemp(dir, sizeof dir, "prefetch");
    put("small", 1000, 'a');
    put("one", 1, 'x');
    put("empty", 0, 'a');
    put("just-under", PREFETCH_READ - 1, 'b');
    put("at-read", PREFETCH_READ, 'c');
    put("big", 3 * PREFETCH_READ, 'd');
    char paths[NFILES][160];
    const char *names[NFILES] = {"small", "one", "empty", "just-under",
                                 "at-read", "big", "link", "fifo", "sub",
                                 "missing", NULL};
    for (int i = 0; i < NFILES; i++)
        snprintf(paths[i], sizeof paths[i], "%s/%s", dir,
                 names[i] ? names[i] : "");
    assert_int_equal(symlink("small", paths[LINK]), 0);
    assert_int_equal(mkfifo(paths[FIFO], 0600), 0);
    assert_int_equal(mkdir(paths[DIRECTORY], 0700), 0);
    const char *pv[NFILES];
    for (int i = 0; i < NFILES; i++)
        pv[i] = names[i] ? paths[i] : NULL;

    struct lp_prefetch *pf = start();
    char *buf = NULL;
    size_t cap = 0, len = 0;
    for (int round = 0; round < 3; round++) { /* buffers change hands */
        lp_prefetch_batch(pf, pv, NULL, NFILES, UINT64_MAX);
        assert_true(lp_prefetch_take(pf, SMALL, &buf, &cap, &len));
        assert_int_equal(len, 1000);
        assert_true(cap > len);
        assert_int_equal(buf[0], 'a');
        assert_int_equal(buf[999], 'a' + 999 % 7);
        assert_int_equal(buf[1000], '\0');
        /* Taken once only. */
        assert_false(lp_prefetch_take(pf, SMALL, &buf, &cap, &len));
        assert_true(lp_prefetch_take(pf, ONE, &buf, &cap, &len));
        assert_int_equal(len, 1);
        assert_string_equal(buf, "x");
        assert_true(lp_prefetch_take(pf, JUST_UNDER, &buf, &cap, &len));
        assert_int_equal(len, PREFETCH_READ - 1);
        assert_int_equal(buf[PREFETCH_READ - 2], 'b' + (PREFETCH_READ - 2) % 7);
        const int none[] = {EMPTY, AT_READ, BIG, LINK, FIFO, DIRECTORY,
                            MISSING, NOPATH};
        for (size_t k = 0; k < sizeof none / sizeof *none; k++)
            assert_false(lp_prefetch_take(pf, (size_t)none[k], &buf, &cap, &len));
        assert_false(lp_prefetch_take(pf, NFILES, &buf, &cap, &len));
    }

    /* A link followed when asked; a limit of 999 bytes: "small" is left
     * to the caller, who says it is too large. */
    bool follow[NFILES] = {false};
    follow[LINK] = true;
    lp_prefetch_batch(pf, pv, follow, NFILES, 999);
    assert_false(lp_prefetch_take(pf, SMALL, &buf, &cap, &len));
    assert_false(lp_prefetch_take(pf, LINK, &buf, &cap, &len));
    assert_true(lp_prefetch_take(pf, ONE, &buf, &cap, &len));
    lp_prefetch_batch(pf, pv, follow, NFILES, 1000);
    assert_true(lp_prefetch_take(pf, LINK, &buf, &cap, &len));
    assert_int_equal(len, 1000);
    assert_true(lp_prefetch_take(pf, ONE, &buf, &cap, &len));
    assert_false(lp_prefetch_take(pf, JUST_UNDER, &buf, &cap, &len));

    /* A caller's buffer grown large on a big file is not kept by a slot. */
    lp_prefetch_batch(pf, pv, NULL, 1, UINT64_MAX);
    lp_free(buf);
    cap = 8 * (size_t)PREFETCH_READ;
    buf = lp_malloc(cap);
    assert_non_null(buf);
    assert_true(lp_prefetch_take(pf, SMALL, &buf, &cap, &len));
    assert_true(cap <= 2 * (size_t)PREFETCH_READ);
    lp_prefetch_free(pf);
    lp_free(buf);
    tu_rmrf(dir);
}

/* More paths than slots: the first PREFETCH_SLOTS are read. */
static void test_more_than_slots(void **state)
{
    (void)state;
    tu_mkdtemp(dir, sizeof dir, "prefetch");
    put("f", 10, 'a');
    char path[128];
    snprintf(path, sizeof path, "%s/f", dir);
    const char *pv[PREFETCH_SLOTS + 3];
    for (size_t i = 0; i < PREFETCH_SLOTS + 3; i++)
        pv[i] = path;
    struct lp_prefetch *pf = start();
    char *buf = NULL;
    size_t cap = 0, len = 0;
    lp_prefetch_batch(pf, pv, NULL, PREFETCH_SLOTS + 3, UINT64_MAX);
    for (size_t i = 0; i < PREFETCH_SLOTS + 3; i++)
        assert_int_equal(lp_prefetch_take(pf, i, &buf, &cap, &len),
                         i < PREFETCH_SLOTS);
    lp_prefetch_free(pf);
    lp_free(buf);
    tu_rmrf(dir);
}

/* A slot whose buffer cannot be allocated is not read: its file is left to
 * the caller, and the next batch, with memory back, reads it. */
static void test_no_memory(void **state)
{
    (void)state;
    tu_mkdtemp(dir, sizeof dir, "prefetch");
    put("f", 10, 'a');
    char path[128];
    snprintf(path, sizeof path, "%s/f", dir);
    const char *pv[2] = {path, path};
    struct lp_prefetch *pf = start();
    char *buf = NULL;
    size_t cap = 0, len = 0;
    lp_mem_fail_after(1); /* the first slot's buffer, not the second's */
    lp_prefetch_batch(pf, pv, NULL, 2, UINT64_MAX);
    lp_mem_fail_after(-1);
    assert_true(lp_prefetch_take(pf, 0, &buf, &cap, &len));
    assert_int_equal(len, 10);
    assert_false(lp_prefetch_take(pf, 1, &buf, &cap, &len));
    lp_prefetch_batch(pf, pv, NULL, 2, UINT64_MAX);
    assert_true(lp_prefetch_take(pf, 0, &buf, &cap, &len));
    assert_true(lp_prefetch_take(pf, 1, &buf, &cap, &len));
    lp_prefetch_free(pf);
    lp_free(buf);
    tu_rmrf(dir);
}

/* A reader reads ahead through io_uring unless told no_io_uring, and
 * LEAKPRINT_IO_URING in the environment changes nothing. */
static void test_turned_off(void **state)
{
    (void)state;
    struct lp_prefetch *pf = start(); /* skips where io_uring is refused */
    lp_prefetch_free(pf);
    tu_mkdtemp(dir, sizeof dir, "pfoff");
    put("a", 10, 'a');
    char path[128];
    snprintf(path, sizeof path, "%s/a", dir);
    struct lp_walk_entry e = {.fspath = path, .logical = "a", .size = 10};
    assert_int_equal(setenv("LEAKPRINT_IO_URING", "0", 1), 0);
    struct lp_walk_reader on = {0}, off = {.no_io_uring = true};
    lp_walk_reader_prefetch(&on, &e, 1, UINT64_MAX);
    lp_walk_reader_prefetch(&off, &e, 1, UINT64_MAX);
    assert_int_equal(unsetenv("LEAKPRINT_IO_URING"), 0);
    assert_non_null(on.pf);
    assert_null(off.pf);
    lp_walk_reader_release(&on);
    lp_walk_reader_release(&off);
    lp_prefetch_free(NULL);
    tu_rmrf(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batch),
        cmocka_unit_test(test_more_than_slots),
        cmocka_unit_test(test_no_memory),
        cmocka_unit_test(test_turned_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
