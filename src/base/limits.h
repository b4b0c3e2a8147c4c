/* SPDX-License-Identifier: Apache-2.0
 *
 * limits.h: every hard cap of the library, with the reason for its value.
 * Caps that users may change have a CLI flag; these are the defaults.
 */
#ifndef LP_LIMITS_H
#define LP_LIMITS_H

/* Largest single file read whole into memory (source files are small; a
 * larger one is a dump, an image or a data file). Flag: --max-file-size. */
#define LP_MAX_FILE_SIZE_DEFAULT (64u << 20)

/* Archives inside archives: a leak is a 7z of tarballs of zips at most a
 * few levels deep; 200 levels is an attack. Flag: --max-depth. */
#define LP_MAX_ARCHIVE_DEPTH_DEFAULT 16

/* Bytes one input (an archive and all nested in it) may expand to: a large
 * source dump is a few GB. Flag: --max-expanded. */
#define LP_MAX_EXPANDED_DEFAULT (16ull << 30)

/* Expanded bytes per byte of the outermost archive. Source code compresses
 * 5 to 20 times, logs and tables up to 50-100; zip bombs a thousand to
 * millions of times. The first 16 MB are always allowed. Flag: --max-ratio. */
#define LP_MAX_RATIO_DEFAULT 250

/* --max-ratio applies twice. To a member: past its first 1 MB, it may not
 * expand more than --max-ratio times the compressed bytes it was read from
 * (a bomb is then skipped alone, and the archive's other members are
 * read). To a whole input (nested archives included): past its first
 * 16 MB, the bytes it expands to, bombs skipped excepted, may not pass
 * --max-ratio times its size (a nest of archives each under the ratio). */
#define LP_RATIO_MEMBER_FLOOR (1u << 20)
#define LP_RATIO_INPUT_FLOOR (16u << 20)

/* Bytes decompressed for members skipped as compression bombs in one
 * input: about LP_RATIO_MEMBER_FLOOR each to recognise one, and in a
 * compressed tar all of it to get past it. Past this or --max-ratio times
 * the input's size, whichever is more, the input is a bomb factory
 * (42.zip holds a million) and the rest is not read. */
#define LP_BOMB_WASTE_FLOOR (128u << 20)

/* Members of one input, all nesting levels together. Flag: --max-entries. */
#define LP_MAX_ENTRIES_DEFAULT 2000000

/* Longest line read: minified JavaScript has lines of megabytes; a line
 * of more than this is a data blob, not text. A file is read up to the
 * line before. Flag: --max-line-length. */
#define LP_MAX_LINE_DEFAULT (8u << 20)

/* Directory nesting depth of a walk: deeper trees are hostile. */
#define LP_MAX_WALK_DEPTH 256

/* Longest line of a JSONL report read back (jsonl_read.h): a file's line
 * is a few KB, the last line holds the scope, the secrets of a scan and
 * the rules (tens of KB to a few MB); a longer one is not a report. */
#define LP_MAX_JSONL_LINE (64u << 20)

/* Longest logical path we build (bytes, without the NUL). */
#define LP_MAX_PATH 4096

/* A file larger than --max-file-size, when secrets are sought, is read in
 * windows of that size which overlap by this many bytes: a secret up to
 * half of it long (a private key block is at most 16 KiB) lies whole in
 * one window, and is reported by exactly one. */
#define LP_WINDOW_OVERLAP (64u << 10)

/* Line numbers are stored in 24 bits in a segment entry: a file with more
 * lines than this is fingerprinted only up to it. */
#define LP_MAX_LINES ((1u << 24) - 1)

/* Longest token kept whole; a longer one (a minified blob, a data URL) is
 * hashed by its first bytes and length only. */
#define LP_MAX_TOKEN 4096

/* Files (distinct paths of the registry, whatever their versions) a
 * fingerprint may occur in and still count: one in more is boilerplate
 * (licence headers, generated tables) and tells nothing about origin. */
#define LP_MAX_FILES_PER_HASH 256

/* Places of one fingerprint in one registered file: one repeated more
 * often (a table's row pattern) says nothing about where a copy comes from,
 * and would make span alignment quadratic; it is ignored. */
#define LP_MAX_PLACES_PER_FILE 256

/* Registry entries of one hash read during a scan. Versions multiply the
 * entries of a file's stable code (one per changed blob), so this is much
 * larger than LP_MAX_FILES_PER_HASH; a hash with more entries is ignored
 * as boilerplate without counting its files. */
#define LP_MAX_HITS_PER_HASH 4096

/* Evidence weighting (docs/VERDICT.md): a fingerprint found in at most
 * this many files of the registry weighs 1; in n more files, this / n. */
#define LP_WEIGHT_FULL_FILES 4

/* New versions one `add --history` may register: every commit of a large
 * repository, each with all its files, is millions of rows; a user who
 * means it raises the cap. Flag: --max-versions. */
#define LP_MAX_VERSIONS_DEFAULT 10000

/* Blobs of a git history that `secrets` reads besides the current files
 * (each distinct path and content once): a large repository's whole
 * history is a few hundred thousand; a repository with more is hostile or
 * generated, and its newer commits are named as skipped. */
#define LP_MAX_HISTORY_BLOBS_DEFAULT 1000000

/* Matches kept per scanned file. */
#define LP_MAX_MATCHES_DEFAULT 3

/* Matches of one scanned file at most, whatever --max-matches says: a
 * bundle (headers concatenated into one file, an amalgamation) matches
 * each asset it holds in a region of its own, and each is reported up to
 * this many; those found beyond are counted (matches_more), not
 * reported. */
#define LP_MAX_FILE_MATCHES 1000

/* Smallest file without fingerprints (empty, under 6 tokens, binary) whose
 * byte-identical copy is reported: smaller ones (empty files, one-line
 * configs, .gitignore) are shared by chance and prove nothing. */
#define LP_MIN_EXACT_SIZE 256

/* Segments before add merges them into one. */
#define LP_MERGE_SEGMENTS 8

#endif
