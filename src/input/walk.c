/* SPDX-License-Identifier: Apache-2.0
 *
 * walk: directory and file inputs (see walk.h). Entries are collected first
 * and sorted by logical path, so the order never depends on readdir().
 */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "limits.h"
#include "mem.h"
#include "utf8.h"
#include "walk_archive.h"
#include "banned.h"

struct walker {
    struct lp_walk_list *l;
    struct lp_warner *warner; /* if set, messages go here */
    void (*warn)(void *ctx, const char *msg);
    void *ctx;
    size_t *nwarn;
    size_t rootlen; /* bytes of the root to drop for relative names */
    unsigned flags;
    const struct lp_walk_skip *skip;
    dev_t devs[LP_MAX_WALK_DEPTH + 1]; /* directories on the current path */
    ino_t inos[LP_MAX_WALK_DEPTH + 1];
};

void lp_walk_list_init(struct lp_walk_list *l)
{
    memset(l, 0, sizeof *l);
}

void lp_walk_list_release(struct lp_walk_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        lp_free(l->v[i].fspath);
        lp_free(l->v[i].logical);
    }
    lp_free(l->v);
    lp_walk_list_init(l);
}

static void skipf(struct walker *w, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Says that path is not read, and why (fmt). */
static void skipf(struct walker *w, const char *path, const char *fmt, ...)
{
    char why[512], msg[LP_MAX_PATH + 600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (w->warner) {
        lp_warner_skip(w->warner, path, why);
        return;
    }
    (*w->nwarn)++;
    snprintf(msg, sizeof msg, "'%s': %s", path, why);
    if (w->warn)
        w->warn(w->ctx, msg);
}

/* Appends an entry with copies of its two paths; *out is it. */
static lp_err push_entry(struct lp_walk_list *l, const char *fspath,
                         const char *logical, struct lp_walk_entry **out)
{
    if (!lp_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v))
        return LP_ENOMEM;
    struct lp_walk_entry *e = &l->v[l->n];
    memset(e, 0, sizeof *e);
    e->fspath = lp_strdup(fspath);
    e->logical = lp_strdup(logical);
    if (!e->fspath || !e->logical) {
        lp_free(e->fspath);
        lp_free(e->logical);
        return LP_ENOMEM;
    }
    l->n++;
    *out = e;
    return LP_OK;
}

static lp_err add_entry(struct walker *w, const char *path, uint64_t size)
{
    const char *logical = path;
    if (w->flags & LP_WALK_RELATIVE) {
        logical = path + w->rootlen;
        while (*logical == '/')
            logical++;
    }
    struct lp_walk_entry *e;
    lp_err err = push_entry(w->l, path, logical, &e);
    if (!err) {
        e->size = size;
        e->follow = (w->flags & LP_WALK_FOLLOW) != 0;
    }
    return err;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool skip_name(const char *name)
{
    return !strcmp(name, ".") || !strcmp(name, "..") || !strcmp(name, ".git") ||
           !strcmp(name, ".hg") || !strcmp(name, ".svn");
}

/* Reads the entries of a directory, sorted by name; each is the name, its
 * NUL, and the entry's d_type. Caller frees entries and array. */
static lp_err read_names(struct walker *w, const char *path, char ***out,
                         size_t *count)
{
    char **names = NULL;
    size_t n = 0, cap = 0;
    lp_err err = LP_OK;
    DIR *d = opendir(path);
    if (!d) {
        skipf(w, path, "cannot open directory: %s", strerror(errno));
        goto out;
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        if (skip_name(de->d_name))
            continue;
        size_t len = strlen(de->d_name);
        if (!lp_grow((void **)&names, &cap, n + 1, sizeof *names) ||
            !(names[n] = lp_malloc(len + 2))) {
            err = LP_ENOMEM;
            goto out;
        }
        memcpy(names[n], de->d_name, len + 1);
        names[n][len + 1] = (char)de->d_type;
        n++;
    }
    if (n)
        lp_sort(names, n, sizeof *names, cmp_names);
out:
    if (d)
        closedir(d);
    if (err) {
        for (size_t i = 0; i < n; i++)
            lp_free(names[i]);
        lp_free(names);
        names = NULL;
        n = 0;
    }
    *out = names;
    *count = n;
    return err;
}

static lp_err walk_path(struct walker *w, const char *path, int depth);

void lp_walk_skip_init(struct lp_walk_skip *skip, const char *dir)
{
    struct stat st;
    skip->set = dir && stat(dir, &st) == 0;
    skip->dev = skip->set ? (unsigned long long)st.st_dev : 0;
    skip->ino = skip->set ? (unsigned long long)st.st_ino : 0;
}

/* Whether directory `path` is a leakprint registry: its metadata with its
 * MANIFEST or writer's LOCK beside it. */
static bool is_registry(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool yes = faccessat(fd, "meta.sqlite", F_OK, 0) == 0 &&
               (faccessat(fd, "MANIFEST", F_OK, 0) == 0 ||
                faccessat(fd, "LOCK", F_OK, 0) == 0);
    close(fd);
    return yes;
}

static lp_err walk_dir(struct walker *w, const char *path, const struct stat *st,
                       int depth)
{
    if (w->skip && w->skip->set && w->skip->dev == (unsigned long long)st->st_dev &&
        w->skip->ino == (unsigned long long)st->st_ino)
        return LP_OK; /* the registry itself */
    if ((w->flags & LP_WALK_SKIP_REGISTRIES) && is_registry(path)) {
        skipf(w, path, "a leakprint registry (skipped)");
        return LP_OK;
    }
    if (depth >= LP_MAX_WALK_DEPTH) {
        skipf(w, path, "directory nesting deeper than %d (skipped)",
              LP_MAX_WALK_DEPTH);
        return LP_OK;
    }
    for (int i = 0; i < depth; i++) {
        if (w->devs[i] == st->st_dev && w->inos[i] == st->st_ino) {
            skipf(w, path, "directory loop (skipped)");
            return LP_OK;
        }
    }
    w->devs[depth] = st->st_dev;
    w->inos[depth] = st->st_ino;

    char **names = NULL;
    size_t n = 0;
    lp_err err = read_names(w, path, &names, &n);
    char child[LP_MAX_PATH + 1];
    for (size_t i = 0; i < n && !err; i++) {
        size_t pl = strlen(path);
        int r = snprintf(child, sizeof child, "%s%s%s", path,
                         pl && path[pl - 1] == '/' ? "" : "/", names[i]);
        unsigned char type = (unsigned char)names[i][strlen(names[i]) + 1];
        if (r < 0 || (size_t)r >= sizeof child)
            {
            char longp[LP_MAX_PATH + 300];
            snprintf(longp, sizeof longp, "%s/%s", path, names[i]);
            skipf(w, longp, "path too long (skipped)");
        }
        else if (type == DT_REG)
            err = add_entry(w, child, LP_SIZE_UNKNOWN);
        else /* a directory, a link, or a file system that does not say */
            err = walk_path(w, child, depth + 1);
    }
    for (size_t i = 0; i < n; i++)
        lp_free(names[i]);
    lp_free(names);
    return err;
}

static lp_err walk_path(struct walker *w, const char *path, int depth)
{
    struct stat st;
    int r = w->flags & LP_WALK_FOLLOW ? stat(path, &st) : lstat(path, &st);
    if (r != 0) {
        skipf(w, path, "%s", strerror(errno));
        return LP_OK;
    }
    if (S_ISDIR(st.st_mode))
        return walk_dir(w, path, &st, depth);
    if (S_ISREG(st.st_mode))
        return add_entry(w, path, (uint64_t)st.st_size);
    if (S_ISLNK(st.st_mode))
        skipf(w, path, "symbolic link not followed (skipped)");
    else
        skipf(w, path, "not a regular file (skipped)");
    return LP_OK;
}

/* By logical path; of one path, the current file first, then the blobs of
 * the history by commit time, commit and blob id (a total order: the
 * output does not depend on qsort). */
static int cmp_entries(const void *a, const void *b)
{
    const struct lp_walk_entry *x = a, *y = b;
    int c = strcmp(x->logical, y->logical);
    if (c || x->has_commit != y->has_commit)
        return c ? c : x->has_commit ? 1 : -1;
    if (x->commit_time != y->commit_time)
        return x->commit_time < y->commit_time ? -1 : 1;
    c = memcmp(x->commit, y->commit, sizeof x->commit);
    return c ? c : memcmp(x->oid, y->oid, sizeof x->oid);
}

static lp_err collect_root(const char *root, unsigned flags,
                           const struct lp_walk_skip *skip,
                           struct lp_walk_list *l, struct lp_warner *warner,
                           void (*warn)(void *ctx, const char *msg), void *ctx,
                           size_t *nwarn, char *errbuf, size_t errlen)
{
    struct stat st;
    /* The root itself may be a symlink the user chose: follow it. */
    if (stat(root, &st) != 0) {
        snprintf(errbuf, errlen, "'%s': %s", root, strerror(errno));
        return errno == ENOENT ? LP_ENOTFOUND : LP_EIO;
    }
    if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
        snprintf(errbuf, errlen, "'%s': not a regular file or directory", root);
        return LP_EUNSUPPORTED;
    }
    struct walker *w = lp_calloc(1, sizeof *w);
    if (!w)
        return LP_ENOMEM;
    w->l = l;
    w->warner = warner;
    w->warn = warn;
    w->ctx = ctx;
    w->nwarn = nwarn;
    w->flags = flags;
    w->skip = skip;
    size_t first = l->n;
    lp_err err;
    if (S_ISREG(st.st_mode)) {
        const char *slash = strrchr(root, '/');
        w->rootlen = slash ? (size_t)(slash - root + 1) : 0;
        err = add_entry(w, root, (uint64_t)st.st_size);
        if (!err)
            l->v[l->n - 1].root = l->v[l->n - 1].follow = true;
    } else {
        if (access(root, R_OK | X_OK) != 0) {
            snprintf(errbuf, errlen, "'%s': %s", root, strerror(errno));
            lp_free(w);
            return LP_EIO;
        }
        w->rootlen = strlen(root);
        err = walk_dir(w, root, &st, 0);
    }
    lp_free(w);
    if (!err && l->n > first)
        lp_sort(l->v + first, l->n - first, sizeof *l->v, cmp_entries);
    return err;
}

lp_err lp_walk_collect(const char *root, unsigned flags,
                       const struct lp_walk_skip *skip, struct lp_walk_list *l,
                       void (*warn)(void *ctx, const char *msg), void *ctx,
                       size_t *nwarn, char *errbuf, size_t errlen)
{
    return collect_root(root, flags, skip, l, NULL, warn, ctx, nwarn, errbuf,
                        errlen);
}

/* Reads fd to its end (see lp_walk_read_hint); `name` for messages. A
 * regular file (need_regular) is stat'ed when its size is unknown. With
 * cut (not NULL), a stream longer than max is read up to max and *cut set,
 * instead of failing with LP_ELIMIT. */
static lp_err read_fd(int fd, const char *name, bool need_regular,
                      uint64_t max, uint64_t hint, char **buf, size_t *cap,
                      size_t *len, bool *cut, char *errbuf, size_t errlen)
{
    size_t got = 0;
    *len = 0;
    if (hint == LP_SIZE_UNKNOWN && need_regular) {
        struct stat st;
        if (fstat(fd, &st) != 0) {
            snprintf(errbuf, errlen, "'%s': %s", name, strerror(errno));
            return LP_EIO;
        }
        if (!S_ISREG(st.st_mode)) {
            snprintf(errbuf, errlen, "'%s': not a regular file (skipped)",
                     name);
            return LP_EUNSUPPORTED;
        }
        hint = (uint64_t)st.st_size;
    }
    for (;;) {
        if (got >= max + 1 && cut) { /* a stream: its first bytes */
            got = (size_t)max;
            *cut = true;
            break;
        }
        /* Too large: said without reading it when its size is known. */
        if (got >= max + 1 || (got == 0 && hint != LP_SIZE_UNKNOWN && hint > max)) {
            snprintf(errbuf, errlen,
                     "'%s': file larger than %llu bytes (skipped)", name,
                     (unsigned long long)max);
            return LP_ELIMIT;
        }
        /* Room for the expected size and one byte more (to notice growth),
         * else for another 64 KB. */
        size_t need = got + 2;
        if (hint < max && hint + 2 > need)
            need = (size_t)hint + 2;
        if (*cap < need &&
            !lp_grow((void **)buf, cap, need > got + 65536 ? need : got + 65536,
                     1))
            return LP_ENOMEM;
        size_t want = *cap - got - 1;
        if (want > max + 1 - got)
            want = max + 1 - got;
        ssize_t r = read(fd, *buf + got, want);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            snprintf(errbuf, errlen, "'%s': %s", name, strerror(errno));
            return LP_EIO;
        }
        if (r == 0)
            break;
        got += (size_t)r;
        /* Exactly the size the walk saw and the read was not cut short by
         * the buffer: no need to ask again for the end of file. */
        if (got == hint && (size_t)r < want)
            break;
    }
    (*buf)[got] = '\0';
    *len = got;
    return LP_OK;
}

/* lp_walk_read_hint(), following a symbolic link in the file's place when
 * `follow` (a root the user named, or --follow-symlinks). */
static lp_err read_path(const char *fspath, bool follow, uint64_t max,
                        uint64_t hint, char **buf, size_t *cap, size_t *len,
                        char *errbuf, size_t errlen)
{
    *len = 0;
    /* O_NONBLOCK: a FIFO put in the file's place must not hang the scan. */
    int fd = open(fspath, O_RDONLY | O_CLOEXEC | O_NONBLOCK |
                              (follow ? 0 : O_NOFOLLOW));
    if (fd < 0) {
        snprintf(errbuf, errlen, "'%s': %s", fspath, strerror(errno));
        return LP_EIO;
    }
    lp_err err = read_fd(fd, fspath, true, max, hint, buf, cap, len, NULL,
                         errbuf, errlen);
    close(fd);
    return err;
}

lp_err lp_walk_read_hint(const char *fspath, uint64_t max, uint64_t hint,
                         char **buf, size_t *cap, size_t *len, char *errbuf,
                         size_t errlen)
{
    return read_path(fspath, false, max, hint, buf, cap, len, errbuf, errlen);
}

void lp_warner_init(struct lp_warner *w, void (*fn)(void *ctx, const char *msg),
                    void *ctx)
{
    memset(w, 0, sizeof *w);
    w->fn = fn;
    w->ctx = ctx;
    pthread_mutex_init(&w->mu, NULL);
    atomic_init(&w->count, 0);
}

void lp_skips_free(struct lp_skip *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        lp_free(v[i].path);
        lp_free(v[i].reason);
    }
    lp_free(v);
}

void lp_warner_release(struct lp_warner *w)
{
    pthread_mutex_destroy(&w->mu);
    lp_skips_free(w->skips, w->nskips);
    w->skips = NULL;
    w->nskips = w->capskips = 0;
}

void lp_warner_skip(struct lp_warner *w, const char *path, const char *reason)
{
    char epath[LP_MAX_PATH + 1], msg[LP_MAX_PATH + 1024];
    atomic_fetch_add(&w->count, 1);
    size_t rl = strlen(reason);
    static const char tail[] = " (skipped)";
    size_t keep = rl > sizeof tail - 1 &&
                          !strcmp(reason + rl - (sizeof tail - 1), tail)
                      ? rl - (sizeof tail - 1)
                      : rl;
    char *p = lp_strdup(path), *r = lp_malloc(keep + 1);
    if (r) {
        memcpy(r, reason, keep);
        r[keep] = '\0';
    }
    pthread_mutex_lock(&w->mu);
    if (p && r &&
        lp_grow((void **)&w->skips, &w->capskips, w->nskips + 1,
                sizeof *w->skips)) {
        w->skips[w->nskips].path = p;
        w->skips[w->nskips].reason = r;
        w->nskips++;
        p = r = NULL;
    } else {
        w->lost = true;
    }
    if (w->fn) {
        lp_utf8_escape(path, epath, sizeof epath);
        snprintf(msg, sizeof msg, "'%s': %s", epath, reason);
        w->fn(w->ctx, msg);
    }
    if (w->skip) {
        snprintf(msg, sizeof msg, "%.*s", (int)keep, reason);
        w->skip(w->skip_ctx, path, msg);
    }
    pthread_mutex_unlock(&w->mu);
    lp_free(p);
    lp_free(r);
}

static int cmp_skips(const void *a, const void *b)
{
    const struct lp_skip *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    return c ? c : strcmp(x->reason, y->reason);
}

void lp_warner_take(struct lp_warner *w, struct lp_skip **out, size_t *n)
{
    pthread_mutex_lock(&w->mu);
    *out = w->skips;
    *n = w->nskips;
    w->skips = NULL;
    w->nskips = w->capskips = 0;
    pthread_mutex_unlock(&w->mu);
    if (*n)
        lp_sort(*out, *n, sizeof **out, cmp_skips);
}

lp_err lp_walk_add_blob(struct lp_walk_list *l, const char *repo,
                        const char *logical, const uint8_t oid[20])
{
    struct lp_walk_entry *e;
    lp_err err = push_entry(l, repo, logical, &e);
    if (err)
        return err;
    e->size = LP_SIZE_UNKNOWN;
    e->git = true;
    memcpy(e->oid, oid, sizeof e->oid);
    return LP_OK;
}

/* The HEAD tree of the repository at root, as entries "root/path" (or
 * "path" with LP_WALK_RELATIVE). */
void lp_walk_git_skipped(void *ctx, const char *path, const char *why)
{
    const struct lp_walk_git_skip *gs = ctx;
    char msg[LP_MAX_PATH + 256];
    snprintf(msg, sizeof msg, "%s/%s", gs->repo, path);
    char reason[512];
    snprintf(reason, sizeof reason, "%s (skipped)", why);
    lp_warner_skip(gs->w, msg, reason);
}

static lp_err collect_git_head(const char *root, unsigned flags,
                               struct lp_walk_list *l, struct lp_warner *w,
                               char *errbuf, size_t errlen)
{
    struct lp_walk_git_skip gs = {root, w};
    struct lp_git *g = NULL;
    struct lp_git_version *v = NULL;
    struct lp_git_file *f = NULL;
    size_t nv = 0, nf = 0;
    lp_err err = lp_git_open(root, &g, errbuf, errlen);
    if (!err)
        err = lp_git_versions(g, LP_GIT_HEAD, &v, &nv, errbuf, errlen);
    if (!err && nv)
        err = lp_git_tree_files(g, v[0].commit, &f, &nf, lp_walk_git_skipped,
                                &gs, errbuf, errlen);
    size_t rl = strlen(root);
    while (rl > 1 && root[rl - 1] == '/')
        rl--;
    char logical[LP_MAX_PATH + 1];
    for (size_t i = 0; !err && i < nf; i++) {
        int r = flags & LP_WALK_RELATIVE
                    ? snprintf(logical, sizeof logical, "%s", f[i].path)
                    : snprintf(logical, sizeof logical, "%.*s/%s", (int)rl,
                               root, f[i].path);
        if (r < 0 || (size_t)r >= sizeof logical)
            lp_walk_git_skipped(&gs, f[i].path, "path too long");
        else
            err = lp_walk_add_blob(l, root, logical, f[i].blob);
    }
    lp_git_files_free(f, nf);
    lp_free(v);
    lp_git_close(g);
    return err;
}

/* The reason of a message "'name': reason" about name, or the message. */
static const char *reason_of_msg(const char *msg, const char *name)
{
    size_t n = strlen(name);
    if (msg[0] == '\'' && !strncmp(msg + 1, name, n) &&
        !strncmp(msg + 1 + n, "': ", 3))
        return msg + n + 4;
    return msg;
}

/* Whether the root names a pipe, socket or character device (/dev/fd/N
 * of a shell's process substitution, /dev/stdin): read as a stream. */
static bool is_stream(const char *root)
{
    struct stat st;
    return stat(root, &st) == 0 && (S_ISFIFO(st.st_mode) ||
                                    S_ISCHR(st.st_mode) ||
                                    S_ISSOCK(st.st_mode));
}

lp_err lp_walk_add_memory(struct lp_walk_list *l, const char *logical,
                          const void *data, size_t len)
{
    struct lp_walk_entry *e;
    lp_err err = push_entry(l, logical, logical, &e);
    if (!err)
        *e = (struct lp_walk_entry){.fspath = e->fspath, .logical = e->logical,
                                    .size = len, .root = true, .memory = true,
                                    .data = data, .datalen = len};
    return err;
}

lp_err lp_walk_add_fd(struct lp_walk_list *l, const char *logical, int fd)
{
    struct lp_walk_entry *e;
    lp_err err = push_entry(l, logical, logical, &e);
    if (!err)
        *e = (struct lp_walk_entry){.fspath = e->fspath, .logical = e->logical,
                                    .size = LP_SIZE_UNKNOWN, .root = true,
                                    .stream = true, .fd = fd};
    return err;
}

lp_err lp_walk_collect_all(const char *const *roots, size_t n, unsigned flags,
                           const char *registry_dir, struct lp_walk_list *l,
                           struct lp_warner *w, char *errbuf, size_t errlen)
{
    struct lp_walk_skip skip;
    size_t nwarn = 0; /* the warner counts them */
    lp_walk_skip_init(&skip, registry_dir);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(roots[i], "-") == 0) { /* standard input: one file */
            lp_err err = lp_walk_add_fd(l, "-", STDIN_FILENO);
            if (err)
                return err;
            continue;
        }
        if (is_stream(roots[i])) { /* a pipe or device named: read it */
            struct lp_walk_entry *e;
            lp_err err = push_entry(l, roots[i], roots[i], &e);
            if (err)
                return err;
            e->size = LP_SIZE_UNKNOWN;
            e->stream = e->root = e->follow = true;
            e->fd = -1;
            continue;
        }
        size_t first = l->n;
        bool git = lp_git_is_bare(roots[i]);
        lp_err err = git ? collect_git_head(roots[i], flags, l, w, errbuf, errlen)
                         : collect_root(roots[i], flags, &skip, l, w, NULL,
                                        NULL, &nwarn, errbuf, errlen);
        bool history = (flags & LP_WALK_GIT_HISTORY) != 0;
        if (!err && history && lp_git_is_repo(roots[i])) {
            err = lp_walk_collect_history(roots[i], flags,
                                          LP_MAX_HISTORY_BLOBS_DEFAULT, l,
                                          w);
            git = true; /* the history's entries are to be sorted in */
        }
        if (err && err != LP_ENOMEM && (flags & LP_WALK_SKIP_BAD_ROOTS)) {
            /* as ripgrep does: said, and the other roots are read */
            lp_warner_skip(w, roots[i], reason_of_msg(errbuf, roots[i]));
            err = LP_OK;
        }
        if (err)
            return err;
        if (git && l->n > first)
            lp_sort(l->v + first, l->n - first, sizeof *l->v, cmp_entries);
    }
    return LP_OK;
}

/* Closes the repository rd kept open. */
static void forget_git(struct lp_walk_reader *rd)
{
    lp_git_close(rd->git);
    lp_free(rd->git_path);
    rd->git = NULL;
    rd->git_path = NULL;
}

void lp_walk_reader_release(struct lp_walk_reader *rd)
{
    forget_git(rd);
    lp_prefetch_free(rd->pf);
    rd->pf = NULL;
    rd->pf_tried = false;
    rd->nbatch = rd->next = 0;
}

void lp_walk_reader_prefetch(struct lp_walk_reader *rd,
                             const struct lp_walk_entry *v, size_t n,
                             uint64_t max)
{
    rd->nbatch = rd->next = 0;
    if (!rd->pf && !rd->pf_tried && !rd->no_io_uring) {
        rd->pf_tried = true;
        rd->pf = lp_prefetch_new();
    }
    if (!rd->pf)
        return;
    if (n > PREFETCH_SLOTS)
        n = PREFETCH_SLOTS;
    const char *paths[PREFETCH_SLOTS];
    bool follow[PREFETCH_SLOTS];
    for (size_t i = 0; i < n; i++) {
        paths[i] = v[i].git || v[i].stream || v[i].memory ? NULL
                                                             : v[i].fspath;
        follow[i] = v[i].follow;
        rd->batch[i] = &v[i];
    }
    rd->nbatch = n;
    lp_prefetch_batch(rd->pf, paths, follow, n, max);
}

/* Entry e's bytes when they were read ahead whole (see
 * lp_walk_reader_prefetch()). */
static bool take_prefetched(struct lp_walk_reader *rd,
                            const struct lp_walk_entry *e, char **buf,
                            size_t *cap, size_t *len)
{
    for (size_t k = rd->next; k < rd->nbatch; k++) {
        if (rd->batch[k] == e) {
            rd->next = k + 1;
            return lp_prefetch_take(rd->pf, k, buf, cap, len);
        }
    }
    return false;
}

/* A blob of the repository e->fspath, through rd's handle on it. */
static lp_err read_blob(struct lp_walk_reader *rd, const struct lp_walk_entry *e,
                        uint64_t max, char **buf, size_t *cap, size_t *len,
                        char *msg, size_t msglen)
{
    if (!rd->git_path || strcmp(rd->git_path, e->fspath) != 0) {
        forget_git(rd);
        rd->git_path = lp_strdup(e->fspath);
        if (!rd->git_path)
            return LP_ENOMEM;
        char why[512];
        lp_err err = lp_git_open(e->fspath, &rd->git, why, sizeof why);
        if (err) {
            /* not kept: the next blob of it tries again, never reads NULL */
            forget_git(rd);
            snprintf(msg, msglen, "'%s': %s", e->logical, why);
            return err;
        }
    }
    char why[512];
    lp_err err = lp_git_read_blob(rd->git, e->oid, max, buf, cap, len, why,
                                  sizeof why);
    if (err && err != LP_ENOMEM)
        snprintf(msg, msglen, "'%s': %s", e->logical, why);
    return err;
}

size_t lp_walk_long_line(const char *buf, size_t len, size_t max,
                         uint32_t *line)
{
    *line = 0;
    if (len <= max)
        return len;
    uint32_t n = 1;
    for (size_t at = 0; at < len; n++) {
        const char *nl = memchr(buf + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - buf) : len;
        if (end - at > max) {
            *line = n;
            return at;
        }
        at = end + 1;
    }
    return len;
}

void lp_walk_say_too_large(struct lp_warner *w, const char *path,
                           uint64_t max)
{
    char why[128];
    snprintf(why, sizeof why, "file larger than %llu bytes (skipped)",
             (unsigned long long)max);
    lp_warner_skip(w, path, why);
}

/* The size of the file at path when its first bytes are an archive's,
 * else 0. */
uint64_t lp_walk_archive_size(const char *path)
{
    unsigned char head[32 * 1024 + 1024]; /* iso9660 marks sector 16 */
    uint64_t size = 0;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct stat st;
    ssize_t n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode)
                    ? pread(fd, head, sizeof head, 0)
                    : -1;
    if (n > 0 && lp_archive_detect(head, (size_t)n))
        size = (uint64_t)st.st_size;
    close(fd);
    return size;
}

/* The caller's bytes of a memory entry, up to max (*cut when more). */
static lp_err copy_memory(const struct lp_walk_entry *e, uint64_t max,
                          char **buf, size_t *cap, size_t *len, bool *cut)
{
    size_t n = e->datalen;
    if (n > max) {
        n = (size_t)max;
        *cut = true;
    }
    if (*cap < n + 1 && !lp_grow((void **)buf, cap, n + 1, 1))
        return LP_ENOMEM;
    if (n)
        memcpy(*buf, e->data, n);
    (*buf)[n] = '\0';
    *len = n;
    return LP_OK;
}

/* A stream entry: its descriptor, or its path opened (blocking: the user
 * named the pipe), read to its end or up to max. */
static lp_err read_stream(const struct lp_walk_entry *e, uint64_t max,
                          char **buf, size_t *cap, size_t *len, bool *cut,
                          char *msg, size_t msglen)
{
    int fd = e->fd;
    if (fd < 0 && (fd = open(e->fspath, O_RDONLY | O_CLOEXEC)) < 0) {
        snprintf(msg, msglen, "'%s': %s", e->logical, strerror(errno));
        return LP_EIO;
    }
    lp_err err = read_fd(fd, e->logical, false, max, LP_SIZE_UNKNOWN, buf, cap,
                         len, cut, msg, msglen);
    if (e->fd < 0)
        close(fd);
    return err;
}

lp_err lp_walk_read_entry(struct lp_walk_reader *rd,
                          const struct lp_walk_entry *e, uint64_t max,
                          char **buf, size_t *cap, size_t *len,
                          struct lp_warner *w, bool *skipped,
                          uint64_t *big_archive)
{
    char msg[LP_MAX_PATH + 1024];
    lp_err err;
    bool cut = false;
    if (e->git)
        err = read_blob(rd, e, max, buf, cap, len, msg, sizeof msg);
    else if (e->memory)
        err = copy_memory(e, max, buf, cap, len, &cut);
    else if (e->stream)
        err = read_stream(e, max, buf, cap, len, &cut, msg, sizeof msg);
    else if (take_prefetched(rd, e, buf, cap, len))
        err = LP_OK;
    else
        err = read_path(e->fspath, e->follow, max, e->size, buf, cap, len,
                        msg, sizeof msg);
    *skipped = err && err != LP_ENOMEM;
    if (big_archive)
        *big_archive = 0;
    if (cut) {
        char why[160];
        snprintf(why, sizeof why, "larger than %llu bytes (--max-file-size): "
                 "its first %llu bytes were read",
                 (unsigned long long)max, (unsigned long long)max);
        lp_warner_skip(w, e->logical, why);
    }
    rd->big_plain = false;
    if (err == LP_ELIMIT && big_archive && !e->git && !e->stream &&
        !e->memory) {
        if ((*big_archive = lp_walk_archive_size(e->fspath)) != 0)
            return LP_OK;
        struct stat st; /* a plain file, for the caller to read in windows */
        if (rd->windows && (e->follow ? stat : lstat)(e->fspath, &st) == 0 &&
            S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
            *big_archive = (uint64_t)st.st_size;
            rd->big_plain = true;
            return LP_OK;
        }
    }
    if (*skipped) {
        /* The readers write "'name': reason", name being the logical path
         * or the file's: the reason is what follows. */
        const char *why = reason_of_msg(msg, e->logical);
        if (why == msg)
            why = reason_of_msg(msg, e->fspath);
        lp_warner_skip(w, e->logical, why);
        return LP_OK;
    }
    return err;
}
