/* SPDX-License-Identifier: Apache-2.0
 *
 * cmd_watch: `leakprint [--db DIR] watch --inbox DIR [--inbox DIR]...
 * [--cases FILE] [--alert SINK]... [sink flags] --once`; the sinks other
 * than jsonl:PATH are sink.h's.
 *
 * Each regular file of each inbox (not one whose name starts with '.',
 * nor a NAME.meta.json sidecar, read for the file NAME) is taken in: its
 * SHA-256 computed, hard-linked into the evidence store
 * <dir of the case database>/evidence/<aa>/<sha256> (mode 0444; an
 * existing one is never overwritten; copied and fsync'd across file
 * systems), recorded with its sighting in one transaction, and only then
 * unlinked from the inbox: a crash at any point loses nothing (at worst
 * the item is seen again and gets a second sighting). Then every queued
 * item is scanned as `scan` would, and marked done; a new item at likely
 * or confirmed opens a case and writes a `leak` alert into the outbox in
 * that same transaction. Last, each sink gets the alerts it has not had.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
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
#include "banned.h" /* a list of poisoned names: defines nothing */

/* An item whose processing was attempted this many times without ending
 * done (a scan that failed, or a crash in it) is quarantined
 * (--max-attempts). */
#define WATCH_MAX_ATTEMPTS 3

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
static bool stopping(struct watch *w)
{
    struct signalfd_siginfo si;
    while (w->sigfd >= 0 && read(w->sigfd, &si, sizeof si) == sizeof si) {
        if (si.ssi_signo == SIGHUP)
            lp_daemon_error("watch: reloaded");
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
        {NULL, 0, NULL, 0},
    };
    int o;
    optind = 0;
    while ((o = lp_daemon_getopt(argc, argv, "", opts, "watch")) != -1) {
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
    if (!w->ninboxes) {
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

/* mkdir that accepts an existing directory: 0, or -1 after naming it. */
static int make_dir(const char *dir)
{
    if (mkdir(dir, 0755) == 0 || errno == EEXIST)
        return 0;
    lp_daemon_error("'%s': cannot make the directory: %s", dir,
                    lp_daemon_strerror(errno));
    return -1;
}

static void fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* The hex SHA-256 of what fd holds (from its start): 0, or -1 (errno). */
static int sha256_fd(int fd, char hex[65], uint64_t *size)
{
    unsigned char buf[65536], md[32];
    unsigned mdlen = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int r = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) ? 0 : -1;
    ssize_t n = 0;
    *size = 0;
    if (r == 0 && lseek(fd, 0, SEEK_SET) != 0)
        r = -1;
    while (r == 0 && (n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || !EVP_DigestUpdate(ctx, buf, (size_t)n))
            r = -1;
        else
            *size += (uint64_t)n;
    }
    if (r == 0 && !EVP_DigestFinal_ex(ctx, md, &mdlen))
        r = -1;
    EVP_MD_CTX_free(ctx);
    for (unsigned i = 0; r == 0 && i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    if (r < 0 && !errno)
        errno = ENOMEM;
    return r;
}

/* Copies fd (from its start) into a new file dst, fsync'd: 0, or -1. */
static int copy_fd(int fd, const char *dst)
{
    char buf[65536];
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
    if (out < 0)
        return -1;
    int r = lseek(fd, 0, SEEK_SET) == 0 ? 0 : -1;
    ssize_t n;
    while (r == 0 && (n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        for (ssize_t off = 0; n > 0 && off < n;) {
            ssize_t m = write(out, buf + off, (size_t)(n - off));
            if (m < 0 && errno == EINTR)
                continue;
            if (m <= 0) {
                r = -1;
                break;
            }
            off += m;
        }
        if (n < 0)
            r = -1;
    }
    if (r == 0 && fsync(out) != 0)
        r = -1;
    if (close(out) != 0)
        r = -1;
    if (r < 0) {
        int e = errno;
        unlink(dst);
        errno = e;
    }
    return r;
}

/* Puts the inbox file src (open as fd) into the evidence store as dest,
 * unless it is there already: a hard link on the same file system, else
 * a copy under a temporary name then linked in (link(2) never replaces
 * an existing file). 0, or -1 after naming the problem. */
static int store(struct watch *w, const char *src, int fd, const char *sha,
                 char *dest, size_t len)
{
    char dir[4200], tmp[4500];
    struct stat st;
    snprintf(dir, sizeof dir, "%s/%.2s", w->evidence, sha);
    if (make_dir(dir) < 0)
        return -1;
    snprintf(dest, len, "%s/%s", dir, sha);
    /* already stored: never overwritten (but made read-only below, for
     * a crash may have come between its link and its chmod) */
    if (lstat(dest, &st) != 0 && link(src, dest) != 0 && errno != EEXIST) {
        snprintf(tmp, sizeof tmp, "%s.tmp.%ld", dest, (long)getpid());
        unlink(tmp); // a leftover of a crashed run
        if (copy_fd(fd, tmp) != 0 || (link(tmp, dest) != 0 && errno != EEXIST)) {
            lp_daemon_error("'%s': cannot store it as '%s': %s", src, dest,
                            lp_daemon_strerror(errno));
            unlink(tmp);
            return -1;
        }
        unlink(tmp);
    }
    if (chmod(dest, 0444) != 0) {
        lp_daemon_error("'%s': cannot make it read-only: %s", dest,
                        lp_daemon_strerror(errno));
        return -1;
    }
    fsync_dir(dir);
    return 0;
}

/* The string field key of a sidecar, or NULL. */
static const char *field(json_t *meta, const char *key, const char *path,
                         bool *warned)
{
    json_t *v = json_object_get(meta, key);
    if (v && !json_is_string(v) && !json_is_null(v) && !*warned) {
        lp_daemon_error("warning: '%s': field '%s' is not a string, ignored",
                        path, key);
        *warned = true;
    }
    return json_string_value(v);
}

/* Reads the sidecar path (if present) into *meta (NULL when absent or
 * not usable: a warning then names it and why). */
static json_t *read_sidecar(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return NULL;
    if (!S_ISREG(st.st_mode) || st.st_size > WATCH_MAX_SIDECAR) {
        lp_daemon_error("warning: '%s': sidecar ignored: %s", path,
                        S_ISREG(st.st_mode) ? "larger than 1 MiB"
                                            : "not a regular file");
        return NULL;
    }
    json_error_t je;
    json_t *meta = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!meta || !json_is_object(meta)) {
        lp_daemon_error("warning: '%s': sidecar ignored: %s", path,
                        meta ? "not a JSON object" : je.text);
        json_decref(meta);
        return NULL;
    }
    return meta;
}

/* Takes one inbox file in: stored, recorded, then unlinked from the
 * inbox (with its sidecar). */
static void take_in(struct watch *w, const char *inbox, const char *name)
{
    char src[4096], side[4200], dest[4400], sha[65];
    uint64_t size = 0;
    struct stat st;
    snprintf(src, sizeof src, "%s/%s", inbox, name);
    snprintf(side, sizeof side, "%s.meta.json", src);
    int fd = open(src, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        /* only regular files are items: anything else is left alone */
        if (fd < 0 && errno == ENOENT)
            ; /* gone already (taken in by an earlier event or pass) */
        else if (fd < 0 && errno == ELOOP)
            lp_daemon_error("warning: '%s': a symbolic link, left in the "
                            "inbox", src);
        else if (fd >= 0)
            lp_daemon_error("warning: '%s': not a regular file, left in "
                            "the inbox", src);
        else {
            lp_daemon_error("'%s': %s", src, lp_daemon_strerror(errno));
            w->trouble = 1;
        }
        if (fd >= 0)
            close(fd);
        return;
    }
    if (sha256_fd(fd, sha, &size) != 0) {
        lp_daemon_error("'%s': cannot read: %s", src,
                        lp_daemon_strerror(errno));
        w->trouble = 1;
        close(fd);
        return;
    }
    int r = store(w, src, fd, sha, dest, sizeof dest);
    close(fd);
    if (r < 0) {
        w->trouble = 1;
        return;
    }
    /* this inbox file, told from a later one of the same name */
    char take[4400];
    snprintf(take, sizeof take, "%ju:%ju:%lld.%09ld:%s", (uintmax_t)st.st_dev,
             (uintmax_t)st.st_ino, (long long)st.st_mtim.tv_sec,
             st.st_mtim.tv_nsec, name);
    bool warned = false;
    json_t *meta = read_sidecar(side);
    struct lp_cases_sighting s = {
        .name = name,
        .source = field(meta, "source", side, &warned),
        .url = field(meta, "url", side, &warned),
        .title = field(meta, "title", side, &warned),
        .author = field(meta, "author", side, &warned),
        .posted_at = field(meta, "posted_at", side, &warned),
        .collected_at = field(meta, "collected_at", side, &warned),
        .take = take,
    };
    lp_err err = lp_cases_record(w->cases, sha, name, size, dest, &s, NULL);
    json_decref(meta);
    if (err) {
        lp_daemon_error("%s", lp_cases_errmsg(w->cases));
        w->trouble = 1;
        return;
    }
    /* recorded: the inbox may forget it now */
    if (unlink(src) != 0 && errno != ENOENT) {
        lp_daemon_error("'%s': cannot remove it from the inbox: %s", src,
                        lp_daemon_strerror(errno));
        w->trouble = 1;
    }
    if (unlink(side) != 0 && errno != ENOENT) {
        lp_daemon_error("'%s': cannot remove it from the inbox: %s", side,
                        lp_daemon_strerror(errno));
        w->trouble = 1;
    }
    fsync_dir(inbox);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_sidecar(const char *name)
{
    size_t n = strlen(name), k = strlen(".meta.json");
    return n > k && !strcmp(name + n - k, ".meta.json");
}

/* Takes in every item of one inbox, in the order of their names. */
static void take_inbox(struct watch *w, const char *inbox)
{
    DIR *d = opendir(inbox);
    if (!d) {
        lp_daemon_error("'%s': cannot read the inbox: %s", inbox,
                        lp_daemon_strerror(errno));
        w->trouble = 1;
        return;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || is_sidecar(e->d_name))
            continue;
        char **p = realloc(names, (n + 1) * sizeof *names);
        if (!p || !(p[n] = strdup(e->d_name))) {
            names = p ? p : names;
            lp_daemon_error("'%s': out of memory", inbox);
            w->trouble = 1;
            break;
        }
        names = p;
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        if (!stopping(w))
            take_in(w, inbox, names[i]);
        free(names[i]);
    }
    free(names);
}

/* What an alert is made of, for make_alert(). */
struct alert_ctx {
    const char *sha256, *name, *level, *summary;
    double confidence;
    const lp_scan *scan;
    json_t *sighting; /* the item's first sighting (may be NULL) */
    const char *kind, *severity;
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

static char *make_alert(void *ctx, int64_t case_id, const char *id)
{
    struct alert_ctx *a = ctx;
    char now[32], summary[1024];
    size_t files = 0;
    lp_cases_now(now);
    json_t *cols = collections(a->scan, &files);
    if (!cols)
        return NULL;
    const char *source =
        json_string_value(json_object_get(a->sighting, "source"));
    const char *url = json_string_value(json_object_get(a->sighting, "url"));
    /* "confirmed leak of core, net (12 files) in dump.7z from forum-x" */
    char names[512] = "";
    size_t k;
    json_t *v;
    json_array_foreach(cols, k, v)
    {
        size_t len = strlen(names);
        snprintf(names + len, sizeof names - len, "%s%s", k ? ", " : "",
                 json_string_value(v));
    }
    char *clean = lp_cases_utf8(a->name);
    snprintf(summary, sizeof summary, "%s leak of %s (%zu file%s) in %s%s%s",
             a->level, names, files, files == 1 ? "" : "s",
             clean ? clean : "?", source ? " from " : "", source ? source : "");
    free(clean);
    char *name = lp_cases_utf8(a->name); // the alert is JSON: UTF-8
    if (!name) {
        json_decref(cols);
        return NULL;
    }
    json_t *alert = json_pack(
        "{s:s, s:s, s:s, s:s, s:I, s:{s:s, s:s, s:s?, s:s?},"
        " s:{s:s, s:f, s:s}, s:o, s:I, s:[], s:s}",
        "id", id, "time", now, "kind", a->kind, "severity", a->severity,
        "case", (json_int_t)case_id, "item", "sha256", a->sha256, "name",
        name, "source", source, "url", url, "verdict", "level", a->level,
        "confidence", a->confidence, "summary", a->summary, "collections",
        cols, "secrets", (json_int_t)lp_scan_secrets(a->scan), "terms",
        "summary", summary);
    free(name);
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

/* Scans one queued item and records its result (the callback of
 * lp_cases_queued()); a failure leaves it queued for the next run. Its
 * alert, if any, is delivered at once. 1 (stop) when a signal to stop
 * came. */
static int process(void *ctx, const char *sha256, const char *name,
                   const char *path)
{
    struct watch *w = ctx;
    if (stopping(w))
        return 1;
    /* the attempt is counted before the work, so that an item that
     * crashes the process is counted too */
    int before = 0;
    char *last = NULL, why[1024];
    lp_err err = lp_cases_attempt(w->cases, sha256, &before, &last);
    if (err) {
        lp_daemon_error("%s", lp_cases_errmsg(w->cases));
        w->trouble = 1;
        return 0;
    }
    if (before >= w->max_attempts) {
        snprintf(why, sizeof why, "%d attempts did not end%s%s", before,
                 last ? "; the last: " : " (the process died in each)",
                 last ? last : "");
        free(last);
        quarantine(w, sha256, name, why);
        return 0;
    }
    free(last);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, sizeof why, "'%s': cannot read the stored item: %s",
                 path, lp_daemon_strerror(errno));
        failed(w, sha256, name, before + 1, why);
        return 0;
    }
    struct lp_target t = {.kind = LP_TARGET_FD, .name = name, .fd = fd};
    lp_scan *scan = NULL;
    err = lp_scan_targets(w->reg, &w->opt, &t, 1, &scan);
    close(fd);
    if (err) {
        snprintf(why, sizeof why, "'%s': %s", name,
                 scan ? lp_scan_errmsg(scan) : lp_strerror(err));
        lp_scan_free(scan);
        failed(w, sha256, name, before + 1, why);
        return 0;
    }
    enum lp_level level = lp_scan_level(scan);
    struct alert_ctx a = {
        .sha256 = sha256,
        .name = name,
        .level = level_names[level <= LP_LEVEL_CONFIRMED ? level : 0],
        .summary = lp_scan_summary(scan),
        .confidence = lp_scan_confidence(scan),
        .scan = scan,
        .sighting = lp_cases_first_sighting(w->cases, sha256),
    };
    if (level >= LP_LEVEL_LIKELY) {
        a.kind = "leak";
        a.severity = level == LP_LEVEL_CONFIRMED ? "critical" : "high";
    }
    err = lp_cases_done(w->cases, sha256, a.level, a.confidence, a.summary,
                        a.kind, a.severity, make_alert, &a);
    json_decref(a.sighting);
    lp_scan_free(scan);
    if (err) {
        lp_daemon_error("%s", lp_cases_errmsg(w->cases));
        w->trouble = 1;
    } else if (a.kind)
        deliver(w);
    return 0;
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
static int open_all(struct watch *w)
{
    lp_err err = lp_registry_open(w->db_path, 0, &w->reg);
    if (err) {
        lp_daemon_error("%s", w->reg ? lp_registry_errmsg(w->reg)
                                     : lp_strerror(err));
        return -1;
    }
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
    return make_dir(w->evidence);
}

/* Processes the queued items (those just taken in, and any a crash
 * left), each alert delivered after its item, then what is undelivered. */
static void drain(struct watch *w)
{
    if (w->sink_failed)
        memset(w->sink_failed, 0, w->nsinks * sizeof *w->sink_failed);
    lp_err err = lp_cases_queued(w->cases, process, w);
    if (err && err != LP_EABORTED) {
        lp_daemon_error("%s", lp_cases_errmsg(w->cases));
        w->trouble = 1;
    }
    if (!w->stop)
        deliver(w);
}

/* A full pass: every item of every inbox taken in, then drained. */
static void full_pass(struct watch *w)
{
    for (size_t i = 0; i < w->ninboxes && !stopping(w); i++)
        take_inbox(w, w->inboxes[i]);
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
                is_sidecar(ev->name) || stopping(w))
                continue;
            for (size_t i = 0; i < w->ninboxes; i++)
                if (wds[i] == ev->wd) {
                    take_in(w, w->inboxes[i], ev->name);
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
    while (!stopping(w)) {
        struct pollfd pfd[2] = {{.fd = ifd, .events = POLLIN},
                                {.fd = w->sigfd, .events = POLLIN}};
        if (poll(pfd, 2, -1) < 0 && errno != EINTR) {
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

static int watch_run(struct watch *w)
{
    /* scan's default; the environment as scan reads it (front.h: 7zz,
     * LEAKPRINT_IO_URING) */
    w->opt.min_similarity = LP_DEFAULT_MIN_SIMILARITY;
    lp_front_input_env(&w->opt.input, w->sevenzip, sizeof w->sevenzip);
    w->opt.on_skip = on_skip;
    if (open_all(w) < 0)
        return 2;
    if (!w->once)
        return watch_daemon(w);
    full_pass(w);
    return w->trouble ? 2 : 0;
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
                      .sink_opt = LP_SINK_OPTIONS_INIT};
    int rc = parse(argc, argv, &w) < 0 ? 2 : watch_run(&w);
    if (w.sigfd >= 0)
        close(w.sigfd);
    lp_cases_close(w.cases);
    lp_registry_close(w.reg);
    free(w.inboxes);
    free(w.sinks);
    free(w.sink_failed);
    return rc;
}
