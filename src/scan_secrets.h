/* SPDX-License-Identifier: Apache-2.0
 *
 * scan_secrets: the configuration, baseline and tally of a scan for
 * secrets (see scan_secrets.c).
 */
#ifndef LP_SCAN_SECRETS_H
#define LP_SCAN_SECRETS_H

#include <stdbool.h>
#include <stddef.h>

#include "scan.h"

/* Loads the configuration (config may be NULL) and the baseline (may be
 * NULL), and builds the engine into s. A one-line reason in why. */
lp_err lp_scan_secrets_setup(struct lp_scan *s, const char *config,
                             const char *baseline, char *why, size_t whylen);

/* Whether the configuration allows every secret of the file at `path`. */
bool lp_scan_secrets_path_allowed(const struct lp_scan *s, const char *path);

/* After the scan: counts the findings, writes them as a baseline to
 * write_to (may be NULL), then drops those of the baseline given. */
lp_err lp_scan_secrets_finish(struct lp_scan *s, const char *write_to,
                              char *why, size_t whylen);

void lp_scan_secrets_release(struct lp_scan *s);

#endif
