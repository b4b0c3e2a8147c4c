/* SPDX-License-Identifier: Apache-2.0
 *
 * front: the one-line error and the input options' environment, for cli/
 * and daemon/ alike (front.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "front.h"
#include "banned.h" /* a list of poisoned names: defines nothing */

void lp_front_error(const char *fmt, ...)
{
    va_list ap;
    fputs("leakprint: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* The first executable PATH entry/name, written into buf; NULL when there
 * is none (or PATH is unset). */
static const char *on_path(const char *name, char *buf, size_t len)
{
    const char *p = getenv("PATH");
    while (p && *p) {
        const char *end = strchr(p, ':');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        int r = snprintf(buf, len, "%.*s/%s", (int)n, p, name);
        if (n && r > 0 && (size_t)r < len && access(buf, X_OK) == 0)
            return buf;
        p = end ? end + 1 : NULL;
    }
    return NULL;
}

void lp_front_input_env(struct lp_input_options *opt, char *buf, size_t len)
{
    opt->sevenzip = on_path("7zz", buf, len);
    const char *uring = getenv("LEAKPRINT_IO_URING");
    opt->no_io_uring = uring && !strcmp(uring, "0");
}

const char *lp_front_cache_dir(char *buf, size_t len)
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
