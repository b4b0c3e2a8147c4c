/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of span building (match.h): chains of fingerprint pairs with a
 * consistent, slowly drifting line offset become spans; separate copies give
 * separate spans; isolated pairs are dropped. Span boundaries
 * (lp_span_extend(), lp_spans_merge()): a span found inside a copy is
 * moved out to the copy's first and last lines, on both sides.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "match.h"
#include "testutil.h"

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

/* Target order, as the matcher sorts pairs before chaining them. */
static int cmp_target(const void *a, const void *b)
{
    const struct lp_pair *x = a, *y = b;
    if (x->tf != y->tf)
        return x->tf < y->tf ? -1 : 1;
    if (x->af != y->af)
        return x->af < y->af ? -1 : 1;
    return (x->fp > y->fp) - (x->fp < y->fp);
}

/* Pairs of `streams` streams, each in target order but for the asset
 * order of pairs on one line, as the matcher gathers them: the spans are
 * those of the same pairs sorted beforehand. */
static void expect_streams_sorted(unsigned streams)
{
    enum { N = 600 };
    struct lp_pair p[N], q[N];
    struct lp_span s[N], t[N];
    uint64_t seed = 0x5eed + streams;
    size_t n = 0;
    for (unsigned r = 0; r < streams; r++) {
        size_t per = N / streams;
        for (size_t i = 0; i < per; i++, n++) {
            /* three places of the asset per target line, any order */
            uint32_t tf = 5 + (uint32_t)(i / 3) * 2 + r;
            uint32_t af = 40 + (uint32_t)(i / 3) * 2 +
                          (uint32_t)(tu_rand(&seed) % 3) * 500;
            p[n] = (struct lp_pair){.tf = tf, .tl = tf + 1, .af = af,
                                    .al = af + 1, .fp = (uint32_t)n};
        }
    }
    memcpy(q, p, n * sizeof *p);
    qsort(q, n, sizeof *q, cmp_target);
    size_t ns = lp_spans_build(p, n, 2, NULL, s);
    size_t nt = lp_spans_build(q, n, 2, NULL, t);
    assert_int_equal(ns, nt);
    assert_true(ns > 0);
    for (size_t i = 0; i < ns; i++) {
        assert_memory_equal(s[i].lines, t[i].lines, sizeof s[i].lines);
        assert_memory_equal(s[i].asset_lines, t[i].asset_lines,
                            sizeof s[i].asset_lines);
        assert_int_equal(s[i].nfp, t[i].nfp);
    }
}

static void test_sort_streams(void **state)
{
    (void)state;
    expect_streams_sorted(1);
    expect_streams_sorted(3);  /* merged */
    expect_streams_sorted(12); /* more than are merged: sorted whole */
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

/* ---- span boundaries ---- */

/* An oracle that holds fingerprints by hash: places[i] is the asset's
 * (hash, first, last) list. */
struct fake_asset {
    const struct lp_fp *fp;
    size_t n;
};

static bool fake_held(void *ctx, uint64_t hash, uint32_t first, int64_t diag,
                      uint32_t *af, uint32_t *al)
{
    const struct fake_asset *fa = ctx;
    for (size_t i = 0; i < fa->n; i++) {
        int64_t d = (int64_t)fa->fp[i].first - first - diag;
        if (fa->fp[i].hash == hash && d >= -3 && d <= 3) {
            *af = fa->fp[i].first;
            *al = fa->fp[i].last;
            return true;
        }
    }
    return false;
}

static void test_merge_collinear(void **state)
{
    (void)state;
    struct lp_span s[4] = {
        /* one copy cut by a 30-line gap on both sides (offset +100) */
        {.lines = {60, 90}, .asset_lines = {160, 190}, .nfp = 8, .evidence = 8,
         .how = LP_HOW_NORMALIZED},
        {.lines = {10, 29}, .asset_lines = {110, 129}, .nfp = 5, .evidence = 5,
         .how = LP_HOW_NORMALIZED},
        /* inside the first: absorbed */
        {.lines = {12, 20}, .asset_lines = {112, 120}, .nfp = 2, .evidence = 2,
         .how = LP_HOW_NORMALIZED},
        /* after, but 40 lines off the diagonal: another copy */
        {.lines = {95, 120}, .asset_lines = {235, 260}, .nfp = 6, .evidence = 6,
         .how = LP_HOW_RENAMED},
    };
    size_t n = lp_spans_merge(s, 4);
    assert_int_equal(n, 2);
    assert_int_equal(s[0].lines[0], 10);
    assert_int_equal(s[0].lines[1], 90);
    assert_int_equal(s[0].asset_lines[0], 110);
    assert_int_equal(s[0].asset_lines[1], 190);
    assert_int_equal(s[0].nfp, 15);
    assert_int_equal(s[1].lines[0], 95);
    assert_int_equal(s[1].asset_lines[0], 235);
    /* A gap longer than LP_SPAN_MERGE_GAP stays a gap. */
    struct lp_span t[2] = {
        {.lines = {1, 10}, .asset_lines = {1, 10}},
        {.lines = {11 + LP_SPAN_MERGE_GAP + 1, 200},
         .asset_lines = {11 + LP_SPAN_MERGE_GAP + 1, 200}},
    };
    assert_int_equal(lp_spans_merge(t, 2), 2);
}

/* Without tokens: the file has a fingerprint every 2 lines (hash = its
 * first line, 3 lines long); the asset holds those of lines 5-31 (a copy
 * of file lines 5-33), 5 lines further down. The span found is 11-25. */
static void test_extend_fingerprints(void **state)
{
    (void)state;
    struct lp_fp file[26], asset[24];
    size_t nf = 0, na = 0;
    for (uint32_t l = 1; l <= 47; l += 2) {
        file[nf++] = (struct lp_fp){.hash = l, .first = l, .last = l + 2};
        if (l >= 5 && l <= 31)
            asset[na++] = (struct lp_fp){.hash = l, .first = l + 5,
                                         .last = l + 7};
    }
    struct fake_asset fa = {asset, na};
    struct lp_span_oracle o = {fake_held, &fa, NULL};
    size_t budget = 100;
    struct lp_span_file f = {.fp = file, .nfp = nf, .lines = 50,
                             .asset_lines = 60, .budget = &budget};
    struct lp_span sp = {.lines = {11, 25}, .asset_lines = {16, 30}};
    assert_int_equal(lp_span_extend(&sp, &f, &o), LP_OK);
    /* Held up to the k-gram of lines 31-33, then the one of 33-35 is not:
     * the copy ends on line 33 or 34; half of that one line is taken. */
    assert_int_equal(sp.lines[1], 34);
    assert_int_equal(sp.asset_lines[1], 39);
    /* Held back to 5-7, not 3-5: the copy starts on line 4 or 5. */
    assert_int_equal(sp.lines[0], 4);
    assert_int_equal(sp.asset_lines[0], 9);
    /* Found by bisection over the fingerprints in line order, and with a
     * tail out of order (code found in a comment: lines 45-47, then
     * 40-42, which the asset does not hold), the same. */
    file[nf++] = (struct lp_fp){.hash = 1000, .first = 45, .last = 47};
    file[nf++] = (struct lp_fp){.hash = 1001, .first = 40, .last = 42};
    for (size_t sorted = 0; sorted <= nf; sorted += nf - 2) {
        budget = 100;
        f.nfp = nf;
        f.nsorted = sorted;
        struct lp_span sp1 = {.lines = {11, 25}, .asset_lines = {16, 30}};
        assert_int_equal(lp_span_extend(&sp1, &f, &o), LP_OK);
        assert_int_equal(sp1.lines[0], 4);
        assert_int_equal(sp1.lines[1], 34);
        assert_int_equal(sp1.asset_lines[0], 9);
        assert_int_equal(sp1.asset_lines[1], 39);
    }
    f.nfp = nf - 2;
    f.nsorted = 0;
    /* Out of lookups: nothing moves. */
    budget = 0;
    struct lp_span sp2 = {.lines = {11, 25}, .asset_lines = {16, 30}};
    assert_int_equal(lp_span_extend(&sp2, &f, &o), LP_OK);
    assert_int_equal(sp2.lines[0], 11);
    assert_int_equal(sp2.lines[1], 25);
}

/* Short lines of C (4 to 6 tokens, as "x = y;" and "}" lines are), each
 * distinct: line i of `kind`. */
static void code_line(char *out, size_t cap, char kind, int i)
{
    if (kind == 'a')
        snprintf(out, cap, "    acc%d += %d;\n", i % 7, i * 3 + 1);
    else
        snprintf(out, cap, "    h%d(%d);\n", i % 5, i);
}

/* With tokens, end to end: asset lines first..first+39 of a 60-line asset
 * pasted after line 20 of an unrelated 40-line file (file lines 21-60),
 * both lexed and winnowed as scan does; the span chained from their common
 * fingerprints (*chained), then extended (*out). */
static void paste_and_extend(int first, struct lp_span *out,
                             struct lp_span *chained)
{
    static char atext[8192], ftext[8192];
    char line[128];
    size_t al = 0, fl = 0;
    for (int i = 1; i <= 60; i++) {
        code_line(line, sizeof line, 'a', i);
        al += (size_t)snprintf(atext + al, sizeof atext - al, "%s", line);
    }
    for (int i = 1; i <= 40; i++) {
        code_line(line, sizeof line, 'h', i);
        fl += (size_t)snprintf(ftext + fl, sizeof ftext - fl, "%s", line);
        if (i == 20)
            for (int j = first; j < first + 40; j++) {
                code_line(line, sizeof line, 'a', j);
                fl += (size_t)snprintf(ftext + fl, sizeof ftext - fl, "%s",
                                       line);
            }
    }
    struct lp_tokens at, ft;
    struct lp_fps afp, ffp;
    lp_tokens_init(&at);
    lp_tokens_init(&ft);
    lp_fps_init(&afp);
    lp_fps_init(&ffp);
    assert_int_equal(lp_normalize(LP_LANG_C, atext, al, &at), LP_OK);
    assert_int_equal(lp_normalize(LP_LANG_C, ftext, fl, &ft), LP_OK);
    assert_int_equal(lp_fingerprint(at.v, at.n, LP_FP_K, LP_FP_W, &afp), LP_OK);
    assert_int_equal(lp_fingerprint(ft.v, ft.n, LP_FP_K, LP_FP_W, &ffp), LP_OK);
    static struct lp_pair p[4096];
    static struct lp_span s[4096];
    size_t n = 0;
    for (size_t i = 0; i < ffp.n; i++)
        for (size_t j = 0; j < afp.n; j++)
            if (ffp.v[i].hash == afp.v[j].hash && n < 4096)
                p[n++] = (struct lp_pair){.tf = ffp.v[i].first,
                                          .tl = ffp.v[i].last,
                                          .af = afp.v[j].first,
                                          .al = afp.v[j].last,
                                          .fp = (uint32_t)i};
    assert_int_equal(lp_spans_build(p, n, 2, NULL, s), 1);
    *chained = s[0];
    struct fake_asset fa = {afp.v, afp.n};
    struct lp_span_oracle o = {fake_held, &fa, NULL};
    size_t budget = 4096;
    struct lp_span_file f = {.fp = ffp.v, .nfp = ffp.n, .tok = ft.v,
                             .ntok = ft.n, .k = LP_FP_K, .w = LP_FP_W,
                             .stream = LP_STREAM_NORMALIZED, .lines = 80,
                             .asset_lines = 60, .budget = &budget};
    assert_int_equal(lp_span_extend(&s[0], &f, &o), LP_OK);
    *out = s[0];
    lp_tokens_release(&at);
    lp_tokens_release(&ft);
    lp_fps_release(&afp);
    lp_fps_release(&ffp);
}

static bool near(uint32_t got, int want)
{
    return (int)got >= want - 2 && (int)got <= want + 2;
}

/* Lines of 4 or 5 tokens leave up to four lines undecided at each end
 * (w - 1 = 15 tokens), and the span takes the middle: it is within 2
 * lines of the copy wherever the copy is cut, and exact where chaining
 * alone falls 2 or 3 lines short at the start. */
static void test_extend_tokens(void **state)
{
    (void)state;
    struct lp_span sp, ch;
    for (int first = 1; first <= 21; first++) {
        paste_and_extend(first, &sp, &ch);
        assert_true(near(sp.lines[0], 21) && near(sp.lines[1], 60));
        assert_true(near(sp.asset_lines[0], first) &&
                    near(sp.asset_lines[1], first + 39));
    }
    paste_and_extend(13, &sp, &ch);
    assert_int_equal(ch.lines[0], 24); /* chained: 3 lines short */
    assert_int_equal(ch.asset_lines[0], 16);
    assert_int_equal(sp.lines[0], 21);
    assert_int_equal(sp.lines[1], 60);
    assert_int_equal(sp.asset_lines[0], 13);
    assert_int_equal(sp.asset_lines[1], 52);
    paste_and_extend(14, &sp, &ch);
    assert_int_equal(ch.lines[0], 23);
    assert_int_equal(ch.lines[1], 59);
    assert_int_equal(sp.lines[0], 21);
    assert_int_equal(sp.lines[1], 60);
    assert_int_equal(sp.asset_lines[0], 14);
    assert_int_equal(sp.asset_lines[1], 53);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_copy),
        cmocka_unit_test(test_sort_streams),
        cmocka_unit_test(test_two_regions),
        cmocka_unit_test(test_drift),
        cmocka_unit_test(test_removed_comment_block),
        cmocka_unit_test(test_stray_pair),
        cmocka_unit_test(test_noise_dropped),
        cmocka_unit_test(test_repetitive_asset),
        cmocka_unit_test(test_jump_breaks_chain),
        cmocka_unit_test(test_merge_collinear),
        cmocka_unit_test(test_extend_fingerprints),
        cmocka_unit_test(test_extend_tokens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
