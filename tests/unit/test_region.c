/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of the evidence floor's measures (region.h): tokens of a
 * region of lines, and its vocabulary (distinct words of 2 or more
 * characters), which a long `case 'A':` list lacks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "region.h"

static const char minmax[] =
    "/* helpers */\n"
    "#define MIN(a, b) ((a) < (b) ? (a) : (b))\n"
    "#define MAX(a, b) ((a) > (b) ? (a) : (b))\n"
    "int x;\n";

static void test_tokens(void **state)
{
    (void)state;
    size_t len = strlen(minmax);
    /* # define MIN ( a , b ) ( ( a ) < ( b ) ? ( a ) : ( b ) ): 25 */
    assert_int_equal(lp_region_tokens(minmax, len, 2, 2), 25);
    assert_int_equal(lp_region_tokens(minmax, len, 2, 3), 50);
    /* "int x;" and the comment's / * helpers * / */
    assert_int_equal(lp_region_tokens(minmax, len, 4, 4), 3);
    assert_int_equal(lp_region_tokens(minmax, len, 1, 1), 5);
    /* Past the end, or an empty range. */
    assert_int_equal(lp_region_tokens(minmax, len, 9, 12), 0);
    assert_int_equal(lp_region_tokens(minmax, len, 3, 2), 0);
    assert_int_equal(lp_region_tokens(NULL, 0, 1, 1), 0);
    /* The last line needs no newline. */
    assert_int_equal(lp_region_tokens("a+bb", 4, 1, 1), 3);
}

static void test_words(void **state)
{
    (void)state;
    const char *list =
        "switch (c) {\n"
        "case 'A': case 'B': case 'C': case 'D': case 'E': case 'F':\n"
        "case 'G': case 'H': case 'I': case 'J': case 'K': case 'L':\n"
        "case 'M': case 'N': case 'O': case 'P': case 'Q': case 'R':\n"
        "    return 1;\n"
        "}\n";
    size_t len = strlen(list);
    struct lp_line_range cases = {2, 4}, all = {1, 6};
    /* One word, however long the list. */
    assert_int_equal(lp_region_words(list, len, &cases, 1, 100), 1);
    /* switch, case, return: c and 1 are single characters. */
    assert_int_equal(lp_region_words(list, len, &all, 1, 100), 3);
    /* Counting stops at the cap. */
    assert_int_equal(lp_region_words(list, len, &all, 1, 2), 2);
    assert_int_equal(lp_region_words(list, len, &all, 1, 0), 0);
    /* Several ranges, sorted; lines between them are not read. */
    struct lp_line_range two[] = {{1, 1}, {5, 5}};
    assert_int_equal(lp_region_words(list, len, two, 2, 100), 2);
    size_t mlen = strlen(minmax);
    struct lp_line_range m = {2, 3};
    /* define, MIN, MAX */
    assert_int_equal(lp_region_words(minmax, mlen, &m, 1, 100), 3);
    /* The set the matcher fills from its lines' bytes counts the same:
     * line 1 ("switch (c) {") and line 5 ("    return 1;"), a word
     * twice counted once, and the cap. */
    struct lp_word_set ws;
    lp_word_set_init(&ws);
    const char *l5 = strstr(list, "    return");
    assert_int_equal(lp_word_set_add(&ws, list, 13, 100), 1);
    assert_int_equal(lp_word_set_add(&ws, l5, 14, 100), 2);
    assert_int_equal(lp_word_set_add(&ws, list, 13, 100), 2);
    lp_word_set_init(&ws);
    assert_int_equal(lp_word_set_add(&ws, list, len, 2), 2);
}

/* C scaffolding: each line alone, then counted in a text. */
static void test_code_lines(void **state)
{
    (void)state;
    static const char *const scaffold[] = {
        "", "   ", "#ifdef __cplusplus", "# if defined(_WIN32)",
        "#if !defined (__cplusplus) && (__STDC_VERSION__ >= 199901L) /* C99 */",
        "#elif 1", "#else", "#endif /* X_H */", "#include <stddef.h>",
        "#  include <sys/types.h>", "#pragma once", "extern \"C\" {",
        "}", "}  // extern C", "} /* extern \"C\" */", "/* a comment */",
        "// a comment", " * continued", NULL};
    static const char *const code[] = {
        "#define X 1", "#include \"xxhash.h\"", "#pragma pack(1)",
        "int f(size_t size);", "size_t size);", "extern int g;",
        "};", "} else {", "#ifdefine", "#endiff", "struct ringq;",
        "    *out = 1;", "* (p + 1) = 0;", "#ifndef X_H",
        "#ifndef TIME_FN_H_MODULE_287987", "#if HAVE_UTIME", NULL};
    for (const char *const *l = scaffold; *l; l++)
        assert_int_equal(lp_region_code_lines(*l, strlen(*l), 10), 0);
    for (const char *const *l = code; *l; l++)
        assert_int_equal(lp_region_code_lines(*l, strlen(*l), 10), 1);
    const char *t = "#include <stdint.h>\n\n#ifdef __cplusplus\n"
                    "extern \"C\" {\n#endif\nint a(void);\nint b(void);\n"
                    "#ifdef __cplusplus\n}\n#endif\n";
    assert_int_equal(lp_region_code_lines(t, strlen(t), 10), 2);
    assert_int_equal(lp_region_code_lines(t, strlen(t), 1), 1); /* capped */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_code_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
