/* SPDX-License-Identifier: Apache-2.0
 *
 * cmd_check: `leakprint check [--repair]`, the registry's fsck: one line
 * per problem on standard output, exit 0 when there is none, else 2 with a
 * one-line summary on standard error. The registry is not opened as such
 * (the library's lp_registry_check reads its pieces), so a damaged one can
 * be examined and, with --repair, its lost manifest rebuilt.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "banned.h" /* a list of poisoned names: defines nothing */

static void print_line(void *ctx, const char *msg)
{
    (void)ctx;
    printf("%s\n", msg);
}

int cmd_check(int argc, char **argv, struct cli *cli)
{
    static const struct option opts[] = {
        {"repair", no_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    unsigned flags = 0;
    int o;
    optind = 0;
    while ((o = cli_getopt(argc, argv, "", opts, "check")) != -1) {
        if (o != 'r')
            return EXIT_TROUBLE; /* cli_getopt said why */
        flags |= LP_CHECK_REPAIR;
    }
    if (optind < argc) {
        cli_error("check: unexpected argument '%s'", argv[optind]);
        return EXIT_TROUBLE;
    }
    size_t problems = 0;
    lp_err err = lp_registry_check(cli->db_path, flags, print_line, NULL,
                                   &problems);
    if (err == LP_OK) {
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
