/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of manifest.h: round trip, missing file, stale MANIFEST.tmp,
 * damaged files and hostile segment names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "hash.h"
#include "manifest.h"
#include "mem.h"

#include "testutil.h"
#include "banned.h"

struct fixture {
    char dir[64];
    char path[128];
    char err[LP_MANIFEST_ERRLEN];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    tu_mkdtemp(f->dir, sizeof f->dir, "mantest");
    snprintf(f->path, sizeof f->path, "%s/MANIFEST", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    tu_rmrf(f->dir);
    free(f);
    return 0;
}

static void write_sample(struct fixture *f)
{
    struct lp_manifest m;
    bool renamed;
    lp_manifest_init(&m);
    m.gen = 0x1122334455667788u;
    assert_int_equal(lp_manifest_add(&m, "seg-00000001-0.lps"), LP_OK);
    assert_int_equal(lp_manifest_add(&m, "seg-00000002-13.lps"), LP_OK);
    assert_int_equal(lp_manifest_add(&m, "seg-1122334455667788-0.lps"), LP_OK);
    assert_int_equal(lp_manifest_write(f->dir, &m, &renamed, f->err), LP_OK);
    assert_true(renamed);
    lp_manifest_release(&m);
}

static void test_roundtrip(void **state)
{
    struct fixture *f = *state;
    write_sample(f);
    struct lp_manifest m;
    assert_int_equal(lp_manifest_read(f->dir, &m, f->err), LP_OK);
    assert_int_equal(m.gen, 0x1122334455667788u);
    assert_int_equal(m.nsegs, 3);
    assert_string_equal(m.segs[0], "seg-00000001-0.lps");
    assert_string_equal(m.segs[1], "seg-00000002-13.lps");
    assert_string_equal(m.segs[2], "seg-1122334455667788-0.lps");
    assert_true(lp_manifest_has(&m, "seg-00000002-13.lps"));
    assert_false(lp_manifest_has(&m, "seg-00000002-1.lps"));
    lp_manifest_release(&m);
    /* no MANIFEST.tmp is left behind */
    char tmp[160];
    snprintf(tmp, sizeof tmp, "%s/MANIFEST.tmp", f->dir);
    assert_int_equal(access(tmp, F_OK), -1);
}

static void test_empty_and_missing(void **state)
{
    struct fixture *f = *state;
    struct lp_manifest m;
    assert_int_equal(lp_manifest_read(f->dir, &m, f->err), LP_ENOTFOUND);
    lp_manifest_release(&m);
    lp_manifest_init(&m);
    bool renamed;
    assert_int_equal(lp_manifest_write(f->dir, &m, &renamed, f->err), LP_OK);
    assert_int_equal(lp_manifest_read(f->dir, &m, f->err), LP_OK);
    assert_int_equal(m.gen, 0);
    assert_int_equal(m.nsegs, 0);
    lp_manifest_release(&m);
}

static void test_stale_tmp_ignored(void **state)
{
    struct fixture *f = *state;
    write_sample(f);
    char tmp[160];
    snprintf(tmp, sizeof tmp, "%s/MANIFEST.tmp", f->dir);
    FILE *fp = fopen(tmp, "wb");
    fputs("half-written garbage", fp);
    fclose(fp);
    struct lp_manifest m;
    assert_int_equal(lp_manifest_read(f->dir, &m, f->err), LP_OK);
    assert_int_equal(m.nsegs, 3);
    lp_manifest_release(&m);
}

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    uint8_t *b = malloc(4096);
    *len = fread(b, 1, 4096, fp);
    fclose(fp);
    return b;
}

static void test_corrupt(void **state)
{
    struct fixture *f = *state;
    write_sample(f);
    size_t len;
    uint8_t *b = read_all(f->path, &len);
    struct lp_manifest m;
    assert_int_equal(lp_manifest_parse(b, len, "M", &m, f->err), LP_OK);
    lp_manifest_release(&m);
    for (size_t i = 0; i < len; i++) {
        b[i] ^= 0x04;
        assert_int_equal(lp_manifest_parse(b, len, "M", &m, f->err),
                         LP_ECORRUPT);
        lp_manifest_release(&m);
        b[i] ^= 0x04;
    }
    for (size_t cut = 0; cut < len; cut += 5) {
        assert_int_equal(lp_manifest_parse(b, cut, "M", &m, f->err),
                         LP_ECORRUPT);
        lp_manifest_release(&m);
    }
    /* through the file: the message names it */
    b[30] ^= 1;
    FILE *fp = fopen(f->path, "wb");
    fwrite(b, 1, len, fp);
    fclose(fp);
    assert_int_equal(lp_manifest_read(f->dir, &m, f->err), LP_ECORRUPT);
    lp_manifest_release(&m);
    char want[256];
    snprintf(want, sizeof want,
             "'%s': checksum mismatch (manifest is corrupt)", f->path);
    assert_string_equal(f->err, want);
    free(b);
}

/* A well-checksummed manifest naming `name`. */
static size_t forge(uint8_t *b, const char *name, uint32_t version)
{
    size_t n = strlen(name);
    memcpy(b, LP_MANIFEST_MAGIC, 8);
    lp_put_u32le(b + 8, version);
    lp_put_u32le(b + 12, 1);
    lp_put_u64le(b + 16, 5);
    lp_put_u16le(b + 24, (uint16_t)n);
    memcpy(b + 26, name, n);
    lp_put_u64le(b + 26 + n, lp_hash64(b, 26 + n));
    return 34 + n;
}

static void test_hostile_names(void **state)
{
    struct fixture *f = *state;
    uint8_t b[512];
    struct lp_manifest m;
    const char *bad[] = {"../../etc/passwd", "seg-0000001-0.lps",
                         "seg-00000001-.lps", "seg-00000001-0.lps/x",
                         "seg-0000000G-0.lps", "seg-00000001-0.lpsx",
                         "/seg-00000001-0.lps", "seg-00000001-12345678901.lps"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_false(lp_manifest_name_ok(bad[i]));
        size_t n = forge(b, bad[i], LP_MANIFEST_VERSION);
        assert_int_equal(lp_manifest_parse(b, n, "M", &m, f->err),
                         LP_ECORRUPT);
        lp_manifest_release(&m);
    }
    size_t n = forge(b, "seg-00000001-0.lps", LP_MANIFEST_VERSION);
    assert_int_equal(lp_manifest_parse(b, n, "M", &m, f->err), LP_OK);
    assert_int_equal(m.gen, 5);
    lp_manifest_release(&m);
    n = forge(b, "seg-00000001-0.lps", 2);
    assert_int_equal(lp_manifest_parse(b, n, "M", &m, f->err),
                     LP_EUNSUPPORTED);
    lp_manifest_release(&m);
    /* a NUL inside a name */
    n = forge(b, "seg-00000001-0.lps", LP_MANIFEST_VERSION);
    b[30] = 0;
    lp_put_u64le(b + n - 8, lp_hash64(b, n - 8));
    assert_int_equal(lp_manifest_parse(b, n, "M", &m, f->err), LP_ECORRUPT);
    lp_manifest_release(&m);
    struct lp_manifest w;
    lp_manifest_init(&w);
    assert_int_equal(lp_manifest_add(&w, "../x"), LP_EINVAL);
    lp_manifest_release(&w);
}

static void test_alloc_failures(void **state)
{
    struct fixture *f = *state;
    write_sample(f);
    lp_err e = LP_ENOMEM;
    long i;
    for (i = 0; e == LP_ENOMEM; i++) {
        struct lp_manifest m;
        lp_mem_fail_after(i);
        e = lp_manifest_read(f->dir, &m, f->err);
        lp_mem_fail_after(-1);
        lp_manifest_release(&m);
    }
    assert_int_equal(e, LP_OK);
    assert_true(i > 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_and_missing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_stale_tmp_ignored, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_corrupt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_failures, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
