/* SPDX-License-Identifier: Apache-2.0
 *
 * analyze: hash, classify, lex and winnow one file (see analyze.h).
 */
#include "analyze.h"

#include "mem.h"

#include <string.h>

#include "banned.h"

void lp_analyzer_init(struct lp_analyzer *a)
{
    lp_tokens_init(&a->tok);
    lp_fps_init(&a->fps);
    a->buf = NULL;
    a->cap = 0;
}

void lp_analyzer_release(struct lp_analyzer *a)
{
    if (!a)
        return;
    lp_tokens_release(&a->tok);
    lp_fps_release(&a->fps);
    lp_free(a->buf);
    a->buf = NULL;
    a->cap = 0;
}

/* Lines of a buffer: newlines, plus one for a last line without one. */
static uint32_t count_lines(const char *buf, size_t len)
{
    size_t n = 0;
    const char *p = buf, *end = buf + len;
    while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
        n++;
        p++;
    }
    if (len && buf[len - 1] != '\n')
        n++;
    return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

static bool lexed(enum lp_kind kind)
{
    return kind == LP_KIND_CODE || kind == LP_KIND_PROSE;
}

lp_err lp_analyze_sha(const char *buf, size_t len, struct lp_analysis *out)
{
    if (out->have_sha)
        return LP_OK;
    lp_err err = lp_sha256(buf, len, out->sha);
    out->have_sha = !err;
    return err;
}

lp_err lp_analyze_id(const char *name, const char *buf, size_t len,
                     bool want_sha, struct lp_analysis *out)
{
    memset(out, 0, sizeof *out);
    lp_err err = want_sha ? lp_analyze_sha(buf, len, out) : LP_OK;
    if (err)
        return err;
    out->size = len;
    out->kind = lp_classify(name, (const unsigned char *)buf, len, &out->lang);
    if (out->kind == LP_KIND_OTHER)
        out->lines = count_lines(buf, len);
    return LP_OK;
}

lp_err lp_analyze_fp(struct lp_analyzer *a, const char *buf, size_t len,
                     struct lp_analysis *out)
{
    if (!lexed(out->kind))
        return LP_OK;
    lp_err err = lp_normalize(out->lang, buf, len, &a->tok);
    if (err)
        return err;
    out->lines = a->tok.lines;
    err = lp_fingerprint(a->tok.v, a->tok.n, LP_FP_K, LP_FP_W, &a->fps);
    if (err)
        return err;
    out->fp = a->fps.v;
    out->nfp = a->fps.n;
    return LP_OK;
}

lp_err lp_analyze_abstract(struct lp_analyzer *a, struct lp_analysis *out)
{
    if (out->kind != LP_KIND_CODE || out->nafp)
        return LP_OK;
    a->fps.n = out->nfp;
    lp_err err = lp_fingerprint_append(a->tok.v, a->tok.n, LP_AFP_K, LP_AFP_W,
                                       LP_STREAM_ABSTRACT, &a->fps);
    if (err)
        return err;
    out->fp = a->fps.v;
    out->nafp = a->fps.n - out->nfp;
    return LP_OK;
}
