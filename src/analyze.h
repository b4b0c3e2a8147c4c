/* SPDX-License-Identifier: Apache-2.0
 *
 * analyze: the per-file front half of the pipeline shared by add and scan:
 * SHA-256, classify, normalize, fingerprint. A struct lp_analyzer holds one
 * worker's scratch buffers, reused from file to file.
 */
#ifndef LP_ANALYZE_H
#define LP_ANALYZE_H

#include <stdbool.h>

#include "classify.h"
#include "fingerprint.h"
#include "hash.h"
#include "normalize.h"

struct lp_analyzer {
    struct lp_tokens tok;
    struct lp_fps fps;
    char *buf; /* file contents, reused from file to file */
    size_t cap;
};

struct lp_analysis {
    uint8_t sha[LP_SHA256_LEN];
    uint64_t size;
    enum lp_kind kind;
    enum lp_lang lang;
    uint32_t lines;
    const struct lp_fp *fp; /* borrowed from the analyzer until next call */
    size_t nfp;
};

void lp_analyzer_init(struct lp_analyzer *a);
void lp_analyzer_release(struct lp_analyzer *a);

/* Analyzes buf[0..len) named `name`. When `want_fp` is false only the hash
 * and the class are computed. LP_OK or LP_ENOMEM. */
lp_err lp_analyze(struct lp_analyzer *a, const char *name, const char *buf,
                  size_t len, bool want_fp, struct lp_analysis *out);

#endif
