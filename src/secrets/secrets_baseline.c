/* SPDX-License-Identifier: Apache-2.0
 *
 * secrets_baseline: the findings a team has already looked at. A baseline
 * is any JSON report of `leakprint secrets` (--write-baseline writes one):
 * its secrets are known by rule and keyed fingerprint, its exposures by
 * rule and value. A finding is in the baseline wherever it is found (a
 * triaged test key stays triaged when the file is moved), and the report
 * never needed the value to say so.
 */
#include "secrets_baseline.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"
#include "mem.h"
#include "banned.h"

/* A baseline larger than this is not one (2 million findings or so). */
#define MAX_BASELINE_BYTES (512u << 20)

struct lp_baseline {
    char **keys; /* "rule\tfingerprint-or-value", sorted */
    size_t n, cap;
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static lp_err add_key(struct lp_baseline *b, const char *rule,
                      const char *what)
{
    size_t n = strlen(rule) + strlen(what) + 2;
    char *k = lp_malloc(n);
    if (!k || !lp_grow((void **)&b->keys, &b->cap, b->n + 1, sizeof *b->keys)) {
        lp_free(k);
        return LP_ENOMEM;
    }
    snprintf(k, n, "%s\t%s", rule, what);
    b->keys[b->n++] = k;
    return LP_OK;
}

/* The entries of report[name], each keyed by its rule and `field`. */
static lp_err add_all(struct lp_baseline *b, json_t *report, const char *name,
                      const char *field, const char *path, char *err,
                      size_t errlen)
{
    json_t *a = json_object_get(report, name), *o;
    size_t i;
    if (!a)
        return LP_OK;
    if (!json_is_array(a))
        return lp_errf(err, errlen, LP_EINVAL,
                       "'%s': \"%s\" is not a list", path, name);
    json_array_foreach(a, i, o) {
        const char *rule = json_string_value(json_object_get(o, "rule"));
        const char *what = json_string_value(json_object_get(o, field));
        if (!rule || !what)
            return lp_errf(err, errlen, LP_EINVAL,
                           "'%s': %s entry %zu has no rule or %s", path, name,
                           i + 1, field);
        if (add_key(b, rule, what))
            return LP_ENOMEM;
    }
    return LP_OK;
}

/* The id of the key the report's fingerprints were made under: in the
 * summary of `secrets`, at the top of a scan's; NULL when it names none. */
static const char *key_id_of(json_t *report)
{
    json_t *id = json_object_get(json_object_get(report, "summary"),
                                 "fingerprint_key");
    if (!id)
        id = json_object_get(report, "fingerprint_key");
    return json_string_value(id);
}

/* A baseline's fingerprints compare only under the key they were made
 * with: one made under another key (or before keys, under the old public
 * one) would silently leave out nothing. */
static lp_err check_key(json_t *report, const char *key_id, const char *path,
                        char *err, size_t errlen)
{
    const char *theirs = key_id_of(report);
    if (!key_id)
        return LP_OK;
    if (!theirs && !json_array_size(json_object_get(report, "secrets")))
        return LP_OK; /* exposures only: compared by value */
    if (!theirs)
        return lp_errf(err, errlen, LP_EINVAL,
                       "'%s': baseline names no fingerprint key (made by an "
                       "older leakprint): write it again with "
                       "--write-baseline", path);
    if (strlen(theirs) != 16 || strspn(theirs, "0123456789abcdef") != 16)
        return lp_errf(err, errlen, LP_EINVAL,
                       "'%s': baseline's fingerprint key id is not 16 hex "
                       "digits", path);
    if (strcmp(theirs, key_id) != 0)
        return lp_errf(err, errlen, LP_EINVAL,
                       "'%s': baseline made under fingerprint key %s, "
                       "this run uses %s", path, theirs, key_id);
    return LP_OK;
}

lp_err lp_baseline_load(const char *path, const char *key_id,
                        struct lp_baseline **out, char *err, size_t errlen)
{
    struct stat st;
    *out = NULL;
    if (stat(path, &st) != 0)
        return lp_errf(err, errlen, errno == ENOENT ? LP_ENOTFOUND : LP_EIO,
                       "'%s': %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > MAX_BASELINE_BYTES)
        return lp_errf(err, errlen, LP_EINVAL,
                       "'%s': not a baseline (a regular file under 512 MB)",
                       path);
    json_error_t je;
    json_t *report = json_load_file(path, 0, &je);
    if (!report)
        return lp_errf(err, errlen, LP_EINVAL, "'%s': line %d: %s", path,
                       je.line, je.text);
    struct lp_baseline *b = lp_calloc(1, sizeof *b);
    lp_err rc = b ? LP_OK : LP_ENOMEM;
    if (!rc && (!json_is_object(report) ||
                (!json_object_get(report, "secrets") &&
                 !json_object_get(report, "exposures"))))
        rc = lp_errf(err, errlen, LP_EINVAL,
                     "'%s': not a JSON report of leakprint secrets", path);
    if (!rc)
        rc = check_key(report, key_id, path, err, errlen);
    if (!rc)
        rc = add_all(b, report, "secrets", "fingerprint", path, err, errlen);
    if (!rc)
        rc = add_all(b, report, "exposures", "value", path, err, errlen);
    json_decref(report);
    if (rc == LP_ENOMEM)
        lp_errf(err, errlen, rc, "'%s': out of memory", path);
    if (rc) {
        lp_baseline_free(b);
        return rc;
    }
    if (b->n > 1)
        qsort(b->keys, b->n, sizeof *b->keys, cmp_str);
    *out = b;
    return LP_OK;
}

bool lp_baseline_has(const struct lp_baseline *b, const char *rule,
                     const char *what)
{
    char key[512];
    if (!b || !b->n ||
        (size_t)snprintf(key, sizeof key, "%s\t%s", rule, what) >= sizeof key)
        return false;
    const char *k = key;
    return bsearch(&k, b->keys, b->n, sizeof *b->keys, cmp_str) != NULL;
}

size_t lp_baseline_size(const struct lp_baseline *b)
{
    return b ? b->n : 0;
}

void lp_baseline_free(struct lp_baseline *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++)
        lp_free(b->keys[i]);
    lp_free(b->keys);
    lp_free(b);
}
