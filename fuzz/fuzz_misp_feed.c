/* SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_misp_feed: hostile bytes through the reader of a MISP feed's
 * manifest.json and hashes.csv (daemon/misp_feed.c, which the misp: sink
 * of watch reads back to update a feed). The input is the manifest, a NUL
 * byte, then hashes.csv (none: an empty one). What parses must hold only
 * whole lines, each under an event of the manifest.
 * FUZZ_EXTRA: daemon/misp_feed.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "misp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    const char *nul = memchr(s, '\0', size);
    size_t mlen = nul ? (size_t)(nul - s) : size;
    size_t hlen = nul ? size - mlen - 1 : 0;
    /* hashes.csv as the sink reads it: a string of its own */
    char *h = malloc(hlen + 1);
    if (!h)
        return 0;
    if (hlen)
        memcpy(h, nul + 1, hlen);
    h[hlen] = '\0';
    json_t *m = NULL, *chunks = NULL;
    if (lp_misp_feed_parse(s, mlen, h, hlen, &m, &chunks) == 0) {
        const char *key;
        json_t *v;
        json_object_foreach(chunks, key, v)
        {
            size_t n = json_string_length(v);
            if (!json_object_get(m, key) || n == 0 || n % 70 != 0)
                abort();
        }
    } else if (m || chunks) {
        abort();
    }
    json_decref(m);
    json_decref(chunks);
    free(h);
    return 0;
}
