/* SPDX-License-Identifier: Apache-2.0
 *
 * replay_main: a plain main() for the libFuzzer harnesses. It feeds every
 * file of the directories (or files) given to LLVMFuzzerTestOneInput, so
 * that each crash once found stays a regression test in `make check`
 * without a fuzzer.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0, r;
    do {
        if (len == cap) {
            cap = cap ? 2 * cap : 4096;
            uint8_t *nb = realloc(buf, cap);
            if (!nb) {
                fclose(f);
                free(buf);
                return 1;
            }
            buf = nb;
        }
        r = fread(buf + len, 1, cap - len, f);
        len += r;
    } while (r > 0);
    fclose(f);
    LLVMFuzzerTestOneInput(buf, len);
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    int bad = 0, n = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            return 1;
        }
        if (!S_ISDIR(st.st_mode)) {
            bad |= run_file(argv[i]);
            n++;
            continue;
        }
        struct dirent **names;
        int k = scandir(argv[i], &names, NULL, alphasort);
        for (int j = 0; j < k; j++) {
            char path[4096];
            if (names[j]->d_name[0] != '.') {
                snprintf(path, sizeof path, "%s/%s", argv[i], names[j]->d_name);
                bad |= run_file(path);
                n++;
            }
            free(names[j]);
        }
        free(names);
    }
    fprintf(stderr, "replayed %d inputs\n", n);
    return bad;
}
