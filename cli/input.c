/* SPDX-License-Identifier: Apache-2.0
 *
 * input: the options that say how inputs are read, shared by add and scan
 * (archive limits, passwords, symbolic links). Each limit has a default in
 * the library and a flag here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "banned.h" /* a list of poisoned names: defines nothing */

void cli_input_release(struct cli_input *in)
{
    for (size_t i = 0; i < in->nowned; i++) {
        /* passwords read from a file: wiped before they are freed */
        memset(in->owned[i], 0, strlen(in->owned[i]));
        free(in->owned[i]);
    }
    free(in->owned);
    free(in->passwords);
    memset(in, 0, sizeof *in);
}

static int push_password(struct cli_input *in, const char *p, int owned)
{
    const char **v = realloc(in->passwords,
                             (in->npasswords + 1) * sizeof *in->passwords);
    if (!v)
        return -1;
    in->passwords = v;
    v[in->npasswords++] = p;
    if (owned) {
        char **o = realloc(in->owned, (in->nowned + 1) * sizeof *in->owned);
        if (!o)
            return -1;
        in->owned = o;
        o[in->nowned++] = (char *)p;
    }
    in->opt->passwords = in->passwords;
    in->opt->npasswords = in->npasswords;
    return 0;
}

/* One password per line; an empty line is the empty password. */
static int read_password_file(struct cli_input *in, const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        cli_error("'%s': %s", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int r = 0;
    while ((n = getline(&line, &cap, fp)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        char *p = strdup(line);
        if (!p || push_password(in, p, 1)) {
            free(p);
            cli_error("'%s': out of memory", path);
            r = -1;
            break;
        }
    }
    if (line)
        memset(line, 0, cap);
    free(line);
    fclose(fp);
    return r;
}

int cli_input_option(struct cli_input *in, int o, const char *arg)
{
    struct lp_input_options *opt = in->opt;
    unsigned long long size;
    long v;
    switch (o) {
    case CLI_OPT_PASSWORD:
        return push_password(in, arg, 0) ? -1 : 1;
    case CLI_OPT_PASSWORD_FILE:
        return read_password_file(in, arg) ? -1 : 1;
    case CLI_OPT_FOLLOW:
        opt->follow_symlinks = 1;
        return 1;
    case CLI_OPT_MAX_DEPTH:
        if ((v = cli_parse_long(arg, 1000)) <= 0) {
            cli_error("'%s': invalid value for --max-depth (1-1000)", arg);
            return -1;
        }
        opt->max_depth = (unsigned)v;
        return 1;
    case CLI_OPT_MAX_RATIO:
        if ((v = cli_parse_long(arg, 1000000000)) <= 0) {
            cli_error("'%s': invalid value for --max-ratio", arg);
            return -1;
        }
        opt->max_ratio = (uint32_t)v;
        return 1;
    case CLI_OPT_MAX_ENTRIES:
        if ((v = cli_parse_long(arg, 1000000000)) <= 0) {
            cli_error("'%s': invalid value for --max-entries", arg);
            return -1;
        }
        opt->max_entries = (uint64_t)v;
        return 1;
    case CLI_OPT_MAX_PATH:
        if ((v = cli_parse_long(arg, 4096)) <= 0) {
            cli_error("'%s': invalid value for --max-path-length (1-4096)",
                      arg);
            return -1;
        }
        opt->max_path = (uint32_t)v;
        return 1;
    case CLI_OPT_MAX_LINE:
        if (!(size = cli_parse_size(arg))) {
            cli_error("'%s': invalid value for --max-line-length", arg);
            return -1;
        }
        opt->max_line = size;
        return 1;
    case CLI_OPT_MAX_EXPANDED:
        if (!(size = cli_parse_size(arg))) {
            cli_error("'%s': invalid value for --max-expanded", arg);
            return -1;
        }
        opt->max_expanded = size;
        return 1;
    }
    return 0;
}

void cli_run_init(struct cli_run *r, const struct cli *cli)
{
    r->format = "text";
    if (cli->stderr_tty) {
        r->opt.progress = cli_progress;
        r->opt.progress_ctx = "scanning";
    }
    cli_input_init(&r->in, &r->opt.input);
}

int cli_history_option(const char *arg, int *history)
{
    if (!strcmp(arg, "none") || !strcmp(arg, "all")) {
        *history = *arg == 'n' ? LP_HISTORY_NONE : LP_HISTORY_ALL;
        return 0;
    }
    cli_error("'%s': invalid value for --history (none or all)", arg);
    return -1;
}

int cli_run_option(struct cli_run *r, int o, const char *arg)
{
    long v;
    switch (o) {
    case 'f': r->format = arg; return 1;
    case 'o': r->output = arg; return 1;
    case 'q': r->opt.progress = NULL; return 1;
    case CLI_OPT_CONFIG: r->opt.secrets_config = arg; return 1;
    case CLI_OPT_BASELINE: r->opt.baseline = arg; return 1;
    case CLI_OPT_WRITE_BASELINE: r->opt.write_baseline = arg; return 1;
    case CLI_OPT_FINGERPRINT_KEY:
        r->opt.fingerprint_key = arg;
        cli_check_key_mode(arg);
        return 1;
    case CLI_OPT_MAX_FILE_SIZE:
        if (!(r->opt.max_file_size = cli_parse_size(arg))) {
            cli_error("'%s': invalid value for --max-file-size", arg);
            return -1;
        }
        return 1;
    case 'j':
        if ((v = cli_parse_long(arg, 256)) < 0) {
            cli_error("'%s': invalid value for --jobs (0-256)", arg);
            return -1;
        }
        r->opt.jobs = (int)v;
        return 1;
    default: return cli_input_option(&r->in, o, arg);
    }
}

int cli_run_check_format(const struct cli_run *r)
{
    static const char *const known[] = {"text", "json", "jsonl", "sarif",
                                        "html"};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (!strcmp(r->format, known[i]))
            return 0;
    cli_error("'%s': unknown format (text, json, jsonl, sarif, html)",
              r->format);
    return -1;
}
