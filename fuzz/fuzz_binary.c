/* SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_binary: libFuzzer harness of the binary module. The first byte picks
 * min_len (2 to 9) and the second max_out (small caps to force truncation,
 * or none); the rest is the file, given to lp_bin_detect(),
 * lp_bin_strings() and lp_tlsh_digest(). Besides the sanitizers, it checks
 * the invariants of binary.h: a known kind; strings made of printable
 * bytes, at least min_len long, one per offset, offsets strictly
 * increasing and inside the file, each line found at its offset as ASCII
 * or UTF-16LE, the text within max_out; a digest of LP_TLSH_LEN hex digits
 * at distance 0 from itself, and none for fewer than LP_TLSH_MIN_LEN bytes.
 * Replayed over fuzz/corpus/binary/ by the shared replay main.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "binary.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The line s[0..n) is at buf + off, as ASCII or as UTF-16LE. */
static int found_at(const uint8_t *buf, size_t len, uint64_t off, const char *s,
                    size_t n)
{
    if (off >= len)
        return 0;
    if (len - off >= n && memcmp(buf + off, s, n) == 0)
        return 1;
    if ((len - off) / 2 < n)
        return 0;
    for (size_t k = 0; k < n; k++)
        if (buf[off + 2 * k] != (uint8_t)s[k] || buf[off + 2 * k + 1] != 0)
            return 0;
    return 1;
}

static void check_strings(const uint8_t *buf, size_t len, size_t min_len,
                          size_t max_out, const struct lp_strings *s)
{
    if (s->len > max_out || (s->nlines && !s->text))
        __builtin_trap();
    if (!s->text)
        return;
    if (s->text[s->len] != '\0' || strlen(s->text) != s->len)
        __builtin_trap();
    size_t line = 0, start = 0;
    for (size_t i = 0; i < s->len; i++) {
        unsigned char c = (unsigned char)s->text[i];
        if (c != '\n') {
            if ((c < 0x20 || c > 0x7e) && c != '\t')
                __builtin_trap();
            continue;
        }
        size_t n = i - start;
        if (line >= s->nlines || n < min_len)
            __builtin_trap();
        if (line > 0 && s->offset[line] <= s->offset[line - 1])
            __builtin_trap();
        if (!found_at(buf, len, s->offset[line], s->text + start, n))
            __builtin_trap();
        line++;
        start = i + 1;
    }
    if (line != s->nlines || start != s->len)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t min_len = 2 + data[0] % 8;
    size_t max_out = data[1] < 128 ? data[1] : SIZE_MAX;
    const uint8_t *buf = data + 2;
    size_t len = size - 2;

    enum lp_bin kind = lp_bin_detect(buf, len);
    if (kind > LP_BIN_FIRMWARE || !lp_bin_name(kind))
        __builtin_trap();

    struct lp_strings s;
    lp_strings_init(&s);
    lp_err err = lp_bin_strings(buf, len, min_len, max_out, &s);
    if (err != LP_OK && err != LP_ENOMEM)
        __builtin_trap();
    check_strings(buf, len, min_len, max_out, &s);
    lp_strings_release(&s);

    char d[LP_TLSH_LEN + 1];
    err = lp_tlsh_digest(buf, len, d);
    if (err == LP_OK) {
        if (len < LP_TLSH_MIN_LEN || strlen(d) != LP_TLSH_LEN ||
            lp_tlsh_diff(d, d) != 0)
            __builtin_trap();
    } else if (err != LP_EINVAL || d[0] != '\0') {
        __builtin_trap();
    }
    return 0;
}
