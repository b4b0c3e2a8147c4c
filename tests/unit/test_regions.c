/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of regions (cmocka): the line classifier, code regions in
 * prose (their bytes and first lines), prose that stays prose, comment
 * markers and texinfo escapes rewritten in place.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "regions.h"

#include "banned.h"

static bool line(const char *s)
{
    return lp_code_line(s, s + strlen(s));
}

static void test_code_line(void **state)
{
    (void)state;
    static const char *const code[] = {
        "#include <stdio.h>", "# define X 1", "  return 0;", "break;",
        "x = f(y);", "int main(void) {", "}", "};", "@}",
        "static int f(struct s *p)", "int g(int a,", "    case 'a':",
        "default:", "else", "do", "  p->next = NULL;\r"};
    static const char *const other[] = {
        "", "   ", "# Title", "#!/bin/sh", "This is prose.",
        "We take the first; then the second one follows the other;",
        "as shown below (see the code)", "@end example", "@example",
        "\\section{Intro}", "A list:", "if (a &&", "```c", "Note: here",
        "the first, the second,"};
    for (size_t i = 0; i < sizeof code / sizeof *code; i++)
        if (!line(code[i]))
            fail_msg("not code: '%s'", code[i]);
    for (size_t i = 0; i < sizeof other / sizeof *other; i++)
        if (line(other[i]))
            fail_msg("code: '%s'", other[i]);
}

static void test_regions_in_prose(void **state)
{
    (void)state;
    const char *t = "# Notes\n"                        /* 1 */
                    "\n"                               /* 2 */
                    "Here is the code:\n"              /* 3 */
                    "```c\n"                           /* 4 */
                    "int f(int a)\n"                   /* 5 */
                    "{\n"                              /* 6 */
                    "    if (a > 1 &&\n"               /* 7 */
                    "        a < 9)\n"                 /* 8 */
                    "        return a;\n"              /* 9 */
                    "    return 0;\n"                  /* 10 */
                    "}\n"                              /* 11 */
                    "```\n"                            /* 12 */
                    "That is all; nothing more.\n"     /* 13 */
                    "Some more words of prose here.\n" /* 14 */
                    "x = 1;\n";                        /* 15 */
    struct lp_regions r;
    lp_regions_init(&r);
    assert_int_equal(lp_code_regions(t, strlen(t), 1, &r), LP_OK);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.v[0].line, 5);
    const char *s = strstr(t, "int f");
    assert_int_equal(r.v[0].off, (size_t)(s - t));
    assert_int_equal(r.v[0].len, strlen("int f(int a)\n{\n    if (a > 1 &&\n"
                                        "        a < 9)\n        return a;\n"
                                        "    return 0;\n}"));
    /* the line numbers of a part of a host */
    r.n = 0;
    assert_int_equal(lp_code_regions(s, strlen(s), 5, &r), LP_OK);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.v[0].line, 5);
    assert_int_equal(r.v[0].off, 0);
    lp_regions_release(&r);
    lp_regions_release(&r); /* twice: no harm */
}

static void test_prose_stays_prose(void **state)
{
    (void)state;
    /* code-like lines two at a time, far apart: no region */
    const char *t = "We keep the list short; the reader\n"
                    "knows why. A call f(x) is cheap;\n"
                    "x = 1;\n"
                    "that is what the text says, and more prose\n"
                    "follows here, line after line, and then\n"
                    "another; and yet another line of prose\n"
                    "ends the paragraph.\n"
                    "and so is y = 2;\n";
    struct lp_regions r;
    lp_regions_init(&r);
    assert_int_equal(lp_code_regions(t, strlen(t), 1, &r), LP_OK);
    assert_int_equal(r.n, 0);
    assert_int_equal(lp_code_regions(NULL, 0, 1, &r), LP_OK);
    assert_int_equal(lp_code_regions("", 0, 1, &r), LP_OK);
    assert_int_equal(r.n, 0);
    lp_regions_release(&r);
}

static void test_unwrap(void **state)
{
    (void)state;
    char b[] = "/*\n * x = 1;\n * y = f(x);\n */";
    lp_comment_unwrap(b, strlen(b));
    assert_string_equal(b, "  \n   x = 1;\n   y = f(x);\n   ");
    char l[] = "// a = 1;\n  /// b = 2;\n//! c;";
    lp_comment_unwrap(l, strlen(l));
    assert_string_equal(l, "   a = 1;\n      b = 2;\n    c;");
    char t[] = "int f(void) @{ return '@@'; @}";
    lp_texinfo_unescape(t, strlen(t));
    assert_string_equal(t, "int f(void)  { return ' @';  }");
    char e[] = "@";
    lp_texinfo_unescape(e, 1);
    assert_string_equal(e, "@");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_code_line),
        cmocka_unit_test(test_regions_in_prose),
        cmocka_unit_test(test_prose_stays_prose),
        cmocka_unit_test(test_unwrap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
