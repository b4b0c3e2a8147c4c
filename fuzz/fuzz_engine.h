/* SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_engine.h: the secrets engine of the built-in rules, for the
 * harnesses that feed it. Built once (compiling the rules takes a
 * while): by LLVMFuzzerInitialize under libFuzzer, on the first input
 * under the replay main, which does not call the initializer; freed at
 * exit so that leak checkers see nothing left.
 */
#ifndef LP_FUZZ_ENGINE_H
#define LP_FUZZ_ENGINE_H

#include <stdlib.h>

#include "rules.h"
#include "secrets.h"

static struct lp_secrets_engine *engine;
static struct lp_secrets_scratch *scratch;

static void fuzz_engine_release(void)
{
    lp_secrets_scratch_free(scratch);
    lp_secrets_engine_free(engine);
}

static void fuzz_engine_build(void)
{
    size_t n;
    const struct lp_rule *const *t = lp_rules_tables(&n);
    char err[256];
    if (engine)
        return;
    if (lp_secrets_engine_new(t, n, NULL, "k", 1, &engine, err, sizeof err) ||
        lp_secrets_scratch_new(engine, &scratch))
        abort();
    atexit(fuzz_engine_release);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_engine_build();
    return 0;
}

#endif
