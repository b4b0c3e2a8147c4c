/* SPDX-License-Identifier: Apache-2.0
 *
 * scan_secrets: what a scan for secrets needs beside the engine: the
 * organisation's configuration (its rules, what it allows, its domains),
 * the baseline of findings already known, and the tally of what was found.
 */
#include "scan_secrets.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "limits.h"
#include "mem.h"
#include "report.h"
#include "rules.h"
#include "secrets.h"
#include "secrets_baseline.h"
#include "secrets_config.h"
#include "banned.h"

/* Where the compiled rules are kept: $XDG_CACHE_HOME/leakprint, else
 * ~/.cache/leakprint (made when missing); "" for none. */
static void cache_dir(char *dir, size_t len)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    *dir = '\0';
    if (xdg && *xdg)
        snprintf(dir, len, "%s/leakprint", xdg);
    else if (home && *home)
        snprintf(dir, len, "%s/.cache/leakprint", home);
    if (*dir) { /* the parent may not exist yet */
        char parent[4096];
        snprintf(parent, sizeof parent, "%.*s", (int)(strrchr(dir, '/') - dir),
                 dir);
        mkdir(parent, 0700);
    }
}

lp_err lp_scan_secrets_setup(struct lp_scan *s, const char *config,
                             const char *baseline, char *why, size_t whylen)
{
    lp_err err = config ? lp_secrets_config_load(config, &s->cfg, why, whylen)
                        : (s->cfg = lp_secrets_config_new()) ? LP_OK
                                                             : LP_ENOMEM;
    if (!err)
        err = lp_secrets_config_domain_rules(s->cfg);
    if (!err && baseline)
        err = lp_baseline_load(baseline, &s->baseline, why, whylen);
    if (err)
        return err;
    char dir[4096];
    cache_dir(dir, sizeof dir);
    size_t n;
    const struct lp_secrets_config *c = s->cfg;
    /* Fingerprints are keyed so that a list of them tells nothing of the
     * values; the key is fixed so that runs can be compared. */
    static const char key[] = "leakprint secrets v1";
    struct lp_secrets_setup su = {
        .tables = lp_rules_tables(&n),
        .extra = c->rules,
        .nextra = c->nrules,
        .disabled = (const char *const *)c->disabled.v,
        .ndisabled = c->disabled.n,
        .allow_regexes = (const char *const *)c->allow_regexes.v,
        .nallow = c->allow_regexes.n,
        .stopwords = (const char *const *)c->stopwords.v,
        .nstop = c->stopwords.n,
        .cache_dir = *dir ? dir : NULL,
        .key = key,
        .klen = sizeof key - 1,
    };
    su.ntables = n;
    char msg[512] = "";
    err = lp_secrets_engine_build(&su, &s->engine, msg, sizeof msg);
    if (err && config)
        lp_errf(why, whylen, err, "'%s': %s", config, msg);
    else if (err)
        lp_errf(why, whylen, err, "secrets: %s", msg);
    return err;
}

/* fnmatch(3) of the pattern against the whole path or any tail of it that
 * starts a directory or an archive member: the pattern testdata/ + star
 * allows "repo/testdata/x.env" and "dump.zip!testdata/y". */
bool lp_scan_secrets_path_allowed(const struct lp_scan *s, const char *path)
{
    if (!s->cfg || !s->cfg->allow_paths.n)
        return false;
    for (size_t i = 0; i < s->cfg->allow_paths.n; i++) {
        const char *pat = s->cfg->allow_paths.v[i];
        for (const char *p = path; p;) {
            if (fnmatch(pat, p, 0) == 0)
                return true;
            p = strpbrk(p, "/!");
            p = p ? p + 1 : NULL;
        }
    }
    return false;
}

static void tally(struct lp_scan *s)
{
    s->nsecrets = s->nexposures = 0;
    for (size_t i = 0; i < s->nfiles; i++)
        for (size_t k = 0; k < s->files[i].nsecrets; k++) {
            const struct lp_rule *r =
                lp_secrets_rule(s->engine, s->files[i].secrets[k].rule);
            if (r->flags & LP_RULE_EXPOSURE)
                s->nexposures++;
            else
                s->nsecrets++;
        }
}

/* Writes the report to path through a temporary file, so that a baseline
 * is never left half written. */
static lp_err write_baseline(const struct lp_scan *s, const char *path,
                             char *why, size_t whylen)
{
    char tmp[LP_MAX_PATH + 32];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path,
                         (long)getpid()) >= sizeof tmp)
        return lp_errf(why, whylen, LP_EINVAL, "'%s': path too long", path);
    FILE *fp = fopen(tmp, "w");
    if (!fp)
        return lp_errf(why, whylen, LP_EIO, "'%s': %s", tmp, strerror(errno));
    lp_err err = lp_report_secrets_json(s, 0, fp);
    if (fclose(fp) != 0 && !err)
        err = LP_EIO;
    if (!err && rename(tmp, path) != 0)
        err = LP_EIO;
    if (err) {
        unlink(tmp);
        return lp_errf(why, whylen, err, "'%s': cannot write the baseline",
                       path);
    }
    return LP_OK;
}

static bool baselined(const struct lp_scan *s,
                      const struct lp_secret_finding *f)
{
    const struct lp_rule *r = lp_secrets_rule(s->engine, f->rule);
    return lp_baseline_has(s->baseline, r->id,
                           r->flags & LP_RULE_EXPOSURE ? f->value : f->fp);
}

lp_err lp_scan_secrets_finish(struct lp_scan *s, const char *write_to,
                              char *why, size_t whylen)
{
    tally(s);
    if (write_to) {
        lp_err err = write_baseline(s, write_to, why, whylen);
        if (err)
            return err;
    }
    if (!s->baseline)
        return LP_OK;
    for (size_t i = 0; i < s->nfiles; i++) {
        struct lp_file_result *r = &s->files[i];
        size_t kept = 0;
        for (size_t k = 0; k < r->nsecrets; k++) {
            if (baselined(s, &r->secrets[k]))
                s->nbaselined++;
            else
                r->secrets[kept++] = r->secrets[k];
        }
        r->nsecrets = kept;
    }
    tally(s);
    return LP_OK;
}

void lp_scan_secrets_release(struct lp_scan *s)
{
    lp_secrets_engine_free(s->engine);
    lp_secrets_config_free(s->cfg);
    lp_baseline_free(s->baseline);
    s->engine = NULL;
    s->cfg = NULL;
    s->baseline = NULL;
}

static bool listed_off(const struct lp_secrets_config *c, const char *id)
{
    for (size_t i = 0; i < c->disabled.n; i++)
        if (!strcmp(c->disabled.v[i], id))
            return true;
    return false;
}

lp_err lp_secrets_list_rules(const char *config,
                             void (*fn)(void *ctx, const char *id,
                                        const char *category,
                                        const char *format),
                             void *ctx, char *err, size_t errlen)
{
    struct lp_secrets_config *c = NULL;
    lp_err rc = config ? lp_secrets_config_load(config, &c, err, errlen)
                       : (c = lp_secrets_config_new()) ? LP_OK : LP_ENOMEM;
    if (!rc)
        rc = lp_secrets_config_domain_rules(c);
    if (rc) {
        lp_secrets_config_free(c);
        return rc;
    }
    size_t n;
    const struct lp_rule *const *t = lp_rules_tables(&n);
    for (size_t i = 0; i < n; i++)
        for (const struct lp_rule *r = t[i]; r->id; r++)
            if (!listed_off(c, r->id))
                fn(ctx, r->id, r->category, r->format);
    for (size_t i = 0; i < c->nrules; i++)
        if (!listed_off(c, c->rules[i].id))
            fn(ctx, c->rules[i].id, c->rules[i].category, c->rules[i].format);
    lp_secrets_config_free(c);
    return LP_OK;
}
