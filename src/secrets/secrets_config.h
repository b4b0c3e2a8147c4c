/* SPDX-License-Identifier: Apache-2.0
 *
 * secrets_config: the YAML file that tunes `leakprint secrets` for an
 * organisation (issue 5): its own rules, the built-in rules it turns off,
 * what it allows (paths, values matching a regex, values holding a
 * stop-word) and its domains, whose host names and e-mail addresses are
 * exposures. See docs/SECRETS.md for the format. Unknown keys are errors:
 * a misspelt allowlist must not silently allow nothing, nor a misspelt
 * rule silently find nothing.
 */
#ifndef LP_SECRETS_CONFIG_H
#define LP_SECRETS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "leakprint.h"
#include "rules.h"

/* Bounds on a configuration (it may come from anywhere). */
#define LP_SECRETS_CONFIG_MAX_BYTES (1u << 20)
#define LP_SECRETS_CONFIG_MAX_ITEMS 4096

struct lp_strv {
    char **v;
    size_t n, cap;
};

struct lp_secrets_config {
    struct lp_rule *rules; /* custom rules; their strings are owned */
    size_t nrules, caprules;
    size_t nown; /* rules[0, nown) are the file's; the domains' follow */
    struct lp_strv disabled;      /* rule ids */
    struct lp_strv allow_paths;   /* fnmatch(3) patterns on logical paths */
    struct lp_strv allow_regexes; /* PCRE2 patterns on a secret's value */
    struct lp_strv stopwords;     /* a value holding one is allowed */
    struct lp_strv domains;       /* the organisation's domains, lower case */
};

/* Reads the configuration at `path`. On failure, err holds one line
 * "'path': line N: reason". */
lp_err lp_secrets_config_load(const char *path,
                              struct lp_secrets_config **out, char *err,
                              size_t errlen);

/* The same from a buffer; `name` names it in messages. */
lp_err lp_secrets_config_parse(const char *buf, size_t len, const char *name,
                               struct lp_secrets_config **out, char *err,
                               size_t errlen);

/* An empty configuration (no file given), to which domains may be added. */
struct lp_secrets_config *lp_secrets_config_new(void);
void lp_secrets_config_free(struct lp_secrets_config *c);

/* Adds a domain (lower-cased; a duplicate is ignored): LP_OK, LP_EINVAL
 * when it is not a domain name, LP_ELIMIT past LP_SECRETS_CONFIG_MAX_ITEMS
 * domains, LP_ENOMEM. */
lp_err lp_secrets_config_add_domain(struct lp_secrets_config *c,
                                    const char *domain);

/* Appends the rules that find the host names and e-mail addresses of the
 * configured domains (exposures "org-hostname" and "org-email"), when
 * there are domains. LP_ENOMEM or LP_OK. */
lp_err lp_secrets_config_domain_rules(struct lp_secrets_config *c);

/* The domains of the e-mail addresses in text[0..len) (lower case, each
 * once, free-mail and example domains left out), at most max, into out.
 * Their count. */
#define LP_DOMAIN_MAX 128
size_t lp_secrets_mail_domains(const char *text, size_t len,
                               char (*out)[LP_DOMAIN_MAX], size_t max);

#endif
