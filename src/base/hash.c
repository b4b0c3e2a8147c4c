/* SPDX-License-Identifier: Apache-2.0
 *
 * hash: XXH3 and SHA-256 wrappers (see hash.h).
 */
#include "hash.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
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

/* OpenSSL 3 looks the implementation of EVP_sha256() or EVP_sha1() up
 * again at every digest (about 2,600 instructions, more than hashing a
 * small file): each is fetched once, and kept for the life of the
 * process. */
static pthread_once_t digests_once = PTHREAD_ONCE_INIT;
static EVP_MD *sha256_md, *sha1_md;

static void fetch_digests(void)
{
    sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
    sha1_md = EVP_MD_fetch(NULL, "SHA1", NULL);
}

lp_err lp_sha256(const void *p, size_t n, uint8_t out[LP_SHA256_LEN])
{
    unsigned int len = LP_SHA256_LEN;
    pthread_once(&digests_once, fetch_digests);
    const EVP_MD *md = sha256_md ? sha256_md : EVP_sha256();
    if (!EVP_Digest(p, n, out, &len, md, NULL))
        return LP_ENOMEM;
    return LP_OK;
}

lp_err lp_git_blob_id(const void *p, size_t n, uint8_t out[LP_GIT_ID_LEN])
{
    char head[32];
    unsigned int len = LP_GIT_ID_LEN;
    int hn = snprintf(head, sizeof head, "blob %zu", n);
    pthread_once(&digests_once, fetch_digests);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    /* the header's NUL is part of what git hashes */
    bool ok = ctx && hn > 0 &&
              EVP_DigestInit_ex(ctx, sha1_md ? sha1_md : EVP_sha1(), NULL) &&
              EVP_DigestUpdate(ctx, head, (size_t)hn + 1) &&
              EVP_DigestUpdate(ctx, p, n) && EVP_DigestFinal_ex(ctx, out, &len);
    EVP_MD_CTX_free(ctx);
    return ok ? LP_OK : LP_ENOMEM;
}

int lp_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
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
