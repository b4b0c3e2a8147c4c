/* SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_normalize: libFuzzer harness of the lexers and of classify. The first
 * byte picks the language (all of them, LP_LANG_NONE included); the rest is
 * the file. Besides the sanitizers, it checks the invariants of
 * normalize.h: known classes, non-decreasing lines within [1, lines], and
 * that lexing the same bytes twice into a reused array gives the same
 * tokens. Replayed over fuzz/corpus/normalize/ by the shared replay main.
 */
#include <stddef.h>
#include <stdint.h>

#include "classify.h"
#include "normalize.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const enum lp_lang langs[] = {
    LP_LANG_NONE,   LP_LANG_C,      LP_LANG_CPP,     LP_LANG_JAVA,
    LP_LANG_JS,     LP_LANG_TS,     LP_LANG_GO,      LP_LANG_RUST,
    LP_LANG_CSHARP, LP_LANG_KOTLIN, LP_LANG_SWIFT,   LP_LANG_OBJC,
    LP_LANG_SHELL,  LP_LANG_PYTHON, LP_LANG_PERL,    LP_LANG_RUBY,
    LP_LANG_MAKE,   LP_LANG_CMAKE,  LP_LANG_KCONFIG, LP_LANG_YAML,
    LP_LANG_TOML,   LP_LANG_INI,    LP_LANG_DOCKERFILE, LP_LANG_TEXT,
    LP_LANG_MARKDOWN, LP_LANG_RST,  LP_LANG_MAN,
};

static void check(const struct lp_tokens *t)
{
    uint32_t prev = 1;
    for (size_t i = 0; i < t->n; i++) {
        const struct lp_token *k = &t->v[i];
        if (k->cls < LP_TOK_IDENT || k->cls > LP_TOK_LEGAL)
            __builtin_trap();
        if (k->line < prev || k->line > t->lines)
            __builtin_trap();
        prev = k->line;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lp_tokens a, b;
    enum lp_lang lang, guessed;

    if (size == 0)
        return 0;
    lang = langs[data[0] % (sizeof langs / sizeof langs[0])];
    data++;
    size--;
    (void)lp_classify("fuzz/input", data, size, &guessed);

    lp_tokens_init(&a);
    lp_tokens_init(&b);
    if (lp_normalize(lang, (const char *)data, size, &a) == LP_OK &&
        lp_normalize(LP_LANG_C, "x y z", 5, &b) == LP_OK &&
        lp_normalize(lang, (const char *)data, size, &b) == LP_OK) {
        check(&a);
        if (a.n != b.n || a.lines != b.lines)
            __builtin_trap();
        for (size_t i = 0; i < a.n; i++) /* not memcmp: padding */
            if (a.v[i].hash != b.v[i].hash || a.v[i].line != b.v[i].line ||
                a.v[i].cls != b.v[i].cls)
                __builtin_trap();
    }
    lp_tokens_release(&a);
    lp_tokens_release(&b);
    return 0;
}
