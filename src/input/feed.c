/* SPDX-License-Identifier: Apache-2.0
 *
 * feed: reads the walk list's entries on the pool's workers and hands their
 * contents, archives opened, to the caller (see feed.h). A worker reads an
 * entry into its own buffer (its next entries were read ahead in one batch),
 * walks it when it is an archive, and begins every item in order; an
 * archive member is copied to the pool's queue for an idle worker when one
 * may take it, so that a worker decompressing a large archive is not also
 * the only one analyzing it.
 */
#include "feed.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "limits.h"
#include "mem.h"
#include "pool.h"
#include "banned.h"

/* Bytes of archive members waiting for an idle worker, at most. */
#define QUEUE_BYTES (64u << 20)

struct feed {
    const struct lp_feed_options *opt;
    struct lp_walk_reader *rd; /* one per worker */
    struct feed_buf {
        char *p;
        size_t cap;
    } *buf;                    /* one per worker */
    struct lp_pool_queue *queue;
    atomic_bool stop;          /* the progress callback asked to stop */
};

/* What a worker reads now: one entry, and the archives in it. */
struct feed_ctx {
    struct feed *f;
    unsigned worker;
    size_t entry;
    const struct lp_walk_entry *e;
    struct lp_archive_budget budget;
};

/* An archive member handed to another worker: a copy of its bytes and
 * path, and the caller's token for it. */
struct feed_task {
    struct feed *f;
    void *token;
    struct lp_item it;
    size_t len;
    char data[]; /* len bytes, a NUL, then the path and its NUL */
};

static lp_err feed_task_run(void *ctx, unsigned worker, void *task)
{
    (void)ctx;
    struct feed_task *t = task;
    const struct lp_feed_ops *ops = t->f->opt->ops;
    lp_err err = ops->process(t->f->opt->ctx, worker, t->token, &t->it);
    lp_free(t);
    return err;
}

/* Hands a member to an idle worker; false when none may take it now. */
static bool hand_over(struct feed_ctx *c, void *token, const struct lp_item *it)
{
    size_t plen = strlen(it->path) + 1, size;
    if (!c->f->queue || !lp_add_ok(sizeof(struct feed_task), it->len, &size) ||
        !lp_add_ok(size, plen + 1, &size))
        return false;
    struct feed_task *t = lp_malloc(size);
    if (!t)
        return false; /* processed here instead */
    t->f = c->f;
    t->token = token;
    t->it = *it;
    memcpy(t->data, it->data, it->len + 1);
    memcpy(t->data + it->len + 1, it->path, plen);
    t->it.data = t->data;
    t->it.path = t->data + it->len + 1;
    if (lp_pool_queue_push(c->f->queue, t, it->len))
        return true;
    lp_free(t);
    return false;
}

static lp_err feed_member(void *ctx, const char *logical, const char *data,
                          size_t len, unsigned depth);

/* A content at nesting `depth`: an archive is walked, anything else (or an
 * archive that turns out not to be one) becomes an item. */
static lp_err feed_content(struct feed_ctx *c, const char *logical,
                           const char *buf, size_t len, unsigned depth)
{
    const struct lp_feed_options *opt = c->f->opt;
    const struct lp_feed_ops *ops = opt->ops;
    struct lp_item it = {.path = logical, .data = buf, .len = len,
                         .depth = depth, .entry = c->entry, .origin = c->e};
    it.whole = ops->whole && ops->whole(opt->ctx, &it);
    if (!it.whole && lp_archive_detect((const unsigned char *)buf, len)) {
        if (depth >= opt->lim.max_depth) {
            lp_archive_say_too_deep(opt->warn, logical, &opt->lim);
            return depth == 0 && ops->failed
                       ? ops->failed(opt->ctx, c->entry, c->e)
                       : LP_OK;
        }
        lp_err err = lp_archive_walk(logical, buf, len, depth + 1, &opt->lim,
                                     &c->budget, opt->warn, feed_member, c);
        if (err != LP_EFORMAT)
            return err;
        /* not an archive after all: a plain file */
    }
    void *token = NULL;
    lp_err err = ops->begin(opt->ctx, &it, &token);
    if (err)
        return err;
    if (depth > 0 && hand_over(c, token, &it))
        return LP_OK;
    return ops->process(opt->ctx, c->worker, token, &it);
}

static lp_err feed_member(void *ctx, const char *logical, const char *data,
                          size_t len, unsigned depth)
{
    return feed_content(ctx, logical, data, len, depth);
}

/* Counts the newlines of p[0..n) and the bytes after the last one. */
static void count_lines(const char *p, size_t n, uint64_t *lines,
                        uint64_t *col)
{
    for (const char *end = p + n, *nl; p < end; p = nl + 1) {
        if (!(nl = memchr(p, '\n', (size_t)(end - p)))) {
            *col += (uint64_t)(end - p);
            return;
        }
        ++*lines;
        *col = 0;
    }
}

/* A plain file larger than max_size, read in windows of max_size bytes
 * that overlap by LP_WINDOW_OVERLAP (less for a small max_size): one
 * begin(), then a process() per window, here and in order. */
static lp_err feed_windows(struct feed_ctx *c, const struct lp_walk_entry *e)
{
    const struct lp_feed_options *opt = c->f->opt;
    struct feed_buf *b = &c->f->buf[c->worker];
    size_t win = (size_t)opt->max_size, ov = LP_WINDOW_OVERLAP, have = 0;
    if (ov > win / 4)
        ov = win / 4;
    if (b->cap < win + 1 && !lp_grow((void **)&b->p, &b->cap, win + 1, 1))
        return LP_ENOMEM;
    int fd = open(e->fspath, O_RDONLY | O_CLOEXEC | O_NONBLOCK |
                                 (e->follow ? 0 : O_NOFOLLOW));
    if (fd < 0) {
        lp_warner_skip(opt->warn, e->logical, strerror(errno));
        return opt->ops->failed ? opt->ops->failed(opt->ctx, c->entry, e)
                                : LP_OK;
    }
    struct lp_item it = {.path = e->logical, .entry = c->entry, .origin = e,
                         .windowed = true, .col0 = 1};
    void *token = NULL;
    lp_err err = LP_OK;
    bool eof = false;
    uint64_t col = 0;
    for (bool first = true; !err && !eof; first = false) {
        while (have < win && !eof) { /* fill the window */
            ssize_t n = read(fd, b->p + have, win - have);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                char why[256];
                snprintf(why, sizeof why, "%s (read up to byte %llu)",
                         strerror(errno),
                         (unsigned long long)(it.offset + have));
                lp_warner_skip(opt->warn, e->logical, why);
            }
            if (n <= 0)
                eof = true;
            else
                have += (size_t)n;
        }
        b->p[have] = '\0';
        it.data = b->p;
        it.len = have;
        it.last = eof;
        it.keep_from = first ? 0 : ov / 2;
        it.keep_to = eof ? have : have - ov / 2;
        if (first)
            err = opt->ops->begin(opt->ctx, &it, &token);
        if (!err)
            err = opt->ops->process(opt->ctx, c->worker, token, &it);
        if (err || eof || atomic_load(&c->f->stop))
            break;
        /* the next window starts with this one's last ov bytes */
        size_t step = have - ov;
        count_lines(b->p, step, &it.line0, &col);
        it.col0 = col + 1;
        it.offset += step;
        memmove(b->p, b->p + step, ov);
        have = ov;
    }
    close(fd);
    return err;
}

/* A worker's next entries: their files are read ahead in one go. */
static void feed_ahead(void *ctx, unsigned worker, size_t first, size_t n)
{
    struct feed *f = ctx;
    lp_walk_reader_prefetch(&f->rd[worker], &f->opt->list->v[first], n,
                            f->opt->max_size);
}

static lp_err feed_one(void *ctx, unsigned worker, size_t i)
{
    struct feed *f = ctx;
    const struct lp_feed_options *opt = f->opt;
    const struct lp_walk_entry *e = &opt->list->v[i];
    struct feed_ctx c = {.f = f, .worker = worker, .entry = i, .e = e};
    if (atomic_load(&f->stop))
        return LP_EABORTED;
    if (opt->ops->wanted && !opt->ops->wanted(opt->ctx, i))
        return LP_OK;
    struct feed_buf *b = &f->buf[worker];
    size_t len = 0;
    bool failed = false;
    uint64_t big = 0;
    lp_err err = lp_walk_read_entry(&f->rd[worker], e, opt->max_size, &b->p,
                                    &b->cap, &len, opt->warn, &failed, &big);
    if (err)
        return err;
    if (big && f->rd[worker].big_plain) /* read in windows */
        return feed_windows(&c, e);
    if (big) { /* an archive larger than memory reads allow: streamed */
        err = lp_archive_walk_file(e->logical, e->fspath, big, &opt->lim,
                                   &c.budget, opt->warn, feed_member, &c);
        if (err != LP_EFORMAT)
            return err;
        lp_walk_say_too_large(opt->warn, e->logical, opt->max_size);
        failed = true;
    }
    if (failed)
        return opt->ops->failed ? opt->ops->failed(opt->ctx, i, e) : LP_OK;
    return feed_content(&c, e->logical, b->p, len, 0);
}

static void feed_progress(void *ctx, size_t done, size_t total)
{
    struct feed *f = ctx;
    if (f->opt->progress && f->opt->progress(f->opt->progress_ctx, done, total))
        atomic_store(&f->stop, true);
}

lp_err lp_feed_run(const struct lp_feed_options *opt)
{
    unsigned jobs = opt->jobs ? opt->jobs : 1;
    struct feed f = {.opt = opt};
    atomic_init(&f.stop, false);
    lp_err err = LP_OK;
    f.rd = lp_calloc(jobs, sizeof *f.rd);
    f.buf = lp_calloc(jobs, sizeof *f.buf);
    if (!f.rd || !f.buf)
        err = LP_ENOMEM;
    for (unsigned i = 0; !err && i < jobs; i++) {
        f.rd[i].no_io_uring = opt->no_io_uring;
        f.rd[i].windows = opt->windows;
    }
    if (!err)
        err = lp_pool_queue_new(feed_task_run, NULL, QUEUE_BYTES, &f.queue);
    if (!err)
        err = lp_pool_run_batches(opt->list->n, jobs, PREFETCH_SLOTS,
                                  feed_ahead, feed_one, f.queue, feed_progress,
                                  &f);
    if (!err && atomic_load(&f.stop))
        err = LP_EABORTED;
    for (unsigned i = 0; f.rd && i < jobs; i++)
        lp_walk_reader_release(&f.rd[i]);
    for (unsigned i = 0; f.buf && i < jobs; i++)
        lp_free(f.buf[i].p);
    lp_pool_queue_free(f.queue);
    lp_free(f.rd);
    lp_free(f.buf);
    return err;
}
