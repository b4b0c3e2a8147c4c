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
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

/* Byte classes: the bytes of a word (CW) are an identifier's
 * [A-Za-z0-9_], and those beyond ASCII (a word holding one is skipped
 * whole, never cut into an ASCII identifier). */
enum {
    CW = 1 << 0, /* a byte of a word */
    CL = 1 << 1, /* a-z */
    CU = 1 << 2, /* A-Z */
    CD = 1 << 3, /* 0-9 */
    CS = 1 << 4, /* _ */
    CX = 1 << 5, /* >= 0x80 */
};
#define L (CW | CL)
#define U (CW | CU)
#define D (CW | CD)
#define S (CW | CS)
#define X (CW | CX)
static const uint8_t cc[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 00 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 10 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 20 */
    D, D, D, D, D, D, D, D, D, D, 0, 0, 0, 0, 0, 0, /* 30 */
    0, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* 40 */
    U, U, U, U, U, U, U, U, U, U, U, 0, 0, 0, 0, S, /* 50 */
    0, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, /* 60 */
    L, L, L, L, L, L, L, L, L, L, L, 0, 0, 0, 0, 0, /* 70 */
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, /* 80 */
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, /* 90 */
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, /* a0 */
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, /* b0 */
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, /* c0 */
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, /* d0 */
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, /* e0 */
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, /* f0 */
};
#undef L
#undef U
#undef D
#undef S
#undef X

bool lp_terms_public_prefix(const char *s, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < sizeof public_prefixes / sizeof *public_prefixes;
         i++) {
        size_t k = public_prefixes[i].len;
        if (public_prefixes[i].p[0] != s[0] || n < k ||
            memcmp(s, public_prefixes[i].p, k) != 0)
            continue;
        if (!public_prefixes[i].cap)
            return true;
        if (n > k && (is_upper((unsigned char)s[k]) || s[k] == '_'))
            return true;
    }
    return false;
}

/* Sub-words of s[0..n) (see terms.h); *all gets the OR of its byte
 * classes, *under its underscores. */
static unsigned subwords(const unsigned char *s, size_t n, uint8_t *all,
                         size_t *under)
{
    unsigned words = 0;
    uint8_t p = CS, any = 0; /* the class of the byte before */
    size_t us = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = cc[s[i]];
        any |= c;
        if (c & CS) {
            us++;
            p = c;
            continue;
        }
        uint8_t x = i + 1 < n ? cc[s[i + 1]] : CS;
        words += (p & CS) || ((c & CU) && (p & (CL | CD))) || ((c ^ p) & CD) ||
                 ((c & CU) && (p & CU) && (x & CL));
        p = c;
    }
    *all = any;
    *under = us;
    return words;
}

unsigned lp_terms_subwords(const char *s, size_t n)
{
    uint8_t all;
    size_t under;
    return subwords((const unsigned char *)s, n, &all, &under);
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

/* Whether the word s[0..n) (all CW bytes) is a distinctive
 * identifier. */
static bool distinctive(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    uint8_t all;
    size_t under;
    if (cc[u[0]] & CD)
        return false;
    unsigned words = subwords(u, n, &all, &under);
    if ((all & CX) || (!(all & CL) && n < LP_TERMS_MACRO_LEN))
        return false;
    if (words < LP_TERMS_MIN_WORDS || n - under < LP_TERMS_MIN_MEAN * words)
        return false;
    return !lp_terms_public_prefix(s, n);
}

/* The state of one lp_terms_idents() call. */
struct scan {
    const char *text;
    const struct lp_term_skip *skip;
    size_t nskip, k; /* skip[k..] may still overlap a word */
    struct lp_term_span *out;
    size_t n, max;
};

/* The word text[start .. end). */
static void word(struct scan *sc, size_t start, size_t end)
{
    size_t w = end - start;
    if (w < LP_TERMS_MIN_LEN || w > LP_TERMS_MAX_LEN)
        return;
    /* full, and shorter than the shortest kept: no need to look */
    if (sc->n == sc->max && w < sc->out[sc->n - 1].len)
        return;
    /* the ranges that end before this word are behind us for good */
    while (sc->k < sc->nskip && sc->skip[sc->k].to <= start)
        sc->k++;
    for (size_t j = sc->k; j < sc->nskip && sc->skip[j].from < end; j++)
        if (sc->skip[j].to > start)
            return;
    if (distinctive(sc->text + start, w))
        keep(sc->text, sc->out, &sc->n, sc->max,
             (struct lp_term_span){start, (uint32_t)w});
}

/* Bit i set when t[i] is a word byte, for the 64 bytes at t. */
static uint64_t word_mask64(const unsigned char *t)
{
#if defined(__SSE2__)
    uint64_t m = 0;
    for (int i = 0; i < 4; i++) {
        __m128i c =
            _mm_loadu_si128((const __m128i *)(const void *)(t + 16 * i));
        /* lo <= c <= hi, for ranges below 0x80: c + (0x80 - lo) as a
         * signed byte is below -0x80 + (hi - lo + 1) */
        __m128i lc = _mm_or_si128(c, _mm_set1_epi8(0x20));
        __m128i letter =
            _mm_cmplt_epi8(_mm_add_epi8(lc, _mm_set1_epi8(0x80 - 'a')),
                           _mm_set1_epi8(-0x80 + 26));
        __m128i digit =
            _mm_cmplt_epi8(_mm_add_epi8(c, _mm_set1_epi8(0x80 - '0')),
                           _mm_set1_epi8(-0x80 + 10));
        __m128i under = _mm_cmpeq_epi8(c, _mm_set1_epi8('_'));
        /* bytes >= 0x80: their sign bit */
        __m128i w =
            _mm_or_si128(_mm_or_si128(letter, digit), _mm_or_si128(under, c));
        m |= (uint64_t)(uint16_t)_mm_movemask_epi8(w) << (16 * i);
    }
    return m;
#else
    uint64_t m = 0;
    for (int i = 0; i < 64; i++)
        m |= (uint64_t)(cc[t[i]] & CW) << i;
    return m;
#endif
}

size_t lp_terms_idents(const char *text, size_t len,
                       const struct lp_term_skip *skip, size_t nskip,
                       struct lp_term_span *out, size_t max)
{
    const unsigned char *t = (const unsigned char *)text;
    struct scan sc = {text, skip, nskip, 0, out, 0, max};
    if (!max)
        return 0;
    /* 64 bytes at a time: a mask of their word bytes, in which the runs
     * of LP_TERMS_MIN_LEN ones are found with shifts; only they are
     * looked at byte by byte. A run reaching a block's end stays open
     * (from `open`) into the next. */
    size_t open = SIZE_MAX;
    for (size_t b = 0; b < len; b += 64) {
        uint64_t m;
        if (len - b >= 64) {
            m = word_mask64(t + b);
        } else {
            m = 0;
            for (size_t i = 0; b + i < len; i++)
                m |= (uint64_t)(cc[t[b + i]] & CW) << i;
        }
        if (open != SIZE_MAX) {
            if (m == UINT64_MAX)
                continue;
            unsigned ones = (unsigned)__builtin_ctzll(~m);
            word(&sc, open, b + ones);
            open = SIZE_MAX;
            m &= ~(((uint64_t)1 << ones) - 1); /* ones < 64 */
        }
        /* the run reaching bit 63 stays open */
        if (m >> 63) {
            unsigned top = ~m ? 64 - (unsigned)__builtin_clzll(~m) : 0;
            open = b + top;
            m = top ? m & ((((uint64_t)1) << top) - 1) : 0;
        }
        /* long: bit i set when bits i .. i + 15 are */
        uint64_t l = m & (m >> 1);
        l &= l >> 2;
        l &= l >> 4;
        l &= l >> 8;
        /* the starts of the runs that are long */
        uint64_t starts = l & ~(m << 1);
        while (starts) {
            unsigned i = (unsigned)__builtin_ctzll(starts);
            unsigned run = (unsigned)__builtin_ctzll(~(m >> i));
            word(&sc, b + i, b + i + run);
            starts &= starts - 1;
        }
    }
    if (open != SIZE_MAX)
        word(&sc, open, len);
    return sc.n;
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
