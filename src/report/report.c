/* SPDX-License-Identifier: Apache-2.0
 *
 * report: the table of writers and the escaping helpers (see report.h).
 */
#include "report.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "mem.h"
#include "banned.h"

static const struct lp_report_writer writers[] = {
    {"text", lp_report_text},
    {"json", lp_report_json},
    {"jsonl", lp_report_jsonl},
    {"sarif", lp_report_sarif},
    {"html", lp_report_html_default},
};

/* A run of `leakprint secrets` (secrets only) has its own documents. */
static const struct lp_report_writer secrets_writers[] = {
    {"text", lp_report_secrets_text},
    {"json", lp_report_secrets_json},
    {"jsonl", lp_report_secrets_jsonl},
    {"sarif", lp_report_secrets_sarif},
    {"html", lp_report_html_default},
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

char *lp_report_utf8(const char *s)
{
    size_t len = strlen(s), cap;
    if (!lp_mul_ok(len, 3, &cap) || !lp_add_ok(cap, 1, &cap))
        return NULL;
    char *out = lp_malloc(cap), *o = out;
    if (!out)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = lp_utf8_seq(p, 4, NULL);
        if (n) {
            memcpy(o, p, n);
            o += n;
            p += n;
        } else { /* U+FFFD REPLACEMENT CHARACTER */
            memcpy(o, "\xef\xbf\xbd", 3);
            o += 3;
            p++;
        }
    }
    *o = '\0';
    return out;
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *lp_report_b64(const char *s)
{
    size_t len = strlen(s), groups = len / 3 + 1, cap;
    if (!lp_mul_ok(groups, 4, &cap) || !lp_add_ok(cap, 1, &cap))
        return NULL;
    char *out = lp_malloc(cap), *o = out;
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < len)
            v |= p[i + 2];
        *o++ = b64[v >> 18 & 63];
        *o++ = b64[v >> 12 & 63];
        *o++ = i + 1 < len ? b64[v >> 6 & 63] : '=';
        *o++ = i + 2 < len ? b64[v & 63] : '=';
    }
    *o = '\0';
    return out;
}

lp_err lp_report_unb64(const char *in, size_t n, char **out)
{
    *out = NULL;
    if (n % 4)
        return LP_EFORMAT;
    char *buf = lp_malloc(n / 4 * 3 + 1), *o = buf;
    if (!buf)
        return LP_ENOMEM;
    for (size_t i = 0; i < n; i += 4) {
        uint32_t v = 0;
        int pad = 0;
        for (size_t k = 0; k < 4; k++) {
            const char *c = in[i + k] ? strchr(b64, in[i + k]) : NULL;
            if (in[i + k] == '=' && i + 4 == n && k >= 2 &&
                (k == 3 || in[i + 3] == '=')) {
                pad++;
                v <<= 6;
            } else if (c && !pad) {
                v = v << 6 | (uint32_t)(c - b64);
            } else {
                lp_free(buf);
                return LP_EFORMAT;
            }
        }
        *o++ = (char)(v >> 16);
        if (pad < 2)
            *o++ = (char)(v >> 8 & 0xff);
        if (pad < 1)
            *o++ = (char)(v & 0xff);
    }
    *o = '\0';
    if (memchr(buf, '\0', (size_t)(o - buf))) { // no path holds a NUL
        lp_free(buf);
        return LP_EFORMAT;
    }
    *out = buf;
    return LP_OK;
}

void lp_format_time(int64_t t, char out[32])
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (!gmtime_r(&tt, &tm) ||
        strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, 32, "%" PRId64, t);
}
