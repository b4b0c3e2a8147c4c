/* SPDX-License-Identifier: Apache-2.0
 *
 * cmd_secrets: `leakprint secrets [--format F] [-o FILE] [-j N]
 * [--history none|all] TARGET...`: credentials in the targets, read as scan
 * reads them (directories, archives, documents, git repositories, standard
 * input), and by default the history of a target that is a git
 * repository. Needs no registry. Exit 1 when a secret is found, 0 when none, 2 when an input
 * could not be read or on any error.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "../src/banned.h"

struct secrets_args {
    struct lp_scan_options opt;
    struct cli_input in;
    const char *format;
    const char *output;
    bool list_rules;
};

static int parse(int argc, char **argv, struct cli *cli,
                 struct secrets_args *a)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"max-file-size", required_argument, NULL, 'S'},
        CLI_SECRETS_OPTIONS,
        {"list-rules", no_argument, NULL, 'L'},
        {"history", required_argument, NULL, 'H'},
        CLI_INPUT_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    int o, r;
    long v;
    a->format = "text";
    a->opt.secrets = LP_SECRETS_ONLY;
    /* A credential removed in a later commit is still in every clone:
     * gitleaks users expect the history to be read. */
    a->opt.history = LP_HISTORY_ALL;
    if (cli->stderr_tty) {
        a->opt.progress = cli_progress;
        a->opt.progress_ctx = "scanning";
    }
    a->in.opt = &a->opt.input;
    optind = 0;
    while ((o = getopt_long(argc, argv, "f:o:j:q", opts, NULL)) != -1) {
        if (cli_secrets_option(&a->opt, o, optarg))
            continue;
        if ((r = cli_input_option(&a->in, o, optarg)) != 0) {
            if (r < 0)
                return -1;
            continue;
        }
        switch (o) {
        case 'f': a->format = optarg; break;
        case 'o': a->output = optarg; break;
        case 'q': a->opt.progress = NULL; break;
        case 'L': a->list_rules = true; break;
        case 'H':
            if (!strcmp(optarg, "none") || !strcmp(optarg, "all")) {
                a->opt.history = *optarg == 'n' ? LP_HISTORY_NONE
                                                : LP_HISTORY_ALL;
                break;
            }
            cli_error("'%s': invalid value for --history (none or all)",
                      optarg);
            return -1;
        case 'S':
            if (!(a->opt.max_file_size = cli_parse_size(optarg))) {
                cli_error("'%s': invalid value for --max-file-size", optarg);
                return -1;
            }
            break;
        case 'j':
            if ((v = cli_parse_long(optarg, 256)) < 0) {
                cli_error("'%s': invalid value for --jobs (0-256)", optarg);
                return -1;
            }
            a->opt.jobs = (int)v;
            break;
        default: fputs(cli_help("secrets"), stderr); return -1;
        }
    }
    if (strcmp(a->format, "text") && strcmp(a->format, "json") &&
        strcmp(a->format, "jsonl") && strcmp(a->format, "sarif")) {
        cli_error("'%s': unknown format (text, json, jsonl, sarif)",
                  a->format);
        return -1;
    }
    if (optind >= argc && !a->list_rules) {
        cli_error("secrets: no target given (see leakprint secrets --help)");
        return -1;
    }
    return optind;
}

static void print_rule(void *ctx, const char *id, const char *category,
                       const char *format)
{
    fprintf(ctx, "%-36s %-20s %s\n", id, category, format);
}

static int run(int argc, char **argv, struct cli *cli, struct secrets_args *a)
{
    int first = parse(argc, argv, cli, a);
    if (first < 0)
        return EXIT_TROUBLE;
    char err[512] = "";
    if (a->list_rules) {
        lp_err e = lp_secrets_list_rules(a->opt.secrets_config, print_rule,
                                         stdout, err, sizeof err);
        if (e)
            cli_error("%s", *err ? err : lp_strerror(e));
        return e ? EXIT_TROUBLE : EXIT_CLEAN;
    }
    a->opt.err = err;
    a->opt.errlen = sizeof err;
    lp_scan *scan = NULL;
    lp_err e = lp_scan_run(cli->reg, &a->opt, (const char *const *)argv + first,
                           (size_t)(argc - first), cli_warn, NULL, &scan);
    cli_progress_end();
    if (e) {
        cli_error("%s", *err       ? err
                        : cli->reg ? lp_registry_errmsg(cli->reg)
                                   : lp_strerror(e));
        return EXIT_TROUBLE;
    }
    int written = cli_write_report(scan, a->format, a->output, cli);
    size_t found = lp_scan_secrets(scan), errors = lp_scan_errors(scan);
    lp_scan_free(scan);
    if (written < 0)
        return EXIT_TROUBLE;
    if (errors)
        return EXIT_TROUBLE;
    return found ? EXIT_FOUND : EXIT_CLEAN;
}

int cmd_secrets(int argc, char **argv, struct cli *cli)
{
    struct secrets_args a = {0};
    int rc = run(argc, argv, cli, &a);
    cli_input_release(&a.in);
    return rc;
}
