/* SPDX-License-Identifier: Apache-2.0
 *
 * cmd_cases: `leakprint cases [--cases FILE] list [--format text|json]
 * [--status S] | show ID [--format text|json] | set ID --status S
 * [--note TEXT] | status [--format text|json] | export --format misp -o
 * DIR [--org NAME]`: the case database (cases.h) read, its cases' status
 * set, its cases written as a MISP feed (misp.h). Exit status 0, or 2 after
 * one line on stderr.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>

#include "leakprint.h"
#include "cases.h"
#include "daemon.h"
#include "misp.h"
#include "banned.h" /* a list of poisoned names: defines nothing */

struct args {
    const char *cases;
    const char *format;
    const char *status;
    const char *note;
    const char *sub;  /* list, show, set, status, export */
    const char *id;
    const char *output; /* export: the feed directory */
    const char *since;  /* list: RFC 3339 UTC, from --since */
    char since_buf[32];
    const char *org;    /* export: the events' organisation */
};

/* --since as the case database's times are written ("2026-12-07T10:21:38Z"),
 * into out: an RFC 3339 UTC time (seconds and "Z"), a date (its midnight,
 * UTC), or an age before now: N followed by m, h or d. 0, or -1 when it
 * is none of these. */
static int since_time(const char *arg, char out[32])
{
    struct tm tm = {0};
    const char *end = strptime(arg, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (!end || *end) {
        memset(&tm, 0, sizeof tm);
        end = strptime(arg, "%Y-%m-%d", &tm);
    }
    time_t t;
    if (end && !*end) {
        t = timegm(&tm);
    } else {
        char *unit;
        errno = 0;
        long long n = strtoll(arg, &unit, 10);
        long long scale = !strcmp(unit, "m")   ? 60
                          : !strcmp(unit, "h") ? 3600
                          : !strcmp(unit, "d") ? 86400
                                               : 0;
        if (errno || unit == arg || n < 0 || !scale || n > 100LL * 366 * 86400 / scale)
            return -1;
        t = time(NULL) - (time_t)(n * scale);
    }
    struct tm u;
    if (t < 0 || !gmtime_r(&t, &u) ||
        !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &u))
        return -1;
    return 0;
}

static int parse(int argc, char **argv, struct args *a)
{
    static const struct option opts[] = {
        {"cases", required_argument, NULL, 'c'},
        {"format", required_argument, NULL, 'f'},
        {"status", required_argument, NULL, 's'},
        {"note", required_argument, NULL, 'n'},
        {"output", required_argument, NULL, 'o'},
        {"org", required_argument, NULL, 'g'},
        {"since", required_argument, NULL, 'S'},
        {NULL, 0, NULL, 0},
    };
    int o;
    optind = 0;
    a->format = "text";
    while ((o = lp_daemon_getopt(argc, argv, "f:o:", opts, "cases")) != -1) {
        switch (o) {
        case 'c': a->cases = optarg; break;
        case 'f': a->format = optarg; break;
        case 's': a->status = optarg; break;
        case 'n': a->note = optarg; break;
        case 'o': a->output = optarg; break;
        case 'g': a->org = optarg; break;
        case 'S': a->since = optarg; break;
        default: return -1;
        }
    }
    if (strcmp(a->format, "text") && strcmp(a->format, "json") &&
        strcmp(a->format, "jsonl") && strcmp(a->format, "misp")) {
        lp_daemon_error("'%s': invalid value for --format (text, json, "
                        "jsonl or misp)", a->format);
        return -1;
    }
    if (optind >= argc) {
        lp_daemon_error("cases: no subcommand given (list, show, set, "
                        "status, retro or export; see leakprint cases "
                        "--help)");
        return -1;
    }
    a->sub = argv[optind++];
    bool wants_id = !strcmp(a->sub, "show") || !strcmp(a->sub, "set") ||
                    !strcmp(a->sub, "enable");
    bool export = !strcmp(a->sub, "export");
    if (!wants_id && !export && strcmp(a->sub, "list") &&
        strcmp(a->sub, "status") && strcmp(a->sub, "retro")) {
        lp_daemon_error("'%s': unknown subcommand of cases (list, show, set, "
                        "status, retro, enable or export)", a->sub);
        return -1;
    }
    if (export != !strcmp(a->format, "misp")) {
        lp_daemon_error(export ? "cases export: --format misp is required"
                               : "cases %s: --format misp is for export",
                        a->sub);
        return -1;
    }
    if (export && !a->output) {
        lp_daemon_error("cases export: -o DIR is required");
        return -1;
    }
    bool list = !strcmp(a->sub, "list");
    if ((!strcmp(a->sub, "retro") || !strcmp(a->sub, "enable")) &&
        strcmp(a->format, "text")) {
        lp_daemon_error("cases %s: --format is for list, show, status "
                        "and export", a->sub);
        return -1;
    }
    if (!list && !strcmp(a->format, "jsonl")) {
        lp_daemon_error("cases %s: --format jsonl is for list", a->sub);
        return -1;
    }
    if (!list && a->since) {
        lp_daemon_error("cases %s: --since is for list", a->sub);
        return -1;
    }
    if (a->since && since_time(a->since, a->since_buf) < 0) {
        lp_daemon_error("'%s': invalid value for --since (an RFC 3339 UTC "
                        "time, a date YYYY-MM-DD, or an age such as 30m, "
                        "12h, 7d)", a->since);
        return -1;
    }
    if (a->since)
        a->since = a->since_buf;
    if (!export && (a->output || a->org)) {
        lp_daemon_error("cases %s: -o and --org are for export", a->sub);
        return -1;
    }
    if (wants_id && optind < argc)
        a->id = argv[optind++];
    if (wants_id && !a->id) {
        lp_daemon_error(strcmp(a->sub, "enable")
                            ? "cases %s: no case id given"
                            : "cases %s: no sink given",
                        a->sub);
        return -1;
    }
    if (optind < argc) {
        lp_daemon_error("cases %s: unexpected argument '%s'", a->sub,
                        argv[optind]);
        return -1;
    }
    if (a->status && !lp_cases_status_valid(a->status)) {
        lp_daemon_error("'%s': invalid value for --status (new, "
                        "investigating, confirmed, false-positive or "
                        "closed)", a->status);
        return -1;
    }
    if (!strcmp(a->sub, "set") && !a->status) {
        lp_daemon_error("cases set: --status is required");
        return -1;
    }
    return 0;
}

/* The case id arg: > 0, or -1 after saying it is invalid. */
static int64_t case_id(const char *arg)
{
    char *end;
    errno = 0;
    long long v = strtoll(arg, &end, 10);
    if (errno || end == arg || *end || v <= 0) {
        lp_daemon_error("'%s': invalid case id", arg);
        return -1;
    }
    return v;
}

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "-";
}

static int print_json(json_t *v)
{
    return json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ||
                   putchar('\n') == EOF
               ? -1
               : 0;
}

static void list_text(json_t *list)
{
    size_t i;
    json_t *c;
    printf("%-6s %-15s %-10s %-6s %-21s %s\n", "ID", "STATUS", "LEVEL",
           "ITEMS", "CREATED", "NOTE");
    json_array_foreach(list, i, c)
    {
        printf("%-6" JSON_INTEGER_FORMAT " %-15s %-10s %-6" JSON_INTEGER_FORMAT
               " %-21s %s\n",
               json_integer_value(json_object_get(c, "id")), str(c, "status"),
               str(c, "level"), json_integer_value(json_object_get(c, "items")),
               str(c, "created"), str(c, "note"));
    }
}

static void show_text(json_t *c)
{
    printf("case %" JSON_INTEGER_FORMAT ": %s, level %s, created %s, "
           "updated %s\n",
           json_integer_value(json_object_get(c, "id")), str(c, "status"),
           str(c, "level"), str(c, "created"), str(c, "updated"));
    if (json_is_string(json_object_get(c, "note")))
        printf("note: %s\n", str(c, "note"));
    size_t i, k;
    json_t *it, *s;
    json_array_foreach(json_object_get(c, "items"), i, it)
    {
        printf("item %s %s (%" JSON_INTEGER_FORMAT " bytes): %s, %s: %s\n",
               str(it, "sha256"), str(it, "name"),
               json_integer_value(json_object_get(it, "size")),
               str(it, "state"), str(it, "level"), str(it, "summary"));
        json_array_foreach(json_object_get(it, "sightings"), k, s)
        {
            printf("  seen %s as %s", str(s, "seen_at"), str(s, "name"));
            if (json_is_string(json_object_get(s, "source")))
                printf(" from %s", str(s, "source"));
            if (json_is_string(json_object_get(s, "url")))
                printf(" <%s>", str(s, "url"));
            putchar('\n');
        }
    }
}

static void status_text(json_t *st)
{
    json_t *items = json_object_get(st, "items");
    printf("items: %" JSON_INTEGER_FORMAT " queued, %" JSON_INTEGER_FORMAT
           " done, %" JSON_INTEGER_FORMAT " quarantined\n",
           json_integer_value(json_object_get(items, "queued")),
           json_integer_value(json_object_get(items, "done")),
           json_integer_value(json_object_get(items, "quarantined")));
    printf("cases: %" JSON_INTEGER_FORMAT "\nalerts: %" JSON_INTEGER_FORMAT
           "\n",
           json_integer_value(json_object_get(st, "cases")),
           json_integer_value(json_object_get(st, "alerts")));
    const char *sink;
    json_t *n;
    json_object_foreach(json_object_get(st, "undelivered"), sink, n)
        printf("undelivered to %s: %" JSON_INTEGER_FORMAT "\n", sink,
               json_integer_value(n));
    json_object_foreach(json_object_get(st, "disabled"), sink, n)
        printf("disabled: %s (%s since %s)\n", sink,
               json_string_value(json_object_get(n, "reason")),
               json_string_value(json_object_get(n, "since")));
    json_t *tp = json_object_get(st, "throughput");
    printf("throughput: %" JSON_INTEGER_FORMAT " done in the last hour "
           "(%.2f per minute)\n",
           json_integer_value(json_object_get(tp, "done_last_hour")),
           json_real_value(json_object_get(tp, "per_minute")));
    json_t *le = json_object_get(st, "last_error");
    if (json_is_object(le))
        printf("last error: %s %s\n", str(le, "time"), str(le, "message"));
    else
        printf("last error: none\n");
    size_t i;
    json_t *q;
    json_array_foreach(json_object_get(st, "quarantine"), i, q)
        printf("quarantined %s %s: %s\n", str(q, "sha256"), str(q, "name"),
               str(q, "reason"));
}

static int run(struct lp_cases *c, const struct args *a)
{
    bool json = !strcmp(a->format, "json");
    json_t *v = NULL;
    lp_err err = LP_OK;
    if (!strcmp(a->sub, "enable")) {
        err = lp_cases_sink_enable(c, a->id);
        if (err) {
            lp_daemon_error("%s", lp_cases_errmsg(c));
            return 2;
        }
        printf("enabled %s\n", a->id);
        return 0;
    }
    int64_t id = a->id ? case_id(a->id) : 0;
    if (id < 0)
        return 2;
    if (!strcmp(a->sub, "export"))
        return lp_misp_export(c, a->output, a->org ? a->org : "leakprint") ? 2
                                                                          : 0;
    if (!strcmp(a->sub, "set")) {
        err = lp_cases_set(c, id, a->status, a->note);
        if (err)
            lp_daemon_error("%s", lp_cases_errmsg(c));
        return err ? 2 : 0;
    }
    if (!strcmp(a->sub, "list"))
        v = lp_cases_list(c, a->status, a->since);
    else if (!strcmp(a->sub, "show"))
        v = lp_cases_show(c, id, &err);
    else
        v = lp_cases_status(c);
    if (!v) {
        lp_daemon_error("%s", lp_cases_errmsg(c));
        return 2;
    }
    if (!strcmp(a->format, "jsonl")) { /* list: a case per line */
        size_t i;
        json_t *row;
        json_array_foreach(v, i, row) {
            if (json_dumpf(row, stdout, JSON_COMPACT) || putchar('\n') == EOF)
                break;
        }
        if (fflush(stdout) || ferror(stdout)) {
            lp_daemon_error("'<stdout>': cannot write the list");
            json_decref(v);
            return 2;
        }
    } else if (json)
        print_json(v);
    else if (!strcmp(a->sub, "list"))
        list_text(v);
    else if (!strcmp(a->sub, "show"))
        show_text(v);
    else
        status_text(v);
    json_decref(v);
    return 0;
}

int cmd_cases(int argc, char **argv, const char *db_path)
{
    struct args a = {0};
    if (parse(argc, argv, &a) < 0)
        return 2;
    const char *path = lp_daemon_cases_path(a.cases);
    struct lp_cases *c = NULL;
    int rc = 2;
    struct stat st;
    /* reading makes no database: watch does */
    if (stat(path, &st) != 0) {
        lp_daemon_error("'%s': no case database: %s", path,
                        lp_daemon_strerror(errno));
        return 2;
    }
    if (!strcmp(a.sub, "retro"))
        return lp_watch_retro(db_path, path);
    if (lp_cases_open(path, &c))
        lp_daemon_error("%s", lp_cases_errmsg(c));
    else
        rc = run(c, &a);
    lp_cases_close(c);
    return rc;
}
