/* SPDX-License-Identifier: Apache-2.0
 *
 * run_input: the inputs of a pipeline, read through the feed (see
 * run_input.h).
 */
#include "run_input.h"

#include <stdio.h>
#include <string.h>

#include "analyze.h"
#include "extract.h"
#include "limits.h"
#include "banned.h"

void lp_run_input_init(struct lp_run_input *in, const struct lp_input_options *o,
                       uint64_t max_file_size,
                       void (*warn)(void *ctx, const char *msg), void *warn_ctx)
{
    in->max_size = max_file_size ? max_file_size : LP_MAX_FILE_SIZE_DEFAULT;
    in->no_io_uring = o->no_io_uring != 0;
    lp_archive_limits_from(&in->lim, o, in->max_size);
    lp_walk_list_init(&in->list);
    lp_warner_init(&in->warn, warn, warn_ctx);
}

void lp_run_input_release(struct lp_run_input *in)
{
    lp_walk_list_release(&in->list);
    lp_warner_release(&in->warn);
}

lp_err lp_run_input_collect(struct lp_run_input *in,
                            const struct lp_target *t, size_t n,
                            unsigned flags, const char *registry_dir,
                            char *errbuf, size_t errlen)
{
    lp_err err = LP_OK;
    for (size_t i = 0; !err && i < n; i++) {
        const char *name = t[i].name;
        if (!name || !*name || strlen(name) > LP_MAX_PATH) {
            snprintf(errbuf, errlen, "target %zu: no name, or longer than "
                     "%d bytes", i + 1, LP_MAX_PATH);
            return LP_EINVAL;
        }
        switch (t[i].kind) {
        case LP_TARGET_PATH:
            err = lp_walk_collect_all(&name, 1, flags, registry_dir,
                                      &in->list, &in->warn, errbuf, errlen);
            break;
        case LP_TARGET_MEMORY:
            if (!t[i].data && t[i].len) {
                snprintf(errbuf, errlen, "'%s': no bytes given", name);
                return LP_EINVAL;
            }
            err = lp_walk_add_memory(&in->list, name, t[i].data, t[i].len);
            break;
        case LP_TARGET_FD:
            if (t[i].fd < 0) {
                snprintf(errbuf, errlen, "'%s': bad descriptor %d", name,
                         t[i].fd);
                return LP_EINVAL;
            }
            err = lp_walk_add_fd(&in->list, name, t[i].fd);
            break;
        default:
            snprintf(errbuf, errlen, "'%s': unknown kind of target %d", name,
                     t[i].kind);
            return LP_EINVAL;
        }
    }
    if (err == LP_ENOMEM)
        snprintf(errbuf, errlen, "out of memory");
    return err;
}

lp_err lp_run_input_feed(struct lp_run_input *in, unsigned jobs, bool windows,
                         int (*progress)(void *ctx, size_t done, size_t total),
                         void *progress_ctx, const struct lp_feed_ops *ops,
                         void *ctx)
{
    struct lp_feed_options fo = {
        .list = &in->list,
        .warn = &in->warn,
        .lim = in->lim,
        .max_size = in->max_size,
        .windows = windows,
        .jobs = jobs,
        .no_io_uring = in->no_io_uring,
        .progress = progress,
        .progress_ctx = progress_ctx,
        .ops = ops,
        .ctx = ctx,
    };
    return lp_feed_run(&fo);
}

bool lp_run_input_whole(void *ctx, const struct lp_item *it)
{
    (void)ctx;
    return lp_doc_detect(it->path, (const unsigned char *)it->data,
                         it->len) != LP_DOC_NONE;
}

lp_err lp_run_input_document(struct lp_run_input *in, struct lp_analyzer *an,
                             const char *logical, int doc, const char *buf,
                             size_t len, bool want_sha, struct lp_analysis *a,
                             bool *failed)
{
    char why[256] = "";
    lp_err err = lp_analyze_document(an, (enum lp_doc)doc, buf, len, want_sha,
                                     a, why, sizeof why);
    if (err == LP_EFORMAT) {
        lp_warner_skip(&in->warn, logical, why);
        *failed = true;
        return LP_OK;
    }
    if (err == LP_ELIMIT) {
        char msg[320];
        snprintf(msg, sizeof msg, "%s: the text before it was read", why);
        lp_warner_skip(&in->warn, logical, msg);
        err = LP_OK;
    }
    return err;
}
