/* SPDX-License-Identifier: Apache-2.0
 *
 * cmd_check: `leakprint check [--repair] [--format text|json]`, the
 * registry's fsck: one line per problem on standard output (or one JSON
 * document, docs/schema/check.schema.json), exit 0 when there is none,
 * else 2 with a one-line summary on standard error. The registry is not opened as such
 * (the library's lp_registry_check reads its pieces), so a damaged one can
 * be examined and, with --repair, its lost manifest rebuilt.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "commands.h"
#include "banned.h" /* a list of poisoned names: defines nothing */

static void print_line(void *ctx, const char *msg)
{
    (void)ctx;
    printf("%s\n", msg);
}

/* The messages of a check, for its JSON document; *oom once one could not
 * be kept. */
struct lines {
    json_t *a;
    bool oom;
};

/* s as a JSON string; a path in it may be no valid UTF-8, and is then
 * written as the text report escapes names (lp_escape()). NULL when out
 * of memory. */
static json_t *jtext(const char *s)
{
    json_t *v = json_string(s);
    if (v)
        return v;
    size_t cap = 4 * strlen(s) + 1; /* \xNN for each byte at most */
    char *e = malloc(cap);
    if (!e)
        return NULL;
    lp_escape(s, e, cap);
    v = json_string(e);
    free(e);
    return v;
}

static void keep_line(void *ctx, const char *msg)
{
    struct lines *l = ctx;
    json_t *v = jtext(msg);
    if (!v || json_array_append_new(l->a, v))
        l->oom = true;
}

/* {"registry", "ok", "problems", "messages"}: the messages are the text
 * report's lines, problems and repairs made, in order. */
static int write_json(const char *db, lp_err err, size_t problems,
                      json_t *messages)
{
    json_t *doc = json_pack("{s:o,s:b,s:I,s:O}", "registry", jtext(db), "ok",
                            err == LP_OK, "problems", (json_int_t)problems,
                            "messages", messages);
    if (!doc || json_dumpf(doc, stdout, JSON_INDENT(2)) || putchar('\n') == EOF ||
        fflush(stdout)) {
        json_decref(doc);
        cli_error("'<stdout>': cannot write the report");
        return -1;
    }
    json_decref(doc);
    return 0;
}

int cmd_check(int argc, char **argv, struct cli *cli)
{
    static const struct option opts[] = {
        {"repair", no_argument, NULL, 'r'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    unsigned flags = 0;
    bool json = false;
    int o;
    optind = 0;
    while ((o = cli_getopt(argc, argv, "f:", opts, "check")) != -1) {
        if (o == 'r') {
            flags |= LP_CHECK_REPAIR;
        } else if (o == 'f' && (!strcmp(optarg, "json") ||
                                !strcmp(optarg, "text"))) {
            json = !strcmp(optarg, "json");
        } else {
            if (o == 'f')
                cli_error("'%s': unknown format (text, json)", optarg);
            return EXIT_TROUBLE; /* else cli_getopt said why */
        }
    }
    if (optind < argc) {
        cli_error("check: unexpected argument '%s'", argv[optind]);
        return EXIT_TROUBLE;
    }
    size_t problems = 0;
    struct lines lines = {json ? json_array() : NULL, false};
    if (json && !lines.a) {
        cli_error("check: out of memory");
        return EXIT_TROUBLE;
    }
    lp_err err = lp_registry_check(cli->db_path, flags,
                                   json ? keep_line : print_line,
                                   json ? (void *)&lines : NULL, &problems);
    if (json && (err == LP_OK || err == LP_ECORRUPT)) {
        int w = lines.oom ? -1 : write_json(cli->db_path, err, problems, lines.a);
        json_decref(lines.a);
        if (lines.oom)
            cli_error("check: out of memory");
        if (w || lines.oom)
            return EXIT_TROUBLE;
    } else {
        json_decref(lines.a);
    }
    if (err == LP_OK) {
        if (!json)
            printf("'%s': no problem found\n", cli->db_path);
        return EXIT_CLEAN;
    }
    fflush(stdout);
    if (err == LP_ECORRUPT)
        cli_error("'%s': %zu problem%s found (registry is corrupt)",
                  cli->db_path, problems, problems == 1 ? "" : "s");
    else
        cli_error("'%s': cannot check: %s", cli->db_path, lp_strerror(err));
    return EXIT_TROUBLE;
}
