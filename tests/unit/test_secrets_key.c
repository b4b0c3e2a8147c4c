/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of secrets_key (cmocka): a key file made 0600 holding 64 hex
 * digits and a newline, read back the same and not made again; files that
 * hold no key refused with a reason naming them; a missing one is
 * LP_ENOTFOUND; the key id of a known key; two made keys differ.
 */
#include <dirent.h>
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

#include "secrets_key.h"
#include "testutil.h"

#include "banned.h"

static char dir[64];

static void write_file(const char *path, const char *text, size_t n)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

static void test_make_and_read(void **state)
{
    (void)state;
    char path[128], why[256], text[80] = "";
    unsigned char k1[LP_KEY_LEN], k2[LP_KEY_LEN], k3[LP_KEY_LEN];
    bool made = false;
    snprintf(path, sizeof path, "%s/a.key", dir);
    assert_int_equal(lp_secrets_key_read(path, k1, why, sizeof why),
                     LP_ENOTFOUND);
    assert_int_equal(lp_secrets_key_get(path, k1, &made, why, sizeof why),
                     LP_OK);
    assert_true(made);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 65);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    assert_non_null(fgets(text, sizeof text, fp));
    fclose(fp);
    assert_int_equal(strspn(text, "0123456789abcdef"), 64);
    assert_string_equal(text + 64, "\n");
    /* read back, and not made again */
    assert_int_equal(lp_secrets_key_get(path, k2, &made, why, sizeof why),
                     LP_OK);
    assert_false(made);
    assert_memory_equal(k1, k2, LP_KEY_LEN);
    /* another file, another key; no temporary file left */
    snprintf(path, sizeof path, "%s/b.key", dir);
    assert_int_equal(lp_secrets_key_get(path, k3, &made, why, sizeof why),
                     LP_OK);
    assert_memory_not_equal(k1, k3, LP_KEY_LEN);
    size_t names = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        names += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    assert_int_equal(names, 2); /* a.key and b.key */
    /* a directory where the key would go cannot be written */
    snprintf(path, sizeof path, "%s/no/such/c.key", dir);
    assert_int_equal(lp_secrets_key_get(path, k3, &made, why, sizeof why),
                     LP_EIO);
    char want[256];
    snprintf(want, sizeof want,
             "'%s': cannot write the key: No such file or directory", path);
    assert_string_equal(why, want);
}

static void test_bad_files(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e",
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f0",
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g",
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n\n",
        "",
    };
    char path[128], why[256], want[256];
    unsigned char k[LP_KEY_LEN];
    snprintf(path, sizeof path, "%s/bad.key", dir);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        write_file(path, bad[i], strlen(bad[i]));
        assert_int_equal(lp_secrets_key_read(path, k, why, sizeof why),
                         LP_EFORMAT);
        snprintf(want, sizeof want,
                 "'%s': not a fingerprint key (64 hexadecimal digits)", path);
        assert_string_equal(why, want);
        /* never replaced by a new key */
        assert_int_equal(lp_secrets_key_get(path, k, NULL, why, sizeof why),
                         LP_EFORMAT);
    }
    /* 32 raw bytes are not the format either */
    write_file(path, "0123456789abcdef0123456789abcdef", 32);
    assert_int_equal(lp_secrets_key_read(path, k, why, sizeof why),
                     LP_EFORMAT);
    /* a directory */
    assert_int_equal(lp_secrets_key_read(dir, k, why, sizeof why), LP_EFORMAT);
    snprintf(want, sizeof want,
             "'%s': not a fingerprint key (not a regular file)", dir);
    assert_string_equal(why, want);
    /* upper case and no newline are fine */
    write_file(path,
               "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
               64);
    assert_int_equal(lp_secrets_key_read(path, k, why, sizeof why), LP_OK);
    for (unsigned i = 0; i < LP_KEY_LEN; i++)
        assert_int_equal(k[i], i);
}

static void test_key_id(void **state)
{
    (void)state;
    unsigned char k[LP_KEY_LEN];
    char id[LP_KEY_ID_LEN + 1];
    for (unsigned i = 0; i < LP_KEY_LEN; i++)
        k[i] = (unsigned char)i;
    /* python3: hashlib.sha256(b"leakprint key id" + bytes(range(32)))
     * .hexdigest()[:16] */
    lp_secrets_key_id(k, id);
    assert_string_equal(id, "3bda08ab1cfa8105");
}

static int group_setup(void **state)
{
    (void)state;
    tu_mkdtemp(dir, sizeof dir, "key");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    tu_rmrf(dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_make_and_read),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_key_id),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
