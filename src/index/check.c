/* SPDX-License-Identifier: Apache-2.0
 *
 * check: `leakprint check`, the registry's fsck. It reads the directory's
 * pieces one by one instead of opening it as a registry, so that it can
 * name every problem of a damaged one: the metadata (SQLite's quick_check,
 * the schema and fingerprint parameters), the MANIFEST (checksum,
 * structure), each live segment (its checksums and structure, validated
 * whole as at every open; its generation; that each entry names a blob
 * the metadata has).
 *
 * With LP_CHECK_REPAIR, a MANIFEST that is missing or unreadable while the
 * registry holds data is rebuilt under the writer lock. The commit protocol
 * (registry.h) makes that possible: a transaction's segments are written
 * and fsynced before its SQLite commit, and are named after its generation.
 * So the generation to restore is the largest of the metadata's rows, and
 * the live segments are the intact segment files of that generation or
 * older: a segment file of a later one was left by a transaction whose
 * rows never committed. A repair refuses to drop a damaged segment: its
 * data would be lost silently.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "leakprint.h"
#include "manifest.h"
#include "mem.h"
#include "meta.h"
#include "segment.h"

#include "banned.h"

#define ERRLEN 1024

struct check {
    const char *dir;
    void (*report)(void *ctx, const char *msg);
    void *ctx;
    size_t problems;
    struct lp_meta *meta;
    uint64_t meta_gen; /* largest generation of its rows */
    uint8_t *blobs;    /* bitmap of the blob ids of the generation checked */
    size_t blob_cap;   /* bytes of it */
    char err[ERRLEN];
};

static void say(struct check *c, bool problem, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reports a line; a problem is counted. */
static void say(struct check *c, bool problem, const char *fmt, ...)
{
    char msg[ERRLEN + 512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (problem)
        c->problems++;
    if (c->report)
        c->report(c->ctx, msg);
}

/* <dir>/<name> in buf (ERRLEN bytes). */
static const char *in_dir(const struct check *c, const char *name, char *buf)
{
    size_t n = strlen(c->dir);
    snprintf(buf, ERRLEN, "%s%s%s", c->dir,
             n && c->dir[n - 1] == '/' ? "" : "/", name);
    return buf;
}

static int meta_problem(void *ctx, const char *row)
{
    struct check *c = ctx;
    char p[ERRLEN];
    say(c, true, "'%s': %s", in_dir(c, "meta.sqlite", p), row);
    return 0;
}

static int blob_seen(void *ctx, uint32_t id)
{
    struct check *c = ctx;
    size_t byte = id / 8;
    if (byte >= c->blob_cap) {
        size_t cap = c->blob_cap ? c->blob_cap : 4096;
        while (cap <= byte)
            cap *= 2;
        uint8_t *b = lp_realloc(c->blobs, cap);
        if (!b)
            return 1;
        memset(b + c->blob_cap, 0, cap - c->blob_cap);
        c->blobs = b;
        c->blob_cap = cap;
    }
    c->blobs[byte] |= (uint8_t)(1u << (id % 8));
    return 0;
}

/* Loads the ids of the blobs of generation <= gen. */
static lp_err load_blobs(struct check *c, uint64_t gen)
{
    if (c->blobs)
        memset(c->blobs, 0, c->blob_cap);
    lp_err e = lp_meta_blob_ids(c->meta, gen, blob_seen, c);
    if (e == LP_EABORTED)
        e = LP_ENOMEM;
    return e;
}

static bool has_blob(const struct check *c, uint32_t id)
{
    return id / 8 < c->blob_cap && (c->blobs[id / 8] >> (id % 8) & 1);
}

/* Checks segment `name` as a live segment of generation `gen`; problems
 * are reported. Returns whether it is sound. */
static bool check_segment(struct check *c, const char *name, uint64_t gen)
{
    char path[ERRLEN];
    struct lp_segment *seg = NULL;
    in_dir(c, name, path);
    if (lp_segment_open_flags(path, LP_SEG_NO_PRESENCE, &seg, c->err)) {
        say(c, true, "%s", c->err);
        return false;
    }
    bool ok = true;
    uint64_t sg = lp_manifest_name_gen(name, NULL);
    if (sg > gen) {
        say(c, true, "'%s': written by generation %llu, after the "
            "manifest's %llu", path, (unsigned long long)sg,
            (unsigned long long)gen);
        ok = false;
    }
    uint64_t n = lp_segment_count(seg), bad = 0;
    struct lp_fp_entry e, first = {0};
    for (uint64_t i = 0; c->meta && i < n; i++) {
        lp_segment_entry(seg, i, &e);
        if (!has_blob(c, e.blob) && bad++ == 0)
            first = e;
    }
    if (bad) {
        say(c, true, "'%s': %llu of %llu entries name a blob the metadata "
            "does not have (the first: blob %u)", path,
            (unsigned long long)bad, (unsigned long long)n, first.blob);
        ok = false;
    }
    lp_segment_close(seg);
    return ok;
}

/* Rebuilds MANIFEST from the segment files (see the top of the file). */
static lp_err rebuild(struct check *c, struct lp_manifest *out)
{
    struct lp_manifest found, man;
    char path[ERRLEN];
    lp_manifest_init(&man);
    lp_err e = lp_manifest_scan_dir(c->dir, &found, c->err);
    if (!e)
        e = load_blobs(c, c->meta_gen);
    if (e) {
        if (e == LP_ENOMEM)
            say(c, true, "'%s': out of memory", c->dir);
        else
            say(c, true, "%s", c->err);
        goto out;
    }
    man.gen = c->meta_gen;
    size_t before = c->problems;
    for (size_t i = 0; !e && i < found.nsegs; i++) {
        const char *name = found.segs[i];
        if (lp_manifest_name_gen(name, NULL) > c->meta_gen) {
            say(c, false, "'%s': not taken (left by an add that did not "
                "commit)", in_dir(c, name, path));
            continue;
        }
        if (check_segment(c, name, man.gen))
            e = lp_manifest_add(&man, name);
    }
    if (e) {
        say(c, true, "'%s': %s", c->dir, lp_strerror(e));
        goto out;
    }
    if (c->problems > before) {
        say(c, true, "'%s': not rebuilt: a segment is damaged (move it "
            "away to rebuild without it, losing its fingerprints)",
            in_dir(c, "MANIFEST", path));
        e = LP_ECORRUPT;
        goto out;
    }
    bool renamed = false;
    e = lp_manifest_write(c->dir, &man, &renamed, c->err);
    if (!renamed) {
        say(c, true, "%s", c->err);
        goto out;
    }
    e = LP_OK;
    say(c, false, "'%s': rebuilt: generation %llu, %zu segment%s",
        in_dir(c, "MANIFEST", path), (unsigned long long)man.gen, man.nsegs,
        man.nsegs == 1 ? "" : "s");
    lp_manifest_release(out);
    *out = man;
    lp_manifest_init(&man);
out:
    lp_manifest_release(&found);
    lp_manifest_release(&man);
    return e;
}

/* Whether dir holds any piece of a registry (metadata, manifest or a
 * segment file). */
static bool any_file(struct check *c)
{
    char path[ERRLEN];
    if (access(in_dir(c, "meta.sqlite", path), F_OK) == 0 ||
        access(in_dir(c, "MANIFEST", path), F_OK) == 0)
        return true;
    struct lp_manifest found;
    bool any = lp_manifest_scan_dir(c->dir, &found, c->err) != LP_OK ||
               found.nsegs > 0;
    lp_manifest_release(&found);
    return any;
}

/* The writer lock, for a repair. */
static lp_err lock_dir(struct check *c, int *fd)
{
    char path[ERRLEN];
    *fd = open(in_dir(c, "LOCK", path), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (*fd < 0) {
        say(c, true, "'%s': lock: %s", c->dir, lp_errno_str(errno));
        return LP_EIO;
    }
    if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
        say(c, true, "'%s': locked by another writer", c->dir);
        return LP_EBUSY;
    }
    return LP_OK;
}

/* The metadata, opened read-only; problems reported. */
static void check_meta(struct check *c)
{
    char path[ERRLEN];
    in_dir(c, "meta.sqlite", path);
    if (access(path, F_OK) != 0) {
        say(c, true, "'%s': %s", path, errno == ENOENT ? "missing"
                                                       : lp_errno_str(errno));
        return;
    }
    if (lp_meta_open(path, false, c->err, &c->meta)) {
        say(c, true, "%s", c->err);
        c->meta = NULL;
        return;
    }
    lp_err e = lp_meta_quick_check(c->meta, meta_problem, c);
    if (!e)
        e = lp_meta_max_gen(c->meta, &c->meta_gen);
    if (e) {
        say(c, true, "%s", c->err);
        lp_meta_close(c->meta);
        c->meta = NULL;
    }
}

/* The manifest into *man; false (reported) when it is missing while the
 * registry holds data, or unreadable. */
static bool check_manifest(struct check *c, struct lp_manifest *man)
{
    char path[ERRLEN];
    lp_err e = lp_manifest_read(c->dir, man, c->err);
    if (e == LP_ENOTFOUND) {
        struct lp_manifest found;
        e = lp_manifest_scan_dir(c->dir, &found, c->err);
        size_t n = found.nsegs;
        lp_manifest_release(&found);
        if (!e && !n && !c->meta_gen)
            return true; /* an empty registry: nothing committed yet */
        if (!e) {
            say(c, true, "'%s': missing, but %s", in_dir(c, "MANIFEST", path),
                n ? "segment files are there" : "the metadata holds data");
            return false;
        }
    }
    if (e) {
        say(c, true, "%s", c->err);
        return false;
    }
    return true;
}

lp_err lp_registry_check(const char *dir, unsigned flags,
                         void (*report)(void *ctx, const char *msg),
                         void *ctx, size_t *problems)
{
    struct check c = {.dir = dir, .report = report, .ctx = ctx};
    struct lp_manifest man;
    int lock = -1;
    lp_err e = LP_OK;
    lp_manifest_init(&man);
    struct stat st;
    if (stat(dir, &st) != 0) {
        bool none = errno == ENOENT;
        say(&c, true, "'%s': %s", dir, none ? "no registry here"
                                            : lp_errno_str(errno));
        e = none ? LP_ENOTFOUND : LP_EIO;
        goto out;
    }
    if (!S_ISDIR(st.st_mode) || !any_file(&c)) {
        say(&c, true, "'%s': no registry here", dir);
        e = LP_ENOTFOUND;
        goto out;
    }
    if ((flags & LP_CHECK_REPAIR) && (e = lock_dir(&c, &lock)) != LP_OK)
        goto out;
    check_meta(&c);
    size_t before = c.problems;
    bool man_ok = check_manifest(&c, &man);
    if (!man_ok && (flags & LP_CHECK_REPAIR)) {
        if (c.meta)
            man_ok = rebuild(&c, &man) == LP_OK;
        else
            say(&c, true, "'%s': cannot rebuild the manifest without the "
                "metadata", dir);
        if (man_ok) /* the manifest's problem is repaired */
            c.problems = before;
    }
    if (man_ok && c.meta && load_blobs(&c, man.gen)) {
        say(&c, true, "'%s': out of memory", dir);
        e = LP_ENOMEM;
        goto out;
    }
    for (size_t i = 0; man_ok && i < man.nsegs; i++)
        check_segment(&c, man.segs[i], man.gen);
out:
    if (lock >= 0)
        close(lock);
    lp_meta_close(c.meta);
    lp_free(c.blobs);
    lp_manifest_release(&man);
    if (problems)
        *problems = c.problems;
    if (!e && c.problems)
        e = LP_ECORRUPT;
    return e;
}
