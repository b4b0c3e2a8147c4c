/* SPDX-License-Identifier: Apache-2.0
 *
 * add: registers files as one new version of a collection. Workers read and
 * analyze files in parallel into per-file slots; the calling thread then
 * writes, in walk order, blobs (deduplicated by SHA-256, so unchanged files
 * are fingerprinted once across versions), paths and fingerprints into one
 * registry transaction, made durable by lp_txn_commit().
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze.h"
#include "limits.h"
#include "mem.h"
#include "pool.h"
#include "registry.h"
#include "walk.h"
#include "banned.h"

struct add_slot {
    struct lp_blob_info info;
    struct lp_fp *fp; /* owned copy */
    size_t nfp;
    uint32_t known;   /* blob id already in the registry, or 0 */
    bool failed;
};

struct add_job {
    struct lp_walk_list files;
    struct add_slot *slots;
    struct lp_analyzer *an; /* one per worker */
    const struct lp_snapshot *snap;
    struct lp_warner warn;
    void (*progress)(void *ctx, size_t done, size_t total);
    void *progress_ctx;
    uint64_t max_size;
};

static lp_err add_one(void *ctx, unsigned worker, size_t i)
{
    struct add_job *job = ctx;
    struct lp_walk_entry *e = &job->files.v[i];
    struct add_slot *s = &job->slots[i];
    struct lp_analyzer *an = &job->an[worker];
    size_t len;
    lp_err err = lp_walk_read_entry(e, job->max_size, &an->buf, &an->cap, &len,
                                    &job->warn, &s->failed);
    if (err || s->failed)
        return err;
    /* Hash first: a content already registered is not lexed again. */
    struct lp_analysis a;
    err = lp_analyze_id(e->logical, an->buf, len, true, &a);
    if (!err) {
        s->known = lp_snapshot_find_sha(job->snap, a.sha);
        if (!s->known)
            err = lp_analyze_fp(an, an->buf, len, &a);
        if (!err && !s->known)
            err = lp_analyze_abstract(an, &a);
    }
    if (err)
        return err;
    memcpy(s->info.sha, a.sha, sizeof a.sha);
    s->info.size = a.size;
    s->info.lines = a.lines;
    s->info.kind = (uint8_t)a.kind;
    s->info.lang = (uint8_t)a.lang;
    s->info.nfp = (uint32_t)a.nfp;
    s->info.nafp = (uint32_t)a.nafp;
    size_t nall = a.nfp + a.nafp; /* both streams, in one array */
    if (nall) {
        s->fp = lp_reallocarray(NULL, nall, sizeof *s->fp);
        if (!s->fp)
            return LP_ENOMEM;
        memcpy(s->fp, a.fp, nall * sizeof *s->fp);
        s->nfp = nall;
    }
    return LP_OK;
}

static void add_progress(void *ctx, size_t done, size_t total)
{
    struct add_job *job = ctx;
    if (job->progress)
        job->progress(job->progress_ctx, done, total);
}

/* Writes one analyzed file into the transaction. */
static lp_err commit_slot(struct lp_txn *txn, int64_t version, const char *path,
                          struct add_slot *s, struct lp_add_stats *st)
{
    uint32_t blob = s->known;
    lp_err err = LP_OK;
    if (!blob)
        err = lp_txn_blob_find(txn, s->info.sha, &blob);
    if (!err && !blob) {
        err = lp_txn_blob_add(txn, &s->info, &blob);
        st->new_blobs++;
        for (size_t j = 0; !err && j < s->nfp; j += 4096) {
            struct lp_fp_entry e[4096];
            size_t m = s->nfp - j < 4096 ? s->nfp - j : 4096;
            for (size_t k = 0; k < m; k++) {
                e[k].hash = s->fp[j + k].hash;
                e[k].blob = blob;
                e[k].first = s->fp[j + k].first;
                e[k].last = s->fp[j + k].last;
            }
            err = lp_txn_fingerprints(txn, e, m);
        }
        st->fingerprints += s->nfp;
    }
    if (!err)
        err = lp_txn_file(txn, version, path, blob);
    st->files++;
    st->bytes += s->info.size;
    return err;
}

static void default_version(char *buf, size_t len)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Last path component of `path`, without trailing slashes, into buf; for
 * ".", ".." and "/" the last component of the resolved path (or "root"). */
static void base_name(const char *path, char *buf, size_t len)
{
    char *real = NULL;
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    size_t b = n;
    while (b > 0 && path[b - 1] != '/')
        b--;
    if ((n - b == 1 && path[b] == '.') ||
        (n - b == 2 && path[b] == '.' && path[b + 1] == '.') ||
        (n == 1 && path[0] == '/')) {
        real = realpath(path, NULL);
        const char *slash = real ? strrchr(real, '/') : NULL;
        snprintf(buf, len, "%s", slash && slash[1] ? slash + 1 : "root");
        free(real); /* allocated by libc */
        return;
    }
    snprintf(buf, len, "%.*s", (int)(n - b), path + b);
}

static lp_err collect(lp_registry *reg, const char *const *paths,
                      size_t npaths, struct add_job *job)
{
    char msg[LP_MAX_PATH + 256];
    lp_err err = lp_walk_collect_all(paths, npaths, LP_WALK_RELATIVE,
                                     lp_registry_path(reg), &job->files,
                                     &job->warn, msg, sizeof msg);
    return err ? lp_registry_seterr(reg, err, "%s", msg) : LP_OK;
}

static lp_err write_all(lp_registry *reg, const struct lp_add_options *opt,
                        const char *const *paths, struct add_job *job,
                        struct lp_add_stats *st)
{
    char name[256], ver[64];
    struct lp_txn *txn = NULL;
    int64_t coll, version;
    if (opt->name)
        snprintf(name, sizeof name, "%s", opt->name);
    else
        base_name(paths[0], name, sizeof name);
    if (opt->version)
        snprintf(ver, sizeof ver, "%s", opt->version);
    else
        default_version(ver, sizeof ver);
    lp_err err = lp_registry_begin(reg, &txn);
    if (err)
        return err;
    err = lp_txn_collection(txn, name, opt->public_ != 0, &coll);
    if (!err)
        err = lp_txn_version(txn, coll, ver, (int64_t)time(NULL), &version);
    if (err == LP_EEXIST)
        lp_registry_seterr(reg, err,
                           "'%s': version '%s' of collection '%s' exists",
                           lp_registry_path(reg), ver, name);
    for (size_t i = 0; !err && i < job->files.n; i++) {
        if (job->slots[i].failed)
            continue;
        err = commit_slot(txn, version, job->files.v[i].logical,
                          &job->slots[i], st);
    }
    if (err) {
        lp_txn_abort(txn);
        return err;
    }
    return lp_txn_commit(txn);
}

lp_err lp_add(lp_registry *reg, const struct lp_add_options *opt,
              const char *const *paths, size_t npaths,
              void (*warn)(void *ctx, const char *msg), void *warn_ctx,
              struct lp_add_stats *st)
{
    struct add_job job = {
                          .progress = opt->progress,
                          .progress_ctx = opt->progress_ctx,
                          .max_size = opt->max_file_size
                                          ? opt->max_file_size
                                          : LP_MAX_FILE_SIZE_DEFAULT};
    struct lp_snapshot *snap = NULL;
    unsigned jobs = opt->jobs > 0 ? (unsigned)opt->jobs : lp_pool_cores();
    lp_err err;
    memset(st, 0, sizeof *st);
    if (npaths == 0)
        return lp_registry_seterr(reg, LP_EINVAL, "add: no path given");
    lp_walk_list_init(&job.files);
    lp_warner_init(&job.warn, warn, warn_ctx);
    err = collect(reg, paths, npaths, &job);
    if (!err)
        err = lp_registry_snapshot(reg, &snap);
    if (!err) {
        job.snap = snap;
        job.slots = lp_calloc(job.files.n, sizeof *job.slots);
        job.an = lp_calloc(jobs, sizeof *job.an);
        if (!job.slots || !job.an)
            err = LP_ENOMEM;
    }
    for (unsigned i = 0; job.an && i < jobs; i++)
        lp_analyzer_init(&job.an[i]);
    if (!err)
        err = lp_pool_run(job.files.n, jobs, add_one,
                          opt->progress ? add_progress : NULL, &job);
    if (!err)
        err = write_all(reg, opt, paths, &job, st);
    if (err == LP_ENOMEM)
        lp_registry_seterr(reg, err, "add: out of memory");
    st->skipped = atomic_load(&job.warn.count);
    for (size_t i = 0; job.slots && i < job.files.n; i++)
        lp_free(job.slots[i].fp);
    for (unsigned i = 0; job.an && i < jobs; i++)
        lp_analyzer_release(&job.an[i]);
    lp_free(job.an);
    lp_free(job.slots);
    lp_snapshot_free(snap);
    lp_walk_list_release(&job.files);
    lp_warner_release(&job.warn);
    return err;
}
