/* SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_jsonl_read: hostile bytes read as a JSONL report (jsonl_read.h).
 * A report refused must say why, on one line naming its line; one
 * accepted is rendered by every writer of its kind (text, json, jsonl,
 * sarif), each of which must succeed, and its JSONL must read back and
 * render the same bytes again (a report read once is in the writers'
 * form).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonl_read.h"
#include "leakprint.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* s rendered in format, in memory (caller frees); aborts on failure. */
static char *render(const struct lp_scan *s, const char *format, size_t *len)
{
    char *out = NULL;
    FILE *fp = open_memstream(&out, len);
    if (!fp)
        abort();
    lp_err err = lp_report_write(s, format, 0, fp);
    if (fclose(fp) != 0 || err)
        abort();
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const formats[] = {"text", "json", "sarif"};
    char why[256] = "";
    struct lp_scan *s = NULL;
    lp_err err = lp_jsonl_read_buf((const char *)data, size, "f", &s, why,
                                   sizeof why);
    if (err) {
        if (s || strncmp(why, "f:", 2) || strchr(why, '\n'))
            abort();
        return 0;
    }
    size_t len, len2;
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
        free(render(s, formats[i], &len));
    char *once = render(s, "jsonl", &len);
    lp_scan_free(s);
    s = NULL;
    if (lp_jsonl_read_buf(once, len, "once", &s, why, sizeof why))
        abort();
    char *twice = render(s, "jsonl", &len2);
    if (len != len2 || memcmp(once, twice, len))
        abort();
    free(once);
    free(twice);
    lp_scan_free(s);
    return 0;
}
