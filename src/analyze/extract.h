/* SPDX-License-Identifier: Apache-2.0
 *
 * extract: the text of documents (PDF, OOXML and ODF zips, HTML, RTF), so
 * that leaked manuals can be matched as prose. Everything is read from a
 * buffer in memory: no file, no network, no external entity. The output is
 * UTF-8 with one paragraph per line (a line break inside a paragraph, as
 * <br> or \line, gives a second line) and one blank line between
 * paragraphs, which the prose lexer (normalize_prose.c) takes as paragraph
 * breaks. Pages of PDF and slides of PPTX/ODP are kept in order and mapped
 * to the first line of each, so a span's lines name its page.
 *
 * PDF goes through MuPDF with one context per call, its memory capped;
 * zips through libarchive; XML and HTML through libxml2 without entity
 * substitution or DTD loading; RTF through a small state machine here.
 * Calls are independent and may run on several threads at once.
 */
#ifndef LP_EXTRACT_H
#define LP_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "leakprint.h"

enum lp_doc {
    LP_DOC_NONE = 0,
    LP_DOC_PDF,
    LP_DOC_DOCX,
    LP_DOC_PPTX,
    LP_DOC_XLSX,
    LP_DOC_ODT,
    LP_DOC_ODP,
    LP_DOC_ODS,
    LP_DOC_HTML,
    LP_DOC_RTF,
};

/* The short name of a format ("pdf", "docx", ...; "none"); static. */
const char *lp_doc_name(enum lp_doc d);

/* Recognises a document by its content, with the name's extension as a hint
 * for HTML only: "%PDF-" in the first KB; a zip whose central directory
 * holds [Content_Types].xml and word/, ppt/ or xl/ parts (OOXML); a zip
 * whose first entry is "mimetype" holding application/vnd.oasis.
 * opendocument.text, .presentation or .spreadsheet (ODF); "{\rtf" at the
 * start; "<!DOCTYPE html" or "<html" in the first KB, or a .htm, .html or
 * .xhtml name on text that starts with '<'. A plain zip or a jar is
 * LP_DOC_NONE. `name` may be NULL. Reads at most the first KB and the zip
 * directory (bounded), so it is cheap enough to call on every file. */
enum lp_doc lp_doc_detect(const char *name, const unsigned char *buf,
                          size_t len);

/* Default caps (they belong with the others in limits.h). The text of a
 * manual is a few MB; more is a data dump. Office parts are XML several
 * times the size of their text. */
#define LP_DOC_MAX_TEXT_DEFAULT (32u << 20)
#define LP_DOC_MAX_PAGES_DEFAULT 20000
#define LP_DOC_MAX_PART_DEFAULT (64u << 20)
/* Memory one MuPDF context may hold: fonts, images and the object cache of
 * a large manual fit; a bomb stops here. */
#define LP_DOC_MAX_MEMORY_DEFAULT (256u << 20)
#define LP_DOC_MIN_MEMORY (1u << 20)
/* RTF groups nested deeper than this stop the extraction. */
#define LP_DOC_RTF_DEPTH 256

/* Caps of one extraction; a 0 field takes the default above. */
struct lp_doc_limits {
    size_t max_text;   /* bytes of output text */
    size_t max_pages;  /* pages of a PDF, slides of a presentation */
    size_t max_part;   /* largest XML part read from a zip */
    size_t max_memory; /* bytes MuPDF may hold for one PDF (soft: the
                          page being read may take a quarter more); at
                          least LP_DOC_MIN_MEMORY */
};

/* Extracted text. `text` is NUL-terminated UTF-8 of `len` bytes (`cap`
 * allocated; NULL only after LP_ENOMEM), and ends with a newline unless
 * empty or cut by max_text. `page_line[i]` is the
 * first line (1-based) of page or slide i+1, non-decreasing; `npages` is 0
 * for formats without pages. An empty page starts at the line of the next
 * page with text (or one past the last line). */
struct lp_doc_text {
    char *text;
    size_t len, cap;
    uint32_t *page_line;
    size_t npages, pcap;
    uint32_t lines; /* lines of text */
};

/* Makes *t empty. */
void lp_doc_text_init(struct lp_doc_text *t);
/* Frees what *t holds and makes it empty; accepts NULL. */
void lp_doc_text_release(struct lp_doc_text *t);

/* Extracts the text of `buf` (`len` bytes) as format `d` into *out, which
 * is emptied first and is the caller's to release. `lim` may be NULL for
 * the defaults. Returns LP_OK; LP_EFORMAT when the document cannot be read
 * ("pdf: encrypted", "docx: word/document.xml missing"); LP_ELIMIT when a
 * cap stopped it, with the text up to the cap kept in *out; LP_ENOMEM;
 * LP_EINVAL for LP_DOC_NONE or a NULL argument. The one-line reason, lower
 * case and starting with the format's name, goes to err (errlen bytes;
 * err may be NULL). */
lp_err lp_doc_extract(enum lp_doc d, const unsigned char *buf, size_t len,
                      const struct lp_doc_limits *lim, struct lp_doc_text *out,
                      char *err, size_t errlen);

/* The page (1-based) holding 1-based `line` of the extracted text: the
 * last page whose first line is at or before it; 1 for a text without
 * pages or a line before the first page. */
uint32_t lp_doc_page(const struct lp_doc_text *t, uint32_t line);

#endif
