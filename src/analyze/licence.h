/* SPDX-License-Identifier: Apache-2.0
 *
 * licence: the built-in licence background. At build time
 * scripts/gen-licences.c lexes licence texts (Debian's common-licenses and
 * the SPDX list, scripts/licence-texts.sh) as prose and writes every
 * normalized k-gram fingerprint of them (winnowing window 1, so any k-gram
 * a scanned file takes from a licence text is there, whatever its
 * neighbours) into a generated C file: the hashes sorted and distinct,
 * each with the licence that holds it first. Shared fingerprints found
 * here weigh nothing, like those of a public collection (match.c).
 */
#ifndef LP_LICENCE_H
#define LP_LICENCE_H

#include <stddef.h>
#include <stdint.h>

/* The generated tables (build/gen/licence_data.c): lp_licence_nhashes
 * hashes in increasing order; where those of each value of their top
 * LP_LICENCE_BUCKET_BITS bits start (a lookup reads about two hashes, not
 * the 17 of a binary search of the whole: a scan looks up every
 * fingerprint the registry holds); the index into lp_licence_names of the
 * licence of each hash, and the licence ids ("GPL-2", "MIT"). */
#define LP_LICENCE_BUCKET_BITS 16
#define LP_LICENCE_BUCKETS (1u << LP_LICENCE_BUCKET_BITS)
extern const size_t lp_licence_nhashes;
extern const uint64_t lp_licence_hashes[];
extern const uint32_t lp_licence_index[LP_LICENCE_BUCKETS + 1];
/* A bit per value of the top LP_LICENCE_BITS_LOG bits of a hash, set when
 * some hash of the table has it (128 KB, about a tenth of the bits set):
 * most lookups, of fingerprints that are no licence text, end there, in
 * one read of memory that stays in cache. */
#define LP_LICENCE_BITS_LOG 20
#define LP_LICENCE_BITS (1u << LP_LICENCE_BITS_LOG)
extern const uint64_t lp_licence_bits[LP_LICENCE_BITS / 64];
extern const uint16_t lp_licence_of[];
extern const size_t lp_licence_nnames;
extern const char *const lp_licence_names[];

/* The licence holding the normalized fingerprint hash h: its id + 1, or 0
 * when no licence text has it. */
unsigned lp_licence_lookup(uint64_t h);

/* The id of licence i + 1 as lp_licence_lookup() returns it ("GPL-2");
 * borrowed, static; NULL when out of range. */
const char *lp_licence_name(unsigned id);

/* The id + 1 of the licence named name[0..len) (a report read back), or 0
 * when this build has none of that name. */
unsigned lp_licence_find(const char *name, size_t len);

#endif
