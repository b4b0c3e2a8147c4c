/* SPDX-License-Identifier: Apache-2.0
 *
 * watch.h: what the parts of `leakprint watch` share (cmd_watch.c: the
 * options, the processing of items and the daemon loop; intake.c: how
 * items are taken in from the inboxes).
 */
#ifndef LP_DAEMON_WATCH_H
#define LP_DAEMON_WATCH_H

#include <stdbool.h>
#include <pthread.h>
#include <stddef.h>

#include "leakprint.h"
#include "cases.h"
#include "sink.h"
#include "watchterms.h"

/* An item whose processing was attempted this many times without ending
 * done (a scan that failed, or a crash in it) is quarantined
 * (--max-attempts). */
#define WATCH_MAX_ATTEMPTS 3

/* Most bytes of an item's text matched against the watch terms. */
#define WATCH_MAX_TERM_TEXT (16u << 20)

/* The most items scanned at once (-j). */
#define WATCH_MAX_JOBS 256

/* A sidecar larger than this is not read (it is metadata, not data). */
#define WATCH_MAX_SIDECAR (1u << 20)

struct watch {
    const char *db_path;
    const char **inboxes;
    size_t ninboxes;
    const char **sinks;
    size_t nsinks;
    /* per sink: it failed in this drain() (said once; not tried again
     * until the next one, whose items may be many) */
    bool *sink_failed;
    struct lp_sink_options sink_opt; /* webhook, syslog, exec (sink.h) */
    const char *cases_arg;
    bool once;
    bool retro; /* `cases retro`: every done item scanned again */
    long jobs;  /* -j: items scanned at once */
    char stamp[128]; /* the registry's MANIFEST when it was opened */
    const char *terms_path; /* --terms, or NULL */
    bool list_terms;        /* --list-terms: print them and exit */
    struct lp_terms *terms; /* compiled; swapped between passes only */
    bool terms_built;       /* terms was built (NULL: it failed) */
    bool reload;            /* SIGHUP came: the terms built again */
    /* held by a worker for all but its scan: the case database's
     * connection, the sinks, trouble and stop are used under it */
    pthread_mutex_t mu;
    long max_attempts;
    const char *cases_path;
    char evidence[4096];
    struct lp_cases *cases;
    lp_registry *reg;
    struct lp_scan_options opt;
    char sevenzip[4096];
    int trouble; /* a problem was named on stderr: exit 2 */
    int sigfd;   /* the daemon's signalfd (SIGTERM, SIGINT, SIGHUP), or -1 */
    bool stop;   /* SIGTERM or SIGINT came: finish the item in hand */
};

/* Reads the signals that came (the daemon blocks them and reads them
 * from its signalfd: no work in a handler); whether to stop. */
bool lp_watch_stopping(struct watch *w);

/* mkdir that accepts an existing directory: 0, or -1 after naming it. */
int lp_watch_make_dir(const char *dir);

/* Whether name is a sidecar's (NAME.meta.json). */
bool lp_watch_is_sidecar(const char *name);

/* Takes one inbox file in: stored, recorded, then unlinked from the
 * inbox (with its sidecar). post, when not NULL, is the sighting of the
 * post that names it as an attachment (its metadata, group and password
 * are the item's; name is ignored). */
void lp_watch_take_in(struct watch *w, const char *inbox, const char *name,
                      const struct lp_cases_sighting *post);

/* Takes in every item of one inbox: its posts files first, then the
 * rest, each in the order of their names. */
void lp_watch_take_inbox(struct watch *w, const char *inbox);

#endif
