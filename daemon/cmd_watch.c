/* SPDX-License-Identifier: Apache-2.0
 *
 * cmd_watch: `leakprint [--db DIR] watch --inbox DIR [--inbox DIR]...
 * [--cases FILE] [--alert SINK]... [sink flags] [-j N] --once`, and
 * `cases retro`; the sinks other than jsonl:PATH are sink.h's.
 *
 * The items of the inboxes are taken in by intake.c. Then every queued
 * item is scanned as `scan --secrets` would (-j N workers at once, each
 * scan outside the lock that guards the case database and the sinks)
 * and marked done; lp_cases_done() files it into its case and writes its
 * alerts (leak, scope-grew, secret, retro) into the outbox in that same
 * transaction. Last, each sink gets the alerts it has not had.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "leakprint.h"
#include "cases.h"
#include "daemon.h"
#include "sink.h"
#include "claim.h"
#include "watch.h"
#include "banned.h" /* a list of poisoned names: defines nothing */

/* Reads the signals that came (the daemon blocks them and reads them
 * from its signalfd: no work in a handler); whether to stop. */
bool lp_watch_stopping(struct watch *w)
{
    struct signalfd_siginfo si;
    while (w->sigfd >= 0 && read(w->sigfd, &si, sizeof si) == sizeof si) {
        if (si.ssi_signo == SIGHUP)
            w->reload = true; /* done between two passes */
        else
            w->stop = true;
    }
    return w->stop;
}

static int add_arg(const char ***v, size_t *n, const char *arg)
{
    const char **p = realloc(*v, (*n + 1) * sizeof **v);
    if (!p)
        return -1;
    *v = p;
    p[(*n)++] = arg;
    return 0;
}

static int parse(int argc, char **argv, struct watch *w)
{
    static const struct option opts[] = {
        {"inbox", required_argument, NULL, 'i'},
        {"cases", required_argument, NULL, 'c'},
        {"alert", required_argument, NULL, 'a'},
        {"once", no_argument, NULL, '1'},
        {"webhook-secret-file", required_argument, NULL, 'S'},
        {"webhook-timeout", required_argument, NULL, 'T'},
        {"webhook-tries", required_argument, NULL, 'R'},
        {"webhook-max-delay", required_argument, NULL, 'D'},
        {"syslog-timeout", required_argument, NULL, 'Y'},
        {"exec-timeout", required_argument, NULL, 'E'},
        {"max-attempts", required_argument, NULL, 'm'},
        {"jobs", required_argument, NULL, 'j'},
        {"terms", required_argument, NULL, 't'},
        {"list-terms", no_argument, NULL, 'L'},
        {NULL, 0, NULL, 0},
    };
    int o;
    optind = 0;
    while ((o = lp_daemon_getopt(argc, argv, "j:", opts, "watch")) != -1) {
        switch (o) {
        case 'i':
            if (add_arg(&w->inboxes, &w->ninboxes, optarg) < 0)
                goto nomem;
            break;
        case 'a':
            if (lp_sink_check(optarg) < 0)
                return -1;
            if (add_arg(&w->sinks, &w->nsinks, optarg) < 0)
                goto nomem;
            break;
        case 'c': w->cases_arg = optarg; break;
        case 't': w->terms_path = optarg; break;
        case 'L': w->list_terms = true; break;
        case '1': w->once = true; break;
        case 'S':
        case 'T':
        case 'R':
        case 'D':
        case 'Y':
        case 'E':
            for (const struct option *p = opts; p->name; p++)
                if (p->val == o &&
                    lp_sink_option(&w->sink_opt, p->name, optarg) < 0)
                    return -1;
            break;
        case 'j': {
            char *end = NULL;
            errno = 0;
            w->jobs = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || w->jobs < 1 ||
                w->jobs > WATCH_MAX_JOBS) {
                lp_daemon_error("'%s': invalid value for -j (a number from "
                                "1 to %d)", optarg, WATCH_MAX_JOBS);
                return -1;
            }
            break;
        }
        case 'm': {
            char *end = NULL;
            errno = 0;
            w->max_attempts = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || w->max_attempts < 1 ||
                w->max_attempts > 1000000000) {
                lp_daemon_error("'%s': invalid value for --max-attempts (a "
                                "number from 1)", optarg);
                return -1;
            }
            break;
        }
        default: return -1;
        }
    }
    if (optind < argc) {
        lp_daemon_error("watch: unexpected argument '%s' (see leakprint "
                        "watch --help)", argv[optind]);
        return -1;
    }
    if (!w->ninboxes && !w->list_terms) {
        lp_daemon_error("watch: no --inbox given (see leakprint watch "
                        "--help)");
        return -1;
    }
    for (size_t i = 0; i < w->nsinks; i++)
        if (lp_sink_ready(w->sinks[i], &w->sink_opt) < 0)
            return -1;
    return 0;
nomem:
    lp_daemon_error("watch: out of memory");
    return -1;
}

/* The severity of a term watch derives from the registry, by its kind:
 * an internal host name or an identifier distinctive of the protected
 * code in a post is strong evidence (high); the organisation's domain is
 * named by much that is no leak (medium); a collection's name may be a
 * common word (low: named in alerts, enough for a sale claim, never an
 * alert alone). */
static enum lp_terms_severity derived_severity(int kind)
{
    switch (kind) {
    case LP_TERM_HOST:
    case LP_TERM_IDENT: return LP_TERMS_HIGH;
    case LP_TERM_DOMAIN: return LP_TERMS_MEDIUM;
    default: return LP_TERMS_LOW;
    }
}

/* lp_registry_terms()'s callback: the term added to the set. */
static int add_derived(void *ctx, const struct lp_term_info *ti)
{
    struct lp_terms *t = ctx;
    enum lp_terms_kind kind = ti->kind == LP_TERM_COLLECTION ? LP_TERMS_COLLECTION
                              : ti->kind == LP_TERM_DOMAIN   ? LP_TERMS_DOMAIN
                              : ti->kind == LP_TERM_HOST     ? LP_TERMS_HOST
                                                             : LP_TERMS_IDENT;
    lp_err err = lp_terms_add(t, kind, ti->term, derived_severity(ti->kind));
    /* one that cannot be a term (too long, a NUL) is left out; memory or
     * the limit of terms stops */
    return err == LP_ENOMEM || (err == LP_ELIMIT &&
                                lp_terms_count(t) >= LP_TERMS_MAX);
}

static void lock(struct watch *w)
{
    pthread_mutex_lock(&w->mu);
}

static void unlock(struct watch *w)
{
    pthread_mutex_unlock(&w->mu);
}

/* The watch terms: the file's (--terms) and, unless it says derive:
 * false, those the registry learnt; compiled. NULL with the problem in
 * msg (one line). */
static struct lp_terms *build_terms(struct watch *w, char *msg, size_t len)
{
    struct lp_terms *t = NULL;
    if (w->terms_path) {
        if (lp_terms_load(w->terms_path, &t, msg, len))
            return NULL;
    } else if (!(t = lp_terms_new())) {
        snprintf(msg, len, "watch: out of memory");
        return NULL;
    }
    if (lp_terms_derive(t)) {
        lp_err err = lp_registry_terms(w->reg, 0, add_derived, t);
        if (err == LP_EABORTED)
            snprintf(msg, len, "watch: the registry's terms: %s",
                     lp_terms_errmsg(t));
        else if (err)
            snprintf(msg, len, "%s", lp_registry_errmsg(w->reg));
        if (err) {
            lp_terms_free(t);
            return NULL;
        }
    }
    if (lp_terms_compile(t)) {
        snprintf(msg, len, "%s", lp_terms_errmsg(t));
        lp_terms_free(t);
        return NULL;
    }
    return t;
}

/* The terms when watch starts: the file read and its own terms compiled
 * (so that a bad file stops watch before it takes anything in), the set
 * with the registry's terms built when an item first has a text to match
 * (need_terms(): a run of archives only never builds it). 0, or -1 after
 * naming the problem. */
static int first_terms(struct watch *w)
{
    char msg[1024];
    struct lp_terms *t = NULL;
    if (w->terms_path &&
        (lp_terms_load(w->terms_path, &t, msg, sizeof msg) ||
         lp_terms_compile(t))) {
        lp_daemon_error("%s", t ? lp_terms_errmsg(t) : msg);
        lp_terms_free(t);
        return -1;
    }
    lp_terms_free(t);
    w->terms_built = false;
    return 0;
}

/* The whole set, built at its first use (under w's lock: a worker);
 * NULL when it could not be (named once: the items are judged without
 * terms then). */
static const struct lp_terms *need_terms(struct watch *w)
{
    if (!w->terms_built) {
        char msg[1024];
        w->terms_built = true;
        if (!(w->terms = build_terms(w, msg, sizeof msg))) {
            lp_daemon_error("%s", msg);
            w->trouble = 1;
        }
    }
    return w->terms;
}

/* The terms built again (SIGHUP, or the registry changed), between two
 * passes: the new set replaces the old one, which stays when the new one
 * cannot be built (its problem named, in one line). */
static void reload_terms(struct watch *w, bool say)
{
    char msg[1024];
    struct lp_terms *t = build_terms(w, msg, sizeof msg);
    if (!t) {
        lp_daemon_error("%s (the terms before are kept)", msg);
        w->trouble = 1;
        return;
    }
    lp_terms_free(w->terms);
    w->terms = t;
    w->terms_built = true;
    if (say)
        lp_daemon_error("watch: reloaded");
}

/* How long the daemon waits for an event before it drains anyway (items
 * another process queued: `cases retro`; alerts a sink did not take). */
#define WATCH_IDLE_MS 30000

/* What an alert is made of, for make_alert(). */
struct alert_ctx {
    const char *sha256, *name, *level, *summary;
    double confidence;
    const lp_scan *scan;
    json_t *sighting;   /* the item's first sighting (may be NULL) */
    json_t *terms;      /* the watched terms it names (labels) */
    json_t *signals;    /* a sale claim's signals, or NULL */
    size_t known;       /* the organisation's secrets in it */
};

/* The collections the scan's matches name, once each, in order, and the
 * number of files with a match into *files. */
static json_t *collections(const lp_scan *scan, size_t *files)
{
    json_t *out = json_array();
    *files = 0;
    for (size_t i = 0; out && i < lp_scan_file_count(scan); i++) {
        struct lp_file_info fi;
        lp_file_get(lp_scan_file(scan, i), &fi);
        *files += fi.matches > 0;
        for (size_t m = 0; m < fi.matches; m++) {
            struct lp_match_info mi;
            if (lp_file_match(lp_scan_file(scan, i), m, &mi))
                continue;
            bool seen = false;
            size_t k;
            json_t *v;
            json_array_foreach(out, k, v) seen |=
                !strcmp(json_string_value(v), mi.collection);
            if (!seen && json_array_append_new(out,
                                               json_string(mi.collection))) {
                json_decref(out);
                return NULL;
            }
        }
    }
    return out;
}

/* The strings of a JSON array joined with ", " into buf. */
static void join(const json_t *a, char *buf, size_t len)
{
    size_t k;
    json_t *v;
    buf[0] = '\0';
    json_array_foreach(a, k, v)
    {
        size_t n = strlen(buf);
        snprintf(buf + n, len - n, "%s%s", k ? ", " : "",
                 json_string_value(v));
    }
}

/* vsnprintf into buf: a summary longer than len is cut (it names the
 * case, the item and the source; its end may go). */
__attribute__((format(printf, 3, 4))) static void cut(char *buf, size_t len,
                                                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

/* The one-line summary of an alert of kind, into buf. */
static void alert_summary(const struct alert_ctx *a, const char *kind,
                          int64_t case_id, size_t new_files,
                          const json_t *cols, size_t files, char *buf,
                          size_t len)
{
    const char *source =
        json_string_value(json_object_get(a->sighting, "source"));
    char names[512], terms[512], from[300] = "";
    join(cols, names, sizeof names);
    join(a->terms, terms, sizeof terms);
    char *clean = lp_cases_utf8(a->name);
    const char *item = clean ? clean : "?";
    if (source)
        snprintf(from, sizeof from, " from %s", source);
    if (!strcmp(kind, "scope-grew"))
        /* "scope of case 3 grew: 5 more files of core in b.zip from x" */
        cut(buf, len, "scope of case %" PRId64 " grew: %zu more "
                 "file%s of %s in %s%s", case_id, new_files,
                 new_files == 1 ? "" : "s", names, item, from);
    else if (!strcmp(kind, "secret"))
        cut(buf, len, "%zu of the organisation's secrets in %s%s",
                 a->known, item, from);
    else if (!strcmp(kind, "term"))
        cut(buf, len, "watched term%s %s in %s%s",
                 json_array_size(a->terms) == 1 ? "" : "s", terms, item,
                 from);
    else if (!strcmp(kind, "sale-claim")) {
        char sig[256];
        join(a->signals, sig, sizeof sig);
        cut(buf, len, "sale claim naming %s%s%s in %s%s (%s)", names,
                 *names && *terms ? ", " : "", terms, item, from, sig);
    } else
        /* "confirmed leak of core, net (12 files) in dump.7z from x" */
        cut(buf, len, "%s%s leak of %s (%zu file%s) in %s%s",
                 strcmp(kind, "retro") ? "" : "re-check: ", a->level, names,
                 files, files == 1 ? "" : "s", item, from);
    free(clean);
}

static char *make_alert(void *ctx, int64_t case_id, const char *id,
                        const char *kind, const char *severity,
                        size_t new_files)
{
    struct alert_ctx *a = ctx;
    char now[32], summary[1400];
    size_t files = 0;
    lp_cases_now(now);
    json_t *cols = collections(a->scan, &files);
    if (!cols)
        return NULL;
    alert_summary(a, kind, case_id, new_files, cols, files, summary,
                  sizeof summary);
    const char *source =
        json_string_value(json_object_get(a->sighting, "source"));
    const char *url = json_string_value(json_object_get(a->sighting, "url"));
    char *name = lp_cases_utf8(a->name); // the alert is JSON: UTF-8
    if (!name) {
        json_decref(cols);
        return NULL;
    }
    json_t *alert = json_pack(
        "{s:s, s:s, s:s, s:s, s:I, s:{s:s, s:s, s:s?, s:s?},"
        " s:{s:s, s:f, s:s}, s:o, s:I, s:O, s:s}",
        "id", id, "time", now, "kind", kind, "severity", severity, "case",
        (json_int_t)case_id, "item", "sha256", a->sha256, "name", name,
        "source", source, "url", url, "verdict", "level", a->level,
        "confidence", a->confidence, "summary", a->summary, "collections",
        cols, "secrets", (json_int_t)lp_scan_secrets(a->scan), "terms",
        a->terms, "summary", summary);
    free(name);
    if (alert && !strcmp(kind, "scope-grew") &&
        json_object_set_new(alert, "new_files", json_integer((json_int_t)
                                                             new_files))) {
        json_decref(alert);
        return NULL;
    }
    if (alert && a->signals && !strcmp(kind, "sale-claim") &&
        json_object_set(alert, "signals", a->signals)) {
        json_decref(alert);
        return NULL;
    }
    if (!alert)
        return NULL;
    char *s = json_dumps(alert, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(alert);
    /* jansson's string is its allocator's: the caller frees with free() */
    char *out = s ? strdup(s) : NULL;
    json_free_t jfree;
    json_get_alloc_funcs(NULL, &jfree);
    if (s)
        jfree(s);
    return out;
}

static const char *const level_names[] = {"none", "unlikely", "likely",
                                          "confirmed"};

static void on_skip(void *ctx, const char *path, const char *reason)
{
    (void)ctx;
    lp_daemon_error("warning: '%s': %s", path, reason);
}

static int deliver(struct watch *w);

/* Quarantines an item (never retried) with its reason, in one line. */
static void quarantine(struct watch *w, const char *sha256, const char *name,
                       const char *why)
{
    char *clean = lp_cases_utf8(name);
    char line[1400];
    snprintf(line, sizeof line, "'%s': quarantined: %s", clean ? clean : name,
             why);
    free(clean);
    lp_daemon_error("%s", line);
    lp_cases_note_error(w->cases, line);
    w->trouble = 1;
    if (lp_cases_quarantine(w->cases, sha256, why))
        lp_daemon_error("%s", lp_cases_errmsg(w->cases));
}

/* The attempt number n at an item failed for why: quarantined when it
 * was the last one allowed, else why recorded and the item left queued
 * for the next pass. */
static void failed(struct watch *w, const char *sha256, const char *name,
                   long n, const char *why)
{
    if (n >= w->max_attempts) {
        quarantine(w, sha256, name, why);
        return;
    }
    lp_daemon_error("%s", why);
    lp_cases_note_error(w->cases, why);
    w->trouble = 1;
    if (lp_cases_attempt_failed(w->cases, sha256, why))
        lp_daemon_error("%s", lp_cases_errmsg(w->cases));
}

/* Most archive passwords tried for one item (those its sightings gave). */
#define WATCH_MAX_PASSWORDS 16

/* The protected files a scan shows (each file's best match), as
 * parallel arrays of borrowed strings (valid while scan is); *n of them.
 * -1 when out of memory. */
static int shown_files(const lp_scan *scan, const char ***cols,
                       const char ***assets, size_t *n)
{
    size_t count = lp_scan_file_count(scan);
    *n = 0;
    *cols = calloc(count ? count : 1, sizeof **cols);
    *assets = calloc(count ? count : 1, sizeof **assets);
    if (!*cols || !*assets)
        return -1;
    for (size_t i = 0; i < count; i++) {
        struct lp_match_info mi;
        if (lp_file_match(lp_scan_file(scan, i), 0, &mi) == LP_OK) {
            (*cols)[*n] = mi.collection;
            (*assets)[(*n)++] = mi.asset;
        }
    }
    return 0;
}

/* The organisation's secrets (known to the registry) a scan found. */
static size_t known_secrets(const lp_scan *scan)
{
    size_t n = 0;
    for (size_t i = 0; i < lp_scan_file_count(scan); i++) {
        const lp_file *f = lp_scan_file(scan, i);
        struct lp_secret_info si;
        for (size_t k = 0; lp_file_secret(f, k, &si) == LP_OK; k++)
            n += si.known != 0;
    }
    return n;
}

/* The item's text for the watch terms and the sale-claim score, to
 * free(): the title its first sighting gave, a line feed, then its
 * content when it is one text (a paste, a post; not an archive, a
 * document or a binary), at most WATCH_MAX_TERM_TEXT bytes of it. NULL
 * when it has neither (or memory lacks). */
static char *item_text(const lp_scan *scan, const char *name,
                       const char *path, json_t *sighting, size_t *len)
{
    const char *title =
        json_string_value(json_object_get(sighting, "title"));
    size_t tlen = title ? strlen(title) : 0;
    /* the content's bytes read: the scan's size of the one text file
     * (the stored item never changes), at most WATCH_MAX_TERM_TEXT */
    size_t want = 0;
    if (lp_scan_file_count(scan) == 1) {
        struct lp_file_info fi;
        lp_file_get(lp_scan_file(scan, 0), &fi);
        if (!fi.read_failed && !strcmp(fi.path, name) &&
            strcmp(fi.kind, "binary"))
            want = fi.size < WATCH_MAX_TERM_TEXT ? (size_t)fi.size
                                                 : WATCH_MAX_TERM_TEXT;
    }
    char *buf = malloc(tlen + 1 + want + 1);
    if (!buf)
        return NULL;
    memcpy(buf, title ? title : "", tlen);
    buf[tlen] = '\n';
    *len = tlen + 1;
    int fd = want ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    while (fd >= 0 && *len < tlen + 1 + want) {
        ssize_t n = read(fd, buf + *len, tlen + 1 + want - *len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        *len += (size_t)n;
    }
    if (fd >= 0)
        close(fd);
    /* NUL bytes: a binary after all (the scan's kind said text) */
    if (memchr(buf + tlen + 1, '\0', *len - tlen - 1))
        *len = tlen + 1;
    buf[*len] = '\0';
    if (*len == 1) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* What the watch terms and the sale-claim score say of an item: its
 * terms (labels, in a->terms; a->signals for a claim) and the alert they
 * raise, if any, into *kind and *severity: sale-claim for an offer that
 * names a term or is a leak; else term for a term of medium severity or
 * more in an item that is no leak (a leak's own alert names them). */
static void judge_text(struct watch *w, struct lp_terms_scratch *scratch,
                       const char *text, size_t len, bool leak,
                       struct alert_ctx *a, const char **kind,
                       const char **severity)
{
    *kind = NULL;
    struct lp_terms_hits hits;
    lp_terms_hits_init(&hits);
    bool collection = false;
    int top = -1;
    lock(w);
    const struct lp_terms *terms = need_terms(w);
    unlock(w);
    if (terms && scratch &&
        lp_terms_match(terms, scratch, text, len, &hits) == LP_OK)
        for (size_t i = 0; i < hits.n; i++) {
            json_array_append_new(a->terms, json_string(hits.v[i].label));
            collection |= hits.v[i].kind == LP_TERMS_COLLECTION;
            if ((int)hits.v[i].severity > top)
                top = (int)hits.v[i].severity;
        }
    lp_terms_hits_release(&hits);
    struct lp_claim claim;
    lp_claim_score(text, len, &claim);
    if (claim.offer && (json_array_size(a->terms) || leak)) {
        /* an offer naming the protected code (a collection, or a leak
         * attached) is critical; one naming a watched term, high */
        *kind = "sale-claim";
        *severity = collection || leak ? "critical" : "high";
        a->signals = json_array();
        for (size_t i = 0; a->signals && i < claim.nnames; i++)
            json_array_append_new(a->signals, json_string(claim.names[i]));
    } else if (top >= (int)LP_TERMS_MEDIUM && !leak) {
        /* (a leak alerts already, naming its terms) */
        *kind = "term";
        *severity = lp_terms_severity_name((enum lp_terms_severity)top);
    }
}

/* One queued item (lp_cases_queued()'s), for the workers. */
struct queued {
    char *sha256, *name, *path;
    int retro;
};

/* The queued items of one drain() and the next to process. */
struct pool {
    struct watch *w;
    struct queued *items;
    size_t n, next;
};

/* Scans one queued item and records its result; a failure leaves it
 * queued for the next run. Its alerts are delivered at once. Everything
 * but the scan is done under w's lock (one SQLite connection, the
 * sinks), so that -j workers scan at the same time. */
static void process(struct watch *w, const struct queued *q,
                    struct lp_terms_scratch *scratch)
{
    const char *sha256 = q->sha256, *name = q->name, *path = q->path;
    lock(w);
    if (lp_watch_stopping(w)) {
        unlock(w);
        return;
    }
    /* the attempt is counted before the work, so that an item that
     * crashes the process is counted too */
    int before = 0;
    char *last = NULL, why[1024];
    lp_err err = lp_cases_attempt(w->cases, sha256, &before, &last);
    if (err) {
        lp_daemon_error("%s", lp_cases_errmsg(w->cases));
        w->trouble = 1;
        unlock(w);
        return;
    }
    if (before >= w->max_attempts) {
        snprintf(why, sizeof why, "%d attempts did not end%s%s", before,
                 last ? "; the last: " : " (the process died in each)",
                 last ? last : "");
        free(last);
        quarantine(w, sha256, name, why);
        unlock(w);
        return;
    }
    free(last);
    /* the archive passwords it was given, tried in turn */
    struct lp_scan_options opt = w->opt;
    const char *pw[WATCH_MAX_PASSWORDS];
    json_t *pws = lp_cases_passwords(w->cases, sha256);
    json_t *sighting = lp_cases_first_sighting(w->cases, sha256);
    if (!pws) {
        failed(w, sha256, name, before + 1, lp_cases_errmsg(w->cases));
        json_decref(sighting);
        unlock(w);
        return;
    }
    unlock(w);
    for (size_t k = 0; k < json_array_size(pws) && k < WATCH_MAX_PASSWORDS;
         k++)
        pw[opt.input.npasswords++] =
            json_string_value(json_array_get(pws, k));
    opt.input.passwords = opt.input.npasswords ? pw : NULL;
    lp_scan *scan = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, sizeof why, "'%s': cannot read the stored item: %s",
                 path, lp_daemon_strerror(errno));
        err = LP_EIO;
    } else {
        struct lp_target t = {.kind = LP_TARGET_FD, .name = name, .fd = fd};
        err = lp_scan_targets(w->reg, &opt, &t, 1, &scan);
        close(fd);
        if (err)
            snprintf(why, sizeof why, "'%s': %s", name,
                     scan ? lp_scan_errmsg(scan) : lp_strerror(err));
    }
    json_decref(pws);
    if (err) {
        lp_scan_free(scan);
        json_decref(sighting);
        lock(w);
        failed(w, sha256, name, before + 1, why);
        unlock(w);
        return;
    }
    enum lp_level level = lp_scan_level(scan);
    struct alert_ctx a = {
        .sha256 = sha256,
        .name = name,
        .level = level_names[level <= LP_LEVEL_CONFIRMED ? level : 0],
        .summary = lp_scan_summary(scan),
        .confidence = lp_scan_confidence(scan),
        .scan = scan,
        .sighting = sighting,
        .terms = json_array(),
        .known = known_secrets(scan),
    };
    struct lp_cases_result r = {
        .level = a.level,
        .confidence = a.confidence,
        .summary = a.summary,
        .retro = q->retro,
    };
    const char *kinds[3], *sev[3];
    r.kinds = kinds;
    r.severities = sev;
    if (level >= LP_LEVEL_LIKELY)
        r.leak_severity = level == LP_LEVEL_CONFIRMED ? "critical" : "high";
    if (a.known && !q->retro) {
        kinds[r.nkinds] = "secret";
        sev[r.nkinds++] = "critical";
    }
    /* the watch terms and the sale-claim score, on its text (a re-check
     * is about the registry: they were judged when it came) */
    size_t tlen = 0;
    char *text = q->retro || !a.terms
                     ? NULL
                     : item_text(scan, name, path, sighting, &tlen);
    if (text) {
        judge_text(w, scratch, text, tlen, r.leak_severity != NULL, &a,
                   &kinds[r.nkinds], &sev[r.nkinds]);
        r.nkinds += kinds[r.nkinds] != NULL;
        free(text);
    }
    const char **cols = NULL, **assets = NULL;
    size_t alerts = 0;
    lock(w);
    if (!a.terms || shown_files(scan, &cols, &assets, &r.nfiles) < 0) {
        snprintf(why, sizeof why, "'%s': out of memory", name);
        err = LP_ENOMEM;
    } else {
        r.collections = cols;
        r.assets = assets;
        err = lp_cases_done(w->cases, sha256, &r, make_alert, &a, NULL,
                            &alerts);
        if (err)
            snprintf(why, sizeof why, "%s", lp_cases_errmsg(w->cases));
    }
    if (err) {
        lp_daemon_error("%s", why);
        w->trouble = 1;
    } else if (alerts)
        deliver(w);
    unlock(w);
    free(cols);
    free(assets);
    json_decref(a.sighting);
    json_decref(a.terms);
    json_decref(a.signals);
    lp_scan_free(scan);
}

/* lp_cases_queued()'s callback: the item appended to the pool. */
static int enqueue(void *ctx, const char *sha256, const char *name,
                   const char *path, int retro)
{
    struct pool *p = ctx;
    struct queued *items = realloc(p->items, (p->n + 1) * sizeof *items);
    if (!items)
        return 1;
    p->items = items;
    struct queued *q = &items[p->n];
    q->sha256 = strdup(sha256);
    q->name = strdup(name);
    q->path = strdup(path);
    q->retro = retro;
    p->n++;
    return !q->sha256 || !q->name || !q->path;
}

/* A worker: the pool's items, one at a time, until none is left or a
 * signal to stop came. */
static void *worker(void *arg)
{
    struct pool *p = arg;
    /* its own scratch for the terms (NULL when memory lacks: no terms
     * are then looked for, the rest is done) */
    struct lp_terms_scratch *scratch = lp_terms_scratch_new();
    for (;;) {
        lock(p->w);
        size_t i = p->next < p->n && !p->w->stop ? p->next++ : p->n;
        unlock(p->w);
        if (i == p->n)
            break;
        process(p->w, &p->items[i], scratch);
    }
    lp_terms_scratch_free(scratch);
    return NULL;
}

/* Processes every queued item, oldest first, with w->jobs workers. */
static void process_queued(struct watch *w)
{
    struct pool p = {.w = w};
    lp_err err = lp_cases_queued(w->cases, enqueue, &p);
    if (err == LP_EABORTED)
        lp_daemon_error("watch: out of memory");
    else if (err)
        lp_daemon_error("%s", lp_cases_errmsg(w->cases));
    if (err)
        w->trouble = 1;
    pthread_t tid[WATCH_MAX_JOBS];
    size_t started = 0;
    for (long k = 1; k < w->jobs && (size_t)k < p.n; k++)
        if (pthread_create(&tid[started], NULL, worker, &p) == 0)
            started++;
    worker(&p); /* this thread is a worker too */
    for (size_t k = 0; k < started; k++)
        pthread_join(tid[k], NULL);
    for (size_t i = 0; i < p.n; i++) {
        free(p.items[i].sha256);
        free(p.items[i].name);
        free(p.items[i].path);
    }
    free(p.items);
}

/* Appends one alert line to a JSONL sink, fsync'd (the callback of
 * lp_cases_deliver()): 0 once it is on disk. */
static int append_line(void *ctx, const char *id, const char *json)
{
    const char *path = ctx;
    (void)id;
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    FILE *fp = fd >= 0 ? fdopen(fd, "a") : NULL;
    if (!fp) {
        lp_daemon_error("'%s': cannot open the alert sink: %s", path,
                        lp_daemon_strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    int r = fprintf(fp, "%s\n", json) < 0 || fflush(fp) != 0 ||
                    fsync(fd) != 0
                ? -1
                : 0;
    int e = errno;
    if (fclose(fp) != 0 && !r) {
        r = -1;
        e = errno;
    }
    if (r)
        lp_daemon_error("'%s': cannot write the alert: %s", path,
                        lp_daemon_strerror(e));
    return r;
}

/* The JSONL sink path after a crash: a torn last line (never marked
 * delivered: the mark comes after the fsync) is cut off, and the alert of
 * the last whole line is marked delivered if it was not (a crash came
 * between its fsync and its mark), so that no id is written twice. Only
 * the last line can be so: alerts are written one at a time, each marked
 * before the next. 0, or -1 after naming the problem. */
static int sink_recover(struct watch *w, const char *sink)
{
    const char *path = sink + 6;
    enum { TAIL = 1 << 20 };
    int fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 && errno == ENOENT)
        return 0;
    if (fd < 0) {
        lp_daemon_error("'%s': cannot open the alert sink: %s", path,
                        lp_daemon_strerror(errno));
        return -1;
    }
    struct stat st;
    char *buf = NULL;
    int r = -1;
    if (fstat(fd, &st) != 0)
        goto out;
    if (!S_ISREG(st.st_mode) || st.st_size == 0) {
        r = 0;
        goto out;
    }
    off_t from = st.st_size > TAIL ? st.st_size - TAIL : 0;
    size_t len = (size_t)(st.st_size - from);
    if (!(buf = malloc(len + 1))) {
        errno = ENOMEM;
        goto out;
    }
    if (pread(fd, buf, len, from) != (ssize_t)len) {
        errno = errno ? errno : EIO;
        goto out;
    }
    buf[len] = '\0';
    if (buf[len - 1] != '\n') {
        char *nl = memrchr(buf, '\n', len);
        if (!nl && from) {
            lp_daemon_error("'%s': its last line is longer than 1 MiB and "
                            "not whole", path);
            goto out_named;
        }
        off_t keep = nl ? from + (nl - buf) + 1 : 0;
        if (ftruncate(fd, keep) != 0 || fsync(fd) != 0)
            goto out;
        lp_daemon_error("warning: '%s': a torn last line (%lld bytes) cut "
                        "off", path, (long long)(st.st_size - keep));
        len = (size_t)(keep - from);
        buf[len] = '\0';
    }
    r = 0;
    if (len < 2)
        goto out;
    buf[len - 1] = '\0';
    char *last = strrchr(buf, '\n');
    last = last ? last + 1 : buf;
    json_t *line = json_loads(last, 0, NULL);
    const char *id = json_string_value(json_object_get(line, "id"));
    int marked = 0;
    if (id && lp_cases_mark_delivered(w->cases, sink, id, &marked)) {
        lp_daemon_error("%s", lp_cases_errmsg(w->cases));
        r = -1;
    }
    json_decref(line);
    goto out_named;
out:
    if (r < 0)
        lp_daemon_error("'%s': cannot recover the alert sink: %s", path,
                        lp_daemon_strerror(errno));
out_named:
    free(buf);
    close(fd);
    return r;
}

static int deliver(struct watch *w)
{
    for (size_t i = 0; i < w->nsinks; i++) {
        if (w->sink_failed && w->sink_failed[i])
            continue;
        bool bad;
        if (strncmp(w->sinks[i], "jsonl:", 6)) {
            bad = lp_sink_deliver(w->cases, w->sinks[i], &w->sink_opt) < 0;
        } else {
            lp_err err = lp_cases_deliver(w->cases, w->sinks[i], append_line,
                                          (void *)(w->sinks[i] + 6));
            if (err && err != LP_EABORTED)
                lp_daemon_error("%s", lp_cases_errmsg(w->cases));
            bad = err != LP_OK;
        }
        if (bad) {
            w->trouble = 1;
            if (w->sink_failed)
                w->sink_failed[i] = true;
        }
    }
    return 0;
}

/* Opens the registry, the case database and the evidence store: 0, or
 * -1 after naming the problem. */
/* What tells the registry's MANIFEST (docs/FORMAT.md: replaced whole at
 * each commit) from a later one: its inode and modification time. */
static void manifest_stamp(const struct watch *w, char *buf, size_t len)
{
    char path[4200];
    struct stat st;
    snprintf(path, sizeof path, "%s/MANIFEST", w->db_path);
    if (stat(path, &st) != 0)
        snprintf(buf, len, "none");
    else
        snprintf(buf, len, "%ju:%lld.%09ld", (uintmax_t)st.st_ino,
                 (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

/* Opens the registry (again): 0, or -1 after naming the problem. */
static int open_registry(struct watch *w)
{
    manifest_stamp(w, w->stamp, sizeof w->stamp);
    lp_registry *reg = NULL;
    lp_err err = lp_registry_open(w->db_path, 0, &reg);
    if (err) {
        lp_daemon_error("%s", reg ? lp_registry_errmsg(reg)
                                  : lp_strerror(err));
        lp_registry_close(reg);
        return -1;
    }
    lp_registry_close(w->reg);
    w->reg = reg;
    return 0;
}

/* The registry opened again when an `add` or `remove` committed since it
 * was opened (no worker runs: between two drains), so that what it
 * learnt counts from the next item on. A registry that cannot be opened
 * now is named, and the one open is kept. */
static void registry_changed(struct watch *w)
{
    char now[sizeof w->stamp];
    manifest_stamp(w, now, sizeof now);
    if (!strcmp(now, w->stamp))
        return;
    if (open_registry(w) < 0)
        w->trouble = 1;
    else
        reload_terms(w, false); /* what it learnt: derived terms too */
}

static int open_all(struct watch *w)
{
    if (open_registry(w) < 0)
        return -1;
    lp_err err;
    w->cases_path = lp_daemon_cases_path(w->cases_arg);
    err = lp_cases_open(w->cases_path, &w->cases);
    if (err) {
        lp_daemon_error("%s", lp_cases_errmsg(w->cases));
        return -1;
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", w->cases_path);
    int n = snprintf(w->evidence, sizeof w->evidence, "%s/evidence",
                     dirname(dir));
    if (n < 0 || (size_t)n >= sizeof w->evidence - 80) {
        lp_daemon_error("'%s': path too long", w->cases_path);
        return -1;
    }
    for (size_t i = 0; i < w->nsinks; i++) {
        if (lp_cases_sink_add(w->cases, w->sinks[i])) {
            lp_daemon_error("%s", lp_cases_errmsg(w->cases));
            return -1;
        }
        if (sink_recover(w, w->sinks[i]) < 0)
            return -1;
    }
    if (w->nsinks && !(w->sink_failed = calloc(w->nsinks,
                                               sizeof *w->sink_failed))) {
        lp_daemon_error("watch: out of memory");
        return -1;
    }
    return lp_watch_make_dir(w->evidence);
}

/* Processes the queued items (those just taken in, and any a crash
 * left), each alert delivered after its item, then what is undelivered. */
static void drain(struct watch *w)
{
    registry_changed(w);
    lp_watch_stopping(w); /* the signals that came: SIGHUP sets reload */
    if (w->reload) {
        w->reload = false;
        reload_terms(w, true);
    }
    if (w->sink_failed)
        memset(w->sink_failed, 0, w->nsinks * sizeof *w->sink_failed);
    process_queued(w);
    if (!w->stop)
        deliver(w);
}

/* A full pass: every item of every inbox taken in, then drained. */
static void full_pass(struct watch *w)
{
    for (size_t i = 0; i < w->ninboxes && !lp_watch_stopping(w); i++)
        lp_watch_take_inbox(w, w->inboxes[i]);
    drain(w);
}

/* The inotify events read from ifd: each item renamed or written into an
 * inbox taken in; *rescan set on a queue overflow. */
static void take_events(struct watch *w, int ifd, const int *wds,
                        bool *rescan)
{
    char buf[65536] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t n;
    while ((n = read(ifd, buf, sizeof buf)) > 0) {
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const void *)p;
            p += sizeof *ev + ev->len;
            if (ev->mask & IN_Q_OVERFLOW) {
                *rescan = true;
                continue;
            }
            if (!ev->len || (ev->mask & IN_ISDIR) || ev->name[0] == '.' ||
                lp_watch_is_sidecar(ev->name) || lp_watch_stopping(w))
                continue;
            for (size_t i = 0; i < w->ninboxes; i++)
                if (wds[i] == ev->wd) {
                    lp_watch_take_in(w, w->inboxes[i], ev->name, NULL);
                    break;
                }
        }
    }
}

/* The daemon: signals read from a signalfd, inboxes watched with
 * inotify (set up before the first pass, so that nothing renamed in
 * during it is missed), a full pass at start and on a queue overflow,
 * then each item as it arrives, until SIGTERM or SIGINT: exit 0. */
static int watch_daemon(struct watch *w)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    if (sigprocmask(SIG_BLOCK, &set, NULL) != 0 ||
        (w->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) < 0) {
        lp_daemon_error("watch: cannot set up signals: %s",
                        lp_daemon_strerror(errno));
        return 2;
    }
    int ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    int *wds = calloc(w->ninboxes, sizeof *wds);
    int rc = 2;
    if (ifd < 0 || !wds) {
        lp_daemon_error("watch: cannot set up inotify: %s",
                        lp_daemon_strerror(ifd < 0 ? errno : ENOMEM));
        goto out;
    }
    for (size_t i = 0; i < w->ninboxes; i++)
        if ((wds[i] = inotify_add_watch(ifd, w->inboxes[i],
                                        IN_CLOSE_WRITE | IN_MOVED_TO |
                                            IN_ONLYDIR)) < 0) {
            lp_daemon_error("'%s': cannot watch the inbox: %s",
                            w->inboxes[i], lp_daemon_strerror(errno));
            goto out;
        }
    full_pass(w);
    while (!lp_watch_stopping(w)) {
        struct pollfd pfd[2] = {{.fd = ifd, .events = POLLIN},
                                {.fd = w->sigfd, .events = POLLIN}};
        if (poll(pfd, 2, WATCH_IDLE_MS) < 0 && errno != EINTR) {
            lp_daemon_error("watch: poll: %s", lp_daemon_strerror(errno));
            goto out;
        }
        bool rescan = false;
        if (pfd[0].revents & POLLIN)
            take_events(w, ifd, wds, &rescan);
        if (rescan)
            full_pass(w);
        else
            drain(w);
    }
    rc = 0;
out:
    if (ifd >= 0)
        close(ifd);
    free(wds);
    return rc;
}

/* --list-terms: each term on a line, "KIND SEVERITY LABEL", in the
 * set's order (the file's, then the registry's). */
static int list_terms(const struct watch *w)
{
    for (size_t i = 0; i < lp_terms_count(w->terms); i++) {
        enum lp_terms_kind kind;
        enum lp_terms_severity sev;
        if (lp_terms_info(w->terms, i, &kind, &sev))
            printf("%s %s %s\n", lp_terms_kind_name(kind),
                   lp_terms_severity_name(sev), lp_terms_label(w->terms, i));
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        lp_daemon_error("'<stdout>': cannot write the terms");
        return 2;
    }
    return 0;
}

static int watch_run(struct watch *w)
{
    /* scan's default; the environment as scan reads it (front.h: 7zz,
     * LEAKPRINT_IO_URING) */
    w->opt.min_similarity = LP_DEFAULT_MIN_SIMILARITY;
    lp_front_input_env(&w->opt.input, w->sevenzip, sizeof w->sevenzip);
    w->opt.on_skip = on_skip;
    /* one item at a time: its files on every core; several: one each */
    w->opt.jobs = w->jobs > 1 ? 1 : 0;
    /* secrets too: those the registry knows are the organisation's */
    w->opt.secrets = LP_SECRETS_ALSO;
    char cache[4096];
    w->opt.cache_dir = lp_front_cache_dir(cache, sizeof cache);
    if (w->list_terms) /* the registry only: no case database made */
        return open_registry(w) < 0 || first_terms(w) < 0 ||
                       !need_terms(w)
                   ? 2
                   : list_terms(w);
    if (open_all(w) < 0 || first_terms(w) < 0)
        return 2;
    if (w->retro) {
        size_t n = 0;
        if (lp_cases_retro(w->cases, &n)) {
            lp_daemon_error("%s", lp_cases_errmsg(w->cases));
            return 2;
        }
        drain(w);
        printf("re-checked %zu item%s\n", n, n == 1 ? "" : "s");
        return w->trouble ? 2 : 0;
    }
    if (!w->once)
        return watch_daemon(w);
    full_pass(w);
    return w->trouble ? 2 : 0;
}

int lp_watch_retro(const char *db_path, const char *cases_path)
{
    json_set_alloc_funcs(malloc, free);
    struct watch w = {.db_path = db_path, .sigfd = -1,
                      .max_attempts = WATCH_MAX_ATTEMPTS,
                      .sink_opt = LP_SINK_OPTIONS_INIT,
                      .cases_arg = cases_path, .retro = true, .jobs = 1,
                      .mu = PTHREAD_MUTEX_INITIALIZER};
    int rc = watch_run(&w);
    lp_terms_free(w.terms);
    lp_cases_close(w.cases);
    lp_registry_close(w.reg);
    return rc;
}

int cmd_watch(int argc, char **argv, const char *db_path)
{
    /* The CLI gives jansson a bump allocator that frees nothing until no
     * node is alive (cli/arena.c): right for a report, not for a process
     * that runs for months. No JSON value exists yet, so none is freed
     * by the other allocator. */
    json_set_alloc_funcs(malloc, free);
    struct watch w = {.db_path = db_path, .sigfd = -1,
                      .max_attempts = WATCH_MAX_ATTEMPTS,
                      .sink_opt = LP_SINK_OPTIONS_INIT, .jobs = 1,
                      .mu = PTHREAD_MUTEX_INITIALIZER};
    int rc = parse(argc, argv, &w) < 0 ? 2 : watch_run(&w);
    if (w.sigfd >= 0)
        close(w.sigfd);
    lp_terms_free(w.terms);
    lp_cases_close(w.cases);
    lp_registry_close(w.reg);
    free(w.inboxes);
    free(w.sinks);
    free(w.sink_failed);
    return rc;
}
