/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of the verdict (lp_verdict_compute, verdict.c): a registry's
 * snapshot and a scan's file results are built by hand, so each rule of
 * verdict.c's header is tried at and around its threshold: strong and weak
 * matches, confirmed (share of the sample, of a collection's bytes, many
 * files, one file with much evidence), likely, unlikely and none; the best
 * and consistent versions and the mixed penalty; the scope's numbers and
 * directories; file listings; the summary sentence; public collections;
 * and allocation failures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "classify.h"
#include "listing.h"
#include "mem.h"
#include "registry.h"
#include "result.h"

#include "banned.h"

#define EPS 1e-9

/* cmocka 1.1 has no assert_double_equal: a and b within eps, both
 * printed when not. */
#define assert_double_equal(a, b, eps) near((a), (b), (eps), __FILE__, __LINE__)

static void near(double a, double b, double eps, const char *file, int line)
{
    if (fabs(a - b) <= eps)
        return;
    print_error("%.12f != %.12f\n", a, b);
    _fail(file, line);
}

/* ---- a snapshot by hand ------------------------------------------------- */

/* Versions must be added collection by collection, oldest first (the
 * snapshot's order); assets in any order: snap_done() sorts them by blob,
 * then version, then path, as the registry loads them. */
static struct lp_snapshot *snap_new(void)
{
    struct lp_snapshot *s = lp_calloc(1, sizeof *s);
    assert_non_null(s);
    s->nblobs = 1; /* blob ids start at 1 */
    s->blobs = lp_calloc(1, sizeof *s->blobs);
    assert_non_null(s->blobs);
    return s;
}

static uint32_t snap_collection(struct lp_snapshot *s, const char *name,
                                bool public_)
{
    s->collections = lp_realloc(s->collections,
                                (s->ncollections + 1) * sizeof *s->collections);
    assert_non_null(s->collections);
    s->collections[s->ncollections] =
        (struct lp_snap_collection){lp_strdup(name), public_, 0, 0};
    return (uint32_t)s->ncollections++;
}

static uint32_t snap_version(struct lp_snapshot *s, uint32_t c,
                             const char *name, int64_t created)
{
    s->versions =
        lp_realloc(s->versions, (s->nversions + 1) * sizeof *s->versions);
    assert_non_null(s->versions);
    s->versions[s->nversions] =
        (struct lp_snap_version){c, lp_strdup(name), created, 0};
    s->collections[c].nversions++;
    return (uint32_t)s->nversions++;
}

static uint32_t snap_blob(struct lp_snapshot *s, uint64_t size)
{
    s->blobs = lp_realloc(s->blobs, (s->nblobs + 1) * sizeof *s->blobs);
    assert_non_null(s->blobs);
    memset(&s->blobs[s->nblobs], 0, sizeof *s->blobs);
    s->blobs[s->nblobs].size = size;
    s->blobs[s->nblobs].kind = LP_KIND_CODE;
    return (uint32_t)s->nblobs++;
}

static void snap_asset(struct lp_snapshot *s, uint32_t v, const char *path,
                       uint32_t blob)
{
    s->assets = lp_realloc(s->assets, (s->nassets + 1) * sizeof *s->assets);
    assert_non_null(s->assets);
    s->assets[s->nassets++] = (struct lp_snap_asset){blob, v, lp_strdup(path)};
    s->versions[v].nfiles++;
}

static int cmp_asset(const void *a, const void *b)
{
    const struct lp_snap_asset *x = a, *y = b;
    if (x->blob != y->blob)
        return x->blob < y->blob ? -1 : 1;
    if (x->version != y->version)
        return x->version < y->version ? -1 : 1;
    return strcmp(x->path, y->path);
}

static void snap_done(struct lp_snapshot *s)
{
    qsort(s->assets, s->nassets, sizeof *s->assets, cmp_asset);
}

/* ---- a scan by hand ----------------------------------------------------- */

static struct lp_scan *scan_new(const struct lp_snapshot *snap)
{
    struct lp_scan *s = lp_result_new();
    assert_non_null(s);
    assert_int_equal(lp_result_names(s, snap, "reg"), LP_OK);
    return s;
}

/* Appends n files without matches ("other/N"); returns the first index. */
static size_t add_files(struct lp_scan *s, size_t n)
{
    size_t first = s->nfiles;
    s->files = lp_realloc(s->files, (s->nfiles + n + 1) * sizeof *s->files);
    assert_non_null(s->files);
    for (size_t i = 0; i < n; i++) {
        struct lp_file_result *f = &s->files[s->nfiles++];
        char path[64];
        memset(f, 0, sizeof *f);
        snprintf(path, sizeof path, "other/%zu", first + i);
        f->path = lp_strdup(path);
        f->kind = LP_KIND_CODE;
        f->nfp = 100;
    }
    return first;
}

struct m {
    uint32_t blob, collection, version;
    const char *asset;
    double similarity, coverage, evidence;
    uint32_t nfp;
    bool exact;
    uint16_t tlsh;
    float span[3]; /* evidence of up to 3 spans, 0: none */
};

/* Adds match *d to file i (after its other matches). */
static struct lp_match *add_match(struct lp_scan *s, size_t i,
                                  const struct m *d)
{
    struct lp_file_result *f = &s->files[i];
    f->matches =
        lp_realloc(f->matches, (f->nmatches + 1) * sizeof *f->matches);
    assert_non_null(f->matches);
    struct lp_match *m = &f->matches[f->nmatches++];
    memset(m, 0, sizeof *m);
    m->blob = d->blob;
    m->collection = d->collection;
    m->version = d->version;
    m->asset = lp_strdup(d->asset);
    m->similarity = d->similarity;
    m->coverage = d->coverage;
    m->evidence = d->evidence;
    m->nfp = d->nfp;
    m->exact = d->exact;
    m->tlsh = d->tlsh;
    for (size_t k = 0; k < 3 && d->span[k] > 0; k++) {
        m->spans = lp_realloc(m->spans, (m->nspans + 1) * sizeof *m->spans);
        assert_non_null(m->spans);
        m->spans[m->nspans++] = (struct lp_span){
            {1 + 20 * (uint32_t)k, 10 + 20 * (uint32_t)k},
            {1 + 20 * (uint32_t)k, 10 + 20 * (uint32_t)k},
            10,
            d->span[k],
            LP_HOW_NORMALIZED,
            {0, 0}};
    }
    return m;
}

/* An exact copy of blob b of (c, v) at `asset`, with nfp fingerprints. */
static struct m exact(uint32_t b, uint32_t c, uint32_t v, const char *asset,
                      uint32_t nfp)
{
    return (struct m){.blob = b, .collection = c, .version = v,
                      .asset = asset, .similarity = 1, .coverage = 1,
                      .evidence = nfp, .nfp = nfp, .exact = true};
}

/* A partial copy: similarity, coverage and evidence, no span. */
static struct m partial(uint32_t b, uint32_t c, uint32_t v, const char *asset,
                        double sim, double cov, double ev)
{
    return (struct m){.blob = b, .collection = c, .version = v,
                      .asset = asset, .similarity = sim, .coverage = cov,
                      .evidence = ev, .nfp = (uint32_t)ev + 1};
}

static void compute(struct lp_scan *s, const struct lp_snapshot *snap)
{
    assert_int_equal(lp_verdict_compute(s, snap), LP_OK);
}

/* ---- a registry used by most tests -------------------------------------- */

/* Collection "core" (protected): v1 (2024-01-10), v2 (2024-03-01), v3
 * (2024-05-02). Blobs: 1 "src/a.c" in v1..v3; 2 "src/b.c" in v2, v3;
 * 3 "src/c.c" in v3 only; 4 "src/old.c" in v1 only; 5 "drivers/net/e1000/
 * x.c" v1..v3; 6 "Makefile" v1..v3. Sizes 1000 each but the Makefile's 500:
 * v3 holds 5 files of 4500 bytes. Collection "other" (protected): o1 with
 * blob 7 "lib/z.c" (2000 bytes). */
enum { A = 1, B, C, OLD, X, MK, Z };
enum { CORE = 0, OTHER = 1 };
enum { V1 = 0, V2, V3, O1 };

static struct lp_snapshot *core_snap(void)
{
    struct lp_snapshot *s = snap_new();
    snap_collection(s, "core", false);
    snap_collection(s, "other", false);
    snap_version(s, CORE, "v1", 1704880800);
    snap_version(s, CORE, "v2", 1709287200);
    snap_version(s, CORE, "v3", 1714644000);
    snap_version(s, OTHER, "o1", 1714644000);
    for (int i = A; i <= MK; i++)
        snap_blob(s, i == MK ? 500 : 1000);
    snap_blob(s, 2000);
    for (uint32_t v = V1; v <= V3; v++) {
        snap_asset(s, v, "src/a.c", A);
        snap_asset(s, v, "drivers/net/e1000/x.c", X);
        snap_asset(s, v, "Makefile", MK);
    }
    snap_asset(s, V2, "src/b.c", B);
    snap_asset(s, V3, "src/b.c", B);
    snap_asset(s, V3, "src/c.c", C);
    snap_asset(s, V1, "src/old.c", OLD);
    snap_asset(s, O1, "lib/z.c", Z);
    snap_done(s);
    return s;
}

/* ---- strong and weak ---------------------------------------------------- */

struct strength_case {
    const char *what;
    struct m m;
    bool strong;
};

/* One file with one match of blob A: strong makes the verdict likely,
 * weak unlikely (one strong file is never enough to confirm under 150 of
 * evidence). */
static void test_strong_weak(void **state)
{
    (void)state;
    const struct strength_case cases[] = {
        {"identical, 3 fps", {.similarity = 1, .coverage = 1, .evidence = 3,
                              .nfp = 3, .exact = true}, true},
        {"identical, 2 fps", {.similarity = 1, .coverage = 1, .evidence = 2,
                              .nfp = 2, .exact = true}, false},
        {"sim 0.5, 8 evidence", {.similarity = 0.5, .coverage = 0.5,
                                 .evidence = 8, .nfp = 8}, true},
        {"sim 0.49, 8 evidence", {.similarity = 0.49, .coverage = 0.5,
                                  .evidence = 8, .nfp = 8}, false},
        {"sim 0.5, 7.9 evidence", {.similarity = 0.5, .coverage = 0.5,
                                   .evidence = 7.9, .nfp = 9}, false},
        {"span of 10", {.similarity = 0.1, .coverage = 0.1, .evidence = 12,
                        .nfp = 12, .span = {2, 10}}, true},
        {"span of 9.9", {.similarity = 0.1, .coverage = 0.1, .evidence = 12,
                         .nfp = 12, .span = {9.9f}}, false},
        {"spans of 6 + 6", {.similarity = 0.1, .coverage = 0.1,
                            .evidence = 12, .nfp = 12, .span = {6, 6}},
         false},
        {"TLSH distance 30", {.similarity = 0, .coverage = 0, .evidence = 0,
                              .tlsh = 31}, true},
        {"TLSH distance 31", {.similarity = 0, .coverage = 0, .evidence = 0,
                              .tlsh = 32}, false},
        {"TLSH distance 0", {.similarity = 0, .coverage = 0, .evidence = 0,
                             .tlsh = 1}, true},
    };
    struct lp_snapshot *snap = core_snap();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct lp_scan *s = scan_new(snap);
        add_files(s, 1);
        struct m d = cases[i].m;
        d.blob = A;
        d.collection = CORE;
        d.version = V3;
        d.asset = "src/a.c";
        add_match(s, 0, &d);
        compute(s, snap);
        print_message("%s\n", cases[i].what);
        if (cases[i].strong) {
            assert_int_equal(s->level, LP_LEVEL_LIKELY);
            assert_double_equal(s->confidence, 0.6 + 0.2 * d.evidence / 150,
                                EPS);
        } else {
            assert_int_equal(s->level, LP_LEVEL_UNLIKELY);
            assert_double_equal(s->confidence, 0.12, EPS);
        }
        assert_int_equal(s->files_matched, 1);
        assert_string_equal(s->summary, "1 of 1 file comes from protected "
                                        "collection 'core' (v3)");
        lp_scan_free(s);
    }
    lp_snapshot_free(snap);
}

/* Only a file's best (first) match counts: a strong second match does not
 * make the file strong. */
static void test_best_match_only(void **state)
{
    (void)state;
    struct lp_snapshot *snap = core_snap();
    struct lp_scan *s = scan_new(snap);
    add_files(s, 1);
    struct m weak = partial(A, CORE, V3, "src/a.c", 0.3, 0.3, 5);
    add_match(s, 0, &weak);
    struct m strong = exact(B, CORE, V3, "src/b.c", 40);
    add_match(s, 0, &strong);
    compute(s, snap);
    assert_int_equal(s->level, LP_LEVEL_UNLIKELY);
    assert_double_equal(s->confidence, 0.12, EPS);
    lp_scan_free(s);
    lp_snapshot_free(snap);
}

/* ---- confirmed, likely, unlikely, none ---------------------------------- */

/* n strong files (exact copies of n distinct assets "src/fN.c" of 1000
 * bytes, 10 fps each, coverage 0.001: 1 byte matched each) among `total`
 * files, in a collection whose newest version also holds a file of `big`
 * bytes (so that its bytes matched stay under 5 % unless big is small). */
static struct lp_scan *strong_among(struct lp_snapshot **snapp, size_t n,
                                    size_t total, uint64_t big)
{
    struct lp_snapshot *snap = snap_new();
    snap_collection(snap, "core", false);
    snap_version(snap, 0, "v1", 1704880800);
    char path[64];
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "src/f%zu.c", i);
        snap_asset(snap, 0, path, snap_blob(snap, 1000));
    }
    snap_asset(snap, 0, "data/big.bin", snap_blob(snap, big));
    snap_done(snap);
    struct lp_scan *s = scan_new(snap);
    add_files(s, total);
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "src/f%zu.c", i);
        struct m d = exact((uint32_t)i + 1, 0, 0, path, 10);
        d.coverage = 0.001;
        add_match(s, i, &d);
    }
    *snapp = snap;
    return s;
}

/* Three strong files that are >= 2 % of the sample: confirmed at
 * 0.9 + 0.09 (1 - 1/3); 3 of 150 is 2 %, 3 of 151 is less: likely. */
static void test_confirmed_share(void **state)
{
    (void)state;
    struct lp_snapshot *snap;
    struct lp_scan *s = strong_among(&snap, 3, 150, 1000000000);
    compute(s, snap);
    assert_int_equal(s->level, LP_LEVEL_CONFIRMED);
    assert_double_equal(s->confidence, 0.9 + 0.09 * (1 - 1.0 / 3), EPS);
    assert_double_equal(s->confidence, 0.96, EPS);
    assert_string_equal(s->summary, "3 of 150 files come from protected "
                                    "collection 'core' (v1)");
    lp_scan_free(s);
    lp_snapshot_free(snap);

    s = strong_among(&snap, 3, 151, 1000000000);
    compute(s, snap);
    assert_int_equal(s->level, LP_LEVEL_LIKELY);
    assert_double_equal(s->confidence, 0.6 + 0.2 * 30 / 150, EPS);
    lp_scan_free(s);
    lp_snapshot_free(snap);

    /* Two strong files are not enough, however few files there are. */
    s = strong_among(&snap, 2, 2, 1000000000);
    compute(s, snap);
    assert_int_equal(s->level, LP_LEVEL_LIKELY);
    assert_double_equal(s->confidence, 0.6 + 0.2 * 20 / 150, EPS);
    lp_scan_free(s);
    lp_snapshot_free(snap);
}

/* Three strong files lost in 1000: confirmed when they match >= 5 % of a
 * collection's bytes; 4.99 % is not enough. */
static void test_confirmed_coverage(void **state)
{
    (void)state;
    struct lp_snapshot *snap;
    /* 3 x 1000 bytes of src/fN.c + 57000 of big: 3000 matched, 5 %. */
    struct lp_scan *s = strong_among(&snap, 3, 1000, 57000);
    for (size_t i = 0; i < 3; i++)
        s->files[i].matches[0].coverage = 1;
    compute(s, snap);
    assert_int_equal(s->nscope, 1);
    assert_int_equal(s->scope[0].bytes_matched, 3000);
    assert_int_equal(s->scope[0].bytes_total, 60000);
    assert_double_equal(s->scope[0].coverage, 0.05, EPS);
    assert_int_equal(s->level, LP_LEVEL_CONFIRMED);
    assert_double_equal(s->confidence, 0.96, EPS);
    lp_scan_free(s);
    lp_snapshot_free(snap);

    s = strong_among(&snap, 3, 1000, 57200); /* 3000 / 60200 */
    for (size_t i = 0; i < 3; i++)
        s->files[i].matches[0].coverage = 1;
    compute(s, snap);
    assert_double_equal(s->scope[0].coverage, 3000.0 / 60200, EPS);
    assert_int_equal(s->level, LP_LEVEL_LIKELY);
    lp_scan_free(s);
    lp_snapshot_free(snap);
}

/* 50 strong files are confirmed however large the sample; 49 are not. */
static void test_confirmed_many(void **state)
{
    (void)state;
    struct lp_snapshot *snap;
    struct lp_scan *s = strong_among(&snap, 50, 5000, 1000000000);
    compute(s, snap);
    assert_int_equal(s->level, LP_LEVEL_CONFIRMED);
    assert_double_equal(s->confidence, 0.9 + 0.09 * (1 - 1.0 / 50), EPS);
    assert_int_equal(s->files_matched, 50);
    assert_string_equal(s->summary, "50 of 5000 files come from protected "
                                    "collection 'core' (v1)");
    lp_scan_free(s);
    lp_snapshot_free(snap);

    s = strong_among(&snap, 49, 5000, 1000000000);
    compute(s, snap);
    assert_int_equal(s->level, LP_LEVEL_LIKELY);
    assert_double_equal(s->confidence, 0.8, EPS); /* 490 of evidence */
    lp_scan_free(s);
    lp_snapshot_free(snap);
}

/* One strong file and >= 150 of evidence in all (weak files count too) is
 * confirmed at 0.9, when the strong file is 2 % of the sample. */
static void test_confirmed_one_strong(void **state)
{
    (void)state;
    struct lp_snapshot *snap;
    for (int round = 0; round < 3; round++) {
        /* round 0: 150 in all; 1: 149.5; 2: 150 but 51 files */
        size_t total = round == 2 ? 51 : 50;
        struct lp_scan *s = strong_among(&snap, 1, total, 1000000000);
        s->files[0].matches[0].evidence = 100;
        struct m w = partial(1, 0, 0, "src/f0.c", 0.2, 0.001,
                             round == 1 ? 49.5 : 50);
        add_match(s, 1, &w);
        compute(s, snap);
        print_message("round %d\n", round);
        if (round == 0) {
            assert_int_equal(s->level, LP_LEVEL_CONFIRMED);
            assert_double_equal(s->confidence, 0.9, EPS);
        } else {
            assert_int_equal(s->level, LP_LEVEL_LIKELY);
            double fps = round == 1 ? 149.5 : 150;
            assert_double_equal(s->confidence,
                                0.6 + 0.2 * (fps >= 150 ? 1 : fps / 150), EPS);
        }
        assert_int_equal(s->files_matched, 2);
        lp_scan_free(s);
        lp_snapshot_free(snap);
    }
}

/* A large unrelated dump with a few strong files (shared third-party
 * code) and plenty of evidence stays likely. */
static void test_large_sample_likely(void **state)
{
    (void)state;
    struct lp_snapshot *snap;
    struct lp_scan *s = strong_among(&snap, 4, 20000, 1000000000);
    for (size_t i = 0; i < 4; i++)
        s->files[i].matches[0].evidence = 300;
    compute(s, snap);
    assert_int_equal(s->level, LP_LEVEL_LIKELY);
    assert_double_equal(s->confidence, 0.8, EPS);
    assert_string_equal(s->summary, "4 of 20000 files come from protected "
                                    "collection 'core' (v1)");
    lp_scan_free(s);
    lp_snapshot_free(snap);
}

/* Only weak files: 0.1 + 0.02 per file, at most 0.3. */
static void test_unlikely(void **state)
{
    (void)state;
    const size_t counts[] = {1, 5, 10, 11, 40};
    struct lp_snapshot *snap = core_snap();
    for (size_t c = 0; c < sizeof counts / sizeof *counts; c++) {
        struct lp_scan *s = scan_new(snap);
        add_files(s, 50);
        for (size_t i = 0; i < counts[c]; i++) {
            struct m w = partial(A, CORE, V3, "src/a.c", 0.3, 0.3, 5);
            add_match(s, i, &w);
        }
        compute(s, snap);
        size_t n = counts[c] > 10 ? 10 : counts[c];
        assert_int_equal(s->level, LP_LEVEL_UNLIKELY);
        assert_double_equal(s->confidence, 0.1 + 0.02 * (double)n, EPS);
        assert_int_equal(s->files_matched, counts[c]);
        lp_scan_free(s);
    }
    lp_snapshot_free(snap);
}

/* No match: none, no scope, the summary says how many files were read. */
static void test_none(void **state)
{
    (void)state;
    struct lp_snapshot *snap = core_snap();
    struct lp_scan *s = scan_new(snap);
    add_files(s, 4);
    compute(s, snap);
    assert_int_equal(s->level, LP_LEVEL_NONE);
    assert_double_equal(s->confidence, 0, EPS);
    assert_int_equal(s->nscope, 0);
    assert_int_equal(s->files_matched, 0);
    assert_string_equal(s->summary, "none of the 4 files scanned matches the registry");
    lp_scan_free(s);

    /* Nothing scanned, and an empty registry. */
    struct lp_snapshot *empty = snap_new();
    s = scan_new(empty);
    compute(s, empty);
    assert_int_equal(s->level, LP_LEVEL_NONE);
    assert_string_equal(s->summary, "nothing to scan: no file was read");
    lp_scan_free(s);
    lp_snapshot_free(empty);
    lp_snapshot_free(snap);
}

/* ---- versions ----------------------------------------------------------- */

/* The consistent versions of core, as "v1 v2", and the best one. */
static void versions_of(const struct lp_scan *s, const struct lp_scope *sc,
                        char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sc->nconsistent; i++)
        used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? " " : "",
                                 s->versions[sc->consistent[i]].name);
    snprintf(buf + used, n - used, " best %s",
             s->versions[sc->best_version].name);
}

struct version_case {
    uint32_t blobs[3]; /* exact copies of these (0: none) */
    uint32_t poor;     /* and a poorly explained match of this blob */
    const char *want;
};

static void test_versions(void **state)
{
    (void)state;
    static const char *paths[] = {"", "src/a.c", "src/b.c", "src/c.c",
                                  "src/old.c", "drivers/net/e1000/x.c",
                                  "Makefile"};
    const struct version_case cases[] = {
        {{A}, 0, "v1 v2 v3 best v3"},
        {{A, B}, 0, "v2 v3 best v3"},
        {{A, B, C}, 0, "v3 best v3"},
        {{A, OLD}, 0, "v1 best v1"},
        /* no version holds both: v1 and v3 hold one each, the newest
         * wins the tie */
        {{OLD, C}, 0, " best v3"},
        {{OLD, C, A}, 0, " best v3"},
        /* a poorly explained match does not date the sample... */
        {{OLD}, C, "v1 best v1"},
        /* ...unless no match is well explained */
        {{0}, B, "v2 v3 best v3"},
    };
    struct lp_snapshot *snap = core_snap();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct lp_scan *s = scan_new(snap);
        add_files(s, 4);
        size_t f = 0;
        for (size_t k = 0; k < 3 && cases[i].blobs[k]; k++) {
            uint32_t b = cases[i].blobs[k];
            struct m d = exact(b, CORE, b == OLD ? V1 : V3, paths[b], 10);
            add_match(s, f++, &d);
        }
        if (cases[i].poor) {
            uint32_t b = cases[i].poor;
            struct m d = partial(b, CORE, V3, paths[b], 0.49, 0.2, 20);
            add_match(s, f++, &d);
        }
        compute(s, snap);
        char got[128];
        assert_int_equal(s->nscope, 1);
        versions_of(s, &s->scope[0], got, sizeof got);
        print_message("case %zu\n", i);
        assert_string_equal(got, cases[i].want);
        lp_scan_free(s);
    }
    lp_snapshot_free(snap);
}

/* Dating with the other versions of a matched file that are consistent
 * with it (its alternatives, match.h): their versions are consistent too,
 * and the best version is the one holding the matched blob itself. */
static void test_versions_alts(void **state)
{
    (void)state;
    struct lp_snapshot *snap = core_snap();
    static const uint32_t alt_b[] = {B};
    struct {
        const uint32_t *alts;
        size_t nalts;
        const char *want;
    } cases[] = {
        {NULL, 0, "v1 best v1"},
        /* old.c of v1, as well explained by b.c of v2 and v3 (test data:
         * in a registry they would be one file) */
        {alt_b, 1, "v1 v2 v3 best v1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct lp_scan *s = scan_new(snap);
        add_files(s, 1);
        struct m d = partial(OLD, CORE, V1, "src/old.c", 0.9, 0.6, 30);
        struct lp_match *m = add_match(s, 0, &d);
        if (cases[i].nalts) {
            m->alts = lp_calloc(cases[i].nalts, sizeof *m->alts);
            assert_non_null(m->alts);
            memcpy(m->alts, cases[i].alts, cases[i].nalts * sizeof *m->alts);
            m->nalts = cases[i].nalts;
        }
        compute(s, snap);
        char got[128];
        versions_of(s, &s->scope[0], got, sizeof got);
        assert_string_equal(got, cases[i].want);
        lp_scan_free(s);
    }
    lp_snapshot_free(snap);
}

/* A sample no version holds whole costs 0.05 of confidence, likely and
 * confirmed alike; the same sample from one version does not. */
static void test_mixed_penalty(void **state)
{
    (void)state;
    struct lp_snapshot *snap = core_snap();
    for (int mixed = 0; mixed < 2; mixed++) {
        for (size_t nstrong = 2; nstrong <= 3; nstrong++) {
            struct lp_scan *s = scan_new(snap);
            add_files(s, 3);
            uint32_t blobs[2][3] = {{A, B, X}, {OLD, C, A}};
            for (size_t i = 0; i < nstrong; i++) {
                uint32_t b = blobs[mixed][i];
                struct m d = exact(b, CORE, b == OLD ? V1 : V3, "f.c", 10);
                add_match(s, i, &d);
            }
            compute(s, snap);
            double pen = mixed ? 0.05 : 0;
            if (nstrong == 3) {
                assert_int_equal(s->level, LP_LEVEL_CONFIRMED);
                assert_double_equal(s->confidence, 0.96 - pen, EPS);
            } else {
                assert_int_equal(s->level, LP_LEVEL_LIKELY);
                assert_double_equal(s->confidence,
                                    0.6 + 0.2 * 20 / 150 - pen, EPS);
            }
            assert_int_equal(s->scope[0].nconsistent, mixed ? 0 : 2);
            lp_scan_free(s);
        }
    }
    lp_snapshot_free(snap);
}

/* The penalty does not touch unlikely. */
static void test_mixed_unlikely(void **state)
{
    (void)state;
    struct lp_snapshot *snap = core_snap();
    struct lp_scan *s = scan_new(snap);
    add_files(s, 2);
    struct m a = partial(OLD, CORE, V1, "src/old.c", 0.3, 0.3, 5);
    struct m c = partial(C, CORE, V3, "src/c.c", 0.3, 0.3, 5);
    add_match(s, 0, &a);
    add_match(s, 1, &c);
    compute(s, snap);
    assert_int_equal(s->scope[0].nconsistent, 0);
    assert_int_equal(s->level, LP_LEVEL_UNLIKELY);
    assert_double_equal(s->confidence, 0.14, EPS);
    lp_scan_free(s);
    lp_snapshot_free(snap);
}

/* ---- scope -------------------------------------------------------------- */

/* Assets matched, newest version's totals, bytes matched (size times
 * coverage) and their share; other collections in order of assets
 * matched. */
static void test_scope_numbers(void **state)
{
    (void)state;
    struct lp_snapshot *snap = core_snap();
    struct lp_scan *s = scan_new(snap);
    add_files(s, 6);
    struct m d;
    d = exact(A, CORE, V3, "src/a.c", 10);
    add_match(s, 0, &d);
    d = partial(B, CORE, V3, "src/b.c", 0.6, 0.25, 30);
    add_match(s, 1, &d);
    d = partial(MK, CORE, V3, "Makefile", 0.6, 0.5, 30);
    add_match(s, 2, &d);
    d = partial(OLD, CORE, V1, "src/old.c", 0.2, 0.1, 4);
    add_match(s, 3, &d);
    d = exact(Z, OTHER, O1, "lib/z.c", 10);
    add_match(s, 4, &d);
    /* a second match, of core, in file 4 counts for core's scope */
    d = exact(X, CORE, V3, "drivers/net/e1000/x.c", 10);
    add_match(s, 4, &d);
    compute(s, snap);

    assert_int_equal(s->nscope, 2);
    const struct lp_scope *sc = &s->scope[0];
    assert_int_equal(sc->collection, CORE);
    assert_int_equal(sc->assets_matched, 5);
    assert_int_equal(sc->assets_total, 5);
    assert_int_equal(sc->bytes_total, 4500);
    /* 1000 + 250 + 250 + 100 + 1000 */
    assert_int_equal(sc->bytes_matched, 2600);
    assert_double_equal(sc->coverage, 2600.0 / 4500, EPS);
    /* well explained: A, B, MK, X: v2 and v3 hold them */
    assert_int_equal(sc->nconsistent, 2);
    assert_int_equal(sc->consistent[0], V2);
    assert_int_equal(sc->consistent[1], V3);
    assert_int_equal(sc->best_version, V3);

    sc = &s->scope[1];
    assert_int_equal(sc->collection, OTHER);
    assert_int_equal(sc->assets_matched, 1);
    assert_int_equal(sc->assets_total, 1);
    assert_int_equal(sc->bytes_matched, 2000);
    assert_int_equal(sc->bytes_total, 2000);
    assert_double_equal(sc->coverage, 1, EPS);
    assert_int_equal(sc->best_version, O1);
    assert_int_equal(sc->nconsistent, 1);

    assert_int_equal(s->files_matched, 5);
    /* 4 strong files of 6 (A, B, MK, Z): confirmed, versions hold them */
    assert_int_equal(s->level, LP_LEVEL_CONFIRMED);
    assert_double_equal(s->confidence, 0.9 + 0.09 * 0.75, EPS);
    /* file 4 holds core's x.c too (its second match) */
    assert_string_equal(s->summary, "5 of 6 files come from protected "
                                    "collection 'core' (v3)");
    lp_scan_free(s);
    lp_snapshot_free(snap);
}

/* A bundle: one file whose matches of one collection explain distinct
 * regions (spans on other lines) counts each asset in the scope and the
 * evidence of each in the verdict; a match over the lines of an earlier
 * one is an alternative explanation, counted once. */
static void test_scope_bundle(void **state)
{
    (void)state;
    struct lp_snapshot *snap = core_snap();
    struct lp_scan *s = scan_new(snap);
    add_files(s, 2);
    const uint32_t blobs[] = {A, B, C, X};
    const char *paths[] = {"src/a.c", "src/b.c", "src/c.c",
                           "drivers/net/e1000/x.c"};
    /* lines 1-10, 21-30, 41-50, then x.c over 1-10 again */
    const uint32_t first[] = {1, 21, 41, 1};
    for (size_t k = 0; k < 4; k++) {
        struct m d = partial(blobs[k], CORE, V3, paths[k], 0.1, 1, 20);
        d.span[0] = 12;
        struct lp_match *m = add_match(s, 0, &d);
        m->spans[0].lines[0] = first[k];
        m->spans[0].lines[1] = first[k] + 9;
    }
    compute(s, snap);
    assert_int_equal(s->nscope, 1);
    assert_int_equal(s->scope[0].assets_matched, 3);
    assert_int_equal(s->scope[0].bytes_matched, 3000);
    assert_int_equal(s->files_matched, 1);
    /* one strong file with 60 of evidence in all (not 20, nor 80) */
    assert_int_equal(s->level, LP_LEVEL_LIKELY);
    assert_double_equal(s->confidence, 0.6 + 0.2 * 60 / 150, EPS);
    assert_int_equal(s->scope[0].ndirs, 1);
    assert_string_equal(s->scope[0].dirs[0].dir, "src");
    assert_int_equal(s->scope[0].dirs[0].matched, 3);
    assert_string_equal(s->summary, "1 of 2 files come from protected "
                                    "collection 'core' (v3)");
    lp_scan_free(s);
    lp_snapshot_free(snap);
}

/* One content registered in two collections: both are credited, have a
 * scope, and the summary names both; a collection matched only by other
 * files is not named there. */
static void test_several_collections(void **state)
{
    (void)state;
    struct lp_snapshot *snap = snap_new();
    uint32_t core = snap_collection(snap, "core", false);
    uint32_t edge = snap_collection(snap, "edge", false);
    uint32_t misc = snap_collection(snap, "misc", false);
    uint32_t c1 = snap_version(snap, core, "c1", 1704880800);
    uint32_t e1 = snap_version(snap, edge, "e1", 1709287200);
    uint32_t m1 = snap_version(snap, misc, "m1", 1709287200);
    uint32_t ring = snap_blob(snap, 1000), other = snap_blob(snap, 500);
    uint32_t lone = snap_blob(snap, 100);
    snap_asset(snap, c1, "src/ring.c", ring);
    snap_asset(snap, e1, "lib/ring.c", ring);
    snap_asset(snap, c1, "src/other.c", other);
    snap_asset(snap, m1, "lone.c", lone);
    snap_done(snap);
    struct lp_scan *s = scan_new(snap);
    add_files(s, 3);
    struct m d = exact(ring, core, c1, "src/ring.c", 10);
    add_match(s, 0, &d);
    d = exact(ring, edge, e1, "lib/ring.c", 10);
    add_match(s, 0, &d);
    d = exact(other, core, c1, "src/other.c", 10);
    add_match(s, 1, &d);
    d = exact(lone, misc, m1, "lone.c", 10);
    add_match(s, 2, &d);
    compute(s, snap);
    assert_int_equal(s->nscope, 3);
    assert_int_equal(s->scope[0].collection, core);
    assert_int_equal(s->scope[0].assets_matched, 2);
    assert_int_equal(s->scope[1].collection, edge);
    assert_int_equal(s->scope[1].assets_matched, 1);
    assert_int_equal(s->scope[1].bytes_matched, 1000);
    assert_int_equal(s->scope[2].collection, misc);
    assert_string_equal(s->summary, "2 of 3 files come from protected "
                                    "collections 'core' (c1) and 'edge' "
                                    "(e1)");
    lp_scan_free(s);
    lp_snapshot_free(snap);
}

/* The collection with most assets matched comes first, and names the
 * summary, even when it is not the first in the registry; a tie keeps the
 * registry's order. */
static void test_scope_order(void **state)
{
    (void)state;
    struct lp_snapshot *snap = core_snap();
    uint32_t z2 = snap_blob(snap, 100);
    snap_asset(snap, O1, "lib/y.c", z2);
    snap_done(snap);
    for (int tie = 0; tie < 2; tie++) {
        struct lp_scan *s = scan_new(snap);
        add_files(s, 3);
        struct m d = exact(A, CORE, V3, "src/a.c", 10);
        add_match(s, 0, &d);
        d = exact(Z, OTHER, O1, "lib/z.c", 10);
        add_match(s, 1, &d);
        if (!tie) {
            d = exact(z2, OTHER, O1, "lib/y.c", 10);
            add_match(s, 2, &d);
        }
        compute(s, snap);
        assert_int_equal(s->nscope, 2);
        assert_int_equal(s->scope[0].collection, tie ? CORE : OTHER);
        assert_int_equal(s->scope[1].collection, tie ? OTHER : CORE);
        assert_string_equal(s->summary,
                            tie ? "1 of 3 files come from protected "
                                  "collection 'core' (v3)"
                                : "2 of 3 files come from protected "
                                  "collection 'other' (o1)");
        lp_scan_free(s);
    }
    lp_snapshot_free(snap);
}

/* Several files of one asset count it once among the assets matched. */
static void test_scope_same_asset(void **state)
{
    (void)state;
    struct lp_snapshot *snap = core_snap();
    struct lp_scan *s = scan_new(snap);
    add_files(s, 3);
    for (size_t i = 0; i < 3; i++) {
        struct m d = partial(A, CORE, V3, "src/a.c", 0.9, 0.4, 20);
        add_match(s, i, &d);
    }
    compute(s, snap);
    assert_int_equal(s->scope[0].assets_matched, 1);
    /* the asset's bytes once, at the best coverage */
    assert_int_equal(s->scope[0].bytes_matched, 400);
    assert_double_equal(s->scope[0].coverage, 400.0 / 4500, EPS);
    assert_int_equal(s->scope[0].ndirs, 1);
    assert_string_equal(s->scope[0].dirs[0].dir, "src");
    assert_int_equal(s->scope[0].dirs[0].matched, 1);
    assert_int_equal(s->scope[0].dirs[0].total, 3);
    assert_string_equal(s->summary, "3 of 3 files come from protected "
                                    "collection 'core' (v3)");
    lp_scan_free(s);
    lp_snapshot_free(snap);
}

/* ---- directories -------------------------------------------------------- */

/* The text of a scope's directories: "dir matched/total, ...". */
static void dirs_of(const struct lp_scope *sc, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sc->ndirs; i++)
        used += (size_t)snprintf(buf + used, n - used, "%s%s %u/%u",
                                 i ? ", " : "", sc->dirs[i].dir,
                                 sc->dirs[i].matched, sc->dirs[i].total);
}

/* Two levels ("drivers/net"), "." at the top, most matched first then by
 * name, totals from the best version; directories with nothing matched are
 * not listed. */
static void test_directories(void **state)
{
    (void)state;
    struct lp_snapshot *snap = snap_new();
    snap_collection(snap, "core", false);
    uint32_t v1 = snap_version(snap, 0, "v1", 1704880800);
    uint32_t v2 = snap_version(snap, 0, "v2", 1709287200);
    const char *paths[] = {"drivers/net/e1000/x.c", "drivers/net/y.c",
                           "drivers/usb/u.c", "Makefile", "README",
                           "src/a.c", "src/b.c", "doc/x.md"};
    uint32_t ids[8];
    for (size_t i = 0; i < 8; i++) {
        ids[i] = snap_blob(snap, 100);
        snap_asset(snap, v2, paths[i], ids[i]);
    }
    snap_asset(snap, v1, "src/a.c", ids[5]); /* v1: src/a.c only */
    snap_done(snap);
    struct lp_scan *s = scan_new(snap);
    add_files(s, 5);
    for (size_t i = 0; i < 5; i++) {
        size_t k = (size_t[]){0, 1, 2, 3, 5}[i];
        struct m d = exact(ids[k], 0, v2, paths[k], 10);
        add_match(s, i, &d);
    }
    compute(s, snap);
    assert_int_equal(s->scope[0].best_version, v2);
    char got[256];
    dirs_of(&s->scope[0], got, sizeof got);
    assert_string_equal(got, "drivers/net 2/2, . 1/2, drivers/usb 1/1, "
                             "src 1/2");
    lp_scan_free(s);
    lp_snapshot_free(snap);
}

/* Several files copying one asset count it once in its directory. */
static void test_directories_same_asset(void **state)
{
    (void)state;
    struct lp_snapshot *snap = core_snap();
    struct lp_scan *s = scan_new(snap);
    add_files(s, 3);
    struct m d = exact(A, CORE, V3, "src/a.c", 10);
    add_match(s, 0, &d);
    add_match(s, 1, &d);
    d = exact(X, CORE, V3, "drivers/net/e1000/x.c", 10);
    add_match(s, 2, &d);
    compute(s, snap);
    char got[256];
    dirs_of(&s->scope[0], got, sizeof got);
    assert_string_equal(got, "drivers/net 1/1, src 1/3");
    assert_int_equal(s->scope[0].assets_matched, 2);
    lp_scan_free(s);
    lp_snapshot_free(snap);
}

/* ---- file listings ------------------------------------------------------ */

/* Gives file i a listing of `files` entries with one hit of collection c
 * per `registered` (0 ends), matched = that times `share`. */
static void add_listing(struct lp_scan *s, size_t i, uint32_t files,
                        uint32_t c, const uint32_t *registered,
                        const uint32_t *matched, uint32_t total)
{
    struct lp_file_result *f = &s->files[i];
    f->kind = LP_KIND_LISTING;
    f->listing_format = LP_LISTING_FIND;
    f->listing_files = files;
    f->listing = lp_calloc(1, sizeof *f->listing);
    assert_non_null(f->listing);
    size_t n = 0;
    while (registered[n])
        n++;
    f->listing->hits = lp_calloc(n + 1, sizeof *f->listing->hits);
    assert_non_null(f->listing->hits);
    f->listing->files = files;
    for (size_t k = 0; k < n; k++) {
        struct lp_listing_hit *h = &f->listing->hits[f->listing->nhits++];
        h->collection = c;
        h->registered = registered[k];
        h->matched = matched[k];
        h->total = total;
        h->distinctive = registered[k]; /* all distinctive names */
        h->listing_root = lp_strdup("");
        h->registry_root = lp_strdup("");
    }
}

struct listing_case {
    uint32_t files, registered, matched;
    enum lp_level level;
    double confidence;
};

/* >= 20 registered paths and >= half of the listing's files: likely at
 * 0.6 + 0.2 min(1, n/200); else >= 5: unlikely at 0.1 + 0.2 share; fewer:
 * nothing. Never confirmed. */
static void test_listing_levels(void **state)
{
    (void)state;
    const struct listing_case cases[] = {
        {40, 20, 20, LP_LEVEL_LIKELY, 0.62},
        {40, 19, 19, LP_LEVEL_UNLIKELY, 0.1 + 0.2 * 19 / 40},
        {40, 20, 19, LP_LEVEL_UNLIKELY, 0.1 + 0.2 * 19 / 40},
        {100, 150, 60, LP_LEVEL_LIKELY, 0.75},
        {5000, 5000, 5000, LP_LEVEL_LIKELY, 0.8},
        {10, 5, 1, LP_LEVEL_UNLIKELY, 0.12},
        {10, 4, 4, LP_LEVEL_NONE, 0},
        {0, 30, 0, LP_LEVEL_UNLIKELY, 0.1}, /* no files: share 0 */
    };
    struct lp_snapshot *snap = core_snap();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const struct listing_case *c = &cases[i];
        struct lp_scan *s = scan_new(snap);
        add_files(s, 1);
        add_listing(s, 0, c->files, CORE, (uint32_t[]){c->registered, 0},
                    (uint32_t[]){c->matched}, 6093);
        compute(s, snap);
        print_message("case %zu\n", i);
        assert_int_equal(s->level, c->level);
        assert_double_equal(s->confidence, c->confidence, EPS);
        assert_int_equal(s->nscope, 0);
        assert_int_equal(s->files_matched, 0);
        char want[256];
        if (c->level == LP_LEVEL_NONE)
            snprintf(want, sizeof want, "the one file scanned matches no protected file");
        else
            snprintf(want, sizeof want,
                     "a file listing names %u of the 6093 registered files "
                     "of protected collection 'core' (no content was "
                     "compared)",
                     c->registered);
        assert_string_equal(s->summary, want);
        lp_scan_free(s);
    }
    lp_snapshot_free(snap);
}

/* The listing that names the most registered paths decides, across files
 * and collections. */
static void test_listing_best(void **state)
{
    (void)state;
    struct lp_snapshot *snap = core_snap();
    struct lp_scan *s = scan_new(snap);
    add_files(s, 2);
    add_listing(s, 0, 30, CORE, (uint32_t[]){25, 6, 0},
                (uint32_t[]){20, 6}, 300);
    add_listing(s, 1, 50, OTHER, (uint32_t[]){40, 0}, (uint32_t[]){40}, 45);
    compute(s, snap);
    assert_int_equal(s->level, LP_LEVEL_LIKELY);
    assert_double_equal(s->confidence, 0.64, EPS);
    assert_string_equal(s->summary,
                        "a file listing names 40 of the 45 registered files "
                        "of protected collection 'other' (no content was "
                        "compared)");
    lp_scan_free(s);
    lp_snapshot_free(snap);
}

/* A listing raises the content's level, never lowers it; when it does not
 * raise it, the content's confidence and summary stay. */
static void test_listing_and_content(void **state)
{
    (void)state;
    struct lp_snapshot *snap = core_snap();
    /* weak content + likely listing: likely, the listing's words */
    struct lp_scan *s = scan_new(snap);
    add_files(s, 2);
    struct m w = partial(A, CORE, V3, "src/a.c", 0.3, 0.3, 5);
    add_match(s, 0, &w);
    add_listing(s, 1, 40, CORE, (uint32_t[]){40, 0}, (uint32_t[]){40}, 300);
    compute(s, snap);
    assert_int_equal(s->level, LP_LEVEL_LIKELY);
    assert_double_equal(s->confidence, 0.64, EPS);
    assert_string_equal(s->summary,
                        "a file listing names 40 of the 300 registered files "
                        "of protected collection 'core' (no content was "
                        "compared)");
    assert_int_equal(s->nscope, 1);
    lp_scan_free(s);

    /* confirmed content + likely listing: confirmed, the content's words */
    s = scan_new(snap);
    add_files(s, 4);
    uint32_t b[3] = {A, B, C};
    for (size_t i = 0; i < 3; i++) {
        struct m d = exact(b[i], CORE, V3, "f.c", 10);
        add_match(s, i, &d);
    }
    add_listing(s, 3, 400, CORE, (uint32_t[]){400, 0}, (uint32_t[]){400},
                400);
    compute(s, snap);
    assert_int_equal(s->level, LP_LEVEL_CONFIRMED);
    assert_double_equal(s->confidence, 0.96, EPS);
    assert_string_equal(s->summary, "3 of 4 files come from protected "
                                    "collection 'core' (v3)");
    lp_scan_free(s);

    /* likely content + likely listing: the content's confidence */
    s = scan_new(snap);
    add_files(s, 2);
    struct m d = exact(A, CORE, V3, "src/a.c", 15);
    add_match(s, 0, &d);
    add_listing(s, 1, 400, CORE, (uint32_t[]){400, 0}, (uint32_t[]){400},
                400);
    compute(s, snap);
    assert_int_equal(s->level, LP_LEVEL_LIKELY);
    assert_double_equal(s->confidence, 0.62, EPS);
    assert_string_equal(s->summary, "1 of 2 files come from protected "
                                    "collection 'core' (v3)");
    lp_scan_free(s);

    /* weak content + unlikely listing: the content's confidence */
    s = scan_new(snap);
    add_files(s, 2);
    add_match(s, 0, &w);
    add_listing(s, 1, 40, CORE, (uint32_t[]){10, 0}, (uint32_t[]){10}, 300);
    compute(s, snap);
    assert_int_equal(s->level, LP_LEVEL_UNLIKELY);
    assert_double_equal(s->confidence, 0.12, EPS);
    assert_string_equal(s->summary, "1 of 2 files come from protected "
                                    "collection 'core' (v3)");
    lp_scan_free(s);
    lp_snapshot_free(snap);
}

/* ---- public collections ------------------------------------------------- */

/* A blob that a public collection holds too: only the protected
 * collection's versions date it and count in its totals; the public one
 * has no scope. */
static void test_public_collection(void **state)
{
    (void)state;
    struct lp_snapshot *snap = snap_new();
    uint32_t zlib = snap_collection(snap, "zlib", true);
    uint32_t core = snap_collection(snap, "core", false);
    uint32_t z1 = snap_version(snap, zlib, "1.3", 1714644000);
    uint32_t z2 = snap_version(snap, zlib, "1.3.1", 1714644001);
    uint32_t c1 = snap_version(snap, core, "c1", 1704880800);
    uint32_t c2 = snap_version(snap, core, "c2", 1709287200);
    uint32_t shared = snap_blob(snap, 4000);
    uint32_t own = snap_blob(snap, 1000);
    uint32_t pub = snap_blob(snap, 50000);
    snap_asset(snap, z1, "inflate.c", shared);
    snap_asset(snap, z2, "inflate.c", shared);
    snap_asset(snap, z2, "deflate.c", pub);
    snap_asset(snap, c1, "third_party/zlib/inflate.c", shared);
    snap_asset(snap, c1, "src/own.c", own);
    snap_asset(snap, c2, "src/own.c", own);
    snap_done(snap);
    struct lp_scan *s = scan_new(snap);
    assert_int_equal(s->ncollections, 2);
    assert_true(s->collections[0].public_);
    assert_false(s->collections[1].public_);
    add_files(s, 2);
    struct m d = exact(shared, core, c1, "third_party/zlib/inflate.c", 10);
    add_match(s, 0, &d);
    compute(s, snap);
    assert_int_equal(s->nscope, 1);
    const struct lp_scope *sc = &s->scope[0];
    assert_int_equal(sc->collection, core);
    assert_int_equal(sc->assets_total, 1); /* c2: src/own.c */
    assert_int_equal(sc->bytes_total, 1000);
    /* the file is in an older version: more bytes than the newest has */
    assert_int_equal(sc->bytes_matched, 4000);
    assert_double_equal(sc->coverage, 1, EPS); /* capped */
    assert_int_equal(sc->best_version, c1);
    assert_int_equal(sc->nconsistent, 1);
    assert_int_equal(sc->consistent[0], c1);
    assert_string_equal(s->summary, "1 of 2 files come from protected "
                                    "collection 'core' (c1)");
    lp_scan_free(s);
    lp_snapshot_free(snap);
}

/* ---- allocation failures ------------------------------------------------ */

/* A scan with two collections, versions, directories and a listing. */
static struct lp_scan *busy_scan(const struct lp_snapshot *snap)
{
    struct lp_scan *s = scan_new(snap);
    add_files(s, 7);
    struct m d = exact(A, CORE, V3, "src/a.c", 10);
    add_match(s, 0, &d);
    d = exact(B, CORE, V3, "src/b.c", 10);
    add_match(s, 1, &d);
    d = partial(X, CORE, V3, "drivers/net/e1000/x.c", 0.3, 0.2, 5);
    add_match(s, 2, &d);
    d = exact(MK, CORE, V3, "Makefile", 3);
    add_match(s, 3, &d);
    d = exact(Z, OTHER, O1, "lib/z.c", 10);
    add_match(s, 4, &d);
    add_match(s, 5, &d);
    add_listing(s, 6, 40, CORE, (uint32_t[]){25, 0}, (uint32_t[]){25}, 300);
    return s;
}

/* The scope as text, to compare runs. */
static void scope_text(const struct lp_scan *s, char *buf, size_t n)
{
    size_t used = (size_t)snprintf(buf, n, "%d %.9f %s;", (int)s->level,
                                   s->confidence, s->summary);
    for (size_t i = 0; i < s->nscope; i++) {
        char v[128], d[256];
        versions_of(s, &s->scope[i], v, sizeof v);
        dirs_of(&s->scope[i], d, sizeof d);
        used += (size_t)snprintf(
            buf + used, n - used, " %u %u/%u %llu/%llu %s [%s];",
            s->scope[i].collection, s->scope[i].assets_matched,
            s->scope[i].assets_total,
            (unsigned long long)s->scope[i].bytes_matched,
            (unsigned long long)s->scope[i].bytes_total, v, d);
    }
}

/* Each failed allocation gives LP_ENOMEM, and lp_scan_free frees what was
 * filled (AddressSanitizer checks for leaks); then the same result. */
static void test_alloc_failures(void **state)
{
    (void)state;
    struct lp_snapshot *snap = core_snap();
    struct lp_scan *ref = busy_scan(snap);
    compute(ref, snap);
    char want[2048], got[2048];
    scope_text(ref, want, sizeof want);
    assert_string_equal(want,
                        "3 0.972000000 4 of 7 files come from protected "
                        "collection 'core' (v3); 0 4/5 2700/4500 v2 v3 best "
                        "v3 [src 2/3, . 1/1, drivers/net 1/1]; 1 1/1 "
                        "2000/2000 o1 best o1 [lib 1/1];");
    lp_scan_free(ref);
    lp_err e = LP_ENOMEM;
    long i;
    for (i = 0; e == LP_ENOMEM; i++) {
        struct lp_scan *s = busy_scan(snap);
        lp_mem_fail_after(i);
        e = lp_verdict_compute(s, snap);
        lp_mem_fail_after(-1);
        if (e == LP_OK) {
            scope_text(s, got, sizeof got);
            assert_string_equal(got, want);
        } else {
            assert_int_equal(e, LP_ENOMEM);
        }
        lp_scan_free(s);
    }
    assert_true(i > 10);
    lp_snapshot_free(snap);
}

struct weigh_case {
    uint32_t files, registered, total, distinctive, by_size, by_sha256,
        by_git;
    enum lp_level level;
    double confidence;
};

/* Names weighed (docs/VERDICT.md): a full listing of a small collection
 * with distinctive names is likely, generic names alone at most unlikely,
 * a listed size counts a path twice; hashes of the registered contents
 * confirm from 3 files not lost in the listing, 1 is likely. */
static void test_listing_weighing(void **state)
{
    (void)state;
    const struct weigh_case cases[] = {
        /* 14 of 14 distinctive: likely (was unlikely) */
        {14, 14, 14, 14, 0, 0, 0, LP_LEVEL_LIKELY, 0.6 + 0.2 * 14 / 200},
        /* 14 of 14, 4 distinctive: unlikely */
        {14, 14, 14, 4, 0, 0, 0, LP_LEVEL_UNLIKELY, 0.3},
        /* 50 of 60 generic names: unlikely (was likely) */
        {50, 50, 60, 0, 0, 0, 0, LP_LEVEL_UNLIKELY, 0.3},
        /* 12 of 40 by name: unlikely; with their sizes: likely */
        {12, 12, 40, 12, 0, 0, 0, LP_LEVEL_UNLIKELY, 0.3},
        {12, 12, 40, 12, 12, 0, 0, LP_LEVEL_LIKELY, 0.6 + 0.2 * 24 / 200},
        /* 3 SHA-256 among 40 files: confirmed */
        {40, 40, 40, 40, 0, 3, 0, LP_LEVEL_CONFIRMED, 0.9 + 0.09 * 2 / 3},
        /* 2 git ids + 1 SHA-256 */
        {40, 40, 40, 40, 0, 1, 2, LP_LEVEL_CONFIRMED, 0.9 + 0.09 * 2 / 3},
        /* 3 hashes lost among 10000 files of a 10000-file collection */
        {10000, 3, 10000, 3, 0, 3, 0, LP_LEVEL_LIKELY,
         0.6 + 0.2 * 33 / 200.0},
        /* 1 hash: likely */
        {6, 6, 600, 6, 0, 1, 0, LP_LEVEL_LIKELY, 0.6 + 0.2 * 16 / 200},
    };
    struct lp_snapshot *snap = core_snap();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const struct weigh_case *c = &cases[i];
        struct lp_scan *s = scan_new(snap);
        add_files(s, 1);
        add_listing(s, 0, c->files, CORE, (uint32_t[]){c->registered, 0},
                    (uint32_t[]){c->registered}, c->total);
        struct lp_listing_hit *h = &s->files[0].listing->hits[0];
        h->distinctive = c->distinctive;
        h->by_size = c->by_size;
        h->by_sha256 = c->by_sha256;
        h->by_git = c->by_git;
        compute(s, snap);
        print_message("case %zu\n", i);
        assert_int_equal(s->level, c->level);
        assert_double_equal(s->confidence, c->confidence, EPS);
        lp_scan_free(s);
    }
    lp_snapshot_free(snap);
}

/* The contents a listing's hashes match count like exact copies in the
 * scope: assets, bytes, versions (B and C: v3 only) and directories. */
static void test_listing_scope(void **state)
{
    (void)state;
    struct lp_snapshot *snap = core_snap();
    struct lp_scan *s = scan_new(snap);
    add_files(s, 1);
    add_listing(s, 0, 4, CORE, (uint32_t[]){4, 0}, (uint32_t[]){4}, 5);
    struct lp_listing_hit *h = &s->files[0].listing->hits[0];
    h->by_sha256 = 3;
    h->ncontent = 3;
    h->content_blobs = lp_calloc(3, sizeof *h->content_blobs);
    assert_non_null(h->content_blobs);
    h->content_blobs[0] = A;
    h->content_blobs[1] = B;
    h->content_blobs[2] = C;
    compute(s, snap);
    assert_int_equal(s->level, LP_LEVEL_CONFIRMED);
    assert_int_equal(s->nscope, 1);
    assert_int_equal(s->scope[0].collection, CORE);
    assert_int_equal(s->scope[0].assets_matched, 3);
    assert_int_equal(s->scope[0].bytes_matched, 3000);
    assert_string_equal(s->versions[s->scope[0].best_version].name, "v3");
    assert_int_equal(s->scope[0].nconsistent, 1);
    assert_int_equal(s->files_matched, 0);
    assert_string_equal(s->scope[0].dirs[0].dir, "src");
    assert_int_equal(s->scope[0].dirs[0].matched, 3);
    lp_scan_free(s);
    lp_snapshot_free(snap);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strong_weak),
        cmocka_unit_test(test_best_match_only),
        cmocka_unit_test(test_confirmed_share),
        cmocka_unit_test(test_confirmed_coverage),
        cmocka_unit_test(test_confirmed_many),
        cmocka_unit_test(test_confirmed_one_strong),
        cmocka_unit_test(test_large_sample_likely),
        cmocka_unit_test(test_unlikely),
        cmocka_unit_test(test_none),
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_versions_alts),
        cmocka_unit_test(test_scope_bundle),
        cmocka_unit_test(test_several_collections),
        cmocka_unit_test(test_mixed_penalty),
        cmocka_unit_test(test_mixed_unlikely),
        cmocka_unit_test(test_scope_numbers),
        cmocka_unit_test(test_scope_order),
        cmocka_unit_test(test_scope_same_asset),
        cmocka_unit_test(test_directories),
        cmocka_unit_test(test_directories_same_asset),
        cmocka_unit_test(test_listing_levels),
        cmocka_unit_test(test_listing_best),
        cmocka_unit_test(test_listing_and_content),
        cmocka_unit_test(test_listing_weighing),
        cmocka_unit_test(test_listing_scope),
        cmocka_unit_test(test_public_collection),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
