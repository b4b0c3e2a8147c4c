/* SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_html: hostile strings through the HTML report. The input is cut at
 * each NUL into the strings of a small result (a file's path, its asset,
 * the collection, a version, a directory, a skipped input and its reason,
 * the summary, a rule, the command line). The escaper, in both modes,
 * must write no '<', '>', '"' or '\'' and no '&' that does not start one
 * of its five references, no control byte (but a tab of a line) and only
 * valid UTF-8; and in the whole page every '<' must open one of the
 * writer's own elements, with its one script.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "report.h"
#include "result.h"
#include "rules.h"

#include "../tests/unit/html_tags.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *escaped(const char *s, size_t n, unsigned flags, size_t *len)
{
    char *out = NULL;
    FILE *fp = open_memstream(&out, len);
    if (!fp)
        abort();
    lp_html_put(s, n, flags, fp);
    if (fclose(fp))
        abort();
    return out;
}

/* The escaper's output, its mark-up of escapes (LP_HTML_LINE) taken out. */
static void check_text(const char *p, size_t n, bool line)
{
    static const char *const refs[] = {"&amp;", "&lt;", "&gt;", "&quot;",
                                       "&#39;"};
    static const char open[] = "<span class=\"esc\">", close[] = "</span>";
    char *copy = malloc(n + 1), *o = copy;
    if (!copy)
        abort();
    for (size_t i = 0; i < n;) {
        if (line && !strncmp(p + i, open, sizeof open - 1)) {
            i += sizeof open - 1;
            continue;
        }
        if (line && !strncmp(p + i, close, sizeof close - 1)) {
            i += sizeof close - 1;
            continue;
        }
        unsigned char c = (unsigned char)p[i];
        if (c == '<' || c == '>' || c == '"' || c == '\'' || c == 0x7f ||
            (c < 0x20 && !(line && c == '\t')))
            abort();
        if (c == '&') {
            bool ok = false;
            for (size_t k = 0; k < 5 && !ok; k++)
                ok = !strncmp(p + i, refs[k], strlen(refs[k]));
            if (!ok)
                abort();
        }
        *o++ = p[i++];
    }
    *o = '\0';
    if (!lp_utf8_valid(copy))
        abort();
    free(copy);
}

/* Every '<' of the page opens (or closes) an element the writer writes,
 * and one of them is the page's one script. */
static void check_page(const char *page)
{
    size_t scripts;
    if (tu_html_foreign_tag(page, &scripts) || scripts != 1)
        abort();
}

/* The k-th NUL-terminated piece of the input, or "" past its end. */
static const char *piece(const char *buf, size_t len, int k)
{
    const char *p = buf, *end = buf + len;
    for (; k > 0 && p < end; k--)
        p += strlen(p) + 1;
    return p < end ? p : "";
}

static char *dup_or_die(const char *s)
{
    char *p = lp_strdup(s);
    if (!p)
        abort();
    return p;
}

static void *calloc_or_die(size_t n, size_t size)
{
    void *p = lp_calloc(n, size);
    if (!p)
        abort();
    return p;
}

static struct lp_scan *scan_of(const char *buf, size_t len, int mode)
{
    struct lp_scan *s = lp_result_new();
    if (!s)
        abort();
    lp_free(s->registry_path);
    s->registry_path = dup_or_die(piece(buf, len, 8));
    s->collections = calloc_or_die(1, sizeof *s->collections);
    s->collections[0].name = dup_or_die(piece(buf, len, 2));
    s->ncollections = 1;
    s->versions = calloc_or_die(1, sizeof *s->versions);
    s->versions[0].name = dup_or_die(piece(buf, len, 3));
    s->versions[0].created = 1700000000;
    s->nversions = 1;
    s->rules = calloc_or_die(1, sizeof *s->rules);
    s->rules[0].id = dup_or_die(piece(buf, len, 7));
    s->rules[0].format = dup_or_die("x");
    s->rules[0].category = dup_or_die(piece(buf, len, 7));
    s->nrules = 1;
    s->secrets_mode = mode;
    s->nsecrets = 1;
    s->files = calloc_or_die(1, sizeof *s->files);
    s->nfiles = 1;
    struct lp_file_result *f = &s->files[0];
    /* a path of no file on disk: the page never reads one here */
    f->path = dup_or_die(piece(buf, len, 0));
    f->size = 0;
    f->matches = calloc_or_die(1, sizeof *f->matches);
    f->nmatches = 1;
    f->matches[0].asset = dup_or_die(piece(buf, len, 1));
    f->matches[0].spans = calloc_or_die(1, sizeof *f->matches[0].spans);
    f->matches[0].nspans = 1;
    f->matches[0].spans[0].lines[0] = f->matches[0].spans[0].lines[1] = 1;
    f->secrets = calloc_or_die(1, sizeof *f->secrets);
    f->nsecrets = 1;
    snprintf(f->secrets[0].masked, sizeof f->secrets[0].masked, "%s",
             piece(buf, len, 9));
    s->files_matched = 1;
    s->scope = calloc_or_die(1, sizeof *s->scope);
    s->nscope = 1;
    s->scope[0].dirs = calloc_or_die(1, sizeof *s->scope[0].dirs);
    s->scope[0].dirs[0].dir = dup_or_die(piece(buf, len, 4));
    s->scope[0].ndirs = 1;
    s->skips = calloc_or_die(1, sizeof *s->skips);
    s->skips[0].path = dup_or_die(piece(buf, len, 5));
    s->skips[0].reason = dup_or_die(piece(buf, len, 6));
    s->nskips = 1;
    snprintf(s->summary, sizeof s->summary, "%s", piece(buf, len, 10));
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    for (unsigned flags = 0; flags <= LP_HTML_LINE; flags += LP_HTML_LINE) {
        size_t len = 0;
        char *out = escaped(buf, size, flags, &len);
        check_text(out, len, flags & LP_HTML_LINE);
        free(out);
    }
    for (int mode = LP_SECRETS_ALSO; mode <= LP_SECRETS_ONLY; mode++) {
        struct lp_scan *s = scan_of(buf, size, mode);
        struct lp_html_options opt = {.command = piece(buf, size, 11),
                                      .date = 1};
        char *page = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&page, &len);
        if (!fp)
            abort();
        if (lp_report_html(s, &opt, fp) != LP_OK)
            abort();
        if (fclose(fp))
            abort();
        if (strlen(page) != len) // no NUL of input got through
            abort();
        check_page(page);
        free(page);
        lp_scan_free(s);
    }
    free(buf);
    return 0;
}
