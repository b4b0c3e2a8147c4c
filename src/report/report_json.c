/* SPDX-License-Identifier: Apache-2.0
 *
 * report_json: the JSON and JSONL shapes of CONTRACT.md, built with jansson.
 * Extensions (documented in docs/cli/scan.md): scope.files_unreadable,
 * scope.bytes_scanned, spans[].fingerprints, matches[].fingerprints,
 * matches[].evidence, files[].matches_more; secrets[].commit and commit_date (a blob of a git
 * history, docs/cli/secrets.md), files[].commit and commit_date (the same,
 * scan --history); exposures (with --secrets, as in the
 * document of secrets); listings (file listings that name
 * registered paths: not in "files", which holds matched files only). The
 * last line of a JSONL report also
 * carries the rest of the JSON document and the names its lines refer to
 * (collections, versions with their dates, rules), so that jsonl_read.h
 * can rebuild the result from it.
 */
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "extract.h"
#include "hash.h"
#include "licence.h"
#include "mem.h"
#include "report.h"
#include "banned.h"

/* A JSON string of s made valid UTF-8; NULL when out of memory. Plain
 * ASCII (nearly every path) is taken as it is; anything else goes through
 * lp_report_utf8() first, so jansson never sees invalid UTF-8 and its own
 * check can be skipped. */
static json_t *jstr(const char *s)
{
    size_t n = 0;
    while (s[n] && (unsigned char)s[n] < 0x80)
        n++;
    if (!s[n])
        return json_stringn_nocheck(s, n);
    char *u = lp_report_utf8(s);
    if (!u)
        return NULL;
    json_t *j = json_string_nocheck(u);
    lp_free(u);
    return j;
}

/* o with key (a name's "*_b64": "path_b64", "asset_b64") set to the
 * base64 of s's bytes when s is no valid UTF-8 (its JSON string then has
 * U+FFFD for each invalid byte: docs/ENCODING.md); o alone when it is.
 * NULL (o freed) when o is NULL or out of memory. */
static json_t *with_b64(json_t *o, const char *key, const char *s)
{
    if (!o || lp_utf8_valid(s))
        return o;
    char *b = lp_report_b64(s);
    json_t *v = b ? json_string_nocheck(b) : NULL;
    lp_free(b);
    if (!v || json_object_set_new_nocheck(o, key, v)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Rounds to 4 decimals so that output is stable and readable. */
static json_t *jreal(double x)
{
    return json_real(round(x * 10000.0) / 10000.0);
}

/* Sets o[key] = v (stolen); false when v or o is NULL or out of memory.
 * Keys are literals of this file, hence no UTF-8 check. */
static bool set(json_t *o, const char *key, json_t *v)
{
    if (!o || !v) {
        json_decref(v);
        return false;
    }
    return json_object_set_new_nocheck(o, key, v) == 0;
}

/* "fingerprint_key": the id of the key of the fingerprints (never the
 * key), when secrets were sought; o may be NULL. False when out of memory. */
static bool set_key_id(json_t *o, const struct lp_scan *s)
{
    return !o || !s->key_id[0] || set(o, "fingerprint_key", jstr(s->key_id));
}

/* set() of *v, which is taken either way (*v becomes NULL): a caller
 * whose chain of set() stops before it still owns *v and frees it. */
static bool set_take(json_t *o, const char *key, json_t **v)
{
    json_t *x = *v;
    *v = NULL;
    return set(o, key, x);
}

static json_t *pair(uint32_t a, uint32_t b)
{
    json_t *arr = json_array();
    if (arr && (json_array_append_new(arr, json_integer(a)) ||
                json_array_append_new(arr, json_integer(b)))) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

static json_t *span_json(const struct lp_span *sp)
{
    json_t *o = json_object();
    if (set(o, "lines", pair(sp->lines[0], sp->lines[1])) &&
        set(o, "asset_lines", pair(sp->asset_lines[0], sp->asset_lines[1])) &&
        set(o, "how", json_string_nocheck(lp_how_name((enum lp_how)sp->how))) &&
        set(o, "fingerprints", json_integer(sp->nfp)) &&
        (!sp->pages[0] || set(o, "pages", pair(sp->pages[0], sp->pages[1]))))
        return o;
    json_decref(o);
    return NULL;
}

static json_t *match_json(const struct lp_scan *s, const struct lp_match *m)
{
    json_t *spans = json_array();
    for (size_t i = 0; spans && i < m->nspans; i++)
        if (json_array_append_new(spans, span_json(&m->spans[i]))) {
            json_decref(spans);
            spans = NULL;
        }
    json_t *o = json_object();
    if (set(o, "collection", jstr(s->collections[m->collection].name)) &&
        set(o, "asset", jstr(m->asset)) &&
        (o = with_b64(o, "asset_b64", m->asset)) != NULL &&
        set(o, "version", jstr(s->versions[m->version].name)) &&
        set(o, "similarity", jreal(m->similarity)) &&
        set(o, "coverage", jreal(m->coverage)) &&
        set(o, "exact", json_boolean(m->exact)) &&
        set(o, "fingerprints", json_integer(m->nfp)) &&
        set(o, "evidence", jreal(m->evidence)) &&
        set_take(o, "spans", &spans) &&
        (!m->tlsh || set(o, "tlsh_distance", json_integer(m->tlsh - 1))))
        return o;
    json_decref(spans);
    json_decref(o);
    return NULL;
}

/* Beyond CONTRACT.md: what a file listing names, per collection. */
static json_t *listing_json(const struct lp_scan *s,
                            const struct lp_file_result *f)
{
    json_t *cols = json_array();
    const struct lp_listing_result *l = f->listing;
    for (size_t i = 0; cols && l && i < l->nhits; i++) {
        const struct lp_listing_hit *h = &l->hits[i];
        json_t *dirs = json_array();
        /* the top directory is ".", as in the text report and scope */
        for (size_t k = 0; dirs && k < h->ndirs; k++)
            json_array_append_new(
                dirs,
                with_b64(json_pack("{s:o,s:I,s:I}", "path",
                                   jstr(*h->dirs[k].dir ? h->dirs[k].dir : "."),
                                   "matched", (json_int_t)h->dirs[k].matched,
                                   "files", (json_int_t)h->dirs[k].total),
                         "path_b64", h->dirs[k].dir));
        json_t *c = json_pack(
            "{s:o,s:I,s:I,s:I,s:o,s:o,s:o,s:o}", "name",
            jstr(s->collections[h->collection].name), "entries_matched",
            (json_int_t)h->matched, "assets_named", (json_int_t)h->registered,
            "assets_total", (json_int_t)h->total, "coverage",
            jreal(h->total ? (double)h->registered / h->total : 0),
            "listing_root", jstr(h->listing_root), "registry_root",
            jstr(h->registry_root), "directories", dirs);
        c = with_b64(with_b64(c, "listing_root_b64", h->listing_root),
                     "registry_root_b64", h->registry_root);
        /* how the named files agree with the registered ones */
        uint32_t other = h->by_size + h->by_sha256 + h->by_git;
        json_t *how = json_pack(
            "{s:I,s:I,s:I,s:I}", "name",
            (json_int_t)(h->registered > other ? h->registered - other : 0),
            "size", (json_int_t)h->by_size, "sha256",
            (json_int_t)h->by_sha256, "git-blob", (json_int_t)h->by_git);
        if (!c)
            json_decref(how);
        if (c && (json_object_set_new(c, "how", how) ||
                  json_object_set_new(c, "distinctive",
                                      json_integer(h->distinctive)))) {
            json_decref(c);
            c = NULL;
        }
        if (json_array_append_new(cols, c)) {
            json_decref(cols);
            return NULL;
        }
    }
    return json_pack("{s:s,s:I,s:o}", "format",
                     lp_listing_format_name(
                         (enum lp_listing_format)f->listing_format),
                     "entries", (json_int_t)f->listing_files, "collections",
                     cols);
}

static json_t *file_json(const struct lp_scan *s, const struct lp_file_result *f)
{
    char hex[2 * LP_SHA256_LEN + 1];
    lp_hex(f->sha, LP_SHA256_LEN, hex);
    json_t *ms = json_array();
    for (size_t i = 0; ms && i < f->nmatches; i++)
        if (json_array_append_new(ms, match_json(s, &f->matches[i]))) {
            json_decref(ms);
            ms = NULL;
        }
    json_t *o = json_object();
    if (set(o, "path", jstr(f->path)) &&
        (o = with_b64(o, "path_b64", f->path)) != NULL &&
        set(o, "sha256", json_stringn_nocheck(hex, 2 * LP_SHA256_LEN)) &&
        set(o, "kind", json_string_nocheck(lp_kind_name((enum lp_kind)f->kind))) &&
        (!f->doc ||
         set(o, "document", json_string_nocheck(lp_doc_name((enum lp_doc)f->doc)))) &&
        set_take(o, "matches", &ms) &&
        (!f->matches_more ||
         set(o, "matches_more", json_integer((json_int_t)f->matches_more))))
        return lp_report_with_commit(o, f); /* a blob of a git history */
    json_decref(ms);
    json_decref(o);
    return NULL;
}

/* Beyond CONTRACT.md: the file listings that name registered paths
 * (files whose content was not compared), in walk order: path, sha256
 * and what the listing names. */
static json_t *listings_json(const struct lp_scan *s)
{
    char hex[2 * LP_SHA256_LEN + 1];
    json_t *a = json_array();
    for (size_t i = 0; a && i < s->nfiles; i++) {
        const struct lp_file_result *f = &s->files[i];
        if (!f->listing)
            continue;
        lp_hex(f->sha, LP_SHA256_LEN, hex);
        json_t *o = with_b64(json_pack("{s:o,s:s,s:o}", "path", jstr(f->path),
                                       "sha256", hex, "listing",
                                       listing_json(s, f)),
                             "path_b64", f->path);
        if (json_array_append_new(a, o)) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* Beyond CONTRACT.md: the files without a match that share only licence
 * text with the registry (the built-in background, docs/VERDICT.md), in
 * walk order: path, licence and fingerprints shared. NULL (and no key in
 * the report) when there are none, or out of memory (*oom). */
static json_t *licence_only_json(const struct lp_scan *s, bool *oom)
{
    json_t *a = NULL;
    *oom = false;
    for (size_t i = 0; i < s->nfiles; i++) {
        const struct lp_file_result *f = &s->files[i];
        const char *name = lp_file_licence_only(f);
        if (!name)
            continue;
        if (!a && !(a = json_array())) {
            *oom = true;
            return NULL;
        }
        json_t *o = with_b64(json_pack("{s:o,s:s,s:I}", "path", jstr(f->path),
                                       "licence", name, "fingerprints",
                                       (json_int_t)f->licence_nfp),
                             "path_b64", f->path);
        if (json_array_append_new(a, o)) {
            json_decref(a);
            *oom = true;
            return NULL;
        }
    }
    return a;
}

/* Adds "licence_only" to o when some file is licence-only; false when out
 * of memory (o is then released). */
static bool set_licence_only(json_t *o, const struct lp_scan *s)
{
    bool oom;
    json_t *a = licence_only_json(s, &oom);
    if (!oom && (!a || set(o, "licence_only", a)))
        return true;
    json_decref(o);
    return false;
}

static json_t *scope_json(const struct lp_scan *s)
{
    json_t *cols = json_array();
    for (size_t i = 0; cols && i < s->nscope; i++) {
        const struct lp_scope *sc = &s->scope[i];
        json_t *cons = json_array();
        for (size_t k = 0; cons && k < sc->nconsistent; k++)
            json_array_append_new(cons,
                                  jstr(s->versions[sc->consistent[k]].name));
        /* Beyond CONTRACT.md: the dates of the first and last consistent
         * versions, and the matched directories. */
        json_t *dates = json_array();
        char t[32];
        if (dates && sc->nconsistent) {
            lp_format_time(s->versions[sc->consistent[0]].created, t);
            json_array_append_new(dates, json_string(t));
        }
        if (dates && sc->nconsistent > 1) {
            size_t last = sc->consistent[sc->nconsistent - 1];
            lp_format_time(s->versions[last].created, t);
            json_array_append_new(dates, json_string(t));
        }
        json_t *dirs = json_array();
        for (size_t k = 0; dirs && k < sc->ndirs; k++)
            json_array_append_new(
                dirs, with_b64(json_pack("{s:o,s:I,s:I}", "path",
                                         jstr(sc->dirs[k].dir), "matched",
                                         (json_int_t)sc->dirs[k].matched,
                                         "files",
                                         (json_int_t)sc->dirs[k].total),
                               "path_b64", sc->dirs[k].dir));
        json_t *c = json_pack(
            "{s:o,s:I,s:I,s:I,s:o,s:{s:o,s:o,s:o},s:o}", "name",
            jstr(s->collections[sc->collection].name), "assets_matched",
            (json_int_t)sc->assets_matched, "assets_total",
            (json_int_t)sc->assets_total, "bytes_matched",
            (json_int_t)sc->bytes_matched, "coverage", jreal(sc->coverage),
            "versions", "best", jstr(s->versions[sc->best_version].name),
            "consistent", cons, "dated", dates, "directories", dirs);
        if (json_array_append_new(cols, c)) {
            json_decref(cols);
            return NULL;
        }
    }
    return json_pack("{s:I,s:I,s:I,s:I,s:o}", "files_scanned",
                     (json_int_t)lp_result_files_scanned(s),
                     "files_matched",
                     (json_int_t)s->files_matched, "files_unreadable",
                     (json_int_t)s->nerrors, "bytes_scanned",
                     (json_int_t)s->bytes, "collections", cols);
}

/* Inputs not read (or not wholly), with the reason: never dropped in
 * silence. */
static json_t *skipped_json(const struct lp_scan *s)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < s->nskips; i++) {
        json_t *o = with_b64(json_pack("{s:o,s:o}", "path",
                                       jstr(s->skips[i].path), "reason",
                                       jstr(s->skips[i].reason)),
                             "path_b64", s->skips[i].path);
        if (json_array_append_new(a, o)) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* What the registry knows of a secret (CONTRACT.md "known", "known_in";
 * and the newest version holding it, and whether that is the newest of
 * its collection). Non-zero on failure. */
int lp_report_add_known(json_t *o, const struct lp_secret_known *k)
{
    if (!k) // not known, or no registry to ask
        return json_object_set_new(o, "known", json_false()) ||
               json_object_set_new(o, "known_in", json_array());
    json_t *in = json_array();
    for (size_t i = 0; in && i < k->nin; i++)
        if (json_array_append_new(in, jstr(k->in[i]))) {
            json_decref(in);
            in = NULL;
        }
    if (!in || json_object_set_new(o, "known", json_true())) {
        json_decref(in); // not taken by o
        return -1;
    }
    /* a place that is no valid UTF-8: every place's bytes, in order */
    bool raw = false;
    for (size_t i = 0; i < k->nin; i++)
        raw |= !lp_utf8_valid(k->in[i]);
    if (raw) {
        json_t *b = json_array();
        for (size_t i = 0; b && i < k->nin; i++) {
            char *e = lp_report_b64(k->in[i]);
            json_t *v = e ? json_string_nocheck(e) : NULL;
            lp_free(e);
            if (!v || json_array_append_new(b, v)) {
                json_decref(b);
                b = NULL;
            }
        }
        if (!b || json_object_set_new(o, "known_in_b64", b)) {
            json_decref(in);
            return -1;
        }
    }
    return json_object_set_new(o, "known_in", in) ||
           json_object_set_new(o, "known_version", jstr(k->version)) ||
           json_object_set_new(o, "still_present",
                               json_boolean(k->still_present));
}

/* Adds to o, for a finding in a blob of a git history, the commit that
 * introduced the blob (40 hex) and its day (UTC); o is returned, or NULL
 * (and o freed) when out of memory. Current files have neither. */
json_t *lp_report_with_commit(json_t *o, const struct lp_file_result *f)
{
    if (!o || !f->has_commit)
        return o;
    char hex[2 * sizeof f->commit + 1], when[32];
    lp_hex(f->commit, sizeof f->commit, hex);
    lp_format_time(f->commit_time, when);
    char *t = strchr(when, 'T');
    if (t)
        *t = '\0';
    if (!set(o, "commit", json_string_nocheck(hex)) ||
        !set(o, "commit_date", json_string_nocheck(when))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* One secret found: where, which rule, and never the value (CONTRACT.md:
 * masked form and keyed fingerprint). */
static json_t *secret_json(const struct lp_scan *s,
                           const struct lp_file_result *f,
                           const struct lp_secret_finding *x)
{
    const struct lp_res_rule *r = lp_result_rule(s, x->rule);
    const char *conf = r->flags & LP_RULE_GENERIC ? "medium" : "high";
    json_t *o = json_pack(
        "{s:o,s:I,s:I,s:s,s:s,s:s,s:o,s:s,s:o,s:s,s:I}", "path",
        jstr(f->path), "line", (json_int_t)x->line, "column",
        (json_int_t)x->column, "rule", r->id, "format", r->format, "category",
        r->category, "masked", jstr(x->masked), "fingerprint", x->fp, "entropy",
        jreal(x->entropy), "confidence", conf, "lines", (json_int_t)x->lines);
    o = with_b64(o, "path_b64", f->path);
    if (o && lp_report_add_known(o, lp_result_known(s, x->fp))) {
        json_decref(o);
        return NULL;
    }
    return lp_report_with_commit(o, f);
}

/* An exposure: an internal host or address, with its value (no secret);
 * with_fp: and its fingerprint (the last line of a scan's JSONL, so that
 * SARIF written from it again has it). */
static json_t *exposure_json(const struct lp_scan *s,
                             const struct lp_file_result *f,
                             const struct lp_secret_finding *x, bool with_fp)
{
    const struct lp_res_rule *r = lp_result_rule(s, x->rule);
    json_t *o = json_pack("{s:o,s:I,s:I,s:s,s:s,s:o}", "path", jstr(f->path),
                          "line", (json_int_t)x->line, "column",
                          (json_int_t)x->column, "type", r->category, "rule",
                          r->id, "value", jstr(x->value));
    o = with_b64(o, "path_b64", f->path);
    if (o && with_fp && !set(o, "fingerprint", json_string(x->fp))) {
        json_decref(o);
        o = NULL;
    }
    return lp_report_with_commit(o, f);
}

static bool is_exposure(const struct lp_scan *s,
                        const struct lp_secret_finding *x)
{
    return lp_result_rule(s, x->rule)->flags & LP_RULE_EXPOSURE;
}

/* The secrets (exposures false) or the exposures (true) found; with_fp:
 * an exposure with its fingerprint. */
static json_t *findings_json(const struct lp_scan *s, bool exposures,
                             bool with_fp)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < s->nfiles; i++)
        for (size_t k = 0; k < s->files[i].nsecrets; k++) {
            const struct lp_secret_finding *x = &s->files[i].secrets[k];
            if (is_exposure(s, x) != exposures)
                continue;
            json_t *o = exposures ? exposure_json(s, &s->files[i], x, with_fp)
                                  : secret_json(s, &s->files[i], x);
            if (json_array_append_new(a, o)) {
                json_decref(a);
                return NULL;
            }
        }
    return a;
}

static json_t *secrets_json(const struct lp_scan *s)
{
    return findings_json(s, false, false);
}

static json_t *verdict_json(const struct lp_scan *s)
{
    return json_pack("{s:s,s:o,s:o}", "level", lp_level_name(s->level),
                     "confidence", jreal(s->confidence), "summary",
                     jstr(s->summary));
}

/* jansson writes a document in many small pieces; gather them and write
 * in large blocks. `indent` spaces go after each newline: a value dumped
 * alone, then, reads as it would nested that deep (jansson escapes every
 * newline inside a string, so each one it writes is layout). */
struct sink {
    FILE *fp;
    size_t len;
    unsigned indent;
    bool failed; /* a write failed: a dump that fails otherwise ran out of
                    memory */
    char buf[1 << 16];
};

static int sink_put(struct sink *s, const char *p, size_t n)
{
    if (s->len + n > sizeof s->buf) {
        if (s->len && fwrite(s->buf, 1, s->len, s->fp) != s->len) {
            s->failed = true;
            return -1;
        }
        s->len = 0;
        if (n > sizeof s->buf && fwrite(p, 1, n, s->fp) != n) {
            s->failed = true;
            return -1;
        }
        if (n > sizeof s->buf)
            return 0;
    }
    memcpy(s->buf + s->len, p, n);
    s->len += n;
    return 0;
}

static int sink_write(const char *p, size_t n, void *data)
{
    struct sink *s = data;
    static const char spaces[] = "        ";
    if (!s->indent)
        return sink_put(s, p, n);
    /* jansson writes each newline of its layout on its own */
    if (n == 1)
        return *p == '\n' ? sink_put(s, "\n        ", 1 + s->indent)
                          : sink_put(s, p, 1);
    while (n) {
        const char *nl = memchr(p, '\n', n);
        if (!nl)
            break;
        size_t k = (size_t)(nl - p) + 1;
        if (sink_put(s, p, k) || sink_put(s, spaces, s->indent))
            return -1;
        p += k;
        n -= k;
    }
    return n ? sink_put(s, p, n) : 0;
}

static int sink_flush(struct sink *s)
{
    if (s->len && fwrite(s->buf, 1, s->len, s->fp) != s->len) {
        s->failed = true;
        return -1;
    }
    s->len = 0;
    return 0;
}

static struct sink *sink_new(FILE *fp)
{
    struct sink *s = lp_malloc(sizeof *s);
    if (s) {
        s->fp = fp;
        s->len = 0;
        s->indent = 0;
        s->failed = false;
    }
    return s;
}

static lp_err dump(json_t *j, FILE *fp, size_t flags)
{
    if (!j)
        return LP_ENOMEM;
    struct sink *s = sink_new(fp);
    if (!s) {
        json_decref(j);
        return LP_ENOMEM;
    }
    int r = json_dump_callback(j, sink_write, s, flags);
    if (r == 0)
        r = sink_flush(s);
    bool failed = s->failed;
    lp_free(s);
    json_decref(j);
    if (r != 0)
        return failed ? LP_EIO : LP_ENOMEM; /* jansson's own allocations */
    return fputc('\n', fp) == EOF ? LP_EIO : LP_OK;
}

/* A growing text, for the frame of the document. */
struct text {
    char *p;
    size_t len, cap;
};

static int text_write(const char *p, size_t n, void *data)
{
    struct text *t = data;
    if (!lp_grow((void **)&t->p, &t->cap, t->len + n + 1, 1))
        return -1;
    memcpy(t->p + t->len, p, n);
    t->len += n;
    t->p[t->len] = '\0';
    return 0;
}

#define JSON_FLAGS (JSON_INDENT(2) | JSON_REAL_PRECISION(6))

/* The document is written as it is made, one file at a time: its frame
 * (every key but the files' entries) is dumped first, with "files" empty,
 * and cut where that empty array is; each file's object is then built,
 * dumped two levels deep and dropped before the next. A report of
 * thousands of files so never holds them all as JSON (26 MB for the
 * 4,353 files of the restyled benchmark scan), and the output is the same
 * bytes as one dump of the whole. */
lp_err lp_report_json(const struct lp_scan *s, int color, FILE *fp)
{
    (void)color;
    static const char hole[] = "\n  \"files\": []";
    json_t *doc = json_pack(
        "{s:{s:s,s:s},s:{s:o,s:I,s:I},s:o,s:o,s:[],s:o,s:o,s:o,s:o,s:[]}",
        "tool", "name", "leakprint", "version", LP_VERSION_STRING, "registry",
        "path", jstr(s->registry_path), "collections",
        (json_int_t)s->ncollections, "assets", (json_int_t)s->nassets,
        "verdict", verdict_json(s), "scope", scope_json(s), "files",
        "listings", listings_json(s), "skipped", skipped_json(s), "secrets",
        secrets_json(s), "exposures", findings_json(s, true, false),
        "canaries");
    if (doc && s->secrets_mode != LP_SECRETS_OFF && !set_key_id(doc, s)) {
        json_decref(doc);
        doc = NULL;
    }
    if (doc && !set_licence_only(doc, s))
        doc = NULL;
    if (!doc)
        return LP_ENOMEM;
    struct text frame = {0};
    int r = json_dump_callback(doc, text_write, &frame, JSON_FLAGS);
    json_decref(doc);
    if (r != 0) {
        lp_free(frame.p);
        return LP_ENOMEM; /* the text could not grow */
    }
    const char *cut = strstr(frame.p, hole);
    struct sink *sk = cut ? sink_new(fp) : NULL;
    if (!sk) {
        lp_free(frame.p);
        return cut ? LP_ENOMEM : LP_EINVAL; /* no hole: cannot happen */
    }
    /* up to "[" of the files, then each one, then from "]" on */
    size_t head = (size_t)(cut - frame.p) + sizeof hole - 2;
    lp_err err = sink_put(sk, frame.p, head) ? LP_EIO : LP_OK;
    bool first = true;
    for (size_t i = 0; !err && i < s->nfiles; i++) {
        if (!s->files[i].nmatches)
            continue;
        json_t *f = file_json(s, &s->files[i]);
        if (!f) {
            err = LP_ENOMEM;
            break;
        }
        sk->indent = 0;
        if (sink_put(sk, first ? "\n    " : ",\n    ", first ? 5 : 6))
            err = LP_EIO;
        sk->indent = 4;
        if (!err && json_dump_callback(f, sink_write, sk, JSON_FLAGS))
            err = sk->failed ? LP_EIO : LP_ENOMEM;
        json_decref(f);
        first = false;
    }
    sk->indent = 0;
    if (!err && !first && sink_put(sk, "\n  ", 3))
        err = LP_EIO;
    const char *tail = frame.p + head;
    if (!err && (sink_put(sk, tail, strlen(tail)) || sink_put(sk, "\n", 1) ||
                 sink_flush(sk)))
        err = LP_EIO;
    lp_free(sk);
    lp_free(frame.p);
    return err;
}

/* For the last line of a JSONL report: every collection of the registry,
 * in its order. */
static json_t *collections_json(const struct lp_scan *s)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < s->ncollections; i++) {
        json_t *o = json_pack("{s:o,s:b}", "name", jstr(s->collections[i].name),
                              "public", (int)s->collections[i].public_);
        if (json_array_append_new(a, o)) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* The versions the lines and the scope name (not every version of the
 * registry: a history has thousands), in the registry's order. */
static json_t *versions_json(const struct lp_scan *s)
{
    bool *used = lp_calloc(s->nversions ? s->nversions : 1, sizeof *used);
    json_t *a = used ? json_array() : NULL;
    for (size_t i = 0; a && i < s->nfiles; i++)
        for (size_t k = 0; k < s->files[i].nmatches; k++)
            used[s->files[i].matches[k].version] = true;
    for (size_t i = 0; a && i < s->nscope; i++) {
        used[s->scope[i].best_version] = true;
        for (size_t k = 0; k < s->scope[i].nconsistent; k++)
            used[s->scope[i].consistent[k]] = true;
    }
    for (size_t i = 0; a && i < s->nversions; i++) {
        if (!used[i])
            continue;
        const struct lp_res_version *v = &s->versions[i];
        char t[32];
        lp_format_time(v->created, t);
        json_t *o = json_pack("{s:o,s:o,s:s}", "collection",
                              jstr(s->collections[v->collection].name),
                              "name", jstr(v->name), "created", t);
        if (json_array_append_new(a, o)) {
            json_decref(a);
            a = NULL;
        }
    }
    lp_free(used);
    return a;
}

/* The secrets engine's rules, in its order: what a finding names. */
static json_t *rules_json(const struct lp_scan *s)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < s->nrules; i++) {
        const struct lp_res_rule *r = &s->rules[i];
        json_t *o = json_pack("{s:o,s:o,s:o,s:b,s:b}", "id", jstr(r->id),
                              "format", jstr(r->format), "category",
                              jstr(r->category), "exposure",
                              (int)!!(r->flags & LP_RULE_EXPOSURE), "generic",
                              (int)!!(r->flags & LP_RULE_GENERIC));
        if (json_array_append_new(a, o)) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* The last line of a scan's JSONL: the verdict, scope and skipped inputs
 * (the contract's and the first extension), then what else the JSON
 * document holds (tool, registry, listings, secrets, canaries) and
 * exposures, and the names the lines refer to (the rules: none without
 * --secrets); with --secrets, the findings left out by the baseline. */
static json_t *scan_last_json(const struct lp_scan *s)
{
    json_t *o = json_pack(
        "{s:o,s:o,s:o,s:{s:s,s:s},s:{s:o,s:I,s:I},s:o,s:o,s:o,s:[],s:o,s:o,"
        "s:o}",
        "verdict", verdict_json(s), "scope", scope_json(s), "skipped",
        skipped_json(s), "tool", "name", "leakprint", "version",
        LP_VERSION_STRING, "registry", "path", jstr(s->registry_path),
        "collections", (json_int_t)s->ncollections, "assets",
        (json_int_t)s->nassets, "listings", listings_json(s), "secrets",
        secrets_json(s), "exposures", findings_json(s, true, true),
        "canaries", "collections", collections_json(s), "versions",
        versions_json(s), "rules", rules_json(s));
    if (o && s->secrets_mode != LP_SECRETS_OFF &&
        (!set(o, "baselined", json_integer((json_int_t)s->nbaselined)) ||
         !set_key_id(o, s))) {
        json_decref(o);
        return NULL;
    }
    if (o && !set_licence_only(o, s))
        return NULL;
    return o;
}

lp_err lp_report_jsonl(const struct lp_scan *s, int color, FILE *fp)
{
    (void)color;
    for (size_t i = 0; i < s->nfiles; i++) {
        if (!s->files[i].nmatches)
            continue;
        lp_err err = dump(file_json(s, &s->files[i]), fp,
                          JSON_COMPACT | JSON_REAL_PRECISION(6));
        if (err)
            return err;
    }
    return dump(scan_last_json(s), fp, JSON_COMPACT | JSON_REAL_PRECISION(6));
}

/* `leakprint secrets`: the secrets found, exposures (none yet), and what
 * was not read. */
lp_err lp_report_secrets_json(const struct lp_scan *s, int color, FILE *fp)
{
    (void)color;
    json_t *doc = json_pack(
        "{s:{s:s,s:s},s:o,s:o,s:o,s:{s:I,s:I,s:I,s:I,s:I}}", "tool", "name",
        "leakprint", "version", LP_VERSION_STRING, "secrets", secrets_json(s),
        "exposures", findings_json(s, true, false), "skipped", skipped_json(s),
        "summary", "files_scanned", (json_int_t)lp_result_files_scanned(s),
        "secrets", (json_int_t)s->nsecrets, "exposures",
        (json_int_t)s->nexposures, "baselined", (json_int_t)s->nbaselined,
        "rules", (json_int_t)s->nrules);
    if (doc && !set_key_id(json_object_get(doc, "summary"), s)) {
        json_decref(doc);
        doc = NULL;
    }
    return dump(doc, fp, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
}

lp_err lp_report_secrets_jsonl(const struct lp_scan *s, int color, FILE *fp)
{
    (void)color;
    for (size_t i = 0; i < s->nfiles; i++)
        for (size_t k = 0; k < s->files[i].nsecrets; k++) {
            const struct lp_secret_finding *x = &s->files[i].secrets[k];
            /* an exposure's fingerprint is in no document: the line
             * carries it for a reader (SARIF writes it) */
            json_t *o = is_exposure(s, x)
                            ? json_pack("{s:o,s:s}", "exposure",
                                        exposure_json(s, &s->files[i], x,
                                                      false),
                                        "fingerprint", x->fp)
                            : secret_json(s, &s->files[i], x);
            lp_err err = dump(o, fp, JSON_COMPACT | JSON_REAL_PRECISION(6));
            if (err)
                return err;
        }
    /* the summary as in the JSON document, with the unreadable inputs;
     * the rest of the document, and the rules the lines name */
    json_t *last = json_pack(
        "{s:{s:I,s:I,s:I,s:I,s:I,s:I},s:o,s:{s:s,s:s},s:o}", "summary",
        "files_scanned", (json_int_t)lp_result_files_scanned(s), "secrets",
        (json_int_t)s->nsecrets, "exposures", (json_int_t)s->nexposures,
        "baselined", (json_int_t)s->nbaselined, "rules",
        (json_int_t)s->nrules, "files_unreadable", (json_int_t)s->nerrors,
        "skipped", skipped_json(s), "tool", "name", "leakprint", "version",
        LP_VERSION_STRING, "rules", rules_json(s));
    if (last && !set_key_id(json_object_get(last, "summary"), s)) {
        json_decref(last);
        last = NULL;
    }
    return dump(last, fp, JSON_COMPACT | JSON_REAL_PRECISION(6));
}
