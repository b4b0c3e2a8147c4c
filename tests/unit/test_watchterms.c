/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of daemon/terms.h, watch terms: the file format (the example
 * of docs/TERMS.md), literals matched without case and only as whole
 * words, regexes as written with their names and start offsets, counts
 * without overlap and capped, hits in order of first offset, derived
 * terms and duplicates, the exact one-line errors (bad severity, unknown
 * key, a regex Hyperscan refuses, sizes), the empty set, the 100000-term
 * limit, a scratch that follows a reload, and threads sharing one set.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "watchterms.h"

#include "testutil.h"
#include "banned.h"

/* A compiled set from the YAML text y (named "t.yml"). */
static struct lp_terms *compiled(const char *y)
{
    char err[512];
    struct lp_terms *t = NULL;
    lp_err e = lp_terms_parse(y, strlen(y), "t.yml", &t, err, sizeof err);
    if (e)
        fprintf(stderr, "lp_terms_parse: %s\n", err);
    assert_int_equal(e, LP_OK);
    e = lp_terms_compile(t);
    if (e)
        fprintf(stderr, "lp_terms_compile: %s\n", lp_terms_errmsg(t));
    assert_int_equal(e, LP_OK);
    return t;
}

/* Matches text and writes the hits as "label@first+count,..." into buf. */
static const char *hits_of(const struct lp_terms *t, const char *text,
                           char *buf, size_t len)
{
    struct lp_terms_scratch *s = lp_terms_scratch_new();
    struct lp_terms_hits h;
    lp_terms_hits_init(&h);
    assert_non_null(s);
    assert_int_equal(lp_terms_match(t, s, text, strlen(text), &h), LP_OK);
    buf[0] = '\0';
    size_t o = 0;
    for (size_t i = 0; i < h.n && o < len; i++)
        o += (size_t)snprintf(buf + o, len - o, "%s%s@%zu+%u", i ? "," : "",
                              h.v[i].label, h.v[i].first, h.v[i].count);
    lp_terms_hits_release(&h);
    lp_terms_scratch_free(s);
    return buf;
}

/* The parse error of YAML text y: checks the code, returns the message. */
static const char *parse_err(const char *y, lp_err code, char *err, size_t len)
{
    struct lp_terms *t = (struct lp_terms *)1;
    assert_int_equal(lp_terms_parse(y, strlen(y), "t.yml", &t, err, len), code);
    assert_null(t);
    return err;
}

static const char example[] =
    "derive: true            # the lead adds terms from the registry\n"
    "terms:\n"
    "  - term: acme-gw\n"
    "    severity: high\n"
    "  - regex: 'ACME-[0-9]{4}-KEY'\n"
    "    severity: critical\n"
    "    name: key-id\n"
    "  - term: gw\n";

static void test_example(void **state)
{
    (void)state;
    struct lp_terms *t = compiled(example);
    char buf[512];
    assert_true(lp_terms_derive(t));
    assert_int_equal(lp_terms_count(t), 3);
    assert_string_equal(lp_terms_label(t, 0), "acme-gw");
    assert_string_equal(lp_terms_label(t, 1), "key-id");
    assert_null(lp_terms_label(t, 3));
    const char *text = "host acme-gw.corp holds ACME-0042-KEY; gwen too\n";
    assert_string_equal(hits_of(t, text, buf, sizeof buf),
                        "acme-gw@5+1,gw@10+1,key-id@24+1");
    /* Severity and kind of each hit. */
    struct lp_terms_scratch *s = lp_terms_scratch_new();
    struct lp_terms_hits h;
    lp_terms_hits_init(&h);
    assert_int_equal(lp_terms_match(t, s, text, strlen(text), &h), LP_OK);
    assert_int_equal(h.n, 3);
    assert_int_equal(h.v[0].severity, LP_TERMS_HIGH);
    assert_int_equal(h.v[0].kind, LP_TERMS_TERM);
    assert_int_equal(h.v[0].first_end, 12);
    assert_int_equal(h.v[1].severity, LP_TERMS_MEDIUM);
    assert_int_equal(h.v[2].severity, LP_TERMS_CRITICAL);
    assert_int_equal(h.v[2].kind, LP_TERMS_REGEX);
    assert_int_equal(h.v[2].first_end, 37);
    assert_int_equal(h.v[2].term, 1);
    assert_false(h.truncated);
    assert_string_equal(lp_terms_severity_name(h.v[2].severity), "critical");
    assert_string_equal(lp_terms_kind_name(h.v[2].kind), "regex");
    lp_terms_hits_release(&h);
    lp_terms_scratch_free(s);
    lp_terms_free(t);
}

static void test_boundaries(void **state)
{
    (void)state;
    struct lp_terms *t = compiled("terms:\n"
                                  "  - term: gw\n"
                                  "  - term: acme.corp\n"
                                  "  - term: '--x'\n"
                                  "  - term: caf\xc3\xa9\n");
    char buf[512];
    assert_string_equal(hits_of(t, "gwen gw_1 gw2 2gw xgw", buf, sizeof buf),
                        "");
    assert_string_equal(hits_of(t, "GW. (Gw) gW", buf, sizeof buf), "gw@0+3");
    /* A multi-byte character next to it makes a longer word. */
    assert_string_equal(hits_of(t, "\xc3\xa4gw gw\xc3\xa4", buf, sizeof buf),
                        "");
    assert_string_equal(
        hits_of(t, "x.acme.corporate acme.corp,", buf, sizeof buf),
        "acme.corp@17+1");
    /* An edge that is no word byte needs no boundary there. */
    assert_string_equal(hits_of(t, "a--x", buf, sizeof buf), "--x@1+1");
    assert_string_equal(hits_of(t, "a--xy", buf, sizeof buf), "");
    /* Case folds ASCII only: É is not é. */
    assert_string_equal(hits_of(t, "CAF\xc3\xa9 caf\xc3\x89", buf, sizeof buf),
                        "caf\xc3\xa9@0+1");
    lp_terms_free(t);
}

static void test_regex(void **state)
{
    (void)state;
    struct lp_terms *t = compiled("terms:\n"
                                  "  - regex: 'ACME-[0-9]{4}-KEY'\n"
                                  "  - regex: '(?i)build-[a-f0-9]{8}'\n"
                                  "    name: build-id\n"
                                  "    severity: low\n"
                                  "  - regex: 'q+'\n");
    char buf[512];
    /* As written: case matters unless (?i). */
    assert_string_equal(
        hits_of(t, "acme-1234-key BUILD-DEADBEEF", buf, sizeof buf),
        "build-id@14+1");
    /* Counted without overlap: q+ ends at each q, counted once a run. */
    assert_string_equal(
        hits_of(t, "qqq b qqqq ACME-0001-KEYACME-0002-KEY", buf, sizeof buf),
        "q+@0+2,ACME-[0-9]{4}-KEY@11+2");
    lp_terms_free(t);
}

static void test_counts(void **state)
{
    (void)state;
    struct lp_terms *t = compiled("terms:\n  - term: '--'\n  - term: zz\n");
    char buf[512];
    assert_string_equal(hits_of(t, "------- zz", buf, sizeof buf),
                        "--@0+3,zz@8+1");
    /* The count stops at LP_TERMS_COUNT_MAX. */
    size_t n = LP_TERMS_COUNT_MAX + 50;
    char *big = malloc(3 * n + 1);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++)
        memcpy(big + 3 * i, "zz ", 3);
    big[3 * n] = '\0';
    snprintf(buf, sizeof buf, "zz@0+%d", LP_TERMS_COUNT_MAX);
    char got[64];
    assert_string_equal(hits_of(t, big, got, sizeof got), buf);
    free(big);
    lp_terms_free(t);
}

static void test_order(void **state)
{
    (void)state;
    /* Hits come in order of first offset whatever the order of the
     * terms; at one offset, the term given first comes first. */
    struct lp_terms *t = compiled("terms:\n"
                                  "  - term: zulu\n"
                                  "  - regex: 'alpha [a-z]+'\n"
                                  "  - term: alpha\n"
                                  "  - term: mike\n");
    char buf[512];
    assert_string_equal(
        hits_of(t, "mike alpha zulu, zulu mike", buf, sizeof buf),
        "mike@0+2,alpha [a-z]+@5+1,alpha@5+1,zulu@11+2");
    lp_terms_free(t);
}

static void test_derived(void **state)
{
    (void)state;
    char err[512];
    struct lp_terms *t = NULL;
    const char *y = "terms:\n  - term: acme-gw\n  - term: ACME-GW\n";
    assert_int_equal(lp_terms_parse(y, strlen(y), "t.yml", &t, err, sizeof err),
                     LP_OK);
    assert_int_equal(lp_terms_count(t), 1); // a duplicate in the file
    assert_int_equal(
        lp_terms_add(t, LP_TERMS_COLLECTION, "Acme-Gw", LP_TERMS_CRITICAL),
        LP_OK);
    assert_int_equal(lp_terms_count(t), 1); // the file's term stays
    assert_int_equal(
        lp_terms_add(t, LP_TERMS_DOMAIN, "acme.example", LP_TERMS_HIGH), LP_OK);
    assert_int_equal(
        lp_terms_add(t, LP_TERMS_HOST, "build01.acme.lan", LP_TERMS_HIGH),
        LP_OK);
    assert_int_equal(lp_terms_add(t, LP_TERMS_IDENT,
                                  "acme_gw_session_rekey_locked",
                                  LP_TERMS_MEDIUM),
                     LP_OK);
    assert_int_equal(lp_terms_add(t, LP_TERMS_FILE, "gw_rekey.c", LP_TERMS_LOW),
                     LP_OK);
    /* What a derived term may not be. */
    assert_int_equal(lp_terms_add(t, LP_TERMS_REGEX, "x+", LP_TERMS_LOW),
                     LP_EINVAL);
    assert_int_equal(lp_terms_add(t, LP_TERMS_IDENT, "", LP_TERMS_LOW),
                     LP_EINVAL);
    assert_string_equal(lp_terms_errmsg(t), "derived ident term: empty");
    char longer[LP_TERMS_MAX_LEN + 2];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_int_equal(lp_terms_add(t, LP_TERMS_IDENT, longer, LP_TERMS_LOW),
                     LP_ELIMIT);
    assert_string_equal(lp_terms_errmsg(t),
                        "derived ident term: longer than 1024 bytes");
    assert_int_equal(lp_terms_count(t), 5);
    assert_int_equal(lp_terms_compile(t), LP_OK);
    assert_int_equal(lp_terms_compile(t), LP_EINVAL);
    assert_int_equal(lp_terms_add(t, LP_TERMS_HOST, "late", LP_TERMS_LOW),
                     LP_EINVAL);
    struct lp_terms_scratch *s = lp_terms_scratch_new();
    struct lp_terms_hits h;
    lp_terms_hits_init(&h);
    const char *text = "ssh build01.acme.lan; see gw_rekey.c:40 "
                       "acme_gw_session_rekey_locked() on ACME-GW";
    assert_int_equal(lp_terms_match(t, s, text, strlen(text), &h), LP_OK);
    assert_int_equal(h.n, 4);
    const char *want[] = {"build01.acme.lan", "gw_rekey.c",
                          "acme_gw_session_rekey_locked", "acme-gw"};
    const enum lp_terms_kind kinds[] = {LP_TERMS_HOST, LP_TERMS_FILE,
                                        LP_TERMS_IDENT, LP_TERMS_TERM};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(h.v[i].label, want[i]);
        assert_int_equal(h.v[i].kind, kinds[i]);
    }
    assert_int_equal(h.v[3].severity, LP_TERMS_MEDIUM);
    assert_string_equal(lp_terms_kind_name(LP_TERMS_HOST), "host");
    lp_terms_hits_release(&h);
    lp_terms_scratch_free(s);
    lp_terms_free(t);
}

static void test_errors(void **state)
{
    (void)state;
    char err[512];
    assert_string_equal(
        parse_err("terms:\n  - term: a\n    severity: urgent\n", LP_EFORMAT,
                  err, sizeof err),
        "'t.yml':3: bad severity 'urgent' (critical, high, medium or low)");
    assert_string_equal(
        parse_err("terms:\n  - term: a\n    label: b\n", LP_EFORMAT, err,
                  sizeof err),
        "'t.yml':3: unknown key 'label' (term, regex, severity, name)");
    assert_string_equal(
        parse_err("derive: false\nterm: a\n", LP_EFORMAT, err, sizeof err),
        "'t.yml':2: unknown key 'term' (derive, terms)");
    assert_string_equal(
        parse_err("terms:\n  - term: ''\n", LP_EFORMAT, err, sizeof err),
        "'t.yml':2: empty 'term'");
    assert_string_equal(
        parse_err("terms:\n  - term: [a]\n", LP_EFORMAT, err, sizeof err),
        "'t.yml':2: 'term' must be a string");
    assert_string_equal(
        parse_err("terms:\n  - severity: low\n", LP_EFORMAT, err, sizeof err),
        "'t.yml':2: an entry needs 'term' or 'regex'");
    assert_string_equal(parse_err("terms:\n  - {term: a, regex: b}\n",
                                  LP_EFORMAT, err, sizeof err),
                        "'t.yml':2: both 'term' and 'regex' in one entry");
    assert_string_equal(parse_err("terms:\n  - {term: a, term: b}\n",
                                  LP_EFORMAT, err, sizeof err),
                        "'t.yml':2: 'term' given twice");
    assert_string_equal(
        parse_err("derive: maybe\n", LP_EFORMAT, err, sizeof err),
        "'t.yml':1: 'derive' must be true or false");
    assert_string_equal(parse_err("terms: acme\n", LP_EFORMAT, err, sizeof err),
                        "'t.yml':1: 'terms' must be a list");
    assert_string_equal(
        parse_err("terms:\n  - acme\n", LP_EFORMAT, err, sizeof err),
        "'t.yml':2: a term must be a mapping with 'term' or 'regex'");
    assert_string_equal(
        parse_err("- term: a\n", LP_EFORMAT, err, sizeof err),
        "'t.yml':1: the terms file must be a mapping (derive, terms)");
    assert_string_equal(
        parse_err("terms:\n  - term: \"a\\0b\"\n", LP_EFORMAT, err, sizeof err),
        "'t.yml':2: 'term' holds a NUL byte");
    assert_string_equal(parse_err("terms:\n  - term: a\n    severity: [high]\n",
                                  LP_EFORMAT, err, sizeof err),
                        "'t.yml':3: 'severity' must be a string");
    /* Not YAML: libyaml's reason at its line. */
    parse_err("terms:\n  - term: 'a\n", LP_EFORMAT, err, sizeof err);
    assert_memory_equal(err, "'t.yml':3: ", 10);
    /* Too long a term, too big a file. */
    char y[LP_TERMS_MAX_LEN + 64];
    int n = snprintf(y, sizeof y, "terms:\n  - term: ");
    memset(y + n, 'q', LP_TERMS_MAX_LEN + 1);
    y[n + LP_TERMS_MAX_LEN + 1] = '\0';
    assert_string_equal(parse_err(y, LP_ELIMIT, err, sizeof err),
                        "'t.yml':2: 'term' longer than 1024 bytes");
    char *huge = malloc(LP_TERMS_MAX_BYTES + 2);
    assert_non_null(huge);
    memset(huge, '#', LP_TERMS_MAX_BYTES + 1);
    huge[LP_TERMS_MAX_BYTES + 1] = '\0';
    assert_string_equal(parse_err(huge, LP_ELIMIT, err, sizeof err),
                        "'t.yml': larger than 1 MiB");
    free(huge);
    /* Flow nesting is capped before libyaml reads it (its time grows
     * with the square of the depth); brackets in quoted or plain scalars
     * and comments do not count. */
    char deep[256];
    n = snprintf(deep, sizeof deep, "derive: true\nterms: ");
    memset(deep + n, '[', LP_TERMS_MAX_DEPTH + 1);
    deep[n + LP_TERMS_MAX_DEPTH + 1] = '\0';
    assert_string_equal(parse_err(deep, LP_ELIMIT, err, sizeof err),
                        "'t.yml':2: nested deeper than 64 levels");
    char ok[1024];
    n = snprintf(ok, sizeof ok,
                 "# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                 "[[[[[[[[[\n"
                 "terms:\n  - regex: ACME-[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                 "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n"
                 "  - term: \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                 "[[[[[[[[[[[[[[[[[[[\\\"\"\n"
                 "  - {term: 'it''s [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                 "[[[[[[[[[[[[[[[[[[[[[[[[['}\n");
    struct lp_terms *t = NULL;
    assert_int_equal(
        lp_terms_parse(ok, (size_t)n, "t.yml", &t, err, sizeof err), LP_OK);
    assert_int_equal(lp_terms_count(t), 3);
    lp_terms_free(t);
    t = (struct lp_terms *)1;
    assert_int_equal(
        lp_terms_load("/nonexistent/terms.yml", &t, err, sizeof err),
        LP_ENOTFOUND);
    assert_null(t);
    assert_string_equal(err, "'/nonexistent/terms.yml': no such file");
}

/* A regex Hyperscan refuses: the file, the regex's line and the reason. */
static void test_regex_errors(void **state)
{
    (void)state;
    static const struct {
        const char *yaml, *msg;
    } cases[] = {
        {"terms:\n  - term: ok\n  - regex: '(ACME'\n    severity: high\n",
         "'t.yml':3: regex does not compile: Missing close parenthesis for "
         "group started at index 0"},
        {"terms:\n  - regex: '(?<=a)b'\n",
         "'t.yml':2: regex does not compile: Zero-width assertions are not "
         "supported"},
        {"terms:\n  - regex: 'x*'\n",
         "'t.yml':2: regex does not compile: it matches the empty string"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char err[512];
        struct lp_terms *t = NULL;
        assert_int_equal(lp_terms_parse(cases[i].yaml, strlen(cases[i].yaml),
                                        "t.yml", &t, err, sizeof err),
                         LP_OK);
        assert_int_equal(lp_terms_compile(t), LP_EFORMAT);
        assert_string_equal(lp_terms_errmsg(t), cases[i].msg);
        /* A set that did not compile matches nothing, and says so. */
        struct lp_terms_scratch *s = lp_terms_scratch_new();
        struct lp_terms_hits h;
        lp_terms_hits_init(&h);
        assert_int_equal(lp_terms_match(t, s, "ACME", 4, &h), LP_EINVAL);
        assert_int_equal(h.n, 0);
        lp_terms_scratch_free(s);
        lp_terms_free(t);
    }
}

static void test_empty(void **state)
{
    (void)state;
    static const char *const files[] = {"", "# nothing\n", "terms:\n",
                                        "terms: []\n", "derive: false\n"};
    char buf[64];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        struct lp_terms *t = compiled(files[i]);
        assert_int_equal(lp_terms_count(t), 0);
        assert_int_equal(lp_terms_derive(t), i != 4);
        assert_string_equal(hits_of(t, "anything at all", buf, sizeof buf), "");
        lp_terms_free(t);
    }
    struct lp_terms *t = lp_terms_new();
    assert_non_null(t);
    assert_true(lp_terms_derive(t));
    assert_int_equal(lp_terms_compile(t), LP_OK);
    assert_string_equal(hits_of(t, "", buf, sizeof buf), "");
    lp_terms_free(t);
    lp_terms_free(NULL);
    lp_terms_scratch_free(NULL);
    lp_terms_hits_release(NULL);
}

/* LP_TERMS_MAX terms: the file's and the derived ones together. */
static void test_limit(void **state)
{
    (void)state;
    struct lp_terms *t = NULL;
    char err[512], name[64];
    const char *y = "terms:\n  - term: first-term\n";
    assert_int_equal(lp_terms_parse(y, strlen(y), "t.yml", &t, err, sizeof err),
                     LP_OK);
    for (int i = 1; i < LP_TERMS_MAX; i++) {
        snprintf(name, sizeof name, "lp_fn_%d_rekey", i);
        assert_int_equal(lp_terms_add(t, LP_TERMS_IDENT, name, LP_TERMS_LOW),
                         LP_OK);
    }
    assert_int_equal(lp_terms_count(t), LP_TERMS_MAX);
    assert_int_equal(
        lp_terms_add(t, LP_TERMS_IDENT, "one_too_many", LP_TERMS_LOW),
        LP_ELIMIT);
    assert_string_equal(lp_terms_errmsg(t),
                        "derived ident term: more than 100000 terms");
    /* A duplicate is no new term: still accepted. */
    assert_int_equal(
        lp_terms_add(t, LP_TERMS_IDENT, "LP_FN_7_REKEY", LP_TERMS_LOW), LP_OK);
    assert_int_equal(lp_terms_compile(t), LP_OK);
    char buf[256];
    assert_string_equal(
        hits_of(t, "lp_fn_99999_rekey(first-term);", buf, sizeof buf),
        "lp_fn_99999_rekey@0+1,first-term@18+1");
    lp_terms_free(t);
}

/* One scratch across sets of different sizes (a reload), and a new set
 * built while the old one is in use. */
static void test_reload(void **state)
{
    (void)state;
    struct lp_terms *a = compiled("terms:\n  - term: alpha\n");
    struct lp_terms_scratch *s = lp_terms_scratch_new();
    struct lp_terms_hits h;
    lp_terms_hits_init(&h);
    assert_int_equal(lp_terms_match(a, s, "alpha beta", 10, &h), LP_OK);
    assert_int_equal(h.n, 1);
    struct lp_terms *b = compiled("terms:\n"
                                  "  - term: beta\n"
                                  "  - regex: 'gam+a'\n"
                                  "  - term: alpha\n"
                                  "    severity: critical\n");
    assert_int_equal(lp_terms_match(b, s, "alpha beta gamma", 16, &h), LP_OK);
    assert_int_equal(h.n, 3);
    assert_int_equal(h.v[0].severity, LP_TERMS_CRITICAL);
    assert_int_equal(lp_terms_match(a, s, "alpha beta gamma", 16, &h), LP_OK);
    assert_int_equal(h.n, 1);
    assert_int_equal(h.v[0].severity, LP_TERMS_MEDIUM);
    lp_terms_free(a);
    assert_int_equal(lp_terms_match(b, s, "gammma", 6, &h), LP_OK);
    assert_int_equal(h.n, 1);
    assert_string_equal(h.v[0].label, "gam+a");
    lp_terms_hits_release(&h);
    lp_terms_scratch_free(s);
    lp_terms_free(b);
}

struct worker {
    const struct lp_terms *t;
    int bad;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    struct lp_terms_scratch *s = lp_terms_scratch_new();
    struct lp_terms_hits h;
    lp_terms_hits_init(&h);
    const char *text = "beta gamma alpha beta";
    for (int i = 0; i < 500 && s; i++) {
        if (lp_terms_match(w->t, s, text, strlen(text), &h) || h.n != 2 ||
            strcmp(h.v[0].label, "beta") || h.v[0].count != 2 ||
            strcmp(h.v[1].label, "alpha"))
            w->bad++;
    }
    w->bad += !s;
    lp_terms_hits_release(&h);
    lp_terms_scratch_free(s);
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    struct lp_terms *t =
        compiled("terms:\n  - term: alpha\n  - regex: 'be+ta'\n"
                 "    name: beta\n");
    pthread_t th[4];
    struct worker w[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (struct worker){.t = t};
        assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].bad, 0);
    }
    lp_terms_free(t);
}

static void test_load(void **state)
{
    (void)state;
    char dir[64], path[128], err[512];
    tu_mkdtemp(dir, sizeof dir, "termstest");
    snprintf(path, sizeof path, "%s/terms.yml", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(example, f);
    fclose(f);
    struct lp_terms *t = NULL;
    assert_int_equal(lp_terms_load(path, &t, err, sizeof err), LP_OK);
    assert_int_equal(lp_terms_count(t), 3);
    lp_terms_free(t);
    /* Errors name the path given. */
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("terms:\n  - term: a\n    severity: High\n", f);
    fclose(f);
    assert_int_equal(lp_terms_load(path, &t, err, sizeof err), LP_EFORMAT);
    char want[256];
    snprintf(want, sizeof want,
             "'%s':3: bad severity 'High' (critical, high, medium or low)",
             path);
    assert_string_equal(err, want);
    tu_rmrf(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example), cmocka_unit_test(test_boundaries),
        cmocka_unit_test(test_regex),   cmocka_unit_test(test_counts),
        cmocka_unit_test(test_order),   cmocka_unit_test(test_derived),
        cmocka_unit_test(test_errors),  cmocka_unit_test(test_regex_errors),
        cmocka_unit_test(test_empty),   cmocka_unit_test(test_limit),
        cmocka_unit_test(test_reload),  cmocka_unit_test(test_threads),
        cmocka_unit_test(test_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
