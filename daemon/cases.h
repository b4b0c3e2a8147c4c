/* SPDX-License-Identifier: Apache-2.0
 *
 * cases.h: the case database of `leakprint watch` and `leakprint cases`.
 *
 * One SQLite file (WAL mode, a busy timeout, PRAGMA user_version = 3)
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
 *   sinks      every sink watch was given (name), and upto: the alert
 *              (rowid) up to which every alert was delivered to it;
 *              feed_rev: the case revision up to which a misp: sink's
 *              feed holds every case (schema 3)
 *   deliveries (alert, sink): the alert was delivered to that sink
 *   sinks_disabled  name, reason, since: a sink no longer delivered to
 *              (made by lp_cases_sink_add(), not part of schema 1's set)
 *   takes      the inbox files recorded (key: see lp_cases_sighting.take)
 *   attempts   item, n: the attempts at processing it not ended done, and
 *              the last one's error
 *   processed  item, at: each time an item was done (throughput)
 *   last_error the last error watch met (one row)
 *   case_files the protected files (collection, asset) each case's items
 *              showed, and the item that showed each first (schema 3)
 *   pending    attachments a post named that were not in its inbox yet:
 *              inbox, name, post (the post item's sha256), password
 * Schema 3 added cases.rev (bumped at every change of a case),
 * items.grp (the sha256 of the post an item is or belongs
 * to: its group), items.retro (queued again by `cases retro`) and
 * sightings.password (an archive password a sidecar or a post gave: the
 * seller's, published with the item, never one of the organisation's).
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
#define LP_CASES_SCHEMA 3
#define LP_CASES_SCHEMA_STR "3"

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
    const char *inbox;    /* the inbox it came from (may be NULL) */
    const char *password; /* an archive password given with it, or NULL */
    const char *group;    /* the sha256 of the post it belongs to (the
                             post's own for a post), or NULL */
};

/* Records, in one transaction, the item sha256 (state queued, stored at
 * path) unless it is known, and a sighting of it. *known (may be NULL):
 * 1 when the item was known before. A known item joins s->group when it
 * has none, and is queued again when it is done and s->password is one
 * it was not scanned with. LP_OK, LP_EIO, LP_ENOMEM. */
lp_err lp_cases_record(struct lp_cases *c, const char *sha256,
                       const char *name, uint64_t size, const char *path,
                       const struct lp_cases_sighting *s, int *known);

/* Queues every item that is done again, marked as a re-check (its
 * result alerts as kind retro: see lp_cases_done()), in one
 * transaction; how many into *n. Quarantined items stay so. */
lp_err lp_cases_retro(struct lp_cases *c, size_t *n);

/* Records that the post `post` (an item's sha256) named the attachment
 * `name` of inbox, not there yet: when a file of that name is recorded
 * from that inbox (lp_cases_record() with s->inbox), it joins the post's
 * group with its password. */
lp_err lp_cases_pending(struct lp_cases *c, const char *inbox,
                        const char *name, const char *post,
                        const char *password);

/* The sha256 of the item last seen under the name `name`, into sha256
 * ("" when none). */
lp_err lp_cases_find_name(struct lp_cases *c, const char *name,
                          char sha256[65]);

/* The archive passwords given with an item (its sightings'), oldest
 * first, as a JSON array of strings; NULL with the reason on c. */
json_t *lp_cases_passwords(struct lp_cases *c, const char *sha256);

/* Calls fn with each queued item (sha256, name of its first sighting,
 * path in the evidence store; borrowed for the call; retro: queued again
 * by lp_cases_retro()), oldest first. A
 * non-zero return of fn stops with LP_EABORTED. */
lp_err lp_cases_queued(struct lp_cases *c,
                       int (*fn)(void *ctx, const char *sha256,
                                 const char *name, const char *path,
                                 int retro),
                       void *ctx);

/* The first sighting of an item, as a JSON object (source, url, ...:
 * those known); caller frees with json_decref(). NULL when none. */
json_t *lp_cases_first_sighting(struct lp_cases *c, const char *sha256);

/* Makes the JSON of an alert of kind and severity for case case_id
 * under the id `id` (borrowed for the call); new_files: the protected
 * files the case had not seen that this item shows (the count a
 * scope-grew alert names). A string the caller of lp_cases_done() owns
 * (free()), or NULL when out of memory. */
typedef char *(*lp_cases_alert_fn)(void *ctx, int64_t case_id,
                                   const char *id, const char *kind,
                                   const char *severity, size_t new_files);

/* What processing an item found, for lp_cases_done(). */
struct lp_cases_result {
    const char *level; /* none, unlikely, likely or confirmed */
    double confidence;
    const char *summary;
    /* the protected files it shows: collections[i] and assets[i] */
    const char *const *collections, *const *assets;
    size_t nfiles;
    /* its verdict is a leak (likely or confirmed), alerted at this
     * severity */
    const char *leak_severity;
    /* a re-check (`cases retro`): what would alert as a leak or a grown
     * scope alerts as kind retro */
    int retro;
    /* the other alerts it raises (secret, term, sale-claim): kinds[i] at
     * severities[i] */
    const char *const *kinds, *const *severities;
    size_t nkinds;
};

/* Marks the item done with its result r, in one transaction, and files
 * it into a case:
 *  - the case of its group (a post and its attachments are one case),
 *    when one of them has a case;
 *  - else, for a leak, the case whose protected files overlap the item's
 *    most, when they share at least half of the smaller of the two sets
 *    (a near-duplicate: the same dump re-packed, a paste re-posted; found
 *    through an index of the files, not by comparing items);
 *  - else a new case (status new), when r raises any alert.
 * A leak alerts as `leak` in a case that had no protected file yet, as
 * `scope-grew` when it shows files its case had not seen, and not at all
 * when it shows none (as `retro` instead of either with r->retro); each
 * of r->kinds alerts too. Each alert, made by fn, goes into the outbox.
 * The item's case id into *case_id (0: none) and the number of alerts
 * written into *alerts (each may be NULL). LP_OK, LP_EIO, LP_ENOMEM. */
lp_err lp_cases_done(struct lp_cases *c, const char *sha256,
                     const struct lp_cases_result *r, lp_cases_alert_fn fn,
                     void *ctx, int64_t *case_id, size_t *alerts);

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

/* Enables a disabled sink again (its receiver is back): watch delivers
 * its waiting alerts at its next pass. LP_ENOTFOUND (the reason on c)
 * when it is not disabled. */
lp_err lp_cases_sink_enable(struct lp_cases *c, const char *sink);

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

/* The cases changed since sink last wrote them (lp_cases_feed_mark()):
 * an item filed into them, one of their items seen again, their status
 * or note set; a JSON array of {id}, by id, and the revision the
 * database is at into *upto (give it to lp_cases_feed_mark() once those
 * are written). Every change of a case gives it the next revision
 * (cases.rev), so none is missed, whatever the clocks say. NULL with
 * the reason on c. */
json_t *lp_cases_touched(struct lp_cases *c, const char *sink,
                         int64_t *upto);

/* Records that sink wrote every case up to revision upto. */
lp_err lp_cases_feed_mark(struct lp_cases *c, const char *sink,
                          int64_t upto);

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
