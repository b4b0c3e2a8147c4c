/* SPDX-License-Identifier: Apache-2.0
 *
 * jsonl_read: a JSONL report back into the result model (jsonl_read.h).
 * One pass: file and finding lines go into the model as they come, naming
 * collections, versions and rules by provisional indices (the names met so
 * far, in order); the last line brings the real tables, each provisional
 * index is then mapped to its entry there, or the line that first gave the
 * name is reported. Until the last line is read the model is never handed
 * out, so no writer sees a provisional index. Every array the model gets
 * is counted as soon as it is allocated, zeroed, so that lp_scan_free()
 * frees whatever a failure leaves half filled.
 */
#include "jsonl_read.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "extract.h"
#include "hash.h"
#include "licence.h"
#include "limits.h"
#include "mem.h"
#include "report.h"
#include "rules.h"
#include "walk.h"
#include "banned.h"

/* ---- names met: a key, the line that gave it first, and its index in
 * the last line's table once resolved. Keys: a collection's name; a
 * version's "collection\0version"; a rule's kind ('s' secret, 'e'
 * exposure), '\0', id. Found through open addressing (index + 1, 0:
 * empty). ---- */

struct name {
    char *key;
    size_t len;
    size_t line;
    uint32_t to;
};

struct names {
    struct name *v;
    size_t n, cap;
    uint32_t *slot;
    size_t nslot; /* a power of two, or 0 */
};

static void names_release(struct names *t)
{
    for (size_t i = 0; i < t->n; i++)
        lp_free(t->v[i].key);
    lp_free(t->v);
    lp_free(t->slot);
    memset(t, 0, sizeof *t);
}

/* Where key is, or the empty slot where it would go. */
static size_t names_slot(const struct names *t, const char *key, size_t len)
{
    size_t mask = t->nslot - 1, i = lp_hash64(key, len) & mask;
    while (t->slot[i]) {
        const struct name *e = &t->v[t->slot[i] - 1];
        if (e->len == len && !memcmp(e->key, key, len))
            break;
        i = (i + 1) & mask;
    }
    return i;
}

/* Index of key, or UINT32_MAX when it is not there. */
static uint32_t names_find(const struct names *t, const char *key, size_t len)
{
    if (!t->nslot)
        return UINT32_MAX;
    size_t i = names_slot(t, key, len);
    return t->slot[i] ? t->slot[i] - 1 : UINT32_MAX;
}

static bool names_rehash(struct names *t)
{
    size_t n = t->nslot ? 2 * t->nslot : 64;
    uint32_t *slot = lp_calloc(n, sizeof *slot);
    if (!slot)
        return false;
    lp_free(t->slot);
    t->slot = slot;
    t->nslot = n;
    for (size_t k = 0; k < t->n; k++)
        t->slot[names_slot(t, t->v[k].key, t->v[k].len)] = (uint32_t)k + 1;
    return true;
}

/* Index of key in *idx, added when new (*fresh then true); false when out
 * of memory. */
static bool names_add(struct names *t, const char *key, size_t len,
                      size_t line, uint32_t *idx, bool *fresh)
{
    if ((t->n + 1) * 2 > t->nslot && !names_rehash(t))
        return false;
    size_t i = names_slot(t, key, len);
    *fresh = !t->slot[i];
    if (!*fresh) {
        *idx = t->slot[i] - 1;
        return true;
    }
    char *k = t->n < UINT32_MAX - 1 ? lp_malloc(len + 1) : NULL;
    if (!k || !lp_grow((void **)&t->v, &t->cap, t->n + 1, sizeof *t->v)) {
        lp_free(k);
        return false;
    }
    memcpy(k, key, len);
    k[len] = '\0';
    t->v[t->n] = (struct name){k, len, line, UINT32_MAX};
    *idx = (uint32_t)t->n++;
    t->slot[i] = *idx + 1;
    return true;
}

/* ---- the reader ---- */

enum rd_kind { RD_UNKNOWN, RD_SCAN, RD_SECRETS };

struct rd {
    const char *name;
    char *why;
    size_t whylen;
    size_t line; /* of the line being read, from 1 */
    struct lp_scan *s;
    enum rd_kind kind;
    bool done;       /* the last line was read */
    bool group_open; /* findings of the same place go to the last file */
    size_t nlined;   /* files of a scan's lines: the first ones */
    size_t fcap, scap, kcap; /* capacities of files, the last file's
                                secrets, known */
    struct names col, ver, rule;    /* as the lines name them */
    struct names tcol, tver, trule; /* the last line's tables */
    char *key; /* scratch for the keys of versions and rules */
    size_t keycap;
};

static lp_err vfail_at(struct rd *r, size_t line, lp_err err, const char *fmt,
                       va_list ap) __attribute__((format(printf, 4, 0)));
static lp_err vfail_at(struct rd *r, size_t line, lp_err err, const char *fmt,
                       va_list ap)
{
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    return lp_errf(r->why, r->whylen, err, "%s:%zu: %s", r->name, line, msg);
}

static lp_err fail_at(struct rd *r, size_t line, lp_err err, const char *fmt,
                      ...) __attribute__((format(printf, 4, 5)));
static lp_err fail_at(struct rd *r, size_t line, lp_err err, const char *fmt,
                      ...)
{
    va_list ap;
    va_start(ap, fmt);
    err = vfail_at(r, line, err, fmt, ap);
    va_end(ap);
    return err;
}

/* A reason about the line being read: LP_EFORMAT. */
static lp_err bad(struct rd *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static lp_err bad(struct rd *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lp_err err = vfail_at(r, r->line, LP_EFORMAT, fmt, ap);
    va_end(ap);
    return err;
}

static lp_err nomem(struct rd *r)
{
    return fail_at(r, r->line, LP_ENOMEM, "out of memory");
}

/* s quoted for a message: control bytes escaped, cut at 80 bytes. */
struct quoted {
    char s[96];
};

static struct quoted q(const char *s)
{
    struct quoted o;
    char cut[84];
    size_t n = strnlen(s, sizeof cut - 1);
    memcpy(cut, s, n);
    cut[n] = '\0';
    lp_utf8_escape(cut, o.s, sizeof o.s);
    return o;
}

/* ---- fields: each present, of its type and range, or a reason ---- */

/* o[key], which must be there with type t (JSON_REAL: any number,
 * JSON_TRUE: a boolean). */
static lp_err field(struct rd *r, json_t *o, const char *key, json_type t,
                    json_t **out)
{
    static const char *const what[] = {
        [JSON_OBJECT] = "an object", [JSON_ARRAY] = "an array",
        [JSON_STRING] = "a string",  [JSON_INTEGER] = "an integer",
        [JSON_REAL] = "a number",    [JSON_TRUE] = "a boolean",
        [JSON_FALSE] = "a boolean",  [JSON_NULL] = "null"};
    json_t *v = json_object_get(o, key);
    *out = v;
    if (!v)
        return bad(r, "'%s' missing", key);
    json_type vt = json_typeof(v);
    if (vt == t || (t == JSON_REAL && vt == JSON_INTEGER) ||
        (t == JSON_TRUE && vt == JSON_FALSE))
        return LP_OK;
    return bad(r, "'%s': not %s", key, what[t]);
}

static lp_err get_uint(struct rd *r, json_t *o, const char *key, uint64_t max,
                       uint64_t *out)
{
    json_t *v;
    lp_err err = field(r, o, key, JSON_INTEGER, &v);
    if (err)
        return err;
    json_int_t x = json_integer_value(v);
    if (x < 0 || (uint64_t)x > max)
        return bad(r, "'%s': %" JSON_INTEGER_FORMAT " not in 0..%" PRIu64, key,
                   x, max);
    *out = (uint64_t)x;
    return LP_OK;
}

static lp_err get_u32(struct rd *r, json_t *o, const char *key, uint32_t *out)
{
    uint64_t v;
    lp_err err = get_uint(r, o, key, UINT32_MAX, &v);
    *out = (uint32_t)v;
    return err;
}

static lp_err get_size(struct rd *r, json_t *o, const char *key, size_t *out)
{
    uint64_t v;
    lp_err err = get_uint(r, o, key, SIZE_MAX, &v);
    *out = (size_t)v;
    return err;
}

/* The largest number of a report (evidence, the largest, is a sum of
 * weights of at most a file's fingerprints); the writers round to 4
 * decimals, which must stay finite. */
#define MAX_NUMBER 1e12

/* A number of 0..MAX_NUMBER: the reports have no negative one. */
static lp_err get_num(struct rd *r, json_t *o, const char *key, double *out)
{
    json_t *v;
    lp_err err = field(r, o, key, JSON_REAL, &v);
    *out = err ? 0 : json_number_value(v);
    if (!err && !(*out >= 0 && *out <= MAX_NUMBER))
        return bad(r, "'%s': %g not in 0..%g", key, *out, MAX_NUMBER);
    return err;
}

static lp_err get_bool(struct rd *r, json_t *o, const char *key, bool *out)
{
    json_t *v;
    lp_err err = field(r, o, key, JSON_TRUE, &v);
    *out = !err && json_is_true(v);
    return err;
}

/* A string, borrowed from o; jansson refuses "\u0000", so len is its
 * strlen. */
static lp_err get_str(struct rd *r, json_t *o, const char *key,
                      const char **out, size_t *len)
{
    json_t *v;
    lp_err err = field(r, o, key, JSON_STRING, &v);
    *out = err ? "" : json_string_value(v);
    *len = err ? 0 : json_string_length(v);
    return err;
}

/* A copy of a string: *out is NULL or the caller's to free. */
static lp_err dup_str(struct rd *r, json_t *o, const char *key, char **out)
{
    const char *v;
    size_t len;
    lp_err err = get_str(r, o, key, &v, &len);
    if (!err && !(*out = lp_strndup(v, len)))
        err = nomem(r);
    return err;
}

/* The bytes of a name that is no valid UTF-8 (docs/ENCODING.md): key
 * ("path_b64", "asset_b64") decoded into *out, the caller's to free; NULL
 * when o has no such key (the name is its UTF-8 string). */
static lp_err get_b64(struct rd *r, json_t *o, const char *key, char **out)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v)
        return LP_OK;
    if (!json_is_string(v))
        return bad(r, "'%s': not a string", key);
    lp_err err = lp_report_unb64(json_string_value(v), json_string_length(v),
                                 out);
    if (err == LP_ENOMEM)
        return nomem(r);
    if (err)
        return bad(r, "'%s': not the base64 of a name", key);
    return LP_OK;
}

/* A name (a path): the bytes of b64key when there, else the string key
 * (which must be there all the same). *out: the caller's to free. */
static lp_err dup_path(struct rd *r, json_t *o, const char *key,
                       const char *b64key, char **out)
{
    const char *v;
    size_t len;
    lp_err err = get_str(r, o, key, &v, &len);
    if (err || (err = get_b64(r, o, b64key, out)) || *out)
        return err;
    if (!(*out = lp_strndup(v, len)))
        return nomem(r);
    return LP_OK;
}

/* A string into a fixed buffer of `size` bytes (with its NUL). */
static lp_err copy_str(struct rd *r, json_t *o, const char *key, char *buf,
                       size_t size)
{
    const char *v;
    size_t len;
    lp_err err = get_str(r, o, key, &v, &len);
    if (err)
        return err;
    if (len >= size)
        return bad(r, "'%s': longer than %zu bytes", key, size - 1);
    memcpy(buf, v, len + 1);
    return LP_OK;
}

static lp_err get_array(struct rd *r, json_t *o, const char *key, json_t **a,
                        size_t *n)
{
    lp_err err = field(r, o, key, JSON_ARRAY, a);
    *n = err ? 0 : json_array_size(*a);
    return err;
}

/* [first, last], each in 0..UINT32_MAX. */
static lp_err get_pair(struct rd *r, json_t *o, const char *key,
                       uint32_t out[2])
{
    json_t *a;
    size_t n;
    lp_err err = get_array(r, o, key, &a, &n);
    for (size_t i = 0; !err && i < 2; i++) {
        json_t *v = json_array_get(a, i);
        json_int_t x = json_integer_value(v);
        if (n != 2 || !json_is_integer(v) || x < 0 || x > UINT32_MAX)
            return bad(r, "'%s': not two integers of 0..%" PRIu32, key,
                       UINT32_MAX);
        out[i] = (uint32_t)x;
    }
    return err;
}

/* Lower-case hex of n bytes (as lp_hex() writes it) into out. */
static lp_err get_hex(struct rd *r, json_t *o, const char *key, uint8_t *out,
                      size_t n)
{
    const char *v;
    size_t len;
    lp_err err = get_str(r, o, key, &v, &len);
    if (err)
        return err;
    for (size_t i = 0; len == 2 * n && i < len; i++)
        if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f')))
            len = 0;
    if (len != 2 * n)
        return bad(r, "'%s': not %zu lower-case hex digits", key, 2 * n);
    for (size_t i = 0; i < n; i++) {
        int hi = v[2 * i] <= '9' ? v[2 * i] - '0' : v[2 * i] - 'a' + 10;
        int lo = v[2 * i + 1] <= '9' ? v[2 * i + 1] - '0'
                                     : v[2 * i + 1] - 'a' + 10;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return LP_OK;
}

static const char *kind_at(int k)
{
    return lp_kind_name((enum lp_kind)k);
}

static const char *doc_at(int k)
{
    return lp_doc_name((enum lp_doc)k);
}

static const char *format_at(int k)
{
    return lp_listing_format_name((enum lp_listing_format)k);
}

static const char *how_at(int k)
{
    return lp_how_name((enum lp_how)k);
}

static const char *level_at(int k)
{
    return lp_level_name((enum lp_level)k);
}

/* A name of an enum: the value in lo..hi whose name() it is. */
static lp_err get_enum(struct rd *r, json_t *o, const char *key,
                       const char *(*name)(int), int lo, int hi, int *out)
{
    const char *v;
    size_t len;
    lp_err err = get_str(r, o, key, &v, &len);
    if (err)
        return err;
    for (int k = lo; k <= hi; k++)
        if (!strcmp(name(k), v)) {
            *out = k;
            return LP_OK;
        }
    return bad(r, "'%s': unknown value '%s'", key, q(v).s);
}

/* Days from 1970-01-01 to a day of the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The number of `n` digits at s, or -1. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = 10 * v + (s[i] - '0');
    }
    return v;
}

/* A time as lp_format_time() writes it ("2024-01-10T10:00:00Z"; the
 * seconds themselves out of gmtime's range), into *out. Writing the result
 * again must give the same text: nothing else is a time. `day` alone:
 * "2024-01-10", its midnight. */
static bool parse_time(const char *t, bool day, int64_t *out)
{
    char again[32];
    size_t len = strlen(t);
    if (len == (day ? 10 : 20) && t[4] == '-' && t[7] == '-' &&
        (day || (t[10] == 'T' && t[13] == ':' && t[16] == ':' &&
                 t[19] == 'Z'))) {
        int y = digits(t, 4), mo = digits(t + 5, 2), d = digits(t + 8, 2);
        int h = day ? 0 : digits(t + 11, 2), mi = day ? 0 : digits(t + 14, 2),
            se = day ? 0 : digits(t + 17, 2);
        if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 ||
            mi < 0 || se < 0)
            return false;
        *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    } else if (!day && len > 0 && len < 21) {
        char *end;
        errno = 0;
        long long v = strtoll(t, &end, 10);
        if (errno || *end)
            return false;
        *out = v;
    } else {
        return false;
    }
    lp_format_time(*out, again);
    if (day && strlen(again) >= 10)
        again[10] = '\0';
    return !strcmp(again, t);
}

/* The scratch key a '\0' b (blen bytes) in r->key, its length in *len. */
static lp_err make_key(struct rd *r, const char *a, size_t alen,
                       const char *b, size_t blen, size_t *len)
{
    size_t n;
    if (!lp_add_ok(alen, blen, &n) || !lp_add_ok(n, 2, &n) ||
        !lp_grow((void **)&r->key, &r->keycap, n, 1))
        return nomem(r);
    memcpy(r->key, a, alen);
    r->key[alen] = '\0';
    memcpy(r->key + alen + 1, b, blen);
    r->key[alen + 1 + blen] = '\0';
    *len = alen + 1 + blen;
    return LP_OK;
}

/* ---- a scan's file lines ---- */

/* A new file result at the end of s->files: zeroed and counted. */
static lp_err new_file(struct rd *r, struct lp_file_result **out)
{
    struct lp_scan *s = r->s;
    if (!lp_grow((void **)&s->files, &r->fcap, s->nfiles + 1,
                 sizeof *s->files))
        return nomem(r);
    *out = &s->files[s->nfiles++];
    memset(*out, 0, sizeof **out);
    r->scap = 0;
    return LP_OK;
}

/* A zeroed array of n elements (at least one allocated), or NULL. */
static void *new_array(size_t n, size_t size)
{
    return lp_calloc(n ? n : 1, size);
}

static lp_err read_span(struct rd *r, json_t *o, struct lp_span *sp)
{
    int how = 0;
    lp_err err;
    if (!json_is_object(o))
        return bad(r, "a span is not an object");
    if ((err = get_pair(r, o, "lines", sp->lines)) ||
        (err = get_pair(r, o, "asset_lines", sp->asset_lines)) ||
        (err = get_enum(r, o, "how", how_at, 0, LP_HOW_RENAMED, &how)) ||
        (err = get_u32(r, o, "fingerprints", &sp->nfp)))
        return err;
    sp->how = (uint8_t)how;
    if (json_object_get(o, "pages")) {
        if ((err = get_pair(r, o, "pages", sp->pages)))
            return err;
        if (!sp->pages[0]) // 0 means a span without pages
            return bad(r, "'pages': page 0");
    }
    return LP_OK;
}

static lp_err read_match(struct rd *r, json_t *o, struct lp_match *m)
{
    const char *c, *v;
    size_t clen, vlen, klen, n;
    uint64_t tlsh;
    json_t *spans;
    bool fresh;
    lp_err err;
    if (!json_is_object(o))
        return bad(r, "a match is not an object");
    if ((err = get_str(r, o, "collection", &c, &clen)) ||
        (err = get_str(r, o, "version", &v, &vlen)) ||
        (err = dup_path(r, o, "asset", "asset_b64", &m->asset)) ||
        (err = get_num(r, o, "similarity", &m->similarity)) ||
        (err = get_num(r, o, "coverage", &m->coverage)) ||
        (err = get_bool(r, o, "exact", &m->exact)) ||
        (err = get_u32(r, o, "fingerprints", &m->nfp)) ||
        (err = get_num(r, o, "evidence", &m->evidence)) ||
        (err = get_array(r, o, "spans", &spans, &n)))
        return err;
    if (!names_add(&r->col, c, clen, r->line, &m->collection, &fresh) ||
        make_key(r, c, clen, v, vlen, &klen) ||
        !names_add(&r->ver, r->key, klen, r->line, &m->version, &fresh))
        return nomem(r);
    if (json_object_get(o, "tlsh_distance")) {
        if ((err = get_uint(r, o, "tlsh_distance", UINT16_MAX - 1, &tlsh)))
            return err;
        m->tlsh = (uint16_t)(tlsh + 1);
    }
    if (!(m->spans = new_array(n, sizeof *m->spans)))
        return nomem(r);
    m->nspans = n;
    for (size_t i = 0; i < m->nspans; i++)
        if ((err = read_span(r, json_array_get(spans, i), &m->spans[i])))
            return err;
    return LP_OK;
}

/* A directory of a listing's collection or of a scope. */
static lp_err read_dir(struct rd *r, json_t *o, char **dir, uint32_t *matched,
                       uint32_t *total)
{
    lp_err err;
    if (!json_is_object(o))
        return bad(r, "a directory is not an object");
    if ((err = dup_path(r, o, "path", "path_b64", dir)) ||
        (err = get_u32(r, o, "matched", matched)) ||
        (err = get_u32(r, o, "files", total)))
        return err;
    return LP_OK;
}

static lp_err read_hit(struct rd *r, json_t *o, struct lp_listing_hit *h)
{
    const char *c;
    size_t clen, n;
    json_t *dirs;
    bool fresh;
    lp_err err;
    if (!json_is_object(o))
        return bad(r, "a listing's collection is not an object");
    if ((err = get_str(r, o, "name", &c, &clen)) ||
        (err = get_u32(r, o, "entries_matched", &h->matched)) ||
        (err = get_u32(r, o, "assets_named", &h->registered)) ||
        (err = get_u32(r, o, "assets_total", &h->total)) ||
        (err = dup_path(r, o, "listing_root", "listing_root_b64",
                        &h->listing_root)) ||
        (err = dup_path(r, o, "registry_root", "registry_root_b64",
                        &h->registry_root)) ||
        (err = get_array(r, o, "directories", &dirs, &n)))
        return err;
    /* absent from reports written before sizes and hashes were checked */
    json_t *how = json_object_get(o, "how");
    if (how && (!json_is_object(how) ||
                (err = get_u32(r, how, "size", &h->by_size)) ||
                (err = get_u32(r, how, "sha256", &h->by_sha256)) ||
                (err = get_u32(r, how, "git-blob", &h->by_git))))
        return err ? err : bad(r, "a listing's 'how' is not an object");
    /* a report from before names were weighed: each name counted */
    h->distinctive = h->registered;
    if (json_object_get(o, "distinctive") &&
        (err = get_u32(r, o, "distinctive", &h->distinctive)))
        return err;
    if (!names_add(&r->col, c, clen, r->line, &h->collection, &fresh) ||
        !(h->dirs = new_array(n, sizeof *h->dirs)))
        return nomem(r);
    h->ndirs = n;
    for (size_t i = 0; i < n; i++)
        if ((err = read_dir(r, json_array_get(dirs, i), &h->dirs[i].dir,
                            &h->dirs[i].matched, &h->dirs[i].total)))
            return err;
    return LP_OK;
}

static lp_err read_listing(struct rd *r, json_t *o, struct lp_file_result *f)
{
    int format = 0;
    json_t *hits;
    size_t n;
    lp_err err;
    if (!json_is_object(o))
        return bad(r, "'listing': not an object");
    if ((err = get_enum(r, o, "format", format_at, 0, LP_LISTING_LAST,
                        &format)) ||
        (err = get_u32(r, o, "entries", &f->listing_files)) ||
        (err = get_array(r, o, "collections", &hits, &n)))
        return err;
    f->listing_format = (uint8_t)format;
    struct lp_listing_result *l = lp_calloc(1, sizeof *l);
    if (!l)
        return nomem(r);
    f->listing = l;
    l->files = f->listing_files;
    if (!(l->hits = new_array(n, sizeof *l->hits)))
        return nomem(r);
    l->nhits = n;
    for (size_t i = 0; i < n; i++)
        if ((err = read_hit(r, json_array_get(hits, i), &l->hits[i])))
            return err;
    return LP_OK;
}

/* A line of a scan: an entry of the JSON document's "files". */
static lp_err read_file_line(struct rd *r, json_t *o)
{
    struct lp_file_result *f;
    json_t *ms, *listing = json_object_get(o, "listing");
    int kind = 0, doc = 0;
    size_t n;
    lp_err err;
    if (r->kind == RD_SECRETS)
        return bad(r, "a file's line in a report of secrets");
    r->kind = RD_SCAN;
    r->group_open = false;
    if ((err = new_file(r, &f)))
        return err;
    r->nlined++;
    if ((err = dup_path(r, o, "path", "path_b64", &f->path)) ||
        (err = get_hex(r, o, "sha256", f->sha, sizeof f->sha)) ||
        (err = get_enum(r, o, "kind", kind_at, LP_KIND_OTHER,
                        LP_KIND_LISTING, &kind)) ||
        (json_object_get(o, "document") &&
         (err = get_enum(r, o, "document", doc_at, LP_DOC_PDF, LP_DOC_RTF,
                         &doc))) ||
        (err = get_array(r, o, "matches", &ms, &n)) ||
        (json_object_get(o, "matches_more") &&
         (err = get_u32(r, o, "matches_more", &f->matches_more))))
        return err;
    if (json_object_get(o, "commit")) { /* a blob of a git history */
        const char *day;
        size_t dlen;
        if ((err = get_hex(r, o, "commit", f->commit, sizeof f->commit)) ||
            (err = get_str(r, o, "commit_date", &day, &dlen)))
            return err;
        if (!parse_time(day, true, &f->commit_time))
            return bad(r, "'commit_date': not a day (YYYY-MM-DD)");
        f->has_commit = true;
    }
    f->kind = (uint8_t)kind;
    f->doc = (uint8_t)doc;
    if (!(f->matches = new_array(n, sizeof *f->matches)))
        return nomem(r);
    f->nmatches = n;
    for (size_t i = 0; i < f->nmatches; i++)
        if ((err = read_match(r, json_array_get(ms, i), &f->matches[i])))
            return err;
    return listing ? read_listing(r, listing, f) : LP_OK;
}

/* The listings of a scan's last line (none in a report written before
 * they left "files"): a file result each, after the files of the lines;
 * before resolve(), which maps the collections they name. */
static lp_err read_listings(struct rd *r, json_t *last)
{
    json_t *a, *o;
    struct lp_file_result *f;
    size_t n;
    lp_err err;
    if (!json_object_get(last, "listings"))
        return LP_OK;
    if ((err = get_array(r, last, "listings", &a, &n)))
        return err;
    r->group_open = false;
    for (size_t i = 0; i < n; i++) {
        if (!json_is_object(o = json_array_get(a, i)))
            return bad(r, "a listing is not an object");
        if ((err = new_file(r, &f)))
            return err;
        r->nlined++;
        f->kind = LP_KIND_LISTING;
        if ((err = dup_path(r, o, "path", "path_b64", &f->path)) ||
            (err = get_hex(r, o, "sha256", f->sha, sizeof f->sha)) ||
            (err = read_listing(r, json_object_get(o, "listing"), f)))
            return err;
    }
    return LP_OK;
}

/* The files noted licence-only in a scan's last line (report_json.c,
 * licence_only_json(); absent when none): a file result each, without a
 * match. The licence must be one this build knows. */
static lp_err read_licence_only(struct rd *r, json_t *last)
{
    json_t *a, *o;
    struct lp_file_result *f;
    const char *name;
    size_t n, len;
    lp_err err;
    if (!json_object_get(last, "licence_only"))
        return LP_OK;
    if ((err = get_array(r, last, "licence_only", &a, &n)))
        return err;
    r->group_open = false;
    for (size_t i = 0; i < n; i++) {
        if (!json_is_object(o = json_array_get(a, i)))
            return bad(r, "a licence-only file is not an object");
        if ((err = new_file(r, &f)))
            return err;
        r->nlined++;
        unsigned id = 0;
        if ((err = dup_path(r, o, "path", "path_b64", &f->path)) ||
            (err = get_str(r, o, "licence", &name, &len)) ||
            (err = get_u32(r, o, "fingerprints", &f->licence_nfp)))
            return err;
        if (!(id = lp_licence_find(name, len)) || id > UINT16_MAX)
            return bad(r, "'licence_only': unknown licence '%s'",
                       q(name).s);
        f->licence = (uint16_t)id;
    }
    return LP_OK;
}

/* ---- findings: the lines of `secrets`, the arrays of a scan's last
 * line ---- */

/* What the registry knows of the secret x (CONTRACT.md "known_in"...),
 * added to s->known; sorted by sort_known() at the end. */
static lp_err read_known(struct rd *r, json_t *o,
                         const struct lp_secret_finding *x)
{
    struct lp_scan *s = r->s;
    json_t *in;
    size_t n;
    lp_err err;
    if (!lp_grow((void **)&s->known, &r->kcap, s->nknown + 1,
                 sizeof *s->known))
        return nomem(r);
    struct lp_secret_known *k = &s->known[s->nknown++];
    memset(k, 0, sizeof *k);
    memcpy(k->fp, x->fp, sizeof k->fp);
    if ((err = get_bool(r, o, "still_present", &k->still_present)) ||
        (err = copy_str(r, o, "known_version", k->version,
                        sizeof k->version)) ||
        (err = get_array(r, o, "known_in", &in, &n)))
        return err;
    if (n < 1 || n > LP_KNOWN_MAX)
        return bad(r, "'known_in': not 1 to %d places", LP_KNOWN_MAX);
    /* the places' bytes, when one is no valid UTF-8 */
    json_t *raw = json_object_get(o, "known_in_b64");
    if (raw && (!json_is_array(raw) || json_array_size(raw) != n))
        return bad(r, "'known_in_b64': not one name per place");
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(in, i);
        if (!json_is_string(v))
            return bad(r, "'known_in': not strings");
        json_t *b = raw ? json_array_get(raw, i) : NULL;
        if (b) {
            if (!json_is_string(b))
                return bad(r, "'known_in_b64': not strings");
            err = lp_report_unb64(json_string_value(b), json_string_length(b),
                                  &k->in[i]);
            if (err == LP_ENOMEM)
                return nomem(r);
            if (err)
                return bad(r, "'known_in_b64': not the base64 of a name");
        } else if (!(k->in[i] = lp_strndup(json_string_value(v),
                                           json_string_length(v)))) {
            return nomem(r);
        }
        k->nin = i + 1;
    }
    return LP_OK;
}

/* The file a finding at path (commit when has_commit) goes to: the last
 * one when it is of the same place and findings are being grouped, else a
 * new one. */
static lp_err finding_file(struct rd *r, const char *path, size_t len,
                           bool has_commit, const uint8_t *commit,
                           int64_t when, struct lp_file_result **out)
{
    struct lp_scan *s = r->s;
    struct lp_file_result *f = s->nfiles ? &s->files[s->nfiles - 1] : NULL;
    if (r->group_open && f && !strcmp(f->path, path) &&
        f->has_commit == has_commit &&
        (!has_commit || !memcmp(f->commit, commit, sizeof f->commit))) {
        *out = f;
        return LP_OK;
    }
    lp_err err = new_file(r, &f);
    if (err)
        return err;
    if (!(f->path = lp_strndup(path, len)))
        return nomem(r);
    f->has_commit = has_commit;
    if (has_commit)
        memcpy(f->commit, commit, sizeof f->commit);
    f->commit_time = when;
    r->group_open = true;
    *out = f;
    return LP_OK;
}

/* The rule a finding names: in the last line's table when it has been read
 * (`now`), else the provisional index of the name. */
static lp_err finding_rule(struct rd *r, json_t *o, bool exposure, bool now,
                           uint32_t *out)
{
    const char *id;
    size_t len, klen;
    bool fresh;
    lp_err err = get_str(r, o, "rule", &id, &len);
    if (err)
        return err;
    if (now) {
        *out = names_find(&r->trule, id, len);
        if (*out == UINT32_MAX)
            return bad(r, "unknown rule '%s'", q(id).s);
        if (!(r->s->rules[*out].flags & LP_RULE_EXPOSURE) != !exposure)
            return bad(r, "rule '%s' is %s exposure rule", q(id).s,
                       exposure ? "not an" : "an");
        return LP_OK;
    }
    if ((err = make_key(r, exposure ? "e" : "s", 1, id, len, &klen)))
        return err;
    if (!names_add(&r->rule, r->key, klen, r->line, out, &fresh))
        return nomem(r);
    return LP_OK;
}

/* A secret (exposure false) or an exposure o, with fp the exposure's
 * fingerprint (may be NULL). `now`: the rules are known (a scan's last
 * line). */
static lp_err read_finding(struct rd *r, json_t *o, json_t *fp, bool exposure,
                           bool now)
{
    const char *path, *day = "";
    size_t len, dlen;
    uint8_t commit[20] = {0};
    int64_t when = 0;
    bool has_commit = json_object_get(o, "commit") != NULL;
    struct lp_file_result *f = NULL;
    struct lp_secret_finding x;
    lp_err err;
    if (!json_is_object(o))
        return bad(r, "a %s is not an object",
                   exposure ? "exposure" : "secret");
    memset(&x, 0, sizeof x);
    if ((err = get_str(r, o, "path", &path, &len)) ||
        (has_commit &&
         ((err = get_hex(r, o, "commit", commit, sizeof commit)) ||
          (err = get_str(r, o, "commit_date", &day, &dlen)))) ||
        (err = get_u32(r, o, "line", &x.line)) ||
        (err = get_u32(r, o, "column", &x.column)) ||
        (err = finding_rule(r, o, exposure, now, &x.rule)))
        return err;
    if (has_commit && !parse_time(day, true, &when))
        return bad(r, "'commit_date': not a day (YYYY-MM-DD)");
    if (exposure) {
        if ((err = copy_str(r, o, "value", x.value, sizeof x.value)))
            return err;
        if (!fp) // a scan's last line: in the exposure itself, if there
            fp = json_object_get(o, "fingerprint");
        if (fp && (!json_is_string(fp) ||
                   json_string_length(fp) >= sizeof x.fp))
            return bad(r, "'fingerprint': not a string of 64 bytes at most");
        if (fp)
            memcpy(x.fp, json_string_value(fp), json_string_length(fp) + 1);
    } else if ((err = get_u32(r, o, "lines", &x.lines)) ||
               (err = get_num(r, o, "entropy", &x.entropy)) ||
               (err = copy_str(r, o, "masked", x.masked, sizeof x.masked)) ||
               (err = copy_str(r, o, "fingerprint", x.fp, sizeof x.fp))) {
        return err;
    }
    bool known = false;
    if (!exposure && json_object_get(o, "known")) {
        if ((err = get_bool(r, o, "known", &known)))
            return err;
        r->s->linked = true;
    }
    char *raw = NULL; // the path's bytes when it is no valid UTF-8
    if ((known && (err = read_known(r, o, &x))) ||
        (err = get_b64(r, o, "path_b64", &raw)))
        return err;
    err = finding_file(r, raw ? raw : path, raw ? strlen(raw) : len,
                       has_commit, commit, when, &f);
    lp_free(raw);
    if (err)
        return err;
    if (!lp_grow((void **)&f->secrets, &r->scap, f->nsecrets + 1,
                 sizeof *f->secrets))
        return nomem(r);
    f->secrets[f->nsecrets++] = x;
    return LP_OK;
}

/* A line of `secrets`: a secret, or {"exposure": ..., "fingerprint"}. */
static lp_err read_finding_line(struct rd *r, json_t *o)
{
    if (r->kind == RD_SCAN)
        return bad(r, "a finding's line in a report of a scan");
    r->kind = RD_SECRETS;
    json_t *x = json_object_get(o, "exposure");
    if (x)
        return read_finding(r, x, json_object_get(o, "fingerprint"), true,
                            false);
    return read_finding(r, o, NULL, false, false);
}

/* ---- the last line: tables, then what refers to them ---- */

static lp_err read_collections(struct rd *r, json_t *last)
{
    struct lp_scan *s = r->s;
    json_t *a;
    size_t n;
    uint32_t idx;
    bool fresh;
    lp_err err = get_array(r, last, "collections", &a, &n);
    if (err)
        return err;
    if (!(s->collections = new_array(n, sizeof *s->collections)))
        return nomem(r);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(a, i);
        struct lp_res_collection *c = &s->collections[i];
        if (!json_is_object(o))
            return bad(r, "a collection is not an object");
        s->ncollections = i + 1;
        if ((err = dup_str(r, o, "name", &c->name)) ||
            (err = get_bool(r, o, "public", &c->public_)))
            return err;
        if (!names_add(&r->tcol, c->name, strlen(c->name), r->line, &idx,
                       &fresh))
            return nomem(r);
        if (!fresh)
            return bad(r, "collection '%s' named twice", q(c->name).s);
    }
    return LP_OK;
}

static lp_err read_versions(struct rd *r, json_t *last)
{
    struct lp_scan *s = r->s;
    json_t *a;
    size_t n, clen, tlen, klen;
    const char *c, *t;
    uint32_t idx;
    bool fresh;
    lp_err err = get_array(r, last, "versions", &a, &n);
    if (err)
        return err;
    if (!(s->versions = new_array(n, sizeof *s->versions)))
        return nomem(r);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(a, i);
        struct lp_res_version *v = &s->versions[i];
        if (!json_is_object(o))
            return bad(r, "a version is not an object");
        s->nversions = i + 1;
        if ((err = get_str(r, o, "collection", &c, &clen)) ||
            (err = dup_str(r, o, "name", &v->name)) ||
            (err = get_str(r, o, "created", &t, &tlen)))
            return err;
        if ((v->collection = names_find(&r->tcol, c, clen)) == UINT32_MAX)
            return bad(r, "version '%s' of an unknown collection '%s'",
                       q(v->name).s, q(c).s);
        if (!parse_time(t, false, &v->created))
            return bad(r, "'created': not a time (YYYY-MM-DDTHH:MM:SSZ)");
        if ((err = make_key(r, c, clen, v->name, strlen(v->name), &klen)))
            return err;
        if (!names_add(&r->tver, r->key, klen, r->line, &idx, &fresh))
            return nomem(r);
        if (!fresh)
            return bad(r, "version '%s' of '%s' named twice", q(v->name).s,
                       q(c).s);
    }
    return LP_OK;
}

static lp_err read_rules(struct rd *r, json_t *last)
{
    struct lp_scan *s = r->s;
    json_t *a;
    size_t n;
    uint32_t idx;
    bool fresh, exposure, generic;
    lp_err err = get_array(r, last, "rules", &a, &n);
    if (err)
        return err;
    if (n > UINT32_MAX - 1)
        return bad(r, "'rules': too many");
    if (!(s->rules = new_array(n, sizeof *s->rules)))
        return nomem(r);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(a, i);
        struct lp_res_rule *u = &s->rules[i];
        if (!json_is_object(o))
            return bad(r, "a rule is not an object");
        s->nrules = i + 1;
        if ((err = dup_str(r, o, "id", &u->id)) ||
            (err = dup_str(r, o, "format", &u->format)) ||
            (err = dup_str(r, o, "category", &u->category)) ||
            (err = get_bool(r, o, "exposure", &exposure)) ||
            (err = get_bool(r, o, "generic", &generic)))
            return err;
        u->flags = (exposure ? LP_RULE_EXPOSURE : 0u) |
                   (generic ? LP_RULE_GENERIC : 0u);
        if (!names_add(&r->trule, u->id, strlen(u->id), r->line, &idx,
                       &fresh))
            return nomem(r);
        if (!fresh)
            return bad(r, "rule '%s' named twice", q(u->id).s);
    }
    return LP_OK;
}

/* Each name the lines gave, to its index in the last line's tables; then
 * the provisional indices of the lines' files, to those. */
static lp_err resolve(struct rd *r)
{
    struct lp_scan *s = r->s;
    for (size_t i = 0; i < r->col.n; i++) {
        struct name *e = &r->col.v[i];
        if ((e->to = names_find(&r->tcol, e->key, e->len)) == UINT32_MAX)
            return fail_at(r, e->line, LP_EFORMAT,
                           "unknown collection '%s' (not in the last line)",
                           q(e->key).s);
    }
    for (size_t i = 0; i < r->ver.n; i++) {
        struct name *e = &r->ver.v[i];
        if ((e->to = names_find(&r->tver, e->key, e->len)) == UINT32_MAX)
            return fail_at(r, e->line, LP_EFORMAT,
                           "unknown version '%s' of '%s' (not in the last "
                           "line)",
                           q(e->key + strlen(e->key) + 1).s, q(e->key).s);
    }
    for (size_t i = 0; i < r->rule.n; i++) {
        struct name *e = &r->rule.v[i];
        bool exposure = e->key[0] == 'e';
        if ((e->to = names_find(&r->trule, e->key + 2, e->len - 2)) ==
            UINT32_MAX)
            return fail_at(r, e->line, LP_EFORMAT,
                           "unknown rule '%s' (not in the last line)",
                           q(e->key + 2).s);
        if (!(s->rules[e->to].flags & LP_RULE_EXPOSURE) != !exposure)
            return fail_at(r, e->line, LP_EFORMAT,
                           "rule '%s' is %s exposure rule", q(e->key + 2).s,
                           exposure ? "not an" : "an");
    }
    for (size_t i = 0; i < r->s->nfiles; i++) {
        struct lp_file_result *f = &s->files[i];
        for (size_t k = 0; k < f->nmatches; k++) {
            f->matches[k].collection = r->col.v[f->matches[k].collection].to;
            f->matches[k].version = r->ver.v[f->matches[k].version].to;
        }
        for (size_t k = 0; f->listing && k < f->listing->nhits; k++)
            f->listing->hits[k].collection =
                r->col.v[f->listing->hits[k].collection].to;
        for (size_t k = 0; k < f->nsecrets; k++)
            f->secrets[k].rule = r->rule.v[f->secrets[k].rule].to;
    }
    return LP_OK;
}

/* The version of collection c (its name: cname) named `key` of o. */
static lp_err scope_version(struct rd *r, json_t *v, const char *cname,
                            uint32_t *out)
{
    size_t klen;
    if (!json_is_string(v))
        return bad(r, "a version of the scope is not a string");
    lp_err err = make_key(r, cname, strlen(cname), json_string_value(v),
                          json_string_length(v), &klen);
    if (err)
        return err;
    if ((*out = names_find(&r->tver, r->key, klen)) == UINT32_MAX)
        return bad(r, "scope: unknown version '%s' of '%s'",
                   q(json_string_value(v)).s, q(cname).s);
    return LP_OK;
}

static lp_err read_scope_collection(struct rd *r, json_t *o,
                                    struct lp_scope *sc)
{
    const char *c;
    size_t clen, n, ndirs;
    json_t *vs, *best, *cons, *dirs;
    lp_err err;
    if (!json_is_object(o))
        return bad(r, "a collection of the scope is not an object");
    if ((err = get_str(r, o, "name", &c, &clen)) ||
        (err = get_u32(r, o, "assets_matched", &sc->assets_matched)) ||
        (err = get_u32(r, o, "assets_total", &sc->assets_total)) ||
        (err = get_uint(r, o, "bytes_matched", UINT64_MAX,
                        &sc->bytes_matched)) ||
        (err = get_num(r, o, "coverage", &sc->coverage)) ||
        (err = field(r, o, "versions", JSON_OBJECT, &vs)) ||
        (err = field(r, vs, "best", JSON_STRING, &best)) ||
        (err = get_array(r, vs, "consistent", &cons, &n)) ||
        (err = get_array(r, o, "directories", &dirs, &ndirs)))
        return err;
    if ((sc->collection = names_find(&r->tcol, c, clen)) == UINT32_MAX)
        return bad(r, "scope: unknown collection '%s'", q(c).s);
    if ((err = scope_version(r, best, c, &sc->best_version)))
        return err;
    if (!(sc->consistent = new_array(n, sizeof *sc->consistent)) ||
        !(sc->dirs = new_array(ndirs, sizeof *sc->dirs)))
        return nomem(r);
    sc->nconsistent = n;
    sc->ndirs = ndirs;
    for (size_t i = 0; i < n; i++)
        if ((err = scope_version(r, json_array_get(cons, i), c,
                                 &sc->consistent[i])))
            return err;
    for (size_t i = 0; i < sc->ndirs; i++)
        if ((err = read_dir(r, json_array_get(dirs, i), &sc->dirs[i].dir,
                            &sc->dirs[i].matched, &sc->dirs[i].total)))
            return err;
    return LP_OK;
}

/* The scope; the files scanned into *scanned. */
static lp_err read_scope(struct rd *r, json_t *last, size_t *scanned)
{
    struct lp_scan *s = r->s;
    json_t *o, *a;
    size_t n;
    lp_err err;
    if ((err = field(r, last, "scope", JSON_OBJECT, &o)) ||
        (err = get_size(r, o, "files_scanned", scanned)) ||
        (err = get_size(r, o, "files_matched", &s->files_matched)) ||
        (err = get_size(r, o, "files_unreadable", &s->nerrors)) ||
        (err = get_uint(r, o, "bytes_scanned", UINT64_MAX, &s->bytes)) ||
        (err = get_array(r, o, "collections", &a, &n)))
        return err;
    if (!(s->scope = new_array(n, sizeof *s->scope)))
        return nomem(r);
    s->nscope = n;
    for (size_t i = 0; i < n; i++)
        if ((err = read_scope_collection(r, json_array_get(a, i),
                                         &s->scope[i])))
            return err;
    return LP_OK;
}

static lp_err read_skipped(struct rd *r, json_t *last)
{
    struct lp_scan *s = r->s;
    json_t *a;
    size_t n;
    lp_err err = get_array(r, last, "skipped", &a, &n);
    if (err)
        return err;
    if (!(s->skips = new_array(n, sizeof *s->skips)))
        return nomem(r);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(a, i);
        if (!json_is_object(o))
            return bad(r, "a skipped input is not an object");
        s->nskips = i + 1;
        if ((err = dup_path(r, o, "path", "path_b64", &s->skips[i].path)) ||
            (err = dup_str(r, o, "reason", &s->skips[i].reason)))
            return err;
    }
    return LP_OK;
}

static lp_err read_verdict(struct rd *r, json_t *last)
{
    struct lp_scan *s = r->s;
    json_t *o;
    int level = 0;
    lp_err err;
    if ((err = field(r, last, "verdict", JSON_OBJECT, &o)) ||
        (err = get_enum(r, o, "level", level_at, LP_LEVEL_NONE,
                        LP_LEVEL_CONFIRMED, &level)) ||
        (err = get_num(r, o, "confidence", &s->confidence)) ||
        (err = copy_str(r, o, "summary", s->summary, sizeof s->summary)))
        return err;
    s->level = (enum lp_level)level;
    return LP_OK;
}

static lp_err read_registry(struct rd *r, json_t *last)
{
    struct lp_scan *s = r->s;
    json_t *o;
    size_t n;
    char *path = NULL;
    lp_err err;
    if ((err = field(r, last, "registry", JSON_OBJECT, &o)) ||
        (err = dup_str(r, o, "path", &path)))
        return err;
    lp_free(s->registry_path);
    s->registry_path = path;
    if ((err = get_size(r, o, "collections", &n)) ||
        (err = get_uint(r, o, "assets", UINT64_MAX, &s->nassets)))
        return err;
    if (n != s->ncollections)
        return bad(r, "'registry': %zu collections, but %zu named", n,
                   s->ncollections);
    return LP_OK;
}

/* The secrets (exposures false) or exposures of a scan's last line. */
static lp_err read_findings(struct rd *r, json_t *last, const char *key,
                            bool exposures)
{
    json_t *a;
    size_t n;
    lp_err err = get_array(r, last, key, &a, &n);
    r->group_open = false;
    for (size_t i = 0; !err && i < n; i++)
        err = read_finding(r, json_array_get(a, i), NULL, exposures, true);
    return err;
}

static int cmp_known(const void *a, const void *b)
{
    return strcmp(((const struct lp_secret_known *)a)->fp,
                  ((const struct lp_secret_known *)b)->fp);
}

/* s->known by fingerprint, once each (lp_result_known() searches it);
 * and the secrets and exposures counted. */
static void tally(struct lp_scan *s)
{
    size_t kept = 0;
    lp_sort(s->known, s->nknown, sizeof *s->known, cmp_known);
    for (size_t i = 0; i < s->nknown; i++) {
        if (kept && !strcmp(s->known[kept - 1].fp, s->known[i].fp))
            lp_secret_known_release(&s->known[i]);
        else
            s->known[kept++] = s->known[i];
    }
    s->nknown = kept;
    s->nsecrets = s->nexposures = 0;
    for (size_t i = 0; i < s->nfiles; i++)
        for (size_t k = 0; k < s->files[i].nsecrets; k++) {
            if (s->rules[s->files[i].secrets[k].rule].flags & LP_RULE_EXPOSURE)
                s->nexposures++;
            else
                s->nsecrets++;
        }
}

/* files_scanned of the last line: at least the files the report names. */
static lp_err set_scanned(struct rd *r, size_t scanned, size_t named)
{
    if (scanned < named || (!scanned && r->s->nfiles))
        return bad(r, "'files_scanned': %zu, fewer than the %zu files named",
                   scanned, named ? named : r->s->nfiles);
    r->s->nscanned = scanned;
    return LP_OK;
}

/* "fingerprint_key" of o, when there: the id of the fingerprints' key. */
static lp_err read_key_id(struct rd *r, json_t *o)
{
    char *id = r->s->key_id;
    if (!json_object_get(o, "fingerprint_key"))
        return LP_OK;
    lp_err err = copy_str(r, o, "fingerprint_key", id, sizeof r->s->key_id);
    if (!err && (strlen(id) != 16 || strspn(id, "0123456789abcdef") != 16))
        err = bad(r, "'fingerprint_key': not 16 hex digits");
    if (err)
        id[0] = '\0';
    return err;
}

/* The last line of a scan (report_json.c, scan_last_json()). */
static lp_err read_scan_last(struct rd *r, json_t *o)
{
    struct lp_scan *s = r->s;
    size_t scanned = 0;
    json_t *canaries;
    lp_err err;
    if (r->kind == RD_SECRETS)
        return bad(r, "a scan's last line in a report of secrets");
    r->kind = RD_SCAN;
    if ((err = read_collections(r, o)) || (err = read_versions(r, o)))
        return err;
    /* "baselined" says --secrets; "rules" is there without it too (empty) */
    if (json_object_get(o, "baselined")) {
        s->secrets_mode = LP_SECRETS_ALSO;
        if ((err = get_size(r, o, "baselined", &s->nbaselined)) ||
            (err = read_key_id(r, o)))
            return err;
    }
    if ((s->secrets_mode || json_object_get(o, "rules")) &&
        (err = read_rules(r, o)))
        return err;
    if ((err = read_listings(r, o)) || (err = read_licence_only(r, o)) ||
        (err = resolve(r)) ||
        (err = read_registry(r, o)) ||
        (err = read_verdict(r, o)) || (err = read_scope(r, o, &scanned)) ||
        (err = read_skipped(r, o)) ||
        (err = read_findings(r, o, "secrets", false)) ||
        (err = read_findings(r, o, "exposures", true)) ||
        (err = field(r, o, "canaries", JSON_ARRAY, &canaries)))
        return err;
    if (json_array_size(canaries))
        return bad(r, "'canaries': not read (the result model has none)");
    tally(s);
    return set_scanned(r, scanned, r->nlined);
}

/* The last line of `secrets` (report_json.c, lp_report_secrets_jsonl()). */
static lp_err read_secrets_last(struct rd *r, json_t *o)
{
    struct lp_scan *s = r->s;
    json_t *sum;
    size_t scanned, nsecrets, nexposures, nrules;
    lp_err err;
    if (r->kind == RD_SCAN)
        return bad(r, "the last line of secrets in a report of a scan");
    r->kind = RD_SECRETS;
    s->secrets_mode = LP_SECRETS_ONLY;
    if ((err = read_rules(r, o)) || (err = resolve(r)) ||
        (err = read_skipped(r, o)) ||
        (err = field(r, o, "summary", JSON_OBJECT, &sum)) ||
        (err = get_size(r, sum, "files_scanned", &scanned)) ||
        (err = get_size(r, sum, "secrets", &nsecrets)) ||
        (err = get_size(r, sum, "exposures", &nexposures)) ||
        (err = get_size(r, sum, "baselined", &s->nbaselined)) ||
        (err = get_size(r, sum, "rules", &nrules)) ||
        (err = get_size(r, sum, "files_unreadable", &s->nerrors)) ||
        (err = read_key_id(r, sum)))
        return err;
    if (nrules != s->nrules)
        return bad(r, "'summary': %zu rules, but %zu named", nrules,
                   s->nrules);
    tally(s);
    if (nsecrets != s->nsecrets || nexposures != s->nexposures)
        return bad(r,
                   "'summary': %zu secrets and %zu exposures, but the lines "
                   "hold %zu and %zu",
                   nsecrets, nexposures, s->nsecrets, s->nexposures);
    return set_scanned(r, scanned, s->nfiles);
}

/* One line: what it is is told by its keys. */
static lp_err take_object(struct rd *r, json_t *o)
{
    lp_err err;
    if (json_object_get(o, "verdict"))
        err = read_scan_last(r, o);
    else if (json_object_get(o, "summary"))
        err = read_secrets_last(r, o);
    else if (json_object_get(o, "sha256"))
        return read_file_line(r, o);
    else if (json_object_get(o, "exposure") ||
             json_object_get(o, "fingerprint"))
        return read_finding_line(r, o);
    else
        return bad(r, "neither a file, a finding nor a last line");
    r->done = !err;
    return err;
}

static lp_err take_line(struct rd *r, const char *p, size_t n)
{
    json_error_t je;
    r->line++;
    if (r->done)
        return bad(r, "a line after the last line");
    json_t *j = json_loadb(p, n, JSON_REJECT_DUPLICATES, &je);
    if (!j)
        return bad(r, "not JSON: %s", q(je.text).s);
    lp_err err = json_is_object(j) ? take_object(r, j)
                                   : bad(r, "not a JSON object");
    json_decref(j);
    return err;
}

static lp_err too_long(struct rd *r)
{
    return fail_at(r, r->line + 1, LP_ELIMIT, "line longer than %u bytes",
                   (unsigned)LP_MAX_JSONL_LINE);
}

static lp_err rd_init(struct rd *r, const char *name, char *why,
                      size_t whylen)
{
    memset(r, 0, sizeof *r);
    r->name = name ? name : "-";
    r->why = why;
    r->whylen = whylen;
    if (!(r->s = lp_result_new()))
        return nomem(r);
    return LP_OK;
}

/* Hands the result out, or frees it on failure (err) or when the last
 * line is missing. */
static lp_err rd_finish(struct rd *r, lp_err err, struct lp_scan **out)
{
    if (!err && !r->done)
        err = fail_at(r, r->line ? r->line : 1, LP_EFORMAT,
                      "the report ends before its last line");
    names_release(&r->col);
    names_release(&r->ver);
    names_release(&r->rule);
    names_release(&r->tcol);
    names_release(&r->tver);
    names_release(&r->trule);
    lp_free(r->key);
    if (err) {
        lp_scan_free(r->s);
        r->s = NULL;
    }
    *out = r->s;
    return err;
}

lp_err lp_jsonl_read_buf(const char *buf, size_t len, const char *name,
                         struct lp_scan **out, char *why, size_t whylen)
{
    struct rd r;
    lp_err err = rd_init(&r, name, why, whylen);
    for (size_t at = 0; !err && at < len;) {
        const char *nl = memchr(buf + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - buf) : len;
        err = end - at > LP_MAX_JSONL_LINE ? too_long(&r)
                                           : take_line(&r, buf + at, end - at);
        at = end + 1;
    }
    return rd_finish(&r, err, out);
}

/* Bytes read from a stream at a time. */
#define READ_BLOCK (1u << 16)

lp_err lp_jsonl_read(FILE *fp, const char *name, struct lp_scan **out,
                     char *why, size_t whylen)
{
    struct rd r;
    char *buf = NULL;
    size_t cap = 0, len = 0, seen = 0; // buf[0, seen) holds no newline
    lp_err err = rd_init(&r, name, why, whylen);
    while (!err) {
        if (!lp_grow((void **)&buf, &cap, len + READ_BLOCK, 1)) {
            err = nomem(&r);
            break;
        }
        size_t got = fread(buf + len, 1, READ_BLOCK, fp), start = 0;
        len += got;
        for (char *nl; !err && (nl = memchr(buf + seen, '\n', len - seen));) {
            size_t end = (size_t)(nl - buf);
            err = end - start > LP_MAX_JSONL_LINE
                      ? too_long(&r)
                      : take_line(&r, buf + start, end - start);
            start = seen = end + 1;
        }
        memmove(buf, buf + start, len - start);
        len -= start;
        seen = len;
        if (!err && len > LP_MAX_JSONL_LINE)
            err = too_long(&r);
        if (err || got)
            continue;
        if (ferror(fp))
            err = fail_at(&r, r.line + 1, LP_EIO, "cannot read: %s",
                          strerror(errno));
        else if (len) // a last line without its newline
            err = take_line(&r, buf, len);
        break;
    }
    lp_free(buf);
    return rd_finish(&r, err, out);
}
