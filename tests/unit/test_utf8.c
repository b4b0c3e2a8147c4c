/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of utf8.h: the one UTF-8 decoder (valid sequences, overlong
 * forms, surrogates, code points past U+10FFFF, sequences cut by the end
 * of the buffer or by a NUL), the code points shown escaped, and the
 * escapes of names in a buffer and on a stream, which must agree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "utf8.h"

static size_t seq(const char *s, size_t n, uint32_t *cp)
{
    return lp_utf8_seq((const unsigned char *)s, n, cp);
}

static void test_seq(void **state)
{
    (void)state;
    uint32_t c = 0;
    assert_int_equal(seq("A", 1, &c), 1);
    assert_int_equal(c, 0x41);
    assert_int_equal(seq("\xc3\xa9", 2, &c), 2);
    assert_int_equal(c, 0xe9);
    assert_int_equal(seq("\xe2\x80\xae", 3, &c), 3);
    assert_int_equal(c, 0x202e);
    assert_int_equal(seq("\xf0\x9f\x98\x80", 4, &c), 4);
    assert_int_equal(c, 0x1f600);
    assert_int_equal(seq("\xf4\x8f\xbf\xbf", 4, NULL), 4); /* U+10FFFF */
    assert_int_equal(seq("", 0, &c), 0);
    assert_int_equal(seq("\xc0\x80", 2, &c), 0);         /* overlong NUL */
    assert_int_equal(seq("\xe0\x80\xaf", 3, &c), 0);     /* overlong '/' */
    assert_int_equal(seq("\xed\xa0\x80", 3, &c), 0);     /* surrogate */
    assert_int_equal(seq("\xf4\x90\x80\x80", 4, &c), 0); /* past U+10FFFF */
    assert_int_equal(seq("\xf8\x88\x80\x80", 4, &c), 0); /* 5-byte lead */
    assert_int_equal(seq("\x80", 1, &c), 0);             /* continuation */
    assert_int_equal(seq("\xc3\xa9", 1, &c), 0);         /* cut by n */
    assert_int_equal(seq("\xe2\x80", 4, &c), 0);         /* cut by the NUL */
    assert_true(lp_utf8_valid("caf\xc3\xa9 \xe2\x80\xae"));
    assert_true(lp_utf8_valid(""));
    assert_false(lp_utf8_valid("caf\xc3"));
    assert_false(lp_utf8_valid("a\xff"));
}

static void test_hidden(void **state)
{
    (void)state;
    static const uint32_t hidden[] = {0x00, 0x0a, 0x1b, 0x1f, 0x7f, 0x85,
                                      0x9f, 0x61c, 0x200e, 0x200f, 0x2028,
                                      0x2029, 0x202a, 0x202e, 0x2066, 0x2069};
    static const uint32_t shown[] = {0x20, 0x41, 0x7e, 0xa0, 0xe9, 0x61b,
                                     0x200d, 0x2027, 0x202f, 0x2065, 0x206a,
                                     0x1f600};
    for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
        assert_true(lp_utf8_hidden(hidden[i]));
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++)
        assert_false(lp_utf8_hidden(shown[i]));
}

/* The escapes of docs/ENCODING.md, never cut within an escape or a
 * character; the count of bytes of s that were written. */
static void test_escape(void **state)
{
    (void)state;
    char out[64];
    static const char s[] = "a\n\\b\xc3(\xe2\x80\xae" "c\xc2\x85\xc3\xa9\x1b";
    assert_int_equal(lp_utf8_escape(s, out, sizeof out), strlen(s));
    assert_string_equal(out,
                        "a\\x0a\\\\b\\xc3(\\u202ec\\u0085\xc3\xa9\\x1b");
    /* "ab\u202e" does not fit in 6 bytes: the escape is left out whole */
    assert_int_equal(lp_utf8_escape("ab\xe2\x80\xae", out, 6), 2);
    assert_string_equal(out, "ab");
    assert_int_equal(lp_utf8_escape("ab\xc3\xa9", out, 4), 2);
    assert_string_equal(out, "ab");
    assert_int_equal(lp_utf8_escape("abc", out, 1), 0);
    assert_string_equal(out, "");
    assert_int_equal(lp_utf8_escape("abc", out, 0), 0);
}

/* The stream form writes exactly what the buffer form gives. */
static void test_put_escaped(void **state)
{
    (void)state;
    static const char *const names[] = {
        "plain/name.c", "tab\there", "bidi\xe2\x80\xaegpj.exe",
        "latin1 \xe9t\xe9", "back\\slash", "\xef\xbb\xbf" "bom", ""};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char want[256], *got = NULL;
        size_t len = 0;
        lp_utf8_escape(names[i], want, sizeof want);
        FILE *fp = open_memstream(&got, &len);
        assert_non_null(fp);
        lp_utf8_put_escaped(names[i], fp);
        assert_int_equal(fclose(fp), 0);
        assert_string_equal(got, want);
        free(got);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seq),
        cmocka_unit_test(test_hidden),
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_put_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
