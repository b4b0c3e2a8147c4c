/* SPDX-License-Identifier: Apache-2.0
 *
 * report_text: the report for people. Verdict first, then the scope of each
 * collection, then each matched file with its best matches and line spans.
 * Colour (ANSI) only when the caller says the output is a terminal.
 */
#include <stdio.h>

#include "report.h"
#include "banned.h"

#define MAX_SPANS_SHOWN 4

struct style {
    const char *bold, *dim, *red, *yellow, *green, *off;
};

static const struct style plain = {"", "", "", "", "", ""};
static const struct style ansi = {"\033[1m", "\033[2m", "\033[31m",
                                  "\033[33m", "\033[32m", "\033[0m"};

static void human_bytes(uint64_t b, char *buf, size_t len)
{
    if (b < 1024)
        snprintf(buf, len, "%llu B", (unsigned long long)b);
    else if (b < 1024 * 1024)
        snprintf(buf, len, "%.1f KB", (double)b / 1024);
    else
        snprintf(buf, len, "%.1f MB", (double)b / (1024 * 1024));
}

static const char *level_colour(const struct style *st, enum lp_level l)
{
    return l == LP_LEVEL_CONFIRMED ? st->red
         : l == LP_LEVEL_LIKELY   ? st->yellow
         : l == LP_LEVEL_UNLIKELY ? st->dim
                                  : st->green;
}

static void put_verdict(const struct lp_scan *s, const struct style *st,
                        FILE *fp)
{
    fprintf(fp, "%sVERDICT%s  %s%s%s%s (confidence %.2f)\n", st->bold, st->off,
            st->bold, level_colour(st, s->level), lp_level_name(s->level),
            st->off, s->confidence);
    fputs("         ", fp);
    lp_report_put_escaped(s->summary, fp);
    fputc('\n', fp);
}

static void put_scope(const struct lp_scan *s, const struct style *st, FILE *fp)
{
    const struct lp_snapshot *snap = s->snap;
    for (size_t i = 0; i < s->nscope; i++) {
        const struct lp_scope *sc = &s->scope[i];
        char b[32];
        human_bytes(sc->bytes_matched, b, sizeof b);
        fprintf(fp, "%s%s%s", i ? "         " : "\n", i ? "" : st->bold,
                i ? "" : "SCOPE");
        fprintf(fp, "%s%s", i ? "" : st->off, i ? "" : "    ");
        lp_report_put_escaped(snap->collections[sc->collection].name, fp);
        fprintf(fp, ": %u of %u files, %s (%.1f%% of its bytes)\n",
                sc->assets_matched, sc->assets_total, b, 100 * sc->coverage);
        fputs("         best version ", fp);
        lp_report_put_escaped(snap->versions[sc->best_version].name, fp);
        fputs("; consistent with ", fp);
        if (!sc->nconsistent)
            fputs("no single version", fp);
        for (size_t k = 0; k < sc->nconsistent; k++) {
            fputs(k ? ", " : "", fp);
            lp_report_put_escaped(snap->versions[sc->consistent[k]].name, fp);
        }
        fputc('\n', fp);
    }
}

static void put_match(const struct lp_scan *s, const struct lp_match *m,
                      const struct style *st, FILE *fp)
{
    fputs("    <- ", fp);
    lp_report_put_escaped(s->snap->collections[m->collection].name, fp);
    fputc(':', fp);
    lp_report_put_escaped(m->asset, fp);
    fputs(" @", fp);
    lp_report_put_escaped(s->snap->versions[m->version].name, fp);
    fprintf(fp, "  %s%s%s similarity %.2f coverage %.2f\n", st->bold,
            m->exact ? "identical" : "similar", st->off, m->similarity,
            m->coverage);
    for (size_t i = 0; i < m->nspans && i < MAX_SPANS_SHOWN; i++) {
        const struct lp_span *sp = &m->spans[i];
        fprintf(fp, "       %slines %u-%u = asset lines %u-%u (%s)%s\n",
                st->dim, sp->lines[0], sp->lines[1], sp->asset_lines[0],
                sp->asset_lines[1], lp_how_name((enum lp_how)sp->how),
                st->off);
    }
    if (m->nspans > MAX_SPANS_SHOWN)
        fprintf(fp, "       %s... %zu more spans%s\n", st->dim,
                m->nspans - MAX_SPANS_SHOWN, st->off);
}

static void put_files(const struct lp_scan *s, const struct style *st, FILE *fp)
{
    bool first = true;
    for (size_t i = 0; i < s->nfiles; i++) {
        const struct lp_file_result *f = &s->files[i];
        if (!f->nmatches)
            continue;
        if (first)
            fprintf(fp, "\n%sFILES%s\n", st->bold, st->off);
        first = false;
        fprintf(fp, "  %s", st->bold);
        lp_report_put_escaped(f->path, fp);
        fprintf(fp, "%s  [%s]\n", st->off, lp_kind_name((enum lp_kind)f->kind));
        for (size_t k = 0; k < f->nmatches; k++)
            put_match(s, &f->matches[k], st, fp);
    }
}

lp_err lp_report_text(const struct lp_scan *s, int color, FILE *fp)
{
    const struct style *st = color ? &ansi : &plain;
    char b[32];
    put_verdict(s, st, fp);
    put_scope(s, st, fp);
    put_files(s, st, fp);
    human_bytes(s->bytes, b, sizeof b);
    fprintf(fp, "\n%sSCANNED%s  %zu files (%s), %zu matched, %zu unreadable\n",
            st->bold, st->off, s->nfiles, b, s->files_matched, s->nerrors);
    return ferror(fp) ? LP_EIO : LP_OK;
}
