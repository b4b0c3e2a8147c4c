/* SPDX-License-Identifier: Apache-2.0
 *
 * normalize: lexers that turn a file's bytes into a token stream with line
 * numbers. Three families share one interface:
 *   - the C family (C, C++, Java, JS/TS, Go, Rust, C#, Kotlin, Swift, ObjC),
 *     one table-driven lexer configured per language;
 *   - #-comment languages (shell, Python, Perl, Ruby, Makefile, CMake,
 *     Kconfig, YAML, TOML, INI, Dockerfile);
 *   - prose: lower-cased words, markup removed.
 * The emitted stream is the *normalized* stream: comments and layout (spaces,
 * newlines, line continuations, CRLF) are gone, every other token is kept with
 * its class, so that the abstract stream (identifiers, numbers and strings
 * replaced by their class) can be derived from the same tokens.
 *
 * Invariants: tokens come in source order; line numbers start at 1 and never
 * decrease; a token's hash depends only on its text (and class for strings),
 * never on its position; the lexers never read outside [buf, buf+len) and
 * accept any bytes (NUL, invalid UTF-8, unterminated strings/comments).
 */
#ifndef LP_NORMALIZE_H
#define LP_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "classify.h"
#include "leakprint.h"

enum lp_tok_class {
    LP_TOK_IDENT = 1,   /* identifier */
    LP_TOK_KEYWORD = 2, /* language keyword */
    LP_TOK_NUMBER = 3,  /* numeric literal */
    LP_TOK_STRING = 4,  /* string or char literal, heredoc, raw string */
    LP_TOK_OP = 5,      /* operator or punctuation */
    LP_TOK_WORD = 6,    /* prose word */
    LP_TOK_LEGAL = 7,   /* prose word of licence notices ("warranty") */
};

struct lp_token {
    uint64_t hash; /* XXH3 of the token text (lower-cased for prose) */
    uint32_t line; /* 1-based line of the token's first byte */
    uint8_t cls;   /* enum lp_tok_class */
};

/* A comment of C-family code: bytes [off, off + len) of the input, from
 * line `line` (markers included). */
struct lp_comment {
    size_t off, len;
    uint32_t line;
};

/* A growable token array; reuse one per worker to avoid reallocations. */
struct lp_tokens {
    struct lp_token *v;
    size_t n, cap;
    uint32_t lines; /* number of lines of the input (0 for empty input) */
    /* The comments of C-family code, in order (other lexers leave none):
     * what they hold may be commented-out code (see regions.h). */
    struct lp_comment *cm;
    size_t ncm, capcm;
};

void lp_tokens_init(struct lp_tokens *t);
void lp_tokens_release(struct lp_tokens *t);

/* Lexes buf[0..len) as language `lang` and replaces the contents of `out`
 * with its normalized stream. LP_LANG_NONE/binary yields no tokens.
 * Returns LP_OK or LP_ENOMEM. */
lp_err lp_normalize(enum lp_lang lang, const char *buf, size_t len,
                    struct lp_tokens *out);

/* Whether lp_normalize() lexes `lang` as prose (text, Markdown, ...); the
 * other languages it lexes are code. */
bool lp_lang_prose(enum lp_lang lang);

#endif
