/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of extract (cmocka): detection of each format, the exact text
 * and page map of small documents built here (a hand-written two-page PDF,
 * zips written in memory with libarchive, HTML and RTF strings), and the
 * hostile cases: truncated and encrypted PDFs, missing and oversized zip
 * parts, an entity bomb, deeply nested RTF groups, the text and page caps,
 * and an allocation-failure sweep. With LP_WRITE_SEEDS=<dir> set, the
 * documents are also written to <dir>/extract_pdf and <dir>/extract_xml
 * as fuzzing seeds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>

#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>

#include "extract.h"
#include "mem.h"

#include "banned.h"

/* ---- building inputs ---- */

struct blob {
    unsigned char b[1 << 16];
    size_t len;
};

/* Writes a seed for the fuzzers when LP_WRITE_SEEDS names a directory; the
 * XML harness takes a first byte selecting the format. */
static void seed(const char *target, const char *name, int sel,
                 const unsigned char *b, size_t len)
{
    const char *dir = getenv("LP_WRITE_SEEDS");
    char path[512];
    if (!dir)
        return;
    snprintf(path, sizeof path, "%s/%s/%s", dir, target, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (sel >= 0)
        fputc(sel, f);
    assert_int_equal(fwrite(b, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* A PDF from the content streams of its pages (Helvetica as F1), with a
 * correct xref table. */
static void make_pdf(struct blob *o, const char *const *pages, int n)
{
    size_t off[16];
    int nobj = 2 + 2 * n + 1, font = nobj;
    char *p = (char *)o->b;
    size_t cap = sizeof o->b, len = 0;
#define ADD(...) (len += (size_t)snprintf(p + len, cap - len, __VA_ARGS__))
    ADD("%%PDF-1.4\n");
    off[1] = len;
    ADD("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    off[2] = len;
    ADD("2 0 obj\n<< /Type /Pages /Count %d /Kids [", n);
    for (int i = 0; i < n; i++)
        ADD(" %d 0 R", 3 + 2 * i);
    ADD(" ] >>\nendobj\n");
    for (int i = 0; i < n; i++) {
        int pg = 3 + 2 * i;
        off[pg] = len;
        ADD("%d 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300]"
            " /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>\n"
            "endobj\n",
            pg, font, pg + 1);
        off[pg + 1] = len;
        ADD("%d 0 obj\n<< /Length %zu >>\nstream\n%s\nendstream\nendobj\n",
            pg + 1, strlen(pages[i]), pages[i]);
    }
    off[font] = len;
    ADD("%d 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\n"
        "endobj\n",
        font);
    size_t xref = len;
    ADD("xref\n0 %d\n0000000000 65535 f \n", nobj + 1);
    for (int i = 1; i <= nobj; i++)
        ADD("%010zu 00000 n \n", off[i]);
    ADD("trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
        nobj + 1, xref);
#undef ADD
    assert_true(len < cap);
    o->len = len;
}

struct part {
    const char *name, *data;
};

/* A zip of the parts, in that order; with `store_first` the first part is
 * stored, as ODF's mimetype must be. */
static void make_zip(struct blob *o, const struct part *parts, size_t n,
                     int store_first)
{
    struct archive *a = archive_write_new();
    struct archive_entry *e = archive_entry_new();
    assert_non_null(a);
    assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
    assert_int_equal(archive_write_open_memory(a, o->b, sizeof o->b, &o->len),
                     ARCHIVE_OK);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(parts[i].data);
        if (i == 0 && store_first)
            archive_write_zip_set_compression_store(a);
        else
            archive_write_zip_set_compression_deflate(a);
        archive_entry_clear(e);
        archive_entry_set_pathname(e, parts[i].name);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, (la_int64_t)len);
        assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
        assert_int_equal(archive_write_data(a, parts[i].data, len),
                         (la_ssize_t)len);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    archive_entry_free(e);
}

#define CT "[Content_Types].xml"
#define CT_XML "<?xml version=\"1.0\"?><Types/>"
#define W_NS                                                                   \
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
#define A_NS "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\""
#define T_NS "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\""
#define O_NS "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""
#define D_NS "xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\""

static const char docx_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:document " W_NS "><w:body>\n"
    "<w:p><w:pPr><w:pStyle w:val=\"Title\"/></w:pPr>"
    "<w:r><w:t>Install</w:t></w:r><w:r><w:t xml:space=\"preserve\">ation "
    "Guide</w:t></w:r></w:p>\n"
    "<w:p><w:r><w:t>Step</w:t><w:tab/><w:t>one</w:t><w:br/>"
    "<w:t>caf\xC3\xA9 &amp; more</w:t></w:r>"
    "<w:r><w:instrText>PAGE</w:instrText></w:r></w:p>\n"
    "<w:p/><w:p><w:r><w:t>  End.  </w:t></w:r></w:p>\n"
    "</w:body></w:document>\n";

static void make_docx(struct blob *o, const char *xml)
{
    const struct part p[] = {
        {CT, CT_XML},
        {"_rels/.rels", "<Relationships/>"},
        {"word/document.xml", xml},
    };
    make_zip(o, p, 3, 0);
}

static const char *slide(const char *text)
{
    static char buf[4][512];
    static int k;
    char *b = buf[k++ % 4];
    snprintf(b, sizeof buf[0],
             "<p:sld xmlns:p=\"http://schemas.openxmlformats.org/"
             "presentationml/2006/main\" " A_NS "><p:cSld><p:spTree><p:sp>"
             "<p:txBody>%s</p:txBody></p:sp></p:spTree></p:cSld></p:sld>",
             text);
    return b;
}

static void make_pptx(struct blob *o)
{
    const struct part p[] = {
        {CT, CT_XML},
        {"ppt/presentation.xml", "<p/>"},
        {"ppt/slides/slide2.xml", slide("<a:p><a:r><a:t>Second</a:t></a:r>"
                                        "</a:p>")},
        {"ppt/slides/slide10.xml", slide("<a:p><a:r><a:t>Tenth</a:t>"
                                         "</a:r><a:br/><a:r><a:t>slide"
                                         "</a:t></a:r></a:p>")},
        {"ppt/slides/_rels/slide1.xml.rels", "<Relationships/>"},
        {"ppt/slides/slide1.xml", slide("<a:p><a:r><a:t>First</a:t></a:r>"
                                        "</a:p><a:p><a:r><a:t>title</a:t>"
                                        "</a:r></a:p>")},
    };
    make_zip(o, p, sizeof p / sizeof *p, 0);
}

static const char odt_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<office:document-content " O_NS " " T_NS "><office:body><office:text>"
    "<text:h>Chapter 1</text:h>"
    "<text:p>Hello<text:s/>there, <text:span>spanned</text:span>"
    "<text:line-break/>next<text:tab/>line</text:p>"
    "<text:tracked-changes><text:p>deleted</text:p></text:tracked-changes>"
    "<text:list><text:list-item><text:p>Item</text:p></text:list-item>"
    "</text:list>"
    "</office:text></office:body></office:document-content>";

static void make_odf(struct blob *o, const char *mime, const char *content)
{
    const struct part p[] = {
        {"mimetype", mime},
        {"META-INF/manifest.xml", "<manifest/>"},
        {"content.xml", content},
    };
    make_zip(o, p, 3, 1);
}

static const char odp_xml[] =
    "<office:document-content " O_NS " " T_NS " " D_NS "><office:body>"
    "<office:presentation>"
    "<draw:page><draw:frame><draw:text-box><text:p>One</text:p>"
    "</draw:text-box></draw:frame></draw:page>"
    "<draw:page/>"
    "<draw:page><draw:frame><draw:text-box><text:p>Three</text:p>"
    "<text:p>more</text:p></draw:text-box></draw:frame></draw:page>"
    "</office:presentation></office:body></office:document-content>";

static const char xlsx_xml[] =
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<si><t>Cell one</t></si>"
    "<si><r><t>Rich</t></r><r><t xml:space=\"preserve\"> text</t></r>"
    "<rPh><t>phonetic</t></rPh></si></sst>";

static const char html_doc[] =
    "<!DOCTYPE html>\n<html><head><title>T</title>"
    "<style>p { color: red }</style></head>\n"
    "<body><h1>Manual</h1>\n<p>First   paragraph\nwraps &amp; "
    "<b>bold</b>.</p><script>var x = 1;</script>\n"
    "<ul><li>one</li><li>two<br>lines</li></ul>\n"
    "<pre>code  line 1\ncode line 2\n</pre>"
    "<div>caf\xC3\xA9</div></body></html>\n";

static const char rtf_doc[] =
    "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Helvetica;}}"
    "{\\colortbl;\\red0\\green0\\blue0;}"
    "{\\*\\generator Writer 1.0;}{\\info{\\title Secret}}\n"
    "\\f0\\fs24 Hello {\\b bold} world\\par\n"
    "Caf\\'e9\\tab x\\line next \\u8212?dash\\par\n"
    "{\\uc2\\u8364\\'80\\'80 euro}\\par\n"
    "{\\field{\\*\\fldinst HYPERLINK \"x\"}{\\fldrslt link}}\\par}";

/* ---- checks ---- */

static lp_err extract(enum lp_doc d, const void *b, size_t len,
                      const struct lp_doc_limits *lim, struct lp_doc_text *t,
                      char *err, size_t errlen)
{
    lp_doc_text_init(t);
    return lp_doc_extract(d, b, len, lim, t, err, errlen);
}

static void expect(enum lp_doc d, const void *b, size_t len, const char *want,
                   const uint32_t *pages, size_t npages)
{
    struct lp_doc_text t;
    char err[256];
    lp_err e = extract(d, b, len, NULL, &t, err, sizeof err);
    if (e != LP_OK)
        fail_msg("%s: %s (%s)", lp_doc_name(d), lp_strerror(e), err);
    if (strcmp(t.text, want) != 0)
        fail_msg("%s: got \"%s\"", lp_doc_name(d), t.text);
    assert_int_equal(t.len, strlen(want));
    assert_int_equal(t.npages, npages);
    for (size_t i = 0; i < npages; i++)
        if (t.page_line[i] != pages[i])
            fail_msg("%s: page %zu at line %u, want %u", lp_doc_name(d), i + 1,
                     t.page_line[i], pages[i]);
    lp_doc_text_release(&t);
}

static void expect_err(enum lp_doc d, const void *b, size_t len,
                       const struct lp_doc_limits *lim, lp_err want,
                       const char *reason)
{
    struct lp_doc_text t;
    char err[256];
    lp_err e = extract(d, b, len, lim, &t, err, sizeof err);
    assert_int_equal(e, want);
    /* a reason ending in ": " is a prefix of a message from a library */
    size_t n = strlen(reason);
    if (n >= 2 && strcmp(reason + n - 2, ": ") == 0) {
        assert_memory_equal(err, reason, n);
        assert_true(strlen(err) > n);
    } else {
        assert_string_equal(err, reason);
    }
    assert_non_null(t.text);
    lp_doc_text_release(&t);
}

/* ---- tests ---- */

static const char *const pdf_pages[] = {
    "BT /F1 12 Tf 20 250 Td (Hello World) Tj 0 -14 Td (Second line) Tj ET\n"
    "BT /F1 12 Tf 20 100 Td (Far below) Tj ET",
    "BT /F1 12 Tf 20 250 Td [(Page) -600 (two)] TJ ET",
};

static void test_pdf(void **state)
{
    (void)state;
    static struct blob b;
    static const uint32_t pages[] = {1, 6};
    make_pdf(&b, pdf_pages, 2);
    seed("extract_pdf", "two-pages.pdf", -1, b.b, b.len);
    assert_int_equal(lp_doc_detect("x.bin", b.b, b.len), LP_DOC_PDF);
    expect(LP_DOC_PDF, b.b, b.len,
           "Hello World\nSecond line\n\nFar below\n\nPage two\n", pages, 2);
}

static void test_pdf_bad(void **state)
{
    (void)state;
    static struct blob b;
    make_pdf(&b, pdf_pages, 2);
    seed("extract_pdf", "truncated.pdf", -1, b.b, 40);
    /* A damaged page is blank; the others are read. */
    static const uint32_t pages[] = {1, 5};
    char *c = memmem(b.b, b.len, "/Contents 6 0 R", 15);
    assert_non_null(c);
    memcpy(c, "/Contents 6 0 X", 15);
    seed("extract_pdf", "bad-page.pdf", -1, b.b, b.len);
    expect(LP_DOC_PDF, b.b, b.len, "Hello World\nSecond line\n\nFar below\n",
           pages, 2);
    make_pdf(&b, pdf_pages, 2);

    /* MuPDF's own reason, whatever its version words it */
    expect_err(LP_DOC_PDF, b.b, 40, NULL, LP_EFORMAT, "pdf: ");
    expect_err(LP_DOC_PDF, "", 0, NULL, LP_EFORMAT, "pdf: ");
    expect_err(LP_DOC_PDF, "%PDF-1.4\n", 9, NULL, LP_EFORMAT, "pdf: ");

    /* A standard security handler whose empty user password fails. */
    static const char enc[] =
        "%PDF-1.4\n"
        "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        "2 0 obj\n<< /Type /Pages /Count 0 /Kids [] >>\nendobj\n"
        "3 0 obj\n<< /Filter /Standard /V 1 /R 2 /P -4\n"
        "/O "
        "<0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef>\n"
        "/U <fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210>"
        " >>\nendobj\n"
        "trailer\n<< /Size 4 /Root 1 0 R /Encrypt 3 0 R"
        " /ID [<00112233445566778899aabbccddeeff>"
        " <00112233445566778899aabbccddeeff>] >>\n%%EOF\n";
    seed("extract_pdf", "encrypted.pdf", -1, (const unsigned char *)enc,
         sizeof enc - 1);
    expect_err(LP_DOC_PDF, enc, sizeof enc - 1, NULL, LP_EFORMAT,
               "pdf: encrypted");
}

/* A page drawing a form of 400 characters 2000 times: 800000 characters
 * of structured text, far more than 1 MB of MuPDF memory. */
static void test_pdf_memory_cap(void **state)
{
    (void)state;
    static struct blob b;
    static char page[6 * 2000 + 1], form[512];
    struct lp_doc_limits lim = {0, 0, 0, 1u << 20};
    struct lp_doc_text t;
    char err[128], *p = (char *)b.b;
    size_t off[6], len = 0, cap = sizeof b.b;

    for (int i = 0; i < 2000; i++)
        memcpy(page + 6 * i, "/X Do\n", 6);
    page[6 * 2000] = '\0';
    memset(form, 'a', 400);
    form[400] = '\0';
#define ADD(...) (len += (size_t)snprintf(p + len, cap - len, __VA_ARGS__))
    ADD("%%PDF-1.4\n");
    off[1] = len;
    ADD("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    off[2] = len;
    ADD("2 0 obj\n<< /Type /Pages /Count 1 /Kids [3 0 R] >>\nendobj\n");
    off[3] = len;
    ADD("3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300]"
        " /Resources << /XObject << /X 5 0 R >> >> /Contents 4 0 R >>\n"
        "endobj\n");
    off[4] = len;
    ADD("4 0 obj\n<< /Length %zu >>\nstream\n%s\nendstream\nendobj\n",
        strlen(page), page);
    off[5] = len;
    ADD("5 0 obj\n<< /Type /XObject /Subtype /Form /BBox [0 0 300 300]"
        " /Resources << /Font << /F1 6 0 R >> >> /Length %zu >>\nstream\n"
        "BT /F1 1 Tf 0 10 Td (%s) Tj ET\nendstream\nendobj\n",
        strlen(form) + 31, form);
    size_t f6 = len;
    ADD("6 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\n"
        "endobj\n");
    size_t xref = len;
    ADD("xref\n0 7\n0000000000 65535 f \n");
    for (int i = 1; i <= 5; i++)
        ADD("%010zu 00000 n \n", off[i]);
    ADD("%010zu 00000 n \n", f6);
    ADD("trailer\n<< /Size 7 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
#undef ADD
    assert_true(len < cap);
    clock_t t0 = clock();
    assert_int_equal(extract(LP_DOC_PDF, b.b, len, &lim, &t, err, sizeof err),
                     LP_ELIMIT);
    assert_true(clock() - t0 < 5 * CLOCKS_PER_SEC);
    assert_string_equal(err, "pdf: more than 1048576 bytes of memory");
    lp_doc_text_release(&t);
    /* with the default cap it reads */
    assert_int_equal(extract(LP_DOC_PDF, b.b, len, NULL, &t, err, sizeof err),
                     LP_OK);
    if (t.len < 2000 * 400)
        fail_msg("%zu bytes: %.100s", t.len, t.text);
    lp_doc_text_release(&t);
}

static void test_pdf_pages_cap(void **state)
{
    (void)state;
    static struct blob b;
    struct lp_doc_limits lim = {0, 1, 0, 0};
    struct lp_doc_text t;
    char err[128];
    make_pdf(&b, pdf_pages, 2);
    assert_int_equal(extract(LP_DOC_PDF, b.b, b.len, &lim, &t, err, sizeof err),
                     LP_ELIMIT);
    assert_string_equal(err, "pdf: more than 1 pages");
    assert_string_equal(t.text, "Hello World\nSecond line\n\nFar below\n");
    assert_int_equal(t.npages, 1);
    lp_doc_text_release(&t);
}

static void test_docx(void **state)
{
    (void)state;
    static struct blob b;
    make_docx(&b, docx_xml);
    seed("extract_xml", "doc.docx", LP_DOC_DOCX, b.b, b.len);
    seed("extract_xml", "part-docx.xml", 10, (const unsigned char *)docx_xml,
         sizeof docx_xml - 1);
    seed("extract_xml", "part-odt.xml", 13, (const unsigned char *)odt_xml,
         sizeof odt_xml - 1);
    seed("extract_xml", "part-odp.xml", 14, (const unsigned char *)odp_xml,
         sizeof odp_xml - 1);
    seed("extract_xml", "part-xlsx.xml", 12, (const unsigned char *)xlsx_xml,
         sizeof xlsx_xml - 1);
    assert_int_equal(lp_doc_detect("a.docx", b.b, b.len), LP_DOC_DOCX);
    expect(LP_DOC_DOCX, b.b, b.len,
           "Installation Guide\n\nStep\tone\ncaf\xC3\xA9 & more\n\nEnd.\n",
           NULL, 0);
}

static void test_docx_bad(void **state)
{
    (void)state;
    static struct blob b;
    static char big[8192];
    struct lp_doc_limits lim = {0, 0, 100, 0};
    const struct part p[] = {{CT, CT_XML}, {"word/other.xml", "<x/>"}};

    make_zip(&b, p, 2, 0);
    expect_err(LP_DOC_DOCX, b.b, b.len, NULL, LP_EFORMAT,
               "docx: word/document.xml missing");

    make_docx(&b, docx_xml);
    expect_err(LP_DOC_DOCX, b.b, b.len, &lim, LP_ELIMIT,
               "docx: word/document.xml larger than 100 bytes");
    /* cut in the first part's data: read by local headers, then fails */
    expect_err(LP_DOC_DOCX, b.b, 100, NULL, LP_EFORMAT, "docx: ");
    expect_err(LP_DOC_DOCX, "plain text", 10, NULL, LP_EFORMAT,
               "docx: not a zip");

    /* Not XML at all */
    snprintf(big, sizeof big, "\x01\x02 not xml");
    make_docx(&b, big);
    expect_err(LP_DOC_DOCX, b.b, b.len, NULL, LP_EFORMAT,
               "docx: xml not readable");
}

/* Billion laughs: ten levels of ten references. Substituted, it would be
 * 10^9 "lol"s; unsubstituted, the references are dropped. */
static void test_entity_bomb(void **state)
{
    (void)state;
    static struct blob b;
    static char xml[4096];
    size_t n = 0;
    n += (size_t)snprintf(xml + n, sizeof xml - n,
                          "<?xml version=\"1.0\"?>\n<!DOCTYPE w:document [\n"
                          "<!ENTITY l0 \"lol\">\n");
    for (int i = 1; i < 10; i++) {
        n += (size_t)snprintf(xml + n, sizeof xml - n, "<!ENTITY l%d \"", i);
        for (int j = 0; j < 10; j++)
            n += (size_t)snprintf(xml + n, sizeof xml - n, "&l%d;", i - 1);
        n += (size_t)snprintf(xml + n, sizeof xml - n, "\">\n");
    }
    snprintf(xml + n, sizeof xml - n,
             "]>\n<w:document " W_NS "><w:body><w:p><w:r><w:t>a &l9; b"
             "</w:t></w:r></w:p></w:body></w:document>");
    make_docx(&b, xml);
    seed("extract_xml", "bomb.docx", LP_DOC_DOCX, b.b, b.len);
    struct lp_doc_text t;
    clock_t t0 = clock();
    /* libxml2 2.9 also stops at the amplification of the declarations,
     * keeping what comes before (RECOVER); later versions may go on. */
    lp_err e = extract(LP_DOC_DOCX, b.b, b.len, NULL, &t, NULL, 0);
    assert_true(clock() - t0 < 2 * CLOCKS_PER_SEC);
    assert_int_equal(e, LP_OK);
    assert_true(strcmp(t.text, "a\n") == 0 || strcmp(t.text, "a b\n") == 0);
    lp_doc_text_release(&t);
}

static void test_pptx(void **state)
{
    (void)state;
    static struct blob b;
    static const uint32_t pages[] = {1, 5, 7};
    make_pptx(&b);
    seed("extract_xml", "deck.pptx", LP_DOC_PPTX, b.b, b.len);
    assert_int_equal(lp_doc_detect("deck.pptx", b.b, b.len), LP_DOC_PPTX);
    expect(LP_DOC_PPTX, b.b, b.len,
           "First\n\ntitle\n\nSecond\n\nTenth\nslide\n", pages, 3);
}

/* A slide without text is a page starting where the next one does. */
static void test_pptx_empty_slide(void **state)
{
    (void)state;
    static struct blob b;
    static const uint32_t pages[] = {1, 1, 3, 4};
    const struct part p[] = {
        {CT, CT_XML},
        {"ppt/presentation.xml", "<p/>"},
        {"ppt/slides/slide1.xml", slide("")},
        {"ppt/slides/slide2.xml", slide("<a:p><a:r><a:t>x</a:t></a:r></a:p>")},
        {"ppt/slides/slide3.xml", slide("<a:p><a:r><a:t>y</a:t></a:r></a:p>")},
        {"ppt/slides/slide4.xml", slide("<a:p/>")},
    };
    make_zip(&b, p, sizeof p / sizeof *p, 0);
    expect(LP_DOC_PPTX, b.b, b.len, "x\n\ny\n", pages, 4);
}

static void test_pptx_caps(void **state)
{
    (void)state;
    static struct blob b;
    struct lp_doc_limits lim = {0, 2, 0, 0};
    struct lp_doc_text t;
    char err[128];
    make_pptx(&b);
    /* The third slide in zip order is refused; the two read are kept. */
    assert_int_equal(
        extract(LP_DOC_PPTX, b.b, b.len, &lim, &t, err, sizeof err), LP_ELIMIT);
    assert_string_equal(err, "pptx: more than 2 pages");
    assert_string_equal(t.text, "Second\n\nTenth\nslide\n");
    lp_doc_text_release(&t);

    /* 12 bytes of text: "Second", the blank line and four characters */
    lim.max_pages = 0;
    lim.max_text = 12;
    assert_int_equal(
        extract(LP_DOC_PPTX, b.b, b.len, &lim, &t, err, sizeof err), LP_ELIMIT);
    assert_string_equal(err, "pptx: text longer than 12 bytes");
    assert_true(t.len <= 12);
    assert_string_equal(t.text, "Second\n\nTent");
    lp_doc_text_release(&t);
}

static void test_xlsx(void **state)
{
    (void)state;
    static struct blob b;
    const struct part p[] = {
        {CT, CT_XML},
        {"xl/workbook.xml", "<workbook/>"},
        {"xl/sharedStrings.xml", xlsx_xml},
    };
    make_zip(&b, p, 3, 0);
    seed("extract_xml", "book.xlsx", LP_DOC_XLSX, b.b, b.len);
    assert_int_equal(lp_doc_detect(NULL, b.b, b.len), LP_DOC_XLSX);
    expect(LP_DOC_XLSX, b.b, b.len, "Cell one\n\nRich text\n", NULL, 0);
}

static void test_odf(void **state)
{
    (void)state;
    static struct blob b;
    static const uint32_t pages[] = {1, 3, 3};
    make_odf(&b, "application/vnd.oasis.opendocument.text", odt_xml);
    seed("extract_xml", "doc.odt", LP_DOC_ODT, b.b, b.len);
    assert_int_equal(lp_doc_detect("x.odt", b.b, b.len), LP_DOC_ODT);
    expect(LP_DOC_ODT, b.b, b.len,
           "Chapter 1\n\nHello there, spanned\nnext\tline\n\nItem\n", NULL, 0);

    make_odf(&b, "application/vnd.oasis.opendocument.presentation", odp_xml);
    seed("extract_xml", "deck.odp", LP_DOC_ODP, b.b, b.len);
    assert_int_equal(lp_doc_detect("x.odp", b.b, b.len), LP_DOC_ODP);
    expect(LP_DOC_ODP, b.b, b.len, "One\n\nThree\n\nmore\n", pages, 3);
    /* the empty second slide starts where the third does */
    struct lp_doc_text t;
    assert_int_equal(extract(LP_DOC_ODP, b.b, b.len, NULL, &t, NULL, 0), LP_OK);
    assert_int_equal(lp_doc_page(&t, 1), 1);
    assert_int_equal(lp_doc_page(&t, 2), 1);
    assert_int_equal(lp_doc_page(&t, 3), 3);
    assert_int_equal(lp_doc_page(&t, 5), 3);
    lp_doc_text_release(&t);

    make_odf(&b, "application/vnd.oasis.opendocument.spreadsheet",
             "<office:document-content " O_NS " " T_NS "><office:body>"
             "<text:p>A1</text:p><text:p>B1</text:p></office:body>"
             "</office:document-content>");
    assert_int_equal(lp_doc_detect("x.ods", b.b, b.len), LP_DOC_ODS);
    expect(LP_DOC_ODS, b.b, b.len, "A1\n\nB1\n", NULL, 0);

    make_odf(&b, "application/vnd.oasis.opendocument.graphics", odt_xml);
    assert_int_equal(lp_doc_detect("x.odg", b.b, b.len), LP_DOC_NONE);
}

static void test_html(void **state)
{
    (void)state;
    seed("extract_xml", "page.html", LP_DOC_HTML,
         (const unsigned char *)html_doc, sizeof html_doc - 1);
    assert_int_equal(lp_doc_detect("x", (const unsigned char *)html_doc,
                                   sizeof html_doc - 1),
                     LP_DOC_HTML);
    expect(LP_DOC_HTML, html_doc, sizeof html_doc - 1,
           "Manual\n\nFirst paragraph wraps & bold.\n\none\n\ntwo\nlines\n\n"
           "code line 1\ncode line 2\n\ncaf\xC3\xA9\n",
           NULL, 0);
    expect(LP_DOC_HTML,
           "<table><tr><th>a</th><td>b</td></tr><tr><td>c</td></tr></table>",
           64, "a b\n\nc\n", NULL, 0);
    /* Latin-1 without a charset is read as such */
    expect(LP_DOC_HTML, "<p>caf\xE9</p>", 11, "caf\xC3\xA9\n", NULL, 0);
    expect(LP_DOC_HTML, "", 0, "", NULL, 0);
}

static void test_rtf(void **state)
{
    (void)state;
    seed("extract_xml", "doc.rtf", LP_DOC_RTF, (const unsigned char *)rtf_doc,
         sizeof rtf_doc - 1);
    assert_int_equal(lp_doc_detect("x.doc", (const unsigned char *)rtf_doc,
                                   sizeof rtf_doc - 1),
                     LP_DOC_RTF);
    expect(LP_DOC_RTF, rtf_doc, sizeof rtf_doc - 1,
           "Hello bold world\n\nCaf\xC3\xA9\tx\nnext \xE2\x80\x94"
           "dash\n\n"
           "\xE2\x82\xAC euro\n\nlink\n",
           NULL, 0);
    /* every skipped destination, found by the binary search */
    static const char *const dest[] = {
        "author", "bkmkend", "bkmkstart", "buptim", "colortbl", "comment",
        "company", "creatim", "datastore", "doccomm", "fldinst", "fonttbl",
        "footer", "footerf", "footerl", "footerr", "generator", "header",
        "headerf", "headerl", "headerr", "info", "keywords", "latentstyles",
        "listoverridetable", "listtable", "listtext", "manager",
        "nonshppict", "objdata", "object", "operator", "pict", "pntext",
        "printim", "private", "revtbl", "revtim", "rsidtbl", "sp",
        "stylesheet", "subject", "template", "themedata", "title",
        "xmlnstbl"};
    for (size_t i = 0; i < sizeof dest / sizeof *dest; i++) {
        char doc[128];
        int n = snprintf(doc, sizeof doc, "{\\rtf1 a{\\%s hidden}b}", dest[i]);
        expect(LP_DOC_RTF, doc, (size_t)n, "ab\n", NULL, 0);
    }
    /* surrogate pairs, \bin, a lone high surrogate */
    expect(LP_DOC_RTF, "{\\rtf1 a\\u-10179?\\u-8704?b\\bin3 }}}c\\u55357?}",
           strlen("{\\rtf1 a\\u-10179?\\u-8704?b\\bin3 }}}c\\u55357?}"),
           "a\xF0\x9F\x98\x80"
           "bc\n",
           NULL, 0);
}

static void test_rtf_nesting(void **state)
{
    (void)state;
    size_t n = 10000;
    char *s = malloc(2 * n + 16);
    struct lp_doc_text t;
    char err[128];
    assert_non_null(s);
    memcpy(s, "{\\rtf1 x", 8);
    memset(s + 8, '{', n);
    memset(s + 8 + n, '}', n);
    clock_t t0 = clock();
    assert_int_equal(
        extract(LP_DOC_RTF, s, 8 + 2 * n, NULL, &t, err, sizeof err),
        LP_ELIMIT);
    assert_true(clock() - t0 < CLOCKS_PER_SEC);
    assert_string_equal(err, "rtf: groups nested deeper than 256");
    assert_string_equal(t.text, "x\n");
    lp_doc_text_release(&t);
    seed("extract_xml", "deep.rtf", LP_DOC_RTF, (unsigned char *)s, 1000);
    free(s);
}

static void test_detect(void **state)
{
    (void)state;
    static struct blob b;
    static unsigned char late[2048];
    const struct part plain[] = {{"README", "hi"}, {"src/a.c", "int x;"}};
    const struct part jar[] = {{"META-INF/MANIFEST.MF", "Manifest: 1.0\n"},
                               {"a/B.class", "\xCA\xFE\xBA\xBE"}};
    const struct part notypes[] = {{"word/document.xml", "<x/>"}};
#define D(name, s) lp_doc_detect(name, (const unsigned char *)s, strlen(s))
    make_zip(&b, plain, 2, 0);
    assert_int_equal(lp_doc_detect("a.docx", b.b, b.len), LP_DOC_NONE);
    make_zip(&b, jar, 2, 0);
    assert_int_equal(lp_doc_detect("a.jar", b.b, b.len), LP_DOC_NONE);
    make_zip(&b, notypes, 1, 0);
    assert_int_equal(lp_doc_detect("a.docx", b.b, b.len), LP_DOC_NONE);
    assert_int_equal(lp_doc_detect("a.docx", b.b, 30), LP_DOC_NONE);
    assert_int_equal(D("x", "junk\n%PDF-1.7\n"), LP_DOC_PDF);
    memset(late, ' ', sizeof late);
    memcpy(late + 1500, "%PDF-", 5);
    assert_int_equal(lp_doc_detect("x", late, sizeof late), LP_DOC_NONE);
    assert_int_equal(D("x", "\xEF\xBB\xBF{\\rtf1 x}"), LP_DOC_RTF);
    assert_int_equal(D("x", "<!doctype HTML><p>x"), LP_DOC_HTML);
    assert_int_equal(D("x", "<?xml version=\"1.0\"?>\n<HTML>"), LP_DOC_HTML);
    assert_int_equal(D("page.htm", "  <p>x</p>"), LP_DOC_HTML);
    assert_int_equal(D("page.XHTML", "<body/>"), LP_DOC_HTML);
    assert_int_equal(D("page.txt", "<p>x</p>"), LP_DOC_NONE);
    assert_int_equal(D("page.html", "plain words"), LP_DOC_NONE);
    assert_int_equal(D("notes.txt", "just text"), LP_DOC_NONE);
    assert_int_equal(D(NULL, ""), LP_DOC_NONE);
    assert_int_equal(lp_doc_detect("x", NULL, 0), LP_DOC_NONE);
#undef D
}

static void test_names_and_pages(void **state)
{
    (void)state;
    uint32_t pl[] = {1, 4, 4, 9};
    struct lp_doc_text t;
    assert_string_equal(lp_doc_name(LP_DOC_PDF), "pdf");
    assert_string_equal(lp_doc_name(LP_DOC_ODS), "ods");
    assert_string_equal(lp_doc_name(LP_DOC_RTF), "rtf");
    assert_string_equal(lp_doc_name(LP_DOC_NONE), "none");
    assert_string_equal(lp_doc_name((enum lp_doc)99), "none");
    lp_doc_text_init(&t);
    assert_int_equal(lp_doc_page(&t, 7), 1);
    t.page_line = pl;
    t.npages = 4;
    assert_int_equal(lp_doc_page(&t, 0), 1);
    assert_int_equal(lp_doc_page(&t, 3), 1);
    assert_int_equal(lp_doc_page(&t, 4), 3);
    assert_int_equal(lp_doc_page(&t, 8), 3);
    assert_int_equal(lp_doc_page(&t, 9), 4);
    assert_int_equal(lp_doc_page(&t, 1000), 4);
    assert_int_equal(lp_doc_page(NULL, 3), 1);
    lp_doc_text_release(NULL);

    char err[64];
    lp_doc_text_init(&t);
    assert_int_equal(lp_doc_extract(LP_DOC_NONE, (const unsigned char *)"x", 1,
                                    NULL, &t, err, sizeof err),
                     LP_EINVAL);
    assert_int_equal(
        lp_doc_extract(LP_DOC_RTF, NULL, 3, NULL, &t, err, sizeof err),
        LP_EINVAL);
}

/* Calls on several threads at once share nothing: each gets the text a
 * call alone gets. */
static struct blob thr_pdf, thr_docx;

static void *thr_main(void *arg)
{
    (void)arg;
    for (int i = 0; i < 10; i++) {
        struct lp_doc_text t;
        lp_doc_text_init(&t);
        if (lp_doc_extract(LP_DOC_PDF, thr_pdf.b, thr_pdf.len, NULL, &t, NULL,
                           0) != LP_OK ||
            strcmp(t.text, "Hello World\nSecond line\n\nFar below\n\n"
                           "Page two\n") != 0)
            return (void *)1;
        lp_doc_text_release(&t);
        if (lp_doc_extract(LP_DOC_DOCX, thr_docx.b, thr_docx.len, NULL, &t,
                           NULL, 0) != LP_OK ||
            strncmp(t.text, "Installation Guide\n", 19) != 0)
            return (void *)1;
        lp_doc_text_release(&t);
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    pthread_t th[4];
    make_pdf(&thr_pdf, pdf_pages, 2);
    make_docx(&thr_docx, docx_xml);
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, thr_main, NULL), 0);
    for (int i = 0; i < 4; i++) {
        void *r;
        assert_int_equal(pthread_join(th[i], &r), 0);
        assert_null(r);
    }
}

/* Every allocation of ours failed in turn: LP_ENOMEM or success, never a
 * crash or a leak (ASan checks the leaks). Not PDF: the system FreeType
 * crashes in FT_Load_Glyph when MuPDF's allocator refuses it memory
 * (docs/internals/extract.md). */
static void test_alloc_failures(void **state)
{
    (void)state;
    static struct blob docx, pptx;
    make_docx(&docx, docx_xml);
    make_pptx(&pptx);
    const struct {
        enum lp_doc d;
        const void *b;
        size_t len;
    } in[] = {
        {LP_DOC_RTF, rtf_doc, sizeof rtf_doc - 1},
        {LP_DOC_HTML, html_doc, sizeof html_doc - 1},
        {LP_DOC_DOCX, docx.b, docx.len},
        {LP_DOC_PPTX, pptx.b, pptx.len},
    };
    for (size_t k = 0; k < sizeof in / sizeof *in; k++) {
        bool ok = false;
        for (long i = 0; i < 100000 && !ok; i++) {
            struct lp_doc_text t;
            lp_doc_text_init(&t);
            lp_mem_fail_after(i);
            lp_err e =
                lp_doc_extract(in[k].d, in[k].b, in[k].len, NULL, &t, NULL, 0);
            lp_mem_fail_after(-1);
            if (e != LP_OK && e != LP_ENOMEM)
                fail_msg("%s: allocation %ld: %s", lp_doc_name(in[k].d), i,
                         lp_strerror(e));
            ok = e == LP_OK;
            lp_doc_text_release(&t);
        }
        assert_true(ok);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_and_pages),
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_pdf),
        cmocka_unit_test(test_pdf_bad),
        cmocka_unit_test(test_pdf_pages_cap),
        cmocka_unit_test(test_pdf_memory_cap),
        cmocka_unit_test(test_docx),
        cmocka_unit_test(test_docx_bad),
        cmocka_unit_test(test_entity_bomb),
        cmocka_unit_test(test_pptx),
        cmocka_unit_test(test_pptx_empty_slide),
        cmocka_unit_test(test_pptx_caps),
        cmocka_unit_test(test_xlsx),
        cmocka_unit_test(test_odf),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_rtf),
        cmocka_unit_test(test_rtf_nesting),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
