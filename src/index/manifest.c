/* SPDX-License-Identifier: Apache-2.0
 *
 * manifest: reading, validating and atomically replacing MANIFEST (layout
 * in manifest.h). Parsing treats the file as hostile: every length is
 * checked against the bytes left before it is used, names are checked
 * against the segment name pattern so that none can escape the directory.
 */
#include "manifest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"
#include "mem.h"

#include "err.h"
#include "banned.h"

#define seterr(err, code, ...) lp_errf((err), LP_MANIFEST_ERRLEN, (code), __VA_ARGS__)

void lp_manifest_init(struct lp_manifest *m)
{
    memset(m, 0, sizeof *m);
}

void lp_manifest_release(struct lp_manifest *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nsegs; i++)
        lp_free(m->segs[i]);
    lp_free(m->segs);
    lp_manifest_init(m);
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static size_t span_of(const char *s, bool (*ok)(char))
{
    size_t n = 0;
    while (s[n] && ok(s[n]))
        n++;
    return n;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool lp_manifest_name_ok(const char *name)
{
    if (strncmp(name, "seg-", 4) != 0)
        return false;
    const char *p = name + 4;
    size_t h = span_of(p, is_hex);
    if (h < 8 || h > 16 || p[h] != '-')
        return false;
    p += h + 1;
    size_t d = span_of(p, is_digit);
    return d >= 1 && d <= 10 && strcmp(p + d, ".lps") == 0;
}

lp_err lp_manifest_add(struct lp_manifest *m, const char *name)
{
    if (!lp_manifest_name_ok(name))
        return LP_EINVAL;
    if (m->nsegs >= LP_MANIFEST_MAX_SEGS)
        return LP_ELIMIT;
    if (!lp_grow((void **)&m->segs, &m->cap, m->nsegs + 1, sizeof *m->segs))
        return LP_ENOMEM;
    char *copy = lp_strdup(name);
    if (!copy)
        return LP_ENOMEM;
    m->segs[m->nsegs++] = copy;
    return LP_OK;
}

bool lp_manifest_has(const struct lp_manifest *m, const char *name)
{
    for (size_t i = 0; i < m->nsegs; i++)
        if (strcmp(m->segs[i], name) == 0)
            return true;
    return false;
}

uint64_t lp_manifest_name_gen(const char *name, uint32_t *num)
{
    char *end;
    uint64_t gen = strtoull(name + 4, &end, 16);
    unsigned long n = strtoul(end + 1, NULL, 10);
    if (num)
        *num = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
    return gen;
}

static int cmp_seg_names(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    uint32_t nx, ny;
    uint64_t gx = lp_manifest_name_gen(x, &nx), gy = lp_manifest_name_gen(y, &ny);
    if (gx != gy)
        return gx < gy ? -1 : 1;
    if (nx != ny)
        return nx < ny ? -1 : 1;
    return strcmp(x, y);
}

lp_err lp_manifest_scan_dir(const char *dir, struct lp_manifest *out,
                            char *err)
{
    lp_manifest_init(out);
    DIR *d = opendir(dir);
    if (!d)
        return seterr(err, LP_EIO, "'%s': %s", dir, lp_errno_str(errno));
    lp_err e = LP_OK;
    struct dirent *de;
    while (!e && (de = readdir(d)) != NULL)
        if (lp_manifest_name_ok(de->d_name))
            e = lp_manifest_add(out, de->d_name);
    closedir(d);
    if (e)
        return seterr(err, e, "'%s': %s", dir, e == LP_ELIMIT
                      ? "too many segment files" : "out of memory");
    if (out->nsegs)
        lp_sort(out->segs, out->nsegs, sizeof *out->segs, cmp_seg_names);
    return LP_OK;
}

lp_err lp_manifest_parse(const uint8_t *buf, size_t len, const char *label,
                         struct lp_manifest *out, char *err)
{
    lp_manifest_init(out);
    if (len < 32 || len > LP_MANIFEST_MAX_SIZE)
        return seterr(err, LP_ECORRUPT, "'%s': bad size %zu (manifest is "
                      "corrupt)", label, len);
    if (memcmp(buf, LP_MANIFEST_MAGIC, 8) != 0)
        return seterr(err, LP_ECORRUPT, "'%s': not a manifest (bad magic)",
                      label);
    if (lp_hash64(buf, len - 8) != lp_get_u64le(buf + len - 8))
        return seterr(err, LP_ECORRUPT, "'%s': checksum mismatch (manifest "
                      "is corrupt)", label);
    uint32_t version = lp_get_u32le(buf + 8);
    if (version != LP_MANIFEST_VERSION)
        return seterr(err, LP_EUNSUPPORTED, "'%s': manifest format version "
                      "%u is not supported", label, version);
    uint32_t nseg = lp_get_u32le(buf + 12);
    out->gen = lp_get_u64le(buf + 16);
    if (nseg > LP_MANIFEST_MAX_SEGS)
        return seterr(err, LP_ECORRUPT, "'%s': %u segments (manifest is "
                      "corrupt)", label, nseg);
    size_t pos = 24, end = len - 8;
    char name[256];
    for (uint32_t i = 0; i < nseg; i++) {
        if (end - pos < 2)
            return seterr(err, LP_ECORRUPT, "'%s': truncated (manifest is "
                          "corrupt)", label);
        size_t n = lp_get_u16le(buf + pos);
        pos += 2;
        if (n == 0 || n > 255 || end - pos < n)
            return seterr(err, LP_ECORRUPT, "'%s': bad name length "
                          "(manifest is corrupt)", label);
        memcpy(name, buf + pos, n);
        name[n] = '\0';
        pos += n;
        if (strlen(name) != n || !lp_manifest_name_ok(name) ||
            lp_manifest_has(out, name))
            return seterr(err, LP_ECORRUPT, "'%s': bad segment name "
                          "(manifest is corrupt)", label);
        lp_err e = lp_manifest_add(out, name);
        if (e)
            return seterr(err, e, "'%s': out of memory", label);
    }
    if (pos != end)
        return seterr(err, LP_ECORRUPT, "'%s': trailing bytes (manifest is "
                      "corrupt)", label);
    return LP_OK;
}

static lp_err read_whole(const char *path, uint8_t **buf, size_t *len,
                         char *err)
{
    *buf = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return seterr(err, errno == ENOENT ? LP_ENOTFOUND : LP_EIO,
                      "'%s': %s", path, lp_errno_str(errno));
    lp_err e = LP_OK;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        e = seterr(err, LP_EIO, "'%s': %s", path, strerror(errno));
        goto out;
    }
    if (st.st_size < 0 || (uint64_t)st.st_size > LP_MANIFEST_MAX_SIZE) {
        e = seterr(err, LP_ECORRUPT, "'%s': too large (manifest is corrupt)",
                   path);
        goto out;
    }
    *len = (size_t)st.st_size;
    *buf = lp_malloc(*len);
    if (!*buf) {
        e = seterr(err, LP_ENOMEM, "'%s': out of memory", path);
        goto out;
    }
    size_t got = 0;
    while (got < *len) {
        ssize_t k = read(fd, *buf + got, *len - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            e = seterr(err, k < 0 ? LP_EIO : LP_ECORRUPT, "'%s': %s", path,
                       k < 0 ? strerror(errno) : "changed while read");
            goto out;
        }
        got += (size_t)k;
    }
out:
    close(fd);
    if (e) {
        lp_free(*buf);
        *buf = NULL;
    }
    return e;
}

lp_err lp_manifest_read(const char *dir, struct lp_manifest *out, char *err)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    lp_manifest_init(out);
    char *path = lp_path_join(dir, "MANIFEST");
    if (!path)
        return seterr(err, LP_ENOMEM, "'%s': out of memory", dir);
    lp_err e = read_whole(path, &buf, &len, err);
    if (!e)
        e = lp_manifest_parse(buf, len, path, out, err);
    lp_free(buf);
    lp_free(path);
    return e;
}

/* Serialises m; caller frees *out. */
static lp_err encode(const struct lp_manifest *m, uint8_t **out, size_t *len)
{
    size_t n = 32;
    for (size_t i = 0; i < m->nsegs; i++)
        n += 2 + strlen(m->segs[i]);
    uint8_t *b = lp_malloc(n);
    if (!b)
        return LP_ENOMEM;
    memcpy(b, LP_MANIFEST_MAGIC, 8);
    lp_put_u32le(b + 8, LP_MANIFEST_VERSION);
    lp_put_u32le(b + 12, (uint32_t)m->nsegs);
    lp_put_u64le(b + 16, m->gen);
    size_t pos = 24;
    for (size_t i = 0; i < m->nsegs; i++) {
        size_t k = strlen(m->segs[i]);
        lp_put_u16le(b + pos, (uint16_t)k);
        memcpy(b + pos + 2, m->segs[i], k);
        pos += 2 + k;
    }
    lp_put_u64le(b + pos, lp_hash64(b, pos));
    *out = b;
    *len = n;
    return LP_OK;
}

static lp_err write_file(const char *path, const uint8_t *b, size_t n,
                         char *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return seterr(err, LP_EIO, "'%s': %s", path, strerror(errno));
    lp_err e = LP_OK;
    size_t done = 0;
    while (done < n) {
        ssize_t k = write(fd, b + done, n - done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            e = seterr(err, LP_EIO, "'%s': write: %s", path,
                       k < 0 ? strerror(errno) : "no progress");
            break;
        }
        done += (size_t)k;
    }
    if (!e && fsync(fd) != 0)
        e = seterr(err, LP_EIO, "'%s': fsync: %s", path, strerror(errno));
    if (close(fd) != 0 && !e)
        e = seterr(err, LP_EIO, "'%s': close: %s", path, strerror(errno));
    return e;
}

lp_err lp_manifest_write(const char *dir, const struct lp_manifest *m,
                         bool *renamed, char *err)
{
    uint8_t *b = NULL;
    size_t n = 0;
    char *tmp = lp_path_join(dir, "MANIFEST.tmp");
    char *path = lp_path_join(dir, "MANIFEST");
    lp_err e = LP_OK;
    int dfd = -1;
    *renamed = false;
    if (!tmp || !path || encode(m, &b, &n)) {
        e = seterr(err, LP_ENOMEM, "'%s': out of memory", dir);
        goto out;
    }
    e = write_file(tmp, b, n, err);
    if (e)
        goto out;
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        e = seterr(err, LP_EIO, "'%s': %s", dir, strerror(errno));
        goto out;
    }
    if (rename(tmp, path) != 0) {
        e = seterr(err, LP_EIO, "'%s': rename: %s", path, strerror(errno));
        goto out;
    }
    *renamed = true;
    if (fsync(dfd) != 0)
        e = seterr(err, LP_EIO, "'%s': fsync: %s", dir, strerror(errno));
out:
    if (e && !*renamed && tmp)
        unlink(tmp);
    if (dfd >= 0)
        close(dfd);
    lp_free(b);
    lp_free(tmp);
    lp_free(path);
    return e;
}
