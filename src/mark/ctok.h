/* SPDX-License-Identifier: Apache-2.0
 *
 * ctok: a C tokenizer that keeps byte offsets, for the carriers of canary
 * marks (carrier.h), which must rewrite single tokens in place. Comments and
 * whitespace are dropped; string and character literals (with their L, u, U
 * and u8 prefixes) are one token each; every token of a preprocessor line
 * (continuation lines included) is flagged. It never fails on bad input: an
 * unterminated literal ends at the line's end, a comment at the file's end.
 */
#ifndef LP_CTOK_H
#define LP_CTOK_H

#include <stddef.h>
#include <stdint.h>

#include "leakprint.h"

/* Most tokens in one text (LP_ELIMIT past it). */
#define LP_CTOK_MAX_TOKENS (4u << 20)

enum lp_ctok_kind {
    LP_CTOK_IDENT = 1, /* identifier or keyword */
    LP_CTOK_NUMBER,    /* a preprocessing number: 0x1f, 10u, 1.5e3 */
    LP_CTOK_STRING,    /* "..." with any prefix */
    LP_CTOK_CHAR,      /* '...' with any prefix */
    LP_CTOK_PUNCT,     /* operator or punctuator, longest match */
};

struct lp_ctok {
    uint32_t off; /* first byte in the text */
    uint32_t len; /* bytes */
    uint8_t kind; /* enum lp_ctok_kind */
    uint8_t pp;   /* 1 on a preprocessor line */
    uint8_t open; /* 1 for a literal not closed on its line */
};

/* Tokenizes text[0..len) into *out (caller frees with lp_free) and *n.
 * LP_ELIMIT past LP_CTOK_MAX_TOKENS tokens or a text of 4 GiB or more,
 * LP_ENOMEM. On error *out is NULL. */
lp_err lp_ctok_lex(const char *text, size_t len, struct lp_ctok **out,
                   size_t *n);

/* True when tok (len bytes) is a C11 keyword (or a common extension such as
 * inline asm and typeof). */
int lp_ctok_is_keyword(const char *tok, size_t len);

#endif
