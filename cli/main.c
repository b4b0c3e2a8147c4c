/* SPDX-License-Identifier: Apache-2.0
 *
 * main: global options, the command table, opening the registry as the
 * command asks, and turning a failed write of stdout into exit status 2.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "../daemon/daemon.h" /* watch and cases: their entry points */
#include "banned.h" /* a list of poisoned names: defines nothing */

/* daemon/ is a program of its own on the public API: it takes the
 * registry's path, not struct cli, and opens what it needs itself. */
static int cmd_watch_entry(int argc, char **argv, struct cli *cli)
{
    return cmd_watch(argc, argv, cli->db_path);
}

static int cmd_cases_entry(int argc, char **argv, struct cli *cli)
{
    return cmd_cases(argc, argv, cli->db_path);
}

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
    {"watch", cmd_watch_entry, CLI_NO_DB},
    {"cases", cmd_cases_entry, CLI_NO_DB},
};

/* The width of the progress line while one is on the terminal (0: none),
 * so that warnings and the end of the run start on a clean line. */
static _Atomic int progress_shown;

int cli_progress(void *ctx, size_t done, size_t total)
{
    int n = fprintf(stderr, "\r%s: %zu/%zu files", (const char *)ctx, done,
                    total);
    if (n > progress_shown)
        progress_shown = n;
    return 0; /* never stops the run */
}

void cli_progress_end(void)
{
    int n = progress_shown;
    progress_shown = 0;
    if (!n)
        return;
    /* A dumb terminal gets no escape sequence: the line is overwritten
     * with blanks instead of erased. */
    const char *term = getenv("TERM");
    if (term && !strcmp(term, "dumb"))
        fprintf(stderr, "\r%*s\r", n - 1, "");
    else
        fputs("\r\033[K", stderr);
}

void cli_warn(void *ctx, const char *msg)
{
    (void)ctx;
    cli_progress_end();
    cli_error("%s", msg);
}

/* What --color auto decides besides the terminal: NO_COLOR set to
 * anything but "" turns colour off (no-color.org), and so does a terminal
 * that says it is dumb. */
static bool color_wanted(const char *no_color, const char *term)
{
    return !(no_color && *no_color) && !(term && !strcmp(term, "dumb"));
}

/* Whether arg is --password before any "=value", or a prefix of it of 5
 * characters or more ("--pas": getopt_long refuses those as ambiguous
 * with --password-file, but a command line is hidden whatever it is). */
static bool password_option(const char *arg)
{
    size_t n = strcspn(arg, "=");
    return n >= 5 && n <= 10 && !strncmp(arg, "--password", n);
}

/* The command line as one string, each argument that holds a space or a
 * quote in single quotes, the value of --password replaced by "***":
 * for the footer of an HTML report. NULL when out of memory; caller
 * frees with free(). */
static char *command_line(int argc, char **argv)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return NULL;
    fputs("leakprint", m);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        fputc(' ', m);
        if (i > 1 && password_option(argv[i - 1]) && !strchr(argv[i - 1], '='))
            a = "***";
        else if (password_option(a) && strchr(a, '=')) {
            fprintf(m, "%.*s=***", (int)strcspn(a, "="), a);
            continue;
        }
        if (!a[strcspn(a, " \t'\"")]) {
            fputs(a, m);
            continue;
        }
        fputc('\'', m);
        for (; *a; a++)
            if (*a == '\'')
                fputs("'\\''", m); // end the quote, a quote, start again
            else
                fputc(*a, m);
        fputc('\'', m);
    }
    if (fclose(m)) {
        free(buf);
        return NULL;
    }
    return buf;
}

int cli_write_report(const lp_scan *scan, const char *format,
                     const char *output, const struct cli *cli)
{
    FILE *fp = stdout;
    /* --color always colours a file too; auto asks for a terminal. */
    int color = cli->color == CLI_COLOR_ALWAYS ||
                (cli->color == CLI_COLOR_AUTO && !output && cli->stdout_tty &&
                 color_wanted(getenv("NO_COLOR"), getenv("TERM")));
    if (output) {
        fp = fopen(output, "w");
        if (!fp) {
            cli_error("'%s': %s", output, strerror(errno));
            return -1;
        }
    }
    errno = 0;
    lp_err err;
    if (!strcmp(format, "html")) {
        struct lp_html_options html = cli->html;
        char *command = command_line(cli->argc, cli->argv);
        html.command = command;
        err = command ? lp_report_write_html(scan, &html, fp) : LP_ENOMEM;
        free(command);
    } else {
        err = lp_report_write(scan, format, color, fp);
    }
    /* The reason is the errno of the write that failed ("no space left on
     * device"), not the library's LP_EIO: flushing now, while the stream
     * is still open, tries that write again and learns it; a stream that
     * failed earlier keeps the errno of its first failure. */
    int why = err == LP_EIO ? errno : 0;
    if (fflush(fp) != 0 || ferror(fp)) {
        why = errno ? errno : why;
        err = err ? err : LP_EIO;
    }
    if (fp != stdout && fclose(fp) != 0 && !err) {
        why = errno;
        err = LP_EIO;
    }
    if (err) {
        cli_error("'%s': cannot write the report: %s",
                  output ? output : "<stdout>",
                  why ? cli_strerror(why) : lp_strerror(err));
        return -1;
    }
    return 0;
}

const char *cli_strerror(int errnum)
{
    /* strerror(3)'s text with a lower-case start, as every message has;
     * the buffer is the thread's own. */
    static _Thread_local char buf[128];
    snprintf(buf, sizeof buf, "%s", strerror(errnum));
    if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
        buf[0] = (char)(buf[0] - 'A' + 'a');
    return buf;
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

/* The name of the option argv[optind - 1] gave, without its "=value",
 * into buf. */
static const char *long_name(char **argv, char *buf, size_t len)
{
    const char *a = argv[optind - 1];
    size_t n = strcspn(a, "=");
    snprintf(buf, len, "%.*s", (int)(n < 200 ? n : 200), a);
    return buf;
}

/* How many of opts' names begin with the prefix of "--prefix[=...]". */
static int prefix_matches(const struct option *opts, const char *arg)
{
    size_t n = strcspn(arg + 2, "=");
    int count = 0;
    for (; opts && opts->name; opts++)
        count += !strncmp(opts->name, arg + 2, n);
    return count;
}

int cli_getopt(int argc, char **argv, const char *shorts,
               const struct option *opts, const char *cmd)
{
    /* ':' first (after a '+'): a missing value is told apart from an
     * unknown option */
    char quiet[64];
    bool plus = *shorts == '+';
    snprintf(quiet, sizeof quiet, "%s:%s", plus ? "+" : "", shorts + plus);
    opterr = 0;
    int o = getopt_long(argc, argv, quiet, opts, NULL);
    if (o != '?' && o != ':')
        return o;
    char name[256], msg[320];
    const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
    if (!strncmp(arg, "--", 2) &&
        (optopt == 0 || o == ':' || strchr(arg, '=')))
        long_name(argv, name, sizeof name);
    else
        snprintf(name, sizeof name, "-%c",
                 optopt > 32 && optopt < 127 ? optopt : '?');
    if (o == ':')
        snprintf(msg, sizeof msg, "option '%s' needs a value", name);
    else if (optopt != 0 && name[1] == '-')
        snprintf(msg, sizeof msg, "option '%s' takes no value", name);
    else if (name[1] == '-' && prefix_matches(opts, arg) > 1)
        snprintf(msg, sizeof msg, "ambiguous option '%s'", name);
    else
        snprintf(msg, sizeof msg, "unknown option '%s'", name);
    if (cmd)
        cli_error("%s: %s (see leakprint %s --help)", cmd, msg, cmd);
    else
        cli_error("%s (see leakprint --help)", msg);
    return '?';
}

int cli_check_stdin(const struct cli *cli, char *const *targets, size_t n)
{
    for (size_t i = 0; cli->stdin_closed && i < n; i++)
        if (!strcmp(targets[i], "-")) {
            cli_error("'-': standard input is closed");
            return -1;
        }
    return 0;
}

/* Prints the help page of name on stdout: EXIT_CLEAN, or EXIT_TROUBLE
 * after naming why it could not be written. */
static int print_help(const char *name)
{
    if (fputs(cli_help(name), stdout) == EOF) {
        cli_error("'<stdout>': write failed: %s", cli_strerror(errno));
        return EXIT_TROUBLE;
    }
    return EXIT_CLEAN;
}

/* A global option's value: 0, or -1 after saying what is wrong. */
static int global_option(struct cli *cli, int o, const char *arg)
{
    switch (o) {
    case 'd': cli->db_path = arg; cli->db_source = 2; return 0;
    case 'C':
        if (!strcmp(arg, "auto"))
            cli->color = CLI_COLOR_AUTO;
        else if (!strcmp(arg, "always"))
            cli->color = CLI_COLOR_ALWAYS;
        else if (!strcmp(arg, "never"))
            cli->color = CLI_COLOR_NEVER;
        else {
            cli_error("'%s': invalid value for --color (auto, always or "
                      "never)", arg);
            return -1;
        }
        return 0;
    }
    return -1;
}

/* The global options that take a value (--db, --color) may also follow
 * the command, anywhere before "--", as --db DIR or --db=DIR (ripgrep
 * users write them there): taken out of the command's arguments here,
 * before the registry is opened; so is --help. A command option whose
 * value is the word "--db" is written --opt=--db. */
static int take_globals(int *argc, char **argv, struct cli *cli)
{
    static const struct { const char *name; int code; } g[] = {
        {"--db", 'd'}, {"--color", 'C'},
    };
    int out = 1, i = 1;
    for (; i < *argc && strcmp(argv[i], "--"); i++) {
        int code = 0;
        const char *val = NULL;
        for (size_t k = 0; k < sizeof g / sizeof g[0] && !code; k++) {
            size_t n = strlen(g[k].name);
            if (strncmp(argv[i], g[k].name, n))
                continue;
            if (argv[i][n] == '=')
                code = g[k].code, val = argv[i] + n + 1;
            else if (!argv[i][n] && i + 1 < *argc)
                code = g[k].code, val = argv[++i];
            else if (!argv[i][n]) {
                cli_error("%s: option '%s' needs a value (see leakprint %s "
                          "--help)", argv[0], g[k].name, argv[0]);
                return -1;
            }
        }
        if (!code && !strcmp(argv[i], "--help"))
            cli->help = 1; /* anywhere, as git and ripgrep take it */
        else if (!code)
            argv[out++] = argv[i];
        else if (global_option(cli, code, val) < 0)
            return -1;
    }
    for (; i < *argc; i++)
        argv[out++] = argv[i];
    argv[out] = NULL;
    *argc = out;
    return 0;
}

/* Descriptors 0-2 that are closed get /dev/null, so that no file the tool
 * opens becomes its standard input or output; a closed standard input is
 * remembered, for "-" cannot then be read. */
static void guard_std_fds(struct cli *cli)
{
    for (int fd = 0; fd < 3; fd++) {
        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
            continue;
        if (fd == 0)
            cli->stdin_closed = 1;
        int nul = open("/dev/null", fd ? O_WRONLY : O_RDONLY);
        if (nul >= 0 && nul != fd) {
            dup2(nul, fd);
            close(nul);
        }
    }
}

int cli_open_registry(struct cli *cli)
{
    bool want = !(cli->flags & (CLI_NO_DB | CLI_OPTIONAL_DB));
    if (cli->flags & CLI_OPTIONAL_DB) {
        struct stat st;
        want = cli->db_source == 2 ||
               (cli->db_source == 1 && stat(cli->db_path, &st) == 0);
    }
    if (!want || cli->reg)
        return EXIT_CLEAN;
    unsigned flags = 0;
    if (cli->flags & CLI_WRITES_DB)
        flags |= LP_REGISTRY_WRITE;
    if (cli->flags & CLI_CREATES_DB)
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
    if (cli->help || (argc > 1 && !strcmp(argv[1], "-h"))) {
        return print_help(c->name);
    }
    cli->flags = c->flags;
    int rc = c->fn(argc, argv, cli); /* it opens the registry it needs */
    lp_registry_close(cli->reg);
    cli->reg = NULL;
    return rc;
}

/* rc, or EXIT_TROUBLE when standard output could not be written: a full
 * disk or a closed pipe must not pass for success. A command that failed
 * already said why when the failure was a write of its report: said
 * once. */
static int finish(int rc)
{
    bool said = rc == EXIT_TROUBLE && ferror(stdout);
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        if (!said)
            cli_error("'<stdout>': write failed: %s",
                      errno ? cli_strerror(errno) : "input/output error");
        return EXIT_TROUBLE;
    }
    return rc;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"color", required_argument, NULL, 'C'},
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
    struct cli cli = {0};
    cli.argc = argc;
    cli.argv = argv;
    guard_std_fds(&cli);
    cli.stderr_tty = isatty(2);
    cli.stdout_tty = isatty(1);
    cli.db_path = getenv("LEAKPRINT_DB");
    cli.db_source = cli.db_path && *cli.db_path;
    if (!cli.db_source)
        cli.db_path = "leakprint.db";
    int o;
    /* '+': stop at the command name; its options are its own. */
    while ((o = cli_getopt(argc, argv, "+hV", opts, NULL)) != -1) {
        switch (o) {
        case 'd': case 'C':
            if (global_option(&cli, o, optarg) < 0)
                return EXIT_TROUBLE;
            break;
        case 'V':
            printf("leakprint %s\n", lp_version());
            return finish(EXIT_CLEAN);
        case 'h': return finish(print_help("leakprint"));
        default: return EXIT_TROUBLE;
        }
    }
    if (optind >= argc) {
        cli_error("no command given (see leakprint --help)");
        return EXIT_TROUBLE;
    }
    const char *name = argv[optind];
    const struct command *c = NULL;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(commands[i].name, name))
            c = &commands[i];
    if (!c) {
        cli_error("'%s': unknown command (see leakprint --help)", name);
        return EXIT_TROUBLE;
    }
    int cargc = argc - optind;
    if (take_globals(&cargc, argv + optind, &cli) < 0)
        return EXIT_TROUBLE;
    if (c->flags & CLI_BULK)
        cli_hugepages(argv + optind + 1);
    int rc = run(c, cargc, argv + optind, &cli);
    return finish(rc);
}
