/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of walk_archive (cmocka), on archives built in memory with
 * libarchive's writer: members in order with logical paths "a.zip!b/c.c",
 * nesting "a.tar!b.zip!c.c" and its depth limit, the entries limit, a
 * bomb skipped alone by the ratio limit, a truncated tar.gz read up to the
 * cut and said, hostile names kept as evidence, a compressed disk image
 * (zeros first) read as raw content, and a sweep of allocation failures.
 */
#include <archive.h>
#include <archive_entry.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mem.h"
#include "walk.h"
#include "walk_archive.h"

#include "testutil.h"

#include "banned.h"

/* One member of an archive to build. */
struct m {
    const char *name;
    const char *data; /* NULL: `size` zero bytes */
    size_t size;
};

/* Builds an archive of format `fmt` (ARCHIVE_FORMAT_*) and compression
 * `filter` (ARCHIVE_FILTER_*) holding ms[0..n); caller frees. */
static char *build(int fmt, int filter, const struct m *ms, size_t n,
                   size_t *len)
{
    size_t cap = 16u << 20, used = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    struct archive *a = archive_write_new();
    assert_int_equal(archive_write_set_format(a, fmt), ARCHIVE_OK);
    if (filter != ARCHIVE_FILTER_NONE)
        assert_int_equal(archive_write_add_filter(a, filter), ARCHIVE_OK);
    archive_write_set_bytes_in_last_block(a, 1);
    assert_int_equal(archive_write_open_memory(a, out, cap, &used),
                     ARCHIVE_OK);
    for (size_t i = 0; i < n; i++) {
        struct archive_entry *e = archive_entry_new();
        char *zeros = ms[i].data ? NULL : calloc(1, ms[i].size + 1);
        archive_entry_set_pathname(e, ms[i].name);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, (la_int64_t)ms[i].size);
        assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
        assert_int_equal(archive_write_data(a, zeros ? zeros : ms[i].data,
                                            ms[i].size),
                         (la_ssize_t)ms[i].size);
        archive_entry_free(e);
        free(zeros);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    *len = used;
    return out;
}

#define MAXGOT 16

/* What the walk gave: members in order, and what the warner heard. */
struct got {
    struct lp_archive_limits lim;
    struct lp_archive_budget budget;
    struct lp_warner w;
    struct tu_warns warns;
    size_t n;
    char path[MAXGOT][256];
    size_t len[MAXGOT];
    unsigned depth[MAXGOT];
    char head[MAXGOT][64];
    bool nest; /* walk archives found in members, as scan does */
};

static lp_err on_member(void *ctx, const char *logical, const char *data,
                        size_t len, unsigned depth)
{
    struct got *g = ctx;
    assert_int_equal(data[len], '\0');
    if (g->nest && lp_archive_detect((const unsigned char *)data, len)) {
        if (depth >= g->lim.max_depth) {
            lp_archive_say_too_deep(&g->w, logical, &g->lim);
            return LP_OK;
        }
        lp_err err = lp_archive_walk(logical, data, len, depth + 1, &g->lim,
                                     &g->budget, &g->w, on_member, g);
        if (err != LP_EFORMAT)
            return err;
    }
    if (g->n < MAXGOT) {
        snprintf(g->path[g->n], sizeof g->path[0], "%s", logical);
        snprintf(g->head[g->n], sizeof g->head[0], "%.*s",
                 (int)(len < 63 ? len : 63), data);
        g->len[g->n] = len;
        g->depth[g->n] = depth;
    }
    g->n++;
    return LP_OK;
}

static void got_init(struct got *g)
{
    memset(g, 0, sizeof *g);
    lp_archive_limits_default(&g->lim);
    g->lim.sevenzip = NULL; /* libarchive alone, never 7zz */
    lp_warner_init(&g->w, tu_on_warn, &g->warns);
}

static lp_err walk_buf(struct got *g, const char *logical, const char *buf,
                       size_t len)
{
    return lp_archive_walk(logical, buf, len, 1, &g->lim, &g->budget, &g->w,
                           on_member, g);
}

static void test_order_and_paths(void **state)
{
    (void)state;
    const struct m ms[] = {{"b/c.c", "int c;\n", 7}, {"a.c", "int a;\n", 7},
                           {"b/a.c", "int ba;\n", 8}};
    size_t len;
    char *zip = build(ARCHIVE_FORMAT_ZIP, ARCHIVE_FILTER_NONE, ms, 3, &len);
    struct got g;
    got_init(&g);
    assert_int_equal(walk_buf(&g, "a.zip", zip, len), LP_OK);
    assert_int_equal(g.n, 3);
    assert_string_equal(g.path[0], "a.zip!b/c.c");
    assert_string_equal(g.path[1], "a.zip!a.c");
    assert_string_equal(g.path[2], "a.zip!b/a.c");
    assert_string_equal(g.head[2], "int ba;\n");
    assert_int_equal(g.depth[0], 1);
    assert_int_equal(g.warns.n, 0);
    lp_warner_release(&g.w);
    free(zip);
}

static void test_nested(void **state)
{
    (void)state;
    const struct m inner[] = {{"c.c", "int c;\n", 7}};
    size_t zlen, tlen;
    char *zip = build(ARCHIVE_FORMAT_ZIP, ARCHIVE_FILTER_NONE, inner, 1, &zlen);
    const struct m outer[] = {{"b.zip", zip, zlen}};
    char *tar = build(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_NONE,
                      outer, 1, &tlen);
    struct got g;
    got_init(&g);
    g.nest = true;
    assert_int_equal(walk_buf(&g, "a.tar", tar, tlen), LP_OK);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.path[0], "a.tar!b.zip!c.c");
    assert_int_equal(g.depth[0], 2);
    assert_int_equal(g.warns.n, 0);
    lp_warner_release(&g.w);

    /* With a depth limit of 1, the zip is named and not opened. */
    got_init(&g);
    g.nest = true;
    g.lim.max_depth = 1;
    assert_int_equal(walk_buf(&g, "a.tar", tar, tlen), LP_OK);
    assert_int_equal(g.n, 0);
    assert_int_equal(g.warns.n, 1);
    assert_non_null(strstr(g.warns.last, "'a.tar!b.zip': archive nested "
                                         "deeper than 1 levels"));
    lp_warner_release(&g.w);
    free(zip);
    free(tar);
}

static void test_entries_limit(void **state)
{
    (void)state;
    const struct m ms[] = {{"1", "1", 1}, {"2", "2", 1}, {"3", "3", 1},
                           {"4", "4", 1}, {"5", "5", 1}};
    size_t len;
    char *zip = build(ARCHIVE_FORMAT_ZIP, ARCHIVE_FILTER_NONE, ms, 5, &len);
    struct got g;
    got_init(&g);
    g.lim.max_entries = 3;
    assert_int_equal(walk_buf(&g, "e.zip", zip, len), LP_OK);
    assert_int_equal(g.n, 3);
    assert_int_equal(g.warns.n, 1);
    assert_string_equal(g.warns.last, "'e.zip': more than 3 members "
                                      "(--max-entries): rest not read");
    assert_true(g.budget.exhausted);
    lp_warner_release(&g.w);
    free(zip);
}

/* A bomb between two members, in a zip and in a tar.gz: skipped alone. */
static void test_ratio_per_member(void **state)
{
    (void)state;
    const struct m ms[] = {{"a.c", "int a;\n", 7},
                           {"bomb.bin", NULL, 8u << 20},
                           {"z.c", "int z;\n", 7}};
    const int kinds[][2] = {{ARCHIVE_FORMAT_ZIP, ARCHIVE_FILTER_NONE},
                            {ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_GZIP}};
    for (size_t i = 0; i < 2; i++) {
        size_t len;
        char *ar = build(kinds[i][0], kinds[i][1], ms, 3, &len);
        struct got g;
        got_init(&g);
        assert_int_equal(walk_buf(&g, "b.ar", ar, len), LP_OK);
        assert_int_equal(g.n, 2);
        assert_string_equal(g.path[0], "b.ar!a.c");
        assert_string_equal(g.path[1], "b.ar!z.c");
        assert_int_equal(g.warns.n, 1);
        assert_string_equal(g.warns.last,
                            "'b.ar!bomb.bin': expands more than 250 times its "
                            "compressed size (--max-ratio; a compression "
                            "bomb?) (skipped)");
        assert_false(g.budget.exhausted);
        /* Not read further than the limit (and a chunk) in a zip. */
        if (i == 0)
            assert_true(g.budget.expanded < (2u << 20));
        lp_warner_release(&g.w);
        free(ar);
    }
}

static void test_truncated(void **state)
{
    (void)state;
    uint64_t seed = 42;
    static char noise[60000];
    for (size_t i = 0; i < sizeof noise; i++)
        noise[i] = (char)('a' + tu_rand(&seed) % 26);
    const struct m ms[] = {{"a.c", "int a;\n", 7},
                           {"noise.txt", noise, sizeof noise},
                           {"z.c", "int z;\n", 7}};
    size_t len;
    char *tgz = build(ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_GZIP, ms, 3,
                      &len);
    struct got g;
    got_init(&g);
    assert_int_equal(walk_buf(&g, "t.tgz", tgz, len / 2), LP_OK);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.path[0], "t.tgz!a.c");
    assert_string_equal(g.path[1], "t.tgz!noise.txt");
    assert_true(g.len[1] > 0 && g.len[1] < sizeof noise);
    assert_memory_equal(g.head[1], noise, 63);
    assert_int_equal(g.warns.n, 1);
    assert_non_null(strstr(g.warns.last, "'t.tgz!noise.txt': damaged or "
                                         "truncated after "));
    assert_non_null(strstr(g.warns.last, "gzip stream truncated (read up "
                                         "to there)"));
    lp_warner_release(&g.w);

    /* Cut in the gzip header: nothing, said. */
    got_init(&g);
    assert_int_equal(walk_buf(&g, "t.tgz", tgz, 6), LP_OK);
    assert_int_equal(g.n, 0);
    assert_string_equal(g.warns.last, "'t.tgz': damaged or truncated "
                                      "archive: gzip stream truncated (not "
                                      "read)");
    lp_warner_release(&g.w);
    free(tgz);
}

static void test_hostile_names(void **state)
{
    (void)state;
    const struct m ms[] = {{"../../etc/x.c", "1", 1},
                           {"/abs/y.c", "2", 1},
                           {"new\nline\x01.c", "3", 1}};
    size_t len;
    char *zip = build(ARCHIVE_FORMAT_ZIP, ARCHIVE_FILTER_NONE, ms, 3, &len);
    struct got g;
    got_init(&g);
    assert_int_equal(walk_buf(&g, "h.zip", zip, len), LP_OK);
    assert_int_equal(g.n, 3);
    assert_string_equal(g.path[0], "h.zip!../../etc/x.c");
    assert_string_equal(g.path[1], "h.zip!/abs/y.c");
    assert_string_equal(g.path[2], "h.zip!new\nline\x01.c");
    lp_warner_release(&g.w);

    /* A path over the limit is named by its archive, and skipped. */
    got_init(&g);
    g.lim.max_path = 12;
    assert_int_equal(walk_buf(&g, "h.zip", zip, len), LP_OK);
    assert_int_equal(g.n, 0);
    assert_int_equal(g.warns.n, 3);
    assert_string_equal(g.warns.last, "'h.zip': a member's path is longer "
                                      "than 12 bytes (--max-path-length) "
                                      "(skipped)");
    lp_warner_release(&g.w);
    free(zip);
}

/* 4 KB of zeros then text, compressed by each codec: one raw member. */
static void test_raw_zeros(void **state)
{
    (void)state;
    static char img[4096 + 16];
    memcpy(img + 4096, "int secret(void)", 16);
    const int filters[] = {ARCHIVE_FILTER_GZIP, ARCHIVE_FILTER_XZ,
                           ARCHIVE_FILTER_ZSTD, ARCHIVE_FILTER_BZIP2,
                           ARCHIVE_FILTER_LZ4};
    const struct m ms[] = {{"disk.img", img, sizeof img}};
    for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
        size_t len;
        char *z = build(ARCHIVE_FORMAT_RAW, filters[i], ms, 1, &len);
        struct got g;
        got_init(&g);
        assert_int_equal(walk_buf(&g, "disk.img.gz", z, len), LP_OK);
        assert_int_equal(g.n, 1);
        assert_string_equal(g.path[0], "disk.img.gz!disk.img");
        assert_int_equal(g.len[0], sizeof img);
        assert_int_equal(g.warns.n, 0);
        lp_warner_release(&g.w);
        free(z);
    }
}

/* Fail each allocation in turn: LP_OK or a clean LP_ENOMEM, never a
 * crash or a leak (ASan), until the walk passes. */
static void test_alloc_failures(void **state)
{
    (void)state;
    const struct m inner[] = {{"c.c", "int c;\n", 7}};
    size_t zlen, tlen;
    char *zip = build(ARCHIVE_FORMAT_ZIP, ARCHIVE_FILTER_NONE, inner, 1, &zlen);
    const struct m outer[] = {{"a.c", "int a;\n", 7}, {"b.zip", zip, zlen}};
    char *tgz = build(ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_GZIP, outer, 2,
                      &tlen);
    lp_err err = LP_ENOMEM;
    for (long n = 0; n < 10000 && err == LP_ENOMEM; n++) {
        for (size_t cut = 0; cut < 2; cut++) {
            struct got g;
            got_init(&g);
            g.nest = true;
            lp_mem_fail_after(n);
            lp_err e = walk_buf(&g, "a.tgz", tgz, cut ? tlen - 20 : tlen);
            lp_mem_fail_after(-1);
            assert_true(e == LP_OK || e == LP_ENOMEM);
            if (e == LP_OK && !cut)
                assert_string_equal(g.path[1], "a.tgz!b.zip!c.c");
            if (!cut)
                err = e;
            lp_warner_release(&g.w);
        }
    }
    assert_int_equal(err, LP_OK);
    free(zip);
    free(tgz);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_and_paths),
        cmocka_unit_test(test_nested),
        cmocka_unit_test(test_entries_limit),
        cmocka_unit_test(test_ratio_per_member),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_hostile_names),
        cmocka_unit_test(test_raw_zeros),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
