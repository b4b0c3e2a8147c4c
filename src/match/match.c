/* SPDX-License-Identifier: Apache-2.0
 *
 * match: exact hits, fingerprint votes and span alignment (see match.h).
 */
#include "match.h"

#include <stdlib.h>
#include <string.h>

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

struct hit {
    uint32_t blob;
    uint32_t fp; /* index of the target fingerprint */
    uint32_t af, al;
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
    struct lp_line_range *ranges; /* lines of a match's fingerprints */
    size_t capranges;
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
    lp_free(m->ranges);
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

/* Pairs arrive almost sorted (fingerprints come in file order): insertion
 * sort costs O(n + inversions) there; lp_sort takes over when it is not. */
static void sort_pairs(struct lp_pair *p, size_t n)
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
                lp_sort(p, n, sizeof *p, cmp_pairs);
                return;
            }
        }
        p[j] = x;
    }
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
 * never a leak), when it is boilerplate (in more than
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
 * registered), its newest version holding the blob, and among the paths the
 * blob has there (identical files at several places) the one whose end
 * matches the scanned file's path best. Returns false when only public
 * collections (or none) hold it. */
static bool pick_asset(const struct lp_snapshot *snap, uint32_t blob,
                       const char *target, struct lp_match *mt)
{
    size_t first, n = lp_snapshot_assets(snap, blob, &first), best_suffix = 0;
    bool found = false;
    for (size_t i = first; i < first + n; i++) {
        const struct lp_snap_asset *as = &snap->assets[i];
        const struct lp_snap_version *v = &snap->versions[as->version];
        if (snap->collections[v->collection].public_)
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

/* Information weight of a match whose hits are [from, to), of `evidence`:
 * the distinct words on the lines that hold its fingerprints (the text
 * that matched) per fingerprint of evidence, at most 1. Real code has a
 * word or more for each; a list of `case 'A':` has one for all. */
static lp_err match_info(struct lp_matcher *m, const struct lp_analysis *a,
                         size_t from, size_t to, double evidence, double *info)
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
    size_t want = evidence < 1 ? 1 : (size_t)(evidence + 0.999);
    size_t words = lp_region_words(a->text, a->tlen, m->ranges, n, want);
    *info = evidence > 0 && (double)words < evidence ? (double)words / evidence : 1;
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
 *   long-span rule again; a build file is not matched there at all. */
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
        for (size_t i = 0; i < ns; i++)
            if (m->spans[i].how == how || !mine)
                tokens += lp_region_tokens(a->text, a->tlen,
                                           m->spans[i].lines[0],
                                           m->spans[i].lines[1]);
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
    double f;
    lp_err err = match_info(m, a, from, to, evidence, &f);
    if (err)
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
    return push_match(out, &mt, &whole, 1);
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
    return push_match(out, &mt, NULL, 0);
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

/* Ranks the candidates of the hits gathered so far and tries the best. */
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
    for (size_t i = 0; !err && i < m->ncands && i < 8u * opt->max_matches;
         i++) {
        if (out->nmatches >= opt->max_matches)
            break;
        err = try_candidate(m, snap, opt, a, &m->cands[i], out);
    }
    return err;
}

lp_err lp_match_file(struct lp_matcher *m, const lp_registry *reg,
                     const struct lp_snapshot *snap,
                     const struct lp_match_options *opt,
                     const struct lp_analysis *a, struct lp_file_result *out)
{
    m->nhits = 0;
    m->nfp = a->nfp;
    m->eligible[0] = m->eligible[1] = 0;
    if (!a->nfp)
        return LP_OK;
    lp_err err = gather_hits(m, reg, snap, a, 0, a->nfp);
    if (!err && a->nafp)
        err = gather_hits(m, reg, snap, a, a->nfp, a->nfp + a->nafp);
    return err ? err : try_best(m, snap, opt, a, out);
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
    lp_err err = gather_hits(m, reg, snap, a, a->nfp, a->nfp + a->nafp);
    if (err)
        return err;
    for (size_t i = 0; i < out->nmatches; i++) {
        lp_free(out->matches[i].spans);
        lp_free(out->matches[i].asset);
    }
    out->nmatches = 0;
    return try_best(m, snap, opt, a, out);
}
