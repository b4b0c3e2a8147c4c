/* SPDX-License-Identifier: Apache-2.0
 *
 * report: renders a finished scan. One writer per format, picked by name from
 * a table; each renders the whole lp_scan to a FILE. JSON is built with
 * jansson (never by hand), so escaping is the library's job; names that
 * are no valid UTF-8 get their bytes in *_b64 fields, and text output
 * escapes bytes of no text, controls and bidirectional characters of
 * hostile path names (docs/ENCODING.md).
 */
#ifndef LP_REPORT_H
#define LP_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "result.h"
#include "utf8.h"

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

/* The HTML page (report_html.c, docs/HTML.md) of a scan, or of a run of
 * `secrets` (secrets_mode LP_SECRETS_ONLY), with the options opt (may be
 * NULL: the defaults). LP_OK, LP_ENOMEM, LP_EIO on a failed write. The
 * lines of a matched file are read again from its path when that file
 * still has the scanned bytes. lp_report_html_default() is its entry in
 * the writers' table. */
lp_err lp_report_html(const struct lp_scan *scan,
                      const struct lp_html_options *opt, FILE *fp);
lp_err lp_report_html_default(const struct lp_scan *scan, int color,
                              FILE *fp);

/* Writes the n bytes at s to fp as HTML text, fit for an element or a
 * quoted attribute value: & < > " ' as character references; as in text
 * (docs/ENCODING.md), a byte of no valid UTF-8, a C0 control or DEL as
 * \xNN, another hidden code point (lp_utf8_hidden()) as \uNNNN and a
 * backslash as \\. LP_HTML_LINE, for a line of a file: a tab and a
 * backslash stay as they are, and each escape is marked up as
 * <span class="esc">...</span> so that it cannot be taken for text. */
enum lp_html_put_flags { LP_HTML_LINE = 1 << 0 };
void lp_html_put(const char *s, size_t n, unsigned flags, FILE *fp);

/* For the JSON and SARIF reports of secrets: adds to o what the registry
 * knows of a secret (k may be NULL, not known or no registry asked:
 * "known": false, "known_in": []); non-zero when out of memory. And the commit of a finding of a git history: o, or NULL
 * (o freed) when out of memory. */
typedef struct json_t json_t;
struct lp_secret_known;
int lp_report_add_known(json_t *o, const struct lp_secret_known *k);
json_t *lp_report_with_commit(json_t *o, const struct lp_file_result *f);

/* Names are shown in text with lp_utf8_put_escaped() and tested with
 * lp_utf8_valid() (utf8.h): so a file name can forge neither lines nor
 * terminal codes nor a reordered display. */

/* Standard base64 (RFC 4648, padded) of the bytes of s, for the *_b64
 * fields of a name that is no valid UTF-8. Caller frees with lp_free;
 * NULL when out of memory. */
char *lp_report_b64(const char *s);

/* Decodes the n bytes of base64 at in into *out (NUL-terminated; caller
 * frees with lp_free). LP_EFORMAT when it is not padded base64 or the
 * bytes hold a NUL; LP_ENOMEM. */
lp_err lp_report_unb64(const char *in, size_t n, char **out);

/* Unix time t as ISO 8601 UTC ("2024-01-10T10:00:00Z"). */
void lp_format_time(int64_t t, char out[32]);

/* Copy of s that is valid UTF-8 (each invalid byte becomes U+FFFD), for
 * JSON strings. Caller frees with lp_free; NULL when out of memory. */
char *lp_report_utf8(const char *s);

#endif
