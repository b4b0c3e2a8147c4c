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
#include "result.h"

struct lp_baseline;

/* The engine of the built-in rules and of configuration c (may be NULL),
 * its compiled database kept in the existing directory cache_dir (NULL:
 * compiled, not kept), its fingerprints keyed by key (LP_KEY_LEN bytes). */
struct lp_secrets_config;
lp_err lp_secrets_engine_for(const struct lp_secrets_config *c,
                             const char *cache_dir, const unsigned char *key,
                             struct lp_secrets_engine **out, char *why,
                             size_t whylen);

/* Reads the registry's fingerprint key (LP_KEY_FILE in its directory) into
 * key (LP_KEY_LEN bytes); with create, makes it when missing. LP_ENOTFOUND
 * (without create) when the registry has none; a one-line reason in why. */
lp_err lp_scan_secrets_registry_key(lp_registry *reg, bool create,
                                    unsigned char *key, char *why,
                                    size_t whylen);

/* Reads the key file at path into key (LP_KEY_LEN bytes); when reg (may
 * be NULL) has a key of its own, the key must be that one, or the reason
 * names both ids. A one-line reason in why. */
lp_err lp_scan_secrets_given_key(lp_registry *reg, const char *path,
                                 unsigned char *key, char *why, size_t whylen);

/* What a scan for secrets needs while it runs, beside the result: the
 * engine, the organisation's configuration, and the baseline. */
struct lp_scan_secrets {
    struct lp_secrets_engine *engine;
    struct lp_secrets_config *cfg;  /* the organisation's, or empty */
    struct lp_baseline *baseline;   /* findings not to report again */
    void *shared; /* when set, engine and cfg are borrowed from the setup
                     kept with the registry handle (a reference of it) */
};

/* Loads the configuration (config may be NULL), adds the domains learnt
 * from the registry (reg may be NULL), settles the fingerprints' key (as
 * lp_scan_options says: fingerprint_key, the registry's, user_key, or a
 * random one; its id and source into s), loads the baseline (may be NULL;
 * it must have been made under the same key), builds the engine into ss
 * (its database kept in cache_dir, which may be NULL) and copies its rules
 * into the result s. Without a configuration, a baseline or a key given,
 * under the registry's own key, the engine and configuration are kept
 * with the registry handle and shared by its next scans of the same
 * generation. A one-line reason in why. */
lp_err lp_scan_secrets_setup(struct lp_scan_secrets *ss, struct lp_scan *s,
                             lp_registry *reg, const struct lp_scan_options *o,
                             char *why, size_t whylen);

/* Whether the configuration allows every secret of the file at `path`. */
bool lp_scan_secrets_path_allowed(const struct lp_scan_secrets *ss,
                                  const char *path);

/* After the scan: reports a secret of a git history once per path (not
 * again for each later blob of it), looks each secret up in the registry
 * (reg may be NULL), counts the findings, writes them as a baseline to
 * write_to (may be NULL), then drops those of the baseline given. */
lp_err lp_scan_secrets_finish(const struct lp_scan_secrets *ss,
                              struct lp_scan *s, lp_registry *reg,
                              const char *write_to, char *why, size_t whylen);

/* Frees what ss holds; accepts a zeroed struct. */
void lp_scan_secrets_release(struct lp_scan_secrets *ss);

#endif
