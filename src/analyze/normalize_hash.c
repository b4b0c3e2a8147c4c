/* SPDX-License-Identifier: Apache-2.0
 *
 * normalize_hash: the lexer of the #-comment languages (shell, Python, Perl,
 * Ruby, Makefile, CMake, Kconfig, YAML, TOML, INI, Dockerfile). Tokens are
 * words, numbers, strings and operators; '#' starts a comment to the end of
 * the line outside strings, except after '$' ($#, Perl's $#array) and, in
 * shell, YAML, INI and Dockerfile, when it does not start a word (foo#bar,
 * ${#x}). INI also takes ';' at the start of a line as a comment.
 *
 * Strings: '...' and "..." (single-line except in shell, Perl, Ruby, CMake);
 * Python and TOML triple quotes; Python prefixes (r, b, f, u, rb...) belong
 * to the string. A shell heredoc body, up to and including its terminator
 * line, is one string token. Backslash-newline is layout.
 */
#include <pthread.h>
#include <string.h>

#include "normalize_int.h"

#include "banned.h"

enum h_flags {
    HF_WORDHASH = 1 << 0,   /* '#' is a comment only at a word start */
    HF_SHELL_META = 1 << 1, /* ; & | ( ) < > also end a word (shell) */
    HF_ML_STR = 1 << 2,     /* quoted strings may span lines */
    HF_TRIPLE = 1 << 3,     /* ''' and """ blocks (Python, TOML) */
    HF_PYPREFIX = 1 << 4,   /* r"" b"" f"" u"" rb"" (Python) */
    HF_SQ_RAW = 1 << 5,     /* no escapes in '...' (shell, YAML, TOML) */
    HF_SEMI = 1 << 6,       /* ';' at line start is a comment (INI) */
    HF_HEREDOC = 1 << 7,    /* <<EOF bodies are one string (shell) */
    HF_BACKTICK = 1 << 8,   /* `...` is a string (shell, Perl, Ruby) */
    HF_NO_SQ = 1 << 9,      /* a single quote is an operator (CMake) */
};

struct h_lang {
    unsigned flags;
    const char *const *kw;
};

static const char *const kw_sh[] = {
    "if", "then", "else", "elif", "fi", "case", "esac", "for", "select",
    "while", "until", "do", "done", "in", "function", "local", "export",
    "readonly", "return", "break", "continue", "declare", NULL};

static const char *const kw_py[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await",
    "break", "class", "continue", "def", "del", "elif", "else", "except",
    "finally", "for", "from", "global", "if", "import", "in", "is",
    "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
    "while", "with", "yield", "match", "case", NULL};

static const char *const kw_perl[] = {
    "my", "our", "local", "sub", "if", "elsif", "else", "unless", "while",
    "until", "for", "foreach", "do", "last", "next", "redo", "return",
    "use", "no", "package", "require", "and", "or", "not", "eq", "ne", "lt",
    "gt", "le", "ge", "cmp", NULL};

static const char *const kw_ruby[] = {
    "alias", "and", "begin", "break", "case", "class", "def", "defined",
    "do", "else", "elsif", "end", "ensure", "false", "for", "if", "in",
    "module", "next", "nil", "not", "or", "redo", "rescue", "retry",
    "return", "self", "super", "then", "true", "undef", "unless", "until",
    "when", "while", "yield", NULL};

static const char *const kw_make[] = {
    "ifeq", "ifneq", "ifdef", "ifndef", "else", "endif", "include",
    "define", "endef", "override", "export", NULL};

static const char *const kw_kconfig[] = {
    "config", "menuconfig", "choice", "endchoice", "menu", "endmenu", "if",
    "endif", "source", "bool", "tristate", "string", "hex", "int",
    "default", "depends", "on", "select", "imply", "help", "prompt", NULL};

static const char *const kw_docker[] = {
    "FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY",
    "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD",
    "STOPSIGNAL", "HEALTHCHECK", "SHELL", "MAINTAINER", NULL};

static const struct h_lang h_langs[] = {
    [LP_LANG_SHELL] = {HF_WORDHASH | HF_SHELL_META | HF_ML_STR | HF_SQ_RAW |
                           HF_HEREDOC | HF_BACKTICK,
                       kw_sh},
    [LP_LANG_PYTHON] = {HF_TRIPLE | HF_PYPREFIX, kw_py},
    [LP_LANG_PERL] = {HF_ML_STR | HF_BACKTICK, kw_perl},
    [LP_LANG_RUBY] = {HF_ML_STR | HF_BACKTICK, kw_ruby},
    [LP_LANG_MAKE] = {0, kw_make},
    [LP_LANG_CMAKE] = {HF_ML_STR | HF_NO_SQ, NULL},
    [LP_LANG_KCONFIG] = {0, kw_kconfig},
    [LP_LANG_YAML] = {HF_WORDHASH | HF_SQ_RAW, NULL},
    [LP_LANG_TOML] = {HF_TRIPLE | HF_SQ_RAW, NULL},
    [LP_LANG_INI] = {HF_WORDHASH | HF_SEMI, NULL},
    [LP_LANG_DOCKERFILE] = {HF_WORDHASH, kw_docker},
};

/* The lexer of one call. A pending heredoc's delimiter is remembered from
 * the "<<" to the end of its line, where the body starts. */
struct hlex {
    struct lp_lex lx;
    unsigned flags;
    const struct lp_kwset *kw;
    const unsigned char *hd; /* pending heredoc delimiter, or NULL */
    size_t hd_len;
    bool hd_tabs; /* <<- : leading tabs of the terminator are ignored */
};

static bool is_nl(unsigned char c)
{
    return c == '\n' || c == '\r';
}

static const unsigned char *eol(const struct hlex *h, const unsigned char *p)
{
    while (p < h->lx.end && !is_nl(*p))
        p++;
    return p;
}

/* Whether the '#' at p starts a comment. */
static bool hash_comment(const struct hlex *h, const unsigned char *p)
{
    if (!(h->flags & HF_WORDHASH) || p == h->lx.buf)
        return true;
    unsigned char pr = p[-1];
    if (lp_lex_cc[pr] & (LP_CC_SP | LP_CC_NL))
        return true;
    return (h->flags & HF_SHELL_META) && pr && strchr(";&|()<>", pr);
}

/* End of a string opened at p by quote q: `n` quotes in a row for a triple
 * block (no escapes inside), else one. */
static const unsigned char *string_end(const struct hlex *h,
                                       const unsigned char *p)
{
    const unsigned char *end = h->lx.end;
    unsigned char q = *p;
    bool esc = !(q == '\'' && (h->flags & HF_SQ_RAW));
    bool ml = (h->flags & HF_ML_STR) != 0;

    if ((h->flags & HF_TRIPLE) && end - p >= 3 && p[1] == q && p[2] == q) {
        for (p += 3; p < end; p++) {
            if (*p == '\\' && esc && p + 1 < end)
                p++;
            else if (*p == q && end - p >= 3 && p[1] == q && p[2] == q)
                return p + 3;
        }
        return end;
    }
    for (p++; p < end; p++) {
        if (*p == q)
            return p + 1;
        if (*p == '\\' && esc && p + 1 < end)
            p += (end - p >= 3 && p[1] == '\r' && p[2] == '\n') ? 2 : 1;
        else if (is_nl(*p) && !ml)
            return p;
    }
    return end;
}

/* A Python string prefix: one or two of r b f u, any case. */
static bool py_prefix(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr("rRbBfFuU", s[i]))
            return false;
    return n >= 1 && n <= 2;
}

static lp_err lex_word(struct hlex *h, const unsigned char **pp)
{
    const unsigned char *s = *pp, *e = s, *end = h->lx.end;
    while (e < end && (lp_lex_cc[*e] & (LP_CC_ID | LP_CC_DIG)) && *e != '$')
        e++;
    if ((h->flags & HF_PYPREFIX) && e < end && (*e == '\'' || *e == '"') &&
        py_prefix(s, (size_t)(e - s))) {
        *pp = string_end(h, e);
        return lp_lex_emit_span(&h->lx, s, *pp, LP_TOK_STRING);
    }
    *pp = e;
    bool kw = lp_kwset_has(h->kw, s, (size_t)(e - s));
    return lp_lex_emit(&h->lx, s, e, kw ? LP_TOK_KEYWORD : LP_TOK_IDENT);
}

static lp_err lex_number(struct hlex *h, const unsigned char **pp)
{
    const unsigned char *s = *pp, *e = s, *end = h->lx.end;
    while (e < end && ((lp_lex_cc[*e] & (LP_CC_ID | LP_CC_DIG)) ||
                       (*e == '.' && e + 1 < end &&
                        (lp_lex_cc[e[1]] & LP_CC_DIG))) &&
           *e != '$')
        e++;
    *pp = e;
    return lp_lex_emit(&h->lx, s, e, LP_TOK_NUMBER);
}

/* '$': special parameters ($#, $?, $@, $$, $!, $*, $-, $0-$9) are one
 * identifier token, so that their '#' is no comment; else an operator. */
static lp_err lex_dollar(struct hlex *h, const unsigned char **pp)
{
    const unsigned char *s = *pp;
    size_t n = 1;
    if (s + 1 < h->lx.end && s[1] &&
        (strchr("#?@$!*-", s[1]) || (lp_lex_cc[s[1]] & LP_CC_DIG)))
        n = 2;
    *pp = s + n;
    return lp_lex_emit(&h->lx, s, s + n, n == 2 ? LP_TOK_IDENT : LP_TOK_OP);
}

/* After "<<" or "<<-" at p (length oplen): remembers the delimiter word,
 * unquoted, if there is one. */
static void heredoc_note(struct hlex *h, const unsigned char *p, size_t oplen)
{
    const unsigned char *q = p + oplen, *end = h->lx.end, *w;
    while (q < end && (*q == ' ' || *q == '\t'))
        q++;
    if (q < end && (*q == '\'' || *q == '"' || *q == '\\'))
        q++;
    if (q == end || !(lp_lex_cc[*q] & LP_CC_ID) || *q == '$')
        return; /* $((1<<2)), <<$var: no heredoc we can follow */
    for (w = q; w < end && ((lp_lex_cc[*w] & (LP_CC_ID | LP_CC_DIG)) ||
                            *w == '.' || *w == '-');
         w++)
        if (*w == '$')
            break;
    if (w == q)
        return;
    h->hd = q;
    h->hd_len = (size_t)(w - q);
    h->hd_tabs = oplen == 3;
}

/* Whether the line at p (up to its newline) is the heredoc terminator. */
static bool heredoc_term(const struct hlex *h, const unsigned char *p,
                         const unsigned char *e)
{
    if (h->hd_tabs)
        while (p < e && *p == '\t')
            p++;
    return (size_t)(e - p) == h->hd_len && memcmp(p, h->hd, h->hd_len) == 0;
}

/* At the start of the line after a "<<WORD" line: the body up to and
 * including the terminator line is one string (the rest if none). */
static lp_err heredoc_body(struct hlex *h, const unsigned char **pp)
{
    const unsigned char *s = *pp, *p = s, *end = h->lx.end;
    while (p < end) {
        const unsigned char *e = eol(h, p);
        if (heredoc_term(h, p, e)) {
            p = e;
            break;
        }
        p = e;
        if (p < end)
            p += (*p == '\r' && p + 1 < end && p[1] == '\n') ? 2 : 1;
    }
    h->hd = NULL;
    *pp = p;
    return p == s ? LP_OK : lp_lex_emit_span(&h->lx, s, p, LP_TOK_STRING);
}

/* Quotes, backslashes, heredoc openers and operators. */
static lp_err lex_punct(struct hlex *h, const unsigned char **pp)
{
    const unsigned char *s = *pp, *end = h->lx.end;
    unsigned char c = *s, nx = s + 1 < end ? s[1] : 0;
    size_t n;

    if ((c == '"' || (c == '\'' && !(h->flags & HF_NO_SQ)) ||
         (c == '`' && (h->flags & HF_BACKTICK)))) {
        *pp = string_end(h, s);
        return lp_lex_emit_span(&h->lx, s, *pp, LP_TOK_STRING);
    }
    if (c == '\\' && is_nl(nx)) {
        *pp = s + 2 + (nx == '\r' && s + 2 < end && s[2] == '\n');
        h->lx.line++;
        return LP_OK;
    }
    if (c == '\\')
        n = s + 1 < end ? 2 : 1; /* an escaped byte: \# \" \$ */
    else
        n = lp_lex_op_len(s, end);
    if ((h->flags & HF_HEREDOC) && c == '<' && n == 2 && s[1] == '<') {
        if (s + 2 < end && s[2] == '-')
            n = 3;
        if (!(s + 2 < end && s[2] == '<'))
            heredoc_note(h, s, n);
    }
    *pp = s + n;
    return lp_lex_emit(&h->lx, s, s + n, LP_TOK_OP);
}

/* A newline at p: counts it; after a "<<WORD" line lexes the body. */
static lp_err lex_newline(struct hlex *h, const unsigned char **pp)
{
    const unsigned char *p = *pp;
    if (*p == '\r' && p + 1 < h->lx.end && p[1] == '\n')
        p++;
    h->lx.line++;
    *pp = p + 1;
    return h->hd ? heredoc_body(h, pp) : LP_OK;
}

/* The main loop dispatches on the class of each token's first byte. */
static lp_err lex_all(struct hlex *h)
{
    const unsigned char *p = h->lx.buf, *end = h->lx.end;
    lp_err err = LP_OK;
    bool bol = true; /* only spaces since the start of the line */

    while (p < end && !err) {
        unsigned char ch = *p;
        uint8_t k = lp_lex_cc[ch];
        if (k & (LP_CC_SP | LP_CC_CTRL)) {
            p++;
            continue;
        }
        if (k & LP_CC_NL) {
            err = lex_newline(h, &p);
            bol = true;
            continue;
        }
        if ((ch == '#' && hash_comment(h, p)) ||
            (ch == ';' && bol && (h->flags & HF_SEMI))) {
            p = eol(h, p);
            continue;
        }
        bol = false;
        if (ch == '$')
            err = lex_dollar(h, &p);
        else if (k & LP_CC_ID)
            err = lex_word(h, &p);
        else if (k & LP_CC_DIG)
            err = lex_number(h, &p);
        else
            err = lex_punct(h, &p);
    }
    return err;
}

#define NLANGS (sizeof h_langs / sizeof h_langs[0])

/* Each language's keyword set, built once. */
static struct lp_kwset h_kwsets[NLANGS];
static pthread_once_t h_kw_once = PTHREAD_ONCE_INIT;

static void build_keywords(void)
{
    for (size_t l = 0; l < NLANGS; l++)
        lp_kwset_build(&h_kwsets[l], h_langs[l].kw);
}

lp_err lp_lex_hashc(enum lp_lang lang, struct lp_lex *lx)
{
    struct hlex h;

    memset(&h, 0, sizeof h);
    h.lx = *lx;
    h.flags = h_langs[lang].flags;
    pthread_once(&h_kw_once, build_keywords);
    h.kw = &h_kwsets[lang];
    lp_err err = lex_all(&h);
    *lx = h.lx;
    return err;
}
