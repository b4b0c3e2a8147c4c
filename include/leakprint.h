/* SPDX-License-Identifier: Apache-2.0
 *
 * leakprint.h: the public interface of libleakprint.
 *
 * A registry (lp_registry) holds fingerprints of protected material. lp_add()
 * registers files into it; lp_scan_run() compares suspect material against it
 * and returns an lp_scan result that lp_report_write() renders as text, JSON
 * or JSONL. Handles are opaque. Functions that can fail return lp_err; the
 * detail (path first, then the reason) is on the handle's errmsg.
 *
 * Threads: one lp_registry may be shared by many threads for reading; lp_add()
 * is the only writer and takes the registry's lock for its whole duration.
 */
#ifndef LEAKPRINT_H
#define LEAKPRINT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define LP_API __attribute__((visibility("default")))
#else
#define LP_API
#endif

#define LP_VERSION_STRING "0.1.0"

/* Error codes: never renumbered nor reused. */
typedef enum lp_err {
    LP_OK = 0,
    LP_ENOMEM = 1,       /* allocation failed */
    LP_EIO = 2,          /* a read, write or system call failed */
    LP_EINVAL = 3,       /* caller bug or bad argument */
    LP_EFORMAT = 4,      /* input not understood */
    LP_ECORRUPT = 5,     /* registry damaged (checksum, structure) */
    LP_ELIMIT = 6,       /* a configured cap was hit */
    LP_ENOTFOUND = 7,    /* no such registry, collection, path */
    LP_EEXIST = 8,       /* already exists */
    LP_EUNSUPPORTED = 9, /* input kind or format not supported */
    LP_EABORTED = 10,    /* a callback asked to stop */
    LP_EBUSY = 11,       /* another writer holds the registry lock */
} lp_err;

/* Name of an error code, a static string. */
LP_API const char *lp_strerror(lp_err err);

/* Version of the library, a static string such as "0.1.0". */
LP_API const char *lp_version(void);

/* ---- registry ---------------------------------------------------------- */

typedef struct lp_registry lp_registry;

enum lp_registry_open_flags {
    LP_REGISTRY_WRITE = 1 << 0,  /* take the writer lock (needed by add, remove) */
    LP_REGISTRY_CREATE = 1 << 1, /* create the directory if missing */
};

/* Opens the registry directory `dir`. On success *out is a handle to close
 * with lp_registry_close(). On failure *out is still set when memory allowed
 * it, so that lp_registry_errmsg() can tell why; close it as well. */
LP_API lp_err lp_registry_open(const char *dir, unsigned flags,
                               lp_registry **out);

/* Closes a registry; accepts NULL. */
LP_API void lp_registry_close(lp_registry *reg);

/* Last error's detail (borrowed; valid until the next call on `reg`). */
LP_API const char *lp_registry_errmsg(const lp_registry *reg);

/* ---- add ----------------------------------------------------------------- */

/* What `add` reads from a git repository (lp_add_options.history). */
enum lp_history {
    LP_HISTORY_WALK = 0, /* no git: the files under the paths, as on disk */
    LP_HISTORY_NONE = 1, /* the HEAD commit's tree: one version */
    LP_HISTORY_TAGS = 2, /* every tag's tree: a version each */
    LP_HISTORY_ALL = 3,  /* every commit on every branch: a version each */
};

/* How inputs are read, for add and scan alike; 0 (or NULL) everywhere
 * gives the defaults of src/limits.h. Every limit is enforced while
 * archives are streamed; what it stops is named as skipped. */
struct lp_input_options {
    unsigned max_depth;     /* archives nested in archives (16) */
    uint64_t max_expanded;  /* bytes one input may expand to (16 GiB) */
    uint32_t max_ratio;     /* expanded bytes per input byte (250) */
    uint64_t max_entries;   /* archive members of one input (2,000,000) */
    uint64_t max_line;      /* bytes of one line; a file is read up to the
                               line before a longer one (8 MiB) */
    uint32_t max_path;      /* bytes of an archive member's logical path
                               (4096, also the most) */
    const char *const *passwords; /* for encrypted archives, tried in turn */
    size_t npasswords;
    int follow_symlinks;    /* follow symbolic links in directories */
    /* The 7-Zip program (Debian's 7zz) that reads encrypted 7z and RAR
     * archives, which libarchive cannot decrypt: its path, run as given
     * (the PATH is not searched) with the process's environment. NULL:
     * none; such archives are then named as skipped (encrypted). */
    const char *sevenzip;
    /* Non-zero: never read small files ahead in batches through io_uring
     * (the results are the same; only the system calls differ). 0:
     * io_uring is used where the kernel allows it. */
    int no_io_uring;
};

struct lp_add_options {
    const char *name;    /* collection name; NULL: last component of path */
    const char *version; /* version label; NULL: UTC timestamp, or for git
                            the tag name or commit id */
    int history;         /* enum lp_history; a git history needs exactly one
                            path, a repository */
    int public_;         /* background (third-party) material */
    int jobs;            /* worker threads; 0: number of cores */
    /* Called about every 200 ms while files are read (may be NULL), from
     * one worker at a time; the library itself never prints. A non-zero
     * return stops the run: lp_add() then fails with LP_EABORTED. */
    int (*progress)(void *ctx, size_t done, size_t total);
    void *progress_ctx;
    uint64_t max_file_size; /* larger files are skipped; 0: 64 MiB */
    uint64_t max_versions;  /* a git history with more new versions is
                               refused (LP_ELIMIT); 0: 10000 */
    struct lp_input_options input;
    /* A directory, which must exist, where the compiled database of the
     * secret rules (about 1 MB, a second or more to compile) is kept
     * between runs; the library creates no directory. NULL: no cache,
     * the rules are compiled at every call. Unused with public_. */
    const char *cache_dir;
};

struct lp_add_stats {
    uint64_t versions;    /* versions registered (git: those not already) */
    uint64_t files;       /* files registered under the new versions */
    uint64_t bytes;       /* their total size */
    uint64_t new_blobs;   /* contents not seen before */
    uint64_t fingerprints;/* fingerprints written */
    uint64_t skipped;     /* files that could not be read (see stderr) */
};

/* Registers every file under `paths` as one new version of the collection,
 * or (opt->history) the commits of a git repository as versions dated by
 * their commits; versions already registered are left as they are.
 * Needs a registry opened with LP_REGISTRY_WRITE. Errors on individual files
 * are reported through `warn` (may be NULL) and counted in stats->skipped. */
LP_API lp_err lp_add(lp_registry *reg, const struct lp_add_options *opt,
                     const char *const *paths, size_t npaths,
                     void (*warn)(void *ctx, const char *msg), void *warn_ctx,
                     struct lp_add_stats *stats);

/* Removes a collection (all its versions). LP_ENOTFOUND if it has none. */
LP_API lp_err lp_remove(lp_registry *reg, const char *name);

/* ---- list and stats ------------------------------------------------------ */

/* Writes the list of collections, or the registry statistics, to `fp` as
 * text or, when `json` is set, as a JSON document. */
LP_API lp_err lp_list_write(lp_registry *reg, int json, FILE *fp);
LP_API lp_err lp_stats_write(lp_registry *reg, int json, FILE *fp);

/* ---- scan ---------------------------------------------------------------- */

typedef struct lp_scan lp_scan;

struct lp_scan_options {
    double min_similarity; /* files below it are not reported, unless a span
                              of at least min_span_lines was found */
    int jobs;              /* worker threads; 0: number of cores */
    /* Called about every 200 ms while files are scanned (may be NULL),
     * from one worker at a time. A non-zero return stops the run:
     * lp_scan_run() then fails with LP_EABORTED. */
    int (*progress)(void *ctx, size_t done, size_t total);
    void *progress_ctx;
    int max_matches;       /* matches kept per file; 0: default (3) */
    uint64_t max_file_size; /* larger files are skipped; 0: 64 MiB */
    struct lp_input_options input;
    int secrets;            /* enum lp_secrets_mode */
    /* With secrets: the organisation's YAML configuration, an earlier JSON
     * report whose findings are not reported again, and where to write
     * this run's report as the next baseline (each may be NULL). */
    const char *secrets_config;
    const char *baseline;
    const char *write_baseline;
    /* enum lp_history: LP_HISTORY_ALL also reads, in a target that is a git
     * repository, the blobs of every commit of any ref that the current
     * files do not hold (each path and content once, with the commit that
     * introduced it); anything else reads the current files only. */
    int history;
    /* Where a reason goes when the run fails without a registry (reg NULL,
     * secrets only); may be NULL. */
    char *err;
    size_t errlen;
    /* With secrets: where the compiled rules are kept between runs, as
     * lp_add_options.cache_dir (NULL: compiled at every run). */
    const char *cache_dir;
};

/* What lp_scan_run() looks for (lp_scan_options.secrets). */
enum lp_secrets_mode {
    LP_SECRETS_OFF = 0,  /* protected code only */
    LP_SECRETS_ALSO = 1, /* protected code and secrets */
    LP_SECRETS_ONLY = 2, /* secrets only: the registry may be NULL */
};

/* Scans `targets` (files, directories, archives, git repositories, "-")
 * against the registry, and for secrets when opt->secrets asks (with
 * LP_SECRETS_ONLY, reg may be NULL: a failure is then said in opt->err).
 * The result is returned even when some inputs could not be read; they
 * went to `warn` and lp_scan_errors() counts them. Caller frees with
 * lp_scan_free(). */
LP_API lp_err lp_scan_run(lp_registry *reg, const struct lp_scan_options *opt,
                          const char *const *targets, size_t ntargets,
                          void (*warn)(void *ctx, const char *msg),
                          void *warn_ctx, lp_scan **out);

LP_API void lp_scan_free(lp_scan *scan);

/* The rules `secrets` would use with the configuration at `config` (may
 * be NULL: the built-in ones), in order: each to fn with its id,
 * category and named format. A one-line reason in err on failure. */
LP_API lp_err lp_secrets_list_rules(const char *config,
                                    void (*fn)(void *ctx, const char *id,
                                               const char *category,
                                               const char *format),
                                    void *ctx, char *err, size_t errlen);

/* Number of secrets found (lp_scan_options.secrets). */
LP_API size_t lp_scan_secrets(const lp_scan *scan);

/* Number of inputs that could not be read. */
LP_API size_t lp_scan_errors(const lp_scan *scan);

/* How sure a scan is that the material is the registry's (docs/VERDICT.md). */
enum lp_level {
    LP_LEVEL_NONE = 0,      /* no file matched */
    LP_LEVEL_UNLIKELY = 1,  /* only weak matches */
    LP_LEVEL_LIKELY = 2,    /* at least one strong match */
    LP_LEVEL_CONFIRMED = 3, /* strong matches that are not lost in it */
};

/* Verdict level of a finished scan. */
LP_API enum lp_level lp_scan_level(const lp_scan *scan);

/* Renders a scan as "text", "json" or "jsonl" to `fp`. `color` enables ANSI
 * colours in text. LP_EINVAL for an unknown format. */
LP_API lp_err lp_report_write(const lp_scan *scan, const char *format,
                              int color, FILE *fp);

#ifdef __cplusplus
}
#endif
#endif
