/* SPDX-License-Identifier: Apache-2.0
 *
 * extract_pdf: the text of a PDF through MuPDF's structured text. Each call
 * makes its own fz_context, whose allocator counts the bytes it holds and
 * refuses more than LP_DOC_PDF_MEMORY, so calls on several threads share
 * nothing and a decompression bomb ends as an error. MuPDF reports errors
 * by longjmp (fz_try/fz_catch): every MuPDF object is held in a variable
 * set before the fz_try and dropped after it, and the variables written
 * inside it are volatile. Its messages go to no-op callbacks: the library
 * never prints.
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
    size_t used, cap;
    bool over;  /* the cap refused an allocation */
    bool nomem; /* the system refused one */
};

static void *mem_malloc(void *user, size_t n)
{
    struct pdf_mem *m = user;
    size_t total;
    if (!lp_add_ok(n, HDR, &total) || total > m->cap - m->used) {
        m->over = true;
        return NULL;
    }
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
    if (!lp_add_ok(n, HDR, &total) || total > m->cap - (m->used - old)) {
        m->over = true;
        return NULL;
    }
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
            for (const fz_stext_char *c = l->first_char; c && !err;
                 c = c->next)
                err = c->c < 0 ? LP_OK : lp_doc_out_rune(o, (uint32_t)c->c);
            if (!err)
                err = lp_doc_out_break(o);
        }
        if (!err)
            err = lp_doc_out_para(o);
    }
    return err;
}

/* Opens the document and walks its pages; runs inside the caller's
 * context. Written as one function because fz_try must not be left by
 * return or goto. */
static lp_err read_doc(fz_context *ctx, struct lp_doc_out *o,
                       const unsigned char *buf, size_t len)
{
    fz_stream *volatile stm = NULL;
    pdf_document *volatile pdoc = NULL;
    fz_page *volatile page = NULL;
    fz_stext_page *volatile sp = NULL;
    volatile lp_err err = LP_OK;
    volatile int npages = 0;
    volatile int locked = 0;
    fz_stext_options opts;

    memset(&opts, 0, sizeof opts);
    /* Text outside the page is not what a reader of the manual sees. */
    opts.flags = FZ_STEXT_MEDIABOX_CLIP;
    fz_try(ctx)
    {
        stm = fz_open_memory(ctx, buf, len);
        pdoc = pdf_open_document_with_stream(ctx, stm);
        if (pdf_needs_password(ctx, pdoc) &&
            !pdf_authenticate_password(ctx, pdoc, ""))
            locked = 1;
        else
            npages = pdf_count_pages(ctx, pdoc);
        for (int i = 0; i < npages && !err; i++) {
            err = lp_doc_out_page(o);
            if (err)
                break;
            page = fz_load_page(ctx, (fz_document *)pdoc, i);
            sp = fz_new_stext_page_from_page(ctx, page, &opts);
            err = page_text(o, sp);
            fz_drop_stext_page(ctx, sp);
            sp = NULL;
            fz_drop_page(ctx, page);
            page = NULL;
        }
    }
    fz_always(ctx)
    {
        fz_drop_stext_page(ctx, sp);
        fz_drop_page(ctx, page);
        fz_drop_document(ctx, (fz_document *)pdoc);
        fz_drop_stream(ctx, stm);
    }
    fz_catch(ctx)
    {
        if (!err)
            err = lp_doc_out_fail(o, LP_EFORMAT, "%s",
                                  fz_caught_message(ctx));
    }
    if (!err && locked)
        err = lp_doc_out_fail(o, LP_EFORMAT, "encrypted");
    /* MuPDF repairs what it can; garbage repaired into nothing is no PDF. */
    else if (!err && npages == 0)
        err = lp_doc_out_fail(o, LP_EFORMAT, "no pages");
    return err;
}

lp_err lp_doc_read_pdf(struct lp_doc_out *o, const unsigned char *buf,
                       size_t len)
{
    struct pdf_mem m = {0, LP_DOC_PDF_MEMORY, false, false};
    fz_alloc_context alloc = {&m, mem_malloc, mem_realloc, mem_free};
    fz_context *ctx = fz_new_context(&alloc, NULL, FZ_STORE_DEFAULT / 4);
    lp_err err;

    if (!ctx)
        return LP_ENOMEM;
    fz_set_warning_callback(ctx, quiet, NULL);
    fz_set_error_callback(ctx, quiet, NULL);
    /* Colour management is for rendering; text needs none of it. */
    fz_disable_icc(ctx);
    err = read_doc(ctx, o, buf, len);
    /* MuPDF turns a refused allocation into an error like any other. */
    if (m.nomem && err == LP_EFORMAT)
        err = LP_ENOMEM;
    else if (m.over && err == LP_EFORMAT)
        err = lp_doc_out_fail(o, LP_ELIMIT, "more than %u MB of memory",
                              (unsigned)(LP_DOC_PDF_MEMORY >> 20));
    fz_drop_context(ctx);
    return err;
}
