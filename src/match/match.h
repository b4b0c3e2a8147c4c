/* SPDX-License-Identifier: Apache-2.0
 *
 * match: compares one analyzed file with the registry.
 *
 * 1. exact: the file's SHA-256 names a registered blob;
 * 2. lookup: each fingerprint is looked up in the segments and weighed
 *    (evidence weighting, docs/VERDICT.md): one that a --public collection
 *    holds weighs 0 and is dropped (third-party code is never a leak), as
 *    is one found in more than LP_MAX_FILES_PER_HASH files of the registry
 *    (boilerplate) or in more than LP_MAX_PLACES_PER_FILE places of one
 *    file (a table's row); one found in more than LP_WEIGHT_FULL_FILES files
 *    weighs LP_WEIGHT_FULL_FILES / files, any other 1. Files are counted
 *    as lineages (collection and path), so the versions of a file count
 *    once;
 * 3. candidates: blobs ranked by the summed weights of the distinct
 *    fingerprints of the file they share (evidence); a match's similarity
 *    is its evidence over the weights of all the file's fingerprints;
 * 4. alignment: for the best candidates, the matched fingerprint pairs
 *    (target lines, asset lines) are chained, in target order, into spans
 *    whose line offset drifts slowly (reformatting adds or removes lines, so
 *    the offset may change by a few lines between neighbours, never jump).
 *
 * A matcher holds one worker's scratch buffers.
 */
#ifndef LP_MATCH_H
#define LP_MATCH_H

#include <stdbool.h>

#include "analyze.h"
#include "registry.h"
#include "result.h"

/* One fingerprint common to the target and an asset. */
struct lp_pair {
    uint32_t tf, tl; /* target lines */
    uint32_t af, al; /* asset lines */
    uint32_t fp;     /* index of the target fingerprint */
    /* chaining state, set by lp_spans_build(): chain length (0 once the
     * pair is taken into a span), predecessor, best score up to here, the
     * next older pair of its diagonal band (best and link are then reused
     * as the counting sort's arrays) */
    uint32_t score, prev, best, link;
};

/* Tunables of span building (lines). A restyled copy loses its comment
 * blocks and blank lines and gains or loses line breaks, so neighbouring
 * fingerprints may be some lines apart on one side and not the other. */
#define LP_SPAN_GAP 40   /* largest hole inside a span, on either side */
#define LP_SPAN_DRIFT 40 /* largest change of offset between neighbours */

struct lp_match_options {
    double min_similarity; /* report below it only with a long span */
    unsigned min_span_fp;  /* fingerprints of a span that is reported alone */
    unsigned min_votes;    /* fewer shared fingerprints are never reported */
    unsigned max_matches;  /* matches kept per file */
    bool no_licence;       /* licence text weighs as any other (no built-in
                              background, licence.h) */
    /* Tokens the aligned region of a match holds at least, on 3 lines or
     * more unless it holds 3 times as many (0: LP_MIN_MATCH_TOKENS); not
     * asked of a file that is most of a registered one. */
    unsigned min_tokens;
};

/* Default of min_tokens: two dense lines (a pair of MIN/MAX macros) are
 * not a copy, however many fingerprints they yield. */
#define LP_MIN_MATCH_TOKENS 40
#define LP_MIN_MATCH_LINES 3
/* Matches below this similarity have their regions weighed by how
 * informative they are (region.h); stronger ones are not looked at. */
#define LP_INFO_CHECK_BELOW 0.5

struct lp_matcher;

lp_err lp_matcher_new(struct lp_matcher **out);
void lp_matcher_free(struct lp_matcher *m);

/* Exact stage: when the file's SHA-256 names a registered content, sets
 * *exact; when that content carries evidence (fingerprints, or
 * LP_MIN_EXACT_SIZE bytes) and no public collection holds it, records the
 * identical match (with the blob's own lines and fingerprint count, which
 * are the file's, each weighing 1). Needs only lp_analyze_id() with the
 * SHA-256. LP_OK or LP_ENOMEM. */
/* Binary stage (a->have_tlsh): each match of the file gets its TLSH
 * distance to the matched binary; and the registered binary nearest the
 * file, when within LP_TLSH_SAME_MAX and no public collection holds it,
 * is added as a match of its own if the file has none of it (similarity
 * 1 - distance / 100, no span). Run after the fingerprint stages. LP_OK or
 * LP_ENOMEM. */
lp_err lp_match_tlsh(const struct lp_snapshot *snap,
                     const struct lp_analysis *a, struct lp_file_result *out);

lp_err lp_match_exact(const struct lp_snapshot *snap,
                      const struct lp_analysis *a, struct lp_file_result *out,
                      bool *exact);

/* An identical file that is licence text (prose of whose fingerprints at
 * least LP_LICENCE_EXACT_TENTHS tenths are in the built-in licence
 * background) is no evidence: after lp_match_exact() recorded it and
 * lp_analyze_fp() fingerprinted the file, drops out's matches and notes the
 * file licence-only (out->licence, out->licence_nfp), and returns true;
 * returns false and leaves out alone otherwise. With out NULL, only tells
 * whether a is licence text. */
#define LP_LICENCE_EXACT_TENTHS 9
bool lp_match_licence_exact(const struct lp_analysis *a,
                            struct lp_file_result *out);

/* Fingerprint stage, for a file without an exact match: looks the
 * fingerprints of `a` (of both streams, when it has abstract ones) up and
 * fills out->matches (owned by out; freed by lp_file_result_release()).
 * LP_OK or LP_ENOMEM. */
lp_err lp_match_file(struct lp_matcher *m, const lp_registry *reg,
                     const struct lp_snapshot *snap,
                     const struct lp_match_options *opt,
                     const struct lp_analysis *a, struct lp_file_result *out);

/* A file whose best match explains less than this share of it (or that
 * has none) is looked up again through its abstract stream. */
#define LP_ABSTRACT_BELOW 0.8

/* Least evidence of a match found through the abstract stream alone (the
 * stream of a match is the one with the better similarity). */
#define LP_RENAMED_MIN_EVIDENCE 8
/* ... and explains this share of the file, or of the asset. */
#define LP_RENAMED_MIN_SHARE 0.5

/* Whether r, as lp_match_file() left it, calls for the abstract stream. */
bool lp_match_wants_abstract(const struct lp_file_result *r);

/* Abstract stage, right after lp_match_file() on the same file, once
 * lp_analyze_abstract() has added the abstract fingerprints to `a`: looks
 * them up too and redoes out->matches from both streams. A span found only
 * through the abstract stream is tagged renamed. LP_OK or LP_ENOMEM. */
lp_err lp_match_abstract(struct lp_matcher *m, const lp_registry *reg,
                         const struct lp_snapshot *snap,
                         const struct lp_match_options *opt,
                         const struct lp_analysis *a,
                         struct lp_file_result *out);

/* Chains pairs (sorted here in place) into spans written to out (room for
 * n / min_fp spans, or n when min_fp is 0: chains do not share pairs).
 * Keeps chains of at least `min_fp` fingerprints. A span's evidence sums
 * wt[pair.fp] over its pairs (1 each when wt is NULL). Returns the number
 * of spans, in target order. */
size_t lp_spans_build(struct lp_pair *p, size_t n, unsigned min_fp,
                      const float *wt, struct lp_span *out);

/* Span boundaries (lp_span_extend()): what is known of the asset. held()
 * tells whether the asset holds a fingerprint `hash` of the file's k-gram
 * starting on file line `first`, at asset lines within a few of diagonal
 * `diag` (asset line - file line), and gives that place's lines.
 * prefetch(), which may be NULL, starts loading what held() of `hash` will
 * read, at `stage` 0, 1 then 2 (lp_registry_prefetch()): step 2 hashes a
 * window of k-grams first and asks for them after, so that the misses of
 * their lookups overlap instead of following one another. */
struct lp_span_oracle {
    bool (*held)(void *ctx, uint64_t hash, uint32_t first, int64_t diag,
                 uint32_t *afirst, uint32_t *alast);
    void *ctx;
    void (*prefetch)(void *ctx, uint64_t hash, int stage);
};

/* One stream of the file, as lp_span_extend() reads it: its fingerprints
 * fp[0, nfp) (in stream order), made with k and w of stream `stream` from
 * the tokens tok[0, ntok) (NULL when not known), and the file's and the
 * asset's line counts. *budget caps the calls of held() (decremented).
 * fp[0, nsorted) are in line order (their first and last lines never
 * decrease), which lets a span's neighbours be found by bisection; the
 * rest (code found in comments, a small file's short k-grams) are
 * searched one by one. */
struct lp_span_file {
    const struct lp_fp *fp;
    size_t nfp, nsorted;
    const struct lp_token *tok;
    size_t ntok;
    unsigned k, w;
    enum lp_stream stream;
    uint32_t lines, asset_lines;
    size_t *budget;
    /* the file's tokens are not those of its spans (a code region inside
     * prose): step 2 is not taken, with tokens or without */
    bool no_step2;
};

/* Moves the ends of span sp (found from f's fingerprints) out to the
 * boundaries of the copy: steps 1 and 2 of "span boundaries" in match.c.
 * LP_OK or LP_ENOMEM. */
lp_err lp_span_extend(struct lp_span *sp, const struct lp_span_file *f,
                      const struct lp_span_oracle *o);

/* Sorts sp[0, ns) in file order and merges each span with the next one
 * when they continue one copy: nearly the same diagonal, a gap of at most
 * LP_SPAN_MERGE_GAP lines on each side (step 3 of "span boundaries" in
 * match.c). Returns the spans left. */
#define LP_SPAN_MERGE_GAP (3 * LP_SPAN_GAP)
size_t lp_spans_merge(struct lp_span *sp, size_t ns);

#endif
