/* SPDX-License-Identifier: Apache-2.0
 *
 * walk_decode: gzip, xz/lzma, zstd, bzip2 and lz4 streams through zlib,
 * liblzma, libzstd, libbz2 and liblz4 (see walk_decode.h). The input is a
 * window (memory, or a block of the file refilled as it is consumed); each
 * codec's step consumes from it and fills the caller's buffer.
 */
#include "walk_decode.h"

#include <bzlib.h>
#include <errno.h>
#include <fcntl.h>
#include <lz4frame.h>
#include <lzma.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "mem.h"
#include "banned.h"

/* Block read from a file at a time. */
#define LP_DECODE_BLOCK (1u << 20)

/* Memory liblzma may use: xz -9 needs 65 MB; a header asking for more is
 * hostile or from a tool we need not read. */
#define LP_DECODE_XZ_MEMLIMIT (256ull << 20)

/* Largest count zlib and libbz2 take at once (their counts are unsigned). */
#define LP_DECODE_UMAX (~0u)

enum step { STEP_MORE, STEP_END, STEP_ERR, STEP_NOMEM };

struct lp_decode {
    enum lp_codec codec;
    const unsigned char *in; /* window of input not yet consumed */
    size_t avail;
    int fd;             /* -1: the input is all in memory */
    unsigned char *blk; /* the file's current block */
    bool src_end;       /* no input beyond the window */
    bool between;       /* after a whole stream, before another or the end */
    bool done;
    bool inited;
    uint64_t total_in, total_out;
    enum lp_decode_state state;
    char why[160];
    union {
        z_stream z;
        lzma_stream x;
        ZSTD_DStream *zs;
        bz_stream b;
        LZ4F_dctx *l;
    } u;
};

enum lp_codec lp_codec_detect(const unsigned char *b, size_t len)
{
    if (len >= 2 && b[0] == 0x1f && b[1] == 0x8b)
        return LP_CODEC_GZIP;
    if (len >= 6 && memcmp(b, "\xfd" "7zXZ\0", 6) == 0)
        return LP_CODEC_XZ;
    /* LZMA alone: properties byte 0x5d, then a dictionary size; its
     * uncompressed size is known (< 2^56) or unknown (all ones). */
    if (len >= 13 && memcmp(b, "\x5d\0\0", 3) == 0 &&
        (b[12] == 0 || b[12] == 0xff))
        return LP_CODEC_XZ;
    if (len >= 4 && memcmp(b, "\x28\xb5\x2f\xfd", 4) == 0)
        return LP_CODEC_ZSTD;
    if (len >= 4 && memcmp(b, "BZh", 3) == 0 && b[3] >= '1' && b[3] <= '9')
        return LP_CODEC_BZIP2;
    if (len >= 4 && memcmp(b, "\x04\x22\x4d\x18", 4) == 0)
        return LP_CODEC_LZ4;
    return LP_CODEC_NONE;
}

const char *lp_codec_name(enum lp_codec c)
{
    switch (c) {
    case LP_CODEC_GZIP: return "gzip";
    case LP_CODEC_XZ: return "xz";
    case LP_CODEC_ZSTD: return "zstd";
    case LP_CODEC_BZIP2: return "bzip2";
    case LP_CODEC_LZ4: return "lz4";
    default: return "none";
    }
}

static void fail(struct lp_decode *d, enum lp_decode_state st,
                 const char *what, const char *detail)
{
    d->state = st;
    d->done = true;
    snprintf(d->why, sizeof d->why, "%s stream %s%s%s", lp_codec_name(d->codec),
             what, detail ? ": " : "", detail ? detail : "");
}

/* Sets up (again, for the next stream of a concatenation) the codec. */
static enum step codec_init(struct lp_decode *d)
{
    switch (d->codec) {
    case LP_CODEC_GZIP:
        if (d->inited)
            return inflateReset(&d->u.z) == Z_OK ? STEP_MORE : STEP_NOMEM;
        memset(&d->u.z, 0, sizeof d->u.z);
        if (inflateInit2(&d->u.z, 16 + MAX_WBITS) != Z_OK)
            return STEP_NOMEM;
        break;
    case LP_CODEC_XZ:
        d->u.x = (lzma_stream)LZMA_STREAM_INIT;
        if (lzma_auto_decoder(&d->u.x, LP_DECODE_XZ_MEMLIMIT,
                              LZMA_CONCATENATED) != LZMA_OK)
            return STEP_NOMEM;
        break;
    case LP_CODEC_ZSTD:
        if (d->inited)
            return STEP_MORE; /* the next frame follows in the same context */
        d->u.zs = ZSTD_createDStream();
        if (!d->u.zs || ZSTD_isError(ZSTD_initDStream(d->u.zs)))
            return STEP_NOMEM;
        break;
    case LP_CODEC_BZIP2:
        if (d->inited)
            BZ2_bzDecompressEnd(&d->u.b);
        memset(&d->u.b, 0, sizeof d->u.b);
        d->inited = false;
        if (BZ2_bzDecompressInit(&d->u.b, 0, 0) != BZ_OK)
            return STEP_NOMEM;
        break;
    case LP_CODEC_LZ4:
        if (d->inited)
            return STEP_MORE;
        if (LZ4F_isError(
                LZ4F_createDecompressionContext(&d->u.l, LZ4F_VERSION)))
            return STEP_NOMEM;
        break;
    default:
        return STEP_ERR;
    }
    d->inited = true;
    return STEP_MORE;
}

static void codec_end(struct lp_decode *d)
{
    if (!d->inited)
        return;
    switch (d->codec) {
    case LP_CODEC_GZIP: inflateEnd(&d->u.z); break;
    case LP_CODEC_XZ: lzma_end(&d->u.x); break;
    case LP_CODEC_ZSTD: ZSTD_freeDStream(d->u.zs); break;
    case LP_CODEC_BZIP2: BZ2_bzDecompressEnd(&d->u.b); break;
    case LP_CODEC_LZ4: LZ4F_freeDecompressionContext(d->u.l); break;
    default: break;
    }
    d->inited = false;
}

lp_err lp_decode_new(enum lp_codec c, const char *buf, size_t len,
                     const char *fspath, struct lp_decode **out)
{
    *out = NULL;
    if (c == LP_CODEC_NONE || c > LP_CODEC_LZ4)
        return LP_EINVAL;
    struct lp_decode *d = lp_calloc(1, sizeof *d);
    if (!d)
        return LP_ENOMEM;
    d->codec = c;
    d->fd = -1;
    if (fspath) {
        d->blk = lp_malloc(LP_DECODE_BLOCK);
        if (!d->blk) {
            lp_free(d);
            return LP_ENOMEM;
        }
        d->fd = open(fspath, O_RDONLY | O_CLOEXEC);
        if (d->fd < 0) {
            lp_decode_free(d);
            return LP_EIO;
        }
    } else {
        d->in = (const unsigned char *)buf;
        d->avail = len;
        d->src_end = true;
    }
    if (codec_init(d) != STEP_MORE) {
        lp_decode_free(d);
        return LP_ENOMEM;
    }
    *out = d;
    return LP_OK;
}

void lp_decode_free(struct lp_decode *d)
{
    if (!d)
        return;
    codec_end(d);
    if (d->fd >= 0)
        close(d->fd);
    lp_free(d->blk);
    lp_free(d);
}

/* Moves what is left of the file's block to its start and reads more
 * after it (until the block is full or the file ends). */
static lp_err refill(struct lp_decode *d)
{
    if (d->src_end)
        return LP_OK;
    if (d->avail && d->in != d->blk)
        memmove(d->blk, d->in, d->avail);
    d->in = d->blk;
    while (d->avail < LP_DECODE_BLOCK) {
        ssize_t r = read(d->fd, d->blk + d->avail, LP_DECODE_BLOCK - d->avail);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            fail(d, LP_DECODE_DAMAGED, "cannot be read", strerror(errno));
            return LP_EIO;
        }
        if (r == 0) {
            d->src_end = true;
            break;
        }
        d->avail += (size_t)r;
    }
    return LP_OK;
}

static void consume(struct lp_decode *d, size_t n)
{
    d->in += n;
    d->avail -= n;
    d->total_in += n;
}

/* One call of the codec on the window: *used input bytes, *made output.
 * Over 80 lines: a table of the five codecs, one case each. */
static enum step codec_step(struct lp_decode *d, unsigned char *out,
                            size_t cap, size_t *used, size_t *made)
{
    size_t in = d->avail;
    *used = *made = 0;
    switch (d->codec) {
    case LP_CODEC_GZIP: {
        z_stream *z = &d->u.z;
        uInt ia = in > LP_DECODE_UMAX ? LP_DECODE_UMAX : (uInt)in;
        uInt oa = cap > LP_DECODE_UMAX ? LP_DECODE_UMAX : (uInt)cap;
        z->next_in = (Bytef *)(uintptr_t)d->in;
        z->avail_in = ia;
        z->next_out = out;
        z->avail_out = oa;
        int r = inflate(z, Z_NO_FLUSH);
        *used = ia - z->avail_in;
        *made = oa - z->avail_out;
        if (r == Z_STREAM_END)
            return STEP_END;
        if (r == Z_MEM_ERROR)
            return STEP_NOMEM;
        if (r == Z_OK || r == Z_BUF_ERROR)
            return STEP_MORE;
        fail(d, LP_DECODE_DAMAGED, "damaged", z->msg ? z->msg : "bad data");
        return STEP_ERR;
    }
    case LP_CODEC_XZ: {
        lzma_stream *x = &d->u.x;
        x->next_in = d->in;
        x->avail_in = in;
        x->next_out = out;
        x->avail_out = cap;
        lzma_ret r = lzma_code(x, d->src_end ? LZMA_FINISH : LZMA_RUN);
        *used = in - x->avail_in;
        *made = cap - x->avail_out;
        if (r == LZMA_STREAM_END)
            return STEP_END;
        if (r == LZMA_OK)
            return STEP_MORE;
        if (r == LZMA_BUF_ERROR) { /* no progress possible: input ended */
            fail(d, LP_DECODE_TRUNCATED, "truncated", NULL);
            return STEP_ERR;
        }
        if (r == LZMA_MEM_ERROR)
            return STEP_NOMEM;
        fail(d, LP_DECODE_DAMAGED, "damaged",
             r == LZMA_MEMLIMIT_ERROR ? "needs more than 256 MB to decode"
                                      : "bad data");
        return STEP_ERR;
    }
    case LP_CODEC_ZSTD: {
        ZSTD_inBuffer ib = {d->in, in, 0};
        ZSTD_outBuffer ob = {out, cap, 0};
        size_t r = ZSTD_decompressStream(d->u.zs, &ob, &ib);
        *used = ib.pos;
        *made = ob.pos;
        if (ZSTD_isError(r)) {
            fail(d, LP_DECODE_DAMAGED, "damaged", ZSTD_getErrorName(r));
            return STEP_ERR;
        }
        return r == 0 ? STEP_END : STEP_MORE;
    }
    case LP_CODEC_BZIP2: {
        bz_stream *b = &d->u.b;
        unsigned ia = in > LP_DECODE_UMAX ? LP_DECODE_UMAX : (unsigned)in;
        unsigned oa = cap > LP_DECODE_UMAX ? LP_DECODE_UMAX : (unsigned)cap;
        b->next_in = (char *)(uintptr_t)d->in;
        b->avail_in = ia;
        b->next_out = (char *)out;
        b->avail_out = oa;
        int r = BZ2_bzDecompress(b);
        *used = ia - b->avail_in;
        *made = oa - b->avail_out;
        if (r == BZ_STREAM_END)
            return STEP_END;
        if (r == BZ_OK)
            return STEP_MORE;
        if (r == BZ_MEM_ERROR)
            return STEP_NOMEM;
        fail(d, LP_DECODE_DAMAGED, "damaged", "bad data");
        return STEP_ERR;
    }
    case LP_CODEC_LZ4: {
        size_t src = in, dst = cap;
        size_t r = LZ4F_decompress(d->u.l, out, &dst, d->in, &src, NULL);
        *used = src;
        *made = dst;
        if (LZ4F_isError(r)) {
            fail(d, LP_DECODE_DAMAGED, "damaged", LZ4F_getErrorName(r));
            return STEP_ERR;
        }
        return r == 0 ? STEP_END : STEP_MORE;
    }
    default:
        return STEP_ERR;
    }
}

/* After a whole stream: another one of the same codec follows (set up for
 * it), or zeros (padding) up to the end, or anything else, which is said
 * as damage. Returns false when the input ends here. */
static bool next_stream(struct lp_decode *d, enum step *st)
{
    *st = STEP_MORE;
    for (;;) {
        if (d->avail < 16 && refill(d)) {
            *st = STEP_ERR;
            return false;
        }
        if (!d->avail) {
            d->done = true;
            return false;
        }
        if (d->in[0] != 0)
            break;
        size_t z = 0;
        while (z < d->avail && d->in[z] == 0)
            z++;
        consume(d, z);
    }
    if (lp_codec_detect(d->in, d->avail) != d->codec ||
        d->codec == LP_CODEC_XZ) { /* liblzma reads its concatenations */
        fail(d, LP_DECODE_DAMAGED, "followed by data that is not read",
             NULL);
        return false;
    }
    d->between = false;
    *st = codec_init(d);
    return *st == STEP_MORE;
}

lp_err lp_decode_read(struct lp_decode *d, unsigned char *out, size_t cap,
                      size_t *n)
{
    *n = 0;
    int idle = 0; /* calls in a row without progress */
    while (!d->done && *n == 0 && cap) {
        if (d->avail < 16 && refill(d))
            return LP_EIO;
        enum step st = STEP_MORE;
        if (d->between) {
            next_stream(d, &st);
            if (st == STEP_NOMEM)
                return LP_ENOMEM;
            if (st == STEP_ERR)
                return LP_EIO;
            continue;
        }
        size_t used, made;
        st = codec_step(d, out, cap, &used, &made);
        consume(d, used);
        d->total_out += made;
        *n = made;
        if (st == STEP_NOMEM)
            return LP_ENOMEM;
        if (st == STEP_END && d->codec == LP_CODEC_XZ)
            d->done = true; /* liblzma read the concatenation to its end */
        else if (st == STEP_END)
            d->between = true;
        if (st != STEP_MORE || used || made)
            idle = 0;
        else if (!d->avail && d->src_end)
            fail(d, LP_DECODE_TRUNCATED, "truncated", NULL);
        else if (++idle > 2) /* a decoder that neither reads nor writes */
            fail(d, LP_DECODE_DAMAGED, "damaged", "no progress");
    }
    return LP_OK;
}

uint64_t lp_decode_in(const struct lp_decode *d)
{
    return d->total_in;
}

uint64_t lp_decode_out(const struct lp_decode *d)
{
    return d->total_out;
}

enum lp_decode_state lp_decode_status(const struct lp_decode *d,
                                      const char **why)
{
    if (why)
        *why = d->state == LP_DECODE_OK ? NULL : d->why;
    return d->state;
}
