/* SPDX-License-Identifier: Apache-2.0
 *
 * watchterms: watch terms (see watchterms.h and docs/TERMS.md). The file is read
 * with libyaml's document loader and only a fixed shape is walked (a
 * mapping; `terms` a sequence of mappings of scalars), so an alias cannot
 * make the walk revisit more than that shape allows; every entry costs a
 * term, and terms are capped. Literals are escaped into Hyperscan syntax
 * byte by byte, so that every term, literal or regex, lands in one
 * database (Hyperscan's ids are the terms' indices); the word boundaries
 * of literals are checked in the match callback, on the bytes around the
 * match. Nothing here is global: a set and a scratch are all the state.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hs/hs.h>
#include <yaml.h>

#include "watchterms.h"
#include "banned.h" /* a list of poisoned names: defines nothing */

struct term {
    char *text;  /* the literal or the regex (NUL-terminated, no NUL) */
    char *label; /* the file's `name:`, or NULL: the text is the label */
    size_t len;  /* bytes of text */
    size_t line; /* line in the file; 0 for a term added by the caller */
    enum lp_terms_kind kind;
    enum lp_terms_severity severity;
};

struct lp_terms {
    char *name; /* the file, for messages; NULL for lp_terms_new() */
    bool derive;
    bool compiled;
    struct term *v;
    size_t n, cap;
    /* Every term by its text, to refuse duplicates (literals compared
     * without case, regexes as written): open addressing, index + 1 per
     * slot (0: empty), at most half full. */
    size_t *keys;
    size_t nkey_slots;
    hs_database_t *db; /* NULL when the set is empty */
    char errmsg[512];
};

struct lp_terms_scratch {
    hs_scratch_t *hs;
    /* Per term of the set matched: 1 + its hit's index (0: no hit yet)
     * and where its last counted match ended. Only the entries of the
     * hits are non-zero between two matches. */
    uint32_t *slot;
    size_t *last_end;
    size_t nslot;
};

static const char *const severity_names[] = {"low", "medium", "high",
                                             "critical"};
static const char *const kind_names[] = {
    "term", "regex", "collection", "domain", "host", "ident", "file"};

const char *lp_terms_severity_name(enum lp_terms_severity s)
{
    return (unsigned)s < 4 ? severity_names[s] : "medium";
}

const char *lp_terms_kind_name(enum lp_terms_kind k)
{
    return (unsigned)k < 7 ? kind_names[k] : "term";
}

__attribute__((format(printf, 2, 3))) static void set_err(struct lp_terms *t,
                                                          const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->errmsg, sizeof t->errmsg, fmt, ap);
    va_end(ap);
}

static char *dup_bytes(const char *s, size_t len)
{
    char *d = malloc(len + 1);
    if (d) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

struct lp_terms *lp_terms_new(void)
{
    struct lp_terms *t = calloc(1, sizeof *t);
    if (t)
        t->derive = true;
    return t;
}

void lp_terms_free(struct lp_terms *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].text);
        free(t->v[i].label);
    }
    free(t->v);
    free(t->keys);
    free(t->name);
    hs_free_database(t->db);
    free(t);
}

bool lp_terms_derive(const struct lp_terms *t)
{
    return t->derive;
}

size_t lp_terms_count(const struct lp_terms *t)
{
    return t->n;
}

const char *lp_terms_label(const struct lp_terms *t, size_t i)
{
    if (i >= t->n)
        return NULL;
    return t->v[i].label ? t->v[i].label : t->v[i].text;
}

bool lp_terms_info(const struct lp_terms *t, size_t i,
                   enum lp_terms_kind *kind, enum lp_terms_severity *severity)
{
    if (i >= t->n)
        return false;
    *kind = t->v[i].kind;
    *severity = t->v[i].severity;
    return true;
}

const char *lp_terms_errmsg(const struct lp_terms *t)
{
    return t->errmsg;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* FNV-1a of the bytes, lower case for a literal, with the kind of term
 * (literal or regex) first. */
static uint64_t key_hash(bool regex, const char *s, size_t len)
{
    uint64_t h = 14695981039346656037ull ^ (regex ? 1 : 0);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        h ^= regex ? c : (unsigned char)lower(c);
        h *= 1099511628211ull;
    }
    return h;
}

static bool same_key(const struct term *o, bool regex, const char *s,
                     size_t len)
{
    if ((o->kind == LP_TERMS_REGEX) != regex || o->len != len)
        return false;
    if (regex)
        return !memcmp(o->text, s, len);
    for (size_t i = 0; i < len; i++)
        if (lower((unsigned char)o->text[i]) != lower((unsigned char)s[i]))
            return false;
    return true;
}

/* The slot of a term's text in t->keys: the one holding it, or the empty
 * one where it goes. The table is never full (at most half). */
static size_t key_slot(const struct lp_terms *t, bool regex, const char *s,
                       size_t len)
{
    size_t mask = t->nkey_slots - 1;
    for (size_t i = key_hash(regex, s, len) & mask;; i = (i + 1) & mask) {
        size_t k = t->keys[i];
        if (!k || same_key(&t->v[k - 1], regex, s, len))
            return i;
    }
}

/* Makes room in the table for one more term. */
static bool keys_grow(struct lp_terms *t)
{
    if (2 * (t->n + 1) <= t->nkey_slots)
        return true;
    size_t ns = t->nkey_slots ? 2 * t->nkey_slots : 64;
    size_t *nv = calloc(ns, sizeof *nv);
    if (!nv)
        return false;
    free(t->keys);
    t->keys = nv;
    t->nkey_slots = ns;
    for (size_t i = 0; i < t->n; i++) {
        const struct term *e = &t->v[i];
        t->keys[key_slot(t, e->kind == LP_TERMS_REGEX, e->text, e->len)] =
            i + 1;
    }
    return true;
}

/* Appends a term (text of len bytes, checked by the caller); one already
 * present is skipped (LP_OK). label is copied when not NULL. */
static lp_err push_term(struct lp_terms *t, enum lp_terms_kind kind,
                        const char *text, size_t len, const char *label,
                        enum lp_terms_severity sev, size_t line)
{
    bool regex = kind == LP_TERMS_REGEX;
    if (!keys_grow(t))
        return LP_ENOMEM;
    size_t slot = key_slot(t, regex, text, len);
    if (t->keys[slot])
        return LP_OK;
    if (t->n == LP_TERMS_MAX)
        return LP_ELIMIT;
    if (t->n == t->cap) {
        size_t nc = t->cap ? 2 * t->cap : 16;
        struct term *nv = realloc(t->v, nc * sizeof *nv);
        if (!nv)
            return LP_ENOMEM;
        t->v = nv;
        t->cap = nc;
    }
    struct term *e = &t->v[t->n];
    memset(e, 0, sizeof *e);
    e->text = dup_bytes(text, len);
    e->label = label ? dup_bytes(label, strlen(label)) : NULL;
    if (!e->text || (label && !e->label)) {
        free(e->text);
        free(e->label);
        return LP_ENOMEM;
    }
    e->len = len;
    e->line = line;
    e->kind = kind;
    e->severity = sev;
    t->keys[slot] = ++t->n;
    return LP_OK;
}

lp_err lp_terms_add(struct lp_terms *t, enum lp_terms_kind kind,
                    const char *text, enum lp_terms_severity severity)
{
    if (t->compiled || kind == LP_TERMS_REGEX || (unsigned)kind > 6 ||
        (unsigned)severity > 3) {
        set_err(t, "lp_terms_add: a compiled set, or a bad kind or severity");
        return LP_EINVAL;
    }
    size_t len = strlen(text);
    if (!len) {
        set_err(t, "derived %s term: empty", lp_terms_kind_name(kind));
        return LP_EINVAL;
    }
    if (len > LP_TERMS_MAX_LEN) {
        set_err(t, "derived %s term: longer than %d bytes",
                lp_terms_kind_name(kind), LP_TERMS_MAX_LEN);
        return LP_ELIMIT;
    }
    lp_err err = push_term(t, kind, text, len, NULL, severity, 0);
    if (err == LP_ELIMIT)
        set_err(t, "derived %s term: more than %d terms",
                lp_terms_kind_name(kind), LP_TERMS_MAX);
    else if (err)
        set_err(t, "out of memory");
    return err;
}

/* ---- The YAML file ---- */

struct parse {
    yaml_document_t *doc;
    struct lp_terms *t;
    const char *name;
    char *err;
    size_t errlen;
};

__attribute__((format(printf, 4, 5))) static lp_err
bad(struct parse *p, const yaml_node_t *n, lp_err code, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(p->err, p->errlen, "'%s':%zu: %s", p->name,
             (size_t)n->start_mark.line + 1, msg);
    return code;
}

/* A scalar's value, or NULL for another node. */
static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value
                                            : NULL;
}

/* YAML's null: empty, or a plain ~ or null. */
static bool is_null(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE)
        return false;
    const char *v = scalar(n);
    if (!n->data.scalar.length)
        return true;
    return n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
           (!strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
            !strcmp(v, "NULL"));
}

static lp_err parse_bool(struct parse *p, const yaml_node_t *n, const char *key,
                         bool *out)
{
    const char *v = scalar(n);
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes",
                                      "YES",  "on",   "On",   "ON"};
    static const char *const no[] = {"false", "False", "FALSE", "no", "No",
                                     "NO",    "off",   "Off",   "OFF"};
    for (size_t i = 0; v && i < sizeof yes / sizeof *yes; i++) {
        if (!strcmp(v, yes[i]))
            return *out = true, LP_OK;
        if (!strcmp(v, no[i]))
            return *out = false, LP_OK;
    }
    return bad(p, n, LP_EFORMAT, "'%s' must be true or false", key);
}

static lp_err parse_severity(struct parse *p, const yaml_node_t *n,
                             enum lp_terms_severity *out)
{
    const char *v = scalar(n);
    for (int i = 0; v && i < 4; i++)
        if (!strcmp(v, severity_names[i]))
            return *out = (enum lp_terms_severity)i, LP_OK;
    if (!v)
        return bad(p, n, LP_EFORMAT, "'severity' must be a string");
    /* The value is shown only when short: it comes from the file. */
    if (strlen(v) <= 32 && !strpbrk(v, "'\n\r\t"))
        return bad(p, n, LP_EFORMAT,
                   "bad severity '%s' (critical, high, medium or low)", v);
    return bad(p, n, LP_EFORMAT,
               "bad severity (critical, high, medium or low)");
}

/* A term's or a name's string: a non-empty scalar with no NUL byte. */
static lp_err text_value(struct parse *p, const yaml_node_t *n, const char *key,
                         const char **out, size_t *len)
{
    if (n->type != YAML_SCALAR_NODE)
        return bad(p, n, LP_EFORMAT, "'%s' must be a string", key);
    if (is_null(n))
        return bad(p, n, LP_EFORMAT, "empty '%s'", key);
    *out = scalar(n);
    *len = n->data.scalar.length;
    if (memchr(*out, '\0', *len))
        return bad(p, n, LP_EFORMAT, "'%s' holds a NUL byte", key);
    if (*len > LP_TERMS_MAX_LEN)
        return bad(p, n, LP_ELIMIT, "'%s' longer than %d bytes", key,
                   LP_TERMS_MAX_LEN);
    return LP_OK;
}

/* One entry of `terms:`: a mapping with term or regex, and optional
 * severity and name. The function walks its keys, then checks the
 * whole. */
static lp_err entry(struct parse *p, const yaml_node_t *n)
{
    if (n->type != YAML_MAPPING_NODE)
        return bad(p, n, LP_EFORMAT,
                   "a term must be a mapping with 'term' or 'regex'");
    const yaml_node_t *seen[4] = {NULL, NULL, NULL, NULL};
    static const char *const keys[] = {"term", "regex", "severity", "name"};
    for (yaml_node_pair_t *kv = n->data.mapping.pairs.start;
         kv < n->data.mapping.pairs.top; kv++) {
        yaml_node_t *k = yaml_document_get_node(p->doc, kv->key);
        yaml_node_t *v = yaml_document_get_node(p->doc, kv->value);
        const char *ks = scalar(k);
        int i = 0;
        while (ks && i < 4 && strcmp(ks, keys[i]))
            i++;
        if (!ks || i == 4) {
            if (ks && strlen(ks) <= 32 && !strpbrk(ks, "'\n\r\t"))
                return bad(p, k, LP_EFORMAT,
                           "unknown key '%s' (term, regex, severity, name)",
                           ks);
            return bad(p, k, LP_EFORMAT,
                       "unknown key (term, regex, severity, name)");
        }
        if (seen[i])
            return bad(p, k, LP_EFORMAT, "'%s' given twice", keys[i]);
        seen[i] = v;
    }
    if (!seen[0] == !seen[1])
        return bad(p, n, LP_EFORMAT,
                   seen[0] ? "both 'term' and 'regex' in one entry"
                           : "an entry needs 'term' or 'regex'");
    enum lp_terms_severity sev = LP_TERMS_MEDIUM;
    const char *text, *label = NULL;
    size_t len, llen;
    const yaml_node_t *tn = seen[0] ? seen[0] : seen[1];
    lp_err err = text_value(p, tn, keys[seen[0] ? 0 : 1], &text, &len);
    if (!err && seen[2])
        err = parse_severity(p, seen[2], &sev);
    if (!err && seen[3])
        err = text_value(p, seen[3], "name", &label, &llen);
    if (err)
        return err;
    err = push_term(p->t, seen[0] ? LP_TERMS_TERM : LP_TERMS_REGEX, text, len,
                    label, sev, (size_t)tn->start_mark.line + 1);
    if (err == LP_ELIMIT)
        return bad(p, n, err, "more than %d terms", LP_TERMS_MAX);
    return err;
}

static lp_err terms_list(struct parse *p, const yaml_node_t *n)
{
    if (is_null(n))
        return LP_OK;
    if (n->type != YAML_SEQUENCE_NODE)
        return bad(p, n, LP_EFORMAT, "'terms' must be a list");
    for (yaml_node_item_t *it = n->data.sequence.items.start;
         it < n->data.sequence.items.top; it++) {
        lp_err err = entry(p, yaml_document_get_node(p->doc, *it));
        if (err)
            return err;
    }
    return LP_OK;
}

/* The document: empty, or a mapping of derive and terms. */
static lp_err top(struct parse *p, const yaml_node_t *root)
{
    if (!root || is_null(root))
        return LP_OK;
    if (root->type != YAML_MAPPING_NODE)
        return bad(p, root, LP_EFORMAT,
                   "the terms file must be a mapping (derive, terms)");
    bool seen_derive = false, seen_terms = false;
    for (yaml_node_pair_t *kv = root->data.mapping.pairs.start;
         kv < root->data.mapping.pairs.top; kv++) {
        yaml_node_t *k = yaml_document_get_node(p->doc, kv->key);
        yaml_node_t *v = yaml_document_get_node(p->doc, kv->value);
        const char *ks = scalar(k);
        lp_err err;
        if (ks && !strcmp(ks, "derive")) {
            if (seen_derive)
                return bad(p, k, LP_EFORMAT, "'derive' given twice");
            seen_derive = true;
            err = parse_bool(p, v, "derive", &p->t->derive);
        } else if (ks && !strcmp(ks, "terms")) {
            if (seen_terms)
                return bad(p, k, LP_EFORMAT, "'terms' given twice");
            seen_terms = true;
            err = terms_list(p, v);
        } else if (ks && strlen(ks) <= 32 && !strpbrk(ks, "'\n\r\t")) {
            return bad(p, k, LP_EFORMAT, "unknown key '%s' (derive, terms)",
                       ks);
        } else {
            return bad(p, k, LP_EFORMAT, "unknown key (derive, terms)");
        }
        if (err)
            return err;
    }
    return LP_OK;
}

/* libyaml's scanner takes time in the square of the flow nesting ([ and
 * {): a file of 1 MiB of [ would take minutes. This reads the bytes as
 * YAML would for that purpose only (comments, quoted scalars, brackets
 * that open a collection rather than sit in a plain scalar) and returns
 * the line where the nesting passes LP_TERMS_MAX_DEPTH, or 0. */
static size_t too_deep(const char *buf, size_t len)
{
    size_t depth = 0, line = 1, opened = SIZE_MAX; // the last [ or { counted
    char quote = 0;
    for (size_t i = 0; i < len; i++) {
        char c = buf[i], prev = i ? buf[i - 1] : '\n';
        bool blank_before =
            prev == ' ' || prev == '\t' || prev == '\r' || prev == '\n';
        bool sep_before = blank_before || opened + 1 == i ||
                          (depth && (prev == ',' || prev == ':'));
        if (c == '\n')
            line++;
        if (quote == '"' && c == '\\') { // an escaped byte
            if (i + 1 < len && buf[i + 1] == '\n')
                line++;
            i++;
        } else if (quote == '\'' && c == '\'' && i + 1 < len &&
                   buf[i + 1] == '\'') { // '' in '...'
            i++;
        } else if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '#' && blank_before) { // a comment
            while (i + 1 < len && buf[i + 1] != '\n')
                i++;
        } else if ((c == '\'' || c == '"') && sep_before) {
            quote = c;
        } else if ((c == '[' || c == '{') && sep_before) {
            if (++depth > LP_TERMS_MAX_DEPTH)
                return line;
            opened = i;
        } else if ((c == ']' || c == '}') && depth) {
            depth--;
        }
    }
    return 0;
}

lp_err lp_terms_parse(const char *buf, size_t len, const char *name,
                      struct lp_terms **out, char *err, size_t errlen)
{
    *out = NULL;
    if (errlen)
        err[0] = '\0';
    if (len > LP_TERMS_MAX_BYTES) {
        snprintf(err, errlen, "'%s': larger than 1 MiB", name);
        return LP_ELIMIT;
    }
    size_t deep = too_deep(buf, len);
    if (deep) {
        snprintf(err, errlen, "'%s':%zu: nested deeper than %d levels", name,
                 deep, LP_TERMS_MAX_DEPTH);
        return LP_ELIMIT;
    }
    struct lp_terms *t = lp_terms_new();
    yaml_parser_t parser;
    yaml_document_t doc;
    bool have_parser = false, have_doc = false;
    lp_err rc = LP_ENOMEM;
    if (!t || !(t->name = dup_bytes(name, strlen(name))))
        goto out;
    if (!yaml_parser_initialize(&parser))
        goto out;
    have_parser = true;
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    if (!yaml_parser_load(&parser, &doc)) {
        if (parser.error == YAML_MEMORY_ERROR)
            goto out;
        snprintf(err, errlen, "'%s':%zu: %s", name,
                 (size_t)parser.problem_mark.line + 1,
                 parser.problem ? parser.problem : "not YAML");
        rc = LP_EFORMAT;
        goto out;
    }
    have_doc = true;
    struct parse p = {
        .doc = &doc, .t = t, .name = name, .err = err, .errlen = errlen};
    rc = top(&p, yaml_document_get_root_node(&doc));
out:
    if (have_doc)
        yaml_document_delete(&doc);
    if (have_parser)
        yaml_parser_delete(&parser);
    if (rc == LP_ENOMEM)
        snprintf(err, errlen, "'%s': out of memory", name);
    if (rc) {
        lp_terms_free(t);
        return rc;
    }
    *out = t;
    return LP_OK;
}

lp_err lp_terms_load(const char *path, struct lp_terms **out, char *err,
                     size_t errlen)
{
    *out = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        int e = errno;
        snprintf(err, errlen, "'%s': %s", path,
                 e == ENOENT ? "no such file" : strerror(e));
        return e == ENOENT ? LP_ENOTFOUND : LP_EIO;
    }
    /* One byte more than the cap tells a file over it. */
    char *buf = malloc(LP_TERMS_MAX_BYTES + 1);
    size_t len = 0;
    lp_err rc = LP_OK;
    if (!buf) {
        snprintf(err, errlen, "'%s': out of memory", path);
        rc = LP_ENOMEM;
    } else {
        len = fread(buf, 1, LP_TERMS_MAX_BYTES + 1, fp);
        if (ferror(fp)) {
            snprintf(err, errlen, "'%s': read error", path);
            rc = LP_EIO;
        }
    }
    fclose(fp);
    if (!rc)
        rc = lp_terms_parse(buf, len, path, out, err, errlen);
    free(buf);
    return rc;
}

/* ---- Compiling ---- */

static bool is_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

/* A literal in Hyperscan's syntax: letters and digits as they are, any
 * other byte as \xHH. Caller frees. */
static char *escape_literal(const struct term *e)
{
    char *s = malloc(4 * e->len + 1), *o = s;
    if (!s)
        return NULL;
    for (size_t i = 0; i < e->len; i++) {
        unsigned char c = (unsigned char)e->text[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9')) {
            *o++ = (char)c;
        } else {
            snprintf(o, 5, "\\x%02x", c);
            o += 4;
        }
    }
    *o = '\0';
    return s;
}

/* Hyperscan's messages end with a period; ours do not. */
static void set_compile_err(struct lp_terms *t, const hs_compile_error_t *ce)
{
    char reason[256];
    snprintf(reason, sizeof reason, "%s",
             ce && ce->message ? ce->message : "unknown error");
    size_t rl = strlen(reason);
    if (rl && reason[rl - 1] == '.')
        reason[rl - 1] = '\0';
    /* The flag it names is no setting of ours: say what it means. */
    if (!strncmp(reason, "Pattern matches empty buffer", 28))
        snprintf(reason, sizeof reason, "it matches the empty string");
    const char *name = t->name ? t->name : "terms";
    if (!ce || ce->expression < 0 || (size_t)ce->expression >= t->n) {
        set_err(t, "'%s': the terms do not compile: %s", name, reason);
        return;
    }
    const struct term *e = &t->v[ce->expression];
    if (e->line)
        set_err(t, "'%s':%zu: %s does not compile: %s", name, e->line,
                e->kind == LP_TERMS_REGEX ? "regex" : "term", reason);
    else
        set_err(t, "derived %s term '%.64s': %s", lp_terms_kind_name(e->kind),
                e->text, reason);
}

lp_err lp_terms_compile(struct lp_terms *t)
{
    if (t->compiled) {
        set_err(t, "lp_terms_compile: already compiled");
        return LP_EINVAL;
    }
    if (!t->n) {
        t->compiled = true;
        return LP_OK;
    }
    char **exprs = calloc(t->n, sizeof *exprs);
    unsigned *flags = calloc(t->n, sizeof *flags);
    unsigned *ids = calloc(t->n, sizeof *ids);
    lp_err rc = LP_ENOMEM;
    if (!exprs || !flags || !ids)
        goto out;
    for (size_t i = 0; i < t->n; i++) {
        const struct term *e = &t->v[i];
        ids[i] = (unsigned)i;
        if (e->kind == LP_TERMS_REGEX) {
            /* The start of each match is wanted (the hit's offset). */
            exprs[i] = dup_bytes(e->text, e->len);
            flags[i] = HS_FLAG_SOM_LEFTMOST;
        } else {
            exprs[i] = escape_literal(e);
            flags[i] = HS_FLAG_CASELESS;
        }
        if (!exprs[i])
            goto out;
    }
    hs_compile_error_t *ce = NULL;
    hs_error_t he =
        hs_compile_multi((const char *const *)exprs, flags, ids, (unsigned)t->n,
                         HS_MODE_BLOCK, NULL, &t->db, &ce);
    if (he != HS_SUCCESS) {
        t->db = NULL;
        set_compile_err(t, ce);
        hs_free_compile_error(ce);
        rc = he == HS_NOMEM ? LP_ENOMEM : LP_EFORMAT;
        goto out;
    }
    t->compiled = true;
    rc = LP_OK;
out:
    for (size_t i = 0; exprs && i < t->n; i++)
        free(exprs[i]);
    free(exprs);
    free(flags);
    free(ids);
    if (rc == LP_ENOMEM)
        set_err(t, "out of memory");
    return rc;
}

/* ---- Matching ---- */

struct lp_terms_scratch *lp_terms_scratch_new(void)
{
    return calloc(1, sizeof(struct lp_terms_scratch));
}

void lp_terms_scratch_free(struct lp_terms_scratch *s)
{
    if (!s)
        return;
    hs_free_scratch(s->hs);
    free(s->slot);
    free(s->last_end);
    free(s);
}

void lp_terms_hits_init(struct lp_terms_hits *h)
{
    memset(h, 0, sizeof *h);
}

void lp_terms_hits_release(struct lp_terms_hits *h)
{
    if (!h)
        return;
    free(h->v);
    memset(h, 0, sizeof *h);
}

struct scan {
    const struct lp_terms *t;
    struct lp_terms_scratch *s;
    const unsigned char *text;
    size_t len;
    struct lp_terms_hits *h;
    lp_err err;
};

/* A literal's match stands only where it does not continue a word. */
static bool at_boundaries(const struct scan *sc, const struct term *e,
                          size_t from, size_t to)
{
    if (is_word((unsigned char)e->text[0]) && from > 0 &&
        is_word(sc->text[from - 1]))
        return false;
    if (is_word((unsigned char)e->text[e->len - 1]) && to < sc->len &&
        is_word(sc->text[to]))
        return false;
    return true;
}

/* Hyperscan's callback: matches come in order of their end. */
static int on_match(unsigned id, unsigned long long from, unsigned long long to,
                    unsigned flags, void *ctx)
{
    (void)flags;
    struct scan *sc = ctx;
    const struct term *e = &sc->t->v[id];
    if (e->kind != LP_TERMS_REGEX) {
        from = to - e->len; // a caseless literal keeps its length
        if (!at_boundaries(sc, e, (size_t)from, (size_t)to))
            return 0;
    }
    struct lp_terms_scratch *s = sc->s;
    struct lp_terms_hits *h = sc->h;
    uint32_t k = s->slot[id];
    if (k) {
        struct lp_terms_hit *hit = &h->v[k - 1];
        if (from < hit->first) { // a regex's later end can start sooner
            hit->first = (size_t)from;
            hit->first_end = (size_t)to;
        }
        if (from >= s->last_end[id]) {
            if (hit->count < LP_TERMS_COUNT_MAX)
                hit->count++;
            s->last_end[id] = (size_t)to;
        }
        return 0;
    }
    if (h->n == h->cap) {
        size_t nc = h->cap ? 2 * h->cap : 16;
        struct lp_terms_hit *nv = realloc(h->v, nc * sizeof *nv);
        if (!nv) {
            sc->err = LP_ENOMEM;
            return 1; // stops the scan
        }
        h->v = nv;
        h->cap = nc;
    }
    h->v[h->n] = (struct lp_terms_hit){
        .label = e->label ? e->label : e->text,
        .kind = e->kind,
        .severity = e->severity,
        .count = 1,
        .first = (size_t)from,
        .first_end = (size_t)to,
        .term = id,
    };
    s->slot[id] = (uint32_t)++h->n;
    s->last_end[id] = (size_t)to;
    return 0;
}

static int by_first(const void *a, const void *b)
{
    const struct lp_terms_hit *x = a, *y = b;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    return x->term < y->term ? -1 : x->term > y->term;
}

/* Sizes the scratch for t: Hyperscan's part grows in place when t needs
 * more, and the per-term arrays cover t's terms (zero). */
static lp_err fit_scratch(struct lp_terms_scratch *s, const struct lp_terms *t)
{
    hs_error_t he = hs_alloc_scratch(t->db, &s->hs);
    if (he != HS_SUCCESS)
        return he == HS_NOMEM ? LP_ENOMEM : LP_EIO;
    if (s->nslot >= t->n)
        return LP_OK;
    uint32_t *ns = realloc(s->slot, t->n * sizeof *ns);
    if (ns)
        s->slot = ns;
    size_t *ne = realloc(s->last_end, t->n * sizeof *ne);
    if (ne)
        s->last_end = ne;
    if (!ns || !ne)
        return LP_ENOMEM;
    memset(s->slot + s->nslot, 0, (t->n - s->nslot) * sizeof *ns);
    memset(s->last_end + s->nslot, 0, (t->n - s->nslot) * sizeof *ne);
    s->nslot = t->n;
    return LP_OK;
}

lp_err lp_terms_match(const struct lp_terms *t, struct lp_terms_scratch *s,
                      const char *text, size_t len, struct lp_terms_hits *hits)
{
    hits->n = 0;
    hits->truncated = false;
    if (!t->compiled)
        return LP_EINVAL;
    if (!t->db)
        return LP_OK;
    lp_err err = fit_scratch(s, t);
    if (err)
        return err;
    size_t scan_len = len;
    if (scan_len > LP_TERMS_SCAN_MAX) {
        scan_len = LP_TERMS_SCAN_MAX;
        hits->truncated = true;
    }
    struct scan sc = {.t = t,
                      .s = s,
                      .text = (const unsigned char *)text,
                      .len = len,
                      .h = hits,
                      .err = LP_OK};
    hs_error_t he = hs_scan(t->db, text ? text : "", (unsigned)scan_len, 0,
                            s->hs, on_match, &sc);
    for (size_t i = 0; i < hits->n; i++) { // back to all zero
        s->slot[hits->v[i].term] = 0;
        s->last_end[hits->v[i].term] = 0;
    }
    if (sc.err || (he != HS_SUCCESS && he != HS_SCAN_TERMINATED)) {
        hits->n = 0;
        return sc.err ? sc.err : LP_EIO;
    }
    if (hits->n > 1)
        qsort(hits->v, hits->n, sizeof *hits->v, by_first);
    return LP_OK;
}
