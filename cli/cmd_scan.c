/* SPDX-License-Identifier: Apache-2.0
 *
 * cmd_scan: `leakprint scan [--format F] [-o FILE] [--min-similarity X]
 * [-j N] TARGET...`. Exit 1 when the verdict is likely or confirmed, 0
 * otherwise, 2 when an input could not be read or on any error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "../src/banned.h"

struct scan_args {
    struct lp_scan_options opt;
    struct cli_input in;
    const char *format;
    const char *output;
};

static int parse(int argc, char **argv, struct cli *cli, struct scan_args *a)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"min-similarity", required_argument, NULL, 's'},
        {"jobs", required_argument, NULL, 'j'},
        {"max-matches", required_argument, NULL, 'm'},
        {"quiet", no_argument, NULL, 'q'},
        {"max-file-size", required_argument, NULL, 'S'},
        {"secrets", no_argument, NULL, 'X'},
        CLI_SECRETS_OPTIONS,
        CLI_INPUT_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    int o, r;
    long v;
    char *end;
    a->format = "text";
    a->opt.min_similarity = 0.2;
    if (cli->stderr_tty) {
        a->opt.progress = cli_progress;
        a->opt.progress_ctx = "scanning";
    }
    optind = 0;
    a->in.opt = &a->opt.input;
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
        case 'X': a->opt.secrets = LP_SECRETS_ALSO; break;
        case 'S':
            if (!(a->opt.max_file_size = cli_parse_size(optarg))) {
                cli_error("'%s': invalid value for --max-file-size", optarg);
                return -1;
            }
            break;
        case 's':
            errno = 0;
            a->opt.min_similarity = strtod(optarg, &end);
            if (errno || end == optarg || *end || a->opt.min_similarity < 0 ||
                a->opt.min_similarity > 1) {
                cli_error("'%s': invalid value for --min-similarity (0-1)",
                          optarg);
                return -1;
            }
            break;
        case 'j':
        case 'm':
            if ((v = cli_parse_long(optarg, 256)) < 0) {
                cli_error("'%s': invalid value for --%s (0-256)", optarg,
                          o == 'j' ? "jobs" : "max-matches");
                return -1;
            }
            *(o == 'j' ? &a->opt.jobs : &a->opt.max_matches) = (int)v;
            break;
        default: fputs(cli_help("scan"), stderr); return -1;
        }
    }
    if (!strcmp(a->format, "html")) {
        cli_error("'html': format not available yet (text, json, jsonl, "
                  "sarif)");
        return -1;
    }
    if (strcmp(a->format, "text") && strcmp(a->format, "json") &&
        strcmp(a->format, "jsonl") && strcmp(a->format, "sarif")) {
        cli_error("'%s': unknown format (text, json, jsonl, sarif)",
                  a->format);
        return -1;
    }
    if (!a->opt.secrets && (a->opt.secrets_config || a->opt.baseline ||
                            a->opt.write_baseline)) {
        cli_error("scan: --config, --baseline and --write-baseline go with "
                  "--secrets");
        return -1;
    }
    if (optind >= argc) {
        cli_error("scan: no target given (see leakprint scan --help)");
        return -1;
    }
    return optind;
}

static int scan(int argc, char **argv, struct cli *cli, struct scan_args *a);

int cmd_scan(int argc, char **argv, struct cli *cli)
{
    struct scan_args a = {0};
    int rc = scan(argc, argv, cli, &a);
    cli_input_release(&a.in);
    return rc;
}

static int scan(int argc, char **argv, struct cli *cli, struct scan_args *a)
{
    int first = parse(argc, argv, cli, a);
    if (first < 0)
        return EXIT_TROUBLE;
    lp_scan *scan = NULL;
    lp_err err = lp_scan_run(cli->reg, &a->opt, (const char *const *)argv + first,
                             (size_t)(argc - first), cli_warn, NULL, &scan);
    cli_progress_end();
    if (err) {
        cli_error("%s", lp_registry_errmsg(cli->reg));
        return EXIT_TROUBLE;
    }
    int written = cli_write_report(scan, a->format, a->output, cli);
    int level = lp_scan_level(scan);
    size_t errors = lp_scan_errors(scan);
    lp_scan_free(scan);
    if (written < 0)
        return EXIT_TROUBLE;
    if (errors)
        return EXIT_TROUBLE;
    return level >= 2 ? EXIT_FOUND : EXIT_CLEAN;
}
