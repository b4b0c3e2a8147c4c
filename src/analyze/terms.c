/* SPDX-License-Identifier: Apache-2.0
 *
 * terms: distinctive identifiers of code and internal host names, the
 * watch terms the registry learns at `add` (rules in terms.h). The scan is
 * one pass over the bytes; a word is looked at only when it is long, and
 * the results are kept sorted in the caller's array (a bounded top-N), so
 * nothing is allocated.
 */
#include "terms.h"

#include <string.h>

#include "banned.h"

/* Prefixes of public names (compiler built-ins, the C and C++ libraries,
 * common library APIs): an identifier starting with one says nothing of
 * whose code it is. `cap`: the prefix counts only when an upper-case
 * letter or '_' follows it (Qt's QWidget, Python's PyObject, OpenGL's
 * glBindBuffer, Vulkan's vkCreateInstance, libxml2's xmlFreeDoc). */
static const struct {
    const char *p;
    unsigned char len;
    bool cap;
} public_prefixes[] = {
#define P(s)                                                                   \
    {                                                                          \
        s, sizeof s - 1, false                                                 \
    }
#define PC(s)                                                                  \
    {                                                                          \
        s, sizeof s - 1, true                                                  \
    }
    P("__builtin"),   P("__sync_"),  P("__atomic_"), P("__cxa_"),
    P("__sanitizer"), P("__asan_"),  P("__tsan_"),   P("pthread_"),
    P("PTHREAD_"),    P("std"),      P("EVP_"),      P("SSL_"),
    P("X509_"),       P("BIO_"),     P("PEM_"),      P("OPENSSL_"),
    P("CRYPTO_"),     P("mbedtls_"), P("MBEDTLS_"),  PC("Py"),
    P("_Py"),         P("JNI"),      P("Java_"),     P("g_"),
    P("G_"),          P("gtk_"),     P("GTK_"),      P("gdk_"),
    P("GDK_"),        PC("Q"),       P("Q_"),        PC("gl"),
    P("GL_"),         PC("vk"),      P("VK_"),       P("curl_"),
    P("CURL"),        P("sqlite3_"), P("SQLITE_"),   PC("xml"),
    P("XML_"),        P("png_"),     P("PNG_"),      P("lua_"),
    P("luaL_"),       P("LUA_"),     P("MPI_"),      P("uv_"),
    P("archive_"),    P("ARCHIVE_"), P("json_"),     P("yaml_"),
    P("YAML_"),       P("pcre2_"),   P("PCRE2_"),
#undef P
#undef PC
};

static bool is_upper(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}
static bool is_lower(unsigned char c)
{
    return c >= 'a' && c <= 'z';
}
static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* A byte of a word: an identifier's, or one beyond ASCII (a word holding
 * one is skipped whole, never cut into an ASCII identifier). */
static bool in_word(unsigned char c)
{
    return is_lower(c) || is_upper(c) || is_digit(c) || c == '_' || c >= 0x80;
}

bool lp_terms_public_prefix(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof public_prefixes / sizeof *public_prefixes;
         i++) {
        size_t k = public_prefixes[i].len;
        if (n < k || memcmp(s, public_prefixes[i].p, k) != 0)
            continue;
        if (!public_prefixes[i].cap)
            return true;
        if (n > k && (is_upper((unsigned char)s[k]) || s[k] == '_'))
            return true;
    }
    return false;
}

unsigned lp_terms_subwords(const char *s, size_t n)
{
    unsigned words = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '_')
            continue;
        unsigned char p = i ? (unsigned char)s[i - 1] : '_';
        unsigned char x = i + 1 < n ? (unsigned char)s[i + 1] : '_';
        bool start = p == '_' ||
                     (is_upper(c) && (is_lower(p) || is_digit(p))) ||
                     (is_digit(c) != is_digit(p)) ||
                     (is_upper(c) && is_upper(p) && is_lower(x));
        words += start;
    }
    return words;
}

/* Order of the results: longer first, then byte order. */
static int span_cmp(const char *text, const struct lp_term_span *a,
                    const struct lp_term_span *b)
{
    if (a->len != b->len)
        return a->len > b->len ? -1 : 1;
    return memcmp(text + a->off, text + b->off, a->len);
}

/* Puts c into out[0..*n) (sorted, at most max) unless there already. */
static void keep(const char *text, struct lp_term_span *out, size_t *n,
                 size_t max, struct lp_term_span c)
{
    size_t lo = 0, hi = *n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = span_cmp(text, &c, &out[mid]);
        if (r == 0)
            return;
        if (r < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    if (lo >= max)
        return;
    size_t move = (*n < max ? *n : max - 1) - lo;
    memmove(&out[lo + 1], &out[lo], move * sizeof *out);
    out[lo] = c;
    if (*n < max)
        (*n)++;
}

/* Whether the word s[0..n) (all in_word bytes) is a distinctive
 * identifier. */
static bool distinctive(const char *s, size_t n)
{
    if (is_digit((unsigned char)s[0]))
        return false;
    bool lower = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80)
            return false;
        lower |= is_lower(c);
    }
    if (!lower && n < LP_TERMS_MACRO_LEN)
        return false;
    if (lp_terms_public_prefix(s, n))
        return false;
    unsigned words = lp_terms_subwords(s, n);
    size_t alnum = 0;
    for (size_t i = 0; i < n; i++)
        alnum += s[i] != '_';
    return words >= LP_TERMS_MIN_WORDS && alnum >= LP_TERMS_MIN_MEAN * words;
}

size_t lp_terms_idents(const char *text, size_t len,
                       const struct lp_term_skip *skip, size_t nskip,
                       struct lp_term_span *out, size_t max)
{
    size_t n = 0, i = 0, k = 0;
    if (!max)
        return 0;
    while (i < len) {
        if (!in_word((unsigned char)text[i])) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && in_word((unsigned char)text[i]))
            i++;
        size_t w = i - start;
        if (w < LP_TERMS_MIN_LEN || w > LP_TERMS_MAX_LEN)
            continue;
        /* the ranges that end before this word are behind us for good */
        while (k < nskip && skip[k].to <= start)
            k++;
        bool skipped = false;
        for (size_t j = k; j < nskip && skip[j].from < i && !skipped; j++)
            skipped = skip[j].to > start;
        if (skipped)
            continue;
        /* full, and shorter than the shortest kept: no need to look */
        if (n == max && w < out[n - 1].len)
            continue;
        if (distinctive(text + start, w))
            keep(text, out, &n, max, (struct lp_term_span){start, (uint32_t)w});
    }
    return n;
}

struct lp_term_skip lp_terms_lines(const char *text, size_t len, size_t offset,
                                   uint32_t lines)
{
    struct lp_term_skip r = {offset < len ? offset : len, len};
    while (r.from > 0 && text[r.from - 1] != '\n')
        r.from--;
    size_t i = offset < len ? offset : len;
    for (uint32_t l = lines ? lines : 1; i < len; i++)
        if (text[i] == '\n' && --l == 0) {
            r.to = i + 1;
            break;
        }
    return r;
}

bool lp_terms_host(const char *value, char *out, size_t outlen)
{
    size_t n = strlen(value);
    bool letter = false;
    if (!n || n >= outlen || value[0] == '.' || value[n - 1] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)value[i];
        if (is_upper(c))
            c = (unsigned char)(c - 'A' + 'a');
        if (!is_lower(c) && !is_digit(c) && c != '.' && c != '-')
            return false;
        letter |= is_lower(c);
        out[i] = (char)c;
    }
    out[n] = '\0';
    return letter; /* only digits and dots: an address, not a name */
}
