/* SPDX-License-Identifier: Apache-2.0
 *
 * extract_zip: OOXML (docx, pptx, xlsx) and ODF (odt, odp, ods) documents:
 * the zip is read from memory by libarchive (zip only, through its central
 * directory, or its local headers when that is cut off), the parts that
 * hold the text are read whole up to max_part and handed to extract_xml.c.
 * Which parts:
 *   docx  word/document.xml            odt, odp, ods  content.xml
 *   xlsx  xl/sharedStrings.xml         pptx  ppt/slides/slideN.xml
 * Slides come in any order in the zip but go out in the order of N, one
 * page each: each slide's text is built apart, within what is left of
 * max_text, then the texts are joined. An oversized part is skipped with
 * LP_ELIMIT; the others are still read.
 */
#include <archive.h>
#include <archive_entry.h>
#include <string.h>

#include "extract_int.h"
#include "mem.h"

#include "banned.h"

/* Zip entries looked at: an office document has tens to thousands. */
#define ZIP_MAX_ENTRIES 100000

struct slide {
    unsigned long num;
    struct lp_doc_text t;
};

struct zip {
    struct lp_doc_out *o;
    enum lp_doc d;
    unsigned char *part; /* the part being read */
    size_t cap;
    struct slide *slides;
    size_t nslides, scap;
    size_t used;  /* text bytes of the slides so far */
    lp_err limit; /* LP_ELIMIT once a part was skipped */
    bool found;   /* the main part was seen */
};

/* N of "ppt/slides/slideN.xml", or 0 when the name is not a slide. */
static unsigned long slide_num(const char *name)
{
    static const char pre[] = "ppt/slides/slide";
    unsigned long n = 0;
    const char *p;
    if (strncmp(name, pre, sizeof pre - 1) != 0)
        return 0;
    for (p = name + sizeof pre - 1; *p >= '0' && *p <= '9'; p++) {
        if (n > 99999999) /* no real deck; keeps n from overflowing */
            return 0;
        n = n * 10 + (unsigned long)(*p - '0');
    }
    return strcmp(p, ".xml") == 0 ? n : 0;
}

static bool wanted(const struct zip *z, const char *name)
{
    switch (z->d) {
    case LP_DOC_DOCX: return strcmp(name, "word/document.xml") == 0;
    case LP_DOC_XLSX: return strcmp(name, "xl/sharedStrings.xml") == 0;
    case LP_DOC_PPTX: return slide_num(name) > 0;
    default: return strcmp(name, "content.xml") == 0;
    }
}

static const char *main_part(enum lp_doc d)
{
    switch (d) {
    case LP_DOC_DOCX: return "word/document.xml";
    case LP_DOC_XLSX: return "xl/sharedStrings.xml";
    case LP_DOC_PPTX: return "ppt/slides/slide1.xml";
    default: return "content.xml";
    }
}

/* Reads the current entry's data into z->part, at most max_part bytes.
 * *n gets its length; LP_ELIMIT (reason set) when it is larger. */
static lp_err read_part(struct zip *z, struct archive *a, const char *name,
                        size_t *n)
{
    size_t max = z->o->max_part, len = 0;
    for (;;) {
        if (!lp_grow((void **)&z->part, &z->cap, len + 65536, 1))
            return LP_ENOMEM;
        la_ssize_t r = archive_read_data(a, z->part + len, z->cap - len);
        if (r < 0)
            return lp_doc_out_fail(z->o, LP_EFORMAT, "%s: %s", name,
                                   archive_error_string(a)
                                       ? archive_error_string(a)
                                       : "unreadable");
        if (r == 0)
            break;
        len += (size_t)r;
        if (len > max)
            return lp_doc_out_fail(z->o, LP_ELIMIT, "%s larger than %zu bytes",
                                   name, max);
    }
    *n = len;
    return LP_OK;
}

/* A slide's text into a builder of its own, within the text left. */
static lp_err read_slide(struct zip *z, unsigned long num, size_t len)
{
    struct lp_doc_out so;
    lp_err err;
    if (z->nslides >= z->o->max_pages) {
        return lp_doc_out_fail(z->o, LP_ELIMIT, "more than %zu pages",
                               z->o->max_pages);
    }
    if (!lp_grow((void **)&z->slides, &z->scap, z->nslides + 1,
                 sizeof *z->slides))
        return LP_ENOMEM;
    struct slide *s = &z->slides[z->nslides++];
    s->num = num;
    lp_doc_text_init(&s->t);
    so = *z->o;
    so.t = &s->t;
    so.max_text = z->o->max_text - z->used;
    so.max_pages = 0;
    so.unset = 0;
    so.space = so.para = so.full = false;
    err = lp_doc_read_part(&so, z->d, z->part, len);
    z->used += s->t.len;
    return err;
}

static lp_err read_entries(struct zip *z, struct archive *a)
{
    struct archive_entry *e;
    lp_err err = LP_OK;
    size_t n = 0;
    int r;
    while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK ||
           r == ARCHIVE_WARN) {
        const char *name = archive_entry_pathname(e);
        size_t len = 0;
        if (++n > ZIP_MAX_ENTRIES)
            return lp_doc_out_fail(z->o, LP_ELIMIT, "more than %d entries",
                                   ZIP_MAX_ENTRIES);
        if (!name || !wanted(z, name))
            continue;
        z->found = true;
        err = read_part(z, a, name, &len);
        if (err == LP_ELIMIT) {
            z->limit = err; /* skip this part, read the others */
            continue;
        }
        if (!err)
            err = z->d == LP_DOC_PPTX
                      ? read_slide(z, slide_num(name), len)
                      : lp_doc_read_part(z->o, z->d, z->part, len);
        if (err)
            return err;
    }
    if (r != ARCHIVE_EOF)
        return lp_doc_out_fail(z->o, LP_EFORMAT, "zip: %s",
                               archive_error_string(a) ? archive_error_string(a)
                                                       : "unreadable");
    return LP_OK;
}

static int by_num(const void *a, const void *b)
{
    unsigned long x = ((const struct slide *)a)->num,
                  y = ((const struct slide *)b)->num;
    return (x > y) - (x < y);
}

/* Copies a slide's text, already laid out, into the output: "\n\n" is a
 * paragraph end, "\n" a line break, '\t' a tab. */
static lp_err copy_text(struct lp_doc_out *o, const struct lp_doc_text *t)
{
    const char *s = t->text, *end;
    lp_err err = LP_OK;
    if (!s)
        return LP_OK; /* a slide without text */
    end = s + t->len;
    while (s < end && !err) {
        const char *e = s;
        while (e < end && *e != '\n' && *e != '\t')
            e++;
        err = lp_doc_out_text(o, s, (size_t)(e - s), false);
        if (err || e == end)
            break;
        if (*e == '\t') {
            err = lp_doc_out_tab(o);
        } else if (e + 1 < end && e[1] == '\n') {
            err = lp_doc_out_para(o);
            e++; /* the blank line's own newline */
        } else {
            err = lp_doc_out_break(o);
        }
        s = e + 1;
    }
    return err;
}

static lp_err join_slides(struct zip *z)
{
    lp_err err = LP_OK;
    lp_sort(z->slides, z->nslides, sizeof *z->slides, by_num);
    for (size_t i = 0; i < z->nslides && !err; i++) {
        err = lp_doc_out_page(z->o);
        if (!err)
            err = copy_text(z->o, &z->slides[i].t);
    }
    return err;
}

/* A reader of the zip in buf, or NULL when libarchive cannot open it. */
static struct archive *open_zip(const unsigned char *buf, size_t len,
                                bool streaming)
{
    struct archive *a = archive_read_new();
    if (!a)
        return NULL;
    int r = streaming ? archive_read_support_format_zip_streamable(a)
                      : archive_read_support_format_zip_seekable(a);
    if (r != ARCHIVE_OK ||
        archive_read_open_memory(a, buf, len) != ARCHIVE_OK) {
        archive_read_free(a);
        return NULL;
    }
    return a;
}

lp_err lp_doc_read_zip(struct lp_doc_out *o, enum lp_doc d,
                       const unsigned char *buf, size_t len)
{
    struct zip z;
    struct archive *a = NULL;
    lp_err err = LP_OK, err2;

    memset(&z, 0, sizeof z);
    z.o = o;
    z.d = d;
    /* The central directory first; a zip cut before it (a partial leak)
     * is read by its local headers. */
    a = open_zip(buf, len, false);
    if (!a)
        a = open_zip(buf, len, true);
    if (!a) {
        err = lp_doc_out_fail(o, LP_EFORMAT, "not a zip");
        goto out;
    }
    err = read_entries(&z, a);
    /* Slides read before an error or a cap are still text. */
    err2 = join_slides(&z);
    if (!err)
        err = err2;
    if (!err && !z.found)
        err = lp_doc_out_fail(o, LP_EFORMAT, "%s missing", main_part(d));
    if (!err)
        err = z.limit;
out:
    archive_read_free(a);
    for (size_t i = 0; i < z.nslides; i++)
        lp_doc_text_release(&z.slides[i].t);
    lp_free(z.slides);
    lp_free(z.part);
    return err;
}
