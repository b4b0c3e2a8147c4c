/* SPDX-License-Identifier: Apache-2.0
 *
 * report: the table of writers and the escaping helpers (see report.h).
 */
#include "report.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "mem.h"
#include "banned.h"

static const struct lp_report_writer writers[] = {
    {"text", lp_report_text},
    {"json", lp_report_json},
    {"jsonl", lp_report_jsonl},
    {"sarif", lp_report_sarif},
};

/* A run of `leakprint secrets` (secrets only) has its own documents. */
static const struct lp_report_writer secrets_writers[] = {
    {"text", lp_report_secrets_text},
    {"json", lp_report_secrets_json},
    {"jsonl", lp_report_secrets_jsonl},
    {"sarif", lp_report_secrets_sarif},
};

lp_err lp_report_write(const lp_scan *scan, const char *format, int color,
                       FILE *fp)
{
    if (scan->secrets_mode == LP_SECRETS_ONLY) {
        for (size_t i = 0; i < sizeof secrets_writers / sizeof *secrets_writers;
             i++)
            if (!strcmp(secrets_writers[i].name, format))
                return secrets_writers[i].write(scan, color, fp);
        return LP_EINVAL;
    }
    for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++)
        if (!strcmp(writers[i].name, format))
            return writers[i].write(scan, color, fp);
    return LP_EINVAL;
}

void lp_report_put_escaped(const char *s, FILE *fp)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            fprintf(fp, "\\x%02x", *p);
        else if (*p == '\\')
            fputs("\\\\", fp);
        else
            fputc(*p, fp);
    }
}

/* Length of the valid UTF-8 sequence at p (1-4), or 0 when invalid. */
static size_t utf8_len(const unsigned char *p)
{
    if (p[0] < 0x80)
        return 1;
    size_t n = (p[0] & 0xe0) == 0xc0 ? 2 : (p[0] & 0xf0) == 0xe0 ? 3
             : (p[0] & 0xf8) == 0xf0 ? 4 : 0;
    if (n == 0 || (n == 2 && p[0] < 0xc2) || (n == 4 && p[0] > 0xf4))
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0; /* also stops at the NUL */
    if (n == 3 && ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0)))
        return 0; /* overlong or surrogate */
    if (n == 4 && ((p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90)))
        return 0;
    return n;
}

char *lp_report_utf8(const char *s)
{
    size_t len = strlen(s), cap;
    if (!lp_mul_ok(len, 4, &cap) || !lp_add_ok(cap, 1, &cap))
        return NULL;
    char *out = lp_malloc(cap), *o = out;
    if (!out)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_len(p);
        if (n) {
            memcpy(o, p, n);
            o += n;
            p += n;
        } else {
            static const char hex[] = "0123456789abcdef";
            *o++ = '\\';
            *o++ = 'x';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
            p++;
        }
    }
    *o = '\0';
    return out;
}

void lp_format_time(int64_t t, char out[32])
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (!gmtime_r(&tt, &tm) ||
        strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, 32, "%" PRId64, t);
}
