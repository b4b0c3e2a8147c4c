/* SPDX-License-Identifier: Apache-2.0
 *
 * hugepages: transparent huge pages for the heap of a bulk command.
 *
 * A scan touches tens of megabytes of fresh heap (the matcher's buffers
 * grow to the largest file's hits, every file's result is kept for the
 * report), and on
 * a virtual machine the first touch of each 4 KiB page is a costly fault
 * (about 14 us here, against well under 1 us a KiB for a 2 MiB page:
 * docs/PERFORMANCE.md). When the kernel gives huge pages only on request
 * (THP mode "madvise"), the command asks for them, in process, before it
 * allocates anything big:
 *   - one allocation of CLI_HEAP_RESERVE bytes, freed at once, grows the
 *     main arena's heap, the one that grows by brk, that much (and it
 *     stays so: main.c sets M_TOP_PAD, the mmap threshold and the trim
 *     threshold so that it grows in large steps and keeps what it frees);
 *   - madvise(MADV_HUGEPAGE) over the heap's free end, from its first
 *     2 MiB boundary up to the break;
 *   - then every thread allocates from that arena (M_ARENA_MAX=1).
 * Pages are still given on first touch, 2 MiB at a time; memory never
 * touched costs nothing. Beyond the break, the heap grows in 4 KiB pages.
 *
 * Skipped for a small job (no directory among the arguments, and their
 * regular files under CLI_HUGEPAGES_MIN bytes in all: a few 2 MiB pages
 * cost more to clear than the faults they save), when LEAKPRINT_HUGEPAGES=0,
 * when GLIBC_TUNABLES says anything about glibc.malloc.hugetlb (glibc does
 * it then, or the user chose not to), when the kernel's mode is "always"
 * (nothing to ask) or "never", and under AddressSanitizer (its allocator
 * is not glibc's). If anything fails, the command runs on without.
 */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "banned.h" /* a list of poisoned names: defines nothing */

#if defined(__SANITIZE_ADDRESS__)
#define CLI_NO_HUGEPAGES 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CLI_NO_HUGEPAGES 1
#endif
#endif

#define THP_MODE "/sys/kernel/mm/transparent_hugepage/enabled"
#define TUNABLE "glibc.malloc.hugetlb"
#define HUGE_PAGE ((uintptr_t)2 << 20)

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

bool cli_hugepages_plan(const char *off, const char *tunables, const char *mode)
{
    if (off && strcmp(off, "0") == 0)
        return false;
    if (tunables && strstr(tunables, TUNABLE))
        return false;
    return mode && strstr(mode, "[madvise]");
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

int cli_heap_advise(size_t reserve, void **lo, size_t *len)
{
    *lo = NULL;
    *len = 0;
#ifdef CLI_NO_HUGEPAGES
    (void)reserve;
    return -1;
#else
    void *p = malloc(reserve);
    void *brk = sbrk(0);
    uintptr_t at = (uintptr_t)p, top = (uintptr_t)brk;
    uintptr_t from = (at + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    size_t n = 0;
    /* From the heap only: a block that glibc mapped apart is not it. */
    if (p && brk != (void *)-1 && at < top && from < top &&
        top - from >= HUGE_PAGE) {
        n = (top - from) & ~(HUGE_PAGE - 1);
        if (madvise((void *)from, n, MADV_HUGEPAGE) != 0)
            n = 0;
    }
    free(p);
    if (!n)
        return -1;
    /* Only now: without the advice, threads keep arenas of their own.
     * (glibc takes any positive count.) */
    mallopt(M_ARENA_MAX, 1);
    *lo = (void *)from;
    *len = n;
    return 0;
#endif
}

void cli_hugepages(char *const *args)
{
#ifdef CLI_NO_HUGEPAGES
    (void)args;
#else
    if (!cli_hugepages_worth(args, CLI_HUGEPAGES_MIN))
        return;
    char mode[128];
    thp_mode(mode, sizeof mode);
    if (cli_hugepages_plan(getenv("LEAKPRINT_HUGEPAGES"),
                           getenv("GLIBC_TUNABLES"), mode)) {
        void *lo;
        size_t len;
        (void)cli_heap_advise(CLI_HEAP_RESERVE, &lo, &len);
    }
#endif
}
