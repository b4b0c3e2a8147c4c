/* SPDX-License-Identifier: Apache-2.0
 *
 * cmd_secrets: `leakprint secrets [--format F] [-o FILE] [-j N]
 * [--history none|all] TARGET...`: credentials in the targets, read as scan
 * reads them (directories, archives, documents, git repositories, standard
 * input), and by default the history of a target that is a git
 * repository. Needs no registry. Exit status (CONTRACT.md): 1 when a
 * secret is found, even if some inputs could not be read; else 2 when one
 * could not be read wholly (each named on stderr) or on any error; 0 only
 * when all was read and none found. Exposures do not count. A report that
 * could not be written is 2 whatever was found.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "banned.h" /* a list of poisoned names: defines nothing */

struct secrets_args {
    struct cli_run run;
    bool list_rules;
};

static int parse(int argc, char **argv, struct cli *cli,
                 struct secrets_args *a)
{
    static const struct option opts[] = {
        CLI_RUN_OPTIONS,
        {"list-rules", no_argument, NULL, 'L'},
        {"history", required_argument, NULL, 'H'},
        {NULL, 0, NULL, 0},
    };
    struct lp_scan_options *opt = &a->run.opt;
    int o, r;
    cli_run_init(&a->run, cli);
    opt->secrets = LP_SECRETS_ONLY;
    /* A credential removed in a later commit is still in every clone:
     * gitleaks users expect the history to be read. */
    opt->history = LP_HISTORY_ALL;
    optind = 0;
    while ((o = cli_getopt(argc, argv, "f:o:j:q", opts, "secrets")) != -1) {
        if ((r = cli_run_option(&a->run, o, optarg)) != 0) {
            if (r < 0)
                return -1;
            continue;
        }
        switch (o) {
        case 'L': a->list_rules = true; break;
        case 'H':
            if (cli_history_option(optarg, &opt->history) != 0)
                return -1;
            break;
        default: return -1;
        }
    }
    if (cli_run_check_format(&a->run) < 0)
        return -1;
    if (optind >= argc && !a->list_rules) {
        cli_error("secrets: no target given (see leakprint secrets --help)");
        return -1;
    }
    if (cli_check_stdin(cli, argv + optind, (size_t)(argc - optind)) < 0)
        return -1;
    return optind;
}

static void print_rule(void *ctx, const char *id, const char *category,
                       const char *format)
{
    fprintf(ctx, "%-36s %-20s %s\n", id, category, format);
}

/* Appends a rule to the JSON array ctx (docs/schema/rules.schema.json). */
static void json_rule(void *ctx, const char *id, const char *category,
                      const char *format)
{
    json_array_append_new(ctx, json_pack("{s:s, s:s, s:s}", "id", id,
                                         "category", category, "format",
                                         format));
}

/* --list-rules: the rules in force, as text (one a line: id, category,
 * format) or, with --format json, as {"rules": [{id, category, format}]};
 * to -o FILE when given. */
static int list_rules(const struct cli_run *r)
{
    bool json = !strcmp(r->format, "json");
    if (!json && strcmp(r->format, "text")) {
        cli_error("'%s': --list-rules writes text or json", r->format);
        return EXIT_TROUBLE;
    }
    FILE *fp = r->output ? fopen(r->output, "w") : stdout;
    if (!fp) {
        cli_error("'%s': %s", r->output, cli_strerror(errno));
        return EXIT_TROUBLE;
    }
    char err[512] = "";
    json_t *rules = json ? json_array() : NULL;
    lp_err e = lp_secrets_list_rules(r->opt.secrets_config,
                                     json ? json_rule : print_rule,
                                     json ? (void *)rules : (void *)fp, err,
                                     sizeof err);
    if (e)
        cli_error("%s", *err ? err : lp_strerror(e));
    int bad = 0, why = 0;
    if (!e && json) {
        json_t *doc = json_pack("{s:o}", "rules", rules);
        rules = NULL;
        bad = !doc || json_dumpf(doc, fp, JSON_INDENT(2)) != 0 ||
              fputc('\n', fp) == EOF;
        why = errno;
        json_decref(doc);
    }
    json_decref(rules);
    if (!e && (fflush(fp) != 0 || ferror(fp)) && !bad) {
        bad = 1;
        why = errno;
    }
    if (fp != stdout && fclose(fp) != 0 && !e && !bad) {
        bad = 1;
        why = errno;
    }
    if (bad)
        cli_error("'%s': cannot write the rules: %s",
                  r->output ? r->output : "<stdout>",
                  why ? cli_strerror(why) : "input/output error");
    return e || bad ? EXIT_TROUBLE : EXIT_CLEAN;
}

static int run(int argc, char **argv, struct cli *cli, struct secrets_args *a)
{
    int first = parse(argc, argv, cli, a);
    if (first < 0 || cli_open_registry(cli) != EXIT_CLEAN)
        return EXIT_TROUBLE;
    if (a->list_rules)
        return list_rules(&a->run);
    char err[512] = "";
    a->run.opt.err = err;
    a->run.opt.errlen = sizeof err;
    char cache[4096];
    a->run.opt.cache_dir = lp_front_cache_dir(cache, sizeof cache);
    char key[4096];
    if (!a->run.opt.fingerprint_key)
        a->run.opt.user_key = cli_user_key(key, sizeof key);
    lp_scan *scan = NULL;
    lp_err e = lp_scan_run(cli->reg, &a->run.opt, (const char *const *)argv + first,
                           (size_t)(argc - first), cli_warn, NULL, &scan);
    cli_progress_end();
    if (e) {
        cli_error("%s", *err       ? err
                        : cli->reg ? lp_registry_errmsg(cli->reg)
                                   : lp_strerror(e));
        return EXIT_TROUBLE;
    }
    cli_key_note(scan, cli);
    int written = cli_write_report(scan, a->run.format, a->run.output, cli);
    size_t found = lp_scan_secrets(scan), errors = lp_scan_errors(scan);
    lp_scan_free(scan);
    if (written < 0)
        return EXIT_TROUBLE;
    /* A secret found is never hidden by an input that could not be read. */
    if (found)
        return EXIT_FOUND;
    return errors ? EXIT_TROUBLE : EXIT_CLEAN;
}

int cmd_secrets(int argc, char **argv, struct cli *cli)
{
    struct secrets_args a = {0};
    int rc = run(argc, argv, cli, &a);
    cli_input_release(&a.run.in);
    return rc;
}
