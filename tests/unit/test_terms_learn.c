/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of the watch terms a registry learns at add: the identifier
 * tokenizer of src/analyze/terms.h (lengths, sub-words, macros, digits,
 * public prefixes, bytes beyond ASCII, the cap and its order, a 1 MB
 * line, words across its 64-byte blocks against a word-by-word
 * reference, lines of secrets skipped) and host names; then add and
 * lp_registry_terms() on fixtures written here: the exact terms yielded,
 * no secret value anywhere in the metadata's bytes, and a registry made
 * before the term table. Every name and value below is made up.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "leakprint.h"
#include "mem.h"
#include "terms.h"

#include "testutil.h"

/* ---- tokenizer ------------------------------------------------------------
 */

/* The identifiers of text, joined by '|'. */
static void idents(const char *text, size_t len, size_t max, char *buf,
                   size_t n)
{
    struct lp_term_span out[64];
    assert_true(max <= 64);
    size_t k = lp_terms_idents(text, len, NULL, 0, out, max);
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < k; i++) {
        int w = snprintf(buf + used, n - used, "%s%.*s", i ? "|" : "",
                         (int)out[i].len, text + out[i].off);
        assert_true(w > 0 && (size_t)w < n - used);
        used += (size_t)w;
    }
}

static void check(const char *text, const char *want)
{
    char buf[2048];
    idents(text, strlen(text), LP_TERMS_PER_CONTENT, buf, sizeof buf);
    assert_string_equal(buf, want);
}

static void test_lengths(void **state)
{
    (void)state;
    /* 15 bytes, then 16 */
    check("abcDefGhiJklMno;", "");
    check("abcDefGhiJklMnop;", "abcDefGhiJklMnop");
    /* the longest kept is LP_TERMS_MAX_LEN bytes */
    char w[LP_TERMS_MAX_LEN + 2];
    for (size_t i = 0; i < sizeof w - 1; i++)
        w[i] = i % 4 == 0 ? 'X' : 'y';
    w[LP_TERMS_MAX_LEN + 1] = '\0';
    check(w, "");
    w[LP_TERMS_MAX_LEN] = '\0';
    check(w, w);
}

static void test_subwords(void **state)
{
    (void)state;
    assert_int_equal(lp_terms_subwords("parseHeader", 11), 2);
    assert_int_equal(lp_terms_subwords("HTTPServerConfig", 16), 3);
    assert_int_equal(lp_terms_subwords("sha256sum", 9), 3);
    assert_int_equal(lp_terms_subwords("__x__y_", 7), 2);
    assert_int_equal(lp_terms_subwords("ABC", 3), 1);
    /* two sub-words are not enough, however long */
    check("verylongfunction_withtwoparts ", "");
    check("x.reconcile_vendor_invoice(", "reconcile_vendor_invoice");
}

static void test_macros_and_digits(void **state)
{
    (void)state;
    /* no lower-case letter: kept from LP_TERMS_MACRO_LEN bytes on */
    check("#define MAX_BUFFER_LENGTH 4", "");
    check("#define MAX_BUFFER_LENGTH_XY 4", "MAX_BUFFER_LENGTH_XY");
    check("sha256_update_block();", "sha256_update_block");
    /* a word starting with a digit is no identifier */
    check("1abcdefGhijkLmnop", "");
    /* a random string has many short sub-words */
    check("key = Zx9vQ2mLp8RtY6wK;", "");
}

static void test_public_prefixes(void **state)
{
    (void)state;
    check("pthread_mutex_lock_timed(); __builtin_expect_with_probability();"
          " PyObject_GetAttrString(); QAbstractItemModelThing x;"
          " g_hash_table_lookup_node(); glBindBufferRangeExt();",
          "");
    /* Q, Py, gl count only before an upper-case letter or '_' */
    check("Quarterly_report_builder Python_version_checker "
          "global_config_reloader",
          "Quarterly_report_builder|Python_version_checker|"
          "global_config_reloader");
    assert_true(lp_terms_public_prefix("std_thing", 9));
    assert_false(lp_terms_public_prefix("", 0));
}

/* A word holding a byte beyond ASCII is skipped whole: no ASCII part of
 * it is cut out. */
static void test_utf8(void **state)
{
    (void)state;
    check("caf\xc3\xa9LookupTableBuilder x", "");
    check("LookupTableBuilder\xc3\xa9 x", "");
    check("\xc3\xa9 LookupTableBuilder \xe2\x80\x94", "LookupTableBuilder");
}

/* At most max, each once, the longest first, then byte order. */
static void test_cap_and_order(void **state)
{
    (void)state;
    char text[4096] = "";
    size_t used = 0;
    /* 20 distinct names: 16 of 20 bytes, 4 of 19; each twice */
    for (int rep = 0; rep < 2; rep++)
        for (int i = 19; i >= 0; i--)
            used += (size_t)snprintf(text + used, sizeof text - used,
                                     i < 16 ? "alphaBravoCharlie_%02d "
                                            : "alphaBravoCharli_%02d ",
                                     i);
    char buf[2048];
    idents(text, used, 16, buf, sizeof buf);
    char want[2048] = "";
    size_t w = 0;
    for (int i = 0; i < 16; i++)
        w += (size_t)snprintf(want + w, sizeof want - w,
                              "%salphaBravoCharlie_%02d", i ? "|" : "", i);
    assert_string_equal(buf, want);
    idents(text, used, 18, buf, sizeof buf);
    assert_non_null(strstr(buf, "|alphaBravoCharli_16|alphaBravoCharli_17"));
    assert_null(strstr(buf, "_18"));
    idents(text, used, 0, buf, sizeof buf);
    assert_string_equal(buf, "");
}

/* A 1 MB line: one word of 1 MB is no identifier; identifiers in a line
 * of 1 MB are found, also the last one, ending the text. */
static void test_megabyte_line(void **state)
{
    (void)state;
    size_t n = 1 << 20;
    char *t = tu_calloc(n + 1, 1);
    memset(t, 'a', n);
    char buf[2048];
    idents(t, n, 16, buf, sizeof buf);
    assert_string_equal(buf, "");
    for (size_t i = 0; i < n; i++)
        t[i] = i % 7 == 6 ? ' ' : 'b';
    static const char tail[] = "lastLongFunctionNameHere";
    memcpy(t + n - (sizeof tail - 1), tail, sizeof tail - 1);
    t[n - sizeof tail] = ' ';
    static const char mid[] = "middleOfTheLineFunction";
    memcpy(t + 500000, mid, sizeof mid - 1);
    t[500000 - 1] = ' ';
    t[500000 + sizeof mid - 1] = '(';
    idents(t, n, 16, buf, sizeof buf);
    assert_string_equal(buf,
                        "lastLongFunctionNameHere|middleOfTheLineFunction");
    lp_free(t);
}

/* The 64-byte block scan against a word-by-word reference, on random
 * texts whose words cross block ends at every offset. */
static int ref_cmp(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    size_t lx = strlen(x), ly = strlen(y);
    if (lx != ly)
        return lx > ly ? -1 : 1;
    return strcmp(x, y);
}

static void test_blocks_against_reference(void **state)
{
    (void)state;
    static const char *const parts[] = {
        "alpha",    "Bravo", "charlie", "Delta", "42",
        "_",        "x",     "HTTP",    "zulu",  "Sierra",
        "\xc3\xa9", " ",     "(",       "\n",    "EchoFoxtrotGolfHotel",
    };
    uint64_t seed = 0x5eed;
    char *text = tu_calloc(4096, 1);
    char **words = tu_calloc(4096, sizeof *words);
    size_t total = 0;
    for (int round = 0; round < 400; round++) {
        size_t len = 0, target = 64 + tu_rand(&seed) % 2000;
        while (len < target) {
            const char *p =
                parts[tu_rand(&seed) % (sizeof parts / sizeof *parts)];
            size_t k = strlen(p);
            if (len + k >= 4096)
                break;
            memcpy(text + len, p, k);
            len += k;
        }
        /* the reference: each maximal word alone */
        size_t nw = 0;
        for (size_t i = 0; i < len;) {
            unsigned char c = (unsigned char)text[i];
            bool wc = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
            if (!wc) {
                i++;
                continue;
            }
            size_t s = i;
            while (i < len) {
                c = (unsigned char)text[i];
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      (c >= '0' && c <= '9') || c == '_' || c >= 0x80))
                    break;
                i++;
            }
            struct lp_term_span one;
            if (lp_terms_idents(text + s, i - s, NULL, 0, &one, 1) == 1 &&
                one.off == 0 && one.len == i - s)
                words[nw++] = lp_strndup(text + s, i - s);
        }
        qsort(words, nw, sizeof *words, ref_cmp);
        char want[8192] = "";
        size_t used = 0, kept = 0;
        for (size_t i = 0; i < nw; i++) {
            if ((i && strcmp(words[i], words[i - 1]) == 0) || kept == 16)
                continue;
            used += (size_t)snprintf(want + used, sizeof want - used, "%s%s",
                                     kept ? "|" : "", words[i]);
            kept++;
        }
        for (size_t i = 0; i < nw; i++)
            lp_free(words[i]);
        char got[8192];
        idents(text, len, 16, got, sizeof got);
        assert_string_equal(got, want);
        total += kept;
    }
    assert_true(total > 2000);
    lp_free(words);
    lp_free(text);
}

/* Words on the lines of a secret are not kept. */
static void test_skip_lines(void **state)
{
    (void)state;
    static const char t[] = "int keptFunctionNameOne(void);\n"
                            "pw = \"MarbleOrchidFalcon2931Quartz\"; "
                            "sameLineIsSkippedToo();\n"
                            "int keptFunctionNameTwo(void);\n";
    size_t off = (size_t)(strstr(t, "Marble") - t);
    struct lp_term_skip r = lp_terms_lines(t, sizeof t - 1, off, 1);
    assert_int_equal(r.from, (size_t)(strchr(t, '\n') - t) + 1);
    assert_int_equal(r.to, (size_t)(strstr(t, "int keptFunctionNameTwo") - t));
    struct lp_term_span out[16];
    size_t n = lp_terms_idents(t, sizeof t - 1, &r, 1, out, 16);
    assert_int_equal(n, 2);
    assert_memory_equal(t + out[0].off, "keptFunctionNameOne", 19);
    assert_memory_equal(t + out[1].off, "keptFunctionNameTwo", 19);
    /* two lines from the offset; the last line without a newline */
    r = lp_terms_lines(t, sizeof t - 1, off, 2);
    assert_int_equal(r.to, sizeof t - 1);
    r = lp_terms_lines("ab", 2, 1, 1);
    assert_int_equal(r.from, 0);
    assert_int_equal(r.to, 2);
}

static void test_hosts(void **state)
{
    (void)state;
    char h[32];
    assert_true(lp_terms_host("Build01.EU.acme.corp", h, sizeof h));
    assert_string_equal(h, "build01.eu.acme.corp");
    assert_false(lp_terms_host("10.1.2.3", h, sizeof h));
    assert_false(lp_terms_host("bad_host.corp", h, sizeof h));
    assert_false(lp_terms_host("", h, sizeof h));
    assert_false(lp_terms_host(".acme.corp", h, sizeof h));
    assert_false(
        lp_terms_host("a-very-long-host-name.example.corp", h, sizeof h));
}

/* ---- add and lp_registry_terms() -------------------------------------------
 */

/* Where the compiled secret rules are kept for the tests of this file. */
static char cache[64];

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_int_equal(fputs(text, fp) >= 0, 1);
    assert_int_equal(fclose(fp), 0);
}

/* The made-up secret of the fixture: it would be an identifier. */
#define SECRET "MarbleOrchidFalcon2931Quartz"

struct fixture {
    char dir[64], db[128];
};

/* Protected "ledger": two C files sharing a long function name, a
 * config naming an internal host, a secret, e-mail addresses under
 * acme.example in three files; public "libring" holding one of its
 * identifiers. */
static int setup(void **state)
{
    struct fixture *f = tu_calloc(1, sizeof *f);
    char prot[128], pub[128];
    tu_mkdtemp(f->dir, sizeof f->dir, "termslearn");
    snprintf(prot, sizeof prot, "%s/prot", f->dir);
    snprintf(pub, sizeof pub, "%s/pub", f->dir);
    snprintf(f->db, sizeof f->db, "%s/reg", f->dir);
    assert_int_equal(mkdir(prot, 0700), 0);
    assert_int_equal(mkdir(pub, 0700), 0);
    write_file(prot, "engine.c",
               "/* maintainer: Ann Other <ann@acme.example> */\n"
               "#include <pthread.h>\n"
               "static const char *password = \"" SECRET "\";\n"
               "int computeQuarterlyLedgerBalance(int x) { return x; }\n"
               "int reconcile_vendor_invoice_batch(void)\n"
               "{\n"
               "    pthread_mutex_lock_wrapper_for_tests();\n"
               "    return computeQuarterlyLedgerBalance(2);\n"
               "}\n"
               "void shared_ring_buffer_flush(void);\n");
    write_file(prot, "util.c",
               "/* support: help@acme.example */\n"
               "int computeQuarterlyLedgerBalance(int x);\n"
               "int ledger_util(void) { return 0; }\n");
    write_file(prot, "deploy.yaml",
               "# owner: ops@acme.example\n"
               "db_url: postgres://Billing-DB01.eu.acme.corp:5432/ledger\n"
               "cache: redis://10.20.30.40:6379\n");
    write_file(pub, "ring.c", "void shared_ring_buffer_flush(void) {}\n");
    lp_registry *reg = NULL;
    struct lp_add_stats st;
    struct lp_add_options ao = {
        .name = "ledger", .version = "1", .jobs = 1, .cache_dir = cache};
    const char *p1[] = {prot}, *p2[] = {pub};
    assert_int_equal(
        lp_registry_open(f->db, LP_REGISTRY_WRITE | LP_REGISTRY_CREATE, &reg),
        LP_OK);
    assert_int_equal(lp_add(reg, &ao, p1, 1, NULL, NULL, &st), LP_OK);
    assert_int_equal(st.files, 3);
    struct lp_add_options po = {.name = "libring",
                                .version = "1",
                                .jobs = 1,
                                .public_ = 1,
                                .cache_dir = cache};
    assert_int_equal(lp_add(reg, &po, p2, 1, NULL, NULL, &st), LP_OK);
    lp_registry_close(reg);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    tu_rmrf(f->dir);
    lp_free(f);
    return 0;
}

struct got {
    char buf[4096];
    size_t used;
    int calls, stop_after;
};

static int on_term(void *ctx, const struct lp_term_info *t)
{
    struct got *g = ctx;
    static const char *const kinds[] = {"?", "collection", "domain", "host",
                                        "ident"};
    int k = t->kind >= 1 && t->kind <= 4 ? t->kind : 0;
    int w = snprintf(g->buf + g->used, sizeof g->buf - g->used,
                     "%s%s %s %s %zu", g->calls ? "\n" : "", kinds[k], t->term,
                     t->collection ? t->collection : "-", t->files);
    assert_true(w > 0 && (size_t)w < sizeof g->buf - g->used);
    g->used += (size_t)w;
    g->calls++;
    return g->stop_after && g->calls >= g->stop_after;
}

static void terms_of(const char *db, size_t max, struct got *g, lp_err want)
{
    lp_registry *reg = NULL;
    assert_int_equal(lp_registry_open(db, 0, &reg), LP_OK);
    assert_int_equal(lp_registry_terms(reg, max, on_term, g), want);
    lp_registry_close(reg);
}

static void test_registry_terms(void **state)
{
    struct fixture *f = *state;
    struct got g = {0};
    terms_of(f->db, 0, &g, LP_OK);
    assert_string_equal(g.buf, "collection ledger ledger 0\n"
                               "domain acme.example - 0\n"
                               "ident computeQuarterlyLedgerBalance ledger 2\n"
                               "ident reconcile_vendor_invoice_batch ledger 1\n"
                               "host billing-db01.eu.acme.corp ledger 1");
    /* at most max, in the same order; a callback's stop */
    struct got two = {0};
    terms_of(f->db, 2, &two, LP_OK);
    assert_string_equal(two.buf, "collection ledger ledger 0\n"
                                 "domain acme.example - 0");
    struct got three = {0};
    terms_of(f->db, 3, &three, LP_OK);
    assert_int_equal(three.calls, 3);
    struct got stop = {.stop_after = 1};
    terms_of(f->db, 0, &stop, LP_EABORTED);
    assert_string_equal(stop.buf, "collection ledger ledger 0");
}

/* Reads a whole file into a buffer (caller frees); *n its size; NULL
 * when it is missing. */
static char *slurp(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    long size = ftell(fp);
    assert_true(size >= 0);
    assert_int_equal(fseek(fp, 0, SEEK_SET), 0);
    char *b = tu_calloc((size_t)size + 1, 1);
    assert_int_equal(fread(b, 1, (size_t)size, fp), (size_t)size);
    fclose(fp);
    *n = (size_t)size;
    return b;
}

/* No secret value in the metadata's bytes (its WAL included), while the
 * host name of an exposure is there. */
static void test_no_secret_in_meta(void **state)
{
    struct fixture *f = *state;
    static const char *const files[] = {"meta.sqlite", "meta.sqlite-wal"};
    bool host = false;
    for (size_t i = 0; i < 2; i++) {
        char path[192];
        size_t n = 0;
        snprintf(path, sizeof path, "%s/%s", f->db, files[i]);
        char *b = slurp(path, &n);
        if (!b)
            continue;
        assert_null(memmem(b, n, SECRET, strlen(SECRET)));
        assert_null(memmem(b, n, "MarbleOrchid", 12));
        host |= memmem(b, n, "billing-db01.eu.acme.corp", 25) != NULL;
        lp_free(b);
    }
    assert_true(host);
}

/* A registry made before the term table: it opens, and yields its
 * collections and domains; a writer adds the table back. */
static void test_registry_before_terms(void **state)
{
    struct fixture *f = *state;
    char path[192];
    snprintf(path, sizeof path, "%s/meta.sqlite", f->db);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DROP TABLE term", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    struct got g = {0};
    terms_of(f->db, 0, &g, LP_OK);
    assert_string_equal(g.buf, "collection ledger ledger 0\n"
                               "domain acme.example - 0");
    lp_registry *reg = NULL;
    assert_int_equal(lp_registry_open(f->db, LP_REGISTRY_WRITE, &reg), LP_OK);
    lp_registry_close(reg);
    struct got again = {0};
    terms_of(f->db, 0, &again, LP_OK);
    assert_string_equal(again.buf, g.buf);
}

static void test_bad_arguments(void **state)
{
    struct fixture *f = *state;
    lp_registry *reg = NULL;
    assert_int_equal(lp_registry_open(f->db, 0, &reg), LP_OK);
    assert_int_equal(lp_registry_terms(reg, 0, NULL, NULL), LP_EINVAL);
    assert_int_equal(lp_registry_terms(NULL, 0, on_term, NULL), LP_EINVAL);
    lp_registry_close(reg);
}

int main(void)
{
    tu_mkdtemp(cache, sizeof cache, "termscache");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_subwords),
        cmocka_unit_test(test_macros_and_digits),
        cmocka_unit_test(test_public_prefixes),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_cap_and_order),
        cmocka_unit_test(test_megabyte_line),
        cmocka_unit_test(test_blocks_against_reference),
        cmocka_unit_test(test_skip_lines),
        cmocka_unit_test(test_hosts),
        cmocka_unit_test_setup_teardown(test_registry_terms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_secret_in_meta, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_registry_before_terms, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tu_rmrf(cache);
    return rc;
}
