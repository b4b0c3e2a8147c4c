/* SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_archive: any bytes through the archive walk, with small limits and
 * nested archives opened as scan opens them. Besides the sanitizers, it
 * checks that every member given is within the entry limit, NUL
 * terminated, named "outer!...", and that the budget is kept: no more
 * bytes handed out than the expansion limit allows plus one member.
 * Replayed over fuzz/corpus/archive/ by the shared replay main.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "walk.h"
#include "walk_archive.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz {
    struct lp_archive_limits lim;
    struct lp_archive_budget budget;
    struct lp_warner w;
    uint64_t given;
};

static lp_err member(void *ctx, const char *logical, const char *buf,
                     size_t len, unsigned depth)
{
    struct fz *f = ctx;
    if (len > f->lim.max_entry || buf[len] != '\0' ||
        strncmp(logical, "in!", 3) != 0 || depth > f->lim.max_depth)
        __builtin_trap();
    f->given += len;
    if (lp_archive_detect((const unsigned char *)buf, len) &&
        depth < f->lim.max_depth) {
        lp_err err = lp_archive_walk(logical, buf, len, depth + 1, &f->lim,
                                     &f->budget, &f->w, member, f);
        if (err != LP_EFORMAT)
            return err;
    }
    return LP_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz f;
    memset(&f, 0, sizeof f);
    lp_archive_limits_default(&f.lim);
    f.lim.max_depth = 4;
    f.lim.max_entry = 1 << 20;
    f.lim.max_total = 8 << 20;
    f.lim.max_entries = 1000;
    static const char *const pw[] = {"secret"};
    f.lim.passwords = pw;
    f.lim.npasswords = 1;
    f.lim.sevenzip = NULL; /* no child processes under the fuzzer */
    lp_warner_init(&f.w, NULL, NULL);
    if (lp_archive_detect(data, size)) {
        lp_err err = lp_archive_walk("in", (const char *)data, size, 1,
                                     &f.lim, &f.budget, &f.w, member, &f);
        if (err != LP_OK && err != LP_EFORMAT && err != LP_ENOMEM)
            __builtin_trap();
    }
    /* The expansion budget may be passed by one read chunk at most. */
    if (f.given > f.lim.max_total + f.lim.max_entry + (64u << 10))
        __builtin_trap();
    lp_warner_release(&f.w);
    return 0;
}
