/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of span building (match.h): chains of fingerprint pairs with a
 * consistent, slowly drifting line offset become spans; separate copies give
 * separate spans; isolated pairs are dropped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "match.h"

static size_t add_run(struct lp_pair *p, size_t n, uint32_t t0, uint32_t a0,
                      uint32_t count, uint32_t step, uint32_t drift_every)
{
    uint32_t drift = 0;
    for (uint32_t i = 0; i < count; i++) {
        if (drift_every && i && i % drift_every == 0)
            drift++;
        uint32_t t = t0 + i * step, a = a0 + i * step + drift;
        p[n] = (struct lp_pair){.tf = t, .tl = t + 2, .af = a, .al = a + 2,
                                .fp = (uint32_t)n};
        n++;
    }
    return n;
}

static void test_one_copy(void **state)
{
    (void)state;
    struct lp_pair p[64];
    struct lp_span s[128];
    size_t n = add_run(p, 0, 10, 15, 30, 1, 0);
    size_t ns = lp_spans_build(p, n, 2, NULL, s);
    assert_int_equal(ns, 1);
    assert_int_equal(s[0].lines[0], 10);
    assert_int_equal(s[0].lines[1], 41);
    assert_int_equal(s[0].asset_lines[0], 15);
    assert_int_equal(s[0].asset_lines[1], 46);
    assert_int_equal(s[0].nfp, 30);
}

static void test_two_regions(void **state)
{
    (void)state;
    struct lp_pair p[64];
    struct lp_span s[128];
    /* Target 80.. copies asset 5..; target 10.. copies asset 100.. */
    size_t n = add_run(p, 0, 80, 5, 15, 2, 0);
    n = add_run(p, n, 10, 100, 15, 2, 0);
    size_t ns = lp_spans_build(p, n, 2, NULL, s);
    assert_int_equal(ns, 2);
    assert_int_equal(s[0].lines[0], 10);
    assert_int_equal(s[0].asset_lines[0], 100);
    assert_int_equal(s[0].asset_lines[1], 130);
    assert_int_equal(s[1].lines[0], 80);
    assert_int_equal(s[1].lines[1], 110);
    assert_int_equal(s[1].asset_lines[0], 5);
}

static void test_drift(void **state)
{
    (void)state;
    /* Reformatting adds a line every 3 lines: still one span. */
    struct lp_pair p[128];
    struct lp_span s[256];
    size_t n = add_run(p, 0, 1, 1, 90, 1, 3);
    size_t ns = lp_spans_build(p, n, 2, NULL, s);
    assert_int_equal(ns, 1);
    assert_int_equal(s[0].lines[0], 1);
    assert_int_equal(s[0].lines[1], 92);
    assert_int_equal(s[0].asset_lines[0], 1);
    assert_int_equal(s[0].asset_lines[1], 92 + 29);
}

static void test_removed_comment_block(void **state)
{
    (void)state;
    /* The copy lost a 30-line comment block of the asset after line 20. */
    struct lp_pair p[64];
    struct lp_span s[128];
    size_t n = add_run(p, 0, 1, 1, 20, 1, 0);
    n = add_run(p, n, 21, 51, 20, 1, 0);
    assert_int_equal(lp_spans_build(p, n, 2, NULL, s), 1);
    assert_int_equal(s[0].lines[0], 1);
    assert_int_equal(s[0].lines[1], 42);
    assert_int_equal(s[0].asset_lines[0], 1);
    assert_int_equal(s[0].asset_lines[1], 72);
}

static void test_stray_pair(void **state)
{
    (void)state;
    /* A fingerprint of the copy also occurs 35 lines further in the asset:
     * the stray pair must not cut the copy in two. */
    struct lp_pair p[64];
    struct lp_span s[128];
    size_t n = add_run(p, 0, 1, 1, 30, 1, 0);
    p[n++] = (struct lp_pair){.tf = 15, .tl = 17, .af = 50, .al = 52, .fp = 14};
    assert_int_equal(lp_spans_build(p, n, 2, NULL, s), 1);
    assert_int_equal(s[0].lines[0], 1);
    assert_int_equal(s[0].lines[1], 32);
    assert_int_equal(s[0].asset_lines[1], 32);
    assert_int_equal(s[0].nfp, 30);
}

static void test_noise_dropped(void **state)
{
    (void)state;
    struct lp_pair p[64];
    struct lp_span s[128];
    size_t n = add_run(p, 0, 200, 40, 20, 1, 0);
    /* Isolated pairs far away on both sides. */
    p[n++] = (struct lp_pair){.tf = 5, .tl = 6, .af = 900, .al = 901, .fp = 99};
    p[n++] = (struct lp_pair){.tf = 500, .tl = 501, .af = 3, .al = 4, .fp = 98};
    size_t ns = lp_spans_build(p, n, 2, NULL, s);
    assert_int_equal(ns, 1);
    assert_int_equal(s[0].lines[0], 200);
    assert_int_equal(s[0].asset_lines[0], 40);
    /* With min_fp 1 they come back as their own spans. */
    n = add_run(p, 0, 200, 40, 20, 1, 0);
    p[n++] = (struct lp_pair){.tf = 5, .tl = 6, .af = 900, .al = 901, .fp = 99};
    assert_int_equal(lp_spans_build(p, n, 1, NULL, s), 2);
}

static void test_repetitive_asset(void **state)
{
    (void)state;
    /* 40 target lines whose fingerprints each occur at 101 places of the
     * asset (a block repeated 101 times): the pairs of one place are 101
     * apart in target order, yet each place chains whole, and one span of
     * all 40 remains (the others cover the same target lines). */
    enum { FPS = 40, PLACES = 100 };
    static struct lp_pair p[FPS * (PLACES + 1)];
    static struct lp_span s[2 * FPS * (PLACES + 1)];
    size_t n = 0;
    for (uint32_t f = 0; f < FPS; f++) {
        for (uint32_t k = 0; k <= PLACES; k++) {
            uint32_t a = k == PLACES ? 20000 + f : 200 * k + f;
            p[n++] = (struct lp_pair){.tf = 1 + f, .tl = 1 + f, .af = a,
                                      .al = a, .fp = f};
        }
    }
    size_t ns = lp_spans_build(p, n, 2, NULL, s);
    assert_int_equal(ns, 1);
    assert_int_equal(s[0].nfp, FPS);
    assert_int_equal(s[0].lines[0], 1);
    assert_int_equal(s[0].lines[1], FPS);
    assert_int_equal(s[0].asset_lines[1] - s[0].asset_lines[0] + 1, FPS);
}

static void test_jump_breaks_chain(void **state)
{
    (void)state;
    /* Same target run, but the asset offset jumps by 50 in the middle. */
    struct lp_pair p[64];
    struct lp_span s[128];
    size_t n = add_run(p, 0, 1, 1, 10, 1, 0);
    n = add_run(p, n, 11, 61, 10, 1, 0);
    assert_int_equal(lp_spans_build(p, n, 2, NULL, s), 2);
    assert_int_equal(lp_spans_build(p, 0, 2, NULL, s), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_copy),
        cmocka_unit_test(test_two_regions),
        cmocka_unit_test(test_drift),
        cmocka_unit_test(test_removed_comment_block),
        cmocka_unit_test(test_stray_pair),
        cmocka_unit_test(test_noise_dropped),
        cmocka_unit_test(test_repetitive_asset),
        cmocka_unit_test(test_jump_breaks_chain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
