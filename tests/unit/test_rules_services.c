/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of the service rules (cmocka). For every rule of
 * lp_rules_services: its Hyperscan pattern compiles alone and ends where
 * PCRE2's match ends on the positive line; PCRE2, run as the engine will
 * run it (in the window before each Hyperscan match end), extracts exactly
 * positive_value, which passes the length and entropy bounds (and the
 * checksum for GitHub and npm tokens); the negative line yields no value
 * that passes them. Then the table as a whole: ids unique and lower case,
 * enough rules and formats, and one Hyperscan database for all of them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <hs.h>
#include <time.h>
#include <zlib.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "rules.h"
#include "secrets.h"

#include "banned.h"

/* Hyperscan match ends collected on one line; the lines are short. */
#define MAX_ENDS 64
#define DEFAULT_WINDOW 256u

struct ends {
    unsigned long long at[MAX_ENDS];
    size_t n;
    int overflow;
};

static size_t table_len(void)
{
    size_t n = 0;
    while (lp_rules_services[n].id)
        n++;
    return n;
}

static int passes(const struct lp_rule *r, const char *v, size_t n)
{
    double h;
    return lp_secrets_in_bounds(r, v, n, &h);
}

static unsigned window_of(const struct lp_rule *r)
{
    return r->window ? r->window : DEFAULT_WINDOW;
}

static int on_match(unsigned int id, unsigned long long from,
                    unsigned long long to, unsigned int flags, void *ctx)
{
    struct ends *e = ctx;
    (void)id, (void)from, (void)flags;
    if (e->n == MAX_ENDS) {
        e->overflow = 1;
        return 1;
    }
    e->at[e->n++] = to;
    return 0;
}

/* In the database of all rules: did rule `want` report? */
struct own {
    unsigned want;
    int seen;
};

static int on_own(unsigned int id, unsigned long long from,
                  unsigned long long to, unsigned int flags, void *ctx)
{
    struct own *o = ctx;
    (void)from, (void)to, (void)flags;
    if (id == o->want)
        o->seen = 1;
    return 0;
}

static hs_database_t *compile_one(const struct lp_rule *r)
{
    hs_database_t *db = NULL;
    hs_compile_error_t *err = NULL;
    if (hs_compile(r->hs, lp_secrets_hs_flags(r), HS_MODE_BLOCK, NULL, &db,
                   &err) !=
        HS_SUCCESS) {
        fail_msg("%s: hs: %s", r->id, err ? err->message : "?");
    }
    return db;
}

static void scan(const struct lp_rule *r, hs_database_t *db, const char *s,
                 struct ends *out)
{
    hs_scratch_t *scratch = NULL;
    memset(out, 0, sizeof *out);
    assert_int_equal(hs_alloc_scratch(db, &scratch), HS_SUCCESS);
    hs_error_t rc =
        hs_scan(db, s, (unsigned)strlen(s), 0, scratch, on_match, out);
    hs_free_scratch(scratch);
    if (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED)
        fail_msg("%s: hs_scan %d", r->id, rc);
    if (out->overflow)
        fail_msg("%s: more than %d Hyperscan matches", r->id, MAX_ENDS);
}

static pcre2_code *compile_pcre(const struct lp_rule *r)
{
    int ec;
    PCRE2_SIZE off;
    uint32_t opt = 0;
    if (r->flags & LP_RULE_CASELESS)
        opt |= PCRE2_CASELESS;
    if (r->flags & LP_RULE_MULTILINE)
        opt |= PCRE2_DOTALL;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)r->pcre, PCRE2_ZERO_TERMINATED,
                                   opt, &ec, &off, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        fail_msg("%s: pcre2 at %zu: %s", r->id, (size_t)off, (char *)msg);
    }
    if (pcre2_substring_number_from_name(re, (PCRE2_SPTR) "secret") < 0)
        fail_msg("%s: no group named secret", r->id);
    return re;
}

/* The engine's confirmation: in the window that ends at `end`, a PCRE2
 * match that ends exactly there. Its secret is copied to buf (NUL ended);
 * returns its length, or -1 when there is none. */
static long confirm(const struct lp_rule *r, pcre2_code *re,
                    pcre2_match_data *md, const char *s, size_t end, char *buf,
                    size_t cap)
{
    size_t w = window_of(r);
    size_t start = end > w ? end - w : 0;
    PCRE2_SPTR subj = (PCRE2_SPTR)s + start;
    size_t len = end - start;
    for (size_t from = 0; from <= len; from++) {
        int rc = pcre2_match(re, subj, len, from, 0, md, NULL);
        if (rc < 0)
            return -1;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        if (ov[1] == len) {
            PCRE2_SIZE n = cap;
            if (pcre2_substring_copy_byname(md, (PCRE2_SPTR) "secret",
                                            (PCRE2_UCHAR *)buf, &n) != 0)
                return -1;
            return (long)n;
        }
        // a later start may still give a match that ends at `end`
        from = ov[0];
    }
    return -1;
}

static int is_ends_member(const struct ends *e, size_t at)
{
    for (size_t i = 0; i < e->n; i++)
        if (e->at[i] == at)
            return 1;
    return 0;
}

/* Base62 of the CRC32 of the 30 bytes before the last 6, as GitHub and
 * npm tokens end (digits, then upper, then lower case letters). */
static int crc_ok(const char *v, size_t prefix)
{
    static const char b62[] =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    if (strlen(v) != prefix + 36)
        return 0;
    unsigned long c = crc32(0L, (const Bytef *)v + prefix, 30);
    char want[7];
    for (int i = 5; i >= 0; i--) {
        want[i] = b62[c % 62];
        c /= 62;
    }
    want[6] = '\0';
    return memcmp(want, v + prefix + 30, 6) == 0;
}

static void check_positive(const struct lp_rule *r, hs_database_t *db,
                           pcre2_code *re, pcre2_match_data *md)
{
    static char buf[20000];
    struct ends e;
    size_t len = strlen(r->positive);
    int rc = pcre2_match(re, (PCRE2_SPTR)r->positive, len, 0, 0, md, NULL);
    if (rc < 0)
        fail_msg("%s: pcre2 does not match its positive", r->id);
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    size_t pend = ov[1];
    PCRE2_SIZE n = sizeof buf;
    assert_int_equal(pcre2_substring_copy_byname(md, (PCRE2_SPTR) "secret",
                                                 (PCRE2_UCHAR *)buf, &n),
                     0);
    if (strcmp(buf, r->positive_value) != 0)
        fail_msg("%s: pcre2 extracts '%s'", r->id, buf);

    scan(r, db, r->positive, &e);
    if (!is_ends_member(&e, pend))
        fail_msg("%s: no Hyperscan match ends at %zu (%zu matches)", r->id,
                 pend, e.n);
    // as the engine runs: every confirmed value is the positive value
    int found = 0;
    for (size_t i = 0; i < e.n; i++) {
        long m = confirm(r, re, md, r->positive, e.at[i], buf, sizeof buf);
        if (m < 0 || !passes(r, buf, (size_t)m))
            continue;
        if (strcmp(buf, r->positive_value) != 0)
            fail_msg("%s: end %llu confirms '%s'", r->id, e.at[i], buf);
        found = 1;
    }
    if (!found)
        fail_msg("%s: no Hyperscan match end is confirmed", r->id);
    if (!passes(r, r->positive_value, strlen(r->positive_value)))
        fail_msg("%s: positive_value fails length/entropy (%.2f)", r->id,
                 lp_secrets_entropy(r->positive_value,
                                    strlen(r->positive_value)));
    if (r->check == LP_CHECK_GITHUB_CRC32 || r->check == LP_CHECK_NPM_CRC32) {
        if (!crc_ok(r->positive_value, 4))
            fail_msg("%s: bad CRC32 suffix", r->id);
    }
}

static void check_negative(const struct lp_rule *r, hs_database_t *db,
                           pcre2_code *re, pcre2_match_data *md)
{
    static char buf[20000];
    struct ends e;
    size_t len = strlen(r->negative);
    scan(r, db, r->negative, &e);
    for (size_t i = 0; i < e.n; i++) {
        long m = confirm(r, re, md, r->negative, e.at[i], buf, sizeof buf);
        if (m >= 0 && passes(r, buf, (size_t)m))
            fail_msg("%s: negative confirmed at %llu: '%s'", r->id, e.at[i],
                     buf);
    }
    // PCRE2 alone, anywhere in the line
    for (size_t from = 0; from <= len; from++) {
        int rc =
            pcre2_match(re, (PCRE2_SPTR)r->negative, len, from, 0, md, NULL);
        if (rc < 0)
            break;
        PCRE2_SIZE n = sizeof buf;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        assert_int_equal(pcre2_substring_copy_byname(md, (PCRE2_SPTR) "secret",
                                                     (PCRE2_UCHAR *)buf, &n),
                         0);
        if (passes(r, buf, n))
            fail_msg("%s: pcre2 reports the negative: '%s'", r->id, buf);
        from = ov[0];
    }
}

static void test_each_rule(void **state)
{
    (void)state;
    pcre2_match_data *md = pcre2_match_data_create(32, NULL);
    assert_non_null(md);
    for (size_t i = 0; lp_rules_services[i].id; i++) {
        const struct lp_rule *r = &lp_rules_services[i];
        assert_non_null(r->hs);
        assert_non_null(r->pcre);
        assert_non_null(r->positive);
        assert_non_null(r->positive_value);
        assert_non_null(r->negative);
        if (window_of(r) > 16384)
            fail_msg("%s: window over 16384", r->id);
        if (r->max_len && r->min_len > r->max_len)
            fail_msg("%s: min_len > max_len", r->id);
        hs_database_t *db = compile_one(r);
        pcre2_code *re = compile_pcre(r);
        check_positive(r, db, re, md);
        check_negative(r, db, re, md);
        pcre2_code_free(re);
        hs_free_database(db);
    }
    pcre2_match_data_free(md);
}

static const struct lp_rule *rule_by_id(const char *id)
{
    for (size_t i = 0; lp_rules_services[i].id; i++)
        if (strcmp(lp_rules_services[i].id, id) == 0)
            return &lp_rules_services[i];
    fail_msg("no rule '%s'", id);
    return NULL;
}

/* Values the engine would report for one rule on one line: their count,
 * the first copied to first. */
static size_t findings(const struct lp_rule *r, const char *line, char *first,
                       size_t cap)
{
    static char buf[20000];
    struct ends e;
    size_t n = 0;
    hs_database_t *db = compile_one(r);
    pcre2_code *re = compile_pcre(r);
    pcre2_match_data *md = pcre2_match_data_create(32, NULL);
    assert_non_null(md);
    scan(r, db, line, &e);
    first[0] = '\0';
    for (size_t i = 0; i < e.n; i++) {
        long m = confirm(r, re, md, line, e.at[i], buf, sizeof buf);
        if (m < 0 || !passes(r, buf, (size_t)m))
            continue;
        if (n++ == 0)
            snprintf(first, cap, "%s", buf);
    }
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    hs_free_database(db);
    return n;
}

struct extra {
    const char *id, *line, *value;
    size_t count;
};

static void check_extra(const struct extra *x)
{
    static char got[20000];
    size_t n = findings(rule_by_id(x->id), x->line, got, sizeof got);
    if (n != x->count || (x->value && strcmp(got, x->value) != 0))
        fail_msg("%s on '%.60s': %zu values, first '%.60s'", x->id, x->line, n,
                 got);
}

/* Near misses and boundaries beyond each rule's own examples. */
static void test_extra_cases(void **state)
{
    (void)state;
    static const struct extra x[] = {
        /* another service's key name */
        {"datadog-api-key", "ADD_API_KEY=0123456789abcdef0000fedcba987654",
         NULL, 0},
        /* a prefixed key name */
        {"datadog-api-key", "MY_DD_API_KEY: 0123456789abcdef0000fedcba987654",
         "0123456789abcdef0000fedcba987654", 1},
        /* the prefix inside a word */
        {"aws-access-key-id", "id=XAKIAIOSFODNN7QZRVKTM", NULL, 0},
        /* between slashes */
        {"aws-access-key-id", "arn/AKIAIOSFODNN7QZRVKTM/x",
         "AKIAIOSFODNN7QZRVKTM", 1},
        /* 36 bytes after AIza: not a shorter key */
        {"gcp-api-key", "k=AIza0000EXAMPLEexampleEXAMPLE0000abc-d_x", NULL, 0},
        /* ends the line */
        {"gcp-api-key", "k=AIza0000EXAMPLEexampleEXAMPLE0000abc-d_\n",
         "AIza0000EXAMPLEexampleEXAMPLE0000abc-d_", 1},
        /* two on one line */
        {"github-pat",
         "a=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 "
         "b=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",
         "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", 2},
        /* one byte too long */
        {"github-pat", "a=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A", NULL, 0},
        /* a variable reference */
        {"npmrc-auth-token", "//r.example.com/:_authToken=${NPM_TOKEN}", NULL,
         0},
        /* a regional ingest host */
        {"sentry-dsn",
         "dsn: "
         "https://0000abcdef0123456789abcdef012345@o1.ingest.us.sentry.io/42",
         "0000abcdef0123456789abcdef012345", 1},
        /* 25 bytes in the last part */
        {"slack-bot-token",
         "xoxb-0000123456-0000987654321-EXAMPLEaBcDeFgHiJkLmNoPqR", NULL, 0},
    };
    for (size_t i = 0; i < sizeof x / sizeof x[0]; i++)
        check_extra(&x[i]);

    // the window must hold the longest AWS session token and its key name
    static char line[1400], value[1300];
    const char *unit = "aB1cD2eF3gH4iJ5kL6mN"; // 20 bytes, 4.3 bits
    for (size_t i = 0; i < 60; i++)
        memcpy(value + i * 20, unit, 20);
    value[1200] = '\0';
    snprintf(line, sizeof line, "AWS_SESSION_TOKEN=%s", value);
    struct extra longest = {"aws-session-token", line, value, 1};
    check_extra(&longest);
    snprintf(line, sizeof line, "AWS_SESSION_TOKEN=%sx", value);
    struct extra too_long = {"aws-session-token", line, NULL, 0};
    check_extra(&too_long);
}

static int id_ok(const char *s)
{
    if (!*s || *s == '-')
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '-'))
            return 0;
    return 1;
}

static void test_ids_and_counts(void **state)
{
    (void)state;
    size_t n = table_len(), formats = 0;
    for (size_t i = 0; i < n; i++) {
        const struct lp_rule *r = &lp_rules_services[i];
        if (!id_ok(r->id))
            fail_msg("bad id '%s'", r->id);
        assert_non_null(r->format);
        assert_non_null(r->category);
        int seen = 0;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(lp_rules_services[j].id, r->id) == 0)
                fail_msg("duplicate id '%s'", r->id);
            if (strcmp(lp_rules_services[j].format, r->format) == 0)
                seen = 1;
        }
        formats += !seen;
    }
    print_message("%zu rules, %zu formats\n", n, formats);
    assert_true(n >= 100);
    assert_true(formats >= 80);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* All rules in one database, as the engine builds it; each positive line
 * must then report its own rule. */
static void test_one_database(void **state)
{
    (void)state;
    size_t n = table_len();
    const char **pats = calloc(n, sizeof *pats);
    unsigned *flags = calloc(n, sizeof *flags);
    unsigned *ids = calloc(n, sizeof *ids);
    assert_true(pats && flags && ids);
    for (size_t i = 0; i < n; i++) {
        pats[i] = lp_rules_services[i].hs;
        flags[i] = lp_secrets_hs_flags(&lp_rules_services[i]);
        ids[i] = (unsigned)i;
    }
    hs_database_t *db = NULL;
    hs_compile_error_t *err = NULL;
    double t0 = now();
    hs_error_t rc = hs_compile_multi(pats, flags, ids, (unsigned)n,
                                     HS_MODE_BLOCK, NULL, &db, &err);
    double t1 = now();
    if (rc != HS_SUCCESS)
        fail_msg("hs_compile_multi: %s (pattern %d)", err ? err->message : "?",
                 err ? err->expression : -1);
    size_t size = 0;
    assert_int_equal(hs_database_size(db, &size), HS_SUCCESS);
    print_message("one database of %zu rules: compiled in %.2f s, %zu bytes\n",
                  n, t1 - t0, size);

    hs_scratch_t *scratch = NULL;
    assert_int_equal(hs_alloc_scratch(db, &scratch), HS_SUCCESS);
    for (size_t i = 0; i < n; i++) {
        struct own o = {(unsigned)i, 0};
        const char *s = lp_rules_services[i].positive;
        assert_int_equal(
            hs_scan(db, s, (unsigned)strlen(s), 0, scratch, on_own, &o),
            HS_SUCCESS);
        if (!o.seen)
            fail_msg("%s: silent in the database of all rules",
                     lp_rules_services[i].id);
    }
    hs_free_scratch(scratch);
    hs_free_database(db);
    free(ids);
    free(flags);
    free(pats);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_rule),
        cmocka_unit_test(test_extra_cases),
        cmocka_unit_test(test_ids_and_counts),
        cmocka_unit_test(test_one_database),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
