/* SPDX-License-Identifier: Apache-2.0
 *
 * prefetch: reads a batch of small files with one system call (io_uring).
 *
 * Opening, reading and closing a file are three system calls, and a fourth
 * asks its size. On a tree of small files those calls cost more CPU than
 * fingerprinting the bytes (a quarter of a scan of glibc's sources), and a
 * kernel with page-table isolation makes each entry into it dear. Here a
 * worker hands the files it will read next; each becomes an open into a
 * ring-registered descriptor, a read of up to PREFETCH_READ bytes and a
 * close, linked, and the whole batch is one io_uring_enter(2).
 *
 * Only what is certain is kept: a read that returned between 1 byte and
 * less than it asked for is the whole of a file (a regular file reads short
 * only at its end). Anything else (an empty or larger file, a file gone or
 * unreadable, a kernel without io_uring or with it forbidden) is not
 * prefetched, and the caller reads that file the ordinary way, which says
 * what is wrong with it. So the results never depend on whether io_uring
 * is there.
 *
 * The caller turns it off by not making a prefetcher
 * (lp_input_options.no_io_uring, struct lp_walk_reader).
 */
#ifndef LP_PREFETCH_H
#define LP_PREFETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Files per batch, and the most bytes read of each. */
#define PREFETCH_SLOTS 16
#define PREFETCH_READ (128u * 1024u)

struct lp_prefetch;

/* A prefetcher, or NULL when io_uring cannot be used here (or memory is
 * short): the caller then reads every file itself. */
struct lp_prefetch *lp_prefetch_new(void);
void lp_prefetch_free(struct lp_prefetch *pf);

/* Reads paths[0..n) (at most PREFETCH_SLOTS; more are not prefetched),
 * each opened with O_NOFOLLOW unless follow[i] (follow may be NULL), a
 * NULL path being skipped, and at most max + 1 bytes of each. Forgets the
 * previous batch. After a failure of io_uring itself the prefetcher stops
 * prefetching for good. */
void lp_prefetch_batch(struct lp_prefetch *pf, const char *const *paths,
                       const bool *follow, size_t n, uint64_t max);

/* True when path number i of the last batch was read whole: its bytes
 * become *buf (a buffer of *cap bytes, NUL-terminated, swapped with the
 * caller's), *len of them. False: the caller reads it. */
bool lp_prefetch_take(struct lp_prefetch *pf, size_t i, char **buf,
                      size_t *cap, size_t *len);

#endif
