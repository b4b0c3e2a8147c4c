/* SPDX-License-Identifier: Apache-2.0
 *
 * git: repositories through libgit2 (see git.h).
 */
#include "git.h"

#include <git2.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "limits.h"
#include "mem.h"
#include "banned.h"

struct lp_git {
    git_repository *repo;
    git_odb *odb;
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libgit2(void)
{
    git_libgit2_init(); /* once per process; never shut down */
}

/* The message of libgit2's last error on this thread. */
static const char *git_msg(void)
{
    const git_error *e = git_error_last();
    return e && e->message ? e->message : "unknown libgit2 error";
}

static bool exists(const char *dir, const char *name, bool want_dir)
{
    char p[4096];
    struct stat st;
    int r = snprintf(p, sizeof p, "%s/%s", dir, name);
    if (r < 0 || (size_t)r >= sizeof p || stat(p, &st) != 0)
        return false;
    return want_dir ? S_ISDIR(st.st_mode) : true;
}

bool lp_git_is_bare(const char *path)
{
    return exists(path, "HEAD", false) && exists(path, "objects", true) &&
           exists(path, "refs", true);
}

bool lp_git_is_repo(const char *path)
{
    return lp_git_is_bare(path) || exists(path, ".git", false);
}

lp_err lp_git_open(const char *path, struct lp_git **out, char *err,
                   size_t errlen)
{
    *out = NULL;
    pthread_once(&init_once, init_libgit2);
    struct lp_git *g = lp_calloc(1, sizeof *g);
    if (!g)
        return LP_ENOMEM;
    if (git_repository_open_ext(&g->repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH,
                                NULL) != 0) {
        snprintf(err, errlen, "'%s': not a git repository: %s", path,
                 git_msg());
        lp_free(g);
        return LP_ENOTFOUND;
    }
    if (git_repository_odb(&g->odb, g->repo) != 0) {
        snprintf(err, errlen, "'%s': %s", path, git_msg());
        lp_git_close(g);
        return LP_EIO;
    }
    *out = g;
    return LP_OK;
}

void lp_git_close(struct lp_git *g)
{
    if (!g)
        return;
    git_odb_free(g->odb);
    git_repository_free(g->repo);
    lp_free(g);
}

/* ---- versions ------------------------------------------------------------ */

struct vlist {
    struct lp_git_version *v;
    size_t n, cap;
    lp_err err;
};

static void short_id(const git_oid *oid, char *buf, size_t len)
{
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, oid);
    snprintf(buf, len, "%.12s", hex);
}

/* Appends the commit `target` peels to (a commit, or a tag of one) as
 * version `name` (a short commit id when NULL). A target that is no
 * commit (a tag of a tree or a blob) is left out. */
static void push_version(struct lp_git *g, struct vlist *l, const char *name,
                         const git_oid *target)
{
    git_object *obj = NULL, *peeled = NULL;
    if (l->err || git_object_lookup(&obj, g->repo, target, GIT_OBJECT_ANY) != 0)
        return;
    if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) == 0) {
        if (!lp_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v)) {
            l->err = LP_ENOMEM;
        } else {
            struct lp_git_version *v = &l->v[l->n++];
            const git_oid *id = git_object_id(peeled);
            memcpy(v->commit, id->id, LP_GIT_OID_LEN);
            v->when = (int64_t)git_commit_time((const git_commit *)peeled);
            if (name)
                snprintf(v->name, sizeof v->name, "%s", name);
            else
                short_id(id, v->name, sizeof v->name);
        }
    }
    git_object_free(peeled);
    git_object_free(obj);
}

static int on_tag(const char *ref, git_oid *oid, void *payload)
{
    void **ctx = payload;
    const char *name = ref;
    if (strncmp(name, "refs/tags/", 10) == 0)
        name += 10;
    push_version(ctx[0], ctx[1], name, oid);
    return 0;
}

static int cmp_versions(const void *a, const void *b)
{
    const struct lp_git_version *x = a, *y = b;
    if (x->when != y->when)
        return x->when < y->when ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Every commit reachable from HEAD and the refs `glob` names. Refs that
 * name no commit (a tag of a blob) are passed by: libgit2 ignores them in a
 * glob. */
static lp_err all_commits(struct lp_git *g, struct vlist *l, const char *glob)
{
    git_revwalk *walk = NULL;
    if (git_revwalk_new(&walk, g->repo) != 0)
        return LP_EIO;
    git_revwalk_sorting(walk, GIT_SORT_TIME);
    int pushed = git_revwalk_push_glob(walk, glob) == 0;
    pushed |= git_revwalk_push_head(walk) == 0;
    git_oid oid;
    while (pushed && !l->err && git_revwalk_next(&oid, walk) == 0)
        push_version(g, l, NULL, &oid);
    git_revwalk_free(walk);
    return LP_OK;
}

lp_err lp_git_versions(struct lp_git *g, enum lp_git_history history,
                       struct lp_git_version **out, size_t *n, char *err,
                       size_t errlen)
{
    struct vlist l = {0};
    lp_err e = LP_OK;
    *out = NULL;
    *n = 0;
    if (history == LP_GIT_HEAD) {
        git_oid head;
        if (git_reference_name_to_id(&head, g->repo, "HEAD") != 0) {
            snprintf(err, errlen, "'%s': no HEAD commit: %s",
                     git_repository_path(g->repo), git_msg());
            return LP_ENOTFOUND;
        }
        push_version(g, &l, NULL, &head);
    } else if (history == LP_GIT_TAGS) {
        void *ctx[2] = {g, &l};
        git_tag_foreach(g->repo, on_tag, ctx);
    } else {
        e = all_commits(g, &l, history == LP_GIT_EVERY_REF ? "refs/*"
                                                           : "refs/heads/*");
    }
    if (!e)
        e = l.err;
    if (e) {
        snprintf(err, errlen, "'%s': %s", git_repository_path(g->repo),
                 e == LP_ENOMEM ? "out of memory" : git_msg());
        lp_free(l.v);
        return e;
    }
    lp_sort(l.v, l.n, sizeof *l.v, cmp_versions);
    *out = l.v;
    *n = l.n;
    return LP_OK;
}

/* ---- trees and blobs ----------------------------------------------------- */

struct flist {
    struct lp_git_file *f;
    size_t n, cap;
    lp_err err;
    void (*skipped)(void *ctx, const char *path, const char *why);
    void *ctx;
    const struct lp_git_filter *filter;
};

static void say_skipped(struct flist *l, const char *root, const char *name,
                        const char *why)
{
    if (l->skipped) {
        char path[LP_MAX_PATH + 1];
        snprintf(path, sizeof path, "%s%s", root, name);
        l->skipped(l->ctx, path, why);
    }
}

/* The filter's answer for an entry (see struct lp_git_filter): 1, 0, or -1
 * with l->err set. A path too long to pass is not wanted. */
static int ask_filter(struct flist *l, const char *root, const char *name,
                      const git_tree_entry *entry, bool tree)
{
    char path[LP_MAX_PATH + 1];
    int r = snprintf(path, sizeof path, "%s%s", root, name);
    if (r < 0 || (size_t)r >= sizeof path) {
        say_skipped(l, root, name, "path too long");
        return 0;
    }
    int want = l->filter->want(l->filter->ctx, path,
                               git_tree_entry_id(entry)->id, tree);
    if (want < 0)
        l->err = LP_ENOMEM;
    return want;
}

/* The depth of a subtree whose parent's path is `root` ("a/b/"). */
static size_t depth_of(const char *root)
{
    size_t d = 1;
    for (const char *p = root; *p; p++)
        d += *p == '/';
    return d;
}

static int on_entry(const char *root, const git_tree_entry *entry,
                    void *payload)
{
    struct flist *l = payload;
    git_filemode_t mode = git_tree_entry_filemode(entry);
    const char *name = git_tree_entry_name(entry);
    int want;
    if (mode == GIT_FILEMODE_TREE) {
        if (depth_of(root) > LP_MAX_WALK_DEPTH) {
            say_skipped(l, root, name, "directory nesting too deep");
            return 1; /* a positive value passes the subtree by */
        }
        if (!l->filter)
            return 0; /* walked into */
        want = ask_filter(l, root, name, entry, true);
        return want < 0 ? -1 : want == 0;
    }
    if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) {
        say_skipped(l, root, name, mode == GIT_FILEMODE_LINK
                                       ? "symbolic link not followed"
                                       : "submodule not read");
        return 0;
    }
    if (l->filter && (want = ask_filter(l, root, name, entry, false)) <= 0)
        return want;
    size_t lr = strlen(root), ln = strlen(name);
    char *path = lp_malloc(lr + ln + 1);
    if (!path || !lp_grow((void **)&l->f, &l->cap, l->n + 1, sizeof *l->f)) {
        lp_free(path);
        l->err = LP_ENOMEM;
        return -1;
    }
    memcpy(path, root, lr);
    memcpy(path + lr, name, ln + 1);
    l->f[l->n].path = path;
    memcpy(l->f[l->n].blob, git_tree_entry_id(entry)->id, LP_GIT_OID_LEN);
    l->n++;
    return 0;
}

void lp_git_files_free(struct lp_git_file *f, size_t n)
{
    for (size_t i = 0; f && i < n; i++)
        lp_free(f[i].path);
    lp_free(f);
}

lp_err lp_git_tree_files(struct lp_git *g, const uint8_t commit[LP_GIT_OID_LEN],
                         struct lp_git_file **out, size_t *n,
                         void (*skipped)(void *ctx, const char *path,
                                         const char *why),
                         void *ctx, char *err, size_t errlen)
{
    return lp_git_tree_files_filtered(g, commit, NULL, out, n, skipped, ctx,
                                      err, errlen);
}

lp_err lp_git_tree_files_filtered(struct lp_git *g,
                                  const uint8_t commit[LP_GIT_OID_LEN],
                                  const struct lp_git_filter *filter,
                                  struct lp_git_file **out, size_t *n,
                                  void (*skipped)(void *ctx, const char *path,
                                                  const char *why),
                                  void *ctx, char *err, size_t errlen)
{
    git_oid oid;
    git_commit *c = NULL;
    git_tree *tree = NULL;
    struct flist l = {.skipped = skipped, .ctx = ctx, .filter = filter};
    lp_err e = LP_OK;
    *out = NULL;
    *n = 0;
    git_oid_fromraw(&oid, commit);
    if (git_commit_lookup(&c, g->repo, &oid) != 0 ||
        git_commit_tree(&tree, c) != 0 ||
        git_tree_walk(tree, GIT_TREEWALK_PRE, on_entry, &l) != 0) {
        e = l.err ? l.err : LP_EIO;
        char hex[GIT_OID_HEXSZ + 1];
        git_oid_tostr(hex, sizeof hex, &oid);
        snprintf(err, errlen, "'%s': commit %s: %s",
                 git_repository_path(g->repo), hex,
                 e == LP_ENOMEM ? "out of memory" : git_msg());
    }
    git_tree_free(tree);
    git_commit_free(c);
    if (e) {
        lp_git_files_free(l.f, l.n);
        return e;
    }
    *out = l.f;
    *n = l.n;
    return LP_OK;
}

lp_err lp_git_blob_at(struct lp_git *g, const char *rev, const char *path,
                      uint8_t out[LP_GIT_OID_LEN])
{
    git_object *obj = NULL, *tree = NULL;
    git_tree_entry *e = NULL;
    lp_err err = LP_ENOTFOUND;
    if (git_revparse_single(&obj, g->repo, rev) != 0 ||
        git_object_peel(&tree, obj, GIT_OBJECT_TREE) != 0 ||
        git_tree_entry_bypath(&e, (git_tree *)tree, path) != 0)
        goto out;
    /* a regular file (not a link, a submodule or a tree) */
    git_filemode_t mode = git_tree_entry_filemode(e);
    if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE)
        goto out;
    memcpy(out, git_tree_entry_id(e)->id, LP_GIT_OID_LEN);
    err = LP_OK;
out:
    git_tree_entry_free(e);
    git_object_free(tree);
    git_object_free(obj);
    return err;
}

lp_err lp_git_read_blob(struct lp_git *g, const uint8_t id[LP_GIT_OID_LEN],
                        uint64_t max, char **buf, size_t *cap, size_t *len,
                        char *err, size_t errlen)
{
    git_oid oid;
    size_t size = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    *len = 0;
    git_oid_fromraw(&oid, id);
    int rc = git_odb_read_header(&size, &type, g->odb, &oid);
    if (rc != 0 || type != GIT_OBJECT_BLOB) {
        char hex[GIT_OID_HEXSZ + 1];
        git_oid_tostr(hex, sizeof hex, &oid);
        snprintf(err, errlen, "blob %s: %s", hex,
                 rc != 0 ? git_msg() : "not a blob");
        return LP_EIO;
    }
    if (size > max) {
        snprintf(err, errlen, "file larger than %llu bytes (skipped)",
                 (unsigned long long)max);
        return LP_ELIMIT;
    }
    git_blob *blob = NULL;
    if (git_blob_lookup(&blob, g->repo, &oid) != 0) {
        snprintf(err, errlen, "blob: %s", git_msg());
        return LP_EIO;
    }
    size_t n = (size_t)git_blob_rawsize(blob);
    lp_err e = LP_OK;
    if (n > max) {
        e = LP_ELIMIT;
        snprintf(err, errlen, "file larger than %llu bytes (skipped)",
                 (unsigned long long)max);
    } else if (!lp_grow((void **)buf, cap, n + 1, 1)) {
        e = LP_ENOMEM;
    } else {
        memcpy(*buf, git_blob_rawcontent(blob), n);
        (*buf)[n] = '\0';
        *len = n;
    }
    git_blob_free(blob);
    return e;
}

lp_err lp_git_hash_file(const char *path, uint8_t out[LP_GIT_OID_LEN])
{
    git_oid oid;
    pthread_once(&init_once, init_libgit2);
    if (git_odb_hashfile(&oid, path, GIT_OBJECT_BLOB) != 0)
        return LP_EIO;
    memcpy(out, oid.id, LP_GIT_OID_LEN);
    return LP_OK;
}
