/* SPDX-License-Identifier: Apache-2.0
 *
 * ctok: the C tokenizer with byte offsets (see ctok.h). One pass; a token
 * array grown by doubling up to LP_CTOK_MAX_TOKENS. A preprocessor line is
 * one whose first token is '#'; it runs to a newline not preceded by a
 * backslash (a block comment in it may cross lines).
 */
#include <stdint.h>
#include <string.h>

#include "ctok.h"
#include "mem.h"

#include "banned.h"

static int is_ident_start(unsigned char c)
{
    return c == '_' || c == '$' || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static int is_ident(unsigned char c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9');
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

int lp_ctok_is_keyword(const char *tok, size_t len)
{
    static const char *const kw[] = {
        "auto",          "break",     "case",           "char",
        "const",         "continue",  "default",        "do",
        "double",        "else",      "enum",           "extern",
        "float",         "for",       "goto",           "if",
        "inline",        "int",       "long",           "register",
        "restrict",      "return",    "short",          "signed",
        "sizeof",        "static",    "struct",         "switch",
        "typedef",       "union",     "unsigned",       "void",
        "volatile",      "while",     "_Alignas",       "_Alignof",
        "_Atomic",       "_Bool",     "_Complex",       "_Generic",
        "_Imaginary",    "_Noreturn", "_Static_assert", "_Thread_local",
        "asm",           "__asm__",   "typeof",         "__typeof__",
        "__attribute__", "__inline",  "__inline__",     "__restrict",
        "__extension__",
    };
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (strlen(kw[i]) == len && memcmp(kw[i], tok, len) == 0)
            return 1;
    return 0;
}

/* Length of the punctuator at p (n bytes left): the longest of C's. */
static size_t punct_len(const char *p, size_t n)
{
    static const char *const three[] = {"<<=", ">>=", "..."};
    static const char *const two[] = {
        "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&",
        "||", "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "##"};
    if (n >= 3)
        for (size_t i = 0; i < 3; i++)
            if (memcmp(p, three[i], 3) == 0)
                return 3;
    if (n >= 2)
        for (size_t i = 0; i < sizeof two / sizeof two[0]; i++)
            if (memcmp(p, two[i], 2) == 0)
                return 2;
    return 1;
}

/* End of the literal opened by the quote at i: past the closing quote, or at
 * the line's end (or the text's) when it is not closed. */
static size_t literal_end(const char *s, size_t len, size_t i, uint8_t *open)
{
    char q = s[i++];
    while (i < len && s[i] != q && s[i] != '\n') {
        if (s[i] == '\\' && i + 1 < len)
            i++;
        i++;
    }
    if (i < len && s[i] == q)
        return i + 1;
    *open = 1;
    return i;
}

lp_err lp_ctok_lex(const char *s, size_t len, struct lp_ctok **out, size_t *n)
{
    struct lp_ctok *v = NULL;
    size_t cap = 0, cnt = 0, i = 0;
    int line_start = 1, in_pp = 0;
    lp_err err = LP_OK;

    *out = NULL;
    *n = 0;
    if (len >= UINT32_MAX)
        return LP_ELIMIT;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        size_t start = i, tl;
        uint8_t kind, open = 0;

        if (c == '\n') {
            /* a backslash before the newline continues a directive */
            if (!(in_pp && i > 0 && s[i - 1] == '\\'))
                in_pp = 0;
            line_start = 1;
            i++;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            i++;
            continue;
        }
        if (c == '/' && i + 1 < len && s[i + 1] == '/') {
            while (i < len && s[i] != '\n')
                i++;
            continue;
        }
        if (c == '/' && i + 1 < len && s[i + 1] == '*') {
            i += 2;
            while (i < len && !(s[i] == '*' && i + 1 < len && s[i + 1] == '/'))
                i++;
            i = i < len ? i + 2 : len;
            continue;
        }
        if (c == '\\' && i + 1 < len &&
            (s[i + 1] == '\n' || s[i + 1] == '\r')) {
            i++; /* a continuation: the newline is handled above */
            continue;
        }
        if (line_start && c == '#')
            in_pp = 1;
        line_start = 0;
        if (is_ident_start(c)) {
            while (i < len && is_ident((unsigned char)s[i]))
                i++;
            kind = LP_CTOK_IDENT;
            /* L"..", u'..', u8"..": the prefix belongs to the literal */
            tl = i - start;
            if (i < len && (s[i] == '"' || s[i] == '\'') &&
                ((tl == 1 && (c == 'L' || c == 'u' || c == 'U')) ||
                 (tl == 2 && c == 'u' && s[start + 1] == '8'))) {
                kind = s[i] == '"' ? LP_CTOK_STRING : LP_CTOK_CHAR;
                i = literal_end(s, len, i, &open);
            }
        } else if (is_digit(c) || (c == '.' && i + 1 < len &&
                                   is_digit((unsigned char)s[i + 1]))) {
            i++;
            while (i < len) {
                unsigned char d = (unsigned char)s[i];
                if ((d == '+' || d == '-') &&
                    (s[i - 1] == 'e' || s[i - 1] == 'E' || s[i - 1] == 'p' ||
                     s[i - 1] == 'P'))
                    i++;
                else if (is_ident(d) || d == '.')
                    i++;
                else
                    break;
            }
            kind = LP_CTOK_NUMBER;
        } else if (c == '"' || c == '\'') {
            kind = c == '"' ? LP_CTOK_STRING : LP_CTOK_CHAR;
            i = literal_end(s, len, i, &open);
        } else {
            i += punct_len(s + i, len - i);
            kind = LP_CTOK_PUNCT;
        }
        if (cnt == cap) {
            size_t nc = cap ? cap * 2 : 256;
            struct lp_ctok *nv;
            if (cnt >= LP_CTOK_MAX_TOKENS) {
                err = LP_ELIMIT;
                goto out;
            }
            nv = lp_reallocarray(v, nc, sizeof *v);
            if (!nv) {
                err = LP_ENOMEM;
                goto out;
            }
            v = nv;
            cap = nc;
        }
        v[cnt].off = (uint32_t)start;
        v[cnt].len = (uint32_t)(i - start);
        v[cnt].kind = kind;
        v[cnt].pp = (uint8_t)in_pp;
        v[cnt].open = open;
        cnt++;
    }
out:
    if (err) {
        lp_free(v);
        return err;
    }
    *out = v;
    *n = cnt;
    return LP_OK;
}
