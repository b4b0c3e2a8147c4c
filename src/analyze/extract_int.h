/* SPDX-License-Identifier: Apache-2.0
 *
 * extract_int: what the format readers of extract share: the text builder
 * and the readers' entry points. The builder owns the layout rules of
 * extract.h, so that no reader writes a newline itself: it collapses runs
 * of white space to one space, drops spaces at line ends, writes a blank
 * line only between paragraphs, replaces invalid UTF-8 and control bytes,
 * records the first line of each page, and stops at max_text bytes on a
 * character boundary.
 */
#ifndef LP_EXTRACT_INT_H
#define LP_EXTRACT_INT_H

#include <stdbool.h>

#include "extract.h"

struct lp_doc_out {
    struct lp_doc_text *t;
    size_t max_text, max_pages, max_part, max_memory;
    const char *fmt; /* format name, the prefix of messages */
    char *err;
    size_t errlen;
    size_t unset; /* pages from here on wait for their first line */
    bool space;   /* a space goes before the next character */
    bool para;    /* a blank line goes before the next character */
    bool full;    /* a cap was hit: every write fails */
};

/* Appends text `s` (n bytes, UTF-8 expected): white space collapses to a
 * pending space, except that with `pre` a newline is a line break. */
lp_err lp_doc_out_text(struct lp_doc_out *o, const char *s, size_t n, bool pre);
/* Appends Unicode code point c (invalid ones become U+FFFD; controls and
 * white space act as in lp_doc_out_text). */
lp_err lp_doc_out_rune(struct lp_doc_out *o, uint32_t c);
/* A tab character. */
lp_err lp_doc_out_tab(struct lp_doc_out *o);
/* Ends the current line (nothing when it is empty). */
lp_err lp_doc_out_break(struct lp_doc_out *o);
/* Ends the current paragraph: the next text starts after a blank line. */
lp_err lp_doc_out_para(struct lp_doc_out *o);
/* Starts a new page; LP_ELIMIT past max_pages. */
lp_err lp_doc_out_page(struct lp_doc_out *o);
/* Ends the output after a reader, whatever it returned: closes the last
 * line, gives pages without text the line after the end, and makes an
 * empty text "". LP_OK or LP_ENOMEM. */
lp_err lp_doc_out_finish(struct lp_doc_out *o);
/* Sets the reason "<fmt>: <message>" and returns code. */
lp_err lp_doc_out_fail(struct lp_doc_out *o, lp_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The readers: each fills o->t from the buffer and returns as
 * lp_doc_extract does. */
lp_err lp_doc_read_pdf(struct lp_doc_out *o, const unsigned char *buf,
                       size_t len);
lp_err lp_doc_read_zip(struct lp_doc_out *o, enum lp_doc d,
                       const unsigned char *buf, size_t len);
lp_err lp_doc_read_html(struct lp_doc_out *o, const unsigned char *buf,
                        size_t len);
lp_err lp_doc_read_rtf(struct lp_doc_out *o, const unsigned char *buf,
                       size_t len);

/* The text of an office XML part (docx, pptx slide, xlsx shared strings,
 * ODF content.xml) into o; parsed by libxml2 without entities. */
lp_err lp_doc_read_part(struct lp_doc_out *o, enum lp_doc d,
                        const unsigned char *xml, size_t len);

/* libxml2's one-time initialisation, safe from any thread. */
void lp_doc_xml_init(void);

#endif
