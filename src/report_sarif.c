/* SPDX-License-Identifier: Apache-2.0
 *
 * report_sarif: scan results as SARIF 2.1.0, for code-scanning dashboards.
 * One result per (file, match): its first span is the location, the other
 * spans and the matched asset are related locations; the verdict and the
 * scores go in property bags. Built with jansson.
 */
#include <jansson.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "report.h"
#include "banned.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

static json_t *jstr(const char *s)
{
    char *u = lp_report_utf8(s);
    json_t *j = u ? json_string(u) : NULL;
    lp_free(u);
    return j;
}

/* A SARIF uri is a URI reference: percent-encode every byte outside the
 * unreserved and sub-delimiter characters (and '/'). */
static json_t *juri(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    static const char ok[] = "-._~/!$&'()*+,;=:@";
    size_t n = strlen(path), cap;
    if (!lp_mul_ok(n, 3, &cap) || !lp_add_ok(cap, 1, &cap))
        return NULL;
    char *out = lp_malloc(cap), *o = out;
    if (!out)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (isalnum(*p) || (*p < 0x80 && strchr(ok, *p))) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    json_t *j = json_string(out);
    lp_free(out);
    return j;
}

static json_t *location(json_t *uri, uint32_t first, uint32_t last)
{
    return json_pack("{s:{s:{s:o},s:{s:I,s:I}}}", "physicalLocation",
                     "artifactLocation", "uri", uri, "region", "startLine",
                     (json_int_t)(first ? first : 1), "endLine",
                     (json_int_t)(last ? last : 1));
}

static json_t *related(const struct lp_scan *s, const struct lp_file_result *f,
                       const struct lp_match *m)
{
    json_t *arr = json_array();
    char label[64];
    for (size_t i = 0; arr && i < m->nspans; i++) {
        const struct lp_span *sp = &m->spans[i];
        json_t *asset = location(juri(m->asset), sp->asset_lines[0],
                                 sp->asset_lines[1]);
        snprintf(label, sizeof label, "asset lines of span %zu (%s)", i + 1,
                 lp_how_name((enum lp_how)sp->how));
        if (asset)
            json_object_set_new(asset, "message",
                                json_pack("{s:s}", "text", label));
        json_array_append_new(arr, asset);
        if (i > 0)
            json_array_append_new(arr, location(juri(f->path), sp->lines[0],
                                                sp->lines[1]));
    }
    (void)s;
    return arr;
}

static json_t *result(const struct lp_scan *s, const struct lp_file_result *f,
                      const struct lp_match *m)
{
    const struct lp_snapshot *snap = s->snap;
    char msg[1024];
    snprintf(msg, sizeof msg, "%s copy of %s:%s (version %s): similarity "
             "%.2f, coverage %.2f",
             m->exact ? "Identical" : "Similar",
             snap->collections[m->collection].name, m->asset,
             snap->versions[m->version].name, m->similarity, m->coverage);
    uint32_t first = m->nspans ? m->spans[0].lines[0] : 1;
    uint32_t last = m->nspans ? m->spans[0].lines[1] : 1;
    const char *level = m->exact || m->similarity >= 0.5 ? "error" : "warning";
    return json_pack(
        "{s:s,s:s,s:{s:o},s:[o],s:o,s:{s:o,s:o,s:o,s:f,s:f,s:b}}", "ruleId",
        "leaked-code", "level", level, "message", "text", jstr(msg),
        "locations", location(juri(f->path), first, last), "relatedLocations",
        related(s, f, m), "properties", "collection",
        jstr(snap->collections[m->collection].name), "asset", jstr(m->asset),
        "version", jstr(snap->versions[m->version].name), "similarity",
        round(m->similarity * 1e4) / 1e4, "coverage",
        round(m->coverage * 1e4) / 1e4, "exact", (int)m->exact);
}

/* Inputs not read become notifications of the run's invocation, so that
 * a SARIF viewer shows them too. */
static json_t *invocations(const struct lp_scan *s)
{
    json_t *notes = json_array();
    for (size_t i = 0; notes && i < s->nskips; i++) {
        json_t *n = json_pack(
            "{s:s,s:{s:o},s:[{s:{s:{s:o}}}]}", "level", "warning", "message",
            "text", jstr(s->skips[i].reason), "locations",
            "physicalLocation", "artifactLocation", "uri",
            juri(s->skips[i].path));
        if (json_array_append_new(notes, n)) {
            json_decref(notes);
            return NULL;
        }
    }
    return json_pack("[{s:b,s:o}]", "executionSuccessful", 1,
                     "toolExecutionNotifications", notes);
}

lp_err lp_report_sarif(const struct lp_scan *s, int color, FILE *fp)
{
    (void)color;
    json_t *results = json_array();
    for (size_t i = 0; results && i < s->nfiles; i++)
        for (size_t k = 0; k < s->files[i].nmatches; k++)
            if (json_array_append_new(results,
                                      result(s, &s->files[i],
                                             &s->files[i].matches[k]))) {
                json_decref(results);
                results = NULL;
                break;
            }
    json_t *doc = json_pack(
        "{s:s,s:s,s:[{s:{s:{s:s,s:s,s:s,s:[{s:s,s:{s:s},s:{s:s}}]}},s:o,"
        "s:o,s:{s:s,s:f,s:o}}]}",
        "$schema", SARIF_SCHEMA, "version", "2.1.0", "runs", "tool", "driver",
        "name", "leakprint", "version", LP_VERSION_STRING, "semanticVersion",
        LP_VERSION_STRING, "rules", "id", "leaked-code",
        "shortDescription", "text",
        "Protected code found in the scanned material", "fullDescription",
        "text",
        "A file holds a copy (identical or after layout and comment changes) "
        "of a file registered in the leakprint registry.",
        "results", results, "invocations", invocations(s), "properties",
        "verdict", lp_level_name(s->level),
        "confidence", round(s->confidence * 1e4) / 1e4, "summary",
        jstr(s->summary));
    if (!doc)
        return LP_ENOMEM;
    int r = json_dumpf(doc, fp, JSON_INDENT(2));
    json_decref(doc);
    if (r != 0 || fputc('\n', fp) == EOF)
        return LP_EIO;
    return LP_OK;
}
