/* SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_extract_pdf: libFuzzer harness of PDF text extraction (MuPDF behind
 * extract_pdf.c) and of format detection. Besides the sanitizers, it checks
 * the invariants of extract.h on whatever comes out, error or not: text
 * NUL-terminated at len within the cap, lines counted right, pages
 * non-decreasing and mapped back by lp_doc_page. Replayed over
 * fuzz/corpus/extract_pdf/ by the shared replay main.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "extract.h"

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
    for (size_t i = 0; i < t->len; i++)
        lines += t->text[i] == '\n';
    if (lines != t->lines)
        __builtin_trap();
    for (size_t i = 0; i < t->npages; i++) {
        if (t->page_line[i] < 1 || t->page_line[i] > t->lines + 1 ||
            (i > 0 && t->page_line[i] < t->page_line[i - 1]))
            __builtin_trap();
        if (lp_doc_page(t, t->page_line[i]) < i + 1)
            __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lp_doc_limits lim = {1u << 20, 64, 1u << 20, 64u << 20};
    struct lp_doc_text t;
    char err[256];

    (void)lp_doc_detect("fuzz.pdf", data, size);
    lp_doc_text_init(&t);
    lp_err e =
        lp_doc_extract(LP_DOC_PDF, data, size, &lim, &t, err, sizeof err);
    if (e != LP_OK && e != LP_EFORMAT && e != LP_ELIMIT && e != LP_ENOMEM)
        __builtin_trap();
    if (e != LP_OK && e != LP_ENOMEM && strncmp(err, "pdf: ", 5) != 0)
        __builtin_trap();
    check(&t, lim.max_text);
    lp_doc_text_release(&t);
    return 0;
}
