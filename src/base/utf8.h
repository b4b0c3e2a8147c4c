/* SPDX-License-Identifier: Apache-2.0
 *
 * utf8: decoding UTF-8 and showing names safely in text (docs/ENCODING.md).
 * One decoder and one set of escapes for every part that shows a name:
 * the reports, the messages on stderr, the registry's own messages.
 */
#ifndef LP_BASE_UTF8_H
#define LP_BASE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Length (1-4) of the valid UTF-8 sequence at the start of the n bytes at
 * p, its code point in *cp when cp is not NULL; 0 when they do not start
 * with one (an overlong form, a surrogate, beyond U+10FFFF, cut short, or
 * n == 0). A NUL byte is never a continuation byte, so a NUL-terminated
 * string may be read with n = 4. */
size_t lp_utf8_seq(const unsigned char *p, size_t n, uint32_t *cp);

/* Whether the NUL-terminated s is valid UTF-8 throughout. */
bool lp_utf8_valid(const char *s);

/* Whether code point c is shown escaped in text: a C0 control, DEL, a C1
 * control, a bidirectional control (U+061C, U+200E/F, U+202A-202E,
 * U+2066-2069, which reorder what a terminal shows) or a line or
 * paragraph separator (U+2028/9). */
bool lp_utf8_hidden(uint32_t c);

/* Copies s into out (outlen bytes, NUL-terminated) escaped for text: a
 * byte of no valid UTF-8, a C0 control or DEL as \xNN, any other hidden
 * code point as \uNNNN, a backslash as \\; what does not fit is left out,
 * never half an escape. Returns how many bytes of s were written. */
size_t lp_utf8_escape(const char *s, char *out, size_t outlen);

/* The same escapes, written to fp. */
void lp_utf8_put_escaped(const char *s, FILE *fp);

#endif
