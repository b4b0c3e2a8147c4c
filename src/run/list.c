/* SPDX-License-Identifier: Apache-2.0
 *
 * list: `leakprint list` and `leakprint stats` output, as text or JSON.
 * Both read the metadata of the handle's generation in one read
 * transaction (meta.c); JSON documents are built with jansson, never by
 * hand. Shapes:
 *   list:  {"collections":[{"name","public","versions":[{"name","created",
 *           "files"}]}]}, created as "YYYY-MM-DDTHH:MM:SSZ"
 *   stats: {"collections","versions","files","blobs","blob_bytes",
 *           "fingerprints","segments","segment_bytes","meta_bytes",
 *           "index_bytes_per_source_byte"}
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "leakprint.h"
#include "mem.h"
#include "meta.h"
#include "registry.h"
#include "report.h"

#include "banned.h"

static lp_err write_error(lp_registry *reg)
{
    return lp_registry_seterr(reg, LP_EIO, "write failed: %s",
                              strerror(errno));
}

/* Writes a JSON document and a newline; steals root. */
static lp_err dump_json(lp_registry *reg, json_t *root, FILE *fp)
{
    if (!root)
        return lp_registry_seterr(reg, LP_ENOMEM, "'%s': out of memory",
                                  lp_registry_path(reg));
    int rc = json_dumpf(root, fp, JSON_INDENT(2));
    json_decref(root);
    if (rc != 0 || fputc('\n', fp) == EOF || fflush(fp) != 0 || ferror(fp))
        return write_error(reg);
    return LP_OK;
}

/* ---- list --------------------------------------------------------------- */

/* One collection being gathered from consecutive rows. */
struct list_ctx {
    int json;
    FILE *fp;
    bool failed; /* out of memory or write error */
    json_t *arr;      /* JSON: collections */
    json_t *versions; /* JSON: current collection's versions, borrowed */
    char *name;       /* text: current collection */
    bool public_;
    uint64_t nversions;
    char *newest;
    int64_t created;
    uint64_t files;
};

static void text_flush(struct list_ctx *c)
{
    if (!c->name)
        return;
    /* names are escaped as scan's reports escape them: a name written by an
     * older leakprint may hold control characters */
    int rc;
    lp_utf8_put_escaped(c->name, c->fp);
    if (c->newest) {
        char when[32];
        lp_format_time(c->created, when);
        rc = fprintf(c->fp, "%s\t%" PRIu64 " version%s\tnewest ",
                     c->public_ ? " (public)" : "", c->nversions,
                     c->nversions == 1 ? "" : "s");
        lp_utf8_put_escaped(c->newest, c->fp);
        if (rc >= 0)
            rc = fprintf(c->fp, " (%s)\t%" PRIu64 " files\n", when,
                         c->files);
    } else {
        rc = fprintf(c->fp, "%s\t0 versions\n",
                     c->public_ ? " (public)" : "");
    }
    if (rc < 0 || ferror(c->fp))
        c->failed = true;
    lp_free(c->name);
    lp_free(c->newest);
    c->name = c->newest = NULL;
}

static int text_row(struct list_ctx *c, const struct lp_meta_list_row *r)
{
    if (!c->name || strcmp(c->name, r->collection) != 0) {
        text_flush(c);
        c->name = lp_strdup(r->collection);
        c->public_ = r->public_;
        c->nversions = 0;
    }
    if (r->version) {
        lp_free(c->newest);
        c->newest = lp_strdup(r->version);
        c->created = r->created;
        c->files = r->files;
        c->nversions++;
    }
    if (!c->name || (r->version && !c->newest))
        c->failed = true;
    return c->failed;
}

/* A name as a JSON string; one that is not UTF-8 (written by an older
 * leakprint) with its bytes above 0x7f written \xNN, as text escapes. */
static json_t *json_name(const char *s)
{
    json_t *j = json_string(s);
    if (j || !s)
        return j;
    size_t n = strlen(s);
    char *e = lp_malloc(4 * n + 1);
    if (!e)
        return NULL;
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        o += (size_t)(*p >= 0x80 ? snprintf(e + o, 5, "\\x%02x", *p)
                                 : snprintf(e + o, 2, "%c", *p));
    j = json_string(e);
    lp_free(e);
    return j;
}

static int json_row(struct list_ctx *c, const struct lp_meta_list_row *r)
{
    if (!c->name || strcmp(c->name, r->collection) != 0) {
        lp_free(c->name);
        c->name = lp_strdup(r->collection);
        c->versions = NULL;
        json_t *o = json_object();
        /* the _new setters steal their value even when they fail */
        if (!c->name || !o ||
            json_object_set_new(o, "name", json_name(r->collection)) ||
            json_object_set_new(o, "public", json_boolean(r->public_)) ||
            json_object_set_new(o, "versions", json_array())) {
            json_decref(o);
            c->failed = true;
            return 1;
        }
        c->versions = json_object_get(o, "versions"); /* borrowed */
        if (json_array_append_new(c->arr, o)) {
            c->failed = true;
            return 1;
        }
    }
    if (r->version) {
        char when[32];
        lp_format_time(r->created, when);
        json_t *v = json_object();
        if (!v || json_object_set_new(v, "name", json_name(r->version)) ||
            json_object_set_new(v, "created", json_string(when)) ||
            json_object_set_new(v, "files", json_integer((json_int_t)r->files)) ||
            json_array_append_new(c->versions, v))
            c->failed = true;
    }
    return c->failed;
}

static int list_row(void *ctx, const struct lp_meta_list_row *r)
{
    struct list_ctx *c = ctx;
    return c->json ? json_row(c, r) : text_row(c, r);
}

lp_err lp_list_write(lp_registry *reg, int json, FILE *fp)
{
    struct list_ctx c = {.json = json, .fp = fp};
    json_t *root = NULL;
    lp_err e = LP_OK;
    if (!lp_registry_meta(reg))
        return lp_registry_seterr(reg, LP_EINVAL, "registry is not open");
    if (json) {
        root = json_object();
        c.arr = json_array();
        if (!root || !c.arr ||
            json_object_set(root, "collections", c.arr)) {
            e = lp_registry_seterr(reg, LP_ENOMEM, "'%s': out of memory",
                                   lp_registry_path(reg));
            goto out;
        }
    }
    e = lp_meta_list(lp_registry_meta(reg), lp_registry_gen(reg), list_row,
                     &c);
    if (!json && !e)
        text_flush(&c);
    if (c.failed || e == LP_EABORTED) {
        e = json ? lp_registry_seterr(reg, LP_ENOMEM, "'%s': out of memory",
                                      lp_registry_path(reg))
                 : write_error(reg);
        goto out;
    }
    if (e)
        goto out;
    if (json) {
        e = dump_json(reg, root, fp);
        root = NULL;
    } else if (fflush(fp) != 0 || ferror(fp)) {
        e = write_error(reg);
    }
out:
    json_decref(c.arr);
    json_decref(root);
    lp_free(c.name);
    lp_free(c.newest);
    return e;
}

/* ---- stats -------------------------------------------------------------- */

lp_err lp_stats_write(lp_registry *reg, int json, FILE *fp)
{
    struct lp_meta_counts n;
    struct lp_registry_disk d;
    if (!lp_registry_meta(reg))
        return lp_registry_seterr(reg, LP_EINVAL, "registry is not open");
    lp_err e = lp_meta_counts(lp_registry_meta(reg), lp_registry_gen(reg), &n);
    if (e)
        return e;
    lp_registry_disk(reg, &d);
    double ratio = n.blob_bytes
                       ? (double)(d.segment_bytes + d.meta_bytes) /
                             (double)n.blob_bytes
                       : 0.0;
    struct {
        const char *key, *label;
        uint64_t v;
    } rows[] = {
        {"collections", "collections", n.collections},
        {"versions", "versions", n.versions},
        {"files", "files", n.files},
        {"blobs", "blobs", n.blobs},
        {"blob_bytes", "blob bytes", n.blob_bytes},
        {"fingerprints", "fingerprints", d.fingerprints},
        {"segments", "segments", d.segments},
        {"segment_bytes", "segment bytes", d.segment_bytes},
        {"meta_bytes", "metadata bytes", d.meta_bytes},
    };
    size_t nrows = sizeof rows / sizeof rows[0];
    if (json) {
        json_t *root = json_object();
        for (size_t i = 0; root && i < nrows; i++)
            if (json_object_set_new(root, rows[i].key,
                                    json_integer((json_int_t)rows[i].v))) {
                json_decref(root);
                root = NULL;
            }
        if (root && json_object_set_new(root, "index_bytes_per_source_byte",
                                        json_real(ratio))) {
            json_decref(root);
            root = NULL;
        }
        return dump_json(reg, root, fp);
    }
    for (size_t i = 0; i < nrows; i++)
        fprintf(fp, "%-28s %" PRIu64 "\n", rows[i].label, rows[i].v);
    fprintf(fp, "%-28s %.3f\n", "index bytes per source byte", ratio);
    if (fflush(fp) != 0 || ferror(fp))
        return write_error(reg);
    return LP_OK;
}
