/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of the report writers (report.h): each one renders a small
 * result built by hand (a file with two matches and their spans, a PDF
 * with pages, a file listing, a skipped input, secrets and an exposure
 * with their rules, one secret the registry knows, one of a git history)
 * to an open_memstream, compared byte for byte; the JSON reports parse
 * with jansson and have the keys of docs/schema; hostile strings (control
 * characters, invalid UTF-8, markup and quotes) stay escaped; a finding of
 * a rule the scan lacks, a failing FILE and each failed allocation give
 * their error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "classify.h"
#include "extract.h"
#include "listing.h"
#include "mem.h"
#include "report.h"
#include "result.h"
#include "rules.h"
#include "testutil.h"
#include "walk.h"

#include "tu_schema.h"

#include "banned.h"

/* ---- a result by hand --------------------------------------------------- */

/* The fake secret's fingerprint and masked form: no value anywhere. */
#define FP_AWS "3f6c1e0b9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b"
#define FP_PW "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"
#define FP_HOST "77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa"

/* Rules as a scan copies them; R_GH has no finding (SARIF leaves it out). */
enum { R_AWS, R_GH, R_HOST, R_PW, NRULES };

static void set_rule(struct lp_res_rule *r, const char *id, const char *format,
                     const char *category, unsigned flags)
{
    r->id = tu_strdup(id);
    r->format = tu_strdup(format);
    r->category = tu_strdup(category);
    r->flags = flags;
}

static struct lp_secret_finding finding(uint32_t rule, uint32_t line,
                                        uint32_t column, const char *masked,
                                        const char *fp, const char *value)
{
    struct lp_secret_finding x;
    memset(&x, 0, sizeof x);
    x.rule = rule;
    x.line = line;
    x.column = column;
    x.lines = 1;
    x.entropy = value[0] ? 0 : 3.6842;
    snprintf(x.masked, sizeof x.masked, "%s", masked);
    snprintf(x.fp, sizeof x.fp, "%s", fp);
    snprintf(x.value, sizeof x.value, "%s", value);
    return x;
}

/* Files: 0 src/net/ring.c (two matches, three spans), 1 manual.pdf (a
 * PDF, spans with pages), 2 tree.txt (a listing), 3 notes.txt (nothing),
 * 4 config/.env (a secret the registry knows, an exposure), 5 a blob of
 * a git history (a generic password). One input skipped. */
static struct lp_scan *small_scan(void)
{
    struct lp_scan *s = lp_result_new();
    assert_non_null(s);
    lp_free(s->registry_path);
    s->registry_path = tu_strdup("leakprint.db");
    s->nassets = 1234;
    s->collections = tu_calloc(1, sizeof *s->collections);
    s->collections[0].name = tu_strdup("core");
    s->ncollections = 1;
    s->versions = tu_calloc(2, sizeof *s->versions);
    s->versions[0] = (struct lp_res_version){tu_strdup("v1"), 1704880800, 0};
    s->versions[1] = (struct lp_res_version){tu_strdup("v2"), 1714644000, 0};
    s->nversions = 2;
    s->rules = tu_calloc(NRULES, sizeof *s->rules);
    set_rule(&s->rules[R_AWS], "aws-access-key-id", "AWS access key ID",
             "cloud-credential", 0);
    set_rule(&s->rules[R_GH], "github-token", "GitHub token", "scm-token", 0);
    set_rule(&s->rules[R_HOST], "org-hostname", "internal host name",
             "internal-host", LP_RULE_EXPOSURE);
    set_rule(&s->rules[R_PW], "password", "password assignment",
             "generic-secret", LP_RULE_GENERIC);
    s->nrules = NRULES;

    s->files = tu_calloc(6, sizeof *s->files);
    s->nfiles = 6;
    struct lp_file_result *f = &s->files[0];
    f->path = tu_strdup("src/net/ring.c");
    for (int i = 0; i < LP_SHA256_LEN; i++)
        f->sha[i] = (uint8_t)i;
    f->size = 4000;
    f->kind = LP_KIND_CODE;
    f->nfp = 50;
    f->matches = tu_calloc(2, sizeof *f->matches);
    f->nmatches = 2;
    struct lp_match *m = &f->matches[0];
    *m = (struct lp_match){.blob = 7, .collection = 0, .version = 1,
                           .asset = tu_strdup("src/net/ring.c"),
                           .similarity = 0.81234, .coverage = 0.5,
                           .nfp = 40, .evidence = 38.5};
    m->spans = tu_calloc(2, sizeof *m->spans);
    m->spans[0] = (struct lp_span){{1, 20}, {3, 22}, 25, 24.5f,
                                   LP_HOW_NORMALIZED, {0, 0}};
    m->spans[1] = (struct lp_span){{40, 50}, {60, 70}, 10, 10,
                                   LP_HOW_RENAMED, {0, 0}};
    m->nspans = 2;
    m = &f->matches[1];
    *m = (struct lp_match){.blob = 8, .collection = 0, .version = 0,
                           .asset = tu_strdup("src/net/ring_old.c"),
                           .similarity = 0.3, .coverage = 0.2, .nfp = 12,
                           .evidence = 11, .exact = false};
    m->spans = tu_calloc(1, sizeof *m->spans);
    m->spans[0] = (struct lp_span){{10, 20}, {12, 22}, 8, 8, LP_HOW_EXACT,
                                   {0, 0}};
    m->nspans = 1;

    f = &s->files[1];
    f->path = tu_strdup("docs/manual.pdf");
    memset(f->sha, 0xab, sizeof f->sha);
    f->size = 20000;
    f->kind = LP_KIND_PROSE;
    f->doc = LP_DOC_PDF;
    f->matches = tu_calloc(1, sizeof *f->matches);
    f->nmatches = 1;
    m = &f->matches[0];
    *m = (struct lp_match){.blob = 9, .collection = 0, .version = 1,
                           .asset = tu_strdup("docs/manual.md"), .similarity = 1,
                           .coverage = 1, .nfp = 90, .evidence = 90,
                           .exact = true};
    m->spans = tu_calloc(2, sizeof *m->spans);
    m->spans[0] = (struct lp_span){{1, 80}, {1, 80}, 60, 60, LP_HOW_EXACT,
                                   {2, 3}};
    m->spans[1] = (struct lp_span){{90, 99}, {90, 99}, 30, 30, LP_HOW_EXACT,
                                   {5, 5}};
    m->nspans = 2;

    f = &s->files[2];
    f->path = tu_strdup("tree.txt");
    memset(f->sha, 0x01, sizeof f->sha);
    f->size = 900;
    f->kind = LP_KIND_LISTING;
    f->listing_format = LP_LISTING_FIND;
    f->listing_files = 30;
    f->listing = tu_calloc(1, sizeof *f->listing);
    f->listing->files = 30;
    f->listing->hits = tu_calloc(1, sizeof *f->listing->hits);
    f->listing->nhits = 1;
    struct lp_listing_hit *h = &f->listing->hits[0];
    h->collection = 0;
    h->matched = 24;
    h->registered = 25;
    h->total = 300;
    h->by_size = 5;
    h->distinctive = 22;
    h->listing_root = tu_strdup("leak/core-2.3");
    h->registry_root = tu_strdup("");
    h->dirs = tu_calloc(2, sizeof *h->dirs);
    h->dirs[0] = (struct lp_listing_dir){tu_strdup("src/net"), 10, 12};
    h->dirs[1] = (struct lp_listing_dir){tu_strdup(""), 3, 3};
    h->ndirs = 2;

    f = &s->files[3];
    f->path = tu_strdup("notes.txt");
    f->kind = LP_KIND_PROSE;
    f->size = 100;

    f = &s->files[4];
    f->path = tu_strdup("config/.env");
    f->kind = LP_KIND_OTHER;
    f->size = 300;
    f->secrets = tu_calloc(2, sizeof *f->secrets);
    f->secrets[0] = finding(R_AWS, 3, 19, "AKIA********", FP_AWS,
                            "");
    f->secrets[1] = finding(R_HOST, 7, 6, "", FP_HOST, "db1.corp.example.com");
    f->nsecrets = 2;

    f = &s->files[5];
    f->path = tu_strdup("repo.git@history/app/settings.py");
    f->kind = LP_KIND_CODE;
    f->size = 500;
    f->has_commit = true;
    for (int i = 0; i < 20; i++)
        f->commit[i] = (uint8_t)(0xa0 + i);
    f->commit_time = 1700000000; /* 2023-11-14 */
    f->secrets = tu_calloc(1, sizeof *f->secrets);
    f->secrets[0] = finding(R_PW, 12, 5, "********", FP_PW,
                            "");
    f->secrets[0].lines = 1;
    f->nsecrets = 1;

    s->skips = tu_calloc(1, sizeof *s->skips);
    s->skips[0] = (struct lp_skip){tu_strdup("dump.zip!enc.bin"),
                                   tu_strdup("encrypted, no password given "
                                       "(--password)")};
    s->nskips = 1;
    s->nerrors = 1;
    s->secrets_mode = LP_SECRETS_ALSO;
    s->nsecrets = 2;
    s->nexposures = 1;
    s->nbaselined = 4;
    /* the id of the fingerprints' key (a made-up one) */
    snprintf(s->key_id, sizeof s->key_id, "6b1f0c3a9d2e4f58");
    s->key_source = LP_KEY_USER;
    s->linked = true;
    s->known = tu_calloc(1, sizeof *s->known);
    struct lp_secret_known *k = &s->known[0];
    snprintf(k->fp, sizeof k->fp, "%s", FP_AWS);
    k->still_present = true;
    snprintf(k->version, sizeof k->version, "core v2");
    k->in[0] = tu_strdup("core:config/prod.env");
    k->in[1] = tu_strdup("core:config/stage.env");
    k->nin = 2;
    s->nknown = 1;

    s->bytes = 25800;
    s->files_matched = 2;
    s->scope = tu_calloc(1, sizeof *s->scope);
    struct lp_scope *sc = &s->scope[0];
    sc->collection = 0;
    sc->assets_matched = 3;
    sc->assets_total = 300;
    sc->bytes_matched = 21000;
    sc->bytes_total = 1048576;
    sc->coverage = 21000.0 / 1048576;
    sc->best_version = 1;
    sc->consistent = tu_calloc(2, sizeof *sc->consistent);
    sc->consistent[0] = 0;
    sc->consistent[1] = 1;
    sc->nconsistent = 2;
    sc->dirs = tu_calloc(2, sizeof *sc->dirs);
    sc->dirs[0] = (struct lp_dir_share){tu_strdup("src/net"), 2, 12};
    sc->dirs[1] = (struct lp_dir_share){tu_strdup("docs"), 1, 4};
    sc->ndirs = 2;
    s->nscope = 1;
    s->level = LP_LEVEL_LIKELY;
    s->confidence = 0.71333;
    snprintf(s->summary, sizeof s->summary,
             "2 of 6 files come from protected collection 'core' (v2)");
    return s;
}

/* ---- rendering ---------------------------------------------------------- */

typedef lp_err (*writer_fn)(const struct lp_scan *, int, FILE *);

/* What w writes for s (caller frees); its return code into *err. */
static char *render(writer_fn w, const struct lp_scan *s, int color,
                    lp_err *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    *err = w(s, color, fp);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(strlen(buf), len); /* no NUL in any report */
    return buf;
}

static char *render_ok(writer_fn w, const struct lp_scan *s, int color)
{
    lp_err err;
    char *out = render(w, s, color, &err);
    assert_int_equal(err, LP_OK);
    return out;
}

static void check_output(writer_fn w, const struct lp_scan *s, int color,
                         const char *want)
{
    char *got = render_ok(w, s, color);
    if (strcmp(got, want))
        fprintf(stderr, "got:\n%s\n", got);
    assert_string_equal(got, want);
    free(got);
}

/* An indented document (JSON, SARIF): the same bytes as jansson's own
 * indented dump of what it holds, which is `compact` once dumped compact:
 * so the whole output is checked, layout included, against a shorter
 * expected text. */
static void check_document(writer_fn w, const struct lp_scan *s,
                           const char *compact)
{
    char *got = render_ok(w, s, 0);
    json_error_t e;
    json_t *j = json_loads(got, 0, &e);
    if (!j)
        print_error("%s: line %d\n", e.text, e.line);
    assert_non_null(j);
    char *again = json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
    char *flat = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(6));
    assert_non_null(again);
    assert_non_null(flat);
    size_t n = strlen(again);
    assert_int_equal(strlen(got), n + 1);
    assert_memory_equal(got, again, n);
    assert_int_equal(got[n], '\n');
    if (strcmp(flat, compact))
        fprintf(stderr, "got:\n%s\n", flat);
    assert_string_equal(flat, compact);
    free(again);
    free(flat);
    json_decref(j);
    free(got);
}

#define V LP_VERSION_STRING

#define EXPECT_JSON \
    "{\"tool\":{\"name\":\"leakprint\",\"version\":\"" V "\"},\"registry\":" \
    "{\"path\":\"leakprint.db\",\"collections\":1,\"assets\":1234},\"verdic" \
    "t\":{\"level\":\"likely\",\"confidence\":0.7133,\"summary\":\"2 of 6 " \
    "files come from protected collection 'core' " \
    "(v2)\"},\"scope\":{\"files_scanned\":6,\"files_matched\":2,\"files_unr" \
    "eadable\":1,\"bytes_scanned\":25800,\"collections\":[{\"name\":\"core" \
    "\",\"assets_matched\":3,\"assets_total\":300,\"bytes_matched\":21000," \
    "\"coverage\":0.02,\"versions\":{\"best\":\"v2\",\"consistent\":[\"v1\"" \
    ",\"v2\"],\"dated\":[\"2024-01-10T10:00:00Z\",\"2024-05-02T10:00:00Z\"]" \
    "},\"directories\":[{\"path\":\"src/net\",\"matched\":2,\"files\":12},{" \
    "\"path\":\"docs\",\"matched\":1,\"files\":4}]}]},\"files\":[{\"path\":" \
    "\"src/net/ring.c\",\"sha256\":\"000102030405060708090a0b0c0d0e0f101112" \
    "131415161718191a1b1c1d1e1f\",\"kind\":\"code\",\"matches\":[{\"collect" \
    "ion\":\"core\",\"asset\":\"src/net/ring.c\",\"version\":\"v2\",\"simil" \
    "arity\":0.8123,\"coverage\":0.5,\"exact\":false,\"fingerprints\":40,\"" \
    "evidence\":38.5,\"spans\":[{\"lines\":[1,20],\"asset_lines\":[3,22],\"" \
    "how\":\"normalized\",\"fingerprints\":25},{\"lines\":[40,50],\"asset_l" \
    "ines\":[60,70],\"how\":\"renamed\",\"fingerprints\":10}]},{\"collectio" \
    "n\":\"core\",\"asset\":\"src/net/ring_old.c\",\"version\":\"v1\",\"sim" \
    "ilarity\":0.3,\"coverage\":0.2,\"exact\":false,\"fingerprints\":12,\"e" \
    "vidence\":11.0,\"spans\":[{\"lines\":[10,20],\"asset_lines\":[12,22]," \
    "\"how\":\"exact\",\"fingerprints\":8}]}]},{\"path\":\"docs/manual.pdf" \
    "\",\"sha256\":\"ababababababababababababababababababababababababababab" \
    "ababababab\",\"kind\":\"prose\",\"document\":\"pdf\",\"matches\":[{\"c" \
    "ollection\":\"core\",\"asset\":\"docs/manual.md\",\"version\":\"v2\"," \
    "\"similarity\":1.0,\"coverage\":1.0,\"exact\":true,\"fingerprints\":90" \
    ",\"evidence\":90.0,\"spans\":[{\"lines\":[1,80],\"asset_lines\":[1,80]" \
    ",\"how\":\"exact\",\"fingerprints\":60,\"pages\":[2,3]},{\"lines\":[90" \
    ",99],\"asset_lines\":[90,99],\"how\":\"exact\",\"fingerprints\":30,\"p" \
    "ages\":[5,5]}]}]}],\"listings\":[{\"path\":\"tree.txt\",\"sha256\":\"0" \
    "101010101010101010101010101010101010101010101010101010101010101\",\"li" \
    "sting\":{\"format\":\"find\",\"entries\":30,\"collections\":[{\"name\"" \
    ":\"core\",\"entries_matched\":24,\"assets_named\":25,\"assets_total\":" \
    "300,\"coverage\":0.0833,\"listing_root\":\"leak/core-2.3\",\"registry_" \
    "root\":\"\",\"directories\":[{\"path\":\"src/net\",\"matched\":10,\"fi" \
    "les\":12},{\"path\":\".\",\"matched\":3,\"files\":3}]," \
    "\"how\":{\"name\":20,\"size\":5,\"sha256\":0,\"git-blob\":0},\"distinctive\":22}]}}],\"skipped\"" \
    ":[{\"path\":\"dump.zip!enc.bin\",\"reason\":\"encrypted, no password " \
    "given (--password)\"}],\"secrets\":[{\"path\":\"config/.env\",\"line\"" \
    ":3,\"column\":19,\"rule\":\"aws-access-key-id\",\"format\":\"AWS " \
    "access key ID\",\"category\":\"cloud-credential\",\"masked\":\"AKIA***" \
    "*****\",\"fingerprint\":\"3f6c1e0b9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f" \
    "1e0d9c8b7a6f5e4d3c2b\",\"entropy\":3.6842,\"confidence\":\"high\",\"li" \
    "nes\":1,\"known\":true,\"known_in\":[\"core:config/prod.env\",\"core:c" \
    "onfig/stage.env\"],\"known_version\":\"core " \
    "v2\",\"still_present\":true},{\"path\":\"repo.git@history/app/settings" \
    ".py\",\"line\":12,\"column\":5,\"rule\":\"password\",\"format\":\"pass" \
    "word assignment\",\"category\":\"generic-secret\",\"masked\":\"*******" \
    "*\",\"fingerprint\":\"0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071" \
    "8293a4b5c6d7e8f9\",\"entropy\":3.6842,\"confidence\":\"medium\",\"line" \
    "s\":1,\"known\":false,\"known_in\":[],\"commit\":\"a0a1a2a3a4a5a6a7a8a" \
    "9aaabacadaeafb0b1b2b3\",\"commit_date\":\"2023-11-14\"}],\"exposures\"" \
    ":[{\"path\":\"config/.env\",\"line\":7,\"column\":6,\"type\":\"interna" \
    "l-host\",\"rule\":\"org-hostname\",\"value\":\"db1.corp.example.com\"}" \
    "],\"canaries\":[],\"fingerprint_key\":\"6b1f0c3a9d2e4f58\"}"

#define EXPECT_JSONL \
    "{\"path\":\"src/net/ring.c\",\"sha256\":\"000102030405060708090a0b0c0d" \
    "0e0f101112131415161718191a1b1c1d1e1f\",\"kind\":\"code\",\"matches\":[" \
    "{\"collection\":\"core\",\"asset\":\"src/net/ring.c\",\"version\":\"v2" \
    "\",\"similarity\":0.8123,\"coverage\":0.5,\"exact\":false,\"fingerprin" \
    "ts\":40,\"evidence\":38.5,\"spans\":[{\"lines\":[1,20],\"asset_lines\"" \
    ":[3,22],\"how\":\"normalized\",\"fingerprints\":25},{\"lines\":[40,50]" \
    ",\"asset_lines\":[60,70],\"how\":\"renamed\",\"fingerprints\":10}]},{" \
    "\"collection\":\"core\",\"asset\":\"src/net/ring_old.c\",\"version\":" \
    "\"v1\",\"similarity\":0.3,\"coverage\":0.2,\"exact\":false,\"fingerpri" \
    "nts\":12,\"evidence\":11.0,\"spans\":[{\"lines\":[10,20],\"asset_lines" \
    "\":[12,22],\"how\":\"exact\",\"fingerprints\":8}]}]}\n{\"path\":\"docs" \
    "/manual.pdf\",\"sha256\":\"abababababababababababababababababababababa" \
    "babababababababababab\",\"kind\":\"prose\",\"document\":\"pdf\",\"matc" \
    "hes\":[{\"collection\":\"core\",\"asset\":\"docs/manual.md\",\"version" \
    "\":\"v2\",\"similarity\":1.0,\"coverage\":1.0,\"exact\":true,\"fingerp" \
    "rints\":90,\"evidence\":90.0,\"spans\":[{\"lines\":[1,80],\"asset_line" \
    "s\":[1,80],\"how\":\"exact\",\"fingerprints\":60,\"pages\":[2,3]},{\"l" \
    "ines\":[90,99],\"asset_lines\":[90,99],\"how\":\"exact\",\"fingerprint" \
    "s\":30,\"pages\":[5,5]}]}]}\n{\"verdict\":{\"level\":\"likely\",\"conf" \
    "idence\":0.7133,\"summary\":\"2 of 6 files come from protected " \
    "collection 'core' (v2)\"},\"scope\":{\"files_scanned\":6,\"files_match" \
    "ed\":2,\"files_unreadable\":1,\"bytes_scanned\":25800,\"collections\":" \
    "[{\"name\":\"core\",\"assets_matched\":3,\"assets_total\":300,\"bytes_" \
    "matched\":21000,\"coverage\":0.02,\"versions\":{\"best\":\"v2\",\"cons" \
    "istent\":[\"v1\",\"v2\"],\"dated\":[\"2024-01-10T10:00:00Z\",\"2024-05" \
    "-02T10:00:00Z\"]},\"directories\":[{\"path\":\"src/net\",\"matched\":2" \
    ",\"files\":12},{\"path\":\"docs\",\"matched\":1,\"files\":4}]}]},\"ski" \
    "pped\":[{\"path\":\"dump.zip!enc.bin\",\"reason\":\"encrypted, no " \
    "password given (--password)\"}],\"tool\":{\"name\":\"leakprint\",\"ver" \
    "sion\":\"" V "\"},\"registry\":{\"path\":\"leakprint.db\",\"collection" \
    "s\":1,\"assets\":1234},\"listings\":[{\"path\":\"tree.txt\",\"sha256\"" \
    ":\"0101010101010101010101010101010101010101010101010101010101010101\"," \
    "\"listing\":{\"format\":\"find\",\"entries\":30,\"collections\":[{\"na" \
    "me\":\"core\",\"entries_matched\":24,\"assets_named\":25,\"assets_tota" \
    "l\":300,\"coverage\":0.0833,\"listing_root\":\"leak/core-2.3\",\"regis" \
    "try_root\":\"\",\"directories\":[{\"path\":\"src/net\",\"matched\":10," \
    "\"files\":12},{\"path\":\".\",\"matched\":3,\"files\":3}]," \
    "\"how\":{\"name\":20,\"size\":5,\"sha256\":0,\"git-blob\":0},\"distinctive\":22}]}}],\"secre" \
    "ts\":[{\"path\":\"config/.env\",\"line\":3,\"column\":19,\"rule\":\"aw" \
    "s-access-key-id\",\"format\":\"AWS access key " \
    "ID\",\"category\":\"cloud-credential\",\"masked\":\"AKIA********\",\"f" \
    "ingerprint\":\"3f6c1e0b9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6" \
    "f5e4d3c2b\",\"entropy\":3.6842,\"confidence\":\"high\",\"lines\":1,\"k" \
    "nown\":true,\"known_in\":[\"core:config/prod.env\",\"core:config/stage" \
    ".env\"],\"known_version\":\"core " \
    "v2\",\"still_present\":true},{\"path\":\"repo.git@history/app/settings" \
    ".py\",\"line\":12,\"column\":5,\"rule\":\"password\",\"format\":\"pass" \
    "word assignment\",\"category\":\"generic-secret\",\"masked\":\"*******" \
    "*\",\"fingerprint\":\"0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071" \
    "8293a4b5c6d7e8f9\",\"entropy\":3.6842,\"confidence\":\"medium\",\"line" \
    "s\":1,\"known\":false,\"known_in\":[],\"commit\":\"a0a1a2a3a4a5a6a7a8a" \
    "9aaabacadaeafb0b1b2b3\",\"commit_date\":\"2023-11-14\"}],\"exposures\"" \
    ":[{\"path\":\"config/.env\",\"line\":7,\"column\":6,\"type\":\"interna" \
    "l-host\",\"rule\":\"org-hostname\",\"value\":\"db1.corp.example.com\"," \
    "\"fingerprint\":\"77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa" \
    "77aa77aa77aa\"}],\"canaries\":[],\"collections\":[{\"name\":\"core\"," \
    "\"public\":false}],\"versions\":[{\"collection\":\"core\",\"name\":\"v" \
    "1\",\"created\":\"2024-01-10T10:00:00Z\"},{\"collection\":\"core\",\"n" \
    "ame\":\"v2\",\"created\":\"2024-05-02T10:00:00Z\"}],\"rules\":[{\"id\"" \
    ":\"aws-access-key-id\",\"format\":\"AWS access key " \
    "ID\",\"category\":\"cloud-credential\",\"exposure\":false,\"generic\":" \
    "false},{\"id\":\"github-token\",\"format\":\"GitHub " \
    "token\",\"category\":\"scm-token\",\"exposure\":false,\"generic\":fals" \
    "e},{\"id\":\"org-hostname\",\"format\":\"internal host " \
    "name\",\"category\":\"internal-host\",\"exposure\":true,\"generic\":fa" \
    "lse},{\"id\":\"password\",\"format\":\"password " \
    "assignment\",\"category\":\"generic-secret\",\"exposure\":false,\"gene" \
    "ric\":true}],\"baselined\":4,\"fingerprint_key\":\"6b1f0c3a9d2e4f58\"}" \
    "\n"

#define EXPECT_SARIF \
    "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\"," \
    "\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":" \
    "\"leakprint\",\"informationUri\":\"https://leakprint.invalid/\"," \
    "\"version\":\"" V "\",\"semanticVersion\":\"" V \
    "\",\"rules\":[{\"id\":\"leaked-code\",\"shortDescription\":{\"te" \
    "xt\":\"Protected code found in the scanned material\"},\"fullDes" \
    "cription\":{\"text\":\"A file holds a copy (identical or after l" \
    "ayout and comment changes) of a file registered in the leakprint" \
    " registry.\"}},{\"id\":\"leaked-listing\",\"shortDescription\":{" \
    "\"text\":\"A file listing names protected files\"},\"fullDescrip" \
    "tion\":{\"text\":\"A listing (find, tree, ls -R, tar tv, sha256s" \
    "um, git ls-tree...) names files registered in the leakprint regi" \
    "stry; no content was compared, except the hashes it lists.\"}},{" \
    "\"id\":\"aws-access-key-id\",\"name\":\"AwsAccessKeyId\",\"short" \
    "Description\":{\"text\":\"AWS access key ID\"},\"defaultConfigur" \
    "ation\":{\"level\":\"error\"},\"properties\":{\"category\":\"clo" \
    "ud-credential\",\"tags\":[\"security\",\"secret\"]}},{\"id\":\"o" \
    "rg-hostname\",\"name\":\"OrgHostname\",\"shortDescription\":{\"t" \
    "ext\":\"internal host name\"},\"defaultConfiguration\":{\"level" \
    "\":\"note\"},\"properties\":{\"category\":\"internal-host\",\"ta" \
    "gs\":[\"security\",\"exposure\"]}},{\"id\":\"password\",\"name\"" \
    ":\"Password\",\"shortDescription\":{\"text\":\"password assignme" \
    "nt\"},\"defaultConfiguration\":{\"level\":\"warning\"},\"propert" \
    "ies\":{\"category\":\"generic-secret\",\"tags\":[\"security\",\"" \
    "secret\"]}}]}},\"results\":[{\"ruleId\":\"leaked-code\",\"ruleIn" \
    "dex\":0,\"level\":\"error\",\"message\":{\"text\":\"Similar copy" \
    " of core:src/net/ring.c (version v2): similarity 0.81, coverage " \
    "0.50\"},\"locations\":[{\"physicalLocation\":{\"artifactLocation" \
    "\":{\"uri\":\"src/net/ring.c\"},\"region\":{\"startLine\":1,\"en" \
    "dLine\":20}}}],\"relatedLocations\":[{\"physicalLocation\":{\"ar" \
    "tifactLocation\":{\"uri\":\"core/src/net/ring.c\",\"uriBaseId\":" \
    "\"REGISTRY\"},\"region\":{\"startLine\":3,\"endLine\":22}},\"mes" \
    "sage\":{\"text\":\"asset lines of span 1 (normalized)\"}},{\"phy" \
    "sicalLocation\":{\"artifactLocation\":{\"uri\":\"core/src/net/ri" \
    "ng.c\",\"uriBaseId\":\"REGISTRY\"},\"region\":{\"startLine\":60," \
    "\"endLine\":70}},\"message\":{\"text\":\"asset lines of span 2 (" \
    "renamed)\"}},{\"physicalLocation\":{\"artifactLocation\":{\"uri" \
    "\":\"src/net/ring.c\"},\"region\":{\"startLine\":40,\"endLine\":" \
    "50}}}],\"partialFingerprints\":{\"leakprintLeak/v1\":\"d15f3ad93" \
    "b728888e2146feeb3a5d766c6d6d583dd70642ac2db4aad70df7d4d\"},\"pro" \
    "perties\":{\"collection\":\"core\",\"asset\":\"src/net/ring.c\"," \
    "\"version\":\"v2\",\"similarity\":0.8123,\"coverage\":0.5,\"exac" \
    "t\":false}},{\"ruleId\":\"leaked-code\",\"ruleIndex\":0,\"level" \
    "\":\"warning\",\"message\":{\"text\":\"Similar copy of core:src/" \
    "net/ring_old.c (version v1): similarity 0.30, coverage 0.20\"}," \
    "\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"ur" \
    "i\":\"src/net/ring.c\"},\"region\":{\"startLine\":10,\"endLine\"" \
    ":20}}}],\"relatedLocations\":[{\"physicalLocation\":{\"artifactL" \
    "ocation\":{\"uri\":\"core/src/net/ring_old.c\",\"uriBaseId\":\"R" \
    "EGISTRY\"},\"region\":{\"startLine\":12,\"endLine\":22}},\"messa" \
    "ge\":{\"text\":\"asset lines of span 1 (exact)\"}}],\"partialFin" \
    "gerprints\":{\"leakprintLeak/v1\":\"53092775d959c6c9eb60662d881f" \
    "be7a362a80720264e6998ee18be58b178f79\"},\"properties\":{\"collec" \
    "tion\":\"core\",\"asset\":\"src/net/ring_old.c\",\"version\":\"v" \
    "1\",\"similarity\":0.3,\"coverage\":0.2,\"exact\":false}},{\"rul" \
    "eId\":\"leaked-code\",\"ruleIndex\":0,\"level\":\"error\",\"mess" \
    "age\":{\"text\":\"Identical copy of core:docs/manual.md (version" \
    " v2): similarity 1.00, coverage 1.00\"},\"locations\":[{\"physic" \
    "alLocation\":{\"artifactLocation\":{\"uri\":\"docs/manual.pdf\"}" \
    ",\"region\":{\"startLine\":1,\"endLine\":80}}}],\"relatedLocatio" \
    "ns\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":\"cor" \
    "e/docs/manual.md\",\"uriBaseId\":\"REGISTRY\"},\"region\":{\"sta" \
    "rtLine\":1,\"endLine\":80}},\"message\":{\"text\":\"asset lines " \
    "of span 1 (exact)\"}},{\"physicalLocation\":{\"artifactLocation" \
    "\":{\"uri\":\"core/docs/manual.md\",\"uriBaseId\":\"REGISTRY\"}," \
    "\"region\":{\"startLine\":90,\"endLine\":99}},\"message\":{\"tex" \
    "t\":\"asset lines of span 2 (exact)\"}},{\"physicalLocation\":{" \
    "\"artifactLocation\":{\"uri\":\"docs/manual.pdf\"},\"region\":{" \
    "\"startLine\":90,\"endLine\":99}}}],\"partialFingerprints\":{\"l" \
    "eakprintLeak/v1\":\"2766bb4bf163b102db1e7187f842394251beacf084d4" \
    "99bad330264164a9b665\"},\"properties\":{\"collection\":\"core\"," \
    "\"asset\":\"docs/manual.md\",\"version\":\"v2\",\"similarity\":1" \
    ".0,\"coverage\":1.0,\"exact\":true}},{\"ruleId\":\"leaked-listin" \
    "g\",\"ruleIndex\":1,\"level\":\"warning\",\"message\":{\"text\":" \
    "\"File listing names 25 of the 300 registered files of core (0 b" \
    "y a matching hash)\"},\"locations\":[{\"physicalLocation\":{\"ar" \
    "tifactLocation\":{\"uri\":\"tree.txt\"},\"region\":{\"startLine" \
    "\":1,\"endLine\":1}}}],\"partialFingerprints\":{\"leakprintLeak/" \
    "v1\":\"df57c012ed8c1ccdb11c91edc8d4db20f21a694a3bcbec176d04fdca7" \
    "cee388f\"},\"properties\":{\"collection\":\"core\",\"entries_mat" \
    "ched\":24,\"assets_named\":25,\"assets_total\":300,\"content_mat" \
    "ched\":0,\"coverage\":0.0833}},{\"ruleId\":\"aws-access-key-id\"" \
    ",\"ruleIndex\":2,\"level\":\"error\",\"message\":{\"text\":\"AWS" \
    " access key ID: AKIA********\"},\"locations\":[{\"physicalLocati" \
    "on\":{\"artifactLocation\":{\"uri\":\"config/.env\"},\"region\":" \
    "{\"startLine\":3,\"startColumn\":19}}}],\"partialFingerprints\":" \
    "{\"leakprintSecret/v1\":\"3f6c1e0b9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c" \
    "4b3a2f1e0d9c8b7a6f5e4d3c2b\"},\"properties\":{\"category\":\"clo" \
    "ud-credential\",\"entropy\":3.6842,\"confidence\":\"high\",\"mas" \
    "ked\":\"AKIA********\",\"known\":true,\"known_in\":[\"core:confi" \
    "g/prod.env\",\"core:config/stage.env\"],\"known_version\":\"core" \
    " v2\",\"still_present\":true}},{\"ruleId\":\"password\",\"ruleIn" \
    "dex\":4,\"level\":\"warning\",\"message\":{\"text\":\"password a" \
    "ssignment: ********\"},\"locations\":[{\"physicalLocation\":{\"a" \
    "rtifactLocation\":{\"uri\":\"repo.git@history/app/settings.py\"}" \
    ",\"region\":{\"startLine\":12,\"startColumn\":5}}}],\"partialFin" \
    "gerprints\":{\"leakprintSecret/v1\":\"0a1b2c3d4e5f60718293a4b5c6" \
    "d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9\"},\"properties\":{\"cate" \
    "gory\":\"generic-secret\",\"entropy\":3.6842,\"confidence\":\"me" \
    "dium\",\"masked\":\"********\",\"known\":false,\"known_in\":[]," \
    "\"commit\":\"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3\",\"commit" \
    "_date\":\"2023-11-14\"}},{\"ruleId\":\"org-hostname\",\"ruleInde" \
    "x\":3,\"level\":\"note\",\"message\":{\"text\":\"internal host n" \
    "ame: db1.corp.example.com\"},\"locations\":[{\"physicalLocation" \
    "\":{\"artifactLocation\":{\"uri\":\"config/.env\"},\"region\":{" \
    "\"startLine\":7,\"startColumn\":6}}}],\"partialFingerprints\":{" \
    "\"leakprintExposure/v1\":\"77aa77aa77aa77aa77aa77aa77aa77aa77aa7" \
    "7aa77aa77aa77aa77aa77aa77aa\"},\"properties\":{\"category\":\"in" \
    "ternal-host\",\"value\":\"db1.corp.example.com\"}}],\"invocation" \
    "s\":[{\"executionSuccessful\":true,\"toolExecutionNotifications" \
    "\":[{\"level\":\"warning\",\"message\":{\"text\":\"encrypted, no" \
    " password given (--password)\"},\"locations\":[{\"physicalLocati" \
    "on\":{\"artifactLocation\":{\"uri\":\"dump.zip!enc.bin\"}}}]}]}]" \
    ",\"properties\":{\"verdict\":\"likely\",\"confidence\":0.7133,\"" \
    "summary\":\"2 of 6 files come from protected collection 'core' (" \
    "v2)\",\"secrets\":2,\"exposures\":1,\"fingerprint_key\":\"6b1f0c" \
    "3a9d2e4f58\"},\"originalUriBaseIds\":{\"REGISTRY\":{\"descriptio" \
    "n\":{\"text\":\"The files registered in the leakprint registry, " \
    "as collection/path: an asset, not a file of the scanned material" \
    ".\"}}}}]}"

#define EXPECT_SECRETS_JSON \
    "{\"tool\":{\"name\":\"leakprint\",\"version\":\"" V "\"},\"secrets\":[" \
    "{\"path\":\"config/.env\",\"line\":3,\"column\":19,\"rule\":\"aws-acce" \
    "ss-key-id\",\"format\":\"AWS access key " \
    "ID\",\"category\":\"cloud-credential\",\"masked\":\"AKIA********\",\"f" \
    "ingerprint\":\"3f6c1e0b9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6" \
    "f5e4d3c2b\",\"entropy\":3.6842,\"confidence\":\"high\",\"lines\":1,\"k" \
    "nown\":true,\"known_in\":[\"core:config/prod.env\",\"core:config/stage" \
    ".env\"],\"known_version\":\"core " \
    "v2\",\"still_present\":true},{\"path\":\"repo.git@history/app/settings" \
    ".py\",\"line\":12,\"column\":5,\"rule\":\"password\",\"format\":\"pass" \
    "word assignment\",\"category\":\"generic-secret\",\"masked\":\"*******" \
    "*\",\"fingerprint\":\"0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071" \
    "8293a4b5c6d7e8f9\",\"entropy\":3.6842,\"confidence\":\"medium\",\"line" \
    "s\":1,\"known\":false,\"known_in\":[],\"commit\":\"a0a1a2a3a4a5a6a7a8a" \
    "9aaabacadaeafb0b1b2b3\",\"commit_date\":\"2023-11-14\"}],\"exposures\"" \
    ":[{\"path\":\"config/.env\",\"line\":7,\"column\":6,\"type\":\"interna" \
    "l-host\",\"rule\":\"org-hostname\",\"value\":\"db1.corp.example.com\"}" \
    "],\"skipped\":[{\"path\":\"dump.zip!enc.bin\",\"reason\":\"encrypted, " \
    "no password given (--password)\"}],\"summary\":{\"files_scanned\":6,\"" \
    "secrets\":2,\"exposures\":1,\"baselined\":4,\"rules\":4,\"fingerprint_" \
    "key\":\"6b1f0c3a9d2e4f58\"}}"

#define EXPECT_SECRETS_JSONL \
    "{\"path\":\"config/.env\",\"line\":3,\"column\":19,\"rule\":\"aws-acce" \
    "ss-key-id\",\"format\":\"AWS access key " \
    "ID\",\"category\":\"cloud-credential\",\"masked\":\"AKIA********\",\"f" \
    "ingerprint\":\"3f6c1e0b9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6" \
    "f5e4d3c2b\",\"entropy\":3.6842,\"confidence\":\"high\",\"lines\":1,\"k" \
    "nown\":true,\"known_in\":[\"core:config/prod.env\",\"core:config/stage" \
    ".env\"],\"known_version\":\"core " \
    "v2\",\"still_present\":true}\n{\"exposure\":{\"path\":\"config/.env\"," \
    "\"line\":7,\"column\":6,\"type\":\"internal-host\",\"rule\":\"org-host" \
    "name\",\"value\":\"db1.corp.example.com\"},\"fingerprint\":\"77aa77aa7" \
    "7aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa\"}\n{\"path\":" \
    "\"repo.git@history/app/settings.py\",\"line\":12,\"column\":5,\"rule\"" \
    ":\"password\",\"format\":\"password " \
    "assignment\",\"category\":\"generic-secret\",\"masked\":\"********\"," \
    "\"fingerprint\":\"0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293" \
    "a4b5c6d7e8f9\",\"entropy\":3.6842,\"confidence\":\"medium\",\"lines\":" \
    "1,\"known\":false,\"known_in\":[],\"commit\":\"a0a1a2a3a4a5a6a7a8a9aaa" \
    "bacadaeafb0b1b2b3\",\"commit_date\":\"2023-11-14\"}\n{\"summary\":{\"f" \
    "iles_scanned\":6,\"secrets\":2,\"exposures\":1,\"baselined\":4,\"rules" \
    "\":4,\"files_unreadable\":1,\"fingerprint_key\":\"6b1f0c3a9d2e4f58\"}," \
    "\"skipped\":[{\"path\":\"dump.zip!enc.bin\",\"reason\":\"encrypted, " \
    "no password given (--password)\"}],\"tool\":{\"name\":\"leakprint\",\"" \
    "version\":\"" V "\"},\"rules\":[{\"id\":\"aws-access-key-id\",\"format" \
    "\":\"AWS access key ID\",\"category\":\"cloud-credential\",\"exposure" \
    "\":false,\"generic\":false},{\"id\":\"github-token\",\"format\":\"GitH" \
    "ub token\",\"category\":\"scm-token\",\"exposure\":false,\"generic\":f" \
    "alse},{\"id\":\"org-hostname\",\"format\":\"internal host " \
    "name\",\"category\":\"internal-host\",\"exposure\":true,\"generic\":fa" \
    "lse},{\"id\":\"password\",\"format\":\"password " \
    "assignment\",\"category\":\"generic-secret\",\"exposure\":false,\"gene" \
    "ric\":true}]}\n"

#define EXPECT_SECRETS_SARIF \
    "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"versi" \
    "on\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"leakprint\"" \
    ",\"informationUri\":\"https://leakprint.invalid/\",\"version\":\"" V \
    "\",\"semanticVersion\":\"" V "\",\"rules\":[{\"id\":\"aws-access-key-i" \
    "d\",\"name\":\"AwsAccessKeyId\",\"shortDescription\":{\"text\":\"AWS " \
    "access key ID\"},\"defaultConfiguration\":{\"level\":\"error\"},\"prop" \
    "erties\":{\"category\":\"cloud-credential\",\"tags\":[\"security\",\"s" \
    "ecret\"]}},{\"id\":\"org-hostname\",\"name\":\"OrgHostname\",\"shortDe" \
    "scription\":{\"text\":\"internal host " \
    "name\"},\"defaultConfiguration\":{\"level\":\"note\"},\"properties\":{" \
    "\"category\":\"internal-host\",\"tags\":[\"security\",\"exposure\"]}}," \
    "{\"id\":\"password\",\"name\":\"Password\",\"shortDescription\":{\"tex" \
    "t\":\"password assignment\"},\"defaultConfiguration\":{\"level\":\"war" \
    "ning\"},\"properties\":{\"category\":\"generic-secret\",\"tags\":[\"se" \
    "curity\",\"secret\"]}}]}},\"results\":[{\"ruleId\":\"aws-access-key-id" \
    "\",\"ruleIndex\":0,\"level\":\"error\",\"message\":{\"text\":\"AWS " \
    "access key ID: AKIA********\"},\"locations\":[{\"physicalLocation\":{" \
    "\"artifactLocation\":{\"uri\":\"config/.env\"},\"region\":{\"startLine" \
    "\":3,\"startColumn\":19}}}],\"partialFingerprints\":{\"leakprintSecret" \
    "/v1\":\"3f6c1e0b9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c" \
    "2b\"},\"properties\":{\"category\":\"cloud-credential\",\"entropy\":3." \
    "6842,\"confidence\":\"high\",\"masked\":\"AKIA********\",\"known\":tru" \
    "e,\"known_in\":[\"core:config/prod.env\",\"core:config/stage.env\"],\"" \
    "known_version\":\"core " \
    "v2\",\"still_present\":true}},{\"ruleId\":\"org-hostname\",\"ruleIndex" \
    "\":1,\"level\":\"note\",\"message\":{\"text\":\"internal host name: " \
    "db1.corp.example.com\"},\"locations\":[{\"physicalLocation\":{\"artifa" \
    "ctLocation\":{\"uri\":\"config/.env\"},\"region\":{\"startLine\":7,\"s" \
    "tartColumn\":6}}}],\"partialFingerprints\":{\"leakprintExposure/v1\":" \
    "\"77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa\"}," \
    "\"properties\":{\"category\":\"internal-host\",\"value\":\"db1.corp.ex" \
    "ample.com\"}},{\"ruleId\":\"password\",\"ruleIndex\":2,\"level\":\"war" \
    "ning\",\"message\":{\"text\":\"password assignment: " \
    "********\"},\"locations\":[{\"physicalLocation\":{\"artifactLocation\"" \
    ":{\"uri\":\"repo.git@history/app/settings.py\"},\"region\":{\"startLin" \
    "e\":12,\"startColumn\":5}}}],\"partialFingerprints\":{\"leakprintSecre" \
    "t/v1\":\"0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e" \
    "8f9\"},\"properties\":{\"category\":\"generic-secret\",\"entropy\":3.6" \
    "842,\"confidence\":\"medium\",\"masked\":\"********\",\"known\":false," \
    "\"known_in\":[],\"commit\":\"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3" \
    "\",\"commit_date\":\"2023-11-14\"}}],\"invocations\":[{\"executionSucc" \
    "essful\":true,\"toolExecutionNotifications\":[{\"level\":\"warning\"," \
    "\"message\":{\"text\":\"encrypted, no password given " \
    "(--password)\"},\"locations\":[{\"physicalLocation\":{\"artifactLocati" \
    "on\":{\"uri\":\"dump.zip!enc.bin\"}}}]}]}],\"properties\":{\"files_sca" \
    "nned\":6,\"secrets\":2,\"exposures\":1,\"rules\":4,\"fingerprint_key\"" \
    ":\"6b1f0c3a9d2e4f58\"}}]}"


/* ---- the scan's reports ------------------------------------------------- */

static void test_text(void **state)
{
    (void)state;
    struct lp_scan *s = small_scan();
    check_output(
        lp_report_text, s, 0,
        "VERDICT  likely (confidence 0.71)\n"
        "         2 of 6 files come from protected collection 'core' (v2)\n"
        "\n"
        "SCOPE    core: 3 of 300 files, 20.5 KB (2.0% of its bytes)\n"
        "         best version v2 (2024-05-02)\n"
        "         the sample is consistent with 2 versions, v1..v2 (dated "
        "2024-01-10..2024-05-02)\n"
        "         directories: src/net 2/12, docs 1/4\n"
        "\n"
        "FILES\n"
        "  src/net/ring.c  [code]\n"
        "    <- core:src/net/ring.c @v2  similar similarity 0.81 coverage "
        "0.50\n"
        "       lines 1-20 = asset lines 3-22 (normalized)\n"
        "       lines 40-50 = asset lines 60-70 (renamed)\n"
        "    <- core:src/net/ring_old.c @v1  similar similarity 0.30 "
        "coverage 0.20\n"
        "       lines 10-20 = asset lines 12-22 (exact)\n"
        "  docs/manual.pdf  [prose]\n"
        "    <- core:docs/manual.md @v2  identical similarity 1.00 coverage "
        "1.00\n"
        "       lines 1-80 (pages 2-3) = asset lines 1-80 (exact)\n"
        "       lines 90-99 (page 5) = asset lines 90-99 (exact)\n"
        "\n"
        "LISTINGS\n"
        "  tree.txt  [listing]\n"
        "    <- core: find listing of 30 files names 25 of its 300 files "
        "(listed under 'leak/core-2.3')\n"
        "       matching the registered files: 5 by size, 0 by SHA-256, 0 "
        "by git blob id\n"
        "       directories: src/net 10/12, . 3/3\n"
        "\n"
        "SECRETS  2 found, and 1 exposure (4 rules)\n"
        "         4 more already in the baseline\n"
        "         fingerprints under key 6b1f0c3a9d2e4f58\n"
        "  config/.env:3:19  aws-access-key-id  AKIA********  (AWS access "
        "key ID, high, entropy 3.7)\n"
        "      known: core:config/prod.env and 1 more; still in core v2: "
        "rotate it\n"
        "  repo.git@history/app/settings.py:12:5  password  ********  "
        "(password assignment, medium, entropy 3.7)  (in commit "
        "a0a1a2a3a4a5, 2023-11-14)\n"
        "  config/.env:7:6  org-hostname  db1.corp.example.com  (internal "
        "host name, exposure)\n"
        "\n"
        "SCANNED  6 files (25.2 KB), 2 matched, 1 unreadable\n"
        "         1 input not read (named on stderr and in the JSON report's "
        "\"skipped\")\n");
    lp_scan_free(s);
}

/* Colour only where asked: the verdict's level in its colour. */
static void test_text_color(void **state)
{
    (void)state;
    struct lp_scan *s = small_scan();
    char *got = render_ok(lp_report_text, s, 1);
    const char *want = "\033[1mVERDICT\033[0m  \033[1m\033[33mlikely\033[0m "
                       "(confidence 0.71)\n";
    assert_memory_equal(got, want, strlen(want));
    assert_non_null(strstr(got, "\n\033[1mFILES\033[0m\n"));
    free(got);
    got = render_ok(lp_report_text, s, 0);
    assert_null(strchr(got, '\033'));
    free(got);
    lp_scan_free(s);
}

static void test_json(void **state)
{
    (void)state;
    struct lp_scan *s = small_scan();
    check_document(lp_report_json, s, EXPECT_JSON);
    char *got = render_ok(lp_report_json, s, 0);
    assert_true(tu_schema_valid("scan.schema.json", got));
    free(got);
    lp_scan_free(s);
}

/* One line per file shown, then the verdict, scope and skipped inputs;
 * each line valid against scan-line.schema.json. */
static void test_jsonl(void **state)
{
    (void)state;
    struct lp_scan *s = small_scan();
    check_output(lp_report_jsonl, s, 0, EXPECT_JSONL);
    char *got = render_ok(lp_report_jsonl, s, 0);
    for (char *line = got, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
        *nl = '\0';
        assert_true(tu_schema_valid("scan-line.schema.json", line));
    }
    free(got);
    lp_scan_free(s);
}

static void test_sarif(void **state)
{
    (void)state;
    struct lp_scan *s = small_scan();
    check_document(lp_report_sarif, s, EXPECT_SARIF);
    lp_scan_free(s);
}

/* ---- the reports of `leakprint secrets` --------------------------------- */

/* Masked values and fingerprints only; the known secret's places; the
 * commit of a secret of the history; the tally. */
static void test_secrets_text(void **state)
{
    (void)state;
    struct lp_scan *s = small_scan();
    check_output(
        lp_report_secrets_text, s, 0,
        "config/.env:3:19  aws-access-key-id  AKIA********  (AWS access key "
        "ID, high, entropy 3.7)\n"
        "    known: core:config/prod.env and 1 more; still in core v2: "
        "rotate it\n"
        "config/.env:7:6  org-hostname  db1.corp.example.com  (internal host "
        "name, exposure)\n"
        "repo.git@history/app/settings.py:12:5  password  ********  "
        "(password assignment, medium, entropy 3.7)  (in commit "
        "a0a1a2a3a4a5, 2023-11-14)\n"
        "SECRETS  2 found, and 1 exposure, in 6 files (4 rules)\n"
        "         4 more already in the baseline\n"
        "         fingerprints under key 6b1f0c3a9d2e4f58\n"
        "         1 input not read (named on stderr and in the JSON report's "
        "\"skipped\")\n");
    /* a secret no longer in the newest version, in one place */
    s->known[0].still_present = false;
    lp_free(s->known[0].in[1]);
    s->known[0].nin = 1;
    s->nbaselined = 0;
    s->nskips = 0;
    char *got = render_ok(lp_report_secrets_text, s, 0);
    assert_non_null(strstr(got, "\n    known: core:config/prod.env; last in "
                                "core v2\nconfig/.env:7:6 "));
    assert_null(strstr(got, "baseline"));
    assert_null(strstr(got, "not read"));
    free(got);
    s->nskips = 1;
    lp_scan_free(s);
}

static void test_secrets_json(void **state)
{
    (void)state;
    struct lp_scan *s = small_scan();
    check_document(lp_report_secrets_json, s, EXPECT_SECRETS_JSON);
    char *got = render_ok(lp_report_secrets_json, s, 0);
    assert_true(tu_schema_valid("secrets.schema.json", got));
    free(got);
    lp_scan_free(s);
}

static void test_secrets_jsonl(void **state)
{
    (void)state;
    struct lp_scan *s = small_scan();
    check_output(lp_report_secrets_jsonl, s, 0, EXPECT_SECRETS_JSONL);
    char *got = render_ok(lp_report_secrets_jsonl, s, 0);
    for (char *line = got, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
        *nl = '\0';
        assert_true(tu_schema_valid("secrets-line.schema.json", line));
    }
    free(got);
    lp_scan_free(s);
}

/* Only the rules with results, each result pointing at its index among
 * them (github-token, rule 1, has none: the host is ruleIndex 1). */
static void test_secrets_sarif(void **state)
{
    (void)state;
    struct lp_scan *s = small_scan();
    check_document(lp_report_secrets_sarif, s, EXPECT_SECRETS_SARIF);
    lp_scan_free(s);
}

/* A finding of a rule the scan does not have is the caller's bug: SARIF
 * says LP_EINVAL and writes nothing. */
static void test_secrets_sarif_bad_rule(void **state)
{
    (void)state;
    struct lp_scan *s = small_scan();
    s->files[5].secrets[0].rule = NRULES;
    lp_err err;
    char *got = render(lp_report_secrets_sarif, s, 0, &err);
    assert_int_equal(err, LP_EINVAL);
    assert_string_equal(got, "");
    free(got);
    s->files[5].secrets[0].rule = UINT32_MAX;
    got = render(lp_report_secrets_sarif, s, 0, &err);
    assert_int_equal(err, LP_EINVAL);
    free(got);
    lp_scan_free(s);
}

/* ---- hostile strings ---------------------------------------------------- */

/* A path with an escape sequence, a newline, a backslash, a byte that is
 * not UTF-8, markup and quotes; an asset and a collection name alike. */
#define HOSTILE "a\033[31m\nb\\c\xff<script>\"q\".c"
#define HOSTILE_TEXT "a\\x1b[31m\\x0ab\\\\c\\xff<script>\"q\".c"
#define HOSTILE_JSON "a\x1b[31m\nb\\c\xef\xbf\xbd<script>\"q\".c"

static struct lp_scan *hostile_scan(void)
{
    struct lp_scan *s = small_scan();
    lp_free(s->files[0].path);
    s->files[0].path = tu_strdup(HOSTILE);
    lp_free(s->files[0].matches[0].asset);
    s->files[0].matches[0].asset = tu_strdup("x/" HOSTILE);
    lp_free(s->collections[0].name);
    s->collections[0].name = tu_strdup("c\033]0;title\007");
    lp_free(s->skips[0].path);
    s->skips[0].path = tu_strdup(HOSTILE);
    lp_free(s->files[4].path);
    s->files[4].path = tu_strdup(HOSTILE);
    snprintf(s->files[4].secrets[1].value, sizeof s->files[4].secrets[1].value,
             "%s", "h\033[2J.corp");
    return s;
}

/* Text: bytes < 0x20, 0x7f and the backslash escaped as \xNN and \\;
 * other bytes as they are. No line is forged, no terminal code sent. */
static void test_hostile_text(void **state)
{
    (void)state;
    struct lp_scan *s = hostile_scan();
    char *got = render_ok(lp_report_text, s, 0);
    assert_null(strchr(got, '\033'));
    assert_null(strchr(got, '\007'));
    assert_non_null(strstr(got, "\n  " HOSTILE_TEXT "  [code]\n"));
    assert_non_null(strstr(got, "\n    <- c\\x1b]0;title\\x07:x/" HOSTILE_TEXT
                                " @v2  similar"));
    assert_non_null(strstr(got, "\nSCOPE    c\\x1b]0;title\\x07: 3 of 300"));
    assert_non_null(strstr(got, "\n    <- c\\x1b]0;title\\x07: find listing "
                                "of 30 files"));
    free(got);
    got = render_ok(lp_report_secrets_text, s, 0);
    assert_null(strchr(got, '\033'));
    assert_non_null(strstr(got, HOSTILE_TEXT ":3:19  aws-access-key-id"));
    assert_non_null(strstr(got, "org-hostname  h\\x1b[2J.corp  (internal"));
    free(got);
    lp_scan_free(s);
}

/* Whether p is valid UTF-8 without control bytes (a JSON text's layout
 * has newlines only). */
static bool clean_utf8(const char *p)
{
    char *u = lp_report_utf8(p);
    assert_non_null(u);
    bool same = !strcmp(u, p);
    lp_free(u);
    for (; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\n')
            return false;
    return same;
}

/* JSON and SARIF: valid UTF-8 (an invalid byte becomes the text \xff),
 * control characters as \u escapes, the rest kept as data; SARIF uris
 * percent-encoded. */
static void test_hostile_json(void **state)
{
    (void)state;
    struct lp_scan *s = hostile_scan();
    writer_fn docs[] = {lp_report_json, lp_report_jsonl, lp_report_sarif,
                        lp_report_secrets_json, lp_report_secrets_jsonl,
                        lp_report_secrets_sarif};
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        char *got = render_ok(docs[i], s, 0);
        print_message("writer %zu\n", i);
        assert_true(clean_utf8(got));
        assert_non_null(strstr(got, "\\u001B"));
        free(got);
    }

    char *got = render_ok(lp_report_json, s, 0);
    json_error_t e;
    json_t *j = json_loads(got, 0, &e);
    assert_non_null(j);
    json_t *f = json_array_get(json_object_get(j, "files"), 0);
    assert_string_equal(json_string_value(json_object_get(f, "path")),
                        HOSTILE_JSON);
    /* the exact bytes beside the name made valid UTF-8 */
    char *b64 = lp_report_b64(HOSTILE);
    assert_string_equal(json_string_value(json_object_get(f, "path_b64")),
                        b64);
    lp_free(b64);
    json_t *m = json_array_get(json_object_get(f, "matches"), 0);
    assert_string_equal(json_string_value(json_object_get(m, "asset")),
                        "x/" HOSTILE_JSON);
    b64 = lp_report_b64("x/" HOSTILE);
    assert_string_equal(json_string_value(json_object_get(m, "asset_b64")),
                        b64);
    lp_free(b64);
    assert_string_equal(json_string_value(json_object_get(m, "collection")),
                        "c\033]0;title\007");
    json_t *sk = json_array_get(json_object_get(j, "skipped"), 0);
    assert_string_equal(json_string_value(json_object_get(sk, "path")),
                        HOSTILE_JSON);
    assert_true(tu_schema_valid("scan.schema.json", got));
    json_decref(j);
    free(got);

    got = render_ok(lp_report_secrets_json, s, 0);
    j = json_loads(got, 0, &e);
    assert_non_null(j);
    json_t *x = json_array_get(json_object_get(j, "exposures"), 0);
    assert_string_equal(json_string_value(json_object_get(x, "value")),
                        "h\033[2J.corp");
    assert_string_equal(json_string_value(json_object_get(x, "path")),
                        HOSTILE_JSON);
    json_decref(j);
    free(got);

    got = render_ok(lp_report_sarif, s, 0);
    assert_non_null(strstr(got, "\"uri\": \"a%1B%5B31m%0Ab%5Cc%FF%3Cscript"
                                "%3E%22q%22.c\""));
    /* the asset: under the registry's base, its collection first */
    assert_non_null(strstr(got, "\"uri\": \"c%1B%5D0;title%07/x/a%1B%5B31m"
                                "%0Ab%5Cc%FF"));
    free(got);
    lp_scan_free(s);
}

/* lp_report_utf8 keeps valid sequences and writes each invalid byte as
 * \xNN: stray continuation bytes, overlong forms, surrogates, code points
 * past U+10FFFF, sequences cut short. */
/* U+FFFD, the replacement character, in UTF-8 */
#define FFFD "\xef\xbf\xbd"

static void test_utf8(void **state)
{
    (void)state;
    const char *cases[][2] = {
        {"plain", "plain"},
        {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91", "caf\xc3\xa9 \xe2\x82\xac "
                                                     "\xf0\x9f\x94\x91"},
        {"\x80x", FFFD "x"},
        {"\xc0\xaf", FFFD FFFD},             /* overlong '/' */
        {"\xc1\xbf", FFFD FFFD},
        {"\xe0\x80\xaf", FFFD FFFD FFFD},    /* overlong, 3 bytes */
        {"\xed\xa0\x80", FFFD FFFD FFFD},    /* surrogate U+D800 */
        {"\xed\x9f\xbf", "\xed\x9f\xbf"},       /* U+D7FF */
        {"\xf0\x80\x80\xaf", FFFD FFFD FFFD FFFD},
        {"\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf"}, /* U+10FFFF */
        {"\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD},
        {"\xf5\x80\x80\x80", FFFD FFFD FFFD FFFD},
        {"\xe2\x82", FFFD FFFD},              /* cut at the end */
        {"\xe2\x82z", FFFD FFFD "z"},
        {"\xff\xfe", FFFD FFFD},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *u = lp_report_utf8(cases[i][0]);
        assert_non_null(u);
        assert_string_equal(u, cases[i][1]);
        lp_free(u);
    }
}

static void test_put_escaped_and_time(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    lp_utf8_put_escaped("\x01\t\x1f \x7f\\~\xc3\xa9", fp);
    assert_int_equal(fclose(fp), 0);
    assert_string_equal(buf, "\\x01\\x09\\x1f \\x7f\\\\~\xc3\xa9");
    free(buf);
    /* bytes of no text, C1 and bidirectional controls, U+2028: escaped
     * so that each reads back; other text kept */
    fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    lp_utf8_put_escaped("a\xc3(\xff\xc2\x85" "b\xe2\x80\xae"
                          "c\xe2\x81\xa6\xe2\x80\x8f\xe2\x80\xa8\xd8\x9c"
                          "\\xc3\xe2\x82\xac", fp);
    assert_int_equal(fclose(fp), 0);
    assert_string_equal(buf, "a\\xc3(\\xff\\u0085b\\u202ec\\u2066\\u200f"
                             "\\u2028\\u061c\\\\xc3\xe2\x82\xac");
    free(buf);
    /* base64 of a name, and back; what is not base64 of one is refused */
    const char *names[] = {"", "a", "ab", "abc", "leak/bad\xc3(.c",
                           "\xff\xfe\xfd\xfc"};
    const char *want[] = {"", "YQ==", "YWI=", "YWJj", "bGVhay9iYWTDKC5j",
                          "//79/A=="};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char *b = lp_report_b64(names[i]), *back = NULL;
        assert_non_null(b);
        assert_string_equal(b, want[i]);
        assert_int_equal(lp_report_unb64(b, strlen(b), &back), LP_OK);
        assert_string_equal(back, names[i]);
        lp_free(b);
        lp_free(back);
    }
    const char *bad[] = {"YQ=", "Y===", "YQ==YQ==", "Y@==", "AA==", "=AAA"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *back = (char *)"x";
        assert_int_equal(lp_report_unb64(bad[i], strlen(bad[i]), &back),
                         LP_EFORMAT);
        assert_null(back);
    }
    assert_true(lp_utf8_valid("caf\xc3\xa9"));
    assert_false(lp_utf8_valid("caf\xc3"));
    char t[32];
    lp_format_time(0, t);
    assert_string_equal(t, "1970-01-01T00:00:00Z");
    lp_format_time(1714644000, t);
    assert_string_equal(t, "2024-05-02T10:00:00Z");
}

/* ---- an empty scan ------------------------------------------------------ */

/* A new result (no registry, nothing scanned) renders in every format. */
static void test_empty(void **state)
{
    (void)state;
    struct lp_scan *s = lp_result_new();
    assert_non_null(s);
    snprintf(s->summary, sizeof s->summary, "no file of 0 matches the "
                                            "registry");
    check_output(lp_report_text, s, 0,
                 "VERDICT  none (confidence 0.00)\n"
                 "         no file of 0 matches the registry\n"
                 "\n"
                 "SCANNED  0 files (0 B), 0 matched, 0 unreadable\n");
    check_output(lp_report_secrets_text, s, 0,
                 "SECRETS  0 found, and 0 exposures, in 0 files (0 rules)\n");
    check_output(lp_report_jsonl, s, 0,
                 "{\"verdict\":{\"level\":\"none\",\"confidence\":0.0,\"summary\":\"no f" \
                 "ile of 0 matches the registry\"},\"scope\":{\"files_scanned\":0,\"file" \
                 "s_matched\":0,\"files_unreadable\":0,\"bytes_scanned\":0,\"collections" \
                 "\":[]},\"skipped\":[],\"tool\":{\"name\":\"leakprint\",\"version\":" \
                 "\"" V "\"},\"registry\":{\"path\":\"\",\"collections\":0,\"assets\":0}" \
                 ",\"listings\":[],\"secrets\":[],\"exposures\":[],\"canaries\":[]," \
                 "\"collections\":[],\"versions\":[],\"rules\":[]}\n");
    check_document(lp_report_secrets_json, s,
                   "{\"tool\":{\"name\":\"leakprint\",\"version\":\"" V "\"},"
                   "\"secrets\":[],\"exposures\":[],\"skipped\":[],"
                   "\"summary\":{\"files_scanned\":0,\"secrets\":0,"
                   "\"exposures\":0,\"baselined\":0,\"rules\":0}}");
    writer_fn docs[] = {lp_report_json, lp_report_sarif,
                        lp_report_secrets_sarif, lp_report_secrets_jsonl};
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        char *got = render_ok(docs[i], s, 0);
        char *nl = strchr(got, '\n');
        json_error_t e;
        json_t *j = docs[i] == lp_report_secrets_jsonl
                        ? json_loadb(got, (size_t)(nl - got), 0, &e)
                        : json_loads(got, 0, &e);
        assert_non_null(j);
        json_decref(j);
        free(got);
    }
    lp_scan_free(s);
}

/* ---- failures ----------------------------------------------------------- */

static const writer_fn all_writers[] = {
    lp_report_text,         lp_report_json,         lp_report_jsonl,
    lp_report_sarif,        lp_report_secrets_text, lp_report_secrets_json,
    lp_report_secrets_jsonl, lp_report_secrets_sarif,
};
#define NWRITERS (sizeof all_writers / sizeof *all_writers)

/* A FILE that fails each write (a full disk): LP_EIO from every writer. */
static void test_write_error(void **state)
{
    (void)state;
    struct lp_scan *s = small_scan();
    for (size_t i = 0; i < NWRITERS; i++) {
        FILE *fp = fopen("/dev/full", "w");
        assert_non_null(fp);
        assert_int_equal(setvbuf(fp, NULL, _IONBF, 0), 0);
        print_message("writer %zu\n", i);
        assert_int_equal(all_writers[i](s, 0, fp), LP_EIO);
        fclose(fp);
    }
    lp_scan_free(s);
}

/* jansson's allocations go through lp_malloc too (set in main), so that
 * lp_mem_fail_after fails them as well. */
static void *json_alloc(size_t n)
{
    return lp_malloc(n);
}

static void json_release(void *p)
{
    lp_free(p);
}

/* Each writer, each allocation failed in turn: LP_ENOMEM, or (when the
 * allocation was not needed) the same output as without failure; never a
 * report with parts left out. The hostile result sends strings through
 * lp_report_utf8 too. */
static void test_alloc_failures(void **state)
{
    (void)state;
    struct lp_scan *scans[2] = {small_scan(), hostile_scan()};
    for (size_t k = 0; k < 2; k++) {
        for (size_t w = 0; w < NWRITERS; w++) {
            char *want = render_ok(all_writers[w], scans[k], 0);
            lp_err err = LP_ENOMEM;
            long i;
            for (i = 0; err == LP_ENOMEM; i++) {
                lp_mem_fail_after(i);
                char *got = render(all_writers[w], scans[k], 0, &err);
                lp_mem_fail_after(-1);
                if (err != LP_ENOMEM) {
                    if (err != LP_OK || strcmp(got, want))
                        print_error("writer %zu, allocation %ld\n", w, i);
                    assert_int_equal(err, LP_OK);
                    assert_string_equal(got, want);
                }
                free(got);
            }
            if (w != 0 && w != 4) /* the text writers allocate nothing */
                assert_true(i > 5);
            free(want);
        }
    }
    lp_scan_free(scans[0]);
    lp_scan_free(scans[1]);
}

int main(void)
{
    json_set_alloc_funcs(json_alloc, json_release);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_text_color),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_jsonl),
        cmocka_unit_test(test_sarif),
        cmocka_unit_test(test_secrets_text),
        cmocka_unit_test(test_secrets_json),
        cmocka_unit_test(test_secrets_jsonl),
        cmocka_unit_test(test_secrets_sarif),
        cmocka_unit_test(test_secrets_sarif_bad_rule),
        cmocka_unit_test(test_hostile_text),
        cmocka_unit_test(test_hostile_json),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_put_escaped_and_time),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_write_error),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
