/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of registry.h and the registry calls of leakprint.h: create,
 * transactions, reopen, lookups and snapshots with exact contents, blob
 * dedupe, the writer lock, abort, crash recovery at each step of the commit
 * protocol (a child process that dies at a named step), merges, remove,
 * list/stats output and allocation failures. Built with -DLP_TEST_HOOKS
 * against the hooked registry object (see the Makefile).
 */
#include <dirent.h>
#include <pthread.h>
#include <semaphore.h>
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "hash.h"
#include "leakprint.h"
#include "limits.h"
#include "manifest.h"
#include "mem.h"
#include "registry.h"

#include "testutil.h"
#include "banned.h"

#define NFP 20 /* fingerprints per blob */

struct fixture {
    char parent[64];
    char dir[96];
};

/* Entries a transaction queues before it writes a segment, for every
 * registry opened by open_reg() (a test hook of registry.h; 0: the
 * default); reset after each test. */
static size_t flush_entries;

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    tu_mkdtemp(f->parent, sizeof f->parent, "regtest");
    snprintf(f->dir, sizeof f->dir, "%s/db", f->parent);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    tu_rmrf(f->parent);
    flush_entries = 0;
    free(f);
    return 0;
}

static lp_registry *open_reg(struct fixture *f, unsigned flags)
{
    lp_registry *reg = NULL;
    lp_err e = lp_registry_open(f->dir, flags, &reg);
    if (e)
        fprintf(stderr, "open: %s\n", lp_registry_errmsg(reg));
    assert_int_equal(e, LP_OK);
    lp_registry_test_hooks(reg, NULL, flush_entries);
    return reg;
}

static void content_sha(const char *content, uint8_t sha[LP_SHA256_LEN])
{
    assert_int_equal(lp_sha256(content, strlen(content), sha), LP_OK);
}

/* Fingerprint j of a blob: derived from its content name. */
static uint64_t fp_hash(const char *content, int j)
{
    char buf[64];
    int n = snprintf(buf, sizeof buf, "fingerprint %d of %s", j, content);
    return lp_hash64(buf, (size_t)n);
}

/* Adds blob `content` (or finds it) and its file `path` to version v. */
static uint32_t add_file(struct lp_txn *txn, int64_t v, const char *path,
                         const char *content)
{
    uint8_t sha[LP_SHA256_LEN];
    uint32_t id = 0;
    content_sha(content, sha);
    assert_int_equal(lp_txn_blob_find(txn, sha, &id), LP_OK);
    if (id == 0) {
        struct lp_blob_info info = {.size = strlen(content) * 10,
                                    .lines = 100, .nfp = NFP,
                                    .kind = 1, .lang = 2};
        memcpy(info.sha, sha, LP_SHA256_LEN);
        assert_int_equal(lp_txn_blob_add(txn, &info, &id), LP_OK);
        assert_true(id > 0);
        uint32_t again = 0;
        assert_int_equal(lp_txn_blob_find(txn, sha, &again), LP_OK);
        assert_int_equal(again, id);
        struct lp_fp_entry e[NFP];
        for (int j = 0; j < NFP; j++) {
            e[j].hash = fp_hash(content, j);
            e[j].blob = id;
            e[j].first = (uint32_t)j + 1;
            e[j].last = (uint32_t)j + 4;
        }
        assert_int_equal(lp_txn_fingerprints(txn, e, NFP), LP_OK);
    }
    assert_int_equal(lp_txn_file(txn, v, path, id), LP_OK);
    return id;
}

/* One transaction: version `vname` of `coll` with files f<i>.c holding
 * contents "<prefix><i>". */
static void add_version(lp_registry *reg, const char *coll, bool pub,
                        const char *vname, int64_t created, int nfiles,
                        const char *prefix)
{
    struct lp_txn *txn;
    int64_t c, v;
    assert_int_equal(lp_registry_begin(reg, &txn), LP_OK);
    assert_int_equal(lp_txn_collection(txn, coll, pub, &c), LP_OK);
    assert_int_equal(lp_txn_version(txn, c, vname, created, &v), LP_OK);
    for (int i = 0; i < nfiles; i++) {
        char path[64], content[64];
        snprintf(path, sizeof path, "src/f%d.c", i);
        snprintf(content, sizeof content, "%s%d", prefix, i);
        add_file(txn, v, path, content);
    }
    assert_int_equal(lp_txn_commit(txn), LP_OK);
}

/* Checks that content's fingerprints are found exactly once, in `blob`. */
static void check_found(const lp_registry *reg, const char *content,
                        uint32_t blob)
{
    for (int j = 0; j < NFP; j++) {
        struct lp_fp_entry out[4];
        size_t n = lp_registry_lookup(reg, fp_hash(content, j), out, 4);
        assert_int_equal(n, 1);
        assert_int_equal(out[0].hash, fp_hash(content, j));
        assert_int_equal(out[0].blob, blob);
        assert_int_equal(out[0].first, j + 1);
        assert_int_equal(out[0].last, j + 4);
    }
}

static void check_absent(const lp_registry *reg, const char *content)
{
    for (int j = 0; j < NFP; j++) {
        struct lp_fp_entry out[1];
        assert_int_equal(lp_registry_lookup(reg, fp_hash(content, j), out, 1),
                         0);
    }
}

static uint32_t find_blob(const struct lp_snapshot *s, const char *content)
{
    uint8_t sha[LP_SHA256_LEN];
    content_sha(content, sha);
    return lp_snapshot_find_sha(s, sha);
}

static struct lp_snapshot *snap_of(lp_registry *reg)
{
    struct lp_snapshot *s = NULL;
    assert_int_equal(lp_registry_snapshot(reg, &s), LP_OK);
    return s;
}

static void assert_snap_equal(const struct lp_snapshot *a,
                              const struct lp_snapshot *b)
{
    assert_int_equal(a->ncollections, b->ncollections);
    for (size_t i = 0; i < a->ncollections; i++) {
        assert_string_equal(a->collections[i].name, b->collections[i].name);
        assert_int_equal(a->collections[i].public_, b->collections[i].public_);
        assert_int_equal(a->collections[i].nversions,
                         b->collections[i].nversions);
        assert_int_equal(a->collections[i].assets_latest,
                         b->collections[i].assets_latest);
    }
    assert_int_equal(a->nversions, b->nversions);
    for (size_t i = 0; i < a->nversions; i++) {
        assert_string_equal(a->versions[i].name, b->versions[i].name);
        assert_int_equal(a->versions[i].collection, b->versions[i].collection);
        assert_int_equal(a->versions[i].created, b->versions[i].created);
        assert_int_equal(a->versions[i].nfiles, b->versions[i].nfiles);
    }
    assert_int_equal(a->nassets, b->nassets);
    for (size_t i = 0; i < a->nassets; i++) {
        assert_string_equal(a->assets[i].path, b->assets[i].path);
        assert_int_equal(a->assets[i].blob, b->assets[i].blob);
        assert_int_equal(a->assets[i].version, b->assets[i].version);
    }
    assert_int_equal(a->nblobs, b->nblobs);
    assert_memory_equal(a->blobs, b->blobs, a->nblobs * sizeof *a->blobs);
}

/* Segment and temporary files in the directory must be exactly the ones
 * MANIFEST names. Returns the number of segments. */
static size_t check_files(struct fixture *f)
{
    struct lp_manifest m;
    char err[LP_MANIFEST_ERRLEN];
    lp_err e = lp_manifest_read(f->dir, &m, err);
    assert_true(e == LP_OK || e == LP_ENOTFOUND);
    DIR *d = opendir(f->dir);
    assert_non_null(d);
    size_t nseg = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        assert_null(strstr(de->d_name, ".tmp"));
        if (strncmp(de->d_name, "seg-", 4) == 0) {
            assert_true(lp_manifest_has(&m, de->d_name));
            nseg++;
        }
    }
    closedir(d);
    assert_int_equal(nseg, m.nsegs);
    lp_manifest_release(&m);
    return nseg;
}

/* ---- tests -------------------------------------------------------------- */

static void test_missing(void **state)
{
    struct fixture *f = *state;
    lp_registry *reg = NULL;
    char want[256];
    snprintf(want, sizeof want,
             "'%s': no registry here (run 'leakprint add' first)", f->dir);
    assert_int_equal(lp_registry_open(f->dir, 0, &reg), LP_ENOTFOUND);
    assert_non_null(reg);
    assert_string_equal(lp_registry_errmsg(reg), want);
    lp_registry_close(reg);
    assert_int_equal(lp_registry_open(f->dir, LP_REGISTRY_WRITE, &reg),
                     LP_ENOTFOUND);
    lp_registry_close(reg);
    /* an existing directory that is no registry */
    snprintf(f->dir, sizeof f->dir, "%s", f->parent);
    snprintf(want, sizeof want,
             "'%s': no registry here (run 'leakprint add' first)", f->dir);
    assert_int_equal(lp_registry_open(f->dir, 0, &reg), LP_ENOTFOUND);
    assert_string_equal(lp_registry_errmsg(reg), want);
    lp_registry_close(reg);
}

static void test_create_commit_reopen(void **state)
{
    struct fixture *f = *state;
    lp_registry *reg = open_reg(f, LP_REGISTRY_WRITE | LP_REGISTRY_CREATE);
    assert_string_equal(lp_registry_path(reg), f->dir);
    /* an empty registry */
    struct lp_snapshot *s = snap_of(reg);
    assert_int_equal(s->ncollections, 0);
    assert_int_equal(s->nassets, 0);
    lp_snapshot_free(s);

    struct lp_txn *txn;
    int64_t c, v, c2;
    assert_int_equal(lp_registry_begin(reg, &txn), LP_OK);
    struct lp_txn *txn2;
    assert_int_equal(lp_registry_begin(reg, &txn2), LP_EINVAL);
    assert_int_equal(lp_txn_collection(txn, "core", false, &c), LP_OK);
    assert_int_equal(lp_txn_collection(txn, "core", false, &c2), LP_OK);
    assert_int_equal(c, c2);
    assert_int_equal(lp_txn_collection(txn, "core", true, &c2), LP_EINVAL);
    assert_int_equal(lp_txn_version(txn, c, "v1", 1000, &v), LP_OK);
    assert_int_equal(lp_txn_version(txn, c, "v1", 1000, &v), LP_EEXIST);
    uint32_t a = add_file(txn, v, "src/a.c", "alpha");
    uint32_t b = add_file(txn, v, "src/b.c", "beta");
    uint32_t a2 = add_file(txn, v, "src/copy-of-a.c", "alpha");
    assert_int_equal(a, a2);
    assert_int_not_equal(a, b);
    assert_int_equal(lp_txn_commit(txn), LP_OK);
    check_found(reg, "alpha", a);
    lp_registry_close(reg);

    reg = open_reg(f, 0);
    check_found(reg, "alpha", a);
    check_found(reg, "beta", b);
    check_absent(reg, "gamma");
    /* max smaller than the total */
    struct lp_fp_entry out[1];
    assert_int_equal(lp_registry_lookup(reg, fp_hash("beta", 3), out, 0), 1);
    s = snap_of(reg);
    assert_int_equal(s->ncollections, 1);
    assert_string_equal(s->collections[0].name, "core");
    assert_false(s->collections[0].public_);
    assert_int_equal(s->collections[0].nversions, 1);
    assert_int_equal(s->collections[0].assets_latest, 3);
    assert_int_equal(s->nversions, 1);
    assert_string_equal(s->versions[0].name, "v1");
    assert_int_equal(s->versions[0].created, 1000);
    assert_int_equal(s->versions[0].nfiles, 3);
    assert_int_equal(s->nassets, 3);
    assert_int_equal(s->assets[0].blob, a);
    assert_string_equal(s->assets[0].path, "src/a.c");
    assert_int_equal(s->assets[1].blob, a);
    assert_string_equal(s->assets[1].path, "src/copy-of-a.c");
    assert_int_equal(s->assets[2].blob, b);
    assert_string_equal(s->assets[2].path, "src/b.c");
    assert_int_equal(s->nblobs, b + 1);
    assert_int_equal(s->blobs[a].size, 50);
    assert_int_equal(s->blobs[b].size, 40);
    assert_int_equal(s->blobs[b].lines, 100);
    assert_int_equal(s->blobs[b].nfp, NFP);
    assert_int_equal(s->blobs[b].kind, 1);
    assert_int_equal(s->blobs[b].lang, 2);
    assert_int_equal(find_blob(s, "alpha"), a);
    assert_int_equal(find_blob(s, "beta"), b);
    assert_int_equal(find_blob(s, "gamma"), 0);
    size_t first;
    assert_int_equal(lp_snapshot_assets(s, a, &first), 2);
    assert_int_equal(first, 0);
    assert_int_equal(lp_snapshot_assets(s, b, &first), 1);
    assert_int_equal(first, 2);
    assert_int_equal(lp_snapshot_assets(s, b + 1, &first), 0);
    lp_snapshot_free(s);
    /* a reader cannot write */
    assert_int_equal(lp_registry_begin(reg, &txn), LP_EINVAL);
    assert_int_equal(lp_remove(reg, "core"), LP_EINVAL);
    lp_registry_close(reg);
    assert_int_equal(check_files(f), 1);
}

static void test_dedupe_across_txns(void **state)
{
    struct fixture *f = *state;
    lp_registry *reg = open_reg(f, LP_REGISTRY_WRITE | LP_REGISTRY_CREATE);
    add_version(reg, "core", false, "v1", 100, 3, "x");
    add_version(reg, "core", false, "v2", 200, 4, "x"); /* 3 old, 1 new */
    struct lp_snapshot *s = snap_of(reg);
    assert_int_equal(s->nversions, 2);
    assert_string_equal(s->versions[0].name, "v1");
    assert_string_equal(s->versions[1].name, "v2");
    assert_int_equal(s->versions[1].nfiles, 4);
    assert_int_equal(s->collections[0].nversions, 2);
    assert_int_equal(s->collections[0].assets_latest, 4);
    assert_int_equal(s->nassets, 7);
    assert_int_equal(s->nblobs, 5); /* ids 1..4 */
    size_t first;
    uint32_t x0 = find_blob(s, "x0");
    assert_int_equal(lp_snapshot_assets(s, x0, &first), 2);
    assert_int_equal(s->assets[first].version, 0);
    assert_int_equal(s->assets[first + 1].version, 1);
    assert_int_equal(lp_snapshot_assets(s, find_blob(s, "x3"), &first), 1);
    for (int i = 0; i < 4; i++) {
        char content[32];
        snprintf(content, sizeof content, "x%d", i);
        check_found(reg, content, find_blob(s, content)); /* written once */
    }
    lp_snapshot_free(s);
    lp_registry_close(reg);
}

/* The snapshot scans share: built once per generation, the same one at
 * each call, and a new one after a commit through the handle. */
static void test_shared_snapshot(void **state)
{
    struct fixture *f = *state;
    lp_registry *reg = open_reg(f, LP_REGISTRY_WRITE | LP_REGISTRY_CREATE);
    add_version(reg, "core", false, "v1", 100, 3, "x");
    const struct lp_snapshot *a = NULL, *b = NULL, *c = NULL;
    assert_int_equal(lp_registry_snapshot_shared(reg, &a), LP_OK);
    assert_int_equal(lp_registry_snapshot_shared(reg, &b), LP_OK);
    assert_ptr_equal(a, b);
    struct lp_snapshot *own = snap_of(reg);
    assert_snap_equal(a, own);
    lp_snapshot_free(own);
    assert_int_equal(a->nversions, 1);
    add_version(reg, "core", false, "v2", 200, 4, "x");
    assert_int_equal(lp_registry_snapshot_shared(reg, &c), LP_OK);
    assert_int_equal(c->nversions, 2);
    assert_int_equal(c->nassets, 7);
    lp_registry_snapshot_release(reg, a);
    lp_registry_snapshot_release(reg, b);
    lp_registry_snapshot_release(reg, c);
    lp_registry_close(reg); /* frees the shared one */
}

/* A scan (here a thread) that took the shared snapshot keeps it while
 * another thread makes a new generation through the same handle and takes
 * the new one: the old snapshot lives until its last holder releases it
 * (AddressSanitizer reports a use after free otherwise). */
struct holder {
    lp_registry *reg;
    sem_t taken, renewed;
    lp_err err;
    size_t nversions, nassets;
    char version[16], path[16];
};

static void *hold_old_snapshot(void *arg)
{
    struct holder *h = arg;
    const struct lp_snapshot *s = NULL;
    h->err = lp_registry_snapshot_shared(h->reg, &s);
    sem_post(&h->taken);
    sem_wait(&h->renewed);
    if (h->err == LP_OK) {
        h->nversions = s->nversions;
        h->nassets = s->nassets;
        snprintf(h->version, sizeof h->version, "%s", s->versions[0].name);
        snprintf(h->path, sizeof h->path, "%s", s->assets[2].path);
    }
    lp_registry_snapshot_release(h->reg, s);
    return NULL;
}

static void test_shared_snapshot_threads(void **state)
{
    struct fixture *f = *state;
    lp_registry *reg = open_reg(f, LP_REGISTRY_WRITE | LP_REGISTRY_CREATE);
    add_version(reg, "core", false, "v1", 100, 3, "x");
    struct holder h = {.reg = reg};
    sem_init(&h.taken, 0, 0);
    sem_init(&h.renewed, 0, 0);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, hold_old_snapshot, &h), 0);
    sem_wait(&h.taken);
    add_version(reg, "core", false, "v2", 200, 4, "y");
    const struct lp_snapshot *c = NULL;
    assert_int_equal(lp_registry_snapshot_shared(reg, &c), LP_OK);
    assert_int_equal(c->nversions, 2);
    assert_int_equal(c->nassets, 7);
    lp_registry_snapshot_release(reg, c);
    sem_post(&h.renewed);
    pthread_join(t, NULL);
    assert_int_equal(h.err, LP_OK);
    assert_int_equal(h.nversions, 1);
    assert_int_equal(h.nassets, 3);
    assert_string_equal(h.version, "v1");
    assert_string_equal(h.path, "src/f2.c");
    sem_destroy(&h.taken);
    sem_destroy(&h.renewed);
    lp_registry_close(reg);
}

/* What lp_registry_keep() was given, and how often it was taken and
 * dropped. */
struct kept_value {
    int taken, dropped;
};

static void *take_kept(void *v)
{
    ((struct kept_value *)v)->taken++;
    return v;
}

static void drop_kept(void *v)
{
    ((struct kept_value *)v)->dropped++;
}

static void test_kept(void **state)
{
    struct fixture *f = *state;
    lp_registry *reg = open_reg(f, LP_REGISTRY_WRITE | LP_REGISTRY_CREATE);
    add_version(reg, "core", false, "v1", 100, 3, "x");
    struct kept_value a = {0}, b = {0};
    assert_null(lp_registry_kept(reg, take_kept));
    lp_registry_keep(reg, &a, drop_kept);
    assert_ptr_equal(lp_registry_kept(reg, take_kept), &a);
    assert_int_equal(a.taken, 1);
    /* a new generation: what was kept is not handed out any more */
    add_version(reg, "core", false, "v2", 200, 4, "x");
    assert_null(lp_registry_kept(reg, take_kept));
    assert_int_equal(a.taken, 1);
    /* replaced: the old one dropped; closed: the new one */
    lp_registry_keep(reg, &b, drop_kept);
    assert_int_equal(a.dropped, 1);
    assert_ptr_equal(lp_registry_kept(reg, take_kept), &b);
    lp_registry_close(reg);
    assert_int_equal(b.dropped, 1);
    assert_int_equal(a.dropped, 1);
}

static void test_busy(void **state)
{
    struct fixture *f = *state;
    lp_registry *w = open_reg(f, LP_REGISTRY_WRITE | LP_REGISTRY_CREATE);
    lp_registry *w2 = NULL;
    assert_int_equal(lp_registry_open(f->dir, LP_REGISTRY_WRITE, &w2),
                     LP_EBUSY);
    char want[256];
    snprintf(want, sizeof want, "'%s': locked by another writer (pid %ld)",
             f->dir, (long)getpid());
    assert_string_equal(lp_registry_errmsg(w2), want);
    lp_registry_close(w2);
    /* readers do not wait for the writer */
    lp_registry *r = open_reg(f, 0);
    lp_registry_close(r);
    lp_registry_close(w);
    w2 = open_reg(f, LP_REGISTRY_WRITE);
    lp_registry_close(w2);
}

static void test_abort(void **state)
{
    struct fixture *f = *state;
    flush_entries = 30; /* segments written mid-txn */
    lp_registry *reg = open_reg(f, LP_REGISTRY_WRITE | LP_REGISTRY_CREATE);
    add_version(reg, "core", false, "v1", 100, 3, "a");
    struct lp_snapshot *s0 = snap_of(reg);
    struct lp_txn *txn;
    int64_t c, v;
    assert_int_equal(lp_registry_begin(reg, &txn), LP_OK);
    assert_int_equal(lp_txn_collection(txn, "other", true, &c), LP_OK);
    assert_int_equal(lp_txn_version(txn, c, "v9", 900, &v), LP_OK);
    for (int i = 0; i < 5; i++) {
        char content[32];
        snprintf(content, sizeof content, "b%d", i);
        add_file(txn, v, content, content);
    }
    lp_txn_abort(txn);
    struct lp_snapshot *s1 = snap_of(reg);
    assert_snap_equal(s0, s1);
    check_absent(reg, "b0");
    check_absent(reg, "b4");
    check_found(reg, "a1", find_blob(s0, "a1"));
    assert_int_equal(check_files(f), 2); /* 60 entries: 30 + 30 */
    lp_snapshot_free(s1);
    lp_registry_close(reg);
    /* and so after reopening, and the next txn works */
    reg = open_reg(f, LP_REGISTRY_WRITE);
    s1 = snap_of(reg);
    assert_snap_equal(s0, s1);
    lp_snapshot_free(s1);
    add_version(reg, "other", true, "v9", 900, 2, "b");
    check_found(reg, "b1", 5); /* blob ids of the aborted txn are reused */
    lp_snapshot_free(s0);
    lp_registry_close(reg);
}

/* Runs a commit in a child that dies at `point`; returns its exit code. */
static int crash_child(struct fixture *f, const char *point)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        lp_registry *reg = NULL;
        if (lp_registry_open(f->dir, LP_REGISTRY_WRITE, &reg))
            _exit(3);
        lp_registry_test_hooks(reg, point, flush_entries);
        struct lp_txn *txn;
        int64_t c, v;
        if (lp_registry_begin(reg, &txn) ||
            lp_txn_collection(txn, "core", false, &c) ||
            lp_txn_version(txn, c, "v2", 200, &v))
            _exit(4);
        for (int i = 0; i < 4; i++) {
            char content[32];
            snprintf(content, sizeof content, "new%d", i);
            add_file(txn, v, content, content);
        }
        lp_txn_commit(txn);
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void crash_at(struct fixture *f, const char *point, bool lands)
{
    /* many segments per commit, and a merge on the crashing commit */
    flush_entries = 8;
    lp_registry *reg = open_reg(f, LP_REGISTRY_WRITE | LP_REGISTRY_CREATE);
    add_version(reg, "core", false, "v1", 100, 3, "old");
    struct lp_snapshot *s0 = snap_of(reg);
    lp_registry_close(reg);

    assert_int_equal(crash_child(f, point), 9);

    /* a reader before any recovery, then a writer that recovers */
    for (int pass = 0; pass < 2; pass++) {
        reg = open_reg(f, pass ? LP_REGISTRY_WRITE : 0);
        struct lp_snapshot *s = snap_of(reg);
        check_found(reg, "old2", find_blob(s0, "old2"));
        if (lands) {
            assert_int_equal(s->nversions, 2);
            assert_string_equal(s->versions[1].name, "v2");
            assert_int_equal(s->versions[1].nfiles, 4);
            check_found(reg, "new3", find_blob(s, "new3"));
        } else {
            assert_snap_equal(s0, s);
            check_absent(reg, "new0");
            check_absent(reg, "new3");
        }
        lp_snapshot_free(s);
        lp_registry_close(reg);
    }
    check_files(f);
    /* the next writer carries on from there */
    reg = open_reg(f, LP_REGISTRY_WRITE);
    struct lp_txn *txn;
    int64_t c, v;
    assert_int_equal(lp_registry_begin(reg, &txn), LP_OK);
    assert_int_equal(lp_txn_collection(txn, "core", false, &c), LP_OK);
    assert_int_equal(lp_txn_version(txn, c, "v2", 200, &v),
                     lands ? LP_EEXIST : LP_OK);
    lp_txn_abort(txn);
    lp_registry_close(reg);
    lp_snapshot_free(s0);
}

static void test_crash_before_sqlite(void **state)
{
    crash_at(*state, "before-sqlite", false);
}

static void test_crash_after_sqlite(void **state)
{
    crash_at(*state, "after-sqlite", false);
}

static void test_crash_after_manifest(void **state)
{
    crash_at(*state, "after-manifest", true);
}

static void test_merge(void **state)
{
    struct fixture *f = *state;
    lp_registry *reg = open_reg(f, LP_REGISTRY_WRITE | LP_REGISTRY_CREATE);
    lp_registry *early = NULL;
    int n = LP_MERGE_SEGMENTS + 3;
    for (int k = 0; k < n; k++) {
        char vname[32], prefix[32];
        snprintf(vname, sizeof vname, "v%02d", k);
        snprintf(prefix, sizeof prefix, "c%d-", k);
        add_version(reg, "core", false, vname, 100 + k, 3, prefix);
        size_t nseg = check_files(f);
        assert_int_equal(nseg, (size_t)k + 1 <= LP_MERGE_SEGMENTS
                                   ? (size_t)k + 1
                                   : (size_t)k + 1 - LP_MERGE_SEGMENTS);
        if (k == LP_MERGE_SEGMENTS - 1)
            early = open_reg(f, 0); /* maps segments that merge removes */
    }
    lp_registry *late = open_reg(f, 0);
    struct lp_snapshot *s = snap_of(late);
    assert_int_equal(s->nversions, (size_t)n);
    for (int k = 0; k < n; k++) {
        for (int i = 0; i < 3; i++) {
            char content[32];
            snprintf(content, sizeof content, "c%d-%d", k, i);
            uint32_t b = find_blob(s, content);
            assert_int_not_equal(b, 0);
            check_found(reg, content, b);
            check_found(late, content, b);
            if (k < LP_MERGE_SEGMENTS)
                check_found(early, content, b);
        }
    }
    lp_snapshot_free(s);
    lp_registry_close(early);
    lp_registry_close(late);
    lp_registry_close(reg);
}

static void test_merge_in_one_txn(void **state)
{
    struct fixture *f = *state;
    flush_entries = 7; /* 20 blobs * 20 fps: 58 segs */
    lp_registry *reg = open_reg(f, LP_REGISTRY_WRITE | LP_REGISTRY_CREATE);
    add_version(reg, "core", false, "v1", 100, 20, "m");
    assert_int_equal(check_files(f), 1);
    lp_registry_close(reg);
    reg = open_reg(f, 0);
    struct lp_snapshot *s = snap_of(reg);
    for (int i = 0; i < 20; i++) {
        char content[32];
        snprintf(content, sizeof content, "m%d", i);
        check_found(reg, content, find_blob(s, content));
    }
    lp_snapshot_free(s);
    lp_registry_close(reg);
}

static void test_remove(void **state)
{
    struct fixture *f = *state;
    lp_registry *reg = open_reg(f, LP_REGISTRY_WRITE | LP_REGISTRY_CREATE);
    add_version(reg, "a", false, "v1", 100, 2, "only-a");
    add_version(reg, "b", true, "v1", 100, 2, "only-b");
    assert_int_equal(lp_remove(reg, "nope"), LP_ENOTFOUND);
    assert_string_equal(lp_registry_errmsg(reg), "no collection named 'nope'");
    assert_int_equal(lp_remove(reg, "a"), LP_OK);
    assert_int_equal(lp_remove(reg, "a"), LP_ENOTFOUND);
    lp_registry_close(reg);
    reg = open_reg(f, 0);
    struct lp_snapshot *s = snap_of(reg);
    assert_int_equal(s->ncollections, 1);
    assert_string_equal(s->collections[0].name, "b");
    assert_true(s->collections[0].public_);
    assert_int_equal(s->nversions, 1);
    assert_int_equal(s->versions[0].collection, 0);
    assert_int_equal(s->nassets, 2);
    assert_int_equal(find_blob(s, "only-a0"), 0);
    assert_int_not_equal(find_blob(s, "only-b0"), 0);
    lp_snapshot_free(s);
    lp_registry_close(reg);
    /* the name can be used again */
    reg = open_reg(f, LP_REGISTRY_WRITE);
    add_version(reg, "a", true, "v1", 300, 1, "again");
    lp_registry_close(reg);
}

static char *capture(lp_registry *reg, int json,
                     lp_err (*fn)(lp_registry *, int, FILE *))
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_int_equal(fn(reg, json, fp), LP_OK);
    fclose(fp);
    return buf;
}

static void test_list_stats(void **state)
{
    struct fixture *f = *state;
    lp_registry *reg = open_reg(f, LP_REGISTRY_WRITE | LP_REGISTRY_CREATE);
    add_version(reg, "core", false, "v1", 1000, 2, "p");
    add_version(reg, "core", false, "v2", 2000, 3, "p");
    add_version(reg, "libz", true, "1.3", 86400, 1, "z");
    lp_registry_close(reg);
    reg = open_reg(f, 0);

    char *text = capture(reg, 0, lp_list_write);
    assert_string_equal(text,
                        "core\t2 versions\tnewest v2 (1970-01-01T00:33:20Z)"
                        "\t3 files\n"
                        "libz (public)\t1 version\tnewest 1.3 "
                        "(1970-01-02T00:00:00Z)\t1 files\n");
    free(text);

    char *js = capture(reg, 1, lp_list_write);
    json_error_t jerr;
    json_t *root = json_loads(js, 0, &jerr);
    assert_non_null(root);
    json_t *cs = json_object_get(root, "collections");
    assert_int_equal(json_array_size(cs), 2);
    json_t *c0 = json_array_get(cs, 0);
    assert_string_equal(json_string_value(json_object_get(c0, "name")), "core");
    assert_true(json_is_false(json_object_get(c0, "public")));
    json_t *vs = json_object_get(c0, "versions");
    assert_int_equal(json_array_size(vs), 2);
    json_t *v1 = json_array_get(vs, 1);
    assert_string_equal(json_string_value(json_object_get(v1, "name")), "v2");
    assert_string_equal(json_string_value(json_object_get(v1, "created")),
                        "1970-01-01T00:33:20Z");
    assert_int_equal(json_integer_value(json_object_get(v1, "files")), 3);
    assert_true(json_is_true(
        json_object_get(json_array_get(cs, 1), "public")));
    json_decref(root);
    free(js);

    js = capture(reg, 1, lp_stats_write);
    root = json_loads(js, 0, &jerr);
    assert_non_null(root);
    assert_int_equal(json_integer_value(json_object_get(root, "collections")), 2);
    assert_int_equal(json_integer_value(json_object_get(root, "versions")), 3);
    assert_int_equal(json_integer_value(json_object_get(root, "files")), 6);
    assert_int_equal(json_integer_value(json_object_get(root, "blobs")), 4);
    /* sizes: 10 * strlen("p0") ... */
    assert_int_equal(json_integer_value(json_object_get(root, "blob_bytes")),
                     80);
    assert_int_equal(json_integer_value(json_object_get(root, "fingerprints")),
                     4 * NFP);
    assert_int_equal(json_integer_value(json_object_get(root, "segments")), 3);
    assert_true(json_integer_value(json_object_get(root, "segment_bytes")) >
                3 * 64);
    assert_true(json_integer_value(json_object_get(root, "meta_bytes")) > 0);
    assert_true(json_real_value(
                    json_object_get(root, "index_bytes_per_source_byte")) > 0);
    json_decref(root);
    free(js);
    text = capture(reg, 0, lp_stats_write);
    assert_non_null(strstr(text, "fingerprints                 80\n"));
    free(text);
    lp_registry_close(reg);
}

static void test_alloc_snapshot_and_open(void **state)
{
    struct fixture *f = *state;
    lp_registry *reg = open_reg(f, LP_REGISTRY_WRITE | LP_REGISTRY_CREATE);
    add_version(reg, "core", false, "v1", 100, 4, "s");
    add_version(reg, "lib", true, "v1", 100, 2, "t");
    lp_registry_close(reg);
    reg = open_reg(f, 0);
    struct lp_snapshot *ref = snap_of(reg);
    lp_err e = LP_ENOMEM;
    long i;
    for (i = 0; e == LP_ENOMEM; i++) {
        struct lp_snapshot *s = NULL;
        lp_mem_fail_after(i);
        e = lp_registry_snapshot(reg, &s);
        lp_mem_fail_after(-1);
        if (e) {
            assert_null(s);
            continue;
        }
        assert_snap_equal(ref, s);
        lp_snapshot_free(s);
    }
    assert_int_equal(e, LP_OK);
    assert_true(i > 10);
    lp_registry_close(reg);
    for (e = LP_ENOMEM, i = 0; e == LP_ENOMEM; i++) {
        lp_mem_fail_after(i);
        e = lp_registry_open(f->dir, 0, &reg);
        lp_mem_fail_after(-1);
        if (e == LP_OK)
            check_found(reg, "s3", find_blob(ref, "s3"));
        lp_registry_close(reg);
    }
    assert_int_equal(e, LP_OK);
    lp_snapshot_free(ref);
}

/* Commit under allocation failures: each failure leaves the registry as it
 * was; the registry handle stays usable. */
static void test_alloc_commit(void **state)
{
    struct fixture *f = *state;
    flush_entries = 30;
    lp_registry *reg = open_reg(f, LP_REGISTRY_WRITE | LP_REGISTRY_CREATE);
    for (int k = 0; k < LP_MERGE_SEGMENTS - 2; k++) {
        char vname[32];
        snprintf(vname, sizeof vname, "v%d", k);
        add_version(reg, "core", false, vname, 100 + k, 1, vname);
    }
    struct lp_snapshot *s0 = snap_of(reg);
    lp_err e = LP_ENOMEM;
    long i;
    for (i = 0; e == LP_ENOMEM; i++) {
        struct lp_txn *txn;
        int64_t c, v;
        assert_int_equal(lp_registry_begin(reg, &txn), LP_OK);
        assert_int_equal(lp_txn_collection(txn, "core", false, &c), LP_OK);
        assert_int_equal(lp_txn_version(txn, c, "vx", 999, &v), LP_OK);
        for (int j = 0; j < 4; j++) {
            char content[32];
            snprintf(content, sizeof content, "fresh%d", j);
            add_file(txn, v, content, content);
        }
        lp_mem_fail_after(i);
        e = lp_txn_commit(txn);
        lp_mem_fail_after(-1);
        if (e == LP_ENOMEM) {
            struct lp_snapshot *s = snap_of(reg);
            assert_snap_equal(s0, s);
            lp_snapshot_free(s);
            check_absent(reg, "fresh0");
            check_files(f);
        }
    }
    assert_int_equal(e, LP_OK);
    assert_true(i > 3);
    assert_int_equal(check_files(f), 1); /* merged */
    struct lp_snapshot *s = snap_of(reg);
    check_found(reg, "fresh3", find_blob(s, "fresh3"));
    check_found(reg, "v00", find_blob(s, "v00")); /* prefix "v0", file 0 */
    check_found(reg, "v50", find_blob(s, "v50"));
    lp_snapshot_free(s);
    lp_snapshot_free(s0);
    lp_registry_close(reg);
}

/* 1 when files a and b hold the same bytes. */
static int file_equal(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb;
    while (same) {
        int ca = fgetc(fa), cb = fgetc(fb);
        same = ca == cb;
        if (ca == EOF)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

/* lp_registry_check's report: counts the lines, keeps the last. */
struct lines {
    int n;
    char last[1024];
};

static void keep_line(void *ctx, const char *msg)
{
    struct lines *l = ctx;
    l->n++;
    snprintf(l->last, sizeof l->last, "%s", msg);
}

/* A lost MANIFEST: opening refuses the registry (reader and writer),
 * check names it, a repair rebuilds it as it was. */
static void test_check_and_repair(void **state)
{
    struct fixture *f = *state;
    lp_registry *reg = open_reg(f, LP_REGISTRY_WRITE | LP_REGISTRY_CREATE);
    add_version(reg, "core", false, "v1", 100, 3, "a");
    add_version(reg, "core", false, "v2", 200, 3, "b");
    lp_registry_close(reg);
    struct lines l = {0};
    size_t problems = 9;
    assert_int_equal(lp_registry_check(f->dir, 0, keep_line, &l, &problems),
                     LP_OK);
    assert_int_equal(problems, 0);
    assert_int_equal(l.n, 0);
    char man[256], saved[256], want[512];
    snprintf(man, sizeof man, "%s/MANIFEST", f->dir);
    snprintf(saved, sizeof saved, "%s/MANIFEST.saved", f->parent);
    assert_int_equal(rename(man, saved), 0);
    snprintf(want, sizeof want, "'%s': missing, but segment files are there "
             "(registry is corrupt: see 'leakprint check')", man);
    const unsigned flags[] = {0, LP_REGISTRY_WRITE};
    for (int i = 0; i < 2; i++) {
        reg = NULL;
        assert_int_equal(lp_registry_open(f->dir, flags[i], &reg),
                         LP_ECORRUPT);
        assert_string_equal(lp_registry_errmsg(reg), want);
        lp_registry_close(reg);
    }
    struct lp_manifest found; /* the writer deleted nothing */
    char err[LP_MANIFEST_ERRLEN];
    assert_int_equal(lp_manifest_scan_dir(f->dir, &found, err), LP_OK);
    assert_int_equal(found.nsegs, 2);
    lp_manifest_release(&found);
    l.n = 0;
    assert_int_equal(lp_registry_check(f->dir, 0, keep_line, &l, &problems),
                     LP_ECORRUPT);
    assert_int_equal(problems, 1);
    snprintf(want, sizeof want, "'%s': missing, but segment files are there",
             man);
    assert_string_equal(l.last, want);
    /* every allocation failing in turn: no crash, no leak, no success */
    for (long i = 0;; i++) {
        lp_mem_fail_after(i);
        lp_err e = lp_registry_check(f->dir, 0, NULL, NULL, NULL);
        lp_mem_fail_after(-1);
        if (e == LP_ECORRUPT && i > 50)
            break;
        assert_true(e == LP_ECORRUPT || e == LP_ENOMEM);
    }
    l.n = 0;
    assert_int_equal(lp_registry_check(f->dir, LP_CHECK_REPAIR, keep_line, &l,
                                       &problems), LP_OK);
    assert_int_equal(problems, 0);
    assert_int_equal(l.n, 2); /* missing, rebuilt */
    snprintf(want, sizeof want, "'%s': rebuilt: generation 2, 2 segments",
             man);
    assert_string_equal(l.last, want);
    assert_int_equal(file_equal(man, saved), 1);
    reg = open_reg(f, 0);
    struct lp_snapshot *s = snap_of(reg);
    check_found(reg, "a0", find_blob(s, "a0"));
    check_found(reg, "b2", find_blob(s, "b2"));
    lp_snapshot_free(s);
    lp_registry_close(reg);
}

/* A registry made by a handle that is asked to discard it and commits
 * nothing is gone at close; one that committed stays. */
static void test_discard_new(void **state)
{
    struct fixture *f = *state;
    lp_registry *reg = open_reg(f, LP_REGISTRY_WRITE | LP_REGISTRY_CREATE);
    lp_registry_discard_new(reg);
    lp_registry_close(reg);
    assert_int_equal(access(f->dir, F_OK), -1);
    reg = open_reg(f, LP_REGISTRY_WRITE | LP_REGISTRY_CREATE);
    add_version(reg, "core", false, "v1", 100, 1, "a");
    lp_registry_discard_new(reg);
    lp_registry_close(reg);
    reg = open_reg(f, 0);
    lp_registry_close(reg);
    /* not made by this handle: kept */
    reg = open_reg(f, LP_REGISTRY_WRITE | LP_REGISTRY_CREATE);
    lp_registry_discard_new(reg);
    lp_registry_close(reg);
    reg = open_reg(f, 0);
    lp_registry_close(reg);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_missing),
        T(test_create_commit_reopen),
        T(test_dedupe_across_txns),
        T(test_shared_snapshot), T(test_kept),
        T(test_shared_snapshot_threads),
        T(test_busy),
        T(test_abort),
        T(test_crash_before_sqlite),
        T(test_crash_after_sqlite),
        T(test_crash_after_manifest),
        T(test_merge),
        T(test_merge_in_one_txn),
        T(test_remove),
        T(test_list_stats),
        T(test_alloc_snapshot_and_open),
        T(test_alloc_commit),
        T(test_check_and_repair),
        T(test_discard_new),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
