/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of daemon/cases.h, the case database of watch: the schema
 * (WAL, user_version), a newer schema and a foreign file refused, items
 * recorded once with every sighting, the queue, a done item opening a
 * case with its alert in the same transaction, deterministic alert ids,
 * delivery per sink (a failed one stays undelivered), a disabled sink,
 * status, list, show and set; near-duplicates folded into a case by the
 * protected files they share (scope-grew when they show more), a post
 * and its attachments one case, attachments named before they came,
 * archive passwords, and re-checks (retro). Each test works on a real SQLite file in its own temporary
 * directory and looks at it through SQLite directly.
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
#include <jansson.h>
#include <sqlite3.h>

#include "leakprint.h"
#include "cases.h"

#include "testutil.h"
#include "banned.h"

#define SHA_A "abababababababababababababababababababababababababababababababab"
#define SHA_B "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
#define SHA_C "1111111111111111111111111111111111111111111111111111111111111111"
#define SHA_D "2222222222222222222222222222222222222222222222222222222222222222"
#define SHA_E "3333333333333333333333333333333333333333333333333333333333333333"

struct fixture {
    char dir[64];
    char path[128];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    tu_mkdtemp(f->dir, sizeof f->dir, "casestest");
    snprintf(f->path, sizeof f->path, "%s/cases.db", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    tu_rmrf(f->dir);
    free(f);
    return 0;
}

static struct lp_cases *open_ok(const struct fixture *f)
{
    struct lp_cases *c = NULL;
    lp_err err = lp_cases_open(f->path, &c);
    if (err)
        fprintf(stderr, "lp_cases_open: %s\n", lp_cases_errmsg(c));
    assert_int_equal(err, LP_OK);
    return c;
}

/* The one integer (or text, as a number) that sql answers on path. */
static long long sql_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void sql_run(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void test_schema(void **state)
{
    struct fixture *f = *state;
    struct lp_cases *c = open_ok(f);
    lp_cases_close(c);
    assert_int_equal(sql_int(f->path, "PRAGMA user_version"), 3);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM sqlite_master "
                                      "WHERE type = 'table' AND name IN "
                                      "('cases','items','sightings',"
                                      "'alerts','sinks','deliveries')"),
                     6);
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st,
                                        NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    sqlite3_close(db);
    /* opened again: the schema is kept, not made twice */
    c = open_ok(f);
    lp_cases_close(c);
    lp_cases_close(NULL);
    /* a database of schema 1 (the first slice of watch) gets the tables
     * of schema 2 */
    sql_run(f->path, "DROP TABLE takes; DROP TABLE attempts; DROP TABLE "
                     "processed; DROP TABLE last_error; PRAGMA user_version "
                     "= 1");
    c = open_ok(f);
    lp_cases_close(c);
    assert_int_equal(sql_int(f->path, "PRAGMA user_version"), 3);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM sqlite_master "
                                      "WHERE type = 'table' AND name IN "
                                      "('takes','attempts','processed',"
                                      "'last_error')"),
                     4);
    /* a database of schema 2: items and sightings get schema 3's columns
     * (their rows kept), and case_files and pending are made */
    sql_run(f->path,
            "DROP TABLE items; DROP TABLE sightings; DROP TABLE case_files;"
            " DROP TABLE pending; CREATE TABLE items (sha256 TEXT PRIMARY "
            "KEY, name TEXT NOT NULL, size INTEGER NOT NULL, path TEXT NOT "
            "NULL, state TEXT NOT NULL DEFAULT 'queued', reason TEXT, level "
            "TEXT, confidence REAL, summary TEXT, case_id INTEGER, created "
            "TEXT NOT NULL); CREATE TABLE sightings (id INTEGER PRIMARY KEY "
            "AUTOINCREMENT, item TEXT NOT NULL, name TEXT NOT NULL, source "
            "TEXT, url TEXT, title TEXT, author TEXT, posted_at TEXT, "
            "collected_at TEXT, seen_at TEXT NOT NULL); INSERT INTO items "
            "(sha256, name, size, path, created) VALUES ('" SHA_A "', 'a', "
            "1, '/a', 'now'); PRAGMA user_version = 2");
    c = open_ok(f);
    lp_cases_close(c);
    assert_int_equal(sql_int(f->path, "PRAGMA user_version"), 3);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM items WHERE "
                                      "grp IS NULL AND retro = 0"), 1);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM pragma_table_"
                                      "info('sightings') WHERE name = "
                                      "'password'"), 1);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM sqlite_master "
                                      "WHERE type = 'table' AND name IN "
                                      "('case_files','pending')"),
                     2);
}

static void test_newer_schema_refused(void **state)
{
    struct fixture *f = *state;
    lp_cases_close(open_ok(f));
    sql_run(f->path, "PRAGMA user_version = 7");
    struct lp_cases *c = NULL;
    assert_int_equal(lp_cases_open(f->path, &c), LP_EFORMAT);
    char want[256];
    snprintf(want, sizeof want,
             "'%s': case database of a newer schema (7; this leakprint "
             "knows 3)", f->path);
    assert_string_equal(lp_cases_errmsg(c), want);
    lp_cases_close(c);
}

static void test_not_a_database(void **state)
{
    struct fixture *f = *state;
    FILE *fp = fopen(f->path, "w");
    assert_non_null(fp);
    for (int i = 0; i < 200; i++)
        fputs("this is no sqlite file\n", fp);
    fclose(fp);
    struct lp_cases *c = NULL;
    assert_int_equal(lp_cases_open(f->path, &c), LP_EFORMAT);
    char want[256];
    snprintf(want, sizeof want, "'%s': not a case database: file is not a "
                                "database", f->path);
    assert_string_equal(lp_cases_errmsg(c), want);
    lp_cases_close(c);
}

static void test_missing_directory(void **state)
{
    struct fixture *f = *state;
    char path[200], want[300];
    snprintf(path, sizeof path, "%s/no/such/dir/cases.db", f->dir);
    struct lp_cases *c = NULL;
    assert_int_equal(lp_cases_open(path, &c), LP_EIO);
    snprintf(want, sizeof want, "'%s': cannot open: no such file or "
                                "directory", path);
    assert_string_equal(lp_cases_errmsg(c), want);
    lp_cases_close(c);
}

static int collect(void *ctx, const char *sha, const char *name,
                   const char *path, int retro)
{
    json_t *a = ctx;
    json_array_append_new(a, json_pack("[sssb]", sha, name, path, retro));
    return 0;
}

static void test_record_once_with_sightings(void **state)
{
    struct fixture *f = *state;
    struct lp_cases *c = open_ok(f);
    struct lp_cases_sighting s1 = {.name = "a.c", .source = "forum-x",
                                   .url = "http://x/1"};
    struct lp_cases_sighting s2 = {.name = "again.c"};
    int known = -1;
    assert_int_equal(lp_cases_record(c, SHA_A, "a.c", 10, "/ev/a", &s1,
                                     &known), LP_OK);
    assert_int_equal(known, 0);
    assert_int_equal(lp_cases_record(c, SHA_A, "again.c", 10, "/ev/a", &s2,
                                     &known), LP_OK);
    assert_int_equal(known, 1);
    assert_int_equal(lp_cases_record(c, SHA_B, "b.c", 3, "/ev/b", &s2,
                                     &known), LP_OK);
    assert_int_equal(known, 0);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM items"), 2);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM sightings "
                                      "WHERE item = '" SHA_A "'"), 2);
    /* the queue: each item once, oldest first, by its first name */
    json_t *q = json_array();
    assert_int_equal(lp_cases_queued(c, collect, q), LP_OK);
    assert_int_equal(json_array_size(q), 2);
    assert_string_equal(json_string_value(json_array_get(
                            json_array_get(q, 0), 0)), SHA_A);
    assert_string_equal(json_string_value(json_array_get(
                            json_array_get(q, 0), 1)), "a.c");
    assert_string_equal(json_string_value(json_array_get(
                            json_array_get(q, 1), 2)), "/ev/b");
    json_decref(q);
    json_t *first = lp_cases_first_sighting(c, SHA_A);
    assert_string_equal(json_string_value(json_object_get(first, "source")),
                        "forum-x");
    assert_null(json_object_get(first, "title")); /* NULLs left out */
    json_decref(first);
    lp_cases_close(c);
}

static char *alert_json(void *ctx, int64_t case_id, const char *id,
                        const char *kind, const char *severity,
                        size_t new_files)
{
    char buf[256];
    (void)ctx;
    snprintf(buf, sizeof buf,
             "{\"id\":\"%s\",\"case\":%lld,\"kind\":\"%s\","
             "\"severity\":\"%s\",\"new_files\":%zu}",
             id, (long long)case_id, kind, severity, new_files);
    return strdup(buf);
}

static char *no_alert(void *ctx, int64_t case_id, const char *id,
                      const char *kind, const char *severity,
                      size_t new_files)
{
    (void)ctx, (void)case_id, (void)id, (void)kind, (void)severity;
    (void)new_files;
    return NULL; /* as when out of memory */
}

/* lp_cases_done() of an item whose verdict is level, a leak alerted at
 * leak_severity when that is not NULL, showing no protected file. */
static lp_err done(struct lp_cases *c, const char *sha, const char *level,
                   const char *leak_severity, lp_cases_alert_fn fn)
{
    struct lp_cases_result r = {.level = level, .confidence = 0.5,
                                .summary = "s",
                                .leak_severity = leak_severity};
    return lp_cases_done(c, sha, &r, fn, NULL, NULL, NULL);
}

static int deliver_ok(void *ctx, const char *id, const char *json)
{
    json_t *a = ctx;
    (void)json;
    json_array_append_new(a, json_string(id));
    return 0;
}

static int deliver_fail(void *ctx, const char *id, const char *json)
{
    (void)ctx, (void)id, (void)json;
    return 1;
}

static void test_alert_id(void **state)
{
    (void)state;
    char id[65];
    /* python3 -c "import hashlib; print(hashlib.sha256(('1|leak|' +
     * 'ab' * 32).encode()).hexdigest())" */
    lp_cases_alert_id(1, "leak", SHA_A, id);
    assert_string_equal(id, "bb49a3154236118a71eae72ae33e3b82448e3432d4099e"
                            "a23cc03bac59414e2a");
    char other[65];
    lp_cases_alert_id(2, "leak", SHA_A, other);
    assert_string_not_equal(id, other);
}

static void test_done_opens_case_and_alert(void **state)
{
    struct fixture *f = *state;
    struct lp_cases *c = open_ok(f);
    struct lp_cases_sighting s = {.name = "a.c"};
    assert_int_equal(lp_cases_record(c, SHA_A, "a.c", 1, "/a", &s, NULL), 0);
    assert_int_equal(lp_cases_record(c, SHA_B, "b.c", 1, "/b", &s, NULL), 0);
    assert_int_equal(lp_cases_sink_add(c, "jsonl:/x"), LP_OK);
    /* an alert that cannot be made: nothing of the transaction stays */
    assert_int_equal(done(c, SHA_A, "confirmed", "critical", no_alert), LP_ENOMEM);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM cases"), 0);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM items WHERE "
                                      "state = 'queued'"), 2);
    assert_int_equal(done(c, SHA_A, "confirmed", "critical", alert_json), LP_OK);
    assert_int_equal(done(c, SHA_B, "none", NULL, NULL), LP_OK);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM cases"), 1);
    assert_int_equal(sql_int(f->path, "SELECT case_id FROM items WHERE "
                                      "sha256 = '" SHA_A "'"), 1);
    assert_int_equal(sql_int(f->path, "SELECT case_id IS NULL FROM items "
                                      "WHERE sha256 = '" SHA_B "'"), 1);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM alerts WHERE id "
                                      "= 'bb49a3154236118a71eae72ae33e3b8244"
                                      "8e3432d4099ea23cc03bac59414e2a' AND "
                                      "kind = 'leak' AND severity = "
                                      "'critical'"), 1);
    json_t *st = lp_cases_status(c);
    assert_non_null(st);
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(st, "items"), "done")), 2);
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(st, "undelivered"), "jsonl:/x")), 1);
    json_decref(st);
    /* a failed delivery stays undelivered; a good one is done once */
    json_t *got = json_array();
    assert_int_equal(lp_cases_deliver(c, "jsonl:/x", deliver_fail, NULL),
                     LP_EABORTED);
    assert_int_equal(sql_int(f->path, "SELECT upto FROM sinks"), 0);
    assert_int_equal(lp_cases_deliver(c, "jsonl:/x", deliver_ok, got), 0);
    /* the sink's mark: every alert up to the first was delivered */
    assert_int_equal(sql_int(f->path, "SELECT upto FROM sinks"), 1);
    assert_int_equal(lp_cases_deliver(c, "jsonl:/x", deliver_ok, got), 0);
    assert_int_equal(json_array_size(got), 1);
    /* another sink gets it too */
    assert_int_equal(lp_cases_deliver(c, "jsonl:/y", deliver_ok, got), 0);
    assert_int_equal(json_array_size(got), 2);
    json_decref(got);
    st = lp_cases_status(c);
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(st, "undelivered"), "jsonl:/x")), 0);
    json_decref(st);
    lp_cases_close(c);
}

/* lp_cases_done() of a leak (likely, high) showing the files "c:a" ...
 * given as one string of "collection:asset" words. */
static lp_err leak_files(struct lp_cases *c, const char *sha,
                         const char *files, int retro)
{
    const char *cols[16], *assets[16];
    char buf[512], *save = NULL;
    size_t n = 0;
    snprintf(buf, sizeof buf, "%s", files);
    for (char *w = strtok_r(buf, " ", &save); w && n < 16;
         w = strtok_r(NULL, " ", &save)) {
        char *colon = strchr(w, ':');
        *colon = '\0';
        cols[n] = w;
        assets[n++] = colon + 1;
    }
    struct lp_cases_result r = {.level = "likely", .confidence = 0.7,
                                .summary = "s", .collections = cols,
                                .assets = assets, .nfiles = n,
                                .leak_severity = "high", .retro = retro};
    return lp_cases_done(c, sha, &r, alert_json, NULL, NULL, NULL);
}

static void record(struct lp_cases *c, const char *sha, const char *name)
{
    struct lp_cases_sighting s = {.name = name};
    assert_int_equal(lp_cases_record(c, sha, name, 1, "/x", &s, NULL), 0);
}

static long long case_of(struct fixture *f, const char *sha)
{
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT coalesce(case_id, 0) FROM items WHERE sha256 = '%s'",
             sha);
    return sql_int(f->path, sql);
}

/* How many alerts of kind the item has, in case cid, with new_files n
 * (n < 0: any). */
static long long alerts_of(struct fixture *f, const char *sha,
                           const char *kind, long long cid, int n)
{
    char sql[400], id[65];
    lp_cases_alert_id(cid, kind, sha, id);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM alerts WHERE id = '%s' AND kind = '%s' "
             "AND case_id = %lld AND (%d < 0 OR json_extract(json, "
             "'$.new_files') = %d)",
             id, kind, cid, n, n);
    return sql_int(f->path, sql);
}

static void test_near_duplicates_and_scope(void **state)
{
    struct fixture *f = *state;
    struct lp_cases *c = open_ok(f);
    record(c, SHA_A, "dump.tar");
    record(c, SHA_B, "dump.zip");
    record(c, SHA_C, "more.7z");
    record(c, SHA_D, "net.txt");
    record(c, SHA_E, "mixed.txt");
    /* a first leak opens case 1 */
    assert_int_equal(leak_files(c, SHA_A, "core:a.c core:b.c", 0), LP_OK);
    assert_int_equal(case_of(f, SHA_A), 1);
    assert_int_equal(alerts_of(f, SHA_A, "leak", 1, 0), 1);
    /* the same files re-packed: case 1, no alert */
    assert_int_equal(leak_files(c, SHA_B, "core:b.c core:a.c", 0), LP_OK);
    assert_int_equal(case_of(f, SHA_B), 1);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM alerts"), 1);
    /* more of the same dump: case 1, its scope grew by 2 */
    assert_int_equal(leak_files(c, SHA_C, "core:a.c core:b.c core:c.c "
                                          "core:d.c", 0), LP_OK);
    assert_int_equal(case_of(f, SHA_C), 1);
    assert_int_equal(alerts_of(f, SHA_C, "scope-grew", 1, 2), 1);
    /* other files: a case of their own */
    assert_int_equal(leak_files(c, SHA_D, "net:x.c", 0), LP_OK);
    assert_int_equal(case_of(f, SHA_D), 2);
    assert_int_equal(alerts_of(f, SHA_D, "leak", 2, 0), 1);
    /* one file of case 1's four among three others: less than half of
     * the smaller set, a new case */
    assert_int_equal(leak_files(c, SHA_E, "core:a.c net:y.c net:z.c "
                                          "net:w.c", 0), LP_OK);
    assert_int_equal(case_of(f, SHA_E), 3);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM case_files "
                                      "WHERE case_id = 1"), 4);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM alerts"), 4);
    lp_cases_close(c);
}

static void test_groups_pending_passwords(void **state)
{
    struct fixture *f = *state;
    struct lp_cases *c = open_ok(f);
    /* a post and its attachment: one case, whichever alerts first */
    struct lp_cases_sighting post = {.name = "f.posts.jsonl#1",
                                     .source = "forum-x", .group = SHA_A};
    struct lp_cases_sighting att = post;
    att.name = "dump.zip";
    assert_int_equal(lp_cases_record(c, SHA_A, post.name, 1, "/a", &post,
                                     NULL), 0);
    assert_int_equal(lp_cases_record(c, SHA_B, att.name, 1, "/b", &att,
                                     NULL), 0);
    assert_int_equal(done(c, SHA_A, "none", NULL, alert_json), LP_OK);
    assert_int_equal(case_of(f, SHA_A), 0); /* nothing to say yet */
    assert_int_equal(leak_files(c, SHA_B, "core:a.c", 0), LP_OK);
    assert_int_equal(case_of(f, SHA_B), 1);
    assert_int_equal(case_of(f, SHA_A), 1); /* the post joined */
    assert_int_equal(alerts_of(f, SHA_B, "leak", 1, 0), 1);
    /* an attachment named before it came joins when it comes, with the
     * post's password; the pending entry is used up */
    assert_int_equal(lp_cases_pending(c, "/in", "late.zip", SHA_A, "pw1"),
                     LP_OK);
    struct lp_cases_sighting late = {.name = "late.zip", .inbox = "/in"};
    assert_int_equal(lp_cases_record(c, SHA_C, "late.zip", 1, "/c", &late,
                                     NULL), 0);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM pending"), 0);
    assert_int_equal(sql_int(f->path, "SELECT grp = '" SHA_A "' FROM items "
                                      "WHERE sha256 = '" SHA_C "'"), 1);
    json_t *pw = lp_cases_passwords(c, SHA_C);
    assert_int_equal(json_array_size(pw), 1);
    assert_string_equal(json_string_value(json_array_get(pw, 0)), "pw1");
    json_decref(pw);
    assert_int_equal(done(c, SHA_C, "none", NULL, alert_json), LP_OK);
    assert_int_equal(case_of(f, SHA_C), 1); /* its group's case */
    /* a password it was not scanned with queues it again; one it was,
     * not */
    struct lp_cases_sighting again = {.name = "late.zip", .password = "pw2"};
    assert_int_equal(lp_cases_record(c, SHA_C, "late.zip", 1, "/c", &again,
                                     NULL), 0);
    assert_int_equal(sql_int(f->path, "SELECT state = 'queued' FROM items "
                                      "WHERE sha256 = '" SHA_C "'"), 1);
    assert_int_equal(done(c, SHA_C, "none", NULL, alert_json), LP_OK);
    assert_int_equal(lp_cases_record(c, SHA_C, "late.zip", 1, "/c", &again,
                                     NULL), 0);
    assert_int_equal(sql_int(f->path, "SELECT state = 'done' FROM items "
                                      "WHERE sha256 = '" SHA_C "'"), 1);
    char sha[65];
    assert_int_equal(lp_cases_find_name(c, "dump.zip", sha), LP_OK);
    assert_string_equal(sha, SHA_B);
    assert_int_equal(lp_cases_find_name(c, "none.zip", sha), LP_OK);
    assert_string_equal(sha, "");
    lp_cases_close(c);
}

static void test_retro(void **state)
{
    struct fixture *f = *state;
    struct lp_cases *c = open_ok(f);
    record(c, SHA_A, "a.txt");
    record(c, SHA_B, "b.txt");
    assert_int_equal(leak_files(c, SHA_A, "core:a.c", 0), LP_OK);
    assert_int_equal(done(c, SHA_B, "none", NULL, alert_json), LP_OK);
    size_t n = 0;
    assert_int_equal(lp_cases_retro(c, &n), LP_OK);
    assert_int_equal(n, 2);
    json_t *q = json_array();
    assert_int_equal(lp_cases_queued(c, collect, q), LP_OK);
    assert_int_equal(json_array_size(q), 2);
    assert_true(json_is_true(json_array_get(json_array_get(q, 0), 3)));
    json_decref(q);
    /* the same result again: no alert; a file more: retro, in its case */
    assert_int_equal(leak_files(c, SHA_A, "core:a.c", 1), LP_OK);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM alerts"), 1);
    /* what was nothing is a leak now (the registry grew): retro */
    assert_int_equal(leak_files(c, SHA_B, "core:z.c", 1), LP_OK);
    assert_int_equal(case_of(f, SHA_B), 2);
    assert_int_equal(alerts_of(f, SHA_B, "retro", 2, -1), 1);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM items WHERE "
                                      "retro = 1 OR state != 'done'"), 0);
    lp_cases_close(c);
}

/* The ids of rows (each {key: integer}) joined by commas. */
static void ids_of(json_t *rows, const char *key, char *out, size_t len)
{
    size_t i, o = 0;
    json_t *r;
    out[0] = '\0';
    json_array_foreach(rows, i, r)
    {
        int n = snprintf(out + o, len - o, "%s%lld", i ? "," : "",
                         (long long)json_integer_value(
                             json_object_get(r, key)));
        assert_true(n > 0 && (size_t)n < len - o);
        o += (size_t)n;
    }
}

/* The alerts waiting for a sink, listed without being marked; the cases
 * changed since a time: their status set, or an item of theirs seen. */
static void test_undelivered_touched(void **state)
{
    struct fixture *f = *state;
    struct lp_cases *c = open_ok(f);
    struct lp_cases_sighting s = {.name = "a.c", .take = "in|a.c|1"};
    assert_int_equal(lp_cases_record(c, SHA_A, "a.c", 1, "/a", &s, NULL), 0);
    s.take = "in|b.c|1";
    assert_int_equal(lp_cases_record(c, SHA_B, "b.c", 1, "/b", &s, NULL), 0);
    assert_int_equal(lp_cases_sink_add(c, "misp:/feed"), LP_OK);
    assert_int_equal(done(c, SHA_A, "likely", "high", alert_json), LP_OK);
    assert_int_equal(done(c, SHA_B, "likely", "high", alert_json), LP_OK);
    char got[64];
    json_t *w = lp_cases_undelivered(c, "misp:/feed");
    ids_of(w, "case_id", got, sizeof got);
    assert_string_equal(got, "1,2");
    /* listing marks nothing; a mark takes the alert off the list */
    json_decref(w);
    w = lp_cases_undelivered(c, "misp:/feed");
    assert_int_equal(json_array_size(w), 2);
    assert_int_equal(lp_cases_mark_delivered(
                         c, "misp:/feed",
                         json_string_value(json_object_get(
                             json_array_get(w, 0), "id")),
                         NULL),
                     LP_OK);
    json_decref(w);
    w = lp_cases_undelivered(c, "misp:/feed");
    ids_of(w, "case_id", got, sizeof got);
    assert_string_equal(got, "2");
    json_decref(w);

    /* each change of a case gives it the next revision: both are new to
     * the sink; marked written, none; then item A seen again (case 1)
     * and case 2's status set */
    int64_t upto = 0;
    json_t *t = lp_cases_touched(c, "misp:/feed", &upto);
    ids_of(t, "id", got, sizeof got);
    assert_string_equal(got, "1,2");
    assert_int_equal(upto, 2);
    json_decref(t);
    assert_int_equal(lp_cases_feed_mark(c, "misp:/feed", upto), LP_OK);
    t = lp_cases_touched(c, "misp:/feed", &upto);
    assert_non_null(t);
    assert_int_equal(json_array_size(t), 0);
    json_decref(t);
    s.take = "in|a-again.c|2";
    assert_int_equal(lp_cases_record(c, SHA_A, "a-again.c", 1, "/a", &s,
                                     NULL), 0);
    t = lp_cases_touched(c, "misp:/feed", &upto);
    ids_of(t, "id", got, sizeof got);
    assert_string_equal(got, "1");
    assert_int_equal(upto, 3);
    json_decref(t);
    assert_int_equal(lp_cases_set(c, 2, "closed", NULL), LP_OK);
    t = lp_cases_touched(c, "misp:/feed", &upto);
    ids_of(t, "id", got, sizeof got);
    assert_string_equal(got, "1,2");
    json_decref(t);
    /* another sink has written nothing: every case */
    t = lp_cases_touched(c, "misp:/other", &upto);
    ids_of(t, "id", got, sizeof got);
    assert_string_equal(got, "1,2");
    json_decref(t);
    lp_cases_close(c);
}

static void test_quarantine(void **state)
{
    struct fixture *f = *state;
    struct lp_cases *c = open_ok(f);
    struct lp_cases_sighting s = {.name = "bomb.zip"};
    assert_int_equal(lp_cases_record(c, SHA_A, "bomb.zip", 1, "/a", &s,
                                     NULL), 0);
    assert_int_equal(lp_cases_quarantine(c, SHA_A, "worker crashed"), 0);
    json_t *q = json_array();
    assert_int_equal(lp_cases_queued(c, collect, q), LP_OK);
    assert_int_equal(json_array_size(q), 0); /* not retried */
    json_decref(q);
    json_t *st = lp_cases_status(c);
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(st, "items"), "quarantined")), 1);
    json_decref(st);
    assert_int_equal(sql_int(f->path, "SELECT reason = 'worker crashed' "
                                      "FROM items"), 1);
    lp_cases_close(c);
}

static void test_list_show_set(void **state)
{
    struct fixture *f = *state;
    struct lp_cases *c = open_ok(f);
    struct lp_cases_sighting s = {.name = "a.c", .url = "http://u"};
    assert_int_equal(lp_cases_record(c, SHA_A, "a.c", 1, "/a", &s, NULL), 0);
    assert_int_equal(done(c, SHA_A, "likely", "high", alert_json), LP_OK);
    assert_int_equal(lp_cases_set(c, 1, "confirmed", "seen by the SOC"), 0);
    assert_int_equal(lp_cases_set(c, 9, "closed", NULL), LP_ENOTFOUND);
    json_t *l = lp_cases_list(c, NULL, NULL);
    assert_int_equal(json_array_size(l), 1);
    json_t *one = json_array_get(l, 0);
    assert_string_equal(json_string_value(json_object_get(one, "status")),
                        "confirmed");
    assert_string_equal(json_string_value(json_object_get(one, "note")),
                        "seen by the SOC");
    assert_int_equal(json_integer_value(json_object_get(one, "items")), 1);
    json_decref(l);
    l = lp_cases_list(c, "new", NULL);
    assert_int_equal(json_array_size(l), 0);
    json_decref(l);
    /* --since: changed at or after a time (the case was changed just now) */
    l = lp_cases_list(c, NULL, "2000-01-01T00:00:00Z");
    assert_int_equal(json_array_size(l), 1);
    json_decref(l);
    l = lp_cases_list(c, "confirmed", "9999-01-01T00:00:00Z");
    assert_int_equal(json_array_size(l), 0);
    json_decref(l);
    /* set without a note keeps the note */
    assert_int_equal(lp_cases_set(c, 1, "closed", NULL), 0);
    lp_err err = LP_OK;
    json_t *cs = lp_cases_show(c, 1, &err);
    assert_int_equal(err, LP_OK);
    assert_string_equal(json_string_value(json_object_get(cs, "note")),
                        "seen by the SOC");
    json_t *items = json_object_get(cs, "items");
    assert_int_equal(json_array_size(items), 1);
    json_t *sg = json_object_get(json_array_get(items, 0), "sightings");
    assert_int_equal(json_array_size(sg), 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(sg, 0), "url")), "http://u");
    json_decref(cs);
    assert_null(lp_cases_show(c, 5, &err));
    assert_int_equal(err, LP_ENOTFOUND);
    assert_true(lp_cases_status_valid("false-positive"));
    assert_false(lp_cases_status_valid("open"));
    lp_cases_close(c);
}

static void test_utf8(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"plain.c", "plain.c"},
        {"caf\xc3\xa9", "caf\xc3\xa9"},           /* valid: kept */
        {"bad\xff.c", "bad\xef\xbf\xbd.c"},       /* a stray byte */
        {"\xc3(", "\xef\xbf\xbd("},               /* a cut sequence */
        {"\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd"}, /* overlong */
        {"\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
        {"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"}, /* 4 bytes: kept */
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = lp_cases_utf8(cases[i].in);
        assert_non_null(got);
        assert_string_equal(got, cases[i].out);
        free(got);
    }
}

/* A disabled sink (a webhook's 410) stays disabled after a reopen, with
 * its first reason; another sink is not; a case database made before the
 * table existed gets it from lp_cases_sink_add(). */
static void test_sink_disabled(void **state)
{
    struct fixture *f = *state;
    struct lp_cases *c = open_ok(f);
    lp_cases_close(c);
    sql_run(f->path, "DROP TABLE IF EXISTS sinks_disabled");
    c = open_ok(f);
    assert_int_equal(lp_cases_sink_add(c, "webhook:http://a/"), LP_OK);
    assert_int_equal(lp_cases_sink_add(c, "exec:true"), LP_OK);
    assert_int_equal(lp_cases_sink_disabled(c, "webhook:http://a/"), 0);
    assert_int_equal(lp_cases_sink_disable(c, "webhook:http://a/",
                                           "HTTP 410 Gone"),
                     LP_OK);
    assert_int_equal(lp_cases_sink_disable(c, "webhook:http://a/", "other"),
                     LP_OK);
    assert_int_equal(lp_cases_sink_disabled(c, "webhook:http://a/"), 1);
    assert_int_equal(lp_cases_sink_disabled(c, "exec:true"), 0);
    lp_cases_close(c);
    c = open_ok(f);
    assert_int_equal(lp_cases_sink_add(c, "webhook:http://a/"), LP_OK);
    assert_int_equal(lp_cases_sink_disabled(c, "webhook:http://a/"), 1);
    lp_cases_close(c);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM sinks_disabled "
                                      "WHERE reason = 'HTTP 410 Gone'"),
                     1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_not_a_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_directory, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_record_once_with_sightings,
                                        setup, teardown),
        cmocka_unit_test(test_alert_id),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test_setup_teardown(test_done_opens_case_and_alert, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_quarantine, setup, teardown),
        cmocka_unit_test_setup_teardown(test_near_duplicates_and_scope, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_groups_pending_passwords, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_retro, setup, teardown),
        cmocka_unit_test_setup_teardown(test_undelivered_touched, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_list_show_set, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sink_disabled, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
