/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of jsonl_read on hand-written reports: a scan's and a secrets
 * run's lines come back into the model (names resolved against the last
 * line's tables, files, matches, spans, listing, scope, findings, known
 * secrets, commits) and the JSONL writers give the same bytes again; each
 * hostile report fails with LP_EFORMAT (LP_ELIMIT for a line too long) and
 * its exact one-line reason, naming NAME:LINE; every allocation made to
 * fail in turn gives LP_ENOMEM and no leak.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "jsonl_read.h"
#include "mem.h"
#include "report.h"

#define SHA "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define FP "c0ffee12c0ffee12c0ffee12c0ffee12c0ffee12c0ffee12c0ffee12c0ffee12"
#define TOOL "\"tool\":{\"name\":\"leakprint\",\"version\":\"" \
             LP_VERSION_STRING "\"}"

/* A scan: a file with a match, a listing, then the last line, as
 * lp_report_jsonl() wrote it before listings left "files" (still read). */
static const char scan_text[] =
    "{\"path\":\"dump.tgz!src/a.c\",\"sha256\":\"" SHA "\",\"kind\":\"code\","
    "\"matches\":[{\"collection\":\"core\",\"asset\":\"src/a.c\","
    "\"version\":\"v1\",\"similarity\":0.9,\"coverage\":0.8125,"
    "\"exact\":false,\"fingerprints\":12,\"evidence\":10.5,\"spans\":["
    "{\"lines\":[1,20],\"asset_lines\":[2,21],\"how\":\"renamed\","
    "\"fingerprints\":12,\"pages\":[1,2]}]}]}\n"
    "{\"path\":\"find.txt\",\"sha256\":\"" SHA "\",\"kind\":\"listing\","
    "\"matches\":[],\"listing\":{\"format\":\"find\",\"entries\":40,"
    "\"collections\":[{\"name\":\"core\",\"entries_matched\":9,"
    "\"assets_named\":9,\"assets_total\":10,\"coverage\":0.9,"
    "\"listing_root\":\"proj\",\"registry_root\":\"\",\"directories\":["
    "{\"path\":\"src\",\"matched\":5,\"files\":5},"
    "{\"path\":\"\",\"matched\":1,\"files\":1}]}]}}\n"
    "{\"verdict\":{\"level\":\"likely\",\"confidence\":0.8,"
    "\"summary\":\"1 of 3 files\"},\"scope\":{\"files_scanned\":3,"
    "\"files_matched\":1,\"files_unreadable\":0,\"bytes_scanned\":100,"
    "\"collections\":[{\"name\":\"core\",\"assets_matched\":1,"
    "\"assets_total\":10,\"bytes_matched\":50,\"coverage\":0.1,"
    "\"versions\":{\"best\":\"v1\",\"consistent\":[\"v0\",\"v1\"],"
    "\"dated\":[\"2024-01-10T10:00:00Z\",\"2024-02-01T00:00:00Z\"]},"
    "\"directories\":[{\"path\":\"src\",\"matched\":1,\"files\":5}]}]},"
    "\"skipped\":[{\"path\":\"x.zip\",\"reason\":\"damaged\"}]," TOOL ","
    "\"registry\":{\"path\":\"db\",\"collections\":2,\"assets\":10},"
    "\"secrets\":[],\"exposures\":[],\"canaries\":[],\"collections\":["
    "{\"name\":\"other\",\"public\":true},{\"name\":\"core\","
    "\"public\":false}],\"versions\":[{\"collection\":\"core\","
    "\"name\":\"v0\",\"created\":\"2024-01-10T10:00:00Z\"},"
    "{\"collection\":\"core\",\"name\":\"v1\","
    "\"created\":\"2024-02-01T00:00:00Z\"}]}\n";

/* The same scan as lp_report_jsonl() writes it now: the listing in the
 * last line's "listings" (its top directory "."), and "rules". */
static const char scan_now[] =
    "{\"path\":\"dump.tgz!src/a.c\",\"sha256\":\"" SHA "\",\"kind\":\"code\","
    "\"matches\":[{\"collection\":\"core\",\"asset\":\"src/a.c\","
    "\"version\":\"v1\",\"similarity\":0.9,\"coverage\":0.8125,"
    "\"exact\":false,\"fingerprints\":12,\"evidence\":10.5,\"spans\":["
    "{\"lines\":[1,20],\"asset_lines\":[2,21],\"how\":\"renamed\","
    "\"fingerprints\":12,\"pages\":[1,2]}]}]}\n"
    "{\"verdict\":{\"level\":\"likely\",\"confidence\":0.8,"
    "\"summary\":\"1 of 3 files\"},\"scope\":{\"files_scanned\":3,"
    "\"files_matched\":1,\"files_unreadable\":0,\"bytes_scanned\":100,"
    "\"collections\":[{\"name\":\"core\",\"assets_matched\":1,"
    "\"assets_total\":10,\"bytes_matched\":50,\"coverage\":0.1,"
    "\"versions\":{\"best\":\"v1\",\"consistent\":[\"v0\",\"v1\"],"
    "\"dated\":[\"2024-01-10T10:00:00Z\",\"2024-02-01T00:00:00Z\"]},"
    "\"directories\":[{\"path\":\"src\",\"matched\":1,\"files\":5}]}]},"
    "\"skipped\":[{\"path\":\"x.zip\",\"reason\":\"damaged\"}]," TOOL ","
    "\"registry\":{\"path\":\"db\",\"collections\":2,\"assets\":10},"
    "\"listings\":[{\"path\":\"find.txt\",\"sha256\":\"" SHA "\","
    "\"listing\":{\"format\":\"find\",\"entries\":40,"
    "\"collections\":[{\"name\":\"core\",\"entries_matched\":9,"
    "\"assets_named\":9,\"assets_total\":10,\"coverage\":0.9,"
    "\"listing_root\":\"proj\",\"registry_root\":\"\",\"directories\":["
    "{\"path\":\"src\",\"matched\":5,\"files\":5},"
    "{\"path\":\".\",\"matched\":1,\"files\":1}],"
    "\"how\":{\"name\":9,\"size\":0,\"sha256\":0,\"git-blob\":0},\"distinctive\":9}]}}],"
    "\"secrets\":[],\"exposures\":[],\"canaries\":[],\"collections\":["
    "{\"name\":\"other\",\"public\":true},{\"name\":\"core\","
    "\"public\":false}],\"versions\":[{\"collection\":\"core\","
    "\"name\":\"v0\",\"created\":\"2024-01-10T10:00:00Z\"},"
    "{\"collection\":\"core\",\"name\":\"v1\","
    "\"created\":\"2024-02-01T00:00:00Z\"}],\"rules\":[]}\n";

/* A secrets run: a secret known to the registry, an exposure of a git
 * history, the summary line with the rules. */
static const char secrets_text[] =
    "{\"path\":\"app/.env\",\"line\":2,\"column\":19,"
    "\"rule\":\"aws-access-key-id\",\"format\":\"AWS access key ID\","
    "\"category\":\"cloud-credential\",\"masked\":\"AKIA********\","
    "\"fingerprint\":\"" FP "\",\"entropy\":3.1,\"confidence\":\"high\","
    "\"lines\":1,\"known\":true,\"known_in\":[\"core:deploy/prod.env\"],"
    "\"known_version\":\"core v2\",\"still_present\":true}\n"
    "{\"exposure\":{\"path\":\"app/.env\",\"line\":3,\"column\":5,"
    "\"type\":\"internal-address\",\"rule\":\"private-ipv4-10\","
    "\"value\":\"10.1.2.3\",\"commit\":\"0123456789abcdef0123456789abcdef"
    "01234567\",\"commit_date\":\"2024-04-01\"},\"fingerprint\":\"" FP
    "\"}\n"
    "{\"summary\":{\"files_scanned\":3,\"secrets\":1,\"exposures\":1,"
    "\"baselined\":0,\"rules\":2,\"files_unreadable\":1,"
    "\"fingerprint_key\":\"5a5a5a5a5a5a5a5a\"},"
    "\"skipped\":[{\"path\":\"x.zip\",\"reason\":\"damaged\"}]," TOOL ","
    "\"rules\":[{\"id\":\"aws-access-key-id\",\"format\":\"AWS access key "
    "ID\",\"category\":\"cloud-credential\",\"exposure\":false,"
    "\"generic\":false},{\"id\":\"private-ipv4-10\",\"format\":\"private "
    "IPv4 address\",\"category\":\"internal-address\",\"exposure\":true,"
    "\"generic\":false}]}\n";

static char why[512];

static struct lp_scan *read_ok(const char *text)
{
    struct lp_scan *s = NULL;
    why[0] = '\0';
    lp_err err = lp_jsonl_read_buf(text, strlen(text), "x.jsonl", &s, why,
                                   sizeof why);
    if (err)
        fail_msg("%s", why);
    assert_non_null(s);
    return s;
}

/* The JSONL writer's output of s. */
static char *render(lp_err (*w)(const struct lp_scan *, int, FILE *),
                    const struct lp_scan *s)
{
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);
    assert_non_null(fp);
    assert_int_equal(w(s, 0, fp), LP_OK);
    assert_int_equal(fclose(fp), 0);
    return out;
}

static void test_scan(void **state)
{
    (void)state;
    struct lp_scan *s = read_ok(scan_text);
    assert_int_equal(s->secrets_mode, LP_SECRETS_OFF);
    assert_int_equal(s->ncollections, 2);
    assert_string_equal(s->collections[0].name, "other");
    assert_true(s->collections[0].public_);
    assert_int_equal(s->nversions, 2);
    assert_int_equal(s->versions[1].collection, 1);
    assert_int_equal(s->versions[1].created, 1706745600);
    assert_int_equal(s->nfiles, 2);
    assert_int_equal(lp_result_files_scanned(s), 3);
    const struct lp_file_result *f = &s->files[0];
    assert_string_equal(f->path, "dump.tgz!src/a.c");
    assert_int_equal(f->sha[1], 0x11);
    assert_int_equal(f->kind, LP_KIND_CODE);
    assert_int_equal(f->nmatches, 1);
    assert_int_equal(f->matches[0].collection, 1);
    assert_int_equal(f->matches[0].version, 1);
    assert_string_equal(f->matches[0].asset, "src/a.c");
    assert_int_equal(f->matches[0].nfp, 12);
    assert_int_equal(f->matches[0].nspans, 1);
    assert_int_equal(f->matches[0].spans[0].how, LP_HOW_RENAMED);
    assert_int_equal(f->matches[0].spans[0].asset_lines[1], 21);
    assert_int_equal(f->matches[0].spans[0].pages[1], 2);
    f = &s->files[1];
    assert_non_null(f->listing);
    assert_int_equal(f->listing_format, LP_LISTING_FIND);
    assert_int_equal(f->listing->nhits, 1);
    assert_int_equal(f->listing->hits[0].collection, 1);
    assert_string_equal(f->listing->hits[0].listing_root, "proj");
    assert_int_equal(s->nscope, 1);
    assert_int_equal(s->scope[0].collection, 1);
    assert_int_equal(s->scope[0].best_version, 1);
    assert_int_equal(s->scope[0].nconsistent, 2);
    assert_int_equal(s->scope[0].consistent[0], 0);
    assert_int_equal(s->level, LP_LEVEL_LIKELY);
    assert_string_equal(s->registry_path, "db");
    assert_int_equal(s->nskips, 1);
    char *again = render(lp_report_jsonl, s);
    assert_string_equal(again, scan_now);
    free(again);
    lp_scan_free(s);
    /* the form written now reads back to the same lines */
    s = read_ok(scan_now);
    assert_int_equal(s->nfiles, 2);
    assert_non_null(s->files[1].listing);
    assert_int_equal(s->files[1].listing->hits[0].collection, 1);
    again = render(lp_report_jsonl, s);
    assert_string_equal(again, scan_now);
    free(again);
    lp_scan_free(s);
}

static void test_secrets(void **state)
{
    (void)state;
    struct lp_scan *s = read_ok(secrets_text);
    assert_int_equal(s->secrets_mode, LP_SECRETS_ONLY);
    assert_int_equal(s->nrules, 2);
    assert_true(s->rules[1].flags & LP_RULE_EXPOSURE);
    // the exposure is of a commit: a file of its own
    assert_int_equal(s->nfiles, 2);
    assert_int_equal(s->files[0].nsecrets, 1);
    assert_string_equal(s->files[0].secrets[0].masked, "AKIA********");
    assert_string_equal(s->key_id, "5a5a5a5a5a5a5a5a");
    assert_false(s->files[0].has_commit);
    assert_true(s->files[1].has_commit);
    assert_int_equal(s->files[1].commit[1], 0x23);
    assert_int_equal(s->files[1].commit_time, 1711929600);
    assert_int_equal(s->files[1].secrets[0].rule, 1);
    assert_string_equal(s->files[1].secrets[0].value, "10.1.2.3");
    assert_true(s->linked);
    assert_int_equal(s->nknown, 1);
    const struct lp_secret_known *k = lp_result_known(s, FP);
    assert_non_null(k);
    assert_true(k->still_present);
    assert_string_equal(k->in[0], "core:deploy/prod.env");
    assert_int_equal(s->nsecrets, 1);
    assert_int_equal(s->nexposures, 1);
    assert_int_equal(s->nerrors, 1);
    assert_int_equal(lp_result_files_scanned(s), 3);
    char *again = render(lp_report_secrets_jsonl, s);
    assert_string_equal(again, secrets_text);
    free(again);
    lp_scan_free(s);
}

/* The stream reader gives what the buffer reader gives. */
static void test_stream(void **state)
{
    (void)state;
    FILE *fp = fmemopen((void *)scan_text, strlen(scan_text), "r");
    assert_non_null(fp);
    struct lp_scan *s = NULL;
    assert_int_equal(lp_jsonl_read(fp, "x.jsonl", &s, why, sizeof why),
                     LP_OK);
    fclose(fp);
    char *again = render(lp_report_jsonl, s);
    assert_string_equal(again, scan_now);
    free(again);
    lp_scan_free(s);
}

/* text with its first `from` replaced by `to`; caller frees. */
static char *with(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    assert_non_null(at);
    size_t head = (size_t)(at - text), n = strlen(text) + strlen(to) + 1;
    char *out = malloc(n);
    assert_non_null(out);
    snprintf(out, n, "%.*s%s%s", (int)head, text, to, at + strlen(from));
    return out;
}

/* text (freed) must fail with code and exactly the reason msg. */
static void expect_bad(char *text, lp_err code, const char *msg)
{
    struct lp_scan *s = (struct lp_scan *)&s;
    why[0] = '\0';
    lp_err err = lp_jsonl_read_buf(text, strlen(text), "x.jsonl", &s, why,
                                   sizeof why);
    free(text);
    assert_string_equal(why, msg);
    assert_null(s);
    assert_int_equal(err, code);
}

static char *copy(const char *t)
{
    char *c = strdup(t);
    assert_non_null(c);
    return c;
}

static void test_scan_bad(void **state)
{
    (void)state;
    const char *t = scan_text;
    expect_bad(copy(""), LP_EFORMAT,
               "x.jsonl:1: the report ends before its last line");
    expect_bad(with(t, "{\"verdict\"", "{\"nothing\""), LP_EFORMAT,
               "x.jsonl:3: neither a file, a finding nor a last line");
    char *cut = copy(t);
    *strstr(cut, "\n{\"verdict\"") = '\0';
    expect_bad(cut, LP_EFORMAT,
               "x.jsonl:2: the report ends before its last line");
    char *twice = malloc(2 * sizeof scan_text);
    assert_non_null(twice);
    snprintf(twice, 2 * sizeof scan_text, "%s%s", t, t);
    expect_bad(twice, LP_EFORMAT, "x.jsonl:4: a line after the last line");
    expect_bad(with(t, "{\"path\"", "[1]\n{\"path\""), LP_EFORMAT,
               "x.jsonl:1: not a JSON object");
    expect_bad(with(t, "{\"path\"", "\n{\"path\""), LP_EFORMAT,
               "x.jsonl:1: not JSON: '[' or '{' expected near end of file");
    expect_bad(with(t, "\"kind\":\"code\"", "\"kind\":5"), LP_EFORMAT,
               "x.jsonl:1: 'kind': not a string");
    expect_bad(with(t, "\"kind\":\"code\"", "\"kind\":\"src\""), LP_EFORMAT,
               "x.jsonl:1: 'kind': unknown value 'src'");
    expect_bad(with(t, "\"sha256\":\"00", "\"sha256\":\"0"), LP_EFORMAT,
               "x.jsonl:1: 'sha256': not 64 lower-case hex digits");
    expect_bad(with(t, "\"fingerprints\":12,", "\"fingerprints\":-1,"),
               LP_EFORMAT,
               "x.jsonl:1: 'fingerprints': -1 not in 0..4294967295");
    expect_bad(with(t, "\"lines\":[1,20]", "\"lines\":[1]"), LP_EFORMAT,
               "x.jsonl:1: 'lines': not two integers of 0..4294967295");
    expect_bad(with(t, "\"lines\":[1,20]", "\"lines\":[1,4294967296]"),
               LP_EFORMAT,
               "x.jsonl:1: 'lines': not two integers of 0..4294967295");
    expect_bad(with(t, "\"similarity\":0.9", "\"similarity\":\"high\""),
               LP_EFORMAT, "x.jsonl:1: 'similarity': not a number");
    expect_bad(with(t, "\"evidence\":10.5", "\"evidence\":1e300"),
               LP_EFORMAT, "x.jsonl:1: 'evidence': 1e+300 not in 0..1e+12");
    expect_bad(with(t, "\"exact\":false,", ""), LP_EFORMAT,
               "x.jsonl:1: 'exact' missing");
    expect_bad(with(t, "\"collection\":\"core\"", "\"collection\":\"no\\npe\""),
               LP_EFORMAT,
               "x.jsonl:1: unknown collection 'no\\x0ape' (not in the last "
               "line)");
    expect_bad(with(t, "\"version\":\"v1\"", "\"version\":\"v9\""),
               LP_EFORMAT,
               "x.jsonl:1: unknown version 'v9' of 'core' (not in the last "
               "line)");
    expect_bad(with(t, "{\"name\":\"core\",\"entries", "{\"name\":\"c2\","
                                                      "\"entries"),
               LP_EFORMAT,
               "x.jsonl:2: unknown collection 'c2' (not in the last line)");
    expect_bad(with(t, "\"pages\":[1,2]", "\"pages\":[0,2]"), LP_EFORMAT,
               "x.jsonl:1: 'pages': page 0");
    expect_bad(with(t, "\"collections\":2", "\"collections\":3"), LP_EFORMAT,
               "x.jsonl:3: 'registry': 3 collections, but 2 named");
    expect_bad(with(t, "\"files_scanned\":3", "\"files_scanned\":1"),
               LP_EFORMAT,
               "x.jsonl:3: 'files_scanned': 1, fewer than the 2 files named");
    expect_bad(with(t, "\"created\":\"2024-02-01T00", "\"created\":\"2024-02-"
                                                      "30T00"),
               LP_EFORMAT,
               "x.jsonl:3: 'created': not a time (YYYY-MM-DDTHH:MM:SSZ)");
    expect_bad(with(t, "\"best\":\"v1\"", "\"best\":\"v2\""), LP_EFORMAT,
               "x.jsonl:3: scope: unknown version 'v2' of 'core'");
    expect_bad(with(t, "{\"name\":\"other\"", "{\"name\":\"core\""),
               LP_EFORMAT, "x.jsonl:3: collection 'core' named twice");
    expect_bad(with(t, "\"canaries\":[]", "\"canaries\":[{}]"), LP_EFORMAT,
               "x.jsonl:3: 'canaries': not read (the result model has none)");
    expect_bad(with(t, "\"level\":\"likely\"", "\"level\":\"sure\""),
               LP_EFORMAT, "x.jsonl:3: 'level': unknown value 'sure'");
    char summary[600];
    memset(summary, 'a', sizeof summary - 1);
    summary[sizeof summary - 1] = '\0';
    expect_bad(with(t, "1 of 3 files", summary), LP_EFORMAT,
               "x.jsonl:3: 'summary': longer than 511 bytes");
    expect_bad(with(t, "\"secrets\":[]", "\"secrets\":[{\"path\":\"a\","
                                         "\"line\":1,\"column\":1,"
                                         "\"rule\":\"r\"}]"),
               LP_EFORMAT, "x.jsonl:3: unknown rule 'r'");
    expect_bad(with(t, "{\"path\":\"dump",
                    "{\"exposure\":{}}\n{\"path\":\"dump"),
               LP_EFORMAT, "x.jsonl:1: 'path' missing");
    expect_bad(with(t, "{\"path\":\"find",
                    "{\"exposure\":5}\n{\"path\":\"find"),
               LP_EFORMAT, "x.jsonl:2: a finding's line in a report of a scan");
}

static void test_secrets_bad(void **state)
{
    (void)state;
    const char *t = secrets_text;
    expect_bad(with(t, "\"rule\":\"aws-access-key-id\"", "\"rule\":\"nope\""),
               LP_EFORMAT,
               "x.jsonl:1: unknown rule 'nope' (not in the last line)");
    expect_bad(with(t, "\"rule\":\"private-ipv4-10\"",
                    "\"rule\":\"aws-access-key-id\""),
               LP_EFORMAT,
               "x.jsonl:2: rule 'aws-access-key-id' is not an exposure rule");
    expect_bad(with(t, "\"secrets\":1,", "\"secrets\":2,"), LP_EFORMAT,
               "x.jsonl:3: 'summary': 2 secrets and 1 exposures, but the "
               "lines hold 1 and 1");
    expect_bad(with(t, "\"rules\":2,", "\"rules\":3,"), LP_EFORMAT,
               "x.jsonl:3: 'summary': 3 rules, but 2 named");
    expect_bad(with(t, "5a5a5a5a5a5a5a5a", "5A5A5A5A5A5A5A5A"), LP_EFORMAT,
               "x.jsonl:3: 'fingerprint_key': not 16 hex digits");
    expect_bad(with(t, "\"commit_date\":\"2024-04-01\"",
                    "\"commit_date\":\"2024-4-1\""),
               LP_EFORMAT, "x.jsonl:2: 'commit_date': not a day (YYYY-MM-DD)");
    expect_bad(with(t, "\"known_in\":[\"core:deploy/prod.env\"]",
                    "\"known_in\":[]"),
               LP_EFORMAT, "x.jsonl:1: 'known_in': not 1 to 10 places");
    expect_bad(with(t, "\"masked\":\"AKIA", "\"masked\":\"AKIAAKIAAKIAAKIA"
                                            "AKIAAKIAAKIAAKIAAKIAAKIAAKIA"),
               LP_EFORMAT, "x.jsonl:1: 'masked': longer than 47 bytes");
    expect_bad(with(t, "{\"summary\"", "{" TOOL "}\n{\"summary\""), LP_EFORMAT,
               "x.jsonl:3: neither a file, a finding nor a last line");
    char *scan_first = malloc(sizeof scan_text + sizeof secrets_text);
    assert_non_null(scan_first);
    snprintf(scan_first, sizeof scan_text + sizeof secrets_text, "%.*s%s",
             (int)(strchr(scan_text, '\n') - scan_text + 1), scan_text, t);
    expect_bad(scan_first, LP_EFORMAT,
               "x.jsonl:2: a finding's line in a report of a scan");
}

/* A line longer than LP_MAX_JSONL_LINE is refused before it is parsed. */
static void test_line_limit(void **state)
{
    (void)state;
    size_t n = LP_MAX_JSONL_LINE + 1;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, ' ', n);
    big[n] = '\0';
    char msg[80];
    snprintf(msg, sizeof msg, "x.jsonl:1: line longer than %u bytes",
             (unsigned)LP_MAX_JSONL_LINE);
    FILE *fp = fmemopen(big, n, "r");
    assert_non_null(fp);
    struct lp_scan *s = NULL;
    assert_int_equal(lp_jsonl_read(fp, "x.jsonl", &s, why, sizeof why),
                     LP_ELIMIT);
    fclose(fp);
    assert_null(s);
    assert_string_equal(why, msg);
    expect_bad(big, LP_ELIMIT, msg);
}

/* Each allocation of a read made to fail in turn: LP_ENOMEM, no leak. */
static void sweep(const char *text)
{
    for (long n = 0;; n++) {
        struct lp_scan *s = NULL;
        lp_mem_fail_after(n);
        lp_err err = lp_jsonl_read_buf(text, strlen(text), "x.jsonl", &s,
                                       why, sizeof why);
        lp_mem_fail_after(-1);
        if (!err) {
            lp_scan_free(s);
            assert_true(n > 10);
            return;
        }
        assert_int_equal(err, LP_ENOMEM);
        assert_null(s);
        assert_non_null(strstr(why, "out of memory"));
    }
}

static void test_alloc_failures(void **state)
{
    (void)state;
    sweep(scan_text);
    sweep(secrets_text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan),
        cmocka_unit_test(test_secrets),
        cmocka_unit_test(test_stream),
        cmocka_unit_test(test_scan_bad),
        cmocka_unit_test(test_secrets_bad),
        cmocka_unit_test(test_line_limit),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
