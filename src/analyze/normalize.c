/* SPDX-License-Identifier: Apache-2.0
 *
 * normalize: the module's entry point (see normalize.h). It picks the lexer
 * of a language's family (normalize_c.c, normalize_hash.c,
 * normalize_prose.c) and owns what they share: the character-class table,
 * keyword sets, the operator matcher and the token array. The lexers never
 * allocate except to grow the token array, geometrically, with lp_grow().
 */
#include "normalize.h"

#include <pthread.h>
#include <string.h>

#include "normalize_int.h"

#include "banned.h"

/* Classes of each byte (see enum lp_cc). */
#define L (LP_CC_ID | LP_CC_WORD)
#define D (LP_CC_DIG | LP_CC_WORD)
#define U LP_CC_ID
#define S LP_CC_SP
#define N LP_CC_NL
#define P LP_CC_PUNCT
#define C LP_CC_CTRL
const uint8_t lp_lex_cc[256] = {
    C, C, C, C, C, C, C, C, C, S, N, S, S, N, C, C, /* 00 */
    C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, /* 10 */
    S, P, P, P, U, P, P, P, P, P, P, P, P, P, P, P, /* 20 */
    D, D, D, D, D, D, D, D, D, D, P, P, P, P, P, P, /* 30 */
    P, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, /* 40 */
    L, L, L, L, L, L, L, L, L, L, L, P, P, P, P, U, /* 50 */
    P, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, /* 60 */
    L, L, L, L, L, L, L, L, L, L, L, P, P, P, P, C, /* 70 */
    L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, /* 80 */
    L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, /* 90 */
    L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, /* a0 */
    L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, /* b0 */
    L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, /* c0 */
    L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, /* d0 */
    L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, /* e0 */
    L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, /* f0 */
};
#undef L
#undef D
#undef U
#undef S
#undef N
#undef P
#undef C

/* Multi-character operators: the union over all languages. A sequence
 * means the same in every copy of a file, so an operator that does not
 * exist in a language only changes how its bytes are cut, the same way each
 * time. The set is prefix-closed (every 3- or 4-byte operator starts with a
 * 2- or 3-byte one), so the longest match grows one byte at a time; a
 * switch on the first byte replaces a string table because operators are a
 * quarter of all tokens.
 *   !== != !!   ##   %=   &&= &^= && &= &^   **= *= **   += ++
 *   ->* -= -- ->   ... ..= ..< .. .*   //= /= //   :: :=   ;;
 *   <<= <=> << <= <-   === == => =~   >>>= >>= >>> >> >=
 *   ??= ?? ?. ?:   ^=   ||= |= || */

/* Length of the operator a b c..., where c and d are 0 past the end. */
static size_t op_len3(unsigned a, unsigned b, unsigned c, unsigned d)
{
    switch (a) {
    case '!':
        return b == '=' ? 2 + (c == '=') : b == '!' ? 2 : 1;
    case '#':
        return b == '#' ? 2 : 1;
    case '%':
    case '^':
        return b == '=' ? 2 : 1;
    case '&':
        return b == '&' || b == '^' ? 2 + (c == '=') : b == '=' ? 2 : 1;
    case '*':
        return b == '*' ? 2 + (c == '=') : b == '=' ? 2 : 1;
    case '+':
        return b == '=' || b == '+' ? 2 : 1;
    case '-':
        return b == '>' ? 2 + (c == '*') : b == '=' || b == '-' ? 2 : 1;
    case '.':
        return b == '.' ? 2 + (c == '.' || c == '=' || c == '<')
               : b == '*' ? 2 : 1;
    case '/':
        return b == '/' ? 2 + (c == '=') : b == '=' ? 2 : 1;
    case ':':
        return b == ':' || b == '=' ? 2 : 1;
    case ';':
        return b == ';' ? 2 : 1;
    case '<':
        return b == '<' ? 2 + (c == '=') : b == '=' ? 2 + (c == '>')
               : b == '-' ? 2 : 1;
    case '=':
        return b == '=' ? 2 + (c == '=')
               : b == '>' || b == '~' ? 2 : 1;
    case '>':
        return b == '>' ? (c == '>' ? 3 + (d == '=') : 2 + (c == '='))
               : b == '=' ? 2 : 1;
    case '?':
        return b == '?' ? 2 + (c == '=')
               : b == '.' || b == ':' ? 2 : 1;
    case '|':
        return b == '|' ? 2 + (c == '=') : b == '=' ? 2 : 1;
    default:
        return 1;
    }
}

size_t lp_lex_op_len(const unsigned char *p, const unsigned char *end)
{
    size_t avail = (size_t)(end - p);
    /* Most operators stand alone: ( ) ; , { } */
    if (avail < 2 || !(lp_lex_cc[p[1]] & LP_CC_PUNCT))
        return 1;
    return op_len3(p[0], p[1], avail > 2 ? p[2] : 0, avail > 3 ? p[3] : 0);
}

void lp_kwset_add(struct lp_kwset *k, const char *word)
{
    const unsigned char *w = (const unsigned char *)word;
    size_t n = strlen(word);
    if (lp_kwset_has(k, w, n))
        return;
    unsigned i = lp_kw_slot(w, n);
    while (k->s[i])
        i = (i + 1) & (LP_KW_SLOTS - 1);
    k->s[i] = word;
    k->n[i] = (uint8_t)n;
    if (n <= LP_KW_MAXLEN) /* longer words can never match anyway */
        k->lens[w[0]] |= 1u << n;
}

void lp_kwset_build(struct lp_kwset *k, const char *const *words)
{
    memset(k, 0, sizeof *k);
    for (; words && *words; words++)
        lp_kwset_add(k, *words);
}

void lp_tokens_init(struct lp_tokens *t)
{
    memset(t, 0, sizeof *t);
}

void lp_tokens_release(struct lp_tokens *t)
{
    if (!t)
        return;
    lp_free(t->v);
    lp_free(t->cm);
    memset(t, 0, sizeof *t);
}

static int family_of(enum lp_lang lang)
{
    if (lang >= LP_LANG_C && lang <= LP_LANG_OBJC)
        return 1;
    if (lang >= LP_LANG_SHELL && lang <= LP_LANG_DOCKERFILE)
        return 2;
    if (lang >= LP_LANG_TEXT && lang <= LP_LANG_MAN)
        return 3;
    return 0;
}

bool lp_lang_prose(enum lp_lang lang)
{
    return family_of(lang) == 3;
}

/* Lines of the input: newlines, plus one for a last line without one. */
static uint32_t count_lines(const struct lp_lex *lx, size_t line)
{
    size_t n = (size_t)(lx->end - lx->buf);
    if (n == 0)
        return 0;
    if (lx->end[-1] == '\n' || lx->end[-1] == '\r')
        line--;
    return line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
}

uint64_t lp_lex_hash1[256];
static pthread_once_t hash1_once = PTHREAD_ONCE_INIT;

static void hash1_fill(void)
{
    for (unsigned c = 0; c < 256; c++) {
        unsigned char b = (unsigned char)c;
        lp_lex_hash1[c] = lp_hash64(&b, 1);
    }
}

lp_err lp_normalize(enum lp_lang lang, const char *buf, size_t len,
                    struct lp_tokens *out)
{
    pthread_once(&hash1_once, hash1_fill);
    struct lp_lex lx = {(const unsigned char *)buf,
                        (const unsigned char *)buf + len, 1, out};
    lp_err err = LP_OK;

    out->n = 0;
    out->lines = 0;
    out->ncm = 0;
    if (!buf)
        return len ? LP_EINVAL : LP_OK;
    switch (family_of(lang)) {
    case 1:
        err = lp_lex_c(lang, &lx);
        break;
    case 2:
        err = lp_lex_hashc(lang, &lx);
        break;
    case 3:
        err = lp_lex_prose(lang, &lx);
        break;
    default:
        break;
    }
    if (err) {
        out->n = 0;
        return err;
    }
    /* Binary and unknown languages yield no tokens but still count lines. */
    if (family_of(lang) == 0)
        lx.line += lp_lex_count_nl(&lx, lx.buf, lx.end);
    out->lines = count_lines(&lx, lx.line);
    return LP_OK;
}
