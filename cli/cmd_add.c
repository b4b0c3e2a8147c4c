/* SPDX-License-Identifier: Apache-2.0
 *
 * cmd_add: `leakprint add [--name NAME] [--version V] [--public]
 *                          [--history=none|tags|all] [-j N] PATH...`
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "banned.h" /* a list of poisoned names: defines nothing */

static int add(int argc, char **argv, struct cli *cli,
               const struct option *opts, struct lp_add_options *opt,
               struct cli_input *in);

int cmd_add(int argc, char **argv, struct cli *cli)
{
    static const struct option opts[] = {
        {"name", required_argument, NULL, 'n'},
        {"version", required_argument, NULL, 'v'},
        {"public", no_argument, NULL, 'p'},
        {"jobs", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"max-file-size", required_argument, NULL, 'S'},
        {"history", required_argument, NULL, 'H'},
        {"max-versions", required_argument, NULL, 'M'},
        {"fingerprint-key", required_argument, NULL, 'K'},
        CLI_INPUT_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    struct lp_add_options opt = {0};
    struct cli_input in = {0};
    cli_input_init(&in, &opt.input);
    int rc = add(argc, argv, cli, opts, &opt, &in);
    cli_input_release(&in);
    return rc;
}

static int add(int argc, char **argv, struct cli *cli,
               const struct option *opts, struct lp_add_options *opt,
               struct cli_input *in)
{
    if (cli->stderr_tty) {
        opt->progress = cli_progress;
        opt->progress_ctx = "adding";
    }
    int quiet = 0, o, r;
    long v;
    optind = 0;
    while ((o = cli_getopt(argc, argv, "n:v:pj:q", opts, "add")) != -1) {
        if ((r = cli_input_option(in, o, optarg)) != 0) {
            if (r < 0)
                return EXIT_TROUBLE;
            continue;
        }
        switch (o) {
        case 'n': opt->name = optarg; break;
        case 'v': opt->version = optarg; break;
        case 'p': opt->public_ = 1; break;
        case 'K':
            opt->fingerprint_key = optarg;
            cli_check_key_mode(optarg);
            break;
        case 'H':
            if (!strcmp(optarg, "none"))
                opt->history = LP_HISTORY_NONE;
            else if (!strcmp(optarg, "tags"))
                opt->history = LP_HISTORY_TAGS;
            else if (!strcmp(optarg, "all"))
                opt->history = LP_HISTORY_ALL;
            else {
                cli_error("'%s': invalid value for --history (none, tags or "
                          "all)", optarg);
                return EXIT_TROUBLE;
            }
            break;
        case 'q': quiet = 1; opt->progress = NULL; break;
        case 'S':
            if (!(opt->max_file_size = cli_parse_size(optarg))) {
                cli_error("'%s': invalid value for --max-file-size", optarg);
                return EXIT_TROUBLE;
            }
            break;
        case 'M':
            if ((v = cli_parse_long(optarg, 100000000)) <= 0) {
                cli_error("'%s': invalid value for --max-versions", optarg);
                return EXIT_TROUBLE;
            }
            opt->max_versions = (uint64_t)v;
            break;
        case 'j':
            if ((v = cli_parse_long(optarg, 256)) < 0) {
                cli_error("'%s': invalid value for --jobs (0-256)", optarg);
                return EXIT_TROUBLE;
            }
            opt->jobs = (int)v;
            break;
        default: return EXIT_TROUBLE;
        }
    }
    if (optind >= argc) {
        cli_error("add: no path given (see leakprint add --help)");
        return EXIT_TROUBLE;
    }
    if (cli_open_registry(cli) != EXIT_CLEAN)
        return EXIT_TROUBLE;
    char cache[4096];
    if (!opt->public_) /* the secrets of protected material are recorded */
        opt->cache_dir = lp_front_cache_dir(cache, sizeof cache);
    struct lp_add_stats st;
    lp_err err = lp_add(cli->reg, opt, (const char *const *)argv + optind,
                        (size_t)(argc - optind), cli_warn, NULL, &st);
    cli_progress_end();
    if (err) {
        cli_error("%s", lp_registry_errmsg(cli->reg));
        return EXIT_TROUBLE;
    }
    char versions[64] = "";
    if (opt->history != LP_HISTORY_WALK)
        snprintf(versions, sizeof versions, "%llu versions, ",
                 (unsigned long long)st.versions);
    if (!quiet)
        printf("added %s%llu files (%llu bytes, %llu new contents, "
               "%llu fingerprints)%s\n",
               versions, (unsigned long long)st.files,
               (unsigned long long)st.bytes,
               (unsigned long long)st.new_blobs,
               (unsigned long long)st.fingerprints,
               st.skipped ? "; some paths were skipped (see above)" : "");
    return st.skipped ? EXIT_TROUBLE : EXIT_CLEAN;
}
