/* SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_secrets_report: hostile bytes through the secrets engine, then the
 * findings, under a hostile path (the first byte gives its length), through
 * every report of `leakprint secrets`: text, JSON, JSONL and SARIF. Each
 * must be written; the JSON and SARIF documents must parse, with one entry
 * per finding. (A masked value's ends are the value's own bytes: they once
 * broke the SARIF document when they were not UTF-8.)
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "rules.h"
#include "result.h"
#include "secrets.h"
#include "fuzz_engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#define MAX_FINDINGS 256


struct acc {
    struct lp_secret_finding f[MAX_FINDINGS];
    size_t n;
};

static int keep(void *ctx, const struct lp_secret_finding *f)
{
    struct acc *a = ctx;
    if (a->n < MAX_FINDINGS)
        a->f[a->n++] = *f;
    return 0;
}

/* Renders s with writer w into memory; aborts when it fails. */
static char *render(lp_err (*w)(const struct lp_scan *, int, FILE *),
                    const struct lp_scan *s, size_t *len)
{
    char *out = NULL;
    FILE *fp = open_memstream(&out, len);
    if (!fp)
        abort();
    lp_err err = w(s, 0, fp);
    if (fclose(fp) != 0 || err)
        abort();
    return out;
}

static size_t entries(const char *doc, size_t len, bool sarif)
{
    json_error_t je;
    json_t *j = json_loadb(doc, len, 0, &je);
    if (!j)
        abort();
    size_t n;
    if (sarif)
        n = json_array_size(json_object_get(
            json_array_get(json_object_get(j, "runs"), 0), "results"));
    else
        n = json_array_size(json_object_get(j, "secrets")) +
            json_array_size(json_object_get(j, "exposures"));
    json_decref(j);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_engine_build();
    if (size < 1)
        return 0;
    size_t plen = data[0] % 48;
    if (plen > size - 1)
        plen = size - 1;
    char path[64];
    memcpy(path, data + 1, plen);
    path[plen] = '\0';
    static struct acc a;
    a.n = 0;
    if (lp_secrets_scan(engine, scratch, (const char *)data + 1 + plen,
                        size - 1 - plen, keep, &a) != LP_OK)
        return 0;
    struct lp_file_result f = {.path = path, .secrets = a.f,
                               .nsecrets = a.n};
    struct lp_skip sk = {path, path};
    static struct lp_scan rules; /* the engine's rules, copied once */
    if (!rules.nrules && lp_result_rules(&rules, engine) != LP_OK)
        abort();
    struct lp_scan s = {.rules = rules.rules, .nrules = rules.nrules,
                        .secrets_mode = LP_SECRETS_ONLY, .files = &f,
                        .nfiles = 1, .skips = &sk, .nskips = 1};
    size_t len;
    char *out = render(lp_report_secrets_sarif, &s, &len);
    if (entries(out, len, true) != a.n)
        abort();
    free(out);
    out = render(lp_report_secrets_json, &s, &len);
    if (entries(out, len, false) != a.n)
        abort();
    free(out);
    free(render(lp_report_secrets_jsonl, &s, &len));
    free(render(lp_report_secrets_text, &s, &len));
    return 0;
}
