/* SPDX-License-Identifier: Apache-2.0
 *
 * walk_archive: the members of an archive or compressed stream held in
 * memory, read through libarchive and never written to disk. Formats: tar,
 * zip, 7z, rar, cpio, iso9660, ar, and any of them (or one plain file)
 * compressed with gzip, bzip2, xz, lzma, zstd, lz4 or compress.
 *
 * Archives come from criminals: every member is read under limits (struct
 * lp_archive_limits), counted over a whole nest of archives (struct
 * lp_archive_budget), and anything not read is named as skipped with the
 * reason, never dropped in silence. Nesting is driven by the caller: the
 * member callback decides whether a member is itself an archive and walks
 * it with depth + 1 (see lp_archive_detect()).
 *
 * Logical paths of members are "outer!member" (CONTRACT.md); a member of a
 * compressed plain file is named after it without the compression suffix
 * ("a.c.gz!a.c").
 */
#ifndef LP_WALK_ARCHIVE_H
#define LP_WALK_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "leakprint.h"
#include "walk.h"

struct lp_archive_limits {
    unsigned max_depth;     /* archives inside archives (--max-depth) */
    uint64_t max_entry;     /* bytes of one member (--max-file-size) */
    uint64_t max_total;     /* bytes expanded from one input (--max-expanded) */
    uint32_t max_ratio;     /* expanded / input bytes (--max-ratio) */
    uint64_t max_entries;   /* members of one input, all depths (--max-entries) */
    uint64_t max_line;      /* bytes of a line (--max-line-length) */
    uint32_t max_path;      /* bytes of a member's logical path
                               (--max-path-length, at most LP_MAX_PATH) */
    const char *const *passwords; /* tried in turn (--password) */
    size_t npasswords;
    const char *sevenzip; /* 7zz for encrypted 7z or RAR; NULL: none */
};

/* Sets the defaults of limits.h. */
void lp_archive_limits_default(struct lp_archive_limits *lim);

/* The limits a caller's options ask for (in may be NULL; 0 fields and
 * max_file 0 keep the defaults). */
void lp_archive_limits_from(struct lp_archive_limits *lim,
                            const struct lp_input_options *in,
                            uint64_t max_file);

/* What one input (a file given to scan or add, and everything nested in
 * it) has cost so far. Zero it per input. */
struct lp_archive_budget {
    uint64_t input;    /* bytes of the outermost archive */
    uint64_t expanded; /* bytes read out of archives, all depths */
    uint64_t entries;  /* members seen, all depths */
    bool exhausted;    /* a budget limit stopped the walk: skip the rest */
    uint64_t wasted;   /* of expanded, bytes of members skipped as bombs */
};

/* Whether buf starts like an archive or a compressed stream (by magic
 * numbers: cheap, called on every file). A false positive is harmless:
 * lp_archive_walk() then answers LP_EFORMAT and the caller reads the bytes
 * as a plain file. Zip-based documents (DOCX, ODT, JAR) also answer true;
 * the caller asks the document detector first. */
bool lp_archive_detect(const unsigned char *buf, size_t len);

/* Called for each regular-file member, with its whole content (NUL
 * terminated; data[len] == 0) and its logical path; `depth` is the
 * member's nesting depth (1 for members of the outermost archive). Returns
 * LP_OK to go on; any other error stops the walk and is returned. */
typedef lp_err (*lp_archive_member_fn)(void *ctx, const char *logical,
                                       const char *data, size_t len,
                                       unsigned depth);

/* Walks the archive buf[0..len) whose logical path is `logical` and whose
 * members are at depth `depth` (1 for an input given by the user). Members
 * that cannot be read (encrypted without the password, over a limit,
 * truncated, links, devices) are said to w as skipped with the reason.
 * Returns LP_EFORMAT (and no member, nothing said) when libarchive does not
 * recognise the bytes as an archive; LP_ENOMEM; or the callback's error.
 * A damaged archive is not an error: what could be read was read, and the
 * damage is said to w. */
lp_err lp_archive_walk(const char *logical, const char *buf, size_t len,
                       unsigned depth, const struct lp_archive_limits *lim,
                       struct lp_archive_budget *budget, struct lp_warner *w,
                       lp_archive_member_fn fn, void *ctx);

/* The bytes of buf[0..len) to read under lim->max_line: all, or those
 * before the first longer line, which is then said to w. */
size_t lp_archive_cut_lines(struct lp_warner *w, const char *path,
                            const char *buf, size_t len,
                            const struct lp_archive_limits *lim);

/* Says to w that the archive at path is nested deeper than lim allows. */
void lp_archive_say_too_deep(struct lp_warner *w, const char *path,
                             const struct lp_archive_limits *lim);

/* As lp_archive_walk() at depth 1 for an archive too large to be read
 * into memory (over --max-file-size: a dump of many GB), streamed from the
 * file fspath of `size` bytes instead. */
lp_err lp_archive_walk_file(const char *logical, const char *fspath,
                            uint64_t size, const struct lp_archive_limits *lim,
                            struct lp_archive_budget *budget,
                            struct lp_warner *w, lp_archive_member_fn fn,
                            void *ctx);

#endif
