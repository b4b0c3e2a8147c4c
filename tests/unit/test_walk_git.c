/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of walk_git (lp_walk_collect_history): on repositories built
 * here with the git CLI, every (path, blob) of the history is listed once
 * with the oldest commit that holds it; blobs equal to the working-tree
 * file (or, bare, to HEAD's) are not; branches never merged and commits
 * only a tag reaches are read; the cap names what it leaves out; a broken
 * repository is named, not fatal; out of memory is a clean LP_ENOMEM.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "hash.h"
#include "limits.h"
#include "mem.h"
#include "walk.h"
#include "testutil.h"

static char dir[64];
static char repo[128];
/* Commit ids (hex) of the history built by setup(), oldest first. */
static char c[6][41];

static void put(const char *rel, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", repo, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Runs a shell command in the repository; its first output line (if
 * `line`) into line[41]. */
static void sh(const char *cmd, char *line)
{
    char full[1024];
    snprintf(full, sizeof full,
             "cd '%s' && GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 "
             "git -c user.name=t -c user.email=t@example.com %s",
             repo, cmd);
    FILE *p = popen(full, "r");
    assert_non_null(p);
    char buf[256] = "";
    if (!fgets(buf, sizeof buf, p))
        buf[0] = '\0';
    while (fgetc(p) != EOF)
        ;
    assert_int_equal(pclose(p), 0);
    if (line) {
        size_t n = strcspn(buf, "\n");
        if (n > 40)
            n = 40;
        memcpy(line, buf, n);
        line[n] = '\0';
    }
}

/* Commits everything at `date`; its id into c[i]. */
static void commit(int i, const char *date)
{
    char cmd[256];
    sh("add -A", NULL);
    snprintf(cmd, sizeof cmd,
             "-c core.hooksPath=/dev/null commit -q -m c%d --date=%s", i, date);
    setenv("GIT_COMMITTER_DATE", date, 1);
    sh(cmd, NULL);
    unsetenv("GIT_COMMITTER_DATE");
    sh("rev-parse HEAD", c[i]);
}

/*   c0 2024-01-01  a.txt=A1  lib/b.txt=B  lib/deep/d.txt=D
 *   c1 2024-02-01  a.txt=A2
 *   c2 2024-03-01  a.txt removed, e.txt=A1 (a blob met before, new path)
 *   c3 2024-04-01  on branch side: s.txt=S
 *   c4 2024-05-01  (main) a.txt=A1 again; f.txt=F
 *   c5 2024-06-01  tagged only (branch deleted): t.txt=T
 * The working tree is main (c4) with lib/b.txt changed to B2. */
static int setup(void **state)
{
    (void)state;
    tu_mkdtemp(dir, sizeof dir, "walkgit");
    snprintf(repo, sizeof repo, "%s/repo", dir);
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "git init -q -b main '%s' && mkdir -p '%s/lib/deep'", repo, repo);
    assert_int_equal(system(cmd), 0);
    put("a.txt", "A1\n");
    put("lib/b.txt", "B\n");
    put("lib/deep/d.txt", "D\n");
    commit(0, "2024-01-01T00:00:00Z");
    put("a.txt", "A2\n");
    commit(1, "2024-02-01T00:00:00Z");
    sh("rm -q a.txt", NULL);
    put("e.txt", "A1\n");
    commit(2, "2024-03-01T00:00:00Z");
    sh("checkout -q -b side", NULL);
    put("s.txt", "S\n");
    commit(3, "2024-04-01T00:00:00Z");
    sh("checkout -q main", NULL);
    put("a.txt", "A1\n");
    put("f.txt", "F\n");
    commit(4, "2024-05-01T00:00:00Z");
    sh("checkout -q -b gone", NULL);
    put("t.txt", "T\n");
    commit(5, "2024-06-01T00:00:00Z");
    sh("tag only-tag", NULL);
    sh("checkout -q main", NULL);
    sh("branch -q -D gone", NULL);
    put("lib/b.txt", "B2\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tu_rmrf(dir);
    return 0;
}

/* "logical@commit-index" of each entry, '|'-separated ("logical" alone for
 * a current file), into out. */
static void describe(const struct lp_walk_list *l, char *out, size_t len)
{
    size_t at = 0;
    out[0] = '\0';
    for (size_t i = 0; i < l->n; i++) {
        const struct lp_walk_entry *e = &l->v[i];
        int k = -1;
        char hex[41];
        lp_hex(e->commit, sizeof e->commit, hex);
        for (int j = 0; e->has_commit && j < 6; j++)
            if (!strcmp(hex, c[j]))
                k = j;
        int r = e->has_commit
                    ? snprintf(out + at, len - at, "%s%s@c%d", i ? "|" : "",
                               e->logical, k)
                    : snprintf(out + at, len - at, "%s%s", i ? "|" : "",
                               e->logical);
        assert_true(r > 0 && (size_t)r < len - at);
        at += (size_t)r;
    }
}

/* Walks root with its history (relative paths), describes the entries into
 * got and leaves them in l (release it); no warning is expected. */
static void walk_history(const char *root, struct lp_walk_list *l, char *got,
                         size_t len)
{
    struct lp_warner w;
    char err[256];
    const char *roots[] = {root};
    lp_walk_list_init(l);
    lp_warner_init(&w, NULL, NULL);
    assert_int_equal(lp_walk_collect_all(roots, 1,
                                         LP_WALK_RELATIVE | LP_WALK_GIT_HISTORY,
                                         NULL, l, &w, err, sizeof err),
                     LP_OK);
    assert_int_equal(atomic_load(&w.count), 0);
    lp_warner_release(&w);
    describe(l, got, len);
}

static void test_worktree_history(void **state)
{
    (void)state;
    struct lp_walk_list l;
    char got[2048];
    walk_history(repo, &l, got, sizeof got);
    /* a.txt: A1 is on disk (not listed again, though c0 held it), A2 is
     * history; e.txt is A1 too, on disk; lib/b.txt's committed B is
     * history as the file changed; lib/deep is one tree, met once. */
    assert_string_equal(got, "a.txt|a.txt@c1|e.txt|f.txt|lib/b.txt|"
                             "lib/b.txt@c0|lib/deep/d.txt|s.txt@c3|t.txt@c5");
    /* A history entry is a blob of the repository, read by its id, dated
     * by its commit. */
    const struct lp_walk_entry *e = &l.v[1];
    assert_true(e->git && e->has_commit);
    assert_string_equal(e->fspath, repo);
    assert_int_equal(e->commit_time, 1706745600); /* 2024-02-01 */
    lp_walk_list_release(&l);
}

static void test_bare_history(void **state)
{
    (void)state;
    struct lp_walk_list l;
    struct lp_warner w;
    char got[2048], bare[160], cmd[512];
    snprintf(bare, sizeof bare, "%s/bare.git", dir);
    snprintf(cmd, sizeof cmd, "git clone -q --bare --no-local '%s' '%s'",
             repo, bare);
    assert_int_equal(system(cmd), 0);
    walk_history(bare, &l, got, sizeof got);
    /* HEAD's tree (c4) is current: its lib/b.txt is B, so no history of
     * it; the clone has the branch side and the tag, so c3 and c5. */
    assert_string_equal(got, "a.txt|a.txt@c1|e.txt|f.txt|lib/b.txt|"
                             "lib/deep/d.txt|s.txt@c3|t.txt@c5");
    lp_walk_list_release(&l);
    /* Logical paths under the root as given, trailing slash dropped. */
    lp_walk_list_init(&l);
    lp_warner_init(&w, NULL, NULL);
    char slash[170];
    snprintf(slash, sizeof slash, "%s/", bare);
    assert_int_equal(lp_walk_collect_history(slash, 0, 100, &l, &w), LP_OK);
    assert_int_equal(l.n, 3);
    char want[200];
    snprintf(want, sizeof want, "%s/a.txt", bare);
    assert_string_equal(l.v[0].logical, want);
    lp_walk_list_release(&l);
    lp_warner_release(&w);
}

static void test_cap(void **state)
{
    (void)state;
    struct lp_walk_list l;
    struct lp_warner w;
    struct tu_warns ws = {0};
    lp_walk_list_init(&l);
    lp_warner_init(&w, tu_on_warn, &ws);
    assert_int_equal(
        lp_walk_collect_history(repo, LP_WALK_RELATIVE, 2, &l, &w), LP_OK);
    /* c0 gives lib/b.txt (B), c1 a.txt (A2); s.txt of c3 is the third. */
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[0].logical, "lib/b.txt");
    assert_string_equal(l.v[1].logical, "a.txt");
    assert_int_equal(ws.n, 1);
    char want[512];
    snprintf(want, sizeof want,
             "'%s': git history of more than 2 blobs: 3 commits from %.12s "
             "(2024-04-01) on not read (skipped)",
             repo, c[3]);
    assert_string_equal(ws.last, want);
    lp_walk_list_release(&l);
    lp_warner_release(&w);
}

static void test_not_a_repository(void **state)
{
    (void)state;
    struct lp_walk_list l;
    struct lp_warner w;
    struct tu_warns ws = {0};
    char broken[128], cmd[512];
    snprintf(broken, sizeof broken, "%s/broken", dir);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/.git' && echo x >'%s/f'", broken,
             broken);
    assert_int_equal(system(cmd), 0);
    lp_walk_list_init(&l);
    lp_warner_init(&w, tu_on_warn, &ws);
    assert_int_equal(lp_walk_collect_history(broken, 0, 100, &l, &w), LP_OK);
    assert_int_equal(l.n, 0);
    assert_int_equal(ws.n, 1);
    assert_non_null(strstr(ws.last, "not a git repository"));
    lp_walk_list_release(&l);
    lp_warner_release(&w);
    /* The directory's own files are still read. */
    const char *roots[] = {broken};
    char err[256];
    lp_walk_list_init(&l);
    lp_warner_init(&w, NULL, NULL);
    assert_int_equal(lp_walk_collect_all(roots, 1,
                                         LP_WALK_RELATIVE | LP_WALK_GIT_HISTORY,
                                         NULL, &l, &w, err, sizeof err),
                     LP_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].logical, "f");
    lp_walk_list_release(&l);
    lp_warner_release(&w);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    lp_err err = LP_ENOMEM;
    for (long n = 0; n < 10000 && err == LP_ENOMEM; n++) {
        struct lp_walk_list l;
        struct lp_warner w;
        lp_walk_list_init(&l);
        lp_warner_init(&w, NULL, NULL);
        lp_mem_fail_after(n);
        err = lp_walk_collect_history(repo, LP_WALK_RELATIVE, 100, &l, &w);
        lp_mem_fail_after(-1);
        assert_true(err == LP_OK || err == LP_ENOMEM);
        if (err == LP_OK)
            assert_int_equal(l.n, 4);
        lp_walk_list_release(&l);
        lp_warner_release(&w);
    }
    assert_int_equal(err, LP_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worktree_history),
        cmocka_unit_test(test_bare_history),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_not_a_repository),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
