/* SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_listing: hostile text through listing detection, parsing (small
 * limits) and matching against a fixed set of registered paths. The first
 * byte picks the format (0 or >= 8: detect). Checks that paths are
 * normalized (no empty, "." or ".." component, no leading or trailing '/'),
 * limits hold, and the match counts are consistent.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "listing.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct lp_listing_ref refs[] = {
    {.path = "Makefile", .collection = 1},
    {.path = "src/a.c", .collection = 1},
    {.path = "src/net/ring.c", .collection = 1},
    {.path = "src/net/ring.h", .collection = 1},
    {.path = "docs/x y.md", .collection = 1},
    {.path = "src/a.c", .collection = 1},
    {.path = "Makefile", .collection = 2},
    {.path = "lib/net/ring.c", .collection = 2},
    {.path = "lib/app/index.js", .collection = 2},
    {.path = "lib/app/view.js", .collection = 2},
    {.path = "./lib//b.c", .collection = 2},
    {.path = "../evil.c", .collection = 2},
    {.path = "", .collection = 3},
    {.path = "/abs/root/a.c", .collection = 3},
    {.path = "abs/root/b.c", .collection = 3},
};

static void check_path(const char *p)
{
    size_t n = strlen(p);
    if (n == 0 || n > LP_MAX_PATH || p[0] == '/' || p[n - 1] == '/')
        abort();
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && p[j] != '/')
            j++;
        size_t c = j - i;
        if (c == 0 || (c == 1 && p[i] == '.') ||
            (c == 2 && p[i] == '.' && p[i + 1] == '.'))
            abort();
        i = j + 1;
    }
}

static void check_result(const struct lp_listing_result *r)
{
    for (size_t i = 0; i < r->nhits; i++) {
        const struct lp_listing_hit *h = &r->hits[i];
        uint32_t sum = 0;
        if (h->matched > r->files || h->registered > h->matched ||
            h->registered > h->total || h->matched < 2 || !h->listing_root ||
            !h->registry_root)
            abort();
        if (i > 0 && (r->hits[i - 1].matched < h->matched ||
                      (r->hits[i - 1].matched == h->matched &&
                       r->hits[i - 1].collection >= h->collection)))
            abort();
        for (size_t d = 0; d < h->ndirs; d++) {
            if (h->dirs[d].matched == 0 ||
                h->dirs[d].matched > h->dirs[d].total)
                abort();
            if (d > 0 && h->dirs[d - 1].matched < h->dirs[d].matched)
                abort();
            sum += h->dirs[d].matched;
        }
        if (sum != h->registered)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lp_listing l;
    struct lp_listing_result r;
    size_t dropped;
    if (size < 1)
        return 0;
    enum lp_listing_format f =
        data[0] < 8 ? (enum lp_listing_format)data[0] : LP_LISTING_NONE;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;

    enum lp_listing_format d = lp_listing_detect(text, len);
    if (d > LP_LISTING_TAR_TV)
        abort();
    lp_listing_init(&l);
    lp_err err = lp_listing_parse(text, len, f, 256, 64, &l, &dropped);
    if (err != LP_OK && err != LP_EFORMAT)
        abort();
    if (err == LP_EFORMAT && (f != LP_LISTING_NONE || d != LP_LISTING_NONE))
        abort();
    if (l.n > 64)
        abort();
    for (size_t i = 0; i < l.n; i++) {
        check_path(l.v[i].path);
        if (l.v[i].line == 0 || (l.v[i].dir && l.v[i].size != UINT64_MAX))
            abort();
    }
    if (lp_listing_match(&l, refs, sizeof refs / sizeof refs[0], &r) != LP_OK)
        abort();
    check_result(&r);
    lp_listing_result_release(&r);
    lp_listing_release(&l);
    return 0;
}
