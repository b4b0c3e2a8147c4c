/* SPDX-License-Identifier: Apache-2.0
 *
 * scan: walks the targets, analyzes and matches every file on a pool of
 * workers (one analyzer and matcher each, results stored by walk index so the
 * output order is deterministic), then computes the verdict.
 */
#include "scan.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "limits.h"
#include "match.h"
#include "mem.h"
#include "pool.h"
#include "scan_secrets.h"
#include "walk.h"
#include "walk_archive.h"
#include "banned.h"

/* The results of one walk entry: one for a plain file, one per member
 * for an archive (nested ones included, in archive order). */
struct scan_slot {
    struct lp_file_result **v; /* each allocated alone: a worker may fill
                                  one while the slot grows */
    size_t n, cap;
};

/* A member of an archive handed to another worker: its content (a copy)
 * and where its result goes. */
struct scan_task {
    struct scan_job *job;
    struct lp_file_result *r;
    size_t len;
    char data[]; /* len bytes and a NUL */
};

struct scan_job {
    lp_registry *reg;
    struct lp_scan *scan;
    struct lp_analyzer *an;
    struct lp_walk_reader *rd;
    struct lp_matcher **mt;
    struct lp_match_options mopt;
    struct lp_warner warn;
    void (*progress)(void *ctx, size_t done, size_t total);
    void *progress_ctx;
    uint64_t max_size;
    struct lp_archive_limits lim;
    int walk_flags;
    struct scan_slot *slots; /* per walk entry */
    /* The registry's paths (protected collections only, each path once
     * per collection), built for the first file listing found. */
    pthread_mutex_t refs_mu;
    bool refs_built;
    struct lp_listing_ref *refs;
    size_t nrefs;
    struct lp_pool_queue *queue; /* archive members for idle workers */
    struct lp_secrets_scratch **ss; /* per worker, when secrets are sought */
    char *err; /* without a registry: where a failure is said */
    size_t errlen;
};

/* Bytes of archive members waiting for an idle worker, at most. */
#define QUEUE_BYTES (64u << 20)

/* What a worker reads now: one walk entry, and the archives in it. */
struct scan_ctx {
    struct scan_job *job;
    unsigned worker;
    struct scan_slot *slot;
    const struct lp_walk_entry *entry; /* the walk entry read */
    struct lp_archive_budget budget;
};

/* A new result of the slot c reads, for `path`; a blob of a git history
 * and every member of it carry the commit that introduced the blob. */
static lp_err push_result(struct scan_ctx *c, const char *path, bool copy,
                          struct lp_file_result **out)
{
    struct scan_slot *slot = c->slot;
    if (!lp_grow((void **)&slot->v, &slot->cap, slot->n + 1, sizeof *slot->v))
        return LP_ENOMEM;
    struct lp_file_result *r = lp_calloc(1, sizeof *r);
    if (!r)
        return LP_ENOMEM;
    r->path = path;
    if (copy) {
        char *p = lp_strdup(path);
        if (!p) {
            lp_free(r);
            return LP_ENOMEM;
        }
        r->path = p;
        r->own_path = true;
    }
    if (c->entry && c->entry->has_commit) {
        r->has_commit = true;
        memcpy(r->commit, c->entry->commit, sizeof r->commit);
        r->commit_time = c->entry->commit_time;
    }
    slot->v[slot->n++] = r;
    *out = r;
    return LP_OK;
}

static int cmp_refs(const void *a, const void *b)
{
    const struct lp_listing_ref *x = a, *y = b;
    if (x->collection != y->collection)
        return x->collection < y->collection ? -1 : 1;
    return strcmp(x->path, y->path);
}

/* The paths a listing is matched against: every version's, once per
 * collection. Public collections are left out: naming their files proves
 * nothing. */
static lp_err build_refs(struct scan_job *job)
{
    const struct lp_snapshot *snap = job->scan->snap;
    struct lp_listing_ref *v = lp_calloc(snap->nassets + 1, sizeof *v);
    size_t n = 0;
    if (!v)
        return LP_ENOMEM;
    for (size_t i = 0; i < snap->nassets; i++) {
        uint32_t c = snap->versions[snap->assets[i].version].collection;
        if (!snap->collections[c].public_)
            v[n++] = (struct lp_listing_ref){snap->assets[i].path, c};
    }
    if (n)
        lp_sort(v, n, sizeof *v, cmp_refs);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!k || cmp_refs(&v[k - 1], &v[i]) != 0)
            v[k++] = v[i];
    job->refs = v;
    job->nrefs = k;
    return LP_OK;
}

/* A file listing: its paths against the registry's. */
static lp_err scan_listing(struct scan_ctx *c, const char *logical,
                           const struct lp_analysis *a,
                           enum lp_listing_format f, struct lp_file_result *r)
{
    struct scan_job *job = c->job;
    lp_err err = LP_OK;
    pthread_mutex_lock(&job->refs_mu);
    if (!job->refs_built) {
        err = build_refs(job);
        job->refs_built = !err;
    }
    pthread_mutex_unlock(&job->refs_mu);
    if (err)
        return err;
    struct lp_listing l;
    struct lp_listing_result *res = NULL;
    size_t dropped = 0;
    lp_listing_init(&l);
    err = lp_listing_parse(a->text, a->tlen, f, 0, (size_t)job->lim.max_entries,
                           &l, &dropped);
    if (err == LP_EFORMAT) { /* not a listing after all */
        lp_listing_release(&l);
        return LP_OK;
    }
    r->kind = LP_KIND_LISTING;
    r->listing_format = (uint8_t)f;
    if (dropped) {
        char why[160];
        snprintf(why, sizeof why, "%zu lines of the listing not read (too "
                 "long, or over --max-entries)", dropped);
        lp_warner_skip(&job->warn, logical, why);
    }
    if (!err && !(res = lp_calloc(1, sizeof *res)))
        err = LP_ENOMEM;
    if (!err)
        err = lp_listing_match(&l, job->refs, job->nrefs, res);
    if (!err) {
        r->listing_files = res->files;
        if (res->nhits) {
            r->listing = res;
            res = NULL;
        }
    }
    if (res) {
        lp_listing_result_release(res);
        lp_free(res);
    }
    lp_listing_release(&l);
    return err;
}

struct found {
    struct lp_file_result *r;
    size_t cap;
    lp_err err;
};

static int keep_secret(void *ctx, const struct lp_secret_finding *f)
{
    struct found *fd = ctx;
    if (!lp_grow((void **)&fd->r->secrets, &fd->cap, fd->r->nsecrets + 1,
                 sizeof *fd->r->secrets)) {
        fd->err = LP_ENOMEM;
        return 1;
    }
    fd->r->secrets[fd->r->nsecrets++] = *f;
    return 0;
}

/* The secrets of a content's text (a binary's bytes), when sought. */
static lp_err find_secrets(struct scan_ctx *c, const char *text, size_t len,
                           struct lp_file_result *r)
{
    struct scan_job *job = c->job;
    if (!job->scan->engine || lp_scan_secrets_path_allowed(job->scan, r->path))
        return LP_OK;
    struct found fd = {.r = r};
    lp_err err = lp_secrets_scan(job->scan->engine, job->ss[c->worker], text,
                                 len, keep_secret, &fd);
    return fd.err ? fd.err : err == LP_EABORTED ? LP_OK : err;
}

/* Analyzes and matches one content: a file, or a member of an archive. */
static lp_err scan_file(struct scan_ctx *c, const char *logical,
                        const char *buf, size_t len,
                        struct lp_file_result *r)
{
    struct scan_job *job = c->job;
    struct lp_analyzer *an = &job->an[c->worker];
    struct lp_analysis a;
    len = lp_archive_cut_lines(&job->warn, logical, buf, len, &job->lim);
    /* SHA-256 is for identical files and for the report: a file whose size
     * no blob has gets one only if it is reported. */
    const struct lp_snapshot *snap = job->scan->snap;
    /* Secrets alone need the text, not what kind of text it is. */
    bool only = job->scan->secrets_mode == LP_SECRETS_ONLY;
    lp_err err = only ? lp_analyze_raw(an, buf, len, &a)
                      : lp_analyze_id(an, logical, buf, len,
                                      lp_snapshot_has_size(snap, len), &a);
    if (err)
        return err;
    r->size = a.size;
    r->kind = (uint8_t)a.kind;
    err = find_secrets(c, a.kind == LP_KIND_BINARY ? buf : a.text,
                       a.kind == LP_KIND_BINARY ? len : a.tlen, r);
    if (err || only)
        return err;
    /* Text that is the output of find, tree, ls, tar or unzip: its paths
     * are what it tells (code, Markdown, reST and man pages never are). */
    enum lp_listing_format lf = LP_LISTING_NONE;
    if (((a.kind == LP_KIND_PROSE && a.lang == LP_LANG_TEXT) ||
         a.kind == LP_KIND_OTHER) && snap->nassets)
        lf = lp_listing_detect(a.text, a.tlen);
    if (lf != LP_LISTING_NONE) {
        err = scan_listing(c, logical, &a, lf, r);
        if (err || r->kind == LP_KIND_LISTING) {
            if (!err && r->listing)
                err = lp_analyze_sha(buf, len, &a);
            if (!err && r->listing)
                memcpy(r->sha, a.sha, sizeof r->sha);
            return err;
        }
    }
    /* A content the registry holds is explained whole: not lexed again. */
    bool exact = false;
    if (a.have_sha)
        err = lp_match_exact(snap, &a, r, &exact);
    if (!err && !exact) {
        err = lp_analyze_fp(an, &a);
        r->nfp = (uint32_t)a.nfp;
        struct lp_matcher *m = job->mt[c->worker];
        if (!err)
            err = lp_match_file(m, job->reg, snap, &job->mopt, &a, r);
        /* Not explained well by the normalized stream: renamed code? */
        if (!err && a.kind == LP_KIND_CODE && lp_match_wants_abstract(r)) {
            err = lp_analyze_abstract(an, &a);
            if (!err && a.nafp)
                err = lp_match_abstract(m, job->reg, snap, &job->mopt, &a, r);
        }
        /* A binary: a rebuilt or patched build of a registered one? */
        if (!err && a.kind == LP_KIND_BINARY)
            err = lp_match_tlsh(snap, &a, r);
    }
    if (!err && r->nmatches)
        err = lp_analyze_sha(buf, len, &a);
    if (!err)
        memcpy(r->sha, a.sha, sizeof r->sha);
    return err;
}

static lp_err scan_member(void *ctx, const char *logical, const char *data,
                          size_t len, unsigned depth);

/* A document (PDF, office file, HTML, RTF): identical bytes, else its text
 * matched as prose; spans also give pages. */
static lp_err scan_document(struct scan_ctx *c, const char *logical,
                            const char *buf, size_t len, enum lp_doc d,
                            unsigned depth)
{
    struct scan_job *job = c->job;
    struct lp_analyzer *an = &job->an[c->worker];
    const struct lp_snapshot *snap = job->scan->snap;
    struct lp_file_result *r;
    struct lp_analysis a;
    char why[256] = "";
    lp_err err = push_result(c, logical, depth > 0, &r);
    if (err)
        return err;
    r->doc = (uint8_t)d;
    r->size = len;
    r->kind = LP_KIND_PROSE;
    err = lp_analyze_document(an, d, buf, len, lp_snapshot_has_size(snap, len),
                              &a, why, sizeof why);
    if (err == LP_EFORMAT) {
        lp_warner_skip(&job->warn, logical, why);
        r->failed = true;
        return LP_OK;
    }
    if (err == LP_ELIMIT) {
        char msg[320];
        snprintf(msg, sizeof msg, "%s: the text before it was read", why);
        lp_warner_skip(&job->warn, logical, msg);
        err = LP_OK;
    }
    if (!err)
        err = find_secrets(c, a.text, a.tlen, r);
    if (err || job->scan->secrets_mode == LP_SECRETS_ONLY)
        return err;
    bool exact = false;
    if (!err && a.have_sha)
        err = lp_match_exact(snap, &a, r, &exact);
    if (!err && !exact) {
        err = lp_analyze_fp(an, &a);
        r->nfp = (uint32_t)a.nfp;
        if (!err)
            err = lp_match_file(job->mt[c->worker], job->reg, snap,
                                &job->mopt, &a, r);
    }
    for (size_t i = 0; !err && an->doc.npages && i < r->nmatches; i++)
        for (size_t k = 0; k < r->matches[i].nspans; k++) {
            struct lp_span *sp = &r->matches[i].spans[k];
            sp->pages[0] = lp_doc_page(&an->doc, sp->lines[0]);
            sp->pages[1] = lp_doc_page(&an->doc, sp->lines[1]);
        }
    if (!err && r->nmatches)
        err = lp_analyze_sha(buf, len, &a);
    if (!err)
        memcpy(r->sha, a.sha, sizeof r->sha);
    return err;
}

/* A content at nesting `depth` (0: a file of the walk, whose path the walk
 * list owns): an archive is walked, anything else scanned. */
static lp_err scan_content(struct scan_ctx *c, const char *logical,
                           const char *buf, size_t len, unsigned depth)
{
    struct scan_job *job = c->job;
    enum lp_doc d = lp_doc_detect(logical, (const unsigned char *)buf, len);
    if (d != LP_DOC_NONE)
        return scan_document(c, logical, buf, len, d, depth);
    if (lp_archive_detect((const unsigned char *)buf, len)) {
        if (depth >= job->lim.max_depth) {
            lp_archive_say_too_deep(&job->warn, logical, &job->lim);
            return LP_OK;
        }
        lp_err err = lp_archive_walk(logical, buf, len, depth + 1, &job->lim,
                                     &c->budget, &job->warn, scan_member, c);
        if (err != LP_EFORMAT)
            return err;
        /* not an archive after all: a plain file */
    }
    struct lp_file_result *r;
    lp_err err = push_result(c, logical, depth > 0, &r);
    if (err || depth == 0 || !job->queue)
        return err ? err : scan_file(c, logical, buf, len, r);
    /* A member: to an idle worker if one may take it (the reader goes on
     * decompressing), else here. */
    struct scan_task *t = lp_malloc(sizeof *t + len + 1);
    if (!t)
        return LP_ENOMEM;
    t->job = job;
    t->r = r;
    t->len = len;
    memcpy(t->data, buf, len + 1);
    if (lp_pool_queue_push(job->queue, t, len))
        return LP_OK;
    lp_free(t);
    return scan_file(c, logical, buf, len, r);
}

static lp_err scan_task_run(void *ctx, unsigned worker, void *task)
{
    (void)ctx;
    struct scan_task *t = task;
    struct scan_ctx c = {.job = t->job, .worker = worker};
    lp_err err = scan_file(&c, t->r->path, t->data, t->len, t->r);
    lp_free(t);
    return err;
}

static lp_err scan_member(void *ctx, const char *logical, const char *data,
                          size_t len, unsigned depth)
{
    return scan_content(ctx, logical, data, len, depth);
}

/* A worker's next items: their files are read ahead in one go. */
static void scan_ahead(void *ctx, unsigned worker, size_t first, size_t n)
{
    struct scan_job *job = ctx;
    lp_walk_reader_prefetch(&job->rd[worker], &job->scan->walk.v[first], n,
                            job->max_size);
}

static lp_err scan_one(void *ctx, unsigned worker, size_t i)
{
    struct scan_job *job = ctx;
    struct lp_walk_entry *e = &job->scan->walk.v[i];
    struct lp_analyzer *an = &job->an[worker];
    struct scan_ctx c = {.job = job, .worker = worker, .slot = &job->slots[i],
                         .entry = e};
    size_t len;
    bool failed = false;
    uint64_t big = 0;
    lp_err err = lp_walk_read_entry(&job->rd[worker], e, job->max_size,
                                    &an->buf, &an->cap, &len, &job->warn,
                                    &failed, &big);
    if (err)
        return err;
    if (big) { /* an archive larger than memory reads allow: streamed */
        err = lp_archive_walk_file(e->logical, e->fspath, big, &job->lim,
                                   &c.budget, &job->warn, scan_member, &c);
        if (err != LP_EFORMAT)
            return err;
        lp_walk_say_too_large(&job->warn, e->logical, job->max_size);
        failed = true;
    }
    if (failed) {
        struct lp_file_result *r;
        err = push_result(&c, e->logical, false, &r);
        if (!err)
            r->failed = true;
        return err;
    }
    return scan_content(&c, e->logical, an->buf, len, 0);
}

/* The slots' results, in walk order, become the scan's files. */
static lp_err gather(struct scan_job *job)
{
    struct lp_scan *s = job->scan;
    size_t n = 0;
    for (size_t i = 0; i < s->walk.n; i++)
        n += job->slots[i].n;
    s->files = lp_calloc(n ? n : 1, sizeof *s->files);
    if (!s->files)
        return LP_ENOMEM;
    for (size_t i = 0; i < s->walk.n; i++) {
        struct scan_slot *sl = &job->slots[i];
        for (size_t k = 0; k < sl->n; k++) {
            s->files[s->nfiles++] = *sl->v[k]; /* now s->files' */
            lp_free(sl->v[k]);
        }
        lp_free(sl->v);
        sl->v = NULL;
        sl->n = 0;
    }
    return LP_OK;
}

static void scan_progress(void *ctx, size_t done, size_t total)
{
    struct scan_job *job = ctx;
    if (job->progress)
        job->progress(job->progress_ctx, done, total);
}

static lp_err setup(struct scan_job *job, unsigned jobs)
{
    size_t n = job->scan->walk.n;
    job->slots = lp_calloc(n ? n : 1, sizeof *job->slots);
    job->an = lp_calloc(jobs, sizeof *job->an);
    job->rd = lp_calloc(jobs, sizeof *job->rd);
    job->mt = lp_calloc(jobs, sizeof *job->mt);
    if (!job->slots || !job->an || !job->rd || !job->mt)
        return LP_ENOMEM;
    for (unsigned i = 0; i < jobs; i++) {
        lp_analyzer_init(&job->an[i]);
        lp_err err = lp_matcher_new(&job->mt[i]);
        if (err)
            return err;
    }
    if (job->scan->engine) {
        job->ss = lp_calloc(jobs, sizeof *job->ss);
        if (!job->ss)
            return LP_ENOMEM;
        for (unsigned i = 0; i < jobs; i++) {
            lp_err err = lp_secrets_scratch_new(job->scan->engine, &job->ss[i]);
            if (err)
                return err;
        }
    }
    return LP_OK;
}

static void teardown(struct scan_job *job, unsigned jobs)
{
    for (unsigned i = 0; job->an && i < jobs; i++)
        lp_analyzer_release(&job->an[i]);
    for (unsigned i = 0; job->mt && i < jobs; i++)
        lp_matcher_free(job->mt[i]);
    for (unsigned i = 0; job->rd && i < jobs; i++)
        lp_walk_reader_release(&job->rd[i]);
    for (unsigned i = 0; job->ss && i < jobs; i++)
        lp_secrets_scratch_free(job->ss[i]);
    lp_free(job->ss);
    for (size_t i = 0; job->slots && i < job->scan->walk.n; i++) {
        for (size_t k = 0; k < job->slots[i].n; k++) {
            lp_file_result_release(job->slots[i].v[k]);
            lp_free(job->slots[i].v[k]);
        }
        lp_free(job->slots[i].v);
    }
    lp_free(job->slots);
    lp_pool_queue_free(job->queue);
    lp_free(job->refs);
    pthread_mutex_destroy(&job->refs_mu);
    lp_free(job->rd);
    lp_free(job->an);
    lp_free(job->mt);
    lp_warner_release(&job->warn);
}

static lp_err fail(struct scan_job *job, lp_err err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Says why the run failed: on the registry, or without one in the
 * caller's buffer. */
static lp_err fail(struct scan_job *job, lp_err err, const char *fmt, ...)
{
    char msg[LP_MAX_PATH + 512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (job->reg)
        return lp_registry_seterr(job->reg, err, "%s", msg);
    if (job->err && job->errlen)
        snprintf(job->err, job->errlen, "%s", msg);
    return err;
}

/* The engine, with the organisation's configuration and baseline. */
static lp_err build_engine(struct scan_job *job,
                           const struct lp_scan_options *opt)
{
    char why[LP_MAX_PATH + 512] = "";
    lp_err err = lp_scan_secrets_setup(job->scan, job->reg,
                                       opt->secrets_config, opt->baseline,
                                       opt->cache_dir, why, sizeof why);
    return err ? fail(job, err, "%s", why) : LP_OK;
}

static lp_err collect(struct scan_job *job, const char *const *targets,
                      size_t n)
{
    char msg[LP_MAX_PATH + 256];
    lp_err err = lp_walk_collect_all(targets, n, (unsigned)job->walk_flags,
                                     job->reg ? lp_registry_path(job->reg)
                                              : NULL,
                                     &job->scan->walk, &job->warn, msg,
                                     sizeof msg);
    return err ? fail(job, err, "%s", msg) : LP_OK;
}

lp_err lp_scan_run(lp_registry *reg, const struct lp_scan_options *opt,
                   const char *const *targets, size_t ntargets,
                   void (*warn)(void *ctx, const char *msg), void *warn_ctx,
                   lp_scan **out)
{
    unsigned jobs = opt->jobs > 0 ? (unsigned)opt->jobs : lp_pool_cores();
    struct scan_job job = {
        .reg = reg,
        .err = opt->err,
        .errlen = opt->errlen,
        .progress = opt->progress,
        .progress_ctx = opt->progress_ctx,
        .max_size = opt->max_file_size ? opt->max_file_size
                                       : LP_MAX_FILE_SIZE_DEFAULT,
        .mopt = {.min_similarity = opt->min_similarity, .min_span_fp = 6,
                 .min_votes = 3,
                 .max_matches = opt->max_matches > 0
                                    ? (unsigned)opt->max_matches
                                    : LP_MAX_MATCHES_DEFAULT}};
    *out = NULL;
    struct lp_scan *s = lp_calloc(1, sizeof *s);
    if (!s)
        return LP_ENOMEM;
    job.scan = s;
    pthread_mutex_init(&job.refs_mu, NULL);
    lp_archive_limits_from(&job.lim, &opt->input, job.max_size);
    job.walk_flags = opt->input.follow_symlinks ? LP_WALK_FOLLOW : 0;
    if (opt->history == LP_HISTORY_ALL)
        job.walk_flags |= LP_WALK_GIT_HISTORY;
    lp_walk_list_init(&s->walk);
    lp_warner_init(&job.warn, warn, warn_ctx);
    s->secrets_mode = opt->secrets;
    s->registry_path = lp_strdup(reg ? lp_registry_path(reg) : "");
    lp_err err = s->registry_path ? LP_OK : LP_ENOMEM;
    if (!err && reg)
        err = lp_registry_snapshot(reg, &s->snap);
    else if (!err && opt->secrets != LP_SECRETS_ONLY)
        err = LP_EINVAL; /* matching needs a registry */
    else if (!err && !(s->snap = lp_calloc(1, sizeof *s->snap)))
        err = LP_ENOMEM;
    if (!err && opt->secrets)
        err = build_engine(&job, opt);
    if (!err)
        err = collect(&job, targets, ntargets);
    if (!err)
        err = setup(&job, jobs);
    for (unsigned i = 0; !err && i < jobs; i++)
        job.rd[i].no_io_uring = opt->input.no_io_uring;
    if (!err)
        err = lp_pool_queue_new(scan_task_run, NULL,
                                QUEUE_BYTES, &job.queue);
    if (!err)
        err = lp_pool_run_batches(job.scan->walk.n, jobs, PREFETCH_SLOTS,
                                  scan_ahead, scan_one, job.queue,
                                  opt->progress ? scan_progress : NULL, &job);
    if (!err)
        err = gather(&job);
    s->nerrors = atomic_load(&job.warn.count);
    lp_warner_take(&job.warn, &s->skips, &s->nskips);
    for (size_t i = 0; !err && i < s->nfiles; i++)
        s->bytes += s->files[i].failed ? 0 : s->files[i].size;
    if (!err && s->engine) {
        char why[LP_MAX_PATH + 256];
        if ((err = lp_scan_secrets_finish(s, reg, opt->write_baseline, why,
                                          sizeof why)) != LP_OK)
            fail(&job, err, "%s", why);
    }
    if (!err && opt->secrets != LP_SECRETS_ONLY)
        err = lp_verdict_compute(s);
    if (err == LP_ENOMEM)
        fail(&job, err, "scan: out of memory");
    teardown(&job, jobs);
    if (err) {
        lp_scan_free(s);
        return err;
    }
    *out = s;
    return LP_OK;
}

void lp_scan_free(lp_scan *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nfiles; i++)
        lp_file_result_release(&s->files[i]);
    for (size_t i = 0; i < s->nscope; i++) {
        lp_free(s->scope[i].consistent);
        for (size_t k = 0; k < s->scope[i].ndirs; k++)
            lp_free(s->scope[i].dirs[k].dir);
        lp_free(s->scope[i].dirs);
    }
    lp_free(s->scope);
    lp_free(s->files);
    lp_skips_free(s->skips, s->nskips);
    lp_scan_secrets_release(s);
    lp_snapshot_free(s->snap);
    lp_walk_list_release(&s->walk);
    lp_free(s->registry_path);
    lp_free(s);
}

size_t lp_scan_secrets(const lp_scan *s)
{
    return s->nsecrets;
}

size_t lp_scan_errors(const lp_scan *s)
{
    return s->nerrors;
}

int lp_scan_level(const lp_scan *s)
{
    return (int)s->level;
}
