/* SPDX-License-Identifier: Apache-2.0
 *
 * listing: file listings posted as "proof" of a leak (the output of find,
 * tree, ls -R, ls -l/-lR, git ls-files, unzip -l, tar t/tv, du -ab,
 * sha256sum/md5sum, git ls-tree -r, git ls-files -s). It recognises such a
 * text conservatively, parses the paths (and sizes and hashes) out of it,
 * and matches them against the registry's paths, whatever root directory
 * the listing has, checking listed sizes and hashes against the registered
 * contents at the aligned paths.
 * Paths of a parsed listing are normalized: '/' separated, relative, no
 * empty, "." or ".." component, no trailing '/'. Everything here is pure
 * computation on memory the caller gives; no I/O.
 */
#ifndef LP_LISTING_H
#define LP_LISTING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "leakprint.h"

/* Defaults for lp_listing_parse() when its limits are 0. A listing line
 * longer than a path (LP_MAX_PATH) plus its ls -l columns is not a listing
 * line; a million entries is a large monorepo. */
#define LP_LISTING_MAX_LINE_DEFAULT 8192
#define LP_LISTING_MAX_ENTRIES_DEFAULT 1000000

enum lp_listing_format {
    LP_LISTING_NONE = 0,
    LP_LISTING_FIND,   /* find: ".", "./src/a.c", "proj/src/a.c" */
    LP_LISTING_TREE,   /* tree, Unicode or ASCII, with or without -f */
    LP_LISTING_LS_R,   /* ls -R: "dir:" sections of bare names */
    LP_LISTING_LS_L,   /* ls -l and ls -lR */
    LP_LISTING_PATHS,  /* git ls-files, tar t, any plain list of paths */
    LP_LISTING_UNZIP,  /* unzip -l */
    LP_LISTING_TAR_TV, /* tar tv: GNU tar and bsdtar's ls-like form */
    LP_LISTING_SIZES,  /* du -ab, find -printf '%s %p\n': SIZE, blank, PATH */
    LP_LISTING_SUMS,   /* sha256sum, md5sum, sha1sum (HEX  PATH, HEX *PATH)
                          and the BSD form "SHA256 (PATH) = HEX" */
    LP_LISTING_GIT,    /* git ls-tree -r [-l], git ls-files -s */
};
#define LP_LISTING_LAST LP_LISTING_GIT

/* What a listing's hash of an entry is. Only SHA-256 of the contents and
 * git blob ids can be checked against a registry (it keeps no MD5 or
 * plain SHA-1, and SHA-512 is not stored). */
enum lp_listing_hash {
    LP_LHASH_NONE = 0,
    LP_LHASH_MD5,
    LP_LHASH_SHA1,   /* sha1sum: SHA-1 of the contents */
    LP_LHASH_SHA256, /* sha256sum: SHA-256 of the contents */
    LP_LHASH_SHA512, /* recognised, not kept */
    LP_LHASH_GIT,    /* a git blob id (SHA-1 of "blob N\0" + contents) */
};

/* How a listed file agrees with the registered file at its aligned path,
 * weakest first. */
enum lp_listing_how {
    LP_LHOW_NAME = 0, /* the path only */
    LP_LHOW_SIZE,     /* and the size in bytes */
    LP_LHOW_SHA256,   /* its SHA-256 is the registered contents' */
    LP_LHOW_GIT,      /* its git blob id is the registered contents' */
};

/* Short lower-case name of a format ("find", "tree", "ls-r", "ls-l",
 * "paths", "unzip", "tar-tv", "sizes", "checksums", "git"), "none" for
 * anything else. Static string. */
const char *lp_listing_format_name(enum lp_listing_format f);

struct lp_listing_entry {
    char *path;    /* normalized, owned by the listing */
    uint64_t size; /* bytes; UINT64_MAX when the listing does not say */
    uint32_t line; /* 1-based line of the text it came from */
    bool dir;      /* a directory (said by the listing, or inferred) */
    uint8_t hash_kind; /* enum lp_listing_hash */
    uint8_t hash[32];  /* its first 16 (MD5), 20 (SHA-1, git) or 32 bytes */
};

struct lp_listing {
    enum lp_listing_format format;
    struct lp_listing_entry *v;
    size_t n, cap;
};

/* Makes *l an empty listing. */
void lp_listing_init(struct lp_listing *l);

/* Frees the entries and leaves *l empty. Accepts NULL. */
void lp_listing_release(struct lp_listing *l);

/* Whether the first 16 KB of `text` (len bytes, no NUL needed) are a
 * listing, and of which format. Conservative: source code, prose, Markdown
 * that mentions paths, CSV, logs and JSON answer LP_LISTING_NONE. A listing
 * needs at least 5 entries, and almost all of its non-blank lines in the
 * format (80 %, 90 % for plain paths and size listings). Never fails. */
enum lp_listing_format lp_listing_detect(const char *text, size_t len);

/* Parses the whole text as format `f` (LP_LISTING_NONE: detect it first;
 * still NONE gives LP_EFORMAT). Lines that are not entries of the format
 * (headers, "total N", summaries, noise) are ignored. Lines longer than
 * max_line bytes, lines with a NUL byte, paths longer than LP_MAX_PATH and
 * entries beyond max_entries are skipped and counted in *dropped (may be
 * NULL); entries whose path has a ".." component or normalizes to nothing
 * are left out silently. 0 for a limit means its default above. Control
 * bytes other than NUL are kept in paths.
 * [out] out: an initialized, empty listing; filled with the entries in the
 *       order of the text and the format. Caller releases it with
 *       lp_listing_release(), also after an error.
 * Returns LP_OK, LP_ENOMEM, LP_EINVAL (NULL text with len > 0, out not
 * empty), LP_EFORMAT (no format). */
lp_err lp_listing_parse(const char *text, size_t len, enum lp_listing_format f,
                        size_t max_line, size_t max_entries,
                        struct lp_listing *out, size_t *dropped);

/* One registered path: all paths of a collection's versions; duplicates
 * (the same path in several versions) count once as a path, and each
 * version's contents can be what a listed size or hash agrees with.
 * Borrowed. */
struct lp_listing_ref {
    const char *path; /* relative, like "src/net/ring.c" */
    uint32_t collection;
    const uint8_t *sha256; /* 32 bytes: its contents' SHA-256; NULL when
                              unknown (then size is unknown too) */
    uint64_t size;         /* bytes, when sha256 is set */
    const uint8_t *git;    /* 20 bytes: its git blob id; NULL if unknown */
    uint32_t blob;         /* the caller's id of the contents, handed back
                              in lp_listing_hit.content_blobs */
};

/* Matched files of a hit grouped by the first two directory components of
 * their registered path ("src/net" for "src/net/ring.c", "src" for
 * "src/a.c", "" for "Makefile"). */
struct lp_listing_dir {
    char *dir;
    uint32_t matched; /* registered paths of this group the listing has */
    uint32_t total;   /* registered paths of this group */
};

struct lp_listing_hit {
    uint32_t collection;
    uint32_t matched;    /* listing files whose aligned path is registered */
    uint32_t registered; /* distinct registered paths they cover */
    uint32_t total;      /* distinct registered paths of the collection */
    /* Of the `registered` paths, by the strongest agreement of a listed
     * file with them (enum lp_listing_how): */
    uint32_t by_size;     /* its size too */
    uint32_t by_sha256;   /* its SHA-256: content evidence */
    uint32_t by_git;      /* its git blob id: content evidence */
    uint32_t distinctive; /* named by a distinctive name (not README,
                             Makefile, main.c...; see lp_listing_generic())
                             or with its size or a hash */
    /* The caller's blob ids (lp_listing_ref.blob) of the registered
     * contents a listed hash matched: by_sha256 + by_git of them, sorted,
     * each once. Owned by the result. */
    uint32_t *content_blobs;
    size_t ncontent;
    char *listing_root;  /* prefix stripped from listing paths, "" if none */
    char *registry_root; /* prefix added to them (a sub-tree), "" if none */
    struct lp_listing_dir *dirs; /* groups with matched > 0, most matched
                                    first, then by name */
    size_t ndirs;
};

struct lp_listing_result {
    struct lp_listing_hit *hits; /* most matched first, then collection */
    size_t nhits;
    uint32_t files; /* file (non-directory) entries of the listing */
};

/* Matches the files of listing `l` against `refs` (nrefs of them). For each
 * collection it finds the alignment (a prefix stripped from the listing's
 * paths and/or one added) that most listing files agree on, by voting over
 * common path suffixes: a file votes only through a suffix of at least two
 * components that no other listing file shares, so generic names
 * (Makefile, README.md) alone never make a hit. An alignment needs 2 such
 * votes. Then it counts the listing files whose aligned path is registered
 * in that collection. Time is linear in the total number of path
 * components of both sides. Output is deterministic (ties: fewer bytes of
 * roots, then bytes of the roots, then collection index).
 * [out] out: filled; caller frees with lp_listing_result_release(), also
 *       after an error.
 * Returns LP_OK, LP_ENOMEM, LP_EINVAL (NULL argument with a count, more
 * than UINT32_MAX entries or refs). */
lp_err lp_listing_match(const struct lp_listing *l,
                        const struct lp_listing_ref *refs, size_t nrefs,
                        struct lp_listing_result *out);

/* Whether a path's last component is a generic name, one that most
 * projects have (README, Makefile, LICENSE, main.c, index.html,
 * __init__.py, package.json...): naming it tells little of which project
 * a listing is of. Case is ignored. */
bool lp_listing_generic(const char *path);

/* Frees what lp_listing_match() filled and zeroes *r. Accepts NULL. */
void lp_listing_result_release(struct lp_listing_result *r);

#endif
