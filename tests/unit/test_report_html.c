/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of the HTML report (report_html.c): the escaper's exact
 * output; a page of a small hostile result (names holding markup, quotes,
 * controls, bidirectional controls and invalid UTF-8) in which no input
 * string is markup; the sample's lines read again from disk, escaped,
 * capped with a note, hidden on a secret's line, and not shown when the
 * file on disk differs from the one scanned; --asset-root; 1005 files
 * (the closed <details>); listings and licence-only files; the secrets
 * page (masked, never a value); a failing FILE; each allocation failed in
 * turn.
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
#include "licence.h"
#include "listing.h"
#include "mem.h"
#include "report.h"
#include "result.h"
#include "rules.h"
#include "html_tags.h"
#include "testutil.h"

#include "banned.h"

/* lp_html_put() of the n bytes at s with flags, as a string. */
static char *escaped(const char *s, size_t n, unsigned flags)
{
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);
    assert_non_null(fp);
    lp_html_put(s, n, flags, fp);
    assert_int_equal(fclose(fp), 0);
    return out;
}

static void expect_escape(const char *in, size_t n, unsigned flags,
                          const char *want)
{
    char *got = escaped(in, n, flags);
    assert_string_equal(got, want);
    free(got);
}

static void test_escape(void **state)
{
    (void)state;
    const char *img = "<img src=x onerror=alert(1)>.c";
    expect_escape(img, strlen(img), 0, "&lt;img src=x onerror=alert(1)&gt;.c");
    expect_escape("a&b\"c'd", 7, 0, "a&amp;b&quot;c&#39;d");
    expect_escape("</script><script>", 17, 0, "&lt;/script&gt;&lt;script&gt;");
    expect_escape("&lt;", 4, 0, "&amp;lt;"); // an entity stays text
    /* as in text (docs/ENCODING.md): controls, bytes of no UTF-8, bidi
     * controls, separators, backslashes */
    expect_escape("a\nb\tc\x1b[31m\x7f", 11, 0, "a\\x0ab\\x09c\\x1b[31m\\x7f");
    expect_escape("bad\xc3(.c", 7, 0, "bad\\xc3(.c");
    expect_escape("r\xe2\x80\xaeing.c", 9, 0, "r\\u202eing.c");
    expect_escape("\xe2\x80\xa8|\xc2\x85", 6, 0, "\\u2028|\\u0085");
    expect_escape("back\\xc3", 8, 0, "back\\\\xc3");
    expect_escape("nul\0x", 5, 0, "nul\\x00x");
    expect_escape("caf\xc3\xa9 \xe6\x97\xa5", 9, 0, "caf\xc3\xa9 \xe6\x97\xa5");
    expect_escape("\xf0\x9f\x98\x80", 4, 0, "\xf0\x9f\x98\x80");
    expect_escape("\xed\xa0\x80", 3, 0, "\\xed\\xa0\\x80"); // a surrogate
    expect_escape("\xf0\x9f\x98", 3, 0, "\\xf0\\x9f\\x98"); // cut short
    expect_escape("", 0, 0, "");
    /* a line of a file: tabs and backslashes kept, escapes marked up */
    expect_escape("\tif (c == '\\n') x = a<b;", 24, LP_HTML_LINE,
                  "\tif (c == &#39;\\n&#39;) x = a&lt;b;");
    expect_escape("x\x01y\xffz\xe2\x80\xae", 8, LP_HTML_LINE,
                  "x<span class=\"esc\">\\x01</span>y<span class=\"esc\">"
                  "\\xff</span>z<span class=\"esc\">\\u202e</span>");
}

#define SECRET_LINE "password = \"hunter2-not-real-zzzz\""

/* A scan of two files: a hostile name (a matched file whose lines are on
 * disk at `path` unless NULL), and a listing-free second match; a
 * collection with a quote in its name, two versions, two directories
 * (one hostile), a skipped input, a secret on line 4 of the first file. */
static struct lp_scan *small_scan(const char *path, const char *content)
{
    struct lp_scan *s = lp_result_new();
    assert_non_null(s);
    lp_free(s->registry_path);
    s->registry_path = tu_strdup("reg<1>.db");
    s->nassets = 12;
    s->collections = tu_calloc(1, sizeof *s->collections);
    s->collections[0].name = tu_strdup("core\"x");
    s->ncollections = 1;
    s->versions = tu_calloc(2, sizeof *s->versions);
    s->versions[0] = (struct lp_res_version){tu_strdup("v1<b>"), 1704880800, 0};
    s->versions[1] = (struct lp_res_version){tu_strdup("v2"), 1714644000, 0};
    s->nversions = 2;
    s->rules = tu_calloc(1, sizeof *s->rules);
    s->rules[0].id = tu_strdup("password<i>");
    s->rules[0].format = tu_strdup("password assignment");
    s->rules[0].category = tu_strdup("generic-secret");
    s->rules[0].flags = LP_RULE_GENERIC;
    s->nrules = 1;
    s->secrets_mode = LP_SECRETS_ALSO;
    s->nsecrets = 1;

    s->files = tu_calloc(2, sizeof *s->files);
    s->nfiles = 2;
    struct lp_file_result *f = &s->files[0];
    f->path = tu_strdup(path ? path : "<img src=x onerror=alert(1)>.c");
    f->kind = LP_KIND_CODE;
    f->size = content ? strlen(content) : 10;
    if (content)
        assert_int_equal(lp_sha256(content, f->size, f->sha), LP_OK);
    f->matches = tu_calloc(1, sizeof *f->matches);
    f->nmatches = 1;
    struct lp_match *m = &f->matches[0];
    *m = (struct lp_match){.collection = 0,
                           .version = 1,
                           .asset = tu_strdup("src/\xe2\x80\xae<x>.c"),
                           .similarity = 0.9,
                           .coverage = 0.5,
                           .nfp = 9,
                           .evidence = 9};
    m->spans = tu_calloc(1, sizeof *m->spans);
    m->spans[0] =
        (struct lp_span){{2, 5}, {12, 15}, 9, 9, LP_HOW_RENAMED, {0, 0}};
    m->nspans = 1;
    f->secrets = tu_calloc(1, sizeof *f->secrets);
    f->nsecrets = 1;
    f->secrets[0].line = 4;
    f->secrets[0].column = 1;
    f->secrets[0].lines = 1;
    snprintf(f->secrets[0].masked, sizeof f->secrets[0].masked, "********");
    memset(f->secrets[0].fp, 'a', 64);

    f = &s->files[1];
    f->path = tu_strdup("b.c");
    f->kind = LP_KIND_CODE;
    f->size = 5;
    f->matches = tu_calloc(1, sizeof *f->matches);
    f->nmatches = 1;
    *(&f->matches[0]) = (struct lp_match){.collection = 0,
                                          .version = 0,
                                          .asset = tu_strdup("b.c"),
                                          .similarity = 1,
                                          .coverage = 1,
                                          .nfp = 30,
                                          .evidence = 30,
                                          .exact = true};
    s->files_matched = 2;

    s->scope = tu_calloc(1, sizeof *s->scope);
    s->nscope = 1;
    struct lp_scope *sc = &s->scope[0];
    sc->assets_matched = 2;
    sc->assets_total = 10;
    sc->bytes_matched = 300;
    sc->bytes_total = 1000;
    sc->coverage = 0.3;
    sc->best_version = 1;
    sc->consistent = tu_calloc(2, sizeof *sc->consistent);
    sc->consistent[0] = 0;
    sc->consistent[1] = 1;
    sc->nconsistent = 2;
    sc->dirs = tu_calloc(2, sizeof *sc->dirs);
    sc->dirs[0] = (struct lp_dir_share){tu_strdup("src/<svg onload=x>"), 2, 6};
    sc->dirs[1] = (struct lp_dir_share){tu_strdup("."), 0, 4};
    sc->ndirs = 2;

    s->skips = tu_calloc(1, sizeof *s->skips);
    s->skips[0].path = tu_strdup("x.zip!<script>alert(1)</script>");
    s->skips[0].reason = tu_strdup("encrypted & 'locked'");
    s->nskips = 1;
    s->level = LP_LEVEL_CONFIRMED;
    s->confidence = 0.9;
    snprintf(s->summary, sizeof s->summary, "2 of 2 files come from 'core\"x'");
    return s;
}

static const struct lp_html_options fixed = {
    .command = "leakprint scan --format html <dir>",
    .date = 1765000000,
};

static char *render(const struct lp_scan *s, const struct lp_html_options *o,
                    lp_err *err)
{
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);
    assert_non_null(fp);
    *err = lp_report_html(s, o, fp);
    assert_int_equal(fclose(fp), 0);
    return out;
}

static char *render_ok(const struct lp_scan *s, const struct lp_html_options *o)
{
    lp_err err;
    char *out = render(s, o, &err);
    assert_int_equal(err, LP_OK);
    return out;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

/* Every '<' of the page starts a tag of the writer's own. */
static void expect_only_own_tags(const char *page)
{
    const char *bad = tu_html_foreign_tag(page, NULL);
    if (bad)
        print_error("unexpected tag at: %.40s\n", bad);
    assert_null(bad);
}

static void test_page(void **state)
{
    (void)state;
    struct lp_scan *s = small_scan(NULL, NULL);
    char *page = render_ok(s, &fixed);
    expect_only_own_tags(page);
    assert_int_equal(count(page, "<script>"), 1); // the writer's own
    assert_int_equal(count(page, "<img"), 0);
    assert_non_null(strstr(page, "<meta http-equiv=\"Content-Security-Policy\" "
                                 "content=\"default-src 'none'; style-src "
                                 "'unsafe-inline'; script-src "
                                 "'unsafe-inline'; img-src data:\">"));
    /* the order of the issue: verdict, scope and its charts, files,
     * evidence, secrets, skipped, footer */
    const char *order[] = {
        "id=\"verdict\"",    "id=\"coverage-0\"",  "id=\"directories-0\"",
        "id=\"timeline-0\"", "id=\"files-table\"", "id=\"evidence\"",
        "id=\"secrets\"",    "id=\"skipped\"",     "id=\"footer\""};
    const char *at = page;
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        const char *p = strstr(at, order[i]);
        if (!p)
            print_error("%s missing or out of order\n", order[i]);
        assert_non_null(p);
        at = p;
    }
    assert_non_null(strstr(page, "class=\"verdict v-confirmed\""));
    assert_non_null(strstr(page, "<p id=\"summary\">2 of 2 files come from "
                                 "&#39;core&quot;x&#39;</p>"));
    /* sorted by evidence: b.c (30) before the hostile name (9) */
    assert_non_null(strstr(page,
                           "<a href=\"#f-1\">b.c</a></td><td>code</td><td "
                           "class=\"path\">core&quot;x:b.c</td><td>v1&lt;b&gt;"
                           "</td><td class=\"n\" data-v=\"1.0000\">1.00</td>"));
    assert_true(strstr(page, "href=\"#f-1\"") < strstr(page, "href=\"#f-0\""));
    assert_non_null(strstr(page, "<a href=\"#f-0\">&lt;img src=x onerror="
                                 "alert(1)&gt;.c</a>"));
    assert_non_null(strstr(page, "core&quot;x:src/\\u202e&lt;x&gt;.c"));
    assert_non_null(strstr(page, "<title>src/&lt;svg onload=x&gt;</title>"
                                 "src/&lt;svg onload=x&gt;</text>"));
    assert_non_null(strstr(page, "<td>2&ndash;5</td><td>12&ndash;15</td><td "
                                 "class=\"how-renamed\">renamed</td>"));
    assert_non_null(strstr(page, "<td class=\"path\">x.zip!&lt;script&gt;"
                                 "alert(1)&lt;/script&gt;</td><td>encrypted "
                                 "&amp; &#39;locked&#39;</td>"));
    assert_non_null(strstr(page, "<td>password&lt;i&gt;</td><td>generic-secret"
                                 "</td><td class=\"path\">********</td>"));
    assert_non_null(strstr(page, "registry <span class=\"path\">reg&lt;1&gt;.db"
                                 "</span> (1 collections, 12 paths) &middot; "
                                 "<time>2025-12-06T05:46:40Z</time>"));
    assert_non_null(strstr(page, "<code class=\"path\">leakprint scan --format "
                                 "html &lt;dir&gt;</code>"));
    assert_non_null(strstr(page, "best: v2</text>"));
    assert_non_null(strstr(page, ">2 registered versions<"));
    /* neither file is on disk: the note says why no line is shown */
    assert_non_null(strstr(page, "The lines of 1 files are not shown"));
    free(page);
    lp_scan_free(s);
}

/* Lines 1-7 of a file on disk: a span 2-5 shows lines 1-7 (two lines of
 * context each side, as far as the file goes), highlighted 2-5, escaped;
 * the secret's line 4 is not shown. */
static const char content[] =
    "one\n<script>alert(1)</script>\n\tx = a & b;\n" SECRET_LINE
    "\nbad \xff byte\r\nsix\nseven";

static char *write_temp(char *path)
{
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, content, strlen(content)),
                     (ssize_t)strlen(content));
    close(fd);
    return path;
}

static void test_lines(void **state)
{
    (void)state;
    char path[] = "/tmp/test_report_html.XXXXXX";
    struct lp_scan *s = small_scan(write_temp(path), content);
    char *page = render_ok(s, &fixed);
    const char *want =
        "<pre class=\"lines\" data-span=\"0\"><span class=\"ln\">     1 "
        "</span>one\n<span class=\"hl\"><span class=\"ln\">     2 </span>"
        "&lt;script&gt;alert(1)&lt;/script&gt;\n</span><span class=\"hl\">"
        "<span class=\"ln\">     3 </span>\tx = a &amp; b;\n</span><span "
        "class=\"hl\"><span class=\"ln\">     4 </span><i>(a secret was "
        "found on this line: not shown)</i>\n</span><span class=\"hl\"><span "
        "class=\"ln\">     5 </span>bad <span class=\"esc\">\\xff</span> "
        "byte\n</span><span class=\"ln\">     6 </span>six\n<span "
        "class=\"ln\">     7 </span>seven\n</pre>\n";
    if (!strstr(page, want))
        print_error("%s\n", page);
    assert_non_null(strstr(page, want));
    assert_null(strstr(page, "hunter2"));
    assert_null(strstr(page, "lines-note"));
    expect_only_own_tags(page);
    free(page);

    /* capped per file: 3 lines, and a note on the 4 left out */
    struct lp_html_options o = fixed;
    o.max_file_lines = 3;
    page = render_ok(s, &o);
    assert_int_equal(count(page, "<span class=\"ln\">"), 3);
    assert_non_null(strstr(page, "4 more lines of this file not shown"));
    assert_non_null(strstr(page, "Sample lines left out for the caps (20000 "
                                 "in all, 3 per file): 4 lines of 1 files "
                                 "shown in part; the lines of 0 more files "
                                 "not shown, the total reached. </p>"));
    free(page);
    /* in all: 2 lines */
    o = fixed;
    o.max_lines = 2;
    page = render_ok(s, &o);
    assert_int_equal(count(page, "<span class=\"ln\">"), 2);
    assert_non_null(strstr(page, "(2 in all, 200 per file): 5 lines of 1 "
                                 "files shown in part;"));
    free(page);
    /* none */
    o = fixed;
    o.no_lines = 1;
    page = render_ok(s, &o);
    assert_int_equal(count(page, "<span class=\"ln\">"), 0);
    free(page);

    /* the file changed since the scan: its lines are not shown */
    s->files[0].sha[0] ^= 1;
    page = render_ok(s, &fixed);
    assert_int_equal(count(page, "<span class=\"ln\">"), 0);
    assert_non_null(strstr(page, "The lines of 1 files are not shown"));
    free(page);
    unlink(path);
    lp_scan_free(s);
}

/* --asset-root: the asset's lines beside the sample's, read from the
 * collection's checkout; not when the span holds a secret, nor for an
 * asset path that leaves the checkout. */
static void test_asset_root(void **state)
{
    (void)state;
    char path[] = "/tmp/test_report_html.XXXXXX";
    char dir[] = "/tmp/test_report_html_root.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char asset[sizeof dir + 8];
    snprintf(asset, sizeof asset, "%s/a.c", dir);
    FILE *af = fopen(asset, "w");
    assert_non_null(af);
    fputs("// asset 1\n// asset <2>\n// asset 3\n", af);
    fclose(af);
    struct lp_scan *s = small_scan(write_temp(path), content);
    lp_free(s->files[0].matches[0].asset);
    s->files[0].matches[0].asset = tu_strdup("a.c");
    s->files[0].matches[0].spans[0].asset_lines[0] = 2;
    s->files[0].matches[0].spans[0].asset_lines[1] = 2;
    struct lp_html_root root = {"core\"x", dir};
    struct lp_html_options o = fixed;
    o.roots = &root;
    o.nroots = 1;
    /* the span holds the secret of line 4: the asset's lines are not shown */
    char *page = render_ok(s, &o);
    assert_non_null(strstr(page, "The asset's lines of 1 spans are not "
                                 "shown: the sample's hold a secret."));
    assert_null(strstr(page, "asset &lt;2&gt;"));
    free(page);
    s->secrets_mode = LP_SECRETS_OFF;
    page = render_ok(s, &o);
    expect_only_own_tags(page);
    char want[512];
    snprintf(
        want, sizeof want,
        "<div><p class=\"cap\">asset <span class=\"path\">%s</span>, "
        "lines 2&ndash;2</p><pre class=\"lines asset\" data-span=\"0\">"
        "<span class=\"ln\">     1 </span>// asset 1\n<span class=\"hl\">"
        "<span class=\"ln\">     2 </span>// asset &lt;2&gt;\n</span>"
        "<span class=\"ln\">     3 </span>// asset 3\n</pre>\n</div></div>",
        asset);
    if (!strstr(page, want))
        print_error("%s\n", page);
    assert_non_null(strstr(page, want));
    assert_non_null(strstr(page, "<div class=\"side\"><div><p class=\"cap\">"
                                 "sample, lines 2&ndash;5</p><pre "
                                 "class=\"lines\" data-span=\"0\">"));
    free(page);
    /* an asset path out of the checkout is not read */
    lp_free(s->files[0].matches[0].asset);
    s->files[0].matches[0].asset = tu_strdup("../x/a.c");
    page = render_ok(s, &o);
    assert_null(strstr(page, "class=\"side\""));
    free(page);
    unlink(asset);
    rmdir(dir);
    unlink(path);
    lp_scan_free(s);
}

static void test_secrets_page(void **state)
{
    (void)state;
    struct lp_scan *s = small_scan(NULL, NULL);
    s->secrets_mode = LP_SECRETS_ONLY;
    char *page = render_ok(s, &fixed);
    expect_only_own_tags(page);
    assert_non_null(strstr(page, "<h1>Secrets: <span id=\"level\">1 found"
                                 "</span></h1>"));
    assert_non_null(strstr(page, "<tr><td>generic-secret</td><td>medium</td>"
                                 "<td class=\"n\" data-v=\"1\">1</td></tr>"));
    assert_non_null(strstr(page, "<td class=\"path\">********</td><td>medium"
                                 "</td><td>no</td><td>&ndash;</td>"));
    assert_null(strstr(page, "id=\"files-table\""));
    assert_non_null(strstr(page, "id=\"footer\""));
    free(page);
    lp_scan_free(s);
}

/* 1005 matched files: the first 1000 rows and 200 files of evidence are
 * laid out when the page opens, the rest in a closed <details>, still in
 * the page; each file's row once, each file's evidence once. */
static void test_many_files(void **state)
{
    (void)state;
    struct lp_scan *s = small_scan(NULL, NULL);
    size_t n = 1005;
    struct lp_file_result *files = tu_calloc(n, sizeof *files);
    memcpy(files, s->files, 2 * sizeof *files);
    lp_free(s->files);
    s->files = files;
    for (size_t i = 2; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "many/%04zu.c", i);
        files[i].path = tu_strdup(name);
        files[i].kind = LP_KIND_CODE;
        files[i].matches = tu_calloc(1, sizeof *files[i].matches);
        files[i].nmatches = 1;
        files[i].matches[0] = (struct lp_match){
            .asset = tu_strdup(name),
            .similarity = 1,
            .coverage = 1,
            .evidence = (double)(2000 - i)}; // walk order is evidence order
    }
    s->nfiles = n;
    s->files_matched = n;
    char *page = render_ok(s, &fixed);
    expect_only_own_tags(page);
    assert_int_equal(count(page, "<a href=\"#f-"), n);
    assert_int_equal(count(page, "<div class=\"file\" id=\"f-"), n);
    assert_int_equal(count(page, "<details class=\"more\">"), 2);
    const char *more = strstr(page, "<details class=\"more\"><summary>5 more "
                                    "files</summary>");
    assert_non_null(more);
    /* the 1000th row before, the 1001st after */
    assert_true(strstr(page, ">many/1001.c</a>") < more);
    assert_true(strstr(page, ">many/1002.c</a>") > more);
    more = strstr(page, "<details class=\"more\"><summary>the evidence of 805 "
                        "more files</summary>");
    assert_non_null(more);
    assert_true(strstr(page, "id=\"f-201\"") < more);
    assert_true(strstr(page, "id=\"f-202\"") > more);
    free(page);
    lp_scan_free(s);
}

/* A file listing that names registered paths, and a file of licence text
 * only: each in its section, names escaped. */
static void test_listing_licence(void **state)
{
    (void)state;
    struct lp_scan *s = small_scan(NULL, NULL);
    struct lp_file_result *files = tu_calloc(4, sizeof *files);
    memcpy(files, s->files, 2 * sizeof *files);
    lp_free(s->files);
    s->files = files;
    s->nfiles = 4;
    struct lp_file_result *f = &files[2];
    f->path = tu_strdup("tree<1>.txt");
    f->kind = LP_KIND_LISTING;
    f->listing_format = LP_LISTING_FIND;
    f->listing_files = 30;
    f->listing = tu_calloc(1, sizeof *f->listing);
    f->listing->hits = tu_calloc(1, sizeof *f->listing->hits);
    f->listing->nhits = 1;
    struct lp_listing_hit *x = &f->listing->hits[0];
    x->registered = 25;
    x->total = 300;
    x->by_size = 5;
    x->by_sha256 = 2;
    x->listing_root = tu_strdup("");
    x->registry_root = tu_strdup("");
    f = &files[3];
    f->path = tu_strdup("COPYING&.txt");
    f->kind = LP_KIND_PROSE;
    f->licence = 1;
    f->licence_nfp = 70;
    char *page = render_ok(s, &fixed);
    expect_only_own_tags(page);
    assert_non_null(strstr(page, "<tr><td class=\"path\">tree&lt;1&gt;.txt"
                                 "</td><td>find</td><td>core&quot;x</td><td "
                                 "class=\"n\">25</td><td class=\"n\">300"
                                 "</td><td class=\"n\">5</td><td class=\"n\">"
                                 "2</td><td class=\"n\">0</td></tr>"));
    char want[128];
    snprintf(want, sizeof want,
             "<li><span class=\"path\">COPYING&amp;.txt</span>: %s, 70 "
             "fingerprints</li>",
             lp_licence_name(1));
    assert_non_null(strstr(page, want));
    assert_true(strstr(page, "id=\"evidence\"") <
                strstr(page, "id=\"listings\""));
    assert_true(strstr(page, "id=\"listings\"") <
                strstr(page, "id=\"licence-only\""));
    assert_true(strstr(page, "id=\"licence-only\"") <
                strstr(page, "id=\"secrets\""));
    free(page);
    lp_scan_free(s);
}

static void test_write_error(void **state)
{
    (void)state;
    struct lp_scan *s = small_scan(NULL, NULL);
    for (int mode = 0; mode < 2; mode++) {
        s->secrets_mode = mode ? LP_SECRETS_ONLY : LP_SECRETS_ALSO;
        FILE *fp = fopen("/dev/full", "w");
        assert_non_null(fp);
        assert_int_equal(setvbuf(fp, NULL, _IONBF, 0), 0);
        assert_int_equal(lp_report_html(s, &fixed, fp), LP_EIO);
        fclose(fp);
    }
    lp_scan_free(s);
}

/* Each allocation failed in turn: LP_ENOMEM, or the same page. */
static void test_alloc_failures(void **state)
{
    (void)state;
    char path[] = "/tmp/test_report_html.XXXXXX";
    struct lp_scan *s = small_scan(write_temp(path), content);
    char *want = render_ok(s, &fixed);
    lp_err err = LP_ENOMEM;
    long i;
    for (i = 0; err == LP_ENOMEM; i++) {
        lp_mem_fail_after(i);
        char *got = render(s, &fixed, &err);
        lp_mem_fail_after(-1);
        if (err != LP_ENOMEM) {
            assert_int_equal(err, LP_OK);
            assert_string_equal(got, want);
        }
        free(got);
    }
    assert_true(i > 2); // the order, the file's bytes, its line index
    free(want);
    unlink(path);
    lp_scan_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_page),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_asset_root),
        cmocka_unit_test(test_secrets_page),
        cmocka_unit_test(test_many_files),
        cmocka_unit_test(test_listing_licence),
        cmocka_unit_test(test_write_error),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
