/* SPDX-License-Identifier: Apache-2.0
 *
 * scan: walks the targets, analyzes and matches every file on a pool of
 * workers (one analyzer and matcher each, results stored by walk index so the
 * output order is deterministic), then computes the verdict.
 */
#include "result.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "feed.h"
#include "run_input.h"
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

/* Git blob ids by blob id (all zero: none), from the registry. */
struct git_ids {
    uint8_t (*v)[20];
    size_t n;
};

struct scan_job {
    lp_registry *reg;
    struct lp_scan *scan;          /* the result being filled */
    /* the registry's (shared: lp_registry_snapshot_shared(), released at
     * teardown), or own_snap, an empty one, without a registry */
    const struct lp_snapshot *snap;
    struct lp_snapshot *own_snap;
    struct lp_run_input in;        /* the inputs, their limits, skips */
    struct lp_scan_secrets sec;    /* when secrets are sought */
    struct lp_analyzer *an;
    struct lp_matcher **mt;
    struct lp_match_options mopt;
    int walk_flags;
    struct scan_slot *slots; /* per walk entry */
    /* The registry's paths (protected collections only, each path once
     * per collection), built for the first file listing found. */
    pthread_mutex_t refs_mu;
    bool refs_built;
    struct lp_listing_ref *refs;
    size_t nrefs;
    struct git_ids git; /* the git blob ids refs point into */
    struct lp_secrets_scratch **ss; /* per worker, when secrets are sought */
    /* the caller's callback of each file's result, one call at a time */
    int (*on_file)(void *ctx, const lp_file *f);
    void *on_file_ctx;
    pthread_mutex_t deliver_mu;
    uint64_t keep_left; /* bytes of text still to keep (keep_text) */
};

/* A worker at work on one item. */
struct scan_ctx {
    struct scan_job *job;
    unsigned worker;
};

/* The feed's begin: a new result in the item's entry's slot; a blob of a
 * git history and every member of it carry the commit that introduced the
 * blob. */
static lp_err scan_begin(void *ctx, const struct lp_item *it, void **token)
{
    struct scan_job *job = ctx;
    struct scan_slot *slot = &job->slots[it->entry];
    if (!lp_grow((void **)&slot->v, &slot->cap, slot->n + 1, sizeof *slot->v))
        return LP_ENOMEM;
    struct lp_file_result *r = lp_calloc(1, sizeof *r);
    if (!r)
        return LP_ENOMEM;
    if (!(r->path = lp_strdup(it->path))) {
        lp_free(r);
        return LP_ENOMEM;
    }
    r->scan = job->scan;
    const struct lp_walk_entry *e = it->origin;
    if (e && e->has_commit) {
        r->has_commit = true;
        memcpy(r->commit, e->commit, sizeof r->commit);
        r->commit_time = e->commit_time;
    }
    slot->v[slot->n++] = r;
    *token = r;
    return LP_OK;
}

static int cmp_refs(const void *a, const void *b)
{
    const struct lp_listing_ref *x = a, *y = b;
    if (x->collection != y->collection)
        return x->collection < y->collection ? -1 : 1;
    int r = strcmp(x->path, y->path);
    if (r || x->sha256 == y->sha256)
        return r;
    return memcmp(x->sha256, y->sha256, LP_SHA256_LEN);
}

static int take_git_id(void *ctx, const uint8_t oid[20], uint32_t blob)
{
    struct git_ids *g = ctx;
    if (blob < g->n)
        memcpy(g->v[blob], oid, 20);
    return 0;
}

/* The paths a listing is matched against: every version's, once per
 * collection and contents (a listed size or hash may be any version's).
 * Public collections are left out: naming their files proves nothing. */
static lp_err build_refs(struct scan_job *job)
{
    static const uint8_t none[20];
    const struct lp_snapshot *snap = job->snap;
    struct lp_listing_ref *v = lp_calloc(snap->nassets + 1, sizeof *v);
    struct git_ids *g = &job->git;
    size_t n = 0;
    if (!v)
        return LP_ENOMEM;
    job->refs = v;
    g->n = snap->nblobs;
    if (!(g->v = lp_calloc(g->n + 1, sizeof *g->v)))
        return LP_ENOMEM;
    lp_err err = job->reg ? lp_registry_gitblobs(job->reg, take_git_id, g)
                          : LP_OK;
    if (err)
        return err;
    for (size_t i = 0; i < snap->nassets; i++) {
        const struct lp_snap_asset *a = &snap->assets[i];
        uint32_t c = snap->versions[a->version].collection;
        if (snap->collections[c].public_)
            continue;
        const struct lp_blob_info *b = &snap->blobs[a->blob];
        v[n++] = (struct lp_listing_ref){
            a->path, c, b->sha, b->size,
            memcmp(g->v[a->blob], none, 20) ? g->v[a->blob] : NULL, a->blob};
    }
    if (n)
        lp_sort(v, n, sizeof *v, cmp_refs);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!k || cmp_refs(&v[k - 1], &v[i]) != 0)
            v[k++] = v[i];
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
    err = lp_listing_parse(a->text, a->tlen, f, 0, (size_t)job->in.lim.max_entries,
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
        lp_warner_skip(&job->in.warn, logical, why);
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
    if (!job->sec.engine || lp_scan_secrets_path_allowed(&job->sec, r->path))
        return LP_OK;
    struct found fd = {.r = r};
    lp_err err = lp_secrets_scan(job->sec.engine, job->ss[c->worker], text,
                                 len, keep_secret, &fd);
    return fd.err ? fd.err : err == LP_EABORTED ? LP_OK : err;
}

/* One window of a file larger than --max-file-size (see struct lp_item):
 * its secrets, those that start in the part it owns, placed in the file.
 * Matching needs the whole file: with it asked for, the file is said to
 * be read for secrets only. */
static lp_err scan_window(struct scan_ctx *c, const struct lp_item *it,
                          struct lp_file_result *r)
{
    struct scan_job *job = c->job;
    if (it->offset == 0) {
        r->kind = LP_KIND_OTHER;
        if (job->scan->secrets_mode != LP_SECRETS_ONLY) {
            char why[200];
            snprintf(why, sizeof why, "larger than %llu bytes "
                     "(--max-file-size): searched for secrets in windows, "
                     "not compared", (unsigned long long)job->in.max_size);
            lp_warner_skip(&job->in.warn, it->path, why);
        }
    }
    r->size = it->offset + it->len;
    size_t first = r->nsecrets, kept = first;
    lp_err err = find_secrets(c, it->data, it->len, r);
    for (size_t i = first; !err && i < r->nsecrets; i++) {
        struct lp_secret_finding f = r->secrets[i];
        if (f.offset < it->keep_from || f.offset >= it->keep_to)
            continue; /* the other window's */
        if (f.line == 1)
            f.column += (uint32_t)(it->col0 - 1);
        f.line += (uint32_t)it->line0;
        f.offset += it->offset;
        r->secrets[kept++] = f;
    }
    r->nsecrets = kept;
    return err;
}

/* An identical copy of a registered prose file that is licence text (a
 * LICENSE, a COPYING) is no evidence: the file is fingerprinted after all
 * and, when it is, noted licence-only instead (lp_match_licence_exact).
 * Its first LICENCE_HEAD bytes are tried first: identical documentation
 * (most identical prose) is told from licence text without lexing it all
 * (lexing every identical .rst file whole cost the scan of the bench's
 * restyled kernel/ and Documentation/ 3.5% more instructions). */
#define LICENCE_HEAD 2048
static lp_err exact_licence(const struct scan_job *job, struct lp_analyzer *an,
                            struct lp_analysis *a, struct lp_file_result *r)
{
    if (!r->nmatches || a->kind != LP_KIND_PROSE || job->mopt.no_licence)
        return LP_OK;
    struct lp_analysis head = *a;
    head.tlen = head.tlen < LICENCE_HEAD ? head.tlen : LICENCE_HEAD;
    lp_err err = lp_analyze_fp(an, &head);
    /* a head without a fingerprint (all licence words) tells nothing */
    if (err || (head.nfp && !lp_match_licence_exact(&head, NULL)))
        return err;
    if (head.tlen < a->tlen)
        err = lp_analyze_fp(an, a);
    else
        *a = head;
    if (!err)
        lp_match_licence_exact(a, r);
    return err;
}

/* Lines kept after the last line of a file's spans: more than the HTML
 * report shows around a span (report_html.c, HTML_CONTEXT). */
#define KEEP_AFTER 8

/* How much of text[0..len) a report of r's spans can show: up to the end
 * of the KEEP_AFTER-th line past the last line of any span. */
static size_t keep_len(const struct lp_file_result *r, const char *text,
                       size_t len)
{
    uint64_t last = 0;
    for (size_t i = 0; i < r->nmatches; i++)
        for (size_t k = 0; k < r->matches[i].nspans; k++)
            if (r->matches[i].spans[k].lines[1] > last)
                last = r->matches[i].spans[k].lines[1];
    last += KEEP_AFTER;
    size_t at = 0;
    for (uint64_t line = 0; line < last && at < len; line++) {
        const char *nl = memchr(text + at, '\n', len - at);
        at = nl ? (size_t)(nl - text) + 1 : len;
    }
    return at;
}

/* Keeps a copy of the text of a file with a match, as far as its spans
 * reach (keep_len()), while the budget of lp_scan_options.keep_text lasts
 * (shared by the workers): a long file matched near its start costs the
 * budget only what a report shows of it. */
static lp_err keep_text(struct scan_job *job, const struct lp_analysis *a,
                        struct lp_file_result *r)
{
    if (!r->nmatches || !a->text || !a->tlen ||
        !__atomic_load_n(&job->keep_left, __ATOMIC_RELAXED))
        return LP_OK;
    size_t n = keep_len(r, a->text, a->tlen);
    if (!n)
        return LP_OK;
    uint64_t left = __atomic_load_n(&job->keep_left, __ATOMIC_RELAXED);
    do {
        if (left < n)
            return LP_OK; /* the report says it has no lines for it */
    } while (!__atomic_compare_exchange_n(&job->keep_left, &left, left - n,
                                          true, __ATOMIC_RELAXED,
                                          __ATOMIC_RELAXED));
    if (!(r->text = lp_malloc(n)))
        return LP_ENOMEM;
    memcpy(r->text, a->text, n);
    r->tlen = n;
    return LP_OK;
}

/* Analyzes and matches one content: a file, or a member of an archive. */
static lp_err scan_file(struct scan_ctx *c, const char *logical,
                        const char *buf, size_t len,
                        struct lp_file_result *r)
{
    struct scan_job *job = c->job;
    struct lp_analyzer *an = &job->an[c->worker];
    struct lp_analysis a;
    /* Secrets alone need the text, not what kind of text it is, and read
     * lines of any length; matching stops before a line over --max-line
     * (and says so), but the secrets of the whole file are still sought. */
    bool only = job->scan->secrets_mode == LP_SECRETS_ONLY;
    size_t all = len;
    if (!only)
        len = lp_archive_cut_lines(&job->in.warn, logical, buf, len,
                                   &job->in.lim);
    /* SHA-256 is for identical files and for the report: a file whose size
     * no blob has gets one only if it is reported. */
    const struct lp_snapshot *snap = job->snap;
    lp_err err = only ? lp_analyze_raw(an, buf, len, &a)
                      : lp_analyze_id(an, logical, buf, len,
                                      lp_snapshot_has_size(snap, len), &a);
    if (err)
        return err;
    r->size = a.size;
    r->kind = (uint8_t)a.kind;
    bool raw = a.kind == LP_KIND_BINARY || len < all;
    err = find_secrets(c, raw ? buf : a.text, raw ? all : a.tlen, r);
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
    if (!err && exact)
        err = exact_licence(job, an, &a, r);
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
    if (!err && a.kind != LP_KIND_BINARY)
        err = keep_text(job, &a, r);
    if (!err && r->nmatches)
        err = lp_analyze_sha(buf, len, &a);
    if (!err)
        memcpy(r->sha, a.sha, sizeof r->sha);
    return err;
}

/* A document (PDF, office file, HTML, RTF): identical bytes, else its text
 * matched as prose; spans also give pages. */
static lp_err scan_document(struct scan_ctx *c, const char *logical,
                            const char *buf, size_t len, enum lp_doc d,
                            struct lp_file_result *r)
{
    struct scan_job *job = c->job;
    struct lp_analyzer *an = &job->an[c->worker];
    const struct lp_snapshot *snap = job->snap;
    struct lp_analysis a;
    r->doc = (uint8_t)d;
    r->size = len;
    r->kind = LP_KIND_PROSE;
    lp_err err = lp_run_input_document(&job->in, an, logical, d, buf, len,
                                       lp_snapshot_has_size(snap, len), &a,
                                       &r->failed);
    if (err || r->failed)
        return err;
    if (!err)
        err = find_secrets(c, a.text, a.tlen, r);
    if (err || job->scan->secrets_mode == LP_SECRETS_ONLY)
        return err;
    bool exact = false;
    if (!err && a.have_sha)
        err = lp_match_exact(snap, &a, r, &exact);
    if (!err && exact)
        err = exact_licence(job, an, &a, r);
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
    if (!err)
        err = keep_text(job, &a, r);
    if (!err && r->nmatches)
        err = lp_analyze_sha(buf, len, &a);
    if (!err)
        memcpy(r->sha, a.sha, sizeof r->sha);
    return err;
}

/* A file's result, done: to the caller's callback, if any. */
static lp_err deliver(struct scan_job *job, const struct lp_file_result *r)
{
    if (!job->on_file)
        return LP_OK;
    pthread_mutex_lock(&job->deliver_mu);
    int stop = job->on_file(job->on_file_ctx, r);
    pthread_mutex_unlock(&job->deliver_mu);
    return stop ? LP_EABORTED : LP_OK;
}

/* The feed's process: a document, or any other content. */
static lp_err scan_process(void *ctx, unsigned worker, void *token,
                           const struct lp_item *it)
{
    struct scan_ctx c = {.job = ctx, .worker = worker};
    if (it->windowed) {
        lp_err err = scan_window(&c, it, token);
        return err || !it->last ? err : deliver(ctx, token);
    }
    enum lp_doc d = it->whole ? lp_doc_detect(it->path,
                                              (const unsigned char *)it->data,
                                              it->len)
                              : LP_DOC_NONE;
    lp_err err = d != LP_DOC_NONE
                     ? scan_document(&c, it->path, it->data, it->len, d, token)
                     : scan_file(&c, it->path, it->data, it->len, token);
    return err ? err : deliver(ctx, token);
}

/* The feed's failed: the entry is in the results, as not read. */
static lp_err scan_failed(void *ctx, size_t entry, const struct lp_walk_entry *e)
{
    struct lp_item it = {.path = e->logical, .entry = entry, .origin = e};
    void *token;
    lp_err err = scan_begin(ctx, &it, &token);
    if (err)
        return err;
    ((struct lp_file_result *)token)->failed = true;
    return deliver(ctx, token);
}

/* The slots' results, in walk order, become the scan's files. */
static lp_err gather(struct scan_job *job)
{
    struct lp_scan *s = job->scan;
    size_t n = 0;
    for (size_t i = 0; i < job->in.list.n; i++)
        n += job->slots[i].n;
    s->files = lp_calloc(n ? n : 1, sizeof *s->files);
    if (!s->files)
        return LP_ENOMEM;
    for (size_t i = 0; i < job->in.list.n; i++) {
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

static const struct lp_feed_ops scan_ops = {
    .whole = lp_run_input_whole,
    .begin = scan_begin,
    .process = scan_process,
    .failed = scan_failed,
};

static lp_err setup(struct scan_job *job, unsigned jobs)
{
    size_t n = job->in.list.n;
    job->slots = lp_calloc(n ? n : 1, sizeof *job->slots);
    job->an = lp_calloc(jobs, sizeof *job->an);
    job->mt = lp_calloc(jobs, sizeof *job->mt);
    if (!job->slots || !job->an || !job->mt)
        return LP_ENOMEM;
    for (unsigned i = 0; i < jobs; i++) {
        lp_analyzer_init(&job->an[i]);
        lp_err err = lp_matcher_new(&job->mt[i]);
        if (err)
            return err;
    }
    if (job->sec.engine) {
        job->ss = lp_calloc(jobs, sizeof *job->ss);
        if (!job->ss)
            return LP_ENOMEM;
        for (unsigned i = 0; i < jobs; i++) {
            lp_err err = lp_secrets_scratch_new(job->sec.engine, &job->ss[i]);
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
    for (unsigned i = 0; job->ss && i < jobs; i++)
        lp_secrets_scratch_free(job->ss[i]);
    lp_free(job->ss);
    for (size_t i = 0; job->slots && i < job->in.list.n; i++) {
        for (size_t k = 0; k < job->slots[i].n; k++) {
            lp_file_result_release(job->slots[i].v[k]);
            lp_free(job->slots[i].v[k]);
        }
        lp_free(job->slots[i].v);
    }
    lp_free(job->slots);
    lp_free(job->refs);
    lp_free(job->git.v);
    pthread_mutex_destroy(&job->refs_mu);
    lp_free(job->an);
    lp_free(job->mt);
    lp_scan_secrets_release(&job->sec);
    if (job->snap != job->own_snap) /* the registry's: our reference */
        lp_registry_snapshot_release(job->reg, job->snap);
    lp_snapshot_free(job->own_snap);
    lp_run_input_release(&job->in);
}

static lp_err fail(struct scan_job *job, lp_err err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Says why the run failed: on the result, and on the registry too. */
static lp_err fail(struct scan_job *job, lp_err err, const char *fmt, ...)
{
    char *msg = job->scan->errmsg;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof job->scan->errmsg, fmt, ap);
    va_end(ap);
    if (job->reg)
        lp_registry_seterr(job->reg, err, "%s", msg);
    return err;
}

/* The engine, with the organisation's configuration and baseline. */
static lp_err build_engine(struct scan_job *job,
                           const struct lp_scan_options *opt)
{
    char why[LP_MAX_PATH + 512] = "";
    lp_err err = lp_scan_secrets_setup(&job->sec, job->scan, job->reg, opt,
                                       why, sizeof why);
    return err ? fail(job, err, "%s", why) : LP_OK;
}

static lp_err collect(struct scan_job *job, const struct lp_target *t,
                      size_t n)
{
    char msg[LP_MAX_PATH + 256];
    lp_err err = lp_run_input_collect(&job->in, t, n,
                                      (unsigned)job->walk_flags,
                                      job->reg ? lp_registry_path(job->reg)
                                               : NULL,
                                      msg, sizeof msg);
    return err ? fail(job, err, "%s", msg) : LP_OK;
}

/* lp_scan_targets(), and the one-line messages of skipped inputs to warn
 * (may be NULL) as lp_scan_run() gives them. */
static lp_err scan_targets(lp_registry *reg, const struct lp_scan_options *opt,
                           const struct lp_target *targets, size_t ntargets,
                           void (*warn)(void *ctx, const char *msg),
                           void *warn_ctx, lp_scan **out)
{
    unsigned jobs = opt->jobs > 0 ? (unsigned)opt->jobs : lp_pool_cores();
    struct scan_job job = {
        .reg = reg,
        .on_file = opt->on_file,
        .on_file_ctx = opt->on_file_ctx,
        .mopt = {.min_similarity = opt->min_similarity, .min_span_fp = 6,
                 .min_votes = 3, .min_tokens = opt->min_tokens,
                 .no_licence = opt->no_licence_background != 0,
                 .max_matches = opt->max_matches > 0
                                    ? (unsigned)opt->max_matches
                                    : LP_MAX_MATCHES_DEFAULT}};
    *out = NULL;
    struct lp_scan *s = lp_result_new();
    if (!s)
        return LP_ENOMEM;
    job.scan = s;
    job.keep_left = opt->keep_text;
    pthread_mutex_init(&job.refs_mu, NULL);
    /* A target that cannot be read is said, and the others are read. */
    job.walk_flags = LP_WALK_SKIP_BAD_ROOTS |
                     (opt->input.follow_symlinks ? LP_WALK_FOLLOW : 0);
    if (opt->history == LP_HISTORY_ALL)
        job.walk_flags |= LP_WALK_GIT_HISTORY;
    lp_run_input_init(&job.in, &opt->input, opt->max_file_size, warn,
                      warn_ctx);
    job.in.warn.skip = opt->on_skip;
    job.in.warn.skip_ctx = opt->on_skip_ctx;
    pthread_mutex_init(&job.deliver_mu, NULL);
    s->secrets_mode = opt->secrets;
    lp_err err = LP_OK;
    if (reg) {
        if ((err = lp_registry_snapshot_shared(reg, &job.snap)) != LP_OK)
            snprintf(s->errmsg, sizeof s->errmsg, "%s",
                     lp_registry_errmsg(reg));
    } else if (opt->secrets != LP_SECRETS_ONLY) {
        err = fail(&job, LP_EINVAL, "scan: matching needs a registry");
    } else if (!(job.snap = job.own_snap =
                     lp_calloc(1, sizeof *job.own_snap))) {
        err = LP_ENOMEM;
    }
    if (!err)
        err = lp_result_names(s, job.snap, reg ? lp_registry_path(reg) : "");
    if (!err && opt->secrets)
        err = build_engine(&job, opt);
    if (!err)
        err = collect(&job, targets, ntargets);
    if (!err)
        err = setup(&job, jobs);
    if (!err)
        err = lp_run_input_feed(&job.in, jobs, job.sec.engine != NULL,
                                opt->progress, opt->progress_ctx, &scan_ops,
                                &job);
    if (!err)
        err = gather(&job);
    s->nerrors = atomic_load(&job.in.warn.count);
    lp_warner_take(&job.in.warn, &s->skips, &s->nskips);
    for (size_t i = 0; !err && i < s->nfiles; i++)
        s->bytes += s->files[i].failed ? 0 : s->files[i].size;
    if (!err && job.sec.engine) {
        char why[LP_MAX_PATH + 256];
        if ((err = lp_scan_secrets_finish(&job.sec, s, reg,
                                          opt->write_baseline, why,
                                          sizeof why)) != LP_OK)
            fail(&job, err, "%s", why);
    }
    if (!err && opt->secrets != LP_SECRETS_ONLY)
        err = lp_verdict_compute(s, job.snap);
    if (err == LP_ENOMEM)
        fail(&job, err, "scan: out of memory");
    else if (err == LP_EABORTED && !*s->errmsg)
        fail(&job, err, "scan: stopped by the caller");
    teardown(&job, jobs);
    pthread_mutex_destroy(&job.deliver_mu);
    *out = s;
    return err;
}

lp_err lp_scan_targets(lp_registry *reg, const struct lp_scan_options *opt,
                       const struct lp_target *targets, size_t n,
                       lp_scan **out)
{
    return scan_targets(reg, opt, targets, n, NULL, NULL, out);
}

lp_err lp_scan_run(lp_registry *reg, const struct lp_scan_options *opt,
                   const char *const *paths, size_t n,
                   void (*warn)(void *ctx, const char *msg), void *warn_ctx,
                   lp_scan **out)
{
    struct lp_target *t = lp_calloc(n ? n : 1, sizeof *t);
    lp_scan *s = NULL;
    *out = NULL;
    if (!t)
        return LP_ENOMEM;
    for (size_t i = 0; i < n; i++)
        t[i].name = paths[i];
    lp_err err = scan_targets(reg, opt, t, n, warn, warn_ctx, &s);
    lp_free(t);
    if (err) { /* without a registry, the reason goes to opt->err */
        if (s && !reg && opt->err && opt->errlen)
            snprintf(opt->err, opt->errlen, "%s", s->errmsg);
        lp_scan_free(s);
        return err;
    }
    *out = s;
    return LP_OK;
}
