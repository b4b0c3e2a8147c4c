/* SPDX-License-Identifier: Apache-2.0
 *
 * regions: code regions of a host's text, found line by line (see
 * regions.h). Prose seldom ends a line with ';', '{' or '}', and almost
 * never three times in a few lines; code does it on most lines.
 */
#include "regions.h"

#include <string.h>

#include "mem.h"

#include "banned.h"

/* Other (non-blank, not code) lines allowed in a row inside a region:
 * wrapped conditions and expressions, short comments. */
#define REGION_GAP 3
/* Blank lines allowed in a row inside a region (between functions). */
#define REGION_BLANKS 2
/* Code lines a region needs at least. */
#define REGION_MIN_CODE 3

void lp_regions_init(struct lp_regions *r)
{
    memset(r, 0, sizeof *r);
}

void lp_regions_release(struct lp_regions *r)
{
    if (!r)
        return;
    lp_free(r->v);
    memset(r, 0, sizeof *r);
}

static bool is_ident(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
}

static inline bool starts_n(const char *b, const char *e, const char *w,
                            size_t n)
{
    return (size_t)(e - b) >= n && memcmp(b, w, n) == 0;
}

/* A word w at b followed by the end of the line or a byte that is not
 * part of an identifier. */
static inline bool starts_word_n(const char *b, const char *e, const char *w,
                                 size_t n)
{
    return starts_n(b, e, w, n) &&
           (b + n == e || !is_ident((unsigned char)b[n]));
}

/* Of a string literal w: its length is known where it is written. */
#define starts(b, e, w) starts_n(b, e, w, sizeof(w) - 1)
#define starts_word(b, e, w) starts_word_n(b, e, w, sizeof(w) - 1)

/* A preprocessor directive: '#', spaces, a directive's name. */
static bool directive(const char *b, const char *e)
{
    static const char *const names[] = {
        "include", "define", "undef", "if", "ifdef", "ifndef", "elif",
        "else", "endif", "pragma", "error", NULL};
    if (b == e || *b != '#')
        return false;
    for (b++; b < e && (*b == ' ' || *b == '\t'); b++)
        ;
    for (const char *const *n = names; *n; n++)
        if (starts_word_n(b, e, *n, strlen(*n)))
            return true;
    return false;
}

/* Some identifier byte right before a '(': a call or a declarator, as in
 * "f(x)", not the "(see below)" of prose. */
static bool has_call(const char *b, const char *e)
{
    for (const char *p = b + 1; p < e; p++) {
        p = memchr(p, '(', (size_t)(e - p));
        if (!p)
            return false;
        if (is_ident((unsigned char)p[-1]))
            return true;
    }
    return false;
}

/* Words of the line (runs of identifier bytes), up to 4. */
static unsigned words(const char *b, const char *e)
{
    unsigned n = 0;
    for (const char *p = b; p < e && n < 4; p++)
        if (is_ident((unsigned char)*p) &&
            (p == b || !is_ident((unsigned char)p[-1])))
            n++;
    return n;
}

/* A texinfo command ("@end example"), not an escape ("@}"). */
static bool texinfo_command(const char *b, const char *e)
{
    return b < e && *b == '@' &&
           !(b + 1 < e && (b[1] == '{' || b[1] == '}' || b[1] == '@'));
}

/* lp_code_line(), inlined in lp_code_regions() (a call per line of
 * every comment and prose text cost a fifth of the time there). */
static inline __attribute__((always_inline)) bool code_line(const char *b,
                                                            const char *e)
{
    while (b < e && (*b == ' ' || *b == '\t'))
        b++;
    while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        e--;
    if (b == e)
        return false;
    if (*b == '#')
        return directive(b, e);
    if (*b == '\\' || texinfo_command(b, e))
        return false;
    char last = e[-1];
    if (last == '{' || last == '}')
        return true;
    if (last == ';') {
        /* "return x;", "a = f(b);"; not a sentence wrapped at a ';' */
        for (const char *p = b; p < e; p++)
            if (*p == '(' || *p == '=' || *p == '[' || *p == '-' ||
                *p == '*' || *p == '&')
                return true;
        return words(b, e) <= 3;
    }
    if (last == ')' || last == ',')
        return has_call(b, e);
    if (last == ':')
        return starts_word(b, e, "case") || starts_word(b, e, "default") ||
               starts_word(b, e, "public") || starts_word(b, e, "private");
    return (e - b == 4 && memcmp(b, "else", 4) == 0) ||
           (e - b == 2 && memcmp(b, "do", 2) == 0);
}

bool lp_code_line(const char *b, const char *e)
{
    return code_line(b, e);
}

/* A line that ends any region: a Markdown fence, a texinfo command, a
 * reStructuredText directive. */
static bool breaks_region(const char *b, const char *e)
{
    while (b < e && (*b == ' ' || *b == '\t'))
        b++;
    return starts(b, e, "```") || starts(b, e, "~~~") ||
           texinfo_command(b, e) || starts(b, e, ".. ");
}

static bool blank(const char *b, const char *e)
{
    for (; b < e; b++)
        if (*b != ' ' && *b != '\t' && *b != '\r' && *b != '\f')
            return false;
    return true;
}

/* The region being built. */
struct building {
    bool open;
    size_t off, end;   /* first code line's start, last code line's end */
    uint32_t line;     /* first code line's number */
    size_t code, other; /* code lines, other non-blank lines since `off` */
    size_t gap, blanks; /* other and blank lines since the last code line */
};

static lp_err close_region(struct building *r, struct lp_regions *out)
{
    lp_err err = LP_OK;
    if (r->open && r->code >= REGION_MIN_CODE && r->code >= r->other) {
        if (out->n == out->cap &&
            !lp_grow((void **)&out->v, &out->cap, out->n + 1, sizeof *out->v))
            err = LP_ENOMEM;
        else
            out->v[out->n++] = (struct lp_region){r->off, r->end - r->off,
                                                  r->line};
    }
    memset(r, 0, sizeof *r);
    return err;
}

lp_err lp_code_regions(const char *text, size_t len, uint32_t line0,
                       struct lp_regions *out)
{
    struct building r = {0};
    uint32_t line = line0;
    size_t i = 0;
    lp_err err = LP_OK;
    if (!text)
        return LP_OK;
    while (i < len && !err) {
        const char *b = text + i;
        const char *nl = memchr(b, '\n', len - i);
        const char *e = nl ? nl : text + len;
        /* the indent, skipped once for code_line() and blank() */
        while (b < e && (*b == ' ' || *b == '\t'))
            b++;
        if (code_line(b, e)) {
            if (!r.open) {
                r.open = true;
                r.off = i;
                r.line = line;
            }
            r.code++;
            r.other += r.gap;
            r.gap = r.blanks = 0;
            r.end = (size_t)(e - text);
        } else if (blank(b, e)) {
            if (r.open && ++r.blanks > REGION_BLANKS)
                err = close_region(&r, out);
        } else if (r.open) {
            if (++r.gap > REGION_GAP || breaks_region(b, e))
                err = close_region(&r, out);
        }
        i = nl ? (size_t)(nl - text) + 1 : len;
        if (line < UINT32_MAX)
            line++;
    }
    if (!err)
        err = close_region(&r, out);
    return err;
}

void lp_comment_unwrap(char *s, size_t len)
{
    size_t i = 0;
    /* the closing marker, after trailing spaces */
    size_t e = len;
    while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t' ||
                     s[e - 1] == '\n' || s[e - 1] == '\r'))
        e--;
    if (e >= 2 && s[e - 2] == '*' && s[e - 1] == '/')
        s[e - 2] = s[e - 1] = ' ';
    while (i < len) {
        while (i < len && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i + 1 < len && s[i] == '/' && s[i + 1] == '/') {
            s[i] = s[i + 1] = ' ';
            i += 2;
            if (i < len && (s[i] == '/' || s[i] == '!'))
                s[i++] = ' ';
        } else if (i + 1 < len && s[i] == '/' && s[i + 1] == '*') {
            s[i] = s[i + 1] = ' ';
            i += 2;
            while (i < len && s[i] == '*')
                s[i++] = ' ';
        } else if (i < len && s[i] == '*' && (i + 1 == len || s[i + 1] != '/')) {
            s[i++] = ' ';
        }
        const char *nl = memchr(s + i, '\n', len - i);
        i = nl ? (size_t)(nl - s) + 1 : len;
    }
}

void lp_texinfo_unescape(char *s, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++)
        if (s[i] == '@' && (s[i + 1] == '{' || s[i + 1] == '}' ||
                            s[i + 1] == '@')) {
            s[i] = ' ';
            i++;
        }
}
