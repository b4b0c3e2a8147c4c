/* SPDX-License-Identifier: Apache-2.0
 *
 * cmd_scan: `leakprint scan [--format F] [-o FILE] [--min-similarity X]
 * [--history none|all] [-j N] TARGET...`. Exit status (CONTRACT.md): 1 when the verdict is
 * likely or confirmed or, with --secrets, a secret was found, even if some
 * inputs could not be read; else 2 when one could not be read wholly (each
 * named on stderr) or on any error; 0 only when all was read and nothing
 * found. A report that could not be written is 2 whatever was found.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "banned.h" /* a list of poisoned names: defines nothing */

struct scan_args {
    struct cli_run run;
    struct lp_html_root *roots; /* --asset-root, the names owned */
    size_t nroots;
};

/* --asset-root NAME=DIR: a checkout of collection NAME, whose files the
 * HTML report shows beside the sample's. 0, or -1 after saying what is
 * wrong. */
static int asset_root(struct scan_args *a, const char *arg)
{
    const char *eq = strchr(arg, '=');
    struct stat st;
    if (!eq || eq == arg || !eq[1]) {
        cli_error("'%s': --asset-root wants NAME=DIR", arg);
        return -1;
    }
    if (stat(eq + 1, &st) != 0) {
        cli_error("'%s': %s (--asset-root)", eq + 1, cli_strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        cli_error("'%s': not a directory (--asset-root)", eq + 1);
        return -1;
    }
    struct lp_html_root *r =
        realloc(a->roots, (a->nroots + 1) * sizeof *a->roots);
    if (!r) {
        cli_error("out of memory");
        return -1;
    }
    a->roots = r;
    if (!(r[a->nroots].collection = strndup(arg, (size_t)(eq - arg)))) {
        cli_error("out of memory");
        return -1;
    }
    r[a->nroots++].dir = eq + 1;
    return 0;
}

static int parse(int argc, char **argv, struct cli *cli, struct scan_args *a)
{
    static const struct option opts[] = {
        CLI_RUN_OPTIONS,
        {"min-similarity", required_argument, NULL, 's'},
        {"max-matches", required_argument, NULL, 'm'},
        {"min-tokens", required_argument, NULL, 'T'},
        {"secrets", no_argument, NULL, 'X'},
        {"history", required_argument, NULL, 'H'},
        {"no-licence-background", no_argument, NULL, 'L'},
        {"html-max-lines", required_argument, NULL, 'N'},
        {"html-max-file-lines", required_argument, NULL, 'F'},
        {"html-keep-text", required_argument, NULL, 'K'},
        {"asset-root", required_argument, NULL, 'R'},
        {NULL, 0, NULL, 0},
    };
    struct lp_scan_options *opt = &a->run.opt;
    int o, r;
    long v;
    char *end;
    cli_run_init(&a->run, cli);
    opt->min_similarity = LP_DEFAULT_MIN_SIMILARITY;
    uint64_t keep = LP_HTML_KEEP_TEXT;
    optind = 0;
    while ((o = cli_getopt(argc, argv, "f:o:j:q", opts, "scan")) != -1) {
        if ((r = cli_run_option(&a->run, o, optarg)) != 0) {
            if (r < 0)
                return -1;
            continue;
        }
        switch (o) {
        case 'X': opt->secrets = LP_SECRETS_ALSO; break;
        case 'H':
            /* A protected file deleted in a later commit is still in every
             * clone. Unlike secrets, scan reads the history only when
             * asked: matching costs more than a search for secrets. */
            if (cli_history_option(optarg, &opt->history) != 0)
                return -1;
            break;
        case 'L': opt->no_licence_background = 1; break;
        case 'R':
            if (asset_root(a, optarg) < 0)
                return -1;
            break;
        case 'N': case 'F':
            /* the sample lines an HTML report shows (0: none) */
            if ((v = cli_parse_long(optarg, 10000000)) < 0) {
                cli_error("'%s': invalid value for --%s (0-10000000)", optarg,
                          o == 'N' ? "html-max-lines" : "html-max-file-lines");
                return -1;
            }
            if (!v)
                cli->html.no_lines = 1;
            else if (o == 'N')
                cli->html.max_lines = (unsigned)v;
            else
                cli->html.max_file_lines = (unsigned)v;
            break;
        case 'K':
            /* MiB of matched files' text kept for the html report's lines:
             * an archive's members and documents have no other source */
            if ((v = cli_parse_long(optarg, 65536)) < 0) {
                cli_error("'%s': invalid value for --html-keep-text "
                          "(0-65536 MiB)", optarg);
                return -1;
            }
            keep = (uint64_t)v << 20;
            break;
        case 's':
            errno = 0;
            opt->min_similarity = strtod(optarg, &end);
            if (errno || end == optarg || *end || opt->min_similarity < 0 ||
                opt->min_similarity > 1) {
                cli_error("'%s': invalid value for --min-similarity (0-1)",
                          optarg);
                return -1;
            }
            break;
        case 'T':
            if ((v = cli_parse_long(optarg, 100000)) < 1) {
                cli_error("'%s': invalid value for --min-tokens (1-100000)",
                          optarg);
                return -1;
            }
            opt->min_tokens = (unsigned)v;
            break;
        case 'm':
            if ((v = cli_parse_long(optarg, 256)) < 0) {
                cli_error("'%s': invalid value for --max-matches (0-256)",
                          optarg);
                return -1;
            }
            opt->max_matches = (int)v;
            break;
        default: return -1;
        }
    }
    if (cli_run_check_format(&a->run) < 0)
        return -1;
    /* the html report shows matched files' lines: from the text the scan
     * keeps (members of archives, documents), else from the file */
    if (!strcmp(a->run.format, "html") && !cli->html.no_lines)
        opt->keep_text = keep;
    if (!opt->secrets &&
        (opt->secrets_config || opt->baseline || opt->write_baseline)) {
        cli_error("scan: --config, --baseline and --write-baseline go with "
                  "--secrets");
        return -1;
    }
    if (optind >= argc) {
        cli_error("scan: no target given (see leakprint scan --help)");
        return -1;
    }
    if (cli_check_stdin(cli, argv + optind, (size_t)(argc - optind)) < 0)
        return -1;
    return optind;
}

static int scan(int argc, char **argv, struct cli *cli, struct scan_args *a);

int cmd_scan(int argc, char **argv, struct cli *cli)
{
    struct scan_args a = {0};
    int rc = scan(argc, argv, cli, &a);
    cli_input_release(&a.run.in);
    for (size_t i = 0; i < a.nroots; i++)
        free((char *)a.roots[i].collection);
    free(a.roots);
    return rc;
}

static int scan(int argc, char **argv, struct cli *cli, struct scan_args *a)
{
    int first = parse(argc, argv, cli, a);
    cli->html.roots = a->roots;
    cli->html.nroots = a->nroots;
    if (first < 0 || cli_open_registry(cli) != EXIT_CLEAN)
        return EXIT_TROUBLE;
    char cache[4096], key[4096];
    if (a->run.opt.secrets) {
        a->run.opt.cache_dir = lp_front_cache_dir(cache, sizeof cache);
        if (!a->run.opt.fingerprint_key)
            a->run.opt.user_key = cli_user_key(key, sizeof key);
    }
    lp_scan *scan = NULL;
    lp_err err = lp_scan_run(cli->reg, &a->run.opt, (const char *const *)argv + first,
                             (size_t)(argc - first), cli_warn, NULL, &scan);
    cli_progress_end();
    if (err) {
        cli_error("%s", lp_registry_errmsg(cli->reg));
        return EXIT_TROUBLE;
    }
    cli_key_note(scan, cli);
    int written = cli_write_report(scan, a->run.format, a->run.output, cli);
    bool found = lp_scan_level(scan) >= 2 || lp_scan_secrets(scan) > 0;
    size_t errors = lp_scan_errors(scan);
    lp_scan_free(scan);
    if (written < 0)
        return EXIT_TROUBLE;
    /* A finding is never hidden by an input that could not be read. */
    if (found)
        return EXIT_FOUND;
    return errors ? EXIT_TROUBLE : EXIT_CLEAN;
}
