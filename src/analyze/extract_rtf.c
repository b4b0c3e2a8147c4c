/* SPDX-License-Identifier: Apache-2.0
 *
 * extract_rtf: the text of an RTF document by a small state machine (RTF
 * 1.9.1): groups with a state each (skipped destination, \uc count),
 * control words and symbols, \'hh bytes and 8-bit text read as Windows-1252,
 * \uN as Unicode followed by \ucN fallback characters to skip. Groups whose
 * destination is not body text (font and colour tables, styles, document
 * information, pictures, headers and footers, field instructions, list
 * numbers) and every {\*\...} group are skipped. Each byte is looked at
 * once, a control word's letters and digits are bounded, and groups nested
 * deeper than LP_DOC_RTF_DEPTH stop the extraction with LP_ELIMIT.
 */
#include <string.h>

#include "extract_int.h"

#include "hash.h"
#include "banned.h"

/* Longest control word kept (RTF says 32 letters); longer ones are read
 * through and match nothing. */
#define WORD_MAX 32

struct group {
    bool skip;  /* a destination whose text is not body text */
    uint8_t uc; /* fallback characters after \uN */
};

struct rtf {
    struct lp_doc_out *o;
    const unsigned char *p, *end;
    struct group g[LP_DOC_RTF_DEPTH];
    size_t depth;   /* g[depth] is the current group's state */
    unsigned skipn; /* fallback characters still to skip */
    uint32_t high;  /* a high surrogate waiting for its low half */
};

/* Destinations whose text is not the document's body. Sorted by strcmp
 * for the binary search ("objdata" < "object"). */
static const char *const skipped[] = {
    "author",    "bkmkend",    "bkmkstart",    "buptim",
    "colortbl",  "comment",    "company",      "creatim",
    "datastore", "doccomm",    "fldinst",      "fonttbl",
    "footer",    "footerf",    "footerl",      "footerr",
    "generator", "header",     "headerf",      "headerl",
    "headerr",   "info",       "keywords",     "latentstyles",
    "listoverridetable",       "listtable",    "listtext",
    "manager",   "nonshppict", "objdata",      "object",
    "operator",  "pict",       "pntext",       "printim",
    "private",   "revtbl",     "revtim",       "rsidtbl",
    "sp",        "stylesheet", "subject",      "template",
    "themedata", "title",      "xmlnstbl",
};

static bool is_skipped(const char *w)
{
    size_t lo = 0, hi = sizeof skipped / sizeof *skipped;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(w, skipped[mid]);
        if (c == 0)
            return true;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return false;
}

/* Windows-1252 bytes 0x80-0x9F; 0 marks the five undefined ones. */
static const uint16_t cp1252[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* One character of text (a code point), unless it is a fallback to skip
 * or the group is skipped. */
static lp_err put_rune(struct rtf *r, uint32_t c)
{
    if (r->skipn > 0) {
        r->skipn--;
        return LP_OK;
    }
    if (r->g[r->depth].skip)
        return LP_OK;
    if (r->high) {
        uint32_t h = r->high;
        r->high = 0;
        if (c >= 0xDC00 && c <= 0xDFFF)
            return lp_doc_out_rune(r->o, 0x10000 + ((h - 0xD800) << 10) +
                                             (c - 0xDC00));
        lp_err err = lp_doc_out_rune(r->o, 0xFFFD);
        if (err)
            return err;
    }
    if (c >= 0xD800 && c <= 0xDBFF) {
        r->high = c;
        return LP_OK;
    }
    return lp_doc_out_rune(r->o, c);
}

static lp_err put_byte(struct rtf *r, unsigned char b)
{
    uint32_t c = b;
    if (b >= 0x80 && b <= 0x9F)
        c = cp1252[b - 0x80] ? cp1252[b - 0x80] : 0xFFFD;
    return put_rune(r, c);
}

/* Structure outside skipped groups: paragraph and line ends, tabs. */
static lp_err put_layout(struct rtf *r, lp_err (*f)(struct lp_doc_out *))
{
    r->skipn = 0;
    if (r->g[r->depth].skip)
        return LP_OK;
    return f(r->o);
}

/* The control word `w` with its parameter (has: one was given). */
static lp_err control_word(struct rtf *r, const char *w, long n, bool has)
{
    static const struct {
        const char *w;
        uint32_t c;
    } chars[] = {
        {"bullet", 0x2022},    {"emdash", 0x2014}, {"endash", 0x2013},
        {"ldblquote", 0x201C}, {"lquote", 0x2018}, {"rdblquote", 0x201D},
        {"rquote", 0x2019},    {"emspace", ' '},   {"enspace", ' '},
        {"qmspace", ' '},
    };
    struct group *g = &r->g[r->depth];
    if (strcmp(w, "bin") == 0) {
        /* raw bytes: skipped whatever the group */
        size_t k = has && n > 0 ? (size_t)n : 0;
        size_t left = (size_t)(r->end - r->p);
        r->p += k < left ? k : left;
        return LP_OK;
    }
    if (is_skipped(w)) {
        g->skip = true;
        return LP_OK;
    }
    if (strcmp(w, "uc") == 0) {
        g->uc = has && n >= 0 && n <= 16 ? (uint8_t)n : 1;
        return LP_OK;
    }
    if (strcmp(w, "u") == 0 && has) {
        lp_err err = put_rune(r, (uint32_t)(n < 0 ? n + 65536 : n) & 0xFFFF);
        r->skipn = g->uc;
        return err;
    }
    if (!strcmp(w, "par") || !strcmp(w, "sect") || !strcmp(w, "page") ||
        !strcmp(w, "row"))
        return put_layout(r, lp_doc_out_para);
    if (strcmp(w, "line") == 0)
        return put_layout(r, lp_doc_out_break);
    if (strcmp(w, "tab") == 0 || strcmp(w, "cell") == 0)
        return put_layout(r, lp_doc_out_tab);
    for (size_t i = 0; i < sizeof chars / sizeof *chars; i++)
        if (strcmp(w, chars[i].w) == 0)
            return put_rune(r, chars[i].c);
    /* any other word is formatting; it counts as a fallback character */
    if (r->skipn > 0)
        r->skipn--;
    return LP_OK;
}

/* After a backslash: a control word, \'hh, or a control symbol. */
static lp_err control(struct rtf *r)
{
    char w[WORD_MAX + 1];
    size_t k = 0;
    const unsigned char *p = r->p, *end = r->end;
    if (p == end)
        return LP_OK;
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) {
        long n = 0;
        bool has = false, neg = false;
        bool toolong = false;
        for (;
             p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'));
             p++) {
            if (k < WORD_MAX)
                w[k++] = (char)*p;
            else
                toolong = true;
        }
        w[toolong ? 0 : k] = '\0'; /* too long: matches nothing */
        if (p < end && *p == '-')
            neg = true, p++;
        for (int d = 0; p < end && *p >= '0' && *p <= '9'; p++, d++)
            if (d < 10)
                n = n * 10 + (*p - '0'), has = true;
        if (p < end && *p == ' ')
            p++;
        r->p = p;
        return control_word(r, w, neg ? -n : n, has);
    }
    r->p = p + 1;
    switch (*p) {
    case '\\':
    case '{':
    case '}': return put_rune(r, *p);
    case '~': return put_rune(r, ' ');
    case '_': return put_rune(r, '-');
    case '*': r->g[r->depth].skip = true; return LP_OK;
    case '\r':
    case '\n': return put_layout(r, lp_doc_out_para);
    case '\'':
        if (end - p >= 3 && lp_hex_digit(p[1]) >= 0 && lp_hex_digit(p[2]) >= 0) {
            r->p = p + 3;
            return put_byte(r,
                            (unsigned char)(lp_hex_digit(p[1]) << 4 | lp_hex_digit(p[2])));
        }
        return LP_OK;
    default: return LP_OK; /* \- optional hyphen, \| and the like */
    }
}

lp_err lp_doc_read_rtf(struct lp_doc_out *o, const unsigned char *buf,
                       size_t len)
{
    struct rtf r;
    lp_err err = LP_OK;

    memset(&r, 0, sizeof r);
    r.o = o;
    r.p = buf;
    r.end = buf + len;
    r.g[0].uc = 1;
    while (r.p < r.end && !err) {
        unsigned char c = *r.p++;
        if (c == '{') {
            if (r.depth + 1 >= LP_DOC_RTF_DEPTH)
                return lp_doc_out_fail(o, LP_ELIMIT,
                                       "groups nested deeper than %d",
                                       LP_DOC_RTF_DEPTH);
            r.g[r.depth + 1] = r.g[r.depth];
            r.depth++;
            r.skipn = 0;
        } else if (c == '}') {
            if (r.depth > 0)
                r.depth--;
            r.skipn = 0;
        } else if (c == '\\') {
            err = control(&r);
        } else if (c != '\r' && c != '\n') {
            err = put_byte(&r, c);
        }
    }
    return err;
}
