/* SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_segment: hostile bytes through the segment validator
 * (lp_segment_open_mem), which lp_segment_open runs on every mapped file.
 * Each input is tried twice: as is, and with its header and body checksums
 * recomputed, so that mutations reach the structural checks behind the
 * checksums. A segment that validates must answer lookups of its own
 * entries, and never read out of bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "segment.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void try_segment(const uint8_t *buf, size_t size)
{
    char err[LP_SEG_ERRLEN];
    struct lp_segment *seg = NULL;
    if (lp_segment_open_mem(buf, size, "fuzz", &seg, err) != LP_OK) {
        if (seg)
            abort(); /* failure must leave *out NULL */
        return;
    }
    uint64_t n = lp_segment_count(seg);
    struct lp_fp_entry out[4];
    for (uint64_t i = 0; i < n && i < 256; i++) {
        struct lp_fp_entry e;
        lp_segment_entry(seg, i, &e);
        if (lp_segment_lookup(seg, e.hash, out, 4) == 0)
            abort(); /* a validated entry must be found */
        lp_segment_lookup(seg, ~e.hash, out, 4);
        lp_segment_lookup(seg, e.hash + 1, out, 0);
    }
    lp_segment_lookup(seg, 0, out, 4);
    lp_segment_lookup(seg, UINT64_MAX, out, 4);
    lp_segment_close(seg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    try_segment(data, size);
    if (size < LP_SEG_HEADER)
        return 0;
    uint8_t *copy = malloc(size);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    lp_put_u64le(copy + 24,
                 lp_hash64(copy + LP_SEG_HEADER, size - LP_SEG_HEADER));
    lp_put_u64le(copy + 56, lp_hash64(copy, 56));
    try_segment(copy, size);
    free(copy);
    return 0;
}
