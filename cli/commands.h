/* SPDX-License-Identifier: Apache-2.0
 *
 * commands.h: the command table of the leakprint tool.
 *
 * To add a command:
 *   1. write `int cmd_<name>(int argc, char **argv, struct cli *cli)` in
 *      cli/cmd_<name>.c (options, cli_open_registry() when its flags ask
 *      for a registry, one library call, one report);
 *   2. add its entry to the table in cli/main.c with the CLI_* flags it needs;
 *   3. write docs/cli/<name>.md, titled "# leakprint <name>: what it
 *      does" (its --help text and its man page leakprint-<name>(1) are
 *      built from it; every option it accepts must be on it, and on
 *      docs/cli/leakprint.md's synopsis: t0009 checks); the option parser
 *      is cli_getopt(), which names a bad option in one line, and the
 *      global options (--db, --color, --help) after the command are
 *      taken by main.c before the command runs;
 *   4. add end-to-end tests tests/cli/tNNNN-<name>-*.sh;
 *   5. document it in CONTRACT.md and the README.
 */
#ifndef LP_CLI_COMMANDS_H
#define LP_CLI_COMMANDS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "leakprint.h"
#include "../front/front.h" /* lp_front_error(), lp_front_input_env() */

enum cli_flags {
    CLI_NEEDS_DB = 1 << 0,   /* the registry must exist */
    CLI_CREATES_DB = 1 << 1, /* opened for writing, created when missing */
    CLI_WRITES_DB = 1 << 2,  /* opened for writing (lock) */
    CLI_NO_DB = 1 << 3,      /* no registry is opened */
    CLI_OPTIONAL_DB = 1 << 4, /* opened when --db names it (it must exist)
                                 or $LEAKPRINT_DB names one that exists */
    CLI_BULK = 1 << 5,        /* reads much: huge pages for its heap */
};

struct cli {
    const char *db_path;
    int db_source; /* 0: the default path, 1: $LEAKPRINT_DB, 2: --db */
    lp_registry *reg; /* cli_open_registry(), by the flags; closed by main.c */
    unsigned flags;   /* the command's CLI_* flags */
    int stderr_tty;
    int stdout_tty;
    int color;        /* --color: CLI_COLOR_AUTO (default), _ALWAYS, _NEVER */
    int stdin_closed; /* descriptor 0 was closed when the tool started */
    int help;         /* --help came after the command */
    int argc;         /* the tool's own arguments (the HTML report's
                         footer shows them, passwords left out) */
    char **argv;
    struct lp_html_options html; /* scan: the HTML report's caps */
};
enum { CLI_COLOR_AUTO, CLI_COLOR_ALWAYS, CLI_COLOR_NEVER };

/* Exit codes of CONTRACT.md. */
#define EXIT_CLEAN 0
#define EXIT_FOUND 1
#define EXIT_TROUBLE 2

int cmd_add(int argc, char **argv, struct cli *cli);
int cmd_scan(int argc, char **argv, struct cli *cli);
int cmd_list(int argc, char **argv, struct cli *cli);
int cmd_stats(int argc, char **argv, struct cli *cli);
int cmd_remove(int argc, char **argv, struct cli *cli);
int cmd_secrets(int argc, char **argv, struct cli *cli);
int cmd_check(int argc, char **argv, struct cli *cli);

/* Opens cli->reg as the command's flags ask (nothing for CLI_NO_DB, or
 * for CLI_OPTIONAL_DB when no registry is named): each command calls it
 * once its options are read, so that a wrong option is named as such, not
 * hidden behind a missing registry. EXIT_CLEAN, or EXIT_TROUBLE after
 * saying why. */
int cli_open_registry(struct cli *cli);

/* Prints "leakprint: <msg>" on stderr (one line): front/'s, which watch
 * and cases print with too. */
#define cli_error lp_front_error

/* Before a bulk command allocates anything big: asks for transparent huge
 * pages for the heap, when that helps (hugepages.c); args are the
 * command's arguments. */
void cli_hugepages(char *const *args);
/* Whether args (NULL-terminated) name a directory, or regular files of
 * min_bytes or more in all; those starting with '-' are not looked at. */
bool cli_hugepages_worth(char *const *args, uint64_t min_bytes);
#define CLI_HUGEPAGES_MIN (32u << 20)
/* Its decision, from $LEAKPRINT_HUGEPAGES, $GLIBC_TUNABLES (either may be
 * NULL) and the kernel's THP mode line: whether to advise the heap. */
bool cli_hugepages_plan(const char *off, const char *tunables,
                        const char *mode);
/* Its step: the main arena's heap grows by at least reserve bytes and is
 * advised MADV_HUGEPAGE from its first 2 MiB boundary above that
 * allocation to the break ([*lo, *lo + *len)), then all threads are put on
 * that arena. Returns 0, or -1 when nothing could be advised (as when
 * glibc's mmap threshold is below reserve: the block is mapped apart),
 * the arenas then being left as they were. */
int cli_heap_advise(size_t reserve, void **lo, size_t *len);
/* Less than the mmap threshold main() sets (blocks above it are mapped
 * apart, not taken from the heap). */
#define CLI_HEAP_RESERVE (48u << 20)

/* The --help text of a command (from docs/cli/<name>.md), or NULL. */
const char *cli_help(const char *name);

/* getopt_long(3) for command cmd (NULL: the global options), quiet: a
 * bad option gets one line on stderr naming it and pointing to
 * `leakprint CMD --help` ("unknown option '--frob'", "option '--format'
 * needs a value", "option '--quiet' takes no value", "ambiguous option
 * '--max'"), and '?' is returned for it. */
int cli_getopt(int argc, char **argv, const char *shorts,
               const struct option *opts, const char *cmd);

/* strerror(errnum) starting in lower case, as the tool's messages do;
 * valid until the thread's next call. */
const char *cli_strerror(int errnum);

/* 0, or -1 after one line on stderr when a target is "-" (standard input)
 * while the tool was started with standard input closed. */
int cli_check_stdin(const struct cli *cli, char *const *targets, size_t n);

/* Parses a non-negative integer option value; -1 when invalid. */
long cli_parse_long(const char *s, long max);

/* Parses a size such as 4096, 64K, 16M or 2G (powers of 1024); returns 0
 * when invalid or zero. */
unsigned long long cli_parse_size(const char *s);

/* Progress sink for the library: "\r<ctx>: done/total files" on stderr;
 * ctx is the verb ("adding", "scanning"). cli_progress_end() clears it. */
int cli_progress(void *ctx, size_t done, size_t total);
void cli_progress_end(void);

/* Gives jansson a bump allocator whose free does nothing (see arena.c):
 * call before any JSON is built. */
void cli_json_arena(void);

/* The options on how inputs are read, shared by add and scan: their
 * getopt codes (CLI_INPUT_OPTIONS goes into each command's option table). */
enum {
    CLI_OPT_PASSWORD = 1000,
    CLI_OPT_PASSWORD_FILE,
    CLI_OPT_FOLLOW,
    CLI_OPT_MAX_DEPTH,
    CLI_OPT_MAX_RATIO,
    CLI_OPT_MAX_ENTRIES,
    CLI_OPT_MAX_EXPANDED,
    CLI_OPT_MAX_LINE,
    CLI_OPT_MAX_PATH,
    CLI_OPT_MAX_FILE_SIZE,
    CLI_OPT_CONFIG,
    CLI_OPT_BASELINE,
    CLI_OPT_WRITE_BASELINE,
    CLI_OPT_FINGERPRINT_KEY,
};
#define CLI_INPUT_OPTIONS                                                   \
    {"password", required_argument, NULL, CLI_OPT_PASSWORD},                \
        {"password-file", required_argument, NULL, CLI_OPT_PASSWORD_FILE},  \
        {"follow-symlinks", no_argument, NULL, CLI_OPT_FOLLOW},             \
        {"max-depth", required_argument, NULL, CLI_OPT_MAX_DEPTH},          \
        {"max-ratio", required_argument, NULL, CLI_OPT_MAX_RATIO},          \
        {"max-entries", required_argument, NULL, CLI_OPT_MAX_ENTRIES},      \
        {"max-expanded", required_argument, NULL, CLI_OPT_MAX_EXPANDED},    \
        {"max-line-length", required_argument, NULL, CLI_OPT_MAX_LINE},     \
        {"max-path-length", required_argument, NULL, CLI_OPT_MAX_PATH}

/* The options of a search for secrets, shared by secrets and scan
 * --secrets (CLI_RUN_OPTIONS has them). */
#define CLI_SECRETS_OPTIONS                                                 \
    {"config", required_argument, NULL, CLI_OPT_CONFIG},                    \
        {"baseline", required_argument, NULL, CLI_OPT_BASELINE},            \
        {"write-baseline", required_argument, NULL, CLI_OPT_WRITE_BASELINE}, \
        {"fingerprint-key", required_argument, NULL, CLI_OPT_FINGERPRINT_KEY}

struct cli_input {
    struct lp_input_options *opt; /* filled in */
    const char **passwords;
    size_t npasswords;
    char **owned; /* read from --password-file */
    size_t nowned;
    char sevenzip[4096]; /* 7zz's path, when the PATH has it */
};

/* Points in at opt and sets what the environment decides
 * (lp_front_input_env()): the 7zz program found on the PATH, if any, and
 * no io_uring when LEAKPRINT_IO_URING is 0. */
void cli_input_init(struct cli_input *in, struct lp_input_options *opt);

/* Handles option o if it is one of the input options: 1 when handled, 0
 * when it is not one, -1 (message printed) when its value is invalid. */
int cli_input_option(struct cli_input *in, int o, const char *arg);
void cli_input_release(struct cli_input *in);

/* What scan and secrets share: the run's options, the inputs, the report's
 * format and file; CLI_RUN_OPTIONS (-f, -o, -j, -q, --max-file-size, the
 * secrets and input options) go into each command's option table. */
struct cli_run {
    struct lp_scan_options opt;
    struct cli_input in;
    const char *format;
    const char *output;
};
#define CLI_RUN_OPTIONS                                                     \
    {"format", required_argument, NULL, 'f'},                               \
        {"output", required_argument, NULL, 'o'},                           \
        {"jobs", required_argument, NULL, 'j'},                             \
        {"quiet", no_argument, NULL, 'q'},                                  \
        {"max-file-size", required_argument, NULL, CLI_OPT_MAX_FILE_SIZE},  \
        CLI_SECRETS_OPTIONS, CLI_INPUT_OPTIONS

/* Sets up r's defaults (format text, progress on a terminal). */
void cli_run_init(struct cli_run *r, const struct cli *cli);

/* Takes option o (getopt's code) when it is one of CLI_RUN_OPTIONS: 1, or
 * -1 after saying what is wrong; 0 when it is another. */
int cli_run_option(struct cli_run *r, int o, const char *arg);

/* --history none|all of scan and secrets: sets *history (an enum
 * lp_history) and returns 0, or -1 after saying what is wrong. */
int cli_history_option(const char *arg, int *history);

/* 0 when r's format is one the reports know (text, json, jsonl, sarif, html),
 * else -1 after saying so. */
int cli_run_check_format(const struct cli_run *r);

/* Writes the report of scan in `format` to the file `output` (NULL:
 * stdout, in colour on a terminal unless NO_COLOR is set). 0, or -1 after
 * a message naming the file and the reason. */
int cli_write_report(const lp_scan *scan, const char *format,
                     const char *output, const struct cli *cli);

/* Warning sink for the library: prints one line on stderr. */
void cli_warn(void *ctx, const char *msg);


/* The user's fingerprint key (lp_scan_options.user_key), which the
 * library makes when missing: $XDG_CONFIG_HOME/leakprint/secrets.key,
 * else ~/.config/leakprint/secrets.key; the directory is made here (mode
 * 0700). NULL when neither variable is set: a key for the run alone. */
const char *cli_user_key(char *buf, size_t len);

/* Warns on stderr when the key file at path (--fingerprint-key) may be
 * read by others: they could test guesses against every fingerprint. */
void cli_check_key_mode(const char *path);

/* After a run for secrets against a registry that has no key (made before
 * keys, or kept apart from it: the user's key was used, and no secret is
 * found known), says so once on stderr. */
void cli_key_note(const lp_scan *scan, const struct cli *cli);

#endif
