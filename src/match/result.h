/* SPDX-License-Identifier: Apache-2.0
 *
 * result: the result model of a scan. Plain data: per-file results (filled
 * by match), scope and verdict (filled by verdict), secrets and exposures,
 * skipped inputs, and the names they refer to (collections, versions and
 * rules, copied from the registry's snapshot and the secrets engine). It
 * holds no engine, registry or runtime handle, so report writers need
 * nothing else, and a JSONL report can be read back into it. Everything is
 * owned by the lp_scan and freed by lp_scan_free().
 */
#ifndef LP_RESULT_H
#define LP_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "classify.h"
#include "hash.h"
#include "leakprint.h"
#include "limits.h"
#include "listing.h"
#include "registry.h"
#include "secrets.h"
#include "walk.h"

enum lp_how { LP_HOW_EXACT = 0, LP_HOW_NORMALIZED = 1, LP_HOW_RENAMED = 2 };

struct lp_span {
    uint32_t lines[2];       /* target lines, inclusive */
    uint32_t asset_lines[2]; /* asset lines, inclusive */
    uint32_t nfp;            /* fingerprints supporting it */
    float evidence;          /* their weights, summed (see match.h) */
    uint8_t how;             /* enum lp_how */
    uint32_t pages[2];       /* target pages of a document, or 0 */
};

struct lp_match {
    uint32_t blob;       /* in the registry the scan was made against */
    uint32_t collection; /* index into the scan's collections */
    uint32_t version;    /* index into the scan's versions: newest holding
                            it */
    char *asset;         /* owned */
    double similarity;   /* share of the file's evidence explained */
    double coverage;     /* share of the asset's fingerprints found */
    uint32_t nfp;        /* distinct target fingerprints matched */
    double evidence;     /* their weights, summed (see match.h) */
    bool exact;
    uint16_t tlsh; /* TLSH distance + 1 to the asset (binaries), 0: none */
    struct lp_span *spans;
    size_t nspans;
    /* Blobs of other versions of the same file that explain the file as
     * well and hold no content it lacks (dating: their versions are
     * consistent with it too); owned, may be NULL. Not in the reports. */
    uint32_t *alts;
    size_t nalts;
};

struct lp_file_result {
    const struct lp_scan *scan; /* the scan it belongs to (its names) */
    char *path; /* logical path, owned */
    uint8_t sha[LP_SHA256_LEN];
    uint64_t size;
    uint8_t kind; /* enum lp_kind */
    uint32_t nfp; /* fingerprints of the file */
    struct lp_match *matches;
    size_t nmatches;
    /* Matches found beyond LP_MAX_FILE_MATCHES, not reported (at least
     * this many). */
    uint32_t matches_more;
    /* No match, but content shared with the registry that is licence text
     * only (the built-in background, licence.h): the licence most of it
     * comes from (lp_licence_name()), and the fingerprints shared; 0 when
     * not so. Never evidence. */
    uint16_t licence;
    uint32_t licence_nfp;
    bool failed; /* could not be read */
    /* A file listing (kind LP_KIND_LISTING): its format, its file entries
     * and the collections whose paths it names (NULL when none). */
    uint8_t doc;            /* enum lp_doc: a document's format, or 0 */
    uint8_t listing_format; /* enum lp_listing_format */
    uint32_t listing_files;
    struct lp_listing_result *listing;
    struct lp_secret_finding *secrets; /* secrets and exposures, in order
                                          of place */
    size_t nsecrets;
    /* A blob of a git history (lp_scan_options.history), or a member of
     * one: the oldest commit that holds it, and that commit's time. */
    bool has_commit;
    uint8_t commit[20];
    int64_t commit_time;
    /* The text as matched (lp_scan_options.keep_text), owned; NULL when
     * not kept. Its lines are those the spans number; it may stop a few
     * lines past the last line of any span (what a report can show). */
    char *text;
    size_t tlen;
};

/* A directory of a collection (its first two path components, "." for
 * files at the top): assets matched, and files of the best version. */
struct lp_dir_share {
    char *dir;
    uint32_t matched, total;
};

struct lp_scope {
    uint32_t collection; /* index into the scan's collections */
    uint32_t assets_matched;
    uint32_t assets_total;
    uint64_t bytes_matched;
    uint64_t bytes_total;
    double coverage;
    uint32_t best_version;  /* index into the scan's versions */
    uint32_t *consistent;   /* version indices, oldest first */
    size_t nconsistent;
    struct lp_dir_share *dirs; /* most matched first */
    size_t ndirs;
};


/* A collection, a version and a secrets rule, as the results name them:
 * the registry's collections and versions in the snapshot's order (match
 * and scope indices point here), the engine's rules in its order. */
struct lp_res_collection {
    char *name;
    bool public_;
};

struct lp_res_version {
    char *name;
    int64_t created; /* unix time */
    uint32_t collection;
};

struct lp_res_rule {
    char *id;       /* "aws-access-key-id" */
    char *format;   /* "AWS access key ID" */
    char *category; /* "cloud-credential" */
    unsigned flags; /* enum lp_rule_flags (LP_RULE_EXPOSURE) */
};

/* A secret that the protected material holds too: where (up to
 * LP_KNOWN_MAX "collection:path", newest versions first), the newest
 * version holding it, and whether that is its collection's newest (the
 * secret is still there: rotate it). */
#define LP_KNOWN_MAX 10
struct lp_secret_known {
    char fp[65];
    bool still_present;
    char version[160]; /* "collection version" */
    char *in[LP_KNOWN_MAX];
    size_t nin;
};

struct lp_scan {
    char *registry_path;           /* "" without a registry */
    uint64_t nassets;              /* the registry's paths, all versions */
    struct lp_res_collection *collections;
    size_t ncollections;
    struct lp_res_version *versions;
    size_t nversions;
    struct lp_res_rule *rules;     /* when secrets were sought */
    size_t nrules;
    struct lp_file_result *files;  /* in walk order, archive members in
                                      archive order */
    size_t nfiles;
    size_t nerrors;
    struct lp_skip *skips; /* inputs not read, sorted by path */
    size_t nskips;
    int secrets_mode;      /* enum lp_secrets_mode */
    size_t nsecrets, nexposures;
    size_t nbaselined; /* findings left out as in the baseline */
    bool linked;       /* secrets were looked up in the registry */
    char key_id[17];   /* the fingerprints' key id ("" without secrets) */
    int key_source;    /* enum lp_key_source */
    struct lp_secret_known *known; /* those found there, by fingerprint */
    size_t nknown;
    uint64_t bytes;
    size_t files_matched;
    struct lp_scope *scope; /* by decreasing assets_matched */
    size_t nscope;
    enum lp_level level;
    double confidence;
    char summary[512];
    char errmsg[LP_MAX_PATH + 512]; /* why the scan failed, or "" */
    /* Files scanned when `files` does not hold them one each: a result
     * read back from a JSONL report (jsonl_read.h) holds only the files
     * the report names. 0: nfiles. Read through lp_result_files_scanned(). */
    size_t nscanned;
};

/* A new, empty result (registry_path "", no names); NULL when out of
 * memory. Freed with lp_scan_free(). */
struct lp_scan *lp_result_new(void);

/* Copies the snapshot's collections and versions (names, dates) into the
 * result, in the snapshot's order, and its path count; LP_ENOMEM. */
lp_err lp_result_names(struct lp_scan *s, const struct lp_snapshot *snap,
                       const char *registry_path);

/* Copies the engine's rules (id, format, category, flags) into the
 * result, in the engine's order; LP_ENOMEM. */
lp_err lp_result_rules(struct lp_scan *s, const struct lp_secrets_engine *e);

/* The rule of a finding: borrowed from s; NULL for an index out of range. */
const struct lp_res_rule *lp_result_rule(const struct lp_scan *s,
                                         uint32_t rule);

/* The registry's knowledge of the secret whose fingerprint is fp, or NULL
 * when it holds none (or was not asked). Borrowed from s. */
const struct lp_secret_known *lp_result_known(const struct lp_scan *s,
                                              const char *fp);

/* Files the scan read, wholly or in part: nscanned when set, else the
 * files not marked failed (those are counted in nerrors only). */
size_t lp_result_files_scanned(const struct lp_scan *s);

/* Frees what a known entry holds (its places). */
void lp_secret_known_release(struct lp_secret_known *k);

/* Frees what a file result holds and zeroes it. Accepts NULL. */
void lp_file_result_release(struct lp_file_result *r);

/* Whether match k of f counts in the scope of its collection: it is the
 * file's first match of that collection, or it explains a region of the
 * file of its own (less than half of its spans' lines lie in the spans of
 * the file's earlier matches of that collection): a bundle of headers
 * holds many assets, each counted; alternatives for one region count
 * once. */
bool lp_match_in_scope(const struct lp_file_result *f, size_t k);

/* The name of the licence f shares with the registry when that is all it
 * shares (no match, some licence text: the reports' "licence only", never
 * evidence), else NULL. */
const char *lp_file_licence_only(const struct lp_file_result *f);

/* Name of a verdict level as in CONTRACT.md. */
const char *lp_level_name(enum lp_level level);

/* Name of a span tag: exact, normalized, renamed. */
const char *lp_how_name(enum lp_how how);

/* Fills scope, level, confidence and summary from the file results and
 * the snapshot they were matched against (verdict.c). LP_ENOMEM on
 * failure. */
lp_err lp_verdict_compute(struct lp_scan *scan, const struct lp_snapshot *snap);

#endif
