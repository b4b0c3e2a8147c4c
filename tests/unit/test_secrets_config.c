/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of the secrets configuration (cmocka): a full file read into
 * exact rules, lists and domains; each kind of mistake refused with its
 * line; and the engine built from a configuration: custom rule found,
 * disabled rule silent, stop-word, allow regex and leakprint:allow
 * comments obeyed, the organisation's host names and e-mail addresses
 * found (but not its bare domain or www).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rules.h"
#include "secrets.h"
#include "secrets_config.h"

#include "banned.h"

static const char full[] =
    "version: 1\n"
    "domains: [Acme.COM, acme-corp.io]\n"
    "disable:\n"
    "  - password\n"
    "allow:\n"
    "  paths: ['*/testdata/*', '*.md']\n"
    "  regexes: ['^tok_TEST']\n"
    "  stopwords: notreal\n"
    "rules:\n"
    "  - id: acme-deploy-token\n"
    "    format: ACME deploy token\n"
    "    category: ci-cd\n"
    "    regex: 'tok_[A-Za-z0-9]{20}'\n"
    "    min_entropy: 3.5\n"
    "    min_length: 24\n"
    "    max_length: 24\n"
    "  - id: acme-db\n"
    "    regex: 'dbpw=(?<secret>[a-z0-9]{8,})'\n"
    "    caseless: true\n";

static struct lp_secrets_config *parse_ok(const char *text)
{
    struct lp_secrets_config *c = NULL;
    char err[256] = "";
    lp_err rc = lp_secrets_config_parse(text, strlen(text), "cfg.yml", &c,
                                        err, sizeof err);
    if (rc)
        print_error("%s\n", err);
    assert_int_equal(rc, LP_OK);
    return c;
}

static void test_parse_full(void **state)
{
    (void)state;
    struct lp_secrets_config *c = parse_ok(full);
    assert_int_equal(c->domains.n, 2);
    assert_string_equal(c->domains.v[0], "acme.com");
    assert_string_equal(c->domains.v[1], "acme-corp.io");
    assert_int_equal(c->disabled.n, 1);
    assert_string_equal(c->disabled.v[0], "password");
    assert_int_equal(c->allow_paths.n, 2);
    assert_string_equal(c->allow_paths.v[1], "*.md");
    assert_int_equal(c->allow_regexes.n, 1);
    assert_int_equal(c->stopwords.n, 1);
    assert_string_equal(c->stopwords.v[0], "notreal");
    assert_int_equal(c->nrules, 2);
    const struct lp_rule *r = &c->rules[0];
    assert_string_equal(r->id, "acme-deploy-token");
    assert_string_equal(r->format, "ACME deploy token");
    assert_string_equal(r->category, "ci-cd");
    assert_string_equal(r->hs, "tok_[A-Za-z0-9]{20}");
    assert_string_equal(r->pcre, "(?<secret>tok_[A-Za-z0-9]{20})");
    assert_true(r->min_entropy == 3.5);
    assert_int_equal(r->min_len, 24);
    assert_int_equal(r->max_len, 24);
    r = &c->rules[1];
    assert_string_equal(r->format, "acme-db");
    assert_string_equal(r->category, "custom");
    assert_string_equal(r->hs, "dbpw=(?:[a-z0-9]{8,})");
    assert_string_equal(r->pcre, "dbpw=(?<secret>[a-z0-9]{8,})");
    assert_int_equal(r->flags, LP_RULE_CASELESS);
    lp_secrets_config_free(c);
    /* An empty file configures nothing. */
    c = parse_ok("");
    assert_int_equal(c->nrules + c->domains.n + c->disabled.n, 0);
    lp_secrets_config_free(c);
}

static void test_parse_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *err;
    } cases[] = {
        {"rules: [\n", "'cfg.yml': line 2: did not find expected node content"},
        {"- a\n", "'cfg.yml': line 1: expected a mapping (rules, disable, "
                  "allow, domains)"},
        {"version: 2\n", "'cfg.yml': line 1: version: only 1 is known"},
        {"\nalow: {}\n", "'cfg.yml': line 2: unknown key 'alow' (version, "
                         "rules, disable, allow, domains)"},
        {"allow:\n  path: [a]\n", "'cfg.yml': line 2: allow: unknown key "
                                  "'path' (paths, regexes, stopwords)"},
        {"domains: [acme.com, 'bad domain']\n",
         "'cfg.yml': line 1: 'bad domain': not a domain name"},
        {"rules:\n  - id: x\n    regx: a\n",
         "'cfg.yml': line 3: rules: invalid key or value 'regx'"},
        {"rules:\n  - id: x\n    regex: a\n    min_entropy: 9\n",
         "'cfg.yml': line 4: rules: invalid key or value 'min_entropy'"},
        {"rules:\n  - regex: a\n",
         "'cfg.yml': line 2: rules: each rule needs an id of a-z, 0-9 and -_."},
        {"rules:\n  - id: x\n", "'cfg.yml': line 2: rule 'x' needs a regex"},
        {"rules:\n  - {id: x, regex: a}\n  - {id: x, regex: b}\n",
         "'cfg.yml': line 3: rule 'x' is defined twice"},
        {"disable: {a: b}\n",
         "'cfg.yml': line 1: 'disable': expected a list of strings"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct lp_secrets_config *c = NULL;
        char err[256] = "";
        assert_int_equal(lp_secrets_config_parse(cases[i].text,
                                                 strlen(cases[i].text),
                                                 "cfg.yml", &c, err,
                                                 sizeof err),
                         LP_EINVAL);
        assert_null(c);
        assert_string_equal(err, cases[i].err);
    }
}

/* The bounds of a configuration: its size and its entries. */
static void test_limits(void **state)
{
    (void)state;
    size_t big = LP_SECRETS_CONFIG_MAX_BYTES + 1;
    char *text = malloc(big + 1);
    assert_non_null(text);
    memset(text, '#', big);
    text[big] = '\0';
    struct lp_secrets_config *c = NULL;
    char err[256] = "";
    assert_int_equal(lp_secrets_config_parse(text, big, "cfg.yml", &c, err,
                                             sizeof err),
                     LP_ELIMIT);
    assert_null(c);
    assert_string_equal(err, "'cfg.yml': larger than 1 MB");
    /* 4,097 stop-words: one too many. */
    size_t n = 0;
    n += (size_t)snprintf(text + n, big - n, "allow:\n  stopwords:\n");
    for (int i = 0; i <= LP_SECRETS_CONFIG_MAX_ITEMS; i++)
        n += (size_t)snprintf(text + n, big - n, "    - w%d\n", i);
    assert_int_equal(lp_secrets_config_parse(text, n, "cfg.yml", &c, err,
                                             sizeof err),
                     LP_EINVAL);
    assert_string_equal(err, "'cfg.yml': line 4099: more than 4096 entries");
    free(text);
}

static void test_domains(void **state)
{
    (void)state;
    struct lp_secrets_config *c = lp_secrets_config_new();
    assert_int_equal(lp_secrets_config_add_domain(c, "Example.ORG"), LP_OK);
    assert_int_equal(lp_secrets_config_add_domain(c, "example.org"), LP_OK);
    assert_int_equal(c->domains.n, 1);
    assert_int_equal(lp_secrets_config_add_domain(c, ".example.org"), LP_EINVAL);
    assert_int_equal(lp_secrets_config_add_domain(c, "a..b"), LP_EINVAL);
    assert_int_equal(lp_secrets_config_add_domain(c, "-a.b"), LP_EINVAL);
    assert_int_equal(lp_secrets_config_add_domain(c, "a-.b"), LP_EINVAL);
    assert_int_equal(lp_secrets_config_add_domain(c, "a_b.c"), LP_EINVAL);
    assert_int_equal(lp_secrets_config_add_domain(c, "x"), LP_EINVAL);
    lp_secrets_config_free(c);
}

struct seen {
    char got[16][200];
    size_t n;
    const struct lp_secrets_engine *e;
};

static int collect(void *ctx, const struct lp_secret_finding *f)
{
    struct seen *s = ctx;
    if (s->n < 16)
        snprintf(s->got[s->n++], sizeof s->got[0], "%u %s %s", f->line,
                 lp_secrets_rule(s->e, f->rule)->id,
                 *f->value ? f->value : f->masked);
    return 0;
}

static void test_engine_with_config(void **state)
{
    (void)state;
    static const struct lp_rule builtin[] = {
        {.id = "password", .format = "password", .category = "password",
         .hs = "password=[^\\s]{6,}", .pcre = "password=(?<secret>[^\\s]{6,})",
         .flags = LP_RULE_GENERIC},
        {.id = "key", .format = "key", .category = "token",
         .hs = "key=[A-Za-z0-9]{12,}", .pcre = "key=(?<secret>[A-Za-z0-9]{12,})",
         .min_entropy = 3},
        {.id = NULL},
    };
    static const struct lp_rule *const tables[] = {builtin};
    struct lp_secrets_config *c = parse_ok(full);
    assert_int_equal(lp_secrets_config_domain_rules(c), LP_OK);
    assert_int_equal(c->nrules, 4);
    struct lp_secrets_setup su = {
        .tables = tables, .ntables = 1, .extra = c->rules,
        .nextra = c->nrules, .disabled = (const char *const *)c->disabled.v,
        .ndisabled = c->disabled.n,
        .allow_regexes = (const char *const *)c->allow_regexes.v,
        .nallow = c->allow_regexes.n,
        .stopwords = (const char *const *)c->stopwords.v,
        .nstop = c->stopwords.n, .key = "k", .klen = 1};
    struct lp_secrets_engine *e;
    char err[256] = "";
    assert_int_equal(lp_secrets_engine_build(&su, &e, err, sizeof err), LP_OK);
    assert_int_equal(lp_secrets_nrules(e), 5); /* "password" is off */
    struct lp_secrets_scratch *s;
    assert_int_equal(lp_secrets_scratch_new(e, &s), LP_OK);
    static const char text[] =
        "password=Qw7rT9zXp2\n"                     /* disabled */
        "deploy tok_a8Zk2Qm9Xw4Rt7Yp3Ls6 now\n"     /* 2: custom rule */
        "deploy tok_TESTa8Zk2Qm9Xw4Rt7Yp\n"         /* allow regex */
        "key=notrealA8zK2qM9xW\n"                   /* stop-word */
        "key=A8zK2qM9xW4rT7yP # leakprint:allow\n"  /* inline */
        "key=B8zK2qM9xW4rT7yQ\n"                    /* 6: found */
        "DBPW=s3cr3tpw9\n"                          /* 7: caseless custom */
        "mail ann@acme.com, ci01.build.acme-corp.io;\n" /* 8: both */
        "see www.acme.com and acme.com and acme.com.evil.net\n"; /* none */
    struct seen seen = {.e = e};
    assert_int_equal(lp_secrets_scan(e, s, text, sizeof text - 1, collect,
                                     &seen),
                     LP_OK);
    static const char *const want[] = {
        "2 acme-deploy-token tok_********",
        "6 key ********",
        "7 acme-db ********",
        "8 org-email ann@acme.com",
        "8 org-hostname ci01.build.acme-corp.io",
    };
    for (size_t i = 0; i < seen.n; i++)
        print_message("got: %s\n", seen.got[i]);
    assert_int_equal(seen.n, sizeof want / sizeof *want);
    for (size_t i = 0; i < seen.n; i++)
        assert_string_equal(seen.got[i], want[i]);
    /* leakprint:allow counts beside the value (1,024 bytes either way),
     * not anywhere on a long line. */
    char line[1200];
    static const char val[] = "key=C8zK2qM9xW4rT7yR";
    memcpy(line, val, sizeof val - 1);
    memset(line + sizeof val - 1, ' ', sizeof line - (sizeof val - 1));
    memcpy(line + sizeof line - 16, "leakprint:allow", 15);
    seen.n = 0;
    assert_int_equal(lp_secrets_scan(e, s, line, sizeof line - 1, collect,
                                     &seen),
                     LP_OK);
    assert_int_equal(seen.n, 1);
    assert_string_equal(seen.got[0], "1 key ********");
    memmove(line + 900, line + sizeof line - 16, 15);
    seen.n = 0;
    assert_int_equal(lp_secrets_scan(e, s, line, sizeof line - 1, collect,
                                     &seen),
                     LP_OK);
    assert_int_equal(seen.n, 0);
    lp_secrets_scratch_free(s);
    lp_secrets_engine_free(e);
    /* A disabled id that names no rule, and a custom rule taking a
     * built-in id, are refused. */
    static const char *const nope[] = {"nope"};
    su.disabled = nope;
    assert_int_equal(lp_secrets_engine_build(&su, &e, err, sizeof err),
                     LP_EINVAL);
    assert_string_equal(err, "disable: no rule 'nope' (see leakprint secrets "
                             "--list-rules)");
    su.ndisabled = 0;
    struct lp_rule twin = builtin[1];
    su.extra = &twin;
    su.nextra = 1;
    assert_int_equal(lp_secrets_engine_build(&su, &e, err, sizeof err),
                     LP_EINVAL);
    assert_string_equal(err, "rule 'key' is defined twice");
    lp_secrets_config_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_full),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_domains),
        cmocka_unit_test(test_engine_with_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
