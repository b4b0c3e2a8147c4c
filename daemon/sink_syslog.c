/* SPDX-License-Identifier: Apache-2.0
 *
 * sink_syslog.c: `--alert syslog` (the local socket /dev/log),
 * `syslog:unix:///PATH`, `syslog:udp://HOST:PORT` and
 * `syslog:tcp://HOST:PORT`. Each alert is one RFC 5424 message:
 *   <PRI>1 TIME HOST leakprint PID alert [leakprint@32473 case="N"
 *   kind="K" severity="S" id="ID" name="ITEM"] SUMMARY
 * TIME is the alert's time, PRI facility user (1) times 8 plus the
 * severity: critical 2 (crit), high 3 (err), medium 4 (warning), low 5
 * (notice). In parameter values '"', '\' and ']' are escaped with '\'
 * (RFC 5424 6.3.3); control characters become spaces, there and in the
 * summary. A datagram holds one message; TCP frames each with its length
 * and a space (octet counting, RFC 6587 3.4.1). A message sent is
 * delivered: syslog has no acknowledgement.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <jansson.h>

#include "cases.h"
#include "daemon.h"
#include "sink.h"
#include "banned.h" /* a list of poisoned names: defines nothing */

/* The facility of every message: user-level (RFC 5424 6.2.1). */
#define SYSLOG_FACILITY 1

struct out {
    char *buf;
    size_t len, cap;
    int bad;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->bad)
        return;
    if (o->len + n + 1 > o->cap) {
        size_t cap = (o->len + n + 1) * 2;
        char *p = realloc(o->buf, cap);
        if (!p) {
            o->bad = 1;
            return;
        }
        o->buf = p;
        o->cap = cap;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

static void put_str(struct out *o, const char *s)
{
    put(o, s, strlen(s));
}

/* s with control characters as spaces and, when param, '"', '\' and ']'
 * escaped. */
static void put_text(struct out *o, const char *s, int param)
{
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (param && (ch == '"' || ch == '\\' || ch == ']'))
            put(o, "\\", 1);
        put(o, ch < 0x20 || ch == 0x7f ? " " : s, 1);
    }
}

static int severity_code(const char *s)
{
    static const char *const names[] = {"critical", "high", "medium", "low"};
    for (int i = 0; i < 4; i++)
        if (s && !strcmp(s, names[i]))
            return 2 + i;
    return 5;
}

/* The RFC 5424 message of an alert (caller frees), or NULL. */
static char *format(const char *json)
{
    json_t *a = json_loads(json, 0, NULL);
    if (!a)
        return NULL;
    const char *sev = json_string_value(json_object_get(a, "severity"));
    const char *time = json_string_value(json_object_get(a, "time"));
    char host[256] = "", head[512], num[32];
    if (gethostname(host, sizeof host - 1) < 0 || !host[0])
        snprintf(host, sizeof host, "-");
    for (char *p = host; *p; p++)
        if (*p <= ' ' || *p > '~')
            *p = '-';
    snprintf(head, sizeof head, "<%d>1 %s %s leakprint %ld alert ",
             SYSLOG_FACILITY * 8 + severity_code(sev), time ? time : "-", host,
             (long)getpid());
    snprintf(num, sizeof num, "%lld",
             (long long)json_integer_value(json_object_get(a, "case")));
    struct out o = {0};
    put_str(&o, head);
    put_str(&o, "[leakprint@32473 case=\"");
    put_str(&o, num);
    static const char *const keys[] = {"kind", "severity", "id"};
    for (int i = 0; i < 3; i++) {
        put_str(&o, "\" ");
        put_str(&o, keys[i]);
        put_str(&o, "=\"");
        put_text(&o, json_string_value(json_object_get(a, keys[i])), 1);
    }
    put_str(&o, "\" name=\"");
    put_text(
        &o,
        json_string_value(json_object_get(json_object_get(a, "item"), "name")),
        1);
    put_str(&o, "\"] ");
    put_text(&o, json_string_value(json_object_get(a, "summary")), 0);
    json_decref(a);
    if (o.bad) {
        free(o.buf);
        return NULL;
    }
    return o.buf;
}

struct dest {
    const char *spec, *where;
    const struct lp_sink_options *o;
    int fd, stream;
};

/* Connects fd to addr within the timeout: 0, or -1 with errno. */
static int connect_within(int fd, const struct sockaddr *addr, socklen_t len,
                          double timeout)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return -1;
    if (connect(fd, addr, len) < 0) {
        if (errno != EINPROGRESS)
            return -1;
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        int n = poll(&p, 1, (int)(timeout * 1000));
        if (n <= 0) {
            errno = n == 0 ? ETIMEDOUT : errno;
            return -1;
        }
        int e = 0;
        socklen_t el = sizeof e;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0)
            return -1;
        if (e) {
            errno = e;
            return -1;
        }
    }
    if (fcntl(fd, F_SETFL, fl) < 0)
        return -1;
    struct timeval tv = {
        .tv_sec = (time_t)timeout,
        .tv_usec = (suseconds_t)((timeout - (double)(time_t)timeout) * 1e6)};
    return setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

/* Opens d->fd: 0, or -1 after naming the problem. */
static int open_dest(struct dest *d)
{
    if (!strncmp(d->where, "unix://", 7)) {
        struct sockaddr_un un = {.sun_family = AF_UNIX};
        const char *path = d->where + 7;
        if (strlen(path) >= sizeof un.sun_path) {
            lp_daemon_error("'%s': path too long", d->spec);
            return -1;
        }
        memcpy(un.sun_path, path, strlen(path) + 1);
        d->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (d->fd < 0 || connect_within(d->fd, (struct sockaddr *)&un,
                                        sizeof un, d->o->syslog_timeout) < 0) {
            lp_daemon_error("'%s': cannot connect to '%s': %s", d->spec, path,
                            lp_daemon_strerror(errno));
            return -1;
        }
        return 0;
    }
    d->stream = !strncmp(d->where, "tcp://", 6);
    char host[256];
    const char *h = d->where + 6, *colon = strrchr(h, ':');
    size_t hl = (size_t)(colon - h);
    if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') { // [v6]:port
        h++;
        hl -= 2;
    }
    if (hl >= sizeof host) {
        lp_daemon_error("'%s': host name too long", d->spec);
        return -1;
    }
    memcpy(host, h, hl);
    host[hl] = '\0';
    struct addrinfo hints = {.ai_socktype =
                                 d->stream ? SOCK_STREAM : SOCK_DGRAM},
                    *ai = NULL;
    int rc = getaddrinfo(host, colon + 1, &hints, &ai);
    if (rc) {
        lp_daemon_error("'%s': cannot resolve '%s': %s", d->spec, host,
                        gai_strerror(rc));
        return -1;
    }
    int e = 0;
    for (struct addrinfo *p = ai; p; p = p->ai_next) {
        d->fd =
            socket(p->ai_family, p->ai_socktype | SOCK_CLOEXEC, p->ai_protocol);
        if (d->fd >= 0 && connect_within(d->fd, p->ai_addr, p->ai_addrlen,
                                         d->o->syslog_timeout) == 0)
            break;
        e = errno;
        if (d->fd >= 0)
            close(d->fd);
        d->fd = -1;
    }
    freeaddrinfo(ai);
    if (d->fd < 0) {
        lp_daemon_error("'%s': cannot connect: %s", d->spec,
                        lp_daemon_strerror(e));
        return -1;
    }
    return 0;
}

/* Sends one alert (the callback of lp_cases_deliver()): 0 once sent. */
static int send_alert(void *ctx, const char *id, const char *json)
{
    struct dest *d = ctx;
    char *msg = format(json);
    if (!msg) {
        lp_daemon_error("'%s': alert %s: out of memory or not JSON", d->spec,
                        id);
        return -1;
    }
    if (d->fd < 0 && open_dest(d) < 0) {
        free(msg);
        return -1;
    }
    struct out o = {0};
    char len[32];
    if (d->stream) {
        snprintf(len, sizeof len, "%zu ", strlen(msg));
        put_str(&o, len);
    }
    put_str(&o, msg);
    free(msg);
    if (o.bad) {
        lp_daemon_error("'%s': out of memory", d->spec);
        return -1;
    }
    size_t done = 0;
    while (done < o.len) {
        ssize_t n = send(d->fd, o.buf + done, o.len - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || (!d->stream && (size_t)n != o.len)) {
            lp_daemon_error("'%s': cannot send alert %s: %s", d->spec, id,
                            lp_daemon_strerror(n < 0 ? errno : EMSGSIZE));
            free(o.buf);
            return -1;
        }
        done += (size_t)n;
    }
    free(o.buf);
    return 0;
}

int lp_sink_syslog(struct lp_cases *c, const char *spec, const char *where,
                   const struct lp_sink_options *o)
{
    struct dest d = {.spec = spec, .where = where, .o = o, .fd = -1};
    lp_err err = lp_cases_deliver(c, spec, send_alert, &d);
    if (err && err != LP_EABORTED)
        lp_daemon_error("%s", lp_cases_errmsg(c));
    if (d.fd >= 0)
        close(d.fd);
    return err ? -1 : 0;
}
