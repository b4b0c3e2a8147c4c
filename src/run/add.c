/* SPDX-License-Identifier: Apache-2.0
 *
 * add: registers versions of a collection. A plan lists the versions (one
 * for a directory walk; for a git repository, the HEAD commit, every tag or
 * every commit, dated by their commits) and their files, each naming a
 * content to read: a file, or a git blob read once however many versions
 * hold it. Workers read and analyze the contents in parallel into slots;
 * the calling thread then writes, version by version, blobs (deduplicated
 * by SHA-256, so unchanged files are fingerprinted once across versions),
 * paths and fingerprints into one registry transaction, made durable by
 * lp_txn_commit().
 */
#include <openssl/crypto.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze.h"
#include "feed.h"
#include "run_input.h"
#include "git.h"
#include "hash.h"
#include "limits.h"
#include "mem.h"
#include "pool.h"
#include "registry.h"
#include "scan_secrets.h"
#include "terms.h"
#include "secrets.h"
#include "secrets_config.h"
#include "secrets_key.h"
#include "utf8.h"
#include "walk.h"
#include "walk_archive.h"
#include "banned.h"

struct add_member;

struct add_slot {
    struct lp_blob_info info;
    struct lp_fp *fp; /* owned copy */
    size_t nfp;
    uint32_t known;   /* blob id already in the registry, or 0 */
    bool by_oid;      /* known from its git blob id: not read at all */
    bool oid_saved;   /* its git blob id recorded in this transaction */
    bool have_oid;    /* git_oid computed from the content it read */
    uint8_t git_oid[LP_GIT_ID_LEN];
    bool failed;
    bool read;        /* the feed gave its content (not only members) */
    bool have_tlsh; /* a binary's similarity digest */
    char tlsh[LP_TLSH_LEN + 1];
    /* A new content's secrets (keyed fingerprints) and the domains of its
     * e-mail addresses, for `secrets --db`. */
    struct add_secret *secrets;
    size_t nsecrets, capsecrets;
    char (*domains)[LP_DOMAIN_MAX];
    size_t ndomains;
    /* The watch terms learnt from a new content (lp_registry_terms()):
     * nterms strings, each its kind's letter ('h' host, 'i' identifier)
     * then the term, NUL-terminated, one after the other. */
    char *terms;
    size_t nterms;
    /* An archive: its members (nested ones too, in archive order) are
     * registered instead of it. */
    struct add_member **members; /* each allocated alone: another worker
                                    may fill one while the array grows */
    size_t nmembers, capmembers;
};

struct add_secret {
    const char *rule; /* the engine's rule id */
    char fp[65];
    uint32_t line;
    uint32_t lines;  /* lines its value spans */
    uint64_t offset; /* of its value in the text scanned */
};

/* Bytes of a collection or version name, at most. */
#define LP_NAME_MAX 200
#define LP_STR_(x) #x
#define LP_STR(x) LP_STR_(x)

/* Adds of one collection within one second that get a default version
 * name, at most. */
#define ADD_SAME_SECOND 1000

/* Domains of e-mail addresses kept per content, at most. */
#define ADD_DOMAINS 16
/* Internal host names kept per content, at most, and their bytes. */
#define ADD_HOSTS 16
#define ADD_HOST_MAX 128

struct add_member {
    char *rel; /* its path after the archive's: "!dir/a.c" */
    struct add_slot slot;
};

/* A file of a version: its path and the content (walk entry) it holds. */
struct add_file {
    const char *path; /* borrowed from the walk list or the plan */
    size_t entry;
};

struct add_version {
    char name[256];
    int64_t created; /* unix time: now, or the commit's */
    size_t first, n; /* its files in plan.files */
};

struct add_plan {
    struct add_version *v;
    size_t nv, capv;
    struct add_file *f;
    size_t nf, capf;
    char **owned; /* paths of git files */
    size_t nowned, capowned;
    uint32_t *known; /* per content: the blob its git blob id names, or 0 */
    size_t capknown;
    bool git;
    bool default_name; /* the version is named by the time (no --version) */
};

struct add_job {
    struct lp_run_input in;  /* the contents to read, limits, skips */
    struct add_plan plan;
    struct add_slot *slots; /* per content */
    struct lp_analyzer *an; /* one per worker */
    const struct lp_snapshot *snap;
    struct lp_secrets_engine *engine; /* protected material only */
    struct lp_secrets_scratch **ss;   /* one per worker */
    struct lp_term_span **idents;     /* one per worker (learn_terms) */
};

/* A worker at work on one content. */
struct add_ctx {
    struct add_job *job;
    unsigned worker;
    struct add_slot *found; /* where secrets go (find_secrets) */
    char (*hosts)[ADD_HOST_MAX]; /* internal host names found, lower-case */
    size_t nhosts;
};

/* Keeps an internal host name (the exposure rule internal-hostname's
 * value; never a secret's) unless kept already or ADD_HOSTS are. */
static void keep_host(struct add_ctx *c, const struct lp_rule *r,
                      const struct lp_secret_finding *f)
{
    char h[ADD_HOST_MAX];
    /* a value that filled f->value may have been cut */
    if (!c->hosts || c->nhosts >= ADD_HOSTS ||
        strcmp(r->id, "internal-hostname") != 0 ||
        strlen(f->value) + 1 >= sizeof f->value ||
        !lp_terms_host(f->value, h, sizeof h))
        return;
    for (size_t i = 0; i < c->nhosts; i++)
        if (strcmp(c->hosts[i], h) == 0)
            return;
    memcpy(c->hosts[c->nhosts++], h, sizeof h);
}

static int keep_secret(void *ctx, const struct lp_secret_finding *f)
{
    struct add_ctx *c = ctx;
    struct add_slot *s = c->found;
    const struct lp_rule *r = lp_secrets_rule(c->job->engine, f->rule);
    if (r->flags & LP_RULE_EXPOSURE) {
        keep_host(c, r, f);
        return 0;
    }
    if (!lp_grow((void **)&s->secrets, &s->capsecrets, s->nsecrets + 1,
                 sizeof *s->secrets))
        return 1; /* reported as LP_ENOMEM by the caller */
    struct add_secret *x = &s->secrets[s->nsecrets++];
    x->rule = r->id;
    memcpy(x->fp, f->fp, sizeof x->fp);
    x->line = f->line;
    x->lines = f->lines;
    x->offset = f->offset;
    return 0;
}

/* The secrets of a new protected content, and its e-mail domains. */
static lp_err find_secrets(struct add_ctx *c, const char *text, size_t len,
                           struct add_slot *s)
{
    struct add_job *job = c->job;
    if (!job->engine)
        return LP_OK;
    c->found = s;
    lp_err err = lp_secrets_scan(job->engine, job->ss[c->worker], text, len,
                                 keep_secret, c);
    if (err == LP_EABORTED)
        return LP_ENOMEM;
    if (err)
        return err;
    char found[ADD_DOMAINS][LP_DOMAIN_MAX];
    size_t n = lp_secrets_mail_domains(text, len, found, ADD_DOMAINS);
    if (!n)
        return LP_OK;
    if (!(s->domains = lp_reallocarray(NULL, n, sizeof *s->domains)))
        return LP_ENOMEM;
    memcpy(s->domains, found, n * sizeof *found);
    s->ndomains = n;
    return LP_OK;
}

static int skip_cmp(const void *a, const void *b)
{
    const struct lp_term_skip *x = a, *y = b;
    return x->from < y->from ? -1 : x->from > y->from;
}

/* The watch terms of a new content into s->terms: the host names its
 * secrets scan found (protected material) and, for code, its distinctive
 * identifiers (LP_TERMS_PER_CONTENT, or LP_TERMS_PER_PUBLIC for public
 * material, which protected ones are checked against). One allocation. */
static lp_err learn_terms(struct add_ctx *c, const struct lp_analysis *a,
                          struct add_slot *s)
{
    bool public_ = !c->job->engine;
    size_t max = public_ ? LP_TERMS_PER_PUBLIC : LP_TERMS_PER_CONTENT;
    struct lp_term_span *id = c->job->idents[c->worker];
    struct lp_term_skip *skip = NULL;
    size_t nid = 0;
    if (a->kind == LP_KIND_CODE) {
        /* the lines of its secrets give no term: no value is kept */
        if (s->nsecrets &&
            !(skip = lp_reallocarray(NULL, s->nsecrets, sizeof *skip)))
            return LP_ENOMEM;
        for (size_t i = 0; i < s->nsecrets; i++)
            skip[i] = lp_terms_lines(a->text, a->tlen,
                                     (size_t)s->secrets[i].offset,
                                     s->secrets[i].lines);
        if (s->nsecrets > 1)
            lp_sort(skip, s->nsecrets, sizeof *skip, skip_cmp);
        nid = lp_terms_idents(a->text, a->tlen, skip, s->nsecrets, id, max);
        lp_free(skip);
    }
    size_t bytes = 0;
    for (size_t i = 0; i < c->nhosts; i++)
        bytes += strlen(c->hosts[i]) + 2;
    for (size_t i = 0; i < nid; i++)
        bytes += id[i].len + 2;
    if (!bytes)
        return LP_OK;
    char *o = s->terms = lp_malloc(bytes);
    if (!o)
        return LP_ENOMEM;
    for (size_t i = 0; i < c->nhosts; i++) {
        size_t n = strlen(c->hosts[i]);
        *o++ = 'h';
        memcpy(o, c->hosts[i], n + 1);
        o += n + 1;
    }
    for (size_t i = 0; i < nid; i++) {
        *o++ = 'i';
        memcpy(o, a->text + id[i].off, id[i].len);
        o += id[i].len;
        *o++ = '\0';
    }
    s->nterms = c->nhosts + nid;
    return LP_OK;
}

/* Hashes, and when new fingerprints, one content into slot s. */
static lp_err analyze_into(struct add_ctx *c, const char *logical,
                           const char *buf, size_t len, struct add_slot *s)
{
    struct add_job *job = c->job;
    struct lp_analyzer *an = &job->an[c->worker];
    /* Hash first: a content already registered is not lexed again. A
     * document's text is what is lexed. */
    struct lp_analysis a;
    enum lp_doc d = lp_doc_detect(logical, (const unsigned char *)buf, len);
    /* its git blob id, whatever it came from: a listing that names it
     * (git ls-tree, git ls-files -s) is checked by it */
    lp_err err = lp_git_blob_id(buf, len, s->git_oid);
    if (err)
        return err;
    s->have_oid = true;
    if (d == LP_DOC_NONE)
        len = lp_archive_cut_lines(&job->in.warn, logical, buf, len, &job->in.lim);
    err = d == LP_DOC_NONE
                     ? lp_analyze_id(an, logical, buf, len, true, &a)
                     : lp_run_input_document(&job->in, an, logical, d, buf,
                                             len, true, &a, &s->failed);
    if (err || s->failed)
        return err;
    s->known = lp_snapshot_find_sha(job->snap, a.sha);
    if (!s->known) {
        char hosts[ADD_HOSTS][ADD_HOST_MAX];
        c->hosts = hosts;
        c->nhosts = 0;
        err = lp_analyze_fp(an, &a);
        if (!err)
            err = lp_analyze_abstract(an, &a);
        if (!err)
            err = find_secrets(c, a.kind == LP_KIND_BINARY ? buf : a.text,
                               a.kind == LP_KIND_BINARY ? len : a.tlen, s);
        if (!err)
            err = learn_terms(c, &a, s);
        c->hosts = NULL;
        if (err)
            return err;
    }
    memcpy(s->info.sha, a.sha, sizeof a.sha);
    s->have_tlsh = a.have_tlsh;
    if (a.have_tlsh)
        memcpy(s->tlsh, a.tlsh, sizeof s->tlsh);
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

/* The feed's wanted: a blob an earlier add of the repository registered
 * is not read again. */
static bool add_wanted(void *ctx, size_t entry)
{
    struct add_job *job = ctx;
    return !job->slots[entry].by_oid;
}

/* The feed's begin: the entry's slot, or a new member slot of it (an
 * archive's members are registered instead of it). */
static lp_err add_begin(void *ctx, const struct lp_item *it, void **token)
{
    struct add_job *job = ctx;
    struct add_slot *p = &job->slots[it->entry];
    if (it->depth == 0) {
        p->read = true;
        *token = p;
        return LP_OK;
    }
    if (!lp_grow((void **)&p->members, &p->capmembers, p->nmembers + 1,
                 sizeof *p->members))
        return LP_ENOMEM;
    struct add_member *m = lp_calloc(1, sizeof *m);
    if (!m)
        return LP_ENOMEM;
    p->members[p->nmembers++] = m;
    /* its path after the archive's: "!dir/a.c" */
    if (!(m->rel = lp_strdup(it->path + strlen(it->origin->logical))))
        return LP_ENOMEM;
    *token = &m->slot;
    return LP_OK;
}

static lp_err add_process(void *ctx, unsigned worker, void *token,
                          const struct lp_item *it)
{
    struct add_ctx c = {.job = ctx, .worker = worker};
    return analyze_into(&c, it->path, it->data, it->len, token);
}

static lp_err add_failed(void *ctx, size_t entry, const struct lp_walk_entry *e)
{
    struct add_job *job = ctx;
    (void)e;
    job->slots[entry].failed = true;
    return LP_OK;
}

static void slot_release(struct add_slot *s)
{
    for (size_t i = 0; i < s->nmembers; i++) {
        if (!s->members[i])
            continue;
        lp_free(s->members[i]->rel);
        slot_release(&s->members[i]->slot);
        lp_free(s->members[i]);
    }
    lp_free(s->members);
    lp_free(s->fp);
    lp_free(s->secrets);
    lp_free(s->domains);
    lp_free(s->terms);
}

static const struct lp_feed_ops add_ops = {
    .whole = lp_run_input_whole,
    .wanted = add_wanted,
    .begin = add_begin,
    .process = add_process,
    .failed = add_failed,
};

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
        if (!err && s->have_tlsh)
            err = lp_txn_tlsh(txn, blob, s->tlsh);
        for (size_t j = 0; !err && j < s->nsecrets; j++)
            err = lp_txn_secret(txn, blob, s->secrets[j].rule,
                                s->secrets[j].fp, s->secrets[j].line);
        for (size_t j = 0; !err && j < s->ndomains; j++)
            err = lp_txn_domain(txn, blob, s->domains[j]);
        const char *t = s->terms;
        for (size_t j = 0; !err && j < s->nterms; j++) {
            err = lp_txn_term(txn, blob, t[0] == 'h' ? "host" : "ident",
                              t + 1);
            t += strlen(t) + 1;
        }
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
    if (!err && s->have_oid && !s->oid_saved) {
        err = lp_txn_gitblob(txn, s->git_oid, blob);
        s->oid_saved = true;
    }
    s->known = blob; /* the next versions holding it find it at once */
    st->files++;
    st->bytes += s->info.size;
    return err;
}

/* A member's path inside its archive: without the '!' and any leading
 * "./" or "/". */
static const char *member_path(const char *rel)
{
    rel++; /* the '!' */
    while (rel[0] == '/' || (rel[0] == '.' && rel[1] == '/'))
        rel += rel[0] == '/' ? 1 : 2;
    return rel;
}

/* Bytes of the top directory ("proj-1.0/") that every member's path
 * starts with, or 0. */
static size_t common_top(const struct add_slot *sl)
{
    const char *first = member_path(sl->members[0]->rel);
    const char *slash = strchr(first, '/');
    if (!slash)
        return 0;
    size_t n = (size_t)(slash - first) + 1;
    for (size_t i = 1; i < sl->nmembers; i++)
        if (strncmp(member_path(sl->members[i]->rel), first, n) != 0)
            return 0;
    return n;
}

/* The members of an archive at `path`: named "path!member", or "member"
 * when the archive is what the user gave to add: its content is the tree,
 * named as a directory's would be (without the one top directory that a
 * source tarball has). */
static lp_err commit_members(struct lp_txn *txn, int64_t version,
                             const char *path, bool root, struct add_slot *sl,
                             struct lp_add_stats *st)
{
    char name[2 * LP_MAX_PATH + 2];
    lp_err err = LP_OK;
    size_t top = root ? common_top(sl) : 0;
    for (size_t i = 0; !err && i < sl->nmembers; i++) {
        if (sl->members[i]->slot.failed)
            continue;
        const char *rel = sl->members[i]->rel;
        if (root) {
            rel = member_path(rel) + top;
            snprintf(name, sizeof name, "%s", *rel ? rel : "?");
        } else {
            snprintf(name, sizeof name, "%s%s", path, rel);
        }
        err = commit_slot(txn, version, name, &sl->members[i]->slot, st);
    }
    return err;
}

/* What is wrong with a collection name (slash_ok false) or a version name,
 * or NULL: names are shown in reports and typed in commands, so they are
 * 1..LP_NAME_MAX bytes of UTF-8 without control characters; a collection
 * name is one name and holds no '/' (a version may: "release/1.2"). */
static const char *name_problem(const char *s, bool slash_ok)
{
    size_t len = strlen(s), n = 0;
    if (!len)
        return "empty";
    if (len > LP_NAME_MAX)
        return "longer than " LP_STR(LP_NAME_MAX) " bytes";
    for (const unsigned char *p = (const unsigned char *)s; *p; p += n) {
        uint32_t c = 0;
        if (!(n = lp_utf8_seq(p, 4, &c)))
            return "not valid UTF-8";
        if (lp_utf8_hidden(c))
            return "holds a control character";
        if (c == '/' && !slash_ok)
            return "holds '/'";
    }
    return NULL;
}

/* LP_EINVAL with a message when a name is not valid. */
static lp_err check_name(lp_registry *reg, const char *what, const char *s,
                         bool slash_ok)
{
    const char *why = name_problem(s, slash_ok);
    if (!why)
        return LP_OK;
    /* shown escaped, cut to fit a message */
    char shown[64 * 6 + 8];
    size_t o = lp_utf8_escape(s, shown, sizeof shown);
    return lp_registry_seterr(reg, LP_EINVAL, "'%s%s': invalid %s name (%s)",
                              shown, strlen(s) > o ? "..." : "", what, why);
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

static lp_err plan_version(struct add_plan *p, const char *name,
                           int64_t created)
{
    if (!lp_grow((void **)&p->v, &p->capv, p->nv + 1, sizeof *p->v))
        return LP_ENOMEM;
    struct add_version *v = &p->v[p->nv++];
    snprintf(v->name, sizeof v->name, "%s", name);
    v->created = created;
    v->first = p->nf;
    v->n = 0;
    return LP_OK;
}

static lp_err plan_file(struct add_plan *p, const char *path, size_t entry)
{
    if (!lp_grow((void **)&p->f, &p->capf, p->nf + 1, sizeof *p->f))
        return LP_ENOMEM;
    p->f[p->nf++] = (struct add_file){path, entry};
    p->v[p->nv - 1].n++;
    return LP_OK;
}

static void plan_release(struct add_plan *p)
{
    for (size_t i = 0; i < p->nowned; i++)
        lp_free(p->owned[i]);
    lp_free(p->owned);
    lp_free(p->known);
    lp_free(p->v);
    lp_free(p->f);
    memset(p, 0, sizeof *p);
}

/* Takes over a path string (owned by the plan from now on, even on
 * failure). */
static lp_err plan_own(struct add_plan *p, char *s)
{
    if (!s || !lp_grow((void **)&p->owned, &p->capowned, p->nowned + 1,
                       sizeof *p->owned)) {
        lp_free(s);
        return LP_ENOMEM;
    }
    p->owned[p->nowned++] = s;
    return LP_OK;
}

/* A file of a walk: registered under its path relative to the root given
 * (the walk's logical path), and named in messages by the path the user
 * can find it at ("dir/x.tar.gz!member"): the entry's logical path becomes
 * its file-system path. */
static lp_err plan_walked(struct add_plan *p, struct lp_walk_entry *e,
                          size_t entry)
{
    char *rel = lp_strdup(e->logical);
    lp_err err = plan_own(p, rel);
    if (err)
        return err;
    if (!e->git && !e->memory && !e->stream && e->fspath &&
        strcmp(e->fspath, e->logical) != 0) {
        char *shown = lp_strdup(e->fspath);
        if (!shown)
            return LP_ENOMEM;
        lp_free(e->logical);
        e->logical = shown;
    }
    return plan_file(p, rel, entry);
}

/* A directory walk: one version holding every file found. */
static lp_err plan_walk(lp_registry *reg, const struct lp_add_options *opt,
                        const struct lp_target *paths, size_t npaths,
                        struct add_job *job)
{
    char msg[LP_MAX_PATH + 256], ver[64];
    /* Another registry inside the tree is not protected material. */
    unsigned flags = LP_WALK_RELATIVE | LP_WALK_SKIP_REGISTRIES;
    if (opt->input.follow_symlinks)
        flags |= LP_WALK_FOLLOW;
    lp_err err = lp_run_input_collect(&job->in, paths, npaths, flags,
                                      lp_registry_path(reg), msg, sizeof msg);
    if (err)
        return lp_registry_seterr(reg, err, "%s", msg);
    if (opt->version)
        snprintf(ver, sizeof ver, "%s", opt->version);
    else
        default_version(ver, sizeof ver);
    job->plan.default_name = !opt->version;
    err = plan_version(&job->plan, ver, (int64_t)time(NULL));
    for (size_t i = 0; !err && i < job->in.list.n; i++)
        err = plan_walked(&job->plan, &job->in.list.v[i], i);
    return err;
}

/* Slot of `key` (a git blob id's first 8 bytes, never 0) in a table of
 * mask+1 slots holding content indices + 1. */
static size_t oid_slot(const uint64_t *keys, size_t mask, uint64_t key)
{
    size_t i = (size_t)(key >> 20) & mask;
    while (keys[i] && keys[i] != key)
        i = (i + 1) & mask;
    return i;
}

/* The index of the content with git blob id `oid`, added when new. */
static lp_err content_of(lp_registry *reg, struct add_job *job,
                         const char *repo, const struct lp_git_file *f,
                         uint64_t **keys, size_t **vals, size_t *mask,
                         size_t *out)
{
    if (2 * (job->in.list.n + 1) > *mask + 1) { /* grow and rehash */
        size_t size = 2 * (*mask + 1);
        uint64_t *nk = lp_calloc(size, sizeof *nk);
        size_t *nv = lp_calloc(size, sizeof *nv);
        if (!nk || !nv) {
            lp_free(nk);
            lp_free(nv);
            return LP_ENOMEM;
        }
        for (size_t i = 0; i <= *mask; i++) {
            if (!(*keys)[i])
                continue;
            size_t k = oid_slot(nk, size - 1, (*keys)[i]);
            nk[k] = (*keys)[i];
            nv[k] = (*vals)[i];
        }
        lp_free(*keys);
        lp_free(*vals);
        *keys = nk;
        *vals = nv;
        *mask = size - 1;
    }
    uint64_t key = lp_get_u64le(f->blob) | 1;
    size_t k = oid_slot(*keys, *mask, key);
    /* Equal keys of different blobs (a 2^-63 chance) are told apart here. */
    while ((*keys)[k] == key &&
           memcmp(job->in.list.v[(*vals)[k] - 1].oid, f->blob, LP_GIT_OID_LEN))
        k = (k + 1) & *mask;
    if ((*keys)[k] == key) {
        *out = (*vals)[k] - 1;
        return LP_OK;
    }
    uint32_t known = 0;
    char shown[2 * LP_MAX_PATH + 2]; /* how messages name it */
    snprintf(shown, sizeof shown, "%s!%s", repo, f->path);
    lp_err err = lp_registry_gitblob(reg, f->blob, &known);
    if (!err)
        err = lp_walk_add_blob(&job->in.list, repo, shown, f->blob);
    if (!err && !lp_grow((void **)&job->plan.known, &job->plan.capknown,
                         job->in.list.n, sizeof *job->plan.known))
        err = LP_ENOMEM;
    if (err)
        return err;
    job->plan.known[job->in.list.n - 1] = known;
    (*keys)[k] = key;
    (*vals)[k] = job->in.list.n;
    *out = job->in.list.n - 1;
    return LP_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Keeps in v[0, *n) the versions collection `coll` does not have yet, in
 * order: one pass over the snapshot, then a binary search per version. */
static lp_err drop_registered(const struct lp_snapshot *snap, const char *coll,
                              struct lp_git_version *v, size_t *n)
{
    const char **have = lp_calloc(snap->nversions + 1, sizeof *have);
    size_t nh = 0, kept = 0;
    if (!have)
        return LP_ENOMEM;
    for (size_t i = 0; i < snap->nversions; i++)
        if (!strcmp(snap->collections[snap->versions[i].collection].name, coll))
            have[nh++] = snap->versions[i].name;
    lp_sort(have, nh, sizeof *have, cmp_str);
    for (size_t i = 0; i < *n; i++) {
        const char *name = v[i].name;
        if (!nh || !bsearch(&name, have, nh, sizeof *have, cmp_str))
            v[kept++] = v[i];
    }
    *n = kept;
    lp_free(have);
    return LP_OK;
}

/* A git repository: a version per commit of the history asked for, except
 * those registered already; each blob is one content. */
static lp_err plan_git(lp_registry *reg, const struct lp_add_options *opt,
                       const char *repo, const char *coll,
                       const struct lp_snapshot *snap, struct add_job *job)
{
    static const enum lp_git_history hist[] = {
        [LP_HISTORY_NONE] = LP_GIT_HEAD, [LP_HISTORY_TAGS] = LP_GIT_TAGS,
        [LP_HISTORY_ALL] = LP_GIT_ALL};
    char msg[LP_MAX_PATH + 512];
    struct lp_git *g = NULL;
    struct lp_git_version *v = NULL;
    size_t nv = 0, mask = 1023, *vals = NULL;
    uint64_t *keys = NULL;
    struct lp_walk_git_skip gs = {repo, &job->in.warn};
    job->plan.git = true;
    lp_err err = lp_git_open(repo, &g, msg, sizeof msg);
    if (!err)
        err = lp_git_versions(g, hist[opt->history], &v, &nv, msg, sizeof msg);
    if (err) {
        lp_git_close(g);
        return lp_registry_seterr(reg, err, "%s", msg);
    }
    size_t cap = opt->max_versions ? (size_t)opt->max_versions
                                   : LP_MAX_VERSIONS_DEFAULT;
    if (opt->version && opt->history == LP_HISTORY_NONE && nv)
        snprintf(v[0].name, sizeof v[0].name, "%s", opt->version);
    if (drop_registered(snap, coll, v, &nv)) {
        err = LP_ENOMEM;
    } else if (nv > cap) {
        err = lp_registry_seterr(reg, LP_ELIMIT, "'%s': %zu new versions, "
                                 "more than --max-versions %zu", repo, nv, cap);
    } else {
        keys = lp_calloc(mask + 1, sizeof *keys);
        vals = lp_calloc(mask + 1, sizeof *vals);
        if (!keys || !vals)
            err = LP_ENOMEM;
    }
    for (size_t i = 0; !err && i < nv; i++) {
        const char *name = v[i].name;
        struct lp_git_file *f = NULL;
        size_t nf = 0;
        /* What is not a file is named once, for the newest version. */
        err = lp_git_tree_files(g, v[i].commit, &f, &nf,
                                i + 1 == nv ? lp_walk_git_skipped : NULL, &gs, msg,
                                sizeof msg);
        if (err) {
            lp_registry_seterr(reg, err, "%s", msg);
            break;
        }
        err = plan_version(&job->plan, name, v[i].when);
        for (size_t k = 0; !err && k < nf; k++) {
            size_t entry;
            err = content_of(reg, job, repo, &f[k], &keys, &vals, &mask,
                             &entry);
            if (!err && !lp_grow((void **)&job->plan.owned, &job->plan.capowned,
                                 job->plan.nowned + 1, sizeof *job->plan.owned))
                err = LP_ENOMEM;
            if (!err) {
                /* The plan takes the path string over. */
                job->plan.owned[job->plan.nowned++] = f[k].path;
                err = plan_file(&job->plan, f[k].path, entry);
                f[k].path = NULL;
            }
        }
        lp_git_files_free(f, nf);
    }
    lp_free(keys);
    lp_free(vals);
    lp_free(v);
    lp_git_close(g);
    return err;
}

/* Whether the slot of a planned file has something to register. */
static bool slot_used(const struct add_slot *sl)
{
    if (sl->failed || (!sl->read && !sl->by_oid && !sl->nmembers))
        return false;
    for (size_t i = 0; i < sl->nmembers; i++)
        if (!sl->members[i]->slot.failed)
            return true;
    return !sl->nmembers;
}

/* Files the plan would register. */
static size_t planned_files(const struct add_job *job)
{
    size_t n = 0;
    for (size_t k = 0; k < job->plan.nf; k++)
        n += slot_used(&job->slots[job->plan.f[k].entry]);
    return n;
}

static lp_err write_all(lp_registry *reg, const struct lp_add_options *opt,
                        const char *coll, struct add_job *job,
                        struct lp_add_stats *st)
{
    struct lp_txn *txn = NULL;
    int64_t cid, version;
    lp_err err = check_name(reg, "collection", coll, false);
    for (size_t i = 0; !err && i < job->plan.nv; i++)
        err = check_name(reg, "version", job->plan.v[i].name, true);
    if (!err)
        err = lp_registry_begin(reg, &txn);
    if (err)
        return err;
    err = lp_txn_collection(txn, coll, opt->public_ != 0, &cid);
    for (size_t i = 0; !err && i < job->plan.nv; i++) {
        const struct add_version *v = &job->plan.v[i];
        err = lp_txn_version(txn, cid, v->name, v->created, &version);
        /* The default name has a resolution of one second: a later add
         * within the same second gets "-2", "-3"... */
        char name[sizeof v->name + 16];
        for (unsigned k = 2; err == LP_EEXIST && job->plan.default_name &&
                             k < ADD_SAME_SECOND; k++) {
            snprintf(name, sizeof name, "%s-%u", v->name, k);
            err = lp_txn_version(txn, cid, name, v->created, &version);
        }
        if (err == LP_EEXIST)
            lp_registry_seterr(reg, err,
                               "'%s': version '%s' of collection '%s' exists",
                               lp_registry_path(reg), v->name, coll);
        if (!err)
            st->versions++;
        for (size_t k = v->first; !err && k < v->first + v->n; k++) {
            const struct add_file *f = &job->plan.f[k];
            struct add_slot *sl = &job->slots[f->entry];
            /* not read, or an archive with nothing in it to register */
            if (sl->failed || (!sl->read && !sl->by_oid && !sl->nmembers))
                continue;
            if (sl->nmembers) {
                err = commit_members(txn, version, f->path,
                                     job->in.list.v[f->entry].root, sl, st);
                continue;
            }
            err = commit_slot(txn, version, f->path, sl, st);
            /* A blob read from git: its id is remembered for later adds. */
            if (!err && job->plan.git && !sl->by_oid && !sl->oid_saved) {
                err = lp_txn_gitblob(txn, job->in.list.v[f->entry].oid, sl->known);
                sl->oid_saved = true;
            }
        }
    }
    if (err) {
        lp_txn_abort(txn);
        return err;
    }
    return lp_txn_commit(txn);
}

/* The key of the secrets' fingerprints into key: the one given, else the
 * registry's, made with the registry (or at the first add of a registry
 * made before keys). */
static lp_err add_key(lp_registry *reg, const struct lp_add_options *opt,
                      unsigned char *key)
{
    char why[LP_MAX_PATH + 128];
    lp_err err = opt->fingerprint_key
                     ? lp_scan_secrets_given_key(reg, opt->fingerprint_key,
                                                 key, why, sizeof why)
                     : lp_scan_secrets_registry_key(reg, true, key, why,
                                                    sizeof why);
    return err ? lp_registry_seterr(reg, err, "%s", why) : LP_OK;
}

/* The secrets engine (built-in rules) and a scratch per worker: the
 * secrets of protected material are recorded by fingerprint. */
static lp_err secrets_setup(lp_registry *reg, struct add_job *job,
                            const struct lp_add_options *opt, unsigned jobs)
{
    char why[512];
    const char *cache_dir = opt->cache_dir;
    unsigned char key[LP_KEY_LEN];
    lp_err err = add_key(reg, opt, key);
    if (err)
        return err;
    err = lp_secrets_engine_for(NULL, cache_dir, key, &job->engine, why,
                                sizeof why);
    OPENSSL_cleanse(key, sizeof key);
    if (err)
        return lp_registry_seterr(reg, err, "secrets: %s", why);
    if (!(job->ss = lp_calloc(jobs, sizeof *job->ss)))
        return LP_ENOMEM;
    for (unsigned i = 0; !err && i < jobs; i++)
        err = lp_secrets_scratch_new(job->engine, &job->ss[i]);
    return err;
}

static lp_err add_targets(lp_registry *reg, const struct lp_add_options *opt,
                          const struct lp_target *paths, size_t npaths,
                          void (*warn)(void *ctx, const char *msg),
                          void *warn_ctx, struct lp_add_stats *st)
{
    struct add_job job = {0};
    struct lp_snapshot *snap = NULL;
    unsigned jobs = opt->jobs > 0 ? (unsigned)opt->jobs : lp_pool_cores();
    char coll[256];
    memset(st, 0, sizeof *st);
    if (npaths == 0)
        return lp_registry_seterr(reg, LP_EINVAL, "add: no path given");
    if (opt->history < LP_HISTORY_WALK || opt->history > LP_HISTORY_ALL)
        return lp_registry_seterr(reg, LP_EINVAL, "add: bad history");
    if (opt->history != LP_HISTORY_WALK &&
        (npaths != 1 || paths[0].kind != LP_TARGET_PATH))
        return lp_registry_seterr(reg, LP_EINVAL, "add: a git history is read "
                                  "from exactly one repository");
    if (opt->name)
        snprintf(coll, sizeof coll, "%s", opt->name);
    else
        base_name(paths[0].name ? paths[0].name : "", coll, sizeof coll);
    lp_run_input_init(&job.in, &opt->input, opt->max_file_size, warn,
                      warn_ctx);
    /* before anything is read (write_all checks the versions of git) */
    lp_err err = check_name(reg, "collection", coll, false);
    if (!err && opt->version)
        err = check_name(reg, "version", opt->version, true);
    if (!err)
        err = lp_registry_snapshot(reg, &snap);
    if (!err)
        err = opt->history == LP_HISTORY_WALK
                  ? plan_walk(reg, opt, paths, npaths, &job)
                  : plan_git(reg, opt, paths[0].name, coll, snap, &job);
    if (!err) {
        job.snap = snap;
        job.slots = lp_calloc(job.in.list.n + 1, sizeof *job.slots);
        job.an = lp_calloc(jobs, sizeof *job.an);
        if (!job.slots || !job.an)
            err = LP_ENOMEM;
    }
    for (unsigned i = 0; job.an && i < jobs; i++)
        lp_analyzer_init(&job.an[i]);
    if (!err && !(job.idents = lp_calloc(jobs, sizeof *job.idents)))
        err = LP_ENOMEM;
    for (unsigned i = 0; !err && i < jobs; i++)
        if (!(job.idents[i] = lp_reallocarray(NULL, LP_TERMS_PER_PUBLIC,
                                              sizeof **job.idents)))
            err = LP_ENOMEM;
    /* the registry's fingerprint key is made with it, public or not */
    if (!err && opt->public_) {
        unsigned char key[LP_KEY_LEN];
        err = add_key(reg, opt, key);
        OPENSSL_cleanse(key, sizeof key);
    }
    if (!err && !opt->public_)
        err = secrets_setup(reg, &job, opt, jobs);
    /* Contents a git blob id already names: not read, not hashed. */
    for (size_t i = 0; !err && job.plan.known && i < job.in.list.n; i++) {
        uint32_t b = job.plan.known[i];
        if (b && b < snap->nblobs && snap->lineage[b]) {
            job.slots[i].known = b;
            job.slots[i].by_oid = true;
            job.slots[i].info = snap->blobs[b];
        }
    }
    if (!err)
        err = lp_run_input_feed(&job.in, jobs, false, opt->progress,
                                opt->progress_ctx, &add_ops, &job);
    /* A version without a file is an error, not an empty version. */
    if (!err && job.plan.nv && !planned_files(&job))
        err = lp_registry_seterr(reg, LP_ENOTFOUND, "'%s': no file to "
                                 "register (nothing was added)",
                                 npaths == 1 && paths[0].name ? paths[0].name
                                                              : "add");
    if (!err)
        err = write_all(reg, opt, coll, &job, st);
    if (err == LP_ENOMEM)
        lp_registry_seterr(reg, err, "add: out of memory");
    st->skipped = atomic_load(&job.in.warn.count);
    for (size_t i = 0; job.slots && i < job.in.list.n; i++)
        slot_release(&job.slots[i]);
    for (unsigned i = 0; job.an && i < jobs; i++)
        lp_analyzer_release(&job.an[i]);
    for (unsigned i = 0; job.ss && i < jobs; i++)
        lp_secrets_scratch_free(job.ss[i]);
    lp_free(job.ss);
    for (unsigned i = 0; job.idents && i < jobs; i++)
        lp_free(job.idents[i]);
    lp_free(job.idents);
    lp_secrets_engine_free(job.engine);
    lp_free(job.an);
    lp_free(job.slots);
    lp_snapshot_free(snap);
    plan_release(&job.plan);
    lp_run_input_release(&job.in);
    return err;
}

lp_err lp_add_targets(lp_registry *reg, const struct lp_add_options *opt,
                      const struct lp_target *paths, size_t npaths,
                      void (*warn)(void *ctx, const char *msg), void *warn_ctx,
                      struct lp_add_stats *st)
{
    lp_err err = add_targets(reg, opt, paths, npaths, warn, warn_ctx, st);
    if (err) /* a registry this add created is not left behind */
        lp_registry_discard_new(reg);
    return err;
}

lp_err lp_add(lp_registry *reg, const struct lp_add_options *opt,
              const char *const *paths, size_t npaths,
              void (*warn)(void *ctx, const char *msg), void *warn_ctx,
              struct lp_add_stats *st)
{
    struct lp_target *t = lp_calloc(npaths ? npaths : 1, sizeof *t);
    if (!t) {
        memset(st, 0, sizeof *st);
        return lp_registry_seterr(reg, LP_ENOMEM, "add: out of memory");
    }
    for (size_t i = 0; i < npaths; i++)
        t[i].name = paths[i];
    lp_err err = lp_add_targets(reg, opt, t, npaths, warn, warn_ctx, st);
    lp_free(t);
    return err;
}
