/* SPDX-License-Identifier: Apache-2.0
 *
 * env: what the tool takes from the process and its environment on the
 * library's behalf, for the library reads no environment variable and
 * makes no directory of its own: where the compiled secret rules are
 * cached ($XDG_CACHE_HOME or ~/.cache, made here when missing).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "banned.h" /* a list of poisoned names: defines nothing */

const char *cli_cache_dir(char *buf, size_t len)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    int n = -1;
    if (xdg && *xdg)
        n = snprintf(buf, len, "%s/leakprint", xdg);
    else if (home && *home)
        n = snprintf(buf, len, "%s/.cache/leakprint", home);
    if (n < 0 || (size_t)n >= len)
        return NULL;
    /* ~/.cache itself may not exist yet; a failure shows at the next step */
    char *slash = strrchr(buf, '/');
    *slash = '\0';
    mkdir(buf, 0700);
    *slash = '/';
    if (mkdir(buf, 0700) != 0 && errno != EEXIST)
        return NULL; /* no cache: the rules are compiled at every run */
    return buf;
}
