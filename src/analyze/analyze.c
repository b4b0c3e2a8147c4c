/* SPDX-License-Identifier: Apache-2.0
 *
 * analyze: hash, classify, lex and winnow one file (see analyze.h).
 */
#include "analyze.h"

#include "limits.h"
#include "mem.h"

#include <string.h>

#include "banned.h"

void lp_analyzer_init(struct lp_analyzer *a)
{
    lp_tokens_init(&a->tok);
    lp_fps_init(&a->fps);
    a->text = NULL;
    a->captext = 0;
    lp_strings_init(&a->strings);
    lp_doc_text_init(&a->doc);
    lp_regions_init(&a->regions);
    lp_tokens_init(&a->rtok);
    lp_tokens_init(&a->rall);
    a->rbuf = NULL;
    a->caprbuf = 0;
}

void lp_analyzer_release(struct lp_analyzer *a)
{
    if (!a)
        return;
    lp_tokens_release(&a->tok);
    lp_fps_release(&a->fps);
    lp_strings_release(&a->strings);
    lp_doc_text_release(&a->doc);
    lp_regions_release(&a->regions);
    lp_tokens_release(&a->rtok);
    lp_tokens_release(&a->rall);
    lp_free(a->rbuf);
    a->rbuf = NULL;
    a->caprbuf = 0;
    lp_free(a->text);
    a->text = NULL;
    a->captext = 0;
}

/* Lines of a buffer: newlines, plus one for a last line without one. */
static uint32_t count_lines(const char *buf, size_t len)
{
    size_t n = 0;
    const char *p = buf, *end = buf + len;
    while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
        n++;
        p++;
    }
    if (len && buf[len - 1] != '\n')
        n++;
    return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

static bool lexed(enum lp_kind kind)
{
    return kind == LP_KIND_CODE || kind == LP_KIND_PROSE;
}

/* Strings shorter than this are mostly chance bytes of code and data. */
#define STRINGS_MIN 6
/* Text taken out of one binary, at most. */
#define STRINGS_MAX (16u << 20)

/* A binary: TLSH digest, and its printable strings fingerprinted as prose
 * (a rebuilt or patched tool keeps its messages, options and names). */
static lp_err analyze_binary(struct lp_analyzer *a, struct lp_analysis *out)
{
    const unsigned char *b = (const unsigned char *)out->text;
    out->bin = (uint8_t)lp_bin_detect(b, out->tlen);
    lp_err err = lp_tlsh_digest(b, out->tlen, out->tlsh);
    out->have_tlsh = err == LP_OK;
    if (err == LP_ENOMEM)
        return err;
    err = lp_bin_strings(b, out->tlen, STRINGS_MIN, STRINGS_MAX, &a->strings);
    if (!err)
        err = lp_normalize(LP_LANG_TEXT,
                           a->strings.text ? a->strings.text : "",
                           a->strings.len, &a->tok);
    if (!err)
        err = lp_fingerprint(a->tok.v, a->tok.n, LP_FP_K, LP_FP_W, &a->fps);
    if (err)
        return err;
    out->lines = (uint32_t)a->strings.nlines;
    out->fp = a->fps.v;
    out->nfp = a->fps.n;
    return LP_OK;
}

lp_err lp_analyze_sha(const char *buf, size_t len, struct lp_analysis *out)
{
    if (out->have_sha)
        return LP_OK;
    lp_err err = lp_sha256(buf, len, out->sha);
    out->have_sha = !err;
    return err;
}

/* 0 (not UTF-16), 1 little-endian, 2 big-endian; *skip: the BOM's size.
 * Without a BOM: text whose bytes at odd (little-endian) or even positions
 * are all NUL in the first 512 bytes, as ASCII in UTF-16 is. */
static int utf16(const unsigned char *b, size_t len, size_t *skip)
{
    *skip = 0;
    if (len >= 2 && b[0] == 0xff && b[1] == 0xfe) {
        *skip = 2;
        return 1;
    }
    if (len >= 2 && b[0] == 0xfe && b[1] == 0xff) {
        *skip = 2;
        return 2;
    }
    size_t n = len < 512 ? len & ~(size_t)1 : 512, odd = 0, even = 0;
    /* Most files end here: their first two bytes are not half NUL. */
    if (n < 8 || (b[0] != 0) == (b[1] != 0))
        return 0;
    for (size_t i = 0; i < n; i += 2) {
        even += b[i] == 0;
        odd += b[i + 1] == 0;
    }
    if (odd == n / 2 && even == 0)
        return 1;
    if (even == n / 2 && odd == 0)
        return 2;
    return 0;
}

/* UTF-16 (endianness `e`) to UTF-8 into a->text; unpaired surrogates
 * become U+FFFD. Newlines stay newlines, so line numbers hold. */
static lp_err decode_utf16(struct lp_analyzer *a, const unsigned char *b,
                           size_t len, int e, struct lp_analysis *out)
{
    size_t n = len / 2;
    if (!lp_grow((void **)&a->text, &a->captext, 3 * n + 4, 1))
        return LP_ENOMEM;
    unsigned char *o = (unsigned char *)a->text;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = e == 1 ? (uint32_t)(b[2 * i] | b[2 * i + 1] << 8)
                            : (uint32_t)(b[2 * i] << 8 | b[2 * i + 1]);
        if (c >= 0xd800 && c < 0xdc00 && i + 1 < n) {
            uint32_t d = e == 1 ? (uint32_t)(b[2 * i + 2] | b[2 * i + 3] << 8)
                                : (uint32_t)(b[2 * i + 2] << 8 | b[2 * i + 3]);
            if (d >= 0xdc00 && d < 0xe000) {
                c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
                i++;
            }
        }
        if (c >= 0xd800 && c < 0xe000)
            c = 0xfffd;
        if (c < 0x80) {
            *o++ = (unsigned char)c;
        } else if (c < 0x800) {
            *o++ = (unsigned char)(0xc0 | c >> 6);
            *o++ = (unsigned char)(0x80 | (c & 0x3f));
        } else if (c < 0x10000) {
            *o++ = (unsigned char)(0xe0 | c >> 12);
            *o++ = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
            *o++ = (unsigned char)(0x80 | (c & 0x3f));
        } else {
            *o++ = (unsigned char)(0xf0 | c >> 18);
            *o++ = (unsigned char)(0x80 | ((c >> 12) & 0x3f));
            *o++ = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
            *o++ = (unsigned char)(0x80 | (c & 0x3f));
        }
    }
    *o = 0;
    out->text = a->text;
    out->tlen = (size_t)(o - (unsigned char *)a->text);
    return LP_OK;
}

/* Whether b[0..len) is valid UTF-8 (ASCII runs are skipped 8 bytes at a
 * time: most source is ASCII). */
static bool valid_utf8(const unsigned char *b, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, b + i, 8);
            if (!(w & 0x8080808080808080ull)) {
                i += 8;
                continue;
            }
        }
        unsigned c = b[i];
        size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2
                 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
        if (!n || (n == 2 && c < 0xc2) || (n == 4 && c > 0xf4) ||
            i + n > len)
            return false;
        for (size_t k = 1; k < n; k++)
            if ((b[i + k] & 0xc0) != 0x80)
                return false;
        i += n;
    }
    return true;
}

/* Text that is not UTF-8 is taken for Latin-1 (ISO 8859-1, the most
 * common 8-bit encoding of old sources and manuals): each byte is the code
 * point of its value, written as UTF-8 into a->text. */
static lp_err decode_latin1(struct lp_analyzer *a, struct lp_analysis *out)
{
    const unsigned char *b = (const unsigned char *)out->text;
    size_t len = out->tlen;
    if (!lp_grow((void **)&a->text, &a->captext, 2 * len + 1, 1))
        return LP_ENOMEM;
    unsigned char *o = (unsigned char *)a->text;
    for (size_t i = 0; i < len; i++) {
        if (b[i] < 0x80) {
            *o++ = b[i];
        } else {
            *o++ = (unsigned char)(0xc0 | b[i] >> 6);
            *o++ = (unsigned char)(0x80 | (b[i] & 0x3f));
        }
    }
    *o = 0;
    out->text = a->text;
    out->tlen = (size_t)(o - (unsigned char *)a->text);
    return LP_OK;
}

/* The text of buf: UTF-16 decoded, a UTF-8 byte-order mark left out;
 * *utf16 says whether it was UTF-16. */
static lp_err decode_text(struct lp_analyzer *a, const char *buf, size_t len,
                          struct lp_analysis *out, int *utf16_)
{
    out->size = len;
    out->text = buf;
    out->tlen = len;
    const unsigned char *b = (const unsigned char *)buf;
    size_t skip;
    int e = utf16(b, len, &skip);
    *utf16_ = e;
    if (e)
        return decode_utf16(a, b + skip, len - skip, e, out);
    if (len >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf) {
        out->text = buf + 3; /* a UTF-8 byte-order mark is no text */
        out->tlen = len - 3;
    }
    return LP_OK;
}

lp_err lp_analyze_raw(struct lp_analyzer *a, const char *buf, size_t len,
                      struct lp_analysis *out)
{
    int e;
    memset(out, 0, sizeof *out);
    out->kind = LP_KIND_OTHER;
    return decode_text(a, buf, len, out, &e);
}

lp_err lp_analyze_id(struct lp_analyzer *a, const char *name, const char *buf,
                     size_t len, bool want_sha, struct lp_analysis *out)
{
    memset(out, 0, sizeof *out);
    lp_err err = want_sha ? lp_analyze_sha(buf, len, out) : LP_OK;
    int e = 0;
    if (!err)
        err = decode_text(a, buf, len, out, &e);
    if (err)
        return err;
    out->kind = lp_classify(name, (const unsigned char *)out->text, out->tlen,
                            &out->lang);
    if (!e && (out->kind == LP_KIND_CODE || out->kind == LP_KIND_PROSE) &&
        !valid_utf8((const unsigned char *)out->text, out->tlen))
        err = decode_latin1(a, out);
    if (err)
        return err;
    if (out->kind == LP_KIND_OTHER)
        out->lines = count_lines(out->text, out->tlen);
    return LP_OK;
}

lp_err lp_analyze_document(struct lp_analyzer *a, enum lp_doc d,
                           const char *buf, size_t len, bool want_sha,
                           struct lp_analysis *out, char *why, size_t whylen)
{
    memset(out, 0, sizeof *out);
    lp_err err = want_sha ? lp_analyze_sha(buf, len, out) : LP_OK;
    if (err)
        return err;
    out->size = len;
    err = lp_doc_extract(d, (const unsigned char *)buf, len, NULL, &a->doc,
                         why, whylen);
    if (err && err != LP_ELIMIT)
        return err;
    out->text = a->doc.text ? a->doc.text : "";
    out->tlen = a->doc.len;
    out->kind = LP_KIND_PROSE;
    out->lang = LP_LANG_TEXT;
    return err;
}

/* Lexes s[0, len), text that starts on the host's line `line`, as
 * `lang`; appends its tokens to `all` with the host's lines. */
static lp_err lex_into(struct lp_analyzer *a, enum lp_lang lang,
                       const char *s, size_t len, uint32_t line,
                       struct lp_tokens *all)
{
    lp_err err = lp_normalize(lang, s, len, &a->rtok);
    if (err)
        return err;
    if (!lp_grow((void **)&all->v, &all->cap, all->n + a->rtok.n,
                 sizeof *all->v))
        return LP_ENOMEM;
    for (size_t i = 0; i < a->rtok.n; i++) {
        struct lp_token t = a->rtok.v[i];
        uint64_t l = (uint64_t)t.line + line - 1;
        if (l > LP_MAX_LINES)
            break;
        t.line = (uint32_t)l;
        all->v[all->n++] = t;
    }
    return LP_OK;
}

/* Lexes s[0, len), the text of a region that starts on the host's line
 * `line`, as C; appends its tokens to a->rall with the host's lines. */
static lp_err lex_region(struct lp_analyzer *a, const char *s, size_t len,
                         uint32_t line)
{
    return lex_into(a, LP_LANG_C, s, len, line, &a->rall);
}

/* A copy of text[off, off + len) in a->rbuf. */
static lp_err copy_region(struct lp_analyzer *a, const char *text, size_t off,
                          size_t len)
{
    if (!lp_grow((void **)&a->rbuf, &a->caprbuf, len + 1, 1))
        return LP_ENOMEM;
    memcpy(a->rbuf, text + off, len);
    return LP_OK;
}

/* Code regions of a whole text (prose, a document, a shell script); a
 * texinfo escape "@{" reads as "{". */
static lp_err code_in_text(struct lp_analyzer *a, const char *text,
                           size_t len)
{
    a->regions.n = 0;
    lp_err err = lp_code_regions(text, len, 1, &a->regions);
    for (size_t i = 0; !err && i < a->regions.n; i++) {
        const struct lp_region *r = &a->regions.v[i];
        err = copy_region(a, text, r->off, r->len);
        if (!err) {
            if (memchr(a->rbuf, '@', r->len)) /* texinfo, or rare */
                lp_texinfo_unescape(a->rbuf, r->len);
            err = lex_region(a, a->rbuf, r->len, r->line);
        }
    }
    return err;
}

/* Comments shorter than this hold no code worth a fingerprint. */
#define COMMENT_MIN 40

/* Whether [s, e) is white space with at most one newline: two comments
 * on consecutive lines ("//" runs) are read as one. */
static bool adjacent(const char *s, const char *e)
{
    int nl = 0;
    for (; s < e; s++) {
        if (*s == '\n')
            nl++;
        else if (*s != ' ' && *s != '\t' && *s != '\r')
            return false;
    }
    return nl <= 1;
}

/* Code regions in the comments of C-family code (commented-out code),
 * from the comments its lexer noted in a->tok. */
static lp_err code_in_comments(struct lp_analyzer *a, const char *text)
{
    const struct lp_tokens *t = &a->tok;
    lp_err err = LP_OK;
    for (size_t i = 0; !err && i < t->ncm;) {
        size_t j = i + 1, off = t->cm[i].off;
        size_t end = off + t->cm[i].len;
        while (j < t->ncm && adjacent(text + end, text + t->cm[j].off)) {
            end = t->cm[j].off + t->cm[j].len;
            j++;
        }
        uint32_t line = t->cm[i].line;
        i = j;
        size_t len = end - off;
        /* Most comments are prose: no ';' and no brace, no code. */
        if (len < COMMENT_MIN || (!memchr(text + off, ';', len) &&
                                  !memchr(text + off, '{', len)))
            continue;
        err = copy_region(a, text, off, len);
        if (err)
            break;
        lp_comment_unwrap(a->rbuf, len);
        a->regions.n = 0;
        err = lp_code_regions(a->rbuf, len, line, &a->regions);
        for (size_t k = 0; !err && k < a->regions.n; k++) {
            const struct lp_region *r = &a->regions.v[k];
            err = lex_region(a, a->rbuf + r->off, r->len, r->line);
        }
    }
    return err;
}

/* Fingerprints of the code inside the host, appended to a->fps. */
static lp_err code_inside(struct lp_analyzer *a, const struct lp_analysis *out)
{
    lp_err err = LP_OK;
    a->rall.n = 0;
    if (out->kind == LP_KIND_PROSE || out->lang == LP_LANG_SHELL)
        err = code_in_text(a, out->text, out->tlen);
    else if (out->lang >= LP_LANG_C && out->lang <= LP_LANG_OBJC)
        err = code_in_comments(a, out->text);
    /* Too little for one k-gram is no evidence. */
    if (!err && a->rall.n >= LP_FP_K)
        err = lp_fingerprint_append(a->rall.v, a->rall.n, LP_FP_K, LP_FP_W,
                                    LP_STREAM_NORMALIZED, &a->fps);
    return err;
}

/* A small C-family file (a header of a licence and a few #define lines):
 * its k-grams of LP_FP_K tokens are too few, and one changed line in
 * three breaks them all. A file of at most SMALL_TOKENS tokens with fewer
 * than SMALL_FPS fingerprints also gets those of SMALL_K-grams (winnowed
 * over SMALL_W), which a copy with a changed line in three still shares.
 * Shorter k-grams are common to many files: only the smallest get them. */
#define SMALL_TOKENS 256
#define SMALL_FPS 8
#define SMALL_K 6
#define SMALL_W 4

lp_err lp_analyze_fp(struct lp_analyzer *a, struct lp_analysis *out)
{
    if (out->kind == LP_KIND_BINARY)
        return analyze_binary(a, out);
    if (!lexed(out->kind))
        return LP_OK;
    lp_err err = lp_normalize(out->lang, out->text, out->tlen, &a->tok);
    if (err)
        return err;
    out->lines = a->tok.lines;
    out->tok = a->tok.v;
    out->ntok = a->tok.n;
    err = lp_fingerprint(a->tok.v, a->tok.n, LP_FP_K, LP_FP_W, &a->fps);
    if (!err)
        err = code_inside(a, out);
    if (!err && out->lang >= LP_LANG_C && out->lang <= LP_LANG_OBJC &&
        a->fps.n < SMALL_FPS && a->tok.n >= LP_FP_K &&
        a->tok.n <= SMALL_TOKENS)
        err = lp_fingerprint_append(a->tok.v, a->tok.n, SMALL_K, SMALL_W,
                                    LP_STREAM_NORMALIZED, &a->fps);
    if (err)
        return err;
    out->fp = a->fps.v;
    out->nfp = a->fps.n;
    /* code_inside() lexes regions of a code host as code too */
    out->code_only = !lp_lang_prose(out->lang);
    return LP_OK;
}

lp_err lp_analyze_abstract(struct lp_analyzer *a, struct lp_analysis *out)
{
    if (out->kind != LP_KIND_CODE || out->nafp)
        return LP_OK;
    a->fps.n = out->nfp;
    lp_err err = lp_fingerprint_append(a->tok.v, a->tok.n, LP_AFP_K, LP_AFP_W,
                                       LP_STREAM_ABSTRACT, &a->fps);
    if (err)
        return err;
    out->fp = a->fps.v;
    out->nafp = a->fps.n - out->nfp;
    return LP_OK;
}
