/* SPDX-License-Identifier: Apache-2.0
 *
 * scan: the result model of a scan, shared by match (which fills per-file
 * results), verdict (which fills scope and verdict) and report (which renders
 * it). Everything is owned by the lp_scan and freed by lp_scan_free().
 */
#ifndef LP_SCAN_H
#define LP_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "classify.h"
#include "listing.h"
#include "secrets.h"
#include "hash.h"
#include "leakprint.h"
#include "registry.h"
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
    uint32_t blob;
    uint32_t collection; /* index into snapshot collections */
    uint32_t version;    /* index into snapshot versions: newest holding it */
    const char *asset;   /* borrowed from the snapshot */
    double similarity;   /* share of the file's evidence explained */
    double coverage;     /* share of the asset's fingerprints found */
    uint32_t nfp;        /* distinct target fingerprints matched */
    double evidence;     /* their weights, summed (see match.h) */
    bool exact;
    uint16_t tlsh; /* TLSH distance + 1 to the asset (binaries), 0: none */
    struct lp_span *spans;
    size_t nspans;
};

struct lp_file_result {
    const char *path; /* logical path: borrowed from the scan's walk list,
                         or owned (own_path) for an archive member */
    bool own_path;
    uint8_t sha[LP_SHA256_LEN];
    uint64_t size;
    uint8_t kind; /* enum lp_kind */
    uint32_t nfp; /* fingerprints of the file */
    struct lp_match *matches;
    size_t nmatches;
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
};

/* A directory of a collection (its first two path components, "." for
 * files at the top): assets matched, and files of the best version. */
struct lp_dir_share {
    char *dir;
    uint32_t matched, total;
};

struct lp_scope {
    uint32_t collection; /* index into snapshot collections */
    uint32_t assets_matched;
    uint32_t assets_total;
    uint64_t bytes_matched;
    uint64_t bytes_total;
    double coverage;
    uint32_t best_version;  /* index into snapshot versions */
    uint32_t *consistent;   /* version indices, oldest first */
    size_t nconsistent;
    struct lp_dir_share *dirs; /* most matched first */
    size_t ndirs;
};

enum lp_level {
    LP_LEVEL_NONE = 0,
    LP_LEVEL_UNLIKELY = 1,
    LP_LEVEL_LIKELY = 2,
    LP_LEVEL_CONFIRMED = 3,
};

struct lp_scan {
    struct lp_snapshot *snap;
    struct lp_walk_list walk; /* the files scanned; owns their paths */
    char *registry_path;
    struct lp_file_result *files; /* in walk order, archive members in
                                     archive order */
    size_t nfiles;
    size_t nerrors;
    struct lp_skip *skips; /* inputs not read, sorted by path */
    size_t nskips;
    int secrets_mode;               /* enum lp_secrets_mode */
    struct lp_secrets_engine *engine; /* when secrets are looked for */
    struct lp_secrets_config *cfg;    /* the organisation's, or empty */
    struct lp_baseline *baseline;     /* findings not to report again */
    size_t nsecrets, nexposures;
    size_t nbaselined; /* findings left out as in the baseline */
    bool linked;       /* secrets were looked up in the registry */
    struct lp_secret_known *known; /* those found there, by fingerprint */
    size_t nknown;
    uint64_t bytes;
    size_t files_matched;
    struct lp_scope *scope; /* by decreasing assets_matched */
    size_t nscope;
    enum lp_level level;
    double confidence;
    char summary[512];
};

/* Name of a verdict level as in CONTRACT.md. */
const char *lp_level_name(enum lp_level level);

/* Name of a span tag: exact, normalized, renamed. */
const char *lp_how_name(enum lp_how how);

/* Fills scope, level, confidence and summary from the file results
 * (verdict.c). LP_ENOMEM on failure. */
lp_err lp_verdict_compute(struct lp_scan *scan);

#endif
