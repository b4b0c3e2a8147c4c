/* SPDX-License-Identifier: Apache-2.0
 *
 * normalize_c: one table-driven lexer for the C family (C, C++, ObjC, Java,
 * JS, TS, Go, Rust, C#, Kotlin, Swift). A small struct per language says
 * which comment, string and raw-string forms exist and lists its keywords;
 * the scanning code is shared. Comments, spaces, newlines and
 * backslash-newline continuations are layout and yield no token; the
 * preprocessor is not interpreted ('#' is an operator, 'include' a keyword).
 *
 * Unterminated forms: a '...' or "..." literal that may not span lines ends
 * before the newline; block comments, raw and multi-line strings run to the
 * end of the input. Every scan checks `p < end` before reading *p.
 */
#include <pthread.h>
#include <string.h>

#include "normalize_int.h"

#include "banned.h"

enum c_flags {
    CF_NEST = 1 << 0,     /* block comments nest (Rust, Swift, Kotlin) */
    CF_CPP_RAW = 1 << 1,  /* R"delim(...)delim" (C++, ObjC++) */
    CF_RUST_RAW = 1 << 2, /* r#"..."#, br"...", b'x' */
    CF_BT_ESC = 1 << 3,   /* `template ${x}` with escapes (JS, TS) */
    CF_BT_RAW = 1 << 4,   /* `raw` without escapes (Go) */
    CF_VERBATIM = 1 << 5, /* @"..." with "" for a quote (C#) */
    CF_TRIPLE = 1 << 6,   /* """ multi-line """ (Java, Kotlin, Swift, C#) */
    CF_ML_STR = 1 << 7,   /* "..." may span lines (Rust) */
    CF_DIGSEP = 1 << 8,   /* 1'000'000 (C23, C++14) */
    CF_LC_CONT = 1 << 9,  /* backslash-newline continues a // comment */
    CF_LIFETIME = 1 << 10 /* 'a is a lifetime, not a char (Rust) */
};

struct c_lang {
    unsigned flags;
    const char *const *kw1, *const *kw2; /* keyword lists, NULL-terminated */
};

#define C_PP "define", "undef", "include", "ifdef", "ifndef", "elif", \
    "endif", "pragma", "defined"

static const char *const kw_c[] = {
    "auto", "break", "case", "char", "const", "continue", "default", "do",
    "double", "else", "enum", "extern", "float", "for", "goto", "if",
    "inline", "int", "long", "register", "restrict", "return", "short",
    "signed", "sizeof", "static", "struct", "switch", "typedef", "union",
    "unsigned", "void", "volatile", "while", "_Bool", "_Complex",
    "_Imaginary", "_Alignas", "_Alignof", "_Atomic", "_Generic", "_Noreturn",
    "_Static_assert", "_Thread_local", "bool", "true", "false", "nullptr",
    "alignas", "alignof", "static_assert", "thread_local", "typeof", C_PP,
    NULL};

static const char *const kw_cpp[] = {
    "and", "and_eq", "asm", "bitand", "bitor", "catch", "char8_t",
    "char16_t", "char32_t", "class", "co_await", "co_return", "co_yield",
    "compl", "concept", "consteval", "constexpr", "constinit", "const_cast",
    "decltype", "delete", "dynamic_cast", "explicit", "export", "friend",
    "mutable", "namespace", "new", "noexcept", "not", "not_eq", "operator",
    "or", "or_eq", "private", "protected", "public", "reinterpret_cast",
    "requires", "static_cast", "template", "this", "throw", "try", "typeid",
    "typename", "using", "virtual", "wchar_t", "xor", "xor_eq", "override",
    "final", NULL};

static const char *const kw_objc[] = {
    "interface", "implementation", "end", "property", "synthesize",
    "protocol", "selector", "class", "optional", "required", "dynamic",
    "encode", "autoreleasepool", "self", "super", "nil", "Nil", "YES", "NO",
    "id", "instancetype", "nonatomic", "atomic", "strong", "weak",
    "readonly", "readwrite", NULL};

static const char *const kw_java[] = {
    "abstract", "assert", "boolean", "break", "byte", "case", "catch",
    "char", "class", "const", "continue", "default", "do", "double", "else",
    "enum", "extends", "final", "finally", "float", "for", "goto", "if",
    "implements", "import", "instanceof", "int", "interface", "long",
    "native", "new", "package", "private", "protected", "public", "return",
    "short", "static", "strictfp", "super", "switch", "synchronized", "this",
    "throw", "throws", "transient", "try", "void", "volatile", "while",
    "var", "record", "yield", "sealed", "permits", "true", "false", "null",
    NULL};

static const char *const kw_js[] = {
    "break", "case", "catch", "class", "const", "continue", "debugger",
    "default", "delete", "do", "else", "export", "extends", "finally", "for",
    "function", "if", "import", "in", "instanceof", "new", "return", "super",
    "switch", "this", "throw", "try", "typeof", "var", "void", "while",
    "with", "yield", "let", "static", "async", "await", "of", "true",
    "false", "null", "undefined", NULL};

static const char *const kw_ts[] = {
    "abstract", "any", "as", "boolean", "declare", "enum", "implements",
    "interface", "keyof", "module", "namespace", "never", "number",
    "private", "protected", "public", "readonly", "string", "symbol", "type",
    "unknown", "is", "infer", "satisfies", NULL};

static const char *const kw_go[] = {
    "break", "case", "chan", "const", "continue", "default", "defer",
    "else", "fallthrough", "for", "func", "go", "goto", "if", "import",
    "interface", "map", "package", "range", "return", "select", "struct",
    "switch", "type", "var", "nil", "true", "false", "iota", NULL};

static const char *const kw_rust[] = {
    "as", "async", "await", "break", "const", "continue", "crate", "dyn",
    "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in",
    "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "union", "macro_rules", NULL};

static const char *const kw_csharp[] = {
    "abstract", "as", "base", "bool", "break", "byte", "case", "catch",
    "char", "checked", "class", "const", "continue", "decimal", "default",
    "delegate", "do", "double", "else", "enum", "event", "explicit",
    "extern", "false", "finally", "fixed", "float", "for", "foreach", "goto",
    "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
    "long", "namespace", "new", "null", "object", "operator", "out",
    "override", "params", "private", "protected", "public", "readonly",
    "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc",
    "static", "string", "struct", "switch", "this", "throw", "true", "try",
    "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort", "using",
    "virtual", "void", "volatile", "while", "var", "async", "await", "get",
    "set", "yield", "record", NULL};

static const char *const kw_kotlin[] = {
    "as", "break", "class", "continue", "do", "else", "false", "for", "fun",
    "if", "in", "interface", "is", "null", "object", "package", "return",
    "super", "this", "throw", "true", "try", "typealias", "typeof", "val",
    "var", "when", "while", "by", "catch", "constructor", "finally", "get",
    "import", "init", "set", "where", "abstract", "companion", "data",
    "enum", "inline", "internal", "lateinit", "open", "override", "private",
    "protected", "public", "sealed", "suspend", NULL};

static const char *const kw_swift[] = {
    "associatedtype", "class", "deinit", "enum", "extension", "fileprivate",
    "func", "import", "init", "inout", "internal", "let", "open",
    "operator", "private", "protocol", "public", "rethrows", "static",
    "struct", "subscript", "typealias", "var", "break", "case", "continue",
    "default", "defer", "do", "else", "fallthrough", "for", "guard", "if",
    "in", "repeat", "return", "switch", "where", "while", "as", "catch",
    "false", "is", "nil", "super", "self", "Self", "throw", "throws", "true",
    "try", "async", "await", NULL};

static const struct c_lang c_langs[] = {
    [LP_LANG_C] = {CF_DIGSEP | CF_LC_CONT, kw_c, NULL},
    [LP_LANG_CPP] = {CF_CPP_RAW | CF_DIGSEP | CF_LC_CONT, kw_c, kw_cpp},
    [LP_LANG_OBJC] = {CF_CPP_RAW | CF_DIGSEP | CF_LC_CONT, kw_c, kw_objc},
    [LP_LANG_JAVA] = {CF_TRIPLE, kw_java, NULL},
    [LP_LANG_JS] = {CF_BT_ESC, kw_js, NULL},
    [LP_LANG_TS] = {CF_BT_ESC, kw_js, kw_ts},
    [LP_LANG_GO] = {CF_BT_RAW, kw_go, NULL},
    [LP_LANG_RUST] = {CF_NEST | CF_RUST_RAW | CF_ML_STR | CF_LIFETIME,
                      kw_rust, NULL},
    [LP_LANG_CSHARP] = {CF_VERBATIM | CF_TRIPLE, kw_csharp, NULL},
    [LP_LANG_KOTLIN] = {CF_NEST | CF_TRIPLE, kw_kotlin, NULL},
    [LP_LANG_SWIFT] = {CF_NEST | CF_TRIPLE, kw_swift, NULL},
};

/* The lexer of one call: cursor, language, keywords. */
struct clex {
    struct lp_lex lx;
    unsigned flags;
    const struct lp_kwset *kw;
};

#define NLANGS (sizeof c_langs / sizeof c_langs[0])

/* Each language's keyword set (the union of its two lists), built once. */
static struct lp_kwset c_kwsets[NLANGS];
static pthread_once_t c_kw_once = PTHREAD_ONCE_INIT;

static void build_keywords(void)
{
    for (size_t l = 0; l < NLANGS; l++) {
        lp_kwset_build(&c_kwsets[l], c_langs[l].kw1);
        for (const char *const *w = c_langs[l].kw2; w && *w; w++)
            lp_kwset_add(&c_kwsets[l], *w);
    }
}

static bool is_nl(unsigned char c)
{
    return c == '\n' || c == '\r';
}

/* First newline byte in [p, end), or end. */
static const unsigned char *find_nl(const unsigned char *p,
                                    const unsigned char *end)
{
    while (end - p >= 8) {
        uint64_t w = lp_swar_load(p);
        unsigned k = lp_swar_first(lp_swar_ne(w, '\n') & lp_swar_ne(w, '\r'));
        p += k;
        if (k < 8)
            return p;
    }
    while (p < end && !is_nl(*p))
        p++;
    return p;
}

/* End of a // comment: the newline (not consumed), or the end; with
 * CF_LC_CONT a backslash just before the newline continues it. Counts the
 * continued lines into the line counter as it goes. */
static const unsigned char *line_comment_end(struct clex *c,
                                             const unsigned char *p)
{
    const unsigned char *end = c->lx.end, *start = p;
    for (;;) {
        p = find_nl(p, end);
        if (p == end || !(c->flags & CF_LC_CONT) || p == start ||
            p[-1] != '\\')
            return p;
        c->lx.line++;
        p += (*p == '\r' && p + 1 < end && p[1] == '\n') ? 2 : 1;
    }
}

/* Skips comment text: bytes other than '*', '/' and newlines. Stops with
 * fewer than 8 bytes left; the caller's byte loop does the rest. */
static const unsigned char *skip_comment_text(const unsigned char *p,
                                              const unsigned char *end)
{
    while (end - p >= 8) {
        uint64_t w = lp_swar_load(p);
        unsigned k = lp_swar_first(lp_swar_ne(w, '*') & lp_swar_ne(w, '/') &
                                   lp_swar_ne(w, '\n') & lp_swar_ne(w, '\r'));
        p += k;
        if (k < 8)
            break;
    }
    return p;
}

/* End of a block comment opened at p ("/" "*"), past its close or at end.
 * Counts its newlines into the line counter in the same pass. */
static const unsigned char *block_comment_end(struct clex *c,
                                              const unsigned char *p)
{
    const unsigned char *end = c->lx.end;
    size_t depth = 1, nl = 0;
    p += 2;
    while (p + 1 < end) {
        if (p[0] == '*' && p[1] == '/') {
            p += 2;
            if (--depth == 0)
                break;
        } else if (p[0] == '/' && p[1] == '*' && (c->flags & CF_NEST)) {
            depth++;
            p += 2;
        } else {
            nl += lp_lex_nl_at(&c->lx, p);
            p = skip_comment_text(p + 1, end);
        }
    }
    if (depth)
        for (; p < end; p++)
            nl += lp_lex_nl_at(&c->lx, p);
    c->lx.line += nl;
    return depth ? end : p;
}

/* End of a quoted literal opened by the quote at p: escapes with a
 * backslash when `esc`; stops before a newline unless `multiline`. */
static const unsigned char *quoted_end(const struct clex *c,
                                       const unsigned char *p, bool esc,
                                       bool multiline)
{
    const unsigned char *end = c->lx.end;
    unsigned char q = *p++;
    while (p < end) {
        unsigned char ch = *p;
        if (ch == q)
            return p + 1;
        if (ch == '\\' && esc) {
            /* an escaped "\r\n" continues the literal as "\n" does */
            if (end - p >= 3 && p[1] == '\r' && p[2] == '\n')
                p++;
            p += (p + 1 < end) ? 2 : 1;
            continue;
        }
        if (is_nl(ch) && !multiline)
            return p;
        p++;
    }
    return end;
}

/* End of a literal of `q` quotes ("""...""" or C#'s """"...""""). */
static const unsigned char *triple_end(const struct clex *c,
                                       const unsigned char *p, size_t q)
{
    const unsigned char *end = c->lx.end;
    p += q;
    while (p < end) {
        size_t run = 0;
        while (p + run < end && p[run] == '"')
            run++;
        if (run >= q)
            return p + run;
        p += run ? run : 1;
    }
    return end;
}

/* End of a C# verbatim string @"..." where "" stands for a quote; p points
 * at the opening quote. */
static const unsigned char *verbatim_end(const struct clex *c,
                                         const unsigned char *p)
{
    const unsigned char *end = c->lx.end;
    for (p++; p < end; p++) {
        if (*p != '"')
            continue;
        if (p + 1 < end && p[1] == '"')
            p++;
        else
            return p + 1;
    }
    return end;
}

/* C++ raw string: p points at the quote after R. NULL if the delimiter is
 * malformed (then it is an ordinary string). */
static const unsigned char *cpp_raw_end(const struct clex *c,
                                        const unsigned char *p)
{
    const unsigned char *end = c->lx.end, *d = p + 1, *q = d;
    while (q < end && q - d <= 16 && *q != '(') {
        if (*q == ')' || *q == '\\' || *q == '"' || *q == ' ' ||
            lp_lex_cc[*q] & (LP_CC_NL | LP_CC_SP | LP_CC_CTRL))
            return NULL;
        q++;
    }
    if (q == end || *q != '(')
        return NULL;
    size_t dn = (size_t)(q - d);
    for (q++; q < end; q++) {
        if (*q == ')' && (size_t)(end - q) >= dn + 2 &&
            memcmp(q + 1, d, dn) == 0 && q[dn + 1] == '"')
            return q + dn + 2;
    }
    return end;
}

/* Rust raw string: p points at the first '#' or the quote after r/br/cr.
 * NULL if no quote follows the hashes. */
static const unsigned char *rust_raw_end(const struct clex *c,
                                         const unsigned char *p)
{
    const unsigned char *end = c->lx.end;
    size_t h = 0;
    while (p < end && *p == '#') {
        h++;
        p++;
    }
    if (p == end || *p != '"')
        return NULL;
    for (p++; p < end; p++) {
        if (*p != '"' || (size_t)(end - p - 1) < h)
            continue;
        size_t i = 0;
        while (i < h && p[1 + i] == '#')
            i++;
        if (i == h)
            return p + 1 + h;
    }
    return end;
}

/* Number: digits, letters (hex, suffixes, exponents), '_', '.', a sign
 * after an exponent letter, and with CF_DIGSEP a quote between digits. */
static const unsigned char *number_end(const struct clex *c,
                                       const unsigned char *p)
{
    const unsigned char *end = c->lx.end;
    for (p++; p < end; p++) {
        unsigned char ch = *p, nx = p + 1 < end ? p[1] : 0;
        if (lp_lex_cc[ch] & (LP_CC_ID | LP_CC_DIG)) {
            if ((ch | 0x20) == 'e' || (ch | 0x20) == 'p')
                if (nx == '+' || nx == '-')
                    p++;
            continue;
        }
        if (ch == '.' && nx != '.' &&
            (!(lp_lex_cc[nx] & LP_CC_ID) || strchr("eEfFlLdD", nx)))
            continue;
        if (ch == '\'' && (c->flags & CF_DIGSEP) &&
            (lp_lex_cc[nx] & (LP_CC_ID | LP_CC_DIG)))
            continue;
        break;
    }
    return p;
}

/* End of an identifier run. */
static const unsigned char *ident_end(const struct clex *c,
                                      const unsigned char *p)
{
    return lp_lex_ident_run(p, c->lx.end);
}

/* Literal prefixes that make an identifier the start of a string: C++
 * raw strings, Rust raw and byte strings. Returns the literal's end, or
 * NULL when [s, e) is a plain identifier. */
static const unsigned char *prefixed_literal(const struct clex *c,
                                             const unsigned char *s,
                                             const unsigned char *e)
{
    size_t n = (size_t)(e - s);
    if (e == c->lx.end || n > 3)
        return NULL;
    if ((c->flags & CF_CPP_RAW) && *e == '"' && s[n - 1] == 'R' &&
        (n == 1 || (n == 2 && strchr("uUL", s[0])) ||
         (n == 3 && s[0] == 'u' && s[1] == '8')))
        return cpp_raw_end(c, e);
    if (!(c->flags & CF_RUST_RAW))
        return NULL;
    bool pre = n == 1 || (n == 2 && (s[0] == 'b' || s[0] == 'c'));
    if (pre && s[n - 1] == 'r' && (*e == '"' || *e == '#'))
        return rust_raw_end(c, e);
    if (n == 1 && (s[0] == 'b' || s[0] == 'c') && (*e == '"' || *e == '\''))
        return quoted_end(c, e, true, *e == '"');
    return NULL;
}

static lp_err lex_ident(struct clex *c, const unsigned char **pp)
{
    const unsigned char *s = *pp, *e = ident_end(c, s), *lit;
    int cls = LP_TOK_IDENT;

    if ((lit = prefixed_literal(c, s, e)) != NULL) {
        *pp = lit;
        return lp_lex_emit_span(&c->lx, s, lit, LP_TOK_STRING);
    }
    if (lp_kwset_has(c->kw, s, (size_t)(e - s)))
        cls = LP_TOK_KEYWORD;
    *pp = e;
    return lp_lex_emit(&c->lx, s, e, cls);
}

/* A single quote: a char literal, or in Rust a lifetime 'a (an identifier
 * run not closed by a quote). */
static lp_err lex_squote(struct clex *c, const unsigned char **pp)
{
    const unsigned char *s = *pp, *e;
    if ((c->flags & CF_LIFETIME) && s + 1 < c->lx.end &&
        (lp_lex_cc[s[1]] & LP_CC_ID)) {
        e = ident_end(c, s + 1);
        if (e == c->lx.end || *e != '\'') {
            *pp = e;
            return lp_lex_emit(&c->lx, s, e, LP_TOK_IDENT);
        }
    }
    e = quoted_end(c, s, true, false);
    *pp = e;
    return lp_lex_emit_span(&c->lx, s, e, LP_TOK_STRING);
}

/* A double quote: a triple-quoted block, or an ordinary string. */
static lp_err lex_dquote(struct clex *c, const unsigned char **pp)
{
    const unsigned char *s = *pp, *e, *end = c->lx.end;
    size_t q = 0;
    if (c->flags & CF_TRIPLE)
        while (s + q < end && s[q] == '"')
            q++;
    if (q >= 3)
        e = triple_end(c, s, q);
    else
        e = quoted_end(c, s, true, (c->flags & CF_ML_STR) != 0);
    *pp = e;
    return lp_lex_emit_span(&c->lx, s, e, LP_TOK_STRING);
}

/* Records the comment [s, e) that starts on `line`. */
static lp_err note_comment(struct clex *c, const unsigned char *s,
                           const unsigned char *e, size_t line)
{
    struct lp_tokens *t = c->lx.out;
    if (line > LP_MAX_LINES)
        return LP_OK;
    if (t->ncm == t->capcm &&
        !lp_grow((void **)&t->cm, &t->capcm, t->ncm + 1, sizeof *t->cm))
        return LP_ENOMEM;
    t->cm[t->ncm++] = (struct lp_comment){(size_t)(s - c->lx.buf),
                                          (size_t)(e - s), (uint32_t)line};
    return LP_OK;
}

/* Punctuation: comments, backtick strings, C# verbatim strings, numbers
 * starting with '.', line continuations, operators. */
static lp_err lex_punct(struct clex *c, const unsigned char **pp)
{
    const unsigned char *s = *pp, *end = c->lx.end, *e;
    unsigned char nx = s + 1 < end ? s[1] : 0;

    if (*s == '/' && (nx == '/' || nx == '*')) {
        /* both count the comment's newlines themselves */
        size_t line = c->lx.line;
        *pp = nx == '/' ? line_comment_end(c, s) : block_comment_end(c, s);
        return note_comment(c, s, *pp, line);
    }
    if (*s == '\\' && is_nl(nx)) {
        e = s + 2 + (nx == '\r' && s + 2 < end && s[2] == '\n');
        c->lx.line++;
        *pp = e;
        return LP_OK;
    }
    if (*s == '`' && (c->flags & (CF_BT_ESC | CF_BT_RAW)))
        e = quoted_end(c, s, (c->flags & CF_BT_ESC) != 0, true);
    else if (*s == '@' && nx == '"' && (c->flags & CF_VERBATIM))
        e = verbatim_end(c, s + 1);
    else if (*s == '.' && (lp_lex_cc[nx] & LP_CC_DIG)) {
        *pp = number_end(c, s);
        return lp_lex_emit(&c->lx, s, *pp, LP_TOK_NUMBER);
    } else {
        *pp = s + lp_lex_op_len(s, end);
        return lp_lex_emit(&c->lx, s, *pp, LP_TOK_OP);
    }
    *pp = e;
    return lp_lex_emit_span(&c->lx, s, e, LP_TOK_STRING);
}

/* The main loop dispatches on the class of each token's first byte. */
static lp_err lex_all(struct clex *c)
{
    const unsigned char *p = c->lx.buf, *end = c->lx.end;
    lp_err err = LP_OK;

    while (p < end && !err) {
        unsigned char ch = *p;
        uint8_t k = lp_lex_cc[ch];
        if (k & (LP_CC_SP | LP_CC_CTRL)) {
            /* indentation comes in runs */
            do
                p++;
            while (p < end && (lp_lex_cc[*p] & (LP_CC_SP | LP_CC_CTRL)));
        } else if (ch == '\n') {
            c->lx.line++;
            p++;
        } else if (ch == '\r') {
            if (p + 1 == end || p[1] != '\n')
                c->lx.line++;
            p++;
        } else if (k & LP_CC_ID) {
            err = lex_ident(c, &p);
        } else if (k & LP_CC_DIG) {
            const unsigned char *s = p;
            p = number_end(c, p);
            err = lp_lex_emit(&c->lx, s, p, LP_TOK_NUMBER);
        } else if (ch == '"') {
            err = lex_dquote(c, &p);
        } else if (ch == '\'') {
            err = lex_squote(c, &p);
        } else {
            err = lex_punct(c, &p);
        }
    }
    return err;
}

lp_err lp_lex_c(enum lp_lang lang, struct lp_lex *lx)
{
    struct clex c;
    const struct c_lang *cl = &c_langs[lang];

    c.lx = *lx;
    c.flags = cl->flags;
    pthread_once(&c_kw_once, build_keywords);
    c.kw = &c_kwsets[lang];
    lp_err err = lex_all(&c);
    *lx = c.lx;
    return err;
}
