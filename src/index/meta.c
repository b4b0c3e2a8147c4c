/* SPDX-License-Identifier: Apache-2.0
 *
 * meta: SQLite access for the registry (schema in meta.h). Statements used
 * once per file or blob are prepared once and cached on the handle. Every
 * read of several tables runs in one read transaction, so that it sees one
 * consistent state of the database while a writer commits concurrently.
 */
#include "meta.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"

#include "params.h"
#include "mem.h"
#include "utf8.h"

#include "banned.h"

enum stmt_id {
    ST_COLL_FIND,
    ST_COLL_ADD,
    ST_VERS_FIND,
    ST_VERS_ADD,
    ST_BLOB_FIND,
    ST_BLOB_ADD,
    ST_FILE_ADD,
    ST_GITBLOB_FIND,
    ST_GITBLOB_ADD,
    ST_TLSH_ADD,
    ST_SECRET_ADD,
    ST_DOMAIN_ADD,
    ST_TERM_ADD,
    ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
    [ST_COLL_FIND] = "SELECT id, public FROM collection WHERE name = ?1",
    [ST_COLL_ADD] = "INSERT INTO collection(name, public, gen) "
                    "VALUES (?1, ?2, ?3)",
    [ST_VERS_FIND] = "SELECT id FROM version WHERE collection = ?1 AND "
                     "name = ?2",
    [ST_VERS_ADD] = "INSERT INTO version(collection, name, created, gen) "
                    "VALUES (?1, ?2, ?3, ?4)",
    [ST_BLOB_FIND] = "SELECT id FROM blob WHERE sha256 = ?1",
    [ST_BLOB_ADD] = "INSERT INTO blob(sha256, size, lines, nfp, nafp, kind, "
                    "lang, gen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [ST_FILE_ADD] = "INSERT INTO file(version, path, blob, gen) "
                    "VALUES (?1, ?2, ?3, ?4)",
    [ST_GITBLOB_FIND] = "SELECT blob FROM gitblob WHERE oid = ?1 AND gen <= ?2",
    [ST_GITBLOB_ADD] = "INSERT OR IGNORE INTO gitblob(oid, blob, gen) "
                       "VALUES (?1, ?2, ?3)",
    [ST_TLSH_ADD] = "INSERT OR IGNORE INTO tlsh(blob, digest, gen) "
                    "VALUES (?1, ?2, ?3)",
    [ST_SECRET_ADD] = "INSERT INTO secret(blob, rule, fp, line, gen) "
                      "VALUES (?1, ?2, ?3, ?4, ?5)",
    [ST_DOMAIN_ADD] = "INSERT INTO maildomain(blob, domain, gen) "
                      "VALUES (?1, ?2, ?3)",
    [ST_TERM_ADD] = "INSERT INTO term(blob, kind, term, gen) "
                    "VALUES (?1, ?2, ?3, ?4)",
};

/* Git blob id -> blob: a blob read from a repository once is never read
 * again by a later `add --history`; and the id of every content add reads,
 * which file listings of git (ls-tree, ls-files -s) are checked by. */
#define GITBLOB_SQL                                                         \
    "CREATE TABLE IF NOT EXISTS gitblob(oid BLOB PRIMARY KEY,"             \
    " blob INTEGER NOT NULL, gen INTEGER NOT NULL);"                       \
    TLSH_SQL

/* Blob -> TLSH digest of a binary, for similar (rebuilt, patched) binaries.
 * Added to older registries of the same schema when opened for writing;
 * a registry without it has no digests. */
#define TLSH_SQL                                                            \
    "CREATE TABLE IF NOT EXISTS tlsh(blob INTEGER PRIMARY KEY,"            \
    " digest TEXT NOT NULL, gen INTEGER NOT NULL);"                        \
    SECRET_SQL

/* Blob -> keyed fingerprints of the secrets in it (never their values),
 * and the domains of the e-mail addresses it names: what `secrets --db`
 * looks up. Added to older registries like tlsh; blobs registered before
 * have none. */
#define SECRET_SQL                                                          \
    "CREATE TABLE IF NOT EXISTS secret(blob INTEGER NOT NULL,"             \
    " rule TEXT NOT NULL, fp TEXT NOT NULL, line INTEGER NOT NULL,"        \
    " gen INTEGER NOT NULL);"                                              \
    "CREATE INDEX IF NOT EXISTS secret_fp ON secret(fp);"                  \
    "CREATE TABLE IF NOT EXISTS maildomain(blob INTEGER NOT NULL,"         \
    " domain TEXT NOT NULL, gen INTEGER NOT NULL);"                        \
    "CREATE INDEX IF NOT EXISTS maildomain_blob ON maildomain(blob);"     \
    TERM_SQL

/* Blob -> the watch terms learnt from it (lp_registry_terms()): the
 * distinctive identifiers of code (kind 'ident', src/analyze/terms.h) of
 * protected and public contents, and the internal host names (kind
 * 'host', the exposure rule internal-hostname) of protected ones. Added to
 * older registries like tlsh; blobs registered before have none. No
 * index: its one reader, lp_meta_terms(), reads it whole, and an index
 * would double what its rows cost `add`. */
#define TERM_SQL                                                            \
    "CREATE TABLE IF NOT EXISTS term(blob INTEGER NOT NULL,"               \
    " kind TEXT NOT NULL, term TEXT NOT NULL, gen INTEGER NOT NULL);"

#define LP_STR_(x) #x
#define LP_STR(x) LP_STR_(x)

static const char schema_sql[] =
    "BEGIN IMMEDIATE;"
    "CREATE TABLE IF NOT EXISTS collection(id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE, public INTEGER NOT NULL,"
    " gen INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS version(id INTEGER PRIMARY KEY,"
    " collection INTEGER NOT NULL, name TEXT NOT NULL,"
    " created INTEGER NOT NULL, gen INTEGER NOT NULL,"
    " UNIQUE(collection, name));"
    "CREATE TABLE IF NOT EXISTS file(version INTEGER NOT NULL,"
    " path TEXT NOT NULL, blob INTEGER NOT NULL, gen INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS blob(id INTEGER PRIMARY KEY,"
    " sha256 BLOB NOT NULL UNIQUE, size INTEGER NOT NULL,"
    " lines INTEGER NOT NULL, nfp INTEGER NOT NULL, nafp INTEGER NOT NULL,"
    " kind INTEGER NOT NULL, lang INTEGER NOT NULL, gen INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS setting(name TEXT PRIMARY KEY,"
    " value INTEGER NOT NULL);"
    GITBLOB_SQL
    "CREATE INDEX IF NOT EXISTS file_version ON file(version);"
    "CREATE INDEX IF NOT EXISTS file_gen ON file(gen);"
    "CREATE INDEX IF NOT EXISTS blob_gen ON blob(gen);"
    "INSERT OR REPLACE INTO setting VALUES"
    " ('fp.k', " LP_STR(LP_FP_K) "), ('fp.w', " LP_STR(LP_FP_W) "),"
    " ('afp.k', " LP_STR(LP_AFP_K) "), ('afp.w', " LP_STR(LP_AFP_W) "),"
    " ('fp.hash', " LP_STR(LP_FP_HASH) ");"
    "PRAGMA user_version = 2;"
    "COMMIT;";

/* The fingerprint parameters a registry was made with, which a scan must
 * share: fingerprints of other k or w never match. */
static const struct {
    const char *name;
    int64_t value;
} settings[] = {
    {"fp.k", LP_FP_K},   {"fp.w", LP_FP_W},       {"afp.k", LP_AFP_K},
    {"afp.w", LP_AFP_W}, {"fp.hash", LP_FP_HASH},
};

struct lp_meta {
    sqlite3 *db;
    char *path;
    char *err; /* LP_META_ERRLEN bytes, borrowed */
    bool write;
    sqlite3_stmt *st[ST_COUNT];
    /* The connection is opened SQLITE_OPEN_NOMUTEX (SQLite's multi-thread
     * mode: one thread at a time on it), and scans on one registry handle
     * run in several threads: the reader queries take this lock
     * (recursive: a callback may query again). */
    pthread_mutex_t mu;
};

static lp_err seterr(struct lp_meta *m, lp_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static lp_err seterr(struct lp_meta *m, lp_err code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->err, LP_META_ERRLEN, fmt, ap);
    va_end(ap);
    return code;
}

static lp_err map_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW: return LP_OK;
    case SQLITE_NOMEM: return LP_ENOMEM;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return LP_ECORRUPT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return LP_EBUSY;
    case SQLITE_CONSTRAINT: return LP_EEXIST;
    case SQLITE_CANTOPEN: return LP_ENOTFOUND;
    default: return LP_EIO;
    }
}

/* Error from the last SQLite call on m->db. */
static lp_err sqlerr(struct lp_meta *m, int rc)
{
    lp_err e = map_rc(rc);
    return seterr(m, e ? e : LP_EIO, "'%s': %s", m->path,
                  m->db ? sqlite3_errmsg(m->db) : sqlite3_errstr(rc));
}

static lp_err exec(struct lp_meta *m, const char *sql)
{
    int rc = sqlite3_exec(m->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? LP_OK : sqlerr(m, rc);
}

/* The cached statement `id`, reset and unbound. */
static lp_err stmt(struct lp_meta *m, enum stmt_id id, sqlite3_stmt **out)
{
    if (!m->st[id]) {
        int rc = sqlite3_prepare_v3(m->db, stmt_sql[id], -1,
                                    SQLITE_PREPARE_PERSISTENT, &m->st[id],
                                    NULL);
        if (rc != SQLITE_OK)
            return sqlerr(m, rc);
    }
    sqlite3_reset(m->st[id]);
    sqlite3_clear_bindings(m->st[id]);
    *out = m->st[id];
    return LP_OK;
}

/* Runs a statement that returns no row (an INSERT). */
static lp_err step_done(struct lp_meta *m, sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    lp_err e = rc == SQLITE_DONE ? LP_OK : sqlerr(m, rc);
    sqlite3_reset(s);
    return e;
}

static lp_err int_query(struct lp_meta *m, const char *sql, int64_t *out)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(m->db, sql, -1, &s, NULL);
    if (rc != SQLITE_OK)
        return sqlerr(m, rc);
    rc = sqlite3_step(s);
    lp_err e = LP_OK;
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    else
        e = sqlerr(m, rc);
    sqlite3_finalize(s);
    return e;
}

static lp_err check_settings(struct lp_meta *m)
{
    for (size_t i = 0; i < sizeof settings / sizeof *settings; i++) {
        sqlite3_stmt *s = NULL;
        int rc = sqlite3_prepare_v2(m->db, "SELECT value FROM setting WHERE "
                                    "name = ?1", -1, &s, NULL);
        if (rc != SQLITE_OK)
            return sqlerr(m, rc);
        sqlite3_bind_text(s, 1, settings[i].name, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
        int64_t v = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
        sqlite3_finalize(s);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return sqlerr(m, rc);
        if (v != settings[i].value)
            return seterr(m, LP_EUNSUPPORTED, "'%s': fingerprints made with "
                          "%s = %lld, this build uses %lld: use a matching "
                          "build or register again", m->path, settings[i].name,
                          (long long)v, (long long)settings[i].value);
    }
    return LP_OK;
}

/* Checks the schema version before the writer changes anything (WAL mode,
 * tables), so that a file it refuses is left as it was. */
static lp_err setup(struct lp_meta *m)
{
    int64_t ver = 0, objects = 0;
    lp_err e;
    sqlite3_busy_timeout(m->db, 5000);
    e = int_query(m, "PRAGMA user_version", &ver);
    if (e)
        return e;
    /* a negative version was not written by any leakprint */
    if (ver < 0 || ver > LP_META_SCHEMA)
        return seterr(m, LP_EUNSUPPORTED, "'%s': metadata schema %lld is not "
                      "supported", m->path, (long long)ver);
    if (ver == 0 && !m->write)
        return seterr(m, LP_ENOTFOUND, "'%s': no metadata schema", m->path);
    if (ver > 0 && ver < LP_META_SCHEMA)
        return seterr(m, LP_EUNSUPPORTED, "'%s': metadata schema %lld, made by "
                      "an older leakprint (this one reads %d): register the "
                      "collections again in a new registry", m->path,
                      (long long)ver, LP_META_SCHEMA);
    /* version 0 with tables: another program's database, not a registry
     * (the schema and its version are written in one transaction) */
    if (ver == 0) {
        e = int_query(m, "SELECT count(*) FROM sqlite_master", &objects);
        if (e)
            return e;
        if (objects > 0)
            return seterr(m, LP_EFORMAT, "'%s': an SQLite database that is "
                          "not a leakprint registry", m->path);
    }
    if (m->write) {
        e = exec(m, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
        if (e)
            return e;
    }
    if (ver == 0)
        return exec(m, schema_sql);
    if (m->write) {
        e = exec(m, GITBLOB_SQL);
        if (e)
            return e;
    }
    return check_settings(m);
}

static lp_err open_writer(struct lp_meta *m)
{
    int rc = sqlite3_open_v2(m->path, &m->db, SQLITE_OPEN_READWRITE |
                             SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    return rc == SQLITE_OK ? LP_OK : sqlerr(m, rc);
}

/* "file:" and path with the characters a URI gives a meaning to escaped,
 * for sqlite3_open_v2(SQLITE_OPEN_URI); caller frees. */
static char *file_uri(const char *path, const char *query)
{
    size_t n = strlen(path), q = strlen(query);
    char *u = lp_malloc(5 + 3 * n + q + 1);
    if (!u)
        return NULL;
    char *o = u;
    memcpy(o, "file:", 5);
    o += 5;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#' || *p < 0x20 || *p >= 0x7f) {
            snprintf(o, 4, "%%%02X", *p);
            o += 3;
        } else {
            *o++ = (char)*p;
        }
    }
    memcpy(o, query, q + 1);
    return u;
}

/* A reader needs read permission only. A WAL database is read through its
 * -shm file (the index of the WAL), which SQLite creates when missing:
 * since SQLite 3.22 a reader works when the -shm exists and is readable,
 * or when the directory lets it create one. Without either (a read-only
 * mount, or another user's registry that we may read but not write), the
 * only way left is the URI parameter immutable=1: no locks, no -shm, and
 * the -wal is ignored. That is right only when the -wal holds nothing: a
 * writer checkpoints its WAL into the main file and deletes it when it
 * closes, so no -shm and an empty or absent -wal mean that every commit
 * is in meta.sqlite and no writer is at work. A -wal with content that
 * cannot be read through a -shm is refused rather than silently ignored
 * (it may hold the last commits). A writer starting while such a reader
 * runs does not change meta.sqlite before its checkpoint at close; the
 * manifest's generation keeps the reader from using rows it cannot see. */
static lp_err open_reader(struct lp_meta *m)
{
    const char *path = m->path;
    if (access(path, R_OK) != 0)
        return seterr(m, errno == ENOENT ? LP_ENOTFOUND : LP_EIO, "'%s': %s",
                      path, errno == ENOENT ? "no such file"
                                            : lp_errno_str(errno));
    size_t n = strlen(path);
    char *side = lp_malloc(n + 5), *dir = lp_strdup(path), *uri = NULL;
    lp_err e = LP_OK;
    if (!side || !dir) {
        e = seterr(m, LP_ENOMEM, "'%s': out of memory", path);
        goto out;
    }
    char *slash = strrchr(dir, '/');
    if (slash)
        slash[slash == dir ? 1 : 0] = '\0';
    snprintf(side, n + 5, "%s-shm", path);
    bool immutable = false;
    if (access(side, R_OK) != 0 &&
        access(slash ? dir : ".", W_OK) != 0) {
        struct stat st;
        snprintf(side, n + 5, "%s-wal", path);
        if (stat(side, &st) == 0 && st.st_size > 0) {
            e = seterr(m, LP_EIO, "'%s': permission denied (it holds commits "
                       "a reader needs write access to the registry to "
                       "read)", side);
            goto out;
        }
        immutable = true;
    }
    int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
    if (immutable) {
        if (!(uri = file_uri(path, "?immutable=1"))) {
            e = seterr(m, LP_ENOMEM, "'%s': out of memory", path);
            goto out;
        }
        flags |= SQLITE_OPEN_URI;
    }
    int rc = sqlite3_open_v2(uri ? uri : path, &m->db, flags, NULL);
    if (rc != SQLITE_OK)
        e = sqlerr(m, rc);
out:
    lp_free(side);
    lp_free(dir);
    lp_free(uri);
    return e;
}

lp_err lp_meta_open(const char *path, bool write, char *err,
                    struct lp_meta **out)
{
    *out = NULL;
    struct lp_meta *m = lp_calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, LP_META_ERRLEN, "'%s': out of memory", path);
        return LP_ENOMEM;
    }
    m->err = err;
    m->write = write;
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&m->mu, &attr);
    pthread_mutexattr_destroy(&attr);
    m->path = lp_strdup(path);
    if (!m->path) {
        pthread_mutex_destroy(&m->mu);
        lp_free(m);
        snprintf(err, LP_META_ERRLEN, "'%s': out of memory", path);
        return LP_ENOMEM;
    }
    lp_err e = write ? open_writer(m) : open_reader(m);
    if (!e)
        e = setup(m);
    /* The reader found the file (open_reader): a file SQLite cannot open
     * now (its -shm, say) is a problem of access, not a missing registry. */
    if (e == LP_ENOTFOUND && !write && m->db &&
        (sqlite3_errcode(m->db) & 0xff) == SQLITE_CANTOPEN)
        e = LP_EIO;
    if (e) {
        lp_meta_close(m);
        return e;
    }
    *out = m;
    return LP_OK;
}

void lp_meta_close(struct lp_meta *m)
{
    if (!m)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(m->st[i]);
    sqlite3_close(m->db);
    pthread_mutex_destroy(&m->mu);
    lp_free(m->path);
    lp_free(m);
}

lp_err lp_meta_begin(struct lp_meta *m)
{
    return exec(m, "BEGIN IMMEDIATE");
}

lp_err lp_meta_commit(struct lp_meta *m)
{
    return exec(m, "COMMIT");
}

void lp_meta_rollback(struct lp_meta *m)
{
    if (!sqlite3_get_autocommit(m->db))
        sqlite3_exec(m->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Runs sql with ?1 bound to an integer; no result rows. */
static lp_err exec_int(struct lp_meta *m, const char *sql, int64_t v)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(m->db, sql, -1, &s, NULL);
    if (rc != SQLITE_OK)
        return sqlerr(m, rc);
    sqlite3_bind_int64(s, 1, v);
    rc = sqlite3_step(s);
    lp_err e = rc == SQLITE_DONE ? LP_OK : sqlerr(m, rc);
    sqlite3_finalize(s);
    return e;
}

lp_err lp_meta_recover(struct lp_meta *m, uint64_t gen)
{
    static const char *const del[] = {
        "DELETE FROM file WHERE gen > ?1",
        "DELETE FROM version WHERE gen > ?1",
        "DELETE FROM collection WHERE gen > ?1",
        "DELETE FROM blob WHERE gen > ?1",
        "DELETE FROM gitblob WHERE gen > ?1",
        "DELETE FROM tlsh WHERE gen > ?1",
        "DELETE FROM secret WHERE gen > ?1",
        "DELETE FROM maildomain WHERE gen > ?1",
        "DELETE FROM term WHERE gen > ?1",
    };
    lp_err e = lp_meta_begin(m);
    for (size_t i = 0; !e && i < sizeof del / sizeof del[0]; i++)
        e = exec_int(m, del[i], (int64_t)gen);
    if (!e)
        e = lp_meta_commit(m);
    if (e)
        lp_meta_rollback(m);
    return e;
}

lp_err lp_meta_collection(struct lp_meta *m, const char *name, bool public_,
                          uint64_t gen, int64_t *out)
{
    sqlite3_stmt *s;
    lp_err e = stmt(m, ST_COLL_FIND, &s);
    if (e)
        return e;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(s, 0);
        bool was_public = sqlite3_column_int(s, 1) != 0;
        sqlite3_reset(s);
        if (was_public != public_)
            return seterr(m, LP_EINVAL, "'%s': collection is %s", name,
                          was_public ? "public" : "not public");
        return LP_OK;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return sqlerr(m, rc);
    e = stmt(m, ST_COLL_ADD, &s);
    if (e)
        return e;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, public_);
    sqlite3_bind_int64(s, 3, (int64_t)gen);
    e = step_done(m, s);
    if (!e)
        *out = sqlite3_last_insert_rowid(m->db);
    return e;
}

lp_err lp_meta_version(struct lp_meta *m, int64_t collection,
                       const char *name, int64_t created, uint64_t gen,
                       int64_t *out)
{
    sqlite3_stmt *s;
    lp_err e = stmt(m, ST_VERS_FIND, &s);
    if (e)
        return e;
    sqlite3_bind_int64(s, 1, collection);
    sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc == SQLITE_ROW)
        return seterr(m, LP_EEXIST, "'%s': version exists", name);
    if (rc != SQLITE_DONE)
        return sqlerr(m, rc);
    e = stmt(m, ST_VERS_ADD, &s);
    if (e)
        return e;
    sqlite3_bind_int64(s, 1, collection);
    sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, created);
    sqlite3_bind_int64(s, 4, (int64_t)gen);
    e = step_done(m, s);
    if (!e)
        *out = sqlite3_last_insert_rowid(m->db);
    return e;
}

/* Steps statement s (bound by the caller) for one integer: *out, or 0
 * when there is no row; resets s. */
static lp_err find_u32(struct lp_meta *m, sqlite3_stmt *s, uint32_t *out)
{
    int rc = sqlite3_step(s);
    lp_err e = LP_OK;
    *out = 0;
    if (rc == SQLITE_ROW)
        *out = (uint32_t)sqlite3_column_int64(s, 0);
    else if (rc != SQLITE_DONE)
        e = sqlerr(m, rc);
    sqlite3_reset(s);
    return e;
}

lp_err lp_meta_blob_find(struct lp_meta *m, const uint8_t sha[LP_SHA256_LEN],
                         uint32_t *out)
{
    sqlite3_stmt *s;
    *out = 0;
    lp_err e = stmt(m, ST_BLOB_FIND, &s);
    if (e)
        return e;
    sqlite3_bind_blob(s, 1, sha, LP_SHA256_LEN, SQLITE_STATIC);
    return find_u32(m, s, out);
}

lp_err lp_meta_blob_add(struct lp_meta *m, const struct lp_blob_info *info,
                        uint64_t gen, uint32_t *out)
{
    sqlite3_stmt *s;
    lp_err e = stmt(m, ST_BLOB_ADD, &s);
    if (e)
        return e;
    sqlite3_bind_blob(s, 1, info->sha, LP_SHA256_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, (int64_t)info->size);
    sqlite3_bind_int64(s, 3, info->lines);
    sqlite3_bind_int64(s, 4, info->nfp);
    sqlite3_bind_int64(s, 5, info->nafp);
    sqlite3_bind_int(s, 6, info->kind);
    sqlite3_bind_int(s, 7, info->lang);
    sqlite3_bind_int64(s, 8, (int64_t)gen);
    e = step_done(m, s);
    if (e)
        return e;
    int64_t id = sqlite3_last_insert_rowid(m->db);
    if (id <= 0 || id > (int64_t)UINT32_MAX)
        return seterr(m, LP_ELIMIT, "'%s': more than %u blobs", m->path,
                      UINT32_MAX);
    *out = (uint32_t)id;
    return LP_OK;
}

lp_err lp_meta_file(struct lp_meta *m, int64_t version, const char *path,
                    uint32_t blob, uint64_t gen)
{
    sqlite3_stmt *s;
    lp_err e = stmt(m, ST_FILE_ADD, &s);
    if (e)
        return e;
    sqlite3_bind_int64(s, 1, version);
    sqlite3_bind_text(s, 2, path, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, blob);
    sqlite3_bind_int64(s, 4, (int64_t)gen);
    return step_done(m, s);
}

static lp_err locked_gitblob_find(struct lp_meta *m, const uint8_t oid[20],
                                  uint64_t gen, uint32_t *out)
{
    sqlite3_stmt *s;
    *out = 0;
    lp_err e = stmt(m, ST_GITBLOB_FIND, &s);
    if (e)
        return e;
    sqlite3_bind_blob(s, 1, oid, 20, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, (int64_t)gen);
    return find_u32(m, s, out);
}

lp_err lp_meta_gitblob_find(struct lp_meta *m, const uint8_t oid[20],
                            uint64_t gen, uint32_t *out)
{
    pthread_mutex_lock(&m->mu);
    lp_err e = locked_gitblob_find(m, oid, gen, out);
    pthread_mutex_unlock(&m->mu);
    return e;
}

/* Inserts (blob, text, gen) with statement id: a blob's TLSH digest, or
 * a domain its e-mail addresses name. */
static lp_err blob_text_add(struct lp_meta *m, enum stmt_id id, uint32_t blob,
                            const char *text, uint64_t gen)
{
    sqlite3_stmt *s;
    lp_err e = stmt(m, id, &s);
    if (e)
        return e;
    sqlite3_bind_int64(s, 1, blob);
    sqlite3_bind_text(s, 2, text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, (int64_t)gen);
    return step_done(m, s);
}

lp_err lp_meta_tlsh_add(struct lp_meta *m, uint32_t blob, const char *digest,
                        uint64_t gen)
{
    return blob_text_add(m, ST_TLSH_ADD, blob, digest, gen);
}

lp_err lp_meta_secret_add(struct lp_meta *m, uint32_t blob, const char *rule,
                          const char *fp, uint32_t line, uint64_t gen)
{
    sqlite3_stmt *s;
    lp_err e = stmt(m, ST_SECRET_ADD, &s);
    if (e)
        return e;
    sqlite3_bind_int64(s, 1, blob);
    sqlite3_bind_text(s, 2, rule, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, fp, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, line);
    sqlite3_bind_int64(s, 5, (int64_t)gen);
    return step_done(m, s);
}

lp_err lp_meta_domain_add(struct lp_meta *m, uint32_t blob, const char *domain,
                          uint64_t gen)
{
    return blob_text_add(m, ST_DOMAIN_ADD, blob, domain, gen);
}

/* A query of tables that a registry made before them lacks: "no such
 * table" is no rows. */
static lp_err prepare_optional(struct lp_meta *m, const char *sql,
                               sqlite3_stmt **out)
{
    int rc = sqlite3_prepare_v2(m->db, sql, -1, out, NULL);
    if (rc == SQLITE_OK)
        return LP_OK;
    *out = NULL;
    if (rc == SQLITE_ERROR && strstr(sqlite3_errmsg(m->db), "no such table"))
        return LP_OK;
    return sqlerr(m, rc);
}

/* Runs a query of optional tables whose parameters are the text `key`
 * (?1; then gen is ?2) or none (gen is ?1), handing each row to row()
 * until it returns non-zero. */
static lp_err locked_each_row(struct lp_meta *m, const char *sql, const char *key,
                              uint64_t gen, int (*row)(void *ctx, sqlite3_stmt *s),
                              void *ctx)
{
    sqlite3_stmt *s;
    lp_err e = prepare_optional(m, sql, &s);
    if (e || !s)
        return e;
    if (key)
        sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, key ? 2 : 1, (int64_t)gen);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && !row(ctx, s))
        ;
    e = rc == SQLITE_ROW || rc == SQLITE_DONE ? LP_OK : sqlerr(m, rc);
    sqlite3_finalize(s);
    return e;
}

static lp_err each_row(struct lp_meta *m, const char *sql, const char *key,
                       uint64_t gen, int (*row)(void *ctx, sqlite3_stmt *s),
                       void *ctx)
{
    pthread_mutex_lock(&m->mu);
    lp_err e = locked_each_row(m, sql, key, gen, row, ctx);
    pthread_mutex_unlock(&m->mu);
    return e;
}

struct place_rows {
    int (*fn)(void *ctx, const struct lp_secret_place *p);
    void *ctx;
};

static int place_row(void *ctx, sqlite3_stmt *s)
{
    struct place_rows *pr = ctx;
    struct lp_secret_place p = {
        .collection = (const char *)sqlite3_column_text(s, 0),
        .path = (const char *)sqlite3_column_text(s, 1),
        .version = (const char *)sqlite3_column_text(s, 2),
        .line = (uint32_t)sqlite3_column_int64(s, 3),
        .rule = (const char *)sqlite3_column_text(s, 4),
        .newest = sqlite3_column_int(s, 5) != 0,
    };
    return p.collection && p.path && p.version && p.rule && pr->fn(pr->ctx, &p);
}

struct domain_rows {
    int (*fn)(void *ctx, const char *domain);
    void *ctx;
};

static int domain_row(void *ctx, sqlite3_stmt *s)
{
    struct domain_rows *dr = ctx;
    const char *d = (const char *)sqlite3_column_text(s, 0);
    return d && dr->fn(dr->ctx, d);
}

lp_err lp_meta_secret_where(struct lp_meta *m, uint64_t gen, const char *fp,
                            int (*fn)(void *ctx,
                                      const struct lp_secret_place *p),
                            void *ctx)
{
    /* Every protected file holding it, the newest versions first; a
     * version is its collection's newest when none was made after it. */
    static const char sql[] =
        "SELECT c.name, f.path, v.name, s.line, s.rule,"
        " NOT EXISTS (SELECT 1 FROM version w WHERE w.collection ="
        "  v.collection AND w.gen <= ?2 AND (w.created > v.created OR"
        "  (w.created = v.created AND w.id > v.id)))"
        " FROM secret s JOIN file f ON f.blob = s.blob"
        " JOIN version v ON v.id = f.version"
        " JOIN collection c ON c.id = v.collection"
        " WHERE s.fp = ?1 AND s.gen <= ?2 AND f.gen <= ?2 AND c.public = 0"
        " ORDER BY 6 DESC, v.created DESC, v.id DESC, c.name, f.path"
        " LIMIT 1000";
    struct place_rows pr = {fn, ctx};
    return each_row(m, sql, fp, gen, place_row, &pr);
}

lp_err lp_meta_org_domains(struct lp_meta *m, uint64_t gen,
                           int (*fn)(void *ctx, const char *domain),
                           void *ctx)
{
    /* A domain is the organisation's when the e-mail addresses of at
     * least 3 files, and of at least 1 in 20 of its files, of one
     * protected collection are under it (authors, maintainers,
     * support addresses). */
    static const char sql[] =
        "WITH cf AS (SELECT DISTINCT v.collection AS c, f.blob AS blob"
        "  FROM file f JOIN version v ON v.id = f.version"
        "  JOIN collection k ON k.id = v.collection"
        "  WHERE k.public = 0 AND f.gen <= ?1),"
        " total AS (SELECT c, COUNT(*) AS n FROM cf GROUP BY c),"
        " dom AS (SELECT cf.c AS c, d.domain AS domain,"
        "  COUNT(DISTINCT d.blob) AS n FROM cf JOIN maildomain d"
        "  ON d.blob = cf.blob WHERE d.gen <= ?1 GROUP BY cf.c, d.domain)"
        " SELECT DISTINCT dom.domain FROM dom JOIN total ON total.c = dom.c"
        " WHERE dom.n >= 3 AND dom.n * 20 >= total.n ORDER BY dom.domain"
        " LIMIT 64";
    struct domain_rows dr = {fn, ctx};
    return each_row(m, sql, NULL, gen, domain_row, &dr);
}

lp_err lp_meta_term_add(struct lp_meta *m, uint32_t blob, const char *kind,
                        const char *term, uint64_t gen)
{
    sqlite3_stmt *s;
    lp_err e = stmt(m, ST_TERM_ADD, &s);
    if (e)
        return e;
    sqlite3_bind_int64(s, 1, blob);
    sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, term, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, (int64_t)gen);
    return step_done(m, s);
}

struct coll_rows {
    int (*fn)(void *ctx, const char *name, bool public_);
    void *ctx;
};

static int coll_row(void *ctx, sqlite3_stmt *s)
{
    struct coll_rows *cr = ctx;
    const char *name = (const char *)sqlite3_column_text(s, 0);
    return name && cr->fn(cr->ctx, name, sqlite3_column_int(s, 1) != 0);
}

lp_err lp_meta_collections(struct lp_meta *m, uint64_t gen,
                           int (*fn)(void *ctx, const char *name,
                                     bool public_),
                           void *ctx)
{
    struct coll_rows cr = {fn, ctx};
    return each_row(m, "SELECT name, public FROM collection WHERE gen <= ?1 "
                    "ORDER BY name", NULL, gen, coll_row, &cr);
}

struct term_rows {
    int (*fn)(void *ctx, const struct lp_meta_term *t);
    void *ctx;
};

static int term_row(void *ctx, sqlite3_stmt *s)
{
    struct term_rows *tr = ctx;
    struct lp_meta_term t = {
        .kind = (const char *)sqlite3_column_text(s, 0),
        .term = (const char *)sqlite3_column_text(s, 1),
        .collection = (const char *)sqlite3_column_text(s, 2),
        .files = (uint64_t)sqlite3_column_int64(s, 3),
    };
    return t.kind && t.term && t.collection && tr->fn(tr->ctx, &t);
}

static lp_err locked_terms(struct lp_meta *m, uint64_t gen, size_t max,
                           int (*fn)(void *ctx, const struct lp_meta_term *t),
                           void *ctx)
{
    /* The blobs of live files (cf, each with its collection), the terms
     * of public ones (pt), and the terms of protected ones not among
     * them, ranked: held by more protected blobs, then longer, then in
     * byte order. */
    static const char sql[] =
        "WITH cf AS (SELECT DISTINCT f.blob AS blob, k.public AS pub,"
        "  k.name AS coll FROM file f JOIN version v ON v.id = f.version"
        "  JOIN collection k ON k.id = v.collection"
        "  WHERE f.gen <= ?1 AND v.gen <= ?1 AND k.gen <= ?1),"
        " pt AS (SELECT DISTINCT t.term AS term FROM term t JOIN cf"
        "  ON cf.blob = t.blob WHERE cf.pub = 1 AND t.gen <= ?1)"
        " SELECT t.kind, t.term, min(cf.coll), count(DISTINCT t.blob)"
        " FROM term t JOIN cf ON cf.blob = t.blob"
        " WHERE cf.pub = 0 AND t.gen <= ?1"
        "  AND t.term NOT IN (SELECT term FROM pt)"
        " GROUP BY t.kind, t.term"
        " ORDER BY 4 DESC, length(t.term) DESC, t.term, t.kind LIMIT ?2";
    sqlite3_stmt *s;
    lp_err e = prepare_optional(m, sql, &s);
    if (e || !s)
        return e;
    sqlite3_bind_int64(s, 1, (int64_t)gen);
    sqlite3_bind_int64(s, 2, max > INT64_MAX ? INT64_MAX : (int64_t)max);
    struct term_rows tr = {fn, ctx};
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && !term_row(&tr, s))
        ;
    e = rc == SQLITE_ROW || rc == SQLITE_DONE ? LP_OK : sqlerr(m, rc);
    sqlite3_finalize(s);
    return e;
}

lp_err lp_meta_terms(struct lp_meta *m, uint64_t gen, size_t max,
                     int (*fn)(void *ctx, const struct lp_meta_term *t),
                     void *ctx)
{
    pthread_mutex_lock(&m->mu);
    lp_err e = locked_terms(m, gen, max, fn, ctx);
    pthread_mutex_unlock(&m->mu);
    return e;
}

lp_err lp_meta_gitblob_add(struct lp_meta *m, const uint8_t oid[20],
                           uint32_t blob, uint64_t gen)
{
    sqlite3_stmt *s;
    lp_err e = stmt(m, ST_GITBLOB_ADD, &s);
    if (e)
        return e;
    sqlite3_bind_blob(s, 1, oid, 20, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, blob);
    sqlite3_bind_int64(s, 3, (int64_t)gen);
    return step_done(m, s);
}

lp_err lp_meta_remove(struct lp_meta *m, const char *name, uint64_t gen)
{
    sqlite3_stmt *s = NULL;
    int64_t id = 0;
    lp_err e = lp_meta_begin(m);
    if (e)
        return e;
    int rc = sqlite3_prepare_v2(m->db, "SELECT id FROM collection WHERE "
                                "name = ?1 AND gen <= ?2", -1, &s, NULL);
    if (rc != SQLITE_OK) {
        e = sqlerr(m, rc);
        goto out;
    }
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, (int64_t)gen);
    rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) {
        char shown[256]; /* the name as typed: it may hold anything */
        lp_utf8_escape(name, shown, sizeof shown);
        e = seterr(m, LP_ENOTFOUND, "no collection named '%s'", shown);
        goto out;
    }
    if (rc != SQLITE_ROW) {
        e = sqlerr(m, rc);
        goto out;
    }
    id = sqlite3_column_int64(s, 0);
    e = exec_int(m, "DELETE FROM file WHERE version IN "
                 "(SELECT id FROM version WHERE collection = ?1)", id);
    if (!e)
        e = exec_int(m, "DELETE FROM version WHERE collection = ?1", id);
    if (!e)
        e = exec_int(m, "DELETE FROM collection WHERE id = ?1", id);
    if (!e)
        e = lp_meta_commit(m);
out:
    sqlite3_finalize(s);
    if (e)
        lp_meta_rollback(m);
    return e;
}

/* ---- reads -------------------------------------------------------------- */

/* A prepared statement with ?1 bound to the generation. */
static lp_err prep_gen(struct lp_meta *m, const char *sql, uint64_t gen,
                       sqlite3_stmt **out)
{
    int rc = sqlite3_prepare_v2(m->db, sql, -1, out, NULL);
    if (rc != SQLITE_OK)
        return sqlerr(m, rc);
    sqlite3_bind_int64(*out, 1, (int64_t)gen);
    return LP_OK;
}

/* Sorted map of SQLite ids to array indices. */
struct idmap {
    int64_t id;
    uint32_t idx;
};

static int idmap_cmp(const void *a, const void *b)
{
    const struct idmap *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static bool idmap_find(const struct idmap *map, size_t n, int64_t id,
                       uint32_t *idx)
{
    struct idmap key = {id, 0};
    const struct idmap *f = bsearch(&key, map, n, sizeof *map, idmap_cmp);
    if (f)
        *idx = f->idx;
    return f != NULL;
}

static char *col_strdup(sqlite3_stmt *s, int col)
{
    const unsigned char *t = sqlite3_column_text(s, col);
    size_t n = (size_t)sqlite3_column_bytes(s, col);
    return lp_strndup(t ? (const char *)t : "", t ? n : 0);
}

static lp_err load_collections(struct lp_meta *m, uint64_t gen,
                               struct lp_snapshot *snap, struct idmap **map)
{
    sqlite3_stmt *s = NULL;
    size_t cap = 0, mcap = 0;
    lp_err e = prep_gen(m, "SELECT id, name, public FROM collection "
                        "WHERE gen <= ?1 ORDER BY id", gen, &s);
    int rc = SQLITE_DONE;
    while (!e && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        size_t n = snap->ncollections;
        if (!lp_grow((void **)&snap->collections, &cap, n + 1,
                     sizeof *snap->collections) ||
            !lp_grow((void **)map, &mcap, n + 1, sizeof **map)) {
            e = seterr(m, LP_ENOMEM, "'%s': out of memory", m->path);
            break;
        }
        struct lp_snap_collection *c = &snap->collections[n];
        memset(c, 0, sizeof *c);
        c->public_ = sqlite3_column_int(s, 2) != 0;
        (*map)[n].id = sqlite3_column_int64(s, 0);
        (*map)[n].idx = (uint32_t)n;
        snap->ncollections++;
        c->name = col_strdup(s, 1);
        if (!c->name)
            e = seterr(m, LP_ENOMEM, "'%s': out of memory", m->path);
    }
    if (!e && rc != SQLITE_DONE)
        e = sqlerr(m, rc);
    sqlite3_finalize(s);
    return e;
}

static lp_err load_versions(struct lp_meta *m, uint64_t gen,
                            struct lp_snapshot *snap,
                            const struct idmap *cmap, struct idmap **vmap)
{
    sqlite3_stmt *s = NULL;
    size_t cap = 0, mcap = 0;
    lp_err e = prep_gen(m, "SELECT id, collection, name, created FROM version "
                        "WHERE gen <= ?1 ORDER BY collection, created, id",
                        gen, &s);
    int rc = SQLITE_DONE;
    while (!e && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        uint32_t ci;
        if (!idmap_find(cmap, snap->ncollections, sqlite3_column_int64(s, 1),
                        &ci))
            continue; /* orphan row: ignored */
        size_t n = snap->nversions;
        if (!lp_grow((void **)&snap->versions, &cap, n + 1,
                     sizeof *snap->versions) ||
            !lp_grow((void **)vmap, &mcap, n + 1, sizeof **vmap)) {
            e = seterr(m, LP_ENOMEM, "'%s': out of memory", m->path);
            break;
        }
        struct lp_snap_version *v = &snap->versions[n];
        memset(v, 0, sizeof *v);
        v->collection = ci;
        v->created = sqlite3_column_int64(s, 3);
        (*vmap)[n].id = sqlite3_column_int64(s, 0);
        (*vmap)[n].idx = (uint32_t)n;
        snap->nversions++;
        v->name = col_strdup(s, 2);
        if (!v->name)
            e = seterr(m, LP_ENOMEM, "'%s': out of memory", m->path);
    }
    if (!e && rc != SQLITE_DONE)
        e = sqlerr(m, rc);
    sqlite3_finalize(s);
    if (!e && snap->nversions > 1)
        lp_sort(*vmap, snap->nversions, sizeof **vmap, idmap_cmp);
    return e;
}

static lp_err load_blobs(struct lp_meta *m, uint64_t gen,
                         struct lp_snapshot *snap)
{
    sqlite3_stmt *s = NULL;
    int64_t maxid = 0;
    lp_err e = prep_gen(m, "SELECT max(id) FROM blob WHERE gen <= ?1", gen,
                        &s);
    if (!e && sqlite3_step(s) == SQLITE_ROW)
        maxid = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    s = NULL;
    if (e)
        return e;
    if (maxid < 0 || maxid > (int64_t)UINT32_MAX)
        return seterr(m, LP_ECORRUPT, "'%s': blob id %lld out of range",
                      m->path, (long long)maxid);
    snap->blobs = lp_calloc((size_t)maxid + 1, sizeof *snap->blobs);
    if (!snap->blobs)
        return seterr(m, LP_ENOMEM, "'%s': out of memory", m->path);
    snap->nblobs = (size_t)maxid + 1;
    e = prep_gen(m, "SELECT id, sha256, size, lines, nfp, kind, lang, nafp "
                 "FROM blob WHERE gen <= ?1", gen, &s);
    int rc = SQLITE_DONE;
    while (!e && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        if (id <= 0 || id > maxid ||
            sqlite3_column_bytes(s, 1) != LP_SHA256_LEN)
            continue;
        struct lp_blob_info *b = &snap->blobs[id];
        memcpy(b->sha, sqlite3_column_blob(s, 1), LP_SHA256_LEN);
        b->size = (uint64_t)sqlite3_column_int64(s, 2);
        b->lines = (uint32_t)sqlite3_column_int64(s, 3);
        b->nfp = (uint32_t)sqlite3_column_int64(s, 4);
        b->kind = (uint8_t)sqlite3_column_int(s, 5);
        b->lang = (uint8_t)sqlite3_column_int(s, 6);
        b->nafp = (uint32_t)sqlite3_column_int64(s, 7);
    }
    if (!e && rc != SQLITE_DONE)
        e = sqlerr(m, rc);
    sqlite3_finalize(s);
    return e;
}

/* The TLSH digests of binaries (none in a registry made before they were
 * kept, whose table is missing). */
static lp_err load_tlsh(struct lp_meta *m, uint64_t gen,
                        struct lp_snapshot *snap)
{
    sqlite3_stmt *s = NULL;
    size_t cap = 0;
    if (sqlite3_prepare_v2(m->db, "SELECT blob, digest FROM tlsh WHERE "
                           "gen <= ?1 ORDER BY blob", -1, &s,
                           NULL) != SQLITE_OK) {
        sqlite3_finalize(s);
        return LP_OK;
    }
    sqlite3_bind_int64(s, 1, (int64_t)gen);
    lp_err e = LP_OK;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t blob = sqlite3_column_int64(s, 0);
        const unsigned char *d = sqlite3_column_text(s, 1);
        if (blob <= 0 || (uint64_t)blob >= snap->nblobs || !d ||
            strlen((const char *)d) != LP_TLSH_LEN)
            continue;
        if (!lp_grow((void **)&snap->tlsh, &cap, snap->ntlsh + 1,
                     sizeof *snap->tlsh)) {
            e = seterr(m, LP_ENOMEM, "'%s': out of memory", m->path);
            break;
        }
        snap->tlsh[snap->ntlsh].blob = (uint32_t)blob;
        memcpy(snap->tlsh[snap->ntlsh].digest, d, LP_TLSH_LEN + 1);
        snap->ntlsh++;
    }
    if (!e && rc != SQLITE_DONE)
        e = sqlerr(m, rc);
    sqlite3_finalize(s);
    return e;
}

static lp_err load_assets(struct lp_meta *m, uint64_t gen,
                          struct lp_snapshot *snap, const struct idmap *vmap)
{
    sqlite3_stmt *s = NULL;
    size_t cap = 0;
    lp_err e = prep_gen(m, "SELECT version, blob, path FROM file "
                        "WHERE gen <= ?1 ORDER BY blob, version, path",
                        gen, &s);
    int rc = SQLITE_DONE;
    while (!e && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        uint32_t vi;
        int64_t blob = sqlite3_column_int64(s, 1);
        if (!idmap_find(vmap, snap->nversions, sqlite3_column_int64(s, 0),
                        &vi) ||
            blob <= 0 || (uint64_t)blob >= snap->nblobs)
            continue; /* orphan row: ignored */
        size_t n = snap->nassets;
        if (!lp_grow((void **)&snap->assets, &cap, n + 1,
                     sizeof *snap->assets)) {
            e = seterr(m, LP_ENOMEM, "'%s': out of memory", m->path);
            break;
        }
        struct lp_snap_asset *a = &snap->assets[n];
        a->blob = (uint32_t)blob;
        a->version = vi;
        a->path = col_strdup(s, 2);
        snap->nassets++;
        snap->versions[vi].nfiles++;
        if (!a->path)
            e = seterr(m, LP_ENOMEM, "'%s': out of memory", m->path);
    }
    if (!e && rc != SQLITE_DONE)
        e = sqlerr(m, rc);
    sqlite3_finalize(s);
    return e;
}

static lp_err locked_snapshot(struct lp_meta *m, uint64_t gen,
                              struct lp_snapshot *snap)
{
    struct idmap *cmap = NULL, *vmap = NULL;
    lp_err e = exec(m, "BEGIN");
    if (e)
        return e;
    e = load_collections(m, gen, snap, &cmap);
    if (!e)
        e = load_versions(m, gen, snap, cmap, &vmap);
    if (!e)
        e = load_blobs(m, gen, snap);
    if (!e)
        e = load_assets(m, gen, snap, vmap);
    if (!e)
        e = load_tlsh(m, gen, snap);
    sqlite3_exec(m->db, "COMMIT", NULL, NULL, NULL);
    /* per collection: versions are grouped, oldest first */
    for (size_t i = 0; !e && i < snap->nversions; i++) {
        struct lp_snap_collection *c =
            &snap->collections[snap->versions[i].collection];
        c->nversions++;
        c->assets_latest = snap->versions[i].nfiles;
    }
    lp_free(cmap);
    lp_free(vmap);
    return e;
}

lp_err lp_meta_snapshot(struct lp_meta *m, uint64_t gen,
                        struct lp_snapshot *snap)
{
    pthread_mutex_lock(&m->mu);
    lp_err e = locked_snapshot(m, gen, snap);
    pthread_mutex_unlock(&m->mu);
    return e;
}

static lp_err locked_counts(struct lp_meta *m, uint64_t gen,
                            struct lp_meta_counts *out)
{
    static const char *const sql[] = {
        "SELECT count(*) FROM collection WHERE gen <= ?1",
        "SELECT count(*) FROM version WHERE gen <= ?1",
        "SELECT count(*) FROM file WHERE gen <= ?1",
        "SELECT count(*) FROM blob WHERE gen <= ?1",
        "SELECT sum(size) FROM blob WHERE gen <= ?1",
    };
    uint64_t *dst[] = {&out->collections, &out->versions, &out->files,
                       &out->blobs, &out->blob_bytes};
    memset(out, 0, sizeof *out);
    /* inside the writer's transaction, BEGIN fails: return before the
     * COMMIT below, which would commit that transaction */
    lp_err e = exec(m, "BEGIN");
    if (e)
        return e;
    for (size_t i = 0; !e && i < sizeof sql / sizeof sql[0]; i++) {
        sqlite3_stmt *s = NULL;
        e = prep_gen(m, sql[i], gen, &s);
        if (e)
            break;
        int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW)
            *dst[i] = (uint64_t)sqlite3_column_int64(s, 0);
        else
            e = sqlerr(m, rc);
        sqlite3_finalize(s);
    }
    sqlite3_exec(m->db, "COMMIT", NULL, NULL, NULL);
    return e;
}

lp_err lp_meta_counts(struct lp_meta *m, uint64_t gen,
                      struct lp_meta_counts *out)
{
    pthread_mutex_lock(&m->mu);
    lp_err e = locked_counts(m, gen, out);
    pthread_mutex_unlock(&m->mu);
    return e;
}

static lp_err locked_list(struct lp_meta *m, uint64_t gen,
                          int (*cb)(void *ctx, const struct lp_meta_list_row *row),
                          void *ctx)
{
    sqlite3_stmt *s = NULL;
    lp_err e = exec(m, "BEGIN");
    if (e)
        return e;
    e = prep_gen(m, "SELECT c.name, c.public, v.name, v.created, "
                 "(SELECT count(*) FROM file f WHERE f.version = v.id "
                 "AND f.gen <= ?1) FROM collection c LEFT JOIN version v "
                 "ON v.collection = c.id AND v.gen <= ?1 WHERE c.gen <= ?1 "
                 "ORDER BY c.name, v.created, v.id", gen, &s);
    int rc = SQLITE_DONE;
    while (!e && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct lp_meta_list_row row = {
            .collection = (const char *)sqlite3_column_text(s, 0),
            .public_ = sqlite3_column_int(s, 1) != 0,
            .version = (const char *)sqlite3_column_text(s, 2),
            .created = sqlite3_column_int64(s, 3),
            .files = (uint64_t)sqlite3_column_int64(s, 4),
        };
        if (!row.collection)
            row.collection = "";
        if (cb(ctx, &row))
            e = LP_EABORTED;
    }
    if (!e && rc != SQLITE_DONE)
        e = sqlerr(m, rc);
    sqlite3_finalize(s);
    sqlite3_exec(m->db, "COMMIT", NULL, NULL, NULL);
    return e;
}

lp_err lp_meta_list(struct lp_meta *m, uint64_t gen,
                    int (*cb)(void *ctx, const struct lp_meta_list_row *row),
                    void *ctx)
{
    pthread_mutex_lock(&m->mu);
    lp_err e = locked_list(m, gen, cb, ctx);
    pthread_mutex_unlock(&m->mu);
    return e;
}

/* ---- checks ------------------------------------------------------------- */

lp_err lp_meta_max_gen(struct lp_meta *m, uint64_t *out)
{
    int64_t v = 0;
    *out = 0;
    lp_err e = int_query(m, "SELECT coalesce(max(g), 0) FROM ("
                         "SELECT max(gen) AS g FROM collection UNION ALL "
                         "SELECT max(gen) FROM version UNION ALL "
                         "SELECT max(gen) FROM file UNION ALL "
                         "SELECT max(gen) FROM blob)", &v);
    if (!e && v > 0)
        *out = (uint64_t)v;
    return e;
}

lp_err lp_meta_quick_check(struct lp_meta *m,
                           int (*fn)(void *ctx, const char *problem),
                           void *ctx)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(m->db, "PRAGMA quick_check", -1, &s, NULL);
    if (rc != SQLITE_OK)
        return sqlerr(m, rc);
    lp_err e = LP_OK;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *row = (const char *)sqlite3_column_text(s, 0);
        if (row && strcmp(row, "ok") != 0 && fn(ctx, row)) {
            e = LP_EABORTED;
            break;
        }
    }
    if (!e && rc != SQLITE_DONE)
        e = sqlerr(m, rc);
    sqlite3_finalize(s);
    return e;
}

static lp_err locked_blob_ids(struct lp_meta *m, uint64_t gen,
                              int (*fn)(void *ctx, uint32_t id), void *ctx)
{
    sqlite3_stmt *s = NULL;
    lp_err e = prep_gen(m, "SELECT id FROM blob WHERE gen <= ?1", gen, &s);
    if (e)
        return e;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        if (id > 0 && id <= UINT32_MAX && fn(ctx, (uint32_t)id)) {
            e = LP_EABORTED;
            break;
        }
    }
    if (!e && rc != SQLITE_DONE)
        e = sqlerr(m, rc);
    sqlite3_finalize(s);
    return e;
}

lp_err lp_meta_blob_ids(struct lp_meta *m, uint64_t gen,
                        int (*fn)(void *ctx, uint32_t id), void *ctx)
{
    pthread_mutex_lock(&m->mu);
    lp_err e = locked_blob_ids(m, gen, fn, ctx);
    pthread_mutex_unlock(&m->mu);
    return e;
}

static lp_err locked_gitblobs(struct lp_meta *m, uint64_t gen,
                              int (*fn)(void *ctx, const uint8_t oid[20],
                              uint32_t blob),
                              void *ctx)
{
    sqlite3_stmt *s = NULL;
    lp_err e = prep_gen(m, "SELECT oid, blob FROM gitblob WHERE gen <= ?1",
                        gen, &s);
    if (e)
        return e;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const void *oid = sqlite3_column_blob(s, 0);
        int64_t blob = sqlite3_column_int64(s, 1);
        if (!oid || sqlite3_column_bytes(s, 0) != 20 || blob <= 0 ||
            blob > UINT32_MAX)
            continue; /* not a row add writes: ignored */
        if (fn(ctx, oid, (uint32_t)blob)) {
            e = LP_EABORTED;
            break;
        }
    }
    if (!e && rc != SQLITE_DONE)
        e = sqlerr(m, rc);
    sqlite3_finalize(s);
    return e;
}

lp_err lp_meta_gitblobs(struct lp_meta *m, uint64_t gen,
                        int (*fn)(void *ctx, const uint8_t oid[20],
                                  uint32_t blob),
                        void *ctx)
{
    pthread_mutex_lock(&m->mu);
    lp_err e = locked_gitblobs(m, gen, fn, ctx);
    pthread_mutex_unlock(&m->mu);
    return e;
}
