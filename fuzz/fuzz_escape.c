/* SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_escape: hostile file names through the output escapers. The UTF-8
 * repair must give valid UTF-8 that jansson accepts, the text escaper
 * must never emit a control byte nor invalid UTF-8, and base64 must give
 * the bytes back.
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
        lp_utf8_put_escaped(s, fp);
        fclose(fp);
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
                abort();
        if (out && !lp_utf8_valid(out))
            abort();
        free(out);
    }
    char *b = lp_report_b64(s), *back = NULL;
    if (b) {
        if (lp_report_unb64(b, strlen(b), &back) == LP_OK &&
            strcmp(back, s))
            abort();
        lp_free(back);
        lp_free(b);
    }
    free(s);
    return 0;
}
