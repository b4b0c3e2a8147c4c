/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of the CLI's huge-page decision (cli/hugepages.c, compiled in
 * here): when a bulk command executes itself again with
 * glibc.malloc.hugetlb=1, and with which GLIBC_TUNABLES.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../cli/hugepages.c"

#define MADVISE "always [madvise] never\n"

static void test_asks_on_request_only(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(cli_hugepages_plan(NULL, NULL, MADVISE, out, sizeof out), 1);
    assert_string_equal(out, "glibc.malloc.hugetlb=1");
    /* "always": every mapping has them already; "never": none will. */
    assert_int_equal(cli_hugepages_plan(NULL, NULL, "[always] madvise never\n",
                                        out, sizeof out), 0);
    assert_int_equal(cli_hugepages_plan(NULL, NULL, "always madvise [never]\n",
                                        out, sizeof out), 0);
    assert_int_equal(cli_hugepages_plan(NULL, NULL, "", out, sizeof out), 0);
    assert_int_equal(cli_hugepages_plan(NULL, NULL, NULL, out, sizeof out), 0);
    /* Without a buffer: only the decision. */
    assert_int_equal(cli_hugepages_plan(NULL, NULL, MADVISE, NULL, 0), 1);
}

static void test_keeps_the_users_tunables(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(cli_hugepages_plan(NULL, "glibc.malloc.check=0", MADVISE,
                                        out, sizeof out), 1);
    assert_string_equal(out, "glibc.malloc.check=0:glibc.malloc.hugetlb=1");
    assert_int_equal(cli_hugepages_plan(NULL, "", MADVISE, out, sizeof out), 1);
    assert_string_equal(out, "glibc.malloc.hugetlb=1");
    /* The user's own setting of it (or ours, after the first exec) stands:
     * this is also what ends the loop. */
    assert_int_equal(cli_hugepages_plan(NULL, "glibc.malloc.hugetlb=0", MADVISE,
                                        out, sizeof out), 0);
    assert_int_equal(cli_hugepages_plan(NULL, "glibc.malloc.hugetlb=1", MADVISE,
                                        out, sizeof out), 0);
}

static void test_opt_out_and_room(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(cli_hugepages_plan("0", NULL, MADVISE, out, sizeof out), 0);
    assert_int_equal(cli_hugepages_plan("1", NULL, MADVISE, out, sizeof out), 1);
    /* 22 bytes and the NUL do not fit in 22. */
    assert_int_equal(cli_hugepages_plan(NULL, NULL, MADVISE, out, 22), -1);
    assert_int_equal(cli_hugepages_plan(NULL, NULL, MADVISE, out, 23), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_asks_on_request_only),
        cmocka_unit_test(test_keeps_the_users_tunables),
        cmocka_unit_test(test_opt_out_and_room),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
