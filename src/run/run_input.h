/* SPDX-License-Identifier: Apache-2.0
 *
 * run_input: what every pipeline (add, scan, secrets) holds to read its
 * inputs through the feed: the walk list, the warner that collects skipped
 * inputs, the limits taken from the caller's lp_input_options, and the
 * largest file read whole. One place, so that the pipelines set them up,
 * run the feed and release them the same way.
 */
#ifndef LP_RUN_INPUT_H
#define LP_RUN_INPUT_H

#include "feed.h"
#include "leakprint.h"
#include "walk.h"
#include "walk_archive.h"

struct lp_run_input {
    struct lp_walk_list list;
    struct lp_warner warn;
    struct lp_archive_limits lim;
    uint64_t max_size;
    bool no_io_uring;
};

/* Sets in up from the caller's options (max_file_size 0: the default) and
 * warning callback (may be NULL). Never fails; release it with
 * lp_run_input_release(). */
void lp_run_input_init(struct lp_run_input *in, const struct lp_input_options *o,
                       uint64_t max_file_size,
                       void (*warn)(void *ctx, const char *msg),
                       void *warn_ctx);

void lp_run_input_release(struct lp_run_input *in);

/* Lists the targets' files into in->list, in target order: paths through
 * lp_walk_collect_all() with `flags` (never entering registry_dir, which
 * may be NULL), the caller's bytes and descriptors as one file each. A
 * failure (with LP_WALK_SKIP_BAD_ROOTS, only LP_ENOMEM or a bad target) is
 * said in errbuf. */
lp_err lp_run_input_collect(struct lp_run_input *in,
                            const struct lp_target *t, size_t n,
                            unsigned flags, const char *registry_dir,
                            char *errbuf, size_t errlen);

/* Feeds in->list to ops on `jobs` workers, files over in->max_size in
 * windows when `windows` (see struct lp_item); progress (may be NULL) as in
 * lp_scan_options. Returns what lp_feed_run() returns. */
lp_err lp_run_input_feed(struct lp_run_input *in, unsigned jobs, bool windows,
                         int (*progress)(void *ctx, size_t done, size_t total),
                         void *progress_ctx, const struct lp_feed_ops *ops,
                         void *ctx);

/* The feed's whole: a document is analyzed whole, not opened as an
 * archive (office files are zips). */
bool lp_run_input_whole(void *ctx, const struct lp_item *it);

/* lp_analyze_document() of the item at `logical`, saying to in's warner
 * what could not be read: a document not understood sets *failed (and
 * returns LP_OK), one read in part (a limit) is analyzed up to there. */
struct lp_analyzer;
struct lp_analysis;
lp_err lp_run_input_document(struct lp_run_input *in, struct lp_analyzer *an,
                             const char *logical, int doc, const char *buf,
                             size_t len, bool want_sha, struct lp_analysis *a,
                             bool *failed);

#endif
