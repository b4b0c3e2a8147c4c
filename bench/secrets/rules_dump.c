/* SPDX-License-Identifier: Apache-2.0
 *
 * rules_dump: prints every built-in secret rule as one JSON object per
 * line, for the secrets benchmark (bench/secrets): its generators read the
 * patterns and examples, and ripgrep is given the same PCRE2 patterns.
 * The examples are the made-up values of the rule tables, not secrets.
 * With --placeholder it answers instead, for each value read on a line of
 * standard input in hex (a value may hold newlines), 1 or 0: whether the
 * engine drops it as a placeholder
 * (lp_secrets_placeholder), so that the corpus asks the engine itself.
 * Build: make build/bench/rules_dump.
 */
#include <stdio.h>
#include <string.h>

#include "rules.h"
#include "secrets.h"
#include "banned.h"

/* s as a JSON string (with its quotes); NULL as null. */
static void put_json(FILE *fp, const char *s)
{
    if (!s) {
        fputs("null", fp);
        return;
    }
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", fp); break;
        case '\\': fputs("\\\\", fp); break;
        case '\n': fputs("\\n", fp); break;
        case '\r': fputs("\\r", fp); break;
        case '\t': fputs("\\t", fp); break;
        default:
            if (*p < 0x20)
                fprintf(fp, "\\u%04x", *p);
            else
                fputc(*p, fp);
        }
    }
    fputc('"', fp);
}

static const char *check_name(enum lp_rule_check c)
{
    switch (c) {
    case LP_CHECK_NONE: return "none";
    case LP_CHECK_GITHUB_CRC32: return "github-crc32";
    case LP_CHECK_NPM_CRC32: return "npm-crc32";
    case LP_CHECK_JWT: return "jwt";
    case LP_CHECK_LUHN: return "luhn";
    case LP_CHECK_PEM: return "pem";
    case LP_CHECK_B64_PEM: return "b64-pem";
    }
    return "?";
}

static void put_field(FILE *fp, const char *name, const char *v)
{
    fprintf(fp, ",\"%s\":", name);
    put_json(fp, v);
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                  : -1;
}

/* One answer a line, flushed: the caller waits for each. */
static int placeholders(void)
{
    static char line[1 << 16], v[1 << 15];
    while (fgets(line, sizeof line, stdin)) {
        size_t n = strcspn(line, "\n"), k = 0;
        for (size_t i = 0; i + 1 < n && k < sizeof v; i += 2) {
            int hi = hexval(line[i]), lo = hexval(line[i + 1]);
            if (hi < 0 || lo < 0)
                return 2;
            v[k++] = (char)(hi << 4 | lo);
        }
        printf("%d\n", lp_secrets_placeholder(v, k) ? 1 : 0);
        fflush(stdout);
    }
    return ferror(stdin) || ferror(stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--placeholder") == 0)
        return placeholders();
    static const char *const table_names[] = {"services", "generic",
                                              "exposures"};
    size_t n;
    const struct lp_rule *const *tables = lp_rules_tables(&n);
    for (size_t t = 0; t < n; t++)
        for (const struct lp_rule *r = tables[t]; r->id; r++) {
            fputs("{\"id\":", stdout);
            put_json(stdout, r->id);
            put_field(stdout, "table",
                      t < sizeof table_names / sizeof *table_names
                          ? table_names[t]
                          : "?");
            put_field(stdout, "format", r->format);
            put_field(stdout, "category", r->category);
            put_field(stdout, "hs", r->hs);
            put_field(stdout, "pcre", r->pcre);
            printf(",\"window\":%u,\"min_len\":%u,\"max_len\":%u"
                   ",\"min_entropy\":%.3f",
                   r->window, r->min_len, r->max_len, r->min_entropy);
            put_field(stdout, "check", check_name(r->check));
            printf(",\"flags\":{\"caseless\":%s,\"multiline\":%s,"
                   "\"generic\":%s,\"exposure\":%s}",
                   r->flags & LP_RULE_CASELESS ? "true" : "false",
                   r->flags & LP_RULE_MULTILINE ? "true" : "false",
                   r->flags & LP_RULE_GENERIC ? "true" : "false",
                   r->flags & LP_RULE_EXPOSURE ? "true" : "false");
            put_field(stdout, "positive", r->positive);
            put_field(stdout, "positive_value", r->positive_value);
            put_field(stdout, "negative", r->negative);
            fputs("}\n", stdout);
        }
    return ferror(stdout) ? 1 : 0;
}
