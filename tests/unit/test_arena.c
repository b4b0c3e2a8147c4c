/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of the CLI's allocator for jansson (cli/arena.c, compiled in
 * here): nodes are carved in order from one block; once every node is
 * freed, the next is carved from the start of the block again, and not
 * before; a report written file by file so reuses the same memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "../../cli/arena.c"

#ifndef ARENA_OFF
static void test_rewinds_when_empty(void **state)
{
    (void)state;
    char *a = arena_alloc(24), *b = arena_alloc(40), *c = arena_alloc(1);
    assert_non_null(a);
    assert_ptr_equal(b, a + 32); /* rounded to max_align_t */
    assert_ptr_equal(c, b + 48);
    arena_free(a);
    arena_free(c);
    /* b is alive: no rewind */
    char *d = arena_alloc(8);
    assert_ptr_equal(d, c + 16);
    arena_free(b);
    arena_free(NULL); /* not a node: changes nothing */
    arena_free(d);
    /* none alive: the block's start again */
    char *e = arena_alloc(8);
    assert_ptr_equal(e, a);
    arena_free(e);
}

static void test_report_reuses_memory(void **state)
{
    (void)state;
    json_set_alloc_funcs(arena_alloc, arena_free);
    /* the same shape of object, made and dropped 10,000 times, stays in
     * the first block */
    json_t *first = json_pack("{s:s,s:[i,i]}", "path", "a/b.c", "lines", 1, 2);
    assert_non_null(first);
    char *lo = base, *high = cur;
    json_decref(first);
    assert_ptr_equal(cur, lo);
    for (int i = 0; i < 10000; i++) {
        json_t *o = json_pack("{s:s,s:[i,i]}", "path", "a/b.c", "lines", i, i);
        assert_non_null(o);
        assert_ptr_equal(base, lo);
        assert_ptr_equal(cur, high);
        json_decref(o);
    }
    assert_ptr_equal(cur, lo);
}
#else
/* Under AddressSanitizer jansson keeps malloc: nothing to test, and the
 * tests say so instead of passing. */
static void test_rewinds_when_empty(void **state)
{
    (void)state;
    skip();
}

static void test_report_reuses_memory(void **state)
{
    (void)state;
    skip();
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rewinds_when_empty),
        cmocka_unit_test(test_report_reuses_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
