/* SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_secrets_config: hostile YAML through the secrets configuration
 * reader, then the rules of its domains. Checks that what is accepted is
 * whole: every rule has its strings, its PCRE2 pattern names the value
 * and its Hyperscan pattern does not; every domain is lower case.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "secrets_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lp_secrets_config *c = NULL;
    char err[256];
    if (lp_secrets_config_parse((const char *)data, size, "fuzz", &c, err,
                                sizeof err) != LP_OK) {
        if (c || !memchr(err, '\0', sizeof err))
            abort();
        return 0;
    }
    if (lp_secrets_config_domain_rules(c) != LP_OK)
        abort();
    for (size_t i = 0; i < c->nrules; i++) {
        const struct lp_rule *r = &c->rules[i];
        if (!r->id || !r->format || !r->category || !r->hs || !r->pcre ||
            !strstr(r->pcre, "(?<secret>") || strstr(r->hs, "(?<secret>"))
            abort();
        if (r->min_len && r->max_len && r->min_len > r->max_len)
            abort();
    }
    for (size_t i = 0; i < c->domains.n; i++)
        for (const char *p = c->domains.v[i]; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                abort();
    lp_secrets_config_free(c);
    return 0;
}
