/* SPDX-License-Identifier: Apache-2.0
 *
 * engine_bench: the raw speed of the secrets engine, without walking,
 * reading, decoding or reporting. Loads every file named in LIST (one path
 * a line) into memory, then times lp_secrets_scan over each file's buffer,
 * REPEAT times, in CPU time of the process (CLOCK_PROCESS_CPUTIME_ID, one
 * thread). Prints one JSON line: bytes, files, findings, cpu seconds,
 * GB/s per core.
 *
 *   engine_bench LIST [REPEAT [hot]]
 *
 * Build: make build/bench/engine_bench.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mem.h"
#include "secrets.h"
#include "banned.h"

/* Files larger than this are skipped, as `leakprint secrets` skips them by
 * default (LP_MAX_FILE_SIZE_DEFAULT). */
#define MAX_FILE (64u << 20)
#define MAX_REPEAT 100

struct file {
    size_t off, len; /* in the arena */
};

struct corpus {
    char *arena;
    size_t len, cap;
    struct file *files;
    size_t nfiles, capfiles;
};

static int count(void *ctx, const struct lp_secret_finding *f)
{
    (void)f;
    (*(size_t *)ctx)++;
    return 0;
}

/* Appends the file at path to the arena; a file that cannot be read, or is
 * too large, is skipped (1); -1 when out of memory. */
static int load(struct corpus *c, const char *path)
{
    FILE *fp = fopen(path, "rb");
    int rc = 1;
    if (!fp)
        return 1;
    if (fseek(fp, 0, SEEK_END) != 0)
        goto out;
    long size = ftell(fp);
    if (size < 0 || (unsigned long)size > MAX_FILE || fseek(fp, 0, SEEK_SET))
        goto out;
    size_t need;
    if (!lp_add_ok(c->len, (size_t)size, &need) ||
        !lp_grow((void **)&c->arena, &c->cap, need + 1, 1) ||
        !lp_grow((void **)&c->files, &c->capfiles, c->nfiles + 1,
                 sizeof *c->files)) {
        rc = -1;
        goto out;
    }
    size_t got = fread(c->arena + c->len, 1, (size_t)size, fp);
    c->files[c->nfiles++] = (struct file){c->len, got};
    c->len += got;
    rc = 0;
out:
    fclose(fp);
    return rc;
}

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    struct corpus c = {0};
    struct lp_secrets_engine *e = NULL;
    struct lp_secrets_scratch *s = NULL;
    FILE *list = NULL;
    char line[8192], err[512] = "";
    int status = 1;
    long repeat = argc > 2 ? strtol(argv[2], NULL, 10) : 1;
    bool hot = argc > 3 && !strcmp(argv[3], "hot");
    char *buf = NULL;
    if (argc < 2 || repeat < 1 || repeat > MAX_REPEAT) {
        fprintf(stderr, "usage: engine_bench LIST [REPEAT 1-%d [hot]]\n",
                MAX_REPEAT);
        return 2;
    }
    if (!(list = fopen(argv[1], "r"))) {
        fprintf(stderr, "engine_bench: %s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    size_t skipped = 0;
    while (fgets(line, sizeof line, list)) {
        size_t n = strcspn(line, "\n");
        line[n] = '\0';
        if (!n)
            continue;
        int r = load(&c, line);
        if (r < 0) {
            fprintf(stderr, "engine_bench: out of memory\n");
            goto out;
        }
        skipped += (size_t)r;
    }
    size_t ntables;
    const struct lp_rule *const *tables = lp_rules_tables(&ntables);
    static const char key[] = "engine bench";
    if (lp_secrets_engine_new(tables, ntables, NULL, key, sizeof key - 1, &e,
                              err, sizeof err) ||
        lp_secrets_scratch_new(e, &s)) {
        fprintf(stderr, "engine_bench: %s\n", *err ? err : "no engine");
        goto out;
    }
    size_t found = 0, most = 0;
    for (size_t i = 0; i < c.nfiles; i++)
        most = c.files[i].len > most ? c.files[i].len : most;
    /* hot: each file is first copied into one reused buffer (untimed), as
     * the CLI reads each file into its worker's buffer: the scan then
     * reads from the cache, not from a 1 GB arena in main memory. */
    if (hot && !(buf = lp_malloc(most + 1))) {
        fprintf(stderr, "engine_bench: out of memory\n");
        goto out;
    }
    /* Arena: the whole loop is timed. Hot: each scan alone (the clock's
     * own cost, a system call a file, is counted against the engine). */
    double cpu = 0, all0 = cpu_now();
    for (long k = 0; k < repeat; k++)
        for (size_t i = 0; i < c.nfiles; i++) {
            const char *p = c.arena + c.files[i].off;
            if (hot)
                p = memcpy(buf, p, c.files[i].len);
            double t0 = hot ? cpu_now() : 0;
            lp_err rc = lp_secrets_scan(e, s, p, c.files[i].len, count,
                                        &found);
            if (hot)
                cpu += cpu_now() - t0;
            if (rc != LP_OK) {
                fprintf(stderr, "engine_bench: scan failed\n");
                goto out;
            }
        }
    if (!hot)
        cpu = cpu_now() - all0;
    double bytes = (double)c.len * (double)repeat;
    printf("{\"mode\":\"%s\",\"files\":%zu,\"skipped\":%zu,\"bytes\":%zu,\"repeat\":%ld,"
           "\"findings\":%zu,\"cpu_seconds\":%.4f,\"gb_per_cpu_s\":%.4f,"
           "\"engine_build_s\":%.3f}\n",
           hot ? "hot" : "arena", c.nfiles, skipped, c.len, repeat, found / (size_t)repeat, cpu,
           cpu > 0 ? bytes / cpu / 1e9 : 0.0, lp_secrets_build_seconds(e));
    status = 0;
out:
    if (list)
        fclose(list);
    lp_secrets_scratch_free(s);
    lp_secrets_engine_free(e);
    lp_free(buf);
    lp_free(c.arena);
    lp_free(c.files);
    return status;
}
