/* SPDX-License-Identifier: Apache-2.0
 *
 * walk_git: the history of a git repository as walk entries (see
 * lp_walk_collect_history() in walk.h): the blobs its commits held that
 * the current files do not give, each (path, blob) once, with the oldest
 * commit that held it. `secrets` reads them because a credential removed
 * in a later commit is still in every clone.
 *
 * Commits are visited oldest first, so the first commit in which a (path,
 * blob) is met is the one that introduced it. A set of (path hash, object
 * id) pairs remembers what was met: a subtree met before at the same path
 * holds exactly what it held then, so it is passed by, and a commit that
 * changes one file costs one walk down that file's directories. The set is
 * the only memory that grows with the history besides the entries listed,
 * and those are capped (max_blobs).
 */
#include "walk.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "hash.h"
#include "limits.h"
#include "mem.h"
#include "banned.h"

enum seen_kind {
    SEEN_TREE = 1,    /* a subtree at a path: passed by when met again */
    SEEN_BLOB = 2,    /* a blob at a path: listed, or a current file */
    SEEN_CHECKED = 3, /* a path whose working-tree file was hashed */
};

/* A (path, object) met. The path is kept as a 64-bit hash only: two paths
 * with the same hash and the same object id could only make a blob be
 * named by one path instead of the other, never go unread, since the id
 * is compared whole. */
struct seen_key {
    uint64_t path;
    uint8_t id[LP_GIT_OID_LEN];
    uint8_t kind; /* enum seen_kind; 0: free slot */
};

/* Open addressing, linear probing, at most half full. */
struct seen_set {
    struct seen_key *v;
    size_t cap, n; /* cap: a power of two, or 0 */
};

struct hist {
    const char *root;
    size_t rootlen; /* without trailing slashes */
    unsigned flags;
    bool worktree;  /* current files are on disk (else: the HEAD tree) */
    bool marking;   /* walking the HEAD tree: met, never listed */
    bool full;      /* max_blobs listed: the rest of the history is not */
    uint64_t max, listed;
    const struct lp_git_version *commit; /* being walked */
    struct seen_set seen;
    struct lp_walk_list *l;
    struct lp_warner *w;
    lp_err err;
};

static size_t slot_of(const struct seen_key *k, size_t cap)
{
    /* Object ids are SHA-1 already: their first bytes spread well. */
    uint64_t h = k->path ^ lp_get_u64le(k->id) ^ k->kind;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 32;
    return (size_t)h & (cap - 1);
}

static bool same_key(const struct seen_key *a, const struct seen_key *b)
{
    return a->path == b->path && a->kind == b->kind &&
           memcmp(a->id, b->id, sizeof a->id) == 0;
}

static lp_err seen_grow(struct seen_set *s)
{
    size_t cap = s->cap ? s->cap * 2 : 1024;
    if (cap < s->cap || cap > SIZE_MAX / sizeof *s->v)
        return LP_ENOMEM;
    struct seen_key *v = lp_calloc(cap, sizeof *v);
    if (!v)
        return LP_ENOMEM;
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->v[i].kind)
            continue;
        size_t at = slot_of(&s->v[i], cap);
        while (v[at].kind)
            at = (at + 1) & (cap - 1);
        v[at] = s->v[i];
    }
    lp_free(s->v);
    s->v = v;
    s->cap = cap;
    return LP_OK;
}

/* Adds k; *added tells whether it was new. */
static lp_err seen_add(struct seen_set *s, const struct seen_key *k,
                       bool *added)
{
    *added = false;
    if ((s->n + 1) * 2 > s->cap) {
        lp_err err = seen_grow(s);
        if (err)
            return err;
    }
    size_t at = slot_of(k, s->cap);
    while (s->v[at].kind) {
        if (same_key(&s->v[at], k))
            return LP_OK;
        at = (at + 1) & (s->cap - 1);
    }
    s->v[at] = *k;
    s->n++;
    *added = true;
    return LP_OK;
}

static struct seen_key key_of(const char *path, const uint8_t *id,
                              enum seen_kind kind)
{
    struct seen_key k = {.path = lp_hash64(path, strlen(path)),
                         .kind = (uint8_t)kind};
    if (id)
        memcpy(k.id, id, sizeof k.id);
    return k;
}

/* Whether the working-tree file at `path` (in the tree) is the blob `id`.
 * Each path's file is hashed once: its blob is then met like any other,
 * so later blobs of the path are told apart by the set alone. */
static lp_err same_as_worktree(struct hist *h, const char *path,
                               const uint8_t id[LP_GIT_OID_LEN], bool *same)
{
    struct seen_key k = key_of(path, NULL, SEEN_CHECKED);
    bool added;
    *same = false;
    lp_err err = seen_add(&h->seen, &k, &added);
    if (err || !added)
        return err;
    char fs[2 * LP_MAX_PATH + 2];
    struct stat st;
    uint8_t wt[LP_GIT_OID_LEN];
    int r = snprintf(fs, sizeof fs, "%.*s/%s", (int)h->rootlen, h->root, path);
    if (r < 0 || (size_t)r >= sizeof fs)
        return LP_OK;
    int sr = h->flags & LP_WALK_FOLLOW ? stat(fs, &st) : lstat(fs, &st);
    /* Only what the directory walk reads counts as current. */
    if (sr != 0 || !S_ISREG(st.st_mode) || lp_git_hash_file(fs, wt) != LP_OK)
        return LP_OK;
    k = key_of(path, wt, SEEN_BLOB);
    *same = memcmp(wt, id, sizeof wt) == 0;
    return seen_add(&h->seen, &k, &added);
}

/* Appends the blob `id` at `path` of the commit being walked. */
static lp_err list_blob(struct hist *h, const char *path,
                        const uint8_t id[LP_GIT_OID_LEN])
{
    char logical[LP_MAX_PATH + 1];
    int r = h->flags & LP_WALK_RELATIVE
                ? snprintf(logical, sizeof logical, "%s", path)
                : snprintf(logical, sizeof logical, "%.*s/%s",
                           (int)h->rootlen, h->root, path);
    if (r < 0 || (size_t)r >= sizeof logical) {
        struct lp_walk_git_skip gs = {h->root, h->w};
        lp_walk_git_skipped(&gs, path, "path too long");
        return LP_OK;
    }
    lp_err err = lp_walk_add_blob(h->l, h->root, logical, id);
    if (err)
        return err;
    struct lp_walk_entry *e = &h->l->v[h->l->n - 1];
    e->has_commit = true;
    memcpy(e->commit, h->commit->commit, sizeof e->commit);
    e->commit_time = h->commit->when;
    h->listed++;
    return LP_OK;
}

/* The filter of every tree walk (struct lp_git_filter): passes by what
 * was met, and lists new blobs itself (so the walk's own list stays
 * empty). */
static int want_entry(void *ctx, const char *path,
                      const uint8_t id[LP_GIT_OID_LEN], bool tree)
{
    struct hist *h = ctx;
    bool added, same = false;
    if (h->full)
        return 0;
    struct seen_key k = key_of(path, id, tree ? SEEN_TREE : SEEN_BLOB);
    if (!tree && h->worktree && !h->marking)
        h->err = same_as_worktree(h, path, id, &same);
    if (!h->err)
        h->err = seen_add(&h->seen, &k, &added);
    if (h->err)
        return -1;
    if (tree)
        return added;
    if (!added || same || h->marking)
        return 0;
    if (h->listed >= h->max) {
        h->full = true;
        return 0;
    }
    h->err = list_blob(h, path, id);
    return h->err ? -1 : 0;
}

/* A message of git.c without its leading "'path': " (the repository as
 * libgit2 names it): the warner names the root itself. */
static const char *reason_of(const char *msg)
{
    const char *end = msg[0] == '\'' ? strstr(msg + 1, "': ") : NULL;
    return end ? end + 3 : msg;
}

/* Says that the history from commit v[i] on was not read. */
static void say_cut(struct hist *h, const struct lp_git_version *v, size_t i,
                    size_t n)
{
    char day[16] = "?", why[512];
    struct tm tm;
    time_t t = (time_t)v[i].when;
    if (gmtime_r(&t, &tm))
        strftime(day, sizeof day, "%Y-%m-%d", &tm);
    snprintf(why, sizeof why,
             "git history of more than %llu blobs: %zu commits from %s (%s) "
             "on not read (skipped)",
             (unsigned long long)h->max, n - i, v[i].name, day);
    lp_warner_skip(h->w, h->root, why);
}

/* Walks the tree of commit c (marking: only meets it). A commit whose tree
 * cannot be read is named and passed by. */
static lp_err walk_commit(struct hist *h, struct lp_git *g,
                          const struct lp_git_version *c)
{
    struct lp_git_filter f = {want_entry, h};
    struct lp_git_file *files = NULL;
    size_t nf = 0;
    char why[512];
    h->commit = c;
    lp_err err = lp_git_tree_files_filtered(g, c->commit, &f, &files, &nf,
                                            NULL, NULL, why, sizeof why);
    lp_git_files_free(files, nf);
    if (h->err)
        return h->err;
    if (err == LP_ENOMEM)
        return err;
    if (err)
        lp_warner_skip(h->w, h->root, reason_of(why));
    return LP_OK;
}

/* For a bare repository, the HEAD tree is what the walk read: met first,
 * so that history blobs equal to it are not listed again. */
static lp_err meet_head(struct hist *h, struct lp_git *g)
{
    struct lp_git_version *head = NULL;
    size_t n = 0;
    char why[512];
    lp_err err = lp_git_versions(g, LP_GIT_HEAD, &head, &n, why, sizeof why);
    if (err == LP_ENOMEM)
        return err;
    if (!err && n) {
        h->marking = true;
        err = walk_commit(h, g, &head[0]);
        h->marking = false;
    } else {
        err = LP_OK; /* no HEAD: every blob is history */
    }
    lp_free(head);
    return err;
}

lp_err lp_walk_collect_history(const char *root, unsigned flags,
                               uint64_t max_blobs, struct lp_walk_list *l,
                               struct lp_warner *w)
{
    struct hist h = {.root = root, .flags = flags, .max = max_blobs,
                     .l = l, .w = w};
    struct lp_git *g = NULL;
    struct lp_git_version *v = NULL;
    size_t nv = 0, i = 0;
    char why[512];
    h.rootlen = strlen(root);
    while (h.rootlen > 1 && root[h.rootlen - 1] == '/')
        h.rootlen--;
    h.worktree = !lp_git_is_bare(root);
    lp_err err = lp_git_open(root, &g, why, sizeof why);
    if (!err)
        err = lp_git_versions(g, LP_GIT_EVERY_REF, &v, &nv, why, sizeof why);
    if (err && err != LP_ENOMEM) {
        /* its current files are read all the same */
        lp_warner_skip(w, root, reason_of(why));
        err = LP_OK;
        goto out;
    }
    if (!err && !h.worktree)
        err = meet_head(&h, g);
    for (i = 0; !err && i < nv && !h.full; i++)
        err = walk_commit(&h, g, &v[i]);
    /* The commit that filled the cap was walked in part only: said too. */
    if (!err && h.full)
        say_cut(&h, v, i - 1, nv);
out:
    lp_free(h.seen.v);
    lp_free(v);
    lp_git_close(g);
    return err;
}
