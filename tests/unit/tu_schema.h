/* SPDX-License-Identifier: Apache-2.0
 *
 * tu_schema: a small JSON Schema checker for the unit tests, enough for
 * the schemas of docs/schema (draft 2020-12): $ref (a pointer of object
 * keys: "#/$defs/x" of the same file, "other.schema.json#/properties/y"),
 * type, const, enum, properties, required, additionalProperties (false or a schema), items
 * (false or a schema), prefixItems, minItems, maxItems, minLength,
 * maxLength, minimum, maximum, pattern (POSIX extended), allOf, anyOf,
 * oneOf,
 * if/then/else and dependentRequired. Annotations (description, format,
 * title) are ignored. The first violation is described in a message with
 * its JSON pointer. Schemas are read from docs/schema/ under the current
 * directory (tests run from the repository's root).
 */
#ifndef LP_TU_SCHEMA_H
#define LP_TU_SCHEMA_H

#include <jansson.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct tu_schema {
    json_t *files[8]; /* loaded schema documents, by name */
    char names[8][64];
    size_t n;
    char why[512]; /* the first violation */
};

static json_t *tu_schema_file(struct tu_schema *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->names[i], name))
            return c->files[i];
    if (c->n == 8)
        return NULL;
    char path[128];
    snprintf(path, sizeof path, "docs/schema/%s", name);
    json_error_t e;
    json_t *j = json_load_file(path, 0, &e);
    if (!j)
        return NULL;
    snprintf(c->names[c->n], sizeof c->names[c->n], "%s", name);
    c->files[c->n] = j;
    return c->files[c->n++];
}

static void tu_schema_release(struct tu_schema *c)
{
    for (size_t i = 0; i < c->n; i++)
        json_decref(c->files[i]);
    c->n = 0;
}

static bool tu_fail(struct tu_schema *c, const char *at, const char *what)
{
    if (!c->why[0])
        snprintf(c->why, sizeof c->why, "%.400s: %.100s", at[0] ? at : "/", what);
    return false;
}

static bool tu_check(struct tu_schema *c, const char *file, json_t *sch,
                     json_t *v, const char *at);

/* Follows "$ref": sets *file and returns the schema it names. */
static json_t *tu_ref(struct tu_schema *c, const char **file, const char *ref)
{
    const char *hash = strchr(ref, '#');
    if (!hash || strncmp(hash, "#/", 2))
        return NULL;
    if (hash != ref) {
        size_t n = (size_t)(hash - ref);
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)n, ref);
        if (!tu_schema_file(c, name))
            return NULL;
        for (size_t i = 0; i < c->n; i++)
            if (!strcmp(c->names[i], name))
                *file = c->names[i];
    }
    /* a JSON pointer of object keys: "#/$defs/x", "#/properties/y" */
    json_t *node = tu_schema_file(c, *file);
    for (const char *p = hash + 2; node && *p;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        char key[128];
        snprintf(key, sizeof key, "%.*s", (int)n, p);
        node = json_object_get(node, key);
        p += n + (slash != NULL);
    }
    return node;
}

static bool tu_type(json_t *v, const char *t)
{
    if (!strcmp(t, "object"))
        return json_is_object(v);
    if (!strcmp(t, "array"))
        return json_is_array(v);
    if (!strcmp(t, "string"))
        return json_is_string(v);
    if (!strcmp(t, "integer"))
        return json_is_integer(v);
    if (!strcmp(t, "number"))
        return json_is_number(v);
    if (!strcmp(t, "boolean"))
        return json_is_boolean(v);
    if (!strcmp(t, "null"))
        return json_is_null(v);
    return false;
}

static bool tu_check_object(struct tu_schema *c, const char *file, json_t *sch,
                            json_t *v, const char *at)
{
    char sub[512];
    json_t *props = json_object_get(sch, "properties");
    json_t *extra = json_object_get(sch, "additionalProperties");
    json_t *req = json_object_get(sch, "required");
    size_t i;
    json_t *x;
    json_array_foreach(req, i, x) {
        if (!json_object_get(v, json_string_value(x))) {
            snprintf(sub, sizeof sub, "missing \"%s\"", json_string_value(x));
            return tu_fail(c, at, sub);
        }
    }
    const char *key;
    json_object_foreach(v, key, x) {
        snprintf(sub, sizeof sub, "%s/%s", at, key);
        json_t *ps = json_object_get(props, key);
        if (ps && !tu_check(c, file, ps, x, sub))
            return false;
        if (!ps && json_is_false(extra))
            return tu_fail(c, sub, "not allowed");
        if (!ps && json_is_object(extra) && !tu_check(c, file, extra, x, sub))
            return false;
    }
    json_t *dep = json_object_get(sch, "dependentRequired");
    json_t *need;
    json_object_foreach(dep, key, need) {
        if (!json_object_get(v, key))
            continue;
        json_array_foreach(need, i, x) {
            if (!json_object_get(v, json_string_value(x)))
                return tu_fail(c, at, "a dependentRequired key is missing");
        }
    }
    return true;
}

static bool tu_check_array(struct tu_schema *c, const char *file, json_t *sch,
                           json_t *v, const char *at)
{
    char sub[512];
    json_t *prefix = json_object_get(sch, "prefixItems");
    json_t *items = json_object_get(sch, "items");
    json_t *min = json_object_get(sch, "minItems");
    json_t *max = json_object_get(sch, "maxItems");
    if (min && json_array_size(v) < (size_t)json_integer_value(min))
        return tu_fail(c, at, "too few items");
    if (max && json_array_size(v) > (size_t)json_integer_value(max))
        return tu_fail(c, at, "too many items");
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) {
        snprintf(sub, sizeof sub, "%s/%zu", at, i);
        json_t *s = i < json_array_size(prefix) ? json_array_get(prefix, i)
                                                : items;
        if (json_is_false(s))
            return tu_fail(c, sub, "no item allowed here");
        if (json_is_object(s) && !tu_check(c, file, s, x, sub))
            return false;
    }
    return true;
}

static bool tu_check_scalar(struct tu_schema *c, json_t *sch, json_t *v,
                            const char *at)
{
    json_t *k;
    if ((k = json_object_get(sch, "minLength")) && json_is_string(v) &&
        json_string_length(v) < (size_t)json_integer_value(k))
        return tu_fail(c, at, "too short");
    if ((k = json_object_get(sch, "maxLength")) && json_is_string(v) &&
        json_string_length(v) > (size_t)json_integer_value(k))
        return tu_fail(c, at, "too long");
    if ((k = json_object_get(sch, "minimum")) && json_is_number(v) &&
        json_number_value(v) < json_number_value(k))
        return tu_fail(c, at, "below the minimum");
    if ((k = json_object_get(sch, "maximum")) && json_is_number(v) &&
        json_number_value(v) > json_number_value(k))
        return tu_fail(c, at, "above the maximum");
    if ((k = json_object_get(sch, "pattern")) && json_is_string(v)) {
        regex_t re;
        if (regcomp(&re, json_string_value(k), REG_EXTENDED | REG_NOSUB))
            return tu_fail(c, at, "pattern does not compile");
        int r = regexec(&re, json_string_value(v), 0, NULL, 0);
        regfree(&re);
        if (r)
            return tu_fail(c, at, "does not match the pattern");
    }
    return true;
}

/* Whether v is valid against schema sch of `file`; at is v's pointer. */
static bool tu_check(struct tu_schema *c, const char *file, json_t *sch,
                     json_t *v, const char *at)
{
    if (json_is_true(sch))
        return true;
    if (json_is_false(sch))
        return tu_fail(c, at, "false schema");
    json_t *k;
    if ((k = json_object_get(sch, "$ref"))) {
        const char *f = file;
        json_t *target = tu_ref(c, &f, json_string_value(k));
        if (!target)
            return tu_fail(c, at, "unresolved $ref");
        if (!tu_check(c, f, target, v, at))
            return false;
    }
    if ((k = json_object_get(sch, "type")) && json_is_string(k) &&
        !tu_type(v, json_string_value(k)))
        return tu_fail(c, at, "wrong type");
    if ((k = json_object_get(sch, "const")) && !json_equal(k, v))
        return tu_fail(c, at, "not the constant");
    if ((k = json_object_get(sch, "enum"))) {
        bool in = false;
        size_t i;
        json_t *x;
        json_array_foreach(k, i, x) in |= json_equal(x, v);
        if (!in)
            return tu_fail(c, at, "not in the enum");
    }
    if (json_is_object(v) && !tu_check_object(c, file, sch, v, at))
        return false;
    if (json_is_array(v) && !tu_check_array(c, file, sch, v, at))
        return false;
    if (!tu_check_scalar(c, sch, v, at))
        return false;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(sch, "allOf"), i, x) {
        if (!tu_check(c, file, x, v, at))
            return false;
    }
    if ((k = json_object_get(sch, "anyOf")) || (k = json_object_get(sch, "oneOf"))) {
        size_t ok = 0;
        char keep[sizeof c->why];
        snprintf(keep, sizeof keep, "%s", c->why);
        json_array_foreach(k, i, x) ok += tu_check(c, file, x, v, at);
        snprintf(c->why, sizeof c->why, "%s", keep);
        if (!ok || (json_object_get(sch, "oneOf") && ok != 1))
            return tu_fail(c, at, "anyOf/oneOf not satisfied");
    }
    if ((k = json_object_get(sch, "if"))) {
        char keep[sizeof c->why];
        snprintf(keep, sizeof keep, "%s", c->why);
        bool cond = tu_check(c, file, k, v, at);
        snprintf(c->why, sizeof c->why, "%s", keep);
        json_t *branch = json_object_get(sch, cond ? "then" : "else");
        if (branch && !tu_check(c, file, branch, v, at))
            return false;
    }
    return true;
}

/* Validates the JSON text `doc` against docs/schema/<schema>; on failure
 * the violation is printed and false returned. */
static bool tu_schema_valid(const char *schema, const char *doc)
{
    struct tu_schema c;
    memset(&c, 0, sizeof c);
    json_error_t e;
    json_t *v = json_loads(doc, 0, &e);
    json_t *root = tu_schema_file(&c, schema);
    bool ok = v && root && tu_check(&c, c.names[0], root, v, "");
    if (!v)
        fprintf(stderr, "not JSON: %s (line %d)\n", e.text, e.line);
    else if (!root)
        fprintf(stderr, "cannot read docs/schema/%s\n", schema);
    else if (!ok)
        fprintf(stderr, "invalid against %s: %s\n", schema, c.why);
    json_decref(v);
    tu_schema_release(&c);
    return ok;
}

#endif
