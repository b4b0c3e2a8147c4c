/* SPDX-License-Identifier: Apache-2.0
 *
 * cases: the case database (the schema is in cases.h). Every statement
 * is prepared with bound parameters; no text of an item reaches SQL
 * otherwise. Writes that belong together run in one BEGIN IMMEDIATE
 * transaction, so that a crash leaves either all of them or none.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <sqlite3.h>

#include "cases.h"
#include "banned.h" /* a list of poisoned names: defines nothing */

struct lp_cases {
    sqlite3 *db;
    char *path;
    char errmsg[512];
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS cases ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new',"
    "  'investigating','confirmed','false-positive','closed')),"
    " note TEXT, level TEXT, created TEXT NOT NULL, updated TEXT NOT NULL,"
    " rev INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS items ("
    " sha256 TEXT PRIMARY KEY, name TEXT NOT NULL, size INTEGER NOT NULL,"
    " path TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'queued'"
    "  CHECK (state IN ('queued','done','quarantined')),"
    " reason TEXT, level TEXT, confidence REAL, summary TEXT,"
    " case_id INTEGER REFERENCES cases(id), created TEXT NOT NULL,"
    " grp TEXT, retro INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS items_grp ON items(grp);"
    "CREATE TABLE IF NOT EXISTS sightings ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " item TEXT NOT NULL REFERENCES items(sha256), name TEXT NOT NULL,"
    " source TEXT, url TEXT, title TEXT, author TEXT, posted_at TEXT,"
    " collected_at TEXT, seen_at TEXT NOT NULL, password TEXT);"
    "CREATE INDEX IF NOT EXISTS sightings_item ON sightings(item);"
    "CREATE TABLE IF NOT EXISTS alerts ("
    " id TEXT PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),"
    " kind TEXT NOT NULL, severity TEXT NOT NULL, json TEXT NOT NULL,"
    " created TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS sinks (name TEXT PRIMARY KEY,"
    " upto INTEGER NOT NULL DEFAULT 0, feed_rev INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS deliveries ("
    " alert TEXT NOT NULL REFERENCES alerts(id), sink TEXT NOT NULL,"
    " delivered_at TEXT NOT NULL, PRIMARY KEY (alert, sink));"
    "CREATE TABLE IF NOT EXISTS takes (key TEXT PRIMARY KEY,"
    " sighting INTEGER NOT NULL REFERENCES sightings(id));"
    "CREATE TABLE IF NOT EXISTS attempts ("
    " item TEXT PRIMARY KEY REFERENCES items(sha256), n INTEGER NOT NULL,"
    " error TEXT);"
    "CREATE TABLE IF NOT EXISTS processed (item TEXT NOT NULL, at TEXT NOT "
    " NULL);"
    "CREATE INDEX IF NOT EXISTS processed_at ON processed(at);"
    "CREATE INDEX IF NOT EXISTS items_state ON items(state);"
    "CREATE TABLE IF NOT EXISTS last_error (one INTEGER PRIMARY KEY CHECK "
    " (one = 1), at TEXT NOT NULL, message TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS case_files ("
    " case_id INTEGER NOT NULL REFERENCES cases(id), collection TEXT NOT NULL,"
    " asset TEXT NOT NULL, item TEXT NOT NULL,"
    " PRIMARY KEY (collection, asset, case_id));"
    "CREATE INDEX IF NOT EXISTS case_files_case ON case_files(case_id);"
    "CREATE TABLE IF NOT EXISTS sinks_disabled ("
    " name TEXT PRIMARY KEY, reason TEXT NOT NULL, since TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS pending ("
    " inbox TEXT NOT NULL, name TEXT NOT NULL, post TEXT NOT NULL,"
    " password TEXT, PRIMARY KEY (inbox, name, post));";

/* Sets c's message "'path': what: sqlite's reason" and returns err. */
static lp_err fail(struct lp_cases *c, lp_err err, const char *what)
{
    snprintf(c->errmsg, sizeof c->errmsg, "'%s': %s: %s", c->path, what,
             c->db ? sqlite3_errmsg(c->db) : "out of memory");
    return err;
}

/* strerror()'s text starts in upper case; messages do not. */
static void lower(char *s)
{
    if (s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z'))
        s[0] = (char)(s[0] - 'A' + 'a');
}

const char *lp_cases_errmsg(const struct lp_cases *c)
{
    return c ? c->errmsg : "out of memory";
}

void lp_cases_now(char buf[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void lp_cases_alert_id(int64_t case_id, const char *kind, const char *sha256,
                       char out[65])
{
    char key[256];
    unsigned char md[32];
    unsigned int len = 0;
    int n = snprintf(key, sizeof key, "%" PRId64 "|%s|%s", case_id, kind,
                     sha256);
    if (n < 0 || (size_t)n >= sizeof key)
        n = (int)sizeof key - 1;
    EVP_Digest(key, (size_t)n, md, &len, EVP_sha256(), NULL);
    for (unsigned i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* The length of the valid UTF-8 sequence at s (1-4), or 0 when the bytes
 * there are none (overlong forms, surrogates and code points above
 * U+10FFFF are none). */
static size_t utf8_len(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    size_t n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
    if (!n || s[0] > 0xf4)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
        (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
        return 0;
    return n;
}

char *lp_cases_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s);
    if (len > SIZE_MAX / 3 - 1)
        return NULL;
    char *out = malloc(len * 3 + 1), *o = out; // each byte at most U+FFFD
    if (!out)
        return NULL;
    while (*p) {
        size_t n = utf8_len(p);
        if (n) {
            memcpy(o, p, n);
            o += n;
            p += n;
        } else {
            memcpy(o, "\xef\xbf\xbd", 3);
            o += 3;
            p++;
        }
    }
    *o = '\0';
    return out;
}

static int exec(struct lp_cases *c, const char *sql)
{
    return sqlite3_exec(c->db, sql, NULL, NULL, NULL);
}

/* Whether the one-row query sql (its ?1 and ?2 bound to a and b) finds a
 * row: a table or a column of the schema. */
static bool schema_has(struct lp_cases *c, const char *sql, const char *a,
                       const char *b)
{
    sqlite3_stmt *st = NULL;
    bool yes = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK &&
               sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC) == SQLITE_OK &&
               (!b || sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC) ==
                          SQLITE_OK) &&
               sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return yes;
}

static bool has_table(struct lp_cases *c, const char *table)
{
    return schema_has(c,
                      "SELECT 1 FROM sqlite_master WHERE type = 'table' "
                      "AND name = ?1",
                      table, NULL);
}

static bool has_column(struct lp_cases *c, const char *table,
                       const char *column)
{
    return schema_has(c,
                      "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2",
                      table, column);
}

/* A version from a newer leakprint is refused, not rewritten. */
static lp_err migrate(struct lp_cases *c)
{
    sqlite3_stmt *st = NULL;
    int version = -1;
    if (sqlite3_prepare_v2(c->db, "PRAGMA user_version", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (version < 0)
        return fail(c, LP_EFORMAT, "not a case database");
    if (version > LP_CASES_SCHEMA) {
        snprintf(c->errmsg, sizeof c->errmsg,
                 "'%s': case database of a newer schema (%d; this "
                 "leakprint knows %d)", c->path, version, LP_CASES_SCHEMA);
        return LP_EFORMAT;
    }
    if (version == LP_CASES_SCHEMA)
        return LP_OK;
    /* every statement of the schema is IF NOT EXISTS: on a database of
     * schema 1 it adds the tables of schema 2 (takes, attempts,
     * processed, last_error) and of schema 3 (case_files, pending); the
     * columns schema 3 added to tables of before are added first */
    if (exec(c, "BEGIN IMMEDIATE") != SQLITE_OK)
        return fail(c, LP_EIO, "cannot write");
    static const char *const added[][3] = {
        {"items", "grp", "ALTER TABLE items ADD COLUMN grp TEXT"},
        {"items", "retro", "ALTER TABLE items ADD COLUMN retro INTEGER NOT "
                           "NULL DEFAULT 0"},
        {"sightings", "password",
         "ALTER TABLE sightings ADD COLUMN password TEXT"},
        {"sinks", "upto", "ALTER TABLE sinks ADD COLUMN upto INTEGER NOT "
                          "NULL DEFAULT 0"},
        {"sinks", "feed_rev", "ALTER TABLE sinks ADD COLUMN feed_rev "
                              "INTEGER NOT NULL DEFAULT 0"},
        {"cases", "rev", "ALTER TABLE cases ADD COLUMN rev INTEGER NOT NULL "
                         "DEFAULT 0"},
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof added / sizeof *added && !bad; i++)
        if (has_table(c, added[i][0]) && !has_column(c, added[i][0],
                                                     added[i][1]))
            bad = exec(c, added[i][2]) != SQLITE_OK;
    if (bad || exec(c, schema) != SQLITE_OK ||
        exec(c, "PRAGMA user_version = " LP_CASES_SCHEMA_STR) != SQLITE_OK) {
        lp_err err = fail(c, LP_EFORMAT, "cannot make the schema");
        exec(c, "ROLLBACK");
        return err;
    }
    if (exec(c, "COMMIT") != SQLITE_OK)
        return fail(c, LP_EIO, "cannot write");
    return LP_OK;
}

lp_err lp_cases_open(const char *path, struct lp_cases **out)
{
    struct lp_cases *c = calloc(1, sizeof *c);
    *out = c;
    if (!c)
        return LP_ENOMEM;
    if (!(c->path = strdup(path)))
        return LP_ENOMEM;
    int rc = sqlite3_open_v2(path, &c->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                 SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        int e = sqlite3_system_errno(c->db);
        if (e) {
            snprintf(c->errmsg, sizeof c->errmsg, "'%s': cannot open: %s",
                     path, strerror(e));
            size_t off = strlen(path) + 17; // after "'path': cannot open: "
            if (off < strlen(c->errmsg))
                lower(c->errmsg + off);
        }
        else
            fail(c, LP_EIO, "cannot open");
        return LP_EIO;
    }
    sqlite3_busy_timeout(c->db, 10000);
    sqlite3_stmt *st = NULL;
    /* journal_mode answers with the mode set: "wal", or the old one when
     * the file is no database */
    rc = sqlite3_prepare_v2(c->db, "PRAGMA journal_mode=WAL", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) {
        if (rc == SQLITE_NOTADB)
            return fail(c, LP_EFORMAT, "not a case database");
        return fail(c, LP_EIO, "cannot open");
    }
    if (exec(c, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL") !=
        SQLITE_OK)
        return fail(c, LP_EIO, "cannot open");
    return migrate(c);
}

void lp_cases_close(struct lp_cases *c)
{
    if (!c)
        return;
    sqlite3_close(c->db);
    free(c->path);
    free(c);
}

/* Prepares sql and binds the text arguments (NULL binds NULL): the
 * statement, or NULL with the reason on c. */
static sqlite3_stmt *prepare(struct lp_cases *c, const char *sql, int n, ...)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
        fail(c, LP_EIO, "cannot read");
        return NULL;
    }
    va_list ap;
    va_start(ap, n);
    for (int i = 1; i <= n; i++) {
        const char *s = va_arg(ap, const char *);
        if (sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) != SQLITE_OK) {
            va_end(ap);
            fail(c, LP_ENOMEM, "cannot bind");
            sqlite3_finalize(st);
            return NULL;
        }
    }
    va_end(ap);
    return st;
}

/* Runs a prepared statement to its end and finalizes it. */
static lp_err run(struct lp_cases *c, sqlite3_stmt *st)
{
    if (!st)
        return LP_EIO;
    int rc = sqlite3_step(st);
    lp_err err = rc == SQLITE_DONE || rc == SQLITE_ROW
                     ? LP_OK
                     : fail(c, rc == SQLITE_NOMEM ? LP_ENOMEM : LP_EIO,
                            "cannot write");
    sqlite3_finalize(st);
    return err;
}

static lp_err begin(struct lp_cases *c)
{
    if (exec(c, "BEGIN IMMEDIATE") != SQLITE_OK)
        return fail(c, LP_EIO, "cannot write");
    return LP_OK;
}

/* Commits when err is LP_OK, else rolls back; returns the outcome. */
static lp_err end(struct lp_cases *c, lp_err err)
{
    if (err) {
        exec(c, "ROLLBACK");
        return err;
    }
    if (exec(c, "COMMIT") != SQLITE_OK) {
        err = fail(c, LP_EIO, "cannot write");
        exec(c, "ROLLBACK");
    }
    return err;
}

/* Marks a change of the case of id caseid (a string), or of the case of
 * the item sha256 when caseid is NULL: its rev becomes the highest of
 * all plus one, so that a reader that saw every rev up to N finds what
 * changed after (lp_cases_touched()). */
static lp_err bump(struct lp_cases *c, const char *caseid, const char *sha256)
{
    return run(c, prepare(c,
                          "UPDATE cases SET rev = (SELECT max(rev) FROM "
                          "cases) + 1 WHERE id = coalesce(CAST(?1 AS "
                          "INTEGER), (SELECT case_id FROM items WHERE "
                          "sha256 = ?2))",
                          2, caseid, sha256));
}

lp_err lp_cases_record(struct lp_cases *c, const char *sha256,
                       const char *name, uint64_t size, const char *path,
                       const struct lp_cases_sighting *s, int *known)
{
    char now[32], sz[32];
    lp_cases_now(now);
    snprintf(sz, sizeof sz, "%" PRIu64, size);
    lp_err err = begin(c);
    if (err)
        return err;
    sqlite3_stmt *st = prepare(c, "SELECT 1 FROM items WHERE sha256 = ?1",
                               1, sha256);
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        err = st ? fail(c, LP_EIO, "cannot read") : LP_EIO;
    if (known)
        *known = rc == SQLITE_ROW;
    if (!err && rc == SQLITE_ROW && s->take) {
        /* this very inbox file recorded already (a crash came before it
         * left the inbox): no second sighting */
        sqlite3_stmt *t = prepare(c, "SELECT 1 FROM takes WHERE key = ?1", 1,
                                  s->take);
        int trc = t ? sqlite3_step(t) : SQLITE_ERROR;
        sqlite3_finalize(t);
        if (trc == SQLITE_ROW)
            return end(c, LP_OK);
        if (trc != SQLITE_DONE)
            err = t ? fail(c, LP_EIO, "cannot read") : LP_EIO;
    }
    /* an attachment a post named before it came: it joins the post */
    const char *group = s->group, *password = s->password;
    char *pgroup = NULL, *ppass = NULL;
    if (!err && !group && s->inbox) {
        sqlite3_stmt *p = prepare(c,
                                  "SELECT post, password FROM pending WHERE "
                                  "inbox = ?1 AND name = ?2 ORDER BY rowid "
                                  "LIMIT 1",
                                  2, s->inbox, s->name);
        int prc = p ? sqlite3_step(p) : SQLITE_ERROR;
        if (prc == SQLITE_ROW) {
            const char *g = (const char *)sqlite3_column_text(p, 0);
            const char *w = (const char *)sqlite3_column_text(p, 1);
            if ((g && !(pgroup = strdup(g))) || (w && !(ppass = strdup(w))))
                err = fail(c, LP_ENOMEM, "out of memory");
            group = pgroup;
            password = password ? password : ppass;
        } else if (prc != SQLITE_DONE)
            err = p ? fail(c, LP_EIO, "cannot read") : LP_EIO;
        sqlite3_finalize(p);
        if (!err && prc == SQLITE_ROW)
            err = run(c, prepare(c,
                                 "DELETE FROM pending WHERE inbox = ?1 AND "
                                 "name = ?2",
                                 2, s->inbox, s->name));
    }
    if (!err && rc == SQLITE_DONE)
        err = run(c, prepare(c,
                             "INSERT INTO items (sha256, name, size, path, "
                             "created, grp) VALUES (?1, ?2, CAST(?3 AS "
                             "INTEGER), ?4, ?5, ?6)",
                             6, sha256, name, sz, path, now, group));
    if (!err && rc == SQLITE_ROW && group)
        err = run(c, prepare(c,
                             "UPDATE items SET grp = ?2 WHERE sha256 = ?1 "
                             "AND grp IS NULL",
                             2, sha256, group));
    /* a password it was not scanned with: scanned again */
    if (!err && rc == SQLITE_ROW && password)
        err = run(c, prepare(c,
                             "UPDATE items SET state = 'queued' WHERE sha256 "
                             "= ?1 AND state = 'done' AND NOT EXISTS (SELECT"
                             " 1 FROM sightings WHERE item = ?1 AND password"
                             " = ?2)",
                             2, sha256, password));
    if (!err)
        /* a pending attachment was seen where its post was: what its
         * sidecar does not say, the post's first sighting does */
        err = run(c, prepare(c,
                             "INSERT INTO sightings (item, name, source, url,"
                             " title, author, posted_at, collected_at, "
                             "seen_at, password) SELECT ?1, ?2, coalesce(?3,"
                             " p.source), coalesce(?4, p.url), coalesce(?5, "
                             "p.title), coalesce(?6, p.author), coalesce(?7,"
                             " p.posted_at), coalesce(?8, p.collected_at), "
                             "?9, ?10 FROM (SELECT 1) LEFT JOIN (SELECT * "
                             "FROM sightings WHERE item = ?11 ORDER BY id "
                             "LIMIT 1) p",
                             11, sha256, s->name, s->source, s->url, s->title,
                             s->author, s->posted_at, s->collected_at, now,
                             password, pgroup));
    /* a sighting more of an item of a case: the case changed */
    if (!err && rc == SQLITE_ROW)
        err = bump(c, NULL, sha256);
    free(pgroup);
    free(ppass);
    if (!err && s->take) {
        char sid[32];
        snprintf(sid, sizeof sid, "%" PRId64,
                 (int64_t)sqlite3_last_insert_rowid(c->db));
        err = run(c, prepare(c,
                             "INSERT INTO takes (key, sighting) VALUES "
                             "(?1, CAST(?2 AS INTEGER))",
                             2, s->take, sid));
    }
    return end(c, err);
}

lp_err lp_cases_queued(struct lp_cases *c,
                       int (*fn)(void *ctx, const char *sha256,
                                 const char *name, const char *path,
                                 int retro),
                       void *ctx)
{
    sqlite3_stmt *st = prepare(c,
                               "SELECT sha256, name, path, retro FROM items"
                               " WHERE state = 'queued' ORDER BY rowid",
                               0);
    if (!st)
        return LP_EIO;
    /* read them all first: fn writes to the database */
    json_t *all = json_array();
    lp_err err = all ? LP_OK : LP_ENOMEM;
    int rc;
    while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        /* the name's bytes as they are, UTF-8 or not: the scan names
         * the item by them, and this array is never written out */
        json_t *row = json_array();
        for (int k = 0; row && k < 4; k++) {
            const char *v = (const char *)sqlite3_column_text(st, k);
            if (!v || json_array_append_new(row, json_string_nocheck(v))) {
                json_decref(row);
                row = NULL;
            }
        }
        if (!row || json_array_append_new(all, row))
            err = LP_ENOMEM;
    }
    if (!err && rc != SQLITE_DONE)
        err = fail(c, LP_EIO, "cannot read");
    sqlite3_finalize(st);
    size_t i;
    json_t *row;
    json_array_foreach(all, i, row)
    {
        if (err)
            break;
        if (fn(ctx, json_string_value(json_array_get(row, 0)),
               json_string_value(json_array_get(row, 1)),
               json_string_value(json_array_get(row, 2)),
               !strcmp(json_string_value(json_array_get(row, 3)), "1")))
            err = LP_EABORTED;
    }
    json_decref(all);
    return err;
}

lp_err lp_cases_retro(struct lp_cases *c, size_t *n)
{
    *n = 0;
    lp_err err = begin(c);
    if (!err)
        err = run(c, prepare(c,
                             "UPDATE items SET state = 'queued', retro = 1 "
                             "WHERE state = 'done'",
                             0));
    if (!err)
        *n = (size_t)sqlite3_changes(c->db);
    err = end(c, err);
    if (err)
        *n = 0;
    return err;
}

lp_err lp_cases_pending(struct lp_cases *c, const char *inbox,
                        const char *name, const char *post,
                        const char *password)
{
    return run(c, prepare(c,
                          "INSERT OR IGNORE INTO pending (inbox, name, post, "
                          "password) VALUES (?1, ?2, ?3, ?4)",
                          4, inbox, name, post, password));
}

lp_err lp_cases_find_name(struct lp_cases *c, const char *name,
                          char sha256[65])
{
    sha256[0] = '\0';
    sqlite3_stmt *st = prepare(c,
                               "SELECT item FROM sightings WHERE name = ?1 "
                               "ORDER BY id DESC LIMIT 1",
                               1, name);
    if (!st)
        return LP_EIO;
    int rc = sqlite3_step(st);
    const char *v = rc == SQLITE_ROW
                        ? (const char *)sqlite3_column_text(st, 0)
                        : NULL;
    if (v)
        snprintf(sha256, 65, "%s", v);
    lp_err err = rc == SQLITE_ROW || rc == SQLITE_DONE
                     ? LP_OK
                     : fail(c, LP_EIO, "cannot read");
    sqlite3_finalize(st);
    return err;
}

json_t *lp_cases_passwords(struct lp_cases *c, const char *sha256)
{
    sqlite3_stmt *st = prepare(c,
                               "SELECT DISTINCT password FROM sightings "
                               "WHERE item = ?1 AND password IS NOT NULL "
                               "ORDER BY id",
                               1, sha256);
    if (!st)
        return NULL;
    json_t *out = json_array();
    int rc = SQLITE_DONE;
    while (out && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        if (v && json_array_append_new(out, json_string_nocheck(v))) {
            json_decref(out);
            out = NULL;
        }
    }
    if (out && rc != SQLITE_DONE) {
        fail(c, LP_EIO, "cannot read");
        json_decref(out);
        out = NULL;
    } else if (!out)
        fail(c, LP_ENOMEM, "out of memory");
    sqlite3_finalize(st);
    return out;
}

/* Column i of a row as a JSON value: a string, a number or null. */
static json_t *column(sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER: return json_integer(sqlite3_column_int64(st, i));
    case SQLITE_FLOAT: return json_real(sqlite3_column_double(st, i));
    case SQLITE_NULL: return json_null();
    default: break;
    }
    const char *s = (const char *)sqlite3_column_text(st, i);
    json_t *v = s ? json_string(s) : json_null();
    if (!v && s) {
        /* a name that is no UTF-8: each stray byte shown as U+FFFD */
        char *clean = lp_cases_utf8(s);
        v = clean ? json_string(clean) : NULL;
        free(clean);
    }
    return v;
}

/* Every row of st as a JSON object of its columns (those NULL left out
 * when skip_null), in an array; finalizes st. NULL with the reason on c. */
static json_t *rows(struct lp_cases *c, sqlite3_stmt *st, int skip_null)
{
    if (!st)
        return NULL;
    json_t *out = json_array();
    int rc = SQLITE_DONE, bad = !out;
    while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *o = json_object();
        bad = !o || json_array_append_new(out, o);
        for (int i = 0; !bad && i < sqlite3_column_count(st); i++) {
            if (skip_null && sqlite3_column_type(st, i) == SQLITE_NULL)
                continue;
            json_t *v = column(st, i);
            bad = !v || json_object_set_new(o, sqlite3_column_name(st, i), v);
        }
    }
    if (bad || rc != SQLITE_DONE) {
        fail(c, bad ? LP_ENOMEM : LP_EIO, bad ? "out of memory"
                                              : "cannot read");
        json_decref(out);
        out = NULL;
    }
    sqlite3_finalize(st);
    return out;
}

json_t *lp_cases_first_sighting(struct lp_cases *c, const char *sha256)
{
    json_t *all = rows(c,
                       prepare(c,
                               "SELECT source, url, title, author, "
                               "posted_at, collected_at FROM sightings "
                               "WHERE item = ?1 ORDER BY id LIMIT 1",
                               1, sha256),
                       1);
    json_t *one = json_incref(json_array_get(all, 0));
    json_decref(all);
    return one;
}

/* The first column of st's first row as an integer into *out (0 when
 * NULL or no row); finalizes st. */
static lp_err scalar(struct lp_cases *c, sqlite3_stmt *st, int64_t *out)
{
    *out = 0;
    if (!st)
        return LP_EIO;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    lp_err err = rc == SQLITE_ROW || rc == SQLITE_DONE
                     ? LP_OK
                     : fail(c, LP_EIO, "cannot read");
    sqlite3_finalize(st);
    return err;
}

/* A verdict level's rank (none 0 ... confirmed 3). */
static int level_rank(const char *level)
{
    static const char *const names[] = {"none", "unlikely", "likely",
                                        "confirmed"};
    for (int i = 3; i > 0; i--)
        if (level && !strcmp(level, names[i]))
            return i;
    return 0;
}

/* One overlap count of near_case(). */
struct overlap {
    int64_t case_id, shared;
};

/* The case whose files overlap the item's r->collections/assets most,
 * when they share at least half of the smaller set, into *out (0: none). */
static lp_err near_case(struct lp_cases *c, const struct lp_cases_result *r,
                        int64_t *out)
{
    *out = 0;
    struct overlap *o = NULL;
    size_t n = 0;
    lp_err err = LP_OK;
    sqlite3_stmt *st = prepare(c,
                               "SELECT case_id FROM case_files WHERE "
                               "collection = ?1 AND asset = ?2",
                               0);
    if (!st)
        return LP_EIO;
    for (size_t i = 0; !err && i < r->nfiles; i++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, r->collections[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, r->assets[i], -1, SQLITE_STATIC);
        int rc;
        while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            int64_t id = sqlite3_column_int64(st, 0);
            size_t k = 0;
            while (k < n && o[k].case_id != id)
                k++;
            if (k == n) {
                struct overlap *p = realloc(o, (n + 1) * sizeof *o);
                if (!p) {
                    err = fail(c, LP_ENOMEM, "out of memory");
                    break;
                }
                o = p;
                o[n++] = (struct overlap){id, 0};
            }
            o[k].shared++;
        }
        if (!err && rc != SQLITE_DONE)
            err = fail(c, LP_EIO, "cannot read");
    }
    sqlite3_finalize(st);
    /* the largest overlap; the oldest case on a tie */
    int64_t best = 0, shared = 0;
    for (size_t k = 0; !err && k < n; k++)
        if (o[k].shared > shared ||
            (o[k].shared == shared && o[k].case_id < best)) {
            best = o[k].case_id;
            shared = o[k].shared;
        }
    free(o);
    if (err || !best)
        return err;
    char id[32];
    snprintf(id, sizeof id, "%" PRId64, best);
    int64_t size = 0;
    err = scalar(c,
                 prepare(c,
                         "SELECT count(*) FROM case_files WHERE case_id = "
                         "CAST(?1 AS INTEGER)",
                         1, id),
                 &size);
    int64_t smaller = size < (int64_t)r->nfiles ? size : (int64_t)r->nfiles;
    if (!err && 2 * shared >= smaller)
        *out = best;
    return err;
}

/* Writes the alert of kind for the item into the outbox of case cid. */
static lp_err put_alert(struct lp_cases *c, int64_t cid, const char *sha256,
                        const char *kind, const char *severity,
                        size_t new_files, lp_cases_alert_fn fn, void *ctx,
                        const char *now)
{
    char id[65], caseid[32];
    snprintf(caseid, sizeof caseid, "%" PRId64, cid);
    lp_cases_alert_id(cid, kind, sha256, id);
    char *json = fn(ctx, cid, id, kind, severity, new_files);
    if (!json) {
        snprintf(c->errmsg, sizeof c->errmsg, "'%s': out of memory", c->path);
        return LP_ENOMEM;
    }
    lp_err err = run(c, prepare(c,
                                "INSERT OR IGNORE INTO alerts (id, case_id,"
                                " kind, severity, json, created) VALUES "
                                "(?1, CAST(?2 AS INTEGER), ?3, ?4, ?5, ?6)",
                                6, id, caseid, kind, severity, json, now));
    free(json);
    return err;
}

lp_err lp_cases_done(struct lp_cases *c, const char *sha256,
                     const struct lp_cases_result *r, lp_cases_alert_fn fn,
                     void *ctx, int64_t *case_id, size_t *alerts)
{
    size_t made = 0;
    char now[32], conf[32], caseid[32] = "";
    lp_cases_now(now);
    snprintf(conf, sizeof conf, "%.17g", r->confidence);
    if (case_id)
        *case_id = 0;
    lp_err err = begin(c);
    if (err)
        return err;
    /* its own case (a re-check), else its group's, else a
     * near-duplicate's */
    int64_t cid = 0, known_files = 0;
    err = scalar(c,
                 prepare(c,
                         "SELECT coalesce((SELECT case_id FROM items "
                         "WHERE sha256 = ?1), (SELECT min(o.case_id) FROM "
                         "items i JOIN items o ON o.grp = i.grp WHERE "
                         "i.sha256 = ?1))",
                         1, sha256),
                 &cid);
    if (!err && !cid && r->leak_severity && r->nfiles)
        err = near_case(c, r, &cid);
    if (!err && !cid && (r->leak_severity || r->nkinds)) {
        err = run(c, prepare(c,
                             "INSERT INTO cases (level, created, updated) "
                             "VALUES (?1, ?2, ?2)",
                             2, r->level, now));
        cid = sqlite3_last_insert_rowid(c->db);
    }
    if (cid)
        snprintf(caseid, sizeof caseid, "%" PRId64, cid);
    if (!err && cid)
        err = scalar(c,
                     prepare(c,
                             "SELECT count(*) FROM case_files WHERE case_id "
                             "= CAST(?1 AS INTEGER)",
                             1, caseid),
                     &known_files);
    /* the files it adds to its case */
    size_t added = 0;
    for (size_t i = 0; !err && cid && r->leak_severity && i < r->nfiles;
         i++) {
        err = run(c, prepare(c,
                             "INSERT OR IGNORE INTO case_files (case_id, "
                             "collection, asset, item) VALUES (CAST(?1 AS "
                             "INTEGER), ?2, ?3, ?4)",
                             4, caseid, r->collections[i], r->assets[i],
                             sha256));
        added += !err && sqlite3_changes(c->db) > 0;
    }
    if (!err && cid && r->leak_severity && (added || !known_files)) {
        const char *kind = r->retro         ? "retro"
                           : !known_files   ? "leak"
                                            : "scope-grew";
        err = put_alert(c, cid, sha256, kind, r->leak_severity,
                        known_files ? added : 0, fn, ctx, now);
        made += !err;
    }
    for (size_t i = 0; !err && cid && i < r->nkinds; i++) {
        err = put_alert(c, cid, sha256, r->kinds[i], r->severities[i], 0, fn,
                        ctx, now);
        made += !err;
    }
    if (!err && cid) {
        /* the case's level is its highest item's */
        int64_t rank = 0;
        err = scalar(c,
                     prepare(c,
                             "SELECT CASE level WHEN 'confirmed' THEN 3 WHEN "
                             "'likely' THEN 2 WHEN 'unlikely' THEN 1 ELSE 0 "
                             "END FROM cases WHERE id = CAST(?1 AS INTEGER)",
                             1, caseid),
                     &rank);
        if (!err)
            err = run(c, prepare(c,
                                 "UPDATE cases SET updated = ?2, level = "
                                 "CASE WHEN ?3 = '1' THEN ?4 ELSE level END "
                                 "WHERE id = CAST(?1 AS INTEGER)",
                                 4, caseid, now,
                                 level_rank(r->level) > rank ? "1" : "0",
                                 r->level));
        if (!err)
            err = bump(c, caseid, NULL);
        /* the rest of its group joins it */
        if (!err)
            err = run(c, prepare(c,
                                 "UPDATE items SET case_id = CAST(?1 AS "
                                 "INTEGER) WHERE case_id IS NULL AND grp = "
                                 "(SELECT grp FROM items WHERE sha256 = ?2)",
                                 2, caseid, sha256));
    }
    if (!err)
        err = run(c, prepare(c,
                             "UPDATE items SET state = 'done', level = ?2, "
                             "confidence = CAST(?3 AS REAL), summary = ?4, "
                             "case_id = coalesce(CAST(NULLIF(?5, '') AS "
                             "INTEGER), case_id), retro = 0 "
                             "WHERE sha256 = ?1",
                             5, sha256, r->level, conf, r->summary, caseid));
    if (!err)
        err = run(c, prepare(c, "DELETE FROM attempts WHERE item = ?1", 1,
                             sha256));
    if (!err)
        err = run(c, prepare(c,
                             "INSERT INTO processed (item, at) VALUES (?1, "
                             "?2)",
                             2, sha256, now));
    err = end(c, err);
    if (!err && case_id)
        *case_id = cid;
    if (alerts)
        *alerts = err ? 0 : made;
    return err;
}

lp_err lp_cases_attempt(struct lp_cases *c, const char *sha256, int *before,
                        char **last_error)
{
    *before = 0;
    *last_error = NULL;
    lp_err err = begin(c);
    if (err)
        return err;
    sqlite3_stmt *st = prepare(c,
                               "SELECT n, error FROM attempts WHERE item = ?1",
                               1, sha256);
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
    if (rc == SQLITE_ROW) {
        *before = sqlite3_column_int(st, 0);
        const char *e = (const char *)sqlite3_column_text(st, 1);
        if (e && !(*last_error = strdup(e)))
            err = LP_ENOMEM;
    } else if (rc != SQLITE_DONE)
        err = st ? fail(c, LP_EIO, "cannot read") : LP_EIO;
    sqlite3_finalize(st);
    if (!err)
        err = run(c, prepare(c,
                             "INSERT INTO attempts (item, n) VALUES (?1, 1)"
                             " ON CONFLICT (item) DO UPDATE SET n = n + 1",
                             1, sha256));
    err = end(c, err);
    if (err) {
        free(*last_error);
        *last_error = NULL;
    }
    return err;
}

lp_err lp_cases_note_error(struct lp_cases *c, const char *message)
{
    char now[32];
    lp_cases_now(now);
    return run(c, prepare(c,
                          "INSERT OR REPLACE INTO last_error (one, at, "
                          "message) VALUES (1, ?1, ?2)",
                          2, now, message));
}

lp_err lp_cases_attempt_failed(struct lp_cases *c, const char *sha256,
                               const char *error)
{
    return run(c, prepare(c, "UPDATE attempts SET error = ?2 WHERE item = ?1",
                          2, sha256, error));
}

lp_err lp_cases_quarantine(struct lp_cases *c, const char *sha256,
                           const char *reason)
{
    return run(c, prepare(c,
                          "UPDATE items SET state = 'quarantined', reason = "
                          "?2 WHERE sha256 = ?1",
                          2, sha256, reason));
}

/* The table of disabled sinks is made here, not in the schema, so that a
 * case database of the first slice (schema 1 without it) gets it too. */
lp_err lp_cases_sink_add(struct lp_cases *c, const char *sink)
{
    if (exec(c, "CREATE TABLE IF NOT EXISTS sinks_disabled ("
                " name TEXT PRIMARY KEY, reason TEXT NOT NULL,"
                " since TEXT NOT NULL)") != SQLITE_OK)
        return fail(c, LP_EIO, "cannot write");
    return run(c, prepare(c, "INSERT OR IGNORE INTO sinks (name) VALUES (?1)",
                          1, sink));
}

lp_err lp_cases_sink_disable(struct lp_cases *c, const char *sink,
                             const char *reason)
{
    char now[32];
    lp_cases_now(now);
    return run(c, prepare(c,
                          "INSERT OR IGNORE INTO sinks_disabled (name, "
                          "reason, since) VALUES (?1, ?2, ?3)",
                          3, sink, reason, now));
}

lp_err lp_cases_sink_enable(struct lp_cases *c, const char *sink)
{
    lp_err err = run(c, prepare(c, "DELETE FROM sinks_disabled WHERE name = "
                                   "?1",
                                1, sink));
    if (!err && sqlite3_changes(c->db) == 0) {
        snprintf(c->errmsg, sizeof c->errmsg,
                 "'%s': no such sink is disabled (cases status lists them)",
                 sink);
        err = LP_ENOTFOUND;
    }
    return err;
}

int lp_cases_sink_disabled(struct lp_cases *c, const char *sink)
{
    sqlite3_stmt *st = prepare(c,
                               "SELECT count(*) FROM sinks_disabled WHERE "
                               "name = ?1",
                               1, sink);
    int r = -1;
    if (st && sqlite3_step(st) == SQLITE_ROW)
        r = sqlite3_column_int(st, 0) > 0;
    else if (st)
        fail(c, LP_EIO, "cannot read");
    sqlite3_finalize(st);
    return r;
}

lp_err lp_cases_deliver(struct lp_cases *c, const char *sink,
                        int (*fn)(void *ctx, const char *id,
                                  const char *json),
                        void *ctx)
{
    /* only the alerts after the sink's mark: every one up to it was
     * delivered (so a pass after each item reads the new ones, not the
     * whole outbox) */
    json_t *all = rows(c,
                       prepare(c,
                               "SELECT rowid AS n, id, json FROM alerts "
                               "WHERE rowid > coalesce((SELECT upto FROM "
                               "sinks WHERE name = ?1), 0) AND id NOT IN "
                               "(SELECT alert FROM deliveries WHERE sink = "
                               "?1) ORDER BY rowid",
                               1, sink),
                       0);
    if (!all)
        return LP_EIO;
    lp_err err = LP_OK;
    size_t i;
    json_t *row;
    json_int_t upto = 0;
    json_array_foreach(all, i, row)
    {
        const char *id = json_string_value(json_object_get(row, "id"));
        char now[32];
        if (fn(ctx, id, json_string_value(json_object_get(row, "json")))) {
            err = LP_EABORTED;
            break;
        }
        lp_cases_now(now);
        err = run(c, prepare(c,
                             "INSERT OR IGNORE INTO deliveries (alert, sink,"
                             " delivered_at) VALUES (?1, ?2, ?3)",
                             3, id, sink, now));
        if (err)
            break;
        upto = json_integer_value(json_object_get(row, "n"));
    }
    json_decref(all);
    if (upto) {
        char n[32];
        snprintf(n, sizeof n, "%lld", (long long)upto);
        lp_err e = run(c, prepare(c,
                                  "UPDATE sinks SET upto = CAST(?2 AS "
                                  "INTEGER) WHERE name = ?1 AND upto < "
                                  "CAST(?2 AS INTEGER)",
                                  2, sink, n));
        err = err ? err : e;
    }
    return err;
}

lp_err lp_cases_mark_delivered(struct lp_cases *c, const char *sink,
                               const char *id, int *marked)
{
    char now[32];
    lp_cases_now(now);
    lp_err err = run(c, prepare(c,
                                "INSERT OR IGNORE INTO deliveries (alert, "
                                "sink, delivered_at) SELECT id, ?2, ?3 FROM "
                                "alerts WHERE id = ?1",
                                3, id, sink, now));
    if (marked)
        *marked = !err && sqlite3_changes(c->db) > 0;
    return err;
}

json_t *lp_cases_undelivered(struct lp_cases *c, const char *sink)
{
    return rows(c,
                prepare(c,
                        "SELECT id, case_id FROM alerts WHERE id NOT IN "
                        "(SELECT alert FROM deliveries WHERE sink = ?1) "
                        "ORDER BY rowid",
                        1, sink),
                0);
}

json_t *lp_cases_touched(struct lp_cases *c, const char *sink,
                         int64_t *upto)
{
    *upto = 0;
    int64_t rev = 0;
    if (scalar(c, prepare(c, "SELECT coalesce(max(rev), 0) FROM cases", 0),
               &rev))
        return NULL;
    *upto = rev;
    return rows(c,
                prepare(c,
                        "SELECT id FROM cases WHERE rev > coalesce((SELECT "
                        "feed_rev FROM sinks WHERE name = ?1), 0) ORDER BY "
                        "id",
                        1, sink),
                0);
}

lp_err lp_cases_feed_mark(struct lp_cases *c, const char *sink,
                          int64_t upto)
{
    char n[32];
    snprintf(n, sizeof n, "%" PRId64, upto);
    return run(c, prepare(c,
                          "UPDATE sinks SET feed_rev = CAST(?2 AS INTEGER) "
                          "WHERE name = ?1 AND feed_rev < CAST(?2 AS "
                          "INTEGER)",
                          2, sink, n));
}

int lp_cases_status_valid(const char *s)
{
    static const char *const ok[] = {"new", "investigating", "confirmed",
                                     "false-positive", "closed"};
    for (size_t i = 0; s && i < sizeof ok / sizeof ok[0]; i++)
        if (!strcmp(s, ok[i]))
            return 1;
    return 0;
}

json_t *lp_cases_list(struct lp_cases *c, const char *status,
                      const char *since)
{
    /* times are RFC 3339 UTC of one width: they compare as strings */
    return rows(c,
                prepare(c,
                        "SELECT id, status, level, note, created, updated, "
                        "(SELECT count(*) FROM items WHERE case_id = "
                        "cases.id) AS items FROM cases WHERE (?1 IS NULL OR "
                        "status = ?1) AND (?2 IS NULL OR updated >= ?2) "
                        "ORDER BY id DESC",
                        2, status, since),
                0);
}

json_t *lp_cases_show(struct lp_cases *c, int64_t id, lp_err *err)
{
    char cid[32];
    snprintf(cid, sizeof cid, "%" PRId64, id);
    json_t *cs = rows(c,
                      prepare(c,
                              "SELECT id, status, level, note, created, "
                              "updated FROM cases WHERE id = CAST(?1 AS "
                              "INTEGER)",
                              1, cid),
                      0);
    json_t *items = rows(c,
                         prepare(c,
                                 "SELECT sha256, name, size, path, state, "
                                 "level, confidence, summary FROM items "
                                 "WHERE case_id = CAST(?1 AS INTEGER) "
                                 "ORDER BY rowid",
                                 1, cid),
                         0);
    json_t *one = json_incref(json_array_get(cs, 0));
    json_decref(cs);
    *err = one && items ? LP_OK : !cs || !items ? LP_EIO : LP_ENOTFOUND;
    if (*err == LP_ENOTFOUND)
        snprintf(c->errmsg, sizeof c->errmsg, "'%s': no case %" PRId64,
                 c->path, id);
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item)
    {
        if (*err)
            break;
        json_t *s = rows(c,
                         prepare(c,
                                 "SELECT name, source, url, title, author, "
                                 "posted_at, collected_at, seen_at FROM "
                                 "sightings WHERE item = ?1 ORDER BY id",
                                 1, json_string_value(
                                        json_object_get(item, "sha256"))),
                         1);
        if (!s || json_object_set_new(item, "sightings", s))
            *err = LP_EIO;
    }
    if (!*err && json_object_set(one, "items", items))
        *err = LP_ENOMEM;
    json_decref(items);
    if (*err) {
        json_decref(one);
        return NULL;
    }
    return one;
}

lp_err lp_cases_set(struct lp_cases *c, int64_t id, const char *status,
                    const char *note)
{
    char cid[32], now[32];
    snprintf(cid, sizeof cid, "%" PRId64, id);
    lp_cases_now(now);
    sqlite3_stmt *st = prepare(c,
                               "UPDATE cases SET status = ?2, note = "
                               "coalesce(?3, note), updated = ?4 WHERE id = "
                               "CAST(?1 AS INTEGER)",
                               4, cid, status, note, now);
    lp_err err = begin(c);
    if (!err)
        err = run(c, st);
    else
        sqlite3_finalize(st);
    if (!err && sqlite3_changes(c->db) == 0) {
        snprintf(c->errmsg, sizeof c->errmsg, "'%s': no case %" PRId64,
                 c->path, id);
        err = LP_ENOTFOUND;
    }
    if (!err)
        err = bump(c, cid, NULL);
    return end(c, err);
}

/* The one integer sql answers, or -1 with the reason on c. */
static int64_t count(struct lp_cases *c, const char *sql, const char *arg)
{
    sqlite3_stmt *st = prepare(c, sql, arg ? 1 : 0, arg);
    int64_t n = -1;
    if (st && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    else if (st)
        fail(c, LP_EIO, "cannot read");
    sqlite3_finalize(st);
    return n;
}

json_t *lp_cases_status(struct lp_cases *c)
{
    static const char *const states[] = {"queued", "done", "quarantined"};
    json_t *out = json_object(), *items = json_object(), *und = json_object();
    int bad = !out || !items || !und;
    for (size_t i = 0; !bad && i < 3; i++) {
        int64_t n = count(c, "SELECT count(*) FROM items WHERE state = ?1",
                          states[i]);
        bad = n < 0 || json_object_set_new(items, states[i], json_integer(n));
    }
    int64_t ncases = count(c, "SELECT count(*) FROM cases", NULL);
    int64_t nalerts = count(c, "SELECT count(*) FROM alerts", NULL);
    json_t *sinks = bad ? NULL : rows(c, prepare(c, "SELECT name FROM sinks "
                                                    "ORDER BY name", 0), 0);
    bad = bad || ncases < 0 || nalerts < 0 || !sinks;
    size_t i;
    json_t *row;
    json_array_foreach(sinks, i, row)
    {
        if (bad)
            break;
        const char *name = json_string_value(json_object_get(row, "name"));
        int64_t n = count(c,
                          "SELECT count(*) FROM alerts WHERE id NOT IN "
                          "(SELECT alert FROM deliveries WHERE sink = ?1)",
                          name);
        bad = n < 0 || json_object_set_new(und, name, json_integer(n));
    }
    json_decref(sinks);
    /* disabled sinks (a table that a database of the first slice may
     * not have yet) */
    json_t *dis = json_object();
    int64_t has = count(c,
                        "SELECT count(*) FROM sqlite_master WHERE type = "
                        "'table' AND name = ?1",
                        "sinks_disabled");
    json_t *off = bad || has <= 0
                      ? NULL
                      : rows(c,
                             prepare(c,
                                     "SELECT name, reason, since FROM "
                                     "sinks_disabled ORDER BY name",
                                     0),
                             0);
    bad = bad || !dis || has < 0 || (has > 0 && !off);
    json_array_foreach(off, i, row)
    {
        if (bad)
            break;
        json_t *why =
            json_pack("{s:O, s:O}", "reason", json_object_get(row, "reason"),
                      "since", json_object_get(row, "since"));
        bad = !why ||
              json_object_set_new(
                  dis, json_string_value(json_object_get(row, "name")), why);
    }
    json_decref(off);
    json_t *quar = bad ? NULL
                       : rows(c,
                              prepare(c,
                                      "SELECT sha256, name, reason FROM items"
                                      " WHERE state = 'quarantined' ORDER BY "
                                      "rowid",
                                      0),
                              0);
    bad = bad || !quar;
    /* the items done in the last hour (RFC 3339 UTC strings compare as
     * the times they name) */
    char hour_ago[32];
    time_t t = time(NULL) - 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(hour_ago, sizeof hour_ago, "%Y-%m-%dT%H:%M:%SZ", &tm);
    int64_t hour = bad ? 0
                       : count(c, "SELECT count(*) FROM processed WHERE at "
                                  ">= ?1",
                               hour_ago);
    json_t *last = bad ? NULL
                       : rows(c,
                              prepare(c,
                                      "SELECT at AS time, message FROM "
                                      "last_error",
                                      0),
                              0);
    bad = bad || hour < 0 || !last;
    if (!bad)
        bad = json_object_set_new(out, "throughput",
                                  json_pack("{s:I, s:f}", "done_last_hour",
                                            (json_int_t)hour, "per_minute",
                                            (double)hour / 60.0)) ||
              json_object_set(out, "last_error",
                              json_array_size(last) ? json_array_get(last, 0)
                                                    : json_null());
    json_decref(last);
    if (!bad)
        bad = json_object_set(out, "items", items) ||
              json_object_set_new(out, "cases", json_integer(ncases)) ||
              json_object_set_new(out, "alerts", json_integer(nalerts)) ||
              json_object_set(out, "undelivered", und) ||
              json_object_set(out, "disabled", dis) ||
              json_object_set(out, "quarantine", quar);
    json_decref(quar);
    json_decref(items);
    json_decref(und);
    json_decref(dis);
    if (bad) {
        json_decref(out);
        return NULL;
    }
    return out;
}
