/* SPDX-License-Identifier: Apache-2.0
 *
 * result: the scan's result model (result.h): making an empty one, copying
 * into it the names its results refer to, looking things up in it, and
 * freeing it. Nothing here reads a registry or an engine after the copy.
 */
#include "result.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licence.h"
#include "mem.h"
#include "rules.h"
#include "banned.h"

const char *lp_level_name(enum lp_level level)
{
    static const char *names[] = {"none", "unlikely", "likely", "confirmed"};
    return level <= LP_LEVEL_CONFIRMED ? names[level] : "none";
}

const char *lp_how_name(enum lp_how how)
{
    static const char *names[] = {"exact", "normalized", "renamed"};
    return how <= LP_HOW_RENAMED ? names[how] : "normalized";
}

struct lp_scan *lp_result_new(void)
{
    struct lp_scan *s = lp_calloc(1, sizeof *s);
    if (s && !(s->registry_path = lp_strdup(""))) {
        lp_free(s);
        s = NULL;
    }
    return s;
}

lp_err lp_result_names(struct lp_scan *s, const struct lp_snapshot *snap,
                       const char *registry_path)
{
    char *path = lp_strdup(registry_path ? registry_path : "");
    if (!path)
        return LP_ENOMEM;
    lp_free(s->registry_path);
    s->registry_path = path;
    s->nassets = snap->nassets;
    size_t nc = snap->ncollections, nv = snap->nversions;
    s->collections = lp_calloc(nc ? nc : 1, sizeof *s->collections);
    s->versions = lp_calloc(nv ? nv : 1, sizeof *s->versions);
    if (!s->collections || !s->versions)
        return LP_ENOMEM;
    for (; s->ncollections < nc; s->ncollections++) {
        const struct lp_snap_collection *c = &snap->collections[s->ncollections];
        struct lp_res_collection *d = &s->collections[s->ncollections];
        if (!(d->name = lp_strdup(c->name)))
            return LP_ENOMEM;
        d->public_ = c->public_;
    }
    for (; s->nversions < nv; s->nversions++) {
        const struct lp_snap_version *v = &snap->versions[s->nversions];
        struct lp_res_version *d = &s->versions[s->nversions];
        if (!(d->name = lp_strdup(v->name)))
            return LP_ENOMEM;
        d->created = v->created;
        d->collection = v->collection;
    }
    return LP_OK;
}

lp_err lp_result_rules(struct lp_scan *s, const struct lp_secrets_engine *e)
{
    size_t n = lp_secrets_nrules(e);
    s->rules = lp_calloc(n ? n : 1, sizeof *s->rules);
    if (!s->rules)
        return LP_ENOMEM;
    for (; s->nrules < n; s->nrules++) {
        const struct lp_rule *r = lp_secrets_rule(e, (uint32_t)s->nrules);
        struct lp_res_rule *d = &s->rules[s->nrules];
        d->flags = r->flags;
        if (!(d->id = lp_strdup(r->id)) ||
            !(d->format = lp_strdup(r->format ? r->format : "")) ||
            !(d->category = lp_strdup(r->category ? r->category : "")))
            return LP_ENOMEM;
    }
    return LP_OK;
}

const struct lp_res_rule *lp_result_rule(const struct lp_scan *s,
                                         uint32_t rule)
{
    return rule < s->nrules ? &s->rules[rule] : NULL;
}

static int cmp_known(const void *a, const void *b)
{
    return strcmp(((const struct lp_secret_known *)a)->fp,
                  ((const struct lp_secret_known *)b)->fp);
}

const struct lp_secret_known *lp_result_known(const struct lp_scan *s,
                                              const char *fp)
{
    struct lp_secret_known key;
    if (!s->nknown)
        return NULL;
    snprintf(key.fp, sizeof key.fp, "%s", fp);
    return bsearch(&key, s->known, s->nknown, sizeof *s->known, cmp_known);
}

size_t lp_result_files_scanned(const struct lp_scan *s)
{
    if (s->nscanned)
        return s->nscanned;
    /* A file not read at all is counted as unreadable (nerrors), not as
     * scanned: each input once. */
    size_t n = 0;
    for (size_t i = 0; i < s->nfiles; i++)
        n += !s->files[i].failed;
    return n;
}

void lp_secret_known_release(struct lp_secret_known *k)
{
    for (size_t i = 0; i < k->nin; i++)
        lp_free(k->in[i]);
    k->nin = 0;
}

static uint64_t overlap(const uint32_t a[2], const uint32_t b[2])
{
    uint32_t lo = a[0] > b[0] ? a[0] : b[0], hi = a[1] < b[1] ? a[1] : b[1];
    return hi >= lo ? (uint64_t)hi - lo + 1 : 0;
}

const char *lp_file_licence_only(const struct lp_file_result *f)
{
    return f->nmatches ? NULL : lp_licence_name(f->licence);
}

bool lp_match_in_scope(const struct lp_file_result *f, size_t k)
{
    const struct lp_match *m = &f->matches[k];
    bool earlier = false;
    uint64_t len = 0, covered = 0;
    for (size_t i = 0; i < m->nspans; i++)
        len += (uint64_t)m->spans[i].lines[1] - m->spans[i].lines[0] + 1;
    for (size_t j = 0; j < k; j++) {
        const struct lp_match *e = &f->matches[j];
        if (e->collection != m->collection)
            continue;
        earlier = true;
        for (size_t i = 0; i < m->nspans; i++)
            for (size_t t = 0; t < e->nspans; t++)
                covered += overlap(m->spans[i].lines, e->spans[t].lines);
    }
    return !earlier || (len && 2 * covered < len);
}

void lp_file_result_release(struct lp_file_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nmatches; i++) {
        lp_free(r->matches[i].spans);
        lp_free(r->matches[i].asset);
        lp_free(r->matches[i].alts);
    }
    lp_free(r->matches);
    lp_free(r->path);
    if (r->listing) {
        lp_listing_result_release(r->listing);
        lp_free(r->listing);
    }
    lp_free(r->secrets);
    lp_free(r->text);
    memset(r, 0, sizeof *r);
}

void lp_scan_free(lp_scan *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nfiles; i++)
        lp_file_result_release(&s->files[i]);
    lp_free(s->files);
    for (size_t i = 0; i < s->nscope; i++) {
        lp_free(s->scope[i].consistent);
        for (size_t k = 0; k < s->scope[i].ndirs; k++)
            lp_free(s->scope[i].dirs[k].dir);
        lp_free(s->scope[i].dirs);
    }
    lp_free(s->scope);
    lp_skips_free(s->skips, s->nskips);
    for (size_t i = 0; i < s->nknown; i++)
        lp_secret_known_release(&s->known[i]);
    lp_free(s->known);
    for (size_t i = 0; i < s->ncollections; i++)
        lp_free(s->collections[i].name);
    lp_free(s->collections);
    for (size_t i = 0; i < s->nversions; i++)
        lp_free(s->versions[i].name);
    lp_free(s->versions);
    for (size_t i = 0; i < s->nrules; i++) {
        lp_free(s->rules[i].id);
        lp_free(s->rules[i].format);
        lp_free(s->rules[i].category);
    }
    lp_free(s->rules);
    lp_free(s->registry_path);
    lp_free(s);
}

size_t lp_scan_secrets(const lp_scan *s)
{
    return s->nsecrets;
}

const char *lp_scan_key_id(const lp_scan *s, int *source)
{
    if (source)
        *source = s->key_source;
    return s->key_id;
}

size_t lp_scan_errors(const lp_scan *s)
{
    return s->nerrors;
}

enum lp_level lp_scan_level(const lp_scan *s)
{
    return s->level;
}

/* ---- the public accessors (leakprint.h) ---------------------------------- */

const char *lp_scan_errmsg(const lp_scan *s)
{
    return s->errmsg;
}

double lp_scan_confidence(const lp_scan *s)
{
    return s->confidence;
}

const char *lp_scan_summary(const lp_scan *s)
{
    return s->summary;
}

size_t lp_scan_file_count(const lp_scan *s)
{
    return s->nfiles;
}

const lp_file *lp_scan_file(const lp_scan *s, size_t i)
{
    return i < s->nfiles ? &s->files[i] : NULL;
}

size_t lp_scan_skipped(const lp_scan *s)
{
    return s->nskips;
}

const char *lp_scan_skip(const lp_scan *s, size_t i, const char **reason)
{
    if (i >= s->nskips)
        return NULL;
    if (reason)
        *reason = s->skips[i].reason;
    return s->skips[i].path;
}

void lp_file_get(const lp_file *f, struct lp_file_info *out)
{
    static const char hex[] = "0123456789abcdef";
    bool have_sha = false;
    memset(out, 0, sizeof *out);
    out->path = f->path;
    out->kind = lp_kind_name((enum lp_kind)f->kind);
    out->size = f->size;
    for (size_t i = 0; i < LP_SHA256_LEN; i++)
        have_sha |= f->sha[i] != 0;
    for (size_t i = 0; have_sha && i < LP_SHA256_LEN; i++) {
        out->sha256[2 * i] = hex[f->sha[i] >> 4];
        out->sha256[2 * i + 1] = hex[f->sha[i] & 15];
    }
    out->read_failed = f->failed;
    out->matches = f->nmatches;
    out->secrets = f->nsecrets;
}

lp_err lp_file_match(const lp_file *f, size_t i, struct lp_match_info *out)
{
    if (i >= f->nmatches)
        return LP_EINVAL;
    const struct lp_match *m = &f->matches[i];
    const struct lp_scan *s = f->scan;
    memset(out, 0, sizeof *out);
    out->collection = m->collection < s->ncollections
                          ? s->collections[m->collection].name : "";
    out->version = m->version < s->nversions ? s->versions[m->version].name
                                             : "";
    out->asset = m->asset;
    out->similarity = m->similarity;
    out->coverage = m->coverage;
    out->exact = m->exact;
    out->spans = m->nspans;
    return LP_OK;
}

lp_err lp_file_span(const lp_file *f, size_t match, size_t span,
                    struct lp_span_info *out)
{
    if (match >= f->nmatches || span >= f->matches[match].nspans)
        return LP_EINVAL;
    const struct lp_span *sp = &f->matches[match].spans[span];
    memset(out, 0, sizeof *out);
    memcpy(out->lines, sp->lines, sizeof out->lines);
    memcpy(out->asset_lines, sp->asset_lines, sizeof out->asset_lines);
    memcpy(out->pages, sp->pages, sizeof out->pages);
    out->how = lp_how_name((enum lp_how)sp->how);
    return LP_OK;
}

lp_err lp_file_secret(const lp_file *f, size_t i, struct lp_secret_info *out)
{
    if (i >= f->nsecrets)
        return LP_EINVAL;
    const struct lp_secret_finding *x = &f->secrets[i];
    const struct lp_res_rule *r = lp_result_rule(f->scan, x->rule);
    memset(out, 0, sizeof *out);
    out->rule = r ? r->id : "";
    out->category = r ? r->category : "";
    out->exposure = r && (r->flags & LP_RULE_EXPOSURE);
    out->line = x->line;
    out->column = x->column;
    out->masked = out->exposure ? "" : x->masked;
    out->fingerprint = x->fp;
    out->value = out->exposure ? x->value : "";
    out->known = !out->exposure && lp_result_known(f->scan, x->fp) != NULL;
    return LP_OK;
}
