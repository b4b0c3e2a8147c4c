/* SPDX-License-Identifier: Apache-2.0
 *
 * walk: turns the paths given on the command line into the list of regular
 * files to read, each with its file-system path and its logical path (the
 * name reported and stored). Directories are walked recursively in sorted
 * order, so every run lists the same files in the same order. Symbolic links
 * are not followed (they are reported as skipped) unless LP_WALK_FOLLOW, and
 * a root named by the user is read through its link; version-control metadata
 * (.git, .hg, .svn) is not read; depth is capped (LP_MAX_WALK_DEPTH) and a
 * directory seen twice (bind mounts) is skipped, so hostile trees end.
 *
 * The registry's own directory is never entered (struct lp_walk_skip).
 *
 * Logical paths: for `add`, relative to the directory given (a file given
 * alone is named by its last component); for `scan`, the path as given by
 * the user joined with the relative path.
 */
#ifndef LP_WALK_H
#define LP_WALK_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "git.h"
#include "leakprint.h"
#include "prefetch.h"

struct lp_walk_entry {
    char *fspath;  /* path to open; for a git blob, its repository's */
    char *logical; /* path to report or store */
    uint64_t size; /* size seen by stat, or LP_SIZE_UNKNOWN */
    bool git;      /* a blob of the repository fspath, read by its id */
    bool stream;   /* read to its end, not stat'ed: standard input (the
                      root "-"), a descriptor, a pipe or device named as a
                      root (/dev/fd/N); beyond the size limit, the first
                      bytes are read and the cut is said */
    int fd;        /* a stream's descriptor (not closed), or -1: open
                      fspath */
    bool memory;   /* the caller's bytes data[0..datalen), borrowed */
    const char *data;
    size_t datalen;
    bool root;     /* a file given as a root (not found in a directory) */
    bool follow;   /* read through a symbolic link in its place: a root,
                      or a walk that follows them */
    bool has_commit; /* a blob of the history, not a current file: commit
                        is the oldest that holds it at this path */
    uint8_t oid[20];
    uint8_t commit[20];
    int64_t commit_time; /* committer time of commit, unix seconds */
};

/* The size of a file found in a directory listing: the listing says it is
 * a regular file, and the walk does not stat it (one path lookup less per
 * file); the reader learns the size from the open file. */
#define LP_SIZE_UNKNOWN UINT64_MAX

struct lp_walk_list {
    struct lp_walk_entry *v;
    size_t n, cap;
};

enum lp_walk_flags {
    LP_WALK_RELATIVE = 1 << 0, /* logical paths relative to each root */
    LP_WALK_FOLLOW = 1 << 1,   /* follow symbolic links (loops are cut) */
    LP_WALK_GIT_HISTORY = 1 << 2, /* a root that is a git repository also
                                     gives its history's blobs (see
                                     lp_walk_collect_history()) */
    LP_WALK_SKIP_BAD_ROOTS = 1 << 3, /* a root that cannot be read is said
                                        to the warner as skipped, and the
                                        others are read */
    LP_WALK_SKIP_REGISTRIES = 1 << 4, /* any leakprint registry directory
                                         (meta.sqlite with a MANIFEST or
                                         LOCK) is skipped, and said to be */
};

/* Sets the directory a walk never enters (the registry itself, when it
 * lies inside the tree being added or scanned): by identity (device and
 * inode), so any spelling of its path is recognised. */
struct lp_walk_skip {
    unsigned long long dev, ino;
    int set;
};

/* Fills *skip from `dir`; leaves it unset when dir does not exist. */
void lp_walk_skip_init(struct lp_walk_skip *skip, const char *dir);

void lp_walk_list_init(struct lp_walk_list *l);
void lp_walk_list_release(struct lp_walk_list *l);

/* Appends the files under `root` to `l`. Problems with entries inside the
 * tree (unreadable directory, symlink, special file) go to `warn` as one-line
 * messages "'path': reason" and do not stop the walk; *nwarn counts them.
 * A root that cannot be read fails with LP_EIO/LP_ENOTFOUND and a message in
 * errbuf (size errlen). */
lp_err lp_walk_collect(const char *root, unsigned flags,
                       const struct lp_walk_skip *skip, struct lp_walk_list *l,
                       void (*warn)(void *ctx, const char *msg), void *ctx,
                       size_t *nwarn, char *errbuf, size_t errlen);

/* Reads a whole regular file of at most `max` bytes (else LP_ELIMIT) into
 * *buf, a buffer of capacity *cap that is grown as needed and reused from
 * call to call (the caller frees it with lp_free). The content is followed
 * by a NUL. `hint` is the size the walk saw, or LP_SIZE_UNKNOWN: then the
 * open file is stat'ed (it must be a regular file). When that many bytes
 * arrive, the final read that only confirms the end is skipped; a file that
 * grew since is read to its end all the same. Never blocks on a FIFO put in
 * a file's place. Message in errbuf on failure. */
lp_err lp_walk_read_hint(const char *fspath, uint64_t max, uint64_t hint,
                         char **buf, size_t *cap, size_t *len, char *errbuf,
                         size_t errlen);

/* An input that was not read (or not wholly): its logical path and why. */
struct lp_skip {
    char *path;
    char *reason;
};

/* Where inputs that are not read are said: a caller's callback (may be
 * NULL) gets one line "'path': reason", with control characters of the
 * path escaped; it is called under a lock so that workers may share it.
 * Each is also counted and kept in `skips` (for the JSON report). */
struct lp_warner {
    void (*fn)(void *ctx, const char *msg);
    void *ctx;
    /* also called, under the lock, with the raw path and the reason (may
     * be NULL; set after lp_warner_init()) */
    void (*skip)(void *ctx, const char *path, const char *reason);
    void *skip_ctx;
    pthread_mutex_t mu;
    atomic_size_t count;
    struct lp_skip *skips;
    size_t nskips, capskips;
    bool lost; /* a skip not kept for want of memory (still counted) */
};

void lp_warner_init(struct lp_warner *w, void (*fn)(void *ctx, const char *msg),
                    void *ctx);
void lp_warner_release(struct lp_warner *w);

/* Says that `path` was not read, and why. A reason ending in
 * " (skipped)" is kept without that ending. */
void lp_warner_skip(struct lp_warner *w, const char *path, const char *reason);

/* Takes the kept skips, sorted by path then reason (workers say them in
 * any order); the caller frees them with lp_skips_free(). */
void lp_warner_take(struct lp_warner *w, struct lp_skip **out, size_t *n);
void lp_skips_free(struct lp_skip *v, size_t n);

/* The `skipped` callback of lp_git_tree_files() (ctx: a struct
 * lp_walk_git_skip): says "'repo/path': why (skipped)" to the warner. */
struct lp_walk_git_skip {
    const char *repo;
    struct lp_warner *w;
};
void lp_walk_git_skipped(void *ctx, const char *path, const char *why);

/* Bytes of buf[0..len) before its first line longer than max bytes, and
 * that line's number in *line (0 and len when there is none). Only a file
 * larger than max can have one: others cost nothing. */
size_t lp_walk_long_line(const char *buf, size_t len, size_t max,
                         uint32_t *line);

/* The size of the regular file at path when it is an archive (by its
 * first bytes), else 0. */
uint64_t lp_walk_archive_size(const char *path);

/* Says to w that path is larger than max bytes, and skipped. */
void lp_walk_say_too_large(struct lp_warner *w, const char *path,
                           uint64_t max);

/* lp_walk_collect() over several roots, never entering `registry_dir`
 * (may be NULL); messages go to w. A root that is a bare git repository
 * or a .git directory gives the files of its HEAD tree instead; the root
 * "-" is standard input, one file named "-". With LP_WALK_GIT_HISTORY, a
 * root that is a git repository also gives the blobs of its history
 * (lp_walk_collect_history(), at most LP_MAX_HISTORY_BLOBS_DEFAULT). The
 * entries of a root are sorted by logical path; a history blob comes after
 * the current file of its path, and history blobs of one path by commit
 * time. A root that cannot be read stops the collection with its error and
 * message in errbuf, or with LP_WALK_SKIP_BAD_ROOTS is said to w. */
lp_err lp_walk_collect_all(const char *const *roots, size_t n, unsigned flags,
                           const char *registry_dir, struct lp_walk_list *l,
                           struct lp_warner *w, char *errbuf, size_t errlen);

/* Appends to l the blobs of the history of the git repository at `root`
 * (a working tree with .git, a bare repository or a .git directory) that
 * the current files do not already give: every distinct (path, blob) of
 * the commits reachable from any ref or HEAD, each once, with the oldest
 * commit (by committer time, then id) whose tree holds that blob at that
 * path. The current files are, for a working tree, the files on disk (a
 * blob equal to the file at its path is not listed again) and, for a bare
 * repository, the HEAD tree. Logical paths are those the current files
 * have ("root/path", or "path" with LP_WALK_RELATIVE).
 *
 * Bounded for hostile repositories: at most max_blobs entries (0: none)
 * are listed; the commits not read beyond are said to w as skipped, as is
 * a history that cannot be read (the root's files are read all the same:
 * only LP_ENOMEM is returned). Memory is one walk entry per listed blob
 * and 32 bytes per (path, object) seen. Not sorted: lp_walk_collect_all()
 * sorts. */
lp_err lp_walk_collect_history(const char *root, unsigned flags,
                               uint64_t max_blobs, struct lp_walk_list *l,
                               struct lp_warner *w);

/* Appends the caller's bytes data[0..len) (borrowed until the list is
 * released) as one file named `logical`. */
lp_err lp_walk_add_memory(struct lp_walk_list *l, const char *logical,
                          const void *data, size_t len);

/* Appends the open descriptor fd, read to its end (and not closed), as one
 * file named `logical`. */
lp_err lp_walk_add_fd(struct lp_walk_list *l, const char *logical, int fd);

/* Appends a blob of the repository at `repo` (opened as g) to l: logical
 * path `logical`, read by its id. */
lp_err lp_walk_add_blob(struct lp_walk_list *l, const char *repo,
                        const char *logical, const uint8_t oid[20]);

/* One worker's reading context: the repository it last read a blob from,
 * kept open for the next, and the files it read ahead. Zeroed to start. */
struct lp_walk_reader {
    struct lp_git *git;
    char *git_path;
    struct lp_prefetch *pf;
    bool pf_tried; /* lp_prefetch_new() was called */
    bool no_io_uring; /* set before the first read: never read ahead */
    bool windows;     /* a plain file over max is given to the caller as
                         "big" too (lp_walk_read_entry()), to read in
                         windows */
    bool big_plain;   /* the last "big" entry is such a file, not an
                         archive */
    const struct lp_walk_entry *batch[PREFETCH_SLOTS];
    size_t nbatch, next; /* entries read ahead; the next to look at */
};

void lp_walk_reader_release(struct lp_walk_reader *rd);

/* Reads ahead the files among v[0..n) (see prefetch.h), which this reader
 * is about to read in that order with lp_walk_read_entry(); max as there.
 * Without io_uring, nothing is done. */
void lp_walk_reader_prefetch(struct lp_walk_reader *rd,
                             const struct lp_walk_entry *v, size_t n,
                             uint64_t max);

/* Reads entry e into the reused buffer (see lp_walk_read_hint(); a git
 * blob through rd's repository). A file that cannot be read is reported
 * through w and *skipped is set; only LP_ENOMEM is returned as an error.
 * An archive on disk larger than max is not read and not reported when
 * big_archive is not NULL: *skipped is set and *big_archive is its size,
 * for the caller to stream (lp_archive_walk_file()); so is any regular
 * file over max when rd->windows, and then rd->big_plain is set. */
lp_err lp_walk_read_entry(struct lp_walk_reader *rd,
                          const struct lp_walk_entry *e, uint64_t max,
                          char **buf, size_t *cap, size_t *len,
                          struct lp_warner *w, bool *skipped,
                          uint64_t *big_archive);

#endif
