/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of src/mark/mark.h: the plan (deterministic from the key,
 * one position per distinct key, the rest unplanned), recipients' copies
 * (each site of a planned key spelled the recipient's bit, nothing else
 * changed), and attribution end to end on the carrier fixtures (three C
 * files): a recipient's whole copy, reformatted by clang-format, accuses
 * that recipient alone; the unmarked original and a copy with every
 * planned site erased accuse nobody; two recipients' copies merged file
 * by file accuse no innocent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "carrier.h"
#include "mark.h"
#include "mem.h"
#include "tardos.h"

#include "testutil.h"
#include "banned.h"

#define NFILES 3
#define NUSERS 8

static const char *const names[NFILES] = {"ring.c", "parse.c", "prog.c"};

struct fixture {
    char *text[NFILES];
    size_t len[NFILES];
    uint8_t key[LP_TARDOS_KEY_LEN];
    struct lp_tardos code;
    struct lp_mark_plan plan;
    size_t nkeys; /* distinct keys of the collection */
};

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    buf[n] = '\0';
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    for (int i = 0; i < LP_TARDOS_KEY_LEN; i++)
        f->key[i] = (uint8_t)(7 * i + 3);
    uint64_t *keys = NULL;
    size_t nkeys = 0;
    for (int i = 0; i < NFILES; i++) {
        char path[256];
        snprintf(path, sizeof path, "tests/fixtures/carrier/%s", names[i]);
        f->text[i] = slurp(path, &f->len[i]);
        struct lp_carrier_site *s = NULL;
        size_t n = 0;
        assert_int_equal(lp_carriers_find(f->text[i], f->len[i], NULL, 0, &s,
                                          &n),
                         LP_OK);
        keys = realloc(keys, (nkeys + n + 1) * sizeof *keys);
        assert_non_null(keys);
        for (size_t k = 0; k < n; k++)
            keys[nkeys++] = s[k].key;
        lp_free(s);
    }
    /* one recipient alone, 1 in 1000 for the whole report */
    assert_int_equal(lp_tardos_init(&f->code, f->key, NUSERS, 1, 1e-3),
                     LP_OK);
    assert_int_equal(lp_mark_plan_build(f->key, keys, nkeys,
                                        lp_tardos_length(&f->code),
                                        &f->plan),
                     LP_OK);
    /* the distinct keys, counted here the plain way */
    for (size_t i = 0; i < nkeys; i++) {
        size_t j = 0;
        while (j < i && keys[j] != keys[i])
            j++;
        f->nkeys += j == i;
    }
    free(keys);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    for (int i = 0; i < NFILES; i++)
        free(f->text[i]);
    lp_mark_plan_release(&f->plan);
    lp_tardos_release(&f->code);
    free(f);
    return 0;
}

/* Recipient r's copy of file i (lp_free). */
static char *marked(struct fixture *f, size_t r, int i, size_t *len)
{
    char *out = NULL, err[LP_CARRIER_ERRLEN];
    assert_int_equal(lp_mark_text(&f->plan, &f->code, r, f->text[i],
                                  f->len[i], &out, len, NULL, err,
                                  sizeof err),
                     LP_OK);
    return out;
}

/* The verdicts of a leak of the given texts; the accused into a bit set,
 * the positions read into *m_read. */
static unsigned accuse(struct fixture *f, char *const *texts,
                       const size_t *lens, int n, size_t *m_read,
                       double *worst_p)
{
    struct lp_mark_votes v;
    assert_int_equal(lp_mark_votes_init(&v, f->plan.m), LP_OK);
    for (int i = 0; i < n; i++)
        assert_int_equal(lp_mark_read_text(&f->plan, &v, texts[i], lens[i],
                                           NULL, 0),
                         LP_OK);
    int8_t *y = malloc(f->plan.m);
    struct lp_tardos_verdict out[NUSERS];
    assert_non_null(y);
    lp_mark_votes_word(&v, y);
    assert_int_equal(lp_tardos_accuse(&f->code, y, f->plan.m, out, m_read),
                     LP_OK);
    unsigned accused = 0;
    *worst_p = 1;
    for (unsigned u = 0; u < NUSERS; u++) {
        if (out[u].accused) {
            accused |= 1u << u;
            if (out[u].p_report < *worst_p)
                *worst_p = out[u].p_report;
        }
    }
    free(y);
    lp_mark_votes_release(&v);
    return accused;
}

static void test_plan(void **state)
{
    struct fixture *f = *state;
    /* as many keys carry a position as the code has positions, or as
     * there are distinct keys; each position at most once */
    print_message("code length %zu, distinct keys %zu, planned %zu\n",
                  f->plan.m, f->nkeys, f->plan.n);
    assert_int_equal(f->plan.n,
                     f->nkeys < f->plan.m ? f->nkeys : f->plan.m);
    char *seen = calloc(f->plan.m, 1);
    for (size_t i = 0; i < f->plan.n; i++) {
        long pos = lp_mark_plan_pos(&f->plan, f->plan.slots[i].key);
        assert_true(pos >= 0 && (size_t)pos < f->plan.m);
        assert_int_equal(seen[pos], 0);
        seen[pos] = 1;
    }
    free(seen);
    assert_int_equal(lp_mark_plan_pos(&f->plan, 12345), -1);
    /* the same key and keys: the same plan; a shorter code: the first
     * ranked keys only */
    uint64_t keys[4] = {5, 9, 5, 1};
    struct lp_mark_plan a, b, c;
    assert_int_equal(lp_mark_plan_build(f->key, keys, 4, 10, &a), LP_OK);
    assert_int_equal(lp_mark_plan_build(f->key, keys, 4, 10, &b), LP_OK);
    assert_int_equal(a.n, 3);
    for (size_t i = 0; i < a.n; i++) {
        assert_true(a.slots[i].key == b.slots[i].key);
        assert_int_equal(a.slots[i].pos, b.slots[i].pos);
    }
    assert_int_equal(lp_mark_plan_build(f->key, keys, 4, 2, &c), LP_OK);
    assert_int_equal(c.n, 2);
    for (size_t i = 0; i < c.n; i++)
        assert_true(lp_mark_plan_pos(&a, c.slots[i].key) ==
                    (long)c.slots[i].pos);
    lp_mark_plan_release(&a);
    lp_mark_plan_release(&b);
    lp_mark_plan_release(&c);
    assert_int_equal(lp_mark_plan_build(f->key, keys, 4, 0, &a), LP_EINVAL);
}

static void test_copies(void **state)
{
    struct fixture *f = *state;
    for (size_t r = 0; r < NUSERS; r++) {
        for (int i = 0; i < NFILES; i++) {
            size_t len = 0, changed = 0;
            char *out = NULL;
            assert_int_equal(lp_mark_text(&f->plan, &f->code, r, f->text[i],
                                          f->len[i], &out, &len, &changed,
                                          NULL, 0),
                             LP_OK);
            /* read back alone: each planned site spells r's bit */
            struct lp_carrier_mark *m = NULL;
            size_t n = 0;
            assert_int_equal(lp_carriers_read(out, len, NULL, 0, &m, &n),
                             LP_OK);
            size_t planned = 0;
            for (size_t k = 0; k < n; k++) {
                long pos = lp_mark_plan_pos(&f->plan, m[k].key);
                if (pos < 0)
                    continue;
                planned++;
                assert_int_equal(m[k].value,
                                 lp_tardos_bit(&f->code, r, (size_t)pos));
            }
            assert_true(planned > 0);
            assert_true(changed <= planned);
            lp_free(m);
            lp_free(out);
        }
    }
    /* two recipients' copies differ */
    size_t la, lb;
    char *a = marked(f, 0, 0, &la), *b = marked(f, 1, 0, &lb);
    assert_false(la == lb && !memcmp(a, b, la));
    lp_free(a);
    lp_free(b);
    assert_int_equal(lp_mark_text(&f->plan, &f->code, NUSERS, f->text[0],
                                  f->len[0], &a, &la, NULL, NULL, 0),
                     LP_EINVAL);
}

/* text reformatted by clang-format (style), or a copy when it is not
 * installed (the test then says so). */
static char *reformat(const char *text, size_t len, const char *style,
                      size_t *outlen)
{
    char in[] = "/tmp/lp-mark-XXXXXX.c", out[64], cmd[256];
    int fd = mkstemps(in, 2);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
    snprintf(out, sizeof out, "%s.out", in);
    snprintf(cmd, sizeof cmd,
             "clang-format --style=%s '%s' >'%s' 2>/dev/null", style, in,
             out);
    char *r;
    if (system(cmd) == 0) {
        r = slurp(out, outlen);
    } else {
        print_message("clang-format not run: the copy is not reformatted\n");
        r = malloc(len + 1);
        memcpy(r, text, len + 1);
        *outlen = len;
    }
    unlink(in);
    unlink(out);
    return r;
}

static void test_attribution(void **state)
{
    struct fixture *f = *state;
    char *texts[NFILES];
    size_t lens[NFILES], m_read = 0;
    double p;
    /* each recipient's whole copy, reformatted: that recipient alone */
    for (size_t r = 0; r < NUSERS; r++) {
        for (int i = 0; i < NFILES; i++) {
            size_t len;
            char *mk = marked(f, r, i, &len);
            texts[i] = reformat(mk, len, r % 2 ? "GNU" : "LLVM", &lens[i]);
            lp_free(mk);
        }
        unsigned who = accuse(f, texts, lens, NFILES, &m_read, &p);
        print_message("recipient %zu: accused 0x%02x, %zu positions read, "
                      "p_false %.3g\n",
                      r, who, m_read, p);
        assert_int_equal(who, 1u << r);
        assert_int_equal(m_read, f->plan.n);
        assert_true(p <= 1e-3);
        for (int i = 0; i < NFILES; i++)
            free(texts[i]);
    }
    /* the unmarked original: nobody */
    unsigned who = accuse(f, f->text, f->len, NFILES, &m_read, &p);
    assert_int_equal(who, 0);
    /* two recipients merged file by file: no innocent (the code is made
     * for one; either of them may or may not be accused) */
    for (size_t a = 0; a < NUSERS; a++) {
        size_t b = (a + 3) % NUSERS;
        for (int i = 0; i < NFILES; i++)
            texts[i] = marked(f, i == 1 ? b : a, i, &lens[i]);
        who = accuse(f, texts, lens, NFILES, &m_read, &p);
        assert_int_equal(who & ~((1u << a) | (1u << b)), 0);
        for (int i = 0; i < NFILES; i++)
            lp_free(texts[i]);
    }
    /* nothing planned read (a file of no carrier): nobody, nothing read */
    char none[] = "int main(void) { return 0; }\n";
    char *t1[1] = {none};
    size_t l1[1] = {sizeof none - 1};
    who = accuse(f, t1, l1, 1, &m_read, &p);
    assert_int_equal(who, 0);
    assert_int_equal(m_read, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_plan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attribution, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
