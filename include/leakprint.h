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
 * Threads: one lp_registry may be shared by many threads for reading; a
 * registry opened with LP_REGISTRY_WRITE holds the writer's lock until it
 * is closed, and only it may lp_add() or lp_remove().
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

/* Copies s into out (outlen bytes, NUL-terminated) as the reports write a
 * name from input in text (docs/ENCODING.md): a byte of no valid UTF-8, a
 * control character or DEL as \xNN, another character that hides or
 * reorders what a terminal shows as \uNNNN, a backslash as \\. What does
 * not fit is left out, never half an escape. For front ends that echo a
 * name they were given. Returns how many bytes of s were written. */
LP_API size_t lp_escape(const char *s, char *out, size_t outlen);

/* ---- registry ---------------------------------------------------------- */

typedef struct lp_registry lp_registry;

enum lp_registry_open_flags {
    LP_REGISTRY_WRITE = 1 << 0,  /* take the writer lock (needed by add, remove) */
    LP_REGISTRY_CREATE = 1 << 1, /* create the directory if missing (a
                                    failed lp_add removes a registry the
                                    handle created, at close) */
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

enum lp_registry_check_flags {
    /* Rebuild a missing or unreadable MANIFEST from the intact segment
     * files and the metadata (takes the writer lock). */
    LP_CHECK_REPAIR = 1 << 0,
};

/* Checks the registry directory `dir` without opening it as a registry
 * (so that a damaged one can be examined): the metadata's structure
 * (SQLite's quick_check), the manifest, every live segment's checksums
 * and structure, and that each segment entry names a blob the metadata
 * has. Each problem, and each repair made, goes to `report` as a one-line
 * message "'path': what" (borrowed for the call); *problems (may be NULL)
 * counts the problems left. Returns LP_OK when none is left, LP_ECORRUPT
 * when some are, LP_ENOTFOUND when dir holds no registry, LP_EBUSY when a
 * repair cannot take the writer lock, LP_EIO or LP_ENOMEM (each also
 * reported). */
LP_API lp_err lp_registry_check(const char *dir, unsigned flags,
                                void (*report)(void *ctx, const char *msg),
                                void *ctx, size_t *problems);

/* ---- add ----------------------------------------------------------------- */

/* What `add` reads from a git repository (lp_add_options.history). */
enum lp_history {
    LP_HISTORY_WALK = 0, /* no git: the files under the paths, as on disk */
    LP_HISTORY_NONE = 1, /* the HEAD commit's tree: one version */
    LP_HISTORY_TAGS = 2, /* every tag's tree: a version each */
    LP_HISTORY_ALL = 3,  /* every commit on every branch: a version each */
};

/* How inputs are read, for add and scan alike; 0 (or NULL) everywhere
 * gives the defaults of src/base/limits.h. Every limit is enforced while
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
    /* Called about every 200 ms while files are read (may be NULL), on
     * the thread that called lp_add(); the library itself never prints. A
     * non-zero return stops the run before its next input (one being read
     * is finished): lp_add() then fails with LP_EABORTED. */
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
    /* The key of the secrets' fingerprints, a file of 64 hex digits
     * (docs/SECRETS.md), used instead of the registry's own: a registry
     * that has a key must have this one; one without keeps none, so that
     * the key stays apart from it. NULL: the registry's key (secrets.key
     * in its directory), made (mode 0600) when missing. */
    const char *fingerprint_key;
};

struct lp_add_stats {
    uint64_t versions;    /* versions registered (git: those not already) */
    uint64_t files;       /* files registered under the new versions */
    uint64_t bytes;       /* their total size */
    uint64_t new_blobs;   /* contents not seen before */
    uint64_t fingerprints;/* fingerprints written */
    uint64_t skipped;     /* inputs not read, or not wholly (each went to
                             the `warn` callback) */
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

/* lp_add() of targets that may also be the caller's bytes or descriptors
 * (struct lp_target, declared below); each target is one version's file or
 * tree, as a path is for lp_add(). */
struct lp_target;
LP_API lp_err lp_add_targets(lp_registry *reg, const struct lp_add_options *opt,
                             const struct lp_target *targets, size_t n,
                             void (*warn)(void *ctx, const char *msg),
                             void *warn_ctx, struct lp_add_stats *stats);

/* Removes a collection (all its versions). LP_ENOTFOUND if it has none. */
LP_API lp_err lp_remove(lp_registry *reg, const char *name);

/* ---- list and stats ------------------------------------------------------ */

/* Writes the list of collections, or the registry statistics, to `fp` as
 * text or, when `json` is set, as a JSON document. */
LP_API lp_err lp_list_write(lp_registry *reg, int json, FILE *fp);
LP_API lp_err lp_stats_write(lp_registry *reg, int json, FILE *fp);

/* ---- watch terms --------------------------------------------------------- */

/* What a watch term is (struct lp_term_info.kind). */
enum lp_term_kind {
    LP_TERM_COLLECTION = 1, /* a protected collection's name */
    LP_TERM_DOMAIN = 2,     /* the organisation's e-mail domain */
    LP_TERM_HOST = 3,       /* an internal host name, lower-case */
    LP_TERM_IDENT = 4,      /* an identifier distinctive of protected code */
};

/* One watch term; strings borrowed for the callback only. */
struct lp_term_info {
    int kind;               /* enum lp_term_kind */
    const char *term;
    const char *collection; /* HOST, IDENT: a protected collection holding
                               it (the first by name); COLLECTION: the
                               name; DOMAIN: NULL */
    size_t files;           /* HOST, IDENT: protected contents holding it;
                               otherwise 0 */
};

/* The most watch terms lp_registry_terms() yields when max is 0. */
#define LP_TERMS_DEFAULT_MAX 5000

/* The terms a watcher looks for in what it finds, learnt by the registry
 * at lp_add() (docs/SECRETS.md "What the registry knows"), given to fn in
 * this order: every protected collection's name (by name); the
 * organisation's domains (those of the e-mail addresses in its files, by
 * name); then the internal host names and the identifiers distinctive of
 * its code (docs/FORMAT.md, table term), each once, held by more
 * protected contents first, then longer, then in byte order. An
 * identifier that a public collection's code also holds is left out (it
 * is not the organisation's; lp_add() with public_ records the
 * identifiers of public code for this, not its host names). At most
 * `max` terms in all (0: LP_TERMS_DEFAULT_MAX). A registry made before
 * terms were learnt yields its collections and domains only (and the
 * terms of contents added since). Never a secret's value.
 * fn returns non-zero to stop: LP_EABORTED. Otherwise LP_OK, or LP_EIO,
 * LP_ECORRUPT, LP_ENOMEM with the detail on lp_registry_errmsg(). */
LP_API lp_err lp_registry_terms(lp_registry *reg, size_t max,
                                int (*fn)(void *ctx,
                                          const struct lp_term_info *t),
                                void *ctx);

/* ---- scan ---------------------------------------------------------------- */

typedef struct lp_scan lp_scan;

/* One file's result in a scan (see lp_scan_file()). */
typedef struct lp_file_result lp_file;

/* The --min-similarity of `scan`, and of `watch`'s scans: what a front end
 * sets lp_scan_options.min_similarity to unless told otherwise. */
#define LP_DEFAULT_MIN_SIMILARITY 0.2

struct lp_scan_options {
    double min_similarity; /* files below it are not reported, unless a span
                              of at least min_span_lines was found
                              (LP_DEFAULT_MIN_SIMILARITY: scan's default) */
    int jobs;              /* worker threads; 0: number of cores */
    /* Called about every 200 ms while files are scanned (may be NULL), on
     * the thread that started the scan. A non-zero return stops the run
     * before its next input (one being read, an archive say, is finished):
     * the scan then fails with LP_EABORTED. */
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
    /* Called with each file's result as soon as it is made (may be NULL):
     * from the worker threads, one call at a time, in no fixed order (the
     * finished scan lists the files in input order). The lp_file and the
     * strings it leads to are valid during the call only. Its secrets are
     * those found in it: the finished scan may report fewer (a secret of a
     * git history once per path, none of the baseline). A non-zero return
     * stops the run at once: the scan then fails with LP_EABORTED. */
    int (*on_file)(void *ctx, const lp_file *file);
    void *on_file_ctx;
    /* Called for each input not read, or not wholly, with its logical path
     * and the reason (may be NULL), one call at a time; the finished scan
     * lists them too (lp_scan_skipped()). */
    void (*on_skip)(void *ctx, const char *path, const char *reason);
    void *on_skip_ctx;
    /* With secrets: the key of the fingerprints (docs/SECRETS.md), a file
     * of 64 hex digits. fingerprint_key, when set, is used as given (it
     * must exist; with a registry that has a key, it must be that key).
     * Else the registry's own key (secrets.key in its directory, made by
     * lp_add()); else (no registry, or one made before keys) user_key, a
     * key file made (mode 0600) when missing; else (NULL) a random key for
     * this run alone. lp_scan_key_id() says which was used. */
    const char *fingerprint_key;
    const char *user_key;
    /* Non-zero: licence text counts as evidence like any other content.
     * By default the licence texts built into the library (Debian's
     * common-licenses, the SPDX list) weigh nothing, as a public
     * collection's content does, and a file that shares only licence text
     * is noted licence-only (docs/VERDICT.md). */
    int no_licence_background;
    /* Tokens a match's aligned region must hold (on 3 lines or more,
     * unless 3 times as many): smaller shared fragments are not reported;
     * 0: the default, 40 (docs/VERDICT.md, "Evidence floor"). */
    unsigned min_tokens;
    /* Bytes of scanned text kept, at most, for reports that show the
     * lines of their evidence (the HTML report): the text of each file with
     * a match (as it was matched: a member of an archive, a document's
     * text, a blob of a git history) as far as a few lines past its spans'
     * last line, first come first kept, none past the total; 0 keeps none.
     * lp_report_write_html() shows it. */
    uint64_t keep_text;
};

/* ---- inputs -------------------------------------------------------------- */

/* What a target is (struct lp_target.kind). */
enum lp_target_kind {
    LP_TARGET_PATH = 0,   /* a file, directory, archive, git repository, a
                             pipe (/dev/fd/N), or "-" for standard input */
    LP_TARGET_MEMORY = 1, /* the caller's bytes */
    LP_TARGET_FD = 2,     /* an open descriptor, read to its end; not closed */
};

/* One input of lp_scan_targets() or lp_add_targets(); zeroed fields give a
 * path target. */
struct lp_target {
    int kind;          /* enum lp_target_kind */
    const char *name;  /* PATH: the path; MEMORY, FD: the name reported (and
                          registered) for it, which also tells its type
                          ("a.c", "dump.zip") */
    const void *data;  /* MEMORY: len bytes, borrowed for the call */
    size_t len;
    int fd;            /* FD: the descriptor */
};

/* What lp_scan_run() looks for (lp_scan_options.secrets). */
enum lp_secrets_mode {
    LP_SECRETS_OFF = 0,  /* protected code only */
    LP_SECRETS_ALSO = 1, /* protected code and secrets */
    LP_SECRETS_ONLY = 2, /* secrets only: the registry may be NULL */
};

/* Scans the targets against the registry (see lp_scan_run()). On failure
 * *out is still set when memory allowed it, so that lp_scan_errmsg() can say
 * why (with a registry, lp_registry_errmsg() says it too); free it with
 * lp_scan_free() in both cases. Inputs not read are not failures: they are
 * in the result (lp_scan_skipped()) and go to opt->on_skip. */
LP_API lp_err lp_scan_targets(lp_registry *reg,
                              const struct lp_scan_options *opt,
                              const struct lp_target *targets, size_t n,
                              lp_scan **out);

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

/* Where the key of a scan's fingerprints came from (lp_scan_key_id()). */
enum lp_key_source {
    LP_KEY_NONE = 0,     /* no secrets were sought */
    LP_KEY_GIVEN = 1,    /* lp_scan_options.fingerprint_key */
    LP_KEY_REGISTRY = 2, /* the registry's own */
    LP_KEY_USER = 3,     /* lp_scan_options.user_key */
    LP_KEY_RUN = 4,      /* random, for this run alone */
};

/* The id of the key the fingerprints of a scan for secrets were made
 * under: 16 hex digits, a hash of the key, never the key (borrowed; ""
 * without secrets); where the key came from into *source (enum
 * lp_key_source; source may be NULL). */
LP_API const char *lp_scan_key_id(const lp_scan *scan, int *source);

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

/* ---- results ------------------------------------------------------------- *
 *
 * A finished scan is plain data: every pointer these functions return is
 * borrowed from the lp_scan and stays valid until lp_scan_free(). */

/* Why the scan failed ("" when it did not): the path first, then the
 * reason, in lower case. */
LP_API const char *lp_scan_errmsg(const lp_scan *scan);

/* Confidence of the verdict (0..1) and its one-sentence summary. */
LP_API double lp_scan_confidence(const lp_scan *scan);
LP_API const char *lp_scan_summary(const lp_scan *scan);

/* Files read (each archive member is one), in input order, and the i-th of
 * them (NULL when i is out of range). */
LP_API size_t lp_scan_file_count(const lp_scan *scan);
LP_API const lp_file *lp_scan_file(const lp_scan *scan, size_t i);

/* Inputs not read, or not wholly, sorted by path: the i-th one's path, its
 * reason in *reason (may be NULL); NULL when i is out of range. */
LP_API size_t lp_scan_skipped(const lp_scan *scan);
LP_API const char *lp_scan_skip(const lp_scan *scan, size_t i,
                                const char **reason);

/* One file's result. The structs below may grow at their end in a later
 * version: rebuild against the new header. */
struct lp_file_info {
    const char *path; /* logical path: "dump.zip!src/a.c" */
    const char *kind; /* code, prose, binary, listing or other */
    uint64_t size;
    char sha256[65];  /* hex; "" when not computed (no match) */
    int read_failed;  /* the file could not be read (see the skips) */
    size_t matches;   /* protected assets it matches, best first */
    size_t secrets;   /* secrets and exposures found in it */
};
LP_API void lp_file_get(const lp_file *file, struct lp_file_info *out);

struct lp_match_info {
    const char *collection; /* protected collection */
    const char *version;    /* newest version holding the asset */
    const char *asset;      /* its path there */
    double similarity;      /* share of the file's evidence it explains */
    double coverage;        /* share of the asset found in the file */
    int exact;              /* byte-identical */
    size_t spans;           /* runs of lines in common, in file order */
};
/* The i-th match of a file: LP_OK, or LP_EINVAL out of range. */
LP_API lp_err lp_file_match(const lp_file *file, size_t i,
                            struct lp_match_info *out);

struct lp_span_info {
    uint32_t lines[2];       /* the file's lines, inclusive, from 1 */
    uint32_t asset_lines[2]; /* the asset's */
    const char *how;         /* exact, normalized or renamed */
    uint32_t pages[2];       /* a document's pages, or 0 */
};
LP_API lp_err lp_file_span(const lp_file *file, size_t match, size_t span,
                           struct lp_span_info *out);

struct lp_secret_info {
    const char *rule;        /* "aws-access-key-id" */
    const char *category;    /* "cloud-credential" */
    int exposure;            /* an exposed host or address, not a secret */
    uint32_t line, column;   /* from 1 */
    const char *masked;      /* a secret's value masked; never the value */
    const char *fingerprint; /* keyed hash of the value, hex */
    const char *value;       /* an exposure's value; "" for a secret */
    int known;               /* a secret the registry holds, by its keyed
                                fingerprint, in protected material (the
                                JSON report's "known") */
};
LP_API lp_err lp_file_secret(const lp_file *file, size_t i,
                             struct lp_secret_info *out);

/* Renders a scan as "text", "json", "jsonl", "sarif" or "html" to `fp`.
 * `color` enables ANSI colours in text. LP_EINVAL for an unknown format. */
LP_API lp_err lp_report_write(const lp_scan *scan, const char *format,
                              int color, FILE *fp);

/* A checkout of a collection (lp_html_options.roots): the asset
 * "src/a.c" of collection `collection` is the file dir/src/a.c. */
struct lp_html_root {
    const char *collection;
    const char *dir;
};

/* What an HTML report shows beyond the scan (lp_report_write_html()). */
struct lp_html_options {
    const char *command;     /* the command line, for the footer (may be
                                NULL); the caller leaves out passwords */
    int64_t date;            /* the report's date (unix time); 0: now */
    unsigned max_lines;      /* sample lines shown in all; 0: default */
    unsigned max_file_lines; /* sample lines shown per file; 0: default */
    int no_lines;            /* show no sample line at all */
    /* Checkouts of collections (may be NULL): the asset's lines are shown
     * beside the sample's, read from there (as the files are now: the
     * registry holds no text); they count in the caps too. */
    const struct lp_html_root *roots;
    size_t nroots;
};
#define LP_HTML_MAX_LINES 20000
#define LP_HTML_MAX_FILE_LINES 200
/* Text the scan keeps for an HTML report's sample lines, by default
 * (lp_scan_options.keep_text): 256 MiB. */
#define LP_HTML_KEEP_TEXT (256u << 20)

/* Renders a scan as one self-contained HTML5 page (docs/HTML.md) to fp:
 * lp_report_write(scan, "html", ...) with the options opt (may be NULL:
 * the defaults). LP_OK, LP_ENOMEM, LP_EIO on a failed write. */
LP_API lp_err lp_report_write_html(const lp_scan *scan,
                                   const struct lp_html_options *opt,
                                   FILE *fp);

#ifdef __cplusplus
}
#endif
#endif
