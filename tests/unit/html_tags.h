/* SPDX-License-Identifier: Apache-2.0
 *
 * html_tags: what the HTML report's tests (test_report_html.c) and its
 * fuzz harness (fuzz/fuzz_html.c) check of every page: each '<' opens or
 * closes an element the writer itself writes, so no text of the input
 * became markup.
 */
#ifndef LP_HTML_TAGS_H
#define LP_HTML_TAGS_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* The elements report_html.c writes; a page holding any other is wrong. */
static const char *const tu_html_own[] = {
    "!DOCTYPE", "html",  "head",   "meta", "title", "style",  "body",
    "header",   "h1",    "h2",     "h3",   "p",     "span",   "section",
    "div",      "b",     "svg",    "text", "rect",  "line",   "circle",
    "table",    "thead", "tbody",  "tr",   "th",    "td",     "a",
    "pre",      "i",     "footer", "time", "code",  "script", "details",
    "summary",  "ul",    "li"};

/* NULL when every '<' of page starts one of tu_html_own (opening or
 * closing), else where the first other one is. *scripts (may be NULL):
 * the <script elements counted. */
static inline const char *tu_html_foreign_tag(const char *page,
                                              size_t *scripts)
{
    if (scripts)
        *scripts = 0;
    for (const char *p = page; (p = strchr(p, '<')) != NULL; p++) {
        const char *name = p[1] == '/' ? p + 2 : p + 1;
        size_t n = strcspn(name, " >/");
        bool ok = false;
        for (size_t i = 0; i < sizeof tu_html_own / sizeof *tu_html_own && !ok;
             i++)
            ok = strlen(tu_html_own[i]) == n && !strncmp(tu_html_own[i], name, n);
        if (!ok)
            return p;
        if (scripts)
            *scripts += !strncmp(p, "<script", 7);
    }
    return NULL;
}

#endif
