/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of the secrets engine (cmocka), on rules written here: the
 * validators (entropy, masking, GitHub CRC32, JWT, Luhn, PEM, placeholder
 * filter), findings with exact rule, line, column and masked value, a
 * second rule on the same value not reported twice, a key block found
 * whole, and the compiled database loaded from its cache the second time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rules.h"
#include "secrets.h"
#include "testutil.h"

#include "banned.h"

static const struct lp_rule rules[] = {
    {.id = "aws-access-key-id", .format = "AWS access key ID",
     .category = "cloud-credential", .hs = "(A3T[A-Z0-9]|AKIA|ASIA)[A-Z2-7]{16}",
     .pcre = "(?<secret>(?:A3T[A-Z0-9]|AKIA|ASIA)[A-Z2-7]{16})",
     .min_len = 20, .max_len = 20, .min_entropy = 3},
    {.id = "github-pat", .format = "GitHub personal access token",
     .category = "source-hosting", .hs = "ghp_[0-9A-Za-z]{36}",
     .pcre = "(?<secret>ghp_[0-9A-Za-z]{36})", .check = LP_CHECK_GITHUB_CRC32},
    {.id = "private-key", .format = "PEM private key",
     .category = "private-key",
     .hs = "-----END [A-Z ]{0,20}PRIVATE KEY-----",
     .pcre = "(?<secret>-----BEGIN ([A-Z ]{0,20})PRIVATE KEY-----.{32,16000}?"
             "-----END \\2PRIVATE KEY-----)",
     .window = 16384, .check = LP_CHECK_PEM, .flags = LP_RULE_MULTILINE},
    {.id = "password-assignment", .format = "password in an assignment",
     .category = "password",
     .hs = "password[\"']?\\s{0,4}[:=]\\s{0,4}[\"'][^\"'\\s]{6,64}[\"']",
     .pcre = "password[\"']?\\s{0,4}[:=]\\s{0,4}[\"'](?<secret>[^\"'\\s]{6,64})[\"']",
     .min_entropy = 2.5, .flags = LP_RULE_GENERIC | LP_RULE_CASELESS},
    {.id = NULL},
};

static const char b62s[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/* A GitHub token with a right checksum: ghp_ + 30 characters + the base62
 * CRC32 of them in 6 digits. */
static void make_ghp(char out[41], uint64_t seed)
{
    memcpy(out, "ghp_", 4);
    uint32_t crc = 0xffffffffu;
    for (int i = 0; i < 30; i++) {
        out[4 + i] = b62s[tu_rand(&seed) % 62];
        crc ^= (unsigned char)out[4 + i];
        for (int k = 0; k < 8; k++)
            crc = crc & 1 ? (crc >> 1) ^ 0xedb88320u : crc >> 1;
    }
    uint32_t v = ~crc;
    for (int i = 5; i >= 0; i--) {
        out[34 + i] = b62s[v % 62];
        v /= 62;
    }
    out[40] = '\0';
}

static void test_validators(void **state)
{
    (void)state;
    assert_true(lp_secrets_entropy("aaaa", 4) == 0);
    assert_true(lp_secrets_entropy("abab", 4) == 1);
    /* Bounds: length 4 to 6, 1 bit a byte or more. */
    const struct lp_rule r = {.min_len = 4, .max_len = 6, .min_entropy = 1};
    double h;
    assert_false(lp_secrets_in_bounds(&r, "", 0, &h));
    assert_false(lp_secrets_in_bounds(&r, "aba", 3, &h));
    assert_false(lp_secrets_in_bounds(&r, "abcabca", 7, &h));
    assert_false(lp_secrets_in_bounds(&r, "aaaa", 4, &h));
    assert_true(h == 0);
    assert_true(lp_secrets_in_bounds(&r, "abab", 4, &h));
    assert_true(h == 1);
    char m[48];
    lp_secrets_mask("AKIAZZZZ2222EXAMPLEX", 20, 4, m, sizeof m);
    assert_string_equal(m, "AKIA********");
    lp_secrets_mask("hunter", 6, 0, m, sizeof m);
    assert_string_equal(m, "********");
    /* the same mask for 8 and 40 characters: the length does not show */
    lp_secrets_mask("P4ssw0rd-Zk81-Qv73-Hm55-Tr0x-Lb62-Wc9rd", 40, 0, m,
                    sizeof m);
    assert_string_equal(m, "********");
    /* the public prefix: the literals the pattern starts the value with */
    const struct lp_rule alt = {.pcre = "\\b(?<secret>(?:A3T[A-Z]|AKIA|ASIA)"
                                        "(?!X)[A-Z0-9]{16})"},
                         opt = {.pcre = "(?<secret>sl\\.(?:u\\.)?[a-z]{9})"},
                         rep = {.pcre = "(?<secret>xy?z[a-z]{9})"},
                         gen = {.pcre = "(?<secret>pw_[a-z]{9})",
                                .flags = LP_RULE_GENERIC};
    assert_int_equal(lp_secrets_public_prefix(&alt, "ASIAZZZZ2222EXAMPLEX",
                                              20), 4);
    assert_int_equal(lp_secrets_public_prefix(&opt, "sl.u.abcdefghi", 14), 3);
    assert_int_equal(lp_secrets_public_prefix(&rep, "xzabcdefghi", 11), 1);
    assert_int_equal(lp_secrets_public_prefix(&gen, "pw_abcdefghi", 12), 0);
    assert_int_equal(lp_secrets_public_prefix(&opt, "sl.ab", 5), 0);
    char t[41];
    make_ghp(t, 7);
    assert_true(lp_secrets_check(LP_CHECK_GITHUB_CRC32, t, 40));
    t[10] = t[10] == 'a' ? 'b' : 'a';
    assert_false(lp_secrets_check(LP_CHECK_GITHUB_CRC32, t, 40));
    /* a failed checksum vetoes the bytes for every rule; a failed
     * structural check does not */
    assert_true(lp_secrets_check_vetoes(LP_CHECK_GITHUB_CRC32));
    assert_true(lp_secrets_check_vetoes(LP_CHECK_NPM_CRC32));
    assert_false(lp_secrets_check_vetoes(LP_CHECK_JWT));
    assert_false(lp_secrets_check_vetoes(LP_CHECK_LUHN));
    assert_false(lp_secrets_check_vetoes(LP_CHECK_PEM));
    assert_false(lp_secrets_check_vetoes(LP_CHECK_NONE));
    static const char jwt[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
                              "eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
    assert_true(lp_secrets_check(LP_CHECK_JWT, jwt, sizeof jwt - 1));
    assert_false(lp_secrets_check(LP_CHECK_JWT, "abc.def.ghi", 11));
    assert_true(lp_secrets_check(LP_CHECK_LUHN, "4111111111111111", 16));
    assert_false(lp_secrets_check(LP_CHECK_LUHN, "4111111111111112", 16));
    /* base64 of a PEM block: a PKCS#8 key's label is the shortest */
    static const char b64key[] =
        "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2d0lCQURBTkJna3Foa2lHOXcw"
        "QkFRRUZBQVNDQktrd2dnU2xBZ0VBQW9JQkFRRGM0cWVPUXIwU0h1R3AK";
    static const char b64cert[] =
        "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUV2d0lCQURBTkJna3Foa2lHOXcw"
        "QkFRRUZBQVNDQktrd2dnU2xBZ0VBQW9JQkFRRGM0cWVPUXIwU0h1R3AK";
    assert_true(lp_secrets_check(LP_CHECK_B64_PEM, b64key, sizeof b64key - 1));
    assert_false(lp_secrets_check(LP_CHECK_B64_PEM, b64cert,
                                  sizeof b64cert - 1));
    assert_true(lp_secrets_placeholder("your-api-key", 12));
    assert_true(lp_secrets_placeholder("${DB_PASS}", 10));
    assert_true(lp_secrets_placeholder("xxxxxxxx", 8));
    assert_false(lp_secrets_placeholder("s3cr3Tv4lu3!x9", 14));
}

/* Issue 15, point 14: documented example keys, test vectors and public
 * identifiers are no secrets, whatever rule finds them. */
static void test_known_public(void **state)
{
    (void)state;
    static const char *const yes[] = {
        "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "2b7e151628aed2a6abf7158809cf4f3c",
        "2B7E151628AED2A6ABF7158809CF4F3C",
        "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
        "pk_live_51Hq7zXk2mPq9vLz7tRw4nBy6cHd3fJs8gK",
        "pk_test_TYooMQauvdEDq54NiTphI7jx",
        "123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent"
        ".com",
        "AKIAZZZZ2222EXAMPLE", "tok-EXAMPLE-0000aBcD",
        "feffe9928665731c6d6a8f9467308308",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibm"
        "FtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpM"
        "eJf36POk6yJV_adQssw5c",
    };
    static const char *const no[] = {
        "AKIAZZZZ2222EXAMPLEX", "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",
        "sq0atp-EXAMPLE1Mzd7sA5PBKM2Vu", "GOCSPX-60xpet6-d2bsWRkpf7OArEXAMPLE",
        "2b7e151628aed2a6abf7158809cf4f3d", "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
        "rk_live_51Hq7zXk2mPq9vLz7tRw4nBy6cHd3fJs8gK",
        "Comment: EXAMPLE\nkey",
    };
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (!lp_secrets_known_public(yes[i], strlen(yes[i])))
            fail_msg("not known public: %s", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (lp_secrets_known_public(no[i], strlen(no[i])))
            fail_msg("known public: %s", no[i]);
    assert_true(lp_secrets_known_public("Comment: EXAMPLE", 16));
    assert_false(lp_secrets_known_public("Comment: EXAMPLE\n", 17));
}

struct got {
    struct lp_secret_finding f[16];
    size_t n;
};

static int collect(void *ctx, const struct lp_secret_finding *f)
{
    struct got *g = ctx;
    if (g->n < 16)
        g->f[g->n++] = *f;
    return 0;
}

static void check_findings(const struct lp_secrets_engine *e,
                           const char *text)
{
    struct lp_secrets_scratch *s;
    struct got g = {0};
    assert_int_equal(lp_secrets_scratch_new(e, &s), LP_OK);
    assert_int_equal(lp_secrets_scan(e, s, text, strlen(text), collect, &g),
                     LP_OK);
    lp_secrets_scratch_free(s);
    assert_int_equal(g.n, 4);
    assert_string_equal(lp_secrets_rule(e, g.f[0].rule)->id,
                        "aws-access-key-id");
    assert_int_equal(g.f[0].line, 2);
    assert_int_equal(g.f[0].column, 19);
    assert_string_equal(g.f[0].masked, "AKIA********");
    assert_string_equal(lp_secrets_rule(e, g.f[1].rule)->id, "github-pat");
    assert_int_equal(g.f[1].line, 3);
    assert_string_equal(lp_secrets_rule(e, g.f[2].rule)->id,
                        "password-assignment");
    assert_int_equal(g.f[2].line, 5);
    assert_int_equal(g.f[2].column, 13);
    assert_string_equal(g.f[2].masked, "********");
    assert_string_equal(lp_secrets_rule(e, g.f[3].rule)->id, "private-key");
    assert_int_equal(g.f[3].line, 7);
    assert_int_equal(g.f[3].lines, 4);
    /* the fingerprint is keyed and stable, never the value */
    assert_int_equal(strlen(g.f[0].fp), 64);
    assert_null(strstr(g.f[0].fp, "AKIA"));
}

/* A token's shape with a wrong checksum (issue 15, point 14a) is reported
 * by no rule: not by its own, and not by a generic assignment that finds
 * the same value; with a right checksum its own rule wins. */
static void test_checksum_veto(void **state)
{
    (void)state;
    char good[41], bad[41], text[256];
    make_ghp(good, 5);
    memcpy(bad, good, sizeof bad);
    bad[10] = bad[10] == 'a' ? 'b' : 'a';
    static const struct lp_rule *const tables[] = {rules};
    struct lp_secrets_engine *e;
    struct lp_secrets_scratch *s;
    char err[256];
    assert_int_equal(lp_secrets_engine_new(tables, 1, NULL, "k", 1, &e, err,
                                           sizeof err),
                     LP_OK);
    assert_int_equal(lp_secrets_scratch_new(e, &s), LP_OK);
    struct got g = {0};
    snprintf(text, sizeof text, "password = \"%s\"\n", bad);
    assert_int_equal(lp_secrets_scan(e, s, text, strlen(text), collect, &g),
                     LP_OK);
    assert_int_equal(g.n, 0);
    snprintf(text, sizeof text, "password = \"%s\"\n", good);
    assert_int_equal(lp_secrets_scan(e, s, text, strlen(text), collect, &g),
                     LP_OK);
    assert_int_equal(g.n, 1);
    assert_string_equal(lp_secrets_rule(e, g.f[0].rule)->id, "github-pat");
    /* a generic value that is no token is still found */
    g.n = 0;
    snprintf(text, sizeof text, "password = \"s3cr3tPa55wrdz9\"\n");
    assert_int_equal(lp_secrets_scan(e, s, text, strlen(text), collect, &g),
                     LP_OK);
    assert_int_equal(g.n, 1);
    lp_secrets_scratch_free(s);
    lp_secrets_engine_free(e);
}

static void test_engine_and_cache(void **state)
{
    (void)state;
    char tok[41], text[2048], dir[128];
    make_ghp(tok, 11);
    snprintf(text, sizeof text,
             "# config\n"
             "aws_access_key_id=AKIAZZZZ2222EXAMPLEX\n"
             "token: %s\n"
             "password = \"${DB_PASSWORD}\"\n"
             "password = \"s3cr3tPa55wrdz9\"\n"
             "password = \"changeme123\"\n"
             "-----BEGIN RSA PRIVATE KEY-----\n"
             "MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n"
             "KUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQ==\n"
             "-----END RSA PRIVATE KEY-----\n"
             "AKIAshort and ghp_tooshort\n",
             tok);
    static const struct lp_rule *const tables[] = {rules};
    tu_mkdtemp(dir, sizeof dir, "hscache");
    struct lp_secrets_engine *e;
    char err[256];
    assert_int_equal(lp_secrets_engine_new(tables, 1, dir, "k", 1, &e, err,
                                           sizeof err),
                     LP_OK);
    assert_int_equal(lp_secrets_nrules(e), 4);
    assert_false(lp_secrets_from_cache(e));
    check_findings(e, text);
    lp_secrets_engine_free(e);
    assert_int_equal(lp_secrets_engine_new(tables, 1, dir, "k", 1, &e, err,
                                           sizeof err),
                     LP_OK);
    assert_true(lp_secrets_from_cache(e));
    check_findings(e, text);
    lp_secrets_engine_free(e);
    tu_rmrf(dir);
}

static int count_found(void *ctx, const struct lp_secret_finding *f)
{
    (void)f;
    (*(size_t *)ctx)++;
    return 0;
}

/* A buffer of more secrets than LP_SECRETS_MAX_CANDIDATES: that many are
 * reported, and the scan ends. */
static void test_candidate_limit(void **state)
{
    (void)state;
    static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    enum { N = LP_SECRETS_MAX_CANDIDATES + 500, LINE = 21 };
    char *text = test_malloc((size_t)N * LINE + 1);
    uint64_t seed = 7;
    for (size_t i = 0; i < N; i++) {
        char *l = text + i * LINE;
        memcpy(l, "AKIA", 4);
        for (int k = 4; k < 20; k++)
            l[k] = b32[tu_rand(&seed) % 32];
        l[20] = '\n';
    }
    text[(size_t)N * LINE] = '\0';
    static const struct lp_rule *const tables[] = {rules};
    struct lp_secrets_engine *e;
    struct lp_secrets_scratch *s;
    char err[256];
    assert_int_equal(lp_secrets_engine_new(tables, 1, NULL, "k", 1, &e, err,
                                           sizeof err),
                     LP_OK);
    assert_int_equal(lp_secrets_scratch_new(e, &s), LP_OK);
    size_t found = 0;
    assert_int_equal(lp_secrets_scan(e, s, text, (size_t)N * LINE,
                                     count_found, &found),
                     LP_OK);
    assert_int_equal(found, LP_SECRETS_MAX_CANDIDATES);
    lp_secrets_scratch_free(s);
    lp_secrets_engine_free(e);
    test_free(text);
}

/* The newline count that numbers the findings' lines (SSE2 64 bytes a
 * step, each byte lane summed before it can pass 255, then 8 and 1 at a
 * time): the naive count for every length across those steps, at every
 * alignment, in random text, in text of newlines only (every lane full)
 * and in text of none. */
static void test_count_newlines(void **state)
{
    (void)state;
    enum { MAX = 70000 };
    char *buf = test_malloc(MAX + 16);
    uint64_t seed = 11;
    for (int kind = 0; kind < 3; kind++) {
        for (size_t i = 0; i < MAX + 16; i++)
            buf[i] = kind == 1   ? '\n'
                     : kind == 2 ? 'x'
                                 : (tu_rand(&seed) % 5 ? 'a' : '\n');
        static const size_t lens[] = {0,    1,    7,    8,    15,   16,
                                      63,   64,   65,   127,  128,  4031,
                                      4032, 4033, 4095, 4096, 8064, 8065,
                                      16128, 16200, 65535, 65536, 69999, MAX};
        for (size_t a = 0; a < 16; a++)
            for (size_t l = 0; l < sizeof lens / sizeof *lens; l++) {
                size_t want = 0;
                for (size_t i = 0; i < lens[l]; i++)
                    want += buf[a + i] == '\n';
                assert_int_equal(lp_secrets_count_newlines(buf + a, lens[l]),
                                 want);
            }
    }
    test_free(buf);
}

struct placed {
    struct lp_secret_finding f[64];
    size_t n;
};

static int keep_placed(void *ctx, const struct lp_secret_finding *f)
{
    struct placed *p = ctx;
    if (p->n < 64)
        p->f[p->n++] = *f;
    return 0;
}

/* Findings through a long buffer (blank runs of thousands of lines between
 * them, keys at every offset modulo 64) keep the line and column of the
 * naive count: the line numbers come from the fast count above. */
static void test_lines_far_apart(void **state)
{
    (void)state;
    static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    enum { KEYS = 40, SIZE = 400000 };
    char *text = test_malloc(SIZE + 1);
    uint32_t line[KEYS], col[KEYS];
    uint64_t seed = 3;
    size_t at = 0;
    uint32_t ln = 1, c = 1;
    for (size_t k = 0; k < KEYS; k++) {
        /* filler: newlines only, text only, or mixed */
        size_t fill = 1000 + tu_rand(&seed) % 8000;
        for (size_t i = 0; i < fill; i++) {
            char ch = k % 3 == 0 ? '\n'
                      : k % 3 == 1 ? (tu_rand(&seed) % 97 ? 'y' : '\n')
                                   : (tu_rand(&seed) % 2 ? 'z' : '\n');
            text[at++] = ch;
            ln += ch == '\n';
            c = ch == '\n' ? 1 : c + 1;
        }
        text[at++] = ' ';
        c++;
        line[k] = ln;
        col[k] = c;
        memcpy(text + at, "AKIA", 4);
        for (int i = 4; i < 20; i++)
            text[at + (size_t)i] = b32[tu_rand(&seed) % 32];
        at += 20;
        c += 20;
        text[at++] = ' ';
        c++;
    }
    assert_true(at < SIZE);
    text[at] = '\0';
    static const struct lp_rule *const tables[] = {rules};
    struct lp_secrets_engine *e;
    struct lp_secrets_scratch *s;
    char err[256];
    assert_int_equal(lp_secrets_engine_new(tables, 1, NULL, "k", 1, &e, err,
                                           sizeof err),
                     LP_OK);
    assert_int_equal(lp_secrets_scratch_new(e, &s), LP_OK);
    struct placed p = {.n = 0};
    assert_int_equal(lp_secrets_scan(e, s, text, at, keep_placed, &p), LP_OK);
    assert_int_equal(p.n, KEYS);
    for (size_t k = 0; k < KEYS; k++) {
        assert_int_equal(p.f[k].line, line[k]);
        assert_int_equal(p.f[k].column, col[k]);
    }
    lp_secrets_scratch_free(s);
    lp_secrets_engine_free(e);
    test_free(text);
}

static void test_bad_rule(void **state)
{
    (void)state;
    static const struct lp_rule bad[] = {
        {.id = "no-group", .hs = "abc", .pcre = "abc"},
        {.id = NULL},
    };
    static const struct lp_rule *const tables[] = {bad};
    struct lp_secrets_engine *e;
    char err[256];
    assert_int_equal(lp_secrets_engine_new(tables, 1, NULL, "k", 1, &e, err,
                                           sizeof err),
                     LP_EINVAL);
    assert_string_equal(err, "rule 'no-group': no group (?<secret>...)");
}

struct want_rule {
    uint32_t rule, line, column; /* where the value starts */
    bool hit;
};

/* The rule's finding, or another rule's of the same value (a specific
 * format and a generic one: the first rule wins). */
static int find_rule(void *ctx, const struct lp_secret_finding *f)
{
    struct want_rule *w = ctx;
    w->hit |= f->rule == w->rule ||
              (f->line == w->line && f->column == w->column);
    return 0;
}

/* Every built-in rule finds its own positive example through the engine
 * (rules of rules_*.c test their patterns alone), except the generic rules
 * whose example value the example-value filter drops, as it should. */
static void test_builtin_positives(void **state)
{
    (void)state;
    size_t n, missed = 0;
    const struct lp_rule *const *tables = lp_rules_tables(&n);
    struct lp_secrets_engine *e;
    struct lp_secrets_scratch *s;
    char err[256];
    assert_int_equal(lp_secrets_engine_new(tables, n, NULL, "k", 1, &e, err,
                                           sizeof err),
                     LP_OK);
    assert_true(lp_secrets_nrules(e) >= 150);
    assert_int_equal(lp_secrets_scratch_new(e, &s), LP_OK);
    for (uint32_t i = 0; i < lp_secrets_nrules(e); i++) {
        const struct lp_rule *r = lp_secrets_rule(e, i);
        struct want_rule w = {i, 1, 0, false};
        const char *at = strstr(r->positive, r->positive_value);
        for (const char *p = r->positive; at && p < at; p++) {
            w.column = *p == '\n' ? 0 : w.column + 1;
            w.line += *p == '\n';
        }
        w.column++;
        assert_int_equal(lp_secrets_scan(e, s, r->positive,
                                         strlen(r->positive), find_rule,
                                         &w),
                         LP_OK);
        if (!w.hit) {
            print_error("rule %s: its positive example is not found\n", r->id);
            missed++;
        }
    }
    assert_int_equal(missed, 0);
    lp_secrets_scratch_free(s);
    lp_secrets_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validators),
        cmocka_unit_test(test_known_public),
        cmocka_unit_test(test_checksum_veto),
        cmocka_unit_test(test_engine_and_cache),
        cmocka_unit_test(test_bad_rule),
        cmocka_unit_test(test_candidate_limit),
        cmocka_unit_test(test_count_newlines),
        cmocka_unit_test(test_lines_far_apart),
        cmocka_unit_test(test_builtin_positives),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
