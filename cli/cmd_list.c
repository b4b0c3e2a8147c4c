/* SPDX-License-Identifier: Apache-2.0
 *
 * cmd_list: `leakprint list`, `leakprint stats` and `leakprint remove NAME`,
 * the registry's housekeeping commands. list and stats take --format
 * text|json.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "banned.h" /* a list of poisoned names: defines nothing */

/* Parses [--format text|json]; returns 1 for json, 0 text, -1 error. */
static int parse_format(int argc, char **argv, const char *name)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    int json = 0, o;
    optind = 0;
    while ((o = cli_getopt(argc, argv, "f:", opts, name)) != -1) {
        if (o == 'f' && (!strcmp(optarg, "json") || !strcmp(optarg, "text"))) {
            json = !strcmp(optarg, "json");
            continue;
        }
        if (o == 'f')
            cli_error("'%s': unknown format (text, json)", optarg);
        return -1;
    }
    if (optind < argc) {
        cli_error("%s: unexpected argument '%s'", name, argv[optind]);
        return -1;
    }
    return json;
}

/* A write to standard output that failed is named as the other commands
 * name it; the library knows only that its stream failed. */
static int report(lp_err err, struct cli *cli)
{
    int why = errno;
    if (err == LP_EIO && ferror(stdout)) {
        cli_error("'<stdout>': cannot write the report: %s",
                  why ? cli_strerror(why) : "input/output error");
        return EXIT_TROUBLE;
    }
    if (err) {
        cli_error("%s", lp_registry_errmsg(cli->reg));
        return EXIT_TROUBLE;
    }
    return EXIT_CLEAN;
}

int cmd_list(int argc, char **argv, struct cli *cli)
{
    int json = parse_format(argc, argv, "list");
    if (json < 0 || cli_open_registry(cli) != EXIT_CLEAN)
        return EXIT_TROUBLE;
    return report(lp_list_write(cli->reg, json, stdout), cli);
}

int cmd_stats(int argc, char **argv, struct cli *cli)
{
    int json = parse_format(argc, argv, "stats");
    if (json < 0 || cli_open_registry(cli) != EXIT_CLEAN)
        return EXIT_TROUBLE;
    return report(lp_stats_write(cli->reg, json, stdout), cli);
}

int cmd_remove(int argc, char **argv, struct cli *cli)
{
    static const struct option none[] = {{NULL, 0, NULL, 0}};
    optind = 0;
    if (cli_getopt(argc, argv, "", none, "remove") != -1)
        return EXIT_TROUBLE;
    if (argc - optind != 1) {
        cli_error("remove: give exactly one collection name");
        return EXIT_TROUBLE;
    }
    const char *name = argv[optind];
    if (cli_open_registry(cli) != EXIT_CLEAN)
        return EXIT_TROUBLE;
    int rc = report(lp_remove(cli->reg, name), cli);
    if (rc == EXIT_CLEAN) {
        char shown[1024]; /* a name of an older registry may hold anything */
        lp_escape(name, shown, sizeof shown);
        printf("removed collection '%s'\n", shown);
    }
    return rc;
}
