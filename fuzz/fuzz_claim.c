/* SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_claim: hostile bytes through sale-claim scoring (daemon/claim.h).
 * Checks that the result agrees with itself: the names are the signals
 * found, in the enum's order; the score is the capped sum of their
 * weights; an offer has the threshold and a price, currency or sale.
 *
 * FUZZ_EXTRA: daemon/claim.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "claim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lp_claim c;
    lp_claim_score((const char *)data, size, &c);
    size_t n = 0;
    int sum = 0;
    for (int k = 0; k < LP_CLAIM_NSIGNALS; k++) {
        if (!(c.signals & 1u << k))
            continue;
        if (n >= c.nnames || strcmp(c.names[n], lp_claim_signal_name(k)))
            abort();
        n++;
        sum += lp_claim_weight(k);
    }
    if (n != c.nnames || c.signals >> LP_CLAIM_NSIGNALS)
        abort();
    if (sum > 100)
        sum = 100;
    if ((int)(c.score * 100 + 0.5) != sum || c.score < 0 || c.score > 1)
        abort();
    unsigned deal =
        1u << LP_CLAIM_PRICE | 1u << LP_CLAIM_CURRENCY | 1u << LP_CLAIM_SALE;
    if (c.offer != (sum >= LP_CLAIM_THRESHOLD && (c.signals & deal)))
        abort();
    return 0;
}
