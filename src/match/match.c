/* SPDX-License-Identifier: Apache-2.0
 *
 * match: exact hits, fingerprint votes and span alignment (see match.h).
 */
#include "match.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "licence.h"
#include "limits.h"
#include "mem.h"
#include "region.h"
#include "banned.h"

/* How many lookups ahead the directory slot, then the entries, are
 * prefetched. */
#define PREFETCH_MAP 24
#define PREFETCH_DIR 16
#define PREFETCH_ENT 8

/* Pairs before a pair among which chaining looks for its predecessor. Only
 * those on nearby diagonals are visited, so the window can be wide: a
 * fingerprint repeated many times in the asset (tables, unrolled code)
 * yields many pairs per target line, and the copy's diagonal must still be
 * reachable across them (with 64, such files fell apart in dozens of
 * spans). */
#define LOOKBACK 1024
/* Predecessors looked at without improvement, once one was found, before
 * the search stops. */
#define MAX_IDLE 6
/* Fingerprints of licence text counted by licence: the first
 * LICENCE_TALLY distinct licences of a file are told apart. */
#define LICENCE_TALLY 8
struct tally {
    uint32_t total;
    unsigned n;
    struct {
        unsigned id;
        uint32_t n;
    } v[LICENCE_TALLY];
};

struct hit {
    uint32_t blob;
    uint32_t fp; /* index of the target fingerprint */
    uint32_t af, al;
};

/* Target lines [lo, hi]. */
struct region {
    uint32_t lo, hi;
};

/* A candidate blob. Per stream (enum lp_stream): the distinct target
 * fingerprints it shares, and their weights summed. */
struct cand {
    uint32_t blob;
    uint32_t votes[2];
    double evidence[2];
    double score;      /* its better similarity, for ranking */
    size_t start, end; /* range in the grouped hits: normalized hits first */
    uint32_t lastfp;   /* while counting votes */
};

struct lp_matcher {
    struct hit *hits;
    size_t nhits, caphits;
    struct cand *cands;
    size_t ncands, capcands;
    struct lp_pair *pairs;
    size_t cappairs;
    struct lp_span *spans;
    size_t capspans;
    struct hit *sorted; /* scratch of the grouping */
    size_t capsorted;
    uint64_t *keys; /* scratch hash table */
    uint32_t *slot;
    size_t capkeys, capslot;
    float *wt; /* weight of each target fingerprint */
    size_t capwt;
    size_t nfp;         /* fingerprints [0, nfp) are normalized, the rest abstract */
    size_t eligible[2]; /* per stream: fingerprints of weight > 0 */
    uint32_t lin[LP_MAX_HITS_PER_HASH]; /* lineages of one hash's hits */
    uint32_t *linstamp; /* per lineage: the stamp of the last hash seeing it */
    size_t caplinstamp;
    uint32_t stamp;
    struct lp_fp_entry look[LP_MAX_HITS_PER_HASH];
    /* Target lines the file's matches so far explain (their spans),
     * sorted and disjoint: a region of a bundle not yet explained is
     * another asset's. */
    struct region *reg;
    size_t nreg, capreg;
    const lp_registry *ext_reg; /* of the file being matched (extend_spans()) */
    /* Shared fingerprints of the file found in the built-in licence
     * background (licence.h), counted for the licence-only note. */
    struct tally lic;
    bool no_licence; /* lp_match_options.no_licence of the file */
    struct lp_line_range *ranges; /* lines of a match's fingerprints */
    size_t capranges;
    /* Where each line of the file being matched starts in its text (built
     * when first needed: line_offset()); nlstart 0 until then. */
    size_t *lstart;
    size_t nlstart, caplstart;
    bool lend; /* the index holds every line */
};

lp_err lp_matcher_new(struct lp_matcher **out)
{
    *out = lp_calloc(1, sizeof **out);
    return *out ? LP_OK : LP_ENOMEM;
}

void lp_matcher_free(struct lp_matcher *m)
{
    if (!m)
        return;
    lp_free(m->hits);
    lp_free(m->cands);
    lp_free(m->pairs);
    lp_free(m->spans);
    lp_free(m->keys);
    lp_free(m->slot);
    lp_free(m->sorted);
    lp_free(m->wt);
    lp_free(m->linstamp);
    lp_free(m->reg);
    lp_free(m->ranges);
    lp_free(m->lstart);
    lp_free(m);
}

/* ---- spans --------------------------------------------------------------- */

static int cmp_pairs(const void *a, const void *b)
{
    const struct lp_pair *x = a, *y = b;
    if (x->tf != y->tf)
        return x->tf < y->tf ? -1 : 1;
    if (x->af != y->af)
        return x->af < y->af ? -1 : 1;
    return (x->fp > y->fp) - (x->fp < y->fp);
}

/* Insertion sort of pairs that are almost sorted: O(n + inversions).
 * False, leaving p a permutation of itself, once that is more than 4n
 * moves. */
static bool insertion_sort_pairs(struct lp_pair *p, size_t n)
{
    size_t moves = 0;
    for (size_t i = 1; i < n; i++) {
        struct lp_pair x = p[i];
        size_t j = i;
        while (j > 0 && cmp_pairs(&p[j - 1], &x) > 0) {
            p[j] = p[j - 1];
            j--;
            if (++moves > 4 * n) {
                p[j] = x;
                return false;
            }
        }
        p[j] = x;
    }
    return true;
}

/* Merges the sorted p[0, m) and p[m, n), through tmp (room for m). */
static void merge_pairs(struct lp_pair *p, size_t m, size_t n,
                        struct lp_pair *tmp)
{
    memcpy(tmp, p, m * sizeof *p);
    size_t i = 0, j = m, k = 0;
    /* k = i + (j - m) <= j: no pair of the second run is overwritten
     * before it is read */
    while (i < m && j < n)
        p[k++] = cmp_pairs(&p[j], &tmp[i]) < 0 ? p[j++] : tmp[i++];
    while (i < m)
        p[k++] = tmp[i++];
}

/* Runs of pairs merged, at most: more are sorted as a whole. */
#define PAIR_RUNS 8

/* Pairs arrive stream by stream in fingerprint order: the file's own
 * fingerprints, then those of code found in its comments or prose, and
 * of short k-grams of a small file. Within a stream target lines never go
 * back and only pairs of one line are out of order, which insertion sort
 * fixes in O(n + inversions); the streams (runs where the target line goes
 * back) are then merged. lp_sort takes over when that does not hold. */
static void sort_pairs(struct lp_pair *p, size_t n)
{
    size_t start[PAIR_RUNS + 1], nruns = 1;
    start[0] = 0;
    for (size_t i = 1; i < n; i++) {
        if (p[i].tf >= p[i - 1].tf)
            continue;
        if (nruns == PAIR_RUNS) {
            lp_sort(p, n, sizeof *p, cmp_pairs);
            return;
        }
        start[nruns++] = i;
    }
    start[nruns] = n;
    for (size_t r = 0; r < nruns; r++)
        if (!insertion_sort_pairs(p + start[r], start[r + 1] - start[r])) {
            lp_sort(p, n, sizeof *p, cmp_pairs);
            return;
        }
    if (nruns == 1)
        return;
    struct lp_pair *tmp = lp_malloc(start[nruns - 1] * sizeof *tmp);
    if (!tmp) { /* qsort copes without memory */
        lp_sort(p, n, sizeof *p, cmp_pairs);
        return;
    }
    for (size_t r = 1; r < nruns; r++)
        merge_pairs(p, start[r], start[r + 1], tmp);
    lp_free(tmp);
}

static int cmp_spans(const void *a, const void *b)
{
    const struct lp_span *x = a, *y = b;
    if (x->lines[0] != y->lines[0])
        return x->lines[0] < y->lines[0] ? -1 : 1;
    return (x->asset_lines[0] > y->asset_lines[0]) -
           (x->asset_lines[0] < y->asset_lines[0]);
}

static int cmp_spans_nfp(const void *a, const void *b)
{
    const struct lp_span *x = a, *y = b;
    if (x->nfp != y->nfp)
        return x->nfp > y->nfp ? -1 : 1;
    return cmp_spans(a, b);
}

static uint32_t overlap(const uint32_t a[2], const uint32_t b[2])
{
    uint32_t lo = a[0] > b[0] ? a[0] : b[0], hi = a[1] < b[1] ? a[1] : b[1];
    return hi >= lo ? hi - lo + 1 : 0;
}

/* Repetitive code (tables, unrolled loops) yields many chains over the same
 * target lines. Keeps the best supported span of each region: a span that
 * shares half of its target lines with a better one is dropped. */
static size_t drop_overlaps(struct lp_span *s, size_t n)
{
    size_t kept = 0;
    lp_sort(s, n, sizeof *s, cmp_spans_nfp);
    for (size_t i = 0; i < n; i++) {
        uint32_t len = s[i].lines[1] - s[i].lines[0] + 1;
        bool dup = false;
        for (size_t j = 0; j < kept && !dup; j++)
            dup = 2 * overlap(s[i].lines, s[j].lines) >= len;
        if (!dup)
            s[kept++] = s[i];
    }
    return kept;
}

/* Can pair q follow pair p in one copy? Both sides move forward, by at
 * most LP_SPAN_GAP lines, with an offset that changes by at most
 * LP_SPAN_DRIFT, and q is another fingerprint of the file. */
static bool follows(const struct lp_pair *p, const struct lp_pair *q)
{
    if (q->fp == p->fp || q->af < p->af || q->tf > p->tl + LP_SPAN_GAP ||
        q->af > p->al + LP_SPAN_GAP)
        return false;
    /* The same asset place twice, from two places of the target: code the
     * target repeats matches one asset fingerprint again and again; that
     * is no copy of a longer stretch. */
    if (q->af == p->af && q->al == p->al && (q->tf != p->tf || q->tl != p->tl))
        return false;
    int64_t d = ((int64_t)q->af - q->tf) - ((int64_t)p->af - p->tf);
    return d <= LP_SPAN_DRIFT && d >= -LP_SPAN_DRIFT;
}

/* Predecessors are looked up by diagonal (asset line - target line): a pair
 * can only follow one whose diagonal is within LP_SPAN_DRIFT of its own.
 * Diagonals fall in bands of DIAG_BAND lines (>= LP_SPAN_DRIFT, so a pair
 * looks in at most three), and each band's pairs are chained newest first
 * through a direct-mapped table of DIAG_SLOTS heads; bands that share a
 * slot only cost a few extra comparisons. */
#define DIAG_BAND 64
#define DIAG_SLOTS 1024
#define DIAG_BIAS (INT64_C(1) << 40) /* keeps band numbers positive */

static uint32_t diag_slot(int64_t band)
{
    return (uint32_t)(((uint64_t)band * 0x9E3779B97F4A7C15ull) >> 54);
}

static int64_t diag_band(int64_t diag)
{
    return (diag + DIAG_BIAS) / DIAG_BAND;
}

/* Chaining by dynamic programming over the pairs in target order (as
 * minimap2 chains seeds): each pair extends the best chain ending at one of
 * the LOOKBACK pairs before it. Chains are then taken best first; a chain
 * stops where it meets a pair already taken by a better one. So a stray
 * pair (a fingerprint repeated elsewhere in the asset) cannot pull a copy
 * apart: it only starts a short chain of its own. */
size_t lp_spans_build(struct lp_pair *p, size_t n, unsigned min_fp,
                      const float *wt, struct lp_span *out)
{
    size_t nout = 0;
    if (n == 0)
        return 0;
    sort_pairs(p, n);
    uint32_t head[DIAG_SLOTS];
    memset(head, 0xff, sizeof head);
    for (size_t i = 0; i < n; i++) {
        p[i].score = 1;
        p[i].prev = UINT32_MAX;
        int64_t diag = (int64_t)p[i].af - p[i].tf;
        /* The common case first: the pair before extends the best chain
         * so far; nothing can beat that. */
        if (i && p[i - 1].score == p[i - 1].best && follows(&p[i - 1], &p[i])) {
            p[i].score = p[i - 1].score + 1;
            p[i].prev = (uint32_t)(i - 1);
            goto link;
        }
        size_t lo = i > LOOKBACK ? i - LOOKBACK : 0, idle = 0;
        int64_t b0 = diag_band(diag - LP_SPAN_DRIFT);
        int64_t b1 = diag_band(diag + LP_SPAN_DRIFT);
        /* The bands' chains, merged newest first. */
        uint32_t cur[3], slots[3];
        size_t ncur = 0;
        for (int64_t b = b0; b <= b1; b++) {
            uint32_t sl = diag_slot(b);
            bool seen = false;
            for (size_t k = 0; k < ncur; k++)
                seen |= slots[k] == sl;
            if (!seen) {
                slots[ncur] = sl;
                cur[ncur++] = head[sl];
            }
        }
        for (;;) {
            size_t pick = 0;
            for (size_t k = 1; k < ncur; k++)
                if (cur[k] != UINT32_MAX &&
                    (cur[pick] == UINT32_MAX || cur[k] > cur[pick]))
                    pick = k;
            uint32_t j = cur[pick];
            if (j == UINT32_MAX || j < lo)
                break;
            cur[pick] = p[j].link;
            /* No pair up to j scores enough to improve: none will (a
             * copy's main chain holds the best score, so its pairs stop
             * at once). */
            if (p[j].best < p[i].score)
                break;
            if (p[j].tf + 2 * LP_SPAN_GAP < p[i].tf)
                break; /* sorted by tf: all before are farther */
            if (p[j].score + 1 > p[i].score && follows(&p[j], &p[i])) {
                p[i].score = p[j].score + 1;
                p[i].prev = j;
                idle = 0;
            } else if (p[i].prev != UINT32_MAX && ++idle == MAX_IDLE) {
                break; /* as minimap2's max-skip: better ones are unlikely */
            }
        }
    link:
        p[i].best = i && p[i - 1].best > p[i].score ? p[i - 1].best : p[i].score;
        uint32_t sl = diag_slot(diag_band(diag));
        p[i].link = head[sl];
        head[sl] = (uint32_t)i;
    }
    /* Take chains from their best-scoring end: a counting sort by score
     * (scores are 1..n). Chaining is over, so the pairs' own best and link
     * fields hold its arrays: the count of score s in p[s - 1].best, the
     * k-th pair of the order in p[k].link. */
    for (size_t i = 0; i < n; i++)
        p[i].best = 0;
    for (size_t i = 0; i < n; i++)
        p[p[i].score - 1].best++;
    for (size_t sc = n, at = 0; sc >= 1; sc--) { /* best score first */
        uint32_t c = p[sc - 1].best;
        p[sc - 1].best = (uint32_t)at;
        at += c;
    }
    for (size_t i = 0; i < n; i++)
        p[p[p[i].score - 1].best++].link = (uint32_t)i;
    for (size_t k = 0; k < n; k++) {
        struct lp_pair *q = &p[p[k].link];
        if (!q->score)
            continue;
        struct lp_span sp = {.lines = {q->tf, q->tl},
                             .asset_lines = {q->af, q->al},
                             .how = LP_HOW_NORMALIZED};
        for (;;) {
            q->score = 0; /* taken */
            sp.nfp++;
            sp.evidence += wt ? wt[q->fp] : 1.0f;
            sp.lines[0] = q->tf < sp.lines[0] ? q->tf : sp.lines[0];
            sp.lines[1] = q->tl > sp.lines[1] ? q->tl : sp.lines[1];
            sp.asset_lines[0] = q->af < sp.asset_lines[0] ? q->af : sp.asset_lines[0];
            sp.asset_lines[1] = q->al > sp.asset_lines[1] ? q->al : sp.asset_lines[1];
            if (q->prev == UINT32_MAX || !p[q->prev].score)
                break;
            q = &p[q->prev];
        }
        if (sp.nfp >= min_fp)
            out[nout++] = sp;
    }
    nout = drop_overlaps(out, nout);
    lp_sort(out, nout, sizeof *out, cmp_spans);
    return nout;
}

/* ---- candidates ---------------------------------------------------------- */

static int cmp_cands(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    double ex = x->evidence[0] + x->evidence[1];
    double ey = y->evidence[0] + y->evidence[1];
    if (ex != ey)
        return ex > ey ? -1 : 1;
    /* Equal evidence (versions of a file that differ only where the sample
     * has no fingerprint): the newest content first. */
    return (x->blob < y->blob) - (x->blob > y->blob);
}

static int stream_of(const struct lp_matcher *m, uint32_t fp)
{
    return fp >= m->nfp ? LP_STREAM_ABSTRACT : LP_STREAM_NORMALIZED;
}

/* Similarity for evidence e in stream s: over the fingerprints of the
 * file that count (not public, not boilerplate), each counted 1; so a file
 * explained only by common fingerprints is explained only in part. */
static double similarity(const struct lp_matcher *m, int s, double e)
{
    double sim = m->eligible[s] ? e / (double)m->eligible[s] : 0;
    return sim > 1 ? 1 : sim;
}

/* Distinct lineages among the hits of one hash, counted without sorting
 * or allocating: a lineage is seen when its stamp is the current one. The
 * stamps (one per lineage of the snapshot) are sized at the first lookup. */
static lp_err lineage_stamps(struct lp_matcher *m, const struct lp_snapshot *snap)
{
    size_t need = (size_t)snap->nlineages + 1;
    if (m->caplinstamp >= need)
        return LP_OK;
    lp_free(m->linstamp);
    m->linstamp = lp_calloc(need, sizeof *m->linstamp);
    m->caplinstamp = m->linstamp ? need : 0;
    m->stamp = 0;
    return m->linstamp ? LP_OK : LP_ENOMEM;
}

static size_t distinct_lineages(struct lp_matcher *m, size_t n)
{
    if (n < 2)
        return n;
    if (++m->stamp == 0) { /* wrapped: every old stamp must go */
        memset(m->linstamp, 0, m->caplinstamp * sizeof *m->linstamp);
        m->stamp = 1;
    }
    size_t d = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t l = m->lin[i];
        d += m->linstamp[l] != m->stamp;
        m->linstamp[l] = m->stamp;
    }
    return d;
}

/* Counts a fingerprint of licence `id` (lp_licence_lookup()). */
static void tally_add(struct tally *t, unsigned id)
{
    t->total++;
    for (unsigned i = 0; i < t->n; i++)
        if (t->v[i].id == id) {
            t->v[i].n++;
            return;
        }
    if (t->n < LICENCE_TALLY) {
        t->v[t->n].id = id;
        t->v[t->n++].n = 1;
    }
}

/* The licence most fingerprints counted come from (the first on a tie);
 * 0 when none was. */
static unsigned tally_best(const struct tally *t)
{
    unsigned best = 0;
    for (unsigned i = 1; i < t->n; i++)
        if (t->v[i].n > t->v[best].n)
            best = i;
    return t->n ? t->v[best].id : 0;
}

/* Weight of a fingerprint found in `files` files of the registry. */
static float weight(size_t files)
{
    if (files > LP_MAX_FILES_PER_HASH)
        return 0;
    return files <= LP_WEIGHT_FULL_FILES
               ? 1.0f
               : (float)LP_WEIGHT_FULL_FILES / (float)files;
}

/* Looks fingerprints [from, to) up (one stream), weighs them and appends
 * the hits of those that count. A fingerprint weighs nothing, and its hits
 * are dropped, when a public collection holds it (third-party code is
 * never a leak), when it is licence text (the built-in background, unless
 * m->no_licence), when it is boilerplate (in more than
 * LP_MAX_FILES_PER_HASH files), or when one file holds it in more than
 * LP_MAX_PLACES_PER_FILE places; otherwise it weighs 1, less when it is in
 * more than LP_WEIGHT_FULL_FILES files. Hits on blobs no file names any
 * more are ignored. */
static lp_err gather_hits(struct lp_matcher *m, const lp_registry *reg,
                          const struct lp_snapshot *snap,
                          const struct lp_analysis *a, size_t from, size_t to)
{
    int stream = from >= a->nfp ? LP_STREAM_ABSTRACT : LP_STREAM_NORMALIZED;
    m->eligible[stream] = 0;
    if (!lp_grow((void **)&m->wt, &m->capwt, to, sizeof *m->wt) ||
        lineage_stamps(m, snap))
        return LP_ENOMEM;
    for (size_t j = from; j < to; j++) {
        /* Lookups are random accesses: start loading the next ones. */
        if (j + PREFETCH_MAP < to)
            lp_registry_prefetch(reg, a->fp[j + PREFETCH_MAP].hash, 0);
        if (j + PREFETCH_DIR < to)
            lp_registry_prefetch(reg, a->fp[j + PREFETCH_DIR].hash, 1);
        if (j + PREFETCH_ENT < to)
            lp_registry_prefetch(reg, a->fp[j + PREFETCH_ENT].hash, 2);
        size_t cnt = lp_registry_lookup(reg, a->fp[j].hash, m->look,
                                        LP_MAX_HITS_PER_HASH);
        m->wt[j] = 0;
        if (cnt > LP_MAX_HITS_PER_HASH)
            continue;
        size_t keep = 0, run = 0;
        bool pub = false, crowded = false;
        for (size_t h = 0; h < cnt; h++) {
            uint32_t b = m->look[h].blob;
            /* A blob's entries are contiguous (sorted by hash, blob). */
            run = h && m->look[h - 1].blob == b ? run + 1 : 1;
            crowded |= run > LP_MAX_PLACES_PER_FILE;
            if (b >= snap->nblobs || !snap->lineage[b])
                continue;
            pub |= (snap->blob_flags[b] & LP_BLOB_PUBLIC) != 0;
            m->lin[keep] = snap->lineage[b];
            m->look[keep++] = m->look[h];
        }
        if (pub || crowded)
            continue;
        /* Licence text, known without the user's help: weighs nothing,
         * like public material, but is counted for the file's note. The
         * background holds k-grams of prose only: a file lexed as code
         * alone has none of them. */
        unsigned lic = keep && stream == LP_STREAM_NORMALIZED &&
                               !a->code_only && !m->no_licence
                           ? lp_licence_lookup(a->fp[j].hash) : 0;
        if (lic) {
            tally_add(&m->lic, lic);
            continue;
        }
        float w = weight(distinct_lineages(m, keep));
        if (w == 0)
            continue;
        m->wt[j] = w;
        m->eligible[stream]++;
        if (!lp_grow((void **)&m->hits, &m->caphits, m->nhits + keep,
                     sizeof *m->hits))
            return LP_ENOMEM;
        for (size_t h = 0; h < keep; h++) {
            m->hits[m->nhits++] = (struct hit){m->look[h].blob, (uint32_t)j,
                                               m->look[h].first,
                                               m->look[h].last};
        }
    }
    return LP_OK;
}

/* Slot of `key` in an open-addressing table of 2^bits u64 keys (0 = empty;
 * callers never store 0). */
static size_t probe(const uint64_t *tab, size_t mask, uint64_t key)
{
    size_t i = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 32) & mask;
    while (tab[i] && tab[i] != key)
        i = (i + 1) & mask;
    return i;
}

/* Sizes the scratch hash table for n keys and clears it; returns the mask. */
static lp_err table_for(struct lp_matcher *m, size_t n, size_t *mask)
{
    size_t size = 16;
    while (size < 2 * n)
        size <<= 1;
    if (!lp_grow_scratch((void **)&m->keys, &m->capkeys, size, sizeof *m->keys) ||
        !lp_grow_scratch((void **)&m->slot, &m->capslot, size, sizeof *m->slot))
        return LP_ENOMEM;
    memset(m->keys, 0, size * sizeof *m->keys);
    *mask = size - 1;
    return LP_OK;
}

/* Groups the hits by blob into candidates, best first, in linear time: a
 * hash table numbers the blobs, then a stable counting sort moves each
 * blob's hits together, still in fingerprint order (so normalized hits
 * come before abstract ones). Keeps the candidates with min_votes shared
 * fingerprints in some stream. */
static lp_err rank_candidates(struct lp_matcher *m, size_t nblobs,
                              const uint32_t min_votes[2])
{
    size_t mask;
    m->ncands = 0;
    /* One key per distinct blob: no more than the registry holds. */
    lp_err err = table_for(m, m->nhits < nblobs ? m->nhits : nblobs, &mask);
    if (err)
        return err;
    if (!lp_grow_scratch((void **)&m->sorted, &m->capsorted, m->nhits,
                         sizeof *m->sorted))
        return LP_ENOMEM;
    for (size_t i = 0; i < m->nhits; i++) {
        const struct hit *h = &m->hits[i];
        size_t k = probe(m->keys, mask, (uint64_t)h->blob + 1);
        if (!m->keys[k]) {
            if (!lp_grow((void **)&m->cands, &m->capcands, m->ncands + 1,
                         sizeof *m->cands))
                return LP_ENOMEM;
            m->keys[k] = (uint64_t)h->blob + 1;
            m->slot[k] = (uint32_t)m->ncands;
            m->cands[m->ncands++] = (struct cand){.blob = h->blob,
                                                  .lastfp = UINT32_MAX};
        }
        struct cand *c = &m->cands[m->slot[k]];
        c->end++; /* count for now */
        if (c->lastfp != h->fp) {
            int st = stream_of(m, h->fp);
            c->votes[st]++;
            c->evidence[st] += m->wt[h->fp];
        }
        c->lastfp = h->fp;
    }
    size_t off = 0;
    for (size_t c = 0; c < m->ncands; c++) {
        m->cands[c].start = off;
        off += m->cands[c].end;
        m->cands[c].end = m->cands[c].start;
    }
    for (size_t i = 0; i < m->nhits; i++) {
        size_t k = probe(m->keys, mask, (uint64_t)m->hits[i].blob + 1);
        m->sorted[m->cands[m->slot[k]].end++] = m->hits[i];
    }
    /* Only candidates that may be reported are ranked. */
    size_t keep = 0;
    for (size_t c = 0; c < m->ncands; c++) {
        struct cand *cd = &m->cands[c];
        if (cd->votes[0] < min_votes[0] && cd->votes[1] < min_votes[1])
            continue;
        double s0 = similarity(m, 0, cd->evidence[0]);
        double s1 = similarity(m, 1, cd->evidence[1]);
        cd->score = s0 > s1 ? s0 : s1;
        m->cands[keep++] = *cd;
    }
    m->ncands = keep;
    struct hit *t = m->hits;
    size_t tc = m->caphits;
    m->hits = m->sorted;
    m->caphits = m->capsorted;
    m->sorted = t;
    m->capsorted = tc;
    lp_sort(m->cands, m->ncands, sizeof *m->cands, cmp_cands);
    return LP_OK;
}

/* Bytes shared by the ends of two paths: how well an asset's path matches
 * the scanned file's ("x/src/a.c" and "src/a.c" share "src/a.c"). */
static size_t common_suffix(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), n = 0;
    while (n < la && n < lb && a[la - 1 - n] == b[lb - 1 - n])
        n++;
    return n;
}

/* Chooses the asset that names a blob: a non-public collection (the first
 * registered, or `only` unless it is LP_ANY), its newest version holding
 * the blob, and among the paths the blob has there (identical files at
 * several places) the one whose end matches the scanned file's path best.
 * Returns false when only public collections (or none, or not `only`) hold
 * it. */
#define LP_ANY UINT32_MAX
static bool pick_asset_in(const struct lp_snapshot *snap, uint32_t blob,
                          const char *target, uint32_t only,
                          struct lp_match *mt)
{
    size_t first, n = lp_snapshot_assets(snap, blob, &first), best_suffix = 0;
    bool found = false;
    for (size_t i = first; i < first + n; i++) {
        const struct lp_snap_asset *as = &snap->assets[i];
        const struct lp_snap_version *v = &snap->versions[as->version];
        if (snap->collections[v->collection].public_ ||
            (only != LP_ANY && v->collection != only))
            continue;
        size_t suffix = target ? common_suffix(as->path, target) : 0;
        if (found) {
            const struct lp_snap_version *cur = &snap->versions[mt->version];
            if (v->collection != mt->collection) {
                if (v->collection > mt->collection)
                    continue;
            } else if (v->created != cur->created) {
                if (v->created < cur->created)
                    continue;
            } else if (as->version != mt->version) {
                if (as->version < mt->version)
                    continue;
            } else if (suffix <= best_suffix) {
                continue;
            }
        }
        mt->collection = v->collection;
        mt->version = as->version;
        mt->asset = (char *)as->path; /* borrowed: push_match() copies it */
        best_suffix = suffix;
        found = true;
    }
    return found;
}

static bool pick_asset(const struct lp_snapshot *snap, uint32_t blob,
                       const char *target, struct lp_match *mt)
{
    return pick_asset_in(snap, blob, target, LP_ANY, mt);
}

static lp_err push_match(struct lp_file_result *out, const struct lp_match *mt,
                         const struct lp_span *spans, size_t nspans)
{
    struct lp_match *arr = lp_reallocarray(out->matches, out->nmatches + 1,
                                           sizeof *arr);
    if (!arr)
        return LP_ENOMEM;
    out->matches = arr;
    struct lp_match *d = &arr[out->nmatches];
    *d = *mt;
    d->spans = NULL;
    d->nspans = 0;
    d->alts = NULL;
    d->nalts = 0;
    if (!(d->asset = lp_strdup(mt->asset)))
        return LP_ENOMEM;
    out->nmatches++; /* from here, lp_file_result_release() frees it */
    if (nspans) {
        d->spans = lp_reallocarray(NULL, nspans, sizeof *spans);
        if (!d->spans)
            return LP_ENOMEM;
        memcpy(d->spans, spans, nspans * sizeof *spans);
        d->nspans = nspans;
    }
    return LP_OK;
}

/* Credits every other protected collection holding the blob of
 * out->matches[at] (files registered in several collections) with a match
 * of its own: the same scores and spans, the collection's own path and
 * version. Matches past LP_MAX_FILE_MATCHES are counted in matches_more. */
static lp_err credit_collections(const struct lp_snapshot *snap,
                                 struct lp_file_result *out, size_t at)
{
    uint32_t blob = out->matches[at].blob;
    uint32_t seen = out->matches[at].collection;
    size_t first, n = lp_snapshot_assets(snap, blob, &first);
    bool other = false;
    for (size_t i = first; i < first + n && !other; i++) {
        uint32_t c = snap->versions[snap->assets[i].version].collection;
        other = c != seen && !snap->collections[c].public_;
    }
    if (!other)
        return LP_OK; /* the common case: one collection holds it */
    bool *done = lp_calloc(snap->ncollections + 1, sizeof *done);
    if (!done)
        return LP_ENOMEM;
    done[seen] = true;
    lp_err err = LP_OK;
    for (size_t i = first; !err && i < first + n; i++) {
        uint32_t c = snap->versions[snap->assets[i].version].collection;
        if (done[c] || snap->collections[c].public_)
            continue; /* that collection's match is made */
        done[c] = true;
        if (out->nmatches >= LP_MAX_FILE_MATCHES) {
            out->matches_more++;
            continue;
        }
        struct lp_match mt = out->matches[at];
        if (!pick_asset_in(snap, blob, out->path, c, &mt))
            continue;
        const struct lp_match *src = &out->matches[at];
        err = push_match(out, &mt, src->spans, src->nspans);
        if (err)
            break;
        src = &out->matches[at]; /* push_match() moved the array */
        struct lp_match *d = &out->matches[out->nmatches - 1];
        if (src->nalts) {
            d->alts = lp_reallocarray(NULL, src->nalts, sizeof *d->alts);
            if (!d->alts) {
                err = LP_ENOMEM;
                break;
            }
            memcpy(d->alts, src->alts, src->nalts * sizeof *d->alts);
            d->nalts = src->nalts;
        }
    }
    lp_free(done);
    return err;
}

/* Distinct asset fingerprints (hash, line) among hits[from, to), counted
 * in a table sized for `cap` of them; *fits is false (and *out not set)
 * when there are more. */
static lp_err distinct_upto(struct lp_matcher *m, size_t from, size_t to,
                            size_t cap, const struct lp_analysis *a,
                            size_t *out, bool *fits)
{
    size_t d = 0, mask;
    lp_err err = table_for(m, cap, &mask);
    if (err)
        return err;
    *fits = true;
    for (size_t i = from; i < to; i++) {
        const struct hit *h = &m->hits[i];
        uint64_t key = a->fp[h->fp].hash ^ ((uint64_t)h->af << 40 | h->af);
        key |= 1; /* never 0, the empty slot */
        size_t k = probe(m->keys, mask, key);
        if (!m->keys[k]) {
            if (d == cap) {
                *fits = false; /* the table is half full: stop */
                return LP_OK;
            }
            m->keys[k] = key;
            d++;
        }
    }
    *out = d;
    return LP_OK;
}

/* Distinct asset fingerprints among hits[from, to). There should be no
 * more than `most` (the asset's entries in that stream): the table is
 * first sized by the fewer, so that a file repeating itself (many hits at
 * few places) clears no more memory than its asset needs. */
static lp_err asset_distinct(struct lp_matcher *m, size_t from, size_t to,
                             size_t most, const struct lp_analysis *a,
                             size_t *out)
{
    bool fits = false;
    lp_err err = LP_OK;
    if (most < to - from)
        err = distinct_upto(m, from, to, most, a, out, &fits);
    if (!err && !fits)
        err = distinct_upto(m, from, to, to - from, a, out, &fits);
    return err;
}

#define SPAN_MIN_FP 2 /* fingerprints of the shortest span kept */

/* A file that repeats itself (test tables, register maps, unrolled code)
 * can match each of its fingerprints at up to LP_MAX_PLACES_PER_FILE
 * places of its asset, and chaining costs grow with the pairs: the Linux
 * kernel's lib/test_bpf.c gives 132,801 pairs with its own copy, 80,000 of
 * them from fingerprints with over 128 places. Past SPAN_PAIRS_MAX pairs,
 * a fingerprint with more than SPAN_PLACES_MAX places keeps only the
 * places near an anchor, a pair of a fingerprint with fewer places: in
 * the same or a neighbouring cell of DIAG_BAND target lines by DIAG_BAND
 * diagonals. A copy's chains run through its anchors; the other places
 * could only chain far from any distinctive code. Smaller inputs keep
 * every pair. */
#define SPAN_PAIRS_MAX 16384
#define SPAN_PLACES_MAX 16

/* The key of the cell of target line t and diagonal band b; never 0 (the
 * empty slot). */
static uint64_t cell_key(int64_t t, int64_t b)
{
    return ((uint64_t)t << 32 ^ (uint64_t)b) | UINT64_C(1) << 63;
}

static bool near_anchor(const struct lp_matcher *m, size_t mask, uint32_t tf,
                        uint32_t af)
{
    int64_t t = tf / DIAG_BAND, b = diag_band((int64_t)af - tf);
    for (int64_t dt = -1; dt <= 1; dt++)
        for (int64_t db = -1; db <= 1; db++) {
            uint64_t key = cell_key(t + dt, b + db);
            if (m->keys[probe(m->keys, mask, key)] == key)
                return true;
        }
    return false;
}

/* The end of the group of hits of hits[i]'s fingerprint (hits come grouped
 * by fingerprint), below `to`. */
static size_t group_end(const struct lp_matcher *m, size_t i, size_t to)
{
    size_t j = i;
    while (j < to && m->hits[j].fp == m->hits[i].fp)
        j++;
    return j;
}

/* The pairs of hits[from, to) into m->pairs; their number in *np. */
static lp_err stream_pairs(struct lp_matcher *m, const struct lp_analysis *a,
                           size_t from, size_t to, size_t *np)
{
    size_t n = to - from, k = 0, mask = 0;
    bool thin = n > SPAN_PAIRS_MAX;
    if (!lp_grow_scratch((void **)&m->pairs, &m->cappairs, n, sizeof *m->pairs))
        return LP_ENOMEM;
    if (thin) {
        /* The anchors' cells, in a table sized by the anchors. */
        size_t anchors = 0;
        for (size_t i = from, j; i < to; i = j) {
            j = group_end(m, i, to);
            anchors += j - i <= SPAN_PLACES_MAX ? j - i : 0;
        }
        lp_err err = table_for(m, anchors, &mask);
        if (err)
            return err;
        for (size_t i = from, j; i < to; i = j) {
            j = group_end(m, i, to);
            if (j - i > SPAN_PLACES_MAX)
                continue;
            uint32_t tf = a->fp[m->hits[i].fp].first;
            for (size_t h = i; h < j; h++) {
                uint64_t key = cell_key(tf / DIAG_BAND,
                                        diag_band((int64_t)m->hits[h].af - tf));
                m->keys[probe(m->keys, mask, key)] = key;
            }
        }
    }
    for (size_t i = from, j; i < to; i = j) {
        j = group_end(m, i, to);
        const struct lp_fp *f = &a->fp[m->hits[i].fp];
        bool all = !thin || j - i <= SPAN_PLACES_MAX;
        for (size_t h = i; h < j; h++) {
            const struct hit *x = &m->hits[h];
            if (!all && !near_anchor(m, mask, f->first, x->af))
                continue;
            m->pairs[k++] = (struct lp_pair){.tf = f->first, .tl = f->last,
                                             .af = x->af, .al = x->al,
                                             .fp = x->fp};
        }
    }
    *np = k;
    return LP_OK;
}

/* Spans of hits[from, to) (one stream), tagged `how`, appended to
 * m->spans[*ns..]: room for (to - from) / SPAN_MIN_FP more is made here. */

static lp_err stream_spans(struct lp_matcher *m, const struct lp_analysis *a,
                           size_t from, size_t to, uint8_t how, size_t *ns)
{
    size_t n;
    if (from == to)
        return LP_OK;
    lp_err err = stream_pairs(m, a, from, to, &n);
    if (err)
        return err;
    if (!lp_grow((void **)&m->spans, &m->capspans, *ns + n / SPAN_MIN_FP,
                 sizeof *m->spans))
        return LP_ENOMEM;
    size_t k = lp_spans_build(m->pairs, n, SPAN_MIN_FP, m->wt, m->spans + *ns);
    for (size_t i = 0; i < k; i++)
        m->spans[*ns + i].how = how;
    *ns += k;
    return LP_OK;
}

static int cmp_spans_line(const void *a, const void *b)
{
    const struct lp_span *x = a, *y = b;
    if (x->lines[0] != y->lines[0])
        return x->lines[0] < y->lines[0] ? -1 : 1;
    return (x->asset_lines[0] > y->asset_lines[0]) -
           (x->asset_lines[0] < y->asset_lines[0]);
}

/* Reconciles the normalized spans (spans[0, nn)) and the renamed ones
 * (spans[nn, ns)) of one match, which often cover the same lines:
 *   - a normalized span is dropped when it holds less than half the
 *     fingerprints a true copy would give, judged from the renamed spans
 *     over it (a copy gives about (LP_AFP_W + 1) / (LP_FP_W + 1) normalized
 *     fingerprints per abstract one, as the windows are that much
 *     smaller): the code was renamed, and the normalized stream only
 *     caught the stretches the renaming left alone;
 *   - then a renamed span mostly inside the normalized spans kept is
 *     dropped: those say more.
 * Returns the number of spans kept, compacted in place. */
#define DROPPED 0xff /* a span's `how` while merge_streams() drops it */

static size_t merge_streams(struct lp_span *sp, size_t nn, size_t ns)
{
    for (size_t i = 0; i < nn; i++) {
        uint64_t renamed = 0;
        for (size_t j = nn; j < ns; j++) {
            uint32_t len = sp[j].lines[1] - sp[j].lines[0] + 1;
            if (2 * overlap(sp[i].lines, sp[j].lines) >= len)
                renamed += sp[j].nfp;
        }
        if (2 * (uint64_t)sp[i].nfp * (LP_FP_W + 1) < renamed * (LP_AFP_W + 1))
            sp[i].how = DROPPED;
    }
    for (size_t j = nn; j < ns; j++) {
        uint32_t len = sp[j].lines[1] - sp[j].lines[0] + 1, covered = 0;
        for (size_t i = 0; i < nn; i++)
            if (sp[i].how != DROPPED)
                covered += overlap(sp[j].lines, sp[i].lines);
        if (2 * covered >= len)
            sp[j].how = DROPPED;
    }
    size_t kept = 0;
    for (size_t i = 0; i < ns; i++)
        if (sp[i].how != DROPPED)
            sp[kept++] = sp[i];
    return kept;
}

/* ---- span boundaries ------------------------------------------------------
 *
 * Chaining places a span from the fingerprints that carry evidence, so it
 * starts and ends inside the copy: fingerprints that weigh nothing (held
 * by a public collection, boilerplate, repeated in the asset) were dropped
 * before chaining, and winnowing keeps one k-gram in w, so up to w - 1
 * copied tokens (a line or three of code) before the first common
 * fingerprint and after the last have none of their own. After a match is
 * accepted (its evidence, and so the decision to report it, are left as
 * they were), each span is:
 *   1. extended over the file's neighbouring fingerprints, whatever their
 *      weight, as long as the asset holds them on the span's diagonal
 *      (within EXT_DRIFT lines): the copy goes on there;
 *   2. with the file's tokens: moved to the last (first) k-gram of the
 *      file near its end (start), one the file's winnowing kept or not,
 *      that the asset holds on the diagonal. Any w consecutive k-grams of
 *      a copy hold one that both sides keep (the window's minimum), so the
 *      copy ends fewer than w tokens after that k-gram's last token (starts
 *      fewer than w before its first); nothing tells where in between, and
 *      the span takes half of those w - 1 tokens, then the lines it holds
 *      whole (a copy is pasted by lines). It never crosses a line without
 *      tokens (blank, or a comment's): nothing says whose that is, and a
 *      copy cut inside a comment would otherwise reach the host's next
 *      code, however far. On the snippets of bench/accuracy
 *      (docs/ACCURACY.md) a quarter, half, three quarters and all of the
 *      w - 1 tokens give a span IoU of 0.946, 0.949, 0.949, 0.949 on the
 *      file's side, 0.938, 0.943, 0.942, 0.941 on the asset's.
 *      Without tokens: half of the lines up to the file's next (previous)
 *      fingerprint, the first the asset does not hold there (the copy ends
 *      before its last line), EXT_WINDOW_LINES at most. The asset side
 *      moves by as many lines as the file's, within the asset;
 *   3. merged with the next span of the match when both lie on nearly the
 *      same diagonal with a gap of at most LP_SPAN_MERGE_GAP lines on each
 *      side (lp_spans_merge()): one copy, cut by a stretch the file
 *      changed or whose fingerprints weigh nothing and were not reached. */
#define EXT_DRIFT 3
#define EXT_WINDOW_LINES 6
#define EXT_LOOKUPS 4096 /* calls of held() per match, at most */

static uint32_t clamp_line(int64_t line, uint32_t lines)
{
    if (line < 1)
        return 1;
    return line > (int64_t)lines ? lines : (uint32_t)line;
}

static bool ask(const struct lp_span_file *f, const struct lp_span_oracle *o,
                uint64_t hash, uint32_t first, int64_t diag, uint32_t *af,
                uint32_t *al)
{
    if (!*f->budget)
        return false;
    --*f->budget;
    return o->held(o->ctx, hash, first, diag, af, al);
}

/* The first token on line `line` or after it (ntok when none). */
static size_t token_of_line(const struct lp_span_file *f, uint32_t line)
{
    size_t lo = 0, hi = f->ntok;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->tok[mid].line < line)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The undecided tokens a span takes (step 2): half of the w - 1. */
static size_t undecided(const struct lp_span_file *f)
{
    return (f->w - 1) / 2;
}

/* The hashes of the k-grams of f's tokens that start at tokens
 * [p0, p0 + n) (n <= LP_AFP_W), in h[] (has[] false where there is none),
 * and the loads of their lookups started (stages 0 to 2, each over the
 * whole window before the next: a stage reads what the one before
 * loaded). */
static lp_err window_hashes(const struct lp_span_file *f,
                            const struct lp_span_oracle *o, size_t p0,
                            size_t n, uint64_t *h, bool *has)
{
    for (size_t i = 0; i < n; i++)
        has[i] = false;
    size_t end = p0 + n + f->k - 1 < f->ntok ? p0 + n + f->k - 1 : f->ntok;
    if (end >= p0 + f->k)
        lp_kgram_hashes(f->tok + p0, end - p0, f->k, f->stream, h, has);
    if (!o->prefetch || !*f->budget)
        return LP_OK;
    for (int stage = 0; stage < 3; stage++)
        for (size_t i = 0; i < n; i++)
            if (has[i])
                o->prefetch(o->ctx, h[i], stage);
    return LP_OK;
}

/* Step 2 at the end of sp, with tokens: e, the last token of a k-gram the
 * asset holds on the diagonal, from the first token of the span's last
 * line on. */
static lp_err end_by_tokens(struct lp_span *sp, const struct lp_span_file *f,
                            const struct lp_span_oracle *o)
{
    size_t e = token_of_line(f, sp->lines[1]);
    if (e >= f->ntok || f->tok[e].line != sp->lines[1])
        return LP_OK; /* no token on the span's last line to go on from
                         (commented-out code: the comment's tokens are
                         not the file's) */
    uint32_t ae = sp->asset_lines[1], le = sp->lines[1];
    int64_t diag = (int64_t)sp->asset_lines[1] - sp->lines[1];
    /* The k-grams ending at tokens e to e + w - 1, a window that moves on
     * with e, each found: hashed a window at a time. */
    uint64_t h[LP_AFP_W];
    bool has[LP_AFP_W];
    size_t q = e > f->k - 1 ? e : f->k - 1;
    while (q < f->ntok && q < e + f->w) {
        size_t end = e + f->w < f->ntok ? e + f->w : f->ntok;
        size_t n = end - q < LP_AFP_W ? end - q : LP_AFP_W;
        lp_err err = window_hashes(f, o, q + 1 - f->k, n, h, has);
        if (err)
            return err;
        for (size_t i = 0; i < n; i++, q++) {
            size_t p = q + 1 - f->k;
            uint32_t af, al;
            if (has[i] && ask(f, o, h[i], f->tok[p].line, diag, &af, &al)) {
                e = q;
                ae = al;
                le = f->tok[q].line;
            }
        }
    }
    /* Half of the undecided tokens, on lines next to each other: a line
     * without tokens is not crossed. */
    size_t c = e;
    while (c + 1 < f->ntok && c < e + undecided(f) &&
           f->tok[c + 1].line <= f->tok[c].line + 1)
        c++;
    /* A line counts when the copy holds it whole: its last token. */
    uint32_t line = f->tok[c].line;
    if (c + 1 < f->ntok && f->tok[c + 1].line == line)
        line--;
    if (line <= sp->lines[1])
        return LP_OK; /* spans only grow */
    sp->lines[1] = line;
    sp->asset_lines[1] = clamp_line((int64_t)ae + line - le, f->asset_lines);
    return LP_OK;
}

/* Step 2 at the start of sp, with tokens: s, the first token of a k-gram
 * the asset holds on the diagonal, from the last token of the span's
 * first line back. */
static lp_err start_by_tokens(struct lp_span *sp, const struct lp_span_file *f,
                              const struct lp_span_oracle *o)
{
    size_t s = token_of_line(f, sp->lines[0] + 1);
    if (s == 0 || f->tok[s - 1].line != sp->lines[0])
        return LP_OK; /* no token on the span's first line */
    s--;
    uint32_t as = sp->asset_lines[0], ls = sp->lines[0];
    int64_t diag = (int64_t)sp->asset_lines[0] - sp->lines[0];
    /* The k-grams starting at tokens s back to s - w + 1, a window that
     * moves back with s, each found: hashed a window at a time. */
    uint64_t h[LP_AFP_W];
    bool has[LP_AFP_W];
    size_t next = s + 1; /* the k-grams from `next` on were asked for */
    while (next > 0 && next - 1 + f->w > s) {
        size_t low = s + 1 > f->w ? s + 1 - f->w : 0;
        size_t n = next - low < LP_AFP_W ? next - low : LP_AFP_W;
        size_t p0 = next - n;
        lp_err err = window_hashes(f, o, p0, n, h, has);
        if (err)
            return err;
        for (size_t i = n; i-- > 0;) {
            size_t p = p0 + i;
            uint32_t af, al;
            if (has[i] && ask(f, o, h[i], f->tok[p].line, diag, &af, &al)) {
                s = p;
                as = af;
                ls = f->tok[p].line;
            }
        }
        next = p0;
    }
    size_t c = s;
    while (c > 0 && c + undecided(f) > s &&
           f->tok[c - 1].line + 1 >= f->tok[c].line)
        c--;
    uint32_t line = f->tok[c].line;
    if (c > 0 && f->tok[c - 1].line == line)
        line++; /* and its first token */
    if (line >= sp->lines[0])
        return LP_OK; /* spans only grow */
    sp->lines[0] = line;
    sp->asset_lines[0] = clamp_line((int64_t)as - (ls - line), f->asset_lines);
    return LP_OK;
}

/* The first of fp[0, n), in line order, whose last line (first line when
 * !by_last) is `line` or after it: n when none. */
static size_t fp_from_line(const struct lp_fp *fp, size_t n, bool by_last,
                           uint32_t line)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((by_last ? fp[mid].last : fp[mid].first) < line)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The first fingerprint of f that ends after line `line` (f->nfp when
 * none). */
static size_t after_line(const struct lp_span_file *f, uint32_t line)
{
    size_t sorted = f->nsorted < f->nfp ? f->nsorted : f->nfp;
    size_t j = fp_from_line(f->fp, sorted, true, line + 1);
    while (j < f->nfp && f->fp[j].last <= line)
        j++;
    return j;
}

/* One past the last fingerprint of f that starts before line `line`, all
 * after it starting on it or later (0 when none). */
static size_t before_line(const struct lp_span_file *f, uint32_t line)
{
    size_t sorted = f->nsorted < f->nfp ? f->nsorted : f->nfp;
    size_t j = f->nfp;
    while (j > sorted && f->fp[j - 1].first >= line)
        j--;
    return j > sorted ? j : fp_from_line(f->fp, sorted, false, line);
}

lp_err lp_span_extend(struct lp_span *sp, const struct lp_span_file *f,
                      const struct lp_span_oracle *o)
{
    uint32_t af, al;
    /* 1, forward: the fingerprints that end after the span. */
    size_t j = after_line(f, sp->lines[1]);
    int64_t diag = (int64_t)sp->asset_lines[1] - sp->lines[1];
    uint32_t bound = f->lines; /* the copy's last line, at most */
    for (; j < f->nfp; j++) {
        if (!ask(f, o, f->fp[j].hash, f->fp[j].first, diag, &af, &al)) {
            if (!*f->budget)
                bound = sp->lines[1]; /* out of lookups: no guess */
            else if (f->fp[j].last > sp->lines[1])
                bound = f->fp[j].last - 1;
            break;
        }
        sp->lines[1] = f->fp[j].last > sp->lines[1] ? f->fp[j].last
                                                    : sp->lines[1];
        sp->asset_lines[1] = al > sp->asset_lines[1] ? al : sp->asset_lines[1];
    }
    /* 1, backward: the fingerprints that start before the span. */
    j = before_line(f, sp->lines[0]);
    diag = (int64_t)sp->asset_lines[0] - sp->lines[0];
    uint32_t low = 1; /* the copy's first line, at least */
    for (; j > 0; j--) {
        if (!ask(f, o, f->fp[j - 1].hash, f->fp[j - 1].first, diag, &af,
                 &al)) {
            low = !*f->budget ? sp->lines[0] : f->fp[j - 1].first + 1;
            break;
        }
        sp->lines[0] = f->fp[j - 1].first;
        sp->asset_lines[0] = af < sp->asset_lines[0] ? af : sp->asset_lines[0];
    }
    /* 2. */
    if (f->no_step2)
        return LP_OK;
    if (f->tok && f->ntok) {
        lp_err err = end_by_tokens(sp, f, o);
        return err ? err : start_by_tokens(sp, f, o);
    }
    if (bound > sp->lines[1]) {
        uint32_t add = (bound - sp->lines[1] + 1) / 2;
        add = add < EXT_WINDOW_LINES ? add : EXT_WINDOW_LINES;
        sp->lines[1] += add;
        uint32_t a1 = clamp_line((int64_t)sp->asset_lines[1] + add,
                                 f->asset_lines);
        sp->asset_lines[1] = a1 > sp->asset_lines[1] ? a1 : sp->asset_lines[1];
    }
    if (low < sp->lines[0]) {
        uint32_t sub = (sp->lines[0] - low + 1) / 2;
        sub = sub < EXT_WINDOW_LINES ? sub : EXT_WINDOW_LINES;
        sp->lines[0] -= sub;
        uint32_t a0 = clamp_line((int64_t)sp->asset_lines[0] - sub,
                                 f->asset_lines);
        sp->asset_lines[0] = a0 < sp->asset_lines[0] ? a0 : sp->asset_lines[0];
    }
    return LP_OK;
}

/* Whether span y (starting after x's start in the file) continues x's
 * copy (step 3): diagonals within EXT_DRIFT where they meet, each side's
 * gap (or overlap) LP_SPAN_MERGE_GAP lines at most, and y after x on both
 * sides or inside x on both. */
static bool collinear(const struct lp_span *x, const struct lp_span *y)
{
    int64_t gt = (int64_t)y->lines[0] - x->lines[1];
    int64_t ga = (int64_t)y->asset_lines[0] - x->asset_lines[1];
    int64_t d = gt - ga;
    bool after = y->lines[1] > x->lines[1] &&
                 y->asset_lines[1] > x->asset_lines[1];
    bool inside = y->lines[1] <= x->lines[1] &&
                  y->asset_lines[0] >= x->asset_lines[0] &&
                  y->asset_lines[1] <= x->asset_lines[1];
    return gt <= LP_SPAN_MERGE_GAP && ga <= LP_SPAN_MERGE_GAP &&
           gt >= -LP_SPAN_MERGE_GAP && ga >= -LP_SPAN_MERGE_GAP &&
           d <= EXT_DRIFT && d >= -EXT_DRIFT && (after || inside);
}

size_t lp_spans_merge(struct lp_span *sp, size_t ns)
{
    size_t kept = 0;
    lp_sort(sp, ns, sizeof *sp, cmp_spans);
    for (size_t i = 0; i < ns; i++) {
        struct lp_span *x = kept ? &sp[kept - 1] : NULL;
        if (x && collinear(x, &sp[i])) {
            if (sp[i].lines[1] > x->lines[1])
                x->lines[1] = sp[i].lines[1];
            if (sp[i].asset_lines[1] > x->asset_lines[1])
                x->asset_lines[1] = sp[i].asset_lines[1];
            x->nfp += sp[i].nfp;
            x->evidence += sp[i].evidence;
            if (sp[i].how == LP_HOW_RENAMED)
                x->how = LP_HOW_RENAMED; /* the weaker of the two */
            continue;
        }
        sp[kept++] = sp[i];
    }
    return kept;
}

/* The oracle of a match: the registry's places of a hash in its blob. */
struct blob_oracle {
    struct lp_matcher *m;
    uint32_t blob;
};

static bool blob_held(void *ctx, uint64_t hash, uint32_t first, int64_t diag,
                      uint32_t *afirst, uint32_t *alast)
{
    struct blob_oracle *bo = ctx;
    struct lp_matcher *m = bo->m;
    size_t cnt =
        lp_registry_lookup(m->ext_reg, hash, m->look, LP_MAX_HITS_PER_HASH);
    if (cnt > LP_MAX_HITS_PER_HASH)
        return false; /* too many places to tell */
    int64_t best = EXT_DRIFT + 1;
    for (size_t h = 0; h < cnt; h++) {
        if (m->look[h].blob != bo->blob)
            continue;
        int64_t d = (int64_t)m->look[h].first - first - diag;
        d = d < 0 ? -d : d;
        if (d < best) {
            best = d;
            *afirst = m->look[h].first;
            *alast = m->look[h].last;
        }
    }
    return best <= EXT_DRIFT;
}

static void blob_prefetch(void *ctx, uint64_t hash, int stage)
{
    struct blob_oracle *bo = ctx;
    lp_registry_prefetch(bo->m->ext_reg, hash, stage);
}

/* How many of fp[0, n) come first in line order (lp_span_file.nsorted). */
static size_t in_order(const struct lp_fp *fp, size_t n)
{
    size_t i = 1;
    while (i < n && fp[i].first >= fp[i - 1].first &&
           fp[i].last >= fp[i - 1].last)
        i++;
    return n ? i : 0;
}

/* Steps 1-3 for the spans sp[0, *ns) of a match on `blob`. */
static lp_err extend_spans(struct lp_matcher *m, const struct lp_snapshot *snap,
                           const struct lp_analysis *a, uint32_t blob,
                           struct lp_span *sp, size_t *ns)
{
    if (!m->ext_reg || blob >= snap->nblobs || !*ns)
        return LP_OK;
    struct blob_oracle bo = {m, blob};
    struct lp_span_oracle o = {blob_held, &bo, blob_prefetch};
    size_t budget = EXT_LOOKUPS;
    /* The file's own tokens are those of its spans only when the file is
     * code lexed as such: in prose, a document or a shell script, a span
     * comes from a code region lexed as C (src/analyze/regions.h), and
     * the host's words say nothing of where it ends. */
    bool tokens = a->kind == LP_KIND_CODE && a->lang != LP_LANG_SHELL;
    size_t sorted[2] = {in_order(a->fp, a->nfp),
                        in_order(a->fp + a->nfp, a->nafp)};
    for (size_t i = 0; i < *ns; i++) {
        bool abstract = sp[i].how == LP_HOW_RENAMED;
        struct lp_span_file f = {
            .fp = a->fp + (abstract ? a->nfp : 0),
            .nfp = abstract ? a->nafp : a->nfp,
            .nsorted = sorted[abstract],
            .tok = a->tok, .ntok = a->ntok, .no_step2 = !tokens,
            .k = abstract ? LP_AFP_K : LP_FP_K,
            .w = abstract ? LP_AFP_W : LP_FP_W,
            .stream = abstract ? LP_STREAM_ABSTRACT : LP_STREAM_NORMALIZED,
            .lines = a->lines > sp[i].lines[1] ? a->lines : sp[i].lines[1],
            .asset_lines = snap->blobs[blob].lines,
            .budget = &budget};
        if (sp[i].asset_lines[1] > f.asset_lines)
            continue;
        lp_err err = lp_span_extend(&sp[i], &f, &o);
        if (err)
            return err;
    }
    *ns = lp_spans_merge(sp, *ns);
    return LP_OK;
}

/* Build and configuration files (Makefiles, CMake, CI and other YAML,
 * TOML, INI, Dockerfiles): written to a few patterns and copied between a
 * project's siblings, so a stretch of one shared with another is no sign
 * of a copy; such a match needs LP_INFO_CHECK_BELOW similarity. */
static bool build_file(enum lp_lang lang)
{
    return lang == LP_LANG_MAKE || lang == LP_LANG_CMAKE ||
           lang == LP_LANG_YAML || lang == LP_LANG_TOML ||
           lang == LP_LANG_INI || lang == LP_LANG_DOCKERFILE;
}

static int cmp_ranges(const void *x, const void *y)
{
    const struct lp_line_range *p = x, *q = y;
    if (p->first != q->first)
        return p->first < q->first ? -1 : 1;
    return (p->last > q->last) - (p->last < q->last);
}

/* The offset in a->text of the first byte of line `line` (1-based; the
 * text's length past its last line), from an index of the file's line
 * starts, kept for the file and grown as far as a call needs: counting
 * newlines from the start at each call made the floor quadratic in the
 * file's size. *ok is false when out of memory. */
static size_t line_offset(struct lp_matcher *m, const struct lp_analysis *a,
                          uint32_t line, bool *ok)
{
    *ok = true;
    if (!m->nlstart) {
        if (!lp_grow((void **)&m->lstart, &m->caplstart, 1,
                     sizeof *m->lstart)) {
            *ok = false;
            return 0;
        }
        m->lstart[0] = 0;
        m->nlstart = 1;
        m->lend = false;
    }
    /* The index reaches as far as a caller has asked: the spans of a
     * match are asked for in file order, and the first ones often
     * decide. */
    while (!m->lend && m->nlstart < line) {
        const char *from = a->text + m->lstart[m->nlstart - 1];
        const char *e = a->text + a->tlen;
        const char *p = from < e ? memchr(from, '\n', (size_t)(e - from))
                                 : NULL;
        if (!p) {
            m->lend = true;
            break;
        }
        if (!lp_grow((void **)&m->lstart, &m->caplstart, m->nlstart + 1,
                     sizeof *m->lstart)) {
            *ok = false;
            return 0;
        }
        m->lstart[m->nlstart++] = (size_t)(p + 1 - a->text);
    }
    if (line < 1)
        return 0;
    return line <= m->nlstart ? m->lstart[line - 1] : a->tlen;
}

/* Lines of code (not scaffolding) a C match's shared lines need. */
#define SCAFFOLD_CODE_LINES 2

/* Information weight of a match whose hits are [from, to), of `evidence`:
 * the distinct words on the lines that hold its fingerprints (the text
 * that matched) per fingerprint of evidence, at most 1. Real code has a
 * word or more for each; a list of `case 'A':` has one for all. Counting
 * may stop once the weight reaches `need` (what the caller's decision
 * asks for; 1: count all), *info being then at least that. And
 * *scaffold: C-family code whose such lines are all scaffolding but for
 * one (lp_region_code_lines(): the C++ guard, system includes). */
static lp_err match_info(struct lp_matcher *m, const struct lp_analysis *a,
                         size_t from, size_t to, double evidence,
                         double need, double *info, bool *scaffold)
{
    size_t n = 0;
    bool sorted = true;
    for (size_t i = from; i < to; i++) {
        const struct lp_fp *fp = &a->fp[m->hits[i].fp];
        if (n && fp->first <= m->ranges[n - 1].last + 1 &&
            fp->first >= m->ranges[n - 1].first) {
            if (fp->last > m->ranges[n - 1].last)
                m->ranges[n - 1].last = fp->last;
            continue;
        }
        if (!lp_grow((void **)&m->ranges, &m->capranges, n + 1,
                     sizeof *m->ranges))
            return LP_ENOMEM;
        sorted &= !n || fp->first > m->ranges[n - 1].first;
        m->ranges[n++] = (struct lp_line_range){fp->first, fp->last};
    }
    if (!sorted)
        lp_sort(m->ranges, n, sizeof *m->ranges, cmp_ranges);
    /* Words past `need` of the evidence decide nothing (enough_region()):
     * counting stops there, half a word or more beyond for rounding. */
    size_t want = evidence < 1 ? 1 : (size_t)(evidence + 0.999);
    if (need * evidence + 1.5 < (double)want)
        want = (size_t)(need * evidence + 1.5);
    /* Only the bytes of the ranges' lines are read: for the words, and in
     * C-family code for the lines that are not scaffolding (region.h:
     * guards, system includes), each until it has enough. */
    struct lp_word_set ws;
    lp_word_set_init(&ws);
    size_t words = 0, code = 0;
    size_t code_want = a->lang >= LP_LANG_C && a->lang <= LP_LANG_OBJC
                           ? SCAFFOLD_CODE_LINES : 0;
    for (size_t i = 0; a->text && i < n && (words < want || code < code_want);
         i++) {
        bool ok0, ok1;
        size_t o0 = line_offset(m, a, m->ranges[i].first, &ok0);
        size_t o1 = line_offset(m, a, m->ranges[i].last + 1, &ok1);
        if (!ok0 || !ok1)
            return LP_ENOMEM;
        if (o1 <= o0)
            continue;
        if (words < want)
            words = lp_word_set_add(&ws, a->text + o0, o1 - o0, want);
        if (code < code_want)
            code += lp_region_code_lines(a->text + o0, o1 - o0,
                                         code_want - code);
    }
    *info = evidence > 0 && (double)words < evidence ? (double)words / evidence : 1;
    *scaffold = a->text && code < code_want;
    return LP_OK;
}

/* Sets *ok when the match whose hits are [from, to) and whose spans of
 * kind `how` are among m->spans[0..ns) (sorted by line) is evidence enough
 * in absolute terms and by what it says (docs/VERDICT.md, "Evidence
 * floor"):
 * - its spans' lines hold opt->min_tokens tokens, on LP_MIN_MATCH_LINES
 *   lines or more unless 3 times as many tokens (one line of minified
 *   code), unless the file is half or more of the asset and the asset half
 *   or more of the file (similarity and coverage >= 0.5);
 * - below LP_INFO_CHECK_BELOW similarity, its similarity, evidence and
 *   longest span are weighed by the information of the text that matched
 *   (match_info()), and must pass --min-similarity, min_votes, or the
 *   long-span rule again; a build file is not matched there at all, nor
 *   C code whose shared lines are scaffolding but for one. */
static lp_err enough_region(struct lp_matcher *m,
                            const struct lp_match_options *opt,
                            const struct lp_analysis *a, size_t from,
                            size_t to, uint8_t how, size_t ns, double sim,
                            double coverage, double evidence, bool whole,
                            bool *ok)
{
    unsigned min_tokens = opt->min_tokens ? opt->min_tokens : LP_MIN_MATCH_TOKENS;
    *ok = false;
    /* The spans of the match's stream; of both when it has none; with no
     * span at all (its fingerprints scattered), its similarity carries it. */
    size_t mine = 0;
    for (size_t i = 0; i < ns; i++)
        mine += m->spans[i].how == how;
    uint32_t lines = 0;
    size_t nfp = 0, tokens = 0;
    double longest = 0;
    for (size_t i = 0; i < ns; i++) {
        const struct lp_span *sp = &m->spans[i];
        if (sp->how != how && mine)
            continue;
        lines += sp->lines[1] - sp->lines[0] + 1;
        nfp += sp->nfp;
        longest = sp->evidence > longest ? sp->evidence : longest;
    }
    /* Each fingerprint starts at a token of its own: no need to count when
     * there are 3 times enough of them. A small file that is most of a
     * registered one (a short header, restyled) is a copy whatever its
     * size. */
    bool copy = sim >= 0.5 && coverage >= 0.5;
    if (ns && !copy && nfp < 3 * (size_t)min_tokens) {
        /* enough once past the floor below (lines are all counted) */
        size_t target = lines < LP_MIN_MATCH_LINES ? 3 * (size_t)min_tokens
                                                  : min_tokens;
        for (size_t i = 0; a->text && i < ns && tokens < target; i++) {
            const struct lp_span *sp = &m->spans[i];
            if (sp->how != how && mine)
                continue;
            bool ok0, ok1;
            size_t o0 = line_offset(m, a, sp->lines[0], &ok0);
            size_t o1 = line_offset(m, a, sp->lines[1] + 1, &ok1);
            if (!ok0 || !ok1)
                return LP_ENOMEM;
            if (o1 > o0)
                tokens += lp_region_count_tokens(a->text + o0, o1 - o0);
        }
        if (tokens < min_tokens ||
            (lines < LP_MIN_MATCH_LINES && tokens < 3 * (size_t)min_tokens))
            return LP_OK;
    }
    if (sim >= LP_INFO_CHECK_BELOW) {
        *ok = true;
        return LP_OK;
    }
    if (build_file(a->lang))
        return LP_OK;
    /* The least weight f that passes the test below: when it is over 1
     * no text can make the match, and the words of the text are counted
     * only until they give that much. */
    double need = whole || evidence <= 0 ? 0 : opt->min_votes / evidence;
    double by_sim = sim > 0 ? opt->min_similarity / sim : HUGE_VAL;
    double by_span = longest > 0 ? opt->min_span_fp / longest : HUGE_VAL;
    need = fmax(need, fmin(by_sim, by_span));
    if (need > 1)
        return LP_OK;
    double f;
    bool scaffold;
    lp_err err = match_info(m, a, from, to, evidence, need, &f, &scaffold);
    if (err || scaffold)
        return err;
    if (evidence * f < opt->min_votes && !whole)
        return LP_OK;
    *ok = sim * f >= opt->min_similarity || longest * f >= opt->min_span_fp;
    return LP_OK;
}

/* Aligns one candidate; appends it to out when it is worth reporting. Its
 * similarity, evidence, shared fingerprints and coverage are those of the
 * stream that speaks for it (see below). */
static lp_err try_candidate(struct lp_matcher *m, const struct lp_snapshot *snap,
                            const struct lp_match_options *opt,
                            const struct lp_analysis *a, const struct cand *c,
                            struct lp_file_result *out)
{
    /* Cheap rejection before alignment: with too low a similarity, only a
     * span of min_span_fp of evidence could get it reported, and a span
     * has no more evidence than its candidate has in its stream. */
    double most = c->evidence[0] > c->evidence[1] ? c->evidence[0]
                                                   : c->evidence[1];
    if (c->score < opt->min_similarity && most < opt->min_span_fp)
        return LP_OK;
    struct lp_match mt = {.blob = c->blob};
    if (c->blob >= snap->nblobs ||
        !pick_asset(snap, c->blob, out->path, &mt))
        return LP_OK;
    /* Another version of a file already matched (the same path in the same
     * collection) adds nothing: the better one came first. */
    for (size_t i = 0; i < out->nmatches; i++)
        if (out->matches[i].collection == mt.collection &&
            strcmp(out->matches[i].asset, mt.asset) == 0)
            return LP_OK;
    /* The candidate's hits: normalized ones, then abstract ones. */
    size_t mid = c->start;
    while (mid < c->end && m->hits[mid].fp < m->nfp)
        mid++;
    /* Per stream: evidence, capped by the distinct asset places it matches
     * (each piece of evidence needs a place of its own on both sides: code
     * the file repeats, such as unrolled rounds or test tables, matching a
     * few asset fingerprints again and again is no more evidence than
     * those few), and the similarity it gives. */
    size_t distinct[2];
    double ev[2], sim[2];
    const struct lp_blob_info *bi = &snap->blobs[c->blob];
    lp_err err = asset_distinct(m, c->start, mid, bi->nfp, a, &distinct[0]);
    if (!err)
        err = asset_distinct(m, mid, c->end, bi->nafp, a, &distinct[1]);
    if (err)
        return err;
    for (int s = 0; s < 2; s++) {
        ev[s] = (double)distinct[s] < c->evidence[s] ? (double)distinct[s]
                                                     : c->evidence[s];
        sim[s] = similarity(m, s, ev[s]);
    }
    /* The abstract stream speaks for the match when it explains more, has
     * enough evidence of its own, and explains at least half of the file or
     * of the asset: it says less per fingerprint, and a stretch of abstract
     * code inside a large unrelated file is too often a coincidence of
     * style (tables, register maps, generated parsers, headers of flags). */
    uint32_t anfp_a = snap->blobs[c->blob].nafp;
    double cov_a = anfp_a ? (double)distinct[1] / anfp_a : 0;
    int st = sim[1] > sim[0] && ev[1] >= LP_RENAMED_MIN_EVIDENCE &&
                     sim[1] >= opt->min_similarity &&
                     (sim[1] >= LP_RENAMED_MIN_SHARE ||
                      cov_a >= LP_RENAMED_MIN_SHARE)
                 ? LP_STREAM_ABSTRACT : LP_STREAM_NORMALIZED;
    mt.nfp = c->votes[st];
    mt.evidence = ev[st];
    mt.similarity = sim[st];
    size_t ns = 0, nn;
    err = stream_spans(m, a, c->start, mid, LP_HOW_NORMALIZED, &ns);
    nn = ns;
    if (!err)
        err = stream_spans(m, a, mid, c->end, LP_HOW_RENAMED, &ns);
    if (err)
        return err;
    ns = merge_streams(m->spans, nn, ns);
    lp_sort(m->spans, ns, sizeof *m->spans, cmp_spans_line);
    /* Only spans of the match's stream may carry it alone. */
    float longest = 0;
    uint8_t how = st ? LP_HOW_RENAMED : LP_HOW_NORMALIZED;
    for (size_t i = 0; i < ns; i++)
        if (m->spans[i].how == how && m->spans[i].evidence > longest)
            longest = m->spans[i].evidence;
    uint32_t anfp = st ? snap->blobs[c->blob].nafp : snap->blobs[c->blob].nfp;
    mt.coverage = anfp ? (double)distinct[st] / anfp : 0;
    if (mt.coverage > 1)
        mt.coverage = 1;
    /* A small file whose every fingerprint that counts is in a small asset
     * is a copy too, though it has less than min_votes of evidence. */
    bool whole = c->votes[st] == m->eligible[st] && mt.coverage >= 0.5;
    if (mt.evidence < opt->min_votes && !whole)
        return LP_OK;
    if (mt.similarity < opt->min_similarity && longest < opt->min_span_fp)
        return LP_OK;
    bool ok;
    err = st ? enough_region(m, opt, a, mid, c->end, how, ns, mt.similarity,
                             mt.coverage, mt.evidence, whole, &ok)
             : enough_region(m, opt, a, c->start, mid, how, ns, mt.similarity,
                             mt.coverage, mt.evidence, whole, &ok);
    if (err || !ok)
        return err;
    if ((err = extend_spans(m, snap, a, c->blob, m->spans, &ns)))
        return err;
    return push_match(out, &mt, m->spans, ns);
}

lp_err lp_match_exact(const struct lp_snapshot *snap,
                      const struct lp_analysis *a, struct lp_file_result *out,
                      bool *exact)
{
    *exact = false;
    uint32_t blob = lp_snapshot_find_sha(snap, a->sha);
    if (!blob || blob >= snap->nblobs)
        return LP_OK;
    const struct lp_blob_info *info = &snap->blobs[blob];
    /* Held by a public collection: third-party content, never a leak; and
     * not looked up again either (its fingerprints are public too). */
    *exact = true;
    if (snap->blob_flags[blob] & LP_BLOB_PUBLIC)
        return LP_OK;
    /* An identical tiny file with no fingerprint (empty, a few tokens)
     * proves nothing; an identical file of some size does, fingerprinted or
     * not (binaries, images). */
    if (!info->nfp && a->size < LP_MIN_EXACT_SIZE) {
        *exact = false;
        return LP_OK;
    }
    out->nfp = info->nfp;
    struct lp_match mt = {.blob = blob, .similarity = 1, .coverage = 1,
                          .exact = true, .nfp = info->nfp,
                          .evidence = info->nfp};
    uint32_t lines = info->lines ? info->lines : 1;
    struct lp_span whole = {.lines = {1, lines}, .asset_lines = {1, lines},
                            .nfp = info->nfp, .evidence = (float)info->nfp,
                            .how = LP_HOW_EXACT};
    if (!pick_asset(snap, blob, out->path, &mt))
        return LP_OK;
    lp_err err = push_match(out, &mt, &whole, 1);
    return err ? err : credit_collections(snap, out, out->nmatches - 1);
}

static int cmp_tlsh_blob(const void *key, const void *elem)
{
    uint32_t b = *(const uint32_t *)key;
    uint32_t e = ((const struct lp_snap_tlsh *)elem)->blob;
    return b < e ? -1 : b > e;
}

lp_err lp_match_tlsh(const struct lp_snapshot *snap,
                     const struct lp_analysis *a, struct lp_file_result *out)
{
    if (!a->have_tlsh || !snap->ntlsh)
        return LP_OK;
    /* The file's matches (by its strings) get their distance, whatever it
     * is: it tells how much the build changed. */
    for (size_t i = 0; i < out->nmatches; i++) {
        const struct lp_snap_tlsh *t =
            bsearch(&out->matches[i].blob, snap->tlsh, snap->ntlsh,
                    sizeof *snap->tlsh, cmp_tlsh_blob);
        int d = t ? lp_tlsh_diff(a->tlsh, t->digest) : -1;
        if (d >= 0 && d < UINT16_MAX)
            out->matches[i].tlsh = (uint16_t)(d + 1);
    }
    int best = LP_TLSH_SAME_MAX + 1;
    uint32_t blob = 0;
    for (size_t i = 0; i < snap->ntlsh; i++) {
        uint32_t b = snap->tlsh[i].blob;
        if (!snap->lineage[b] || (snap->blob_flags[b] & LP_BLOB_PUBLIC))
            continue; /* removed, or third-party */
        int d = lp_tlsh_diff(a->tlsh, snap->tlsh[i].digest);
        if (d >= 0 && d < best) {
            best = d;
            blob = b;
        }
    }
    for (size_t i = 0; blob && i < out->nmatches; i++)
        if (out->matches[i].blob == blob)
            return LP_OK;
    if (!blob)
        return LP_OK;
    struct lp_match mt = {.blob = blob, .similarity = 1.0 - best / 100.0,
                          .tlsh = (uint16_t)(best + 1)};
    if (!pick_asset(snap, blob, out->path, &mt))
        return LP_OK;
    lp_err err = push_match(out, &mt, NULL, 0);
    return err ? err : credit_collections(snap, out, out->nmatches - 1);
}

/* Among the best candidates that tie (the same score and evidence: near
 * identical files, such as generated variants), the one whose path ends
 * most like the scanned file's comes first: a leaked file often keeps its
 * name. */
static void prefer_named(struct lp_matcher *m, const struct lp_snapshot *snap,
                         const char *target)
{
    size_t best = 0, best_len = 0;
    for (size_t i = 0; target && i < m->ncands; i++) {
        const struct cand *c = &m->cands[i];
        if (c->score != m->cands[0].score ||
            c->evidence[0] + c->evidence[1] !=
                m->cands[0].evidence[0] + m->cands[0].evidence[1])
            break;
        size_t first, n = c->blob < snap->nblobs
                              ? lp_snapshot_assets(snap, c->blob, &first) : 0;
        for (size_t k = first; n && k < first + n; k++) {
            size_t len = common_suffix(snap->assets[k].path, target);
            if (len > best_len) {
                best_len = len;
                best = i;
            }
        }
    }
    if (best) {
        struct cand t = m->cands[best];
        memmove(&m->cands[1], &m->cands[0], best * sizeof *m->cands);
        m->cands[0] = t;
    }
}

/* ---- several versions, several regions ---------------------------------- */

/* Candidates looked at after one for versions of the same file that tie
 * with it. */
#define TIE_LOOKAHEAD 64
/* Coverage of the asset above which the file holds it whole: a version of
 * the file with content the file lacks is then not consistent with it. */
#define WHOLE_COPY 0.8

static bool same_evidence(const struct cand *x, const struct cand *y)
{
    return x->score == y->score && x->evidence[0] == y->evidence[0] &&
           x->evidence[1] == y->evidence[1];
}

/* Whether blob x holds more fingerprints than blob y. */
static bool larger(const struct lp_snapshot *snap, uint32_t x, uint32_t y)
{
    const struct lp_blob_info *a = &snap->blobs[x], *b = &snap->blobs[y];
    return a->nfp != b->nfp ? a->nfp > b->nfp : a->nafp > b->nafp;
}

/* Versions of one file that explain the scanned file equally (the same
 * evidence: the file has no fingerprint where they differ) tie; content
 * a version has and the file lacks is evidence against that version. So
 * among the candidates tying with cands[i] that are versions of its file
 * (its lineage), the one with the fewest fingerprints (the most of it in
 * the file; the newest on a tie) is moved to i and tried. */
static void choose_version(struct lp_matcher *m, const struct lp_snapshot *snap,
                           size_t i)
{
    struct cand *c = &m->cands[i];
    if (c->blob >= snap->nblobs || !snap->lineage[c->blob])
        return;
    size_t best = i;
    for (size_t j = i + 1; j < m->ncands && j <= i + TIE_LOOKAHEAD; j++) {
        const struct cand *d = &m->cands[j];
        if (!same_evidence(c, d))
            break;
        if (d->blob < snap->nblobs &&
            snap->lineage[d->blob] == snap->lineage[c->blob] &&
            larger(snap, m->cands[best].blob, d->blob))
            best = j;
    }
    if (best != i) {
        struct cand t = m->cands[i];
        m->cands[i] = m->cands[best];
        m->cands[best] = t;
    }
}

/* Gives the match just made of cands[i] (out->matches[at]) the other
 * versions of its file that are consistent with the scanned file: those
 * that tie with it and hold no more fingerprints, or any that tie when
 * the file holds only part of the asset (what the others add may lie
 * outside the part copied). */
static lp_err attach_alts(struct lp_matcher *m, const struct lp_snapshot *snap,
                          size_t i, struct lp_file_result *out, size_t at)
{
    const struct cand *c = &m->cands[i];
    struct lp_match *mt = &out->matches[at];
    if (c->blob >= snap->nblobs || !snap->lineage[c->blob])
        return LP_OK;
    bool whole = mt->coverage >= WHOLE_COPY;
    for (size_t j = i + 1; j < m->ncands && j <= i + TIE_LOOKAHEAD; j++) {
        const struct cand *d = &m->cands[j];
        if (!same_evidence(c, d))
            break;
        if (d->blob >= snap->nblobs ||
            snap->lineage[d->blob] != snap->lineage[c->blob] ||
            (whole && larger(snap, d->blob, c->blob)))
            continue;
        uint32_t *v = lp_reallocarray(mt->alts, mt->nalts + 1, sizeof *v);
        if (!v)
            return LP_ENOMEM;
        mt->alts = v;
        mt->alts[mt->nalts++] = d->blob;
    }
    return LP_OK;
}

/* Adds the target lines of a match's spans to the regions explained. */
static lp_err add_regions(struct lp_matcher *m, const struct lp_match *mt)
{
    for (size_t k = 0; k < mt->nspans; k++) {
        struct region r = {mt->spans[k].lines[0], mt->spans[k].lines[1]};
        if (!lp_grow((void **)&m->reg, &m->capreg, m->nreg + 1, sizeof *m->reg))
            return LP_ENOMEM;
        /* Insert in order, then merge with the neighbours it touches. */
        size_t at = m->nreg;
        while (at > 0 && m->reg[at - 1].lo > r.lo) {
            m->reg[at] = m->reg[at - 1];
            at--;
        }
        m->reg[at] = r;
        m->nreg++;
        size_t out = 0;
        for (size_t j = 0; j < m->nreg; j++) {
            if (out && m->reg[j].lo <= m->reg[out - 1].hi + 1) {
                if (m->reg[j].hi > m->reg[out - 1].hi)
                    m->reg[out - 1].hi = m->reg[j].hi;
            } else {
                m->reg[out++] = m->reg[j];
            }
        }
        m->nreg = out;
    }
    return LP_OK;
}

/* Whether target lines [lo, hi] lie inside one explained region. */
static bool explained(const struct lp_matcher *m, uint32_t lo, uint32_t hi)
{
    size_t a = 0, b = m->nreg;
    while (a < b) { /* the first region ending at or after lo */
        size_t mid = (a + b) / 2;
        if (m->reg[mid].hi < lo)
            a = mid + 1;
        else
            b = mid;
    }
    return a < m->nreg && m->reg[a].lo <= lo && m->reg[a].hi >= hi;
}

/* Evidence of a candidate outside the regions explained so far (each of
 * its target fingerprints once). */
static double fresh_evidence(const struct lp_matcher *m,
                             const struct lp_analysis *a, const struct cand *c)
{
    double e = 0;
    uint32_t last = UINT32_MAX;
    for (size_t h = c->start; h < c->end; h++) {
        uint32_t fp = m->hits[h].fp;
        if (fp == last)
            continue;
        last = fp;
        if (!explained(m, a->fp[fp].first, a->fp[fp].last))
            e += m->wt[fp];
    }
    return e;
}

/* Counts a candidate found past LP_MAX_FILE_MATCHES, once per file it is
 * a version of. */
static void count_more(struct lp_matcher *m, const struct lp_snapshot *snap,
                       const struct cand *c, struct lp_file_result *out)
{
    uint32_t l = c->blob < snap->nblobs ? snap->lineage[c->blob] : 0;
    if (l && l < m->caplinstamp) {
        if (m->linstamp[l] == m->stamp)
            return;
        m->linstamp[l] = m->stamp;
    }
    /* a match per protected collection holding it, as credited */
    size_t first, n = c->blob < snap->nblobs
                          ? lp_snapshot_assets(snap, c->blob, &first) : 0;
    uint32_t last = UINT32_MAX, found = 0;
    for (size_t i = first; n && i < first + n; i++) {
        uint32_t col = snap->versions[snap->assets[i].version].collection;
        if (col == last || snap->collections[col].public_)
            continue;
        bool seen = false;
        for (size_t j = first; j < i && !seen; j++)
            seen = snap->versions[snap->assets[j].version].collection == col;
        found += !seen;
        last = col;
    }
    out->matches_more += found ? found : 1;
}

/* Ranks the candidates of the hits gathered so far and tries the best:
 * up to max_matches of them (the best explanations of the file, which may
 * be alternatives for one region), then any that explains a region of the
 * file none before explains (a bundle of many assets: each is a match),
 * up to LP_MAX_FILE_MATCHES matches in all. Each match is also credited to
 * every other collection holding its asset. */
static lp_err try_best(struct lp_matcher *m, const struct lp_snapshot *snap,
                       const struct lp_match_options *opt,
                       const struct lp_analysis *a, struct lp_file_result *out)
{
    /* A candidate needs min_votes shared fingerprints in a stream (all of
     * them for a file with fewer); a stream without a fingerprint that
     * counts takes no part. */
    uint32_t minv[2];
    for (int s = 0; s < 2; s++)
        minv[s] = !m->eligible[s] ? UINT32_MAX
                  : opt->min_votes < m->eligible[s] ? opt->min_votes
                                                    : (uint32_t)m->eligible[s];
    if (!m->eligible[0] && !m->eligible[1])
        return LP_OK;
    lp_err err = rank_candidates(m, snap->nblobs, minv);
    if (!err)
        prefer_named(m, snap, out->path);
    m->nreg = 0;
    size_t primary = 0, idle = 0;
    bool stamped = false;
    for (size_t i = 0; !err && i < m->ncands; i++) {
        const struct cand *c = &m->cands[i];
        /* Past max_matches, only another region of the file. */
        if (primary >= opt->max_matches &&
            fresh_evidence(m, a, c) < opt->min_span_fp)
            continue;
        if (out->nmatches >= LP_MAX_FILE_MATCHES) {
            if (!stamped && m->linstamp && ++m->stamp == 0) {
                memset(m->linstamp, 0, m->caplinstamp * sizeof *m->linstamp);
                m->stamp = 1;
            }
            stamped = true;
            count_more(m, snap, c, out);
            continue;
        }
        if (idle >= 8u * opt->max_matches)
            break; /* as many tries as before found nothing more */
        choose_version(m, snap, i);
        size_t before = out->nmatches;
        err = try_candidate(m, snap, opt, a, &m->cands[i], out);
        if (err || out->nmatches == before) {
            idle++;
            continue;
        }
        idle = 0;
        primary++;
        err = attach_alts(m, snap, i, out, before);
        if (!err)
            err = add_regions(m, &out->matches[before]);
        if (!err)
            err = credit_collections(snap, out, before);
    }
    return err;
}

/* A file left without a match that shares min_votes fingerprints or more
 * with the registry through licence text is noted as licence-only, with
 * the licence most of them come from. */
static void note_licence(const struct lp_matcher *m,
                         const struct lp_match_options *opt,
                         struct lp_file_result *out)
{
    out->licence = 0;
    out->licence_nfp = 0;
    if (out->nmatches || !m->lic.total || m->lic.total < opt->min_votes)
        return;
    out->licence = (uint16_t)tally_best(&m->lic);
    out->licence_nfp = m->lic.total;
}

static void drop_matches(struct lp_file_result *out)
{
    for (size_t i = 0; i < out->nmatches; i++) {
        lp_free(out->matches[i].spans);
        lp_free(out->matches[i].asset);
        lp_free(out->matches[i].alts);
    }
    out->nmatches = 0;
    out->matches_more = 0;
}

bool lp_match_licence_exact(const struct lp_analysis *a,
                            struct lp_file_result *out)
{
    struct tally t = {0};
    for (size_t i = 0; i < a->nfp; i++) {
        unsigned id = lp_licence_lookup(a->fp[i].hash);
        if (id)
            tally_add(&t, id);
    }
    if (!a->nfp || 10 * (size_t)t.total < LP_LICENCE_EXACT_TENTHS * a->nfp)
        return false;
    if (out) {
        drop_matches(out);
        out->licence = (uint16_t)tally_best(&t);
        out->licence_nfp = t.total;
    }
    return true;
}

lp_err lp_match_file(struct lp_matcher *m, const lp_registry *reg,
                     const struct lp_snapshot *snap,
                     const struct lp_match_options *opt,
                     const struct lp_analysis *a, struct lp_file_result *out)
{
    m->nhits = 0;
    m->nlstart = 0; /* a new file: its line index is built again */
    m->nfp = a->nfp;
    m->ext_reg = reg;
    m->eligible[0] = m->eligible[1] = 0;
    if (!a->nfp)
        return LP_OK;
    m->lic.total = 0;
    m->lic.n = 0;
    m->no_licence = opt->no_licence;
    lp_err err = gather_hits(m, reg, snap, a, 0, a->nfp);
    if (!err && a->nafp)
        err = gather_hits(m, reg, snap, a, a->nfp, a->nfp + a->nafp);
    if (!err)
        err = try_best(m, snap, opt, a, out);
    if (!err)
        note_licence(m, opt, out);
    return err;
}

bool lp_match_wants_abstract(const struct lp_file_result *r)
{
    return !r->nmatches ||
           (!r->matches[0].exact &&
            r->matches[0].similarity < LP_ABSTRACT_BELOW);
}

lp_err lp_match_abstract(struct lp_matcher *m, const lp_registry *reg,
                         const struct lp_snapshot *snap,
                         const struct lp_match_options *opt,
                         const struct lp_analysis *a,
                         struct lp_file_result *out)
{
    if (!a->nafp || m->nfp != a->nfp)
        return LP_OK;
    m->ext_reg = reg;
    m->nlstart = 0;
    lp_err err = gather_hits(m, reg, snap, a, a->nfp, a->nfp + a->nafp);
    if (err)
        return err;
    drop_matches(out);
    err = try_best(m, snap, opt, a, out);
    if (!err)
        note_licence(m, opt, out);
    return err;
}
