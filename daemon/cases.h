/* SPDX-License-Identifier: Apache-2.0
 *
 * cases.h: the case database of `leakprint watch` and `leakprint cases`.
 *
 * One SQLite file (WAL mode, a busy timeout, PRAGMA user_version = 2)
 * holds:
 *   cases      id, status (new|investigating|confirmed|false-positive|
 *              closed), note, level, created, updated
 *   items      sha256 (primary key), name, size, path in the evidence
 *              store, state (queued|done|quarantined), reason, level,
 *              confidence, summary, case_id
 *   sightings  where and when an item was seen: inbox name, source, url,
 *              title, author, posted_at, collected_at, seen_at
 *   alerts     the outbox: id (hex SHA-256 of "case|kind|sha256"), case_id,
 *              kind, severity, the alert's JSON, created
 *   sinks      every sink watch was given (name)
 *   deliveries (alert, sink): the alert was delivered to that sink
 *   sinks_disabled  name, reason, since: a sink no longer delivered to
 *              (made by lp_cases_sink_add(), not part of schema 1's set)
 *   takes      the inbox files recorded (key: see lp_cases_sighting.take)
 *   attempts   item, n: the attempts at processing it not ended done, and
 *              the last one's error
 *   processed  item, at: each time an item was done (throughput)
 *   last_error the last error watch met (one row)
 * Invariants: an item is recorded (state queued) with its first sighting
 * in one transaction before it is scanned; its results, its case and its
 * alert are written in one transaction. Times are RFC 3339 UTC strings.
 */
#ifndef LP_DAEMON_CASES_H
#define LP_DAEMON_CASES_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "leakprint.h"

struct lp_cases;

/* The schema version this code writes (PRAGMA user_version). */
#define LP_CASES_SCHEMA 2
#define LP_CASES_SCHEMA_STR "2"

/* Opens (creating when missing) the case database at path. On failure
 * *out is still set when memory allowed it, so that lp_cases_errmsg()
 * says why ("'path': reason"); close it in both cases. LP_EIO when the
 * file cannot be opened or made, LP_EFORMAT when it is no case database
 * or of a newer schema, LP_ENOMEM. */
lp_err lp_cases_open(const char *path, struct lp_cases **out);

/* Closes the database; accepts NULL. */
void lp_cases_close(struct lp_cases *c);

/* The last error's detail (borrowed; valid until the next call on c). */
const char *lp_cases_errmsg(const struct lp_cases *c);

/* A copy of s in which each byte that is not part of valid UTF-8 is
 * U+FFFD (JSON must be UTF-8; a file's name need not be). Caller frees
 * with free(); NULL when out of memory. */
char *lp_cases_utf8(const char *s);

/* The current time as RFC 3339 UTC ("2026-12-07T10:21:38Z") into buf. */
void lp_cases_now(char buf[32]);

/* The deterministic id of an alert: the hex SHA-256 of
 * "<case>|<kind>|<sha256>" into out (65 bytes). */
void lp_cases_alert_id(int64_t case_id, const char *kind, const char *sha256,
                       char out[65]);

/* Where an item was seen (every field but name may be NULL). */
struct lp_cases_sighting {
    const char *name; /* the file's name in the inbox */
    const char *source, *url, *title, *author, *posted_at, *collected_at;
    /* what tells this inbox file from another (inbox, name, device,
     * inode, mtime), or NULL: a take already recorded adds no sighting,
     * so that a file taken in again after a crash between its record
     * and its unlink is not a second sighting */
    const char *take;
};

/* Records, in one transaction, the item sha256 (state queued, stored at
 * path) unless it is known, and a sighting of it. *known (may be NULL):
 * 1 when the item was known before. LP_OK, LP_EIO, LP_ENOMEM. */
lp_err lp_cases_record(struct lp_cases *c, const char *sha256,
                       const char *name, uint64_t size, const char *path,
                       const struct lp_cases_sighting *s, int *known);

/* Calls fn with each queued item (sha256, name of its first sighting,
 * path in the evidence store; borrowed for the call), oldest first. A
 * non-zero return of fn stops with LP_EABORTED. */
lp_err lp_cases_queued(struct lp_cases *c,
                       int (*fn)(void *ctx, const char *sha256,
                                 const char *name, const char *path),
                       void *ctx);

/* The first sighting of an item, as a JSON object (source, url, ...:
 * those known); caller frees with json_decref(). NULL when none. */
json_t *lp_cases_first_sighting(struct lp_cases *c, const char *sha256);

/* Makes an alert's JSON for case case_id under the id `id` (borrowed for
 * the call): a string the caller of lp_cases_done() owns (free()), or
 * NULL when out of memory. */
typedef char *(*lp_cases_alert_fn)(void *ctx, int64_t case_id,
                                   const char *id);

/* Marks the item done with its verdict, in one transaction; when kind
 * is not NULL, opens a new case (status new, level `level`) for it and
 * writes an alert of that kind and severity made by fn into the outbox.
 * LP_OK, LP_EIO, LP_ENOMEM. */
lp_err lp_cases_done(struct lp_cases *c, const char *sha256,
                     const char *level, double confidence,
                     const char *summary, const char *kind,
                     const char *severity, lp_cases_alert_fn fn, void *ctx);

/* Counts one more attempt at processing the item, committed before it is
 * processed (so that one that crashes the process is counted too): into
 * *before the attempts made before this one that did not end done, into
 * *last_error (NULL or a string to free()) the error the last of them
 * recorded. lp_cases_done() forgets the count. */
lp_err lp_cases_attempt(struct lp_cases *c, const char *sha256, int *before,
                        char **last_error);

/* Records message (one line naming a path and a reason; never a secret)
 * as the last error, for `cases status`. */
lp_err lp_cases_note_error(struct lp_cases *c, const char *message);

/* Records why the item's current attempt failed. */
lp_err lp_cases_attempt_failed(struct lp_cases *c, const char *sha256,
                               const char *error);

/* Marks the item quarantined with a reason (it is not retried). */
lp_err lp_cases_quarantine(struct lp_cases *c, const char *sha256,
                           const char *reason);

/* Registers a sink by name ("jsonl:/var/alerts.jsonl"). */
lp_err lp_cases_sink_add(struct lp_cases *c, const char *sink);

/* Records that sink is disabled (a webhook's receiver answered 410 Gone)
 * with a reason ("HTTP 410 Gone"); its alerts stay in the outbox. */
lp_err lp_cases_sink_disable(struct lp_cases *c, const char *sink,
                             const char *reason);

/* 1 when sink was disabled, 0 when not, -1 with the reason on c. Only
 * after lp_cases_sink_add() of that sink. */
int lp_cases_sink_disabled(struct lp_cases *c, const char *sink);

/* Calls fn with each alert not yet delivered to sink (id and JSON,
 * borrowed for the call), oldest first; fn returns 0 when it delivered
 * it, and the alert is then marked delivered to sink; non-zero stops with
 * LP_EABORTED. */
lp_err lp_cases_deliver(struct lp_cases *c, const char *sink,
                        int (*fn)(void *ctx, const char *id,
                                  const char *json),
                        void *ctx);

/* Marks the alert id delivered to sink, when it is in the outbox and not
 * marked yet (*marked, may be NULL: 1 then). A sink that finds the alert
 * already written (a crash came between its write and its mark) says so
 * with this, so that it is not written again. */
lp_err lp_cases_mark_delivered(struct lp_cases *c, const char *sink,
                               const char *id, int *marked);

/* The alerts not yet delivered to sink, oldest first, as a JSON array
 * of {id, case_id}, without marking them (a sink that writes them all at
 * once marks each with lp_cases_mark_delivered() after). NULL with the
 * reason on c. */
json_t *lp_cases_undelivered(struct lp_cases *c, const char *sink);

/* The cases changed at or after since (an RFC 3339 UTC time): their
 * status or note set, or one of their items seen again; a JSON array of
 * {id}, by id. NULL with the reason on c. */
json_t *lp_cases_touched(struct lp_cases *c, const char *since);

/* Whether status is one a case may have. */
int lp_cases_status_valid(const char *status);

/* The cases (all, or those of one status when status is not NULL, and
 * changed at or after since, an RFC 3339 UTC time as lp_cases_now()
 * writes, when since is not NULL), newest first, as a JSON array of {id,
 * status, level, note, created, updated, items}; caller frees with
 * json_decref(). NULL with the reason on c. */
json_t *lp_cases_list(struct lp_cases *c, const char *status,
                      const char *since);

/* One case with its items and their sightings, as a JSON object; NULL
 * with LP_ENOTFOUND in *err when there is none (else LP_EIO, LP_ENOMEM). */
json_t *lp_cases_show(struct lp_cases *c, int64_t id, lp_err *err);

/* Sets a case's status and, when note is not NULL, its note.
 * LP_ENOTFOUND when there is no such case. */
lp_err lp_cases_set(struct lp_cases *c, int64_t id, const char *status,
                    const char *note);

/* Counts: {"items": {"queued": N, "done": N, "quarantined": N},
 * "cases": N, "alerts": N, "undelivered": {"<sink>": N, ...},
 * "disabled": {"<sink>": {"reason": R, "since": T}, ...},
 * "quarantine": [{"sha256", "name", "reason"}, ...],
 * "throughput": {"done_last_hour": N, "per_minute": X},
 * "last_error": {"time", "message"} or null}. */
json_t *lp_cases_status(struct lp_cases *c);

#endif
