/* SPDX-License-Identifier: Apache-2.0
 *
 * report_text: the report for people. Verdict first, then the scope of each
 * collection, then each matched file with its best matches and line spans.
 * Colour (ANSI) only when the caller says the output is a terminal.
 */
#include <stdio.h>
#include <string.h>

#include "licence.h"
#include "report.h"
#include "banned.h"

#define MAX_SPANS_SHOWN 4
/* Matches shown per file (a bundle of headers may have hundreds). */
#define MAX_MATCHES_SHOWN 10

struct style {
    const char *bold, *dim, *red, *yellow, *green, *off;
};

static const struct style plain = {"", "", "", "", "", ""};
static const struct style ansi = {"\033[1m", "\033[2m", "\033[31m",
                                  "\033[33m", "\033[32m", "\033[0m"};

/* The noun for a count: "1 file", "2 files". */
static const char *nouns(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* The line on inputs not read, when there are some. */
static void put_skips(const struct lp_scan *s, FILE *fp)
{
    if (s->nskips)
        fprintf(fp, "         %zu %s not read (named on stderr and in the "
                    "JSON report's \"skipped\")\n", s->nskips,
                nouns(s->nskips, "input", "inputs"));
}

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
    lp_utf8_put_escaped(s->summary, fp);
    fputc('\n', fp);
}

static void put_scope(const struct lp_scan *s, const struct style *st, FILE *fp)
{
    for (size_t i = 0; i < s->nscope; i++) {
        const struct lp_scope *sc = &s->scope[i];
        char b[32];
        human_bytes(sc->bytes_matched, b, sizeof b);
        fprintf(fp, "%s%s%s", i ? "         " : "\n", i ? "" : st->bold,
                i ? "" : "SCOPE");
        fprintf(fp, "%s%s", i ? "" : st->off, i ? "" : "    ");
        lp_utf8_put_escaped(s->collections[sc->collection].name, fp);
        fprintf(fp, ": %u of %u files, %s (%.1f%% of its bytes)\n",
                sc->assets_matched, sc->assets_total, b, 100 * sc->coverage);
        char d1[32], d2[32];
        fputs("         best version ", fp);
        lp_utf8_put_escaped(s->versions[sc->best_version].name, fp);
        lp_format_time(s->versions[sc->best_version].created, d1);
        fprintf(fp, " (%.10s)\n         ", d1);
        if (!sc->nconsistent) {
            fputs("no single version holds every file well explained\n", fp);
        } else {
            /* Dates the copy: when versions were registered over time, the
             * sample can only come from these. */
            const struct lp_res_version *v0 = &s->versions[sc->consistent[0]];
            const struct lp_res_version *v1 =
                &s->versions[sc->consistent[sc->nconsistent - 1]];
            lp_format_time(v0->created, d1);
            lp_format_time(v1->created, d2);
            fputs("the sample is consistent with ", fp);
            if (sc->nconsistent == 1) {
                fputs("version ", fp);
                lp_utf8_put_escaped(v0->name, fp);
                fprintf(fp, " only (dated %.10s)\n", d1);
            } else {
                fprintf(fp, "%zu versions, ", sc->nconsistent);
                lp_utf8_put_escaped(v0->name, fp);
                fputs("..", fp);
                lp_utf8_put_escaped(v1->name, fp);
                fprintf(fp, " (dated %.10s..%.10s)\n", d1, d2);
            }
        }
        /* Which parts leaked, and how much of each. */
        size_t show = sc->ndirs < 6 ? sc->ndirs : 6;
        for (size_t k = 0; k < show; k++) {
            const struct lp_dir_share *d = &sc->dirs[k];
            fputs(k ? ", " : "         directories: ", fp);
            lp_utf8_put_escaped(d->dir, fp);
            fprintf(fp, " %u/%u", d->matched, d->total);
        }
        if (sc->ndirs > show)
            fprintf(fp, " and %zu more", sc->ndirs - show);
        if (show)
            fputc('\n', fp);
    }
}

static void put_match(const struct lp_scan *s, const struct lp_match *m,
                      const struct style *st, FILE *fp)
{
    fputs("    <- ", fp);
    lp_utf8_put_escaped(s->collections[m->collection].name, fp);
    fputc(':', fp);
    lp_utf8_put_escaped(m->asset, fp);
    fputs(" @", fp);
    lp_utf8_put_escaped(s->versions[m->version].name, fp);
    /* identical: the same bytes; renamed: every span needed identifiers
     * abstracted; similar: the same code, layout and comments aside. */
    bool renamed = m->nspans > 0;
    for (size_t i = 0; i < m->nspans; i++)
        renamed &= m->spans[i].how == LP_HOW_RENAMED;
    fprintf(fp, "  %s%s%s similarity %.2f coverage %.2f", st->bold,
            m->exact ? "identical" : renamed ? "renamed" : "similar", st->off,
            m->similarity, m->coverage);
    if (m->tlsh)
        fprintf(fp, " TLSH distance %u", (unsigned)(m->tlsh - 1));
    fputc('\n', fp);
    for (size_t i = 0; i < m->nspans && i < MAX_SPANS_SHOWN; i++) {
        const struct lp_span *sp = &m->spans[i];
        char pages[48] = "";
        if (sp->pages[0])
            snprintf(pages, sizeof pages, " (page%s %u-%u)",
                     sp->pages[0] == sp->pages[1] ? "" : "s", sp->pages[0],
                     sp->pages[1]);
        if (sp->pages[0] && sp->pages[0] == sp->pages[1])
            snprintf(pages, sizeof pages, " (page %u)", sp->pages[0]);
        fprintf(fp, "       %slines %u-%u%s = asset lines %u-%u (%s)%s\n",
                st->dim, sp->lines[0], sp->lines[1], pages, sp->asset_lines[0],
                sp->asset_lines[1], lp_how_name((enum lp_how)sp->how),
                st->off);
    }
    if (m->nspans > MAX_SPANS_SHOWN)
        fprintf(fp, "       %s... and %zu more spans%s\n", st->dim,
                m->nspans - MAX_SPANS_SHOWN, st->off);
}

/* What a file listing names: per collection, the registered files and the
 * directories most named. */
static void put_listing(const struct lp_scan *s, const struct lp_file_result *f,
                        const struct style *st, FILE *fp)
{
    const struct lp_listing_result *l = f->listing;
    for (size_t i = 0; i < l->nhits; i++) {
        const struct lp_listing_hit *h = &l->hits[i];
        fputs("    <- ", fp);
        lp_utf8_put_escaped(s->collections[h->collection].name, fp);
        fprintf(fp, ": %s listing of %u files names %u of its %u files",
                lp_listing_format_name((enum lp_listing_format)f->listing_format),
                (unsigned)f->listing_files, (unsigned)h->registered,
                (unsigned)h->total);
        if (*h->listing_root || *h->registry_root) {
            fputs(" (", fp);
            if (*h->listing_root) {
                fputs("listed under '", fp);
                lp_utf8_put_escaped(h->listing_root, fp);
                fputs(*h->registry_root ? "', " : "'", fp);
            }
            if (*h->registry_root) {
                fputs("a listing of '", fp);
                lp_utf8_put_escaped(h->registry_root, fp);
                fputc('\'', fp);
            }
            fputc(')', fp);
        }
        fputc('\n', fp);
        if (h->by_size || h->by_sha256 || h->by_git)
            fprintf(fp,
                    "       matching the registered files: %u by size, %u "
                    "by SHA-256, %u by git blob id\n",
                    (unsigned)h->by_size, (unsigned)h->by_sha256,
                    (unsigned)h->by_git);
        fprintf(fp, "       %sdirectories:", st->dim);
        for (size_t k = 0; k < h->ndirs && k < 5; k++) {
            fputc(' ', fp);
            lp_utf8_put_escaped(*h->dirs[k].dir ? h->dirs[k].dir : ".", fp);
            fprintf(fp, " %u/%u", (unsigned)h->dirs[k].matched,
                    (unsigned)h->dirs[k].total);
            if (k + 1 < h->ndirs && k + 1 < 5)
                fputc(',', fp);
        }
        if (h->ndirs > 5)
            fprintf(fp, " and %zu more", (size_t)h->ndirs - 5);
        fprintf(fp, "%s\n", st->off);
    }
}

static void put_commit(const struct lp_file_result *f, FILE *fp);

/* The matched files (FILES), then the file listings that name
 * registered paths (LISTINGS), as the JSON report's "files" and
 * "listings". */
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
        lp_utf8_put_escaped(f->path, fp);
        fprintf(fp, "%s  [%s]", st->off, lp_kind_name((enum lp_kind)f->kind));
        put_commit(f, fp);
        fputc('\n', fp);
        for (size_t k = 0; k < f->nmatches && k < MAX_MATCHES_SHOWN; k++)
            put_match(s, &f->matches[k], st, fp);
        size_t cut = f->nmatches > MAX_MATCHES_SHOWN
                         ? f->nmatches - MAX_MATCHES_SHOWN : 0;
        if (cut + f->matches_more) {
            fprintf(fp, "    %s... and %zu more %s", st->dim,
                    cut + f->matches_more,
                    cut + f->matches_more == 1 ? "match" : "matches");
            if (f->matches_more)
                fprintf(fp, " (--format json lists the first %d)",
                        LP_MAX_FILE_MATCHES);
            fprintf(fp, "%s\n", st->off);
        }
    }
    first = true;
    for (size_t i = 0; i < s->nfiles; i++) {
        const struct lp_file_result *f = &s->files[i];
        if (!f->listing)
            continue;
        if (first)
            fprintf(fp, "\n%sLISTINGS%s\n", st->bold, st->off);
        first = false;
        fprintf(fp, "  %s", st->bold);
        lp_utf8_put_escaped(f->path, fp);
        fprintf(fp, "%s  [listing]\n", st->off);
        put_listing(s, f, st, fp);
    }
}

/* The files that share only licence text with the registry (LICENCE
 * ONLY), as the JSON report's "licence_only": never evidence. */
static void put_licence_only(const struct lp_scan *s, const struct style *st,
                             FILE *fp)
{
    bool first = true;
    for (size_t i = 0; i < s->nfiles; i++) {
        const struct lp_file_result *f = &s->files[i];
        const char *name = lp_file_licence_only(f);
        if (!name)
            continue;
        if (first)
            fprintf(fp, "\n%sLICENCE ONLY%s  (licence text shared with the "
                        "registry: not evidence)\n", st->bold, st->off);
        first = false;
        fprintf(fp, "  ");
        lp_utf8_put_escaped(f->path, fp);
        fprintf(fp, "  %s%s, %u %s%s\n", st->dim, name, f->licence_nfp,
                nouns(f->licence_nfp, "fingerprint", "fingerprints"), st->off);
    }
}

static void put_scan_secrets(const struct lp_scan *s, const struct style *st,
                             FILE *fp);

lp_err lp_report_text(const struct lp_scan *s, int color, FILE *fp)
{
    const struct style *st = color ? &ansi : &plain;
    char b[32];
    put_verdict(s, st, fp);
    put_scope(s, st, fp);
    put_files(s, st, fp);
    put_licence_only(s, st, fp);
    if (s->secrets_mode != LP_SECRETS_OFF)
        put_scan_secrets(s, st, fp);
    human_bytes(s->bytes, b, sizeof b);
    size_t scanned = lp_result_files_scanned(s);
    fprintf(fp, "\n%sSCANNED%s  %zu %s (%s), %zu matched, %zu unreadable\n",
            st->bold, st->off, scanned, nouns(scanned, "file", "files"), b,
            s->files_matched, s->nerrors);
    put_skips(s, fp);
    return ferror(fp) ? LP_EIO : LP_OK;
}

/* For a blob of a git history: "  (in commit <12 hex>, <day>)", the commit
 * that introduced it (its full id is in the JSON report). */
static void put_commit(const struct lp_file_result *f, FILE *fp)
{
    if (!f->has_commit)
        return;
    char hex[2 * sizeof f->commit + 1], when[32];
    lp_hex(f->commit, sizeof f->commit, hex);
    lp_format_time(f->commit_time, when);
    char *t = strchr(when, 'T');
    if (t)
        *t = '\0';
    fprintf(fp, "  (in commit %.12s, %s)", hex, when);
}

/* One finding: path:line:column first (as compilers and grep write
 * them), the rule, the value masked (an exposure's value, a host or an
 * address, as it is), and what the registry knows of it. */
static void put_finding(const struct lp_scan *s, const struct lp_file_result *f,
                        const struct lp_secret_finding *x,
                        const struct style *st, const char *indent, FILE *fp)
{
    const struct lp_res_rule *r = lp_result_rule(s, x->rule);
    fprintf(fp, "%s%s", indent, st->bold);
    lp_utf8_put_escaped(f->path, fp);
    fprintf(fp, ":%u:%u%s  %s  ", x->line, x->column, st->off, r->id);
    if (r->flags & LP_RULE_EXPOSURE) { /* a host or address */
        lp_utf8_put_escaped(x->value, fp);
        fprintf(fp, "  (%s, exposure)", r->format);
    } else {
        fprintf(fp, "%s  (%s, %s, entropy %.1f)", x->masked, r->format,
                r->flags & LP_RULE_GENERIC ? "medium" : "high", x->entropy);
    }
    put_commit(f, fp);
    fputc('\n', fp);
    const struct lp_secret_known *kn =
        s->linked && !(r->flags & LP_RULE_EXPOSURE) ? lp_result_known(s, x->fp)
                                                    : NULL;
    if (kn) {
        fprintf(fp, "%s    known: ", indent);
        lp_utf8_put_escaped(kn->in[0], fp);
        if (kn->nin > 1)
            fprintf(fp, " and %zu more", kn->nin - 1);
        fputs(kn->still_present ? "; still in " : "; last in ", fp);
        lp_utf8_put_escaped(kn->version, fp);
        fputs(kn->still_present ? ": rotate it\n" : "\n", fp);
    }
}

/* The findings in walk order: all (which < 0), the secrets only (0) or
 * the exposures only (1). */
static void put_findings(const struct lp_scan *s, const struct style *st,
                         const char *indent, int which, FILE *fp)
{
    for (size_t i = 0; i < s->nfiles; i++)
        for (size_t k = 0; k < s->files[i].nsecrets; k++) {
            const struct lp_secret_finding *x = &s->files[i].secrets[k];
            int exposure =
                !!(lp_result_rule(s, x->rule)->flags & LP_RULE_EXPOSURE);
            if (which < 0 || which == exposure)
                put_finding(s, &s->files[i], x, st, indent, fp);
        }
}

/* `leakprint scan --secrets`: the secrets section, between the files and
 * the count of files scanned: the counts, then one line per finding as
 * `leakprint secrets` writes it, the secrets before the exposures (as the
 * JSON document and a JSONL report read back hold them). */
static void put_scan_secrets(const struct lp_scan *s, const struct style *st,
                             FILE *fp)
{
    fprintf(fp, "\n%sSECRETS%s  %zu found, and %zu %s (%zu %s)\n", st->bold,
            st->off, s->nsecrets, s->nexposures,
            nouns(s->nexposures, "exposure", "exposures"), s->nrules,
            nouns(s->nrules, "rule", "rules"));
    if (s->nbaselined)
        fprintf(fp, "         %zu more already in the baseline\n",
                s->nbaselined);
    if (s->key_id[0])
        fprintf(fp, "         fingerprints under key %s\n", s->key_id);
    put_findings(s, st, "  ", 0, fp);
    put_findings(s, st, "  ", 1, fp);
}

/* `leakprint secrets`: one line per finding, then the counts. */
lp_err lp_report_secrets_text(const struct lp_scan *s, int color, FILE *fp)
{
    const struct style *st = color ? &ansi : &plain;
    put_findings(s, st, "", -1, fp);
    size_t scanned = lp_result_files_scanned(s);
    fprintf(fp, "%sSECRETS%s  %zu found, and %zu %s, in %zu %s (%zu %s)\n",
            st->bold, st->off, s->nsecrets, s->nexposures,
            nouns(s->nexposures, "exposure", "exposures"), scanned,
            nouns(scanned, "file", "files"), s->nrules,
            nouns(s->nrules, "rule", "rules"));
    if (s->nbaselined)
        fprintf(fp, "         %zu more already in the baseline\n",
                s->nbaselined);
    if (s->key_id[0])
        fprintf(fp, "         fingerprints under key %s\n", s->key_id);
    put_skips(s, fp);
    return ferror(fp) ? LP_EIO : LP_OK;
}
