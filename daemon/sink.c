/* SPDX-License-Identifier: Apache-2.0
 *
 * sink.c: the dispatch of the alert sinks (sink.h): the form of each
 * --alert argument, the sinks' flags, and the delivery run of one sink,
 * skipped when an earlier run disabled it (a webhook's 410 Gone).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cases.h"
#include "daemon.h"
#include "misp.h"
#include "sink.h"
#include "banned.h" /* a list of poisoned names: defines nothing */

int lp_sink_option(struct lp_sink_options *o, const char *flag, const char *arg)
{
    if (!strcmp(flag, "webhook-secret-file")) {
        o->webhook_secret_file = arg;
        return 0;
    }
    char *end = NULL;
    errno = 0;
    double v = strtod(arg, &end);
    int bad = errno || end == arg || *end || !(v > 0) || v > 86400;
    if (!strcmp(flag, "webhook-tries")) {
        if (bad || v != (unsigned)v || v > 100) {
            lp_daemon_error("watch: --%s '%s': not a number of tries from "
                            "1 to 100",
                            flag, arg);
            return -1;
        }
        o->webhook_tries = (unsigned)v;
        return 0;
    }
    if (bad) {
        lp_daemon_error("watch: --%s '%s': not a number of seconds "
                        "(more than 0, at most 86400)",
                        flag, arg);
        return -1;
    }
    if (!strcmp(flag, "webhook-timeout"))
        o->webhook_timeout = v;
    else if (!strcmp(flag, "webhook-max-delay"))
        o->webhook_max_delay = v;
    else if (!strcmp(flag, "syslog-timeout"))
        o->syslog_timeout = v;
    else if (!strcmp(flag, "exec-timeout"))
        o->exec_timeout = v;
    else
        return -1;
    return 0;
}

/* "udp://HOST:PORT" and the like: whether where has that form. */
static int is_endpoint(const char *where)
{
    if (strncmp(where, "udp://", 6) && strncmp(where, "tcp://", 6))
        return 0;
    const char *host = where + 6, *colon = strrchr(host, ':');
    if (!colon || colon == host || !colon[1])
        return 0;
    char *end = NULL;
    long port = strtol(colon + 1, &end, 10);
    return !*end && port > 0 && port < 65536;
}

int lp_sink_check(const char *spec)
{
    const char *why = NULL;
    if (!strncmp(spec, "jsonl:", 6))
        why = spec[6] ? NULL : "jsonl: needs a path";
    else if (!strncmp(spec, "webhook:", 8))
        why =
            strncmp(spec + 8, "http://", 7) && strncmp(spec + 8, "https://", 8)
                ? "webhook: needs an http:// or https:// URL"
                : NULL;
    else if (!strcmp(spec, "syslog"))
        why = NULL;
    else if (!strncmp(spec, "syslog:", 7))
        why = is_endpoint(spec + 7) ||
                      (!strncmp(spec + 7, "unix://", 7) && spec[14] == '/')
                  ? NULL
                  : "syslog: takes udp://HOST:PORT, tcp://HOST:PORT or "
                    "unix:///PATH";
    else if (!strncmp(spec, "exec:", 5))
        why = spec[5] ? NULL : "exec: needs a command";
    else if (!strncmp(spec, "misp:", 5))
        why = spec[5] ? NULL : "misp: needs a directory";
    else
        why = "unknown sink (jsonl:PATH, webhook:URL, syslog, "
              "syslog:udp://HOST:PORT, syslog:tcp://HOST:PORT, exec:CMD, "
              "misp:DIR)";
    if (!why)
        return 0;
    lp_daemon_error("'%s': %s", spec, why);
    return -1;
}

int lp_sink_ready(const char *spec, const struct lp_sink_options *o)
{
    if (strncmp(spec, "webhook:", 8))
        return 0;
    unsigned char key[256];
    size_t len = 0;
    int r = lp_sink_webhook_secret(o, key, sizeof key, &len);
    memset(key, 0, sizeof key);
    return r;
}

int lp_sink_deliver(struct lp_cases *c, const char *spec,
                    const struct lp_sink_options *o)
{
    int off = lp_cases_sink_disabled(c, spec);
    if (off < 0) {
        lp_daemon_error("%s", lp_cases_errmsg(c));
        return -1;
    }
    if (off)
        return 0; // said once, when it was disabled; `cases status` shows it
    if (!strncmp(spec, "webhook:", 8))
        return lp_sink_webhook(c, spec, spec + 8, o);
    if (!strncmp(spec, "syslog", 6))
        return lp_sink_syslog(c, spec, spec[6] ? spec + 7 : "unix:///dev/log",
                              o);
    if (!strncmp(spec, "exec:", 5))
        return lp_sink_exec(c, spec, spec + 5, o);
    if (!strncmp(spec, "misp:", 5))
        return lp_sink_misp(c, spec, spec + 5);
    lp_daemon_error("'%s': unknown sink", spec);
    return -1;
}

int lp_sink_misp(struct lp_cases *c, const char *spec, const char *dir)
{
    /* Once per delivery pass: the events of the cases whose alerts wait
     * (and of those changed since) are written, manifest.json and
     * hashes.csv updated; then those alerts are marked delivered. A crash
     * between the two writes the same events again. */
    json_t *waiting = lp_cases_undelivered(c, spec);
    if (!waiting) {
        lp_daemon_error("%s", lp_cases_errmsg(c));
        return -1;
    }
    /* a case can change without an alert (a near-duplicate joins it, an
     * item is seen again): a feed written before is brought up to date */
    int rc = 0;
    char manifest[4200];
    struct stat st;
    snprintf(manifest, sizeof manifest, "%s/manifest.json", dir);
    if (json_array_size(waiting) > 0 || stat(manifest, &st) == 0)
        rc = lp_misp_update(c, spec, dir, "leakprint", waiting);
    size_t i;
    json_t *a;
    json_array_foreach(waiting, i, a) {
        if (rc)
            break;
        if (lp_cases_mark_delivered(
                c, spec, json_string_value(json_object_get(a, "id")), NULL)) {
            lp_daemon_error("%s", lp_cases_errmsg(c));
            rc = -1;
        }
    }
    json_decref(waiting);
    return rc;
}

void lp_sink_sleep(double s)
{
    if (!(s > 0))
        return;
    struct timespec ts = {.tv_sec = (time_t)s,
                          .tv_nsec = (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}
