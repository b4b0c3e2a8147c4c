/* SPDX-License-Identifier: Apache-2.0
 *
 * secrets_config: the organisation's secrets configuration, read with
 * libyaml's document loader (see secrets_config.h). Only a fixed shape is
 * walked (a mapping of lists of scalars or of mappings of scalars), so an
 * alias cannot make the walk revisit a node more than that shape allows.
 */
#include "secrets_config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "err.h"
#include "mem.h"
#include "banned.h"

struct cfg_parse {
    yaml_document_t *doc;
    struct lp_secrets_config *c;
    const char *name;
    char *err;
    size_t errlen;
    size_t items;
};

__attribute__((format(printf, 3, 4)))
static lp_err bad(struct cfg_parse *p, const yaml_node_t *n, const char *fmt,
                  ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return lp_errf(p->err, p->errlen, LP_EINVAL, "'%s': line %zu: %s", p->name,
                   n ? (size_t)n->start_mark.line + 1 : (size_t)0, msg);
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value
                                            : NULL;
}

static bool strv_push(struct lp_strv *s, const char *v)
{
    char *d = lp_strdup(v);
    if (!d || !lp_grow((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v)) {
        lp_free(d);
        return false;
    }
    s->v[s->n++] = d;
    return true;
}

static void strv_free(struct lp_strv *s)
{
    for (size_t i = 0; i < s->n; i++)
        lp_free(s->v[i]);
    lp_free(s->v);
    memset(s, 0, sizeof *s);
}

/* One string of a list, into out. */
static lp_err push_item(struct cfg_parse *p, yaml_node_t *e, const char *key,
                        struct lp_strv *out)
{
    const char *v = scalar(e);
    if (!v)
        return bad(p, e, "'%s': expected a string", key);
    if (++p->items > LP_SECRETS_CONFIG_MAX_ITEMS)
        return bad(p, e, "more than %d entries", LP_SECRETS_CONFIG_MAX_ITEMS);
    return strv_push(out, v) ? LP_OK : LP_ENOMEM;
}

/* A list of strings (a single string is taken as a list of one). */
static lp_err strings(struct cfg_parse *p, yaml_node_t *n, const char *key,
                      struct lp_strv *out)
{
    if (scalar(n))
        return push_item(p, n, key, out);
    if (n->type != YAML_SEQUENCE_NODE)
        return bad(p, n, "'%s': expected a list of strings", key);
    lp_err err = LP_OK;
    for (yaml_node_item_t *it = n->data.sequence.items.start;
         it < n->data.sequence.items.top && !err; it++) {
        yaml_node_t *e = yaml_document_get_node(p->doc, *it);
        err = push_item(p, e ? e : n, key, out);
    }
    return err;
}

/* The domains: a list of strings, each a domain name. */
static lp_err domains(struct cfg_parse *p, yaml_node_t *n)
{
    struct lp_strv d = {0};
    lp_err err = strings(p, n, "domains", &d);
    for (size_t i = 0; !err && i < d.n; i++)
        if ((err = lp_secrets_config_add_domain(p->c, d.v[i])) == LP_EINVAL)
            err = bad(p, n, "'%s': not a domain name", d.v[i]);
    strv_free(&d);
    return err;
}

static bool rule_id_ok(const char *id)
{
    size_t n = strlen(id);
    if (!n || n > 64)
        return false;
    for (const char *s = id; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_' || *s == '.'))
            return false;
    return true;
}

static bool number(const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= lo && v <= hi))
        return false;
    *out = v;
    return true;
}

static bool boolean(const char *s, bool *out)
{
    if (!strcmp(s, "true") || !strcmp(s, "yes")) {
        *out = true;
        return true;
    }
    if (!strcmp(s, "false") || !strcmp(s, "no")) {
        *out = false;
        return true;
    }
    return false;
}

/* The Hyperscan pattern of a custom rule's regex: its group "secret", if
 * it names one (each time it is spelt, even inside a class), becomes a
 * plain group (the pattern ends where the value ends, which is all
 * Hyperscan needs to tell). */
static char *hs_of(const char *re)
{
    static const char named[] = "(?<secret>";
    char *out = lp_strdup(re), *at = out;
    while (at && (at = strstr(at, named)) != NULL) { /* "(?:", every one */
        at[2] = ':';
        memmove(at + 3, at + sizeof named - 1, strlen(at + sizeof named - 1) + 1);
        at += 3;
    }
    return out;
}

/* The PCRE2 pattern: the regex itself when it names its value, else the
 * whole match is the value. */
static char *pcre_of(const char *re)
{
    if (strstr(re, "(?<secret>"))
        return lp_strdup(re);
    size_t n = strlen(re) + sizeof "(?<secret>)";
    char *out = lp_malloc(n);
    if (out)
        snprintf(out, n, "(?<secret>%s)", re);
    return out;
}

static void rule_release(struct lp_rule *r)
{
    lp_free((char *)r->id);
    lp_free((char *)r->format);
    lp_free((char *)r->category);
    lp_free((char *)r->hs);
    lp_free((char *)r->pcre);
}

static lp_err rule(struct cfg_parse *p, yaml_node_t *n)
{
    if (n->type != YAML_MAPPING_NODE)
        return bad(p, n, "'%s': each rule is a mapping", "rules");
    struct lp_rule r = {0};
    const char *id = NULL, *format = NULL, *category = "custom", *re = NULL;
    double v;
    bool b;
    lp_err err = LP_OK;
    for (yaml_node_pair_t *kv = n->data.mapping.pairs.start;
         kv < n->data.mapping.pairs.top && !err; kv++) {
        yaml_node_t *k = yaml_document_get_node(p->doc, kv->key);
        yaml_node_t *val = yaml_document_get_node(p->doc, kv->value);
        const char *key = scalar(k), *s = scalar(val);
        if (!key || !s)
            err = bad(p, k ? k : n, "%s: keys and values are strings",
                      "rules");
        else if (!strcmp(key, "id"))
            id = s;
        else if (!strcmp(key, "format"))
            format = s;
        else if (!strcmp(key, "category"))
            category = s;
        else if (!strcmp(key, "regex"))
            re = s;
        else if (!strcmp(key, "min_entropy") && number(s, 0, 8, &v))
            r.min_entropy = v;
        else if (!strcmp(key, "min_length") && number(s, 1, 4096, &v))
            r.min_len = (unsigned)v;
        else if (!strcmp(key, "max_length") && number(s, 1, 4096, &v))
            r.max_len = (unsigned)v;
        else if (!strcmp(key, "caseless") && boolean(s, &b))
            r.flags |= b ? LP_RULE_CASELESS : 0;
        else if (!strcmp(key, "generic") && boolean(s, &b))
            r.flags |= b ? LP_RULE_GENERIC : 0;
        else if (!strcmp(key, "exposure") && boolean(s, &b))
            r.flags |= b ? LP_RULE_EXPOSURE : 0;
        else
            err = bad(p, val, "rules: invalid key or value '%s'", key);
    }
    if (err)
        return err;
    if (!id || !rule_id_ok(id))
        return bad(p, n, "%s: each rule needs an id of a-z, 0-9 and -_.",
                   "rules");
    if (!re || !*re)
        return bad(p, n, "rule '%s' needs a regex", id);
    if (r.min_len && r.max_len && r.min_len > r.max_len)
        return bad(p, n, "rule '%s': min_length exceeds max_length", id);
    for (size_t i = 0; i < p->c->nrules; i++)
        if (!strcmp(p->c->rules[i].id, id))
            return bad(p, n, "rule '%s' is defined twice", id);
    if (p->c->nrules >= LP_SECRETS_CONFIG_MAX_ITEMS)
        return bad(p, n, "more than %s rules", "4096");
    r.id = lp_strdup(id);
    r.format = lp_strdup(format ? format : id);
    r.category = lp_strdup(category);
    r.hs = hs_of(re);
    r.pcre = pcre_of(re);
    if (!r.id || !r.format || !r.category || !r.hs || !r.pcre ||
        !lp_grow((void **)&p->c->rules, &p->c->caprules, p->c->nrules + 1,
                 sizeof *p->c->rules)) {
        rule_release(&r);
        return LP_ENOMEM;
    }
    p->c->rules[p->c->nrules++] = r;
    p->c->nown = p->c->nrules;
    return LP_OK;
}

static lp_err rules(struct cfg_parse *p, yaml_node_t *n)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return bad(p, n, "'%s': expected a list of rules", "rules");
    lp_err err = LP_OK;
    for (yaml_node_item_t *it = n->data.sequence.items.start;
         it < n->data.sequence.items.top && !err; it++)
        err = rule(p, yaml_document_get_node(p->doc, *it));
    return err;
}

static lp_err allow(struct cfg_parse *p, yaml_node_t *n)
{
    if (n->type != YAML_MAPPING_NODE)
        return bad(p, n, "'%s': expected paths, regexes or stopwords",
                   "allow");
    lp_err err = LP_OK;
    for (yaml_node_pair_t *kv = n->data.mapping.pairs.start;
         kv < n->data.mapping.pairs.top && !err; kv++) {
        yaml_node_t *k = yaml_document_get_node(p->doc, kv->key);
        yaml_node_t *v = yaml_document_get_node(p->doc, kv->value);
        const char *key = scalar(k);
        if (!key || !v)
            err = bad(p, k ? k : n, "'%s': keys are strings", "allow");
        else if (!strcmp(key, "paths"))
            err = strings(p, v, key, &p->c->allow_paths);
        else if (!strcmp(key, "regexes"))
            err = strings(p, v, key, &p->c->allow_regexes);
        else if (!strcmp(key, "stopwords"))
            err = strings(p, v, key, &p->c->stopwords);
        else
            err = bad(p, k, "allow: unknown key '%s' (paths, regexes, "
                            "stopwords)", key);
    }
    return err;
}

static lp_err top(struct cfg_parse *p, yaml_node_t *root)
{
    if (!root) /* an empty file: nothing configured */
        return LP_OK;
    if (root->type != YAML_MAPPING_NODE)
        return bad(p, root, "expected a mapping (%s)",
                   "rules, disable, allow, domains");
    lp_err err = LP_OK;
    for (yaml_node_pair_t *kv = root->data.mapping.pairs.start;
         kv < root->data.mapping.pairs.top && !err; kv++) {
        yaml_node_t *k = yaml_document_get_node(p->doc, kv->key);
        yaml_node_t *v = yaml_document_get_node(p->doc, kv->value);
        const char *key = scalar(k);
        if (!key || !v)
            err = bad(p, k ? k : root, "%s: keys are strings", "config");
        else if (!strcmp(key, "version"))
            err = scalar(v) && !strcmp(scalar(v), "1")
                      ? LP_OK
                      : bad(p, v, "version: only %s is known", "1");
        else if (!strcmp(key, "rules"))
            err = rules(p, v);
        else if (!strcmp(key, "disable"))
            err = strings(p, v, key, &p->c->disabled);
        else if (!strcmp(key, "allow"))
            err = allow(p, v);
        else if (!strcmp(key, "domains"))
            err = domains(p, v);
        else
            err = bad(p, k, "unknown key '%s' (version, rules, disable, "
                            "allow, domains)", key);
    }
    return err;
}

struct lp_secrets_config *lp_secrets_config_new(void)
{
    return lp_calloc(1, sizeof(struct lp_secrets_config));
}

void lp_secrets_config_free(struct lp_secrets_config *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nrules; i++)
        rule_release(&c->rules[i]);
    lp_free(c->rules);
    strv_free(&c->disabled);
    strv_free(&c->allow_paths);
    strv_free(&c->allow_regexes);
    strv_free(&c->stopwords);
    strv_free(&c->domains);
    lp_free(c);
}

lp_err lp_secrets_config_parse(const char *buf, size_t len, const char *name,
                               struct lp_secrets_config **out, char *err,
                               size_t errlen)
{
    *out = NULL;
    if (len > LP_SECRETS_CONFIG_MAX_BYTES)
        return lp_errf(err, errlen, LP_ELIMIT, "'%s': larger than 1 MB",
                       name);
    struct lp_secrets_config *c = lp_secrets_config_new();
    if (!c)
        return LP_ENOMEM;
    yaml_parser_t parser;
    yaml_document_t doc;
    bool have_doc = false;
    lp_err rc = LP_OK;
    if (!yaml_parser_initialize(&parser)) {
        lp_free(c);
        return LP_ENOMEM;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    if (!yaml_parser_load(&parser, &doc)) {
        rc = lp_errf(err, errlen, LP_EINVAL, "'%s': line %zu: %s", name,
                     (size_t)parser.problem_mark.line + 1,
                     parser.problem ? parser.problem : "invalid YAML");
        goto out;
    }
    have_doc = true;
    struct cfg_parse p = {.doc = &doc, .c = c, .name = name, .err = err,
                          .errlen = errlen};
    rc = top(&p, yaml_document_get_root_node(&doc));
out:
    if (have_doc)
        yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    if (rc == LP_ENOMEM)
        lp_errf(err, errlen, rc, "'%s': out of memory", name);
    if (rc) {
        lp_secrets_config_free(c);
        return rc;
    }
    *out = c;
    return LP_OK;
}

lp_err lp_secrets_config_load(const char *path,
                              struct lp_secrets_config **out, char *err,
                              size_t errlen)
{
    *out = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return lp_errf(err, errlen, errno == ENOENT ? LP_ENOTFOUND : LP_EIO,
                       "'%s': %s", path, strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0, r;
    lp_err rc = LP_OK;
    do {
        if (!lp_grow((void **)&buf, &cap, len + 65536, 1)) {
            rc = LP_ENOMEM;
            break;
        }
        r = fread(buf + len, 1, 65536, fp);
        len += r;
    } while (r > 0 && len <= LP_SECRETS_CONFIG_MAX_BYTES);
    if (!rc && ferror(fp))
        rc = lp_errf(err, errlen, LP_EIO, "'%s': read error", path);
    fclose(fp);
    if (!rc)
        rc = lp_secrets_config_parse(buf, len, path, out, err, errlen);
    lp_free(buf);
    return rc;
}

lp_err lp_secrets_config_add_domain(struct lp_secrets_config *c,
                                    const char *domain)
{
    char low[254];
    size_t n = strlen(domain), label = 0;
    if (n < 2 || n >= sizeof low || domain[0] == '.' || domain[n - 1] == '.')
        return LP_EINVAL;
    for (size_t i = 0; i <= n; i++) {
        char ch = domain[i];
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch + 32);
        if (ch == '.' || ch == '\0') {
            if (!label || label > 63 || low[i - 1] == '-')
                return LP_EINVAL;
            label = 0;
        } else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                   (ch == '-' && label)) {
            label++;
        } else {
            return LP_EINVAL;
        }
        low[i] = ch;
    }
    for (size_t i = 0; i < c->domains.n; i++)
        if (!strcmp(c->domains.v[i], low))
            return LP_OK;
    if (c->domains.n >= LP_SECRETS_CONFIG_MAX_ITEMS)
        return LP_ELIMIT;
    return strv_push(&c->domains, low) ? LP_OK : LP_ENOMEM;
}

/* The domains as one alternation, dots escaped: "acme\.com|acme\.io". */
static char *alternation(const struct lp_strv *d)
{
    size_t n = 1;
    for (size_t i = 0; i < d->n; i++)
        n += 2 * strlen(d->v[i]) + 1;
    char *out = lp_malloc(n), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < d->n; i++) {
        if (i)
            *o++ = '|';
        for (const char *s = d->v[i]; *s; s++) {
            if (*s == '.')
                *o++ = '\\';
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

/* head + "(?:" + alt + ")" + tail */
static char *around(const char *head, const char *alt, const char *tail)
{
    size_t n = strlen(head) + strlen(alt) + strlen(tail) + 8;
    char *out = lp_malloc(n);
    if (out)
        snprintf(out, n, "%s(?:%s)%s", head, alt, tail);
    return out;
}

static lp_err domain_rule(struct lp_secrets_config *c, const char *id,
                          const char *format, const char *category,
                          const char *const pat[4], const char *alt)
{
    struct lp_rule r = {.flags = LP_RULE_EXPOSURE | LP_RULE_CASELESS};
    char *hs = around(pat[0], alt, pat[1]);
    char *pcre = around(pat[2], alt, pat[3]);
    r.id = lp_strdup(id);
    r.format = lp_strdup(format);
    r.category = lp_strdup(category);
    r.hs = hs;
    r.pcre = pcre;
    if (!hs || !pcre || !r.id || !r.format || !r.category ||
        !lp_grow((void **)&c->rules, &c->caprules, c->nrules + 1,
                 sizeof *c->rules)) {
        rule_release(&r);
        return LP_ENOMEM;
    }
    c->rules[c->nrules++] = r;
    return LP_OK;
}

/* A host or address ends where no name character follows (a dot ending a
 * sentence is not part of it). */
#define NAME_END "(?:[^a-z0-9.-]|\\.[^a-z0-9]|\\z)"
#define LABEL "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\."

lp_err lp_secrets_config_domain_rules(struct lp_secrets_config *c)
{
    if (!c->domains.n)
        return LP_OK;
    char *alt = alternation(&c->domains);
    if (!alt)
        return LP_ENOMEM;
    /* The address first: where both find a value, the first rule wins. */
    static const char *const email[4] = {
        "[a-z0-9._%+-]@(?:" LABEL "){0,8}", NAME_END,
        "(?:^|[^a-z0-9._%+-])(?<secret>[a-z0-9._%+-]{1,64}@(?:" LABEL
        "){0,8}",
        ")" NAME_END};
    /* A host under the domain (the domain itself, and its public web
     * site www., say nothing of the inside). */
    static const char *const host[4] = {
        "(?:^|[^a-z0-9.@_-])(?:" LABEL "){1,8}", NAME_END,
        "(?:^|[^a-z0-9.@_-])(?<secret>(?!www\\.)(?:" LABEL "){1,8}",
        ")" NAME_END};
    lp_err err = domain_rule(c, "org-email",
                             "e-mail address of the organisation",
                             "org-email", email, alt);
    if (!err)
        err = domain_rule(c, "org-hostname", "host name of the organisation",
                          "internal-hostname", host, alt);
    lp_free(alt);
    return err;
}

/* Free-mail and documentation domains: an address there says nothing of
 * who owns the code. */
static bool common_domain(const char *d)
{
    static const char *const common[] = {
        "gmail.com", "googlemail.com", "yahoo.com", "hotmail.com",
        "outlook.com", "live.com", "msn.com", "icloud.com", "me.com",
        "aol.com", "proton.me", "protonmail.com", "gmx.de", "gmx.net",
        "web.de", "qq.com", "163.com", "126.com", "yandex.ru", "mail.ru",
        "users.noreply.github.com", "noreply.github.com", "example.com",
        "example.org", "example.net", "localhost.localdomain",
    };
    for (size_t i = 0; i < sizeof common / sizeof *common; i++)
        if (!strcmp(d, common[i]))
            return true;
    return false;
}

static bool local_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '%' ||
           c == '+' || c == '-';
}

size_t lp_secrets_mail_domains(const char *text, size_t len,
                               char (*out)[LP_DOMAIN_MAX], size_t max)
{
    size_t n = 0;
    const char *p = text, *end = text + len;
    while (n < max && (p = memchr(p, '@', (size_t)(end - p))) != NULL) {
        const char *at = p++;
        if (at == text || !local_char((unsigned char)at[-1]))
            continue;
        char d[LP_DOMAIN_MAX];
        size_t k = 0, dots = 0, label = 0, alpha_tld = 0;
        const char *q = at + 1;
        for (; q < end && k + 1 < sizeof d; q++) {
            unsigned char c = (unsigned char)*q;
            if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c + 32);
            if (c == '.' && label && q + 1 < end &&
                ((q[1] | 32) >= 'a' && (q[1] | 32) <= 'z')) {
                dots++;
                label = alpha_tld = 0;
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '-') {
                label++;
                alpha_tld += c >= 'a' && c <= 'z';
            } else {
                break;
            }
            d[k++] = (char)c;
        }
        d[k] = '\0';
        if (!dots || label < 2 || alpha_tld != label || k + 1 >= sizeof d ||
            d[k - 1] == '-' || common_domain(d))
            continue;
        bool seen = false;
        for (size_t i = 0; i < n && !seen; i++)
            seen = !strcmp(out[i], d);
        if (!seen)
            memcpy(out[n++], d, k + 1);
        p = q;
    }
    return n;
}
