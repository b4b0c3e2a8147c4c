/* SPDX-License-Identifier: Apache-2.0
 *
 * daemon.h: the entry points of `leakprint watch` and `leakprint cases`
 * (a program on the public API, like cli/), called by cli/main.c's
 * command table, and the helpers they share. --help is answered by
 * cli/main.c before these run.
 */
#ifndef LP_DAEMON_H
#define LP_DAEMON_H

#include <getopt.h>

#include "../front/front.h" /* shared with cli/ */

/* `leakprint [--db DIR] watch ...`: db_path is the registry (--db,
 * $LEAKPRINT_DB or the default). Exit status 0, or 2 after one line on
 * stderr per problem. */
int cmd_watch(int argc, char **argv, const char *db_path);

/* `leakprint [--db DIR] cases [--cases FILE] list|show|set|status|retro|
 * export ...`: db_path is the registry retro scans against. */
int cmd_cases(int argc, char **argv, const char *db_path);

/* `cases retro`: every item the case database cases_path holds that is
 * done, scanned again now against the registry db_path (what watch does
 * with a queued item; the alerts go into the outbox, for watch to
 * deliver), its count on stdout. Exit status 0, or 2 after one line on
 * stderr per problem. */
int lp_watch_retro(const char *db_path, const char *cases_path);

/* Prints "leakprint: <msg>" on stderr (one line): front/'s, as cli/ does. */
#define lp_daemon_error lp_front_error

/* getopt_long(3) for command cmd that names a bad option in one line
 * ("cmd: unknown option '--x' (see leakprint cmd --help)") and returns
 * '?' for it. */
int lp_daemon_getopt(int argc, char **argv, const char *shorts,
                     const struct option *opts, const char *cmd);

/* The case database's path: arg (--cases), else $LEAKPRINT_CASES, else
 * "./leakprint-cases.db" (borrowed). */
const char *lp_daemon_cases_path(const char *arg);

/* strerror(e) starting in lower case (the thread's buffer). */
const char *lp_daemon_strerror(int e);

#endif
