/* SPDX-License-Identifier: Apache-2.0
 *
 * params: the parameters that analyze uses to make fingerprints and digests
 * and that the registry records (src/index/meta.c), so that a scan refuses a
 * registry made with others. They are part of the registry's format: both
 * sides read them here, and neither depends on the other.
 */
#ifndef LP_PARAMS_H
#define LP_PARAMS_H

/* Parameters of the normalized stream, chosen by measurement
 * (docs/PERFORMANCE.md): t = 27 tokens, about 3-4 lines of C. */
#ifndef LP_FP_K
#define LP_FP_K 12
#endif
#ifndef LP_FP_W
#define LP_FP_W 16
#endif

/* Parameters of the abstract stream (identifiers, numbers and strings
 * replaced by their class), which says less per token: t = 51 tokens,
 * about 7 lines of C, and a sparser selection; chosen by measurement
 * (bench/accuracy/sweep-abstract.sh, docs/PERFORMANCE.md). */
#ifndef LP_AFP_K
#define LP_AFP_K 20
#endif
#ifndef LP_AFP_W
#define LP_AFP_W 32
#endif

/* Version of the hashing of tokens and k-grams: fingerprints of another
 * version never match (the registry records it). */
#define LP_FP_HASH 3

/* Hex digits of a libtlsh 3.4.4 digest (128 buckets, 1-byte checksum). */
#define LP_TLSH_LEN 70

#endif
