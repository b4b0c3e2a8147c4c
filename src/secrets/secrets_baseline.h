/* SPDX-License-Identifier: Apache-2.0
 *
 * secrets_baseline: findings already known, read from an earlier JSON
 * report of `leakprint secrets` (see secrets_baseline.c).
 */
#ifndef LP_SECRETS_BASELINE_H
#define LP_SECRETS_BASELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "leakprint.h"

struct lp_baseline;

/* Reads the report at `path`, whose fingerprints must have been made
 * under the key of id key_id (NULL: not checked): a report naming another
 * key, or none while it holds secrets, is refused. On failure, a one-line
 * reason in err. */
lp_err lp_baseline_load(const char *path, const char *key_id,
                        struct lp_baseline **out, char *err, size_t errlen);

/* Whether the baseline holds a finding of `rule` whose fingerprint (a
 * secret) or value (an exposure) is `what`. b may be NULL. */
bool lp_baseline_has(const struct lp_baseline *b, const char *rule,
                     const char *what);

size_t lp_baseline_size(const struct lp_baseline *b);
void lp_baseline_free(struct lp_baseline *b);

#endif
