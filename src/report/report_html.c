/* SPDX-License-Identifier: Apache-2.0
 *
 * report_html: the report for people who read no JSON, as one
 * self-contained HTML5 page (docs/HTML.md): the verdict, the scope of each
 * collection with three inline SVG charts drawn here, the matched files,
 * the evidence of each (the sample's lines, read again from disk when the
 * file there still has the scanned bytes), file listings, files of licence
 * text only, secrets, skipped inputs and a footer. Nothing is loaded from
 * outside the page (a CSP meta forbids it); the page reads well without
 * JavaScript, whose only part is a constant script that sorts and filters the
 * tables.
 *
 * Invariant: every string that comes from input (paths, names, lines,
 * reasons, rules of a configuration) reaches the page through
 * lp_html_put() only; the rest is literals of this file and numbers.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "git.h"
#include "hash.h"
#include "licence.h"
#include "mem.h"
#include "report.h"
#include "banned.h"

/* Files larger than this are not read again for their lines. */
#define HTML_MAX_READ (16u << 20)
/* Bytes of one sample line shown; the rest is cut with a mark. */
#define HTML_MAX_LINE_BYTES 400
/* Lines of context shown before and after a span. */
#define HTML_CONTEXT 2
/* Rows of a match's span table, directories of a chart, and version ticks
 * of a timeline. */
#define HTML_MAX_SPANS 50
#define HTML_MAX_DIRS 40
#define HTML_MAX_TICKS 2000
/* Rows of the files table, and files of the evidence, laid out when the
 * page opens: the others are in a closed <details> (in the page, found by
 * a search or a link, laid out only when opened), so that a report of
 * 10,000 files opens in seconds (docs/HTML.md). */
#define HTML_SHOWN_ROWS 1000
#define HTML_SHOWN_FILES 200
/* Bytes of a directory's name in a chart (in full in its tooltip). */
#define HTML_MAX_LABEL 32

void lp_html_put(const char *s, size_t n, unsigned flags, FILE *fp)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        uint32_t cp = 0;
        size_t k = lp_utf8_seq(p, (size_t)(end - p), &cp);
        bool line = flags & LP_HTML_LINE;
        if (!k || ((cp < 0x20 || cp == 0x7f) && !(cp == '\t' && line))) {
            /* no UTF-8, or a C0 control */
            fprintf(fp, line ? "<span class=\"esc\">\\x%02x</span>" : "\\x%02x",
                    *p++);
            continue;
        }
        if (lp_utf8_hidden(cp) && cp != '\t')
            fprintf(fp,
                    line ? "<span class=\"esc\">\\u%04" PRIx32 "</span>"
                         : "\\u%04" PRIx32,
                    cp);
        else if (cp == '&')
            fputs("&amp;", fp);
        else if (cp == '<')
            fputs("&lt;", fp);
        else if (cp == '>')
            fputs("&gt;", fp);
        else if (cp == '"')
            fputs("&quot;", fp);
        else if (cp == '\'')
            fputs("&#39;", fp);
        else if (cp == '\\' && !line)
            fputs("\\\\", fp);
        else
            fwrite(p, 1, k, fp);
        p += k;
    }
}

/* A NUL-terminated string of input, escaped. */
static void put(const char *s, FILE *fp)
{
    lp_html_put(s, strlen(s), 0, fp);
}

/* s, escaped, cut to at most max bytes (not inside a character) with an
 * ellipsis when longer: a label of a chart. */
static void put_cut(const char *s, size_t max, FILE *fp)
{
    size_t n = strlen(s);
    if (n <= max) {
        lp_html_put(s, n, 0, fp);
        return;
    }
    while (max && ((unsigned char)s[max] & 0xc0) == 0x80)
        max--;
    lp_html_put(s, max, 0, fp);
    fputs("&hellip;", fp);
}

/* The resolved options: the caller's, or the defaults. */
struct html {
    const struct lp_scan *s;
    FILE *fp;
    const char *command;
    int64_t date;
    size_t max_lines, max_file_lines;
    size_t lines_left;   /* of max_lines */
    size_t lines_cut;    /* sample lines not shown for a cap */
    size_t files_cut;    /* files whose lines were shown in part */
    size_t files_none;   /* files whose lines the total cap left out */
    size_t files_nodisk; /* files whose lines could not be read again */
    const struct lp_html_root *roots; /* --asset-root */
    size_t nroots;
    struct root_state {
        struct lp_git *g; /* the root's repository, or NULL */
        bool tried;       /* opened (or found none) */
    } * git_state;        /* per root, NULL until the first asset */
    lp_err err;           /* LP_ENOMEM met on the way */
};

static const char *level_class(enum lp_level l)
{
    return l == LP_LEVEL_CONFIRMED  ? "confirmed"
           : l == LP_LEVEL_LIKELY   ? "likely"
           : l == LP_LEVEL_UNLIKELY ? "unlikely"
                                    : "none";
}

static const char style[] =
    "body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:72em;"
    "padding:1em 2em;color:#1d2430;background:#fff}"
    "h1{font-size:1.6em;margin:.2em 0}h2{border-bottom:2px solid #d7dce3;"
    "padding-bottom:.2em;margin-top:1.6em}h3{margin:.8em 0 .3em}"
    ".verdict{border-radius:8px;padding:1em 1.4em;color:#fff}"
    ".verdict p{margin:.3em 0;font-size:1.1em}"
    ".v-confirmed{background:#b3261e}.v-likely{background:#c26a00}"
    ".v-unlikely{background:#5b6573}.v-none{background:#2e7d32}"
    "table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:.92em}"
    "th,td{border:1px solid #d7dce3;padding:.25em .5em;text-align:left;"
    "vertical-align:top}th{background:#eef1f5}td.n{text-align:right;"
    "font-variant-numeric:tabular-nums}"
    "th.s{cursor:pointer}th.s:after{content:' \\2195';color:#8a94a3}"
    ".path{font-family:ui-monospace,monospace;overflow-wrap:anywhere}"
    ".cap{font-weight:600;margin:1em 0 0;font-size:.95em}"
    "pre{background:#f6f8fa;border:1px solid #d7dce3;padding:.4em;"
    "overflow-x:auto;font-size:.88em;margin:.3em 0}"
    "pre .hl{background:#fff1b8;display:block}pre .ln{color:#8a94a3;"
    "user-select:none}"
    ".note{color:#5b6573;font-style:italic}svg{display:block;margin:.5em 0;"
    "max-width:100%}svg text{font:12px system-ui,sans-serif;fill:#1d2430}"
    ".how-exact{color:#b3261e}.how-normalized{color:#c26a00}"
    ".how-renamed{color:#6b3fa0}footer{margin-top:2em;border-top:1px solid "
    "#d7dce3;color:#5b6573;font-size:.9em}#filter{margin:.3em 0;padding:.3em;"
    "width:24em}details.more>summary{cursor:pointer;font-weight:600;"
    "margin:.5em 0}"
    ".side{display:flex;gap:1em}.side>div{flex:1;min-width:0}"
    ".file{content-visibility:auto;contain-intrinsic-size:auto 500px}"
    "pre .esc{color:#b3261e;border:1px dotted #b3261e}";

/* The only script: a filter box above each table of class "sortable" and
 * sorting by a click on a column's heading. It reads the page, never
 * writes markup. It holds no '<', so that every '<' of a page opens a tag
 * of this file (the unit test and the fuzz harness check that). */
static const char script[] =
    "(function(){function key(td){var v=td.getAttribute('data-v');"
    "return v!==null?parseFloat(v):td.textContent.toLowerCase();}"
    "document.querySelectorAll('table.sortable').forEach(function(t){"
    "var b=t.tBodies[0];if(!b)return;var f=document.createElement('input');"
    "f.type='search';f.placeholder='filter rows';f.id='filter';"
    "f.addEventListener('input',function(){var q=f.value.toLowerCase();"
    "Array.prototype.forEach.call(b.rows,function(r){r.style.display="
    "r.textContent.toLowerCase().indexOf(q)===-1?'none':'';});});"
    "t.parentNode.insertBefore(f,t);"
    "Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){"
    "th.className='s';th.addEventListener('click',function(){"
    "var d=th.getAttribute('data-d')==='1'?-1:1;th.setAttribute('data-d',"
    "d===1?'1':'0');var rows=Array.prototype.slice.call(b.rows);"
    "rows.sort(function(x,y){var a=key(x.cells[i]),c=key(y.cells[i]);"
    "return c>a?-d:a>c?d:0;});rows.forEach(function(r){b.appendChild(r);"
    "});});});});})();";

static void put_head(struct html *h, const char *title)
{
    FILE *fp = h->fp;
    fputs(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"
        "\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
        "'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
        "img-src data:\">\n<meta name=\"viewport\" content=\"width=device-"
        "width, initial-scale=1\">\n<meta name=\"generator\" content=\""
        "leakprint " LP_VERSION_STRING "\">\n<title>",
        fp);
    fputs(title, fp);
    fprintf(fp, "</title>\n<style>%s</style>\n</head>\n<body>\n", style);
}

/* The footer and the end of the page. */
static void put_foot(struct html *h)
{
    FILE *fp = h->fp;
    const struct lp_scan *s = h->s;
    char when[32];
    lp_format_time(h->date ? h->date : (int64_t)time(NULL), when);
    fputs("<footer id=\"footer\">\n<p>leakprint " LP_VERSION_STRING, fp);
    if (s->registry_path[0]) {
        fputs(" &middot; registry <span class=\"path\">", fp);
        put(s->registry_path, fp);
        fprintf(fp, "</span> (%zu collections, %" PRIu64 " paths)",
                s->ncollections, s->nassets);
    }
    fprintf(fp, " &middot; <time>%s</time></p>\n", when);
    if (h->command) {
        fputs("<p>command: <code class=\"path\">", fp);
        put(h->command, fp);
        fputs("</code></p>\n", fp);
    }
    fprintf(fp, "</footer>\n<script>%s</script>\n</body>\n</html>\n", script);
}

static void put_verdict(struct html *h)
{
    const struct lp_scan *s = h->s;
    fprintf(h->fp,
            "<header id=\"verdict\" class=\"verdict v-%s\">\n<h1>Verdict: "
            "<span id=\"level\">%s</span></h1>\n<p>confidence %.2f</p>\n"
            "<p id=\"summary\">",
            level_class(s->level), lp_level_name(s->level), s->confidence);
    put(s->summary, h->fp);
    fputs("</p>\n</header>\n", h->fp);
}

/* Share a of b, 0..1. */
static double share(uint64_t a, uint64_t b)
{
    return b ? (double)(a > b ? b : a) / (double)b : 0;
}

static void human_bytes(uint64_t b, char *buf, size_t len)
{
    if (b < 1024)
        snprintf(buf, len, "%" PRIu64 " B", b);
    else if (b < 1024 * 1024)
        snprintf(buf, len, "%.1f KB", (double)b / 1024);
    else
        snprintf(buf, len, "%.1f MB", (double)b / (1024 * 1024));
}

/* Chart 1: files and bytes of the collection found in the sample. */
static void chart_coverage(struct html *h, const struct lp_scope *sc, size_t i)
{
    FILE *fp = h->fp;
    char b1[32], b2[32];
    human_bytes(sc->bytes_matched, b1, sizeof b1);
    human_bytes(sc->bytes_total, b2, sizeof b2);
    double f = share(sc->assets_matched, sc->assets_total);
    double b = share(sc->bytes_matched, sc->bytes_total);
    fprintf(fp,
            "<svg id=\"coverage-%zu\" class=\"chart coverage\" role=\"img\" "
            "width=\"640\" height=\"70\" viewBox=\"0 0 640 70\" "
            "xmlns=\"http://www.w3.org/2000/svg\"><title>coverage</title>\n",
            i);
    const char *label[2] = {"files", "bytes"};
    double v[2] = {f, b};
    for (int k = 0; k < 2; k++) {
        int y = 8 + 30 * k;
        fprintf(fp,
                "<text x=\"0\" y=\"%d\">%s</text><rect x=\"60\" y=\"%d\" "
                "width=\"400\" height=\"18\" fill=\"#e3e7ed\"/><rect x=\"60\" "
                "y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"#b3261e\"/>",
                y + 13, label[k], y, y, 400 * v[k]);
        if (k == 0)
            fprintf(fp, "<text x=\"470\" y=\"%d\">%u of %u (%.1f%%)</text>\n",
                    y + 13, sc->assets_matched, sc->assets_total, 100 * f);
        else
            fprintf(fp, "<text x=\"470\" y=\"%d\">%s of %s (%.1f%%)</text>\n",
                    y + 13, b1, b2, 100 * b);
    }
    fputs("</svg>\n", fp);
}

/* Chart 2: per directory (two levels deep), matched against total files
 * of the best version; the most matched first, as the scope holds them. */
static void chart_dirs(struct html *h, const struct lp_scope *sc, size_t i)
{
    FILE *fp = h->fp;
    size_t n = sc->ndirs < HTML_MAX_DIRS ? sc->ndirs : HTML_MAX_DIRS;
    uint32_t most = 1;
    for (size_t k = 0; k < n; k++)
        if (sc->dirs[k].total > most)
            most = sc->dirs[k].total;
    unsigned height = (unsigned)(22 * n + 10);
    fprintf(fp,
            "<svg id=\"directories-%zu\" class=\"chart directories\" "
            "role=\"img\" width=\"640\" height=\"%u\" viewBox=\"0 0 640 %u\" "
            "xmlns=\"http://www.w3.org/2000/svg\"><title>directories: matched "
            "of all files</title>\n",
            i, height, height);
    for (size_t k = 0; k < n; k++) {
        const struct lp_dir_share *d = &sc->dirs[k];
        unsigned y = (unsigned)(22 * k + 4);
        fprintf(fp, "<text x=\"0\" y=\"%u\"><title>", y + 13);
        put(d->dir, fp);
        fputs("</title>", fp);
        put_cut(d->dir, HTML_MAX_LABEL, fp);
        fprintf(fp,
                "</text><rect x=\"230\" y=\"%u\" width=\"%.1f\" height=\"16\" "
                "fill=\"#e3e7ed\"/><rect x=\"230\" y=\"%u\" width=\"%.1f\" "
                "height=\"16\" fill=\"#c26a00\"/><text x=\"%.1f\" y=\"%u\">"
                "%u/%u</text>\n",
                y, 300.0 * d->total / most, y,
                300.0 * (d->matched > d->total ? d->total : d->matched) / most,
                236 + 300.0 * d->total / most, y + 13, d->matched, d->total);
    }
    fputs("</svg>\n", fp);
    if (sc->ndirs > n)
        fprintf(fp, "<p class=\"note\">and %zu more directories</p>\n",
                sc->ndirs - n);
}

/* Chart 3: every registered version of the collection on a time axis,
 * the range of those consistent with the sample shaded, the best one
 * marked and named. */
static void chart_timeline(struct html *h, const struct lp_scope *sc, size_t i)
{
    const struct lp_scan *s = h->s;
    FILE *fp = h->fp;
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    size_t nv = 0;
    for (size_t k = 0; k < s->nversions; k++) {
        const struct lp_res_version *v = &s->versions[k];
        if (v->collection != sc->collection)
            continue;
        nv++;
        lo = v->created < lo ? v->created : lo;
        hi = v->created > hi ? v->created : hi;
    }
    double span = nv && hi > lo ? (double)(hi - lo) : 1;
#define TX(t) (nv && hi > lo ? 20 + 600.0 * (double)((t)-lo) / span : 320.0)
    fprintf(fp,
            "<svg id=\"timeline-%zu\" class=\"chart timeline\" role=\"img\" "
            "width=\"640\" height=\"96\" viewBox=\"0 0 640 96\" "
            "xmlns=\"http://www.w3.org/2000/svg\"><title>versions in time"
            "</title>\n<line x1=\"20\" y1=\"40\" x2=\"620\" y2=\"40\" "
            "stroke=\"#8a94a3\"/>\n",
            i);
    if (sc->nconsistent) {
        double x0 = TX(s->versions[sc->consistent[0]].created);
        double x1 =
            TX(s->versions[sc->consistent[sc->nconsistent - 1]].created);
        fprintf(fp,
                "<rect x=\"%.1f\" y=\"26\" width=\"%.1f\" height=\"28\" "
                "fill=\"#fff1b8\" stroke=\"#c26a00\"><title>consistent with "
                "the sample</title></rect>\n",
                x0 - 4, x1 - x0 + 8);
    }
    size_t ticks = 0;
    for (size_t k = 0; k < s->nversions && ticks < HTML_MAX_TICKS; k++) {
        const struct lp_res_version *v = &s->versions[k];
        if (v->collection != sc->collection)
            continue;
        ticks++;
        fprintf(fp,
                "<line x1=\"%.1f\" y1=\"32\" x2=\"%.1f\" y2=\"48\" "
                "stroke=\"#1d2430\"><title>",
                TX(v->created), TX(v->created));
        put(v->name, fp);
        fputs("</title></line>\n", fp);
    }
    const struct lp_res_version *best = &s->versions[sc->best_version];
    char d0[32], d1[32];
    lp_format_time(lo == INT64_MAX ? 0 : lo, d0);
    lp_format_time(hi == INT64_MIN ? 0 : hi, d1);
    fprintf(fp,
            "<circle cx=\"%.1f\" cy=\"40\" r=\"6\" fill=\"#b3261e\"/>"
            "<text x=\"%.1f\" y=\"18\" text-anchor=\"middle\">best: ",
            TX(best->created), TX(best->created));
    put(best->name, fp);
    fprintf(fp,
            "</text>\n<text x=\"20\" y=\"70\">%.10s</text><text x=\"620\" "
            "y=\"70\" text-anchor=\"end\">%.10s</text><text x=\"320\" y=\"88\" "
            "text-anchor=\"middle\">%zu registered %s</text>\n</svg>\n",
            d0, d1, nv, nv == 1 ? "version" : "versions");
#undef TX
    if (nv > ticks)
        fprintf(fp, "<p class=\"note\">%zu versions not drawn</p>\n",
                nv - ticks);
}

static void put_scope(struct html *h)
{
    const struct lp_scan *s = h->s;
    FILE *fp = h->fp;
    fputs("<section id=\"scope\">\n<h2>Scope</h2>\n", fp);
    char b[32];
    human_bytes(s->bytes, b, sizeof b);
    size_t scanned = lp_result_files_scanned(s);
    fprintf(fp, "<p>%zu %s scanned (%s), %zu matched, %zu unreadable.</p>\n",
            scanned, scanned == 1 ? "file" : "files", b, s->files_matched,
            s->nerrors);
    if (!s->nscope)
        fputs("<p>No protected collection was found in the sample.</p>\n", fp);
    for (size_t i = 0; i < s->nscope; i++) {
        const struct lp_scope *sc = &s->scope[i];
        fprintf(fp, "<div class=\"collection\" id=\"collection-%zu\">\n<h3>",
                i);
        put(s->collections[sc->collection].name, fp);
        fputs("</h3>\n<p>best version <b>", fp);
        put(s->versions[sc->best_version].name, fp);
        fputs("</b>", fp);
        if (sc->nconsistent == 1) {
            fputs("; the sample is consistent with this version only", fp);
        } else if (sc->nconsistent > 1) {
            fprintf(fp, "; the sample is consistent with %zu versions, ",
                    sc->nconsistent);
            put(s->versions[sc->consistent[0]].name, fp);
            fputs(" to ", fp);
            put(s->versions[sc->consistent[sc->nconsistent - 1]].name, fp);
        } else {
            fputs("; no single version holds every well explained file", fp);
        }
        fputs("</p>\n", fp);
        fputs("<p class=\"cap\">Coverage: the collection's files and bytes "
              "found in the sample</p>\n",
              fp);
        chart_coverage(h, sc, i);
        fputs("<p class=\"cap\">Directories, two levels deep: files found "
              "of the files of the best version</p>\n",
              fp);
        chart_dirs(h, sc, i);
        fputs("<p class=\"cap\">Versions: every registered version in time; "
              "shaded, those the sample is consistent with</p>\n",
              fp);
        chart_timeline(h, sc, i);
        fputs("</div>\n", fp);
    }
    fputs("</section>\n", fp);
}

/* A matched file and its strongest evidence (that of its best match). */
struct ranked {
    double evidence;
    size_t file;
};

/* By decreasing evidence, then walk order: a stable order. */
static int by_rank(const void *pa, const void *pb)
{
    const struct ranked *a = pa, *b = pb;
    if (a->evidence != b->evidence)
        return a->evidence < b->evidence ? 1 : -1;
    return a->file < b->file ? -1 : a->file > b->file;
}

/* The matched files' indices, by decreasing evidence (walk order among
 * equals); *n of them. NULL when out of memory. Caller frees with
 * lp_free. */
static size_t *by_evidence(const struct lp_scan *s, size_t *n)
{
    size_t cap = s->nfiles ? s->nfiles : 1, k = 0;
    struct ranked *r = lp_calloc(cap, sizeof *r);
    size_t *v = r ? lp_calloc(cap, sizeof *v) : NULL;
    if (!v) {
        lp_free(r);
        return NULL;
    }
    for (size_t i = 0; i < s->nfiles; i++)
        if (s->files[i].nmatches)
            r[k++] = (struct ranked){s->files[i].matches[0].evidence, i};
    qsort(r, k, sizeof *r, by_rank);
    for (size_t i = 0; i < k; i++)
        v[i] = r[i].file;
    lp_free(r);
    *n = k;
    return v;
}

/* How a match was made, in a word (as the text report says it). */
static const char *match_how(const struct lp_match *m)
{
    bool renamed = m->nspans > 0;
    for (size_t i = 0; i < m->nspans; i++)
        renamed &= m->spans[i].how == LP_HOW_RENAMED;
    return m->exact ? "identical" : renamed ? "renamed" : "similar";
}

static void put_files_table(struct html *h, const size_t *order, size_t n)
{
    const struct lp_scan *s = h->s;
    FILE *fp = h->fp;
    fprintf(fp, "<section id=\"files\">\n<h2>Matched files (%zu)</h2>\n", n);
    if (!n) {
        fputs("<p>No file matched.</p>\n</section>\n", fp);
        return;
    }
    static const char head[] =
        "<thead><tr><th>path</th><th>kind</th><th>asset</th><th>version</th>"
        "<th>similarity</th><th>coverage</th><th>how</th></tr></thead>\n"
        "<tbody>\n";
    fprintf(fp, "<table class=\"sortable\" id=\"files-table\">\n%s", head);
    for (size_t k = 0; k < n; k++) {
        const struct lp_file_result *f = &s->files[order[k]];
        if (k == HTML_SHOWN_ROWS) // the rest is laid out when opened
            fprintf(fp,
                    "</tbody>\n</table>\n<details class=\"more\"><summary>"
                    "%zu more files</summary>\n<table class=\"sortable\" "
                    "id=\"files-table-more\">\n%s",
                    n - k, head);
        const struct lp_match *m = &f->matches[0];
        fprintf(fp, "<tr><td class=\"path\"><a href=\"#f-%zu\">", order[k]);
        put(f->path, fp);
        fprintf(fp, "</a></td><td>%s</td><td class=\"path\">",
                lp_kind_name((enum lp_kind)f->kind));
        put(s->collections[m->collection].name, fp);
        fputc(':', fp);
        put(m->asset, fp);
        fputs("</td><td>", fp);
        put(s->versions[m->version].name, fp);
        fprintf(fp,
                "</td><td class=\"n\" data-v=\"%.4f\">%.2f</td><td class=\"n\" "
                "data-v=\"%.4f\">%.2f</td><td>%s</td></tr>\n",
                m->similarity, m->similarity, m->coverage, m->coverage,
                match_how(m));
    }
    fputs(n > HTML_SHOWN_ROWS ? "</tbody>\n</table>\n</details>\n</section>\n"
                              : "</tbody>\n</table>\n</section>\n",
          fp);
}

/* A file read again from disk for its lines: its bytes and where each
 * line starts. */
struct lines {
    char *buf;
    size_t len;
    size_t *start; /* start[i]: offset of line i + 1; start[n] = len + 1 */
    size_t n;
};

static void lines_release(struct lines *l)
{
    lp_free(l->buf);
    lp_free(l->start);
    memset(l, 0, sizeof *l);
}

/* Reads the regular file at path (not a link), of `size` bytes when size
 * is not 0, else of at most HTML_MAX_READ, into l->buf; false when it is
 * not so (or out of memory: h->err). */
static bool read_path(struct html *h, const char *path, uint64_t size,
                      struct lines *l)
{
    memset(l, 0, sizeof *l);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !st.st_size ||
        (size ? (uint64_t)st.st_size != size
              : (uint64_t)st.st_size > HTML_MAX_READ)) {
        close(fd);
        return false;
    }
    size = (uint64_t)st.st_size;
    if (!(l->buf = lp_malloc(size))) {
        h->err = LP_ENOMEM;
        close(fd);
        return false;
    }
    size_t got = 0;
    while (got < size) {
        ssize_t r = read(fd, l->buf + got, size - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    l->len = got;
    return got == size;
}

/* Indexes the lines of l->buf: false when it holds a NUL byte (UTF-16 and
 * other encodings number lines after decoding: shown as they are only
 * when no NUL says so) or out of memory (h->err); l is released then. */
static bool index_lines(struct html *h, struct lines *l)
{
    size_t got = l->len, cap = 0;
    if (!got || memchr(l->buf, '\0', got)) {
        lines_release(l);
        return false;
    }
    /* start[i]: where line i + 1 starts; start[n] is one past the end of
     * the last line's newline, or of the bytes when it has none */
    for (size_t i = 0; i < got; i++) {
        if (i && l->buf[i - 1] != '\n')
            continue;
        if (!lp_grow((void **)&l->start, &cap, l->n + 2, sizeof *l->start)) {
            h->err = LP_ENOMEM;
            lines_release(l);
            return false;
        }
        l->start[l->n++] = i;
    }
    l->start[l->n] = l->buf[got - 1] == '\n' ? got : got + 1;
    return true;
}

/* f's lines: the text the scan kept (lp_scan_options.keep_text: an
 * archive's member, a document's text, a blob of a git history too), else
 * read from its path when it is a file on disk that still has the scanned
 * bytes (same SHA-256) and is text as scanned: not inside an archive, not
 * a document, a binary or a listing. false when not so (or out of memory:
 * h->err). */
static bool lines_read(struct html *h, const struct lp_file_result *f,
                       struct lines *l)
{
    memset(l, 0, sizeof *l);
    if (f->text) { /* kept by the scan (lp_scan_options.keep_text) */
        if (!(l->buf = lp_malloc(f->tlen))) {
            h->err = LP_ENOMEM;
            return false;
        }
        memcpy(l->buf, f->text, f->tlen);
        l->len = f->tlen;
        return index_lines(h, l);
    }
    if (f->doc || f->has_commit || f->kind == LP_KIND_BINARY ||
        f->kind == LP_KIND_LISTING || strchr(f->path, '!') || !f->size ||
        f->size > HTML_MAX_READ || !read_path(h, f->path, f->size, l)) {
        lines_release(l);
        return false;
    }
    uint8_t sha[LP_SHA256_LEN];
    if (lp_sha256(l->buf, l->len, sha) != LP_OK ||
        memcmp(sha, f->sha, sizeof sha)) {
        lines_release(l);
        return false;
    }
    return index_lines(h, l);
}

/* The index of the root given for match m's collection (--asset-root),
 * or -1. */
static long asset_root(const struct html *h, const struct lp_match *m)
{
    const char *name = h->s->collections[m->collection].name;
    for (size_t i = 0; i < h->nroots; i++)
        if (!strcmp(h->roots[i].collection, name))
            return (long)i;
    return -1;
}

/* Root r when it is a git repository: its handle, opened at the first
 * call (NULL when it is none, or cannot be opened). */
static struct lp_git *root_git(struct html *h, size_t r)
{
    if (!h->git_state &&
        !(h->git_state = lp_calloc(h->nroots, sizeof *h->git_state))) {
        h->err = LP_ENOMEM;
        return NULL;
    }
    if (!h->git_state[r].tried) {
        char err[256];
        h->git_state[r].tried = true;
        if (lp_git_is_repo(h->roots[r].dir) &&
            lp_git_open(h->roots[r].dir, &h->git_state[r].g, err, sizeof err) ==
                LP_ENOMEM)
            h->err = LP_ENOMEM;
    }
    return h->git_state[r].g;
}

/* The asset of m as its version has it in git repository g: true when
 * read into l->buf (out of memory: h->err). */
static bool asset_from_git(struct html *h, struct lp_git *g,
                           const struct lp_match *m, struct lines *l)
{
    uint8_t blob[LP_GIT_OID_LEN];
    size_t cap = 0;
    char err[256];
    if (lp_git_blob_at(g, h->s->versions[m->version].name, m->asset, blob))
        return false;
    lp_err e = lp_git_read_blob(g, blob, HTML_MAX_READ, &l->buf, &cap, &l->len,
                                err, sizeof err);
    if (e == LP_ENOMEM)
        h->err = e;
    return e == LP_OK;
}

/* Reads the lines of m's asset from its collection's root, when one was
 * given and the asset's path stays under it (no "..", not absolute): from
 * a git repository, the file as m's version has it when a revision of
 * that name holds it, else the file under the root as it is; into *where
 * what was read, for the page (caller frees with lp_free). false when not
 * so (or out of memory: h->err). */
static bool asset_read(struct html *h, const struct lp_match *m,
                       struct lines *l, char **where)
{
    memset(l, 0, sizeof *l);
    *where = NULL;
    long r = asset_root(h, m);
    const char *a = m->asset;
    size_t alen = strlen(a);
    if (r < 0 || a[0] == '/' || !strcmp(a, "..") || !strncmp(a, "../", 3) ||
        strstr(a, "/../") || (alen >= 3 && !strcmp(a + alen - 3, "/..")))
        return false;
    const char *root = h->roots[r].dir,
               *version = h->s->versions[m->version].name;
    struct lp_git *g = root_git(h, (size_t)r);
    bool in_git = g && asset_from_git(h, g, m, l);
    /* "root/asset", and " at version V" when read from git */
    size_t n = strlen(root) + alen + strlen(version) + 16;
    if (h->err || !(*where = lp_malloc(n))) {
        h->err = LP_ENOMEM;
        lines_release(l);
        return false;
    }
    snprintf(*where, n, "%s/%s%s%s", root, a, in_git ? " at version " : "",
             in_git ? version : "");
    if ((in_git || read_path(h, *where, 0, l)) && index_lines(h, l))
        return true;
    lines_release(l);
    lp_free(*where);
    *where = NULL;
    return false;
}

/* Whether a secret was found on a line lo..hi of f. */
static bool has_secret(const struct lp_scan *s, const struct lp_file_result *f,
                       uint32_t lo, uint32_t hi)
{
    for (size_t k = 0; s->secrets_mode != LP_SECRETS_OFF && k < f->nsecrets;
         k++) {
        const struct lp_secret_finding *x = &f->secrets[k];
        if (x->line <= hi && x->line + (x->lines ? x->lines : 1) > lo)
            return true;
    }
    return false;
}

/* Line number i (from 1) of l, escaped, with its number; hl: in a span. */
static void put_line(struct html *h, const struct lines *l, uint32_t i,
                     const struct lp_file_result *f)
{
    FILE *fp = h->fp;
    size_t a = l->start[i - 1], b = l->start[i] - 1; // b: its '\n' or end
    if (b > a && l->buf[b - 1] == '\r')
        b--;
    fprintf(fp, "<span class=\"ln\">%6" PRIu32 " </span>", i);
    /* never a secret's value: a line holding a finding is hidden */
    if (f && has_secret(h->s, f, i, i)) {
        fputs("<i>(a secret was found on this line: not shown)</i>\n", fp);
        return;
    }
    size_t n = b - a;
    bool cut = n > HTML_MAX_LINE_BYTES;
    if (cut) { // not in the middle of a character
        n = HTML_MAX_LINE_BYTES;
        while (n && ((unsigned char)l->buf[a + n] & 0xc0) == 0x80)
            n--;
    }
    lp_html_put(l->buf + a, n, LP_HTML_LINE, fp);
    fputs(cut ? " <i>[cut]</i>\n" : "\n", fp);
}

/* Lines lo..hi of l in a <pre>, those in a..b highlighted; a line of f
 * that holds a secret is not shown (f NULL: no such check). */
static void put_pane(struct html *h, const struct lines *l, uint32_t lo,
                     uint32_t hi, uint32_t a, uint32_t b,
                     const struct lp_file_result *f, const char *cls, size_t k)
{
    FILE *fp = h->fp;
    fprintf(fp, "<pre class=\"%s\" data-span=\"%zu\">", cls, k);
    for (uint32_t i = lo; i <= hi; i++) {
        bool in = i >= a && i <= b;
        if (in)
            fputs("<span class=\"hl\">", fp);
        put_line(h, l, i, f);
        if (in)
            fputs("</span>", fp);
    }
    fputs("</pre>\n", fp);
}

/* The lines lo..hi of a span [a, b] of a text of n lines, with context;
 * false when the span is not in it. */
static bool span_range(const uint32_t ab[2], size_t n, uint32_t *lo,
                       uint32_t *hi)
{
    if (!ab[0] || ab[1] < ab[0] || ab[0] > n)
        return false;
    uint64_t end = (uint64_t)ab[1] + HTML_CONTEXT;
    *lo = ab[0] > HTML_CONTEXT ? ab[0] - HTML_CONTEXT : 1;
    *hi = end > n ? (uint32_t)n : (uint32_t)end;
    return true;
}

/* The lines of the spans of f's best match, with context, as far as the
 * caps allow: the sample's (l, may be NULL) and, with --asset-root, the
 * asset's beside them (al, may be NULL; read from apath). */
static void put_span_text(struct html *h, const struct lp_file_result *f,
                          const struct lines *l, const struct lines *al,
                          const char *apath)
{
    FILE *fp = h->fp;
    const struct lp_match *m = &f->matches[0];
    size_t shown = 0, cut = 0, hidden = 0;
    for (size_t k = 0; k < m->nspans; k++) {
        const struct lp_span *sp = &m->spans[k];
        uint32_t lo = 0, hi = 0, alo = 0, ahi = 0;
        size_t ns = 0, na = 0;
        if (sp->pages[0])
            continue;
        if (l && span_range(sp->lines, l->n, &lo, &hi)) {
            if (k && sp->lines[0] <= m->spans[k - 1].lines[1] + HTML_CONTEXT &&
                sp->lines[0] > m->spans[k - 1].lines[1])
                lo = sp->lines[0]; // no context line twice
            ns = (size_t)(hi - lo) + 1;
        }
        if (al && span_range(sp->asset_lines, al->n, &alo, &ahi)) {
            /* the asset's lines hold what the sample's do */
            if (has_secret(h->s, f, sp->lines[0], sp->lines[1]))
                hidden++;
            else
                na = (size_t)(ahi - alo) + 1;
        }
        size_t room = h->max_file_lines - shown;
        room = room < h->lines_left ? room : h->lines_left;
        size_t gs = ns < room ? ns : room;
        size_t ga = na < room - gs ? na : room - gs;
        cut += ns - gs + na - ga;
        if (!gs && !ga)
            continue;
        if (al)
            fputs("<div class=\"side\">", fp);
        if (gs) {
            if (al)
                fprintf(fp,
                        "<div><p class=\"cap\">sample, lines %" PRIu32
                        "&ndash;%" PRIu32 "</p>",
                        sp->lines[0], sp->lines[1]);
            put_pane(h, l, lo, lo + (uint32_t)gs - 1, sp->lines[0],
                     sp->lines[1], f, "lines", k);
            if (al)
                fputs("</div>", fp);
        }
        if (ga) {
            fputs("<div><p class=\"cap\">asset <span class=\"path\">", fp);
            put(apath, fp);
            fprintf(fp, "</span>, lines %" PRIu32 "&ndash;%" PRIu32 "</p>",
                    sp->asset_lines[0], sp->asset_lines[1]);
            put_pane(h, al, alo, alo + (uint32_t)ga - 1, sp->asset_lines[0],
                     sp->asset_lines[1], NULL, "lines asset", k);
            fputs("</div>", fp);
        }
        if (al)
            fputs("</div>\n", fp);
        shown += gs + ga;
        h->lines_left -= gs + ga;
    }
    if (hidden)
        fprintf(fp,
                "<p class=\"note\">The asset's lines of %zu spans are not "
                "shown: the sample's hold a secret.</p>\n",
                hidden);
    if (cut) {
        fprintf(fp,
                "<p class=\"note\">%zu more lines of this file not shown "
                "(--html-max-lines, --html-max-file-lines)</p>\n",
                cut);
        h->lines_cut += cut;
        h->files_cut++;
    }
}

static void put_match_spans(struct html *h, const struct lp_match *m)
{
    const struct lp_scan *s = h->s;
    FILE *fp = h->fp;
    fputs("<p>&larr; <span class=\"path\">", fp);
    put(s->collections[m->collection].name, fp);
    fputc(':', fp);
    put(m->asset, fp);
    fputs("</span> @ ", fp);
    put(s->versions[m->version].name, fp);
    fprintf(fp, ": <b>%s</b>, similarity %.2f, coverage %.2f", match_how(m),
            m->similarity, m->coverage);
    if (m->tlsh)
        fprintf(fp, ", TLSH distance %u", (unsigned)(m->tlsh - 1));
    fputs("</p>\n", fp);
    if (!m->nspans)
        return;
    fputs("<table class=\"spans\"><thead><tr><th>sample lines</th><th>asset "
          "lines</th><th>how</th><th>fingerprints</th></tr></thead><tbody>\n",
          fp);
    for (size_t k = 0; k < m->nspans && k < HTML_MAX_SPANS; k++) {
        const struct lp_span *sp = &m->spans[k];
        const char *how = lp_how_name((enum lp_how)sp->how);
        fprintf(fp, "<tr><td>%" PRIu32 "&ndash;%" PRIu32, sp->lines[0],
                sp->lines[1]);
        if (sp->pages[0])
            fprintf(fp, " (pages %" PRIu32 "&ndash;%" PRIu32 ")", sp->pages[0],
                    sp->pages[1]);
        fprintf(fp,
                "</td><td>%" PRIu32 "&ndash;%" PRIu32
                "</td><td class=\"how-%s\">"
                "%s</td><td class=\"n\">%" PRIu32 "</td></tr>\n",
                sp->asset_lines[0], sp->asset_lines[1], how, how, sp->nfp);
    }
    fputs("</tbody></table>\n", fp);
    if (m->nspans > HTML_MAX_SPANS)
        fprintf(fp, "<p class=\"note\">and %zu more spans</p>\n",
                m->nspans - HTML_MAX_SPANS);
}

static void put_evidence(struct html *h, const size_t *order, size_t n)
{
    const struct lp_scan *s = h->s;
    FILE *fp = h->fp;
    if (!n)
        return;
    fputs("<section id=\"evidence\">\n<h2>Evidence</h2>\n", fp);
    for (size_t k = 0; k < n && !h->err; k++) {
        const struct lp_file_result *f = &s->files[order[k]];
        if (k == HTML_SHOWN_FILES) // the rest is laid out when opened
            fprintf(fp,
                    "<details class=\"more\"><summary>the evidence of %zu "
                    "more files</summary>\n",
                    n - k);
        fprintf(fp, "<div class=\"file\" id=\"f-%zu\">\n<h3 class=\"path\">",
                order[k]);
        put(f->path, fp);
        fprintf(fp, "</h3>\n");
        for (size_t i = 0; i < f->nmatches; i++)
            put_match_spans(h, &f->matches[i]);
        if (f->matches_more)
            fprintf(fp, "<p class=\"note\">and %" PRIu32 " more matches</p>\n",
                    f->matches_more);
        struct lines l, al;
        char *apath = NULL;
        bool want = h->max_file_lines && h->lines_left && f->matches[0].nspans;
        bool have = want && lines_read(h, f, &l);
        bool have_asset = want && asset_read(h, &f->matches[0], &al, &apath);
        if (have || have_asset)
            put_span_text(h, f, have ? &l : NULL, have_asset ? &al : NULL,
                          apath);
        if (have)
            lines_release(&l);
        if (have_asset)
            lines_release(&al);
        lp_free(apath);
        if (want && !have) {
            h->files_nodisk++;
        } else if (!want && f->matches[0].nspans && h->max_file_lines) {
            h->files_none++; // the total was reached before this file
        }
        fputs("</div>\n", fp);
    }
    if (n > HTML_SHOWN_FILES)
        fputs("</details>\n", fp);
    if (h->lines_cut || h->files_none || h->files_nodisk) {
        fputs("<p class=\"note\" id=\"lines-note\">", fp);
        if (h->lines_cut || h->files_none)
            fprintf(fp,
                    "Sample lines left out for the caps (%zu in all, %zu "
                    "per file): %zu lines of %zu files shown in part; the "
                    "lines of %zu more files not shown, the total reached. ",
                    h->max_lines, h->max_file_lines, h->lines_cut, h->files_cut,
                    h->files_none);
        if (h->files_nodisk)
            fprintf(fp,
                    "The lines of %zu files are not shown: the scan kept "
                    "no text of them (past --html-keep-text), and they are "
                    "inside an archive or a git history, not text as "
                    "scanned, or no longer on disk with the scanned "
                    "content.",
                    h->files_nodisk);
        fputs("</p>\n", fp);
    }
    fputs("</section>\n", fp);
}

/* The file listings that name registered paths (the JSON report's
 * "listings"): per collection, the files named and how they agree. */
static void put_listings(struct html *h)
{
    const struct lp_scan *s = h->s;
    FILE *fp = h->fp;
    bool first = true;
    for (size_t i = 0; i < s->nfiles; i++) {
        const struct lp_file_result *f = &s->files[i];
        if (!f->listing)
            continue;
        if (first)
            fputs("<section id=\"listings\">\n<h2>File listings</h2>\n<p>"
                  "Listings of files (not their content) that name "
                  "registered paths.</p>\n<table id=\"listings-table\">"
                  "<thead><tr><th>listing</th><th>format</th><th>collection"
                  "</th><th>files named</th><th>of</th><th>by size</th><th>"
                  "by SHA-256</th><th>by git blob id</th></tr></thead><tbody>"
                  "\n",
                  fp);
        first = false;
        for (size_t k = 0; k < f->listing->nhits; k++) {
            const struct lp_listing_hit *x = &f->listing->hits[k];
            fputs("<tr><td class=\"path\">", fp);
            put(f->path, fp);
            fprintf(fp, "</td><td>%s</td><td>",
                    lp_listing_format_name(
                        (enum lp_listing_format)f->listing_format));
            put(s->collections[x->collection].name, fp);
            fprintf(fp,
                    "</td><td class=\"n\">%" PRIu32 "</td><td class=\"n\">"
                    "%" PRIu32 "</td><td class=\"n\">%" PRIu32 "</td><td "
                    "class=\"n\">%" PRIu32 "</td><td class=\"n\">%" PRIu32
                    "</td></tr>\n",
                    x->registered, x->total, x->by_size, x->by_sha256,
                    x->by_git);
        }
    }
    if (!first)
        fputs("</tbody></table>\n</section>\n", fp);
}

/* The files that share only licence text with the registry: never
 * evidence (the JSON report's "licence_only"). */
static void put_licence_only(struct html *h)
{
    const struct lp_scan *s = h->s;
    FILE *fp = h->fp;
    bool first = true;
    for (size_t i = 0; i < s->nfiles; i++) {
        const struct lp_file_result *f = &s->files[i];
        const char *name = lp_file_licence_only(f);
        if (!name)
            continue;
        if (first)
            fputs("<section id=\"licence-only\">\n<h2>Licence text only</h2>"
                  "\n<p>Files that share only licence text with the "
                  "registry: not evidence.</p>\n<ul>\n",
                  fp);
        first = false;
        fputs("<li><span class=\"path\">", fp);
        put(f->path, fp);
        fprintf(fp, "</span>: %s, %" PRIu32 " fingerprints</li>\n", name,
                f->licence_nfp);
    }
    if (!first)
        fputs("</ul>\n</section>\n", fp);
}

static const char *yes_no(bool b)
{
    return b ? "yes" : "no";
}

/* The findings table: the secrets (exposures false, masked: never a
 * value) or the exposures (their value: a host or an address). */
static void put_findings(struct html *h, bool exposures)
{
    const struct lp_scan *s = h->s;
    FILE *fp = h->fp;
    size_t n = exposures ? s->nexposures : s->nsecrets;
    fprintf(fp, "<h3>%s (%zu)</h3>\n", exposures ? "Exposures" : "Secrets", n);
    if (!n)
        return;
    fprintf(fp,
            "<table class=\"sortable\" id=\"%s-table\"><thead><tr><th>path"
            "</th><th>line</th><th>rule</th><th>category</th><th>%s</th>%s"
            "</tr></thead><tbody>\n",
            exposures ? "exposures" : "secrets", exposures ? "value" : "masked",
            exposures ? ""
                      : "<th>confidence</th><th>known</th><th>still present"
                        "</th>");
    for (size_t i = 0; i < s->nfiles; i++)
        for (size_t k = 0; k < s->files[i].nsecrets; k++) {
            const struct lp_file_result *f = &s->files[i];
            const struct lp_secret_finding *x = &f->secrets[k];
            const struct lp_res_rule *r = lp_result_rule(s, x->rule);
            if (!r || !!(r->flags & LP_RULE_EXPOSURE) != exposures)
                continue;
            fputs("<tr><td class=\"path\">", fp);
            put(f->path, fp);
            fprintf(fp,
                    "</td><td class=\"n\" data-v=\"%" PRIu32 "\">%" PRIu32
                    ":%" PRIu32 "</td><td>",
                    x->line, x->line, x->column);
            put(r->id, fp);
            fputs("</td><td>", fp);
            put(r->category, fp);
            fputs("</td><td class=\"path\">", fp);
            put(exposures ? x->value : x->masked, fp);
            fputs("</td>", fp);
            if (!exposures) {
                const struct lp_secret_known *kn =
                    s->linked ? lp_result_known(s, x->fp) : NULL;
                fprintf(fp, "<td>%s</td><td>",
                        r->flags & LP_RULE_GENERIC ? "medium" : "high");
                if (kn) {
                    fputs("yes: ", fp);
                    put(kn->in[0], fp);
                    if (kn->nin > 1)
                        fprintf(fp, " and %zu more", kn->nin - 1);
                } else {
                    fputs("no", fp);
                }
                fprintf(fp, "</td><td>%s</td>",
                        kn ? yes_no(kn->still_present) : "&ndash;");
            }
            fputs("</tr>\n", fp);
        }
    fputs("</tbody></table>\n", fp);
}

static void put_secrets_section(struct html *h)
{
    const struct lp_scan *s = h->s;
    fputs("<section id=\"secrets\">\n<h2>Secrets and exposures</h2>\n", h->fp);
    if (s->nbaselined)
        fprintf(h->fp, "<p>%zu more already in the baseline.</p>\n",
                s->nbaselined);
    if (s->key_id[0])
        fprintf(h->fp, "<p>Fingerprints under key %s.</p>\n", s->key_id);
    put_findings(h, false);
    put_findings(h, true);
    fputs("</section>\n", h->fp);
}

static void put_skipped(struct html *h)
{
    const struct lp_scan *s = h->s;
    FILE *fp = h->fp;
    fprintf(fp, "<section id=\"skipped\">\n<h2>Inputs not read (%zu)</h2>\n",
            s->nskips);
    if (!s->nskips && s->nerrors)
        fprintf(fp, "<p>%zu inputs could not be read.</p>\n", s->nerrors);
    if (!s->nskips) {
        fputs(s->nerrors ? "</section>\n"
                         : "<p>Every input was read.</p>\n</section>\n",
              fp);
        return;
    }
    fputs("<table class=\"sortable\" id=\"skipped-table\"><thead><tr><th>path"
          "</th><th>reason</th></tr></thead><tbody>\n",
          fp);
    for (size_t i = 0; i < s->nskips; i++) {
        fputs("<tr><td class=\"path\">", fp);
        put(s->skips[i].path, fp);
        fputs("</td><td>", fp);
        put(s->skips[i].reason, fp);
        fputs("</td></tr>\n", fp);
    }
    fputs("</tbody></table>\n</section>\n", fp);
}

static void html_init(struct html *h, const struct lp_scan *s,
                      const struct lp_html_options *opt, FILE *fp)
{
    memset(h, 0, sizeof *h);
    h->s = s;
    h->fp = fp;
    h->max_lines = LP_HTML_MAX_LINES;
    h->max_file_lines = LP_HTML_MAX_FILE_LINES;
    if (opt) {
        h->command = opt->command;
        h->date = opt->date;
        if (opt->max_lines)
            h->max_lines = opt->max_lines;
        if (opt->max_file_lines)
            h->max_file_lines = opt->max_file_lines;
        if (opt->no_lines)
            h->max_lines = h->max_file_lines = 0;
        h->roots = opt->roots;
        h->nroots = opt->nroots;
    }
    h->lines_left = h->max_lines;
}

static lp_err html_scan(const struct lp_scan *s,
                        const struct lp_html_options *opt, FILE *fp)
{
    struct html h;
    html_init(&h, s, opt, fp);
    size_t n = 0, *order = by_evidence(s, &n);
    if (!order)
        return LP_ENOMEM;
    char title[96];
    snprintf(title, sizeof title, "leakprint: %s", lp_level_name(s->level));
    put_head(&h, title);
    put_verdict(&h);
    put_scope(&h);
    put_files_table(&h, order, n);
    put_evidence(&h, order, n);
    put_listings(&h);
    put_licence_only(&h);
    if (s->secrets_mode != LP_SECRETS_OFF)
        put_secrets_section(&h);
    put_skipped(&h);
    put_foot(&h);
    lp_free(order);
    for (size_t i = 0; h.git_state && i < h.nroots; i++)
        lp_git_close(h.git_state[i].g);
    lp_free(h.git_state);
    if (h.err)
        return h.err;
    return ferror(fp) ? LP_EIO : LP_OK;
}

/* `leakprint secrets`: the counts by category and confidence, the
 * findings, the exposures, the inputs not read. */
static lp_err html_secrets(const struct lp_scan *s,
                           const struct lp_html_options *opt, FILE *fp)
{
    struct html h;
    html_init(&h, s, opt, fp);
    put_head(&h, "leakprint: secrets");
    fprintf(fp,
            "<header id=\"verdict\" class=\"verdict v-%s\">\n<h1>Secrets: "
            "<span id=\"level\">%zu found</span></h1>\n<p id=\"summary\">%zu "
            "secrets and %zu exposures in %zu files (%zu rules)</p>\n"
            "</header>\n",
            s->nsecrets     ? "confirmed"
            : s->nexposures ? "likely"
                            : "none",
            s->nsecrets, s->nsecrets, s->nexposures, lp_result_files_scanned(s),
            s->nrules);
    /* by category and confidence, in the order first met */
    fputs("<section id=\"summary-table\">\n<h2>Summary</h2>\n<table "
          "class=\"sortable\" id=\"categories-table\"><thead><tr><th>category"
          "</th><th>confidence</th><th>findings</th></tr></thead><tbody>\n",
          fp);
    for (size_t r = 0; r < s->nrules; r++) {
        /* a category once, at its first rule */
        const struct lp_res_rule *rr = &s->rules[r];
        bool first = true;
        for (size_t q = 0; q < r && first; q++)
            first = strcmp(s->rules[q].category, rr->category) != 0;
        if (!first)
            continue;
        for (int generic = 0; generic < 2; generic++) {
            size_t count = 0;
            for (size_t i = 0; i < s->nfiles; i++)
                for (size_t k = 0; k < s->files[i].nsecrets; k++) {
                    const struct lp_res_rule *x =
                        lp_result_rule(s, s->files[i].secrets[k].rule);
                    count += x && !strcmp(x->category, rr->category) &&
                             !!(x->flags & LP_RULE_GENERIC) == generic;
                }
            if (!count)
                continue;
            fputs("<tr><td>", fp);
            put(rr->category, fp);
            fprintf(fp,
                    "</td><td>%s</td><td class=\"n\" data-v=\"%zu\">%zu"
                    "</td></tr>\n",
                    rr->flags & LP_RULE_EXPOSURE ? "exposure"
                    : generic                    ? "medium"
                                                 : "high",
                    count, count);
        }
    }
    fputs("</tbody></table>\n</section>\n", fp);
    put_secrets_section(&h);
    put_skipped(&h);
    put_foot(&h);
    return ferror(fp) ? LP_EIO : LP_OK;
}

lp_err lp_report_html(const struct lp_scan *s,
                      const struct lp_html_options *opt, FILE *fp)
{
    return s->secrets_mode == LP_SECRETS_ONLY ? html_secrets(s, opt, fp)
                                              : html_scan(s, opt, fp);
}

lp_err lp_report_html_default(const struct lp_scan *s, int color, FILE *fp)
{
    (void)color;
    return lp_report_html(s, NULL, fp);
}

lp_err lp_report_write_html(const lp_scan *scan,
                            const struct lp_html_options *opt, FILE *fp)
{
    return lp_report_html(scan, opt, fp);
}
