/* SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_secrets: any bytes through the secrets engine with the built-in
 * rules. Besides the sanitizers, it checks each finding: a rule that
 * exists, a line and column within the input, a masked value without
 * control characters, a 64-digit fingerprint.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "secrets.h"
#include "fuzz_engine.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


struct fz {
    size_t lines;
};

static int check(void *ctx, const struct lp_secret_finding *f)
{
    const struct fz *z = ctx;
    if (f->rule >= lp_secrets_nrules(engine) || f->line < 1 ||
        f->line > z->lines || f->column < 1 || strlen(f->fp) != 64)
        __builtin_trap();
    for (const char *p = f->masked; *p; p++)
        if ((unsigned char)*p < 0x20)
            __builtin_trap();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_engine_build();
    struct fz z = {1};
    for (size_t i = 0; i < size; i++)
        z.lines += data[i] == '\n';
    lp_err err = lp_secrets_scan(engine, scratch, (const char *)data, size,
                                 check, &z);
    if (err && err != LP_ENOMEM)
        __builtin_trap();
    return 0;
}
