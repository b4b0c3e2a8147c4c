/* SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_carrier: libFuzzer harness of the C carriers (carrier.h) and their
 * tokenizer. The input is C text. Besides the sanitizers it checks that
 * sites come in order without overlap, and that a mark is read back whole:
 * keys do not depend on the spellings, so the text with every site
 * respelled (values drawn from the text's own bytes) has the same keys, each
 * with the value written. Replayed over fuzz/corpus/carrier/.
 */
#include <stddef.h>
#include <stdint.h>

#include "carrier.h"
#include "mem.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct lp_carrier_site *st = NULL;
    struct lp_carrier_mark *m = NULL;
    uint8_t *vals = NULL;
    char *out = NULL;
    size_t n = 0, nm = 0, ol = 0;

    if (lp_carriers_find(text, size, NULL, 0, &st, &n) != LP_OK)
        return 0;
    for (size_t i = 1; i < n; i++)
        if (st[i].start < st[i - 1].end)
            __builtin_trap();
    vals = lp_malloc(n + 1);
    if (!vals)
        goto out;
    for (size_t i = 0; i < n; i++)
        vals[i] = (uint8_t)((data[st[i].start] + i) % st[i].q);
    if (lp_carriers_apply(text, size, st, vals, n, NULL, 0, &out, &ol) !=
        LP_OK)
        __builtin_trap();
    if (lp_carriers_read(out, ol, NULL, 0, &m, &nm) != LP_OK)
        goto out;
    if (nm != n)
        __builtin_trap();
    for (size_t i = 0; i < n; i++) {
        const struct lp_carrier_mark *k = lp_carriers_lookup(m, nm, st[i].key);
        if (!k || k->value != vals[i])
            __builtin_trap();
    }
out:
    lp_free(st);
    lp_free(m);
    lp_free(vals);
    lp_free(out);
    return 0;
}
