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

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct lp_secrets_engine *engine;
static struct lp_secrets_scratch *scratch;

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

static void release(void)
{
    lp_secrets_scratch_free(scratch);
    lp_secrets_engine_free(engine);
}

/* The engine is built once (compiling the rules takes a while), and freed
 * at exit so that leak checkers see nothing left. */
static void build(void)
{
    size_t n;
    const struct lp_rule *const *t = lp_rules_tables(&n);
    char err[256];
    if (lp_secrets_engine_new(t, n, NULL, "k", 1, &engine, err, sizeof err) ||
        lp_secrets_scratch_new(engine, &scratch))
        abort();
    atexit(release);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    build();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!engine) /* the replay main does not call the initializer */
        build();
    struct fz z = {1};
    for (size_t i = 0; i < size; i++)
        z.lines += data[i] == '\n';
    lp_err err = lp_secrets_scan(engine, scratch, (const char *)data, size,
                                 check, &z);
    if (err && err != LP_ENOMEM)
        __builtin_trap();
    return 0;
}
