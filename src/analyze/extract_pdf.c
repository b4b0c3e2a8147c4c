/* SPDX-License-Identifier: Apache-2.0
 *
 * extract_pdf: the text of a PDF through MuPDF's structured text. Each call
 * makes its own fz_context, whose allocator counts the bytes it holds, so
 * calls on several threads share nothing and a decompression bomb ends as
 * LP_ELIMIT. The cap is soft: past max_memory the allocator still gives
 * memory, up to a quarter more, but raises the cookie's abort flag, which
 * the content interpreter checks between operators, and the extraction
 * stops at the next page. Refusing at once would reach FreeType (2.12)
 * with a failed allocation in FT_Load_Glyph, where it crashes; the hard
 * limit is the last resort.
 * MuPDF reports errors by longjmp (fz_try/fz_catch): every MuPDF object is
 * held in a volatile variable set before the fz_try and dropped in
 * fz_always. Its messages go to no-op callbacks: the library never prints.
 */
#include <mupdf/fitz.h>
#include <mupdf/pdf.h>
#include <string.h>

#include "extract_int.h"
#include "mem.h"

#include "banned.h"

/* The allocator's header keeps each block's size for realloc and free;
 * 16 bytes keep the payload aligned for any type. */
#define HDR 16

struct pdf_mem {
    size_t used, soft, hard;
    fz_cookie *cookie; /* aborted when used passes soft */
    bool over;         /* used passed soft */
    bool nomem;        /* the system or the hard limit refused memory */
};

/* Whether `total` more bytes (`old` freed first) may be held. */
static bool mem_admit(struct pdf_mem *m, size_t old, size_t total)
{
    size_t now = m->used - old;
    if (total > m->hard - now) {
        m->over = m->nomem = true;
        return false;
    }
    if (total > m->soft - (now < m->soft ? now : m->soft)) {
        m->over = true;
        if (m->cookie)
            m->cookie->abort = 1;
    }
    return true;
}

static void *mem_malloc(void *user, size_t n)
{
    struct pdf_mem *m = user;
    size_t total;
    if (!lp_add_ok(n, HDR, &total) || !mem_admit(m, 0, total))
        return NULL;
    unsigned char *p = lp_malloc(total);
    if (!p) {
        m->nomem = true;
        return NULL;
    }
    memcpy(p, &total, sizeof total);
    m->used += total;
    return p + HDR;
}

static void mem_free(void *user, void *ptr)
{
    struct pdf_mem *m = user;
    size_t total;
    if (!ptr)
        return;
    unsigned char *p = (unsigned char *)ptr - HDR;
    memcpy(&total, p, sizeof total);
    m->used -= total;
    lp_free(p);
}

static void *mem_realloc(void *user, void *ptr, size_t n)
{
    struct pdf_mem *m = user;
    size_t old, total;
    if (!ptr)
        return mem_malloc(user, n);
    if (n == 0) {
        mem_free(user, ptr);
        return NULL;
    }
    unsigned char *p = (unsigned char *)ptr - HDR;
    memcpy(&old, p, sizeof old);
    if (!lp_add_ok(n, HDR, &total) || !mem_admit(m, old, total))
        return NULL;
    unsigned char *np = lp_realloc(p, total);
    if (!np) {
        m->nomem = true;
        return NULL;
    }
    memcpy(np, &total, sizeof total);
    m->used = m->used - old + total;
    return np + HDR;
}

static void quiet(void *user, const char *message)
{
    (void)user;
    (void)message;
}

/* The characters of one page: a line of MuPDF is a line of the output, a
 * block a paragraph. Returns LP_OK or the builder's error; MuPDF is not
 * called here, so nothing can longjmp through it. */
static lp_err page_text(struct lp_doc_out *o, const fz_stext_page *sp)
{
    lp_err err = LP_OK;
    for (const fz_stext_block *b = sp->first_block; b && !err; b = b->next) {
        if (b->type != FZ_STEXT_BLOCK_TEXT)
            continue;
        for (const fz_stext_line *l = b->u.t.first_line; l && !err;
             l = l->next) {
            for (const fz_stext_char *c = l->first_char; c && !err; c = c->next)
                err = c->c < 0 ? LP_OK : lp_doc_out_rune(o, (uint32_t)c->c);
            if (!err)
                err = lp_doc_out_break(o);
        }
        if (!err)
            err = lp_doc_out_para(o);
    }
    return err;
}

/* Runs page i into a new structured text page *sp; the cookie stops the
 * interpreter when memory passes the soft cap. A damaged page is not the
 * end of the document: its error is counted in the cookie and *sp keeps
 * what was read of it (or stays NULL). */
static void run_page(fz_context *ctx, pdf_document *pdoc, int i,
                     fz_stext_page *volatile *sp, fz_cookie *cookie)
{
    fz_page *volatile page = NULL;
    fz_device *volatile dev = NULL;
    fz_stext_options opts;

    memset(&opts, 0, sizeof opts);
    /* Text outside the page is not what a reader of the manual sees. */
    opts.flags = FZ_STEXT_MEDIABOX_CLIP;
    fz_try(ctx)
    {
        page = fz_load_page(ctx, (fz_document *)pdoc, i);
        *sp = fz_new_stext_page(ctx, fz_bound_page(ctx, page));
        dev = fz_new_stext_device(ctx, *sp, &opts);
        fz_run_page(ctx, page, dev, fz_identity, cookie);
        fz_close_device(ctx, dev);
    }
    fz_always(ctx)
    {
        fz_drop_device(ctx, dev);
        fz_drop_page(ctx, page);
    }
    fz_catch(ctx)
    {
        cookie->errors++;
    }
}

/* Opens the document and walks its pages. The walk stays inside fz_try,
 * which must not be left by return or goto. */
static lp_err read_doc(fz_context *ctx, struct lp_doc_out *o, struct pdf_mem *m,
                       const unsigned char *buf, size_t len)
{
    fz_stream *volatile stm = NULL;
    pdf_document *volatile pdoc = NULL;
    fz_stext_page *volatile sp = NULL;
    volatile lp_err err = LP_OK;
    volatile int npages = 0, locked = 0;

    fz_try(ctx)
    {
        stm = fz_open_memory(ctx, buf, len);
        pdoc = pdf_open_document_with_stream(ctx, stm);
        if (pdf_needs_password(ctx, pdoc) &&
            !pdf_authenticate_password(ctx, pdoc, ""))
            locked = 1;
        else
            npages = pdf_count_pages(ctx, pdoc);
        for (int i = 0; i < npages && !err && !m->over; i++) {
            err = lp_doc_out_page(o);
            if (err)
                break;
            run_page(ctx, pdoc, i, &sp, m->cookie);
            if (sp)
                err = page_text(o, sp);
            fz_drop_stext_page(ctx, sp);
            sp = NULL;
        }
    }
    fz_always(ctx)
    {
        fz_drop_stext_page(ctx, sp);
        fz_drop_document(ctx, (fz_document *)pdoc);
        fz_drop_stream(ctx, stm);
    }
    fz_catch(ctx)
    {
        if (!err)
            err = lp_doc_out_fail(o, LP_EFORMAT, "%s", fz_caught_message(ctx));
    }
    if (!err && locked)
        err = lp_doc_out_fail(o, LP_EFORMAT, "encrypted");
    /* MuPDF repairs what it can; garbage repaired into nothing is no PDF. */
    else if (!err && npages == 0 && !m->over)
        err = lp_doc_out_fail(o, LP_EFORMAT, "no pages");
    return err;
}

lp_err lp_doc_read_pdf(struct lp_doc_out *o, const unsigned char *buf,
                       size_t len)
{
    fz_cookie cookie;
    struct pdf_mem m;
    fz_alloc_context alloc = {&m, mem_malloc, mem_realloc, mem_free};
    fz_context *ctx = NULL;
    lp_err err;

    memset(&cookie, 0, sizeof cookie);
    memset(&m, 0, sizeof m);
    m.soft = o->max_memory;
    m.hard = o->max_memory + o->max_memory / 4;
    m.cookie = &cookie;
    /* The store (MuPDF's cache of decoded objects) gets a quarter. */
    ctx = fz_new_context(&alloc, NULL, o->max_memory / 4);
    if (!ctx)
        return LP_ENOMEM;
    fz_set_warning_callback(ctx, quiet, NULL);
    fz_set_error_callback(ctx, quiet, NULL);
    /* Colour management is for rendering; text needs none of it. */
    fz_disable_icc(ctx);
    err = read_doc(ctx, o, &m, buf, len);
    /* MuPDF turns a refused allocation into an error like any other. */
    if (m.over && (err == LP_OK || err == LP_EFORMAT))
        err = lp_doc_out_fail(o, LP_ELIMIT, "more than %zu bytes of memory",
                              o->max_memory);
    else if (m.nomem && err == LP_EFORMAT)
        err = LP_ENOMEM;
    fz_drop_context(ctx);
    return err;
}
