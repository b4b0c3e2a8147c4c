/* SPDX-License-Identifier: Apache-2.0
 *
 * utf8: one UTF-8 decoder and the escapes of names shown as text.
 */
#include "utf8.h"

#include <string.h>

#include "leakprint.h"

#include "banned.h"

size_t lp_utf8_seq(const unsigned char *p, size_t n, uint32_t *cp)
{
    static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (n == 0)
        return 0;
    if (p[0] < 0x80) {
        if (cp)
            *cp = p[0];
        return 1;
    }
    size_t k = (p[0] & 0xe0) == 0xc0 ? 2 : (p[0] & 0xf0) == 0xe0 ? 3
             : (p[0] & 0xf8) == 0xf0 ? 4 : 0;
    if (k == 0 || n < k)
        return 0;
    uint32_t c = p[0] & (0x7fu >> k);
    for (size_t i = 1; i < k; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0; /* also stops at a NUL */
        c = c << 6 | (p[i] & 0x3f);
    }
    if (c < min[k] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    if (cp)
        *cp = c;
    return k;
}

bool lp_utf8_valid(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = lp_utf8_seq(p, 4, NULL);
        if (!n)
            return false;
        p += n;
    }
    return true;
}

bool lp_utf8_hidden(uint32_t c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x61c ||
           c == 0x200e || c == 0x200f || (c >= 0x2028 && c <= 0x202e) ||
           (c >= 0x2066 && c <= 0x2069);
}

/* The escaped form of the character at p into e (at least 8 bytes): its
 * length in *len (bytes of p), the form's length returned. */
static size_t escape_one(const unsigned char *p, char *e, size_t *len)
{
    static const char hex[] = "0123456789abcdef";
    uint32_t c = 0;
    size_t n = lp_utf8_seq(p, 4, &c);
    if (n == 0 || c < 0x20 || c == 0x7f) {
        *len = 1; /* a byte of no text, or a C0 control or DEL */
        e[0] = '\\';
        e[1] = 'x';
        e[2] = hex[*p >> 4];
        e[3] = hex[*p & 15];
        return 4;
    }
    *len = n;
    if (c == '\\') {
        e[0] = e[1] = '\\';
        return 2;
    }
    if (lp_utf8_hidden(c)) {
        e[0] = '\\';
        e[1] = 'u';
        for (int i = 0; i < 4; i++)
            e[2 + i] = hex[(c >> (12 - 4 * i)) & 15];
        return 6;
    }
    memcpy(e, p, n);
    return n;
}

size_t lp_utf8_escape(const char *s, char *out, size_t outlen)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;
    if (!outlen)
        return 0;
    while (*p) {
        char e[8];
        size_t len, n = escape_one(p, e, &len);
        if (o + n >= outlen)
            break;
        memcpy(out + o, e, n);
        o += n;
        p += len;
    }
    out[o] = '\0';
    return (size_t)(p - (const unsigned char *)s);
}

void lp_utf8_put_escaped(const char *s, FILE *fp)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        char e[8];
        size_t len, n = escape_one(p, e, &len);
        fwrite(e, 1, n, fp);
        p += len;
    }
}

size_t lp_escape(const char *s, char *out, size_t outlen)
{
    return lp_utf8_escape(s, out, outlen);
}
