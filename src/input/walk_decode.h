/* SPDX-License-Identifier: Apache-2.0
 *
 * walk_decode: the outermost compression of a stream (gzip, xz and lzma,
 * zstd, bzip2, lz4), decoded here rather than by libarchive's filters so
 * that the walk sees every byte before a cut (libarchive drops the output
 * of its last partial block when the input ends early) and counts every
 * byte it decompresses, skipped members included.
 *
 * A decoder reads from memory or from a file, in order, once. Concatenated
 * streams (gzip members, xz streams, zstd and lz4 frames, bzip2 streams)
 * are one stream, as the command-line tools read them. Where the input ends
 * inside a stream, or the data is damaged, the output stops there and
 * lp_decode_status() says why; bytes after the end of the last stream other
 * than zeros are damage too (they would not be read).
 */
#ifndef LP_WALK_DECODE_H
#define LP_WALK_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "leakprint.h"

enum lp_codec {
    LP_CODEC_NONE,
    LP_CODEC_GZIP,
    LP_CODEC_XZ, /* .xz and .lzma (LZMA alone) */
    LP_CODEC_ZSTD,
    LP_CODEC_BZIP2,
    LP_CODEC_LZ4, /* the frame format */
};

/* The compression buf[0..len) starts with, by its magic number. */
enum lp_codec lp_codec_detect(const unsigned char *buf, size_t len);

/* "gzip", "xz", ...; static. */
const char *lp_codec_name(enum lp_codec c);

enum lp_decode_state {
    LP_DECODE_OK,        /* no problem so far; at the end, a whole stream */
    LP_DECODE_TRUNCATED, /* the input ended inside the stream */
    LP_DECODE_DAMAGED,   /* the decoder refused the data */
};

struct lp_decode;

/* A decoder of codec c (not LP_CODEC_NONE) over buf[0..len), or, when
 * fspath is not NULL, over the file fspath (buf is then ignored). The
 * caller frees *out with lp_decode_free(). LP_ENOMEM, LP_EIO (the file
 * cannot be opened), LP_EINVAL (no such codec). */
lp_err lp_decode_new(enum lp_codec c, const char *buf, size_t len,
                     const char *fspath, struct lp_decode **out);
void lp_decode_free(struct lp_decode *d);

/* Up to cap decompressed bytes into out, *n of them; *n is 0 at the end
 * of the stream, and from then on (see lp_decode_status() for why it
 * ended). LP_ENOMEM; LP_EIO when the file cannot be read (the status is
 * then DAMAGED too). */
lp_err lp_decode_read(struct lp_decode *d, unsigned char *out, size_t cap,
                      size_t *n);

/* Compressed bytes consumed so far (those behind the output given). */
uint64_t lp_decode_in(const struct lp_decode *d);

/* Decompressed bytes given so far. */
uint64_t lp_decode_out(const struct lp_decode *d);

/* How the stream stands; *why (may be NULL) a short lower-case reason for
 * TRUNCATED or DAMAGED, borrowed until lp_decode_free(). */
enum lp_decode_state lp_decode_status(const struct lp_decode *d,
                                      const char **why);

#endif
