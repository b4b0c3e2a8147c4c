/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of walk: sorted listing, relative names, symlinks and special
 * files reported (not followed, not dropped silently), VCS directories not
 * read, and whole-file reads with size hints, growth, shrinkage and limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "limits.h"
#include "mem.h"
#include "walk.h"
#include "testutil.h"

static char dir[64];

static void put(const char *rel, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void sub(const char *rel)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    assert_int_equal(mkdir(p, 0700), 0);
}

static int setup(void **state)
{
    (void)state;
    tu_mkdtemp(dir, sizeof dir, "walktest");
    sub("b");
    sub("a");
    sub(".git");
    put("b/z.c", "int z;\n");
    put("b/a.c", "int a;\n");
    put("a/m.sh", "echo m\n");
    put(".git/config", "[core]\n");
    put("top.md", "# top\n");
    char t[256], l[256];
    snprintf(t, sizeof t, "%s/top.md", dir);
    snprintf(l, sizeof l, "%s/a/link.md", dir);
    assert_int_equal(symlink(t, l), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tu_rmrf(dir);
    return 0;
}

static void test_collect_sorted_relative(void **state)
{
    (void)state;
    struct lp_walk_list l;
    struct tu_warns w = {0};
    size_t nwarn = 0;
    char err[256];
    lp_walk_list_init(&l);
    assert_int_equal(lp_walk_collect(dir, LP_WALK_RELATIVE, NULL, &l, tu_on_warn, &w,
                                     &nwarn, err, sizeof err),
                     LP_OK);
    assert_int_equal(l.n, 4);
    assert_string_equal(l.v[0].logical, "a/m.sh");
    assert_string_equal(l.v[1].logical, "b/a.c");
    assert_string_equal(l.v[2].logical, "b/z.c");
    assert_string_equal(l.v[3].logical, "top.md");
    /* Named by the listing as regular files: not stat'ed by the walk. */
    for (size_t i = 0; i < l.n; i++)
        assert_true(l.v[i].size == LP_SIZE_UNKNOWN);
    /* The symlink is named, not followed and not silently dropped. */
    assert_int_equal(nwarn, 1);
    assert_int_equal(w.n, 1);
    assert_non_null(strstr(w.last, "a/link.md': symbolic link not followed"));
    lp_walk_list_release(&l);
}

static void test_collect_skips_registry(void **state)
{
    (void)state;
    struct lp_walk_list l;
    struct lp_walk_skip skip;
    size_t nwarn = 0;
    char err[256], p[128];
    /* Named another way than the walk will reach it. */
    snprintf(p, sizeof p, "%s/b/../b", dir);
    lp_walk_skip_init(&skip, p);
    assert_true(skip.set);
    lp_walk_list_init(&l);
    assert_int_equal(lp_walk_collect(dir, LP_WALK_RELATIVE, &skip, &l, NULL,
                                     NULL, &nwarn, err, sizeof err),
                     LP_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[0].logical, "a/m.sh");
    assert_string_equal(l.v[1].logical, "top.md");
    lp_walk_list_release(&l);
    lp_walk_skip_init(&skip, "/nonexistent/registry");
    assert_false(skip.set);
}

static void test_collect_errors(void **state)
{
    (void)state;
    struct lp_walk_list l;
    size_t nwarn = 0;
    char err[256], p[128];
    lp_walk_list_init(&l);
    snprintf(p, sizeof p, "%s/missing", dir);
    assert_int_equal(lp_walk_collect(p, 0, NULL, &l, NULL, NULL, &nwarn, err,
                                     sizeof err),
                     LP_ENOTFOUND);
    assert_non_null(strstr(err, "missing': No such file or directory"));
    /* A single file keeps the path it was given (scan's logical names). */
    snprintf(p, sizeof p, "%s/b/z.c", dir);
    assert_int_equal(lp_walk_collect(p, 0, NULL, &l, NULL, NULL, &nwarn, err,
                                     sizeof err),
                     LP_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].logical, p);
    lp_walk_list_release(&l);
}

/* Walks root, which must succeed with exactly one warning (left in *w). */
static void collect_one_warning(const char *root, struct lp_walk_list *l,
                                struct tu_warns *w)
{
    size_t nwarn = 0;
    char err[256];
    lp_walk_list_init(l);
    assert_int_equal(lp_walk_collect(root, LP_WALK_RELATIVE, NULL, l, tu_on_warn,
                                     w, &nwarn, err, sizeof err),
                     LP_OK);
    assert_int_equal(nwarn, 1);
    assert_int_equal(w->n, 1);
}

static void test_depth_limit(void **state)
{
    (void)state;
    /* LP_MAX_WALK_DEPTH + 4 nested directories with a file at the bottom:
     * the walk stops at the limit, says so once, and does not fail. */
    char root[64], path[4096];
    tu_mkdtemp(root, sizeof root, "walkdeep");
    size_t len = (size_t)snprintf(path, sizeof path, "%s", root);
    for (int i = 0; i < LP_MAX_WALK_DEPTH + 4; i++) {
        len += (size_t)snprintf(path + len, sizeof path - len, "/d");
        assert_int_equal(mkdir(path, 0700), 0);
    }
    snprintf(path + len, sizeof path - len, "/deep.c");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    char shallow[128];
    snprintf(shallow, sizeof shallow, "%s/d/top.c", root);
    f = fopen(shallow, "w");
    assert_non_null(f);
    fclose(f);

    struct lp_walk_list l;
    struct tu_warns w = {0};
    collect_one_warning(root, &l, &w);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].logical, "d/top.c");
    assert_non_null(strstr(w.last, "directory nesting deeper than 256"));
    lp_walk_list_release(&l);
    tu_rmrf(root);
}

static void test_path_limit(void **state)
{
    (void)state;
    /* Directories of 200-byte names until the path passes LP_MAX_PATH:
     * what lies beyond is named as too long, not silently dropped. */
    char root[64], name[201];
    memset(name, 'n', 200);
    name[200] = '\0';
    tu_mkdtemp(root, sizeof root, "walklong");
    /* Directory by directory through file descriptors, so that the whole
     * path may exceed what one system call accepts. */
    int fd = open(root, O_RDONLY | O_DIRECTORY);
    assert_true(fd >= 0);
    for (size_t len = strlen(root); len < LP_MAX_PATH + 300; len += 201) {
        assert_int_equal(mkdirat(fd, name, 0700), 0);
        int next = openat(fd, name, O_RDONLY | O_DIRECTORY);
        assert_true(next >= 0);
        close(fd);
        fd = next;
    }
    close(fd);
    struct lp_walk_list l;
    struct tu_warns w = {0};
    collect_one_warning(root, &l, &w);
    assert_non_null(strstr(w.last, "path too long (skipped)"));
    lp_walk_list_release(&l);
    tu_rmrf(root);
}

static void test_read_hints(void **state)
{
    (void)state;
    char *buf = NULL, err[256], p[128];
    size_t cap = 0, len = 0;
    put("r.txt", "0123456789");
    snprintf(p, sizeof p, "%s/r.txt", dir);
    /* Exact hint, smaller hint (the file grew), larger hint (it shrank). */
    uint64_t hints[] = {10, 4, 100, UINT64_MAX};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(lp_walk_read_hint(p, 1000, hints[i], &buf, &cap, &len,
                                           err, sizeof err),
                         LP_OK);
        assert_int_equal(len, 10);
        assert_memory_equal(buf, "0123456789", 11);
    }
    /* The size limit. */
    assert_int_equal(lp_walk_read_hint(p, 9, UINT64_MAX, &buf, &cap, &len, err, sizeof err),
                     LP_ELIMIT);
    assert_non_null(strstr(err, "r.txt': file larger than 9 bytes"));
    assert_int_equal(lp_walk_read_hint(p, 10, UINT64_MAX, &buf, &cap, &len, err, sizeof err),
                     LP_OK);
    /* A known size over the limit fails before any read. */
    err[0] = '\0';
    assert_int_equal(lp_walk_read_hint(p, 9, 10, &buf, &cap, &len, err, sizeof err),
                     LP_ELIMIT);
    assert_non_null(strstr(err, "r.txt': file larger than 9 bytes"));
    /* A FIFO in a file's place: refused at once, never waited on. */
    snprintf(p, sizeof p, "%s/fifo", dir);
    assert_int_equal(mkfifo(p, 0600), 0);
    assert_int_equal(lp_walk_read_hint(p, 10, LP_SIZE_UNKNOWN, &buf, &cap, &len, err,
                                       sizeof err),
                     LP_EUNSUPPORTED);
    assert_non_null(strstr(err, "fifo': not a regular file"));
    unlink(p);
    /* A file larger than the reused buffer. */
    char big[200001];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    put("big.txt", big);
    snprintf(p, sizeof p, "%s/big.txt", dir);
    assert_int_equal(lp_walk_read_hint(p, 1 << 20, UINT64_MAX, &buf, &cap, &len, err,
                                  sizeof err),
                     LP_OK);
    assert_int_equal(len, 200000);
    snprintf(p, sizeof p, "%s/nope", dir);
    assert_int_equal(lp_walk_read_hint(p, 10, UINT64_MAX, &buf, &cap, &len, err, sizeof err),
                     LP_EIO);
    assert_non_null(strstr(err, "nope': No such file"));
    lp_free(buf);
}

static void count_warning(void *ctx, const char *msg)
{
    (void)msg;
    (*(int *)ctx)++;
}

static void test_read_blob_of_no_repository(void **state)
{
    (void)state;
    /* A repository that cannot be opened (gone since the walk): each of its
     * blobs is named as skipped, the second one as the first. */
    struct lp_walk_list l;
    struct lp_walk_reader rd = {0};
    struct lp_warner w;
    int said = 0;
    uint8_t oid[20] = {1, 2, 3};
    char *buf = NULL, p[128];
    size_t cap = 0, len = 0;
    bool skipped = false;
    lp_walk_list_init(&l);
    lp_warner_init(&w, count_warning, &said);
    snprintf(p, sizeof p, "%s/no-such.git", dir);
    assert_int_equal(lp_walk_add_blob(&l, p, "no-such.git/a.c", oid), LP_OK);
    assert_int_equal(lp_walk_add_blob(&l, p, "no-such.git/b.c", oid), LP_OK);
    for (size_t i = 0; i < l.n; i++) {
        assert_int_equal(lp_walk_read_entry(&rd, &l.v[i], 1000, &buf, &cap,
                                            &len, &w, &skipped, NULL),
                         LP_OK);
        assert_true(skipped);
    }
    assert_int_equal(said, 2);
    lp_walk_reader_release(&rd);
    lp_warner_release(&w);
    lp_walk_list_release(&l);
    lp_free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_collect_sorted_relative),
        cmocka_unit_test(test_collect_skips_registry),
        cmocka_unit_test(test_collect_errors),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_path_limit),
        cmocka_unit_test(test_read_hints),
        cmocka_unit_test(test_read_blob_of_no_repository),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
