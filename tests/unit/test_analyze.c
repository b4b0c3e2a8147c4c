/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of analyze's first stage: UTF-16 text is decoded to UTF-8
 * (surrogate pairs joined, unpaired ones replaced) before it is classified,
 * a UTF-8 byte-order mark is dropped, and the SHA-256 is of the bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "analyze.h"

static void test_utf16(void **state)
{
    (void)state;
    struct lp_analyzer an;
    struct lp_analysis a, b;
    lp_analyzer_init(&an);
    /* BOM, "x=", U+1F600 as a surrogate pair, an unpaired high surrogate,
     * "\n", little-endian. */
    static const char le[] = "\xff\xfe" "x\0=\0" "\x3d\xd8\x00\xde"
                             "\x3d\xd8" "\n\0";
    assert_int_equal(lp_analyze_id(&an, "f", le, sizeof le - 1, true, &a),
                     LP_OK);
    static const char want[] = "x=\xf0\x9f\x98\x80\xef\xbf\xbd\n";
    assert_int_equal(a.tlen, sizeof want - 1);
    assert_memory_equal(a.text, want, sizeof want - 1);
    assert_int_equal(a.kind, LP_KIND_PROSE);
    assert_int_equal(a.size, sizeof le - 1);
    /* Big-endian without a mark: told by the NUL of each ASCII pair. */
    static const char be[] = "\0i\0n\0t\0 \0a\0;\0\n\0i\0n\0t\0 \0b\0;\0\n"
                             "\0i\0n\0t\0 \0c\0;\0\n";
    assert_int_equal(lp_analyze_id(&an, "g.c", be, sizeof be - 1, false, &b),
                     LP_OK);
    assert_int_equal(b.tlen, 21);
    assert_memory_equal(b.text, "int a;\nint b;\nint c;\n", 21);
    assert_int_equal(b.kind, LP_KIND_CODE);
    /* A UTF-8 mark is left out; the SHA-256 is still of every byte. */
    static const char bom[] = "\xef\xbb\xbfint a;\n";
    struct lp_analysis c, d;
    assert_int_equal(lp_analyze_id(&an, "h.c", bom, sizeof bom - 1, true, &c),
                     LP_OK);
    assert_int_equal(c.tlen, 7);
    assert_memory_equal(c.text, "int a;\n", 7);
    assert_int_equal(lp_analyze_id(&an, "h.c", bom + 3, sizeof bom - 4, true,
                                   &d), LP_OK);
    assert_memory_not_equal(c.sha, d.sha, sizeof c.sha);
    lp_analyzer_release(&an);
}

static void test_latin1(void **state)
{
    (void)state;
    struct lp_analyzer an;
    struct lp_analysis a;
    lp_analyzer_init(&an);
    /* "caf\xe9" is not UTF-8: read as Latin-1. */
    static const char l1[] = "/* caf\xe9 cr\xe8me */\nint x;\n";
    assert_int_equal(lp_analyze_id(&an, "a.c", l1, sizeof l1 - 1, false, &a),
                     LP_OK);
    static const char want[] = "/* caf\xc3\xa9 cr\xc3\xa8me */\nint x;\n";
    assert_int_equal(a.tlen, sizeof want - 1);
    assert_memory_equal(a.text, want, sizeof want - 1);
    assert_int_equal(a.kind, LP_KIND_CODE);
    /* Valid UTF-8 is left as it is (the buffer itself). */
    static const char u8[] = "/* caf\xc3\xa9 */\nint x;\n";
    assert_int_equal(lp_analyze_id(&an, "b.c", u8, sizeof u8 - 1, false, &a),
                     LP_OK);
    assert_ptr_equal(a.text, u8);
    /* A truncated sequence at the end is not UTF-8. */
    static const char cut[] = "int x; /* \xc3";
    assert_int_equal(lp_analyze_id(&an, "c.c", cut, sizeof cut - 1, false, &a),
                     LP_OK);
    assert_int_equal(a.tlen, sizeof cut - 1 + 1);
    lp_analyzer_release(&an);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf16),
        cmocka_unit_test(test_latin1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
