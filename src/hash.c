/* SPDX-License-Identifier: Apache-2.0
 *
 * hash: XXH3 and SHA-256 wrappers (see hash.h).
 */
#include "hash.h"

#include <openssl/evp.h>
#if defined(__x86_64__) || defined(__i386__)
/* libxxhash's run-time dispatched XXH3 (xxh_x86dispatch.h), declared here:
 * that header cannot be included next to the inlined xxhash.h, which makes
 * its declarations static. */
XXH64_hash_t XXH3_64bits_dispatch(const void *input, size_t len);
#endif

#include "banned.h"

uint64_t lp_hash64_seed(const void *p, size_t n, uint64_t seed)
{
    return XXH3_64bits_withSeed(p, n, seed);
}

uint64_t lp_hash64_bulk(const void *p, size_t n)
{
#if defined(__x86_64__) || defined(__i386__)
    return XXH3_64bits_dispatch(p, n);
#else
    return XXH3_64bits(p, n);
#endif
}

lp_err lp_sha256(const void *p, size_t n, uint8_t out[LP_SHA256_LEN])
{
    unsigned int len = LP_SHA256_LEN;
    if (!EVP_Digest(p, n, out, &len, EVP_sha256(), NULL))
        return LP_ENOMEM;
    return LP_OK;
}

void lp_hex(const uint8_t *p, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * n] = '\0';
}
