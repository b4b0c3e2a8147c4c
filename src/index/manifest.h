/* SPDX-License-Identifier: Apache-2.0
 *
 * manifest: the small file MANIFEST that names a registry's live segments
 * and its current generation. It is replaced atomically (MANIFEST.tmp,
 * fsync, rename, fsync of the directory): its rename is the commit point of
 * a writer transaction. A stale MANIFEST.tmp is never read.
 *
 * Layout (integers little-endian; docs/FORMAT.md copies this):
 *
 *   offset  size  field
 *   0       8     magic "LPMANIF\n"
 *   8       4     format version (1)
 *   12      4     segment count S (<= LP_MANIFEST_MAX_SEGS)
 *   16      8     generation
 *   24      ...   S times: u16 name length L (1..255), then L bytes of the
 *                 segment's file name (seg-<gen hex>-<n>.lps, see
 *                 lp_manifest_name_ok)
 *   end-8   8     XXH3-64 of every byte before it
 */
#ifndef LP_MANIFEST_H
#define LP_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "leakprint.h"

#define LP_MANIFEST_MAGIC "LPMANIF\n"
#define LP_MANIFEST_VERSION 1u
/* More segments than this means merges stopped working: refuse. */
#define LP_MANIFEST_MAX_SEGS 4096u
/* Bytes: S * (2 + 255) + 32 stays below it. */
#define LP_MANIFEST_MAX_SIZE (2u << 20)
/* Size of the error buffers the functions below fill. */
#define LP_MANIFEST_ERRLEN 1024

struct lp_manifest {
    uint64_t gen;
    char **segs; /* file names, owned */
    size_t nsegs;
    size_t cap;
};

/* Empty manifest (generation 0, no segments). */
void lp_manifest_init(struct lp_manifest *m);
/* Frees the names; m is empty afterwards. Accepts NULL. */
void lp_manifest_release(struct lp_manifest *m);

/* Appends a copy of `name`. LP_EINVAL for a name lp_manifest_name_ok()
 * refuses, LP_ELIMIT past LP_MANIFEST_MAX_SEGS, LP_ENOMEM. */
lp_err lp_manifest_add(struct lp_manifest *m, const char *name);

/* Whether `name` is listed. */
bool lp_manifest_has(const struct lp_manifest *m, const char *name);

/* Whether `name` has the form of a segment file name:
 * "seg-" 8..16 lower-case hex digits "-" 1..10 decimal digits ".lps". */
bool lp_manifest_name_ok(const char *name);

/* The generation a segment file name carries (seg-<gen hex>-<n>.lps: the
 * transaction that wrote it) and its number; name must pass
 * lp_manifest_name_ok(). */
uint64_t lp_manifest_name_gen(const char *name, uint32_t *num);

/* Lists into *out (initialised here; release it even on failure) every
 * file of `dir` named like a segment, live or not, ordered by generation
 * and number; out->gen is left 0. LP_EIO (message in err), LP_ELIMIT past
 * LP_MANIFEST_MAX_SEGS, LP_ENOMEM. */
lp_err lp_manifest_scan_dir(const char *dir, struct lp_manifest *out,
                            char *err);

/* Parses buf[0..len) into *out (initialised here; release it even on
 * failure). `label` names the file in messages written to err
 * (LP_MANIFEST_ERRLEN bytes). LP_ECORRUPT, LP_EUNSUPPORTED, LP_ENOMEM. */
lp_err lp_manifest_parse(const uint8_t *buf, size_t len, const char *label,
                         struct lp_manifest *out, char *err);

/* Reads <dir>/MANIFEST into *out (initialised here; release it even on
 * failure). LP_ENOTFOUND when there is no MANIFEST, LP_EIO, or as
 * lp_manifest_parse(). */
lp_err lp_manifest_read(const char *dir, struct lp_manifest *out, char *err);

/* Replaces <dir>/MANIFEST with m: writes MANIFEST.tmp, fsyncs it, renames
 * it over MANIFEST and fsyncs the directory. *renamed tells whether the
 * rename (the commit point) happened, even when an error is returned. */
lp_err lp_manifest_write(const char *dir, const struct lp_manifest *m,
                         bool *renamed, char *err);

#endif
