/* SPDX-License-Identifier: Apache-2.0
 *
 * tlsh_wrap: the one C++ file of leakprint. It hides libtlsh's class Tlsh
 * behind two extern "C" functions that src/analyze/binary.c calls (their only
 * caller, which also declares them and checks every argument first). No
 * exception may cross into C: each body catches everything, and
 * std::bad_alloc becomes a return code. A Tlsh object lives on the stack
 * of one call, so concurrent calls share nothing (libtlsh's only writable
 * static is the buffer of Tlsh::version(), which is never called). This file cannot include
 * include/leakprint.h (the C++ rule has no -Iinclude), hence plain ints.
 */
#include <cstddef>
#include <cstring>
#include <new>

#include <tlsh.h>

/* Return codes of lp_tlsh_raw_digest(), mapped to lp_err by binary.c. */
enum { RAW_OK = 0, RAW_NODIGEST = 1, RAW_NOMEM = 2 };

/* libtlsh 3.4.4 digest length (its TLSH_STRING_LEN depends on build macros
 * we do not see, so the length is checked on the result instead). */
static const size_t DIGEST_LEN = 70;

/* Tlsh::update takes an unsigned int length: feed at most this per call. */
static const size_t CHUNK = 1u << 30;

extern "C" int lp_tlsh_raw_digest(const unsigned char *buf, size_t len,
                                  char *out, size_t outlen) noexcept;
extern "C" int lp_tlsh_raw_diff(const char *a, const char *b) noexcept;

/* Digest of buf[0..len) into out (outlen > DIGEST_LEN bytes). */
extern "C" int lp_tlsh_raw_digest(const unsigned char *buf, size_t len,
                                  char *out, size_t outlen) noexcept
{
    if (outlen <= DIGEST_LEN)
        return RAW_NODIGEST;
    out[0] = '\0';
    try {
        Tlsh t;
        while (len > 0) {
            size_t n = len < CHUNK ? len : CHUNK;
            t.update(buf, static_cast<unsigned int>(n));
            buf += n;
            len -= n;
        }
        t.final();
        /* Larger than any digest libtlsh can make, whatever its build. */
        char tmp[160];
        const char *h = t.getHash(tmp, sizeof tmp);
        // An empty string is libtlsh's "no digest" (too short, too uniform).
        if (!h || std::strlen(h) != DIGEST_LEN)
            return RAW_NODIGEST;
        std::memcpy(out, h, DIGEST_LEN + 1);
        return RAW_OK;
    } catch (const std::bad_alloc &) {
        return RAW_NOMEM;
    } catch (...) {
        return RAW_NODIGEST;
    }
}

/* Distance of two digests already checked to be DIGEST_LEN upper-case hex
 * digits; -1 if libtlsh refuses one anyway or anything throws. */
extern "C" int lp_tlsh_raw_diff(const char *a, const char *b) noexcept
{
    try {
        Tlsh ta, tb;
        if (ta.fromTlshStr(a) != 0 || tb.fromTlshStr(b) != 0)
            return -1;
        int d = ta.totalDiff(&tb, true);
        return d < 0 ? -1 : d;
    } catch (...) {
        return -1;
    }
}
