/* SPDX-License-Identifier: Apache-2.0
 *
 * hugepages: transparent huge pages for the heap of a bulk command.
 *
 * A scan touches tens of megabytes of fresh heap (the matcher's buffers
 * grow to the largest file's hits, the report holds every result), and on
 * a virtual machine each first touch of a 4 KiB page is a costly fault:
 * with 2 MiB pages, a restyled-tree scan takes 10,000 fewer faults and
 * about 15% less CPU (docs/PERFORMANCE.md). When the kernel gives huge
 * pages only on request (THP mode "madvise"), glibc's malloc asks for them
 * if the tunable glibc.malloc.hugetlb=1 is set; tunables are read once, as
 * the process starts, from GLIBC_TUNABLES. So the command sets it and
 * executes itself again, once: the second start finds it set.
 *
 * Skipped for a small job (no directory among the arguments, and their
 * regular files under CLI_HUGEPAGES_MIN bytes in all: starting again
 * costs more than it saves), when LEAKPRINT_HUGEPAGES=0, when
 * GLIBC_TUNABLES already says anything about glibc.malloc.hugetlb (the
 * user's choice stands), when the kernel's mode is "always" (nothing to
 * ask) or "never", and under AddressSanitizer (its allocator is not
 * glibc's). If anything fails, the command runs on, without huge pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "../src/banned.h"

#if defined(__SANITIZE_ADDRESS__)
#define CLI_NO_HUGEPAGES 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CLI_NO_HUGEPAGES 1
#endif
#endif

#define THP_MODE "/sys/kernel/mm/transparent_hugepage/enabled"
#define TUNABLE "glibc.malloc.hugetlb"

#ifndef CLI_NO_HUGEPAGES
/* The kernel's THP mode line ("always [madvise] never"), or "" when it
 * cannot be read. */
static void thp_mode(char *mode, size_t size)
{
    FILE *f = fopen(THP_MODE, "re");
    if (!f || !fgets(mode, (int)size, f))
        *mode = '\0';
    if (f)
        fclose(f);
}
#endif

int cli_hugepages_plan(const char *off, const char *tunables, const char *mode,
                       char *out, size_t size)
{
    if (off && strcmp(off, "0") == 0)
        return 0;
    if (tunables && strstr(tunables, TUNABLE))
        return 0;
    if (!mode || !strstr(mode, "[madvise]"))
        return 0;
    if (!out)
        return 1;
    static const char add[] = TUNABLE "=1";
    size_t have = tunables ? strlen(tunables) : 0, sep = have ? 1 : 0;
    if (have > size || size - have < sep + sizeof add)
        return -1;
    if (have)
        memcpy(out, tunables, have);
    if (sep)
        out[have] = ':';
    memcpy(out + have + sep, add, sizeof add);
    return 1;
}

bool cli_hugepages_worth(char *const *args, uint64_t min_bytes)
{
    uint64_t total = 0;
    for (; *args; args++) {
        struct stat st;
        if ((*args)[0] == '-' || stat(*args, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            return true;
        if (S_ISREG(st.st_mode)) {
            total += (uint64_t)st.st_size;
            if (total >= min_bytes)
                return true;
        }
    }
    return false;
}

int cli_hugepages_exec(const char *exe, char **argv, const char *tunables)
{
    const char *old = getenv("GLIBC_TUNABLES");
    char *saved = old ? strdup(old) : NULL;
    if ((old && !saved) || setenv("GLIBC_TUNABLES", tunables, 1) != 0) {
        free(saved);
        return -1;
    }
    execv(exe, argv);
    /* Still here: run without, and leave the environment as it was. */
    if (saved)
        setenv("GLIBC_TUNABLES", saved, 1);
    else
        unsetenv("GLIBC_TUNABLES");
    free(saved);
    return -1;
}

void cli_hugepages(char **argv, char *const *args)
{
#ifdef CLI_NO_HUGEPAGES
    (void)argv;
    (void)args;
#else
    /* Starting again costs about 20 ms (47 shared libraries): not worth
     * it for a few files. */
    if (!cli_hugepages_worth(args, CLI_HUGEPAGES_MIN))
        return;
    char mode[128], val[4096];
    thp_mode(mode, sizeof mode);
    if (cli_hugepages_plan(getenv("LEAKPRINT_HUGEPAGES"),
                           getenv("GLIBC_TUNABLES"), mode, val,
                           sizeof val) == 1)
        cli_hugepages_exec("/proc/self/exe", argv, val);
#endif
}
