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

/* The code point of the valid sequence of n bytes at p. */
static uint32_t utf8_cp(const unsigned char *p, size_t n)
{
    static const unsigned char lead[] = {0, 0x7f, 0x1f, 0x0f, 0x07};
    uint32_t c = p[0] & lead[n];
    for (size_t i = 1; i < n; i++)
        c = c << 6 | (p[i] & 0x3f);
    return c;
}

/* Shown escaped in text: C1 controls, the bidirectional controls (which
 * reorder what a terminal shows: U+061C, U+200E/F, U+202A-202E,
 * U+2066-2069) and the line and paragraph separators. */
static bool hidden_cp(uint32_t c)
{
    return (c >= 0x80 && c <= 0x9f) || c == 0x61c || c == 0x200e ||
           c == 0x200f || (c >= 0x2028 && c <= 0x202e) ||
           (c >= 0x2066 && c <= 0x2069);
}

void lp_report_put_escaped(const char *s, FILE *fp)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_len(p);
        if (n == 0 || *p < 0x20 || *p == 0x7f) {
            fprintf(fp, "\\x%02x", *p); // a control or a byte of no text
            p++;
            continue;
        }
        if (*p == '\\')
            fputs("\\\\", fp);
        else if (n > 1 && hidden_cp(utf8_cp(p, n)))
            fprintf(fp, "\\u%04x", (unsigned)utf8_cp(p, n));
        else
            fwrite(p, 1, n, fp);
        p += n;
    }
}

bool lp_report_is_utf8(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_len(p);
        if (!n)
            return false;
        p += n;
    }
    return true;
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
        size_t n = utf8_len(p);
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
