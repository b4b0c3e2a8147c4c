/* SPDX-License-Identifier: Apache-2.0
 *
 * jsonl_roundtrip: reads a JSONL report of scan or secrets back into the
 * result model (jsonl_read.h) and writes it again with the writer of
 * FORMAT (text, json, jsonl, sarif) to stdout, so that t5004 can compare
 * it with what the run wrote itself. No command reads JSONL yet.
 *
 *   jsonl_roundtrip [--buf] FORMAT FILE|-
 *
 * --buf reads the whole file first and goes through lp_jsonl_read_buf().
 * Exit 0, or 2 with the reader's one-line reason on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonl_read.h"
#include "mem.h"
#include "report.h"

static char *slurp(FILE *fp, size_t *len)
{
    char *buf = NULL;
    size_t cap = 0, got;
    *len = 0;
    do {
        if (!lp_grow((void **)&buf, &cap, *len + 65536, 1)) {
            lp_free(buf);
            return NULL;
        }
        got = fread(buf + *len, 1, 65536, fp);
        *len += got;
    } while (got);
    return buf;
}

int main(int argc, char **argv)
{
    int buffered = argc > 1 && !strcmp(argv[1], "--buf");
    if (argc != 3 + buffered) {
        fputs("usage: jsonl_roundtrip [--buf] FORMAT FILE|-\n", stderr);
        return 2;
    }
    const char *format = argv[1 + buffered], *path = argv[2 + buffered];
    FILE *fp = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!fp) {
        perror(path);
        return 2;
    }
    char why[512] = "";
    struct lp_scan *s = NULL;
    lp_err err;
    if (buffered) {
        size_t len;
        char *buf = slurp(fp, &len);
        err = buf ? lp_jsonl_read_buf(buf, len, path, &s, why, sizeof why)
                  : LP_ENOMEM;
        lp_free(buf);
    } else {
        err = lp_jsonl_read(fp, path, &s, why, sizeof why);
    }
    if (fp != stdin)
        fclose(fp);
    if (!err)
        err = lp_report_write(s, format, 0, stdout);
    lp_scan_free(s);
    if (err) {
        fprintf(stderr, "jsonl_roundtrip: %s\n", *why ? why : lp_strerror(err));
        return 2;
    }
    return fflush(stdout) ? 2 : 0;
}
