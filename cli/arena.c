/* SPDX-License-Identifier: Apache-2.0
 *
 * arena: the allocator the command-line tool gives jansson. A report is
 * made of hundreds of thousands of small nodes: they are carved from large
 * blocks by bumping a pointer, and freeing them one by one (a few percent
 * of a scan's time) is skipped. The nodes alive are counted instead: when
 * none is left (a JSON report is written one file at a time, each file's
 * nodes dropped before the next), carving starts again at the start of
 * the block, so that a report of thousands of files reuses the same few
 * pages instead of touching fresh ones. Older blocks go back to the
 * system when the process exits. Each thread carves its own blocks and
 * counts its own nodes, so no lock is taken (only the main thread uses
 * jansson).
 *
 * Under AddressSanitizer jansson keeps malloc and free, so that the
 * sanitizer still sees every node of the report.
 */
#include "commands.h"

#include <jansson.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#if defined(__SANITIZE_ADDRESS__)
#define ARENA_OFF 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_OFF 1
#endif
#endif

#ifndef ARENA_OFF
#define BLOCK (1u << 20)
#define ALIGN alignof(max_align_t)

static _Thread_local char *base, *cur, *end;
static _Thread_local size_t live;

static void *arena_alloc(size_t n)
{
    n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (n > (size_t)(end - cur)) {
        if (n > BLOCK / 4) {
            void *big = malloc(n); /* never freed either, but rare */
            live += big != NULL;
            return big;
        }
        char *b = malloc(BLOCK);
        if (!b)
            return NULL;
        base = cur = b;
        end = b + BLOCK;
    }
    void *p = cur;
    cur += n;
    live++;
    return p;
}

static void arena_free(void *p)
{
    if (p && live && --live == 0)
        cur = base;
}
#endif

void cli_json_arena(void)
{
#ifndef ARENA_OFF
    json_set_alloc_funcs(arena_alloc, arena_free);
#endif
}
