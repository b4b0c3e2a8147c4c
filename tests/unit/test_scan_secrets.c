/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of scan_secrets.h, the secrets side of a scan: the engine and
 * rules set up without a registry (no configuration, or one from a YAML
 * file), the paths a configuration allows, and what finish does to the
 * findings: a secret of a git history reported once per path, the tally
 * of secrets and exposures, a baseline written (atomically) and read back
 * to leave out what it holds. Findings come from the engine itself, run on
 * the made-up values of the rule tables (their `positive` lines), or are
 * made by hand with made-up fingerprints; no expected text holds a value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mem.h"
#include "result.h"
#include "rules.h"
#include "scan_secrets.h"
#include "secrets.h"
#include "secrets_config.h"
#include "secrets_key.h"

#include "testutil.h"
#include "tu_schema.h"
#include "banned.h"

struct fixture {
    char dir[64];
    char why[512];
};

/* The engines' compiled databases, kept for the whole run (compiling the
 * built-in rules takes a second); test_setup_plain keeps none. */
static char cache[64];

static int group_setup(void **state)
{
    (void)state;
    tu_mkdtemp(cache, sizeof cache, "scansecrets-cache");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    tu_rmrf(cache);
    return 0;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    tu_mkdtemp(f->dir, sizeof f->dir, "scansecrets");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    tu_rmrf(f->dir);
    free(f);
    return 0;
}

/* ---- helpers ------------------------------------------------------------ */

static void write_text(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_int_equal(fputs(text, fp) >= 0, 1);
    assert_int_equal(fclose(fp), 0);
}

/* The whole file (caller frees), or NULL when it cannot be read. */
static char *read_text(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, len = 0, n;
    do {
        buf = realloc(buf, cap += 4096);
        assert_non_null(buf);
        n = fread(buf + len, 1, cap - len - 1, fp);
        len += n;
    } while (n);
    buf[len] = '\0';
    fclose(fp);
    return buf;
}

/* Names in dir, joined by ' ', sorted by readdir's order made stable. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *dir, char *buf, size_t n)
{
    char *names[64];
    size_t k = 0, used = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d)) && k < 64;)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            names[k++] = strdup(e->d_name);
    closedir(d);
    qsort(names, k, sizeof *names, cmp_str);
    buf[0] = '\0';
    for (size_t i = 0; i < k; i++) {
        used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? " " : "",
                                 names[i]);
        free(names[i]);
    }
}

/* Sets up ss and s without a registry: config and baseline may be NULL. */
static void setup_in(struct fixture *f, struct lp_scan_secrets *ss,
                     struct lp_scan **s, const char *config,
                     const char *baseline, const char *cache_dir)
{
    memset(ss, 0, sizeof *ss);
    *s = lp_result_new();
    assert_non_null(*s);
    f->why[0] = '\0';
    /* one user key for the test's runs, so that a baseline applies */
    char key[256];
    snprintf(key, sizeof key, "%s/user.key", cache);
    struct lp_scan_options o = {.secrets_config = config,
                                .baseline = baseline,
                                .cache_dir = cache_dir,
                                .user_key = key};
    lp_err e = lp_scan_secrets_setup(ss, *s, NULL, &o, f->why, sizeof f->why);
    if (e)
        print_error("%s\n", f->why);
    assert_int_equal(e, LP_OK);
}

static void setup_ok(struct fixture *f, struct lp_scan_secrets *ss,
                     struct lp_scan **s, const char *config,
                     const char *baseline)
{
    setup_in(f, ss, s, config, baseline, cache);
}

/* Index of rule `id` in the result (the engine's order). */
static uint32_t rule_index(const struct lp_scan *s, const char *id)
{
    for (size_t i = 0; i < s->nrules; i++)
        if (!strcmp(s->rules[i].id, id))
            return (uint32_t)i;
    fail_msg("no rule %s", id);
    return UINT32_MAX;
}

/* The built-in rule `id` (its made-up positive line is a fixture). */
static const struct lp_rule *builtin(const char *id)
{
    size_t n;
    const struct lp_rule *const *t = lp_rules_tables(&n);
    for (size_t i = 0; i < n; i++)
        for (const struct lp_rule *r = t[i]; r->id; r++)
            if (!strcmp(r->id, id))
                return r;
    fail_msg("no built-in rule %s", id);
    return NULL;
}

/* Appends a file result at `path` (has_commit: a blob of the history). */
static struct lp_file_result *add_file(struct lp_scan *s, const char *path,
                                       bool has_commit)
{
    s->files = lp_realloc(s->files, (s->nfiles + 1) * sizeof *s->files);
    assert_non_null(s->files);
    struct lp_file_result *r = &s->files[s->nfiles++];
    memset(r, 0, sizeof *r);
    r->path = lp_strdup(path);
    assert_non_null(r->path);
    r->has_commit = has_commit;
    if (has_commit) {
        memset(r->commit, 0x5a, sizeof r->commit);
        r->commit_time = 1700000000 + (int64_t)s->nfiles;
    }
    return r;
}

/* Adds a made-up finding: fp is a fake fingerprint (64 hex digits made of
 * `fpc`), value an exposure's value or "" for a secret. */
static void add_finding(struct lp_file_result *r, uint32_t rule, uint32_t line,
                        char fpc, const char *value)
{
    r->secrets =
        lp_realloc(r->secrets, (r->nsecrets + 1) * sizeof *r->secrets);
    assert_non_null(r->secrets);
    struct lp_secret_finding *x = &r->secrets[r->nsecrets++];
    memset(x, 0, sizeof *x);
    x->rule = rule;
    x->line = line;
    x->column = 1;
    x->lines = 1;
    x->entropy = 4;
    snprintf(x->masked, sizeof x->masked, "ab%c********", fpc);
    memset(x->fp, fpc, 64);
    x->fp[64] = '\0';
    snprintf(x->value, sizeof x->value, "%s", value);
}

struct collect {
    struct lp_file_result *r;
};

static int on_finding(void *ctx, const struct lp_secret_finding *x)
{
    struct collect *c = ctx;
    c->r->secrets = lp_realloc(c->r->secrets,
                               (c->r->nsecrets + 1) * sizeof *c->r->secrets);
    assert_non_null(c->r->secrets);
    c->r->secrets[c->r->nsecrets++] = *x;
    return 0;
}

/* Runs the engine of ss on text as the file at `path`. */
static struct lp_file_result *scan_text(const struct lp_scan_secrets *ss,
                                        struct lp_scan *s, const char *path,
                                        const char *text)
{
    struct lp_file_result *r = add_file(s, path, false);
    struct lp_secrets_scratch *sc = NULL;
    assert_int_equal(lp_secrets_scratch_new(ss->engine, &sc), LP_OK);
    struct collect c = {r};
    assert_int_equal(lp_secrets_scan(ss->engine, sc, text, strlen(text),
                                     on_finding, &c),
                     LP_OK);
    lp_secrets_scratch_free(sc);
    return r;
}

/* The findings of s as "path:line:rule" (fingerprint's first character
 * when made by hand), to compare with expected text. */
static void findings_text(const struct lp_scan *s, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < s->nfiles; i++)
        for (size_t k = 0; k < s->files[i].nsecrets; k++) {
            const struct lp_secret_finding *x = &s->files[i].secrets[k];
            used += (size_t)snprintf(buf + used, n - used, "%s%s:%u:%s:%c",
                                     used ? " " : "", s->files[i].path,
                                     x->line, s->rules[x->rule].id, x->fp[0]);
        }
}

/* ---- setup -------------------------------------------------------------- */

/* No configuration, no registry, no baseline: the built-in rules, in the
 * engine's order, copied into the result; nothing allowed by path. */
static void test_setup_plain(void **state)
{
    struct fixture *f = *state;
    struct lp_scan_secrets ss;
    struct lp_scan *s;
    setup_in(f, &ss, &s, NULL, NULL, NULL);
    assert_non_null(ss.engine);
    assert_non_null(ss.cfg);
    assert_null(ss.baseline);
    size_t n = lp_secrets_nrules(ss.engine);
    assert_true(n > 20);
    assert_int_equal(s->nrules, n);
    for (size_t i = 0; i < n; i++) {
        const struct lp_rule *r = lp_secrets_rule(ss.engine, (uint32_t)i);
        assert_string_equal(s->rules[i].id, r->id);
        assert_string_equal(s->rules[i].category, r->category);
        assert_int_equal(s->rules[i].flags, r->flags);
    }
    /* no domain, no rule of the organisation's hosts */
    for (size_t i = 0; i < n; i++)
        assert_string_not_equal(s->rules[i].id, "org-hostname");
    assert_true(s->rules[rule_index(s, "private-ipv4-10")].flags &
                LP_RULE_EXPOSURE);
    assert_false(lp_scan_secrets_path_allowed(&ss, "testdata/a.env"));
    assert_false(lp_scan_secrets_path_allowed(&ss, ""));
    lp_scan_secrets_release(&ss);
    lp_scan_secrets_release(&ss); /* zeroed: nothing left to free */
    lp_scan_free(s);
}

static const char config_yml[] =
    "version: 1\n"
    "domains: [acme-corp.io]\n"
    "disable: [postgres-url-password]\n"
    "allow:\n"
    "  paths: ['*/testdata/*', '*.md', 'fixtures/*.env']\n"
    "rules:\n"
    "  - id: acme-deploy-token\n"
    "    format: ACME deploy token\n"
    "    category: ci-cd\n"
    "    regex: 'acmetok_[A-Za-z0-9]{24}'\n";

/* A configuration: its rule and its domains' rules are in the result, the
 * disabled rule is not, and its paths are allowed: the whole path or any
 * tail of it after a '/' or an archive's '!'. */
static void test_setup_config(void **state)
{
    struct fixture *f = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/secrets.yml", f->dir);
    write_text(path, config_yml);
    struct lp_scan_secrets ss;
    struct lp_scan *s;
    setup_ok(f, &ss, &s, path, NULL);
    size_t n = lp_secrets_nrules(ss.engine);
    assert_int_equal(s->nrules, n);
    assert_string_equal(s->rules[rule_index(s, "acme-deploy-token")].format,
                        "ACME deploy token");
    assert_true(s->rules[rule_index(s, "org-hostname")].flags &
                LP_RULE_EXPOSURE);
    rule_index(s, "org-email");
    for (size_t i = 0; i < n; i++)
        assert_string_not_equal(s->rules[i].id, "postgres-url-password");

    const struct {
        const char *path;
        bool allowed;
    } cases[] = {
        {"repo/testdata/x.env", true},
        {"a/b/testdata/c/d.env", true},
        {"testdata/x.env", false}, /* '*' + '/' needs a directory before */
        {"README.md", true},
        {"docs/guide.md", true},
        {"docs/guide.md.bak", false},
        {"fixtures/prod.env", true},
        {"app/fixtures/prod.env", true},     /* a tail after '/' */
        {"dump.zip!fixtures/prod.env", true}, /* a tail after '!' */
        {"dump.zip!fixtures/sub/prod.env", true}, /* fnmatch: '*' spans '/' */
        {"myfixtures/prod.env", false},
        {"src/main.c", false},
        {"", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        print_message("%s\n", cases[i].path);
        assert_int_equal(lp_scan_secrets_path_allowed(&ss, cases[i].path),
                         cases[i].allowed);
    }
    lp_scan_secrets_release(&ss);
    lp_scan_free(s);
}

/* A configuration that cannot be read or understood fails setup with a
 * one-line reason naming the file. */
static void test_setup_bad_config(void **state)
{
    struct fixture *f = *state;
    char path[128], want[256];
    snprintf(path, sizeof path, "%s/bad.yml", f->dir);
    write_text(path, "version: 1\nallow:\n  pathz: ['*.md']\n");
    struct lp_scan_secrets ss;
    memset(&ss, 0, sizeof ss);
    struct lp_scan *s = lp_result_new();
    assert_non_null(s);
    struct lp_scan_options o = {.secrets_config = path};
    lp_err e = lp_scan_secrets_setup(&ss, s, NULL, &o, f->why, sizeof f->why);
    assert_int_equal(e, LP_EINVAL);
    snprintf(want, sizeof want, "'%s': line 3", path);
    assert_memory_equal(f->why, want, strlen(want));
    assert_null(strchr(f->why, '\n'));
    assert_int_equal(s->nrules, 0);
    lp_scan_secrets_release(&ss);

    snprintf(path, sizeof path, "%s/missing.yml", f->dir);
    memset(&ss, 0, sizeof ss);
    e = lp_scan_secrets_setup(&ss, s, NULL, &o, f->why, sizeof f->why);
    assert_int_not_equal(e, LP_OK);
    snprintf(want, sizeof want, "'%s'", path);
    assert_memory_equal(f->why, want, strlen(want));
    lp_scan_secrets_release(&ss);
    lp_scan_free(s);
}

/* ---- finish: history repeats and the tally ------------------------------ */

/* With the history read, a secret is reported once per path: in the
 * current file when it still holds it, else in the first blob of the
 * history that does; a secret twice in one file stays twice; another path
 * is another place. Exposures likewise, by value. */
static void test_history_repeats(void **state)
{
    struct fixture *f = *state;
    struct lp_scan_secrets ss;
    struct lp_scan *s;
    setup_ok(f, &ss, &s, NULL, NULL);
    uint32_t aws = rule_index(s, "aws-access-key-id");
    uint32_t ip = rule_index(s, "private-ipv4-10");
    struct lp_file_result *r = add_file(s, "app/.env", false);
    add_finding(r, aws, 3, 'a', "");
    r = add_file(s, "app/.env", true); /* an older blob */
    add_finding(r, aws, 3, 'a', "");   /* the same: dropped */
    add_finding(r, aws, 8, 'b', "");   /* removed since: kept */
    add_finding(r, aws, 9, 'b', "");   /* twice in this blob: kept */
    add_finding(r, ip, 10, 'e', "10.1.2.3");
    r = add_file(s, "app/.env", true); /* an even older blob */
    add_finding(r, aws, 2, 'b', "");   /* reported above: dropped */
    add_finding(r, aws, 4, 'c', "");   /* only here: kept */
    add_finding(r, ip, 10, 'e', "10.1.2.3"); /* dropped */
    add_finding(r, ip, 11, 'e', "10.9.9.9"); /* another value: kept */
    r = add_file(s, "lib/.env", true); /* another path */
    add_finding(r, aws, 1, 'a', "");
    assert_int_equal(lp_scan_secrets_finish(&ss, s, NULL, NULL, f->why,
                                            sizeof f->why),
                     LP_OK);
    char got[1024];
    findings_text(s, got, sizeof got);
    assert_string_equal(got,
                        "app/.env:3:aws-access-key-id:a "
                        "app/.env:8:aws-access-key-id:b "
                        "app/.env:9:aws-access-key-id:b "
                        "app/.env:10:private-ipv4-10:e "
                        "app/.env:4:aws-access-key-id:c "
                        "app/.env:11:private-ipv4-10:e "
                        "lib/.env:1:aws-access-key-id:a");
    assert_int_equal(s->nsecrets, 5);
    assert_int_equal(s->nexposures, 2);
    assert_int_equal(s->nbaselined, 0);
    assert_false(s->linked);
    lp_scan_secrets_release(&ss);
    lp_scan_free(s);
}

/* Without a history, files of one path (a tree scanned twice) keep all
 * their findings. */
static void test_no_history(void **state)
{
    struct fixture *f = *state;
    struct lp_scan_secrets ss;
    struct lp_scan *s;
    setup_ok(f, &ss, &s, NULL, NULL);
    uint32_t aws = rule_index(s, "aws-access-key-id");
    add_finding(add_file(s, "a/.env", false), aws, 1, 'a', "");
    add_finding(add_file(s, "a/.env", false), aws, 1, 'a', "");
    assert_int_equal(lp_scan_secrets_finish(&ss, s, NULL, NULL, f->why,
                                            sizeof f->why),
                     LP_OK);
    assert_int_equal(s->files[0].nsecrets, 1);
    assert_int_equal(s->files[1].nsecrets, 1);
    assert_int_equal(s->nsecrets, 2);
    assert_int_equal(s->nexposures, 0);
    lp_scan_secrets_release(&ss);
    lp_scan_free(s);
}

/* The engine's own findings on the rule tables' made-up values: the tally
 * counts the secret and the exposure apart, and the result holds the
 * masked value and a fingerprint, never the value. */
static void test_engine_tally(void **state)
{
    struct fixture *f = *state;
    struct lp_scan_secrets ss;
    struct lp_scan *s;
    setup_ok(f, &ss, &s, NULL, NULL);
    const struct lp_rule *aws = builtin("aws-access-key-id");
    const struct lp_rule *ip = builtin("private-ipv4-10");
    char text[512];
    snprintf(text, sizeof text, "# settings\n%s\n%s", aws->positive,
             ip->positive);
    struct lp_file_result *r = scan_text(&ss, s, "deploy/.env", text);
    assert_int_equal(lp_scan_secrets_finish(&ss, s, NULL, NULL, f->why,
                                            sizeof f->why),
                     LP_OK);
    assert_int_equal(r->nsecrets, 2);
    assert_int_equal(s->nsecrets, 1);
    assert_int_equal(s->nexposures, 1);
    const struct lp_secret_finding *x = &r->secrets[0];
    assert_string_equal(s->rules[x->rule].id, "aws-access-key-id");
    assert_int_equal(x->line, 2);
    assert_int_equal(strlen(x->fp), 64);
    assert_string_equal(x->value, "");
    assert_null(strstr(x->masked, aws->positive_value));
    assert_int_equal(strncmp(x->masked, aws->positive_value, 4), 0);
    x = &r->secrets[1];
    assert_string_equal(s->rules[x->rule].id, "private-ipv4-10");
    assert_string_equal(x->value, ip->positive_value); /* not a secret */
    lp_scan_secrets_release(&ss);
    lp_scan_free(s);
}

/* ---- finish: baselines -------------------------------------------------- */

/* write_to gets the run's JSON report, every finding in it (a baseline
 * given is applied after), written through a temporary file that is gone
 * after; read back as the baseline of a second run, it leaves out the
 * findings it holds (secrets by fingerprint, exposures by value) and
 * counts them, and keeps the new ones. */
static void test_baseline(void **state)
{
    struct fixture *f = *state;
    char base[128], names[512];
    snprintf(base, sizeof base, "%s/baseline.json", f->dir);
    const struct lp_rule *aws = builtin("aws-access-key-id");
    const struct lp_rule *ip = builtin("private-ipv4-10");
    char text[512];
    snprintf(text, sizeof text, "%s\n%s\n", aws->positive, ip->positive);

    /* first run: writes the baseline */
    struct lp_scan_secrets ss;
    struct lp_scan *s;
    setup_ok(f, &ss, &s, NULL, NULL);
    scan_text(&ss, s, "app/.env", text);
    add_finding(add_file(s, "old/.env", true), rule_index(s, "postgres-url-password"), 5,
                'c', "");
    assert_int_equal(lp_scan_secrets_finish(&ss, s, NULL, base, f->why,
                                            sizeof f->why),
                     LP_OK);
    assert_int_equal(s->nsecrets, 2);
    assert_int_equal(s->nexposures, 1);
    assert_int_equal(s->nbaselined, 0);
    list_dir(f->dir, names, sizeof names);
    assert_string_equal(names, "baseline.json"); /* no .tmp left */
    char *json = read_text(base);
    assert_non_null(json);
    assert_true(tu_schema_valid("secrets.schema.json", json));
    assert_null(strstr(json, aws->positive_value));
    assert_non_null(strstr(json, s->files[0].secrets[0].fp));
    assert_non_null(strstr(json, s->files[0].secrets[0].masked));
    assert_non_null(strstr(json, "\"value\": \"10.20.30.40\""));
    free(json);
    lp_scan_secrets_release(&ss);
    lp_scan_free(s);

    /* second run with it: the same findings and a new one in each kind */
    setup_ok(f, &ss, &s, NULL, base);
    assert_non_null(ss.baseline);
    scan_text(&ss, s, "moved/.env", text); /* the same values elsewhere */
    uint32_t ipr = rule_index(s, "private-ipv4-10");
    struct lp_file_result *r = add_file(s, "new/.env", false);
    add_finding(r, rule_index(s, "aws-access-key-id"), 1, 'd', "");
    add_finding(r, ipr, 2, '0', "10.99.0.1");
    add_finding(add_file(s, "old/.env", true), rule_index(s, "postgres-url-password"), 5,
                'c', "");
    assert_int_equal(lp_scan_secrets_finish(&ss, s, NULL, NULL, f->why,
                                            sizeof f->why),
                     LP_OK);
    char got[512];
    findings_text(s, got, sizeof got);
    assert_string_equal(got, "new/.env:1:aws-access-key-id:d "
                             "new/.env:2:private-ipv4-10:0");
    assert_int_equal(s->nbaselined, 3);
    assert_int_equal(s->nsecrets, 1);
    assert_int_equal(s->nexposures, 1);
    assert_int_equal(s->files[0].nsecrets, 0);
    assert_int_equal(s->files[2].nsecrets, 0);

    /* written again while a baseline is applied: the report written holds
     * every finding of the run, the baselined ones too */
    lp_scan_free(s);
    s = lp_result_new();
    assert_non_null(s);
    assert_int_equal(lp_result_rules(s, ss.engine), LP_OK);
    scan_text(&ss, s, "moved/.env", text);
    char again[128];
    snprintf(again, sizeof again, "%s/again.json", f->dir);
    assert_int_equal(lp_scan_secrets_finish(&ss, s, NULL, again, f->why,
                                            sizeof f->why),
                     LP_OK);
    assert_int_equal(s->nbaselined, 2);
    json = read_text(again);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"secrets\": 1,"));
    assert_non_null(strstr(json, "\"value\": \"10.20.30.40\""));
    free(json);
    list_dir(f->dir, names, sizeof names);
    assert_string_equal(names, "again.json baseline.json");
    lp_scan_secrets_release(&ss);
    lp_scan_free(s);
}

/* A baseline that cannot be written fails finish with LP_EIO and a reason
 * naming it, and leaves no temporary file; one that cannot be read fails
 * setup. */
static void test_baseline_errors(void **state)
{
    struct fixture *f = *state;
    char path[128], names[256];
    struct lp_scan_secrets ss;
    struct lp_scan *s;
    setup_ok(f, &ss, &s, NULL, NULL);
    add_finding(add_file(s, "a/.env", false),
                rule_index(s, "aws-access-key-id"), 1, 'a', "");
    /* a directory in the way of the rename */
    snprintf(path, sizeof path, "%s/taken", f->dir);
    assert_int_equal(mkdir(path, 0700), 0);
    lp_err e = lp_scan_secrets_finish(&ss, s, NULL, path, f->why,
                                      sizeof f->why);
    assert_int_equal(e, LP_EIO);
    char want[256];
    snprintf(want, sizeof want, "'%s': cannot write the baseline", path);
    assert_string_equal(f->why, want);
    list_dir(f->dir, names, sizeof names);
    assert_string_equal(names, "taken");
    /* a directory that does not exist */
    snprintf(path, sizeof path, "%s/no/such/base.json", f->dir);
    e = lp_scan_secrets_finish(&ss, s, NULL, path, f->why, sizeof f->why);
    assert_int_equal(e, LP_EIO);
    assert_memory_equal(f->why, "'", 1);
    assert_non_null(strstr(f->why, "/no/such/base.json."));
    lp_scan_secrets_release(&ss);
    lp_scan_free(s);

    /* a baseline that is not a report of leakprint secrets */
    snprintf(path, sizeof path, "%s/other.json", f->dir);
    write_text(path, "{\"files\": []}\n");
    memset(&ss, 0, sizeof ss);
    s = lp_result_new();
    assert_non_null(s);
    struct lp_scan_options ob = {.baseline = path};
    e = lp_scan_secrets_setup(&ss, s, NULL, &ob, f->why, sizeof f->why);
    assert_int_not_equal(e, LP_OK);
    snprintf(want, sizeof want, "'%s': not a JSON report of leakprint secrets",
             path);
    assert_string_equal(f->why, want);
    lp_scan_secrets_release(&ss);
    lp_scan_free(s);
}

/* Scans on one registry handle share the engine and configuration while
 * its generation stays: not with a configuration of their own; each scan
 * keeps the same rules and key id; the last release frees them. */
static void test_setup_shared(void **state)
{
    struct fixture *f = *state;
    char dir[128];
    snprintf(dir, sizeof dir, "%s/reg", f->dir);
    lp_registry *reg = NULL;
    assert_int_equal(lp_registry_open(dir, LP_REGISTRY_WRITE |
                                               LP_REGISTRY_CREATE, &reg),
                     LP_OK);
    unsigned char key[LP_KEY_LEN];
    assert_int_equal(lp_scan_secrets_registry_key(reg, true, key, f->why,
                                                  sizeof f->why),
                     LP_OK);
    struct lp_scan_options o = {.cache_dir = cache};
    struct lp_scan_secrets a = {0}, b = {0}, c = {0};
    struct lp_scan *sa = lp_result_new(), *sb = lp_result_new(),
                   *sc = lp_result_new();
    assert_int_equal(lp_scan_secrets_setup(&a, sa, reg, &o, f->why,
                                           sizeof f->why), LP_OK);
    assert_non_null(a.shared);
    assert_int_equal(lp_scan_secrets_setup(&b, sb, reg, &o, f->why,
                                           sizeof f->why), LP_OK);
    assert_ptr_equal(b.shared, a.shared);
    assert_ptr_equal(b.engine, a.engine);
    assert_ptr_equal(b.cfg, a.cfg);
    assert_int_equal(sb->key_source, LP_KEY_REGISTRY);
    assert_string_equal(sb->key_id, sa->key_id);
    assert_int_equal(sb->nrules, sa->nrules);
    /* a configuration of its own: an engine of its own */
    char conf[160];
    snprintf(conf, sizeof conf, "%s/c.yml", f->dir);
    FILE *fp = fopen(conf, "w");
    assert_non_null(fp);
    fputs("version: 1\n", fp);
    fclose(fp);
    o.secrets_config = conf;
    assert_int_equal(lp_scan_secrets_setup(&c, sc, reg, &o, f->why,
                                           sizeof f->why), LP_OK);
    assert_null(c.shared);
    assert_ptr_not_equal(c.engine, a.engine);
    lp_scan_secrets_release(&a);
    lp_scan_secrets_release(&c);
    lp_registry_close(reg); /* b still holds the shared one */
    assert_int_equal(lp_secrets_nrules(b.engine), sb->nrules);
    lp_scan_secrets_release(&b);
    lp_scan_free(sa);
    lp_scan_free(sb);
    lp_scan_free(sc);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_setup_plain),     T(test_setup_config),
        T(test_setup_bad_config), T(test_history_repeats),
        T(test_no_history),      T(test_engine_tally),
        T(test_baseline),        T(test_baseline_errors),
        T(test_setup_shared),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
