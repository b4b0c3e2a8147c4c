/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of binary (cmocka): detection on hand-made headers (ELF, PE,
 * a PE whose e_lfanew points outside the file, Mach-O thin and fat, the
 * CAFEBABE ambiguity with Java classes, wasm, COFF, text), TLSH digests
 * and distances on buffers from a fixed-seed generator, and printable
 * strings with their offsets, min_len, max_out and allocation failures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "binary.h"
#include "mem.h"

#include "banned.h"

/* xorshift32: the tests' pseudo-random bytes, the same on every platform. */
static void fill_random(unsigned char *p, size_t n, uint32_t seed)
{
    uint32_t x = seed;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (unsigned char)(x >> 24);
    }
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(lp_bin_name(LP_BIN_NONE), "none");
    assert_string_equal(lp_bin_name(LP_BIN_ELF), "elf");
    assert_string_equal(lp_bin_name(LP_BIN_PE), "pe");
    assert_string_equal(lp_bin_name(LP_BIN_MACHO), "macho");
    assert_string_equal(lp_bin_name(LP_BIN_COFF), "coff");
    assert_string_equal(lp_bin_name(LP_BIN_WASM), "wasm");
    assert_string_equal(lp_bin_name(LP_BIN_JAVA_CLASS), "java-class");
    assert_string_equal(lp_bin_name(LP_BIN_FIRMWARE), "firmware");
    assert_string_equal(lp_bin_name((enum lp_bin)99), "none");
}

static void test_detect_elf_wasm(void **state)
{
    (void)state;
    unsigned char b[64] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
    assert_int_equal(lp_bin_detect(b, sizeof b), LP_BIN_ELF);
    assert_int_equal(lp_bin_detect(b, 4), LP_BIN_ELF);
    /* three bytes of the magic are no ELF, but DEL makes them data */
    assert_int_equal(lp_bin_detect(b, 3), LP_BIN_FIRMWARE);
    static const unsigned char w[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    assert_int_equal(lp_bin_detect(w, sizeof w), LP_BIN_WASM);
}

/* A 0x80-byte PE: "MZ", e_lfanew at 0x3c, "PE\0\0" where it points. */
static void make_pe(unsigned char *b, size_t len, uint32_t lfanew)
{
    memset(b, 0, len);
    b[0] = 'M';
    b[1] = 'Z';
    b[0x3c] = (unsigned char)lfanew;
    b[0x3d] = (unsigned char)(lfanew >> 8);
    b[0x3e] = (unsigned char)(lfanew >> 16);
    b[0x3f] = (unsigned char)(lfanew >> 24);
    if (lfanew < len && len - lfanew >= 4)
        memcpy(b + lfanew, "PE\0\0", 4);
}

static void test_detect_pe(void **state)
{
    (void)state;
    unsigned char b[0x80];
    make_pe(b, sizeof b, 0x40);
    assert_int_equal(lp_bin_detect(b, sizeof b), LP_BIN_PE);
    /* the header exactly at the end */
    make_pe(b, sizeof b, 0x7c);
    assert_int_equal(lp_bin_detect(b, sizeof b), LP_BIN_PE);
    /* truncated: "PE\0\0" would end past the buffer */
    assert_int_equal(lp_bin_detect(b, 0x7f), LP_BIN_FIRMWARE);
    /* e_lfanew far outside the file, and one that overflows off + 4 */
    make_pe(b, sizeof b, 0x1000);
    assert_int_equal(lp_bin_detect(b, sizeof b), LP_BIN_FIRMWARE);
    make_pe(b, sizeof b, 0xfffffffe);
    assert_int_equal(lp_bin_detect(b, sizeof b), LP_BIN_FIRMWARE);
    /* e_lfanew pointing at something else: a DOS program */
    make_pe(b, sizeof b, 0x40);
    b[0x41] = 'X';
    assert_int_equal(lp_bin_detect(b, sizeof b), LP_BIN_FIRMWARE);
    /* shorter than a DOS header */
    make_pe(b, sizeof b, 0x40);
    assert_int_equal(lp_bin_detect(b, 0x3f), LP_BIN_FIRMWARE);
    /* text that starts with "MZ" */
    static const char t[] = "MZ is the signature of DOS programs.\n";
    assert_int_equal(lp_bin_detect((const unsigned char *)t, sizeof t - 1),
                     LP_BIN_NONE);
}

static void test_detect_macho_class(void **state)
{
    (void)state;
    static const unsigned char thin64le[] = {0xcf, 0xfa, 0xed, 0xfe,
                                             7,    0,    0,    1};
    static const unsigned char thin32be[] = {0xfe, 0xed, 0xfa, 0xce,
                                             0,    0,    0,    18};
    static const unsigned char fat2[] = {0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2};
    static const unsigned char fat64[] = {0xca, 0xfe, 0xba, 0xbf, 0, 0, 0, 1};
    /* Java 8: minor 0, major 52 */
    static const unsigned char java8[] = {0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52};
    /* Java 1.0.2: minor 3, major 45 */
    static const unsigned char java1[] = {0xca, 0xfe, 0xba, 0xbe, 0, 3, 0, 45};
    /* 44 architectures is still fat; a count of 0 is neither */
    static const unsigned char fat44[] = {0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 44};
    static const unsigned char zero[] = {0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0};
    assert_int_equal(lp_bin_detect(thin64le, sizeof thin64le), LP_BIN_MACHO);
    assert_int_equal(lp_bin_detect(thin32be, sizeof thin32be), LP_BIN_MACHO);
    assert_int_equal(lp_bin_detect(fat2, sizeof fat2), LP_BIN_MACHO);
    assert_int_equal(lp_bin_detect(fat64, sizeof fat64), LP_BIN_MACHO);
    assert_int_equal(lp_bin_detect(java8, sizeof java8), LP_BIN_JAVA_CLASS);
    assert_int_equal(lp_bin_detect(java1, sizeof java1), LP_BIN_JAVA_CLASS);
    assert_int_equal(lp_bin_detect(fat44, sizeof fat44), LP_BIN_MACHO);
    assert_int_equal(lp_bin_detect(zero, sizeof zero), LP_BIN_FIRMWARE);
    /* the magic alone cannot be told apart */
    assert_int_equal(lp_bin_detect(fat2, 6), LP_BIN_FIRMWARE);
}

static void test_detect_coff(void **state)
{
    (void)state;
    /* x86-64 object: 1 section, symbol table at 60, no optional header */
    unsigned char b[80] = {0x64, 0x86, 1, 0, 0, 0, 0, 0, 60, 0};
    assert_int_equal(lp_bin_detect(b, sizeof b), LP_BIN_COFF);
    /* the section table does not fit */
    assert_int_equal(lp_bin_detect(b, 59), LP_BIN_FIRMWARE);
    /* an optional header: an image, not an object (and no MZ: data) */
    b[16] = 0xe0;
    assert_int_equal(lp_bin_detect(b, sizeof b), LP_BIN_FIRMWARE);
    b[16] = 0;
    /* unknown machine */
    b[0] = 0x65;
    assert_int_equal(lp_bin_detect(b, sizeof b), LP_BIN_FIRMWARE);
}

static void test_detect_text_data(void **state)
{
    (void)state;
    static const char t[] = "int main(void)\n{\n\treturn 0;\n}\n";
    assert_int_equal(lp_bin_detect((const unsigned char *)t, sizeof t - 1),
                     LP_BIN_NONE);
    assert_int_equal(lp_bin_detect(NULL, 0), LP_BIN_NONE);
    assert_int_equal(lp_bin_detect((const unsigned char *)"", 0), LP_BIN_NONE);
    unsigned char r[512];
    fill_random(r, sizeof r, 7);
    r[0] = 0x01; /* no magic of any kind */
    assert_int_equal(lp_bin_detect(r, sizeof r), LP_BIN_FIRMWARE);
}

#define TLSH_BUF 4096

static void test_tlsh_digest(void **state)
{
    (void)state;
    static unsigned char a[TLSH_BUF];
    char da[LP_TLSH_LEN + 1], db[LP_TLSH_LEN + 1], low[LP_TLSH_LEN + 1];
    fill_random(a, sizeof a, 12345);
    assert_int_equal(lp_tlsh_digest(a, sizeof a, da), LP_OK);
    assert_string_equal(da,
                        "56815C3B2A3F87254ED822A641CA425CBEF0034D4EA0E18B3955"
                        "523F6641C06F44EBCE");
    /* the same bytes in two calls give the same digest */
    assert_int_equal(lp_tlsh_digest(a, sizeof a, db), LP_OK);
    assert_string_equal(da, db);
    assert_int_equal(lp_tlsh_diff(da, db), 0);
    /* hex digits of either case */
    for (size_t i = 0; i <= LP_TLSH_LEN; i++)
        low[i] = (char)(da[i] >= 'A' && da[i] <= 'F' ? da[i] + 32 : da[i]);
    assert_int_equal(lp_tlsh_diff(low, da), 0);
    /* the smallest buffer TLSH 3.4.4 digests */
    assert_int_equal(lp_tlsh_digest(a, LP_TLSH_MIN_LEN, db), LP_OK);
    assert_int_equal(strlen(db), LP_TLSH_LEN);
}

static void test_tlsh_distance(void **state)
{
    (void)state;
    static unsigned char a[TLSH_BUF], b[TLSH_BUF], c[TLSH_BUF];
    char da[LP_TLSH_LEN + 1], db[LP_TLSH_LEN + 1], dc[LP_TLSH_LEN + 1];
    fill_random(a, sizeof a, 12345);
    memcpy(b, a, sizeof b);
    /* 1% of the bytes changed, spread over the buffer */
    for (size_t i = 0; i < TLSH_BUF / 100; i++)
        b[i * 100 + 37] ^= 0x5a;
    fill_random(c, sizeof c, 999);
    assert_int_equal(lp_tlsh_digest(a, sizeof a, da), LP_OK);
    assert_int_equal(lp_tlsh_digest(b, sizeof b, db), LP_OK);
    assert_int_equal(lp_tlsh_digest(c, sizeof c, dc), LP_OK);
    int near = lp_tlsh_diff(da, db), far = lp_tlsh_diff(da, dc);
    assert_in_range(near, 1, LP_TLSH_SAME_MAX);
    assert_true(far > LP_TLSH_SAME_MAX);
    assert_int_equal(lp_tlsh_diff(db, da), near);
}

static void test_tlsh_refused(void **state)
{
    (void)state;
    static unsigned char a[TLSH_BUF];
    char d[LP_TLSH_LEN + 1], ok[LP_TLSH_LEN + 1], bad[LP_TLSH_LEN + 2];
    fill_random(a, sizeof a, 1);
    /* too short */
    memcpy(d, "x", 2);
    assert_int_equal(lp_tlsh_digest(a, LP_TLSH_MIN_LEN - 1, d), LP_EINVAL);
    assert_string_equal(d, "");
    assert_int_equal(lp_tlsh_digest(a, 0, d), LP_EINVAL);
    assert_int_equal(lp_tlsh_digest(NULL, 1000, d), LP_EINVAL);
    assert_int_equal(lp_tlsh_digest(a, sizeof a, NULL), LP_EINVAL);
    /* no variety: one byte repeated */
    memset(a, 'a', sizeof a);
    assert_int_equal(lp_tlsh_digest(a, sizeof a, d), LP_EINVAL);
    assert_string_equal(d, "");
    /* malformed digests */
    fill_random(a, sizeof a, 1);
    assert_int_equal(lp_tlsh_digest(a, sizeof a, ok), LP_OK);
    assert_int_equal(lp_tlsh_diff(NULL, ok), -1);
    assert_int_equal(lp_tlsh_diff(ok, NULL), -1);
    assert_int_equal(lp_tlsh_diff("", ok), -1);
    memcpy(bad, ok, LP_TLSH_LEN + 1);
    bad[LP_TLSH_LEN - 1] = '\0'; /* one digit short */
    assert_int_equal(lp_tlsh_diff(bad, ok), -1);
    memcpy(bad, ok, LP_TLSH_LEN);
    bad[LP_TLSH_LEN] = '0'; /* one digit long */
    bad[LP_TLSH_LEN + 1] = '\0';
    assert_int_equal(lp_tlsh_diff(ok, bad), -1);
    memcpy(bad, ok, LP_TLSH_LEN + 1);
    bad[10] = 'G';
    assert_int_equal(lp_tlsh_diff(ok, bad), -1);
    bad[10] = ' ';
    assert_int_equal(lp_tlsh_diff(bad, bad), -1);
}

/* ASCII "hello" at 2, UTF-16LE "world" at 8 (right after the NUL of
 * "hello": its 'o' and NUL also look like UTF-16), "ab" at 19, "tab\there"
 * at 22, "xyzc" at 31 then UTF-16 "def" at 36 (the 'c' NUL before it
 * too), UTF-16 "odd" at the odd offset 43, and "ZZ" at the very end. */
static const unsigned char mixed[] =
    "\x01\x02hello\0w\0o\0r\0l\0d\0\0ab\x7ftab\there\xff"
    "xyzc\0d\0e\0f\0\x03o\0d\0d\0ZZ";
#define MIXED_LEN (sizeof mixed - 1)

static void check_strings(const struct lp_strings *s, const char *text,
                          const uint64_t *off, size_t n, bool truncated)
{
    assert_non_null(s->text);
    assert_string_equal(s->text, text);
    assert_int_equal(s->len, strlen(text));
    assert_int_equal(s->nlines, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(s->offset[i], off[i]);
    assert_int_equal(s->truncated, truncated);
}

static void test_strings_mixed(void **state)
{
    (void)state;
    struct lp_strings s;
    lp_strings_init(&s);
    assert_int_equal(MIXED_LEN, 51);
    static const uint64_t o2[] = {2, 8, 19, 22, 31, 36, 43, 49};
    assert_int_equal(lp_bin_strings(mixed, MIXED_LEN, 2, 1000, &s), LP_OK);
    check_strings(&s, "hello\nworld\nab\ntab\there\nxyzc\ndef\nodd\nZZ\n", o2,
                  8, false);
    /* min_len 3 drops "ab" and "ZZ"; the struct is reused */
    static const uint64_t o3[] = {2, 8, 22, 31, 36, 43};
    assert_int_equal(lp_bin_strings(mixed, MIXED_LEN, 3, 1000, &s), LP_OK);
    check_strings(&s, "hello\nworld\ntab\there\nxyzc\ndef\nodd\n", o3, 6,
                  false);
    static const uint64_t o5[] = {2, 8, 22};
    assert_int_equal(lp_bin_strings(mixed, MIXED_LEN, 5, 1000, &s), LP_OK);
    check_strings(&s, "hello\nworld\ntab\there\n", o5, 3, false);
    lp_strings_release(&s);
    assert_null(s.text);
    assert_null(s.offset);
    lp_strings_release(NULL);
}

static void test_strings_shared_byte(void **state)
{
    (void)state;
    /* "xyzc" then UTF-16 "defg": the 'c' belongs to "xyzc" when that is
     * long enough to be written, else it starts "cdefg" */
    static const unsigned char b[] = "\x01xyzc\0d\0e\0f\0g\0\x01";
    struct lp_strings s;
    lp_strings_init(&s);
    static const uint64_t o4[] = {1, 6};
    assert_int_equal(lp_bin_strings(b, sizeof b - 1, 4, 100, &s), LP_OK);
    check_strings(&s, "xyzc\ndefg\n", o4, 2, false);
    static const uint64_t o5[] = {4};
    assert_int_equal(lp_bin_strings(b, sizeof b - 1, 5, 100, &s), LP_OK);
    check_strings(&s, "cdefg\n", o5, 1, false);
    lp_strings_release(&s);
}

static void test_strings_max_out(void **state)
{
    (void)state;
    struct lp_strings s;
    lp_strings_init(&s);
    static const uint64_t o[] = {2, 8, 22, 31, 36, 43};
    /* exactly the whole output: not truncated */
    assert_int_equal(lp_bin_strings(mixed, MIXED_LEN, 3, 34, &s), LP_OK);
    check_strings(&s, "hello\nworld\ntab\there\nxyzc\ndef\nodd\n", o, 6, false);
    /* one byte less: "odd" would be cut to "od", under min_len */
    assert_int_equal(lp_bin_strings(mixed, MIXED_LEN, 3, 33, &s), LP_OK);
    check_strings(&s, "hello\nworld\ntab\there\nxyzc\ndef\n", o, 5, true);
    /* the third string cut to 3 characters */
    assert_int_equal(lp_bin_strings(mixed, MIXED_LEN, 3, 16, &s), LP_OK);
    check_strings(&s, "hello\nworld\ntab\n", o, 3, true);
    /* full after two lines */
    assert_int_equal(lp_bin_strings(mixed, MIXED_LEN, 3, 12, &s), LP_OK);
    check_strings(&s, "hello\nworld\n", o, 2, true);
    assert_int_equal(lp_bin_strings(mixed, MIXED_LEN, 3, 0, &s), LP_OK);
    check_strings(&s, "", o, 0, true);
    lp_strings_release(&s);
}

static void test_strings_edges(void **state)
{
    (void)state;
    struct lp_strings s;
    lp_strings_init(&s);
    assert_int_equal(lp_bin_strings(mixed, MIXED_LEN, 1, 100, &s), LP_EINVAL);
    assert_int_equal(lp_bin_strings(NULL, 5, 4, 100, &s), LP_EINVAL);
    assert_int_equal(lp_bin_strings(mixed, MIXED_LEN, 4, 100, NULL), LP_EINVAL);
    assert_int_equal(lp_bin_strings(NULL, 0, 4, 100, &s), LP_OK);
    assert_int_equal(s.nlines, 0);
    assert_null(s.text);
    /* all text: one line; a string running to the end of the buffer */
    static const char t[] = "plain text";
    static const uint64_t o[] = {0};
    assert_int_equal(
        lp_bin_strings((const unsigned char *)t, sizeof t - 1, 4, 100, &s),
        LP_OK);
    check_strings(&s, "plain text\n", o, 1, false);
    /* a UTF-16 string running to the end, with a dangling odd byte */
    static const unsigned char u[] = "\x01\x02w\0i\0d\0e\0!";
    static const uint64_t ou[] = {2};
    assert_int_equal(lp_bin_strings(u, sizeof u - 1, 4, 100, &s), LP_OK);
    check_strings(&s, "wide\n", ou, 1, false);
    /* nothing printable */
    static const unsigned char z[16] = {0};
    assert_int_equal(lp_bin_strings(z, sizeof z, 2, 100, &s), LP_OK);
    assert_int_equal(s.nlines, 0);
    assert_int_equal(s.len, 0);
    assert_string_equal(s.text, "");
    lp_strings_release(&s);
}

/* Fail each allocation in turn: LP_ENOMEM with consistent contents, or
 * LP_OK once enough succeed; ASan checks that nothing leaks. */
static void test_strings_nomem(void **state)
{
    (void)state;
    lp_err err = LP_ENOMEM;
    for (long n = 0; n < 50 && err == LP_ENOMEM; n++) {
        struct lp_strings s;
        lp_strings_init(&s);
        lp_mem_fail_after(n);
        err = lp_bin_strings(mixed, MIXED_LEN, 2, 1000, &s);
        lp_mem_fail_after(-1);
        assert_true(err == LP_OK || err == LP_ENOMEM);
        if (s.text)
            assert_int_equal(strlen(s.text), s.len);
        lp_strings_release(&s);
    }
    assert_int_equal(err, LP_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_detect_elf_wasm),
        cmocka_unit_test(test_detect_pe),
        cmocka_unit_test(test_detect_macho_class),
        cmocka_unit_test(test_detect_coff),
        cmocka_unit_test(test_detect_text_data),
        cmocka_unit_test(test_tlsh_digest),
        cmocka_unit_test(test_tlsh_distance),
        cmocka_unit_test(test_tlsh_refused),
        cmocka_unit_test(test_strings_mixed),
        cmocka_unit_test(test_strings_shared_byte),
        cmocka_unit_test(test_strings_max_out),
        cmocka_unit_test(test_strings_edges),
        cmocka_unit_test(test_strings_nomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
