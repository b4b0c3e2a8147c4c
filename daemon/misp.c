/* SPDX-License-Identifier: Apache-2.0
 *
 * misp: the cases as a MISP feed directory (misp.h). The shapes are those
 * of the MISP core format (draft-dulaunoy-misp-core-format) as MISP's own
 * feeds write them: an event holds info, date, analysis, threat_level_id,
 * timestamp, published, Orgc, Tag, Attribute and Object; the manifest
 * repeats an event's summary fields under its uuid.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "misp.h"
#include "daemon.h"
#include "banned.h" /* a list of poisoned names: defines nothing */

/* leakprint's namespace for the uuids it derives (a random uuid, fixed). */
#define MISP_NS "5b0e4c1a-9d37-4f62-8a15-c3e7d2f90b46"
/* MISP's object template "file" (misp-objects/objects/file). */
#define FILE_TEMPLATE "688c46fb-5edb-40a3-8273-1af7923e2215"
/* Largest manifest.json or hashes.csv an update reads back (a larger one
 * is written whole again). */
#define MISP_FEED_MAX ((off_t)256 << 20)

void lp_misp_uuid5(const char *ns, const char *name, char out[37])
{
    unsigned char in[16], md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    size_t k = 0;
    for (const char *p = ns; *p && k < 32; p++) {
        int v = *p >= '0' && *p <= '9'   ? *p - '0'
                : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10
                : *p >= 'A' && *p <= 'F' ? *p - 'A' + 10
                                         : -1;
        if (v < 0)
            continue; /* the dashes */
        if (k % 2 == 0)
            in[k / 2] = (unsigned char)(v << 4);
        else
            in[k / 2] |= (unsigned char)v;
        k++;
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) ||
        !EVP_DigestUpdate(ctx, in, sizeof in) ||
        !EVP_DigestUpdate(ctx, name, strlen(name)) ||
        !EVP_DigestFinal_ex(ctx, md, &mdlen) || mdlen < 16)
        memset(md, 0, 16); /* out of memory in libcrypto: a nil uuid */
    EVP_MD_CTX_free(ctx);
    md[6] = (unsigned char)((md[6] & 0x0f) | 0x50); /* version 5 */
    md[8] = (unsigned char)((md[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[md[i] >> 4];
        out[o++] = hex[md[i] & 15];
    }
    out[o] = '\0';
}

/* The hex MD5 of s into out (33 bytes): hashes.csv's correlation key. */
static void md5_hex(const char *s, char out[33])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!EVP_Digest(s, strlen(s), md, &n, EVP_md5(), NULL) || n != 16)
        memset(md, 0, 16);
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* Unix seconds of an RFC 3339 UTC time the case database writes
 * ("2026-12-07T10:21:38Z"), as the decimal string MISP's timestamps are;
 * "0" when it is not one. */
static void unix_time(const char *t, char out[24])
{
    struct tm tm = {0};
    const char *end = strptime(t, "%Y-%m-%dT%H:%M:%SZ", &tm);
    time_t s = end && !*end ? timegm(&tm) : 0;
    snprintf(out, 24, "%" PRId64, (int64_t)(s > 0 ? s : 0));
}

/* A tag as MISP's feeds write one: its name and colour. */
static int add_tag(json_t *tags, const char *name, const char *colour)
{
    return json_array_append_new(tags, json_pack("{s:s,s:s}", "name", name,
                                                 "colour", colour));
}

/* The tags of a case: TLP amber (leaked code of one's own is not for
 * sharing at large), the dark-web topic of stolen intellectual property,
 * how the items came (collectors: a crawler), how certain the best match
 * is (the infoleak certainty nearest below the best confidence) and, once
 * an analyst said so, whether it is confirmed. */
static json_t *case_tags(json_t *c, double confidence)
{
    static const struct {
        double at;
        const char *tag;
    } certainty[] = {
        {1.0, "infoleak:certainty=\"100\""}, {0.93, "infoleak:certainty=\"93\""},
        {0.75, "infoleak:certainty=\"75\""}, {0.5, "infoleak:certainty=\"50\""},
        {0.3, "infoleak:certainty=\"30\""},  {0.07, "infoleak:certainty=\"7\""},
        {0.0, "infoleak:certainty=\"0\""},
    };
    json_t *tags = json_array();
    if (!tags)
        return NULL;
    int bad = add_tag(tags, "tlp:amber", "#FFC000") ||
              add_tag(tags, "dark-web:topic=\"intellectual-property-"
                            "copyright-materials\"",
                      "#000000") ||
              add_tag(tags, "infoleak:submission=\"crawler\"", "#0088cc");
    for (size_t i = 0; !bad && i < sizeof certainty / sizeof *certainty; i++)
        if (confidence >= certainty[i].at) {
            bad = add_tag(tags, certainty[i].tag, "#0088cc");
            break;
        }
    const char *status = str(c, "status");
    if (!bad && !strcmp(status, "confirmed"))
        bad = add_tag(tags, "infoleak:confirmed=\"true-positive\"", "#0088cc");
    if (!bad && !strcmp(status, "false-positive"))
        bad = add_tag(tags, "infoleak:confirmed=\"false-positive\"", "#0088cc");
    if (bad) {
        json_decref(tags);
        return NULL;
    }
    return tags;
}

/* Appends to hashes (a string of CSV lines) the line of one attribute
 * value; false when out of memory. */
static bool add_hash(char **hashes, size_t *len, const char *value,
                     const char *event)
{
    char md5[33], line[128];
    md5_hex(value, md5);
    int n = snprintf(line, sizeof line, "%s,%s\n", md5, event);
    char *p = realloc(*hashes, *len + (size_t)n + 1);
    if (!p)
        return false;
    memcpy(p + *len, line, (size_t)n + 1);
    *hashes = p;
    *len += (size_t)n;
    return true;
}

/* An attribute as MISP's feeds write one, its uuid derived from the event
 * and what it says. */
static json_t *attribute(const char *event, const char *type,
                         const char *category, const char *relation,
                         const char *value, const char *ts,
                         const char *comment)
{
    char name[512], uuid[37];
    snprintf(name, sizeof name, "%s|%s|%.400s", type,
             relation ? relation : "", value);
    lp_misp_uuid5(event, name, uuid);
    json_t *a = json_pack("{s:s,s:s,s:s,s:s,s:b,s:b,s:s,s:b}", "uuid", uuid,
                          "type", type, "category", category, "value", value,
                          "to_ids", 0, "deleted", 0, "timestamp", ts,
                          "disable_correlation", !strcmp(type, "size-in-bytes"));
    if (a && relation &&
        json_object_set_new(a, "object_relation", json_string(relation))) {
        json_decref(a);
        return NULL;
    }
    if (a && comment && *comment &&
        json_object_set_new(a, "comment", json_string(comment))) {
        json_decref(a);
        return NULL;
    }
    return a;
}

/* Appends attribute a to the array arr and its hash line; false when out
 * of memory (a is released). */
static bool put_attr(json_t *arr, json_t *a, const char *event,
                     char **hashes, size_t *len)
{
    if (!a)
        return false;
    const char *v = json_string_value(json_object_get(a, "value"));
    if (json_array_append_new(arr, a) || !add_hash(hashes, len, v, event))
        return false;
    return true;
}

/* The event of case c (lp_cases_show()'s object) and its manifest entry;
 * hash lines appended. NULL when out of memory. */
static json_t *event_of(json_t *c, const char *org, const char *org_uuid,
                        char uuid[37], json_t **manifest, char **hashes,
                        size_t *hlen)
{
    json_t *items = json_object_get(c, "items");
    json_t *first = json_array_get(items, 0);
    char name[128], ts[24];
    if (first)
        snprintf(name, sizeof name, "case|%s", str(first, "sha256"));
    else
        snprintf(name, sizeof name, "case|id %" JSON_INTEGER_FORMAT,
                 json_integer_value(json_object_get(c, "id")));
    lp_misp_uuid5(MISP_NS, name, uuid);
    unix_time(str(c, "updated"), ts);

    double confidence = 0;
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        double v = json_real_value(json_object_get(it, "confidence"));
        confidence = v > confidence ? v : confidence;
    }
    const char *status = str(c, "status"), *level = str(c, "level");
    int analysis = !strcmp(status, "new")             ? 0
                   : !strcmp(status, "investigating") ? 1
                                                      : 2;
    int threat = !strcmp(level, "confirmed") ? 1
                 : !strcmp(level, "likely")  ? 2
                                             : 3;
    char info[512], date[11] = {0};
    snprintf(info, sizeof info,
             "leakprint case %" JSON_INTEGER_FORMAT ": %s leak of protected "
             "code (%zu item%s)",
             json_integer_value(json_object_get(c, "id")), level,
             json_array_size(items), json_array_size(items) == 1 ? "" : "s");
    snprintf(date, sizeof date, "%.10s", str(c, "created"));

    json_t *tags = case_tags(c, confidence);
    json_t *orgc = json_pack("{s:s,s:s}", "name", org, "uuid", org_uuid);
    json_t *attrs = json_array(), *objects = json_array();
    json_t *ev = NULL;
    bool ok = tags && orgc && attrs && objects;
    json_t *seen_urls = json_object();
    ok = ok && seen_urls;
    json_array_foreach(items, i, it) {
        if (!ok)
            break;
        const char *sha = str(it, "sha256");
        char ouuid[37], oname[80], size[24];
        snprintf(oname, sizeof oname, "file|%s", sha);
        lp_misp_uuid5(uuid, oname, ouuid);
        snprintf(size, sizeof size, "%" JSON_INTEGER_FORMAT,
                 json_integer_value(json_object_get(it, "size")));
        json_t *oa = json_array();
        json_t *obj = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o}", "name",
                                "file", "meta-category", "file", "description",
                                "File object describing a file with meta-"
                                "information",
                                "template_uuid", FILE_TEMPLATE,
                                "template_version", "24", "uuid", ouuid,
                                "timestamp", ts, "Attribute", json_incref(oa));
        ok = obj && oa && !json_array_append_new(objects, obj);
        ok = ok &&
             put_attr(oa,
                      attribute(uuid, "sha256", "Payload delivery", "sha256",
                                sha, ts, str(it, "summary")),
                      uuid, hashes, hlen);
        ok = ok && put_attr(oa,
                            attribute(uuid, "filename", "Payload delivery",
                                      "filename", str(it, "name"), ts, NULL),
                            uuid, hashes, hlen);
        ok = ok && put_attr(oa,
                            attribute(uuid, "size-in-bytes", "Other",
                                      "size-in-bytes", size, ts, NULL),
                            uuid, hashes, hlen);
        json_decref(oa);
        /* where it was seen: each URL once, as an event attribute */
        size_t k;
        json_t *s;
        json_array_foreach(json_object_get(it, "sightings"), k, s) {
            const char *url = str(s, "url");
            if (!ok || !*url || json_object_get(seen_urls, url))
                continue;
            char comment[512];
            snprintf(comment, sizeof comment, "%s seen at %s%s%s",
                     str(s, "name"), str(s, "seen_at"),
                     *str(s, "source") ? " from " : "", str(s, "source"));
            ok = !json_object_set_new(seen_urls, url, json_true()) &&
                 put_attr(attrs,
                          attribute(uuid, "url", "External analysis", NULL,
                                    url, ts, comment),
                          uuid, hashes, hlen);
        }
    }
    json_decref(seen_urls);
    if (ok)
        ev = json_pack("{s:{s:s,s:s,s:s,s:i,s:i,s:s,s:b,s:O,s:O,s:O,s:O}}",
                       "Event", "uuid", uuid, "info", info, "date", date,
                       "analysis", analysis, "threat_level_id", threat,
                       "timestamp", ts, "published", 0, "Orgc", orgc, "Tag",
                       tags, "Attribute", attrs, "Object", objects);
    if (ev)
        *manifest = json_pack("{s:O,s:O,s:s,s:s,s:i,s:i,s:s}", "Orgc", orgc,
                              "Tag", tags, "info", info, "date", date,
                              "analysis", analysis, "threat_level_id", threat,
                              "timestamp", ts);
    json_decref(tags);
    json_decref(orgc);
    json_decref(attrs);
    json_decref(objects);
    if (ev && !*manifest) {
        json_decref(ev);
        return NULL;
    }
    return ev;
}

/* Writes the n bytes at data to dir/name through a temporary file, fsync'd
 * and renamed: a reader sees the old file or the new one. 0, or -1 after
 * naming the problem. */
static int write_file(const char *dir, const char *name, const char *data,
                      size_t n)
{
    char path[4200], tmp[4300];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    size_t done = 0;
    while (fd >= 0 && done < n) {
        ssize_t w = write(fd, data + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    int e = errno;
    bool ok = fd >= 0 && done == n && fsync(fd) == 0;
    if (fd >= 0 && close(fd) != 0)
        ok = false;
    if (ok && rename(tmp, path) == 0)
        return 0;
    lp_daemon_error("'%s': cannot write: %s", path,
                    lp_daemon_strerror(e ? e : errno));
    unlink(tmp);
    return -1;
}

static int write_json(const char *dir, const char *name, json_t *v)
{
    /* jansson's own allocator made s (the tool's may be an arena) */
    json_malloc_t m;
    json_free_t f;
    json_get_alloc_funcs(&m, &f);
    char *s = json_dumps(v, JSON_INDENT(2));
    size_t n = s ? strlen(s) : 0;
    char *t = s ? malloc(n + 1) : NULL;
    if (!t) {
        if (s)
            f(s);
        lp_daemon_error("'%s/%s': out of memory", dir, name);
        return -1;
    }
    memcpy(t, s, n);
    t[n] = '\n';
    f(s);
    int r = write_file(dir, name, t, n + 1);
    free(t);
    return r;
}

/* The organisation's uuid. */
static void org_uuid_of(const char *org, char out[37])
{
    char name[300];
    snprintf(name, sizeof name, "org|%s", org);
    lp_misp_uuid5(MISP_NS, name, out);
}

static int make_feed_dir(const char *dir)
{
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        lp_daemon_error("'%s': cannot make the feed directory: %s", dir,
                        lp_daemon_strerror(errno));
        return -1;
    }
    return 0;
}

/* Writes the event of case id to dir, sets its manifest entry and appends
 * its hash lines; its uuid into uuid. 0, or -1 after naming the problem. */
static int write_case(struct lp_cases *c, const char *dir, const char *org,
                      const char *org_uuid, int64_t id, json_t *manifest,
                      char **hashes, size_t *hlen, char uuid[37])
{
    lp_err err = LP_OK;
    json_t *one = lp_cases_show(c, id, &err);
    if (!one) {
        lp_daemon_error("%s", lp_cases_errmsg(c));
        return -1;
    }
    char file[64];
    json_t *entry = NULL;
    json_t *ev = event_of(one, org, org_uuid, uuid, &entry, hashes, hlen);
    json_decref(one);
    if (!ev || json_object_set_new(manifest, uuid, entry)) {
        json_decref(ev);
        lp_daemon_error("'%s': out of memory", dir);
        return -1;
    }
    snprintf(file, sizeof file, "%s.json", uuid);
    int rc = write_json(dir, file, ev);
    json_decref(ev);
    return rc;
}

static int64_t row_id(json_t *row)
{
    return (int64_t)json_integer_value(json_object_get(row, "id"));
}

int lp_misp_export(struct lp_cases *c, const char *dir, const char *org)
{
    if (make_feed_dir(dir))
        return -1;
    json_t *list = lp_cases_list(c, NULL, NULL);
    if (!list) {
        lp_daemon_error("%s", lp_cases_errmsg(c));
        return -1;
    }
    char org_uuid[37], uuid[37];
    org_uuid_of(org, org_uuid);
    json_t *manifest = json_object();
    char *hashes = NULL;
    size_t hlen = 0;
    int rc = manifest ? 0 : -1;
    /* oldest case first: the manifest and hashes.csv in a stable order */
    for (size_t i = json_array_size(list); rc == 0 && i-- > 0;)
        rc = write_case(c, dir, org, org_uuid, row_id(json_array_get(list, i)),
                        manifest, &hashes, &hlen, uuid);
    if (rc == 0)
        rc = write_json(dir, "manifest.json", manifest);
    if (rc == 0)
        rc = write_file(dir, "hashes.csv", hashes ? hashes : "", hlen);
    free(hashes);
    json_decref(manifest);
    json_decref(list);
    return rc;
}

/* Reads the whole file dir/name (at most MISP_FEED_MAX bytes) into a
 * string to free(), its length into *len; NULL when it is missing, larger
 * or unreadable. */
static char *read_small(const char *dir, const char *name, size_t *len)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return NULL;
    char *buf = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
        st.st_size <= MISP_FEED_MAX && (buf = malloc((size_t)st.st_size + 1))) {
        size_t done = 0, n = (size_t)st.st_size;
        while (done < n) {
            ssize_t r = read(fd, buf + done, n - done);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            done += (size_t)r;
        }
        if (done == n) {
            buf[n] = '\0';
            *len = n;
        } else {
            free(buf);
            buf = NULL;
        }
    }
    close(fd);
    return buf;
}

/* The feed in dir as a full export left it (lp_misp_feed_parse()). -1
 * (nothing said) when it is missing or not what an export writes: the
 * whole feed is then written again. */
static int read_feed(const char *dir, json_t **manifest, json_t **chunks)
{
    size_t mlen = 0, hlen = 0;
    char *m = read_small(dir, "manifest.json", &mlen);
    char *h = m ? read_small(dir, "hashes.csv", &hlen) : NULL;
    int rc = h ? lp_misp_feed_parse(m, mlen, h, hlen, manifest, chunks) : -1;
    free(m);
    free(h);
    return rc;
}

/* Adds the ids of rows (objects with "id") to the set want (keys: the
 * decimal ids); false when out of memory. */
static bool want_ids(json_t *want, json_t *rows, const char *key)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        char k[32];
        snprintf(k, sizeof k, "%" JSON_INTEGER_FORMAT,
                 json_integer_value(json_object_get(row, key)));
        if (json_object_set_new(want, k, json_true()))
            return false;
    }
    return true;
}

/* The whole feed written, and the sink marked as holding every case up
 * to revision upto. */
static int whole_feed(struct lp_cases *c, const char *sink, const char *dir,
                      const char *org, int64_t upto)
{
    if (lp_misp_export(c, dir, org))
        return -1;
    if (lp_cases_feed_mark(c, sink, upto)) {
        lp_daemon_error("%s", lp_cases_errmsg(c));
        return -1;
    }
    return 0;
}

int lp_misp_update(struct lp_cases *c, const char *sink, const char *dir,
                   const char *org, json_t *alerts)
{
    json_t *manifest = NULL, *chunks = NULL;
    if (make_feed_dir(dir))
        return -1;
    /* the cases changed since the sink last wrote them: an item filed
     * into them, seen again, their status set */
    int64_t upto = 0;
    json_t *touched = lp_cases_touched(c, sink, &upto);
    if (!touched) {
        lp_daemon_error("%s", lp_cases_errmsg(c));
        return -1;
    }
    if (read_feed(dir, &manifest, &chunks)) {
        json_decref(touched);
        return whole_feed(c, sink, dir, org, upto);
    }
    if (!json_array_size(alerts) && !json_array_size(touched)) {
        /* nothing waits and nothing changed: the feed is as it was */
        json_decref(touched);
        json_decref(manifest);
        json_decref(chunks);
        return 0;
    }
    json_t *list = touched ? lp_cases_list(c, NULL, NULL) : NULL;
    json_t *want = json_object();
    int rc = 0;
    if (!list) {
        lp_daemon_error("%s", lp_cases_errmsg(c));
        rc = -1;
    } else if (!want || !want_ids(want, alerts, "case_id") ||
               !want_ids(want, touched, "id")) {
        lp_daemon_error("'%s': out of memory", dir);
        rc = -1;
    }
    char org_uuid[37], uuid[37];
    org_uuid_of(org, org_uuid);
    /* oldest case first: a new case's entry comes after those before it */
    for (size_t i = json_array_size(list); rc == 0 && i-- > 0;) {
        int64_t id = row_id(json_array_get(list, i));
        char k[32];
        snprintf(k, sizeof k, "%" PRId64, id);
        if (!json_object_get(want, k))
            continue;
        char *hashes = NULL;
        size_t hlen = 0;
        rc = write_case(c, dir, org, org_uuid, id, manifest, &hashes, &hlen,
                        uuid);
        if (rc == 0 && !hashes)
            json_object_del(chunks, uuid); /* no attribute: no line */
        else if (rc == 0 &&
                 json_object_set_new(chunks, uuid, json_string(hashes))) {
            lp_daemon_error("'%s': out of memory", dir);
            rc = -1;
        }
        free(hashes);
    }
    /* a feed of other cases (another database's, or cases since gone):
     * written whole */
    bool whole = rc == 0 && json_object_size(manifest) != json_array_size(list);
    /* hashes.csv: each event's lines, in the manifest's order */
    char *all = NULL;
    size_t len = 0;
    const char *key;
    json_t *v;
    json_object_foreach(manifest, key, v) {
        const char *lines = json_string_value(json_object_get(chunks, key));
        size_t n = lines ? strlen(lines) : 0;
        if (rc || whole || !n)
            continue;
        char *p = realloc(all, len + n + 1);
        if (!p) {
            lp_daemon_error("'%s': out of memory", dir);
            rc = -1;
            break;
        }
        all = p;
        memcpy(all + len, lines, n + 1);
        len += n;
    }
    if (rc == 0 && !whole)
        rc = write_json(dir, "manifest.json", manifest);
    if (rc == 0 && !whole)
        rc = write_file(dir, "hashes.csv", all ? all : "", len);
    free(all);
    json_decref(want);
    json_decref(list);
    json_decref(touched);
    json_decref(manifest);
    json_decref(chunks);
    if (whole)
        return whole_feed(c, sink, dir, org, upto);
    if (rc == 0 && lp_cases_feed_mark(c, sink, upto)) {
        lp_daemon_error("%s", lp_cases_errmsg(c));
        rc = -1;
    }
    return rc;
}
