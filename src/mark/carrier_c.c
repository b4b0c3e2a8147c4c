/* SPDX-License-Identifier: Apache-2.0
 *
 * carrier_c: the carriers of carrier.h in C source. It works on the tokens
 * of ctok.h with preprocessor lines left out, so macro bodies, #if lines and
 * #include order never matter. A site is taken only where each spelling is
 * the same program:
 *  - INC: `lv++;`, `++lv;`, `lv += 1;` as a statement (after ; { } else do
 *    or an if/while/for header, outside any parenthesis) or as a for loop's
 *    third clause; lv is an identifier with .f, ->f or [i] (i an identifier
 *    or a number) after it, so it has no side effects.
 *  - CMP: `A op B` with A and B such terms (or a number or a character), op
 *    one of < > <= >= == !=, that is a whole operand: between ( && || or
 *    return and ) && || or ;. Every enclosing parenthesis must be a header
 *    or a grouping one, never a call's: a macro's argument could be
 *    stringified or pasted into a context of another precedence.
 *  - LOOP: `for (;;)` and `while (1)` not followed by ';' (a do-while tail).
 *  - CONST: a decimal or hex integer in [16, 2^31) that is a power of two or
 *    one less, outside the other sites. Below 2^31 a decimal and a hex
 *    constant get the same type whatever the suffix, so the program is the
 *    same. Array sizes of declarations are sites too: same value, same type.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "carrier.h"
#include "ctok.h"
#include "err.h"
#include "hash.h"
#include "mem.h"

#include "banned.h"

/* The longest postfix chain of a term (a.b->c[i] counts 3). */
#define LP_CARRIER_MAX_POSTFIX 8

struct scan {
    const char *s;
    struct lp_ctok *t; /* tokens, preprocessor lines left out */
    size_t n;
    int32_t *match; /* the matching bracket of ( [ { ) ] }, or -1 */
    int32_t *encl;  /* the innermost open '(' around a token, or -1 */
    int32_t *site;  /* the site a token belongs to, or -1 */
};

static int is(const struct scan *c, size_t i, const char *w)
{
    size_t l = strlen(w);
    return i < c->n && c->t[i].len == l &&
           memcmp(c->s + c->t[i].off, w, l) == 0;
}

static int is_plain_ident(const struct scan *c, size_t i)
{
    return i < c->n && c->t[i].kind == LP_CTOK_IDENT &&
           !lp_ctok_is_keyword(c->s + c->t[i].off, c->t[i].len);
}

/* An integer constant: its value, whether hex, the digits' end. 0 for
 * anything else (floats, bad suffixes, overflow). Octal gives its value
 * with *radix 8. */
static int parse_int(const char *p, size_t len, uint64_t *val, int *radix,
                     size_t *digits_end)
{
    size_t i = 0, suf;
    uint64_t v = 0;
    int r = 10;

    if (len >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        r = 16;
        i = 2;
    } else if (len >= 2 && p[0] == '0' && p[1] >= '0' && p[1] <= '9') {
        r = 8;
    }
    size_t d0 = i;
    for (; i < len; i++) {
        int d;
        char ch = p[i];
        if (ch >= '0' && ch <= '9')
            d = ch - '0';
        else if (r == 16 && ch >= 'a' && ch <= 'f')
            d = ch - 'a' + 10;
        else if (r == 16 && ch >= 'A' && ch <= 'F')
            d = ch - 'A' + 10;
        else
            break;
        if (d >= r || v > (UINT64_MAX - (uint64_t)d) / (uint64_t)r)
            return 0;
        v = v * (uint64_t)r + (uint64_t)d;
    }
    if (i == d0)
        return 0;
    suf = i;
    if (len - suf > 3)
        return 0;
    for (size_t k = suf; k < len; k++)
        if (!strchr("uUlL", p[k]))
            return 0;
    *val = v;
    *radix = r;
    *digits_end = suf;
    return 1;
}

static uint64_t mix(uint64_t a, uint64_t b)
{
    uint64_t v[2] = {a, b};
    return lp_hash64(v, sizeof v);
}

/* The normalized form of one token: identifiers one placeholder, integers
 * their value, literals one placeholder each kind, the rest its text. */
static uint64_t norm_tok(const struct scan *c, size_t i)
{
    const struct lp_ctok *k = &c->t[i];
    const char *p = c->s + k->off;
    uint64_t v;
    int r;
    size_t de;

    switch (k->kind) {
    case LP_CTOK_IDENT:
        if (!lp_ctok_is_keyword(p, k->len))
            return 0x1d;
        break;
    case LP_CTOK_NUMBER:
        if (parse_int(p, k->len, &v, &r, &de))
            return mix(0x4e, v);
        break;
    case LP_CTOK_STRING: return 0x53;
    case LP_CTOK_CHAR: break; /* its text: renaming leaves it */
    default: break;
    }
    return lp_hash64(p, k->len);
}

static uint64_t norm_seq(const struct scan *c, size_t i, size_t j)
{
    uint64_t h = 0x5e9;
    for (; i < j; i++)
        h = mix(h, norm_tok(c, i));
    return h;
}

/* End (exclusive) of the simple term at i, or 0: a plain identifier with
 * up to LP_CARRIER_MAX_POSTFIX of .f ->f [i] [3] after it; with konst, a
 * lone integer or character constant too. */
static size_t term_end(const struct scan *c, size_t i, int konst)
{
    uint64_t v;
    int r;
    size_t de;

    if (i >= c->n)
        return 0;
    if (konst && c->t[i].kind == LP_CTOK_CHAR && !c->t[i].open)
        return i + 1;
    if (konst && c->t[i].kind == LP_CTOK_NUMBER &&
        parse_int(c->s + c->t[i].off, c->t[i].len, &v, &r, &de))
        return i + 1;
    if (!is_plain_ident(c, i))
        return 0;
    i++;
    for (int k = 0; k < LP_CARRIER_MAX_POSTFIX; k++) {
        if ((is(c, i, ".") || is(c, i, "->")) && is_plain_ident(c, i + 1)) {
            i += 2;
        } else if (is(c, i, "[") && i + 2 < c->n && is(c, i + 2, "]") &&
                   (is_plain_ident(c, i + 1) ||
                    (c->t[i + 1].kind == LP_CTOK_NUMBER &&
                     parse_int(c->s + c->t[i + 1].off, c->t[i + 1].len, &v, &r,
                               &de)))) {
            i += 3;
        } else {
            break;
        }
    }
    return i;
}

/* The '(' at p opens an if, while, for or switch header. */
static int is_header(const struct scan *c, int32_t p)
{
    return p > 0 &&
           (is(c, (size_t)p - 1, "if") || is(c, (size_t)p - 1, "while") ||
            is(c, (size_t)p - 1, "for") || is(c, (size_t)p - 1, "switch"));
}

static int is_for(const struct scan *c, int32_t p)
{
    return p > 0 && is(c, (size_t)p - 1, "for");
}

/* Every '(' around token i is a header or a grouping parenthesis: none is
 * a call's (nor a macro's), whose argument could be stringified. */
static int no_call_around(const struct scan *c, size_t i)
{
    for (int32_t p = c->encl[i]; p >= 0; p = c->encl[p]) {
        size_t q;
        if (is_header(c, p))
            continue;
        if (p == 0)
            return 0;
        q = (size_t)p - 1;
        if (c->t[q].kind != LP_CTOK_PUNCT || is(c, q, ")") || is(c, q, "]"))
            if (!is(c, q, "return"))
                return 0;
    }
    return 1;
}

/* A statement may start after token p. */
static int stmt_before(const struct scan *c, size_t p)
{
    if (is(c, p, ";") || is(c, p, "{") || is(c, p, "}") || is(c, p, "else") ||
        is(c, p, "do"))
        return 1;
    return is(c, p, ")") && c->match[p] >= 0 && is_header(c, c->match[p]);
}

struct found {
    struct lp_carrier_site *v;
    size_t n, cap;
    uint64_t *canon; /* canonical spelling of each, parallel to v */
    size_t *first;   /* first token of each */
    size_t *last;    /* last token (inclusive) */
};

static lp_err add_site(struct scan *c, struct found *f,
                       const struct lp_carrier_site *s, uint64_t canon,
                       size_t first, size_t last)
{
    if (f->n == f->cap) {
        size_t nc = f->cap ? f->cap * 2 : 64;
        void *a, *b, *d, *e;
        if (f->n >= LP_CARRIER_MAX_SITES)
            return LP_ELIMIT;
        a = lp_reallocarray(f->v, nc, sizeof *f->v);
        if (a)
            f->v = a;
        b = lp_reallocarray(f->canon, nc, sizeof *f->canon);
        if (b)
            f->canon = b;
        d = lp_reallocarray(f->first, nc, sizeof *f->first);
        if (d)
            f->first = d;
        e = lp_reallocarray(f->last, nc, sizeof *f->last);
        if (e)
            f->last = e;
        if (!a || !b || !d || !e)
            return LP_ENOMEM;
        f->cap = nc;
    }
    f->v[f->n] = *s;
    f->v[f->n].start = c->t[first].off;
    f->v[f->n].end = c->t[last].off + c->t[last].len;
    f->canon[f->n] = canon;
    f->first[f->n] = first;
    f->last[f->n] = last;
    for (size_t k = first; k <= last; k++)
        c->site[k] = (int32_t)f->n;
    f->n++;
    return LP_OK;
}

/* Loops, increments and comparisons at token i, if any. */
static lp_err site_at(struct scan *c, struct found *f, size_t i)
{
    struct lp_carrier_site s;
    size_t e;

    memset(&s, 0, sizeof s);
    /* LOOP */
    if (is(c, i, "for") && is(c, i + 1, "(") && is(c, i + 2, ";") &&
        is(c, i + 3, ";") && is(c, i + 4, ")") && i + 5 < c->n &&
        !is(c, i + 5, ";")) {
        s.kind = LP_CARRIER_LOOP, s.q = 2, s.value = 0;
        return add_site(c, f, &s, mix(LP_CARRIER_LOOP, 0), i, i + 4);
    }
    if (is(c, i, "while") && is(c, i + 1, "(") && is(c, i + 2, "1") &&
        is(c, i + 3, ")") && i + 4 < c->n && !is(c, i + 4, ";")) {
        s.kind = LP_CARRIER_LOOP, s.q = 2, s.value = 1;
        return add_site(c, f, &s, mix(LP_CARRIER_LOOP, 0), i, i + 3);
    }
    if (i == 0)
        return LP_OK;
    /* INC: the lvalue's extent and the spelling */
    {
        size_t lv0 = i, lv1 = 0, last = 0;
        int v = -1;
        if (is(c, i, "++")) {
            lv0 = i + 1;
            lv1 = term_end(c, lv0, 0);
            if (lv1)
                v = 1, last = lv1 - 1;
        } else if ((lv1 = term_end(c, i, 0)) != 0) {
            if (is(c, lv1, "++"))
                v = 0, last = lv1;
            else if (is(c, lv1, "+=") && is(c, lv1 + 1, "1"))
                v = 2, last = lv1 + 1;
        }
        if (v >= 0 && last + 1 < c->n) {
            size_t nx = last + 1;
            int stmt =
                c->encl[i] < 0 && stmt_before(c, i - 1) && is(c, nx, ";");
            int third = is(c, i - 1, ";") && c->encl[i] >= 0 &&
                        is_for(c, c->encl[i]) && is(c, nx, ")") &&
                        c->match[nx] == c->encl[i];
            if (stmt || third) {
                s.kind = LP_CARRIER_INC, s.q = 3, s.value = (uint8_t)v;
                s.a0 = c->t[lv0].off;
                s.a1 = c->t[lv1 - 1].off + c->t[lv1 - 1].len;
                return add_site(c, f, &s,
                                mix(LP_CARRIER_INC, norm_seq(c, lv0, lv1)), i,
                                last);
            }
        }
    }
    /* CMP */
    e = term_end(c, i, 1);
    if (e && e < c->n && c->t[e].kind == LP_CTOK_PUNCT) {
        static const char *const ops[] = {"<", "<=", ">", ">=", "==", "!="};
        size_t b1, L = i - 1, R;
        int op = -1;
        for (int k = 0; k < 6; k++)
            if (is(c, e, ops[k]))
                op = k;
        if (op < 0 || !(b1 = term_end(c, e + 1, 1)) || b1 >= c->n)
            return LP_OK;
        R = b1;
        int lok = is(c, L, "(") || is(c, L, "&&") || is(c, L, "||") ||
                  (is(c, L, "return") && c->encl[i] < 0) ||
                  (is(c, L, ";") && c->encl[i] >= 0 && is_for(c, c->encl[i]));
        int rok = (is(c, R, ")") && c->match[R] == c->encl[i]) ||
                  is(c, R, "&&") || is(c, R, "||") || is(c, R, ";");
        if (!lok || !rok || !no_call_around(c, i))
            return LP_OK;
        if (c->encl[i] < 0 && !is(c, L, "return"))
            return LP_OK;
        if (is(c, L, ";") && !is(c, R, ";"))
            return LP_OK;
        uint64_t ha = norm_seq(c, i, e), hb = norm_seq(c, e + 1, b1), canon;
        if (op < 4) {
            /* canonical: the '<' form */
            int gt = op >= 2;
            s.value = (uint8_t)gt;
            canon = mix(mix(LP_CARRIER_CMP, (uint64_t)(op & 1)),
                        gt ? mix(hb, ha) : mix(ha, hb));
        } else {
            if (ha == hb)
                return LP_OK; /* which is which would not survive renaming */
            s.value = ha < hb ? 0 : 1;
            canon = mix(mix(LP_CARRIER_CMP, (uint64_t)op),
                        ha < hb ? mix(ha, hb) : mix(hb, ha));
        }
        s.kind = LP_CARRIER_CMP, s.q = 2;
        s.a0 = c->t[i].off;
        s.a1 = c->t[e - 1].off + c->t[e - 1].len;
        s.op0 = c->t[e].off;
        s.b0 = c->t[e + 1].off;
        s.b1 = c->t[b1 - 1].off + c->t[b1 - 1].len;
        return add_site(c, f, &s, canon, i, b1 - 1);
    }
    return LP_OK;
}

/* A constant at token i, if it is one. */
static lp_err const_at(struct scan *c, struct found *f, size_t i, int upper)
{
    struct lp_carrier_site s;
    const struct lp_ctok *k = &c->t[i];
    uint64_t v;
    int r;
    size_t de;

    if (k->kind != LP_CTOK_NUMBER || c->site[i] >= 0 ||
        !parse_int(c->s + k->off, k->len, &v, &r, &de) || r == 8 || v < 16 ||
        v >= (1ull << 31) || ((v & (v - 1)) && (v & (v + 1))))
        return LP_OK;
    memset(&s, 0, sizeof s);
    s.kind = LP_CARRIER_CONST, s.q = 2, s.value = r == 16 ? 0 : 1;
    s.num = v;
    s.upper = (uint8_t)upper;
    s.a0 = k->off;
    s.a1 = k->off + (uint32_t)de;
    s.b0 = s.a1;
    s.b1 = k->off + k->len;
    return add_site(c, f, &s, norm_tok(c, i), i, i);
}

/* Brackets matched and the enclosing '(' of each token. */
static lp_err match_brackets(struct scan *c)
{
    int32_t *stack = lp_reallocarray(NULL, c->n + 1, sizeof *stack);
    size_t sp = 0;
    int32_t open_paren = -1;

    if (!stack)
        return LP_ENOMEM;
    for (size_t i = 0; i < c->n; i++) {
        c->match[i] = -1;
        c->site[i] = -1;
        c->encl[i] = open_paren;
        const char *p = c->s + c->t[i].off;
        if (c->t[i].kind != LP_CTOK_PUNCT || c->t[i].len != 1)
            continue;
        if (*p == '(' || *p == '[' || *p == '{') {
            stack[sp++] = (int32_t)i;
            if (*p == '(')
                open_paren = (int32_t)i;
            else
                open_paren = -1; /* a brace or bracket starts afresh */
        } else if (*p == ')' || *p == ']' || *p == '}') {
            char want = *p == ')' ? '(' : *p == ']' ? '[' : '{';
            if (sp && c->s[c->t[stack[sp - 1]].off] == want) {
                int32_t o = stack[--sp];
                c->match[i] = o;
                c->match[o] = (int32_t)i;
                c->encl[i] = c->encl[o];
            } else {
                sp = 0; /* unbalanced (a cut copy): forget what is open */
                c->encl[i] = -1;
            }
            /* the innermost '(' still open */
            open_paren = -1;
            for (size_t k = sp; k > 0; k--) {
                char ch = c->s[c->t[stack[k - 1]].off];
                if (ch == '(')
                    open_paren = stack[k - 1];
                break;
            }
        }
    }
    lp_free(stack);
    return LP_OK;
}

static int cmp_site_key(const void *a, const void *b)
{
    const struct lp_carrier_site *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key;
}

static int cmp_site_start(const void *a, const void *b)
{
    const struct lp_carrier_site *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

lp_err lp_carriers_find(const char *text, size_t len, char *err, size_t errlen,
                        struct lp_carrier_site **out, size_t *n)
{
    struct scan c;
    struct found f;
    struct lp_ctok *all = NULL;
    uint64_t *stream = NULL;
    size_t *pos = NULL, nall = 0, ns = 0, w = 0;
    int upper = 0, lower = 0;
    lp_err e;

    memset(&c, 0, sizeof c);
    memset(&f, 0, sizeof f);
    *out = NULL;
    *n = 0;
    if (len > LP_CARRIER_MAX_BYTES) {
        e = lp_errf(err, errlen, LP_ELIMIT, "text of %zu bytes, over %u", len,
                    LP_CARRIER_MAX_BYTES);
        goto out;
    }
    e = lp_ctok_lex(text, len, &all, &nall);
    if (e) {
        e = lp_errf(err, errlen, e, "tokenizing failed: %s", lp_strerror(e));
        goto out;
    }
    /* preprocessor lines out; the file's habit for hex digits noted */
    for (size_t i = 0; i < nall; i++) {
        if (all[i].pp)
            continue;
        all[w++] = all[i];
        if (all[i].kind == LP_CTOK_NUMBER && all[i].len > 2 &&
            text[all[i].off] == '0' && (text[all[i].off + 1] | 0x20) == 'x')
            for (uint32_t k = 2; k < all[i].len; k++) {
                char ch = text[all[i].off + k];
                upper += ch >= 'A' && ch <= 'F';
                lower += ch >= 'a' && ch <= 'f';
            }
    }
    c.s = text;
    c.t = all;
    c.n = w;
    c.match = lp_reallocarray(NULL, w + 1, sizeof *c.match);
    c.encl = lp_reallocarray(NULL, w + 1, sizeof *c.encl);
    c.site = lp_reallocarray(NULL, w + 1, sizeof *c.site);
    if (!c.match || !c.encl || !c.site) {
        e = lp_errf(err, errlen, LP_ENOMEM, "out of memory");
        goto out;
    }
    e = match_brackets(&c);
    for (size_t i = 0; !e && i < c.n; i++)
        if (c.site[i] < 0)
            e = site_at(&c, &f, i);
    for (size_t i = 0; !e && i < c.n; i++)
        e = const_at(&c, &f, i, upper > lower);
    if (e) {
        e = lp_errf(err, errlen, e,
                    e == LP_ELIMIT ? "more than %u carrier sites"
                                   : "out of memory (%u)",
                    LP_CARRIER_MAX_SITES);
        goto out;
    }
    /* the normalized stream, each site one canonical token */
    stream = lp_reallocarray(NULL, c.n + 1, sizeof *stream);
    pos = lp_reallocarray(NULL, f.n + 1, sizeof *pos);
    if (!stream || !pos) {
        e = lp_errf(err, errlen, LP_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < c.n;) {
        int32_t st = c.site[i];
        if (st >= 0) {
            pos[st] = ns;
            stream[ns++] = f.canon[st];
            i = f.last[st] + 1;
            continue;
        }
        /* "a" "b" is one literal: clang-format may split long ones */
        if (!(c.t[i].kind == LP_CTOK_STRING && i > 0 &&
              c.t[i - 1].kind == LP_CTOK_STRING))
            stream[ns++] = norm_tok(&c, i);
        i++;
    }
    for (size_t k = 0; k < f.n; k++) {
        size_t a = pos[k] > LP_CARRIER_WINDOW ? pos[k] - LP_CARRIER_WINDOW : 0;
        size_t b = pos[k] + LP_CARRIER_WINDOW + 1 < ns
                       ? pos[k] + LP_CARRIER_WINDOW + 1
                       : ns;
        uint64_t h = lp_hash64(stream + a, (b - a) * sizeof *stream);
        h = mix(h, (uint64_t)f.v[k].kind << 32 | (pos[k] - a));
        f.v[k].key = h;
    }
    /* keys seen twice are dropped */
    if (f.n > 1)
        qsort(f.v, f.n, sizeof *f.v, cmp_site_key);
    w = 0;
    for (size_t k = 0; k < f.n; k++) {
        uint64_t key = f.v[k].key;
        int dup = (k > 0 && f.v[k - 1].key == key) ||
                  (k + 1 < f.n && f.v[k + 1].key == key);
        if (!dup)
            f.v[w++] = f.v[k];
    }
    if (w > 1)
        qsort(f.v, w, sizeof *f.v, cmp_site_start);
    *out = f.v;
    *n = w;
    f.v = NULL;
    e = LP_OK;
out:
    lp_free(all);
    lp_free(c.match);
    lp_free(c.encl);
    lp_free(c.site);
    lp_free(f.v);
    lp_free(f.canon);
    lp_free(f.first);
    lp_free(f.last);
    lp_free(stream);
    lp_free(pos);
    return e;
}

struct buf {
    char *p;
    size_t n, cap;
    int oom;
};

static void put(struct buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 256;
        while (nc < b->n + n + 1)
            nc *= 2;
        char *np = lp_realloc(b->p, nc);
        if (!np) {
            b->oom = 1;
            return;
        }
        b->p = np;
        b->cap = nc;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void puts0(struct buf *b, const char *s)
{
    put(b, s, strlen(s));
}

static int word_char(char ch)
{
    unsigned char u = (unsigned char)ch;
    return u == '_' || u == '$' || u >= 0x80 || (u >= '0' && u <= '9') ||
           ((u | 0x20) >= 'a' && (u | 0x20) <= 'z') || u == '\'' || u == '"';
}

/* The site in spelling v (not its current one). */
static void respell(struct buf *b, const char *t,
                    const struct lp_carrier_site *s, uint8_t v, int tight)
{
    switch (s->kind) {
    case LP_CARRIER_INC:
        if (v == 1)
            puts0(b, "++");
        put(b, t + s->a0, s->a1 - s->a0);
        puts0(b, v == 0 ? "++" : v == 2 ? (tight ? "+=1" : " += 1") : "");
        break;
    case LP_CARRIER_CMP: {
        size_t ol = t[s->op0 + 1] == '=' ? 2 : 1;
        char op[3] = {t[s->op0], ol == 2 ? t[s->op0 + 1] : '\0', '\0'};
        if (op[0] == '<')
            op[0] = '>';
        else if (op[0] == '>')
            op[0] = '<';
        put(b, t + s->b0, s->b1 - s->b0);
        put(b, t + s->a1, s->op0 - s->a1); /* the spacing kept */
        put(b, op, ol);
        put(b, t + s->op0 + ol, s->b0 - (s->op0 + ol));
        put(b, t + s->a0, s->a1 - s->a0);
        break;
    }
    case LP_CARRIER_LOOP: {
        /* a space after the keyword when the original had one */
        size_t kl = s->value == 0 ? 3 : 5;
        int sp = t[s->start + kl] != '(';
        puts0(b, v == 0 ? (sp ? "for (;;)" : "for(;;)")
                        : (sp ? "while (1)" : "while(1)"));
        break;
    }
    case LP_CARRIER_CONST: {
        char d[32];
        if (v == 0)
            snprintf(d, sizeof d, s->upper ? "0x%llX" : "0x%llx",
                     (unsigned long long)s->num);
        else
            snprintf(d, sizeof d, "%llu", (unsigned long long)s->num);
        puts0(b, d);
        put(b, t + s->b0, s->b1 - s->b0);
        break;
    }
    default: break;
    }
}

lp_err lp_carriers_apply(const char *text, size_t len,
                         const struct lp_carrier_site *sites,
                         const uint8_t *values, size_t n, char *err,
                         size_t errlen, char **out, size_t *outlen)
{
    struct buf b = {NULL, 0, 0, 0};
    size_t at = 0, spaced = 0, bare = 0;
    int tight;

    /* `x+=1` in a file that writes its compound assignments unspaced */
    for (size_t i = 1; i + 1 < len; i++)
        if (text[i + 1] == '=' && strchr("+-*/|&^", text[i])) {
            if (text[i - 1] == ' ')
                spaced++;
            else
                bare++;
        }
    tight = bare > spaced;

    *out = NULL;
    *outlen = 0;
    for (size_t i = 0; i < n; i++) {
        const struct lp_carrier_site *s = &sites[i];
        if (s->start < at || s->end > len || s->end <= s->start ||
            values[i] >= s->q || s->kind < LP_CARRIER_INC ||
            s->kind > LP_CARRIER_CONST) {
            lp_free(b.p);
            return lp_errf(err, errlen, LP_EINVAL,
                           "carrier site %zu out of order or range, or value "
                           "%u >= %u",
                           i, values[i], s->q);
        }
        put(&b, text + at, s->start - at);
        if (values[i] == s->value) {
            put(&b, text + s->start, s->end - s->start);
        } else {
            /* `else++i;` respelled must not give `elsei++;` */
            size_t mark = b.n;
            respell(&b, text, s, values[i], tight);
            if (!b.oom && mark > 0 && b.n > mark && word_char(b.p[mark - 1]) &&
                word_char(b.p[mark])) {
                put(&b, " ", 1);
                if (!b.oom) {
                    memmove(b.p + mark + 1, b.p + mark, b.n - mark - 1);
                    b.p[mark] = ' ';
                }
            }
            if (!b.oom && s->end < len && b.n > 0 && word_char(b.p[b.n - 1]) &&
                word_char(text[s->end]))
                put(&b, " ", 1);
        }
        at = s->end;
    }
    put(&b, text + at, len - at);
    if (b.oom) {
        lp_free(b.p);
        return lp_errf(err, errlen, LP_ENOMEM, "out of memory");
    }
    *out = b.p;
    *outlen = b.n;
    return LP_OK;
}

static int cmp_mark(const void *a, const void *b)
{
    const struct lp_carrier_mark *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key;
}

lp_err lp_carriers_read(const char *text, size_t len, char *err, size_t errlen,
                        struct lp_carrier_mark **out, size_t *n)
{
    struct lp_carrier_site *s = NULL;
    struct lp_carrier_mark *m;
    size_t ns = 0;
    lp_err e;

    *out = NULL;
    *n = 0;
    e = lp_carriers_find(text, len, err, errlen, &s, &ns);
    if (e)
        return e;
    m = lp_reallocarray(NULL, ns + 1, sizeof *m);
    if (!m) {
        lp_free(s);
        return lp_errf(err, errlen, LP_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < ns; i++) {
        m[i].key = s[i].key;
        m[i].kind = s[i].kind;
        m[i].value = s[i].value;
    }
    lp_free(s);
    if (ns > 1)
        qsort(m, ns, sizeof *m, cmp_mark);
    *out = m;
    *n = ns;
    return LP_OK;
}

const struct lp_carrier_mark *
lp_carriers_lookup(const struct lp_carrier_mark *marks, size_t n, uint64_t key)
{
    struct lp_carrier_mark k = {key, 0, 0};
    if (!marks || n == 0)
        return NULL;
    return bsearch(&k, marks, n, sizeof *marks, cmp_mark);
}
