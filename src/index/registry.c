/* SPDX-License-Identifier: Apache-2.0
 *
 * registry: the handle on a registry directory (layout and commit protocol
 * in registry.h). It ties the pieces together: the LOCK file of the one
 * writer, the MANIFEST (manifest.c) that names the live segments and the
 * generation, the mmap'd segments (segment.c) that lookups search, and the
 * SQLite metadata (meta.c). Invariants: reg->segs[i] is the open segment
 * named reg->man.segs[i]; a writer's SQLite holds no row of a generation
 * above reg->man.gen outside of a transaction (recovery runs at open and at
 * each begin); every allocation a commit needs happens before its commit
 * point, so that a commit that passed it cannot fail half-way.
 */
#include "registry.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "limits.h"
#include "manifest.h"
#include "mem.h"
#include "meta.h"
#include "segment.h"

#include "banned.h"

#define ERRLEN 1024
_Static_assert(ERRLEN >= LP_SEG_ERRLEN && ERRLEN >= LP_MANIFEST_ERRLEN &&
                   ERRLEN >= LP_META_ERRLEN,
               "module messages are written to the handle's buffer");

/* Entries a transaction queues before it writes them as a segment: 512 MiB
 * of queue, and as much again while sorting. */
#define TXN_FLUSH_ENTRIES ((size_t)1 << 25)

/* Times a reader re-reads the manifest when a segment vanished under it
 * (a writer merged it away). */
#define OPEN_RETRIES 5

struct lp_registry {
    char *dir;
    int dir_fd; /* unlinks after a failure must not need memory */
    unsigned flags;
    int lock_fd;
    struct lp_meta *meta;
    struct lp_manifest man;
    struct lp_segment **segs; /* parallel to man.segs */
    struct lp_txn *txn;       /* the open transaction, if any */
    /* What this handle created (LP_REGISTRY_CREATE), removed again at
     * close when asked to (lp_registry_discard_new) and nothing was
     * committed: a failed first add leaves no registry behind. */
    bool made_dir, made_meta, committed, discard;
    bool no_manifest; /* none yet (an empty registry) */
    bool locked;      /* holds the writer lock */
    /* The snapshot scans share (lp_registry_snapshot_shared()), of
     * generation shared_gen; built once per generation under shared_mu,
     * which also guards every shared snapshot's refs (the handle holds
     * one reference to `shared`, each scan that took it another). */
    struct lp_snapshot *shared;
    uint64_t shared_gen;
    pthread_mutex_t shared_mu;
    /* What a stage above keeps with the handle (lp_registry_keep()), for
     * generation kept_gen; under shared_mu too. */
    void *kept;
    void (*kept_drop)(void *);
    uint64_t kept_gen;
    char errmsg[ERRLEN];
#ifdef LP_TEST_HOOKS
    const char *crash_at; /* lp_registry_test_hooks() */
    size_t flush_entries;
#endif
};

struct lp_txn {
    lp_registry *reg;
    uint64_t gen;
    struct lp_seg_rec *q; /* queued entries */
    size_t nq, capq;
    struct lp_manifest made; /* segments written by this transaction */
    struct lp_segment **made_segs;
    size_t made_cap;
    unsigned next;   /* number of the next segment name */
    size_t flush_at; /* queue length that triggers a segment write */
};

lp_err lp_registry_seterr(lp_registry *reg, lp_err err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reg->errmsg, sizeof reg->errmsg, fmt, ap);
    va_end(ap);
    return err;
}

const char *lp_registry_errmsg(const lp_registry *reg)
{
    return reg ? reg->errmsg : "out of memory";
}

const char *lp_registry_path(const lp_registry *reg)
{
    return reg->dir;
}

struct lp_meta *lp_registry_meta(lp_registry *reg)
{
    return reg->meta;
}

uint64_t lp_registry_gen(const lp_registry *reg)
{
    return reg->man.gen;
}

#ifdef LP_TEST_HOOKS
/* Test builds only (see registry.h): the writer dies at the step named
 * crash_at, as a power cut would, so tests can check recovery. */
static void crash_point(const lp_registry *reg, const char *name)
{
    if (reg->crash_at && strcmp(reg->crash_at, name) == 0)
        _exit(9);
}

/* Queue length at which a transaction writes a segment; tests lower it
 * to exercise several segments per commit. */
static size_t flush_threshold(const lp_registry *reg)
{
    size_t v = reg->flush_entries;
    return v > 0 && v < TXN_FLUSH_ENTRIES ? v : TXN_FLUSH_ENTRIES;
}

void lp_registry_test_hooks(lp_registry *reg, const char *crash_at,
                            size_t flush_entries)
{
    reg->crash_at = crash_at;
    reg->flush_entries = flush_entries;
}
#else
static void crash_point(const lp_registry *reg, const char *name)
{
    (void)reg;
    (void)name;
}

static size_t flush_threshold(const lp_registry *reg)
{
    (void)reg;
    return TXN_FLUSH_ENTRIES;
}
#endif

static void unlink_in(const lp_registry *reg, const char *name)
{
    if (reg->dir_fd >= 0)
        unlinkat(reg->dir_fd, name, 0);
}

/* ---- open and close ----------------------------------------------------- */

static void close_segments(struct lp_segment **segs, size_t n)
{
    for (size_t i = 0; segs && i < n; i++)
        lp_segment_close(segs[i]);
    lp_free(segs);
}

/* Opens the segments of reg->man into a new reg->segs. */
static lp_err open_segments(lp_registry *reg)
{
    size_t n = reg->man.nsegs;
    struct lp_segment **segs = lp_calloc(n ? n : 1, sizeof *segs);
    if (!segs)
        return lp_registry_seterr(reg, LP_ENOMEM, "'%s': out of memory",
                                  reg->dir);
    lp_err e = LP_OK;
    for (size_t i = 0; !e && i < n; i++) {
        char *p = lp_path_join(reg->dir, reg->man.segs[i]);
        if (!p)
            e = lp_registry_seterr(reg, LP_ENOMEM, "'%s': out of memory",
                                   reg->dir);
        else /* a writer never looks up: no presence maps */
            e = lp_segment_open_flags(p,
                                      reg->flags & LP_REGISTRY_WRITE
                                          ? LP_SEG_NO_PRESENCE
                                          : 0,
                                      &segs[i], reg->errmsg);
        lp_free(p);
    }
    if (e) {
        close_segments(segs, n);
        return e;
    }
    reg->segs = segs;
    return LP_OK;
}

/* Whether the directory holds a file named like a segment. */
static lp_err any_segment(lp_registry *reg, bool *out)
{
    struct lp_manifest found;
    lp_err e = lp_manifest_scan_dir(reg->dir, &found, reg->errmsg);
    *out = found.nsegs > 0;
    lp_manifest_release(&found);
    return e;
}

/* "'<dir>/<name>': <why> (registry is corrupt: ...)" */
static lp_err corrupt(lp_registry *reg, const char *name, const char *why)
{
    size_t n = strlen(reg->dir);
    return lp_registry_seterr(reg, LP_ECORRUPT, "'%s%s%s': %s (registry is "
                              "corrupt: see 'leakprint check')", reg->dir,
                              n && reg->dir[n - 1] == '/' ? "" : "/", name,
                              why);
}

/* There is no MANIFEST. A registry that never committed has none (a writer
 * writes an empty one when it creates the metadata; an older leakprint,
 * only at its first commit). One whose metadata has rows or whose directory
 * has segment files has lost it: without the list of live segments and the
 * generation, its data cannot be told from what a failed transaction left,
 * which a writer's recovery deletes. It is corrupt, and nothing may write
 * to it until `leakprint check --repair` rebuilds the manifest. */
static lp_err no_manifest(lp_registry *reg)
{
    bool segs = false;
    uint64_t gen = 0;
    lp_err e = any_segment(reg, &segs);
    if (!e && !segs)
        e = lp_meta_max_gen(reg->meta, &gen);
    if (e)
        return e;
    if (segs || gen)
        return corrupt(reg, "MANIFEST", segs ? "missing, but segment files "
                       "are there" : "missing, but the metadata holds data");
    reg->no_manifest = true;
    return LP_OK;
}

/* Reads MANIFEST (absent: generation 0) and maps its segments; retries
 * when a concurrent merge removed a segment between the two steps. */
static lp_err load_state(lp_registry *reg)
{
    lp_err e = LP_OK;
    for (int attempt = 0; attempt < OPEN_RETRIES; attempt++) {
        lp_manifest_release(&reg->man);
        reg->no_manifest = false;
        e = lp_manifest_read(reg->dir, &reg->man, reg->errmsg);
        if (e == LP_ENOTFOUND) {
            lp_manifest_release(&reg->man);
            e = no_manifest(reg);
        }
        if (e)
            return e;
        e = open_segments(reg);
        if (e != LP_ENOTFOUND)
            return e;
    }
    return e;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Writer recovery: rows of generations above the manifest's, and files no
 * manifest names, are what a crashed or failed transaction left. */
static lp_err recover(lp_registry *reg)
{
    lp_err e = lp_meta_recover(reg->meta, reg->man.gen);
    if (e)
        return e;
    DIR *d = opendir(reg->dir);
    if (!d)
        return lp_registry_seterr(reg, LP_EIO, "'%s': %s", reg->dir,
                                  lp_errno_str(errno));
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *n = de->d_name;
        bool stale_seg = strncmp(n, "seg-", 4) == 0 && ends_with(n, ".lps") &&
                         !lp_manifest_has(&reg->man, n);
        bool stale_tmp = ends_with(n, ".tmp") &&
                         (strncmp(n, "seg-", 4) == 0 ||
                          strcmp(n, "MANIFEST.tmp") == 0);
        if (stale_seg || stale_tmp)
            unlinkat(dirfd(d), n, 0);
    }
    closedir(d);
    return LP_OK;
}

/* Takes the writer lock and writes our pid into LOCK. */
static lp_err take_lock(lp_registry *reg)
{
    char *p = lp_path_join(reg->dir, "LOCK");
    if (!p)
        return lp_registry_seterr(reg, LP_ENOMEM, "'%s': out of memory",
                                  reg->dir);
    reg->lock_fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    lp_free(p);
    if (reg->lock_fd < 0)
        return lp_registry_seterr(reg, LP_EIO, "'%s': lock: %s", reg->dir,
                                  lp_errno_str(errno));
    if (flock(reg->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK)
            return lp_registry_seterr(reg, LP_EIO, "'%s': lock: %s",
                                      reg->dir, lp_errno_str(errno));
        char buf[32] = {0};
        ssize_t k = pread(reg->lock_fd, buf, sizeof buf - 1, 0);
        long pid = k > 0 ? strtol(buf, NULL, 10) : 0;
        return lp_registry_seterr(reg, LP_EBUSY,
                                  "'%s': locked by another writer (pid %ld)",
                                  reg->dir, pid);
    }
    reg->locked = true;
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
    if (ftruncate(reg->lock_fd, 0) != 0 ||
        pwrite(reg->lock_fd, buf, (size_t)n, 0) != n)
        return lp_registry_seterr(reg, LP_EIO, "'%s': lock: %s", reg->dir,
                                  lp_errno_str(errno));
    return LP_OK;
}

/* Checks that dir holds a registry, creating it when asked. */
static lp_err find_dir(lp_registry *reg, const char *meta_path)
{
    bool create = reg->flags & LP_REGISTRY_CREATE;
    struct stat st;
    if (stat(reg->dir, &st) != 0) {
        if (errno != ENOENT)
            return lp_registry_seterr(reg, LP_EIO, "'%s': %s", reg->dir,
                                      lp_errno_str(errno));
        if (!create)
            return lp_registry_seterr(reg, LP_ENOTFOUND, "'%s': no registry "
                                      "here (run 'leakprint add' first)",
                                      reg->dir);
        if (mkdir(reg->dir, 0700) != 0)
            return lp_registry_seterr(reg, LP_EIO, "'%s': cannot create: %s",
                                      reg->dir, lp_errno_str(errno));
        reg->made_dir = reg->made_meta = true;
        return LP_OK;
    }
    if (!S_ISDIR(st.st_mode))
        return lp_registry_seterr(reg, LP_ENOTFOUND, "'%s': not a directory",
                                  reg->dir);
    /* A directory we may not search is not an empty one. */
    if (access(reg->dir, R_OK | X_OK) != 0)
        return lp_registry_seterr(reg, LP_EIO, "'%s': %s", reg->dir,
                                  lp_errno_str(errno));
    if (access(meta_path, F_OK) == 0)
        return LP_OK;
    /* No metadata: a registry only if it holds nothing else either. */
    char *man = lp_path_join(reg->dir, "MANIFEST");
    bool has_man = man && access(man, F_OK) == 0, segs = false;
    lp_free(man);
    lp_err e = any_segment(reg, &segs);
    if (e)
        return e;
    if (has_man || segs)
        return corrupt(reg, "meta.sqlite", has_man ? "missing, but the "
                       "manifest is there" : "missing, but segment files "
                       "are there");
    if (!create)
        return lp_registry_seterr(reg, LP_ENOTFOUND, "'%s': no registry here "
                                  "(run 'leakprint add' first)", reg->dir);
    reg->made_meta = true;
    return LP_OK;
}

static lp_err open_in(lp_registry *reg)
{
    bool write = reg->flags & LP_REGISTRY_WRITE;
    if ((reg->flags & LP_REGISTRY_CREATE) && !write)
        return lp_registry_seterr(reg, LP_EINVAL, "'%s': creating a registry "
                                  "needs write access", reg->dir);
    char *meta_path = lp_path_join(reg->dir, "meta.sqlite");
    if (!meta_path)
        return lp_registry_seterr(reg, LP_ENOMEM, "'%s': out of memory",
                                  reg->dir);
    lp_err e = find_dir(reg, meta_path);
    if (!e) {
        reg->dir_fd = open(reg->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (reg->dir_fd < 0)
            e = lp_registry_seterr(reg, LP_EIO, "'%s': %s", reg->dir,
                                   lp_errno_str(errno));
    }
    if (!e && write)
        e = take_lock(reg);
    /* Another writer may have made the registry before we had the lock:
     * then it is not ours to remove. */
    if (!e && reg->made_meta && access(meta_path, F_OK) == 0)
        reg->made_meta = reg->made_dir = false;
    if (!e)
        e = lp_meta_open(meta_path, write, reg->errmsg, &reg->meta);
    if (e == LP_ENOTFOUND && !write)
        lp_registry_seterr(reg, e, "'%s': no registry here (run 'leakprint "
                           "add' first)", reg->dir);
    lp_free(meta_path);
    if (!e)
        e = load_state(reg);
    if (!e && write)
        e = recover(reg);
    if (!e && write && reg->no_manifest) {
        /* From now on a missing MANIFEST means a lost one. */
        bool renamed;
        e = lp_manifest_write(reg->dir, &reg->man, &renamed, reg->errmsg);
        reg->no_manifest = !renamed;
    }
    return e;
}

void lp_registry_discard_new(lp_registry *reg)
{
    reg->discard = true;
}

/* Removes what this handle created when nothing was committed to it (its
 * metadata closed first): the files of an empty registry (its secrets.key
 * too: a registry new to this handle has only the key this run made), and
 * the directory when the handle made it. */
static void unmake(lp_registry *reg)
{
    static const char *const names[] = {
        "meta.sqlite", "meta.sqlite-wal", "meta.sqlite-shm", "MANIFEST",
        "MANIFEST.tmp", "LOCK", "secrets.key"};
    if (!reg->discard || !reg->made_meta || reg->committed ||
        reg->dir_fd < 0 || !reg->locked)
        return;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        unlinkat(reg->dir_fd, names[i], 0);
    if (reg->made_dir)
        rmdir(reg->dir);
}

lp_err lp_registry_open(const char *dir, unsigned flags, lp_registry **out)
{
    *out = NULL;
    lp_registry *reg = lp_calloc(1, sizeof *reg);
    if (!reg)
        return LP_ENOMEM;
    reg->lock_fd = -1;
    reg->dir_fd = -1;
    reg->flags = flags;
    pthread_mutex_init(&reg->shared_mu, NULL);
    lp_manifest_init(&reg->man);
    *out = reg;
    reg->dir = lp_strdup(dir);
    if (!reg->dir) {
        reg->dir = NULL;
        snprintf(reg->errmsg, sizeof reg->errmsg, "'%s': out of memory",
                 dir);
        return LP_ENOMEM;
    }
    lp_err e = open_in(reg);
    if (e) {
        /* keep only what errmsg needs: a failed handle holds no resource */
        close_segments(reg->segs, reg->man.nsegs);
        reg->segs = NULL;
        lp_manifest_release(&reg->man);
        lp_meta_close(reg->meta);
        reg->meta = NULL;
        reg->discard = true;
        unmake(reg);
        if (reg->lock_fd >= 0)
            close(reg->lock_fd);
        reg->lock_fd = -1;
        if (reg->dir_fd >= 0)
            close(reg->dir_fd);
        reg->dir_fd = -1;
    }
    return e;
}

void lp_registry_close(lp_registry *reg)
{
    if (!reg)
        return;
    lp_txn_abort(reg->txn);
    lp_registry_snapshot_release(reg, reg->shared); /* the handle's */
    if (reg->kept)
        reg->kept_drop(reg->kept);
    pthread_mutex_destroy(&reg->shared_mu);
    close_segments(reg->segs, reg->man.nsegs);
    lp_manifest_release(&reg->man);
    lp_meta_close(reg->meta);
    unmake(reg);
    if (reg->lock_fd >= 0)
        close(reg->lock_fd);
    if (reg->dir_fd >= 0)
        close(reg->dir_fd);
    lp_free(reg->dir);
    lp_free(reg);
}

/* The handle is usable: opening succeeded. */
static lp_err check_open(lp_registry *reg)
{
    if (!reg->meta)
        return lp_registry_seterr(reg, LP_EINVAL, "'%s': registry is not "
                                  "open", reg->dir ? reg->dir : "");
    return LP_OK;
}

void lp_registry_disk(const lp_registry *reg, struct lp_registry_disk *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; reg->segs && i < reg->man.nsegs; i++) {
        out->segments++;
        out->fingerprints += lp_segment_count(reg->segs[i]);
        out->segment_bytes += lp_segment_bytes(reg->segs[i]);
    }
    static const char *const names[] = {"meta.sqlite", "meta.sqlite-wal"};
    for (size_t i = 0; i < 2; i++) {
        struct stat st;
        char *p = lp_path_join(reg->dir, names[i]);
        if (p && stat(p, &st) == 0)
            out->meta_bytes += (uint64_t)st.st_size;
        lp_free(p);
    }
}

/* ---- lookups ------------------------------------------------------------ */

void lp_registry_prefetch(const lp_registry *reg, uint64_t hash, int stage)
{
    for (size_t i = 0; i < reg->man.nsegs; i++)
        lp_segment_prefetch(reg->segs[i], hash, stage);
}

size_t lp_registry_lookup(const lp_registry *reg, uint64_t hash,
                          struct lp_fp_entry *out, size_t max)
{
    size_t total = 0;
    for (size_t i = 0; i < reg->man.nsegs; i++) {
        size_t done = total < max ? total : max;
        total += lp_segment_lookup(reg->segs[i], hash, out + done, max - done);
    }
    return total;
}

/* ---- snapshot ----------------------------------------------------------- */

void lp_snapshot_free(struct lp_snapshot *snap)
{
    if (!snap)
        return;
    for (size_t i = 0; i < snap->ncollections; i++)
        lp_free(snap->collections[i].name);
    for (size_t i = 0; i < snap->nversions; i++)
        lp_free(snap->versions[i].name);
    for (size_t i = 0; i < snap->nassets; i++)
        lp_free(snap->assets[i].path);
    lp_free(snap->collections);
    lp_free(snap->versions);
    lp_free(snap->assets);
    lp_free(snap->blobs);
    lp_free(snap->sha_table);
    lp_free(snap->size_table);
    lp_free(snap->blob_flags);
    lp_free(snap->lineage);
    lp_free(snap->tlsh);
    lp_free(snap);
}

static size_t sha_slot(const uint8_t sha[LP_SHA256_LEN], size_t mask)
{
    return (size_t)lp_get_u64le(sha) & mask;
}

static size_t size_slot(uint64_t size, size_t mask)
{
    return (size_t)((size * 0x9E3779B97F4A7C15ull) >> 29) & mask;
}

/* Tables of the blobs some asset references, by SHA-256 and by size (open
 * addressing, linear probing, load <= 1/2): a blob no file names any more
 * is never reported. */
static lp_err build_sha_table(struct lp_snapshot *snap)
{
    size_t distinct = 0;
    for (size_t i = 0; i < snap->nassets; i++)
        if (i == 0 || snap->assets[i].blob != snap->assets[i - 1].blob)
            distinct++;
    size_t size = 16;
    while (size < 2 * distinct)
        size *= 2;
    snap->sha_table = lp_calloc(size, sizeof *snap->sha_table);
    snap->size_table = lp_calloc(size, sizeof *snap->size_table);
    if (!snap->sha_table || !snap->size_table)
        return LP_ENOMEM;
    snap->sha_mask = size - 1;
    for (size_t i = 0; i < snap->nassets; i++) {
        uint32_t b = snap->assets[i].blob;
        if (i > 0 && b == snap->assets[i - 1].blob)
            continue;
        size_t s = sha_slot(snap->blobs[b].sha, snap->sha_mask);
        while (snap->sha_table[s])
            s = (s + 1) & snap->sha_mask;
        snap->sha_table[s] = b;
        uint64_t key = snap->blobs[b].size + 1;
        s = size_slot(key - 1, snap->sha_mask);
        while (snap->size_table[s] && snap->size_table[s] != key)
            s = (s + 1) & snap->sha_mask;
        snap->size_table[s] = key;
    }
    return LP_OK;
}

bool lp_snapshot_has_size(const struct lp_snapshot *snap, uint64_t size)
{
    if (!snap->size_table) /* an empty snapshot (no registry) */
        return false;
    size_t s = size_slot(size, snap->sha_mask);
    uint64_t v;
    while ((v = snap->size_table[s]) != 0) {
        if (v == size + 1)
            return true;
        s = (s + 1) & snap->sha_mask;
    }
    return false;
}

/* Blob flags, and lineages: (collection, path) pairs numbered through an
 * open-addressing table keyed by their hash. A blob takes the lineage of
 * its first asset; the versions of one file share it, so that evidence
 * weighting counts files, not versions. */
static lp_err build_lineages(struct lp_snapshot *snap)
{
    size_t size = 16;
    while (size < 2 * snap->nassets)
        size *= 2;
    snap->blob_flags = lp_calloc(snap->nblobs + 1, 1);
    snap->lineage = lp_calloc(snap->nblobs + 1, sizeof *snap->lineage);
    uint64_t *keys = lp_calloc(size, sizeof *keys);
    uint32_t *ids = lp_calloc(size, sizeof *ids);
    uint32_t *owner = lp_calloc(size, sizeof *owner); /* an asset of it */
    lp_err err = LP_ENOMEM;
    if (!snap->blob_flags || !snap->lineage || !keys || !ids || !owner)
        goto out;
    for (size_t i = 0; i < snap->nassets; i++) {
        const struct lp_snap_asset *as = &snap->assets[i];
        uint32_t c = snap->versions[as->version].collection;
        uint64_t key = lp_hash64(as->path, strlen(as->path)) ^
                       ((uint64_t)c * 0x9E3779B97F4A7C15ull);
        key |= 1; /* 0 marks an empty slot */
        size_t sl = (size_t)(key >> 17) & (size - 1);
        while (keys[sl]) {
            const struct lp_snap_asset *o = &snap->assets[owner[sl]];
            if (keys[sl] == key && snap->versions[o->version].collection == c &&
                strcmp(o->path, as->path) == 0)
                break;
            sl = (sl + 1) & (size - 1);
        }
        if (!keys[sl]) {
            keys[sl] = key;
            ids[sl] = ++snap->nlineages;
            owner[sl] = (uint32_t)i;
        }
        if (as->blob >= snap->nblobs)
            continue;
        snap->blob_flags[as->blob] |= snap->collections[c].public_
                                          ? LP_BLOB_PUBLIC : LP_BLOB_PRIVATE;
        if (!snap->lineage[as->blob])
            snap->lineage[as->blob] = ids[sl];
    }
    err = LP_OK;
out:
    lp_free(keys);
    lp_free(ids);
    lp_free(owner);
    return err;
}

lp_err lp_registry_snapshot(lp_registry *reg, struct lp_snapshot **out)
{
    *out = NULL;
    lp_err e = check_open(reg);
    if (e)
        return e;
    if (reg->txn)
        return lp_registry_seterr(reg, LP_EINVAL, "'%s': snapshot during a "
                                  "transaction", reg->dir);
    struct lp_snapshot *snap = lp_calloc(1, sizeof *snap);
    if (!snap)
        return lp_registry_seterr(reg, LP_ENOMEM, "'%s': out of memory",
                                  reg->dir);
    e = lp_meta_snapshot(reg->meta, reg->man.gen, snap);
    if (!e && (build_sha_table(snap) || build_lineages(snap)))
        e = lp_registry_seterr(reg, LP_ENOMEM, "'%s': out of memory",
                               reg->dir);
    if (e) {
        lp_snapshot_free(snap);
        return e;
    }
    *out = snap;
    return LP_OK;
}

/* Drops one reference to a shared snapshot; the last frees it. Called
 * with shared_mu held. */
static void snapshot_unref(struct lp_snapshot *snap)
{
    if (snap && --snap->refs == 0)
        lp_snapshot_free(snap);
}

lp_err lp_registry_snapshot_shared(lp_registry *reg,
                                   const struct lp_snapshot **out)
{
    *out = NULL;
    lp_err e = check_open(reg);
    if (e)
        return e;
    pthread_mutex_lock(&reg->shared_mu);
    if (reg->shared && reg->shared_gen != reg->man.gen) {
        /* a newer generation (an add through this handle): the handle
         * lets go of the old one; scans that hold it keep it alive */
        snapshot_unref(reg->shared);
        reg->shared = NULL;
    }
    if (!reg->shared && (e = lp_registry_snapshot(reg, &reg->shared)) == LP_OK) {
        reg->shared_gen = reg->man.gen;
        reg->shared->refs = 1; /* the handle's */
    }
    if (reg->shared) {
        reg->shared->refs++;
        *out = reg->shared;
    }
    pthread_mutex_unlock(&reg->shared_mu);
    return e;
}

void *lp_registry_kept(lp_registry *reg, void *(*take)(void *))
{
    void *v = NULL;
    pthread_mutex_lock(&reg->shared_mu);
    if (reg->kept && reg->kept_gen == reg->man.gen)
        v = take(reg->kept);
    pthread_mutex_unlock(&reg->shared_mu);
    return v;
}

void lp_registry_keep(lp_registry *reg, void *v, void (*drop)(void *))
{
    pthread_mutex_lock(&reg->shared_mu);
    void *old = reg->kept;
    void (*old_drop)(void *) = reg->kept_drop;
    reg->kept = v;
    reg->kept_drop = drop;
    reg->kept_gen = reg->man.gen;
    pthread_mutex_unlock(&reg->shared_mu);
    if (old)
        old_drop(old);
}

void lp_registry_snapshot_release(lp_registry *reg,
                                  const struct lp_snapshot *snap)
{
    if (!snap)
        return;
    pthread_mutex_lock(&reg->shared_mu);
    /* the snapshot was handed out const; the handle owns it */
    snapshot_unref((struct lp_snapshot *)(uintptr_t)snap);
    pthread_mutex_unlock(&reg->shared_mu);
}

uint32_t lp_snapshot_find_sha(const struct lp_snapshot *snap,
                              const uint8_t sha[LP_SHA256_LEN])
{
    size_t s = sha_slot(sha, snap->sha_mask);
    uint32_t b;
    while ((b = snap->sha_table[s]) != 0) {
        if (memcmp(snap->blobs[b].sha, sha, LP_SHA256_LEN) == 0)
            return b;
        s = (s + 1) & snap->sha_mask;
    }
    return 0;
}

size_t lp_snapshot_assets(const struct lp_snapshot *snap, uint32_t blob,
                          size_t *first)
{
    size_t lo = 0, hi = snap->nassets;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (snap->assets[mid].blob < blob)
            lo = mid + 1;
        else
            hi = mid;
    }
    *first = lo;
    size_t n = 0;
    while (lo + n < snap->nassets && snap->assets[lo + n].blob == blob)
        n++;
    return n;
}

/* ---- remove ------------------------------------------------------------- */

lp_err lp_remove(lp_registry *reg, const char *name)
{
    lp_err e = check_open(reg);
    if (e)
        return e;
    if (!(reg->flags & LP_REGISTRY_WRITE) || reg->txn)
        return lp_registry_seterr(reg, LP_EINVAL, "'%s': remove needs the "
                                  "writer lock and no open transaction",
                                  reg->dir);
    return lp_meta_remove(reg->meta, name, reg->man.gen);
}

/* ---- writer transaction ------------------------------------------------- */

lp_err lp_registry_begin(lp_registry *reg, struct lp_txn **out)
{
    *out = NULL;
    lp_err e = check_open(reg);
    if (e)
        return e;
    if (!(reg->flags & LP_REGISTRY_WRITE) || reg->txn)
        return lp_registry_seterr(reg, LP_EINVAL, "'%s': a transaction needs "
                                  "the writer lock and no other transaction",
                                  reg->dir);
    /* a failed commit may have left rows or files behind */
    e = recover(reg);
    if (e)
        return e;
    struct lp_txn *txn = lp_calloc(1, sizeof *txn);
    if (!txn)
        return lp_registry_seterr(reg, LP_ENOMEM, "'%s': out of memory",
                                  reg->dir);
    txn->reg = reg;
    txn->gen = reg->man.gen + 1;
    txn->flush_at = flush_threshold(reg);
    lp_manifest_init(&txn->made);
    e = lp_meta_begin(reg->meta);
    if (e) {
        lp_free(txn);
        return e;
    }
    reg->txn = txn;
    *out = txn;
    return LP_OK;
}

lp_err lp_txn_collection(struct lp_txn *txn, const char *name, bool public_,
                         int64_t *out)
{
    return lp_meta_collection(txn->reg->meta, name, public_, txn->gen, out);
}

lp_err lp_txn_version(struct lp_txn *txn, int64_t collection, const char *name,
                      int64_t created, int64_t *out)
{
    return lp_meta_version(txn->reg->meta, collection, name, created,
                           txn->gen, out);
}

lp_err lp_txn_blob_find(struct lp_txn *txn, const uint8_t sha[LP_SHA256_LEN],
                        uint32_t *out)
{
    return lp_meta_blob_find(txn->reg->meta, sha, out);
}

lp_err lp_txn_blob_add(struct lp_txn *txn, const struct lp_blob_info *info,
                       uint32_t *out)
{
    return lp_meta_blob_add(txn->reg->meta, info, txn->gen, out);
}

lp_err lp_registry_gitblob(lp_registry *reg, const uint8_t oid[20],
                           uint32_t *out)
{
    *out = 0;
    lp_err e = check_open(reg);
    if (!e && !(reg->flags & LP_REGISTRY_WRITE))
        e = lp_registry_seterr(reg, LP_EINVAL, "'%s': not open for writing",
                               reg->dir);
    if (!e)
        e = lp_meta_gitblob_find(reg->meta, oid, reg->man.gen, out);
    return e;
}

lp_err lp_registry_gitblobs(lp_registry *reg,
                            int (*fn)(void *ctx, const uint8_t oid[20],
                                      uint32_t blob),
                            void *ctx)
{
    lp_err e = check_open(reg);
    if (!e)
        e = lp_meta_gitblobs(reg->meta, reg->man.gen, fn, ctx);
    return e;
}

lp_err lp_txn_gitblob(struct lp_txn *txn, const uint8_t oid[20], uint32_t blob)
{
    return lp_meta_gitblob_add(txn->reg->meta, oid, blob, txn->gen);
}

lp_err lp_txn_tlsh(struct lp_txn *txn, uint32_t blob, const char *digest)
{
    return lp_meta_tlsh_add(txn->reg->meta, blob, digest, txn->gen);
}

lp_err lp_txn_secret(struct lp_txn *txn, uint32_t blob, const char *rule,
                     const char *fp, uint32_t line)
{
    return lp_meta_secret_add(txn->reg->meta, blob, rule, fp, line, txn->gen);
}

lp_err lp_txn_domain(struct lp_txn *txn, uint32_t blob, const char *domain)
{
    return lp_meta_domain_add(txn->reg->meta, blob, domain, txn->gen);
}

lp_err lp_txn_term(struct lp_txn *txn, uint32_t blob, const char *kind,
                   const char *term)
{
    return lp_meta_term_add(txn->reg->meta, blob, kind, term, txn->gen);
}

lp_err lp_txn_file(struct lp_txn *txn, int64_t version, const char *path,
                   uint32_t blob)
{
    return lp_meta_file(txn->reg->meta, version, path, blob, txn->gen);
}

/* Name of the transaction's next segment file, into name[64]. */
static void next_name(struct lp_txn *txn, char name[64])
{
    snprintf(name, 64, "seg-%08llx-%u.lps", (unsigned long long)txn->gen,
             txn->next++);
}

/* Records a segment this transaction wrote (and opened). */
static lp_err keep_made(struct lp_txn *txn, const char *name,
                        struct lp_segment *seg)
{
    lp_registry *reg = txn->reg;
    if (!lp_grow((void **)&txn->made_segs, &txn->made_cap,
                 txn->made.nsegs + 1, sizeof *txn->made_segs) ||
        lp_manifest_add(&txn->made, name)) {
        lp_segment_close(seg);
        unlink_in(reg, name);
        return lp_registry_seterr(reg, LP_ENOMEM, "'%s': out of memory",
                                  reg->dir);
    }
    txn->made_segs[txn->made.nsegs - 1] = seg;
    return LP_OK;
}

/* Writes a segment: from the queue (segs == NULL) or merging segs[]. */
static lp_err write_segment(struct lp_txn *txn, struct lp_segment *const *segs,
                            size_t nsegs)
{
    lp_registry *reg = txn->reg;
    struct lp_segment *seg = NULL;
    char name[64];
    next_name(txn, name);
    char *path = lp_path_join(reg->dir, name);
    if (!path)
        return lp_registry_seterr(reg, LP_ENOMEM, "'%s': out of memory",
                                  reg->dir);
    lp_err e = segs ? lp_segment_merge(path, segs, nsegs, reg->errmsg)
                    : lp_segment_write(path, txn->q, txn->nq, reg->errmsg);
    if (!e)
        e = lp_segment_open_flags(path, LP_SEG_NO_PRESENCE, &seg, reg->errmsg);
    if (e)
        unlink(path);
    lp_free(path);
    if (e)
        return e;
    return keep_made(txn, name, seg);
}

static lp_err flush_queue(struct lp_txn *txn)
{
    if (txn->nq == 0)
        return LP_OK;
    lp_err e = write_segment(txn, NULL, 0);
    txn->nq = 0;
    return e;
}

lp_err lp_txn_fingerprints(struct lp_txn *txn, const struct lp_fp_entry *e,
                           size_t n)
{
    while (n) {
        if (txn->nq >= txn->flush_at) {
            lp_err err = flush_queue(txn);
            if (err)
                return err;
        }
        /* As many as fit before the next flush, with one growth check. */
        size_t m = txn->flush_at - txn->nq < n ? txn->flush_at - txn->nq : n;
        if (!lp_grow((void **)&txn->q, &txn->capq, txn->nq + m, sizeof *txn->q))
            return lp_registry_seterr(txn->reg, LP_ENOMEM, "'%s': out of "
                                      "memory", txn->reg->dir);
        struct lp_seg_rec *r = &txn->q[txn->nq];
        for (size_t i = 0; i < m; i++) {
            r[i].hash = e[i].hash;
            r[i].blob = e[i].blob;
            r[i].lines = lp_seg_pack_lines(e[i].first, e[i].last);
        }
        txn->nq += m;
        e += m;
        n -= m;
    }
    return LP_OK;
}

/* Frees the transaction; with `drop`, closes and deletes its segments. */
static void txn_free(struct lp_txn *txn, bool drop)
{
    for (size_t i = 0; drop && i < txn->made.nsegs; i++) {
        lp_segment_close(txn->made_segs[i]);
        unlink_in(txn->reg, txn->made.segs[i]);
    }
    lp_free(txn->made_segs);
    lp_manifest_release(&txn->made);
    lp_free(txn->q);
    txn->reg->txn = NULL;
    lp_free(txn);
}

void lp_txn_abort(struct lp_txn *txn)
{
    if (!txn)
        return;
    lp_meta_rollback(txn->reg->meta);
    txn_free(txn, true);
}

/* The commit's new state: manifest and open segments, built before the
 * commit point. Merges everything into one segment past LP_MERGE_SEGMENTS
 * (unless the merged segment would be too large). `merged` tells whether
 * the old segments are to be deleted. */
static lp_err next_state(struct lp_txn *txn, struct lp_manifest *nm,
                         struct lp_segment ***nsegs, bool *merged)
{
    lp_registry *reg = txn->reg;
    size_t old = reg->man.nsegs, made = txn->made.nsegs;
    uint64_t total = 0;
    lp_err e = LP_OK;
    *merged = false;
    for (size_t i = 0; i < old; i++)
        total += lp_segment_count(reg->segs[i]);
    for (size_t i = 0; i < made; i++)
        total += lp_segment_count(txn->made_segs[i]);
    struct lp_segment **all = lp_calloc(old + made + 1, sizeof *all);
    if (!all)
        return lp_registry_seterr(reg, LP_ENOMEM, "'%s': out of memory",
                                  reg->dir);
    for (size_t i = 0; i < old; i++)
        all[i] = reg->segs[i];
    for (size_t i = 0; i < made; i++)
        all[old + i] = txn->made_segs[i];
    size_t n = old + made;
    nm->gen = txn->gen;
    if (n > LP_MERGE_SEGMENTS && total <= LP_SEG_MAX_ENTRIES) {
        e = write_segment(txn, all, n);
        if (e)
            goto out;
        *merged = true;
        all[0] = txn->made_segs[txn->made.nsegs - 1];
        n = 1;
        e = lp_manifest_add(nm, txn->made.segs[txn->made.nsegs - 1]);
    } else {
        for (size_t i = 0; !e && i < old; i++)
            e = lp_manifest_add(nm, reg->man.segs[i]);
        for (size_t i = 0; !e && i < made; i++)
            e = lp_manifest_add(nm, txn->made.segs[i]);
    }
    if (e)
        e = lp_registry_seterr(reg, e, "'%s': %s", reg->dir,
                               e == LP_ELIMIT ? "too many segments"
                                              : "out of memory");
out:
    if (e) {
        lp_free(all);
        return e;
    }
    *nsegs = all;
    return LP_OK;
}

/* After the commit point: adopt the new state, drop merged-away files. */
static void install_state(struct lp_txn *txn, struct lp_manifest *nm,
                          struct lp_segment **nsegs, bool merged)
{
    lp_registry *reg = txn->reg;
    if (merged) {
        for (size_t i = 0; i < reg->man.nsegs; i++) {
            lp_segment_close(reg->segs[i]);
            unlink_in(reg, reg->man.segs[i]);
        }
        /* every segment this txn made but the last was merged into it */
        for (size_t i = 0; i + 1 < txn->made.nsegs; i++) {
            lp_segment_close(txn->made_segs[i]);
            unlink_in(reg, txn->made.segs[i]);
        }
    }
    lp_free(reg->segs);
    reg->segs = nsegs;
    lp_manifest_release(&reg->man);
    reg->man = *nm;
    lp_manifest_init(nm);
}

lp_err lp_txn_commit(struct lp_txn *txn)
{
    lp_registry *reg = txn->reg;
    struct lp_manifest nm;
    struct lp_segment **nsegs = NULL;
    bool merged = false, renamed = false;
    lp_manifest_init(&nm);
    lp_err e = flush_queue(txn);
    if (!e)
        e = next_state(txn, &nm, &nsegs, &merged);
    if (e)
        goto fail;
    crash_point(reg, "before-sqlite");
    e = lp_meta_commit(reg->meta);
    if (e)
        goto fail;
    crash_point(reg, "after-sqlite");
    e = lp_manifest_write(reg->dir, &nm, &renamed, reg->errmsg);
    if (!renamed) {
        /* rows of txn->gen are committed but not live: take them back now
         * (the next begin or open retries if this fails) */
        lp_meta_recover(reg->meta, reg->man.gen);
        goto fail;
    }
    crash_point(reg, "after-manifest");
    reg->committed = true;
    install_state(txn, &nm, nsegs, merged);
    txn_free(txn, false);
    return e; /* LP_OK, or the directory fsync failed after the rename */
fail:
    lp_meta_rollback(reg->meta);
    lp_free(nsegs);
    lp_manifest_release(&nm);
    txn_free(txn, true);
    return e;
}
