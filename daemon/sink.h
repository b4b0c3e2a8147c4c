/* SPDX-License-Identifier: Apache-2.0
 *
 * sink.h: the alert sinks of `leakprint watch` other than jsonl:PATH
 * (which cmd_watch.c writes itself): webhook:URL (sink_webhook.c),
 * syslog[:udp|tcp|unix://...] (sink_syslog.c) and exec:CMD
 * (sink_exec.c) and misp:DIR (sink.c, misp.h), behind one dispatch
 * (sink.c).
 *
 * A sink is named by its --alert argument, which is also its name in the
 * case database. Each delivery run hands it, through lp_cases_deliver(),
 * the alerts of the outbox it has not had, oldest first; the first alert
 * it cannot deliver stops the run for that sink, so that the order holds
 * and the rest waits for the next run. Problems are one line on stderr.
 */
#ifndef LP_DAEMON_SINK_H
#define LP_DAEMON_SINK_H

#include <stddef.h>

#include "cases.h"

/* The sinks' settings: each has a default (LP_SINK_OPTIONS_INIT) and a
 * flag of watch. */
struct lp_sink_options {
    const char *webhook_secret_file; /* --webhook-secret-file, or NULL */
    double webhook_timeout;          /* --webhook-timeout, seconds: 15 */
    unsigned webhook_tries;          /* --webhook-tries per alert and run: 5 */
    double webhook_max_delay;        /* --webhook-max-delay, seconds: 60 */
    double syslog_timeout;           /* --syslog-timeout, seconds: 10 */
    double exec_timeout;             /* --exec-timeout, seconds: 30 */
};

#define LP_SINK_OPTIONS_INIT                                                   \
    {                                                                          \
        NULL, 15, 5, 60, 10, 30                                                \
    }

/* Sets the option of flag `flag` ("webhook-timeout", ...; without the
 * dashes) from arg: 0, or -1 after naming the problem. */
int lp_sink_option(struct lp_sink_options *o, const char *flag,
                   const char *arg);

/* Checks the form of an --alert argument (jsonl: included): 0, or -1
 * after naming the problem. */
int lp_sink_check(const char *spec);

/* Checks what a sink needs before items are processed (a webhook's
 * secret): 0, or -1 after naming the problem. */
int lp_sink_ready(const char *spec, const struct lp_sink_options *o);

/* Delivers to sink spec (not jsonl:) every alert of c's outbox it has not
 * had. 0 when none is left (or the sink was disabled by an earlier run),
 * -1 after one line on stderr per problem. */
int lp_sink_deliver(struct lp_cases *c, const char *spec,
                    const struct lp_sink_options *o);

/* The sinks' own delivery runs, called by lp_sink_deliver() with the part
 * of spec after the kind's prefix; same return as lp_sink_deliver(). */
int lp_sink_webhook(struct lp_cases *c, const char *spec, const char *url,
                    const struct lp_sink_options *o);
int lp_sink_syslog(struct lp_cases *c, const char *spec, const char *where,
                   const struct lp_sink_options *o);
int lp_sink_exec(struct lp_cases *c, const char *spec, const char *cmd,
                 const struct lp_sink_options *o);
/* misp:DIR (misp.h): the MISP feed of every case written into dir when
 * an alert has not been in it yet, then those alerts marked delivered. */
int lp_sink_misp(struct lp_cases *c, const char *spec, const char *dir);

/* The webhook secret (--webhook-secret-file, else
 * $LEAKPRINT_WEBHOOK_SECRET; "whsec_" then base64) decoded into key (cap
 * bytes) with its length in *len: 0, or -1 after naming the problem
 * (never the value). */
int lp_sink_webhook_secret(const struct lp_sink_options *o, unsigned char *key,
                           size_t cap, size_t *len);

/* Sleeps s seconds (s <= 0: not at all). */
void lp_sink_sleep(double s);

#endif
