/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of the Tardos code (src/mark/tardos.c): codewords come from
 * the key alone; biases stay in [t, 1-t]; bad arguments are refused; and,
 * simulated with fixed seeds for 50 recipients, 3 colluders and 1e-6, no
 * innocent is ever accused, a leaker is caught at the rates of issue 18,
 * and the reported bound is never below the innocents' observed tail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

#include <cmocka.h>

#include "tardos.h"
#include "testutil.h"

#define N 50
#define C 3
#define EPS 1e-6
#define KEYS 10    /* codes of the simulation, one per key */
#define TRIALS 200 /* per scenario */

static void make_key(uint8_t key[32], uint8_t seed)
{
    for (int i = 0; i < 32; i++)
        key[i] = (uint8_t)(seed * 31 + i);
}

static void test_reproducible(void **state)
{
    (void)state;
    uint8_t k1[32], k2[32];
    make_key(k1, 1);
    make_key(k2, 2);
    struct lp_tardos a, b, d;
    assert_int_equal(lp_tardos_init(&a, k1, N, C, EPS), LP_OK);
    assert_int_equal(lp_tardos_init(&b, k1, N, 0, 0), LP_OK); // defaults
    assert_int_equal(lp_tardos_init(&d, k2, N, C, EPS), LP_OK);
    size_t m = lp_tardos_length(&a);
    assert_int_equal(m, 1302); // N = 50, c = 3, eps = 1e-6: CANARY.md
    assert_int_equal(m, lp_tardos_length(&b));
    assert_int_equal(m, lp_tardos_length(&d));
    size_t diff = 0, ones = 0;
    for (size_t j = 0; j < N; j++)
        for (size_t i = 0; i < m; i++) {
            int x = lp_tardos_bit(&a, j, i);
            assert_int_equal(x, lp_tardos_bit(&b, j, i));
            diff += x != lp_tardos_bit(&d, j, i);
            ones += (size_t)x;
        }
    for (size_t i = 0; i < m; i++)
        assert_true(lp_tardos_bias(&a, i) == lp_tardos_bias(&b, i));
    /* another key: about 2 E[p(1-p)] of the bits differ (a third) */
    assert_true(diff > N * m / 4 && diff < N * m / 2);
    /* about half the bits are ones (the density is symmetric) */
    assert_true(ones > N * m * 45 / 100 && ones < N * m * 55 / 100);
    assert_int_equal(lp_tardos_bit(&a, N, 0), -1);
    assert_int_equal(lp_tardos_bit(&a, 0, m), -1);
    assert_true(lp_tardos_bias(&a, m) == -1);
    print_message("m=%zu t=%.5f bound=%.3f mu=%.4f Z(m)=%.2f\n", m, a.cutoff,
                  a.bound, a.mu, lp_tardos_threshold(&a, m));
    lp_tardos_release(&a);
    lp_tardos_release(&b);
    lp_tardos_release(&d);
    lp_tardos_release(NULL);
}

/* The score of two positions read, by hand from the table of CANARY.md,
 * and the derivation pinned: the length, biases and bits of one key. */
static void test_fixture(void **state)
{
    (void)state;
    uint8_t key[32];
    make_key(key, 5);
    struct lp_tardos t;
    assert_int_equal(lp_tardos_init(&t, key, 4, 2, 0.01), LP_OK);
    size_t m = lp_tardos_length(&t);
    /* pinned: a change here changes every recipient's code */
    assert_int_equal(m, 130);
    assert_true(fabs(t.cutoff - 0.236738) < 1e-6);
    assert_true(fabs(lp_tardos_bias(&t, 0) - 0.585145541) < 1e-9);
    assert_true(fabs(lp_tardos_bias(&t, 1) - 0.304749707) < 1e-9);
    static const char *rows[4] = {"0001", "1010", "0000", "1001"};
    for (size_t j = 0; j < 4; j++)
        for (size_t i = 0; i < 4; i++)
            assert_int_equal(lp_tardos_bit(&t, j, i), rows[j][i] - '0');
    int8_t *y = tu_calloc(m, 1);
    memset(y, -1, m);
    y[0] = 1;
    y[1] = 0;
    struct lp_tardos_verdict v[4];
    size_t nread;
    assert_int_equal(lp_tardos_accuse(&t, y, m, v, &nread), LP_OK);
    assert_int_equal(nread, 2);
    double p0 = lp_tardos_bias(&t, 0), p1 = lp_tardos_bias(&t, 1);
    for (size_t j = 0; j < 4; j++) {
        double want = lp_tardos_bit(&t, j, 0) ? sqrt((1 - p0) / p0)
                                              : -sqrt(p0 / (1 - p0));
        want += lp_tardos_bit(&t, j, 1) ? -sqrt((1 - p1) / p1)
                                        : sqrt(p1 / (1 - p1));
        assert_true(fabs(v[j].score - want) < 1e-12);
        assert_false(v[j].accused); // two positions prove nothing
        double h = 1 + t.bound * want / 2;
        double bound =
            want <= 0 ? 1
                      : exp(-2 / (t.bound * t.bound) * (h * log(h) - (h - 1)));
        assert_true(fabs(v[j].p_false - bound) < 1e-12);
        assert_true(v[j].p_report == fmin(1, 4 * bound));
    }
    lp_free(y);
    lp_tardos_release(&t);
}

static void test_bias_range(void **state)
{
    (void)state;
    uint8_t key[32];
    make_key(key, 3);
    for (unsigned c = 1; c <= 6; c++) {
        struct lp_tardos t;
        assert_int_equal(lp_tardos_init(&t, key, N, c, EPS), LP_OK);
        assert_true(t.cutoff >= 1.0 / (300.0 * c));
        double lo = 1, hi = 0;
        for (size_t i = 0; i < t.m; i++) {
            double p = lp_tardos_bias(&t, i);
            assert_true(p >= t.cutoff && p <= 1 - t.cutoff);
            lo = fmin(lo, p);
            hi = fmax(hi, p);
        }
        print_message("c=%u m=%zu t=%.4f lo=%.4f hi=%.4f\n", c, t.m, t.cutoff,
                      lo, hi);
        /* the arcsine law puts mass near both ends */
        assert_true(lo < t.cutoff + 0.05 && hi > 1 - t.cutoff - 0.05);
        lp_tardos_release(&t);
    }
}

static void test_invalid(void **state)
{
    (void)state;
    uint8_t key[32];
    make_key(key, 4);
    struct lp_tardos t;
    assert_int_equal(lp_tardos_init(NULL, key, 5, 2, 0.01), LP_EINVAL);
    assert_int_equal(lp_tardos_init(&t, NULL, 5, 2, 0.01), LP_EINVAL);
    assert_int_equal(lp_tardos_init(&t, key, 0, 2, 0.01), LP_EINVAL);
    assert_int_equal(lp_tardos_init(&t, key, 5, 2, 0.7), LP_EINVAL);
    assert_int_equal(lp_tardos_init(&t, key, 5, 2, -1), LP_EINVAL);
    assert_int_equal(lp_tardos_init(&t, key, 5, LP_TARDOS_MAX_C + 1, 0.01),
                     LP_ELIMIT);
    assert_int_equal(lp_tardos_init(&t, key, LP_TARDOS_MAX_USERS + 1, 2, 0.01),
                     LP_ELIMIT);
    /* 2^20 users at c = 3: more cells than kept */
    assert_int_equal(lp_tardos_init(&t, key, LP_TARDOS_MAX_USERS, 3, 1e-6),
                     LP_ELIMIT);
    assert_int_equal(lp_tardos_init(&t, key, 5, 2, 0.01), LP_OK);
    size_t m = lp_tardos_length(&t);
    int8_t *y = tu_calloc(m, 1);
    struct lp_tardos_verdict v[5];
    assert_int_equal(lp_tardos_accuse(&t, y, m - 1, v, NULL), LP_EINVAL);
    y[3] = 2;
    assert_int_equal(lp_tardos_accuse(&t, y, m, v, NULL), LP_EINVAL);
    /* all erased: nobody accused, nothing known */
    memset(y, -1, m);
    size_t nread = 7;
    assert_int_equal(lp_tardos_accuse(&t, y, m, v, &nread), LP_OK);
    assert_int_equal(nread, 0);
    for (int j = 0; j < 5; j++) {
        assert_false(v[j].accused);
        assert_true(v[j].score == 0 && v[j].p_false == 1);
        assert_true(isinf(v[j].threshold));
    }
    assert_int_equal(lp_tardos_plan(&t, 0), 0);
    lp_free(y);
    lp_tardos_release(&t);
}

/* Each of the four allocations failing gives LP_ENOMEM and nothing held. */
static void test_out_of_memory(void **state)
{
    (void)state;
    uint8_t key[32];
    make_key(key, 6);
    struct lp_tardos t;
    for (long n = 0; n < 4; n++) {
        lp_mem_fail_after(n);
        lp_err err = lp_tardos_init(&t, key, 4, 2, 0.01);
        lp_mem_fail_after(-1);
        assert_int_equal(err, LP_ENOMEM);
        assert_null(t.bits);
        assert_int_equal(lp_tardos_length(&t), 0);
    }
    assert_int_equal(lp_tardos_init(&t, key, 4, 2, 0.01), LP_OK);
    lp_tardos_release(&t);
}

enum attack { ONE, INTERLEAVE, MAJORITY, MINORITY, RANDOM };

/* The leak of colluders col[0..nc) under an attack; positions read with
 * probability f (per mille), others erased. */
static void forge(const struct lp_tardos *t, const size_t *col, int nc,
                  enum attack a, unsigned f, uint64_t *rng, int8_t *y)
{
    for (size_t i = 0; i < t->m; i++) {
        int ones = 0, b[C];
        for (int k = 0; k < nc; k++)
            ones += b[k] = lp_tardos_bit(t, col[k], i);
        int v;
        if (ones == 0 || ones == nc) {
            v = b[0]; // marking assumption: agreed bits stay
        } else {
            switch (a) {
            case INTERLEAVE: v = b[i % (size_t)nc]; break;
            case MAJORITY:
                v = 2 * ones == nc ? (int)(tu_rand(rng) & 1) : 2 * ones > nc;
                break;
            case MINORITY:
                v = 2 * ones == nc ? (int)(tu_rand(rng) & 1) : 2 * ones < nc;
                break;
            default: v = (int)(tu_rand(rng) & 1); break;
            }
        }
        y[i] = tu_rand(rng) % 1000 < f ? (int8_t)v : -1;
    }
}

struct sim {
    struct lp_tardos code[KEYS];
    int8_t *y;
    size_t innocent_exceed[6]; // full-length innocents at level k+1 sd
    size_t innocent_n;
    double level_bound[6];
};

/* Runs TRIALS leaks of nc random colluders; returns how many caught one.
 * Fails on any innocent accused or any bound below its own formula. */
static int run(struct sim *s, int nc, enum attack a, unsigned f, uint64_t seed)
{
    uint64_t rng = seed;
    int caught = 0;
    struct lp_tardos_verdict v[N];
    for (int trial = 0; trial < TRIALS; trial++) {
        const struct lp_tardos *t = &s->code[trial % KEYS];
        size_t col[C];
        for (int k = 0; k < nc; k++) {
            int fresh;
            do {
                col[k] = tu_rand(&rng) % N;
                fresh = 1;
                for (int q = 0; q < k; q++)
                    fresh &= col[q] != col[k];
            } while (!fresh);
        }
        forge(t, col, nc, a, f, &rng, s->y);
        size_t nread;
        assert_int_equal(lp_tardos_accuse(t, s->y, t->m, v, &nread), LP_OK);
        int hit = 0;
        for (size_t j = 0; j < N; j++) {
            int guilty = 0;
            for (int k = 0; k < nc; k++)
                guilty |= col[k] == j;
            if (guilty) {
                hit |= v[j].accused;
                continue;
            }
            assert_false(v[j].accused);
            assert_true(v[j].p_report >= EPS || v[j].score < v[j].threshold);
            if (f == 1000) {
                double sd = sqrt((double)t->m);
                for (int l = 0; l < 6; l++)
                    s->innocent_exceed[l] += v[j].score >= (l + 1) * sd;
                s->innocent_n++;
            }
        }
        caught += hit;
    }
    return caught;
}

static void test_simulation(void **state)
{
    (void)state;
    static struct sim s;
    memset(&s, 0, sizeof s);
    for (int k = 0; k < KEYS; k++) {
        uint8_t key[32];
        make_key(key, (uint8_t)(100 + k));
        assert_int_equal(lp_tardos_init(&s.code[k], key, N, C, EPS), LP_OK);
    }
    size_t m = s.code[0].m;
    s.y = tu_calloc(m, 1);

    int full = run(&s, 1, ONE, 1000, 11);
    int p30 = run(&s, 1, ONE, 300, 12);
    int p10 = run(&s, 1, ONE, 100, 13);
    print_message("m=%zu one leaker: full %d/%d, 30%% %d/%d, 10%% %d/%d\n", m,
                  full, TRIALS, p30, TRIALS, p10, TRIALS);
    assert_true(full == TRIALS);
    assert_true(p30 * 100 >= 99 * TRIALS);

    static const char *names[] = {"", "interleave", "majority", "minority",
                                  "random"};
    for (int nc = 2; nc <= 3; nc++)
        for (int a = INTERLEAVE; a <= RANDOM; a++) {
            int got = run(&s, nc, (enum attack)a, 1000, 20 + 10 * nc + a);
            print_message("%d colluders, %s: %d/%d\n", nc, names[a], got,
                          TRIALS);
            if (nc == 3)
                assert_true(got * 100 >= 95 * TRIALS);
        }

    /* The bound at each level is never below the innocents' frequency. */
    for (int l = 0; l < 6; l++) {
        double sd = sqrt((double)m);
        double freq = (double)s.innocent_exceed[l] / (double)s.innocent_n;
        double bound = lp_tardos_p_false(&s.code[0], m, (l + 1) * sd);
        print_message("innocents >= %d sd: %.5f, bound %.5f\n", l + 1, freq,
                      bound);
        assert_true(freq <= bound);
    }

    print_message("plan: f=1.0 c'=%u, f=0.3 c'=%u, f=0.1 c'=%u\n",
                  lp_tardos_plan(&s.code[0], 1.0),
                  lp_tardos_plan(&s.code[0], 0.3),
                  lp_tardos_plan(&s.code[0], 0.1));
    assert_true(lp_tardos_plan(&s.code[0], 1.0) >= C);
    lp_free(s.y);
    for (int k = 0; k < KEYS; k++)
        lp_tardos_release(&s.code[k]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reproducible),  cmocka_unit_test(test_fixture),
        cmocka_unit_test(test_bias_range),    cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_out_of_memory), cmocka_unit_test(test_simulation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
