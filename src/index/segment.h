/* SPDX-License-Identifier: Apache-2.0
 *
 * segment: an immutable, checksummed file of fingerprint entries sorted by
 * (hash, blob, first line), with a bucket directory on the hash's top bits so
 * that a lookup touches the directory once and then a few adjacent entries.
 * Files are mmap'd read-only and validated whole at open (checksum, sizes,
 * directory, order), so a lookup never needs a bounds check beyond them.
 *
 * File layout (all integers little-endian; docs/FORMAT.md copies this):
 *
 *   offset  size  field
 *   0       8     magic "LPSEG\0\r\n"
 *   8       4     format version (1)
 *   12      4     bucket bits B (LP_SEG_MIN_BITS..LP_SEG_MAX_BITS)
 *   16      8     entry count N (<= UINT32_MAX)
 *   24      8     XXH3-64 of every byte after the header (offset 64..end)
 *   32      24    reserved, zero
 *   56      8     XXH3-64 of bytes 0..55 (header checksum)
 *   64      4*(2^B+1)  directory: u32 start index of each bucket, then N;
 *                 bucket b holds the entries whose hash >> (64-B) == b
 *   ...     16*N  entries, sorted by (hash, blob, first):
 *                   +0 u64 hash, +8 u32 blob id,
 *                   +12 u32 lines = first (bits 0..23) | span << 24,
 *                   span = min(last - first, 255)
 *
 * The file size is exactly 64 + 4*(2^B+1) + 16*N.
 */
#ifndef LP_SEGMENT_H
#define LP_SEGMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "leakprint.h"
#include "registry.h"

#define LP_SEG_MAGIC "LPSEG\0\r\n"
#define LP_SEG_VERSION 1u
#define LP_SEG_HEADER 64u
#define LP_SEG_ENTRY 16u
#define LP_SEG_MIN_BITS 8u
#define LP_SEG_MAX_BITS 24u
/* Directory entries are u32 start indices. */
#define LP_SEG_MAX_ENTRIES UINT32_MAX
/* Size of the error buffers the functions below fill. */
#define LP_SEG_ERRLEN 1024

/* One entry in its on-disk form (16 bytes in memory too): the writer's
 * queue. `lines` is packed as in the file. */
struct lp_seg_rec {
    uint64_t hash;
    uint32_t blob;
    uint32_t lines;
};

/* An open segment. */
struct lp_segment;

/* Packs first/last lines as a segment stores them: first is clamped to
 * LP_MAX_LINES, the span to 255 (0 when last < first). */
uint32_t lp_seg_pack_lines(uint32_t first, uint32_t last);

/* Validates the segment held in buf[0..len) and returns a handle on it in
 * *out (caller closes with lp_segment_close()). The buffer is borrowed and
 * must outlive the handle. `name` labels error messages, written to err
 * (LP_SEG_ERRLEN bytes) on failure. Returns LP_ECORRUPT for any damage
 * (truncation, checksum, bad directory, disorder), LP_EUNSUPPORTED for a
 * newer format version, LP_ENOMEM. */
lp_err lp_segment_open_mem(const uint8_t *buf, size_t len, const char *name,
                           struct lp_segment **out, char *err);

/* Maps the segment file `path` read-only and validates it as above.
 * LP_ENOTFOUND when the file does not exist, LP_EIO on other system errors. */
lp_err lp_segment_open(const char *path, struct lp_segment **out, char *err);

/* Flags of lp_segment_open_flags(). LP_SEG_NO_PRESENCE: no presence map
 * (1 to 2 bytes an entry, built at open): for a writer, which never looks up;
 * lookups are the same without it, only slower on absent hashes. */
enum { LP_SEG_NO_PRESENCE = 1 };
lp_err lp_segment_open_flags(const char *path, unsigned flags,
                             struct lp_segment **out, char *err);

/* Unmaps and frees a segment; accepts NULL. */
void lp_segment_close(struct lp_segment *seg);

/* Number of entries, and bytes of the file. */
uint64_t lp_segment_count(const struct lp_segment *seg);
uint64_t lp_segment_bytes(const struct lp_segment *seg);

/* Entry i (< count) of the segment, unpacked. */
void lp_segment_entry(const struct lp_segment *seg, uint64_t i,
                      struct lp_fp_entry *out);

/* Hints the CPU to load what a lookup of `hash` will read: stage 0 its word
 * of the map of present prefixes, stage 1 (once that is cached, and only if
 * the hash may be present) the directory slot, stage 2 (once that slot is
 * cached) the first entry. Calls made some lookups ahead, in that order,
 * hide the memory latency of random accesses. */
void lp_segment_prefetch(const struct lp_segment *seg, uint64_t hash,
                         int stage);

/* Finds the entries with this hash. Writes at most `max` to out[] (sorted
 * by blob, first line) and returns how many there are. Thread-safe, never
 * allocates. */
size_t lp_segment_lookup(const struct lp_segment *seg, uint64_t hash,
                         struct lp_fp_entry *out, size_t max);

/* Bucket bits chosen for a segment of `count` entries: about 4..8 entries
 * per bucket, within LP_SEG_MIN_BITS..LP_SEG_MAX_BITS. */
uint32_t lp_segment_bits(uint64_t count);

/* Sorts recs[0..n) (in place) and writes them as the segment `path`: to
 * `path`.tmp, fsync, rename, fsync of the directory. Exact duplicates are
 * written once. LP_ELIMIT if n > LP_SEG_MAX_ENTRIES, LP_EIO, LP_ENOMEM. */
lp_err lp_segment_write(const char *path, struct lp_seg_rec *recs, size_t n,
                        char *err);

/* Merges the sorted entries of segs[0..nsegs) into the new segment `path`
 * (written like lp_segment_write). LP_ELIMIT when the total exceeds
 * LP_SEG_MAX_ENTRIES. */
lp_err lp_segment_merge(const char *path, struct lp_segment *const *segs,
                        size_t nsegs, char *err);

#endif
