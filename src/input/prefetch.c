/* SPDX-License-Identifier: Apache-2.0
 *
 * prefetch: batches of open, read and close through io_uring (see
 * prefetch.h).
 */
#include "prefetch.h"

#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "banned.h"

/* Three operations per file: open, read, close. */
enum { OP_OPEN, OP_READ, OP_CLOSE, OPS };

struct slot {
    char *buf;
    size_t cap;
    size_t asked; /* bytes the read asked for; 0: not submitted */
    int res;      /* the read's result (-ECANCELED when the open failed) */
};

struct lp_prefetch {
    struct io_uring ring;
    struct slot slots[PREFETCH_SLOTS];
    size_t n;      /* slots of the last batch */
    bool broken;   /* io_uring failed: no more batches */
    bool inflight; /* reads may still land in the buffers: never free them */
};

struct lp_prefetch *lp_prefetch_new(void)
{
    struct lp_prefetch *pf = lp_calloc(1, sizeof *pf);
    if (!pf)
        return NULL;
    /* The ring and a table of registered descriptors, one per slot: the
     * read and the close find the open's file there, so all three go in
     * one submission. Refused under seccomp filters that forbid io_uring,
     * by kernels without it, or with io_uring_disabled set. */
    if (io_uring_queue_init(PREFETCH_SLOTS * OPS, &pf->ring, 0) != 0) {
        lp_free(pf);
        return NULL;
    }
    if (io_uring_register_files_sparse(&pf->ring, PREFETCH_SLOTS) != 0) {
        io_uring_queue_exit(&pf->ring);
        lp_free(pf);
        return NULL;
    }
    return pf;
}

void lp_prefetch_free(struct lp_prefetch *pf)
{
    if (!pf)
        return;
    io_uring_queue_exit(&pf->ring);
    /* After a failure in the middle of a batch the kernel may still write
     * into the buffers (a ring is torn down asynchronously): they are
     * left, not freed. Never seen; a few slots of memory if it is. */
    for (size_t i = 0; i < PREFETCH_SLOTS && !pf->inflight; i++)
        lp_free(pf->slots[i].buf);
    lp_free(pf);
}

/* Stops prefetching for good: the ring is in a state not worth trusting. */
static void breaks(struct lp_prefetch *pf)
{
    pf->broken = true;
    pf->n = 0;
}

void lp_prefetch_batch(struct lp_prefetch *pf, const char *const *paths,
                       const bool *follow, size_t n, uint64_t max)
{
    if (pf->broken)
        return;
    if (n > PREFETCH_SLOTS)
        n = PREFETCH_SLOTS;
    pf->n = n;
    /* Enough to tell a file of `max` bytes from a larger one. */
    size_t want = max < PREFETCH_READ ? (size_t)max + 1 : PREFETCH_READ;
    unsigned ops = 0;
    for (size_t i = 0; i < n; i++) {
        struct slot *s = &pf->slots[i];
        s->asked = 0;
        s->res = -1;
        if (!paths[i])
            continue;
        if (s->cap < want + 1) {
            char *b = lp_malloc(want + 1);
            if (!b)
                continue;
            lp_free(s->buf);
            s->buf = b;
            s->cap = want + 1;
        }
        struct io_uring_sqe *op_open = io_uring_get_sqe(&pf->ring);
        struct io_uring_sqe *op_read = io_uring_get_sqe(&pf->ring);
        struct io_uring_sqe *op_close = io_uring_get_sqe(&pf->ring);
        if (!op_open || !op_read || !op_close) {
            /* cannot be: the ring has room for a batch */
            breaks(pf);
            return;
        }
        /* O_NONBLOCK: a FIFO put in a file's place does not block. */
        io_uring_prep_openat_direct(op_open, AT_FDCWD, paths[i],
                                    O_RDONLY | O_NONBLOCK |
                                        (follow && follow[i] ? 0 : O_NOFOLLOW),
                                    0, (unsigned)i);
        op_open->flags |= IOSQE_IO_LINK;
        op_open->user_data = i * OPS + OP_OPEN;
        io_uring_prep_read(op_read, (int)i, s->buf, (unsigned)want, 0);
        /* A hard link: the close runs even when the read fails. */
        op_read->flags |= IOSQE_FIXED_FILE | IOSQE_IO_HARDLINK;
        op_read->user_data = i * OPS + OP_READ;
        io_uring_prep_close_direct(op_close, (unsigned)i);
        op_close->user_data = i * OPS + OP_CLOSE;
        s->asked = want;
        ops += OPS;
    }
    if (!ops)
        return;
    int r;
    do
        r = io_uring_submit(&pf->ring);
    while (r == -EINTR);
    /* Each operation submitted completes once, even when cancelled: all of
     * them are waited for before the buffers are read or reused. */
    unsigned submitted = r > 0 ? (unsigned)r : 0;
    if (submitted)
        pf->inflight = true;
    for (unsigned seen = 0; seen < submitted; seen++) {
        struct io_uring_cqe *cqe;
        int w;
        do
            w = io_uring_wait_cqe(&pf->ring, &cqe);
        while (w == -EINTR);
        if (w != 0) {
            breaks(pf);
            return;
        }
        size_t i = (size_t)(cqe->user_data / OPS);
        unsigned op = (unsigned)(cqe->user_data % OPS);
        /* A failed open cancels the read and the close after it: only a
         * close that ran and failed leaves a descriptor in the table. The
         * next open would replace it; still, nothing is known of this ring
         * any more. */
        if (i < n && op == OP_READ)
            pf->slots[i].res = cqe->res;
        else if (i < n && op == OP_CLOSE && cqe->res < 0 &&
                 cqe->res != -ECANCELED)
            pf->broken = true;
        io_uring_cqe_seen(&pf->ring, cqe);
    }
    pf->inflight = false;
    if (r != (int)ops)
        breaks(pf);
}

bool lp_prefetch_take(struct lp_prefetch *pf, size_t i, char **buf,
                      size_t *cap, size_t *len)
{
    if (i >= pf->n)
        return false;
    struct slot *s = &pf->slots[i];
    if (!s->asked || s->res <= 0 || (size_t)s->res >= s->asked)
        return false;
    size_t got = (size_t)s->res;
    s->buf[got] = '\0';
    /* The caller's buffer comes back as this slot's, unless it grew large
     * on some big file: a slot does not keep that much memory. */
    char *old = *buf;
    size_t oldcap = *cap;
    *buf = s->buf;
    *cap = s->cap;
    *len = got;
    if (old && oldcap <= 2 * (size_t)PREFETCH_READ) {
        s->buf = old;
        s->cap = oldcap;
    } else {
        lp_free(old);
        s->buf = NULL;
        s->cap = 0;
    }
    s->asked = 0;
    return true;
}
