/* SPDX-License-Identifier: Apache-2.0
 *
 * extract_xml: text of XML parts of office documents and of HTML, through
 * libxml2 trees. Parsing never loads a DTD, never touches the network and
 * never substitutes entities: an entity reference stays a node whose
 * children (the shared entity content) are never visited, so a "billion
 * laughs" part costs its own size. Errors go nowhere (NOERROR, NOWARNING).
 * The tree is walked without recursion by child, next and parent links,
 * so its depth costs no stack.
 *
 * Office vocabularies, by namespace and local name:
 *   WordprocessingML  w:p paragraph, w:t text, w:tab tab, w:br/w:cr break
 *   DrawingML (pptx)  a:p paragraph, a:t text, a:br break
 *   SpreadsheetML     si paragraph (a shared string), t text; rPh skipped
 *   ODF text          text:p/text:h paragraph (their text nodes count),
 *                     text:s space, text:tab tab, text:line-break break;
 *                     text:tracked-changes skipped (deleted text)
 *   ODF drawing       draw:page starts a page (odp)
 */
#include <pthread.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "extract_int.h"
#include "utf8.h"

#include "banned.h"

/* libxml2 takes lengths as int. (<limits.h> is shadowed by src/base/limits.h.) */
#define XML_MAX_LEN ((size_t)__INT_MAX__)

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_A "http://schemas.openxmlformats.org/drawingml/2006/main"
#define NS_X "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_DRAW "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init_once(void)
{
    xmlInitParser();
}

void lp_doc_xml_init(void)
{
    pthread_once(&xml_once, xml_init_once);
}

/* What an element does to the output. */
enum act {
    ACT_NONE,  /* descend, no effect */
    ACT_SKIP,  /* do not descend */
    ACT_TEXT,  /* its text nodes are text */
    ACT_PARA,  /* ends a paragraph when left */
    ACT_TPARA, /* both: ODF paragraphs hold their text directly */
    ACT_BREAK, /* a line break */
    ACT_TAB,
    ACT_SPACE,
    ACT_PAGE, /* starts a page */
    ACT_PRE,  /* HTML <pre>: a paragraph whose newlines are kept */
};

struct walk {
    struct lp_doc_out *o;
    enum lp_doc d;
    unsigned in_text, in_pre; /* open ACT_TEXT/TPARA and ACT_PRE elements */
};

static bool is(const xmlNode *n, const char *ns, const char *name)
{
    return n->ns && n->ns->href && strcmp((const char *)n->ns->href, ns) == 0 &&
           strcmp((const char *)n->name, name) == 0;
}

static enum act office_act(const struct walk *w, const xmlNode *n)
{
    switch (w->d) {
    case LP_DOC_DOCX:
        if (is(n, NS_W, "p"))
            return ACT_PARA;
        if (is(n, NS_W, "t"))
            return ACT_TEXT;
        if (is(n, NS_W, "tab"))
            return ACT_TAB;
        if (is(n, NS_W, "br") || is(n, NS_W, "cr"))
            return ACT_BREAK;
        return ACT_NONE;
    case LP_DOC_PPTX:
        if (is(n, NS_A, "p"))
            return ACT_PARA;
        if (is(n, NS_A, "t"))
            return ACT_TEXT;
        if (is(n, NS_A, "br"))
            return ACT_BREAK;
        return ACT_NONE;
    case LP_DOC_XLSX:
        if (is(n, NS_X, "si"))
            return ACT_PARA;
        if (is(n, NS_X, "t"))
            return ACT_TEXT;
        if (is(n, NS_X, "rPh"))
            return ACT_SKIP;
        return ACT_NONE;
    default: /* ODF */
        if (is(n, NS_TEXT, "p") || is(n, NS_TEXT, "h"))
            return ACT_TPARA;
        if (is(n, NS_TEXT, "s"))
            return ACT_SPACE;
        if (is(n, NS_TEXT, "tab"))
            return ACT_TAB;
        if (is(n, NS_TEXT, "line-break"))
            return ACT_BREAK;
        if (is(n, NS_TEXT, "tracked-changes"))
            return ACT_SKIP;
        if (w->d == LP_DOC_ODP && is(n, NS_DRAW, "page"))
            return ACT_PAGE;
        return ACT_NONE;
    }
}

static bool name_in(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(name, *list) == 0)
            return true;
    return false;
}

/* libxml2's HTML parser gives lower-case element names, no namespace. */
static enum act html_act(const xmlNode *n)
{
    static const char *const skip[] = {"script",   "style", "template",
                                       "noscript", "head",  NULL};
    static const char *const block[] = {
        "address", "article", "aside", "blockquote", "body",     "caption",
        "dd",      "div",     "dl",    "dt",         "fieldset", "figcaption",
        "figure",  "footer",  "form",  "h1",         "h2",       "h3",
        "h4",      "h5",      "h6",    "header",     "hr",       "li",
        "main",    "nav",     "ol",    "p",          "section",  "table",
        "tbody",   "tfoot",   "thead", "title",      "tr",       "ul",
        NULL};
    const char *name = (const char *)n->name;
    if (strcmp(name, "pre") == 0)
        return ACT_PRE;
    if (strcmp(name, "br") == 0)
        return ACT_BREAK;
    /* a table row is one paragraph, its cells words apart */
    if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0)
        return ACT_SPACE;
    if (name_in(name, block))
        return ACT_PARA;
    if (name_in(name, skip))
        return ACT_SKIP;
    return ACT_NONE;
}

/* Called on entering an element; *descend tells whether to visit its
 * children (and then to call leave() for it). */
static lp_err enter(struct walk *w, const xmlNode *n, bool *descend)
{
    enum act a = w->d == LP_DOC_HTML ? html_act(n) : office_act(w, n);
    *descend = a != ACT_SKIP;
    switch (a) {
    case ACT_TEXT:
    case ACT_TPARA: w->in_text++; return LP_OK;
    case ACT_PRE: w->in_pre++; return lp_doc_out_para(w->o);
    case ACT_BREAK: return lp_doc_out_break(w->o);
    case ACT_TAB: return lp_doc_out_tab(w->o);
    case ACT_SPACE: return lp_doc_out_text(w->o, " ", 1, false);
    case ACT_PAGE: return lp_doc_out_page(w->o);
    case ACT_PARA:
        /* an HTML block also starts on its own line */
        return w->d == LP_DOC_HTML ? lp_doc_out_para(w->o) : LP_OK;
    default: return LP_OK;
    }
}

static lp_err leave(struct walk *w, const xmlNode *n)
{
    enum act a = w->d == LP_DOC_HTML ? html_act(n) : office_act(w, n);
    switch (a) {
    case ACT_TEXT: w->in_text--; return LP_OK;
    case ACT_TPARA: w->in_text--; return lp_doc_out_para(w->o);
    case ACT_PRE: w->in_pre--; return lp_doc_out_para(w->o);
    case ACT_PARA: return lp_doc_out_para(w->o);
    default: return LP_OK;
    }
}

static lp_err node_text(struct walk *w, const xmlNode *n)
{
    if (!n->content || (w->d != LP_DOC_HTML && w->in_text == 0))
        return LP_OK;
    const char *s = (const char *)n->content;
    return lp_doc_out_text(w->o, s, strlen(s), w->in_pre > 0);
}

/* Depth-first walk of the subtree at root without recursion. Only element
 * nodes are descended into: entity references, whose children are the
 * entity's shared content, are not. */
static lp_err walk_tree(struct walk *w, const xmlNode *root)
{
    const xmlNode *cur = root;
    lp_err err = LP_OK;
    while (cur && !err) {
        bool descend = false;
        if (cur->type == XML_ELEMENT_NODE)
            err = enter(w, cur, &descend);
        else if (cur->type == XML_TEXT_NODE ||
                 cur->type == XML_CDATA_SECTION_NODE)
            err = node_text(w, cur);
        if (err)
            break;
        if (descend && cur->children) {
            cur = cur->children;
            continue;
        }
        /* Leave cur (if it was entered) and every ancestor it closes. */
        if (descend)
            err = leave(w, cur);
        while (!err && cur != root && !cur->next) {
            cur = cur->parent;
            err = leave(w, cur);
        }
        cur = cur == root ? NULL : cur->next;
    }
    return err;
}

lp_err lp_doc_read_part(struct lp_doc_out *o, enum lp_doc d,
                        const unsigned char *xml, size_t len)
{
    struct walk w = {o, d, 0, 0};
    xmlDoc *doc = NULL;
    lp_err err = LP_OK;

    lp_doc_xml_init();
    if (len > XML_MAX_LEN)
        return lp_doc_out_fail(o, LP_ELIMIT, "xml part over 2 GB");
    /* RECOVER keeps the text of a part damaged near its end. */
    doc = xmlReadMemory((const char *)xml, (int)len, NULL, NULL,
                        XML_PARSE_NONET | XML_PARSE_NOBLANKS |
                            XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                            XML_PARSE_RECOVER | XML_PARSE_NOCDATA);
    if (!doc || !xmlDocGetRootElement(doc)) {
        err = lp_doc_out_fail(o, LP_EFORMAT, "xml not readable");
        goto out;
    }
    err = walk_tree(&w, xmlDocGetRootElement(doc));
out:
    xmlFreeDoc(doc);
    return err;
}

/* Whether all of buf is UTF-8: HTML without a charset is then read as
 * UTF-8 rather than libxml2's default, ISO-8859-1. */
static bool all_utf8(const unsigned char *buf, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t k = lp_utf8_seq(buf + i, len - i, NULL);
        if (k == 0)
            return false;
        i += k;
    }
    return true;
}

lp_err lp_doc_read_html(struct lp_doc_out *o, const unsigned char *buf,
                        size_t len)
{
    struct walk w = {o, LP_DOC_HTML, 0, 0};
    htmlDocPtr doc = NULL;
    lp_err err = LP_OK;

    lp_doc_xml_init();
    if (len > XML_MAX_LEN)
        return lp_doc_out_fail(o, LP_ELIMIT, "file over 2 GB");
    if (len == 0)
        return LP_OK; /* libxml2 makes no document of nothing */
    doc = htmlReadMemory((const char *)buf, (int)len, NULL,
                         all_utf8(buf, len) ? "UTF-8" : NULL,
                         HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                             HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER);
    if (!doc) {
        err = lp_doc_out_fail(o, LP_EFORMAT, "not readable");
        goto out;
    }
    if (xmlDocGetRootElement(doc))
        err = walk_tree(&w, xmlDocGetRootElement(doc));
out:
    xmlFreeDoc(doc);
    return err;
}
