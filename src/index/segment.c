/* SPDX-License-Identifier: Apache-2.0
 *
 * segment: reading, validating, looking up, writing and merging fingerprint
 * segment files (layout in segment.h). Validation at open covers every byte
 * (checksum) and every structural invariant lookups rely on: directory
 * monotonic and ending at N, entries sorted, each entry in its bucket. The
 * same pass builds a map of the hash prefixes present, which turns most
 * lookups of absent hashes away. Once open, a segment is immutable and
 * lookups are lock- and allocation-free.
 * Writers stream sorted entries through `struct segw`, which builds the
 * directory in memory and patches it and the header in at the end.
 */
#include "segment.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"
#include "limits.h"
#include "mem.h"

#include "err.h"
#include "banned.h"

struct lp_segment {
    const uint8_t *base; /* whole file */
    size_t size;
    const uint8_t *dir;  /* 2^bits + 1 u32 */
    const uint8_t *ents; /* count * 16 bytes */
    uint64_t count;
    uint32_t bits;
    void *map; /* mmap'd region to unmap, or NULL (borrowed buffer) */
    size_t maplen;
    /* Presence of hash prefixes: bit p is set when some entry's hash has
     * its top pbits equal to p. Built at open (the entries are read in
     * order then anyway), it answers most lookups of an absent hash, the
     * common case for unrelated code, from a few MB that stay in cache,
     * without touching the directory or the entries. NULL without memory. */
    uint64_t *present;
    unsigned pbits;
};

/* Bits of the presence map per entry, at least (the map's size is a power
 * of two, so 8 to 16): 8 leave 1 - e^(-1/8), about 12%, of the absent
 * hashes to a real lookup at worst. 16 (4 MB of fresh memory for a 24 MB
 * segment, instead of 2) cost more at open than they saved in lookups,
 * even on unrelated code (docs/PERFORMANCE.md). */
#define PRESENT_BITS_PER_ENTRY 8
#define PRESENT_MIN_BITS 12u /* log2 of the map's bits */
#define PRESENT_MAX_BITS 32u

static unsigned present_bits(uint64_t count)
{
    unsigned b = PRESENT_MIN_BITS;
    while (b < PRESENT_MAX_BITS &&
           (UINT64_C(1) << b) < count * PRESENT_BITS_PER_ENTRY)
        b++;
    return b;
}

static bool maybe_present(const struct lp_segment *seg, uint64_t hash)
{
    if (!seg->present)
        return true;
    uint64_t p = hash >> (64 - seg->pbits);
    return seg->present[p >> 6] >> (p & 63) & 1;
}

#define seterr(err, code, ...) lp_errf((err), LP_SEG_ERRLEN, (code), __VA_ARGS__)

uint32_t lp_seg_pack_lines(uint32_t first, uint32_t last)
{
    if (first > LP_MAX_LINES)
        first = LP_MAX_LINES;
    if (last > LP_MAX_LINES)
        last = LP_MAX_LINES;
    uint32_t span = last > first ? last - first : 0;
    if (span > 255)
        span = 255;
    return first | span << 24;
}

uint32_t lp_segment_bits(uint64_t count)
{
    uint32_t bits = LP_SEG_MIN_BITS;
    /* 2^(bits+3) >= count: at most 8 entries per bucket on average */
    while (bits < LP_SEG_MAX_BITS && (UINT64_C(1) << (bits + 3)) < count)
        bits++;
    return bits;
}

/* Order of entries: hash, blob, first line, then the span. */
static int rec_cmp(uint64_t ha, uint32_t ba, uint32_t la, uint64_t hb,
                   uint32_t bb, uint32_t lb)
{
    if (ha != hb)
        return ha < hb ? -1 : 1;
    if (ba != bb)
        return ba < bb ? -1 : 1;
    uint32_t fa = la & 0xffffffu, fb = lb & 0xffffffu;
    if (fa != fb)
        return fa < fb ? -1 : 1;
    if (la != lb)
        return la < lb ? -1 : 1;
    return 0;
}

/* ---- reading ------------------------------------------------------------ */

static lp_err check_header(const uint8_t *buf, size_t len, const char *name,
                           uint32_t *bits, uint64_t *count, char *err)
{
    if (len < LP_SEG_HEADER)
        return seterr(err, LP_ECORRUPT,
                      "'%s': truncated (%zu bytes, the header needs %u)",
                      name, len, LP_SEG_HEADER);
    if (memcmp(buf, LP_SEG_MAGIC, 8) != 0)
        return seterr(err, LP_ECORRUPT, "'%s': not a segment (bad magic)",
                      name);
    if (lp_hash64(buf, 56) != lp_get_u64le(buf + 56))
        return seterr(err, LP_ECORRUPT,
                      "'%s': checksum mismatch (segment is corrupt)", name);
    uint32_t version = lp_get_u32le(buf + 8);
    if (version != LP_SEG_VERSION)
        return seterr(err, LP_EUNSUPPORTED,
                      "'%s': segment format version %u is not supported",
                      name, version);
    *bits = lp_get_u32le(buf + 12);
    *count = lp_get_u64le(buf + 16);
    if (*bits < LP_SEG_MIN_BITS || *bits > LP_SEG_MAX_BITS ||
        *count > LP_SEG_MAX_ENTRIES)
        return seterr(err, LP_ECORRUPT, "'%s': bad header (segment is corrupt)",
                      name);
    /* both bounded above, so no overflow on 64-bit size_t */
    uint64_t want = LP_SEG_HEADER + 4 * ((UINT64_C(1) << *bits) + 1) +
                    LP_SEG_ENTRY * *count;
    if (want != len)
        return seterr(err, LP_ECORRUPT,
                      "'%s': size is %zu bytes, header says %llu (segment is "
                      "truncated or corrupt)",
                      name, len, (unsigned long long)want);
    if (lp_hash64_bulk(buf + LP_SEG_HEADER, len - LP_SEG_HEADER) !=
        lp_get_u64le(buf + 24))
        return seterr(err, LP_ECORRUPT,
                      "'%s': checksum mismatch (segment is corrupt)", name);
    return LP_OK;
}

/* Directory monotonic from 0 to count; entries sorted and in their bucket. */
static lp_err check_body(const struct lp_segment *s, const char *name,
                         char *err)
{
    size_t nb = (size_t)1 << s->bits;
    if (lp_get_u32le(s->dir) != 0 || lp_get_u32le(s->dir + 4 * nb) != s->count)
        return seterr(err, LP_ECORRUPT, "'%s': bad directory (segment is "
                      "corrupt)", name);
    uint32_t prev = 0;
    for (size_t b = 0; b <= nb; b++) {
        uint32_t v = lp_get_u32le(s->dir + 4 * b);
        if (v < prev)
            return seterr(err, LP_ECORRUPT, "'%s': bad directory (segment "
                          "is corrupt)", name);
        prev = v;
    }
    unsigned shift = 64 - s->bits, pshift = 64 - s->pbits;
    uint64_t last = 0; /* the hash of the entry before */
    for (size_t b = 0; b < nb; b++) {
        uint32_t lo = lp_get_u32le(s->dir + 4 * b);
        uint32_t hi = lp_get_u32le(s->dir + 4 * (b + 1));
        for (uint32_t i = lo; i < hi; i++) {
            const uint8_t *e = s->ents + (size_t)i * LP_SEG_ENTRY;
            uint64_t h = lp_get_u64le(e);
            if ((h >> shift) != b)
                return seterr(err, LP_ECORRUPT, "'%s': entry %u outside its "
                              "bucket (segment is corrupt)", name, i);
            if (s->present) {
                uint64_t p = h >> pshift;
                s->present[p >> 6] |= UINT64_C(1) << (p & 63);
            }
            /* Most entries have a greater hash than the one before: the
             * whole record is compared only when they tie. */
            if (i > 0 && (h < last ||
                          (h == last &&
                           rec_cmp(last, lp_get_u32le(e - 8),
                                   lp_get_u32le(e - 4), h, lp_get_u32le(e + 8),
                                   lp_get_u32le(e + 12)) >= 0)))
                return seterr(err, LP_ECORRUPT, "'%s': entries out of order "
                              "(segment is corrupt)", name);
            last = h;
        }
    }
    return LP_OK;
}

/* lp_segment_open_mem(), with or without the presence map. */
static lp_err open_mem(const uint8_t *buf, size_t len, const char *name,
                       bool map, struct lp_segment **out, char *err)
{
    uint32_t bits = 0;
    uint64_t count = 0;
    *out = NULL;
    lp_err e = check_header(buf, len, name, &bits, &count, err);
    if (e)
        return e;
    struct lp_segment *s = lp_calloc(1, sizeof *s);
    if (!s)
        return seterr(err, LP_ENOMEM, "'%s': out of memory", name);
    s->base = buf;
    s->size = len;
    s->bits = bits;
    s->count = count;
    s->dir = buf + LP_SEG_HEADER;
    s->ents = s->dir + 4 * (((size_t)1 << bits) + 1);
    s->pbits = present_bits(count);
    if (map)
        s->present = lp_calloc((size_t)1 << (s->pbits - 6), sizeof *s->present);
    e = check_body(s, name, err);
    if (e) {
        lp_free(s->present);
        lp_free(s);
        return e;
    }
    *out = s;
    return LP_OK;
}

lp_err lp_segment_open_mem(const uint8_t *buf, size_t len, const char *name,
                           struct lp_segment **out, char *err)
{
    return open_mem(buf, len, name, true, out, err);
}

lp_err lp_segment_open(const char *path, struct lp_segment **out, char *err)
{
    return lp_segment_open_flags(path, 0, out, err);
}

lp_err lp_segment_open_flags(const char *path, unsigned flags,
                             struct lp_segment **out, char *err)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return seterr(err, errno == ENOENT ? LP_ENOTFOUND : LP_EIO,
                      "'%s': %s", path, lp_errno_str(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int saved = errno;
        close(fd);
        return seterr(err, LP_EIO, "'%s': %s", path, strerror(saved));
    }
    if (st.st_size < (off_t)LP_SEG_HEADER) {
        close(fd);
        return seterr(err, LP_ECORRUPT,
                      "'%s': truncated (%lld bytes, the header needs %u)",
                      path, (long long)st.st_size, LP_SEG_HEADER);
    }
    size_t len = (size_t)st.st_size;
    /* MAP_POPULATE: the checksum reads every page at open anyway; mapping
     * them in one call is cheaper than a page fault each. */
    void *map = mmap(NULL, len, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
    int saved = errno;
    close(fd);
    if (map == MAP_FAILED)
        return seterr(err, saved == ENOMEM ? LP_ENOMEM : LP_EIO,
                      "'%s': mmap: %s", path, strerror(saved));
    lp_err e = open_mem(map, len, path, !(flags & LP_SEG_NO_PRESENCE), out,
                        err);
    if (e) {
        munmap(map, len);
        return e;
    }
    (*out)->map = map;
    (*out)->maplen = len;
    return LP_OK;
}

void lp_segment_close(struct lp_segment *seg)
{
    if (!seg)
        return;
    if (seg->map)
        munmap(seg->map, seg->maplen);
    lp_free(seg->present);
    lp_free(seg);
}

uint64_t lp_segment_count(const struct lp_segment *seg)
{
    return seg->count;
}

uint64_t lp_segment_bytes(const struct lp_segment *seg)
{
    return seg->size;
}

static void unpack(const uint8_t *e, struct lp_fp_entry *out)
{
    uint32_t lines = lp_get_u32le(e + 12);
    out->hash = lp_get_u64le(e);
    out->blob = lp_get_u32le(e + 8);
    out->first = lines & 0xffffffu;
    out->last = out->first + (lines >> 24);
}

void lp_segment_entry(const struct lp_segment *seg, uint64_t i,
                      struct lp_fp_entry *out)
{
    unpack(seg->ents + i * LP_SEG_ENTRY, out);
}

void lp_segment_prefetch(const struct lp_segment *seg, uint64_t hash,
                         int stage)
{
    size_t b = (size_t)(hash >> (64 - seg->bits));
    if (stage == 0) {
        if (seg->present)
            __builtin_prefetch(&seg->present[(hash >> (64 - seg->pbits)) >> 6]);
        else
            __builtin_prefetch(seg->dir + 4 * b);
        return;
    }
    /* An absent hash costs no more memory traffic. */
    if (!maybe_present(seg, hash))
        return;
    if (stage == 1) {
        __builtin_prefetch(seg->dir + 4 * b);
        return;
    }
    size_t lo = lp_get_u32le(seg->dir + 4 * b);
    if (lo < seg->count)
        __builtin_prefetch(seg->ents + lo * LP_SEG_ENTRY);
}

size_t lp_segment_lookup(const struct lp_segment *seg, uint64_t hash,
                         struct lp_fp_entry *out, size_t max)
{
    if (!maybe_present(seg, hash))
        return 0;
    size_t b = (size_t)(hash >> (64 - seg->bits));
    size_t lo = lp_get_u32le(seg->dir + 4 * b);
    size_t hi = lp_get_u32le(seg->dir + 4 * (b + 1));
    const uint8_t *ents = seg->ents;
    /* lower bound of hash in [lo, hi): binary search down to a short run */
    while (hi - lo > 16) {
        size_t mid = lo + (hi - lo) / 2;
        if (lp_get_u64le(ents + mid * LP_SEG_ENTRY) < hash)
            lo = mid + 1;
        else
            hi = mid;
    }
    hi = lp_get_u32le(seg->dir + 4 * (b + 1));
    while (lo < hi && lp_get_u64le(ents + lo * LP_SEG_ENTRY) < hash)
        lo++;
    size_t n = 0;
    while (lo + n < hi && lp_get_u64le(ents + (lo + n) * LP_SEG_ENTRY) == hash) {
        if (n < max)
            unpack(ents + (lo + n) * LP_SEG_ENTRY, &out[n]);
        n++;
    }
    return n;
}

/* ---- writing ------------------------------------------------------------ */

#define SEGW_BUF (1u << 20)

/* A segment being written: entries are appended in order; the directory
 * and the header are written at the end. */
struct segw {
    const char *path;
    char *tmp;
    char *dirpath; /* for the fsync after the rename */
    int fd;
    uint32_t bits;
    uint32_t *dir;  /* 2^bits + 1 */
    size_t next_bucket;
    uint64_t count;
    uint64_t off;   /* file offset of the next flush */
    uint8_t *buf;
    size_t blen;
    bool have_last;
    struct lp_seg_rec last;
    char *err;
};

static void segw_release(struct segw *w)
{
    if (w->fd >= 0) {
        close(w->fd);
        unlink(w->tmp);
    }
    lp_free(w->tmp);
    lp_free(w->dirpath);
    lp_free(w->dir);
    lp_free(w->buf);
}

static lp_err segw_init(struct segw *w, const char *path, uint64_t max,
                        char *err)
{
    memset(w, 0, sizeof *w);
    w->fd = -1;
    w->path = path;
    w->err = err;
    w->bits = lp_segment_bits(max);
    size_t plen = strlen(path);
    const char *slash = strrchr(path, '/');
    w->dirpath = slash ? lp_strndup(path, (size_t)(slash - path + 1))
                       : lp_strdup(".");
    w->tmp = lp_malloc(plen + 5);
    w->dir = lp_malloc((((size_t)1 << w->bits) + 1) * sizeof *w->dir);
    w->buf = lp_malloc(SEGW_BUF);
    if (!w->dirpath || !w->tmp || !w->dir || !w->buf)
        return seterr(err, LP_ENOMEM, "'%s': out of memory", path);
    memcpy(w->tmp, path, plen);
    memcpy(w->tmp + plen, ".tmp", 5);
    w->off = LP_SEG_HEADER + 4 * (((uint64_t)1 << w->bits) + 1);
    w->fd = open(w->tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (w->fd < 0)
        return seterr(err, LP_EIO, "'%s': %s", w->tmp, strerror(errno));
    return LP_OK;
}

static lp_err pwrite_all(int fd, const void *p, size_t n, uint64_t off,
                         const char *path, char *err)
{
    const uint8_t *b = p;
    while (n > 0) {
        ssize_t k = pwrite(fd, b, n, (off_t)off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return seterr(err, LP_EIO, "'%s': write: %s", path,
                          k < 0 ? strerror(errno) : "no progress");
        b += k;
        n -= (size_t)k;
        off += (uint64_t)k;
    }
    return LP_OK;
}

static lp_err segw_flush(struct segw *w)
{
    lp_err e = pwrite_all(w->fd, w->buf, w->blen, w->off, w->tmp, w->err);
    w->off += w->blen;
    w->blen = 0;
    return e;
}

/* Appends one entry; entries must come in order (exact repeats skipped). */
static lp_err segw_add(struct segw *w, const struct lp_seg_rec *r)
{
    if (w->have_last) {
        int c = rec_cmp(w->last.hash, w->last.blob, w->last.lines, r->hash,
                        r->blob, r->lines);
        if (c == 0)
            return LP_OK;
        if (c > 0)
            return seterr(w->err, LP_EINVAL, "'%s': entries out of order",
                          w->path);
    }
    if (w->count >= LP_SEG_MAX_ENTRIES)
        return seterr(w->err, LP_ELIMIT, "'%s': more than %u entries",
                      w->path, LP_SEG_MAX_ENTRIES);
    size_t b = (size_t)(r->hash >> (64 - w->bits));
    while (w->next_bucket <= b)
        w->dir[w->next_bucket++] = (uint32_t)w->count;
    if (w->blen + LP_SEG_ENTRY > SEGW_BUF) {
        lp_err e = segw_flush(w);
        if (e)
            return e;
    }
    uint8_t *p = w->buf + w->blen;
    lp_put_u64le(p, r->hash);
    lp_put_u32le(p + 8, r->blob);
    lp_put_u32le(p + 12, r->lines);
    w->blen += LP_SEG_ENTRY;
    w->count++;
    w->last = *r;
    w->have_last = true;
    return LP_OK;
}

static lp_err fsync_dir(const char *dir, char *err)
{
    lp_err e = LP_OK;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0)
        e = seterr(err, LP_EIO, "'%s': fsync: %s", dir, strerror(errno));
    if (fd >= 0)
        close(fd);
    return e;
}

/* Writes directory and header, checksums the body, fsyncs and renames. */
static lp_err segw_finish(struct segw *w)
{
    size_t nb = (size_t)1 << w->bits;
    while (w->next_bucket <= nb)
        w->dir[w->next_bucket++] = (uint32_t)w->count;
    lp_err e = segw_flush(w);
    if (e)
        return e;
    /* directory as little-endian bytes, in place */
    for (size_t i = 0; i <= nb; i++)
        lp_put_u32le((uint8_t *)&w->dir[i], w->dir[i]);
    e = pwrite_all(w->fd, w->dir, (nb + 1) * 4, LP_SEG_HEADER, w->tmp, w->err);
    if (e)
        return e;
    size_t total = (size_t)w->off;
    void *map = mmap(NULL, total, PROT_READ, MAP_SHARED, w->fd, 0);
    if (map == MAP_FAILED)
        return seterr(w->err, LP_EIO, "'%s': mmap: %s", w->tmp,
                      strerror(errno));
    uint64_t sum = lp_hash64_bulk((uint8_t *)map + LP_SEG_HEADER,
                             total - LP_SEG_HEADER);
    munmap(map, total);
    uint8_t h[LP_SEG_HEADER] = {0};
    memcpy(h, LP_SEG_MAGIC, 8);
    lp_put_u32le(h + 8, LP_SEG_VERSION);
    lp_put_u32le(h + 12, w->bits);
    lp_put_u64le(h + 16, w->count);
    lp_put_u64le(h + 24, sum);
    lp_put_u64le(h + 56, lp_hash64(h, 56));
    e = pwrite_all(w->fd, h, sizeof h, 0, w->tmp, w->err);
    if (e)
        return e;
    if (fsync(w->fd) != 0)
        return seterr(w->err, LP_EIO, "'%s': fsync: %s", w->tmp,
                      strerror(errno));
    if (rename(w->tmp, w->path) != 0)
        return seterr(w->err, LP_EIO, "'%s': rename: %s", w->path,
                      strerror(errno));
    close(w->fd);
    w->fd = -1;
    return fsync_dir(w->dirpath, w->err);
}

/* Stable LSD radix sort of recs by hash (16-bit digits), then ties put in
 * (blob, first) order; tmp has n elements. */
static int rec_qcmp(const void *a, const void *b)
{
    const struct lp_seg_rec *x = a, *y = b;
    return rec_cmp(x->hash, x->blob, x->lines, y->hash, y->blob, y->lines);
}

static void sort_recs(struct lp_seg_rec *recs, struct lp_seg_rec *tmp,
                      size_t n, size_t *cnt)
{
    struct lp_seg_rec *src = recs, *dst = tmp;
    for (unsigned shift = 0; shift < 64; shift += 16) {
        memset(cnt, 0, 65536 * sizeof *cnt);
        for (size_t i = 0; i < n; i++)
            cnt[(src[i].hash >> shift) & 0xffff]++;
        if (cnt[(src[0].hash >> shift) & 0xffff] == n)
            continue; /* one digit value: pass would not move anything */
        size_t sum = 0;
        for (size_t d = 0; d < 65536; d++) {
            size_t c = cnt[d];
            cnt[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[cnt[(src[i].hash >> shift) & 0xffff]++] = src[i];
        struct lp_seg_rec *t = src;
        src = dst;
        dst = t;
    }
    if (src != recs)
        memcpy(recs, src, n * sizeof *recs);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        bool sorted = true;
        while (j < n && recs[j].hash == recs[i].hash) {
            if (rec_qcmp(&recs[j - 1], &recs[j]) > 0)
                sorted = false;
            j++;
        }
        if (!sorted)
            lp_sort(recs + i, j - i, sizeof *recs, rec_qcmp);
        i = j;
    }
}

lp_err lp_segment_write(const char *path, struct lp_seg_rec *recs, size_t n,
                        char *err)
{
    struct segw w;
    struct lp_seg_rec *tmp = NULL;
    size_t *cnt = NULL;
    lp_err e;
    if (n > LP_SEG_MAX_ENTRIES)
        return seterr(err, LP_ELIMIT, "'%s': more than %u entries", path,
                      LP_SEG_MAX_ENTRIES);
    e = segw_init(&w, path, n, err);
    if (e)
        goto out;
    if (n > 1) {
        tmp = lp_reallocarray(NULL, n, sizeof *tmp);
        cnt = lp_reallocarray(NULL, 65536, sizeof *cnt);
        if (!tmp || !cnt) {
            e = seterr(err, LP_ENOMEM, "'%s': out of memory", path);
            goto out;
        }
        sort_recs(recs, tmp, n, cnt);
    }
    for (size_t i = 0; i < n; i++) {
        e = segw_add(&w, &recs[i]);
        if (e)
            goto out;
    }
    e = segw_finish(&w);
out:
    lp_free(tmp);
    lp_free(cnt);
    segw_release(&w);
    return e;
}

static void rec_at(const struct lp_segment *s, uint64_t i,
                   struct lp_seg_rec *r)
{
    const uint8_t *e = s->ents + i * LP_SEG_ENTRY;
    r->hash = lp_get_u64le(e);
    r->blob = lp_get_u32le(e + 8);
    r->lines = lp_get_u32le(e + 12);
}

lp_err lp_segment_merge(const char *path, struct lp_segment *const *segs,
                        size_t nsegs, char *err)
{
    struct segw w;
    uint64_t *pos = NULL;
    uint64_t total = 0;
    lp_err e;
    for (size_t i = 0; i < nsegs; i++)
        total += segs[i]->count;
    if (total > LP_SEG_MAX_ENTRIES)
        return seterr(err, LP_ELIMIT, "'%s': more than %u entries", path,
                      LP_SEG_MAX_ENTRIES);
    e = segw_init(&w, path, total, err);
    if (e)
        goto out;
    pos = lp_calloc(nsegs ? nsegs : 1, sizeof *pos);
    if (!pos) {
        e = seterr(err, LP_ENOMEM, "'%s': out of memory", path);
        goto out;
    }
    /* k is small (about LP_MERGE_SEGMENTS): a linear pick of the least
     * head beats a heap */
    for (;;) {
        size_t best = nsegs;
        struct lp_seg_rec r, br = {0};
        for (size_t i = 0; i < nsegs; i++) {
            if (pos[i] >= segs[i]->count)
                continue;
            rec_at(segs[i], pos[i], &r);
            if (best == nsegs || rec_cmp(r.hash, r.blob, r.lines, br.hash,
                                         br.blob, br.lines) < 0) {
                best = i;
                br = r;
            }
        }
        if (best == nsegs)
            break;
        pos[best]++;
        e = segw_add(&w, &br);
        if (e)
            goto out;
    }
    e = segw_finish(&w);
out:
    lp_free(pos);
    segw_release(&w);
    return e;
}
