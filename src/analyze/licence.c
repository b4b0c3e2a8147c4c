/* SPDX-License-Identifier: Apache-2.0
 *
 * licence: lookups in the built-in licence background (see the header).
 * The table is read-only data: a search is a binary search, done only for
 * fingerprints the registry holds (few per file), so it costs nothing
 * measurable in a scan.
 */
#include "licence.h"

#include <string.h>

#include "banned.h"

unsigned lp_licence_lookup(uint64_t h)
{
    size_t lo = 0, hi = lp_licence_nhashes;
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
