/* SPDX-License-Identifier: Apache-2.0
 *
 * normalize_prose: the prose lexer (plain text, Markdown, reStructuredText,
 * man pages). A word is a maximal run of ASCII letters and digits and bytes
 * >= 0x80; it is lower-cased (ASCII only) and emitted as LP_TOK_WORD.
 * Everything else is dropped, and with it most markup. What punctuation
 * alone would leave is removed explicitly: HTML-like tags and <!-- -->
 * comments (all prose), link targets "](...)" (Markdown), roff requests at
 * line start (".SH", ".B"), escapes ("\fB", "\(em", "\s-1") and comments
 * (".\\\"", "\\\"") in man pages, so that "fB" never becomes a word;
 * in reStructuredText, explicit markup at line start: a directive's name
 * (".. note::" drops "note", keeps what follows "::"), and whole lines of
 * link targets (".. _label: url") and comments (".. text"), and role names
 * (":ref:`x`" keeps only "x"). A copy converted to plain text or Markdown
 * has none of these, and re-wrapping moves no word.
 */
#include <pthread.h>
#include <string.h>

#include "normalize_int.h"

#include "banned.h"

struct plex {
    struct lp_lex lx;
    enum lp_lang lang;
    unsigned char low[LP_MAX_TOKEN]; /* a word lower-cased for hashing */
};

static bool is_nl(unsigned char c)
{
    return c == '\n' || c == '\r';
}

static const unsigned char *eol(const struct plex *x, const unsigned char *p)
{
    while (p < x->lx.end && !is_nl(*p))
        p++;
    return p;
}

/* Words of licence notices. Licence texts are the same in thousands of
 * projects, so a k-gram with two of these is no evidence (fingerprint.h),
 * nor is any k-gram of a paragraph with two (mark_notices); found by their
 * lower-cased text. */
#define W(s) {s, sizeof s - 1}
static const struct {
    const char *w;
    size_t n;
} legal_words[] = {
    W("copyright"),     W("copyrighted"),  W("fitness"),      W("gpl"),
    W("infringement"),  W("lgpl"),         W("liability"),    W("liable"),
    W("licence"),       W("licences"),     W("license"),      W("licensed"),
    W("licenses"),      W("licensing"),    W("merchantability"),
    W("redistribute"),  W("redistributed"), W("redistribution"), W("spdx"),
    W("sublicense"),    W("warranties"),   W("warranty"),
};
#undef W

#define NLEGAL (sizeof legal_words / sizeof *legal_words)

/* The licence words by their token hash: an open-addressing table of 64
 * slots (index + 1, 0 empty), filled once. A word's hash is computed for
 * its token anyway, so most words are told apart by one probe. */
static uint8_t legal_slot[64];
static uint64_t legal_hash[NLEGAL];
static pthread_once_t legal_once = PTHREAD_ONCE_INIT;

static unsigned legal_probe(uint64_t h)
{
    return (unsigned)(h >> 58);
}

static void legal_fill(void)
{
    for (size_t i = 0; i < NLEGAL; i++) {
        legal_hash[i] = lp_lex_hash((const unsigned char *)legal_words[i].w,
                                    legal_words[i].n);
        unsigned k = legal_probe(legal_hash[i]);
        while (legal_slot[k])
            k = (k + 1) & 63;
        legal_slot[k] = (uint8_t)(i + 1);
    }
}

/* Whether the lower-cased word w (n bytes, token hash h) is a licence word. */
static bool legal(uint64_t h, const unsigned char *w, size_t n)
{
    for (unsigned k = legal_probe(h); legal_slot[k]; k = (k + 1) & 63) {
        size_t i = legal_slot[k] - 1u;
        if (legal_hash[i] == h && legal_words[i].n == n &&
            memcmp(legal_words[i].w, w, n) == 0)
            return true;
    }
    return false;
}

/* Emits the word starting at *pp, lower-cased. */
static lp_err lex_word(struct plex *x, const unsigned char **pp)
{
    const unsigned char *s = *pp, *e = s, *end = x->lx.end;
    bool upper = false;
    while (e < end && (lp_lex_cc[*e] & LP_CC_WORD)) {
        upper |= (*e >= 'A' && *e <= 'Z');
        e++;
    }
    *pp = e;
    size_t n = (size_t)(e - s);
    const unsigned char *low = s;
    if (upper) {
        size_t m = n < LP_MAX_TOKEN ? n : LP_MAX_TOKEN;
        for (size_t i = 0; i < m; i++)
            x->low[i] = (s[i] >= 'A' && s[i] <= 'Z')
                            ? (unsigned char)(s[i] | 0x20)
                            : s[i];
        low = x->low;
    }
    uint64_t h = lp_lex_hash(low, n); /* of LP_MAX_TOKEN bytes at most */
    return lp_lex_push(&x->lx, h, x->lx.line,
                       legal(h, low, n) ? LP_TOK_LEGAL : LP_TOK_WORD);
}

/* A roff request or macro line: '.' or '\'' at line start, then the macro
 * name; ".\\\"" is a comment line. Returns where lexing goes on. */
static const unsigned char *man_request(const struct plex *x,
                                        const unsigned char *p)
{
    const unsigned char *end = x->lx.end;
    if (end - p >= 3 && p[1] == '\\' && (p[2] == '"' || p[2] == '#'))
        return eol(x, p);
    p++;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    while (p < end && !is_nl(*p) && *p != ' ' && *p != '\t')
        p++;
    return p;
}

/* The argument of a roff escape at p: "(xy", "[name]", 'arg' or one byte. */
static const unsigned char *man_arg(const struct plex *x,
                                    const unsigned char *p)
{
    const unsigned char *end = x->lx.end;
    if (p >= end || is_nl(*p))
        return p;
    if (*p == '(') {
        for (int i = 0; i < 2 && p + 1 < end && !is_nl(p[1]); i++)
            p++;
        return p + 1;
    }
    if (*p == '[' || *p == '\'') {
        unsigned char close = *p == '[' ? ']' : '\'';
        const unsigned char *e = p + 1;
        while (e < end && *e != close && !is_nl(*e))
            e++;
        return e < end && *e == close ? e + 1 : e;
    }
    return p + 1;
}

/* A roff escape at p ('\\'). Returns where lexing goes on. */
static const unsigned char *man_escape(const struct plex *x,
                                       const unsigned char *p)
{
    const unsigned char *end = x->lx.end;
    if (p + 1 >= end || is_nl(p[1]))
        return p + 1;
    unsigned char c = p[1];
    p += 2;
    if (c == '"' || c == '#')
        return eol(x, p);
    if (c == '(' || c == '[')
        return man_arg(x, p - 1);
    if (c == 's') {
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p < end && (*p == '(' || *p == '[' || *p == '\''))
            return man_arg(x, p);
        for (int i = 0; i < 2 && p < end && (lp_lex_cc[*p] & LP_CC_DIG); i++)
            p++;
        return p;
    }
    if ((c && strchr("fFn*gkmMYV$", c)) || (p < end && *p == '\''))
        return man_arg(x, p);
    return p;
}

/* '<' at p: a tag to its '>' on the same line, or an HTML comment to its
 * end (lines counted). Returns p + 1 when it is neither. */
static const unsigned char *skip_tag(struct plex *x, const unsigned char *p)
{
    const unsigned char *end = x->lx.end, *e;
    if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
        for (e = p + 4; e < end; e++)
            if (end - e >= 3 && memcmp(e, "-->", 3) == 0)
                break;
        e = e < end ? e + 3 : end;
        x->lx.line += lp_lex_count_nl(&x->lx, p, e);
        return e;
    }
    if (p + 1 == end || !((lp_lex_cc[p[1]] & LP_CC_ID) || p[1] == '/' ||
                          p[1] == '!' || p[1] == '?'))
        return p + 1;
    for (e = p + 1; e < end && *e != '>' && *e != '<' && !is_nl(*e); e++)
        ;
    return e < end && *e == '>' ? e + 1 : p + 1;
}

/* "](" in Markdown: the link target up to ')' on the same line. */
static const unsigned char *skip_link(const struct plex *x,
                                      const unsigned char *p)
{
    const unsigned char *e = p + 2, *end = x->lx.end;
    while (e < end && *e != ')' && !is_nl(*e))
        e++;
    return e < end && *e == ')' ? e + 1 : p + 1;
}

/* ".. " at line start in reStructuredText: a directive ".. name::" is
 * skipped to after its "::"; a link target or a comment, to the end of
 * the line. */
static const unsigned char *rst_explicit(const struct plex *x,
                                         const unsigned char *p)
{
    const unsigned char *e = eol(x, p);
    for (const unsigned char *q = p + 3; q + 1 < e; q++) {
        if (q[0] == ':' && q[1] == ':')
            return q + 2;
        if (*q == ' ')
            break; /* a directive name has no space */
    }
    return e;
}

/* ':' in reStructuredText: ":name:" right before a backquote is a role. */
static const unsigned char *rst_role(const struct plex *x,
                                     const unsigned char *p)
{
    const unsigned char *e = p + 1, *end = x->lx.end;
    while (e < end && ((lp_lex_cc[*e] & LP_CC_WORD) || *e == '-' || *e == '.'))
        e++;
    return e + 1 < end && e > p + 1 && *e == ':' && e[1] == '`' ? e + 1 : p + 1;
}

/* The bytes skip_markup() may do more with than step over. */
static const bool markup_byte[256] = {
    ['.'] = true, ['\''] = true, ['\\'] = true, ['<'] = true, [':'] = true,
    [']'] = true,
};

/* One step of the main loop at a byte that is neither a newline nor the
 * start of a word. Returns where lexing goes on. */
static const unsigned char *skip_markup(struct plex *x,
                                        const unsigned char *p, bool bol)
{
    const unsigned char *end = x->lx.end;
    bool man = x->lang == LP_LANG_MAN;
    if (man && bol && (*p == '.' || *p == '\''))
        return man_request(x, p);
    if (man && *p == '\\')
        return man_escape(x, p);
    if (*p == '<')
        return skip_tag(x, p);
    if (x->lang == LP_LANG_RST) {
        if (bol && end - p >= 3 && p[0] == '.' && p[1] == '.' && p[2] == ' ')
            return rst_explicit(x, p);
        if (*p == ':')
            return rst_role(x, p);
    }
    if (x->lang == LP_LANG_MARKDOWN && *p == ']' && p + 1 < end &&
        p[1] == '(')
        return skip_link(x, p);
    return p + 1;
}

static lp_err lex_all(struct plex *x)
{
    const unsigned char *p = x->lx.buf, *end = x->lx.end;
    lp_err err = LP_OK;
    bool bol = true;

    while (p < end && !err) {
        unsigned char ch = *p;
        if (is_nl(ch)) {
            if (ch == '\r' && p + 1 < end && p[1] == '\n')
                p++;
            x->lx.line++;
            p++;
            bol = true;
        } else if (lp_lex_cc[ch] & LP_CC_WORD) {
            err = lex_word(x, &p);
            bol = false;
        } else if (ch == ' ' || ch == '\t') {
            p++;
            /* explicit markup may be indented (nested blocks) */
            bol = bol && x->lang == LP_LANG_RST;
        } else if (!markup_byte[ch]) {
            p++; /* punctuation that starts no markup */
            bol = false;
        } else {
            p = skip_markup(x, p, bol);
            bol = false;
        }
    }
    return err;
}

/* A licence notice is a paragraph (words on consecutive lines) with two
 * licence words or more: all its words become LP_TOK_LEGAL, so that none
 * of its k-grams is a fingerprint, not even those between the licence
 * words ("Free Software Foundation, Inc., 51 Franklin Street"). */
static void mark_notices(struct lp_tokens *t, size_t from)
{
    size_t start = from;
    while (start < t->n) {
        size_t end = start + 1, legal = t->v[start].cls == LP_TOK_LEGAL;
        while (end < t->n && t->v[end].line <= t->v[end - 1].line + 1) {
            legal += t->v[end].cls == LP_TOK_LEGAL;
            end++;
        }
        if (legal >= 2)
            for (size_t i = start; i < end; i++)
                t->v[i].cls = LP_TOK_LEGAL;
        start = end;
    }
}

lp_err lp_lex_prose(enum lp_lang lang, struct lp_lex *lx)
{
    pthread_once(&legal_once, legal_fill);
    struct plex x; /* 4 KB of it is the lower-casing buffer */

    x.lx = *lx;
    x.lang = lang;
    size_t first = lx->out->n;
    lp_err err = lex_all(&x);
    *lx = x.lx;
    if (!err)
        mark_notices(lx->out, first);
    return err;
}
