/* SPDX-License-Identifier: Apache-2.0
 *
 * env: what the tool takes from the process and its environment on the
 * library's behalf, for the library reads no environment variable and
 * makes no directory of its own: the user's fingerprint key; where the
 * compiled secret rules are cached, the 7zz program (found on the PATH)
 * and LEAKPRINT_IO_URING=0 are read by front/ (front.h), for watch too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "banned.h" /* a list of poisoned names: defines nothing */

const char *cli_user_key(char *buf, size_t len)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    int n = -1;
    if (xdg && *xdg)
        n = snprintf(buf, len, "%s/leakprint/secrets.key", xdg);
    else if (home && *home)
        n = snprintf(buf, len, "%s/.config/leakprint/secrets.key", home);
    if (n < 0 || (size_t)n >= len)
        return NULL;
    /* ~/.config itself may not exist yet: make it, then leakprint/; a
     * failure shows when the library writes the key */
    char *slash = strrchr(buf, '/');
    *slash = '\0';
    char *up = strrchr(buf, '/');
    *up = '\0';
    mkdir(buf, 0700);
    *up = '/';
    mkdir(buf, 0700);
    *slash = '/';
    return buf;
}

void cli_check_key_mode(const char *path)
{
    struct stat st;
    /* a key others may read lets them test guesses of the values */
    if (stat(path, &st) == 0 && (st.st_mode & S_IROTH))
        cli_error("warning: '%s': fingerprint key readable by others "
                  "(chmod o-r)", path);
}

void cli_key_note(const lp_scan *scan, const struct cli *cli)
{
    int source = 0;
    lp_scan_key_id(scan, &source);
    if (cli->reg && source == LP_KEY_USER)
        cli_error("note: '%s': registry has no fingerprint key: secrets "
                  "are fingerprinted under your own key and none is found "
                  "known (see --fingerprint-key)", cli->db_path);
}

void cli_input_init(struct cli_input *in, struct lp_input_options *opt)
{
    in->opt = opt;
    lp_front_input_env(opt, in->sevenzip, sizeof in->sevenzip);
}
