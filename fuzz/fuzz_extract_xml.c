/* SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_extract_xml: libFuzzer harness of the other readers of extract: the
 * first byte selects what the rest is, as an enum lp_doc (mod 16):
 *   2-7   a DOCX, PPTX, XLSX, ODT, ODP or ODS zip (libarchive + libxml2)
 *   8, 9  HTML, RTF
 *   10-15 an XML part of DOCX ... ODS given straight to the walker, so the
 *         fuzzer need not build zips to reach it
 *   0, 1  whatever lp_doc_detect makes of it, PDF excepted
 * It checks the invariants of extract.h on the output, error or not.
 * Replayed over fuzz/corpus/extract_xml/ by the shared replay main.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "extract_int.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct lp_doc_text *t, size_t max_text)
{
    uint32_t lines = 0;
    if (!t->text)
        return; /* out of memory only */
    if (t->len > max_text || t->text[t->len] != '\0' ||
        strlen(t->text) != t->len)
        __builtin_trap();
    for (size_t i = 0; i < t->len; i++) {
        lines += t->text[i] == '\n';
        /* layout: no space at a line's ends, no two blank lines */
        if (t->text[i] == ' ' &&
            (i == 0 || i + 1 == t->len || t->text[i + 1] == '\n' ||
             t->text[i - 1] == '\n'))
            __builtin_trap();
        if (i >= 2 && t->text[i] == '\n' && t->text[i - 1] == '\n' &&
            t->text[i - 2] == '\n')
            __builtin_trap();
    }
    if (lines != t->lines)
        __builtin_trap();
    for (size_t i = 0; i < t->npages; i++)
        if (t->page_line[i] < 1 || t->page_line[i] > t->lines + 1 ||
            (i > 0 && t->page_line[i] < t->page_line[i - 1]))
            __builtin_trap();
}

/* An XML part straight into a builder, as extract_zip.c does. */
static void part(enum lp_doc d, const uint8_t *data, size_t size,
                 size_t max_text)
{
    struct lp_doc_text t;
    struct lp_doc_out o;
    char err[256];
    lp_doc_text_init(&t);
    memset(&o, 0, sizeof o);
    o.t = &t;
    o.max_text = max_text;
    o.max_pages = 64;
    o.max_part = size;
    o.fmt = lp_doc_name(d);
    o.err = err;
    o.errlen = sizeof err;
    (void)lp_doc_read_part(&o, d, data, size);
    if (lp_doc_out_finish(&o) == LP_OK)
        check(&t, max_text);
    lp_doc_text_release(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lp_doc_limits lim = {1u << 16, 64, 1u << 20, 0};
    struct lp_doc_text t;
    char err[256];
    enum lp_doc d;

    if (size == 0)
        return 0;
    d = (enum lp_doc)(data[0] % 16);
    data++;
    size--;
    if (d >= 10) {
        part((enum lp_doc)(d - 10 + LP_DOC_DOCX), data, size, lim.max_text);
        return 0;
    }
    if (d <= LP_DOC_PDF) {
        d = lp_doc_detect("fuzz.html", data, size);
        if (d == LP_DOC_NONE || d == LP_DOC_PDF)
            return 0;
    }
    lp_doc_text_init(&t);
    lp_err e = lp_doc_extract(d, data, size, &lim, &t, err, sizeof err);
    if (e != LP_OK && e != LP_EFORMAT && e != LP_ELIMIT && e != LP_ENOMEM)
        __builtin_trap();
    check(&t, lim.max_text);
    lp_doc_text_release(&t);
    return 0;
}
