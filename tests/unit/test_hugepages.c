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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../cli/hugepages.c"
#include "testutil.h"

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

/* A small job is not worth starting again for; a directory, or files
 * enough in all, are. */
static void test_worth_it(void **state)
{
    (void)state;
    char dir[64];
    tu_mkdtemp(dir, sizeof dir, "huge");
    char a[96], b[96];
    snprintf(a, sizeof a, "%s/a", dir);
    snprintf(b, sizeof b, "%s/b", dir);
    for (int i = 0; i < 2; i++) {
        FILE *f = fopen(i ? b : a, "w");
        assert_non_null(f);
        assert_int_equal(fseek(f, 999, SEEK_SET), 0);
        fputc('x', f); /* 1000 bytes */
        fclose(f);
    }
    char *none[] = {NULL};
    char *one[] = {"-q", a, "/nonexistent/x", NULL};
    char *two[] = {a, b, NULL};
    char *with_dir[] = {"--format", "json", dir, NULL};
    char *dash_dir[] = {"-", NULL};
    assert_false(cli_hugepages_worth(none, 1));
    assert_false(cli_hugepages_worth(one, 1001));
    assert_true(cli_hugepages_worth(one, 1000));
    assert_false(cli_hugepages_worth(two, 2001));
    assert_true(cli_hugepages_worth(two, 2000));
    assert_true(cli_hugepages_worth(with_dir, UINT64_MAX));
    assert_false(cli_hugepages_worth(dash_dir, 1));
    tu_rmrf(dir);
}

/* When the new start fails, the command runs on: GLIBC_TUNABLES is left
 * as the user had it, set or not. */
static void test_exec_failure_restores(void **state)
{
    (void)state;
    char *argv[] = {"leakprint", "scan", NULL};
    assert_int_equal(setenv("GLIBC_TUNABLES", "glibc.malloc.check=0", 1), 0);
    assert_int_equal(cli_hugepages_exec("/nonexistent/leakprint", argv,
                                        "glibc.malloc.check=0:glibc.malloc.hugetlb=1"),
                     -1);
    assert_string_equal(getenv("GLIBC_TUNABLES"), "glibc.malloc.check=0");
    assert_int_equal(unsetenv("GLIBC_TUNABLES"), 0);
    assert_int_equal(cli_hugepages_exec("/nonexistent/leakprint", argv,
                                        "glibc.malloc.hugetlb=1"),
                     -1);
    assert_null(getenv("GLIBC_TUNABLES"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_asks_on_request_only),
        cmocka_unit_test(test_keeps_the_users_tunables),
        cmocka_unit_test(test_opt_out_and_room),
        cmocka_unit_test(test_worth_it),
        cmocka_unit_test(test_exec_failure_restores),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
