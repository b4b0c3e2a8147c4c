/* SPDX-License-Identifier: Apache-2.0
 *
 * report_sarif: results as SARIF 2.1.0, for code-scanning dashboards. Two
 * documents share one skeleton (one run; the driver; inputs not read as
 * notifications of the invocation):
 * - scan: one result per (file, match): its first span is the location,
 *   the other spans and the matched asset are related locations; the
 *   verdict and the scores go in property bags. An asset is a file of the
 *   registry, not of the scanned tree: its locations are relative to the
 *   uriBaseId REGISTRY ("collection/path"). partialFingerprints hold a
 *   hash of the collection, the asset and the file's content. With
 *   --secrets, the secrets and exposures follow as results of their rules,
 *   as in the document of secrets.
 * - secrets: one result per secret or exposure, of its rule; only the rules
 *   that have results are listed. A secret's value never appears: the
 *   message and the properties carry its masked form, and
 *   partialFingerprints its keyed fingerprint (stable from run to run, so
 *   a dashboard follows a secret that moves). Columns count bytes.
 * Built with jansson.
 */
#include <jansson.h>
#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "report.h"
#include "banned.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

/* The driver's informationUri. leakprint has no public home yet: this
 * reserved name (RFC 6761) holds the place until one is chosen, and a build
 * can set it with -DLP_HOMEPAGE=... */
#ifndef LP_HOMEPAGE
#define LP_HOMEPAGE "https://leakprint.invalid/"
#endif

/* partialFingerprints keys: the keyed fingerprint of the value. "v1" is
 * its scheme (HMAC-SHA256, hex); a new scheme takes a new key, so that a
 * dashboard never compares fingerprints of two schemes. */
#define FP_SECRET "leakprintSecret/v1"
#define FP_EXPOSURE "leakprintExposure/v1"
/* A match: SHA-256 (hex) of "collection\0asset\0" and the matched file's
 * SHA-256, so that the same content found again under another name or
 * line is the same result. */
#define FP_LEAK "leakprintLeak/v1"

/* The uriBaseId of the registry's files (assets). */
#define REGISTRY_BASE "REGISTRY"

static json_t *jstr(const char *s)
{
    char *u = lp_report_utf8(s);
    json_t *j = u ? json_string(u) : NULL;
    lp_free(u);
    return j;
}

/* A SARIF uri is a valid relative URI reference (RFC 3986): a leading
 * "./" (any number of them) is dropped, and every byte outside the
 * unreserved and sub-delimiter characters (and '/', '@') is
 * percent-encoded, ':' too, so that a first segment never reads as a
 * scheme. */
static json_t *juri(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    static const char ok[] = "-._~/!$&'()*+,;=@";
    while (path[0] == '.' && path[1] == '/') {
        path += 2;
        while (*path == '/')
            path++;
    }
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

/* A physical location: uri (stolen) and a region of lines first..last.
 * column (1-based) is set when known, else 0; last is left out when 0 (a
 * region of one line). SARIF counts from 1: a 0 line becomes 1. */
static json_t *location_at(json_t *uri, uint32_t first, uint32_t last,
                           uint32_t column)
{
    uint32_t start = first ? first : 1;
    json_t *region = json_pack("{s:I}", "startLine", (json_int_t)start);
    bool ok = region != NULL;
    if (ok && column)
        ok = !json_object_set_new(region, "startColumn",
                                  json_integer(column));
    if (ok && last)
        ok = !json_object_set_new(region, "endLine",
                                  json_integer(last < start ? start : last));
    if (!ok) {
        json_decref(region);
        region = NULL; // json_pack below then fails: out of memory
    }
    return json_pack("{s:{s:{s:o},s:o}}", "physicalLocation",
                     "artifactLocation", "uri", uri, "region", region);
}

static json_t *location(json_t *uri, uint32_t first, uint32_t last)
{
    return location_at(uri, first, last ? last : 1, 0);
}

/* The uri of an asset under REGISTRY_BASE: "collection/path"; NULL when
 * out of memory. */
static json_t *asset_uri(const struct lp_scan *s, const struct lp_match *m)
{
    const char *c = s->collections[m->collection].name;
    size_t n = strlen(c), len;
    if (!lp_add_ok(n, strlen(m->asset), &len) || !lp_add_ok(len, 2, &len))
        return NULL;
    char *p = lp_malloc(len);
    if (!p)
        return NULL;
    snprintf(p, len, "%s/%s", c, m->asset);
    json_t *j = juri(p);
    lp_free(p);
    return j;
}

/* A location of asset lines first..last, in the registry. */
static json_t *asset_location(const struct lp_scan *s, const struct lp_match *m,
                              uint32_t first, uint32_t last)
{
    json_t *l = location(asset_uri(s, m), first, last);
    json_t *a = json_object_get(json_object_get(l, "physicalLocation"),
                                "artifactLocation");
    if (a && json_object_set_new(a, "uriBaseId", json_string(REGISTRY_BASE))) {
        json_decref(l);
        return NULL;
    }
    return l;
}

static json_t *related(const struct lp_scan *s, const struct lp_file_result *f,
                       const struct lp_match *m)
{
    json_t *arr = json_array();
    char label[64];
    for (size_t i = 0; arr && i < m->nspans; i++) {
        const struct lp_span *sp = &m->spans[i];
        json_t *asset = asset_location(s, m, sp->asset_lines[0],
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
    return arr;
}

/* FP_LEAK into hex: the SHA-256 of the collection's name, a NUL, the
 * asset's path and a NUL (a match; none for a listing), and the sample's
 * SHA-256. false when out of memory. */
static bool fingerprint_of(const char *collection, const char *asset,
                           const uint8_t sha[LP_SHA256_LEN],
                           char hex[2 * LP_SHA256_LEN + 1])
{
    size_t nc = strlen(collection) + 1, na = asset ? strlen(asset) + 1 : 0;
    size_t len;
    if (!lp_add_ok(nc, na, &len) || !lp_add_ok(len, LP_SHA256_LEN, &len))
        return false;
    uint8_t *buf = lp_malloc(len), sum[LP_SHA256_LEN];
    if (!buf)
        return false;
    memcpy(buf, collection, nc);
    if (asset)
        memcpy(buf + nc, asset, na);
    memcpy(buf + nc + na, sha, LP_SHA256_LEN);
    lp_err err = lp_sha256(buf, len, sum);
    lp_free(buf);
    if (err)
        return false;
    lp_hex(sum, LP_SHA256_LEN, hex);
    return true;
}

/* FP_LEAK of a match (see there) into hex; false when out of memory. */
static bool leak_fingerprint(const struct lp_scan *s,
                             const struct lp_file_result *f,
                             const struct lp_match *m,
                             char hex[2 * LP_SHA256_LEN + 1])
{
    return fingerprint_of(s->collections[m->collection].name, m->asset,
                          f->sha, hex);
}

static json_t *result(const struct lp_scan *s, const struct lp_file_result *f,
                      const struct lp_match *m)
{
    char msg[1024];
    snprintf(msg, sizeof msg, "%s copy of %s:%s (version %s): similarity "
             "%.2f, coverage %.2f",
             m->exact ? "Identical" : "Similar",
             s->collections[m->collection].name, m->asset,
             s->versions[m->version].name, m->similarity, m->coverage);
    uint32_t first = m->nspans ? m->spans[0].lines[0] : 1;
    uint32_t last = m->nspans ? m->spans[0].lines[1] : 1;
    const char *level = m->exact || m->similarity >= 0.5 ? "error" : "warning";
    char fp[2 * LP_SHA256_LEN + 1];
    if (!leak_fingerprint(s, f, m, fp))
        return NULL;
    json_t *o = json_pack(
        "{s:s,s:I,s:s,s:{s:o},s:[o],s:o,s:{s:s},s:{s:o,s:o,s:o,s:f,s:f,s:b}}",
        "ruleId", "leaked-code", "ruleIndex", (json_int_t)0, "level", level,
        "message", "text", jstr(msg), "locations",
        location(juri(f->path), first, last), "relatedLocations",
        related(s, f, m), "partialFingerprints", FP_LEAK, fp, "properties",
        "collection",
        jstr(s->collections[m->collection].name), "asset", jstr(m->asset),
        "version", jstr(s->versions[m->version].name), "similarity",
        round(m->similarity * 1e4) / 1e4, "coverage",
        round(m->coverage * 1e4) / 1e4, "exact", (int)m->exact);
    /* A blob of a git history (scan --history): its commit, as a
     * secret's result has it. */
    json_t *props = o && f->has_commit ? json_object_get(o, "properties")
                                       : NULL;
    if (props) {
        json_incref(props);
        if (!lp_report_with_commit(props, f)) {
            json_decref(o);
            return NULL;
        }
        json_decref(props);
    }
    return o;
}

/* A result of rule leaked-listing (index 1): file listing f names h's
 * registered files. A warning, as a listing is at most "likely" on names;
 * an error when listed hashes matched registered contents (a checksum
 * manifest is content evidence). */
static json_t *listing_result(const struct lp_scan *s,
                              const struct lp_file_result *f,
                              const struct lp_listing_hit *h)
{
    const char *c = s->collections[h->collection].name;
    uint32_t content = h->by_sha256 + h->by_git;
    char msg[1024], fp[2 * LP_SHA256_LEN + 1];
    snprintf(msg, sizeof msg, "File listing names %u of the %u registered "
             "files of %s (%u by a matching hash)", h->registered, h->total,
             c, content);
    if (!fingerprint_of(c, NULL, f->sha, fp)) /* no asset: the listing */
        return NULL;
    return json_pack(
        "{s:s,s:I,s:s,s:{s:o},s:[o],s:{s:s},s:{s:o,s:I,s:I,s:I,s:I,s:f}}",
        "ruleId", "leaked-listing", "ruleIndex", (json_int_t)1, "level",
        content ? "error" : "warning", "message", "text", jstr(msg),
        "locations", location(juri(f->path), 1, 1), "partialFingerprints",
        FP_LEAK, fp, "properties", "collection", jstr(c), "entries_matched",
        (json_int_t)h->matched, "assets_named", (json_int_t)h->registered,
        "assets_total", (json_int_t)h->total, "content_matched",
        (json_int_t)content, "coverage",
        h->total ? round((double)h->registered / h->total * 1e4) / 1e4 : 0.0);
}

/* Whether some file of s is a listing naming registered files. */
static bool has_listings(const struct lp_scan *s)
{
    for (size_t i = 0; i < s->nfiles; i++)
        if (s->files[i].listing && s->files[i].listing->nhits)
            return true;
    return false;
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


/* The driver: the tool's identity and the rules its results refer to
 * (stolen). */
static json_t *driver(json_t *rules)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:o}", "name", "leakprint",
                     "informationUri", LP_HOMEPAGE, "version",
                     LP_VERSION_STRING, "semanticVersion", LP_VERSION_STRING,
                     "rules", rules);
}

/* Writes the document of one run made of driver_rules, results and
 * properties (all stolen; NULL when out of memory), with the scan's
 * skipped inputs as the invocation's notifications, and the run's
 * originalUriBaseIds when bases is not NULL (stolen too). */
static lp_err write_run(const struct lp_scan *s, json_t *driver_rules,
                        json_t *results, json_t *properties, json_t *bases,
                        FILE *fp)
{
    json_t *doc = json_pack("{s:s,s:s,s:[{s:{s:o},s:o,s:o,s:o}]}", "$schema",
                            SARIF_SCHEMA, "version", "2.1.0", "runs", "tool",
                            "driver", driver(driver_rules), "results",
                            results, "invocations", invocations(s),
                            "properties", properties);
    if (doc && bases &&
        json_object_set_new(json_array_get(json_object_get(doc, "runs"), 0),
                            "originalUriBaseIds", bases)) {
        json_decref(doc);
        return LP_ENOMEM;
    }
    if (!doc) {
        json_decref(bases);
        return LP_ENOMEM;
    }
    int r = json_dumpf(doc, fp, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
    json_decref(doc);
    /* A dump that fails with no error on fp ran out of memory. */
    if (r != 0)
        return ferror(fp) ? LP_EIO : LP_ENOMEM;
    return fputc('\n', fp) == EOF ? LP_EIO : LP_OK;
}

static lp_err used_rules(const struct lp_scan *s, json_t *rules,
                         uint32_t **slot);
static bool add_findings(const struct lp_scan *s, const uint32_t *slot,
                         int which, json_t *results);

lp_err lp_report_sarif(const struct lp_scan *s, int color, FILE *fp)
{
    (void)color;
    uint32_t *slot = NULL;
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
    json_t *rules = json_pack(
        "[{s:s,s:{s:s},s:{s:s}}]", "id", "leaked-code", "shortDescription",
        "text", "Protected code found in the scanned material",
        "fullDescription", "text",
        "A file holds a copy (identical or after layout and comment changes) "
        "of a file registered in the leakprint registry.");
    /* file listings that name registered files: rule 1, after the
     * matches (only when there are some, so that the secrets' rules keep
     * their indices otherwise) */
    if (rules && has_listings(s)) {
        if (json_array_append_new(
                rules,
                json_pack("{s:s,s:{s:s},s:{s:s}}", "id", "leaked-listing",
                          "shortDescription", "text",
                          "A file listing names protected files",
                          "fullDescription", "text",
                          "A listing (find, tree, ls -R, tar tv, sha256sum, "
                          "git ls-tree...) names files registered in the "
                          "leakprint registry; no content was compared, "
                          "except the hashes it lists."))) {
            json_decref(rules);
            rules = NULL;
        }
        for (size_t i = 0; results && i < s->nfiles; i++) {
            const struct lp_listing_result *l = s->files[i].listing;
            for (size_t k = 0; l && k < l->nhits; k++)
                if (json_array_append_new(
                        results, listing_result(s, &s->files[i], &l->hits[k]))) {
                    json_decref(results);
                    results = NULL;
                    break;
                }
        }
    }
    /* --secrets: the rules with findings after leaked-code, and the
     * findings after the matches */
    lp_err err = rules ? used_rules(s, rules, &slot) : LP_ENOMEM;
    if (err) {
        json_decref(rules);
        json_decref(results);
        lp_free(slot);
        return err;
    }
    /* the secrets before the exposures, as the JSON document and a JSONL
     * report read back hold them */
    if (results && (!add_findings(s, slot, 0, results) ||
                    !add_findings(s, slot, 1, results))) {
        json_decref(results);
        results = NULL;
    }
    lp_free(slot);
    json_t *props = json_pack("{s:s,s:f,s:o}", "verdict",
                              lp_level_name(s->level), "confidence",
                              round(s->confidence * 1e4) / 1e4, "summary",
                              jstr(s->summary));
    if (props && s->secrets_mode != LP_SECRETS_OFF &&
        (json_object_set_new(props, "secrets", json_integer((json_int_t)s->nsecrets)) ||
         json_object_set_new(props, "exposures",
                             json_integer((json_int_t)s->nexposures)) ||
         (s->key_id[0] && json_object_set_new(props, "fingerprint_key",
                                               json_string(s->key_id))))) {
        json_decref(props);
        props = NULL;
    }
    json_t *bases = json_pack(
        "{s:{s:{s:s}}}", REGISTRY_BASE, "description", "text",
        "The files registered in the leakprint registry, as "
        "collection/path: an asset, not a file of the scanned material.");
    return write_run(s, rules, results, props, bases, fp);
}

/* ---- leakprint secrets ---- */

/* The rule's id in Pascal case ("aws-access-key-id" -> "AwsAccessKeyId"):
 * SARIF's reportingDescriptor.name is such an identifier. Ids are short
 * literals of the rule tables; a longer one is cut at the buffer. */
static void pascal_name(const char *id, char *out, size_t cap)
{
    size_t n = 0;
    bool up = true;
    for (const char *p = id; *p && n + 1 < cap; p++) {
        if (*p == '-' || *p == '_') {
            up = true;
            continue;
        }
        out[n++] = up ? (char)toupper((unsigned char)*p) : *p;
        up = false;
    }
    out[n] = '\0';
}

static bool is_exposure(const struct lp_res_rule *r)
{
    return r->flags & LP_RULE_EXPOSURE;
}

/* The level of a rule's results: a secret of a specific format (checked
 * shape, often a checksum) is an error, a generic assignment a warning; an
 * exposure is a note. */
static const char *rule_level(const struct lp_res_rule *r)
{
    if (is_exposure(r))
        return "note";
    return r->flags & LP_RULE_GENERIC ? "warning" : "error";
}

static json_t *rule_json(const struct lp_res_rule *r)
{
    char name[96];
    pascal_name(r->id, name, sizeof name);
    return json_pack("{s:s,s:s,s:{s:s},s:{s:s},s:{s:s,s:[s,s]}}", "id", r->id,
                     "name", name, "shortDescription", "text", r->format,
                     "defaultConfiguration", "level", rule_level(r),
                     "properties", "category", r->category, "tags",
                     "security", is_exposure(r) ? "exposure" : "secret");
}

/* The rules that have results, in rule order, appended to rules (an
 * array); slot[i] gets rule i's index in that array (UINT32_MAX when
 * unused). Caller frees *slot with lp_free, on failure too. LP_ENOMEM, or
 * LP_EINVAL for a finding whose rule the scan lacks. */
static lp_err used_rules(const struct lp_scan *s, json_t *rules,
                         uint32_t **slot)
{
    size_t nrules = s->nrules, bytes;
    *slot = NULL;
    // One more than needed: a scan without rules still gets a block.
    if (!lp_mul_ok(nrules + 1, sizeof **slot, &bytes) ||
        !(*slot = lp_malloc(bytes)))
        return LP_ENOMEM;
    for (size_t i = 0; i < nrules; i++)
        (*slot)[i] = UINT32_MAX;
    for (size_t i = 0; i < s->nfiles; i++)
        for (size_t k = 0; k < s->files[i].nsecrets; k++) {
            uint32_t r = s->files[i].secrets[k].rule;
            if (r >= nrules)
                return LP_EINVAL; // a finding of another rule table
            (*slot)[r] = 0;
        }
    for (size_t i = 0; i < nrules; i++) {
        if ((*slot)[i] == UINT32_MAX)
            continue;
        (*slot)[i] = (uint32_t)json_array_size(rules);
        if (json_array_append_new(rules,
                                  rule_json(lp_result_rule(s, (uint32_t)i))))
            return LP_ENOMEM;
    }
    return LP_OK;
}

/* What a secret's result says: its format and masked form, never the
 * value; an exposure's its value (a host or address, not a secret). */
static json_t *finding_properties(const struct lp_scan *s,
                                  const struct lp_file_result *f,
                                  const struct lp_res_rule *r,
                                  const struct lp_secret_finding *x)
{
    json_t *o;
    if (is_exposure(r))
        o = json_pack("{s:s,s:o}", "category", r->category, "value",
                      jstr(x->value));
    else
        o = json_pack("{s:s,s:f,s:s,s:o}", "category", r->category,
                      "entropy", round(x->entropy * 1e4) / 1e4, "confidence",
                      r->flags & LP_RULE_GENERIC ? "medium" : "high",
                      "masked", jstr(x->masked));
    if (o && !is_exposure(r) &&
        lp_report_add_known(o, lp_result_known(s, x->fp))) {
        json_decref(o);
        return NULL;
    }
    return lp_report_with_commit(o, f);
}

static json_t *finding_result(const struct lp_scan *s,
                              const struct lp_file_result *f,
                              const struct lp_secret_finding *x,
                              uint32_t index)
{
    const struct lp_res_rule *r = lp_result_rule(s, x->rule);
    bool exposure = is_exposure(r);
    char msg[256];
    snprintf(msg, sizeof msg, "%s: %s", r->format,
             exposure ? x->value : x->masked);
    // A key block spans lines; lines - 1 cannot overflow the line number.
    uint32_t last = x->lines > 1 && x->line <= UINT32_MAX - (x->lines - 1)
                        ? x->line + (x->lines - 1)
                        : 0;
    return json_pack("{s:s,s:I,s:s,s:{s:o},s:[o],s:{s:s},s:o}", "ruleId",
                     r->id, "ruleIndex", (json_int_t)index, "level",
                     rule_level(r), "message", "text", jstr(msg), "locations",
                     location_at(juri(f->path), x->line, last, x->column),
                     "partialFingerprints", exposure ? FP_EXPOSURE : FP_SECRET,
                     x->fp, "properties", finding_properties(s, f, r, x));
}

/* Appends a result per secret or exposure, in walk order: all (which <
 * 0), the secrets only (0) or the exposures only (1); false when out of
 * memory. */
static bool add_findings(const struct lp_scan *s, const uint32_t *slot,
                         int which, json_t *results)
{
    for (size_t i = 0; i < s->nfiles; i++)
        for (size_t k = 0; k < s->files[i].nsecrets; k++) {
            const struct lp_secret_finding *x = &s->files[i].secrets[k];
            if (which >= 0 &&
                which != is_exposure(lp_result_rule(s, x->rule)))
                continue;
            if (json_array_append_new(results,
                                      finding_result(s, &s->files[i], x,
                                                     slot[x->rule])))
                return false;
        }
    return true;
}

lp_err lp_report_secrets_sarif(const struct lp_scan *s, int color, FILE *fp)
{
    (void)color;
    uint32_t *slot = NULL;
    json_t *rules = json_array(), *results = NULL;
    lp_err err = rules ? used_rules(s, rules, &slot) : LP_ENOMEM;
    if (err)
        goto out;
    results = json_array();
    if (results && !add_findings(s, slot, -1, results)) {
        json_decref(results);
        results = NULL;
    }
    json_t *props = json_pack(
        "{s:I,s:I,s:I,s:I}", "files_scanned",
        (json_int_t)lp_result_files_scanned(s),
        "secrets", (json_int_t)s->nsecrets, "exposures",
        (json_int_t)s->nexposures, "rules",
        (json_int_t)(s->nrules));
    /* the id of the fingerprints' key (never the key) */
    if (props && s->key_id[0] &&
        json_object_set_new(props, "fingerprint_key", json_string(s->key_id))) {
        json_decref(props);
        props = NULL;
    }
    err = write_run(s, rules, results, props, NULL, fp);
    rules = results = NULL; // stolen by write_run
out:
    json_decref(rules);
    json_decref(results);
    lp_free(slot);
    return err;
}
