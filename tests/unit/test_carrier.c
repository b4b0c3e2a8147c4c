/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of carrier.h: the sites found in small snippets (and the ones
 * refused: macro bodies, strings, comments, #if lines, calls), the exact
 * respellings, and on the fixtures of tests/fixtures/carrier/ a mark written
 * with seeded random values read back after clang-format (LLVM and GNU),
 * comment stripping, consistent renaming and keeping the second half only.
 * A misread (a site found with another value) is worse than an absent one:
 * their count must be 0. The marked files must compile, and the marked
 * program print what the original prints.
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
#include "ctok.h"
#include "hash.h"
#include "mem.h"

#include "testutil.h"

static const char *const fixtures[] = {
    "tests/fixtures/carrier/ring.c",
    "tests/fixtures/carrier/parse.c",
    "tests/fixtures/carrier/prog.c",
};
#define NFIX (sizeof fixtures / sizeof fixtures[0])

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *p;
    long n;
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    n = ftell(fp);
    assert_true(n >= 0);
    rewind(fp);
    p = malloc((size_t)n + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)n, fp), (size_t)n);
    p[n] = '\0';
    fclose(fp);
    *len = (size_t)n;
    return p;
}

static void spit(const char *path, const char *p, size_t n)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(p, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

static size_t find(const char *s, struct lp_carrier_site **v)
{
    size_t n = 0;
    char err[LP_CARRIER_ERRLEN];
    assert_int_equal(lp_carriers_find(s, strlen(s), err, sizeof err, v, &n),
                     LP_OK);
    return n;
}

/* The snippet with every site in spelling v (clamped to q - 1). */
static char *respell_all(const char *s, uint8_t v)
{
    struct lp_carrier_site *st = NULL;
    size_t n = find(s, &st), ol = 0;
    uint8_t vals[64];
    char *out = NULL;
    assert_true(n <= 64);
    for (size_t i = 0; i < n; i++)
        vals[i] = v < st[i].q ? v : (uint8_t)(st[i].q - 1);
    assert_int_equal(
        lp_carriers_apply(s, strlen(s), st, vals, n, NULL, 0, &out, &ol),
        LP_OK);
    lp_free(st);
    return out;
}

/* Sites of each kind, and the exact spellings. */
static void test_snippets(void **state)
{
    (void)state;
    static const char src[] = "void f(int *a, struct s *p, int n)\n"
                              "{\n"
                              "    int i;\n"
                              "    for (i = 0; i < n; i++)\n"
                              "        a[i] = i & 0xff;\n"
                              "    p->count++;\n"
                              "    while (1) {\n"
                              "        if (p->count >= 4096 && n != 0)\n"
                              "            break;\n"
                              "        ++n;\n"
                              "    }\n"
                              "}\n";
    struct lp_carrier_site *st = NULL;
    size_t n = find(src, &st);
    /* i < n, i++, 0xff, p->count++, while (1), p->count >= 4096, n != 0,
     * ++n */
    assert_int_equal(n, 8);
    assert_int_equal(st[0].kind, LP_CARRIER_CMP);
    assert_int_equal(st[0].value, 0);
    assert_int_equal(st[1].kind, LP_CARRIER_INC);
    assert_int_equal(st[2].kind, LP_CARRIER_CONST);
    assert_int_equal(st[2].value, 0);
    assert_int_equal(st[3].kind, LP_CARRIER_INC);
    assert_int_equal(st[4].kind, LP_CARRIER_LOOP);
    assert_int_equal(st[4].value, 1);
    assert_int_equal(st[5].kind, LP_CARRIER_CMP);
    assert_int_equal(st[5].value, 1); /* '>=' form */
    assert_int_equal(st[6].kind, LP_CARRIER_CMP);
    assert_int_equal(st[7].kind, LP_CARRIER_INC);
    assert_int_equal(st[7].value, 1);
    lp_free(st);

    char *all1 = respell_all(src, 1);
    assert_string_equal(all1, "void f(int *a, struct s *p, int n)\n"
                              "{\n"
                              "    int i;\n"
                              "    for (i = 0; n > i; ++i)\n"
                              "        a[i] = i & 255;\n"
                              "    ++p->count;\n"
                              "    while (1) {\n"
                              "        if (p->count >= 4096 && 0 != n)\n"
                              "            break;\n"
                              "        ++n;\n"
                              "    }\n"
                              "}\n");
    char *all0 = respell_all(src, 0);
    assert_string_equal(all0, "void f(int *a, struct s *p, int n)\n"
                              "{\n"
                              "    int i;\n"
                              "    for (i = 0; i < n; i++)\n"
                              "        a[i] = i & 0xff;\n"
                              "    p->count++;\n"
                              "    for (;;) {\n"
                              "        if (4096 <= p->count && n != 0)\n"
                              "            break;\n"
                              "        n++;\n"
                              "    }\n"
                              "}\n");
    char *all2 = respell_all(src, 2);
    assert_non_null(strstr(all2, "for (i = 0; n > i; i += 1)"));
    assert_non_null(strstr(all2, "    n += 1;\n"));

    /* a file that writes x+=2 gets y+=1 */
    char *tight = respell_all("void f(void)\n{\n    x+=2;\n    y++;\n}\n", 2);
    assert_string_equal(tight, "void f(void)\n{\n    x+=2;\n    y+=1;\n}\n");
    lp_free(tight);

    /* the respelled texts give the same keys */
    struct lp_carrier_site *a = NULL, *b = NULL;
    size_t na = find(src, &a), nb = find(all2, &b);
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++)
        assert_true(a[i].key == b[i].key);
    lp_free(a);
    lp_free(b);
    lp_free(all0);
    lp_free(all1);
    lp_free(all2);
}

/* No site in macros, literals, comments, #if lines, calls or unsafe forms. */
static void test_refused(void **state)
{
    (void)state;
    static const char *const none[] = {
        "#define INC(x) x++;\n#if X > 0x100\n#endif\n",
        "const char *s = \"x++; while (1) 0xff\"; int c = 'x';\n",
        "/* x++; for (;;) 256 */ // a < b; 4096\n",
        "void f(void) { g(a < b); y = x++; *p++; f(x)++; a = b ? c : d; }\n",
        "void f(void) { do x = 2; while (1); for (;;); i = 017; }\n",
        "void f(void) { if (!a < b) return; if (a + 1 < b) return; }\n",
        "void f(void) { x = 15 + 100 + 0x7f000000 + 2147483648 + 0x1p4; }\n",
        "void f(void) { if (a == b) return; x += 2; x += 1u; }\n",
    };
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        struct lp_carrier_site *st = NULL;
        size_t n = find(none[i], &st);
        if (n)
            print_error("snippet %zu: %zu sites, first at %u\n", i, n,
                        st[0].start);
        assert_int_equal(n, 0);
        lp_free(st);
    }
}

/* Two sites in the same context have the same key: both are dropped. */
static void test_duplicates(void **state)
{
    (void)state;
    const char *s = "void f(void) { a++; a++; a++; a++; a++; a++; a++; "
                    "a++; a++; a++; a++; a++; a++; a++; a++; a++; a++; "
                    "a++; a++; a++; a++; a++; a++; a++; a++; a++; a++; "
                    "a++; a++; a++; a++; a++; a++; a++; a++; a++; a++; }";
    struct lp_carrier_site *st = NULL;
    size_t n = find(s, &st);
    /* only those within a window of the ends differ */
    assert_true(n > 0 && n <= 16);
    lp_free(st);
}

/* Hostile bits: empty, unterminated, unbalanced, bad arguments. */
static void test_hostile(void **state)
{
    (void)state;
    static const char *const odd[] = {
        "",          "\"",  "/*", "'",     "((((",  "))))x++;",     "for (;;",
        "while (1)", "x++", "0x", "\\\n#", "a < b", "return a < b",
    };
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        struct lp_carrier_site *st = NULL;
        (void)find(odd[i], &st);
        lp_free(st);
    }
    struct lp_carrier_site *st = NULL;
    const char *s = "void f(void) { x++; }";
    size_t n = find(s, &st), ol;
    char *out = NULL, err[LP_CARRIER_ERRLEN];
    uint8_t v = 3;
    assert_int_equal(n, 1);
    assert_int_equal(
        lp_carriers_apply(s, strlen(s), st, &v, 1, err, sizeof err, &out, &ol),
        LP_EINVAL);
    assert_null(out);
    assert_string_equal(err, "carrier site 0 out of order or range, or value "
                             "3 >= 3");
    lp_free(st);

    /* the size cap: one line, nothing returned */
    size_t big = (size_t)LP_CARRIER_MAX_BYTES + 1;
    char *huge = malloc(big);
    assert_non_null(huge);
    memset(huge, ' ', big);
    st = NULL;
    assert_int_equal(lp_carriers_find(huge, big, err, sizeof err, &st, &n),
                     LP_ELIMIT);
    assert_null(st);
    assert_string_equal(err, "text of 16777217 bytes, over 16777216");
    free(huge);
}

struct tally {
    size_t sites, found, misread, absent;
};

/* The mark of text (values seeded) read from altered: found, misread and
 * absent counted among the sites with start >= from. */
static void tally_range(const struct lp_carrier_site *st, const uint8_t *vals,
                        size_t n, const char *altered, size_t len,
                        uint32_t from, uint32_t to, struct tally *t)
{
    struct lp_carrier_mark *m = NULL;
    size_t nm = 0;
    char err[LP_CARRIER_ERRLEN];
    assert_int_equal(lp_carriers_read(altered, len, err, sizeof err, &m, &nm),
                     LP_OK);
    for (size_t i = 0; i < n; i++) {
        const struct lp_carrier_mark *k = lp_carriers_lookup(m, nm, st[i].key);
        if (st[i].start < from || st[i].end > to) {
            assert_null(k); /* cut away: must not be found */
            continue;
        }
        t->sites++;
        if (!k)
            t->absent++;
        else if (k->value != vals[i])
            t->misread++;
        else
            t->found++;
    }
    lp_free(m);
}

static void tally(const struct lp_carrier_site *st, const uint8_t *vals,
                  size_t n, const char *altered, size_t len, uint32_t from,
                  struct tally *t)
{
    tally_range(st, vals, n, altered, len, from, UINT32_MAX, t);
}

static char *run_capture(const char *cmd, size_t *len)
{
    FILE *fp = popen(cmd, "r");
    char *p = NULL;
    size_t n = 0, cap = 0;
    assert_non_null(fp);
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            p = realloc(p, cap);
            assert_non_null(p);
        }
        size_t r = fread(p + n, 1, 4096, fp);
        n += r;
        if (r == 0)
            break;
    }
    p[n] = '\0';
    assert_int_equal(pclose(fp), 0);
    *len = n;
    return p;
}

/* Comments out, each replaced by a space; literals kept. */
static char *strip_comments(const char *s, size_t len, size_t *outlen)
{
    char *o = malloc(len + 1);
    size_t j = 0;
    assert_non_null(o);
    for (size_t i = 0; i < len;) {
        if (s[i] == '"' || s[i] == '\'') {
            char q = s[i];
            o[j++] = s[i++];
            while (i < len && s[i] != q && s[i] != '\n') {
                if (s[i] == '\\' && i + 1 < len)
                    o[j++] = s[i++];
                o[j++] = s[i++];
            }
            if (i < len && s[i] == q)
                o[j++] = s[i++];
        } else if (s[i] == '/' && i + 1 < len && s[i + 1] == '/') {
            while (i < len && s[i] != '\n')
                i++;
        } else if (s[i] == '/' && i + 1 < len && s[i + 1] == '*') {
            i += 2;
            while (i + 1 < len && !(s[i] == '*' && s[i + 1] == '/'))
                i++;
            i += 2;
            o[j++] = ' ';
        } else {
            o[j++] = s[i++];
        }
    }
    o[j] = '\0';
    *outlen = j;
    return o;
}

/* Every identifier (not keyword) renamed id_<hash>, the same everywhere. */
static char *rename_all(const char *s, size_t len, size_t *outlen)
{
    struct lp_ctok *t = NULL;
    size_t n = 0, at = 0, j = 0;
    char *o = malloc(len * 4 + 64);
    assert_non_null(o);
    assert_int_equal(lp_ctok_lex(s, len, &t, &n), LP_OK);
    for (size_t i = 0; i < n; i++) {
        if (t[i].kind != LP_CTOK_IDENT ||
            lp_ctok_is_keyword(s + t[i].off, t[i].len))
            continue;
        memcpy(o + j, s + at, t[i].off - at);
        j += t[i].off - at;
        j += (size_t)snprintf(
            o + j, 16, "id_%06x",
            (unsigned)(lp_hash64(s + t[i].off, t[i].len) & 0xffffff));
        at = t[i].off + t[i].len;
    }
    memcpy(o + j, s + at, len - at);
    j += len - at;
    o[j] = '\0';
    lp_free(t);
    *outlen = j;
    return o;
}

static int have_clang_format(void)
{
    return access("/usr/bin/clang-format", X_OK) == 0 ||
           system("command -v clang-format >/dev/null 2>&1") == 0;
}

/* Mark -> alter -> read on every fixture, with three seeds. */
static void test_roundtrip(void **state)
{
    (void)state;
    char dir[64];
    struct tally all[8] = {{0}};
    static const char *const names[] = {"same",   "llvm", "gnu",   "nocomm",
                                        "rename", "half", "heads", "tails"};
    size_t lines = 0, changed = 0, nsites = 0;
    int cf = have_clang_format();

    tu_mkdtemp(dir, sizeof dir, "carrier");
    if (!cf)
        print_message("clang-format not found: the reformatting part is "
                      "skipped\n");
    for (size_t f = 0; f < NFIX; f++) {
        size_t len, n, ol;
        char *src = slurp(fixtures[f], &len), *marked = NULL;
        struct lp_carrier_site *st = NULL;
        char err[LP_CARRIER_ERRLEN];
        assert_int_equal(lp_carriers_find(src, len, err, sizeof err, &st, &n),
                         LP_OK);
        nsites += n;
        for (size_t i = 0; i < len; i++)
            lines += src[i] == '\n';
        for (uint64_t seed = 1; seed <= 3; seed++) {
            uint64_t rs = 0x9e3779b97f4a7c15ull * seed;
            uint8_t *vals = malloc(n + 1);
            assert_non_null(vals);
            for (size_t i = 0; i < n; i++)
                vals[i] = (uint8_t)(tu_rand(&rs) % st[i].q);
            assert_int_equal(lp_carriers_apply(src, len, st, vals, n, err,
                                               sizeof err, &marked, &ol),
                             LP_OK);
            if (seed == 1) { /* lines the mark changes */
                const char *a = src, *b = marked;
                while (*a && *b) {
                    const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
                    if (!ea || !eb)
                        break;
                    changed += (size_t)(ea - a) != (size_t)(eb - b) ||
                               memcmp(a, b, (size_t)(ea - a)) != 0;
                    a = ea + 1;
                    b = eb + 1;
                }
            }
            /* the mark itself read back in full */
            tally(st, vals, n, marked, ol, 0, &all[0]);
            char path[128], cmd[512];
            snprintf(path, sizeof path, "%s/m.c", dir);
            spit(path, marked, ol);
            /* (a) clang-format, two styles */
            for (int s = 0; cf && s < 2; s++) {
                size_t fl;
                snprintf(cmd, sizeof cmd,
                         "cd '%s' && clang-format --style=%s m.c", dir,
                         s ? "GNU" : "LLVM");
                char *fm = run_capture(cmd, &fl);
                tally(st, vals, n, fm, fl, 0, &all[1 + s]);
                free(fm);
            }
            /* (b) comments out */
            size_t cl, rl;
            char *nc = strip_comments(marked, ol, &cl);
            tally(st, vals, n, nc, cl, 0, &all[3]);
            free(nc);
            /* (c) identifiers renamed */
            char *rn = rename_all(marked, ol, &rl);
            tally(st, vals, n, rn, rl, 0, &all[4]);
            free(rn);
            /* (d) the second half only: sites in the first are absent;
             * the cut is the same line in src and marked */
            size_t cut = len / 2;
            while (cut < len && src[cut] != '\n')
                cut++;
            size_t nl = 0, mcut = 0;
            for (size_t i = 0; i < cut; i++)
                nl += src[i] == '\n';
            for (size_t k = 0; mcut < ol && k < nl; mcut++)
                k += marked[mcut] == '\n';
            tally(st, vals, n, marked + mcut, ol - mcut, (uint32_t)cut,
                  &all[5]);
            /* (e) every cut on a line boundary, as a head or as a tail */
            for (size_t c = 0, mc = 0; seed == 1 && c < len; c++, mc++) {
                while (mc < ol && marked[mc] != '\n')
                    mc++;
                while (c < len && src[c] != '\n')
                    c++;
                tally_range(st, vals, n, marked, mc + 1, 0, (uint32_t)c + 1,
                            &all[6]);
                tally(st, vals, n, marked + mc + 1, ol - mc - 1,
                      (uint32_t)c + 1, &all[7]);
            }
            free(vals);
            lp_free(marked);
        }
        lp_free(st);
        free(src);
    }
    for (int k = 0; k < 8; k++) {
        print_message("%-7s sites %4zu found %4zu absent %3zu misread %zu\n",
                      names[k], all[k].sites, all[k].found, all[k].absent,
                      all[k].misread);
        assert_int_equal(all[k].misread, 0);
    }
    print_message("fixtures: %zu lines, %zu sites (%.0f per KLOC), a mark "
                  "changes %zu lines (%.1f%%)\n",
                  lines, nsites, 1000.0 * (double)nsites / (double)lines,
                  changed, 100.0 * (double)changed / (double)lines);
    /* exact on these fixtures */
    assert_int_equal(nsites, 64);
    assert_int_equal(all[0].found, all[0].sites);
    assert_int_equal(all[3].found, all[3].sites);
    assert_int_equal(all[4].found, all[4].sites);
    if (cf) {
        assert_true(all[1].found * 10 >= all[1].sites * 9);
        assert_true(all[2].found * 10 >= all[2].sites * 9);
    }
    assert_int_equal(all[5].found, 114);
    assert_int_equal(all[5].absent, 0);
    /* every cut point: only sites within a window of the cut go missing */
    assert_int_equal(all[6].found, 1952);
    assert_int_equal(all[6].absent, 197);
    assert_int_equal(all[7].found, 3448);
    assert_int_equal(all[7].absent, 145);
    tu_rmrf(dir);
}

/* A marked file compiles; the marked program prints what the original
 * prints, for every value of every site in turn (then random ones). */
static void test_behaviour(void **state)
{
    (void)state;
    char dir[64], cmd[768];
    tu_mkdtemp(dir, sizeof dir, "carrier");
    if (system("command -v cc >/dev/null 2>&1") != 0) {
        tu_rmrf(dir);
        skip();
    }
    for (size_t f = 0; f < NFIX; f++) {
        size_t len, n, ol;
        char *src = slurp(fixtures[f], &len), *marked = NULL, path[128];
        struct lp_carrier_site *st = NULL;
        assert_int_equal(lp_carriers_find(src, len, NULL, 0, &st, &n), LP_OK);
        uint8_t *vals = malloc(n + 1);
        assert_non_null(vals);
        for (int v = 0; v < 3; v++) {
            for (size_t i = 0; i < n; i++)
                vals[i] = (uint8_t)(v % st[i].q);
            assert_int_equal(
                lp_carriers_apply(src, len, st, vals, n, NULL, 0, &marked, &ol),
                LP_OK);
            snprintf(path, sizeof path, "%s/f%zu_%d.c", dir, f, v);
            spit(path, marked, ol);
            lp_free(marked);
            snprintf(cmd, sizeof cmd,
                     "cc -std=c11 -Wall -Werror -Wno-unused-function "
                     "-Wno-unused-const-variable -fsyntax-only '%s'",
                     path);
            assert_int_equal(system(cmd), 0);
        }
        free(vals);
        lp_free(st);
        free(src);
    }
    /* the program: original vs 4 marks */
    snprintf(cmd, sizeof cmd, "cc -std=c11 -O1 -o '%s/orig' '%s' && '%s/orig'",
             dir, fixtures[2], dir);
    size_t wl, gl, len, n, ol;
    char *want = run_capture(cmd, &wl);
    assert_true(wl > 50);
    char *src = slurp(fixtures[2], &len), *marked = NULL, path[128];
    struct lp_carrier_site *st = NULL;
    assert_int_equal(lp_carriers_find(src, len, NULL, 0, &st, &n), LP_OK);
    uint8_t *vals = malloc(n + 1);
    uint64_t rs = 42;
    assert_non_null(vals);
    for (int round = 0; round < 4; round++) {
        for (size_t i = 0; i < n; i++)
            vals[i] = round < 3 ? (uint8_t)(round % st[i].q)
                                : (uint8_t)(tu_rand(&rs) % st[i].q);
        assert_int_equal(
            lp_carriers_apply(src, len, st, vals, n, NULL, 0, &marked, &ol),
            LP_OK);
        assert_true(ol != len || memcmp(marked, src, len) != 0 || round == 0);
        snprintf(path, sizeof path, "%s/p%d.c", dir, round);
        spit(path, marked, ol);
        lp_free(marked);
        snprintf(cmd, sizeof cmd, "cc -std=c11 -O1 -o '%s/p' '%s' && '%s/p'",
                 dir, path, dir);
        char *got = run_capture(cmd, &gl);
        assert_string_equal(got, want);
        free(got);
    }
    free(vals);
    lp_free(st);
    free(src);
    free(want);
    tu_rmrf(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snippets),   cmocka_unit_test(test_refused),
        cmocka_unit_test(test_duplicates), cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_roundtrip),  cmocka_unit_test(test_behaviour),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
