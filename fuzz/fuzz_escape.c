/* SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_escape: hostile file names through the output escapers. The UTF-8
 * repair must give valid UTF-8 that jansson accepts, and the text escaper
 * must never emit a control byte.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    char *u = lp_report_utf8(s);
    if (u) {
        json_t *j = json_string(u);
        if (!j)
            abort(); /* the repair produced invalid UTF-8 */
        json_decref(j);
        lp_free(u);
    }
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);
    if (fp) {
        lp_report_put_escaped(s, fp);
        fclose(fp);
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
                abort();
        free(out);
    }
    free(s);
    return 0;
}
