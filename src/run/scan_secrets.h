/* SPDX-License-Identifier: Apache-2.0
 *
 * scan_secrets: the configuration, baseline and tally of a scan for
 * secrets (see scan_secrets.c).
 */
#ifndef LP_SCAN_SECRETS_H
#define LP_SCAN_SECRETS_H

#include <stdbool.h>
#include <stddef.h>

#include "leakprint.h"
#include "scan.h"

/* The engine of the built-in rules and of configuration c (may be NULL),
 * its compiled database kept in the existing directory cache_dir (NULL:
 * compiled, not kept), its fingerprints keyed as every run's are. */
struct lp_secrets_config;
lp_err lp_secrets_engine_for(const struct lp_secrets_config *c,
                             const char *cache_dir,
                             struct lp_secrets_engine **out, char *why,
                             size_t whylen);

/* Loads the configuration (config may be NULL), adds the domains learnt
 * from the registry (reg may be NULL), loads the baseline (may be NULL),
 * and builds the engine into s, its database kept in cache_dir (may be
 * NULL). A one-line reason in why. */
lp_err lp_scan_secrets_setup(struct lp_scan *s, lp_registry *reg,
                             const char *config, const char *baseline,
                             const char *cache_dir, char *why,
                             size_t whylen);

/* A secret that the protected material holds too: where (up to
 * LP_KNOWN_MAX "collection:path", newest versions first), the newest
 * version holding it, and whether that is its collection's newest (the
 * secret is still there: rotate it). */
#define LP_KNOWN_MAX 10
struct lp_secret_known {
    char fp[65];
    bool still_present;
    char version[160]; /* "collection version" */
    char *in[LP_KNOWN_MAX];
    size_t nin;
};

/* The registry's knowledge of the secret whose fingerprint is fp, or
 * NULL when it holds none (or was not asked). */
const struct lp_secret_known *lp_scan_secret_known(const struct lp_scan *s,
                                                   const char *fp);

/* Whether the configuration allows every secret of the file at `path`. */
bool lp_scan_secrets_path_allowed(const struct lp_scan *s, const char *path);

/* After the scan: reports a secret of a git history once per path (not
 * again for each later blob of it), looks each secret up in the registry
 * (reg may be NULL), counts the findings, writes them as a baseline to write_to (may
 * be NULL), then drops those of the baseline given. */
lp_err lp_scan_secrets_finish(struct lp_scan *s, lp_registry *reg,
                              const char *write_to, char *why, size_t whylen);

void lp_scan_secrets_release(struct lp_scan *s);

#endif
