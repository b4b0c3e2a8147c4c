/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of meta.h, the registry's SQLite metadata: the schema and its
 * version, the recorded fingerprint parameters, collections, versions,
 * blobs, files, git blob ids, TLSH digests, secrets and mail domains, the
 * generation filter, recovery, removal, the snapshot and list/count reads,
 * transactions, a read-only connection, damaged and foreign files, and
 * allocation failures. Each test works on its own meta.sqlite in a
 * temporary directory; the test reads and tampers with it through SQLite
 * directly, as another program would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "leakprint.h"
#include "mem.h"
#include "meta.h"
#include "params.h"
#include "registry.h"

#include "testutil.h"
#include "banned.h"

struct fixture {
    char dir[64];
    char path[128];
    char err[LP_META_ERRLEN];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    tu_mkdtemp(f->dir, sizeof f->dir, "metatest");
    snprintf(f->path, sizeof f->path, "%s/meta.sqlite", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    lp_mem_fail_after(-1);
    tu_rmrf(f->dir);
    free(f);
    return 0;
}

/* ---- helpers ------------------------------------------------------------ */

static struct lp_meta *open_meta(struct fixture *f, bool write)
{
    struct lp_meta *m = NULL;
    lp_err e = lp_meta_open(f->path, write, f->err, &m);
    if (e)
        fprintf(stderr, "lp_meta_open: %s\n", f->err);
    assert_int_equal(e, LP_OK);
    assert_non_null(m);
    return m;
}

/* Runs sql on the file with a connection of the test's own. */
static void sql_run(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "%s: %s\n", sql, msg);
    sqlite3_free(msg);
    assert_int_equal(rc, SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* The integer the first row of sql gives (-1 for no row). */
static int64_t sql_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

/* The text of the rows of sql (one column), joined by ' '. */
static void sql_text(const char *path, const char *sql, char *buf, size_t n)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    size_t used = 0;
    buf[0] = '\0';
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(s, 0);
        int k = snprintf(buf + used, n - used, "%s%s", used ? " " : "",
                         t ? t : "NULL");
        assert_true(k > 0 && (size_t)k < n - used);
        used += (size_t)k;
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
}

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(p, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

/* A blob description whose SHA-256 is made of `seed` (not a real digest:
 * meta stores the 32 bytes it is given). */
static struct lp_blob_info blob_info(uint8_t seed, uint64_t size)
{
    struct lp_blob_info b = {.size = size,
                             .lines = (uint32_t)size / 10,
                             .nfp = seed * 3u,
                             .nafp = seed * 2u,
                             .kind = (uint8_t)(seed % 4),
                             .lang = seed};
    for (int i = 0; i < LP_SHA256_LEN; i++)
        b.sha[i] = (uint8_t)(seed * 31 + i);
    return b;
}

static uint32_t add_blob(struct lp_meta *m, uint8_t seed, uint64_t gen)
{
    struct lp_blob_info b = blob_info(seed, 100u * seed);
    uint32_t id = 0;
    assert_int_equal(lp_meta_blob_add(m, &b, gen, &id), LP_OK);
    return id;
}

/* A 70-character TLSH-like digest starting with `c`. */
static void tlsh_digest(char d[LP_TLSH_LEN + 1], char c)
{
    memset(d, 'A', LP_TLSH_LEN);
    d[0] = 'T';
    d[1] = c;
    d[LP_TLSH_LEN] = '\0';
}

/* The sample registry of several tests, written at generation 1:
 *   core (protected): 1.0 (created 1000): a.c -> blob 1, b.c -> blob 2
 *                     2.0 (created 2000): a.c -> blob 1, b.c -> blob 3,
 *                                         c.c -> blob 4
 *   libc (public):    2.36 (created 1500): string.c -> blob 5
 * Versions are added newest first, so that ids and times disagree. */
static void populate(struct lp_meta *m)
{
    int64_t core, libc, v1, v2, v3;
    assert_int_equal(lp_meta_begin(m), LP_OK);
    assert_int_equal(lp_meta_collection(m, "core", false, 1, &core), LP_OK);
    assert_int_equal(lp_meta_collection(m, "libc", true, 1, &libc), LP_OK);
    assert_int_equal(lp_meta_version(m, core, "2.0", 2000, 1, &v2), LP_OK);
    assert_int_equal(lp_meta_version(m, core, "1.0", 1000, 1, &v1), LP_OK);
    assert_int_equal(lp_meta_version(m, libc, "2.36", 1500, 1, &v3), LP_OK);
    for (uint8_t i = 1; i <= 5; i++)
        assert_int_equal(add_blob(m, i, 1), i);
    assert_int_equal(lp_meta_file(m, v1, "b.c", 2, 1), LP_OK);
    assert_int_equal(lp_meta_file(m, v1, "a.c", 1, 1), LP_OK);
    assert_int_equal(lp_meta_file(m, v2, "c.c", 4, 1), LP_OK);
    assert_int_equal(lp_meta_file(m, v2, "b.c", 3, 1), LP_OK);
    assert_int_equal(lp_meta_file(m, v2, "a.c", 1, 1), LP_OK);
    assert_int_equal(lp_meta_file(m, v3, "string.c", 5, 1), LP_OK);
    assert_int_equal(lp_meta_commit(m), LP_OK);
}

static struct lp_snapshot *snapshot(struct lp_meta *m, uint64_t gen)
{
    struct lp_snapshot *s = calloc(1, sizeof *s);
    assert_non_null(s);
    assert_int_equal(lp_meta_snapshot(m, gen, s), LP_OK);
    return s;
}

static void check_counts(struct lp_meta *m, uint64_t gen, uint64_t colls,
                         uint64_t vers, uint64_t files, uint64_t blobs,
                         uint64_t bytes)
{
    struct lp_meta_counts c;
    assert_int_equal(lp_meta_counts(m, gen, &c), LP_OK);
    assert_int_equal(c.collections, colls);
    assert_int_equal(c.versions, vers);
    assert_int_equal(c.files, files);
    assert_int_equal(c.blobs, blobs);
    assert_int_equal(c.blob_bytes, bytes);
}

/* Callbacks that print what they are given into a buffer. */
struct collect {
    char buf[2048];
    size_t used;
    int calls;
    int stop_after; /* 0: never stop */
};

static void collect_add(struct collect *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void collect_add(struct collect *c, const char *fmt, ...)
{
    va_list ap;
    if (c->used) {
        assert_true(c->used + 1 < sizeof c->buf);
        c->buf[c->used++] = '|';
        c->buf[c->used] = '\0';
    }
    va_start(ap, fmt);
    int k = vsnprintf(c->buf + c->used, sizeof c->buf - c->used, fmt, ap);
    va_end(ap);
    assert_true(k >= 0 && (size_t)k < sizeof c->buf - c->used);
    c->used += (size_t)k;
}

static int collect_stop(struct collect *c)
{
    c->calls++;
    return c->stop_after && c->calls >= c->stop_after;
}

static int on_place(void *ctx, const struct lp_secret_place *p)
{
    collect_add(ctx, "%s %s %s %s:%u%s", p->collection, p->version, p->path,
                p->rule, p->line, p->newest ? " newest" : "");
    return collect_stop(ctx);
}

static int on_domain(void *ctx, const char *domain)
{
    collect_add(ctx, "%s", domain);
    return collect_stop(ctx);
}

static int on_term(void *ctx, const struct lp_meta_term *t)
{
    collect_add(ctx, "%s %s %s %llu", t->kind, t->term, t->collection,
                (unsigned long long)t->files);
    return collect_stop(ctx);
}

static int on_coll(void *ctx, const char *name, bool public_)
{
    collect_add(ctx, "%s%s", name, public_ ? " (public)" : "");
    return collect_stop(ctx);
}

static int on_list(void *ctx, const struct lp_meta_list_row *r)
{
    collect_add(ctx, "%s%s %s %lld %llu", r->collection,
                r->public_ ? " (public)" : "", r->version ? r->version : "-",
                (long long)r->created, (unsigned long long)r->files);
    return collect_stop(ctx);
}

/* The snapshot as one line: collections, versions, assets, blobs. */
static void snap_text(const struct lp_snapshot *s, struct collect *out)
{
    struct collect c = {0};
    for (size_t i = 0; i < s->ncollections; i++)
        collect_add(&c, "C %s%s v=%u latest=%u", s->collections[i].name,
                    s->collections[i].public_ ? " public" : "",
                    s->collections[i].nversions,
                    s->collections[i].assets_latest);
    for (size_t i = 0; i < s->nversions; i++)
        collect_add(&c, "V %u %s @%lld files=%u", s->versions[i].collection,
                    s->versions[i].name, (long long)s->versions[i].created,
                    s->versions[i].nfiles);
    for (size_t i = 0; i < s->nassets; i++)
        collect_add(&c, "A %u %u %s", s->assets[i].blob, s->assets[i].version,
                    s->assets[i].path);
    collect_add(&c, "B %zu", s->nblobs);
    *out = c;
}

/* ---- schema, version, parameters ---------------------------------------- */

/* A writer creates the file with every table, index and setting. */
static void test_create_schema(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(access(f->path, F_OK), -1);
    struct lp_meta *m = open_meta(f, true);
    char buf[512];
    assert_int_equal(sql_int(f->path, "PRAGMA user_version"), LP_META_SCHEMA);
    assert_int_equal(LP_META_SCHEMA, 2);
    sql_text(f->path, "PRAGMA journal_mode", buf, sizeof buf);
    assert_string_equal(buf, "wal");
    sql_text(f->path,
             "SELECT name FROM sqlite_master WHERE type = 'table' "
             "ORDER BY name",
             buf, sizeof buf);
    assert_string_equal(buf, "blob collection file gitblob maildomain secret "
                             "setting term tlsh version");
    sql_text(f->path,
             "SELECT name FROM sqlite_master WHERE type = 'index' "
             "AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name",
             buf, sizeof buf);
    assert_string_equal(buf, "blob_gen file_gen file_version maildomain_blob "
                             "secret_fp");
    sql_text(f->path, "SELECT name || '=' || value FROM setting ORDER BY name",
             buf, sizeof buf);
    char want[256];
    snprintf(want, sizeof want, "afp.k=%d afp.w=%d fp.hash=%d fp.k=%d fp.w=%d",
             LP_AFP_K, LP_AFP_W, LP_FP_HASH, LP_FP_K, LP_FP_W);
    assert_string_equal(buf, want);
    check_counts(m, UINT64_MAX, 0, 0, 0, 0, 0);
    lp_meta_close(m);
    /* opening it again changes nothing and a reader accepts it */
    m = open_meta(f, true);
    lp_meta_close(m);
    m = open_meta(f, false);
    check_counts(m, UINT64_MAX, 0, 0, 0, 0, 0);
    lp_meta_close(m);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM setting"), 5);
}

/* A reader never creates the file. */
static void test_reader_missing_file(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *m = (struct lp_meta *)f; /* must be reset to NULL */
    assert_int_equal(lp_meta_open(f->path, false, f->err, &m), LP_ENOTFOUND);
    assert_null(m);
    char want[256];
    snprintf(want, sizeof want, "'%s': no such file", f->path);
    assert_string_equal(f->err, want);
    assert_int_equal(access(f->path, F_OK), -1);
}

/* An SQLite file without the schema (user_version 0): a reader finds no
 * registry there. */
static void test_reader_no_schema(void **state)
{
    struct fixture *f = *state;
    sql_run(f->path, "CREATE TABLE t(x)");
    struct lp_meta *m = NULL;
    assert_int_equal(lp_meta_open(f->path, false, f->err, &m), LP_ENOTFOUND);
    assert_null(m);
    char want[256];
    snprintf(want, sizeof want, "'%s': no metadata schema", f->path);
    assert_string_equal(f->err, want);
}

/* A schema newer than this build is refused by readers and writers. */
static void test_newer_schema(void **state)
{
    struct fixture *f = *state;
    lp_meta_close(open_meta(f, true));
    sql_run(f->path, "PRAGMA user_version = 3");
    char want[256];
    snprintf(want, sizeof want, "'%s': metadata schema 3 is not supported",
             f->path);
    for (int w = 0; w < 2; w++) {
        struct lp_meta *m = NULL;
        f->err[0] = '\0';
        assert_int_equal(lp_meta_open(f->path, w, f->err, &m), LP_EUNSUPPORTED);
        assert_null(m);
        assert_string_equal(f->err, want);
    }
    assert_int_equal(sql_int(f->path, "PRAGMA user_version"), 3);
}

/* Schema 1 (before the abstract stream) is refused with advice. */
static void test_older_schema(void **state)
{
    struct fixture *f = *state;
    lp_meta_close(open_meta(f, true));
    sql_run(f->path, "PRAGMA user_version = 1");
    char want[256];
    snprintf(want, sizeof want,
             "'%s': metadata schema 1, made by an older leakprint (this one "
             "reads 2): register the collections again in a new registry",
             f->path);
    for (int w = 0; w < 2; w++) {
        struct lp_meta *m = NULL;
        f->err[0] = '\0';
        assert_int_equal(lp_meta_open(f->path, w, f->err, &m), LP_EUNSUPPORTED);
        assert_null(m);
        assert_string_equal(f->err, want);
    }
}

/* A registry made with another k, w or hash version is refused, naming
 * the setting that differs; restoring it makes the registry usable. */
static void test_params_mismatch(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *name;
        int value;
    } p[] = {{"fp.k", LP_FP_K},
             {"fp.w", LP_FP_W},
             {"afp.k", LP_AFP_K},
             {"afp.w", LP_AFP_W},
             {"fp.hash", LP_FP_HASH}};
    lp_meta_close(open_meta(f, true));
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
        char sql[128], want[384];
        snprintf(sql, sizeof sql,
                 "UPDATE setting SET value = %d WHERE "
                 "name = '%s'",
                 p[i].value + 1, p[i].name);
        sql_run(f->path, sql);
        snprintf(want, sizeof want,
                 "'%s': fingerprints made with %s = %d, "
                 "this build uses %d: use a matching build or register "
                 "again",
                 f->path, p[i].name, p[i].value + 1, p[i].value);
        for (int w = 0; w < 2; w++) {
            struct lp_meta *m = NULL;
            f->err[0] = '\0';
            assert_int_equal(lp_meta_open(f->path, w, f->err, &m),
                             LP_EUNSUPPORTED);
            assert_null(m);
            assert_string_equal(f->err, want);
        }
        snprintf(sql, sizeof sql,
                 "UPDATE setting SET value = %d WHERE "
                 "name = '%s'",
                 p[i].value, p[i].name);
        sql_run(f->path, sql);
        lp_meta_close(open_meta(f, false));
    }
}

/* A setting that is missing altogether counts as different. */
static void test_params_missing(void **state)
{
    struct fixture *f = *state;
    lp_meta_close(open_meta(f, true));
    sql_run(f->path, "DELETE FROM setting WHERE name = 'afp.w'");
    struct lp_meta *m = NULL;
    assert_int_equal(lp_meta_open(f->path, false, f->err, &m), LP_EUNSUPPORTED);
    char want[384];
    snprintf(want, sizeof want,
             "'%s': fingerprints made with afp.w = -1, "
             "this build uses %d: use a matching build or register again",
             f->path, LP_AFP_W);
    assert_string_equal(f->err, want);
}

/* Through the registry: the same refusal, with the message on the handle. */
static void test_params_through_registry(void **state)
{
    struct fixture *f = *state;
    char dir[96];
    snprintf(dir, sizeof dir, "%s/db", f->dir);
    lp_registry *reg = NULL;
    assert_int_equal(
        lp_registry_open(dir, LP_REGISTRY_WRITE | LP_REGISTRY_CREATE, &reg),
        LP_OK);
    lp_registry_close(reg);
    char meta[128], sql[96], want[384];
    snprintf(meta, sizeof meta, "%s/meta.sqlite", dir);
    snprintf(sql, sizeof sql,
             "UPDATE setting SET value = %d WHERE name = "
             "'fp.k'",
             LP_FP_K + 4);
    sql_run(meta, sql);
    snprintf(want, sizeof want,
             "'%s': fingerprints made with fp.k = %d, "
             "this build uses %d: use a matching build or register again",
             meta, LP_FP_K + 4, LP_FP_K);
    const unsigned flags[] = {0, LP_REGISTRY_WRITE};
    for (int i = 0; i < 2; i++) {
        reg = NULL;
        assert_int_equal(lp_registry_open(dir, flags[i], &reg),
                         LP_EUNSUPPORTED);
        assert_non_null(reg);
        assert_string_equal(lp_registry_errmsg(reg), want);
        lp_registry_close(reg);
    }
}

/* ---- writes and lookups ------------------------------------------------- */

/* Collections are found by name; the public flag cannot change. */
static void test_collections(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *m = open_meta(f, true);
    int64_t a = 0, b = 0, again = 0;
    assert_int_equal(lp_meta_begin(m), LP_OK);
    assert_int_equal(lp_meta_collection(m, "core", false, 1, &a), LP_OK);
    assert_int_equal(lp_meta_collection(m, "libc", true, 1, &b), LP_OK);
    assert_int_equal(a, 1);
    assert_int_equal(b, 2);
    assert_int_equal(lp_meta_collection(m, "core", false, 1, &again), LP_OK);
    assert_int_equal(again, 1);
    assert_int_equal(lp_meta_collection(m, "libc", true, 1, &again), LP_OK);
    assert_int_equal(again, 2);
    assert_int_equal(lp_meta_collection(m, "core", true, 1, &again), LP_EINVAL);
    assert_string_equal(f->err, "'core': collection is not public");
    assert_int_equal(lp_meta_collection(m, "libc", false, 1, &again),
                     LP_EINVAL);
    assert_string_equal(f->err, "'libc': collection is public");
    assert_int_equal(lp_meta_commit(m), LP_OK);
    lp_meta_close(m);
    char buf[256];
    sql_text(f->path,
             "SELECT id || ':' || name || ':' || public || ':' || gen"
             " FROM collection ORDER BY id",
             buf, sizeof buf);
    assert_string_equal(buf, "1:core:0:1 2:libc:1:1");
}

/* Versions: unique per collection, their created time kept as given. */
static void test_versions(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *m = open_meta(f, true);
    int64_t a, b, v = 0;
    assert_int_equal(lp_meta_begin(m), LP_OK);
    assert_int_equal(lp_meta_collection(m, "core", false, 3, &a), LP_OK);
    assert_int_equal(lp_meta_collection(m, "tools", false, 3, &b), LP_OK);
    assert_int_equal(lp_meta_version(m, a, "1.0", 1700000000, 3, &v), LP_OK);
    assert_int_equal(v, 1);
    v = 0;
    assert_int_equal(lp_meta_version(m, a, "1.0", 1700000001, 3, &v),
                     LP_EEXIST);
    assert_int_equal(v, 0);
    assert_string_equal(f->err, "'1.0': version exists");
    /* the same name in another collection is another version */
    assert_int_equal(lp_meta_version(m, b, "1.0", -5, 3, &v), LP_OK);
    assert_int_equal(v, 2);
    assert_int_equal(lp_meta_version(m, a, "", INT64_MAX, 3, &v), LP_OK);
    assert_int_equal(v, 3);
    assert_int_equal(lp_meta_commit(m), LP_OK);
    lp_meta_close(m);
    char buf[256];
    sql_text(f->path,
             "SELECT id || ':' || collection || ':' || name || ':' ||"
             " created || ':' || gen FROM version ORDER BY id",
             buf, sizeof buf);
    assert_string_equal(buf, "1:1:1.0:1700000000:3 2:2:1.0:-5:3 "
                             "3:1::9223372036854775807:3");
}

/* Blobs by SHA-256: 0 when unknown, ids from 1, every field kept, and a
 * second row of one digest refused. */
static void test_blobs(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *m = open_meta(f, true);
    struct lp_blob_info a = blob_info(7, (uint64_t)1 << 40);
    struct lp_blob_info b = blob_info(9, 0);
    uint32_t id = 99;
    assert_int_equal(lp_meta_begin(m), LP_OK);
    assert_int_equal(lp_meta_blob_find(m, a.sha, &id), LP_OK);
    assert_int_equal(id, 0);
    assert_int_equal(lp_meta_blob_add(m, &a, 1, &id), LP_OK);
    assert_int_equal(id, 1);
    assert_int_equal(lp_meta_blob_add(m, &b, 1, &id), LP_OK);
    assert_int_equal(id, 2);
    assert_int_equal(lp_meta_blob_find(m, a.sha, &id), LP_OK);
    assert_int_equal(id, 1);
    assert_int_equal(lp_meta_blob_find(m, b.sha, &id), LP_OK);
    assert_int_equal(id, 2);
    id = 77;
    assert_int_equal(lp_meta_blob_add(m, &a, 1, &id), LP_EEXIST);
    assert_int_equal(id, 77);
    char want[256];
    snprintf(want, sizeof want, "'%s': UNIQUE constraint failed: blob.sha256",
             f->path);
    assert_string_equal(f->err, want);
    assert_int_equal(lp_meta_commit(m), LP_OK);
    struct lp_snapshot *s = snapshot(m, 1);
    assert_int_equal(s->nblobs, 3);
    struct lp_blob_info zero = {0};
    assert_memory_equal(&s->blobs[0], &zero, sizeof zero);
    assert_memory_equal(&s->blobs[1], &a, sizeof a);
    assert_memory_equal(&s->blobs[2], &b, sizeof b);
    assert_int_equal(s->blobs[1].size, (uint64_t)1 << 40);
    assert_int_equal(s->blobs[1].nafp, 14);
    lp_snapshot_free(s);
    check_counts(m, 1, 0, 0, 0, 2, ((uint64_t)1 << 40));
    lp_meta_close(m);
}

/* Files: one row per (version, path), paths kept byte for byte. */
static void test_files(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *m = open_meta(f, true);
    int64_t c, v;
    static const char odd[] = "dir with space/it's \"quoted\"'); DROP TABLE "
                              "blob; --/\xc3\xa9t\xc3\xa9.c";
    assert_int_equal(lp_meta_begin(m), LP_OK);
    assert_int_equal(lp_meta_collection(m, "core", false, 1, &c), LP_OK);
    assert_int_equal(lp_meta_version(m, c, "1", 10, 1, &v), LP_OK);
    uint32_t b = add_blob(m, 1, 1);
    assert_int_equal(lp_meta_file(m, v, odd, b, 1), LP_OK);
    assert_int_equal(lp_meta_file(m, v, "copy.c", b, 1), LP_OK);
    assert_int_equal(lp_meta_commit(m), LP_OK);
    struct lp_snapshot *s = snapshot(m, 1);
    assert_int_equal(s->nassets, 2);
    assert_string_equal(s->assets[0].path, "copy.c");
    assert_string_equal(s->assets[1].path, odd);
    assert_int_equal(s->assets[1].blob, 1);
    assert_int_equal(s->versions[0].nfiles, 2);
    lp_snapshot_free(s);
    check_counts(m, 1, 1, 1, 2, 1, 100);
    lp_meta_close(m);
}

/* Git blob ids: found among rows of the reader's generation only; a
 * second record of one id is ignored. */
static void test_gitblobs(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *m = open_meta(f, true);
    uint8_t oid[20], other[20];
    for (int i = 0; i < 20; i++) {
        oid[i] = (uint8_t)(0xa0 + i);
        other[i] = (uint8_t)(0xa0 + i);
    }
    other[19] ^= 1;
    uint32_t id = 5;
    assert_int_equal(lp_meta_gitblob_find(m, oid, 9, &id), LP_OK);
    assert_int_equal(id, 0);
    assert_int_equal(lp_meta_begin(m), LP_OK);
    assert_int_equal(lp_meta_gitblob_add(m, oid, 42, 2), LP_OK);
    assert_int_equal(lp_meta_gitblob_add(m, oid, 43, 2), LP_OK);
    assert_int_equal(lp_meta_commit(m), LP_OK);
    assert_int_equal(lp_meta_gitblob_find(m, oid, 2, &id), LP_OK);
    assert_int_equal(id, 42);
    assert_int_equal(lp_meta_gitblob_find(m, oid, 1, &id), LP_OK);
    assert_int_equal(id, 0);
    assert_int_equal(lp_meta_gitblob_find(m, other, 2, &id), LP_OK);
    assert_int_equal(id, 0);
    lp_meta_close(m);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM gitblob"), 1);
}

/* TLSH digests: one per blob, sorted by blob in the snapshot; rows of a
 * wrong length or of an unknown blob are left out. */
static void test_tlsh(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *m = open_meta(f, true);
    char d1[LP_TLSH_LEN + 1], d2[LP_TLSH_LEN + 1], d3[LP_TLSH_LEN + 1];
    tlsh_digest(d1, '1');
    tlsh_digest(d2, '2');
    tlsh_digest(d3, '3');
    assert_int_equal(lp_meta_begin(m), LP_OK);
    for (uint8_t i = 1; i <= 4; i++)
        add_blob(m, i, 1);
    assert_int_equal(lp_meta_tlsh_add(m, 3, d3, 1), LP_OK);
    assert_int_equal(lp_meta_tlsh_add(m, 1, d1, 1), LP_OK);
    assert_int_equal(lp_meta_tlsh_add(m, 1, d2, 1), LP_OK); /* ignored */
    assert_int_equal(lp_meta_tlsh_add(m, 2, "T1ABC", 1), LP_OK);
    assert_int_equal(lp_meta_tlsh_add(m, 9, d2, 1), LP_OK);
    assert_int_equal(lp_meta_commit(m), LP_OK);
    assert_int_equal(lp_meta_begin(m), LP_OK);
    assert_int_equal(lp_meta_tlsh_add(m, 4, d2, 2), LP_OK);
    assert_int_equal(lp_meta_commit(m), LP_OK);
    struct lp_snapshot *s = snapshot(m, 1);
    assert_int_equal(s->ntlsh, 2);
    assert_int_equal(s->tlsh[0].blob, 1);
    assert_string_equal(s->tlsh[0].digest, d1);
    assert_int_equal(s->tlsh[1].blob, 3);
    assert_string_equal(s->tlsh[1].digest, d3);
    lp_snapshot_free(s);
    s = snapshot(m, 2);
    assert_int_equal(s->ntlsh, 3);
    assert_int_equal(s->tlsh[2].blob, 4);
    assert_string_equal(s->tlsh[2].digest, d2);
    lp_snapshot_free(s);
    lp_meta_close(m);
}

/* Secrets: each protected file holding the fingerprint, newest versions
 * first; public collections and later generations are left out. */
static void test_secret_where(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *m = open_meta(f, true);
    populate(m);
    assert_int_equal(lp_meta_begin(m), LP_OK);
    assert_int_equal(lp_meta_secret_add(m, 1, "aws-key", "fpA", 12, 1), LP_OK);
    assert_int_equal(lp_meta_secret_add(m, 2, "aws-key", "fpA", 40, 1), LP_OK);
    assert_int_equal(lp_meta_secret_add(m, 5, "aws-key", "fpA", 7, 1), LP_OK);
    assert_int_equal(lp_meta_secret_add(m, 4, "github-pat", "fpB", 3, 2),
                     LP_OK);
    assert_int_equal(lp_meta_commit(m), LP_OK);
    struct collect c = {0};
    assert_int_equal(lp_meta_secret_where(m, 1, "fpA", on_place, &c), LP_OK);
    assert_string_equal(c.buf, "core 2.0 a.c aws-key:12 newest|"
                               "core 1.0 a.c aws-key:12|"
                               "core 1.0 b.c aws-key:40");
    assert_int_equal(c.calls, 3);
    struct collect one = {.stop_after = 1};
    assert_int_equal(lp_meta_secret_where(m, 1, "fpA", on_place, &one), LP_OK);
    assert_int_equal(one.calls, 1);
    assert_string_equal(one.buf, "core 2.0 a.c aws-key:12 newest");
    struct collect none = {0};
    assert_int_equal(lp_meta_secret_where(m, 1, "fpB", on_place, &none), LP_OK);
    assert_int_equal(none.calls, 0);
    assert_int_equal(lp_meta_secret_where(m, 2, "fpB", on_place, &none), LP_OK);
    assert_string_equal(none.buf, "core 2.0 c.c github-pat:3 newest");
    lp_meta_close(m);
}

/* Adds n files of one new version of a protected collection, the first k
 * of which name `domain`. */
static void add_mail_files(struct lp_meta *m, const char *coll, bool pub, int n,
                           int k, const char *domain, uint8_t *seed)
{
    int64_t c, v;
    assert_int_equal(lp_meta_begin(m), LP_OK);
    assert_int_equal(lp_meta_collection(m, coll, pub, 1, &c), LP_OK);
    assert_int_equal(lp_meta_version(m, c, "1", 1, 1, &v), LP_OK);
    for (int i = 0; i < n; i++) {
        char path[32];
        snprintf(path, sizeof path, "f%d", i);
        uint32_t b = add_blob(m, (*seed)++, 1);
        assert_int_equal(lp_meta_file(m, v, path, b, 1), LP_OK);
        if (i < k)
            assert_int_equal(lp_meta_domain_add(m, b, domain, 1), LP_OK);
    }
    assert_int_equal(lp_meta_commit(m), LP_OK);
}

/* A domain is the organisation's when at least 3 files, and 1 in 20, of
 * one protected collection name it. */
static void test_org_domains(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *m = open_meta(f, true);
    uint8_t seed = 1;
    add_mail_files(m, "alpha", false, 60, 3, "alpha.example", &seed);
    add_mail_files(m, "beta", false, 61, 3, "beta.example", &seed);
    add_mail_files(m, "gamma", false, 5, 2, "gamma.example", &seed);
    add_mail_files(m, "pub", true, 4, 4, "public.example", &seed);
    add_mail_files(m, "aardvark", false, 3, 3, "aardvark.example", &seed);
    struct collect c = {0};
    assert_int_equal(lp_meta_org_domains(m, 1, on_domain, &c), LP_OK);
    assert_string_equal(c.buf, "aardvark.example|alpha.example");
    struct collect one = {.stop_after = 1};
    assert_int_equal(lp_meta_org_domains(m, 1, on_domain, &one), LP_OK);
    assert_string_equal(one.buf, "aardvark.example");
    struct collect none = {0};
    assert_int_equal(lp_meta_org_domains(m, 0, on_domain, &none), LP_OK);
    assert_int_equal(none.calls, 0);
    lp_meta_close(m);
}

/* Adds a version of collection coll (public or not) at generation gen
 * whose files are new blobs, each with the terms of one string of
 * `files` ("ident:a,host:b"; "" for none). */
static void add_term_files(struct lp_meta *m, const char *coll, bool pub,
                           uint64_t gen, const char *const *files, int n,
                           uint8_t *seed)
{
    int64_t c, v;
    assert_int_equal(lp_meta_begin(m), LP_OK);
    assert_int_equal(lp_meta_collection(m, coll, pub, gen, &c), LP_OK);
    assert_int_equal(lp_meta_version(m, c, "1", 1, gen, &v), LP_OK);
    for (int i = 0; i < n; i++) {
        char path[32], list[256];
        snprintf(path, sizeof path, "f%d", i);
        uint32_t b = add_blob(m, (*seed)++, gen);
        assert_int_equal(lp_meta_file(m, v, path, b, gen), LP_OK);
        snprintf(list, sizeof list, "%s", files[i]);
        char *save = NULL;
        for (char *t = strtok_r(list, ",", &save); t;
             t = strtok_r(NULL, ",", &save)) {
            char *colon = strchr(t, ':');
            assert_non_null(colon);
            *colon = '\0';
            assert_int_equal(lp_meta_term_add(m, b, t, colon + 1, gen), LP_OK);
        }
    }
    assert_int_equal(lp_meta_commit(m), LP_OK);
}

/* The terms of protected blobs, each once with the first collection and
 * the blobs holding it, without those a public blob holds; ranked by
 * blobs, then length, then bytes; at most max; the generation filters. */
static void test_terms(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *m = open_meta(f, true);
    uint8_t seed = 1;
    static const char *const beta[] = {
        "ident:sharedHelperRoutineX,ident:betaOnlyLongFunctionName",
        "ident:sharedHelperRoutineX,host:build.beta.corp",
        "",
    };
    static const char *const alpha[] = {
        "ident:sharedHelperRoutineX,ident:alpha_only_thing_here",
        "ident:publicly_known_function,ident:zzzz_same_len_one",
    };
    static const char *const pub[] = {"ident:publicly_known_function"};
    add_term_files(m, "beta", false, 1, beta, 3, &seed);
    add_term_files(m, "alpha", false, 1, alpha, 2, &seed);
    add_term_files(m, "lib", true, 2, pub, 1, &seed);
    struct collect c = {0};
    assert_int_equal(lp_meta_terms(m, 2, 100, on_term, &c), LP_OK);
    assert_string_equal(c.buf,
                        "ident sharedHelperRoutineX alpha 3|"
                        "ident betaOnlyLongFunctionName beta 1|"
                        "ident alpha_only_thing_here alpha 1|"
                        "ident zzzz_same_len_one alpha 1|"
                        "host build.beta.corp beta 1");
    /* before the public collection: its identifier is yielded */
    struct collect g1 = {0};
    assert_int_equal(lp_meta_terms(m, 1, 100, on_term, &g1), LP_OK);
    assert_non_null(strstr(g1.buf, "ident publicly_known_function alpha 1"));
    struct collect two = {0};
    assert_int_equal(lp_meta_terms(m, 2, 2, on_term, &two), LP_OK);
    assert_int_equal(two.calls, 2);
    struct collect stop = {.stop_after = 1};
    assert_int_equal(lp_meta_terms(m, 2, 100, on_term, &stop), LP_OK);
    assert_string_equal(stop.buf, "ident sharedHelperRoutineX alpha 3");
    struct collect none = {0};
    assert_int_equal(lp_meta_terms(m, 0, 100, on_term, &none), LP_OK);
    assert_int_equal(none.calls, 0);
    struct collect colls = {0};
    assert_int_equal(lp_meta_collections(m, 2, on_coll, &colls), LP_OK);
    assert_string_equal(colls.buf, "alpha|beta|lib (public)");
    /* a removed collection's files no longer count */
    assert_int_equal(lp_meta_remove(m, "beta", 2), LP_OK);
    struct collect after = {0};
    assert_int_equal(lp_meta_terms(m, 2, 100, on_term, &after), LP_OK);
    assert_string_equal(after.buf, "ident alpha_only_thing_here alpha 1|"
                                   "ident sharedHelperRoutineX alpha 1|"
                                   "ident zzzz_same_len_one alpha 1");
    lp_meta_close(m);
}

/* ---- snapshot, list, counts --------------------------------------------- */

/* The snapshot's order: collections by id, versions by collection then
 * created time, assets by blob (then by the version's row id, so 2.0,
 * made first, before 1.0, then by path). */
static void test_snapshot_order(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *m = open_meta(f, true);
    populate(m);
    struct lp_snapshot *s = snapshot(m, 1);
    struct collect buf;
    snap_text(s, &buf);
    assert_string_equal(buf.buf,
                        "C core v=2 latest=3|C libc public v=1 latest=1|"
                        "V 0 1.0 @1000 files=2|V 0 2.0 @2000 files=3|"
                        "V 1 2.36 @1500 files=1|"
                        "A 1 1 a.c|A 1 0 a.c|A 2 0 b.c|A 3 1 b.c|A 4 1 c.c|"
                        "A 5 2 string.c|B 6");
    for (uint8_t i = 1; i <= 5; i++) {
        struct lp_blob_info b = blob_info(i, 100u * i);
        assert_memory_equal(&s->blobs[i], &b, sizeof b);
    }
    /* filled by the registry, not by meta */
    assert_null(s->sha_table);
    assert_null(s->blob_flags);
    assert_int_equal(s->ntlsh, 0);
    lp_snapshot_free(s);
    lp_meta_close(m);
}

/* Versions of equal created time keep the order they were made in. */
static void test_snapshot_created_ties(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *m = open_meta(f, true);
    int64_t c, v;
    assert_int_equal(lp_meta_begin(m), LP_OK);
    assert_int_equal(lp_meta_collection(m, "core", false, 1, &c), LP_OK);
    assert_int_equal(lp_meta_version(m, c, "b", 500, 1, &v), LP_OK);
    assert_int_equal(lp_meta_version(m, c, "a", 500, 1, &v), LP_OK);
    assert_int_equal(lp_meta_version(m, c, "c", 499, 1, &v), LP_OK);
    uint32_t b = add_blob(m, 1, 1);
    assert_int_equal(lp_meta_file(m, 1, "x", b, 1), LP_OK);
    assert_int_equal(lp_meta_file(m, 1, "y", b, 1), LP_OK);
    assert_int_equal(lp_meta_commit(m), LP_OK);
    struct lp_snapshot *s = snapshot(m, 1);
    struct collect buf;
    snap_text(s, &buf);
    /* "b" (id 1, made first) is newer than none: "a" ties and came later */
    assert_string_equal(buf.buf, "C core v=3 latest=0|V 0 c @499 files=0|"
                                 "V 0 b @500 files=2|V 0 a @500 files=0|"
                                 "A 1 1 x|A 1 1 y|B 2");
    lp_snapshot_free(s);
    lp_meta_close(m);
}

/* Rows of a later generation are invisible to every read. */
static void test_generation_filter(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *m = open_meta(f, true);
    populate(m);
    int64_t c, v;
    assert_int_equal(lp_meta_begin(m), LP_OK);
    assert_int_equal(lp_meta_collection(m, "core", false, 2, &c), LP_OK);
    assert_int_equal(c, 1);
    assert_int_equal(lp_meta_version(m, c, "3.0", 3000, 2, &v), LP_OK);
    uint32_t b = add_blob(m, 6, 2);
    assert_int_equal(lp_meta_file(m, v, "d.c", b, 2), LP_OK);
    assert_int_equal(lp_meta_file(m, v, "a.c", 1, 2), LP_OK);
    assert_int_equal(lp_meta_collection(m, "new", false, 2, &c), LP_OK);
    assert_int_equal(lp_meta_commit(m), LP_OK);
    check_counts(m, 0, 0, 0, 0, 0, 0);
    check_counts(m, 1, 2, 3, 6, 5, 1500);
    check_counts(m, 2, 3, 4, 8, 6, 2100);
    struct lp_snapshot *s = snapshot(m, 1);
    assert_int_equal(s->ncollections, 2);
    assert_int_equal(s->nversions, 3);
    assert_int_equal(s->nassets, 6);
    assert_int_equal(s->nblobs, 6);
    lp_snapshot_free(s);
    s = snapshot(m, 2);
    struct collect buf;
    snap_text(s, &buf);
    assert_string_equal(buf.buf,
                        "C core v=3 latest=2|C libc public v=1 latest=1|"
                        "C new v=0 latest=0|"
                        "V 0 1.0 @1000 files=2|V 0 2.0 @2000 files=3|"
                        "V 0 3.0 @3000 files=2|V 1 2.36 @1500 files=1|"
                        "A 1 1 a.c|A 1 0 a.c|A 1 2 a.c|A 2 0 b.c|A 3 1 b.c|"
                        "A 4 1 c.c|A 5 3 string.c|A 6 2 d.c|B 7");
    lp_snapshot_free(s);
    struct collect c1 = {0};
    assert_int_equal(lp_meta_list(m, 1, on_list, &c1), LP_OK);
    assert_string_equal(c1.buf, "core 1.0 1000 2|core 2.0 2000 3|"
                                "libc (public) 2.36 1500 1");
    lp_meta_close(m);
}

/* list: by collection name, then oldest version first; a collection
 * without versions has one row without a version; a stop is LP_EABORTED. */
static void test_list(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *m = open_meta(f, true);
    populate(m);
    int64_t c;
    assert_int_equal(lp_meta_begin(m), LP_OK);
    assert_int_equal(lp_meta_collection(m, "apps", false, 1, &c), LP_OK);
    assert_int_equal(lp_meta_commit(m), LP_OK);
    struct collect all = {0};
    assert_int_equal(lp_meta_list(m, 1, on_list, &all), LP_OK);
    assert_string_equal(all.buf, "apps - 0 0|core 1.0 1000 2|core 2.0 2000 3|"
                                 "libc (public) 2.36 1500 1");
    assert_int_equal(all.calls, 4);
    struct collect two = {.stop_after = 2};
    assert_int_equal(lp_meta_list(m, 1, on_list, &two), LP_EABORTED);
    assert_int_equal(two.calls, 2);
    assert_string_equal(two.buf, "apps - 0 0|core 1.0 1000 2");
    lp_meta_close(m);
}

/* ---- recovery, removal, transactions ------------------------------------ */

static void count_tables(const char *path, char *buf, size_t n)
{
    sql_text(path,
             "SELECT (SELECT count(*) FROM collection) || ' ' ||"
             " (SELECT count(*) FROM version) || ' ' ||"
             " (SELECT count(*) FROM file) || ' ' ||"
             " (SELECT count(*) FROM blob) || ' ' ||"
             " (SELECT count(*) FROM gitblob) || ' ' ||"
             " (SELECT count(*) FROM tlsh) || ' ' ||"
             " (SELECT count(*) FROM secret) || ' ' ||"
             " (SELECT count(*) FROM maildomain) || ' ' ||"
             " (SELECT count(*) FROM term)",
             buf, n);
}

/* Writes one row in every table at generation gen (names from `tag`). */
static void write_all_tables(struct lp_meta *m, const char *tag, uint8_t seed,
                             uint64_t gen)
{
    int64_t c, v;
    uint8_t oid[20];
    char d[LP_TLSH_LEN + 1];
    memset(oid, seed, sizeof oid);
    tlsh_digest(d, 'x');
    assert_int_equal(lp_meta_collection(m, tag, false, gen, &c), LP_OK);
    assert_int_equal(lp_meta_version(m, c, tag, 1, gen, &v), LP_OK);
    uint32_t b = add_blob(m, seed, gen);
    assert_int_equal(lp_meta_file(m, v, tag, b, gen), LP_OK);
    assert_int_equal(lp_meta_gitblob_add(m, oid, b, gen), LP_OK);
    assert_int_equal(lp_meta_tlsh_add(m, b, d, gen), LP_OK);
    assert_int_equal(lp_meta_secret_add(m, b, "r", tag, 1, gen), LP_OK);
    assert_int_equal(lp_meta_domain_add(m, b, tag, gen), LP_OK);
    assert_int_equal(lp_meta_term_add(m, b, "ident", tag, gen), LP_OK);
}

/* Recovery deletes every row of a later generation, in every table. */
static void test_recover(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *m = open_meta(f, true);
    for (uint8_t g = 1; g <= 3; g++) {
        char tag[8];
        snprintf(tag, sizeof tag, "g%u", g);
        assert_int_equal(lp_meta_begin(m), LP_OK);
        write_all_tables(m, tag, g, g);
        assert_int_equal(lp_meta_commit(m), LP_OK);
    }
    char buf[128];
    count_tables(f->path, buf, sizeof buf);
    assert_string_equal(buf, "3 3 3 3 3 3 3 3 3");
    assert_int_equal(lp_meta_recover(m, 1), LP_OK);
    count_tables(f->path, buf, sizeof buf);
    assert_string_equal(buf, "1 1 1 1 1 1 1 1 1");
    sql_text(f->path, "SELECT name FROM collection", buf, sizeof buf);
    assert_string_equal(buf, "g1");
    /* nothing to do: a no-op; ids go on from the survivors */
    assert_int_equal(lp_meta_recover(m, 1), LP_OK);
    int64_t c;
    assert_int_equal(lp_meta_begin(m), LP_OK);
    assert_int_equal(lp_meta_collection(m, "next", false, 2, &c), LP_OK);
    assert_int_equal(c, 2);
    assert_int_equal(lp_meta_commit(m), LP_OK);
    assert_int_equal(lp_meta_recover(m, 0), LP_OK);
    count_tables(f->path, buf, sizeof buf);
    assert_string_equal(buf, "0 0 0 0 0 0 0 0 0");
    lp_meta_close(m);
}

/* remove: the collection, its versions and files go; blobs, secrets of
 * blobs and the other collections stay. */
static void test_remove(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *m = open_meta(f, true);
    populate(m);
    assert_int_equal(lp_meta_begin(m), LP_OK);
    assert_int_equal(lp_meta_secret_add(m, 1, "aws-key", "fpA", 12, 1), LP_OK);
    assert_int_equal(lp_meta_commit(m), LP_OK);
    assert_int_equal(lp_meta_remove(m, "core", 1), LP_OK);
    struct lp_snapshot *s = snapshot(m, 1);
    struct collect buf;
    snap_text(s, &buf);
    assert_string_equal(buf.buf, "C libc public v=1 latest=1|"
                                 "V 0 2.36 @1500 files=1|A 5 0 string.c|B 6");
    lp_snapshot_free(s);
    check_counts(m, 1, 1, 1, 1, 5, 1500);
    struct collect c = {0};
    assert_int_equal(lp_meta_secret_where(m, 1, "fpA", on_place, &c), LP_OK);
    assert_int_equal(c.calls, 0);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM secret"), 1);
    /* again: not found, and nothing changes */
    assert_int_equal(lp_meta_remove(m, "core", 1), LP_ENOTFOUND);
    assert_string_equal(f->err, "no collection named 'core'");
    /* a collection of a later generation than the reader's is not seen */
    assert_int_equal(lp_meta_remove(m, "libc", 0), LP_ENOTFOUND);
    check_counts(m, 1, 1, 1, 1, 5, 1500);
    /* the writer is not left inside a transaction */
    assert_int_equal(lp_meta_begin(m), LP_OK);
    lp_meta_rollback(m);
    lp_meta_close(m);
}

/* A rolled-back transaction leaves no row in any table, and the ids it
 * used are given again. */
static void test_rollback(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *m = open_meta(f, true);
    assert_int_equal(lp_meta_begin(m), LP_OK);
    write_all_tables(m, "gone", 1, 1);
    lp_meta_rollback(m);
    lp_meta_rollback(m); /* outside a transaction: nothing */
    char buf[128];
    count_tables(f->path, buf, sizeof buf);
    assert_string_equal(buf, "0 0 0 0 0 0 0 0 0");
    check_counts(m, UINT64_MAX, 0, 0, 0, 0, 0);
    uint8_t oid[20];
    memset(oid, 1, sizeof oid);
    uint32_t id = 9;
    assert_int_equal(lp_meta_gitblob_find(m, oid, 1, &id), LP_OK);
    assert_int_equal(id, 0);
    struct lp_blob_info b = blob_info(1, 100);
    assert_int_equal(lp_meta_blob_find(m, b.sha, &id), LP_OK);
    assert_int_equal(id, 0);
    int64_t c;
    assert_int_equal(lp_meta_begin(m), LP_OK);
    assert_int_equal(lp_meta_collection(m, "kept", false, 1, &c), LP_OK);
    assert_int_equal(c, 1);
    assert_int_equal(add_blob(m, 2, 1), 1);
    assert_int_equal(lp_meta_commit(m), LP_OK);
    lp_meta_close(m);
    count_tables(f->path, buf, sizeof buf);
    assert_string_equal(buf, "1 0 0 1 0 0 0 0 0");
}

/* One write transaction at a time on a handle. */
static void test_nested_begin(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *m = open_meta(f, true);
    assert_int_equal(lp_meta_begin(m), LP_OK);
    assert_int_equal(lp_meta_begin(m), LP_EIO);
    char want[256];
    snprintf(want, sizeof want,
             "'%s': cannot start a transaction within a transaction", f->path);
    assert_string_equal(f->err, want);
    lp_meta_rollback(m);
    assert_int_equal(lp_meta_commit(m), LP_EIO);
    snprintf(want, sizeof want,
             "'%s': cannot commit - no transaction is active", f->path);
    assert_string_equal(f->err, want);
    lp_meta_close(m);
}

/* Reads need their own transaction: inside the writer's they fail and
 * leave it open, so that its rollback still takes everything back. */
static void test_reads_inside_write_txn(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *m = open_meta(f, true);
    populate(m);
    char want[256];
    snprintf(want, sizeof want,
             "'%s': cannot start a transaction within a transaction", f->path);
    assert_int_equal(lp_meta_begin(m), LP_OK);
    write_all_tables(m, "pending", 9, 2);
    struct lp_meta_counts n;
    assert_int_equal(lp_meta_counts(m, 2, &n), LP_EIO);
    assert_string_equal(f->err, want);
    struct lp_snapshot *s = calloc(1, sizeof *s);
    assert_int_equal(lp_meta_snapshot(m, 2, s), LP_EIO);
    assert_string_equal(f->err, want);
    lp_snapshot_free(s);
    struct collect c = {0};
    assert_int_equal(lp_meta_list(m, 2, on_list, &c), LP_EIO);
    assert_int_equal(c.calls, 0);
    lp_meta_rollback(m);
    check_counts(m, 2, 2, 3, 6, 5, 1500);
    char buf[128];
    count_tables(f->path, buf, sizeof buf);
    assert_string_equal(buf, "2 3 6 5 0 0 0 0 0");
    lp_meta_close(m);
}

/* A reader sees what was committed, not the writer's open transaction,
 * and is not blocked by it. */
static void test_reader_isolation(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *w = open_meta(f, true);
    populate(w);
    struct lp_meta *r = open_meta(f, false);
    assert_int_equal(lp_meta_begin(w), LP_OK);
    write_all_tables(w, "pending", 9, 2);
    check_counts(r, 2, 2, 3, 6, 5, 1500);
    struct lp_snapshot *s = snapshot(r, 2);
    assert_int_equal(s->ncollections, 2);
    assert_int_equal(s->nblobs, 6);
    lp_snapshot_free(s);
    assert_int_equal(lp_meta_commit(w), LP_OK);
    check_counts(r, 2, 3, 4, 7, 6, 2400);
    lp_meta_close(r);
    lp_meta_close(w);
}

/* Closed and opened again, the registry reads the same, and new ids go
 * on after the old ones. */
static void test_reopen(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *m = open_meta(f, true);
    populate(m);
    struct lp_snapshot *s = snapshot(m, 1);
    struct collect before, after;
    snap_text(s, &before);
    lp_snapshot_free(s);
    lp_meta_close(m);
    for (int w = 0; w < 2; w++) {
        m = open_meta(f, w);
        s = snapshot(m, 1);
        snap_text(s, &after);
        assert_string_equal(after.buf, before.buf);
        for (uint8_t i = 1; i <= 5; i++) {
            struct lp_blob_info b = blob_info(i, 100u * i);
            assert_memory_equal(&s->blobs[i], &b, sizeof b);
        }
        lp_snapshot_free(s);
        lp_meta_close(m);
    }
    m = open_meta(f, true);
    int64_t c, v;
    assert_int_equal(lp_meta_begin(m), LP_OK);
    assert_int_equal(lp_meta_collection(m, "core", false, 2, &c), LP_OK);
    assert_int_equal(c, 1);
    assert_int_equal(lp_meta_collection(m, "third", false, 2, &c), LP_OK);
    assert_int_equal(c, 3);
    assert_int_equal(lp_meta_version(m, c, "x", 1, 2, &v), LP_OK);
    assert_int_equal(v, 4);
    assert_int_equal(add_blob(m, 6, 2), 6);
    assert_int_equal(lp_meta_commit(m), LP_OK);
    lp_meta_close(m);
}

/* A reader's connection is read-only: every write is refused and the file
 * is unchanged. */
static void test_reader_read_only(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *m = open_meta(f, true);
    populate(m);
    lp_meta_close(m);
    m = open_meta(f, false);
    char want[256];
    snprintf(want, sizeof want, "'%s': attempt to write a readonly database",
             f->path);
    int64_t c = 0;
    assert_int_equal(lp_meta_collection(m, "new", false, 2, &c), LP_EIO);
    assert_string_equal(f->err, want);
    uint32_t b = 0;
    struct lp_blob_info info = blob_info(40, 1);
    assert_int_equal(lp_meta_blob_add(m, &info, 2, &b), LP_EIO);
    assert_string_equal(f->err, want);
    assert_int_equal(lp_meta_remove(m, "core", 1), LP_EIO);
    assert_int_equal(lp_meta_recover(m, 0), LP_EIO);
    /* lookups still work */
    struct lp_blob_info one = blob_info(1, 100);
    assert_int_equal(lp_meta_blob_find(m, one.sha, &b), LP_OK);
    assert_int_equal(b, 1);
    check_counts(m, 1, 2, 3, 6, 5, 1500);
    lp_meta_close(m);
    char buf[128];
    count_tables(f->path, buf, sizeof buf);
    assert_string_equal(buf, "2 3 6 5 0 0 0 0 0");
}

/* ---- damaged and foreign files ------------------------------------------ */

/* Bytes that are not SQLite: one clean error for readers and writers, and
 * the file left as it was. */
static void test_not_a_database(void **state)
{
    struct fixture *f = *state;
    char junk[4096];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)(i * 7 + 3);
    write_file(f->path, junk, sizeof junk);
    char want[256];
    snprintf(want, sizeof want, "'%s': file is not a database", f->path);
    for (int w = 0; w < 2; w++) {
        struct lp_meta *m = NULL;
        f->err[0] = '\0';
        assert_int_equal(lp_meta_open(f->path, w, f->err, &m), LP_ECORRUPT);
        assert_null(m);
        assert_string_equal(f->err, want);
    }
    FILE *fp = fopen(f->path, "rb");
    char back[4096 + 1];
    assert_int_equal(fread(back, 1, sizeof back, fp), sizeof junk);
    fclose(fp);
    assert_memory_equal(back, junk, sizeof junk);
}

/* A registry whose table pages were overwritten: open or the first read
 * fails with LP_ECORRUPT naming the file, never a crash. */
static void test_damaged_pages(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *m = open_meta(f, true);
    populate(m);
    lp_meta_close(m);
    /* fold the WAL into the file, so that the damage is what is read */
    sql_run(f->path, "PRAGMA wal_checkpoint(TRUNCATE); "
                     "PRAGMA journal_mode=DELETE");
    FILE *fp = fopen(f->path, "r+b");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    long size = ftell(fp);
    assert_true(size >= 3 * 4096);
    char junk[4096];
    memset(junk, 0x5a, sizeof junk);
    /* every page after the schema page */
    for (long off = 4096; off < size; off += 4096) {
        assert_int_equal(fseek(fp, off, SEEK_SET), 0);
        assert_int_equal(fwrite(junk, 1, sizeof junk, fp), sizeof junk);
    }
    assert_int_equal(fclose(fp), 0);
    char want[256];
    snprintf(want, sizeof want, "'%s': database disk image is malformed",
             f->path);
    m = NULL;
    lp_err e = lp_meta_open(f->path, false, f->err, &m);
    if (e == LP_OK) {
        struct lp_snapshot *s = calloc(1, sizeof *s);
        e = lp_meta_snapshot(m, 1, s);
        lp_snapshot_free(s);
        lp_meta_close(m);
    }
    assert_int_equal(e, LP_ECORRUPT);
    assert_string_equal(f->err, want);
}

/* A file cut short inside its pages. */
static void test_truncated(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *m = open_meta(f, true);
    populate(m);
    lp_meta_close(m);
    sql_run(f->path, "PRAGMA wal_checkpoint(TRUNCATE); "
                     "PRAGMA journal_mode=DELETE");
    assert_int_equal(truncate(f->path, 4096 + 100), 0);
    m = NULL;
    lp_err e = lp_meta_open(f->path, false, f->err, &m);
    if (e == LP_OK) {
        struct lp_snapshot *s = calloc(1, sizeof *s);
        e = lp_meta_snapshot(m, 1, s);
        lp_snapshot_free(s);
        lp_meta_close(m);
    }
    assert_int_equal(e, LP_ECORRUPT);
    char want[256];
    snprintf(want, sizeof want, "'%s': database disk image is malformed",
             f->path);
    assert_string_equal(f->err, want);
}

/* Another program's SQLite database (user_version 0, tables of its own)
 * is refused by a writer and left exactly as it was: no tables added, no
 * user_version, no WAL mode. */
static void test_foreign_database(void **state)
{
    struct fixture *f = *state;
    sql_run(f->path, "CREATE TABLE users(name TEXT, mail TEXT);"
                     "INSERT INTO users VALUES ('ann', 'ann@example.org')");
    char want[256];
    snprintf(want, sizeof want,
             "'%s': an SQLite database that is not a leakprint registry",
             f->path);
    for (int i = 0; i < 2; i++) {
        struct lp_meta *m = NULL;
        f->err[0] = '\0';
        assert_int_equal(lp_meta_open(f->path, true, f->err, &m), LP_EFORMAT);
        assert_null(m);
        assert_string_equal(f->err, want);
    }
    char buf[128];
    sql_text(f->path, "SELECT name FROM sqlite_master", buf, sizeof buf);
    assert_string_equal(buf, "users");
    sql_text(f->path, "SELECT name || ' ' || mail FROM users", buf, sizeof buf);
    assert_string_equal(buf, "ann ann@example.org");
    assert_int_equal(sql_int(f->path, "PRAGMA user_version"), 0);
    sql_text(f->path, "PRAGMA journal_mode", buf, sizeof buf);
    assert_string_equal(buf, "delete");
    /* a reader finds no registry there, as before */
    struct lp_meta *m = NULL;
    assert_int_equal(lp_meta_open(f->path, false, f->err, &m), LP_ENOTFOUND);
    /* an empty SQLite file is taken as a new registry */
    assert_int_equal(unlink(f->path), 0);
    sql_run(f->path, "PRAGMA user_version = 0");
    m = open_meta(f, true);
    lp_meta_close(m);
    assert_int_equal(sql_int(f->path, "PRAGMA user_version"), LP_META_SCHEMA);
}

/* A foreign database whose user_version happens to be ours, or is
 * negative (no leakprint wrote it, none can read it). */
static void test_foreign_user_version(void **state)
{
    struct fixture *f = *state;
    sql_run(f->path, "CREATE TABLE users(name TEXT); PRAGMA user_version = 2");
    struct lp_meta *m = NULL;
    assert_int_equal(lp_meta_open(f->path, false, f->err, &m), LP_EIO);
    assert_null(m);
    char want[256];
    snprintf(want, sizeof want, "'%s': no such table: setting", f->path);
    assert_string_equal(f->err, want);
    sql_run(f->path, "PRAGMA user_version = -7");
    for (int w = 0; w < 2; w++) {
        f->err[0] = '\0';
        assert_int_equal(lp_meta_open(f->path, w, f->err, &m), LP_EUNSUPPORTED);
        assert_null(m);
        snprintf(want, sizeof want, "'%s': metadata schema -7 is not supported",
                 f->path);
        assert_string_equal(f->err, want);
    }
}

/* A schema-2 registry made before gitblob, tlsh, secret, maildomain and
 * term: readers find none; a writer adds the tables. */
static void test_registry_before_optional_tables(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *m = open_meta(f, true);
    populate(m);
    lp_meta_close(m);
    sql_run(f->path, "DROP TABLE gitblob; DROP TABLE tlsh; DROP TABLE secret;"
                     " DROP TABLE maildomain; DROP TABLE term");
    m = open_meta(f, false);
    struct lp_snapshot *s = snapshot(m, 1);
    assert_int_equal(s->nassets, 6);
    assert_int_equal(s->ntlsh, 0);
    lp_snapshot_free(s);
    struct collect c = {0};
    assert_int_equal(lp_meta_secret_where(m, 1, "fpA", on_place, &c), LP_OK);
    assert_int_equal(lp_meta_org_domains(m, 1, on_domain, &c), LP_OK);
    assert_int_equal(lp_meta_terms(m, 1, 100, on_term, &c), LP_OK);
    assert_int_equal(c.calls, 0);
    lp_meta_close(m);
    char buf[256];
    sql_text(f->path,
             "SELECT count(*) FROM sqlite_master WHERE type = "
             "'table'",
             buf, sizeof buf);
    assert_string_equal(buf, "5");
    m = open_meta(f, true);
    lp_meta_close(m);
    sql_text(f->path,
             "SELECT name FROM sqlite_master WHERE type = 'table' "
             "ORDER BY name",
             buf, sizeof buf);
    assert_string_equal(buf, "blob collection file gitblob maildomain secret "
                             "setting term tlsh version");
}

/* ---- allocation failures ------------------------------------------------ */

/* Opening: each failed allocation is a clean LP_ENOMEM. */
static void test_alloc_open(void **state)
{
    struct fixture *f = *state;
    lp_meta_close(open_meta(f, true));
    char want[256];
    snprintf(want, sizeof want, "'%s': out of memory", f->path);
    for (int w = 0; w < 2; w++) {
        lp_err e = LP_ENOMEM;
        long i;
        for (i = 0; e == LP_ENOMEM; i++) {
            struct lp_meta *m = (struct lp_meta *)f;
            f->err[0] = '\0';
            lp_mem_fail_after(i);
            e = lp_meta_open(f->path, w, f->err, &m);
            lp_mem_fail_after(-1);
            if (e == LP_ENOMEM) {
                assert_null(m);
                assert_string_equal(f->err, want);
            }
            lp_meta_close(m);
        }
        assert_int_equal(e, LP_OK);
        /* the handle, its path (a reader: the names of the -shm and the
         * directory), then success */
        assert_int_equal(i, w ? 3 : 5);
    }
}

/* Loading a snapshot: each failed allocation is LP_ENOMEM; what was filled
 * is freed by lp_snapshot_free (AddressSanitizer checks for leaks). */
static void test_alloc_snapshot(void **state)
{
    struct fixture *f = *state;
    struct lp_meta *m = open_meta(f, true);
    populate(m);
    char d[LP_TLSH_LEN + 1];
    tlsh_digest(d, '9');
    assert_int_equal(lp_meta_begin(m), LP_OK);
    assert_int_equal(lp_meta_tlsh_add(m, 2, d, 1), LP_OK);
    assert_int_equal(lp_meta_commit(m), LP_OK);
    struct lp_snapshot *ref = snapshot(m, 1);
    struct collect want, got;
    char msg[256];
    snap_text(ref, &want);
    snprintf(msg, sizeof msg, "'%s': out of memory", f->path);
    lp_err e = LP_ENOMEM;
    long i;
    for (i = 0; e == LP_ENOMEM; i++) {
        struct lp_snapshot *s = calloc(1, sizeof *s);
        f->err[0] = '\0';
        lp_mem_fail_after(i);
        e = lp_meta_snapshot(m, 1, s);
        lp_mem_fail_after(-1);
        if (e == LP_ENOMEM)
            assert_string_equal(f->err, msg);
        else {
            assert_int_equal(e, LP_OK);
            snap_text(s, &got);
            assert_string_equal(got.buf, want.buf);
            assert_int_equal(s->ntlsh, 1);
            assert_string_equal(s->tlsh[0].digest, d);
        }
        lp_snapshot_free(s);
    }
    assert_int_equal(e, LP_OK);
    /* 2 collections, 3 versions, 6 assets, blobs, one digest: > 15 */
    assert_true(i > 15);
    lp_snapshot_free(ref);
    lp_meta_close(m);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_create_schema),
        T(test_reader_missing_file),
        T(test_reader_no_schema),
        T(test_newer_schema),
        T(test_older_schema),
        T(test_params_mismatch),
        T(test_params_missing),
        T(test_params_through_registry),
        T(test_collections),
        T(test_versions),
        T(test_blobs),
        T(test_files),
        T(test_gitblobs),
        T(test_tlsh),
        T(test_secret_where),
        T(test_org_domains),
        T(test_terms),
        T(test_snapshot_order),
        T(test_snapshot_created_ties),
        T(test_generation_filter),
        T(test_list),
        T(test_recover),
        T(test_remove),
        T(test_rollback),
        T(test_nested_begin),
        T(test_reads_inside_write_txn),
        T(test_reader_isolation),
        T(test_reopen),
        T(test_reader_read_only),
        T(test_not_a_database),
        T(test_damaged_pages),
        T(test_truncated),
        T(test_foreign_database),
        T(test_foreign_user_version),
        T(test_registry_before_optional_tables),
        T(test_alloc_open),
        T(test_alloc_snapshot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
