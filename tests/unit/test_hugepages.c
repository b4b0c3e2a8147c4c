/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of the CLI's huge pages (cli/hugepages.c, compiled in here):
 * when a bulk command asks for them, and that the heap is then advised.
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
    assert_true(cli_hugepages_plan(NULL, NULL, MADVISE));
    /* "always": every mapping has them already; "never": none will. */
    assert_false(cli_hugepages_plan(NULL, NULL, "[always] madvise never\n"));
    assert_false(cli_hugepages_plan(NULL, NULL, "always madvise [never]\n"));
    assert_false(cli_hugepages_plan(NULL, NULL, ""));
    assert_false(cli_hugepages_plan(NULL, NULL, NULL));
}

/* Other tunables do not matter; the user's own setting of glibc's
 * hugetlb, either way, stands (glibc then does it, or nothing should). */
static void test_keeps_the_users_tunables(void **state)
{
    (void)state;
    assert_true(cli_hugepages_plan(NULL, "glibc.malloc.check=0", MADVISE));
    assert_true(cli_hugepages_plan(NULL, "", MADVISE));
    assert_false(cli_hugepages_plan(NULL, "glibc.malloc.hugetlb=0", MADVISE));
    assert_false(cli_hugepages_plan(NULL, "glibc.malloc.hugetlb=1", MADVISE));
}

static void test_opt_out(void **state)
{
    (void)state;
    assert_false(cli_hugepages_plan("0", NULL, MADVISE));
    assert_true(cli_hugepages_plan("1", NULL, MADVISE));
    assert_true(cli_hugepages_plan("", NULL, MADVISE));
}

#ifndef CLI_NO_HUGEPAGES
/* The VmFlags line of the mapping of /proc/self/smaps that holds addr. */
static bool vm_flags_of(const void *addr, char *flags, size_t size)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    assert_non_null(f);
    char line[512];
    bool in = false, found = false;
    while (!found && fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) { /* a mapping's line */
            in = (uintptr_t)addr >= lo && (uintptr_t)addr < hi;
        } else if (in && strncmp(line, "VmFlags:", 8) == 0) {
            snprintf(flags, size, "%s", line + 8);
            found = true;
        }
    }
    fclose(f);
    return found;
}
#endif

/* The heap's free end is advised: the kernel's mapping of the range says
 * so ("hg"), and memory allocated after it lies there. Under
 * AddressSanitizer (another allocator) nothing is done. */
static void test_heap_advise(void **state)
{
    (void)state;
    void *lo;
    size_t len;
#ifndef CLI_NO_HUGEPAGES
    /* As main() has it: blocks this large come from the heap, which is
     * not trimmed when they are freed. */
    assert_int_equal(mallopt(M_MMAP_THRESHOLD, 64 << 20), 1);
    assert_int_equal(mallopt(M_TRIM_THRESHOLD, 256 << 20), 1);
    /* A reserve above the mmap threshold is mapped apart from the heap:
     * nothing to advise. */
    assert_int_equal(cli_heap_advise(96u << 20, &lo, &len), -1);
    assert_null(lo);
    assert_int_equal(len, 0);
#endif
    int rc = cli_heap_advise(8u << 20, &lo, &len);
#ifdef CLI_NO_HUGEPAGES
    assert_int_equal(rc, -1);
    assert_null(lo);
    assert_int_equal(len, 0);
#else
    assert_int_equal(rc, 0);
    assert_non_null(lo);
    assert_int_equal((uintptr_t)lo % (2u << 20), 0);
    assert_true(len >= (2u << 20));
    assert_int_equal(len % (2u << 20), 0);
    char flags[512];
    assert_true(vm_flags_of(lo, flags, sizeof flags));
    assert_non_null(strstr(flags, " hg"));
    assert_true(vm_flags_of((char *)lo + len - 1, flags, sizeof flags));
    assert_non_null(strstr(flags, " hg"));
    /* The next large block comes from the advised range. */
    char *p = malloc(6u << 20);
    assert_non_null(p);
    assert_true(p + (6u << 20) > (char *)lo && p < (char *)lo + len);
    free(p);
#endif
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_asks_on_request_only),
        cmocka_unit_test(test_keeps_the_users_tunables),
        cmocka_unit_test(test_opt_out),
        cmocka_unit_test(test_worth_it),
        cmocka_unit_test(test_heap_advise),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
