/* SPDX-License-Identifier: Apache-2.0
 *
 * misp_feed: reading back a MISP feed's manifest.json and hashes.csv as
 * `cases export --format misp` writes them (misp.h), so that the misp:
 * sink updates a feed instead of writing it whole. Anything else is
 * refused; the caller then writes the feed whole.
 */
#include <stdbool.h>
#include <string.h>

#include "misp.h"
#include "banned.h" /* a list of poisoned names: defines nothing */

/* A line of hashes.csv: "<32 hex>,<uuid of 36>\n". */
#define LINE_LEN 70

int lp_misp_feed_parse(const char *manifest, size_t mlen, const char *hashes,
                       size_t hlen, json_t **manifest_out, json_t **chunks_out)
{
    json_t *m = json_loadb(manifest, mlen, JSON_REJECT_DUPLICATES, NULL);
    json_t *chunks = json_object();
    bool bad = !json_is_object(m) || !chunks || hlen % LINE_LEN != 0;
    /* an event's lines are together, in the manifest's order of events */
    size_t start = 0;
    void *at = json_object_iter(m);
    for (size_t p = 0; !bad && p < hlen; p += LINE_LEN) {
        const char *l = hashes + p;
        bad = l[32] != ',' || l[LINE_LEN - 1] != '\n' ||
              strspn(l, "0123456789abcdef") < 32 ||
              memchr(l, '\0', LINE_LEN) != NULL;
        if (bad)
            break;
        bool last = p + LINE_LEN == hlen;
        if (!last && !memcmp(l + 33, l + LINE_LEN + 33, 36))
            continue; /* the same event's next line */
        char uuid[37];
        memcpy(uuid, l + 33, 36);
        uuid[36] = '\0';
        /* the events without lines before it, then its own */
        while (at && strcmp(json_object_iter_key(at), uuid))
            at = json_object_iter_next(m, at);
        bad = !at || json_object_get(chunks, uuid) ||
              json_object_set_new(
                  chunks, uuid,
                  json_stringn(hashes + start, p + LINE_LEN - start)) != 0;
        start = p + LINE_LEN;
        if (at)
            at = json_object_iter_next(m, at);
    }
    if (bad) {
        json_decref(m);
        json_decref(chunks);
        *manifest_out = *chunks_out = NULL;
        return -1;
    }
    *manifest_out = m;
    *chunks_out = chunks;
    return 0;
}
