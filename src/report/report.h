/* SPDX-License-Identifier: Apache-2.0
 *
 * report: renders a finished scan. One writer per format, picked by name from
 * a table; each renders the whole lp_scan to a FILE. JSON is built with
 * jansson (never by hand), so escaping is the library's job; text output
 * escapes control characters of hostile path names.
 */
#ifndef LP_REPORT_H
#define LP_REPORT_H

#include <stdio.h>

#include "result.h"

struct lp_report_writer {
    const char *name;
    lp_err (*write)(const struct lp_scan *scan, int color, FILE *fp);
};

lp_err lp_report_text(const struct lp_scan *scan, int color, FILE *fp);
lp_err lp_report_json(const struct lp_scan *scan, int color, FILE *fp);
lp_err lp_report_jsonl(const struct lp_scan *scan, int color, FILE *fp);
lp_err lp_report_sarif(const struct lp_scan *scan, int color, FILE *fp);
lp_err lp_report_secrets_text(const struct lp_scan *scan, int color, FILE *fp);
lp_err lp_report_secrets_json(const struct lp_scan *scan, int color, FILE *fp);
lp_err lp_report_secrets_jsonl(const struct lp_scan *scan, int color,
                               FILE *fp);
/* SARIF 2.1.0 of a secrets run: one result per secret or exposure, of its
 * rule (only rules with results are listed), the value masked for secrets;
 * skipped inputs as notifications. LP_OK, LP_ENOMEM, LP_EIO on a failed
 * write, LP_EINVAL when a finding names a rule the scan lacks. */
lp_err lp_report_secrets_sarif(const struct lp_scan *scan, int color,
                               FILE *fp);

/* For the JSON and SARIF reports of secrets: adds to o what the registry
 * knows of a secret (k may be NULL, not known or no registry asked:
 * "known": false, "known_in": []); non-zero when out of memory. And the commit of a finding of a git history: o, or NULL
 * (o freed) when out of memory. */
typedef struct json_t json_t;
struct lp_secret_known;
int lp_report_add_known(json_t *o, const struct lp_secret_known *k);
json_t *lp_report_with_commit(json_t *o, const struct lp_file_result *f);

/* Writes s to fp with bytes < 0x20 and 0x7f escaped as \xNN (and a
 * backslash as \\), so a file name cannot forge lines or terminal codes. */
void lp_report_put_escaped(const char *s, FILE *fp);

/* Unix time t as ISO 8601 UTC ("2024-01-10T10:00:00Z"). */
void lp_format_time(int64_t t, char out[32]);

/* Copy of s that is valid UTF-8 (invalid bytes become the text \xNN), for
 * JSON strings. Caller frees with lp_free; NULL when out of memory. */
char *lp_report_utf8(const char *s);

#endif
