/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of listing (cmocka): detection and parsing of each listing
 * format with exact entries, detection negatives (code, Makefile, Markdown,
 * CSV, shell, syslog, JSON), limits, and matching against two collections
 * (a listing with an extra root, a sub-tree listing, generic names only),
 * with an allocation-failure sweep of parse and match.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hash.h"
#include "listing.h"
#include "mem.h"

#include "banned.h"

#define U UINT64_MAX

struct want {
    const char *path;
    uint64_t size;
    bool dir;
};

static void check_parse(const char *text, enum lp_listing_format f,
                        const struct want *w, size_t n)
{
    struct lp_listing l;
    size_t dropped = 99;
    assert_int_equal(lp_listing_detect(text, strlen(text)), f);
    lp_listing_init(&l);
    assert_int_equal(lp_listing_parse(text, strlen(text), LP_LISTING_NONE, 0, 0,
                                      &l, &dropped),
                     LP_OK);
    assert_int_equal(l.format, f);
    assert_int_equal(dropped, 0);
    for (size_t i = 0; i < n && i < l.n; i++)
        if (strcmp(l.v[i].path, w[i].path) != 0 || l.v[i].size != w[i].size ||
            l.v[i].dir != w[i].dir)
            fail_msg("%s entry %zu: got '%s' %llu %d, want '%s' %llu %d",
                     lp_listing_format_name(f), i, l.v[i].path,
                     (unsigned long long)l.v[i].size, l.v[i].dir, w[i].path,
                     (unsigned long long)w[i].size, w[i].dir);
    assert_int_equal(l.n, n);
    lp_listing_release(&l);
}

#define CHECK(text, f, w) check_parse(text, f, w, sizeof w / sizeof w[0])

static void test_find(void **state)
{
    (void)state;
    static const char t[] = ".\n./src\n./src/a.c\n./src/net\n./src/net/ring.c\n"
                            "./Makefile\n./my dir\n./my dir/file one.txt\n"
                            "./docs\n";
    static const struct want w[] = {
        {"src", U, true},
        {"src/a.c", U, false},
        {"src/net", U, true},
        {"src/net/ring.c", U, false},
        {"Makefile", U, false},
        {"my dir", U, true},
        {"my dir/file one.txt", U, false},
        {"docs", U, false},
    };
    CHECK(t, LP_LISTING_FIND, w);
    /* find proj, with CRLF line ends: paths keep their root */
    static const char t2[] = "proj\r\nproj/lib\r\nproj/lib/x.py\r\n"
                             "proj/lib/y.py\r\nproj/setup.py\r\n/abs/z.c\r\n";
    static const struct want w2[] = {
        {"proj", U, true},           {"proj/lib", U, true},
        {"proj/lib/x.py", U, false}, {"proj/lib/y.py", U, false},
        {"proj/setup.py", U, false}, {"abs/z.c", U, false},
    };
    /* 1 of 6 lines starts with '/' or "./": a plain path list */
    CHECK(t2, LP_LISTING_PATHS, w2);
}

static void test_paths(void **state)
{
    (void)state;
    /* git ls-files */
    static const char t[] = ".gitignore\nMakefile\nREADME.md\nsrc/main.c\n"
                            "src/util/str.c\nsrc/util/str.h\ntests/t1.sh\n";
    static const struct want w[] = {
        {".gitignore", U, false},     {"Makefile", U, false},
        {"README.md", U, false},      {"src/main.c", U, false},
        {"src/util/str.c", U, false}, {"src/util/str.h", U, false},
        {"tests/t1.sh", U, false},
    };
    CHECK(t, LP_LISTING_PATHS, w);
    /* tar t: directories end with '/'; ".." and empty entries are refused */
    static const char t2[] = "core-2.3/\ncore-2.3/src/\ncore-2.3/src/ring.c\n"
                             "core-2.3/src/ring.h\ncore-2.3/../../etc/passwd\n"
                             "core-2.3/doc/a b.txt\n./\n";
    static const struct want w2[] = {
        {"core-2.3", U, true},
        {"core-2.3/src", U, true},
        {"core-2.3/src/ring.c", U, false},
        {"core-2.3/src/ring.h", U, false},
        {"core-2.3/doc/a b.txt", U, false},
    };
    CHECK(t2, LP_LISTING_PATHS, w2);
}

static void test_tree_unicode(void **state)
{
    (void)state;
    static const char t[] = ".\n"
                            "├── Makefile\n"
                            "├── docs\n"
                            "├── link.c -> src/a.c\n"
                            "├── my dir\n"
                            "│   └── file one.txt\n"
                            "└── src\n"
                            "    ├── a.c\n"
                            "    └── net\n"
                            "        ├── ring.c\n"
                            "        └── ring.h\n"
                            "        └── .\n"
                            "        └──  -> x\n"
                            "\n"
                            "5 directories, 6 files\n";
    static const struct want w[] = {
        {"Makefile", U, false},
        {"docs", U, false},
        {"link.c", U, false},
        {"my dir", U, true},
        {"my dir/file one.txt", U, false},
        {"src", U, true},
        {"src/a.c", U, false},
        {"src/net", U, true},
        {"src/net/ring.c", U, false},
        {"src/net/ring.h", U, false},
    };
    CHECK(t, LP_LISTING_TREE, w);
}

static void test_tree_ascii(void **state)
{
    (void)state;
    /* tree --charset=ascii -s -F, under a named root */
    static const char t[] = "proj\n"
                            "|-- [        120]  Makefile\n"
                            "|-- [       4096]  empty/\n"
                            "`-- [       4096]  src/\n"
                            "    |-- [         33]  a.c\n"
                            "    `-- [       4096]  net/\n"
                            "        `-- [         10]  ring.c\n"
                            "\n"
                            "4 directories, 3 files\n";
    static const struct want w[] = {
        {"proj", U, true},
        {"proj/Makefile", 120, false},
        {"proj/empty", U, true},
        {"proj/src", U, true},
        {"proj/src/a.c", 33, false},
        {"proj/src/net", U, true},
        {"proj/src/net/ring.c", 10, false},
    };
    CHECK(t, LP_LISTING_TREE, w);
}

static void test_tree_full(void **state)
{
    (void)state;
    /* tree -f prints whole paths */
    static const char t[] = ".\n"
                            "├── ./Makefile\n"
                            "├── ./my dir\n"
                            "│   └── ./my dir/file one.txt\n"
                            "└── ./src\n"
                            "    ├── ./src/a.c\n"
                            "    └── ./src/net\n"
                            "        └── ./src/net/ring.c\n"
                            "\n"
                            "4 directories, 4 files\n";
    static const struct want w[] = {
        {"Makefile", U, false},
        {"my dir", U, true},
        {"my dir/file one.txt", U, false},
        {"src", U, true},
        {"src/a.c", U, false},
        {"src/net", U, true},
        {"src/net/ring.c", U, false},
    };
    CHECK(t, LP_LISTING_TREE, w);
}

static void test_ls_r(void **state)
{
    (void)state;
    static const char t[] = ".:\nMakefile\ndocs\nmy dir\nsrc\n\n"
                            "./docs:\n\n"
                            "./my dir:\nfile one.txt\n\n"
                            "./src:\na.c\nnet\n\n"
                            "./src/net:\nring.c\n";
    static const struct want w[] = {
        {"Makefile", U, false},
        {"docs", U, true},
        {"my dir", U, true},
        {"src", U, true},
        {"my dir/file one.txt", U, false},
        {"src/a.c", U, false},
        {"src/net", U, true},
        {"src/net/ring.c", U, false},
    };
    CHECK(t, LP_LISTING_LS_R, w);
}

static void test_ls_l(void **state)
{
    (void)state;
    static const char t[] =
        "total 16\n"
        "-rw-r--r-- 1 root root    2 Nov 24 15:49 Makefile\n"
        "drwxr-xr-x 2 root root 4096 Nov 24 15:49 docs\n"
        "lrwxrwxrwx 1 root root    7 Nov 24 15:49 link.c -> src/a.c\n"
        "drwxr-xr-x 2 root root 4096 Jan  2  2023 my dir\n"
        "-rw-r--r--. 1 alice staff 1234 Jan  2  2023 notes  v2.txt\n"
        "crw-rw-rw- 1 root root 1, 3 Nov 24 15:49 null\n"
        "-rw-r--r-- 1 root root 999 2024-01-02 10:00 iso.c\n";
    static const struct want w[] = {
        {"Makefile", 2, false},         {"docs", U, true},
        {"link.c", 7, false},           {"my dir", U, true},
        {"notes  v2.txt", 1234, false}, {"null", U, false},
        {"iso.c", 999, false},
    };
    CHECK(t, LP_LISTING_LS_L, w);
}

static void test_ls_lr(void **state)
{
    (void)state;
    static const char t[] =
        ".:\n"
        "total 12\n"
        "-rw-r--r-- 1 root root    2 2026-11-24 15:49 Makefile\n"
        "drwxr-xr-x 2 root root 4096 2026-11-24 15:49 my dir\n"
        "drwxr-xr-x 3 root root 4096 2026-11-24 15:49 src\n"
        "\n"
        "./my dir:\n"
        "total 4\n"
        "-rw-r--r-- 1 root root 2 2026-11-24 15:49 file one.txt\n"
        "\n"
        "./src:\n"
        "total 8\n"
        "-rw-r--r-- 1 root root    3 2026-11-24 15:49:43.466494102 +0000 a.c\n"
        "drwxr-xr-x 2 root root 4096 2026-11-24 15:49 net\n"
        "\n"
        "./src/net:\n"
        "total 4\n"
        "-rw-r--r-- 1 1000 1000 20 Nov 24 15:49 ring.c\n";
    static const struct want w[] = {
        {"Makefile", 2, false},
        {"my dir", U, true},
        {"src", U, true},
        {"my dir/file one.txt", 2, false},
        {"src/a.c", 3, false},
        {"src/net", U, true},
        {"src/net/ring.c", 20, false},
    };
    CHECK(t, LP_LISTING_LS_L, w);
}

static void test_unzip(void **state)
{
    (void)state;
    static const char t[] =
        "Archive:  p.zip\n"
        "  Length      Date    Time    Name\n"
        "---------  ---------- -----   ----\n"
        "        0  2026-11-24 15:49   proj/\n"
        "        3  2026-11-24 15:49   proj/src/a.c\n"
        "        2  2026-11-24 15:49   proj/src/net/ring.c\n"
        "        2  11-24-2026 15:49   proj/Makefile\n"
        "        2  2026-11-24 15:49   proj/my dir/file one.txt\n"
        "---------                     -------\n"
        "        9                     5 files\n";
    static const struct want w[] = {
        {"proj", U, true},
        {"proj/src/a.c", 3, false},
        {"proj/src/net/ring.c", 2, false},
        {"proj/Makefile", 2, false},
        {"proj/my dir/file one.txt", 2, false},
    };
    CHECK(t, LP_LISTING_UNZIP, w);
}

static void test_tar_tv(void **state)
{
    (void)state;
    static const char gnu[] =
        "drwxr-xr-x root/root         0 2024-01-02 10:00 proj/\n"
        "-rw-r--r-- root/root      1234 2024-01-02 10:00 proj/src/a.c\n"
        "-rw-r--r-- user/group       20 2024-01-02 10:00:59 proj/src/b c.c\n"
        "hrw-r--r-- root/root         0 2024-01-02 10:00 proj/h.c link to "
        "proj/src/a.c\n"
        "lrwxrwxrwx root/root         0 2024-01-02 10:00 proj/l.c -> src/a.c\n"
        "-rw-r--r-- root/root         5 2024-01-02 10:00 /abs/x.h\n";
    static const struct want w[] = {
        {"proj", U, true},
        {"proj/src/a.c", 1234, false},
        {"proj/src/b c.c", 20, false},
        {"proj/h.c", 0, false},
        {"proj/l.c", 0, false},
        {"abs/x.h", 5, false},
    };
    CHECK(gnu, LP_LISTING_TAR_TV, w);
    static const char bsd[] =
        "drwxr-xr-x  0 root   root        0 Nov 24 15:49 proj/\n"
        "-rw-r--r--  0 root   root        3 Nov 24 15:49 proj/src/a.c\n"
        "-rw-r--r--  0 root   root        2 Nov 24  2023 proj/src/net/ring.c\n"
        "lrwxrwxrwx  0 root   root        0 Nov 24 15:49 proj/link.c -> "
        "src/a.c\n"
        "drwxr-xr-x  0 root   root        0 Nov 24 15:49 proj/docs/\n";
    static const struct want w2[] = {
        {"proj", U, true},
        {"proj/src/a.c", 3, false},
        {"proj/src/net/ring.c", 2, false},
        {"proj/link.c", 0, false},
        {"proj/docs", U, true},
    };
    CHECK(bsd, LP_LISTING_TAR_TV, w2);
}

static void check_none(const char *name, const char *t)
{
    enum lp_listing_format f = lp_listing_detect(t, strlen(t));
    if (f != LP_LISTING_NONE)
        fail_msg("%s detected as %s", name, lp_listing_format_name(f));
}

static void test_negatives(void **state)
{
    (void)state;
    check_none("c", "#include <stdio.h>\n#include \"ring.h\"\n\n"
                    "int main(void)\n{\n    ring_init();\n"
                    "    printf(\"hi\\n\");\n    return 0;\n}\n"
                    "static int x;\nvoid f(int a)\n{\n}\n");
    check_none("makefile", "CC = gcc\nCFLAGS = -O2\n\nall: build/app\n\n"
                           "build/app: src/a.c src/b.c\n\t$(CC) -o $@ $^\n\n"
                           "clean:\n\trm -rf build\n\n"
                           "include config.mk\ninclude rules.mk\n"
                           ".PHONY: all clean\n");
    check_none("markdown",
               "# Project\n\nThe parser lives in src/parse.c and the lexer\n"
               "in src/lex.c. Files:\n\n- `src/parse.c`\n- `src/lex.c`\n"
               "- `src/ring.c`\n- `include/ring.h`\n- `tests/t1.c`\n\n"
               "src/parse.c\nsrc/lex.c\nsrc/util.c\n"
               "See docs/INSTALL.md for more.\n");
    check_none("csv", "path,size,owner\nsrc/a.c,12,root\nsrc/b.c,13,root\n"
                      "src/c.c,14,root\nsrc/d.c,15,root\nsrc/e.c,16,root\n");
    check_none("shell", "#!/bin/sh\nset -e\ncd /tmp/build\nmkdir -p out/bin\n"
                        "cp src/a.c out/a.c\ncp src/b.c out/b.c\n"
                        "tar czf out.tgz out/\nrm -rf out\necho done\n");
    check_none("syslog",
               "Jan 12 10:00:01 host sshd[123]: Accepted publickey for root\n"
               "Jan 12 10:00:02 host kernel: [  1.2] usb 1-1: new device\n"
               "Jan 12 10:00:03 host cron[77]: (root) CMD (/usr/bin/x)\n"
               "Jan 12 10:00:04 host sshd[124]: Disconnected from 10.0.0.1\n"
               "Jan 12 10:00:05 host systemd[1]: Started a.service.\n"
               "Jan 12 10:00:06 host systemd[1]: Stopped b.service.\n");
    check_none("json", "{\n  \"files\": [\n    \"src/a.c\",\n    \"src/b.c\",\n"
                       "    \"src/c.c\",\n    \"src/d.c\",\n    \"src/e.c\"\n"
                       "  ]\n}\n");
    check_none("python", "import os\nimport sys\n\n\ndef main(argv):\n"
                         "    for p in argv:\n        print(p)\n\n\n"
                         "if __name__ == '__main__':\n    main(sys.argv)\n");
    check_none("prose", "This is a note.\nIt mentions nothing much\nbut has"
                        " lines.\nAnd more lines here\nand here.\nThe end\n");
    check_none("few", "src/a.c\nsrc/b.c\nsrc/c.c\nsrc/d.c\n");
    check_none("empty", "");
    static const char nul[] = "src/a.c\nsrc/b.c\nsrc/c.c\nsrc/d.c\nsrc/e\0.c\n";
    assert_int_equal(lp_listing_detect(nul, sizeof nul - 1), LP_LISTING_NONE);
}

static void test_limits(void **state)
{
    (void)state;
    struct lp_listing l;
    size_t dropped = 0;
    static const char t[] =
        "src/a.c\nsrc/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.c\n"
        "src/c.c\nsrc/d.c\nsrc/e.c\nsrc/f.c\n";
    lp_listing_init(&l);
    assert_int_equal(
        lp_listing_parse(t, strlen(t), LP_LISTING_PATHS, 16, 3, &l, &dropped),
        LP_OK);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.v[0].path, "src/a.c");
    assert_string_equal(l.v[1].path, "src/c.c");
    assert_int_equal(l.v[1].line, 3);
    assert_string_equal(l.v[2].path, "src/d.c");
    assert_int_equal(dropped, 3); /* one long line, two over the cap */
    lp_listing_release(&l);
    assert_int_equal(
        lp_listing_parse("x\ny\n", 4, LP_LISTING_NONE, 0, 0, &l, &dropped),
        LP_EFORMAT);
    assert_int_equal(
        lp_listing_parse(NULL, 0, LP_LISTING_PATHS, 0, 0, &l, NULL), LP_OK);
    assert_int_equal(l.n, 0);
    lp_listing_release(&l);
    assert_string_equal(lp_listing_format_name(LP_LISTING_LS_R), "ls-r");
    assert_string_equal(lp_listing_format_name(LP_LISTING_NONE), "none");
}

/* Collection 1: a project; collection 2: another one. */
#define R(p, c) {p, c, NULL, 0, NULL, 0}
static const struct lp_listing_ref refs[] = {
    R("Makefile", 1),        R("README.md", 1),      R("src/net/ring.c", 1),
    R("src/net/ring.h", 1),  R("src/net/sock.c", 1), R("src/core/main.c", 1),
    R("src/core/util.c", 1), R("docs/guide.md", 1),  R("src/net/ring.c", 1),
    R("Makefile", 2),        R("README.md", 2),      R("lib/app/index.js", 2),
    R("lib/app/view.js", 2), R("lib/net/ring.c", 2), R("test/app.test.js", 2),
};
#define NREFS (sizeof refs / sizeof refs[0])

static void parse_text(const char *t, struct lp_listing *l)
{
    lp_listing_init(l);
    assert_int_equal(
        lp_listing_parse(t, strlen(t), LP_LISTING_NONE, 0, 0, l, NULL), LP_OK);
}

static void test_match_root(void **state)
{
    (void)state;
    struct lp_listing l;
    struct lp_listing_result r;
    /* collection 1 under an extra root, and one file of collection 2 */
    parse_text(
        "./leak/core-2.3\n./leak/core-2.3/Makefile\n"
        "./leak/core-2.3/src/net/ring.c\n./leak/core-2.3/src/net/ring.h\n"
        "./leak/core-2.3/src/core/main.c\n./leak/core-2.3/src/extra.c\n"
        "./leak/core-2.3/docs/guide.md\n./leak/other/lib/app/view.js\n",
        &l);
    assert_int_equal(lp_listing_match(&l, refs, NREFS, &r), LP_OK);
    assert_int_equal(r.files, 7);
    assert_int_equal(r.nhits, 1); /* one file of collection 2 is no hit */
    struct lp_listing_hit *h = &r.hits[0];
    assert_int_equal(h->collection, 1);
    assert_int_equal(h->matched, 5);
    assert_int_equal(h->registered, 5);
    assert_int_equal(h->total, 8);
    assert_string_equal(h->listing_root, "leak/core-2.3");
    assert_string_equal(h->registry_root, "");
    assert_int_equal(h->ndirs, 4);
    assert_string_equal(h->dirs[0].dir, "src/net");
    assert_int_equal(h->dirs[0].matched, 2);
    assert_int_equal(h->dirs[0].total, 3);
    assert_string_equal(h->dirs[1].dir, "");
    assert_int_equal(h->dirs[1].matched, 1);
    assert_int_equal(h->dirs[1].total, 2);
    assert_string_equal(h->dirs[2].dir, "docs");
    assert_int_equal(h->dirs[2].total, 1);
    assert_string_equal(h->dirs[3].dir, "src/core");
    assert_int_equal(h->dirs[3].matched, 1);
    assert_int_equal(h->dirs[3].total, 2);
    lp_listing_result_release(&r);
    lp_listing_release(&l);
}

static void test_match_subtree(void **state)
{
    (void)state;
    struct lp_listing l;
    struct lp_listing_result r;
    /* a listing of src/ of collection 1 and of lib/ of collection 2 */
    parse_text("net/ring.c\nnet/ring.h\nnet/sock.c\ncore/main.c\ncore/util.c\n"
               "app/index.js\napp/view.js\n",
               &l);
    assert_int_equal(l.format, LP_LISTING_PATHS);
    assert_int_equal(lp_listing_match(&l, refs, NREFS, &r), LP_OK);
    assert_int_equal(r.files, 7);
    assert_int_equal(r.nhits, 2);
    assert_int_equal(r.hits[0].collection, 1);
    assert_int_equal(r.hits[0].matched, 5);
    assert_int_equal(r.hits[0].total, 8);
    assert_string_equal(r.hits[0].listing_root, "");
    assert_string_equal(r.hits[0].registry_root, "src");
    assert_int_equal(r.hits[1].collection, 2);
    /* net/ring.c is also lib/net/ring.c of collection 2 */
    assert_int_equal(r.hits[1].matched, 3);
    assert_int_equal(r.hits[1].registered, 3);
    assert_int_equal(r.hits[1].total, 6);
    assert_string_equal(r.hits[1].registry_root, "lib");
    assert_int_equal(r.hits[1].ndirs, 2);
    assert_string_equal(r.hits[1].dirs[0].dir, "lib/app");
    assert_int_equal(r.hits[1].dirs[0].matched, 2);
    assert_int_equal(r.hits[1].dirs[0].total, 2);
    assert_string_equal(r.hits[1].dirs[1].dir, "lib/net");
    assert_int_equal(r.hits[1].dirs[1].matched, 1);
    assert_int_equal(r.hits[1].dirs[1].total, 1);
    lp_listing_result_release(&r);
    lp_listing_release(&l);
}

static void test_match_generic(void **state)
{
    (void)state;
    struct lp_listing l;
    struct lp_listing_result r;
    /* unrelated files that share only generic names */
    parse_text("x/Makefile\nx/README.md\ny/Makefile\nz/README.md\n"
               "x/src/foo.c\nx/docs/README.md\nx/lib/index.js\n",
               &l);
    assert_int_equal(lp_listing_match(&l, refs, NREFS, &r), LP_OK);
    assert_int_equal(r.files, 7);
    assert_int_equal(r.nhits, 0);
    assert_null(r.hits);
    lp_listing_result_release(&r);
    lp_listing_release(&l);
}

static void test_match_both_roots(void **state)
{
    (void)state;
    struct lp_listing l;
    struct lp_listing_result r;
    /* "dump/net/..." for "src/net/...": a root stripped and one added; the
     * duplicate line counts as a listing file, not as a registered path */
    parse_text("dump/net/ring.c\ndump/net/ring.h\ndump/net/sock.c\n"
               "dump/net/ring.c\ndump/net/new.c\n",
               &l);
    assert_int_equal(lp_listing_match(&l, refs, NREFS, &r), LP_OK);
    assert_int_equal(r.nhits, 1);
    assert_int_equal(r.hits[0].collection, 1);
    assert_int_equal(r.hits[0].matched, 4);
    assert_int_equal(r.hits[0].registered, 3);
    assert_string_equal(r.hits[0].listing_root, "dump");
    assert_string_equal(r.hits[0].registry_root, "src");
    lp_listing_result_release(&r);
    lp_listing_release(&l);
}

/* Every allocation of parse and match failing in turn gives LP_ENOMEM and
 * no leak (run under ASan), and then the full result. */
static void test_alloc_failures(void **state)
{
    (void)state;
    static const char t[] = "./leak/src/net/ring.c\n./leak/src/net/ring.h\n"
                            "./leak/src/net/sock.c\n./leak/Makefile\n"
                            "./leak/lib/app/view.js\n./leak/docs/guide.md\n";
    for (long k = 0;; k++) {
        struct lp_listing l;
        struct lp_listing_result r;
        lp_listing_init(&l);
        lp_mem_fail_after(k);
        lp_err e =
            lp_listing_parse(t, strlen(t), LP_LISTING_NONE, 0, 0, &l, NULL);
        if (e == LP_OK)
            e = lp_listing_match(&l, refs, NREFS, &r);
        lp_mem_fail_after(-1);
        lp_listing_release(&l);
        if (e == LP_OK) {
            assert_int_equal(r.nhits, 1);
            assert_int_equal(r.hits[0].matched, 5);
            lp_listing_result_release(&r);
            break;
        }
        assert_int_equal(e, LP_ENOMEM);
        assert_true(k < 10000);
    }
}

/* du -ab (SIZE<TAB>PATH) and find -printf '%s %p\n' (SIZE PATH): sizes
 * kept for files, directories inferred (du lists them with their totals). */
static void test_sizes(void **state)
{
    (void)state;
    static const char du[] = "120\tcore/src/a.c\n4096\tcore/src/net/ring.c\n"
                             "4216\tcore/src/net\n4216\tcore/src\n"
                             "33\tcore/my file.txt\n77\tcore/Makefile\n"
                             "4326\tcore\n";
    static const struct want w[] = {
        {"core/src/a.c", 120, false},  {"core/src/net/ring.c", 4096, false},
        {"core/src/net", U, true},     {"core/src", U, true},
        {"core/my file.txt", 33, false}, {"core/Makefile", 77, false},
        {"core", U, true},
    };
    CHECK(du, LP_LISTING_SIZES, w);
    static const char fp[] = "120 ./src/a.c\n4096 ./src/net/ring.c\n"
                             "33 ./docs/guide.md\n77 ./Makefile\n"
                             "0 ./src/empty.h\n";
    static const struct want w2[] = {
        {"src/a.c", 120, false},     {"src/net/ring.c", 4096, false},
        {"docs/guide.md", 33, false}, {"Makefile", 77, false},
        {"src/empty.h", 0, false},
    };
    CHECK(fp, LP_LISTING_SIZES, w2);
}

/* The hash of entry i of a parsed text. */
static void check_hash(const char *t, enum lp_listing_format f, size_t i,
                       enum lp_listing_hash kind, const char *hex,
                       const char *path)
{
    struct lp_listing l;
    uint8_t want[32] = {0};
    assert_int_equal(lp_listing_detect(t, strlen(t)), f);
    lp_listing_init(&l);
    assert_int_equal(lp_listing_parse(t, strlen(t), f, 0, 0, &l, NULL), LP_OK);
    assert_true(i < l.n);
    assert_string_equal(l.v[i].path, path);
    assert_int_equal(l.v[i].hash_kind, kind);
    for (size_t k = 0; hex && 2 * k < strlen(hex) && k < 32; k++)
        want[k] = (uint8_t)(lp_hex_digit(hex[2 * k]) << 4 |
                            lp_hex_digit(hex[2 * k + 1]));
    if (hex)
        assert_memory_equal(l.v[i].hash, want, strlen(hex) / 2);
    lp_listing_release(&l);
}

#define H64 "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define H40 "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"
#define H32 "098f6bcd4621d373cade4e832627b4f6"

/* sha256sum (text and binary mode), the BSD form, md5sum and sha1sum. */
static void test_sums(void **state)
{
    (void)state;
    static const char gnu[] = H64 "  core/src/a.c\n" H64 " *core/src/b.c\n"
                              H64 "  core/docs/x y.md\n" H64 "  core/Makefile\n"
                              H64 "  core/src/net/ring.c\n";
    check_hash(gnu, LP_LISTING_SUMS, 0, LP_LHASH_SHA256, H64, "core/src/a.c");
    check_hash(gnu, LP_LISTING_SUMS, 1, LP_LHASH_SHA256, H64, "core/src/b.c");
    check_hash(gnu, LP_LISTING_SUMS, 2, LP_LHASH_SHA256, H64,
               "core/docs/x y.md");
    static const char bsd[] = "SHA256 (core/src/a.c) = " H64 "\n"
                              "SHA256 (core/src/b (1).c) = " H64 "\n"
                              "SHA256 (core/x.c) = " H64 "\n"
                              "SHA256 (core/y.c) = " H64 "\n"
                              "SHA256 (core/z.c) = " H64 "\n";
    check_hash(bsd, LP_LISTING_SUMS, 1, LP_LHASH_SHA256, H64,
               "core/src/b (1).c");
    static const char md5[] = H32 "  a/b.c\n" H32 "  a/c.c\n" H32 "  a/d.c\n"
                              H32 "  a/e.c\n" H32 "  a/f.c\n";
    check_hash(md5, LP_LISTING_SUMS, 4, LP_LHASH_MD5, H32, "a/f.c");
    static const char sha1[] = H40 "  a/b.c\n" H40 "  a/c.c\n" H40 "  a/d.c\n"
                               H40 "  a/e.c\n" H40 "  a/f.c\n";
    check_hash(sha1, LP_LISTING_SUMS, 0, LP_LHASH_SHA1, H40, "a/b.c");
}

/* git ls-tree -r [-l] (submodules and trees left out) and ls-files -s. */
static void test_git(void **state)
{
    (void)state;
    static const char tree[] = "100644 blob " H40 "\tMakefile\n"
                               "100755 blob " H40 "\tsrc/run.sh\n"
                               "160000 commit " H40 "\tvendor/lib\n"
                               "100644 blob " H40 "\tsrc/net/ring.c\n"
                               "120000 blob " H40 "\tsrc/link\n";
    check_hash(tree, LP_LISTING_GIT, 1, LP_LHASH_GIT, H40, "src/run.sh");
    check_hash(tree, LP_LISTING_GIT, 2, LP_LHASH_GIT, H40, "src/net/ring.c");
    static const char tl[] = "100644 blob " H40 "     120\tMakefile\n"
                             "100644 blob " H40 "    4096\tsrc/a.c\n"
                             "160000 commit " H40 "       -\tvendor/lib\n"
                             "100644 blob " H40 "       7\tsrc/b.c\n"
                             "100644 blob " H40 "       0\tsrc/c.c\n";
    struct lp_listing l;
    lp_listing_init(&l);
    assert_int_equal(lp_listing_detect(tl, strlen(tl)), LP_LISTING_GIT);
    assert_int_equal(lp_listing_parse(tl, strlen(tl), LP_LISTING_NONE, 0, 0,
                                      &l, NULL),
                     LP_OK);
    assert_int_equal(l.n, 4);
    assert_int_equal(l.v[1].size, 4096);
    assert_string_equal(l.v[2].path, "src/b.c");
    lp_listing_release(&l);
    static const char ls[] = "100644 " H40 " 0\tMakefile\n"
                             "100644 " H40 " 0\tsrc/a.c\n"
                             "100644 " H40 " 0\tsrc/b.c\n"
                             "100644 " H40 " 1\tsrc/c.c\n"
                             "100644 " H40 " 0\tdocs/d.md\n";
    check_hash(ls, LP_LISTING_GIT, 4, LP_LHASH_GIT, H40, "docs/d.md");
    assert_string_equal(lp_listing_format_name(LP_LISTING_SUMS), "checksums");
}

/* Texts shaped a little like the new formats are no listings. */
static void test_negatives_hashes(void **state)
{
    (void)state;
    static const char *const t[] = {
        /* numbered lines of prose */
        "1 apple\n2 pear\n3 plum\n4 fig\n5 kiwi\n6 lime\n",
        /* a table of counts with no path */
        "12\tfoo\n7\tbar\n3\tbaz\n1\tqux\n9\tquux\n",
        /* hashes without names */
        H64 "\n" H64 "\n" H64 "\n" H64 "\n" H64 "\n",
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        if (lp_listing_detect(t[i], strlen(t[i])) != LP_LISTING_NONE)
            fail_msg("negative %zu detected as %s", i,
                     lp_listing_format_name(
                         lp_listing_detect(t[i], strlen(t[i]))));
}

/* Sizes and hashes are checked against the registered contents at the
 * aligned path; a hash of other contents is the name only; generic names
 * are not distinctive unless their size or hash agrees. */
static void test_match_how(void **state)
{
    (void)state;
    static const uint8_t sa[32] = {1}, sb[32] = {2}, sc[32] = {3},
                         sold[32] = {4};
    static const uint8_t ga[20] = {9}, gm[20] = {8};
    const struct lp_listing_ref r[] = {
        {"src/net/ring.c", 1, sa, 100, ga, 11},
        {"src/net/ring.c", 1, sold, 90, NULL, 12}, /* an older version */
        {"src/net/sock.c", 1, sb, 200, NULL, 13},
        {"src/core/util.c", 1, sc, 300, NULL, 14},
        {"Makefile", 1, sc, 10, gm, 14},
        {"README.md", 1, sb, 20, NULL, 13},
    };
    struct lp_listing l;
    struct lp_listing_result res;
    lp_listing_init(&l);
    /* ring.c with the older version's size, sock.c with a wrong size,
     * util.c with its size, Makefile with its size, README with none */
    parse_text("90 x/src/net/ring.c\n201 x/src/net/sock.c\n"
               "300 x/src/core/util.c\n10 x/Makefile\n5 x/README.md\n",
               &l);
    assert_int_equal(l.format, LP_LISTING_SIZES);
    assert_int_equal(lp_listing_match(&l, r, 6, &res), LP_OK);
    assert_int_equal(res.nhits, 1);
    assert_int_equal(res.hits[0].registered, 5);
    assert_int_equal(res.hits[0].by_size, 3);
    assert_int_equal(res.hits[0].by_sha256, 0);
    assert_int_equal(res.hits[0].ncontent, 0); /* sizes are no contents */
    assert_int_equal(res.hits[0].distinctive, 4); /* not README.md */
    lp_listing_result_release(&res);
    lp_listing_release(&l);

    /* ls-files -s: ring.c's and Makefile's ids agree, sock.c's does not */
    char t[600];
    snprintf(t, sizeof t,
             "100644 0900000000000000000000000000000000000000 0\tsrc/net/ring.c\n"
             "100644 0800000000000000000000000000000000000000 0\tsrc/net/sock.c\n"
             "100644 0800000000000000000000000000000000000000 0\tMakefile\n"
             "100644 0700000000000000000000000000000000000000 0\tsrc/core/util.c\n"
             "100644 0700000000000000000000000000000000000000 0\tREADME.md\n");
    parse_text(t, &l);
    assert_int_equal(l.format, LP_LISTING_GIT);
    assert_int_equal(lp_listing_match(&l, r, 6, &res), LP_OK);
    assert_int_equal(res.hits[0].registered, 5);
    assert_int_equal(res.hits[0].by_git, 2);
    assert_int_equal(res.hits[0].by_size, 0);
    /* the contents the ids matched, sorted */
    assert_int_equal(res.hits[0].ncontent, 2);
    assert_int_equal(res.hits[0].content_blobs[0], 11);
    assert_int_equal(res.hits[0].content_blobs[1], 14);
    /* ring.c and Makefile by their ids, sock.c by name; util.c and
     * README.md are generic names */
    assert_int_equal(res.hits[0].distinctive, 3);
    lp_listing_result_release(&res);
    lp_listing_release(&l);

    assert_true(lp_listing_generic("a/b/README.md"));
    assert_true(lp_listing_generic("makefile"));
    assert_true(lp_listing_generic("src/main.c"));
    assert_false(lp_listing_generic("src/net/ring.c"));
}

/* Git's blob id, as `git hash-object` gives it (what git ls-tree lists). */
static void test_git_blob_id(void **state)
{
    (void)state;
    uint8_t id[LP_GIT_ID_LEN];
    char hex[2 * LP_GIT_ID_LEN + 1];
    assert_int_equal(lp_git_blob_id("hello\n", 6, id), LP_OK);
    lp_hex(id, sizeof id, hex);
    assert_string_equal(hex, "ce013625030ba8dba906f756967f9e9ca394464a");
    assert_int_equal(lp_git_blob_id("", 0, id), LP_OK);
    lp_hex(id, sizeof id, hex);
    assert_string_equal(hex, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_tree_unicode),
        cmocka_unit_test(test_tree_ascii),
        cmocka_unit_test(test_tree_full),
        cmocka_unit_test(test_ls_r),
        cmocka_unit_test(test_ls_l),
        cmocka_unit_test(test_ls_lr),
        cmocka_unit_test(test_unzip),
        cmocka_unit_test(test_tar_tv),
        cmocka_unit_test(test_negatives),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_match_root),
        cmocka_unit_test(test_match_subtree),
        cmocka_unit_test(test_match_generic),
        cmocka_unit_test(test_match_both_roots),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_sums),
        cmocka_unit_test(test_git),
        cmocka_unit_test(test_negatives_hashes),
        cmocka_unit_test(test_match_how),
        cmocka_unit_test(test_git_blob_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
