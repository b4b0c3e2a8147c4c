/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of the part B secret rules (cmocka). For every rule of
 * lp_rules_generic: its Hyperscan pattern compiles alone and ends where
 * PCRE2's match ends on the positive example; PCRE2 extracts exactly the
 * positive value, within the length and entropy bounds; the negative is not
 * reported. The engine is simulated as the rules' contract describes it: at
 * each Hyperscan match end, PCRE2 runs on the `window` bytes before it and
 * must end there (PCRE2_ENDANCHORED). Also: ids are unique and lower case,
 * and the table compiles as one Hyperscan database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <hs/hs.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "rules.h"
#include "secrets.h"

#include "banned.h"

#define MAX_ENDS 64
#define MAX_FOUND 16

struct ends {
    size_t n;
    unsigned long long at[MAX_ENDS];
};

/* A value the simulated engine reports: where it lies in the input. */
struct found {
    size_t off, len;
};

static int on_match(unsigned int id, unsigned long long from,
                    unsigned long long to, unsigned int flags, void *ctx)
{
    (void)id, (void)from, (void)flags;
    struct ends *e = ctx;
    if (e->n < MAX_ENDS)
        e->at[e->n++] = to;
    return 0;
}

static hs_database_t *hs_one(const struct lp_rule *r)
{
    hs_database_t *db = NULL;
    hs_compile_error_t *cerr = NULL;
    if (hs_compile(r->hs, lp_secrets_hs_flags(r), HS_MODE_BLOCK, NULL, &db,
                   &cerr) !=
        HS_SUCCESS) {
        print_error("%s: hs: %s\n", r->id, cerr ? cerr->message : "?");
        hs_free_compile_error(cerr);
        return NULL;
    }
    return db;
}

static void hs_ends(hs_database_t *db, const char *text, struct ends *out)
{
    hs_scratch_t *scratch = NULL;
    out->n = 0;
    assert_int_equal(hs_alloc_scratch(db, &scratch), HS_SUCCESS);
    assert_int_equal(hs_scan(db, text, (unsigned)strlen(text), 0, scratch,
                             on_match, out),
                     HS_SUCCESS);
    hs_free_scratch(scratch);
}

static pcre2_code *pcre_one(const struct lp_rule *r)
{
    int code = 0;
    PCRE2_SIZE at = 0;
    uint32_t opt = (r->flags & LP_RULE_CASELESS) ? PCRE2_CASELESS : 0;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)r->pcre, PCRE2_ZERO_TERMINATED,
                                   opt, &code, &at, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        print_error("%s: pcre at %zu: %s\n", r->id, (size_t)at, (char *)msg);
    }
    return re;
}

/* Runs re on subject[0, len) from start; fills the secret's span and the
 * whole match's end. Returns 1 on a match, 0 otherwise. */
static int pcre_find(pcre2_code *re, const char *subject, size_t len,
                     size_t start, uint32_t opt, struct found *val,
                     size_t *end)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    int rc, ok = 0;
    assert_non_null(md);
    rc = pcre2_match(re, (PCRE2_SPTR)subject, len, start, opt, md, NULL);
    if (rc > 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        int g = pcre2_substring_number_from_name(re, (PCRE2_SPTR) "secret");
        assert_true(g > 0);
        if (ov[2 * g] != PCRE2_UNSET) {
            val->off = ov[2 * g];
            val->len = ov[2 * g + 1] - ov[2 * g];
            *end = ov[1];
            ok = 1;
        }
    } else {
        assert_true(rc == PCRE2_ERROR_NOMATCH);
    }
    pcre2_match_data_free(md);
    return ok;
}

static int within_bounds(const struct lp_rule *r, const char *v, size_t n)
{
    double h;
    /* the check too, as the engine applies it (base64-pem-private-key's
     * negative is a certificate that only the check tells apart) */
    return lp_secrets_in_bounds(r, v, n, &h) &&
           lp_secrets_check(r->check, v, n);
}

/* The engine: at each Hyperscan end, PCRE2 on the window before it, ending
 * there; values outside the bounds are dropped. Returns how many values it
 * reports, their spans in *out. */
static size_t engine(const struct lp_rule *r, hs_database_t *db,
                     pcre2_code *re, const char *text, struct found *out)
{
    struct ends e;
    size_t n = 0, window = r->window ? r->window : 256;
    hs_ends(db, text, &e);
    for (size_t i = 0; i < e.n; i++) {
        size_t to = (size_t)e.at[i];
        size_t from = to > window ? to - window : 0;
        struct found v;
        size_t end;
        if (!pcre_find(re, text + from, to - from, 0, PCRE2_ENDANCHORED, &v,
                       &end))
            continue;
        assert_int_equal(end, to - from);
        if (!within_bounds(r, text + from + v.off, v.len))
            continue;
        if (n < MAX_FOUND)
            out[n++] = (struct found){from + v.off, v.len};
    }
    return n;
}

static void check_positive(const struct lp_rule *r, hs_database_t *db,
                           pcre2_code *re)
{
    const char *p = r->positive;
    struct found v, got[MAX_FOUND];
    size_t end, want = strlen(r->positive_value);
    struct ends e;
    int at_end = 0;

    /* PCRE2 searched in the whole line gives exactly the value. */
    if (!pcre_find(re, p, strlen(p), 0, 0, &v, &end))
        fail_msg("%s: pcre does not match its positive", r->id);
    if (v.len != want || memcmp(p + v.off, r->positive_value, want) != 0)
        fail_msg("%s: pcre extracted '%.*s'", r->id, (int)v.len, p + v.off);
    if (r->min_len && want < r->min_len)
        fail_msg("%s: value shorter than min_len", r->id);
    if (r->max_len && want > r->max_len)
        fail_msg("%s: value longer than max_len", r->id);
    if (lp_secrets_entropy(r->positive_value, want) < r->min_entropy)
        fail_msg("%s: value entropy %.2f < %.2f", r->id,
                 lp_secrets_entropy(r->positive_value, want), r->min_entropy);

    /* Hyperscan ends where PCRE2's whole match ends. */
    hs_ends(db, p, &e);
    for (size_t i = 0; i < e.n; i++)
        at_end |= e.at[i] == end;
    if (!at_end)
        fail_msg("%s: no hs match ends at %zu (%zu ends)", r->id, end, e.n);

    /* The engine reports the value once, and nothing else. */
    size_t n = engine(r, db, re, p, got);
    if (n != 1)
        fail_msg("%s: the engine reports %zu values, want 1", r->id, n);
    assert_int_equal(got[0].off, v.off);
    assert_int_equal(got[0].len, v.len);
}

static void check_negative(const struct lp_rule *r, hs_database_t *db,
                           pcre2_code *re)
{
    const char *q = r->negative;
    size_t len = strlen(q), start = 0, end;
    struct found v, got[MAX_FOUND];

    /* No PCRE2 match anywhere in the line yields a value in bounds. */
    while (start <= len && pcre_find(re, q, len, start, 0, &v, &end)) {
        if (within_bounds(r, q + v.off, v.len))
            fail_msg("%s: pcre reports '%.*s' in its negative", r->id,
                     (int)v.len, q + v.off);
        start = v.off + 1;
    }
    if (engine(r, db, re, q, got) != 0)
        fail_msg("%s: the engine reports its negative", r->id);
}

static void test_each_rule(void **state)
{
    (void)state;
    size_t n = 0;
    for (const struct lp_rule *r = lp_rules_generic; r->id; r++, n++) {
        assert_non_null(r->format);
        assert_non_null(r->category);
        assert_non_null(r->positive);
        assert_non_null(r->positive_value);
        assert_non_null(r->negative);
        assert_non_null(strstr(r->pcre, "(?<secret>"));
        hs_database_t *db = hs_one(r);
        pcre2_code *re = pcre_one(r);
        if (!db || !re)
            fail_msg("%s: does not compile", r->id);
        check_positive(r, db, re);
        check_negative(r, db, re);
        hs_free_database(db);
        pcre2_code_free(re);
    }
    assert_true(n >= 50);
}

static void test_ids_and_formats(void **state)
{
    (void)state;
    size_t formats = 0;
    for (const struct lp_rule *r = lp_rules_generic; r->id; r++) {
        assert_true(r->id[0] >= 'a' && r->id[0] <= 'z');
        for (const char *c = r->id; *c; c++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
                  *c == '-'))
                fail_msg("%s: id not lower case and dashes", r->id);
        int seen_format = 0;
        for (const struct lp_rule *o = lp_rules_generic; o != r; o++) {
            if (strcmp(o->id, r->id) == 0)
                fail_msg("%s: duplicate id", r->id);
            seen_format |= strcmp(o->format, r->format) == 0;
        }
        formats += !seen_format;
        /* Key blocks must let PCRE2 reach back to their BEGIN line. */
        if (r->flags & LP_RULE_MULTILINE)
            assert_true(r->window >= 512);
    }
    assert_true(formats >= 25);
}

/* Rules the table's examples do not show. */
static void test_more_cases(void **state)
{
    (void)state;
    static const struct {
        const char *id, *text, *value; // value NULL: nothing reported
    } c[] = {
        /* An encrypted PKCS#1 key keeps its RFC 1421 headers. */
        {"pem-rsa-private-key",
         "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
         "DEK-Info: AES-128-CBC,00000000EXAMPLE0000000000000000\n\n"
         "gtD7fGUOv8fwNfBb0jXxUJR4QQAAabVVloZaXZxmCu1VShIqmArIntn9oX98WHgC\n"
         "-----END RSA PRIVATE KEY-----\n",
         "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
         "DEK-Info: AES-128-CBC,00000000EXAMPLE0000000000000000\n\n"
         "gtD7fGUOv8fwNfBb0jXxUJR4QQAAabVVloZaXZxmCu1VShIqmArIntn9oX98WHgC\n"
         "-----END RSA PRIVATE KEY-----"},
        /* A key in a string literal with escaped newlines. */
        {"pem-pkcs8-private-key",
         "k = \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAAS"
         "CgtD7fGUOv8fwNfBb0jXxUJR4QQAAabVVloZaXZxmCu1VShIqmArIntn9oX98WHgC"
         "\\n-----END PRIVATE KEY-----\\n\"",
         "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAAS"
         "CgtD7fGUOv8fwNfBb0jXxUJR4QQAAabVVloZaXZxmCu1VShIqmArIntn9oX98WHgC"
         "\\n-----END PRIVATE KEY-----"},
        /* A v3 PPK file has a 64-digit MAC. */
        {"putty-private-key",
         "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n"
         "Comment: eddsa-key-20240101\nPublic-Lines: 1\n"
         "AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLE00001lS6V6+o9jl8zSOwW/rXL+iu\n"
         "Private-Lines: 1\nAAAAIEXAMPLE0000gtD7fGUOv8fwNfBb0jXxUJR4QQAAabVV\n"
         "Private-MAC: 532a4b3ea53b3266ab5e27cec03b40fca2f903fb6ac49f239da2d17"
         "d782483fd",
         "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n"
         "Comment: eddsa-key-20240101\nPublic-Lines: 1\n"
         "AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLE00001lS6V6+o9jl8zSOwW/rXL+iu\n"
         "Private-Lines: 1\nAAAAIEXAMPLE0000gtD7fGUOv8fwNfBb0jXxUJR4QQAAabVV\n"
         "Private-MAC: 532a4b3ea53b3266ab5e27cec03b40fca2f903fb6ac49f239da2d17"
         "d782483fd"},
        /* XML attribute, Go, PHP and YAML forms of the generic rules. */
        {"generic-password-quoted",
         "<datasource user=\"app\" password=\"Wq3!zR8vLp2#\"/>",
         "Wq3!zR8vLp2#"},
        {"generic-password-quoted", "\t'password' => 'Wq3!zR8vLp2#',",
         "Wq3!zR8vLp2#"},
        {"generic-token-quoted", "\tToken: \"Pq4wX9vT2kLm7nZr3sYb8c\",",
         "Pq4wX9vT2kLm7nZr3sYb8c"},
        {"generic-password-unquoted", "spring.datasource.password=Ht5vQ9zX2mKw",
         "Ht5vQ9zX2mKw"},
        {"generic-password-unquoted", "  password: Ht5vQ9zX2mKw  \r\n",
         "Ht5vQ9zX2mKw"},
        /* Code, not a value: a call, a comparison, a variable. */
        {"generic-password-unquoted", "password = getPassword();\n", NULL},
        {"generic-password-quoted", "if password == \"\":\n", NULL},
        {"generic-secret-unquoted", "secret: !vault |\n", NULL},
        {"generic-password-unquoted", "password=\n", NULL},
        /* Two secrets in one window: each is reported alone. */
        {"redis-url-password",
         "a=redis://:Hk3vN8qZ2wLp@h1 b=redis://:Qz7mW2xK9vTn@h2\n",
         "Qz7mW2xK9vTn"},
        /* An AWS key in the credentials file, quoted in JSON. */
        {"aws-secret-access-key",
         "{\"AWS_SECRET_ACCESS_KEY\": \"nVRh+pkEIDDPGQt3hCd2QuZqtBUUMiVS532Pq"
         "o5d\"}",
         "nVRh+pkEIDDPGQt3hCd2QuZqtBUUMiVS532Pqo5d"},
        /* A secret's data block ends at the next top-level key. */
        {"kubernetes-secret-data",
         "kind: Secret\ndata:\n  a: Wng4IXFQMnZMbTkjclQ0dw==\nmetadata:\n"
         "  name: c2VjcmV0bmFtZTAw\n",
         "Wng4IXFQMnZMbTkjclQ0dw=="},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        const struct lp_rule *r = lp_rules_generic;
        while (r->id && strcmp(r->id, c[i].id) != 0)
            r++;
        assert_non_null(r->id);
        hs_database_t *db = hs_one(r);
        pcre2_code *re = pcre_one(r);
        assert_non_null(db);
        assert_non_null(re);
        struct found got[MAX_FOUND];
        size_t n = engine(r, db, re, c[i].text, got);
        if (!c[i].value) {
            if (n)
                fail_msg("case %zu (%s): reported '%.*s'", i, r->id,
                         (int)got[0].len, c[i].text + got[0].off);
        } else {
            size_t k = n ? n - 1 : 0; // the last report is the case's value
            if (!n || got[k].len != strlen(c[i].value) ||
                memcmp(c[i].text + got[k].off, c[i].value, got[k].len))
                fail_msg("case %zu (%s): %zu reports", i, r->id, n);
        }
        hs_free_database(db);
        pcre2_code_free(re);
    }
}

/* A PEM block the size of a 4096-bit RSA key (3.2 KB) is found by the JIT
 * compiled pattern, as the engine runs it: a per-byte alternation in the
 * body used to overflow the JIT stack on keys of 2048 bits and more, and
 * the engine took the error for "no match". */
static void test_large_key_blocks(void **state)
{
    (void)state;
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char text[4096];
    size_t tested = 0;
    for (const struct lp_rule *r = lp_rules_generic; r->id; r++) {
        if (r->check != LP_CHECK_PEM)
            continue;
        /* hs is "-----END <label>-----" */
        size_t label = strlen(r->hs) - 14;
        int o = snprintf(text, sizeof text, "-----BEGIN %.*s-----\n",
                         (int)label, r->hs + 9);
        for (int line = 0; line < 50; line++) {
            for (int k = 0; k < 64; k++)
                text[o++] = b64[(line * 7 + k * 13) % 64];
            text[o++] = '\n';
        }
        o += snprintf(text + o, sizeof text - (size_t)o, "%s", r->hs);
        assert_true((size_t)o < sizeof text);
        /* compiled as the engine compiles it: end-anchored at compile
         * time (JIT ignores a match-time PCRE2_ENDANCHORED and falls back
         * to the interpreter) */
        int code = 0;
        PCRE2_SIZE at = 0;
        pcre2_code *re = pcre2_compile((PCRE2_SPTR)r->pcre,
                                       PCRE2_ZERO_TERMINATED,
                                       PCRE2_ENDANCHORED | PCRE2_DOTALL,
                                       &code, &at, NULL);
        assert_non_null(re);
        assert_int_equal(pcre2_jit_compile(re, PCRE2_JIT_COMPLETE), 0);
        pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
        int rc = pcre2_match(re, (PCRE2_SPTR)text, (size_t)o, 0, 0, md, NULL);
        if (rc <= 0)
            fail_msg("%s: a 3.2 KB block: pcre2_match %d", r->id, rc);
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        assert_int_equal(ov[0], 0);
        assert_int_equal(ov[1], (size_t)o);
        pcre2_match_data_free(md);
        pcre2_code_free(re);
        tested++;
    }
    assert_int_equal(tested, 6);
}

static void test_one_database(void **state)
{
    (void)state;
    const char *pats[128];
    unsigned flags[128], ids[128];
    unsigned n = 0;
    for (const struct lp_rule *r = lp_rules_generic; r->id; r++) {
        assert_true(n < 128);
        pats[n] = r->hs;
        flags[n] = lp_secrets_hs_flags(r);
        ids[n] = n;
        n++;
    }
    hs_database_t *db = NULL;
    hs_compile_error_t *cerr = NULL;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    hs_error_t rc = hs_compile_multi(pats, flags, ids, n, HS_MODE_BLOCK, NULL,
                                     &db, &cerr);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc != HS_SUCCESS)
        fail_msg("hs_compile_multi: pattern %d: %s", cerr->expression,
                 cerr->message);
    size_t size = 0;
    assert_int_equal(hs_database_size(db, &size), HS_SUCCESS);
    print_message("lp_rules_generic: %u rules, one database of %zu bytes "
                  "compiled in %.3f s\n",
                  n, size,
                  (double)(t1.tv_sec - t0.tv_sec) +
                      (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);

    /* Every positive is found by the shared database too. */
    hs_scratch_t *scratch = NULL;
    assert_int_equal(hs_alloc_scratch(db, &scratch), HS_SUCCESS);
    for (unsigned i = 0; i < n; i++) {
        struct ends e = {0};
        const char *p = lp_rules_generic[i].positive;
        assert_int_equal(hs_scan(db, p, (unsigned)strlen(p), 0, scratch,
                                 on_match, &e),
                         HS_SUCCESS);
        if (e.n == 0)
            fail_msg("%s: not found by the shared database",
                     lp_rules_generic[i].id);
    }
    hs_free_scratch(scratch);
    hs_free_database(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids_and_formats),
        cmocka_unit_test(test_each_rule),
        cmocka_unit_test(test_more_cases),
        cmocka_unit_test(test_large_key_blocks),
        cmocka_unit_test(test_one_database),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
