/* SPDX-License-Identifier: Apache-2.0
 *
 * util: what watch and cases share: a quiet option parser, the case
 * database's path, strerror in lower case (the one-line error is front/'s,
 * shared with cli/).
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "banned.h" /* a list of poisoned names: defines nothing */

const char *lp_daemon_strerror(int e)
{
    static _Thread_local char buf[128];
    snprintf(buf, sizeof buf, "%s", strerror(e));
    if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
        buf[0] = (char)(buf[0] - 'A' + 'a');
    return buf;
}

int lp_daemon_getopt(int argc, char **argv, const char *shorts,
                     const struct option *opts, const char *cmd)
{
    char quiet[64];
    snprintf(quiet, sizeof quiet, ":%s", shorts);
    opterr = 0;
    int o = getopt_long(argc, argv, quiet, opts, NULL);
    if (o != '?' && o != ':')
        return o;
    const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
    char name[256];
    if (!strncmp(arg, "--", 2))
        snprintf(name, sizeof name, "%.*s",
                 (int)(strcspn(arg, "=") < 200 ? strcspn(arg, "=") : 200),
                 arg);
    else
        snprintf(name, sizeof name, "-%c",
                 optopt > 32 && optopt < 127 ? optopt : '?');
    if (o == ':')
        lp_daemon_error("%s: option '%s' needs a value (see leakprint %s "
                        "--help)", cmd, name, cmd);
    else if (name[1] == '-' && optopt != 0)
        lp_daemon_error("%s: option '%s' takes no value (see leakprint %s "
                        "--help)", cmd, name, cmd);
    else
        lp_daemon_error("%s: unknown option '%s' (see leakprint %s --help)",
                        cmd, name, cmd);
    return '?';
}

const char *lp_daemon_cases_path(const char *arg)
{
    const char *env = getenv("LEAKPRINT_CASES");
    if (arg)
        return arg;
    return env && *env ? env : "leakprint-cases.db";
}
