/* SPDX-License-Identifier: Apache-2.0
 *
 * feed: the one driver from inputs to items. It reads the entries of a walk
 * list (files of directories, git blobs, standard input, descriptors, memory
 * buffers) on a pool of workers, reading each worker's next files ahead;
 * opens archives (nested, from memory, a large one streamed from disk) with
 * every limit of struct lp_archive_limits; and hands each content to the
 * caller as an item: a logical path and its bytes. add, scan and secrets use
 * it, and every later front end (the watch daemon, shards) will, so a limit
 * or a hostile-input rule is written once.
 *
 * What is not read, or read in part, is said to the warner with its reason:
 * nothing is dropped silently.
 *
 * Order: items of one entry are begun in the entry's order (archive members
 * in archive order) on the worker that reads the entry; an archive member
 * may then be processed by another, idle worker (it gets a copy). The caller
 * stores results by entry, so output never depends on the thread count.
 */
#ifndef LP_FEED_H
#define LP_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "leakprint.h"
#include "walk.h"
#include "walk_archive.h"

/* One content to analyze. */
struct lp_item {
    const char *path;   /* logical path: "dump.zip!src/a.c" */
    const char *data;   /* len bytes followed by a NUL; borrowed for the
                           call only */
    size_t len;
    unsigned depth;     /* 0: the entry itself; n: n archives deep */
    size_t entry;       /* index of the walk entry it comes from */
    const struct lp_walk_entry *origin; /* that entry (commit, blob id) */
    bool whole;         /* ops->whole() said so: not opened as an archive */
    /* A window of a file larger than max_size (lp_feed_options.windows):
     * data is bytes [offset, offset + len) of it; line0 lines end before
     * them and col0 - 1 bytes of their first line; the caller reports what
     * starts in [keep_from, keep_to) of data, so that what lies in the
     * overlap of two windows is reported once. A windowed file has one
     * begin() and a process() per window, in order, on one worker. */
    bool windowed;
    bool last;          /* the file's last window */
    uint64_t offset, line0, col0;
    size_t keep_from, keep_to;
};

struct lp_feed_ops {
    /* Whether an item that may be an archive is to be taken whole (an
     * office document is a zip). May be NULL: none is. */
    bool (*whole)(void *ctx, const struct lp_item *it);
    /* Whether entry i is to be read at all (add: a git blob the registry
     * already holds is not). May be NULL: every one is. */
    bool (*wanted)(void *ctx, size_t entry);
    /* On the worker reading the entry, in item order: where the item's
     * result goes, as an opaque *token for process(). */
    lp_err (*begin)(void *ctx, const struct lp_item *it, void **token);
    /* On any worker: analyze the item (it->data is valid for the call). An
     * error stops the run (LP_EABORTED: the caller asked). */
    lp_err (*process)(void *ctx, unsigned worker, void *token,
                      const struct lp_item *it);
    /* Entry i gave no item: it could not be read (its reason was said),
     * or it is an archive too deeply nested to open. Called once, on its
     * worker. An entry read in part (a stream cut, a truncated archive)
     * gives its items and its reason instead. May be NULL. */
    lp_err (*failed)(void *ctx, size_t entry, const struct lp_walk_entry *e);
};

struct lp_feed_options {
    const struct lp_walk_list *list; /* the entries, borrowed */
    struct lp_warner *warn;          /* where skipped inputs are said */
    struct lp_archive_limits lim;
    uint64_t max_size;               /* bytes of one file read whole */
    bool windows;                    /* a larger file (not an archive) is
                                        given in overlapping windows of
                                        max_size bytes, not skipped */
    unsigned jobs;                   /* workers (>= 1) */
    bool no_io_uring;                /* never read files ahead in batches */
    /* Called about every 200 ms (may be NULL); non-zero stops the run with
     * LP_EABORTED. */
    int (*progress)(void *ctx, size_t done, size_t total);
    void *progress_ctx;
    const struct lp_feed_ops *ops;
    void *ctx;                       /* of ops */
};

/* Reads every entry of opt->list and hands its items to opt->ops. Returns
 * LP_OK when every entry was read or said to be skipped; otherwise the
 * first error of a callback (LP_EABORTED when one asked to stop) or
 * LP_ENOMEM. */
lp_err lp_feed_run(const struct lp_feed_options *opt);

#endif
