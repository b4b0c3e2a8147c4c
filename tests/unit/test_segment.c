/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of segment.h: write/open/lookup round trips against a naive
 * search, duplicates, empty segments, merges, damaged files (flipped bytes,
 * truncation) and allocation failures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "hash.h"
#include "mem.h"
#include "segment.h"

#include "testutil.h"
#include "banned.h"

struct fixture {
    char dir[64];
    char path[128];
    char err[LP_SEG_ERRLEN];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    tu_mkdtemp(f->dir, sizeof f->dir, "segtest");
    snprintf(f->path, sizeof f->path, "%s/seg-00000001-0.lps", f->dir);
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

static uint64_t rng_next(uint64_t *s)
{
    /* splitmix64 */
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static int rec_cmp(const void *a, const void *b)
{
    const struct lp_seg_rec *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    if (x->blob != y->blob)
        return x->blob < y->blob ? -1 : 1;
    uint32_t fa = x->lines & 0xffffff, fb = y->lines & 0xffffff;
    if (fa != fb)
        return fa < fb ? -1 : 1;
    return x->lines < y->lines ? -1 : x->lines > y->lines;
}

/* Sorted, deduplicated copy: what the segment must hold. */
static size_t expected(const struct lp_seg_rec *r, size_t n,
                       struct lp_seg_rec **out)
{
    struct lp_seg_rec *c = malloc((n ? n : 1) * sizeof *c);
    memcpy(c, r, n * sizeof *c);
    qsort(c, n, sizeof *c, rec_cmp);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || rec_cmp(&c[k - 1], &c[i]) != 0)
            c[k++] = c[i];
    *out = c;
    return k;
}

/* Compares lp_segment_lookup with a scan of the expected entries. */
static void check_lookup(const struct lp_segment *seg,
                         const struct lp_seg_rec *exp, size_t n, uint64_t h)
{
    struct lp_fp_entry got[64];
    /* The prefetch stages read the map of present prefixes and the
     * directory: in bounds for any hash (ASan checks). */
    for (int stage = 0; stage < 3; stage++)
        lp_segment_prefetch(seg, h, stage);
    size_t total = lp_segment_lookup(seg, h, got, 64);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (exp[i].hash != h)
            continue;
        if (k < 64) {
            assert_int_equal(got[k].hash, h);
            assert_int_equal(got[k].blob, exp[i].blob);
            assert_int_equal(got[k].first, exp[i].lines & 0xffffff);
            assert_int_equal(got[k].last,
                             (exp[i].lines & 0xffffff) + (exp[i].lines >> 24));
        }
        k++;
    }
    assert_int_equal(total, k);
}

static void random_recs(struct lp_seg_rec *r, size_t n, uint64_t seed,
                        size_t pool, uint64_t hash_mask)
{
    uint64_t s = seed;
    uint64_t *hashes = malloc(pool * sizeof *hashes);
    for (size_t i = 0; i < pool; i++)
        hashes[i] = rng_next(&s) & hash_mask;
    for (size_t i = 0; i < n; i++) {
        r[i].hash = hashes[rng_next(&s) % pool];
        r[i].blob = (uint32_t)(rng_next(&s) % 50) + 1;
        uint32_t first = (uint32_t)(rng_next(&s) % 1000) + 1;
        r[i].lines = lp_seg_pack_lines(first, first + (uint32_t)(rng_next(&s) % 300));
    }
    free(hashes);
}

static void roundtrip(struct fixture *f, size_t n, size_t pool,
                      uint64_t mask)
{
    struct lp_seg_rec *r = malloc((n ? n : 1) * sizeof *r);
    random_recs(r, n, 42 + n, pool, mask);
    struct lp_seg_rec *exp;
    size_t ne = expected(r, n, &exp);
    assert_int_equal(lp_segment_write(f->path, r, n, f->err), LP_OK);
    struct lp_segment *seg;
    assert_int_equal(lp_segment_open(f->path, &seg, f->err), LP_OK);
    assert_int_equal(lp_segment_count(seg), ne);
    uint32_t bits = lp_segment_bits(ne);
    assert_int_equal(lp_segment_bytes(seg),
                     64 + 4 * ((1u << bits) + 1) + 16 * ne);
    for (size_t i = 0; i < ne; i++) {
        struct lp_fp_entry e;
        lp_segment_entry(seg, i, &e);
        assert_int_equal(e.hash, exp[i].hash);
        assert_int_equal(e.blob, exp[i].blob);
    }
    for (size_t i = 0; i < ne; i += 7)
        check_lookup(seg, exp, ne, exp[i].hash);
    uint64_t s = 7;
    for (int i = 0; i < 2000; i++)
        check_lookup(seg, exp, ne, rng_next(&s) & mask);
    lp_segment_close(seg);
    /* Opened as a writer opens it, without the presence map: validated
     * the same, and it looks up the same. */
    assert_int_equal(lp_segment_open_flags(f->path, LP_SEG_NO_PRESENCE, &seg,
                                           f->err),
                     LP_OK);
    assert_int_equal(lp_segment_count(seg), ne);
    for (size_t i = 0; i < ne; i += 7)
        check_lookup(seg, exp, ne, exp[i].hash);
    s = 7;
    for (int i = 0; i < 2000; i++)
        check_lookup(seg, exp, ne, rng_next(&s) & mask);
    lp_segment_close(seg);
    free(exp);
    free(r);
}

static void test_roundtrip_random(void **state)
{
    roundtrip(*state, 20000, 5000, UINT64_MAX);
}

static void test_roundtrip_one_bucket(void **state)
{
    /* every hash in bucket 0: the lookup's binary search path */
    roundtrip(*state, 5000, 2000, 0xffffffu);
}

static void test_duplicates(void **state)
{
    struct fixture *f = *state;
    struct lp_seg_rec r[300];
    for (int i = 0; i < 300; i++) {
        r[i].hash = 0x1234567890abcdefu;
        r[i].blob = (uint32_t)(i % 100) + 1; /* each (blob, lines) 3 times */
        r[i].lines = lp_seg_pack_lines(10, 12);
    }
    assert_int_equal(lp_segment_write(f->path, r, 300, f->err), LP_OK);
    struct lp_segment *seg;
    assert_int_equal(lp_segment_open(f->path, &seg, f->err), LP_OK);
    assert_int_equal(lp_segment_count(seg), 100);
    struct lp_fp_entry got[10];
    assert_int_equal(lp_segment_lookup(seg, 0x1234567890abcdefu, got, 10), 100);
    for (uint32_t i = 0; i < 10; i++) {
        assert_int_equal(got[i].blob, i + 1);
        assert_int_equal(got[i].first, 10);
        assert_int_equal(got[i].last, 12);
    }
    /* Absent: with the prefix of a present hash (the map lets it through
     * to the entries), and with another prefix (the map turns it away). */
    assert_int_equal(lp_segment_lookup(seg, 0x1234567890abcdeeu, got, 10), 0);
    assert_int_equal(lp_segment_lookup(seg, 0x9234567890abcdefu, got, 10), 0);
    assert_int_equal(lp_segment_lookup(seg, 0, got, 10), 0);
    assert_int_equal(lp_segment_lookup(seg, UINT64_MAX, got, 10), 0);
    assert_int_equal(lp_segment_lookup(seg, 0x1234567890abcdefu, got, 0), 100);
    lp_segment_close(seg);
}

static void test_lines_packing(void **state)
{
    (void)state;
    assert_int_equal(lp_seg_pack_lines(5, 4), 5);
    assert_int_equal(lp_seg_pack_lines(5, 300), 5u | 255u << 24);
    assert_int_equal(lp_seg_pack_lines(1u << 25, 1u << 25), (1u << 24) - 1);
    assert_int_equal(lp_seg_pack_lines(7, 9), 7u | 2u << 24);
}

static void test_empty(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(lp_segment_write(f->path, NULL, 0, f->err), LP_OK);
    struct lp_segment *seg;
    assert_int_equal(lp_segment_open(f->path, &seg, f->err), LP_OK);
    assert_int_equal(lp_segment_count(seg), 0);
    assert_int_equal(lp_segment_bytes(seg), 64 + 4 * 257);
    struct lp_fp_entry got[1];
    assert_int_equal(lp_segment_lookup(seg, 0, got, 1), 0);
    assert_int_equal(lp_segment_lookup(seg, UINT64_MAX, got, 1), 0);
    lp_segment_close(seg);
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    *len = (size_t)ftell(fp);
    fseek(fp, 0, SEEK_SET);
    uint8_t *b = malloc(*len);
    assert_int_equal(fread(b, 1, *len, fp), *len);
    fclose(fp);
    return b;
}

static void write_small(struct fixture *f, size_t n)
{
    struct lp_seg_rec *r = malloc(n * sizeof *r);
    random_recs(r, n, 3, n, UINT64_MAX);
    assert_int_equal(lp_segment_write(f->path, r, n, f->err), LP_OK);
    free(r);
}

static void test_flipped_bytes(void **state)
{
    struct fixture *f = *state;
    write_small(f, 500);
    size_t len;
    uint8_t *b = read_file(f->path, &len);
    struct lp_segment *seg;
    assert_int_equal(lp_segment_open_mem(b, len, "x", &seg, f->err), LP_OK);
    lp_segment_close(seg);
    size_t offs[] = {0, 7, 8, 12, 16, 24, 40, 56, 63, 64, 65, 64 + 4 * 100,
                     64 + 4 * 257, 64 + 4 * 257 + 8, len / 2, len - 1};
    for (size_t i = 0; i < sizeof offs / sizeof offs[0]; i++) {
        for (int bit = 0; bit < 8; bit += 3) {
            b[offs[i]] ^= (uint8_t)(1u << bit);
            assert_int_equal(lp_segment_open_mem(b, len, "x", &seg, f->err),
                             LP_ECORRUPT);
            assert_null(seg);
            b[offs[i]] ^= (uint8_t)(1u << bit);
        }
    }
    /* a body byte: the documented message */
    b[len - 3] ^= 0x10;
    assert_int_equal(lp_segment_open_mem(b, len, "x", &seg, f->err),
                     LP_ECORRUPT);
    assert_string_equal(f->err, "'x': checksum mismatch (segment is corrupt)");
    free(b);
}

/* Puts back both checksums of a segment image (after a deliberate edit). */
static void reseal(uint8_t *b, size_t len)
{
    lp_put_u64le(b + 24, lp_hash64_bulk(b + 64, len - 64));
    lp_put_u64le(b + 56, lp_hash64(b, 56));
}

/* A segment whose checksums hold but whose body is wrong (written by a
 * bug, or forged) is refused too: entries out of order, whether their
 * hashes or, for one hash, their blobs; an entry in another bucket; a
 * directory that goes back. */
static void test_body_checks(void **state)
{
    struct fixture *f = *state;
    struct lp_seg_rec r[3] = {
        {.hash = 0x5500000000000001u, .blob = 1, .lines = 1},
        {.hash = 0x5500000000000001u, .blob = 2, .lines = 1},
        {.hash = 0x5500000000000002u, .blob = 1, .lines = 1},
    };
    assert_int_equal(lp_segment_write(f->path, r, 3, f->err), LP_OK);
    size_t len;
    uint8_t *b = read_file(f->path, &len);
    uint8_t *ents = b + 64 + 4 * 257, save[48];
    memcpy(save, ents, sizeof save);
    struct lp_segment *seg;
    assert_int_equal(lp_segment_open_mem(b, len, "x", &seg, f->err), LP_OK);
    lp_segment_close(seg);
    /* the same hash, blobs 2 then 1 */
    lp_put_u32le(ents + 8, 2);
    lp_put_u32le(ents + 16 + 8, 1);
    reseal(b, len);
    assert_int_equal(lp_segment_open_mem(b, len, "x", &seg, f->err),
                     LP_ECORRUPT);
    assert_string_equal(f->err, "'x': entries out of order (segment is corrupt)");
    /* the same record twice */
    memcpy(ents, save, sizeof save);
    lp_put_u32le(ents + 16 + 8, 1);
    reseal(b, len);
    assert_int_equal(lp_segment_open_mem(b, len, "x", &seg, f->err),
                     LP_ECORRUPT);
    /* a smaller hash after a greater one, in the same bucket */
    memcpy(ents, save, sizeof save);
    lp_put_u64le(ents + 32, 0x5500000000000000u);
    reseal(b, len);
    assert_int_equal(lp_segment_open_mem(b, len, "x", &seg, f->err),
                     LP_ECORRUPT);
    assert_string_equal(f->err, "'x': entries out of order (segment is corrupt)");
    /* a hash of another bucket */
    memcpy(ents, save, sizeof save);
    lp_put_u64le(ents + 32, 0x5600000000000000u);
    reseal(b, len);
    assert_int_equal(lp_segment_open_mem(b, len, "x", &seg, f->err),
                     LP_ECORRUPT);
    assert_string_equal(f->err, "'x': entry 2 outside its bucket (segment is "
                                "corrupt)");
    /* a directory that goes back: bucket 0x40 starts at 2, 0x41 at 0 */
    memcpy(ents, save, sizeof save);
    lp_put_u32le(b + 64 + 4 * 0x40, 2);
    reseal(b, len);
    assert_int_equal(lp_segment_open_mem(b, len, "x", &seg, f->err),
                     LP_ECORRUPT);
    assert_string_equal(f->err, "'x': bad directory (segment is corrupt)");
    free(b);
}

static void test_truncated(void **state)
{
    struct fixture *f = *state;
    write_small(f, 300);
    size_t len;
    uint8_t *b = read_file(f->path, &len);
    size_t cuts[] = {0, 1, 63, 64, 65, 1000, len - 16, len - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        assert_int_equal(truncate(f->path, (off_t)cuts[i]), 0);
        struct lp_segment *seg;
        assert_int_equal(lp_segment_open(f->path, &seg, f->err), LP_ECORRUPT);
        assert_null(seg);
        assert_non_null(strstr(f->err, f->path));
    }
    /* extra bytes are damage too */
    FILE *fp = fopen(f->path, "wb");
    fwrite(b, 1, len, fp);
    fputc(0, fp);
    fclose(fp);
    struct lp_segment *seg;
    assert_int_equal(lp_segment_open(f->path, &seg, f->err), LP_ECORRUPT);
    free(b);
}

static void test_missing(void **state)
{
    struct fixture *f = *state;
    struct lp_segment *seg;
    assert_int_equal(lp_segment_open(f->path, &seg, f->err), LP_ENOTFOUND);
}

static void test_merge(void **state)
{
    struct fixture *f = *state;
    enum { N = 4, PER = 3000 };
    struct lp_segment *segs[N];
    struct lp_seg_rec *all = malloc(N * PER * sizeof *all);
    for (int k = 0; k < N; k++) {
        char p[160];
        snprintf(p, sizeof p, "%s/in-%d.lps", f->dir, k);
        random_recs(all + k * PER, PER, 100 + (uint64_t)k, 1500, UINT64_MAX);
        all[k * PER] = all[0]; /* an exact duplicate across inputs */
        struct lp_seg_rec *copy = malloc(PER * sizeof *copy);
        memcpy(copy, all + k * PER, PER * sizeof *copy);
        assert_int_equal(lp_segment_write(p, copy, PER, f->err), LP_OK);
        free(copy);
        assert_int_equal(lp_segment_open(p, &segs[k], f->err), LP_OK);
    }
    assert_int_equal(lp_segment_merge(f->path, segs, N, f->err), LP_OK);
    struct lp_seg_rec *exp;
    size_t ne = expected(all, N * PER, &exp);
    struct lp_segment *m;
    assert_int_equal(lp_segment_open(f->path, &m, f->err), LP_OK);
    assert_int_equal(lp_segment_count(m), ne);
    for (size_t i = 0; i < ne; i += 5)
        check_lookup(m, exp, ne, exp[i].hash);
    lp_segment_close(m);
    for (int k = 0; k < N; k++)
        lp_segment_close(segs[k]);
    free(exp);
    free(all);
}

/* The checksum of a segment is computed with xxHash's run-time dispatch:
 * the same values as the inlined XXH3 on every length class of XXH3 (up to
 * 16, 128, 240 bytes, then by 1024-byte stripes), at every alignment. */
static void test_bulk_hash(void **state)
{
    (void)state;
    assert_int_equal(lp_hash64_bulk("", 0), 0x2D06800538D394C2ull);
    const size_t lens[] = {0,   1,    3,    8,    15,   16,      17,
                           128, 129,  240,  241,  1023, 1024,    1025,
                           4103, 65536, (1u << 20) + 3};
    size_t max = (1u << 20) + 16;
    uint8_t *buf = lp_malloc(max);
    assert_non_null(buf);
    uint64_t seed = 0x5eed;
    for (size_t i = 0; i < max; i++)
        buf[i] = (uint8_t)tu_rand(&seed);
    for (size_t i = 0; i < sizeof lens / sizeof *lens; i++)
        for (size_t off = 0; off < 3; off++)
            assert_int_equal(lp_hash64_bulk(buf + off, lens[i]),
                             lp_hash64(buf + off, lens[i]));
    lp_free(buf);
}

static void test_alloc_failures(void **state)
{
    struct fixture *f = *state;
    struct lp_seg_rec r[200];
    random_recs(r, 200, 9, 100, UINT64_MAX);
    long i;
    lp_err e = LP_ENOMEM;
    for (i = 0; e == LP_ENOMEM; i++) {
        lp_mem_fail_after(i);
        e = lp_segment_write(f->path, r, 200, f->err);
        lp_mem_fail_after(-1);
        if (e == LP_ENOMEM)
            assert_int_equal(access(f->path, F_OK), -1);
    }
    assert_int_equal(e, LP_OK);
    assert_true(i > 1);
    e = LP_ENOMEM;
    struct lp_segment *seg = NULL;
    for (i = 0; e == LP_ENOMEM; i++) {
        lp_mem_fail_after(i);
        e = lp_segment_open(f->path, &seg, f->err);
        lp_mem_fail_after(-1);
        if (e)
            assert_null(seg);
    }
    assert_int_equal(e, LP_OK);
    assert_true(i > 1);
    /* The first open that succeeds is the one whose map of present
     * prefixes could not be allocated: it looks up without it, the same. */
    struct lp_seg_rec *exp;
    size_t ne = expected(r, 200, &exp);
    for (size_t k = 0; k < ne; k++)
        check_lookup(seg, exp, ne, exp[k].hash);
    uint64_t s = 11;
    for (int k = 0; k < 500; k++)
        check_lookup(seg, exp, ne, rng_next(&s));
    free(exp);
    lp_segment_close(seg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roundtrip_random, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roundtrip_one_bucket, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_duplicates, setup, teardown),
        cmocka_unit_test(test_lines_packing),
        cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flipped_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_body_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_failures, setup, teardown),
        cmocka_unit_test(test_bulk_hash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
