/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of classify (cmocka): language by extension, by well-known
 * name, by "#!" line and by content, binary detection, and the names of
 * languages and kinds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "classify.h"

#include "banned.h"

struct want {
    const char *path, *content;
    enum lp_kind kind;
    enum lp_lang lang;
};

static void check_all(const struct want *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        enum lp_lang lang = (enum lp_lang)-1;
        const char *c = w[i].content ? w[i].content : "";
        enum lp_kind k = lp_classify(w[i].path, (const unsigned char *)c,
                                     strlen(c), &lang);
        if (k != w[i].kind || lang != w[i].lang)
            fail_msg("%s: got %s/%s, want %s/%s", w[i].path,
                     lp_kind_name(k), lp_lang_name(lang),
                     lp_kind_name(w[i].kind), lp_lang_name(w[i].lang));
    }
}

static void test_extensions(void **state)
{
    (void)state;
    static const struct want w[] = {
        {"src/a.c", "int x;", LP_KIND_CODE, LP_LANG_C},
        {"a.h", NULL, LP_KIND_CODE, LP_LANG_C},
        {"x.HPP", NULL, LP_KIND_CODE, LP_LANG_CPP},
        {"x.cxx", NULL, LP_KIND_CODE, LP_LANG_CPP},
        {"A.java", NULL, LP_KIND_CODE, LP_LANG_JAVA},
        {"a.mjs", NULL, LP_KIND_CODE, LP_LANG_JS},
        {"a.tsx", NULL, LP_KIND_CODE, LP_LANG_TS},
        {"main.go", NULL, LP_KIND_CODE, LP_LANG_GO},
        {"lib.rs", NULL, LP_KIND_CODE, LP_LANG_RUST},
        {"P.cs", NULL, LP_KIND_CODE, LP_LANG_CSHARP},
        {"b.kts", NULL, LP_KIND_CODE, LP_LANG_KOTLIN},
        {"v.swift", NULL, LP_KIND_CODE, LP_LANG_SWIFT},
        {"v.mm", NULL, LP_KIND_CODE, LP_LANG_OBJC},
        {"run.zsh", NULL, LP_KIND_CODE, LP_LANG_SHELL},
        {"x.py", NULL, LP_KIND_CODE, LP_LANG_PYTHON},
        {"X.pm", NULL, LP_KIND_CODE, LP_LANG_PERL},
        {"x.rb", NULL, LP_KIND_CODE, LP_LANG_RUBY},
        {"rules.mk", NULL, LP_KIND_CODE, LP_LANG_MAKE},
        {"F.cmake", NULL, LP_KIND_CODE, LP_LANG_CMAKE},
        {"ci.yml", NULL, LP_KIND_CODE, LP_LANG_YAML},
        {"Cargo.toml", NULL, LP_KIND_CODE, LP_LANG_TOML},
        {"app.conf", NULL, LP_KIND_CODE, LP_LANG_INI},
        {"README.md", "# T", LP_KIND_PROSE, LP_LANG_MARKDOWN},
        {"i.rst", NULL, LP_KIND_PROSE, LP_LANG_RST},
        {"notes.txt", NULL, LP_KIND_PROSE, LP_LANG_TEXT},
        {"man/ls.1", ".TH LS 1", LP_KIND_PROSE, LP_LANG_MAN},
        {"ssl.3ssl", NULL, LP_KIND_PROSE, LP_LANG_MAN},
        {"perl.1p", NULL, LP_KIND_PROSE, LP_LANG_MAN},
        {"lib.so.10", "x", LP_KIND_PROSE, LP_LANG_TEXT},
        {"guide.adoc", NULL, LP_KIND_PROSE, LP_LANG_TEXT},
        /* the extension beats a "#!" line */
        {"x.sh", "#!/usr/bin/python3\n", LP_KIND_CODE, LP_LANG_SHELL},
    };
    check_all(w, sizeof w / sizeof w[0]);
}

static void test_names(void **state)
{
    (void)state;
    static const struct want w[] = {
        {"linux/Makefile", NULL, LP_KIND_CODE, LP_LANG_MAKE},
        {"GNUmakefile", NULL, LP_KIND_CODE, LP_LANG_MAKE},
        {"drivers/Kbuild", NULL, LP_KIND_CODE, LP_LANG_MAKE},
        {"a.tar.gz!src/makefile", NULL, LP_KIND_CODE, LP_LANG_MAKE},
        {"Kconfig", NULL, LP_KIND_CODE, LP_LANG_KCONFIG},
        {"lib/Kconfig.debug", NULL, LP_KIND_CODE, LP_LANG_KCONFIG},
        {"CMakeLists.txt", NULL, LP_KIND_CODE, LP_LANG_CMAKE},
        {"Dockerfile", NULL, LP_KIND_CODE, LP_LANG_DOCKERFILE},
        {"Dockerfile.dev", NULL, LP_KIND_CODE, LP_LANG_DOCKERFILE},
        {"README", NULL, LP_KIND_PROSE, LP_LANG_TEXT},
        {"COPYING.LIB", "#!/bin/sh\n", LP_KIND_PROSE, LP_LANG_TEXT},
        {"LICENSE", NULL, LP_KIND_PROSE, LP_LANG_TEXT},
        {"CHANGES", NULL, LP_KIND_PROSE, LP_LANG_TEXT},
        {"home/.bashrc", NULL, LP_KIND_CODE, LP_LANG_SHELL},
    };
    check_all(w, sizeof w / sizeof w[0]);
}

static void test_shebang(void **state)
{
    (void)state;
    static const struct want w[] = {
        {"configure", "#!/bin/sh\necho", LP_KIND_CODE, LP_LANG_SHELL},
        {"x", "#! /bin/bash -e\n", LP_KIND_CODE, LP_LANG_SHELL},
        {"x", "#!/usr/bin/env python3\n", LP_KIND_CODE, LP_LANG_PYTHON},
        {"x", "#!/usr/bin/python3.11", LP_KIND_CODE, LP_LANG_PYTHON},
        {"x", "#!/usr/bin/env -S perl -w\n", LP_KIND_CODE, LP_LANG_PERL},
        {"x", "#!/usr/bin/env LANG=C ruby\n", LP_KIND_CODE, LP_LANG_RUBY},
        {"x", "#!/usr/bin/env node\n", LP_KIND_CODE, LP_LANG_JS},
        {"x", "#!/usr/bin/make -f\n", LP_KIND_CODE, LP_LANG_MAKE},
        {"x", "#!/usr/bin/unknown\n", LP_KIND_PROSE, LP_LANG_TEXT},
        {"x", "#!\n", LP_KIND_PROSE, LP_LANG_TEXT},
        {"x", "#!/usr/bin/env", LP_KIND_PROSE, LP_LANG_TEXT},
    };
    check_all(w, sizeof w / sizeof w[0]);
}

static void test_content(void **state)
{
    (void)state;
    static const struct want w[] = {
        {"notes", "just some words\n", LP_KIND_PROSE, LP_LANG_TEXT},
        {"empty", "", LP_KIND_PROSE, LP_LANG_TEXT},
        {"log", "\x1b[31mred\x1b[0m text\n", LP_KIND_PROSE, LP_LANG_TEXT},
        {"blob", "\x7f" "ELF\x02\x01\x01\x03\x04\x05", LP_KIND_BINARY,
         LP_LANG_NONE},
        /* Code without a telling name: by the look of its lines. */
        {"-", "#include <stdio.h>\n\nint main(void)\n{\n    puts(\"hi\");\n"
              "    return 0;\n}\n", LP_KIND_CODE, LP_LANG_C},
        {"paste.txt", "static int n;\nvoid f(void) {\n  n++;\n}\n",
         LP_KIND_CODE, LP_LANG_C},
        {"-", "import os\n\ndef walk(root):\n    return os.listdir(root)\n"
              "\nclass Tree:\n    pass\n", LP_KIND_CODE, LP_LANG_PYTHON},
        {"notes", "Dear team;\nthe build is broken.\nPlease look.\n"
                  "Thanks!\n", LP_KIND_PROSE, LP_LANG_TEXT},
        {"two", "int a;\nint b;\n", LP_KIND_PROSE, LP_LANG_TEXT},
    };
    check_all(w, sizeof w / sizeof w[0]);

    /* A NUL byte makes anything binary, a code extension included. */
    static const unsigned char elf[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    enum lp_lang lang = LP_LANG_C;
    assert_int_equal(lp_classify("main.c", elf, sizeof elf, &lang),
                     LP_KIND_BINARY);
    assert_int_equal(lang, LP_LANG_NONE);

    /* Past the first 8 KB, a NUL is not looked at. */
    static unsigned char big[9000];
    memset(big, 'a', sizeof big);
    big[8500] = 0;
    assert_int_equal(lp_classify("x.c", big, sizeof big, &lang),
                     LP_KIND_CODE);
    assert_int_equal(lang, LP_LANG_C);

    /* A few control bytes are text; many are binary. */
    memset(big, 'a', 1000);
    memset(big, 1, 50);
    assert_int_equal(lp_classify("x", big, 1000, &lang), LP_KIND_PROSE);
    memset(big, 1, 200);
    assert_int_equal(lp_classify("x", big, 1000, &lang), LP_KIND_BINARY);

    /* NULL path or buffer are accepted. */
    assert_int_equal(lp_classify(NULL, NULL, 0, &lang), LP_KIND_PROSE);
    assert_int_equal(lang, LP_LANG_TEXT);
}

/* Text with a stray NUL stays text; data with NULs among high bytes, or
 * with many NULs, is binary. */
static void test_nul_bytes(void **state)
{
    (void)state;
    char text[4096], data[4096];
    enum lp_lang lang;
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = "int x = 1;\n"[i % 11];
    text[100] = '\0';
    assert_int_equal(lp_classify("a.c", (unsigned char *)text, sizeof text,
                                 &lang), LP_KIND_CODE);
    /* 1 in 20 NUL: binary whatever the name. */
    for (size_t i = 0; i < sizeof text; i += 20)
        text[i] = '\0';
    assert_int_equal(lp_classify("a.c", (unsigned char *)text, sizeof text,
                                 &lang), LP_KIND_BINARY);
    /* Compressed-looking bytes (a fixed generator) with one NUL. */
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof data; i++) {
        x = x * 1103515245u + 12345u;
        data[i] = (char)(0x20 + (x >> 16) % 0xdf); /* no control byte */
    }
    data[7] = '\0';
    assert_int_equal(lp_classify("logo.txt", (unsigned char *)data,
                                 sizeof data, &lang), LP_KIND_BINARY);
    /* Tiny with a NUL: binary. */
    assert_int_equal(lp_classify("t.c", (const unsigned char *)"a\0b", 3,
                                 &lang), LP_KIND_BINARY);
}

/* NUL padding (issue 15 point 7): leading NULs and long NUL runs are not
 * what makes a file binary; short runs among other bytes still are. */
static void test_nul_padding(void **state)
{
    (void)state;
    static unsigned char b[8192];
    enum lp_lang lang;
    const char *code = "int x = 1;\n";
    for (size_t i = 0; i < sizeof b; i++)
        b[i] = (unsigned char)code[i % 11];
    memset(b, 0, 1024); /* 1 KB of zeros, then code */
    assert_int_equal(lp_classify("a.c", b, sizeof b, &lang), LP_KIND_CODE);
    assert_int_equal(lang, LP_LANG_C);
    memset(b + 4000, 0, 512); /* and 512 more in the middle */
    assert_int_equal(lp_classify("a.c", b, sizeof b, &lang), LP_KIND_CODE);
    /* runs shorter than 64 bytes, 1 byte in 8: binary */
    for (size_t i = 5000; i + 16 < sizeof b; i += 128)
        memset(b + i, 0, 16);
    assert_int_equal(lp_classify("a.c", b, sizeof b, &lang), LP_KIND_BINARY);
    /* zeros only, of any length: binary */
    memset(b, 0, sizeof b);
    assert_int_equal(lp_classify("a.c", b, sizeof b, &lang), LP_KIND_BINARY);
    assert_int_equal(lp_classify("a.c", b, 1, &lang), LP_KIND_BINARY);
    /* zeros, then control bytes: binary */
    for (size_t i = 2048; i < sizeof b; i++)
        b[i] = (unsigned char)(i % 9);
    assert_int_equal(lp_classify("a.c", b, sizeof b, &lang), LP_KIND_BINARY);
    /* 1 MiB of leading zeros is skipped; one byte more, and it is a disk
     * image, binary (NUL_LEAD_MAX) */
    size_t lead = (size_t)1 << 20, n = lead + 2 + 4096;
    unsigned char *big = calloc(1, n);
    assert_non_null(big);
    for (size_t i = 0; i < 4096; i++)
        big[lead + 2 + i] = (unsigned char)code[i % 11];
    assert_int_equal(lp_classify("a.c", big + 2, n - 2, &lang), LP_KIND_CODE);
    assert_int_equal(lp_classify("a.c", big + 1, n - 1, &lang), LP_KIND_BINARY);
    assert_int_equal(lp_classify("a.c", big, n, &lang), LP_KIND_BINARY);
    free(big);
}

static void test_names_of(void **state)
{
    (void)state;
    assert_string_equal(lp_lang_name(LP_LANG_C), "c");
    assert_string_equal(lp_lang_name(LP_LANG_CPP), "cpp");
    assert_string_equal(lp_lang_name(LP_LANG_SHELL), "shell");
    assert_string_equal(lp_lang_name(LP_LANG_MARKDOWN), "markdown");
    assert_string_equal(lp_lang_name(LP_LANG_DOCKERFILE), "dockerfile");
    assert_string_equal(lp_lang_name(LP_LANG_NONE), "none");
    assert_string_equal(lp_lang_name((enum lp_lang)15), "none");
    assert_string_equal(lp_lang_name((enum lp_lang)9999), "none");
    assert_string_equal(lp_kind_name(LP_KIND_CODE), "code");
    assert_string_equal(lp_kind_name(LP_KIND_PROSE), "prose");
    assert_string_equal(lp_kind_name(LP_KIND_BINARY), "binary");
    assert_string_equal(lp_kind_name(LP_KIND_LISTING), "listing");
    assert_string_equal(lp_kind_name(LP_KIND_OTHER), "other");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_extensions),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_shebang),
        cmocka_unit_test(test_content),
        cmocka_unit_test(test_nul_bytes),
        cmocka_unit_test(test_nul_padding),
        cmocka_unit_test(test_names_of),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
