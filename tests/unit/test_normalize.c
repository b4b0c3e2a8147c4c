/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of normalize (cmocka): token classes, counts and lines of each
 * lexer family, invariance of the hash sequence under layout changes
 * (whitespace, brace style, CRLF), unterminated constructs, and an
 * allocation-failure sweep. Classes are written as one letter per token:
 * I ident, K keyword, N number, S string, O operator, W word.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hash.h"
#include "limits.h"
#include "mem.h"
#include "normalize.h"
#include "normalize_int.h"

#include "banned.h"

static struct lp_tokens lexn(enum lp_lang lang, const char *s, size_t n)
{
    struct lp_tokens t;
    lp_tokens_init(&t);
    assert_int_equal(lp_normalize(lang, s, n, &t), LP_OK);
    return t;
}

static struct lp_tokens lex(enum lp_lang lang, const char *s)
{
    return lexn(lang, s, strlen(s));
}

/* Checks the classes of all tokens, e.g. "KIO" for "int x;". */
static void check_classes(const struct lp_tokens *t, const char *want)
{
    static const char letters[] = "?IKNSOW";
    char got[256] = {0};
    for (size_t i = 0; i < t->n && i < sizeof got - 1; i++)
        got[i] = t->v[i].cls < 7 ? letters[t->v[i].cls] : '?';
    assert_string_equal(got, want);
}

static void check_lines(const struct lp_tokens *t, const uint32_t *want,
                        size_t n)
{
    assert_int_equal(t->n, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(t->v[i].line, want[i]);
}

static void check_same_hashes(const struct lp_tokens *a,
                              const struct lp_tokens *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        assert_true(a->v[i].hash == b->v[i].hash);
        assert_int_equal(a->v[i].cls, b->v[i].cls);
    }
}

/* Lexes both texts and expects identical hash sequences. */
static void check_equiv(enum lp_lang lang, const char *x, const char *y)
{
    struct lp_tokens a = lex(lang, x), b = lex(lang, y);
    check_same_hashes(&a, &b);
    lp_tokens_release(&a);
    lp_tokens_release(&b);
}

static uint64_t h(const char *s)
{
    return lp_hash64(s, strlen(s));
}

static void test_c_comments(void **state)
{
    (void)state;
    struct lp_tokens t = lex(LP_LANG_C, "int a; // c */ x\n/* b\n c */ int b;"
                                        "/**/\n");
    static const uint32_t lines[] = {1, 1, 1, 3, 3, 3};
    check_classes(&t, "KIOKIO");
    check_lines(&t, lines, 6);
    assert_int_equal(t.lines, 3);
    assert_true(t.v[1].hash == h("a"));
    lp_tokens_release(&t);
    check_equiv(LP_LANG_C, "int a; // c\n/* b */ int b;", "int a;int b;");
}

static void test_nested_comments(void **state)
{
    (void)state;
    const char *src = "a /* x /* y */ z */ b";
    struct lp_tokens r = lex(LP_LANG_RUST, src), c = lex(LP_LANG_C, src);
    check_classes(&r, "II");
    check_classes(&c, "IIOOI"); /* C does not nest: z * / remain */
    lp_tokens_release(&r);
    lp_tokens_release(&c);
    check_equiv(LP_LANG_KOTLIN, "f(/* /* */ */ x)", "f(x)");
}

static void test_comment_like_strings(void **state)
{
    (void)state;
    struct lp_tokens t =
        lex(LP_LANG_C, "s = \"/* not a comment */\"; t = \"// nope\";\n"
                       "c = '\"'; d = '\\'';");
    check_classes(&t, "IOSOIOSOIOSOIOSO");
    assert_true(t.v[2].hash == h("\"/* not a comment */\""));
    assert_true(t.v[6].hash == h("\"// nope\""));
    assert_true(t.v[10].hash == h("'\"'"));
    assert_true(t.v[14].hash == h("'\\''"));
    lp_tokens_release(&t);
}

static void test_raw_strings(void **state)
{
    (void)state;
    struct lp_tokens t = lex(LP_LANG_CPP, "x = R\"d(a \")\" /* b)d\" ;");
    check_classes(&t, "IOSO");
    assert_true(t.v[2].hash == h("R\"d(a \")\" /* b)d\""));
    lp_tokens_release(&t);

    t = lex(LP_LANG_RUST, "r##\"a \"# b\"## y br\"c\" b'x' 'a' f<'a>");
    check_classes(&t, "SISSSIOIO");
    assert_true(t.v[0].hash == h("r##\"a \"# b\"##"));
    lp_tokens_release(&t);

    t = lex(LP_LANG_GO, "s := `a\n// b\\` y\nz");
    static const uint32_t go_lines[] = {1, 1, 1, 2, 3};
    check_classes(&t, "IOSII"); /* no escapes in Go raw: \\` closes it */
    check_lines(&t, go_lines, 5);
    lp_tokens_release(&t);

    t = lex(LP_LANG_PYTHON, "x = r'''a\n# b\n''' + f\"c#\" # d\ny");
    static const uint32_t py_lines[] = {1, 1, 1, 3, 3, 4};
    check_classes(&t, "IOSOSI");
    check_lines(&t, py_lines, 6);
    lp_tokens_release(&t);

    t = lex(LP_LANG_JS, "s = `a ${b} // c\n` + 1");
    check_classes(&t, "IOSON");
    lp_tokens_release(&t);

    t = lex(LP_LANG_CSHARP, "s = @\"a\\\"\" b\"; t = \"\"\"\nx\"\n\"\"\";");
    check_classes(&t, "IOSOIOSO");
    lp_tokens_release(&t);
}

static void test_line_continuation(void **state)
{
    (void)state;
    struct lp_tokens t =
        lex(LP_LANG_C, "#define X(a) \\\n  ((a) + 1)\nint y; // z \\\n w\n");
    static const uint32_t lines[] = {1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2,
                                     2, 3, 3, 3};
    check_classes(&t, "OKIOIOOOIOONOKIO");
    check_lines(&t, lines, 16);
    assert_int_equal(t.lines, 4);
    lp_tokens_release(&t);
    check_equiv(LP_LANG_C, "#define X \\\r\n 1\n", "#define X 1");
    check_equiv(LP_LANG_SHELL, "ls \\\n -l\n", "ls -l");
}

static void test_crlf(void **state)
{
    (void)state;
    const char *lf = "int main(void)\n{\n\treturn \"a\\\nb\";\n}\n";
    const char *crlf = "int main(void)\r\n{\r\n\treturn \"a\\\r\nb\";\r\n}\r\n";
    const char *cr = "int main(void)\r{\r\treturn \"a\\\rb\";\r}\r";
    struct lp_tokens a = lex(LP_LANG_C, lf), b = lex(LP_LANG_C, crlf),
                     c = lex(LP_LANG_C, cr);
    /* the string's bytes differ; every other token is the same */
    assert_int_equal(a.n, 10);
    assert_int_equal(b.n, 10);
    assert_int_equal(c.n, 10);
    for (size_t i = 0; i < a.n; i++) {
        assert_int_equal(a.v[i].line, b.v[i].line);
        assert_int_equal(a.v[i].line, c.v[i].line);
        if (a.v[i].cls != LP_TOK_STRING) {
            assert_true(a.v[i].hash == b.v[i].hash);
            assert_true(a.v[i].hash == c.v[i].hash);
        }
    }
    assert_int_equal(a.v[9].line, 5);
    assert_int_equal(a.lines, 5);
    assert_int_equal(b.lines, 5);
    assert_int_equal(c.lines, 5);
    lp_tokens_release(&a);
    lp_tokens_release(&b);
    lp_tokens_release(&c);
    check_equiv(LP_LANG_PYTHON, "def f():\r\n  return 1 # x\r\n",
                "def f():\n  return 1 # y\n");
    check_equiv(LP_LANG_MARKDOWN, "# Title\r\n\r\nSome text\r",
                "# Title\n\nSome text\n");
}

static void test_reformat(void **state)
{
    (void)state;
    check_equiv(LP_LANG_C, "int f(int x){return x+1;}",
                "int\nf (int x)\n{\n    return x + 1;\n}\n");
    check_equiv(LP_LANG_JAVA,
                "class A { void f() { if (a) { b(); } else { c(); } } }",
                "class A\n{\n  void f()\n  {\n    if (a)\n    {\n      b();\n"
                "    }\n    else\n    {\n      c();\n    }\n  }\n}\n");
    check_equiv(LP_LANG_GO, "x:=a<<=b", "x := a <<= b");
    check_equiv(LP_LANG_RUST, "fn f(){let x=1;}",
                "fn f() {\n    // c\n    let x = 1; /* d */\n}\n");
}

static void test_operators_numbers(void **state)
{
    (void)state;
    struct lp_tokens t = lex(LP_LANG_CPP,
                             "x = 0x1F'FF + 1.5e-3f; a->b <<= .5; i++; "
                             "a::b <=> c; ...");
    check_classes(&t, "IONONOIOIONOIOOIOIOIOO");
    assert_true(t.v[2].hash == h("0x1F'FF"));
    assert_true(t.v[4].hash == h("1.5e-3f"));
    assert_true(t.v[7].hash == h("->"));
    assert_true(t.v[9].hash == h("<<="));
    assert_true(t.v[10].hash == h(".5"));
    assert_true(t.v[18].hash == h("<=>"));
    assert_true(t.v[21].hash == h("..."));
    lp_tokens_release(&t);

    t = lex(LP_LANG_JS, "a >>>= b === c ?? d?.e");
    check_classes(&t, "IOIOIOIOI");
    assert_true(t.v[1].hash == h(">>>="));
    lp_tokens_release(&t);
}

static void test_identifiers(void **state)
{
    (void)state;
    struct lp_tokens t = lex(LP_LANG_JS, "caf\xc3\xa9 = $x_1 + \xff\xfe;");
    check_classes(&t, "IOIOIO");
    assert_true(t.v[0].hash == h("caf\xc3\xa9"));
    assert_true(t.v[2].hash == h("$x_1"));
    lp_tokens_release(&t);

    /* NUL bytes are layout, never the end of the input */
    t = lexn(LP_LANG_C, "a\0b", 3);
    check_classes(&t, "II");
    lp_tokens_release(&t);
}

static void test_shell(void **state)
{
    (void)state;
    struct lp_tokens t =
        lex(LP_LANG_SHELL, "echo $# ${#x} foo#bar # comment\nif [ x ]; then\n");
    check_classes(&t, "IIOOOIOIOIKOIOOK");
    assert_true(t.v[1].hash == h("$#"));
    assert_int_equal(t.v[10].line, 2);
    lp_tokens_release(&t);

    t = lex(LP_LANG_SHELL, "cat <<EOF\nit's # here\nEOF\necho 'a\nb' x\n");
    static const uint32_t lines[] = {1, 1, 1, 2, 4, 4, 5};
    check_classes(&t, "IOISISI");
    check_lines(&t, lines, 7);
    assert_true(t.v[3].hash == h("it's # here\nEOF"));
    lp_tokens_release(&t);

    t = lex(LP_LANG_PYTHON, "x = 1 # c 'q\ns = 'a#b' # d\n");
    check_classes(&t, "IONIOS");
    lp_tokens_release(&t);

    t = lex(LP_LANG_PERL, "my $n = $#a; # c\n");
    check_classes(&t, "KOIOIIO");
    lp_tokens_release(&t);
}

static void test_config_languages(void **state)
{
    (void)state;
    struct lp_tokens t = lex(LP_LANG_INI, "; comment\n[sec]\nkey = v # c\n");
    check_classes(&t, "OIOIOI");
    lp_tokens_release(&t);

    t = lex(LP_LANG_YAML, "url: http://x/#frag # c\n");
    check_classes(&t, "IOIOOIOOI"); /* url : http : // x / # frag */
    lp_tokens_release(&t);

    t = lex(LP_LANG_MAKE, "all: a.o # c\n\t$(CC) -o $@ $^\n");
    check_classes(&t, "IOIOIOOIOOIIOO");
    lp_tokens_release(&t);

    t = lex(LP_LANG_TOML, "a = \"\"\"x\n# y\"\"\" # z\n");
    check_classes(&t, "IOS");
    lp_tokens_release(&t);
}

static void test_prose(void **state)
{
    (void)state;
    struct lp_tokens t = lex(LP_LANG_TEXT, "Hello, WORLD!\nhello world 42");
    static const uint32_t lines[] = {1, 1, 2, 2, 2};
    check_classes(&t, "WWWWW");
    check_lines(&t, lines, 5);
    assert_true(t.v[0].hash == h("hello"));
    assert_true(t.v[1].hash == t.v[3].hash);
    lp_tokens_release(&t);

    t = lex(LP_LANG_MARKDOWN, "See [the Docs](http://example.com/x) "
                              "<b>now</b> <!-- hidden\ntext --> ok\n");
    static const uint32_t md_lines[] = {1, 1, 1, 1, 2};
    check_lines(&t, md_lines, 5);
    assert_true(t.v[2].hash == h("docs"));
    assert_true(t.v[3].hash == h("now"));
    assert_true(t.v[4].hash == h("ok"));
    lp_tokens_release(&t);

    t = lex(LP_LANG_MAN, ".TH FOO 1\n.SH NAME\n\\fBfoo\\fR \\- does "
                         "\\(emthings\\s-1x\\s0\n.\\\" comment here\nend\n");
    check_classes(&t, "WWWWWWWW");
    static const char *const want[] = {"foo", "1",      "name", "foo",
                                       "does", "things", "x",    "end"};
    for (size_t i = 0; i < 8; i++)
        assert_true(t.v[i].hash == h(want[i]));
    lp_tokens_release(&t);

    /* fuzz find: "\(" before a newline swallowed it, lines went wrong */
    t = lex(LP_LANG_MAN, "a \\(\nb \\(x\n");
    static const uint32_t man_lines[] = {1, 2};
    check_lines(&t, man_lines, 2);
    assert_int_equal(t.lines, 2);
    lp_tokens_release(&t);
}

/* The same words, whatever the markup and the line width. */
static void check_prose_equiv(enum lp_lang la, const char *x, enum lp_lang lb,
                              const char *y)
{
    struct lp_tokens a = lex(la, x), b = lex(lb, y);
    check_same_hashes(&a, &b);
    assert_true(a.n > 0);
    lp_tokens_release(&a);
    lp_tokens_release(&b);
}

static void test_prose_rewrap(void **state)
{
    (void)state;
    check_prose_equiv(LP_LANG_TEXT,
                      "The gateway keeps its signing key in the\n"
                      "hardware module and never exports it.\n",
                      LP_LANG_TEXT,
                      "The gateway keeps\nits signing key in\nthe hardware "
                      "module\nand never\nexports it.");
    check_prose_equiv(LP_LANG_RST,
                      "Setup\n=====\n\n.. note:: Keep the :ref:`gateway "
                      "key <gw-key>` secret.\n\n.. _gw-key: https://x.example/k\n"
                      "\n.. a comment line\n\nRun ``make   install``\n"
                      "   .. warning:: Indented directive.\n",
                      LP_LANG_TEXT,
                      "SETUP\n\nKeep the gateway key secret. Run make install.\n"
                      "Indented directive.\n");
    check_prose_equiv(LP_LANG_MARKDOWN,
                      "## Setup\n\n*Keep* the **gateway** key\n[secret]"
                      "(https://x.example/k), <em>always</em>.\n",
                      LP_LANG_TEXT, "Setup: keep the gateway key secret, always.");
    check_prose_equiv(LP_LANG_MAN,
                      ".SH SETUP\nKeep the\n.B gateway\nkey secret.\n",
                      LP_LANG_TEXT, "SETUP\n\nKeep the gateway key secret.\n");
}

static void test_unterminated(void **state)
{
    (void)state;
    struct lp_tokens t = lex(LP_LANG_C, "a = \"abc\nx");
    check_classes(&t, "IOSI");
    assert_int_equal(t.v[3].line, 2);
    lp_tokens_release(&t);

    t = lex(LP_LANG_C, "a /* abc\n\n");
    check_classes(&t, "I");
    assert_int_equal(t.lines, 2);
    lp_tokens_release(&t);

    t = lex(LP_LANG_CPP, "R\"x(abc\n)\" y");
    check_classes(&t, "S");
    lp_tokens_release(&t);

    t = lex(LP_LANG_PYTHON, "'''abc\ndef");
    check_classes(&t, "S");
    lp_tokens_release(&t);

    t = lex(LP_LANG_SHELL, "echo 'abc\ndef");
    check_classes(&t, "IS");
    lp_tokens_release(&t);

    t = lex(LP_LANG_SHELL, "cat <<EOF\nno end");
    check_classes(&t, "IOIS");
    lp_tokens_release(&t);

    t = lex(LP_LANG_MAN, "\\");
    assert_int_equal(t.n, 0);
    lp_tokens_release(&t);

    t = lex(LP_LANG_RUST, "r##\"x\"#");
    check_classes(&t, "S");
    lp_tokens_release(&t);
}

static void test_lines_and_long_tokens(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        uint32_t lines;
    } cases[] = {{"", 0},     {"a", 1},         {"a\n", 1},
                 {"a\n\n", 2}, {"a\r\nb", 2},    {"a\rb\r", 2},
                 {"\n", 1},   {"/*\n\n*/x", 3}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct lp_tokens t = lex(LP_LANG_C, cases[i].s);
        assert_int_equal(t.lines, cases[i].lines);
        lp_tokens_release(&t);
    }

    static char big[LP_MAX_TOKEN * 3];
    memset(big, 'a', sizeof big);
    struct lp_tokens t = lexn(LP_LANG_C, big, sizeof big);
    assert_int_equal(t.n, 1);
    assert_true(t.v[0].hash ==
                lp_hash64_seed(big, LP_MAX_TOKEN, sizeof big));
    lp_tokens_release(&t);

    memset(big, 'A', sizeof big);
    t = lexn(LP_LANG_TEXT, big, sizeof big);
    memset(big, 'a', sizeof big);
    assert_int_equal(t.n, 1);
    assert_true(t.v[0].hash ==
                lp_hash64_seed(big, LP_MAX_TOKEN, sizeof big));
    lp_tokens_release(&t);

    t = lex(LP_LANG_NONE, "int x;\n");
    assert_int_equal(t.n, 0);
    lp_tokens_release(&t);
}

/* Reusing one token array across calls replaces its contents. */
static void test_reuse(void **state)
{
    (void)state;
    struct lp_tokens t;
    lp_tokens_init(&t);
    assert_int_equal(lp_normalize(LP_LANG_C, "a b c", 5, &t), LP_OK);
    assert_int_equal(t.n, 3);
    assert_int_equal(lp_normalize(LP_LANG_PYTHON, "d", 1, &t), LP_OK);
    assert_int_equal(t.n, 1);
    assert_true(t.v[0].hash == h("d"));
    lp_tokens_release(&t);
    lp_tokens_release(NULL);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    static const enum lp_lang langs[] = {LP_LANG_C, LP_LANG_SHELL,
                                         LP_LANG_MARKDOWN};
    char src[4000];
    for (size_t i = 0; i < sizeof src; i++)
        src[i] = "ab c;\n"[i % 6];
    for (size_t l = 0; l < 3; l++) {
        lp_err err = LP_ENOMEM;
        long i;
        for (i = 0; err == LP_ENOMEM && i < 100; i++) {
            struct lp_tokens t;
            lp_tokens_init(&t);
            lp_mem_fail_after(i);
            err = lp_normalize(langs[l], src, sizeof src, &t);
            lp_mem_fail_after(-1);
            if (err == LP_ENOMEM)
                assert_int_equal(t.n, 0);
            lp_tokens_release(&t);
        }
        assert_int_equal(err, LP_OK);
        assert_true(i > 3); /* the array had to grow several times */
    }
}

/* The end of an identifier run, found 16 bytes at a time, is where the
 * class table says: every byte value, at every offset of a 16-byte step
 * and in the bytes left over one by one, stops a run or not exactly as
 * lp_lex_cc does. */
static void test_ident_run(void **state)
{
    (void)state;
    unsigned char buf[48];
    for (unsigned b = 0; b < 256; b++) {
        bool id = (lp_lex_cc[b] & (LP_CC_ID | LP_CC_DIG)) != 0;
        for (size_t at = 0; at < 40; at++) {
            memset(buf, 'x', sizeof buf);
            buf[at] = (unsigned char)b;
            buf[41] = ' ';
            const unsigned char *e = lp_lex_ident_run(buf, buf + sizeof buf);
            assert_int_equal(e - buf, id ? 41 : (long)at);
            /* an input that ends inside the run */
            e = lp_lex_ident_run(buf, buf + at + 1);
            assert_int_equal(e - buf, id ? (long)at + 1 : (long)at);
        }
    }
    assert_ptr_equal(lp_lex_ident_run(buf, buf), buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_c_comments),
        cmocka_unit_test(test_nested_comments),
        cmocka_unit_test(test_comment_like_strings),
        cmocka_unit_test(test_raw_strings),
        cmocka_unit_test(test_line_continuation),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_reformat),
        cmocka_unit_test(test_operators_numbers),
        cmocka_unit_test(test_identifiers),
        cmocka_unit_test(test_shell),
        cmocka_unit_test(test_config_languages),
        cmocka_unit_test(test_prose),
        cmocka_unit_test(test_prose_rewrap),
        cmocka_unit_test(test_unterminated),
        cmocka_unit_test(test_lines_and_long_tokens),
        cmocka_unit_test(test_reuse),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_ident_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
