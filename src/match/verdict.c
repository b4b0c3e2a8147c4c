/* SPDX-License-Identifier: Apache-2.0
 *
 * verdict: turns per-file matches into the scope of each collection and one
 * verdict. The rules (docs/VERDICT.md) on a file's best match, where
 * evidence is the weighted count of shared fingerprints (match.h: public
 * content weighs 0, boilerplate less than 1):
 *   strong  byte-identical with >= 3 fingerprints, or similarity >= 0.5 with
 *           >= 8 of evidence, or one span of >= 10 of evidence (about 10
 *           lines of code) in a consistent order, or a binary within
 *           TLSH distance 30 of a registered one;
 *   weak    any other reported match.
 *   confirmed  >= 3 strong files (or 1 strong file and >= 150 of evidence
 *              in all) that are not lost in the sample: they
 *              make >= 2% of its files, or >= 5% of a collection's bytes
 *              are matched, or there are >= 50 of them;
 *   likely     >= 1 strong file;  unlikely  only weak files;  none  no match.
 * The share condition keeps a large unrelated dump that happens to hold a
 * few files of shared third-party origin (GMP in both glibc and Linux) from
 * being "confirmed": that is what `add --public` is for, but the verdict
 * must not overstate until it is used.
 * Versions: the matched blobs explained well (exact, or similarity >= 0.5;
 * all matched blobs when none is), each with the other versions of its
 * file consistent with the sample (lp_match.alts), are looked up in every
 * version of the collection; the best version holds most of them (then
 * most of the matched blobs themselves, then the newest); the consistent
 * versions hold all of them.
 * Assets: every match of a collection in a file counts that explains a
 * region of its own (a bundle of headers holds many; lp_match_in_scope),
 * and so does its evidence in the verdict.
 * Directories: matched assets are counted by directory (two levels), next
 * to the files each directory has in the best version.
 * File listings (find, tree, ls, tar tv, unzip -l, du -ab output) name
 * paths, not contents. A path whose listed size is the registered file's
 * counts twice. One with >= half of its files aligned with registered
 * paths of a protected collection, >= 5 of them distinctive (not README,
 * Makefile, main.c...; or with their size) and either >= 20 (counted so)
 * or >= half of the collection's paths, makes the verdict at least likely;
 * one naming >= 5 at least unlikely. Names alone never confirm: anyone who
 * saw a tree can write its listing. Checksum manifests (sha256sum, git
 * ls-tree -r, git ls-files -s) can: a listed SHA-256 or git blob id equal
 * to the registered file's at its path is content evidence, like an exact
 * copy; >= 3 such files that are not lost in the listing (the share rule
 * of confirmed above, on the listing's files) confirm, 1 makes it likely.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binary.h"
#include "mem.h"
#include "result.h"
#include "banned.h"

#define STRONG_SIM 0.5
#define STRONG_VOTES 8
#define STRONG_SPAN 10
#define CONFIRM_FILES 3
#define CONFIRM_FPS 150
#define CONFIRM_SHARE 0.02    /* of the scanned files */
#define CONFIRM_COVERAGE 0.05 /* of a collection's bytes */
#define CONFIRM_MANY 50
#define MIXED_PENALTY 0.05 /* no version holds every well-explained file */
#define LISTING_LIKELY 20     /* registered paths a listing names */
#define LISTING_SHARE 0.5     /* of the listing's files */
#define LISTING_UNLIKELY 5
#define LISTING_DISTINCT 5    /* distinctive paths a likely listing names */
#define LISTING_HALF 0.5      /* of a collection's paths: a full listing */

static float longest_span(const struct lp_match *m)
{
    float best = 0;
    for (size_t i = 0; i < m->nspans; i++)
        best = m->spans[i].evidence > best ? m->spans[i].evidence : best;
    return best;
}

static bool is_strong(const struct lp_match *m)
{
    return (m->exact && m->nfp >= 3) ||
           (m->similarity >= STRONG_SIM && m->evidence >= STRONG_VOTES) ||
           longest_span(m) >= STRONG_SPAN ||
           (m->tlsh && m->tlsh - 1 <= LP_TLSH_SAME_MAX);
}

static bool well_explained(const struct lp_match *m)
{
    return m->exact || m->similarity >= STRONG_SIM;
}

/* A matched file for dating: its blob, and the blobs of the other
 * versions of it that are consistent with the sample too (match.h). */
struct dated {
    uint32_t blob;
    const uint32_t *alts;
    size_t nalts;
};

static int cmp_dated(const void *a, const void *b)
{
    const struct dated *x = a, *y = b;
    return (x->blob > y->blob) - (x->blob < y->blob);
}

/* Versions of collection c holding the items b[0..nb) (a version holds an
 * item when it holds its blob or one of its alternatives). */
static lp_err rank_versions(const struct lp_snapshot *snap, uint32_t c,
                            const struct dated *b, size_t nb,
                            struct lp_scope *sc)
{
    uint32_t *count = lp_calloc(snap->nversions + 1, sizeof *count);
    uint32_t *own = lp_calloc(snap->nversions + 1, sizeof *own);
    uint32_t *stamp = lp_calloc(snap->nversions + 1, sizeof *stamp);
    sc->consistent = lp_calloc(snap->nversions + 1, sizeof *sc->consistent);
    lp_err err = LP_ENOMEM;
    if (!count || !own || !stamp || !sc->consistent)
        goto out;
    for (size_t i = 0; i < nb; i++) {
        for (size_t a = 0; a <= b[i].nalts; a++) {
            uint32_t blob = a ? b[i].alts[a - 1] : b[i].blob;
            if (blob >= snap->nblobs)
                continue;
            size_t first, n = lp_snapshot_assets(snap, blob, &first);
            for (size_t j = first; j < first + n; j++) {
                uint32_t v = snap->assets[j].version;
                if (snap->versions[v].collection != c ||
                    stamp[v] == (uint32_t)(i + 1))
                    continue;
                stamp[v] = (uint32_t)(i + 1);
                count[v]++;
                own[v] += a == 0;
            }
        }
    }
    bool have = false;
    for (size_t v = 0; v < snap->nversions; v++) {
        if (snap->versions[v].collection != c)
            continue;
        /* The most items, then the most matched blobs themselves (the
         * versions the matches name); versions are oldest first: >=
         * keeps the newest on a tie. */
        uint32_t bv = sc->best_version;
        if (!have || count[v] > count[bv] ||
            (count[v] == count[bv] && own[v] >= own[bv]))
            sc->best_version = (uint32_t)v;
        have = true;
        if (nb && count[v] == nb)
            sc->consistent[sc->nconsistent++] = (uint32_t)v;
    }
    err = LP_OK;
out:
    lp_free(count);
    lp_free(own);
    lp_free(stamp);
    return err;
}

/* Totals of a collection's newest version. */
static void collection_totals(const struct lp_snapshot *snap, uint32_t c,
                              struct lp_scope *sc)
{
    uint32_t newest = UINT32_MAX;
    for (size_t v = 0; v < snap->nversions; v++)
        if (snap->versions[v].collection == c)
            newest = (uint32_t)v;
    for (size_t i = 0; i < snap->nassets; i++) {
        if (snap->assets[i].version != newest)
            continue;
        sc->assets_total++;
        if (snap->assets[i].blob < snap->nblobs)
            sc->bytes_total += snap->blobs[snap->assets[i].blob].size;
    }
}

/* Length of the directory part of `path` kept for the summary: its first
 * two components ("drivers/net/e1000/x.c" -> "drivers/net"), or 0 for a
 * file at the top. */
static size_t dir_len(const char *path)
{
    const char *slash = strchr(path, '/');
    if (!slash)
        return 0;
    const char *second = strchr(slash + 1, '/');
    return (size_t)((second ? second : slash) - path);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_dirs(const void *a, const void *b)
{
    const struct lp_dir_share *x = a, *y = b;
    if (x->matched != y->matched)
        return x->matched > y->matched ? -1 : 1;
    return strcmp(x->dir, y->dir);
}

/* Adds one to the matched (or total) count of the directory of `path`. */
static lp_err count_dir(struct lp_scope *sc, size_t *cap, const char *path,
                        bool matched)
{
    size_t n = dir_len(path);
    const char *d = n ? path : ".";
    n = n ? n : 1;
    struct lp_dir_share *e = NULL;
    for (size_t i = 0; i < sc->ndirs && !e; i++)
        if (strlen(sc->dirs[i].dir) == n && !strncmp(sc->dirs[i].dir, d, n))
            e = &sc->dirs[i];
    if (!e) {
        if (!matched)
            return LP_OK; /* a directory with nothing matched is not listed */
        if (!lp_grow((void **)&sc->dirs, cap, sc->ndirs + 1, sizeof *sc->dirs))
            return LP_ENOMEM;
        e = &sc->dirs[sc->ndirs];
        *e = (struct lp_dir_share){lp_strndup(d, n), 0, 0};
        if (!e->dir)
            return LP_ENOMEM;
        sc->ndirs++;
    }
    if (matched)
        e->matched++;
    else
        e->total++;
    return LP_OK;
}

/* Registered contents of collection c that a file listing's hashes match
 * (each counts like an exact copy), one call per content; stops at a
 * non-zero return. */
static int each_listed_content(const struct lp_scan *s, uint32_t c,
                               int (*fn)(void *ctx, uint32_t blob), void *ctx)
{
    for (size_t i = 0; i < s->nfiles; i++) {
        const struct lp_listing_result *l = s->files[i].listing;
        for (size_t k = 0; l && k < l->nhits; k++)
            for (size_t b = 0; l->hits[k].collection == c &&
                               b < l->hits[k].ncontent;
                 b++)
                if (fn(ctx, l->hits[k].content_blobs[b]))
                    return 1;
    }
    return 0;
}

static int count_one(void *ctx, uint32_t blob)
{
    (void)blob;
    ++*(size_t *)ctx;
    return 0;
}

/* Contents of c that listings' hashes match (see each_listed_content). */
static size_t listed_contents(const struct lp_scan *s, uint32_t c)
{
    size_t n = 0;
    each_listed_content(s, c, count_one, &n);
    return n;
}

/* The path of blob b in collection c (its first asset there), or NULL. */
static const char *blob_path(const struct lp_snapshot *snap, uint32_t b,
                             uint32_t c)
{
    size_t first, n = lp_snapshot_assets(snap, b, &first);
    for (size_t j = first; j < first + n; j++)
        if (snap->versions[snap->assets[j].version].collection == c)
            return snap->assets[j].path;
    return NULL;
}

struct listed_paths {
    const struct lp_snapshot *snap;
    uint32_t c;
    const char **v;
    size_t n;
};

static int add_listed_path(void *ctx, uint32_t blob)
{
    struct listed_paths *p = ctx;
    const char *path = blob_path(p->snap, blob, p->c);
    if (path)
        p->v[p->n++] = path;
    return 0;
}

/* Matched assets by directory, against the best version's files. */
static lp_err directories(const struct lp_scan *s,
                          const struct lp_snapshot *snap, uint32_t c,
                          struct lp_scope *sc)
{
    size_t cap = 0, n = 0;
    size_t listed = listed_contents(s, c);
    /* The assets matched, each once (several files may match one, and a
     * bundle many: each match holds its own copy of the path, so compare
     * the text); and those a listing's hashes match. */
    size_t room = listed + 1;
    for (size_t i = 0; i < s->nfiles; i++)
        room += s->files[i].nmatches;
    const char **assets = lp_calloc(room, sizeof *assets);
    if (!assets)
        return LP_ENOMEM;
    for (size_t i = 0; i < s->nfiles; i++)
        for (size_t k = 0; k < s->files[i].nmatches; k++)
            if (s->files[i].matches[k].collection == c &&
                lp_match_in_scope(&s->files[i], k))
                assets[n++] = s->files[i].matches[k].asset;
    struct listed_paths lp = {snap, c, assets + n, 0};
    each_listed_content(s, c, add_listed_path, &lp);
    n += lp.n;
    lp_sort(assets, n, sizeof *assets, cmp_str);
    lp_err err = LP_OK;
    for (size_t i = 0; !err && i < n; i++)
        if (i == 0 || strcmp(assets[i], assets[i - 1]))
            err = count_dir(sc, &cap, assets[i], true);
    lp_free(assets);
    for (size_t i = 0; !err && i < snap->nassets; i++)
        if (snap->assets[i].version == sc->best_version)
            err = count_dir(sc, &cap, snap->assets[i].path, false);
    if (!err)
        lp_sort(sc->dirs, sc->ndirs, sizeof *sc->dirs, cmp_dirs);
    return err;
}

/* A matched blob and how much of it a file holds. */
struct blob_cov {
    uint32_t blob;
    double coverage;
};

/* By blob, the highest coverage first. */
static int cmp_blob_cov(const void *a, const void *b)
{
    const struct blob_cov *x = a, *y = b;
    if (x->blob != y->blob)
        return x->blob < y->blob ? -1 : 1;
    return (x->coverage < y->coverage) - (x->coverage > y->coverage);
}

struct blob_list {
    struct blob_cov *hits;
    struct dated *good;
    size_t nhits, ngood;
};

static int add_listed_blob(void *ctx, uint32_t blob)
{
    struct blob_list *b = ctx;
    b->hits[b->nhits++] = (struct blob_cov){blob, 1.0};
    b->good[b->ngood++] = (struct dated){blob, NULL, 0};
    return 0;
}

/* The dated item of blob b among all[0..na) (sorted by blob), or NULL. */
static const struct dated *find_dated(const struct dated *all, size_t na,
                                      uint32_t b)
{
    struct dated key = {b, NULL, 0};
    return bsearch(&key, all, na, sizeof *all, cmp_dated);
}

/* Scope of collection c: matched assets, bytes, coverage and versions. */
static lp_err scope_of(struct lp_scan *s, const struct lp_snapshot *snap,
                       uint32_t c, struct lp_scope *sc)
{
    struct blob_cov *hits = NULL;
    struct dated *all = NULL, *good = NULL, *items = NULL;
    size_t nhits = 0, ngood = 0;
    double bytes = 0;
    lp_err err = LP_ENOMEM;
    size_t room = listed_contents(s, c) + 1;
    for (size_t i = 0; i < s->nfiles; i++)
        room += s->files[i].nmatches;
    hits = lp_calloc(room, sizeof *hits);
    all = lp_calloc(room, sizeof *all);
    good = lp_calloc(room, sizeof *good);
    items = lp_calloc(room, sizeof *items);
    if (!hits || !all || !good || !items)
        goto out;
    sc->collection = c;
    /* Every asset the files hold (a bundle holds many): each match of c
     * that is a file's first of c or explains a region of its own. */
    size_t nitems = 0;
    for (size_t i = 0; i < s->nfiles; i++) {
        for (size_t k = 0; k < s->files[i].nmatches; k++) {
            const struct lp_match *m = &s->files[i].matches[k];
            if (m->collection != c || !lp_match_in_scope(&s->files[i], k))
                continue;
            hits[nhits++] = (struct blob_cov){m->blob, m->coverage};
            items[nitems++] = (struct dated){m->blob, m->alts, m->nalts};
            if (well_explained(m))
                good[ngood++] = (struct dated){m->blob, m->alts, m->nalts};
        }
    }
    /* a content a listing's hash matches: as an exact copy */
    struct blob_list bl = {hits, good, nhits, ngood};
    each_listed_content(s, c, add_listed_blob, &bl);
    nhits = bl.nhits;
    ngood = bl.ngood;
    /* Each asset once, at its best coverage: several copies of one file in
     * the sample are not more of the collection's bytes. */
    lp_sort(hits, nhits, sizeof *hits, cmp_blob_cov);
    lp_sort(items, nitems, sizeof *items, cmp_dated);
    size_t na = 0;
    for (size_t i = 0; i < nhits; i++) {
        if (i && hits[i].blob == hits[i - 1].blob)
            continue;
        const struct dated *d = find_dated(items, nitems, hits[i].blob);
        all[na++] = d ? *d : (struct dated){hits[i].blob, NULL, 0};
        bytes += (double)snap->blobs[hits[i].blob].size * hits[i].coverage;
    }
    sc->assets_matched = (uint32_t)na;
    lp_sort(good, ngood, sizeof *good, cmp_dated);
    size_t ng = 0;
    for (size_t i = 0; i < ngood; i++)
        if (i == 0 || good[i].blob != good[i - 1].blob)
            good[ng++] = good[i];
    collection_totals(snap, c, sc);
    sc->bytes_matched = (uint64_t)bytes;
    sc->coverage = sc->bytes_total ? bytes / (double)sc->bytes_total : 0;
    if (sc->coverage > 1)
        sc->coverage = 1;
    /* Partial copies only (snippets): they date the sample too. */
    err = ng ? rank_versions(snap, c, good, ng, sc)
             : rank_versions(snap, c, all, na, sc);
    if (!err)
        err = directories(s, snap, c, sc);
out:
    lp_free(hits);
    lp_free(all);
    lp_free(good);
    lp_free(items);
    return err;
}

static int cmp_scope(const void *a, const void *b)
{
    const struct lp_scope *x = a, *y = b;
    if (x->assets_matched != y->assets_matched)
        return x->assets_matched > y->assets_matched ? -1 : 1;
    return (x->collection > y->collection) - (x->collection < y->collection);
}

static lp_err build_scope(struct lp_scan *s, const struct lp_snapshot *snap)
{
    size_t nc = snap->ncollections;
    bool *seen = lp_calloc(nc + 1, sizeof *seen);
    if (!seen)
        return LP_ENOMEM;
    for (size_t i = 0; i < s->nfiles; i++)
        for (size_t k = 0; k < s->files[i].nmatches; k++)
            seen[s->files[i].matches[k].collection] = true;
    for (size_t c = 0; c < nc; c++)
        seen[c] = seen[c] || listed_contents(s, (uint32_t)c);
    size_t n = 0;
    for (size_t c = 0; c < nc; c++)
        n += seen[c];
    lp_err err = LP_OK;
    s->scope = lp_calloc(n + 1, sizeof *s->scope);
    if (!s->scope)
        err = LP_ENOMEM;
    for (size_t c = 0; !err && c < nc; c++)
        if (seen[c])
            err = scope_of(s, snap, (uint32_t)c, &s->scope[s->nscope++]);
    lp_free(seen);
    if (!err)
        lp_sort(s->scope, s->nscope, sizeof *s->scope, cmp_scope);
    return err;
}

static void decide(struct lp_scan *s)
{
    size_t strong = 0, weak = 0;
    double fps = 0;
    for (size_t i = 0; i < s->nfiles; i++) {
        if (!s->files[i].nmatches)
            continue;
        s->files_matched++;
        const struct lp_file_result *f = &s->files[i];
        const struct lp_match *m = &f->matches[0];
        /* The evidence of each region of the file (a bundle holds many
         * assets of the best match's collection), each once. */
        for (size_t k = 0; k < f->nmatches; k++)
            if (f->matches[k].collection == m->collection &&
                lp_match_in_scope(f, k))
                fps += f->matches[k].evidence;
        if (is_strong(m))
            strong++;
        else
            weak++;
    }
    double top_cov = s->nscope ? s->scope[0].coverage : 0;
    for (size_t i = 1; i < s->nscope; i++)
        top_cov = s->scope[i].coverage > top_cov ? s->scope[i].coverage : top_cov;
    bool enough = strong >= CONFIRM_FILES || (strong && fps >= CONFIRM_FPS);
    bool visible = (double)strong >= CONFIRM_SHARE * (double)s->nfiles ||
                   top_cov >= CONFIRM_COVERAGE || strong >= CONFIRM_MANY;
    /* Files of one snapshot: some version of the top collection holds them
     * all. A sample no version explains whole (files of several releases,
     * or partly from elsewhere) is less sure. */
    double mixed = s->nscope && !s->scope[0].nconsistent ? MIXED_PENALTY : 0;
    if (enough && visible) {
        s->level = LP_LEVEL_CONFIRMED;
        s->confidence = 0.9 + 0.09 * (1.0 - 1.0 / (double)strong) - mixed;
    } else if (strong) {
        s->level = LP_LEVEL_LIKELY;
        s->confidence =
            0.6 + 0.2 * (fps >= CONFIRM_FPS ? 1.0 : fps / CONFIRM_FPS) - mixed;
    } else if (weak) {
        s->level = LP_LEVEL_UNLIKELY;
        s->confidence = 0.1 + 0.2 * (weak > 10 ? 1.0 : (double)weak / 10);
    } else {
        s->level = LP_LEVEL_NONE;
        s->confidence = 0;
    }
}

/* Registered paths a hit names, a path with its size counting twice. */
static uint32_t listing_weight(const struct lp_listing_hit *h)
{
    return h->registered + h->by_size;
}

/* Registered files whose contents a hit's listed hashes match. */
static uint32_t listing_contents(const struct lp_listing_hit *h)
{
    return h->by_sha256 + h->by_git;
}

/* The listing hit with the most content evidence, then the most weight,
 * or NULL. */
static const struct lp_listing_hit *best_listing(const struct lp_scan *s,
                                                 const struct lp_file_result **f)
{
    const struct lp_listing_hit *best = NULL;
    for (size_t i = 0; i < s->nfiles; i++) {
        const struct lp_listing_result *l = s->files[i].listing;
        for (size_t k = 0; l && k < l->nhits; k++) {
            const struct lp_listing_hit *h = &l->hits[k];
            if (!best || listing_contents(h) > listing_contents(best) ||
                (listing_contents(h) == listing_contents(best) &&
                 listing_weight(h) > listing_weight(best))) {
                best = h;
                *f = &s->files[i];
            }
        }
    }
    return best;
}

/* Whether the hashes of a listing confirm: CONFIRM_FILES files or more,
 * not lost among the listing's files. */
static bool listing_confirms(const struct lp_listing_hit *h, uint32_t files)
{
    uint32_t c = listing_contents(h);
    return c >= CONFIRM_FILES &&
           ((double)c >= CONFIRM_SHARE * files || c >= CONFIRM_MANY ||
            (h->total && (double)c / h->total >= CONFIRM_COVERAGE));
}

/* Whether the names (and sizes) of a listing make a leak likely. */
static bool listing_likely(const struct lp_listing_hit *h, uint32_t files)
{
    double share = files ? (double)h->matched / (double)files : 0;
    return share >= LISTING_SHARE && h->distinctive >= LISTING_DISTINCT &&
           (listing_weight(h) >= LISTING_LIKELY ||
            (double)h->registered >= LISTING_HALF * h->total);
}

/* Raises the level to what the best listing shows; true when it did. */
static bool decide_listing(struct lp_scan *s)
{
    const struct lp_file_result *f = NULL;
    const struct lp_listing_hit *h = best_listing(s, &f);
    if (!h)
        return false;
    uint32_t c = listing_contents(h);
    if (listing_confirms(h, f->listing_files) &&
        s->level < LP_LEVEL_CONFIRMED) {
        s->level = LP_LEVEL_CONFIRMED;
        s->confidence = 0.9 + 0.09 * (1.0 - 1.0 / (double)c);
        return true;
    }
    if ((c >= 1 || listing_likely(h, f->listing_files)) &&
        s->level < LP_LEVEL_LIKELY) {
        s->level = LP_LEVEL_LIKELY;
        double more = (double)(listing_weight(h) + 10 * c) / 200.0;
        s->confidence = 0.6 + 0.2 * (more > 1 ? 1 : more);
        return true;
    }
    if (h->registered >= LISTING_UNLIKELY && s->level < LP_LEVEL_UNLIKELY) {
        double share = f->listing_files
                           ? (double)h->matched / (double)f->listing_files
                           : 0;
        s->level = LP_LEVEL_UNLIKELY;
        s->confidence = 0.1 + 0.2 * share;
        return true;
    }
    return false;
}

static void summarize_listing(struct lp_scan *s)
{
    const struct lp_file_result *f = NULL;
    const struct lp_listing_hit *h = best_listing(s, &f);
    uint32_t c = listing_contents(h);
    if (c)
        snprintf(s->summary, sizeof s->summary,
                 "a file listing names %u of the %u registered files of "
                 "protected collection '%s', %u of them with the hash of "
                 "their registered contents",
                 (unsigned)h->registered, (unsigned)h->total,
                 s->collections[h->collection].name, (unsigned)c);
    else
        snprintf(s->summary, sizeof s->summary,
                 "a file listing names %u of the %u registered files of "
                 "protected collection '%s' (no content was compared)",
                 (unsigned)h->registered, (unsigned)h->total,
                 s->collections[h->collection].name);
}

/* Collections the summary names at most. */
#define SUMMARY_NAMES 4

/* Whether file f has a match of collection c. */
static bool file_in(const struct lp_file_result *f, uint32_t c)
{
    for (size_t k = 0; k < f->nmatches; k++)
        if (f->matches[k].collection == c)
            return true;
    return false;
}

/* Whether f has matches of collections a and b of one content: a file
 * registered in both. */
static bool shared_blob(const struct lp_file_result *f, uint32_t a, uint32_t b)
{
    for (size_t k = 0; k < f->nmatches; k++)
        for (size_t j = 0; j < f->nmatches; j++)
            if (f->matches[k].collection == a &&
                f->matches[j].collection == b &&
                f->matches[k].blob == f->matches[j].blob)
                return true;
    return false;
}

static void summarize(struct lp_scan *s)
{
    size_t scanned = lp_result_files_scanned(s);
    if (!s->nscope) {
        if (scanned == 0)
            snprintf(s->summary, sizeof s->summary,
                     "nothing to scan: no file was read");
        else if (scanned == 1)
            snprintf(s->summary, sizeof s->summary,
                     "the one file scanned matches no protected file");
        else
            snprintf(s->summary, sizeof s->summary,
                     "none of the %zu files scanned matches the registry",
                     scanned);
        return;
    }
    const struct lp_scope *top = &s->scope[0];
    size_t from = 0;
    for (size_t i = 0; i < s->nfiles; i++)
        if (file_in(&s->files[i], top->collection))
            from++;
    /* Other collections holding the same files (registered in several):
     * each is named, as each is credited. */
    size_t named[SUMMARY_NAMES], nnamed = 0, more = 0;
    for (size_t k = 0; k < s->nscope; k++) {
        uint32_t c = s->scope[k].collection;
        bool shares = k == 0;
        for (size_t i = 0; i < s->nfiles && !shares; i++)
            shares = shared_blob(&s->files[i], top->collection, c);
        if (!shares)
            continue;
        if (nnamed < SUMMARY_NAMES)
            named[nnamed++] = k;
        else
            more++;
    }
    char names[400] = "";
    size_t len = 0;
    for (size_t k = 0; k < nnamed && len < sizeof names; k++) {
        const struct lp_scope *sc = &s->scope[named[k]];
        const char *sep = k == 0 ? ""
                          : k + 1 == nnamed && !more ? " and "
                                                     : ", ";
        int w = snprintf(names + len, sizeof names - len, "%s'%s' (%s)", sep,
                         s->collections[sc->collection].name,
                         s->versions[sc->best_version].name);
        len = w < 0 ? len : len + (size_t)w;
    }
    if (more && len < sizeof names)
        snprintf(names + len, sizeof names - len, " and %zu more", more);
    snprintf(s->summary, sizeof s->summary,
             "%zu of %zu %s from protected %s %s", from, scanned,
             scanned == 1 ? "file comes" : "files come",
             nnamed > 1 ? "collections" : "collection", names);
}

lp_err lp_verdict_compute(struct lp_scan *s, const struct lp_snapshot *snap)
{
    lp_err err = build_scope(s, snap);
    if (err)
        return err;
    decide(s);
    if (decide_listing(s))
        summarize_listing(s);
    else
        summarize(s);
    return LP_OK;
}
