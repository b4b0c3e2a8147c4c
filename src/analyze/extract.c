/* SPDX-License-Identifier: Apache-2.0
 *
 * extract: format detection, the text builder shared by the readers, and
 * the dispatch to them (extract_pdf.c, extract_zip.c, extract_xml.c,
 * extract_rtf.c). Detection reads at most the first KB and a zip's central
 * directory through bounds-checked little-endian helpers. The builder
 * keeps t->lines equal to the newlines of t->text and t->text
 * NUL-terminated after every write.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "extract_int.h"
#include "limits.h"
#include "mem.h"
#include "utf8.h"

#include "banned.h"

/* Zip central directory entries looked at by detection: an office
 * document's few parts come early; a jar of 100000 classes is not read. */
#define ZIP_DETECT_ENTRIES 4096

const char *lp_doc_name(enum lp_doc d)
{
    switch (d) {
    case LP_DOC_NONE: return "none";
    case LP_DOC_PDF: return "pdf";
    case LP_DOC_DOCX: return "docx";
    case LP_DOC_PPTX: return "pptx";
    case LP_DOC_XLSX: return "xlsx";
    case LP_DOC_ODT: return "odt";
    case LP_DOC_ODP: return "odp";
    case LP_DOC_ODS: return "ods";
    case LP_DOC_HTML: return "html";
    case LP_DOC_RTF: return "rtf";
    }
    return "none";
}

/* ---- detection ---- */

static uint32_t get_u16le(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get_u32le(const unsigned char *p)
{
    return get_u16le(p) | get_u16le(p + 2) << 16;
}

static bool has_prefix(const unsigned char *p, size_t n, const char *s)
{
    size_t k = strlen(s);
    return n >= k && memcmp(p, s, k) == 0;
}

/* ODF: the first local header names "mimetype", stored, and its data is
 * the media type (OpenDocument 1.2 part 3, 3.3). */
static enum lp_doc detect_odf(const unsigned char *buf, size_t len)
{
    static const char pre[] = "application/vnd.oasis.opendocument.";
    if (len < 30 || memcmp(buf, "PK\3\4", 4) != 0)
        return LP_DOC_NONE;
    size_t nlen = get_u16le(buf + 26), xlen = get_u16le(buf + 28);
    size_t at = 30 + nlen + xlen, size;
    if (nlen != 8 || at > len || memcmp(buf + 30, "mimetype", 8) != 0)
        return LP_DOC_NONE;
    /* The bytes themselves, not the header's size: a writer that streams
     * puts the sizes in a data descriptor after the data. */
    size = len - at < 128 ? len - at : 128;
    const unsigned char *m = buf + at;
    if (!has_prefix(m, size, pre))
        return LP_DOC_NONE;
    m += sizeof pre - 1;
    size -= sizeof pre - 1;
    /* Exact names: ".text-template" and ".text-master" are text too, but a
     * ".graphics" drawing is not a manual. */
    if (has_prefix(m, size, "text"))
        return LP_DOC_ODT;
    if (has_prefix(m, size, "presentation"))
        return LP_DOC_ODP;
    if (has_prefix(m, size, "spreadsheet"))
        return LP_DOC_ODS;
    return LP_DOC_NONE;
}

/* The end of central directory record: within the last 64 KB + 22 bytes
 * (its comment is at most 65535 bytes). Returns its offset or len. */
static size_t find_eocd(const unsigned char *buf, size_t len)
{
    if (len < 22)
        return len;
    size_t lo = len - 22 > 65535 ? len - 22 - 65535 : 0;
    for (size_t i = len - 22 + 1; i-- > lo;)
        if (memcmp(buf + i, "PK\5\6", 4) == 0)
            return i;
    return len;
}

/* OOXML: [Content_Types].xml and the main part of one application, named
 * in the central directory. */
static enum lp_doc detect_ooxml(const unsigned char *buf, size_t len)
{
    size_t e = find_eocd(buf, len);
    if (e == len)
        return LP_DOC_NONE;
    size_t n = get_u16le(buf + e + 10), off = get_u32le(buf + e + 16);
    bool types = false;
    enum lp_doc app = LP_DOC_NONE;
    for (size_t i = 0; i < n && i < ZIP_DETECT_ENTRIES; i++) {
        if (off > e || e - off < 46 || memcmp(buf + off, "PK\1\2", 4) != 0)
            break;
        size_t nl = get_u16le(buf + off + 28), xl = get_u16le(buf + off + 30),
               cl = get_u16le(buf + off + 32);
        const unsigned char *name = buf + off + 46;
        if (nl > e - off - 46)
            break;
        if (nl == 19 && memcmp(name, "[Content_Types].xml", 19) == 0)
            types = true;
        else if (has_prefix(name, nl, "word/document.xml"))
            app = LP_DOC_DOCX;
        else if (has_prefix(name, nl, "ppt/presentation.xml"))
            app = LP_DOC_PPTX;
        else if (has_prefix(name, nl, "xl/workbook.xml"))
            app = LP_DOC_XLSX;
        if (types && app != LP_DOC_NONE)
            return app;
        off += 46 + nl + xl + cl;
    }
    return LP_DOC_NONE;
}

/* Whether p[0..n) holds s (which starts with '<'), in any case: only the
 * '<' bytes are compared further (called on every file). */
static bool find_ci(const unsigned char *p, size_t n, const char *s)
{
    size_t k = strlen(s);
    const unsigned char *e = p + n, *q = p;
    while ((q = memchr(q, '<', (size_t)(e - q))) != NULL) {
        if ((size_t)(e - q) < k)
            return false;
        if (strncasecmp((const char *)q, s, k) == 0)
            return true;
        q++;
    }
    return false;
}

static bool html_name(const char *name)
{
    const char *dot = name ? strrchr(name, '.') : NULL;
    if (!dot || strchr(dot, '/'))
        return false;
    return strcasecmp(dot, ".htm") == 0 || strcasecmp(dot, ".html") == 0 ||
           strcasecmp(dot, ".xhtml") == 0;
}

enum lp_doc lp_doc_detect(const char *name, const unsigned char *buf,
                          size_t len)
{
    size_t head = len < 1024 ? len : 1024;
    if (!buf)
        return LP_DOC_NONE;
    if (len >= 4 && memcmp(buf, "PK\3\4", 4) == 0) {
        enum lp_doc d = detect_odf(buf, len);
        return d != LP_DOC_NONE ? d : detect_ooxml(buf, len);
    }
    if (memmem(buf, head, "%PDF-", 5))
        return LP_DOC_PDF;
    /* A UTF-8 byte order mark may precede text formats. */
    const unsigned char *p = buf;
    size_t n = head;
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        p += 3;
        n -= 3;
    }
    if (has_prefix(p, n, "{\\rtf"))
        return LP_DOC_RTF;
    if (find_ci(p, n, "<!doctype html") || find_ci(p, n, "<html"))
        return LP_DOC_HTML;
    while (n > 0 && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) {
        p++;
        n--;
    }
    if (html_name(name) && n > 0 && *p == '<')
        return LP_DOC_HTML;
    return LP_DOC_NONE;
}

/* ---- the text builder ---- */

lp_err lp_doc_out_fail(struct lp_doc_out *o, lp_err code, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return lp_errf(o->err, o->errlen, code, "%s: %s", o->fmt, msg);
}

static bool at_line_start(const struct lp_doc_out *o)
{
    return o->t->len == 0 || o->t->text[o->t->len - 1] == '\n';
}

/* Appends n raw bytes (never a partial character: callers pass whole
 * ones), keeping the NUL and the line count. */
static lp_err put(struct lp_doc_out *o, const char *s, size_t n)
{
    struct lp_doc_text *t = o->t;
    size_t need;
    if (o->full)
        return LP_ELIMIT;
    if (n > o->max_text || t->len > o->max_text - n) {
        o->full = true;
        return lp_doc_out_fail(o, LP_ELIMIT, "text longer than %zu bytes",
                               o->max_text);
    }
    if (!lp_add_ok(t->len, n + 1, &need) ||
        !lp_grow((void **)&t->text, &t->cap, need, 1))
        return LP_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\n')
            continue;
        if (t->lines >= LP_MAX_LINES) {
            o->full = true;
            return lp_doc_out_fail(o, LP_ELIMIT, "more than %u lines",
                                   (unsigned)LP_MAX_LINES);
        }
        t->lines++;
    }
    memcpy(t->text + t->len, s, n);
    t->len += n;
    t->text[t->len] = '\0';
    return LP_OK;
}

/* Writes one visible character (n <= 4 bytes of UTF-8) after the pending
 * blank line or space, in one write so that a cap never leaves a space or
 * a blank line without its character, and gives waiting pages their first
 * line. */
static lp_err put_char(struct lp_doc_out *o, const char *s, size_t n)
{
    char b[8];
    size_t k = 0;
    lp_err err;
    if (o->para && o->t->len > 0 && at_line_start(o))
        b[k++] = '\n';
    else if (o->space && !at_line_start(o))
        b[k++] = ' ';
    memcpy(b + k, s, n);
    err = put(o, b, k + n);
    if (err)
        return err;
    o->para = o->space = false;
    for (; o->unset < o->t->npages; o->unset++)
        o->t->page_line[o->unset] = o->t->lines + 1;
    return LP_OK;
}

lp_err lp_doc_out_text(struct lp_doc_out *o, const char *s, size_t n, bool pre)
{
    const unsigned char *p = (const unsigned char *)s;
    lp_err err = LP_OK;
    for (size_t i = 0; i < n && !err;) {
        unsigned char c = p[i];
        size_t k;
        if (c == '\n' && pre) {
            err = lp_doc_out_break(o);
            k = 1;
        } else if (c < 0x20 || c == 0x7F) {
            /* white space and other controls separate words */
            o->space = true;
            k = 1;
        } else if (c == ' ') {
            o->space = true;
            k = 1;
        } else if ((k = lp_utf8_seq(p + i, n - i, NULL)) == 0) {
            err = put_char(o, "\xEF\xBF\xBD", 3);
            k = 1;
        } else if (k == 2 && c == 0xC2 && p[i + 1] == 0xA0) {
            o->space = true; /* no-break space */
        } else {
            err = put_char(o, s + i, k);
        }
        i += k;
    }
    return err;
}

lp_err lp_doc_out_rune(struct lp_doc_out *o, uint32_t c)
{
    char b[4];
    if (c < 0x80) {
        b[0] = (char)c;
        return lp_doc_out_text(o, b, 1, false);
    }
    if (c == 0xA0 || c == 0x2028 || c == 0x2029 || c == 0x3000) {
        o->space = true;
        return LP_OK;
    }
    if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        c = 0xFFFD;
    if (c < 0x800) {
        b[0] = (char)(0xC0 | c >> 6);
        b[1] = (char)(0x80 | (c & 0x3F));
        return put_char(o, b, 2);
    }
    if (c < 0x10000) {
        b[0] = (char)(0xE0 | c >> 12);
        b[1] = (char)(0x80 | (c >> 6 & 0x3F));
        b[2] = (char)(0x80 | (c & 0x3F));
        return put_char(o, b, 3);
    }
    b[0] = (char)(0xF0 | c >> 18);
    b[1] = (char)(0x80 | (c >> 12 & 0x3F));
    b[2] = (char)(0x80 | (c >> 6 & 0x3F));
    b[3] = (char)(0x80 | (c & 0x3F));
    return put_char(o, b, 4);
}

lp_err lp_doc_out_tab(struct lp_doc_out *o)
{
    o->space = false;
    return put_char(o, "\t", 1);
}

lp_err lp_doc_out_break(struct lp_doc_out *o)
{
    o->space = false;
    if (at_line_start(o))
        return o->full ? LP_ELIMIT : LP_OK;
    return put(o, "\n", 1);
}

lp_err lp_doc_out_para(struct lp_doc_out *o)
{
    lp_err err = lp_doc_out_break(o);
    if (o->t->len > 0)
        o->para = true;
    return err;
}

lp_err lp_doc_out_page(struct lp_doc_out *o)
{
    struct lp_doc_text *t = o->t;
    lp_err err = lp_doc_out_para(o);
    if (err)
        return err;
    if (t->npages >= o->max_pages) {
        o->full = true;
        return lp_doc_out_fail(o, LP_ELIMIT, "more than %zu pages",
                               o->max_pages);
    }
    if (!lp_grow((void **)&t->page_line, &t->pcap, t->npages + 1,
                 sizeof *t->page_line))
        return LP_ENOMEM;
    t->page_line[t->npages++] = 0;
    return LP_OK;
}

lp_err lp_doc_out_finish(struct lp_doc_out *o)
{
    struct lp_doc_text *t = o->t;
    lp_err err;
    /* Partial text stays (a cap or a damaged end): close its last line if
     * the cap leaves room, and give pages without text a line past the
     * end. */
    o->full = false;
    err = lp_doc_out_break(o);
    for (; o->unset < t->npages; o->unset++)
        t->page_line[o->unset] = t->lines + 1;
    if (!t->text) {
        if (!lp_grow((void **)&t->text, &t->cap, 1, 1))
            return LP_ENOMEM;
        t->text[0] = '\0';
    }
    return err == LP_ENOMEM ? err : LP_OK;
}

/* ---- public calls ---- */

void lp_doc_text_init(struct lp_doc_text *t)
{
    memset(t, 0, sizeof *t);
}

void lp_doc_text_release(struct lp_doc_text *t)
{
    if (!t)
        return;
    lp_free(t->text);
    lp_free(t->page_line);
    lp_doc_text_init(t);
}

static size_t or_default(size_t v, size_t dflt)
{
    return v ? v : dflt;
}

lp_err lp_doc_extract(enum lp_doc d, const unsigned char *buf, size_t len,
                      const struct lp_doc_limits *lim, struct lp_doc_text *out,
                      char *err, size_t errlen)
{
    static const struct lp_doc_limits none = {0, 0, 0, 0};
    struct lp_doc_out o;
    lp_err e;

    if (err && errlen)
        err[0] = '\0';
    if (!out || (!buf && len > 0))
        return lp_errf(err, errlen, LP_EINVAL, "extract: no buffer");
    lp_doc_text_release(out);
    if (!lim)
        lim = &none;
    memset(&o, 0, sizeof o);
    o.t = out;
    o.max_text = or_default(lim->max_text, LP_DOC_MAX_TEXT_DEFAULT);
    o.max_pages = or_default(lim->max_pages, LP_DOC_MAX_PAGES_DEFAULT);
    o.max_part = or_default(lim->max_part, LP_DOC_MAX_PART_DEFAULT);
    o.max_memory = or_default(lim->max_memory, LP_DOC_MAX_MEMORY_DEFAULT);
    /* Under this MuPDF cannot even make its context, and says so on
     * stderr; above SIZE_MAX / 2 the hard limit (a quarter more) would
     * overflow. */
    if (o.max_memory < LP_DOC_MIN_MEMORY)
        o.max_memory = LP_DOC_MIN_MEMORY;
    if (o.max_memory > SIZE_MAX / 2)
        o.max_memory = SIZE_MAX / 2;
    o.fmt = lp_doc_name(d);
    o.err = err;
    o.errlen = errlen;
    if (!buf)
        buf = (const unsigned char *)"";

    switch (d) {
    case LP_DOC_PDF: e = lp_doc_read_pdf(&o, buf, len); break;
    case LP_DOC_DOCX:
    case LP_DOC_PPTX:
    case LP_DOC_XLSX:
    case LP_DOC_ODT:
    case LP_DOC_ODP:
    case LP_DOC_ODS: e = lp_doc_read_zip(&o, d, buf, len); break;
    case LP_DOC_HTML: e = lp_doc_read_html(&o, buf, len); break;
    case LP_DOC_RTF: e = lp_doc_read_rtf(&o, buf, len); break;
    default: return lp_errf(err, errlen, LP_EINVAL, "extract: unknown format");
    }
    if (lp_doc_out_finish(&o) == LP_ENOMEM && !e)
        e = LP_ENOMEM;
    if (e == LP_ENOMEM)
        lp_errf(err, errlen, e, "%s: out of memory", o.fmt);
    return e;
}

uint32_t lp_doc_page(const struct lp_doc_text *t, uint32_t line)
{
    size_t lo = 0, hi = t ? t->npages : 0;
    /* the last page whose first line is <= line */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->page_line[mid] <= line)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? (uint32_t)lo : 1;
}
