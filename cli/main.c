/* SPDX-License-Identifier: Apache-2.0
 *
 * main: global options, the command table, opening the registry as the
 * command asks, and turning a failed write of stdout into exit status 2.
 */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "banned.h" /* a list of poisoned names: defines nothing */

struct command {
    const char *name;
    int (*fn)(int argc, char **argv, struct cli *cli);
    unsigned flags;
};

static const struct command commands[] = {
    {"add", cmd_add, CLI_CREATES_DB | CLI_WRITES_DB | CLI_BULK},
    {"scan", cmd_scan, CLI_NEEDS_DB | CLI_BULK},
    {"list", cmd_list, CLI_NEEDS_DB},
    {"stats", cmd_stats, CLI_NEEDS_DB},
    {"remove", cmd_remove, CLI_NEEDS_DB | CLI_WRITES_DB},
    {"secrets", cmd_secrets, CLI_OPTIONAL_DB | CLI_BULK},
    {"check", cmd_check, CLI_NO_DB},
};

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("leakprint: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* Set while a progress line is on the terminal, so that warnings and the
 * end of the run start on a clean line. */
static _Atomic int progress_shown;

int cli_progress(void *ctx, size_t done, size_t total)
{
    fprintf(stderr, "\r%s: %zu/%zu files", (const char *)ctx, done, total);
    progress_shown = 1;
    return 0; /* never stops the run */
}

void cli_progress_end(void)
{
    if (progress_shown)
        fputs("\r\033[K", stderr);
    progress_shown = 0;
}

void cli_warn(void *ctx, const char *msg)
{
    (void)ctx;
    cli_progress_end();
    cli_error("%s", msg);
}

int cli_write_report(const lp_scan *scan, const char *format,
                     const char *output, const struct cli *cli)
{
    FILE *fp = stdout;
    int color = cli->stdout_tty && !getenv("NO_COLOR");
    if (output) {
        fp = fopen(output, "w");
        color = 0;
        if (!fp) {
            cli_error("'%s': %s", output, strerror(errno));
            return -1;
        }
    }
    lp_err err = lp_report_write(scan, format, color, fp);
    if (fp != stdout && fclose(fp) != 0 && !err)
        err = LP_EIO;
    if (err) {
        cli_error("'%s': cannot write the report: %s",
                  output ? output : "<stdout>", lp_strerror(err));
        return -1;
    }
    return 0;
}

long cli_parse_long(const char *s, long max)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > max)
        return -1;
    return v;
}

unsigned long long cli_parse_size(const char *s)
{
    char *end;
    errno = 0;
    if (*s < '0' || *s > '9')
        return 0;
    unsigned long long v = strtoull(s, &end, 10);
    unsigned shift = 0;
    switch (*end) {
    case 'K': case 'k': shift = 10; end++; break;
    case 'M': case 'm': shift = 20; end++; break;
    case 'G': case 'g': shift = 30; end++; break;
    default: break;
    }
    if (errno || *end || v > (~0ull >> shift))
        return 0;
    return v << shift;
}

static int usage(FILE *fp, int code)
{
    fputs(cli_help("leakprint"), fp);
    return code;
}

static int open_db(const struct command *c, struct cli *cli)
{
    unsigned flags = 0;
    if (c->flags & CLI_WRITES_DB)
        flags |= LP_REGISTRY_WRITE;
    if (c->flags & CLI_CREATES_DB)
        flags |= LP_REGISTRY_CREATE;
    lp_err err = lp_registry_open(cli->db_path, flags, &cli->reg);
    if (err) {
        cli_error("%s", cli->reg ? lp_registry_errmsg(cli->reg)
                                 : lp_strerror(err));
        lp_registry_close(cli->reg);
        cli->reg = NULL;
        return EXIT_TROUBLE;
    }
    return EXIT_CLEAN;
}

static int run(const struct command *c, int argc, char **argv, struct cli *cli)
{
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(cli_help(c->name), stdout);
        return EXIT_CLEAN;
    }
    bool want = !(c->flags & (CLI_NO_DB | CLI_OPTIONAL_DB));
    if (c->flags & CLI_OPTIONAL_DB) {
        struct stat st;
        want = cli->db_source == 2 ||
               (cli->db_source == 1 && stat(cli->db_path, &st) == 0);
    }
    int rc = want ? open_db(c, cli) : EXIT_CLEAN;
    if (rc == EXIT_CLEAN)
        rc = c->fn(argc, argv, cli);
    lp_registry_close(cli->reg);
    cli->reg = NULL;
    return rc;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"version", no_argument, NULL, 'V'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    /* A batch tool that allocates and frees per file: keep freed memory in
     * the heap instead of returning it to the kernel and faulting it back
     * in for the next file (page faults are costly in virtual machines). */
    mallopt(M_TOP_PAD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    cli_json_arena();
    struct cli cli = {.stderr_tty = isatty(2), .stdout_tty = isatty(1)};
    cli.db_path = getenv("LEAKPRINT_DB");
    cli.db_source = cli.db_path && *cli.db_path;
    if (!cli.db_source)
        cli.db_path = "leakprint.db";
    int o;
    /* '+': stop at the command name; its options are its own. */
    while ((o = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
        switch (o) {
        case 'd': cli.db_path = optarg; cli.db_source = 2; break;
        case 'V': printf("leakprint %s\n", lp_version()); return EXIT_CLEAN;
        case 'h': return usage(stdout, EXIT_CLEAN);
        default: return usage(stderr, EXIT_TROUBLE);
        }
    }
    if (optind >= argc)
        return usage(stderr, EXIT_TROUBLE);
    const char *name = argv[optind];
    const struct command *c = NULL;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(commands[i].name, name))
            c = &commands[i];
    if (!c) {
        cli_error("'%s': unknown command (see leakprint --help)", name);
        return EXIT_TROUBLE;
    }
    if (c->flags & CLI_BULK)
        cli_hugepages(argv + optind + 1);
    int rc = run(c, argc - optind, argv + optind, &cli);
    /* A full disk or a closed pipe must not pass for success. */
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        cli_error("'<stdout>': write failed: %s", strerror(errno));
        return EXIT_TROUBLE;
    }
    return rc;
}
