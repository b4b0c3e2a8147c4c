/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of fingerprint: the winnowing guarantee on random streams,
 * density, line ranges, short inputs and determinism.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fingerprint.h"
#include "normalize.h"
#include "mem.h"
#include "testutil.h"

static void fill(struct lp_token *t, size_t n, uint64_t *seed, unsigned alpha)
{
    for (size_t i = 0; i < n; i++) {
        /* A small alphabet makes repeated k-grams and ties frequent. */
        t[i].hash = alpha ? tu_rand(seed) % alpha : tu_rand(seed);
        t[i].line = (uint32_t)(i / 7 + 1);
        t[i].cls = LP_TOK_IDENT;
    }
}

static int shares_hash(const struct lp_fps *a, const struct lp_fps *b)
{
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = 0; j < b->n; j++)
            if (a->v[i].hash == b->v[j].hash)
                return 1;
    return 0;
}

/* Any common run of >= t = w + k - 1 tokens gives a shared fingerprint. */
static void guarantee(unsigned alpha)
{
    const unsigned k = LP_FP_K, w = LP_FP_W, t = LP_FP_K + LP_FP_W - 1;
    struct lp_token a[600], b[600];
    struct lp_fps fa, fb;
    uint64_t seed = 0x1234567 + alpha;
    lp_fps_init(&fa);
    lp_fps_init(&fb);
    for (int round = 0; round < 2000; round++) {
        size_t na = 40 + tu_rand(&seed) % 500, nb = 40 + tu_rand(&seed) % 500;
        fill(a, na, &seed, alpha);
        fill(b, nb, &seed, alpha);
        size_t run = t + tu_rand(&seed) % 8;
        if (run > na || run > nb)
            continue;
        size_t pa = tu_rand(&seed) % (na - run + 1), pb = tu_rand(&seed) % (nb - run + 1);
        for (size_t i = 0; i < run; i++)
            b[pb + i].hash = a[pa + i].hash;
        assert_int_equal(lp_fingerprint(a, na, k, w, &fa), LP_OK);
        assert_int_equal(lp_fingerprint(b, nb, k, w, &fb), LP_OK);
        assert_true(shares_hash(&fa, &fb));
    }
    lp_fps_release(&fa);
    lp_fps_release(&fb);
}

static void test_guarantee_random(void **state)
{
    (void)state;
    guarantee(0);
}

static void test_guarantee_small_alphabet(void **state)
{
    (void)state;
    guarantee(3); /* ties everywhere: robust winnowing must still hold */
}

static void test_density(void **state)
{
    (void)state;
    enum { N = 100000 };
    struct lp_token *t = calloc(N, sizeof *t);
    struct lp_fps f;
    uint64_t seed = 99;
    lp_fps_init(&f);
    fill(t, N, &seed, 0);
    assert_int_equal(lp_fingerprint(t, N, LP_FP_K, LP_FP_W, &f), LP_OK);
    /* Expected density of winnowing is 2/(w+1) = 0.1176. */
    double d = (double)f.n / (N - LP_FP_K + 1);
    assert_true(d > 0.110 && d < 0.125);
    /* Positions are emitted in order and lines span the k-gram. */
    for (size_t i = 0; i < f.n; i++) {
        assert_true(f.v[i].first <= f.v[i].last);
        if (i)
            assert_true(f.v[i - 1].first <= f.v[i].first);
    }
    lp_fps_release(&f);
    free(t);
}

static void test_short_inputs(void **state)
{
    (void)state;
    struct lp_token t[20];
    struct lp_fps f;
    uint64_t seed = 5;
    lp_fps_init(&f);
    fill(t, 20, &seed, 0);
    assert_int_equal(lp_fingerprint(t, LP_FP_MIN_TOKENS - 1, LP_FP_K, LP_FP_W, &f), LP_OK);
    assert_int_equal(f.n, 0);
    /* From LP_FP_MIN_TOKENS to k-1 tokens: one fingerprint of them all. */
    assert_int_equal(lp_fingerprint(t, LP_FP_K - 1, LP_FP_K, LP_FP_W, &f), LP_OK);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.v[0].first, t[0].line);
    assert_int_equal(f.v[0].last, t[LP_FP_K - 2].line);
    uint64_t h = f.v[0].hash;
    t[3].hash++;
    assert_int_equal(lp_fingerprint(t, LP_FP_K - 1, LP_FP_K, LP_FP_W, &f), LP_OK);
    assert_true(f.v[0].hash != h);
    /* Between k and t tokens: exactly one fingerprint, the minimum. */
    assert_int_equal(lp_fingerprint(t, 20, LP_FP_K, LP_FP_W, &f), LP_OK);
    assert_int_equal(f.n, 1);
    assert_int_equal(lp_fingerprint(t, 20, 0, LP_FP_W, &f), LP_EINVAL);
    lp_fps_release(&f);
}

static void test_position_independent(void **state)
{
    (void)state;
    /* The same run at another place (other lines) gives the same hashes. */
    struct lp_token a[200], b[260];
    struct lp_fps fa, fb;
    uint64_t seed = 77;
    lp_fps_init(&fa);
    lp_fps_init(&fb);
    fill(a, 200, &seed, 0);
    fill(b, 260, &seed, 0);
    for (size_t i = 0; i < 200; i++)
        b[60 + i].hash = a[i].hash;
    assert_int_equal(lp_fingerprint(a, 200, LP_FP_K, LP_FP_W, &fa), LP_OK);
    assert_int_equal(lp_fingerprint(b, 260, LP_FP_K, LP_FP_W, &fb), LP_OK);
    /* Every fingerprint of a, but perhaps those of the first window, is in b. */
    size_t found = 0;
    for (size_t i = 0; i < fa.n; i++)
        for (size_t j = 0; j < fb.n; j++)
            if (fa.v[i].hash == fb.v[j].hash) {
                found++;
                break;
            }
    assert_true(found + 2 >= fa.n);
    lp_fps_release(&fa);
    lp_fps_release(&fb);
}

/* A stream of n tokens of mixed classes: identifiers, numbers and strings
 * with random texts, keywords and operators from a small set. */
static void fill_code(struct lp_token *t, size_t n, uint64_t *seed)
{
    static const uint8_t cls[] = {LP_TOK_IDENT, LP_TOK_OP, LP_TOK_KEYWORD,
                                  LP_TOK_NUMBER, LP_TOK_OP, LP_TOK_STRING,
                                  LP_TOK_IDENT, LP_TOK_OP};
    for (size_t i = 0; i < n; i++) {
        t[i].cls = cls[tu_rand(seed) % sizeof cls];
        t[i].hash = t[i].cls == LP_TOK_OP || t[i].cls == LP_TOK_KEYWORD
                        ? tu_rand(seed) % 12 /* few operators, keywords */
                        : tu_rand(seed);
        t[i].line = (uint32_t)(i / 6 + 1);
    }
}

static bool same_hashes(const struct lp_fps *a, const struct lp_fps *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (a->v[i].hash != b->v[i].hash)
            return false;
    return true;
}

static void test_abstract_stream(void **state)
{
    (void)state;
    enum { N = 400 };
    struct lp_token a[N], b[N];
    struct lp_fps fa, fb;
    uint64_t seed = 99;
    lp_fps_init(&fa);
    lp_fps_init(&fb);
    fill_code(a, N, &seed);
    /* b: every identifier, number and string renamed. */
    memcpy(b, a, sizeof a);
    for (size_t i = 0; i < N; i++)
        if (b[i].cls == LP_TOK_IDENT || b[i].cls == LP_TOK_NUMBER ||
            b[i].cls == LP_TOK_STRING)
            b[i].hash ^= 0x5555;
    assert_int_equal(lp_fingerprint_append(a, N, LP_AFP_K, LP_AFP_W,
                                           LP_STREAM_ABSTRACT, &fa), LP_OK);
    assert_int_equal(lp_fingerprint_append(b, N, LP_AFP_K, LP_AFP_W,
                                           LP_STREAM_ABSTRACT, &fb), LP_OK);
    assert_true(fa.n > 0);
    assert_true(same_hashes(&fa, &fb));
    /* The normalized stream sees the renaming. */
    struct lp_fps na, nb;
    lp_fps_init(&na);
    lp_fps_init(&nb);
    assert_int_equal(lp_fingerprint(a, N, LP_FP_K, LP_FP_W, &na), LP_OK);
    assert_int_equal(lp_fingerprint(b, N, LP_FP_K, LP_FP_W, &nb), LP_OK);
    assert_false(shares_hash(&na, &nb));
    /* Salted: no abstract hash equals a normalized one, even with the same
     * k and w on a stream without identifiers, numbers or strings. */
    for (size_t i = 0; i < N; i++)
        b[i].cls = LP_TOK_OP;
    lp_fps_release(&fb);
    lp_fps_init(&fb);
    assert_int_equal(lp_fingerprint_append(b, N, LP_FP_K, LP_FP_W,
                                           LP_STREAM_ABSTRACT, &fb), LP_OK);
    assert_int_equal(lp_fingerprint(b, N, LP_FP_K, LP_FP_W, &nb), LP_OK);
    assert_false(shares_hash(&fb, &nb));
    /* A keyword or operator changed in the middle changes the abstract
     * fingerprints around it, only there. */
    memcpy(b, a, sizeof a);
    for (size_t i = N / 2; i < N; i++)
        if (b[i].cls == LP_TOK_OP) {
            b[i].hash = 1000;
            break;
        }
    lp_fps_release(&fb);
    lp_fps_init(&fb);
    assert_int_equal(lp_fingerprint_append(b, N, LP_AFP_K, LP_AFP_W,
                                           LP_STREAM_ABSTRACT, &fb), LP_OK);
    assert_false(same_hashes(&fa, &fb));
    assert_true(shares_hash(&fa, &fb));
    /* Appending keeps what was there; a stream shorter than k gives none. */
    size_t before = fb.n;
    assert_int_equal(lp_fingerprint_append(a, LP_AFP_K - 1, LP_AFP_K, LP_AFP_W,
                                           LP_STREAM_ABSTRACT, &fb), LP_OK);
    assert_int_equal(fb.n, before);
    lp_fps_release(&fa);
    lp_fps_release(&fb);
    lp_fps_release(&na);
    lp_fps_release(&nb);
}

/* Fingerprints of text lexed as `lang`. */
static size_t count_fps(enum lp_lang lang, const char *text)
{
    struct lp_tokens t;
    struct lp_fps f;
    lp_tokens_init(&t);
    lp_fps_init(&f);
    assert_int_equal(lp_normalize(lang, text, strlen(text), &t), LP_OK);
    assert_int_equal(lp_fingerprint(t.v, t.n, LP_FP_K, LP_FP_W, &f), LP_OK);
    size_t n = f.n;
    lp_tokens_release(&t);
    lp_fps_release(&f);
    return n;
}

static void test_blank_kgrams(void **state)
{
    (void)state;
    /* A licence-style notice (two licence words or more in a paragraph)
     * gives nothing, even its words between the licence words. */
    const char *notice =
        "This manual is distributed under a license that comes with no\n"
        "warranty at all; you may redistribute it if the original notice\n"
        "stays, and the Example Association at 1 Main Road keeps the rights\n"
        "granted to every reader of this text in every country we know of.\n";
    const char *prose =
        "The gateway keeps its signing key in the hardware module and\n"
        "never exports it; operators rotate the key every ninety days\n"
        "with the rotate command, which asks the module for a new one.\n";
    assert_int_equal(count_fps(LP_LANG_TEXT, notice), 0);
    assert_true(count_fps(LP_LANG_TEXT, prose) > 0);
    /* A table of numbers gives nothing; code does. */
    const char *table = "0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80,\n"
                        "0x90, 0xa0, 0xb0, 0xc0, 0xd0, 0xe0, 0xf0, 0xff,\n"
                        "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,\n";
    const char *code = "int sum(const int *v, int n) { int s = 0;\n"
                       "for (int i = 0; i < n; i++) s += v[i]; return s; }\n";
    assert_int_equal(count_fps(LP_LANG_C, table), 0);
    assert_true(count_fps(LP_LANG_C, code) > 0);
}

/* lp_kgram_hashes() gives each k-gram the hash its fingerprint would
 * have, and no hash to the blank ones, in both streams. */
static void test_kgram_hashes(void **state)
{
    (void)state;
    enum { N = 400 };
    struct lp_token t[N];
    uint64_t seed = 77, h[N];
    bool has[N];
    fill_code(t, N, &seed);
    for (size_t i = 100; i < 130; i++) /* numbers only: blank, normalized */
        t[i] = (struct lp_token){.hash = i, .line = t[i].line,
                                 .cls = LP_TOK_NUMBER};
    for (size_t i = 200; i < 240; i++) /* one token again: blank, abstract */
        t[i] = (struct lp_token){.hash = 5, .line = t[i].line,
                                 .cls = LP_TOK_OP};
    for (size_t i = 300; i < 330; i++) /* licence words: blank, normalized */
        t[i] = (struct lp_token){.hash = i, .line = t[i].line,
                                 .cls = LP_TOK_LEGAL};
    const enum lp_stream streams[] = {LP_STREAM_NORMALIZED,
                                      LP_STREAM_ABSTRACT};
    const unsigned ks[] = {LP_FP_K, LP_AFP_K};
    for (int s = 0; s < 2; s++) {
        unsigned k = ks[s];
        lp_kgram_hashes(t, N, k, streams[s], h, has);
        size_t blank = 0, kept = 0;
        struct lp_fps f;
        lp_fps_init(&f);
        for (size_t i = 0; i + k <= N; i++) {
            f.n = 0;
            assert_int_equal(
                lp_fingerprint_append(t + i, k, k, 1, streams[s], &f), LP_OK);
            assert_int_equal(has[i], f.n == 1);
            if (f.n == 1)
                assert_true(h[i] == f.v[0].hash);
            blank += f.n == 0;
            kept += f.n == 1;
        }
        lp_fps_release(&f);
        assert_true(blank >= 15); /* the runs above are blank */
        assert_true(kept >= 250);
    }
}

static void test_alloc_failure(void **state)
{
    (void)state;
    struct lp_token t[300];
    uint64_t seed = 3;
    fill(t, 300, &seed, 0);
    for (long i = 0;; i++) {
        struct lp_fps f;
        lp_fps_init(&f);
        lp_mem_fail_after(i);
        lp_err err = lp_fingerprint(t, 300, LP_FP_K, LP_FP_W, &f);
        lp_mem_fail_after(-1);
        lp_fps_release(&f);
        if (err == LP_OK)
            break;
        assert_int_equal(err, LP_ENOMEM);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_guarantee_random),
        cmocka_unit_test(test_abstract_stream),
        cmocka_unit_test(test_blank_kgrams),
        cmocka_unit_test(test_guarantee_small_alphabet),
        cmocka_unit_test(test_density),
        cmocka_unit_test(test_short_inputs),
        cmocka_unit_test(test_position_independent),
        cmocka_unit_test(test_kgram_hashes),
        cmocka_unit_test(test_alloc_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
