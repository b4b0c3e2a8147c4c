/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of add and scan through the public API, with allocation
 * failures: every allocation of lp_add() and of lp_scan_run() +
 * lp_report_write() is made to fail in turn; each must fail cleanly with
 * LP_ENOMEM (no leak under ASan, no crash), and a failed add must leave the
 * registry without the collection it was adding. And the library reads
 * no environment: the compiled secret rules go to the cache_dir given,
 * never under $HOME or $XDG_CACHE_HOME; encrypted 7z archives are read
 * through the 7zz program given, never one looked up on the PATH.
 * Run from the repository root (tests/run.sh does): it reads
 * tests/fixtures/proj.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <dirent.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "leakprint.h"
#include "mem.h"
#include "testutil.h"

static const char *const fixture[] = {"tests/fixtures/proj"};

/* Where the compiled secret rules are kept for every test of this file
 * (each add compiles them otherwise: a second, times every allocation
 * failed in turn). */
static char cache[64];

/* A new registry under a new temporary directory `dir`, with the fixture
 * added as collection "gw" version "1". */
static lp_registry *registry_with_fixture(char *dir, size_t len,
                                          const char *tag)
{
    char db[128];
    lp_registry *reg = NULL;
    struct lp_add_options ao = {.name = "gw", .version = "1", .jobs = 1,
                                .cache_dir = cache};
    struct lp_add_stats st;
    tu_mkdtemp(dir, len, tag);
    snprintf(db, sizeof db, "%s/reg", dir);
    assert_int_equal(lp_registry_open(db, LP_REGISTRY_WRITE | LP_REGISTRY_CREATE,
                                      &reg), LP_OK);
    assert_int_equal(lp_add(reg, &ao, fixture, 1, NULL, NULL, &st), LP_OK);
    assert_int_equal(st.files, 5);
    return reg;
}

static void test_scan_finds_fixture(void **state)
{
    (void)state;
    char dir[64];
    lp_registry *reg = registry_with_fixture(dir, sizeof dir, "scantest");
    struct lp_scan_options so = {.min_similarity = 0.2, .jobs = 1};
    lp_scan *scan = NULL;
    assert_int_equal(lp_scan_run(reg, &so, fixture, 1, NULL, NULL, &scan), LP_OK);
    assert_int_equal(lp_scan_level(scan), 3);
    assert_int_equal(lp_scan_errors(scan), 0);
    FILE *null = fopen("/dev/null", "w");
    assert_int_equal(lp_report_write(scan, "json", 0, null), LP_OK);
    assert_int_equal(lp_report_write(scan, "yaml", 0, null), LP_EINVAL);
    fclose(null);
    lp_scan_free(scan);
    lp_registry_close(reg);
    tu_rmrf(dir);
}

static void test_add_alloc_failures(void **state)
{
    (void)state;
    char dir[64], db[96];
    tu_mkdtemp(dir, sizeof dir, "addfail");
    snprintf(db, sizeof db, "%s/reg", dir);
    for (long i = 0;; i++) {
        lp_registry *reg = NULL;
        assert_int_equal(lp_registry_open(db, LP_REGISTRY_WRITE |
                                          LP_REGISTRY_CREATE, &reg), LP_OK);
        struct lp_add_options ao = {.name = "gw", .version = "1", .jobs = 1,
                                    .cache_dir = cache};
        struct lp_add_stats st;
        lp_mem_fail_after(i);
        lp_err err = lp_add(reg, &ao, fixture, 1, NULL, NULL, &st);
        lp_mem_fail_after(-1);
        if (err == LP_OK) {
            lp_registry_close(reg);
            break;
        }
        assert_int_equal(err, LP_ENOMEM);
        /* Nothing of the failed add is visible. */
        lp_scan *scan = NULL;
        struct lp_scan_options so = {.jobs = 1};
        assert_int_equal(lp_scan_run(reg, &so, fixture, 1, NULL, NULL, &scan),
                         LP_OK);
        assert_int_equal(lp_scan_level(scan), 0);
        lp_scan_free(scan);
        lp_registry_close(reg);
    }
    tu_rmrf(dir);
}

static void test_scan_alloc_failures(void **state)
{
    (void)state;
    char dir[64];
    lp_registry *reg = registry_with_fixture(dir, sizeof dir, "scanfail");
    FILE *null = fopen("/dev/null", "w");
    for (long i = 0;; i++) {
        struct lp_scan_options so = {.min_similarity = 0.2, .jobs = 1};
        lp_scan *scan = NULL;
        lp_mem_fail_after(i);
        lp_err err = lp_scan_run(reg, &so, fixture, 1, NULL, NULL, &scan);
        if (err == LP_OK)
            err = lp_report_write(scan, "text", 0, null);
        if (err == LP_OK)
            err = lp_report_write(scan, "json", 0, null);
        lp_mem_fail_after(-1);
        lp_scan_free(scan);
        if (err == LP_OK)
            break;
        assert_int_equal(err, LP_ENOMEM);
    }
    fclose(null);
    lp_registry_close(reg);
    tu_rmrf(dir);
}

/* Names in directory dir, "." and ".." left out. */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static void set_or_unset(const char *name, const char *value)
{
    if (value)
        assert_int_equal(setenv(name, value, 1), 0);
    else
        assert_int_equal(unsetenv(name), 0);
}

/* With HOME and XDG_CACHE_HOME naming an empty directory, an add without
 * cache_dir and a scan for secrets with one leave that directory empty;
 * the scan's compiled rules are in its cache_dir. */
static void test_cache_dir_option(void **state)
{
    (void)state;
    char home[64], dir[64], db[96], own[96];
    char *old_home = getenv("HOME"), *old_xdg = getenv("XDG_CACHE_HOME");
    old_home = old_home ? strdup(old_home) : NULL;
    old_xdg = old_xdg ? strdup(old_xdg) : NULL;
    tu_mkdtemp(home, sizeof home, "home");
    tu_mkdtemp(dir, sizeof dir, "cacheopt");
    set_or_unset("HOME", home);
    set_or_unset("XDG_CACHE_HOME", home);
    snprintf(db, sizeof db, "%s/reg", dir);
    snprintf(own, sizeof own, "%s/cache", dir);
    assert_int_equal(mkdir(own, 0700), 0);

    lp_registry *reg = NULL;
    assert_int_equal(lp_registry_open(db, LP_REGISTRY_WRITE |
                                      LP_REGISTRY_CREATE, &reg), LP_OK);
    struct lp_add_options ao = {.name = "gw", .version = "1", .jobs = 1};
    struct lp_add_stats st;
    assert_int_equal(lp_add(reg, &ao, fixture, 1, NULL, NULL, &st), LP_OK);
    assert_int_equal(entries(home), 0);
    assert_int_equal(entries(own), 0);

    struct lp_scan_options so = {.min_similarity = 0.2, .jobs = 1,
                                 .secrets = LP_SECRETS_ALSO,
                                 .cache_dir = own};
    lp_scan *scan = NULL;
    assert_int_equal(lp_scan_run(reg, &so, fixture, 1, NULL, NULL, &scan),
                     LP_OK);
    assert_int_equal(lp_scan_level(scan), 3);
    lp_scan_free(scan);
    assert_int_equal(entries(home), 0);
    assert_int_equal(entries(own), 1); /* secrets-<hash>.hsdb */
    lp_registry_close(reg);

    set_or_unset("HOME", old_home);
    set_or_unset("XDG_CACHE_HOME", old_xdg);
    free(old_home);
    free(old_xdg);
    tu_rmrf(home);
    tu_rmrf(dir);
}

/* Encrypted 7z archives (the data, and the header too) of the protected
 * ring.c, with the PATH emptied: read through the 7zz given as sevenzip,
 * and named as skipped without one. */
static void test_sevenzip_option(void **state)
{
    (void)state;
    char dir[64], cmd[8192], sevenzip[4096] = "";
    lp_registry *reg = registry_with_fixture(dir, sizeof dir, "sevenzip");
    FILE *p = popen("command -v 7zz", "r");
    assert_non_null(p);
    assert_non_null(fgets(sevenzip, sizeof sevenzip, p));
    pclose(p);
    sevenzip[strcspn(sevenzip, "\n")] = '\0';
    char cwd[2048];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(cmd, sizeof cmd,
             "cd %s && 7zz a -bso0 -bse0 -pk3y enc.7z %s/%s && "
             "7zz a -bso0 -bse0 -pk3y -mhe=on henc.7z %s/%s",
             dir, cwd, "tests/fixtures/proj/src/ring.c", cwd,
             "tests/fixtures/proj/src/ring.c");
    assert_int_equal(system(cmd), 0);
    char enc[96], henc[96];
    snprintf(enc, sizeof enc, "%s/enc.7z", dir);
    snprintf(henc, sizeof henc, "%s/henc.7z", dir);
    const char *const targets[] = {enc, henc};
    static const char *const pw[] = {"wrong", "k3y"};
    /* The PATH is put back before any assertion can fail. */
    char *old_path = strdup(getenv("PATH"));
    assert_int_equal(setenv("PATH", "", 1), 0);
    struct lp_scan_options so = {.min_similarity = 0.2, .jobs = 1,
                                 .input = {.passwords = pw, .npasswords = 2,
                                           .sevenzip = sevenzip}};
    lp_scan *with = NULL, *without = NULL;
    struct tu_warns w = {0};
    lp_err e1 = lp_scan_run(reg, &so, targets, 2, tu_on_warn, &w, &with);
    int nwarn = w.n;
    so.input.sevenzip = NULL;
    lp_err e2 = lp_scan_run(reg, &so, targets, 2, tu_on_warn, &w, &without);
    assert_int_equal(setenv("PATH", old_path, 1), 0);
    free(old_path);

    assert_int_equal(e1, LP_OK);
    assert_int_equal(nwarn, 0);
    assert_int_equal(lp_scan_errors(with), 0);
    assert_true(lp_scan_level(with) >= 2); /* likely or confirmed */
    assert_int_equal(e2, LP_OK);
    assert_int_equal(lp_scan_errors(without), 2);
    assert_int_equal(lp_scan_level(without), 0);
    assert_non_null(strstr(w.last, "encrypted"));
    assert_non_null(strstr(w.last, "no 7zz"));
    lp_scan_free(with);
    lp_scan_free(without);
    lp_registry_close(reg);
    tu_rmrf(dir);
}

static int make_cache(void **state)
{
    (void)state;
    tu_mkdtemp(cache, sizeof cache, "hscache");
    return 0;
}

static int remove_cache(void **state)
{
    (void)state;
    tu_rmrf(cache);
    return 0;
}

/* lp_scan_targets() keeps its handle on failure and says why there: no
 * registry for matching, a target of an unknown kind, one without bytes. */
static void test_targets_errors(void **state)
{
    (void)state;
    struct lp_scan_options opt = {.jobs = 1};
    lp_scan *s = NULL;
    struct lp_target t = {.kind = LP_TARGET_MEMORY, .name = "a.c",
                          .data = "int a;\n", .len = 7};
    assert_int_equal(lp_scan_targets(NULL, &opt, &t, 1, &s), LP_EINVAL);
    assert_non_null(s);
    assert_string_equal(lp_scan_errmsg(s), "scan: matching needs a registry");
    lp_scan_free(s);
    opt.secrets = LP_SECRETS_ONLY;
    t.kind = 7;
    assert_int_equal(lp_scan_targets(NULL, &opt, &t, 1, &s), LP_EINVAL);
    assert_string_equal(lp_scan_errmsg(s), "'a.c': unknown kind of target 7");
    lp_scan_free(s);
    t.kind = LP_TARGET_MEMORY;
    t.data = NULL;
    assert_int_equal(lp_scan_targets(NULL, &opt, &t, 1, &s), LP_EINVAL);
    assert_string_equal(lp_scan_errmsg(s), "'a.c': no bytes given");
    lp_scan_free(s);
    /* a memory target read and listed, with its accessors */
    t.data = "password = \"hunter2-not-real\"\n";
    t.len = strlen(t.data);
    assert_int_equal(lp_scan_targets(NULL, &opt, &t, 1, &s), LP_OK);
    assert_string_equal(lp_scan_errmsg(s), "");
    assert_int_equal(lp_scan_file_count(s), 1);
    struct lp_file_info fi;
    lp_file_get(lp_scan_file(s, 0), &fi);
    assert_string_equal(fi.path, "a.c");
    assert_int_equal(fi.size, t.len);
    assert_null(lp_scan_file(s, 1));
    struct lp_match_info m;
    assert_int_equal(lp_file_match(lp_scan_file(s, 0), 0, &m), LP_EINVAL);
    lp_scan_free(s);
}

/* Scans at once on one handle: THREADS threads each run ROUNDS scans
 * through the same read-only registry handle (as `watch -j N` does), each
 * of the fixture and of a memory target holding a secret (so the secret
 * rules, the registry's metadata and its shared snapshot are all used),
 * starting with no compiled rules in the cache directory (the first scans
 * of each thread compile and write them at once). Each scan's result
 * equals that of one scan run alone; run under ASan (and TSan where
 * available): the handle's SQLite connection is used by one thread at a
 * time, and the cache is left with the one file. */
#define THREADS 4
#define ROUNDS 20

struct scanner {
    lp_registry *reg;
    const char *cache;
    int level[ROUNDS];
    size_t files[ROUNDS], secrets[ROUNDS];
    lp_err err[ROUNDS];
};

static const char secret_text[] =
    "aws_access_key_id = AKIAJ4XQ7MZR2WBT5LNE\n";

static lp_err one_scan(lp_registry *reg, const char *cache_dir, int *level,
                       size_t *files, size_t *secrets)
{
    struct lp_scan_options so = {.min_similarity = 0.2, .jobs = 1,
                                 .secrets = LP_SECRETS_ALSO,
                                 .cache_dir = cache_dir};
    struct lp_target t[2] = {
        {.kind = LP_TARGET_PATH, .name = fixture[0]},
        {.kind = LP_TARGET_MEMORY, .name = "settings.conf",
         .data = secret_text, .len = sizeof secret_text - 1}};
    lp_scan *s = NULL;
    lp_err e = lp_scan_targets(reg, &so, t, 2, &s);
    *level = s ? (int)lp_scan_level(s) : -1;
    *files = s ? lp_scan_file_count(s) : 0;
    *secrets = s ? lp_scan_secrets(s) : 0;
    lp_scan_free(s);
    return e;
}

static void *scan_rounds(void *arg)
{
    struct scanner *sc = arg;
    for (int i = 0; i < ROUNDS; i++)
        sc->err[i] = one_scan(sc->reg, sc->cache, &sc->level[i],
                              &sc->files[i], &sc->secrets[i]);
    return NULL;
}

static void test_scans_share_handle(void **state)
{
    (void)state;
    char dir[64], db[96], cold[96];
    lp_registry *w = registry_with_fixture(dir, sizeof dir, "sharedscan");
    lp_registry_close(w);
    snprintf(db, sizeof db, "%s/reg", dir);
    snprintf(cold, sizeof cold, "%s/cache", dir);
    assert_int_equal(mkdir(cold, 0700), 0);
    lp_registry *reg = NULL;
    assert_int_equal(lp_registry_open(db, 0, &reg), LP_OK);
    static struct scanner sc[THREADS];
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        sc[i].reg = reg;
        sc[i].cache = cold;
        assert_int_equal(pthread_create(&t[i], NULL, scan_rounds, &sc[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < THREADS; i++)
        for (int r = 0; r < ROUNDS; r++) {
            assert_int_equal(sc[i].err[r], LP_OK);
            assert_int_equal(sc[i].level[r], 3);
            assert_int_equal(sc[i].files[r], 6);
            assert_int_equal(sc[i].secrets[r], 1);
        }
    assert_int_equal(entries(cold), 1); /* secrets-<hash>.hsdb, no tmp */
    /* one scan alone: the same */
    int level;
    size_t files, secrets;
    assert_int_equal(one_scan(reg, cold, &level, &files, &secrets), LP_OK);
    assert_int_equal(level, 3);
    assert_int_equal(files, 6); /* the fixture's 5 and the memory target */
    assert_int_equal(secrets, 1);
    lp_registry_close(reg);
    tu_rmrf(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan_finds_fixture),
        cmocka_unit_test(test_add_alloc_failures),
        cmocka_unit_test(test_scan_alloc_failures),
        cmocka_unit_test(test_cache_dir_option),
        cmocka_unit_test(test_sevenzip_option),
        cmocka_unit_test(test_targets_errors),
        cmocka_unit_test(test_scans_share_handle),
    };
    return cmocka_run_group_tests(tests, make_cache, remove_cache);
}
