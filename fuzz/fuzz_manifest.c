/* SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_manifest: hostile bytes through the manifest parser. Each input is
 * tried as it is and again with its trailing checksum recomputed, so that
 * mutations reach the structure checks behind the checksum. A manifest that
 * parses must name only segment names the registry would accept.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void parse(const uint8_t *buf, size_t len)
{
    struct lp_manifest m;
    char err[LP_MANIFEST_ERRLEN];
    lp_manifest_init(&m);
    if (lp_manifest_parse(buf, len, "fuzz", &m, err) == LP_OK) {
        for (size_t i = 0; i < m.nsegs; i++)
            if (!lp_manifest_name_ok(m.segs[i]))
                abort();
    }
    lp_manifest_release(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    parse(data, size);
    if (size < 8 || size > LP_MANIFEST_MAX_SIZE)
        return 0;
    uint8_t *copy = malloc(size);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    lp_put_u64le(copy + size - 8, lp_hash64(copy, size - 8));
    parse(copy, size);
    free(copy);
    return 0;
}
