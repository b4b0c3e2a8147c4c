/* SPDX-License-Identifier: Apache-2.0
 *
 * hash: the two hashes of the pipeline. XXH3-64 (libxxhash) names tokens and
 * checks segments; SHA-256 (OpenSSL libcrypto) addresses blobs. Little-endian
 * readers and writers for on-disk integers live here too: on-disk bytes are
 * never read through a struct cast.
 */
#ifndef LP_HASH_H
#define LP_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "leakprint.h"

#define LP_SHA256_LEN 32

/* xxHash is inlined where it is used: most calls hash tokens of a few bytes,
 * for which the call itself would cost as much as the hash. */
#ifndef XXH_INLINE_ALL
#define XXH_INLINE_ALL
#endif
#include <xxhash.h>

/* 64-bit hash of n bytes (XXH3, seed 0). */
static inline uint64_t lp_hash64(const void *p, size_t n)
{
    return XXH3_64bits(p, n);
}

/* lp_hash64() of a large buffer (a whole segment): the same value, computed
 * with the widest vector unit of this CPU (xxHash's run-time dispatch: AVX2
 * or AVX-512 where the inlined code is built for SSE2 only). */
uint64_t lp_hash64_bulk(const void *p, size_t n);

/* 64-bit hash of n bytes with a seed. */
uint64_t lp_hash64_seed(const void *p, size_t n, uint64_t seed);

/* SHA-256 of n bytes into out[32]. LP_ENOMEM if libcrypto cannot allocate. */
lp_err lp_sha256(const void *p, size_t n, uint8_t out[LP_SHA256_LEN]);

#define LP_GIT_ID_LEN 20

/* Git's blob id of n bytes (SHA-1 of "blob N\0" and the bytes), what
 * `git hash-object`, `git ls-tree` and `git ls-files -s` show, into
 * out[20]. LP_ENOMEM if libcrypto cannot allocate. */
lp_err lp_git_blob_id(const void *p, size_t n, uint8_t out[LP_GIT_ID_LEN]);

/* Lower-case hex of n bytes into out (2n+1 bytes, NUL-terminated). */
void lp_hex(const uint8_t *p, size_t n, char *out);

/* The value (0-15) of the hex digit c, either case; -1 when c is none. */
int lp_hex_digit(int c);

static inline uint16_t lp_get_u16le(const uint8_t *p)
{
    return (uint16_t)(p[0] | (unsigned)p[1] << 8);
}

static inline uint32_t lp_get_u32le(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static inline uint64_t lp_get_u64le(const uint8_t *p)
{
    return (uint64_t)lp_get_u32le(p) | (uint64_t)lp_get_u32le(p + 4) << 32;
}

static inline void lp_put_u16le(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void lp_put_u32le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline void lp_put_u64le(uint8_t *p, uint64_t v)
{
    lp_put_u32le(p, (uint32_t)v);
    lp_put_u32le(p + 4, (uint32_t)(v >> 32));
}

#endif
