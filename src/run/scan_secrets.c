/* SPDX-License-Identifier: Apache-2.0
 *
 * scan_secrets: what a scan for secrets needs beside the engine: the
 * organisation's configuration (its rules, what it allows, its domains),
 * the baseline of findings already known, and the tally of what was found.
 */
#include "scan_secrets.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "limits.h"
#include "meta.h"
#include "registry.h"
#include "mem.h"
#include "report.h"
#include "rules.h"
#include "secrets.h"
#include "secrets_baseline.h"
#include "secrets_config.h"
#include "secrets_key.h"
#include "banned.h"

lp_err lp_secrets_engine_for(const struct lp_secrets_config *c,
                             const char *cache_dir, const unsigned char *key,
                             struct lp_secrets_engine **out, char *why,
                             size_t whylen)
{
    size_t n;
    /* Fingerprints are keyed so that a list of them tells nothing of the
     * values to whoever lacks the key (docs/SECRETS.md). */
    struct lp_secrets_setup su = {
        .tables = lp_rules_tables(&n),
        .cache_dir = cache_dir,
        .key = key,
        .klen = LP_KEY_LEN,
    };
    su.ntables = n;
    if (c) {
        su.extra = c->rules;
        su.nextra = c->nrules;
        su.nown = c->nown;
        su.disabled = (const char *const *)c->disabled.v;
        su.ndisabled = c->disabled.n;
        su.allow_regexes = (const char *const *)c->allow_regexes.v;
        su.nallow = c->allow_regexes.n;
        su.stopwords = (const char *const *)c->stopwords.v;
        su.nstop = c->stopwords.n;
    }
    return lp_secrets_engine_build(&su, out, why, whylen);
}

struct learnt {
    struct lp_secrets_config *cfg;
    lp_err err;
};

static int learnt_domain(void *ctx, const char *domain)
{
    struct learnt *l = ctx;
    /* A learnt domain that is not a valid name is dropped, as it came. */
    l->err = lp_secrets_config_add_domain(l->cfg, domain);
    if (l->err == LP_EINVAL)
        l->err = LP_OK;
    return l->err != LP_OK;
}

lp_err lp_scan_secrets_registry_key(lp_registry *reg, bool create,
                                    unsigned char *key, char *why,
                                    size_t whylen)
{
    char *path = lp_path_join(lp_registry_path(reg), LP_KEY_FILE);
    if (!path)
        return lp_errf(why, whylen, LP_ENOMEM, "secrets: out of memory");
    lp_err err = create ? lp_secrets_key_get(path, key, NULL, why, whylen)
                        : lp_secrets_key_read(path, key, why, whylen);
    lp_free(path);
    return err;
}

lp_err lp_scan_secrets_given_key(lp_registry *reg, const char *path,
                                 unsigned char *key, char *why, size_t whylen)
{
    unsigned char own[LP_KEY_LEN];
    lp_err err = lp_secrets_key_read(path, key, why, whylen);
    lp_err mine = err || !reg ? LP_ENOTFOUND
                              : lp_scan_secrets_registry_key(reg, false, own,
                                                             why, whylen);
    if (!err && mine != LP_OK && mine != LP_ENOTFOUND)
        err = mine; /* there, but unreadable */
    if (!err && mine == LP_OK && CRYPTO_memcmp(own, key, LP_KEY_LEN) != 0) {
        char a[LP_KEY_ID_LEN + 1], b[LP_KEY_ID_LEN + 1];
        lp_secrets_key_id(key, a);
        lp_secrets_key_id(own, b);
        err = lp_errf(why, whylen, LP_EINVAL,
                      "'%s': fingerprint key %s is not the registry's (%s)",
                      path, a, b);
    }
    OPENSSL_cleanse(own, sizeof own);
    if (err)
        OPENSSL_cleanse(key, LP_KEY_LEN);
    return err;
}

/* The key of the run's fingerprints into key, its id and source into s:
 * the one given, else the registry's, else the user's, else a random one.
 * A key given must be the registry's when the registry has one, or no
 * secret would ever be found known. */
static lp_err run_key(struct lp_scan *s, lp_registry *reg,
                      const struct lp_scan_options *o, unsigned char *key,
                      char *why, size_t whylen)
{
    lp_err err = LP_ENOTFOUND;
    if (o->fingerprint_key) {
        s->key_source = LP_KEY_GIVEN;
        err = lp_scan_secrets_given_key(reg, o->fingerprint_key, key, why,
                                        whylen);
    } else if (reg &&
               (err = lp_scan_secrets_registry_key(reg, false, key, why,
                                                   whylen)) != LP_ENOTFOUND) {
        /* there, but unreadable: an error, never a silent other key */
        s->key_source = LP_KEY_REGISTRY;
    } else if (o->user_key) {
        s->key_source = LP_KEY_USER;
        err = lp_secrets_key_get(o->user_key, key, NULL, why, whylen);
    } else {
        s->key_source = LP_KEY_RUN;
        if ((err = lp_secrets_key_random(key)) != LP_OK)
            lp_errf(why, whylen, err, "secrets: no random bytes for a key");
    }
    if (!err)
        lp_secrets_key_id(key, s->key_id);
    return err;
}

/* The engine and configuration scans on one registry handle share while
 * its generation stays (lp_registry_keep()): building them is most of
 * the cost of a scan of a small file (a paste that watch takes in). */
struct shared_secrets {
    atomic_int refs;
    struct lp_secrets_engine *engine;
    struct lp_secrets_config *cfg;
    char key_id[17];
};

static void *shared_take(void *v)
{
    struct shared_secrets *sh = v;
    atomic_fetch_add(&sh->refs, 1);
    return sh;
}

static void shared_drop(void *v)
{
    struct shared_secrets *sh = v;
    if (atomic_fetch_sub(&sh->refs, 1) != 1)
        return;
    lp_secrets_engine_free(sh->engine);
    lp_secrets_config_free(sh->cfg);
    free(sh);
}

/* ss and s from the setup kept with the handle, when there is one. */
static bool use_shared(struct lp_scan_secrets *ss, struct lp_scan *s,
                       lp_registry *reg)
{
    struct shared_secrets *sh = lp_registry_kept(reg, shared_take);
    if (!sh)
        return false;
    ss->shared = sh;
    ss->engine = sh->engine;
    ss->cfg = sh->cfg;
    s->key_source = LP_KEY_REGISTRY;
    memcpy(s->key_id, sh->key_id, sizeof s->key_id);
    return true;
}

/* Keeps ss's engine and configuration with the handle, for the next
 * scans; nothing is lost when memory lacks (they are built again). */
static void keep_shared(struct lp_scan_secrets *ss, const struct lp_scan *s,
                        lp_registry *reg)
{
    struct shared_secrets *sh = calloc(1, sizeof *sh);
    if (!sh)
        return;
    atomic_init(&sh->refs, 2); /* the handle's and this scan's */
    sh->engine = ss->engine;
    sh->cfg = ss->cfg;
    memcpy(sh->key_id, s->key_id, sizeof sh->key_id);
    ss->shared = sh;
    lp_registry_keep(reg, sh, shared_drop);
}

lp_err lp_scan_secrets_setup(struct lp_scan_secrets *ss, struct lp_scan *s,
                             lp_registry *reg, const struct lp_scan_options *o,
                             char *why, size_t whylen)
{
    /* Shared when nothing of this scan's own is in it: no configuration,
     * no baseline, the registry's own key. */
    bool shareable = reg && !o->secrets_config && !o->baseline &&
                     !o->fingerprint_key;
    if (shareable && use_shared(ss, s, reg)) {
        lp_err e = lp_result_rules(s, ss->engine);
        if (e)
            lp_errf(why, whylen, e, "secrets: out of memory");
        return e;
    }
    unsigned char key[LP_KEY_LEN];
    const char *config = o->secrets_config;
    lp_err err = config ? lp_secrets_config_load(config, &ss->cfg, why, whylen)
                        : (ss->cfg = lp_secrets_config_new()) ? LP_OK
                                                              : LP_ENOMEM;
    struct learnt l = {ss->cfg, LP_OK};
    if (!err && reg &&
        (err = lp_meta_org_domains(lp_registry_meta(reg), lp_registry_gen(reg),
                                   learnt_domain, &l)) != LP_OK)
        lp_errf(why, whylen, err, "%s", lp_registry_errmsg(reg));
    if (!err && l.err)
        err = lp_errf(why, whylen, l.err, "secrets: too many domains");
    if (!err)
        err = lp_secrets_config_domain_rules(ss->cfg);
    if (!err)
        err = run_key(s, reg, o, key, why, whylen);
    if (!err && o->baseline)
        err = lp_baseline_load(o->baseline, s->key_id, &ss->baseline, why,
                               whylen);
    if (err) {
        OPENSSL_cleanse(key, sizeof key);
        return err;
    }
    char msg[512] = "";
    err = lp_secrets_engine_for(ss->cfg, o->cache_dir, key, &ss->engine, msg,
                                sizeof msg);
    OPENSSL_cleanse(key, sizeof key);
    if (err && config)
        lp_errf(why, whylen, err, "'%s': %s", config, msg);
    else if (err)
        lp_errf(why, whylen, err, "secrets: %s", msg);
    if (!err && (err = lp_result_rules(s, ss->engine)) != LP_OK)
        lp_errf(why, whylen, err, "secrets: out of memory");
    if (!err && shareable && s->key_source == LP_KEY_REGISTRY)
        keep_shared(ss, s, reg);
    return err;
}

/* fnmatch(3) of the pattern against the whole path or any tail of it that
 * starts a directory or an archive member: the pattern testdata/ + star
 * allows "repo/testdata/x.env" and "dump.zip!testdata/y". */
bool lp_scan_secrets_path_allowed(const struct lp_scan_secrets *ss,
                                  const char *path)
{
    if (!ss->cfg || !ss->cfg->allow_paths.n)
        return false;
    for (size_t i = 0; i < ss->cfg->allow_paths.n; i++) {
        const char *pat = ss->cfg->allow_paths.v[i];
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
            const struct lp_res_rule *r =
                lp_result_rule(s, s->files[i].secrets[k].rule);
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

static bool baselined(const struct lp_scan_secrets *ss,
                      const struct lp_scan *s,
                      const struct lp_secret_finding *f)
{
    const struct lp_res_rule *r = lp_result_rule(s, f->rule);
    return lp_baseline_has(ss->baseline, r->id,
                           r->flags & LP_RULE_EXPOSURE ? f->value : f->fp);
}

struct place_acc {
    struct lp_secret_known k;
    bool any;
    lp_err err;
};

static int on_place(void *ctx, const struct lp_secret_place *p)
{
    struct place_acc *a = ctx;
    if (!a->any) { /* the first row is the newest version holding it */
        a->any = true;
        a->k.still_present = p->newest;
        snprintf(a->k.version, sizeof a->k.version, "%s %s", p->collection,
                 p->version);
    }
    size_t n = strlen(p->collection) + strlen(p->path) + 2;
    char *in = lp_malloc(n);
    if (!in) {
        a->err = LP_ENOMEM;
        return 1;
    }
    snprintf(in, n, "%s:%s", p->collection, p->path);
    for (size_t i = 0; i < a->k.nin; i++)
        if (!strcmp(a->k.in[i], in)) { /* in several versions */
            lp_free(in);
            return 0;
        }
    a->k.in[a->k.nin++] = in;
    return a->k.nin == LP_KNOWN_MAX;
}

static int cmp_fp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Each distinct secret found, looked up in the registry by fingerprint;
 * s->known is filled in fingerprint order. */
static lp_err link_registry(struct lp_scan *s, lp_registry *reg, char *why,
                            size_t whylen)
{
    const char **fps = NULL;
    size_t n = 0, cap = 0, kcap = 0;
    lp_err err = LP_OK;
    s->linked = true;
    for (size_t i = 0; !err && i < s->nfiles; i++)
        for (size_t k = 0; !err && k < s->files[i].nsecrets; k++) {
            const struct lp_secret_finding *f = &s->files[i].secrets[k];
            if (lp_result_rule(s, f->rule)->flags & LP_RULE_EXPOSURE)
                continue;
            if (!lp_grow((void **)&fps, &cap, n + 1, sizeof *fps))
                err = LP_ENOMEM;
            else
                fps[n++] = f->fp;
        }
    if (n > 1)
        qsort(fps, n, sizeof *fps, cmp_fp);
    for (size_t i = 0; !err && i < n; i++) {
        if (i && !strcmp(fps[i], fps[i - 1]))
            continue;
        struct place_acc a;
        memset(&a, 0, sizeof a);
        snprintf(a.k.fp, sizeof a.k.fp, "%s", fps[i]);
        err = lp_meta_secret_where(lp_registry_meta(reg), lp_registry_gen(reg),
                                   fps[i], on_place, &a);
        if (err && err != LP_ENOMEM)
            lp_errf(why, whylen, err, "%s", lp_registry_errmsg(reg));
        if (!err)
            err = a.err;
        if (!err && a.any &&
            !lp_grow((void **)&s->known, &kcap, s->nknown + 1,
                     sizeof *s->known))
            err = LP_ENOMEM;
        if (err || !a.any)
            lp_secret_known_release(&a.k);
        else
            s->known[s->nknown++] = a.k;
    }
    lp_free(fps);
    return err;
}

/* A finding, for drop_history_repeats(). */
struct found_at {
    const char *path;
    struct lp_secret_finding *x;
    size_t file;
};

static int cmp_found_at(const void *a, const void *b)
{
    const struct found_at *p = a, *q = b;
    int c = strcmp(p->path, q->path);
    if (!c && p->x->rule != q->x->rule)
        c = p->x->rule < q->x->rule ? -1 : 1;
    if (!c)
        c = strcmp(p->x->fp, q->x->fp);
    if (!c)
        c = strcmp(p->x->value, q->x->value);
    if (!c && p->file != q->file)
        c = p->file < q->file ? -1 : 1;
    if (!c && p->x != q->x)
        c = p->x < q->x ? -1 : 1;
    return c;
}

/* Marks a finding dropped (rule indices are far fewer). */
#define DROPPED UINT32_MAX

/* With the history read, one secret is in every blob of its path from the
 * commit that added it to the one that removed it (the file was edited
 * around it): it is reported once per path, where files are first in walk
 * order: the current file, else the oldest commit. A secret written twice
 * in one file stays twice, as in any file. */
static lp_err drop_history_repeats(struct lp_scan *s)
{
    size_t n = 0, at = 0;
    bool history = false;
    for (size_t i = 0; i < s->nfiles; i++) {
        n += s->files[i].nsecrets;
        history |= s->files[i].has_commit && s->files[i].nsecrets;
    }
    if (!history)
        return LP_OK;
    struct found_at *v = lp_calloc(n, sizeof *v);
    if (!v)
        return LP_ENOMEM;
    for (size_t i = 0; i < s->nfiles; i++)
        for (size_t k = 0; k < s->files[i].nsecrets; k++)
            v[at++] = (struct found_at){s->files[i].path,
                                        &s->files[i].secrets[k], i};
    lp_sort(v, n, sizeof *v, cmp_found_at);
    for (size_t i = 1, first = 0; i < n; i++) {
        const struct lp_secret_finding *a = v[first].x, *b = v[i].x;
        if (strcmp(v[first].path, v[i].path) || a->rule != b->rule ||
            strcmp(a->fp, b->fp) || strcmp(a->value, b->value)) {
            first = i;
            continue;
        }
        if (v[i].file != v[first].file && s->files[v[i].file].has_commit)
            v[i].x->rule = DROPPED;
    }
    lp_free(v);
    for (size_t i = 0; i < s->nfiles; i++) {
        struct lp_file_result *f = &s->files[i];
        size_t kept = 0;
        for (size_t k = 0; k < f->nsecrets; k++)
            if (f->secrets[k].rule != DROPPED)
                f->secrets[kept++] = f->secrets[k];
        f->nsecrets = kept;
    }
    return LP_OK;
}

lp_err lp_scan_secrets_finish(const struct lp_scan_secrets *ss,
                              struct lp_scan *s, lp_registry *reg,
                              const char *write_to, char *why, size_t whylen)
{
    lp_err derr = drop_history_repeats(s);
    if (derr) {
        snprintf(why, whylen, "scan: out of memory");
        return derr;
    }
    if (reg) {
        lp_err err = link_registry(s, reg, why, whylen);
        if (err)
            return err;
    }
    tally(s);
    if (write_to) {
        lp_err err = write_baseline(s, write_to, why, whylen);
        if (err)
            return err;
    }
    if (!ss->baseline)
        return LP_OK;
    for (size_t i = 0; i < s->nfiles; i++) {
        struct lp_file_result *r = &s->files[i];
        size_t kept = 0;
        for (size_t k = 0; k < r->nsecrets; k++) {
            if (baselined(ss, s, &r->secrets[k]))
                s->nbaselined++;
            else
                r->secrets[kept++] = r->secrets[k];
        }
        r->nsecrets = kept;
    }
    tally(s);
    return LP_OK;
}

void lp_scan_secrets_release(struct lp_scan_secrets *ss)
{
    if (ss->shared) {
        shared_drop(ss->shared);
        ss->shared = NULL;
    } else {
        lp_secrets_engine_free(ss->engine);
        lp_secrets_config_free(ss->cfg);
    }
    lp_baseline_free(ss->baseline);
    ss->engine = NULL;
    ss->cfg = NULL;
    ss->baseline = NULL;
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
    /* The rules a run uses, found as the engine finds them (without
     * compiling them), so that the list and a run's count agree. */
    size_t n, nrules = 0;
    const struct lp_rule **rules = NULL;
    struct lp_secrets_setup su = {
        .tables = lp_rules_tables(&n),
        .extra = c->rules,
        .nextra = c->nrules,
        .nown = c->nown,
        .disabled = (const char *const *)c->disabled.v,
        .ndisabled = c->disabled.n,
    };
    su.ntables = n;
    char msg[512] = "";
    rc = lp_secrets_gather(&su, &rules, &nrules, msg, sizeof msg);
    if (rc && config)
        lp_errf(err, errlen, rc, "'%s': %s", config, msg);
    else if (rc)
        lp_errf(err, errlen, rc, "secrets: %s", msg);
    for (size_t i = 0; i < nrules; i++)
        fn(ctx, rules[i]->id, rules[i]->category, rules[i]->format);
    lp_free((void *)rules);
    lp_secrets_config_free(c);
    return rc;
}
