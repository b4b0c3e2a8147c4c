/* SPDX-License-Identifier: Apache-2.0
 *
 * embed: leakprint used as a library, through <leakprint.h> alone.
 *
 *   embed PROTECTED_DIR LEAK_DIR REGISTRY_DIR
 *
 * Registers the files of PROTECTED_DIR (one level of subdirectories) from
 * memory buffers as version 2.4.1 of collection 'acme-gateway' in a new
 * registry, scans LEAK_DIR printing one line per matched file as each result
 * arrives, then starts a second scan and stops it after its first result.
 * Exits 1 when the first scan finds a leak (verdict likely or confirmed), 0
 * when it does not, 2 on an error.
 *
 * Build: cc embed.c $(pkg-config --cflags --libs leakprint)
 */
#define _POSIX_C_SOURCE 200809L /* strdup, opendir with -std=c11 */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <leakprint.h>

#define MAX_FILES 256

/* The protected files, read into memory: a name and its bytes each. */
struct files {
    struct lp_target t[MAX_FILES];
    char *name[MAX_FILES];
    char *data[MAX_FILES];
    size_t n;
};

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    long size;
    if (!fp)
        return NULL;
    if (fseek(fp, 0, SEEK_END) == 0 && (size = ftell(fp)) >= 0 &&
        fseek(fp, 0, SEEK_SET) == 0 && (buf = malloc((size_t)size + 1))) {
        *len = fread(buf, 1, (size_t)size, fp);
        if (*len != (size_t)size) {
            free(buf);
            buf = NULL;
        }
    }
    fclose(fp);
    return buf;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of root/rel, and of its subdirectories when depth > 0,
 * named by their path under root, in name order. */
static int read_tree(const char *root, const char *rel, int depth,
                     struct files *f)
{
    char dir[8200], path[8200], *names[MAX_FILES];
    size_t n = 0;
    snprintf(dir, sizeof dir, "%s%s%s", root, *rel ? "/" : "", rel);
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    for (struct dirent *e; (e = readdir(d)) != NULL && n < MAX_FILES;)
        if (e->d_name[0] != '.')
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, cmp_names);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        char name[4096];
        snprintf(name, sizeof name, "%s%s%s", rel, *rel ? "/" : "", names[i]);
        snprintf(path, sizeof path, "%s/%s", root, name);
        if (rc != 0 || stat(path, &st) != 0) {
            rc = -1;
        } else if (S_ISDIR(st.st_mode) && depth) {
            rc = read_tree(root, name, depth - 1, f);
        } else if (S_ISREG(st.st_mode) && f->n < MAX_FILES) {
            size_t len = 0;
            char *data = slurp(path, &len);
            if (!data) {
                rc = -1;
            } else {
                f->name[f->n] = strdup(name);
                f->data[f->n] = data;
                f->t[f->n] = (struct lp_target){.kind = LP_TARGET_MEMORY,
                                                .name = f->name[f->n],
                                                .data = data, .len = len};
                f->n++;
            }
        }
        free(names[i]);
    }
    return rc;
}

/* Called with each file's result as it is made: prints the matched ones. */
static int print_match(void *ctx, const lp_file *file)
{
    struct lp_file_info fi;
    struct lp_match_info m;
    (void)ctx;
    lp_file_get(file, &fi);
    if (fi.matches && lp_file_match(file, 0, &m) == LP_OK)
        printf("match: %s <- %s:%s @%s similarity %.2f\n", fi.path,
               m.collection, m.asset, m.version, m.similarity);
    return 0; /* go on */
}

/* Called with the second scan's first result: stops the scan. */
static int stop_at_first(void *ctx, const lp_file *file)
{
    (void)file;
    ++*(int *)ctx;
    return 1;
}

static int scan(lp_registry *reg, const char *dir)
{
    struct lp_target target = {.kind = LP_TARGET_PATH, .name = dir};
    struct lp_scan_options opt = {.min_similarity = 0.2, .jobs = 2,
                                  .on_file = print_match};
    lp_scan *s = NULL;
    lp_err err = lp_scan_targets(reg, &opt, &target, 1, &s);
    if (err) {
        fprintf(stderr, "embed: %s\n", s ? lp_scan_errmsg(s) : "out of memory");
        lp_scan_free(s);
        return 2;
    }
    enum lp_level level = lp_scan_level(s);
    printf("verdict: %s (%zu files read)\n", lp_scan_summary(s),
           lp_scan_file_count(s));
    lp_scan_free(s);

    /* The same scan again, stopped by its first result. */
    int seen = 0;
    opt.on_file = stop_at_first;
    opt.on_file_ctx = &seen;
    opt.jobs = 1;
    err = lp_scan_targets(reg, &opt, &target, 1, &s);
    printf("second scan: %s after %d result: %s\n", lp_strerror(err), seen,
           s ? lp_scan_errmsg(s) : "");
    lp_scan_free(s);
    if (err != LP_EABORTED)
        return 2;
    return level >= LP_LEVEL_LIKELY ? 1 : 0;
}

int main(int argc, char **argv)
{
    static struct files f;
    if (argc != 4) {
        fprintf(stderr, "usage: embed PROTECTED_DIR LEAK_DIR REGISTRY_DIR\n");
        return 2;
    }
    if (read_tree(argv[1], "", 1, &f) != 0 || f.n == 0) {
        fprintf(stderr, "embed: '%s': cannot read its files\n", argv[1]);
        return 2;
    }
    lp_registry *reg = NULL;
    int rc = 2;
    lp_err err = lp_registry_open(argv[3], LP_REGISTRY_WRITE |
                                  LP_REGISTRY_CREATE, &reg);
    if (!err) {
        struct lp_add_options add = {.name = "acme-gateway",
                                     .version = "2.4.1"};
        struct lp_add_stats st;
        err = lp_add_targets(reg, &add, f.t, f.n, NULL, NULL, &st);
        if (!err)
            printf("registered: %llu files from memory\n",
                   (unsigned long long)st.files);
    }
    if (err)
        fprintf(stderr, "embed: %s\n",
                reg ? lp_registry_errmsg(reg) : "out of memory");
    else
        rc = scan(reg, argv[2]);
    lp_registry_close(reg);
    for (size_t i = 0; i < f.n; i++) {
        free(f.name[i]);
        free(f.data[i]);
    }
    return rc;
}
