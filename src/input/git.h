/* SPDX-License-Identifier: Apache-2.0
 *
 * git: reads trees and blobs of git repositories through libgit2, for add
 * (HEAD, every tag, or every commit on every branch, each a version dated
 * by its commit) and scan (the HEAD tree of a bare repository or of a .git
 * directory). Nothing is checked out: blobs are read from the object
 * database into memory, their size checked before they are inflated.
 *
 * A handle is used by one thread at a time; workers open their own (by
 * path) with lp_git_open().
 */
#ifndef LP_GIT_H
#define LP_GIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "leakprint.h"

#define LP_GIT_OID_LEN 20

struct lp_git;

enum lp_git_history {
    LP_GIT_HEAD = 0, /* --history=none: the HEAD commit */
    LP_GIT_TAGS = 1, /* every tag that points (through annotations) at a commit */
    LP_GIT_ALL = 2,  /* every commit reachable from a branch or HEAD */
    /* every commit reachable from any ref (branches, remote-tracking
     * branches, tags, stash) or HEAD, as `git log --all` lists them: what
     * secrets reads, since a leaked clone keeps all of them */
    LP_GIT_EVERY_REF = 3,
};

/* A version to register: a tag name or a commit id (12 hex digits), its
 * commit and the commit's time. */
struct lp_git_version {
    char name[256];
    uint8_t commit[LP_GIT_OID_LEN];
    int64_t when; /* committer time, unix seconds */
};

/* A regular file of a tree: its path in the tree and its blob. */
struct lp_git_file {
    char *path;
    uint8_t blob[LP_GIT_OID_LEN];
};

/* Whether `path` is a git repository: a bare one, a .git directory, or a
 * working tree with a .git entry. Cheap; does not open it. */
bool lp_git_is_repo(const char *path);

/* Whether `path` is a repository without a working tree at that path (a
 * bare repository or a .git directory itself): scanning it means reading
 * its HEAD tree. */
bool lp_git_is_bare(const char *path);

/* Opens the repository at `path` (no search upwards). LP_ENOTFOUND when it
 * is not one; message in err. */
lp_err lp_git_open(const char *path, struct lp_git **out, char *err,
                   size_t errlen);
void lp_git_close(struct lp_git *g);

/* The versions of `history`, oldest first (by commit time, then name).
 * Caller frees *out with lp_free. */
lp_err lp_git_versions(struct lp_git *g, enum lp_git_history history,
                       struct lp_git_version **out, size_t *n, char *err,
                       size_t errlen);

/* The regular files of a commit's tree, in tree order. Entries that are
 * not files (symbolic links, submodules) are not read: each is named to
 * `skipped` (may be NULL) with the reason, as is a tree nested deeper than
 * LP_MAX_WALK_DEPTH (libgit2 walks trees recursively: a hostile one must
 * not exhaust the stack). Free with lp_git_files_free(). */
lp_err lp_git_tree_files(struct lp_git *g, const uint8_t commit[LP_GIT_OID_LEN],
                         struct lp_git_file **out, size_t *n,
                         void (*skipped)(void *ctx, const char *path,
                                         const char *why),
                         void *ctx, char *err, size_t errlen);
void lp_git_files_free(struct lp_git_file *f, size_t n);

/* Which entries of a tree walk are wanted (lp_git_tree_files_filtered()).
 * want() is called with each entry's path in the tree (borrowed for the
 * call) and its id: for a subtree (tree true), 1 walks into it and 0
 * passes it by with all it holds; for a file, 1 lists it and 0 does not.
 * -1 stops the walk with LP_ENOMEM (the callback ran out of memory). */
struct lp_git_filter {
    int (*want)(void *ctx, const char *path, const uint8_t id[LP_GIT_OID_LEN],
                bool tree);
    void *ctx;
};

/* lp_git_tree_files() that asks `filter` (may be NULL: every file) about
 * each entry first, so that a caller who walks many commits passes by the
 * subtrees it has seen. With a filter, a path longer than LP_MAX_PATH is
 * named to `skipped` instead of being listed. Free with
 * lp_git_files_free(). */
lp_err lp_git_tree_files_filtered(struct lp_git *g,
                                  const uint8_t commit[LP_GIT_OID_LEN],
                                  const struct lp_git_filter *filter,
                                  struct lp_git_file **out, size_t *n,
                                  void (*skipped)(void *ctx, const char *path,
                                                  const char *why),
                                  void *ctx, char *err, size_t errlen);

/* The git blob id of the regular file at `path` (its bytes as they are,
 * no filters). LP_EIO when it cannot be read. */
lp_err lp_git_hash_file(const char *path, uint8_t out[LP_GIT_OID_LEN]);

/* The blob id of the regular file at `path` (a/b/c.c) in the tree of
 * revision `rev` (a tag, a branch, a commit id or its prefix, as `git
 * rev-parse` takes them), for the HTML report's --asset-root. LP_ENOTFOUND
 * when rev names nothing that has a tree, or the tree no regular file at
 * path. */
lp_err lp_git_blob_at(struct lp_git *g, const char *rev, const char *path,
                      uint8_t out[LP_GIT_OID_LEN]);

/* Reads a blob into *buf (capacity *cap, grown as needed, NUL-terminated).
 * LP_ELIMIT, without inflating it, when it is larger than max. */
lp_err lp_git_read_blob(struct lp_git *g, const uint8_t oid[LP_GIT_OID_LEN],
                        uint64_t max, char **buf, size_t *cap, size_t *len,
                        char *err, size_t errlen);

#endif
