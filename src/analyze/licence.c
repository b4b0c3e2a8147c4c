/* SPDX-License-Identifier: Apache-2.0
 *
 * licence: lookups in the built-in licence background (see the header).
 * The table is read-only data; a search reads the bucket of the hash's top
 * bits, then binary-searches its few hashes.
 */
#include "licence.h"

#include <string.h>

#include "banned.h"

unsigned lp_licence_lookup(uint64_t h)
{
    size_t bit = (size_t)(h >> (64 - LP_LICENCE_BITS_LOG));
    if (!(lp_licence_bits[bit / 64] >> (bit % 64) & 1))
        return 0;
    size_t b = (size_t)(h >> (64 - LP_LICENCE_BUCKET_BITS));
    size_t lo = lp_licence_index[b], hi = lp_licence_index[b + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (lp_licence_hashes[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < lp_licence_nhashes && lp_licence_hashes[lo] == h)
        return (unsigned)lp_licence_of[lo] + 1;
    return 0;
}

const char *lp_licence_name(unsigned id)
{
    return id && id <= lp_licence_nnames ? lp_licence_names[id - 1] : NULL;
}

unsigned lp_licence_find(const char *name, size_t len)
{
    for (size_t i = 0; i < lp_licence_nnames; i++)
        if (strlen(lp_licence_names[i]) == len &&
            memcmp(lp_licence_names[i], name, len) == 0)
            return (unsigned)i + 1;
    return 0;
}
