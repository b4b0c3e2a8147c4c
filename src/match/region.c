/* SPDX-License-Identifier: Apache-2.0
 *
 * region: absolute size and information of a matched region (region.h).
 */
#include "region.h"

#include <stdbool.h>
#include <string.h>

#include "banned.h"

/* Offset of the first byte of line `line` (1-based), len when past the end. */
static size_t line_start(const char *text, size_t len, uint32_t line)
{
    size_t i = 0;
    for (uint32_t l = 1; l < line && i < len; i++)
        if (text[i] == '\n')
            l++;
    return i;
}

/* Offset just past line `last`, from `from` (the start of line `first`). */
static size_t line_end(const char *text, size_t len, size_t from,
                       uint32_t first, uint32_t last)
{
    size_t i = from;
    for (uint32_t l = first; i < len; i++)
        if (text[i] == '\n' && l++ == last)
            break;
    return i;
}

static bool is_word(unsigned char c)
{
    return c == '_' || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z') ||
           c >= 0x80;
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

size_t lp_region_count_tokens(const char *text, size_t len)
{
    size_t i = 0, n = 0;
    while (i < len) {
        unsigned char c = (unsigned char)text[i];
        if (is_space(c)) {
            i++;
        } else if (is_word(c)) {
            while (i < len && is_word((unsigned char)text[i]))
                i++;
            n++;
        } else {
            i++;
            n++;
        }
    }
    return n;
}

size_t lp_region_tokens(const char *text, size_t len, uint32_t first,
                        uint32_t last)
{
    if (!text || first > last)
        return 0;
    size_t i = line_start(text, len, first);
    size_t end = line_end(text, len, i, first, last);
    return lp_region_count_tokens(text + i, end - i);
}

/* FNV-1a of a word. */
static uint32_t word_hash(const char *w, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)w[i]) * 16777619u;
    return h ? h : 1;
}

size_t lp_region_words(const char *text, size_t len,
                       const struct lp_line_range *r, size_t n, size_t cap)
{
    struct lp_word_set ws;
    size_t d = 0;
    if (!text)
        return 0;
    lp_word_set_init(&ws);
    for (size_t k = 0; k < n && d < cap; k++) {
        if (r[k].first > r[k].last)
            continue;
        size_t a = line_start(text, len, r[k].first);
        size_t b = line_end(text, len, a, r[k].first, r[k].last);
        d = lp_word_set_add(&ws, text + a, b - a, cap);
    }
    return d;
}

void lp_word_set_init(struct lp_word_set *ws)
{
    memset(ws->set, 0, sizeof ws->set);
    ws->d = 0;
}

size_t lp_word_set_add(struct lp_word_set *ws, const char *p, size_t n,
                       size_t cap)
{
    if (cap > LP_WORDS_SET / 2)
        cap = LP_WORDS_SET / 2;
    for (size_t i = 0; i < n && ws->d < cap;) {
        if (!is_word((unsigned char)p[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && is_word((unsigned char)p[j]))
            j++;
        if (j - i >= 2) {
            uint32_t h = word_hash(p + i, j - i);
            size_t s = h & (LP_WORDS_SET - 1);
            while (ws->set[s] && ws->set[s] != h)
                s = (s + 1) & (LP_WORDS_SET - 1);
            if (!ws->set[s]) {
                ws->set[s] = h;
                ws->d++;
            }
        }
        i = j;
    }
    return ws->d;
}

/* s[0..n) starts with word w, then no identifier byte. */
static bool word_at(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    return n >= k && memcmp(s, w, k) == 0 &&
           (n == k || !(is_word((unsigned char)s[k])));
}

static size_t skip_blanks(const char *s, size_t i, size_t n)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
                     s[i] == '\f'))
        i++;
    return i;
}

/* Whether the condition of directive d[0..m) (its name first) tests only
 * macros every portable header tests: the compiler, the platform, the C
 * standard. A header's own guard (#ifndef TIME_FN_H_MODULE_287987) names
 * its origin and is not scaffolding. */
static bool common_condition(const char *d, size_t m)
{
    static const char *const names[] = {
        "if", "ifdef", "ifndef", "elif", "defined", "__cplusplus",
        "__STDC__", "__STDC_VERSION__", "_MSC_VER", "_WIN32", "_WIN64",
        "__GNUC__", "__clang__", "__linux__", "__APPLE__", "NDEBUG", NULL};
    size_t i = 0;
    while (i < m) {
        if (d[i] == '/' && i + 1 < m && (d[i + 1] == '*' || d[i + 1] == '/'))
            return true; /* a comment to the end */
        if (!is_word((unsigned char)d[i])) {
            i++;
            continue;
        }
        if (d[i] >= '0' && d[i] <= '9') {
            while (i < m && is_word((unsigned char)d[i]))
                i++; /* a number, its suffix too (199901L) */
            continue;
        }
        size_t j = i;
        while (j < m && is_word((unsigned char)d[j]))
            j++;
        bool known = false;
        for (const char *const *n = names; *n && !known; n++)
            known = strlen(*n) == j - i && memcmp(d + i, *n, j - i) == 0;
        if (!known)
            return false;
        i = j;
    }
    return true;
}

/* One line (no newline) of scaffolding (lp_region_code_lines()). */
static bool scaffold_line(const char *s, size_t n)
{
    size_t i = skip_blanks(s, 0, n);
    if (i == n)
        return true;
    /* a comment alone: its opening marker, or a continued block comment */
    if (n - i >= 2 && s[i] == '/' && (s[i + 1] == '/' || s[i + 1] == '*'))
        return true;
    if (s[i] == '*' && (i + 1 == n || s[i + 1] == ' ' || s[i + 1] == '\t' ||
                        s[i + 1] == '/') &&
        !memchr(s + i, ';', n - i))
        return true; /* inside a block comment, not `*p = x;` */
    if (s[i] == '#') {
        i = skip_blanks(s, i + 1, n);
        const char *d = s + i;
        size_t m = n - i;
        if (word_at(d, m, "else") || word_at(d, m, "endif"))
            return true;
        if (word_at(d, m, "if") || word_at(d, m, "ifdef") ||
            word_at(d, m, "ifndef") || word_at(d, m, "elif"))
            return common_condition(d, m);
        if (word_at(d, m, "pragma"))
            return memmem(d, m, "once", 4) != NULL;
        if (word_at(d, m, "include")) {
            i = skip_blanks(d, 7, m);
            return i < m && d[i] == '<';
        }
        return false;
    }
    if (word_at(s + i, n - i, "extern")) {
        const char *q = memchr(s + i, '"', n - i);
        return q && (size_t)(s + n - q) >= 3 && q[1] == 'C' && q[2] == '"' &&
               memchr(q, '{', (size_t)(s + n - q)) != NULL;
    }
    if (s[i] == '}') {
        i = skip_blanks(s, i + 1, n);
        return i == n || (n - i >= 2 && s[i] == '/' &&
                          (s[i + 1] == '/' || s[i + 1] == '*'));
    }
    return false;
}

size_t lp_region_code_lines(const char *text, size_t len, size_t cap)
{
    size_t i = 0, n = 0;
    while (i < len && n < cap) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        n += !scaffold_line(text + i, end - i);
        i = end + 1;
    }
    return n;
}
