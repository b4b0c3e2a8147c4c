/* SPDX-License-Identifier: Apache-2.0
 *
 * walk_7zz: encrypted 7z and RAR archives through Debian's 7-Zip (the 7zz
 * program of package 7zip), for libarchive reads their structure but cannot
 * decrypt them (libarchive issue 878). The archive is never extracted to
 * disk: 7zz lists it (`l -slt`), then writes every file's data, in archive
 * order, to a pipe (`x -so`), which is cut into members by the sizes of
 * the listing. Each member's CRC-32 must be the listing's before it is
 * given on: a wrong password is told by it and the next one is tried. An
 * archive held in memory is handed to 7zz as an anonymous memory file.
 * 7zz runs in its own process: a crash in it is a skipped archive, not
 * ours. Its password is on its command line, as for any use of 7zz.
 * The program is the one the caller names (lp_input_options.sevenzip),
 * started by its path with the process's environment: no PATH search.
 */
#include "walk_7zz.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "limits.h"
#include "mem.h"
#include "banned.h"

extern char **environ;

/* The listing of an archive is text of a few hundred bytes per member. */
#define LIST_MAX (256u << 20)

struct member {
    char *path;
    uint64_t size;
    uint32_t crc;
    bool has_crc;
};

struct listing {
    struct member *v;
    size_t n, cap;
};

static void listing_release(struct listing *l)
{
    for (size_t i = 0; i < l->n; i++)
        lp_free(l->v[i].path);
    lp_free(l->v);
    memset(l, 0, sizeof *l);
}

/* Starts `prog <args> -p<pw> -- path` with its standard output on a pipe;
 * *out is the read end. */
static int spawn(const char *prog, const char *cmd, const char *pw,
                 const char *path, pid_t *pid, int *out)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0)
        return -1;
    char pwarg[1024];
    snprintf(pwarg, sizeof pwarg, "-p%s", pw);
    char *argv[] = {"7zz", (char *)cmd, "-y", "-bd", pwarg, NULL, NULL,
                    NULL, NULL, NULL};
    size_t k = 5;
    if (!strcmp(cmd, "l")) {
        argv[k++] = "-slt";
        argv[k++] = "-ba";
    } else {
        argv[k++] = "-so";
    }
    argv[k++] = "--";
    argv[k++] = (char *)path;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null",
                                     O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null",
                                     O_WRONLY, 0);
    int r = posix_spawn(pid, prog, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    memset(pwarg, 0, sizeof pwarg);
    close(p[1]);
    if (r != 0) {
        close(p[0]);
        return -1;
    }
    *out = p[0];
    return 0;
}

/* Waits for the child (killed first when `kill_it`); its exit status, or
 * -1. */
static int reap(pid_t pid, bool kill_it)
{
    int st;
    if (kill_it)
        kill(pid, SIGKILL);
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Reads exactly n bytes (fewer only at the end of the pipe). */
static size_t read_full(int fd, char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    return got;
}

/* Parses `7zz l -slt -ba` output: records of "Key = value" lines. */
static lp_err parse_listing(char *text, struct listing *l)
{
    struct member cur = {0};
    bool dir = false, have = false;
    lp_err err = LP_OK;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save);; line = strtok_r(NULL, "\n", &save)) {
        bool start = !line || !strncmp(line, "Path = ", 7);
        if (start && have) { /* the record before ends */
            if (!dir && cur.path) {
                if (!lp_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v)) {
                    err = LP_ENOMEM;
                    break;
                }
                l->v[l->n++] = cur;
            } else {
                lp_free(cur.path);
            }
            memset(&cur, 0, sizeof cur);
            dir = have = false;
        }
        if (!line)
            break;
        if (!strncmp(line, "Path = ", 7)) {
            if (!(cur.path = lp_strdup(line + 7))) {
                err = LP_ENOMEM;
                break;
            }
            have = true;
        } else if (!strncmp(line, "Size = ", 7)) {
            cur.size = strtoull(line + 7, NULL, 10);
        } else if (!strncmp(line, "CRC = ", 6) && line[6]) {
            cur.crc = (uint32_t)strtoul(line + 6, NULL, 16);
            cur.has_crc = true;
        } else if (!strncmp(line, "Attributes = ", 13)) {
            dir = line[13] == 'D';
        } else if (!strncmp(line, "Folder = +", 10)) {
            dir = true;
        }
    }
    if (err)
        lp_free(cur.path);
    return err;
}

/* Lists the archive with password pw: LP_OK, or LP_EFORMAT when 7zz
 * cannot (a wrong password for an encrypted header). */
static lp_err list(const char *prog, const char *path, const char *pw,
                   struct listing *l)
{
    pid_t pid;
    int fd;
    if (spawn(prog, "l", pw, path, &pid, &fd) != 0)
        return LP_EUNSUPPORTED;
    char *text = NULL;
    size_t len = 0, cap = 0;
    lp_err err = LP_OK;
    for (;;) {
        if (len + 65536 + 1 > cap &&
            !lp_grow((void **)&text, &cap, len + 65536 + 1, 1)) {
            err = LP_ENOMEM;
            break;
        }
        ssize_t r = read(fd, text + len, 65536);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
        if (len > LIST_MAX) {
            err = LP_ELIMIT;
            break;
        }
    }
    close(fd);
    int status = reap(pid, err != LP_OK);
    if (!err && status != 0)
        err = LP_EFORMAT;
    if (!err) {
        text[len] = '\0';
        err = parse_listing(text, l);
    }
    lp_free(text);
    return err;
}

/* Extracts with password pw, giving members from index `from` on to fn.
 * *given counts those given; LP_EFORMAT when a CRC shows the password is
 * wrong (before any encrypted member was given). */
static lp_err extract(const char *logical, const char *path, const char *pw,
                      const struct listing *l, unsigned depth,
                      const struct lp_archive_limits *lim,
                      struct lp_archive_budget *budget, struct lp_warner *w,
                      lp_archive_member_fn fn, void *ctx, size_t *given)
{
    pid_t pid;
    int fd;
    if (spawn(lim->sevenzip, "x", pw, path, &pid, &fd) != 0)
        return LP_EUNSUPPORTED;
    char *buf = NULL, name[LP_MAX_PATH + 1], why[128];
    size_t cap = 0;
    lp_err err = LP_OK;
    bool stop = false;
    for (size_t i = 0; !err && !stop && i < l->n; i++) {
        const struct member *m = &l->v[i];
        int n = snprintf(name, sizeof name, "%s!%s", logical, m->path);
        if (n < 0 || (size_t)n >= sizeof name)
            snprintf(name, sizeof name, "%s", logical);
        bool keep = m->size <= lim->max_entry;
        size_t want = keep ? (size_t)m->size : 65536;
        if (want + 1 > cap && !lp_grow((void **)&buf, &cap, want + 1, 1)) {
            err = LP_ENOMEM;
            break;
        }
        uint64_t left = m->size;
        uint32_t crc = (uint32_t)crc32(0L, Z_NULL, 0);
        while (left && !stop) { /* a member too large is read and dropped */
            size_t chunk = keep ? (size_t)left : (left < 65536 ? (size_t)left : 65536);
            size_t got = read_full(fd, buf + (keep ? m->size - left : 0), chunk);
            crc = (uint32_t)crc32(crc, (const Bytef *)buf + (keep ? m->size - left : 0), (uInt)got);
            left -= got;
            budget->expanded += got;
            if (got < chunk && i >= *given) {
                err = LP_EFORMAT; /* nothing comes with a wrong password */
                stop = true;
            } else if (got < chunk) {
                lp_warner_skip(w, name, "7zz stopped before its end "
                               "(damaged archive?): rest not read");
                stop = true;
            } else if (budget->expanded > lim->max_total ||
                       budget->expanded > (uint64_t)lim->max_ratio * budget->input +
                                              (16u << 20)) {
                lp_warner_skip(w, logical, "expands beyond --max-expanded or "
                               "--max-ratio: rest not read");
                budget->exhausted = stop = true;
            }
        }
        if (stop)
            break;
        if (m->has_crc && crc != m->crc) {
            if (i >= *given) { /* the password is wrong */
                err = LP_EFORMAT;
                break;
            }
        }
        if (i < *given)
            continue; /* given by an earlier try */
        if (++budget->entries > lim->max_entries) {
            lp_warner_skip(w, logical, "too many members (--max-entries): "
                           "rest not read");
            budget->exhausted = true;
            break;
        }
        if (!keep) {
            snprintf(why, sizeof why, "file larger than %llu bytes (skipped)",
                     (unsigned long long)lim->max_entry);
            lp_warner_skip(w, name, why);
        } else {
            buf[m->size] = '\0';
            err = fn(ctx, name, buf, (size_t)m->size, depth);
        }
        (*given)++;
    }
    close(fd);
    reap(pid, true);
    lp_free(buf);
    return err;
}

lp_err lp_7zz_walk(const char *logical, const char *buf, size_t len,
                   const char *fspath, unsigned depth,
                   const struct lp_archive_limits *lim,
                   struct lp_archive_budget *budget, struct lp_warner *w,
                   lp_archive_member_fn fn, void *ctx)
{
    char path[64];
    int mfd = -1;
    if (!lim->sevenzip)
        return LP_EUNSUPPORTED;
    if (!fspath) { /* in memory: an anonymous memory file, never on disk */
        mfd = memfd_create("leakprint-7z", 0);
        if (mfd < 0)
            return LP_EUNSUPPORTED;
        size_t off = 0;
        while (off < len) {
            ssize_t r = write(mfd, buf + off, len - off);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0) {
                close(mfd);
                return LP_EUNSUPPORTED;
            }
            off += (size_t)r;
        }
        snprintf(path, sizeof path, "/proc/self/fd/%d", mfd);
        fspath = path;
    }
    lp_err err = LP_EFORMAT;
    size_t given = 0;
    for (size_t p = 0; p < lim->npasswords && err == LP_EFORMAT; p++) {
        struct listing l = {0};
        err = list(lim->sevenzip, fspath, lim->passwords[p], &l);
        if (!err)
            err = extract(logical, fspath, lim->passwords[p], &l, depth, lim,
                          budget, w, fn, ctx, &given);
        listing_release(&l);
    }
    if (mfd >= 0)
        close(mfd);
    return err;
}
