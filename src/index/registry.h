/* SPDX-License-Identifier: Apache-2.0
 *
 * registry: the store of protected material's fingerprints. A registry is a
 * directory:
 *   LOCK            flock()ed by the one writer; readers never take it
 *   meta.sqlite     SQLite (WAL): collections, versions, files (path->blob),
 *                   blobs (sha256, size, kind, lang, lines, nfp); every row
 *                   carries the generation `gen` that created it
 *   MANIFEST        names the live segments and the current generation;
 *                   replaced atomically (write tmp, fsync, rename, fsync dir)
 *   seg-<gen>-<n>.lps  immutable fingerprint segments (segment.h), mmap'd
 *
 * Commit protocol of a writer transaction (generation G+1): write and fsync
 * the new segment file; commit the SQLite transaction whose rows carry
 * gen=G+1; then replace MANIFEST (gen G+1, segments). The manifest rename is
 * the commit point. Readers take the manifest's gen and ignore rows with a
 * larger gen; the next writer deletes such rows and unreferenced segment
 * files (recovery). So a crash at any instant leaves the registry as it was
 * before or after the transaction.
 *
 * Blob ids are small integers (SQLite rowids) stored in segment entries.
 */
#ifndef LP_REGISTRY_H
#define LP_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "params.h"
#include "hash.h"
#include "leakprint.h"

/* One fingerprint occurrence, as given to the writer and as read back. */
struct lp_fp_entry {
    uint64_t hash;
    uint32_t blob;
    uint32_t first; /* first line (1-based), < 2^24 */
    uint32_t last;  /* last line; stored as first + min(last-first, 255) */
};

/* Description of a blob (one distinct file content). */
struct lp_blob_info {
    uint8_t sha[LP_SHA256_LEN];
    uint64_t size;
    uint32_t lines; /* number of lines */
    uint32_t nfp;   /* fingerprint entries of its normalized stream */
    uint32_t nafp;  /* and of its abstract stream (code only) */
    uint8_t kind;   /* enum lp_kind */
    uint8_t lang;   /* enum lp_lang */
};

/* Sets reg's error message (printf-style) and returns err. */
lp_err lp_registry_seterr(lp_registry *reg, lp_err err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Asks that the registry be removed again at close if this handle created
 * it (LP_REGISTRY_CREATE made its directory or metadata) and nothing was
 * committed to it: a failed first add leaves nothing behind. */
void lp_registry_discard_new(lp_registry *reg);

/* Path of the registry directory (borrowed). */
const char *lp_registry_path(const lp_registry *reg);

#ifdef LP_TEST_HOOKS
/* Test builds only (objects compiled with -DLP_TEST_HOOKS into the
 * Makefile's $(BUILD)/hooks/; never in the library): a commit on reg
 * _exit(9)s at the step named crash_at ("before-sqlite", "after-sqlite",
 * "after-manifest"; NULL: none), and a transaction begun on reg writes a
 * segment every flush_entries queued entries (0: the default). crash_at
 * is borrowed until reg is closed. */
void lp_registry_test_hooks(lp_registry *reg, const char *crash_at,
                            size_t flush_entries);
#endif

/* ---- lookups (thread-safe on a shared handle) ---------------------------- */

/* Finds the entries whose hash is `hash` in every live segment. Writes at
 * most `max` of them to out[] and returns how many there are in total (which
 * may exceed max: the caller treats such hashes as too common). */
size_t lp_registry_lookup(const lp_registry *reg, uint64_t hash,
                          struct lp_fp_entry *out, size_t max);

/* Prefetch hint for a coming lookup of `hash` (see lp_segment_prefetch):
 * stages 0, 1 and 2 at decreasing distances ahead. */
void lp_registry_prefetch(const lp_registry *reg, uint64_t hash, int stage);

/* ---- reader snapshot ----------------------------------------------------- */

struct lp_snap_collection {
    char *name;
    bool public_;
    uint32_t nversions;
    uint32_t assets_latest; /* files in its newest version */
};

struct lp_snap_version {
    uint32_t collection; /* index into collections[] */
    char *name;
    int64_t created;     /* unix time */
    uint32_t nfiles;
};

struct lp_snap_asset {
    uint32_t blob;
    uint32_t version; /* index into versions[] */
    char *path;
};

enum {
    LP_BLOB_PRIVATE = 1, /* in a protected collection */
    LP_BLOB_PUBLIC = 2,  /* in a --public (background) collection */
};

/* A registered binary's TLSH digest. */
struct lp_snap_tlsh {
    uint32_t blob;
    char digest[LP_TLSH_LEN + 1];
};

/* Everything a scan needs from the metadata, loaded once. Versions of one
 * collection are ordered oldest first; assets are sorted by blob id. */
struct lp_snapshot {
    struct lp_snap_collection *collections;
    size_t ncollections;
    struct lp_snap_version *versions;
    size_t nversions;
    struct lp_snap_asset *assets;
    size_t nassets;
    struct lp_blob_info *blobs; /* indexed by blob id; blobs[0] unused */
    size_t nblobs;              /* max blob id + 1 */
    /* Per blob id: LP_BLOB_* flags (which kinds of collections hold it)
     * and its lineage: the file (collection and path) it is a version of,
     * numbered from 1; 0 for a blob no file names. */
    uint8_t *blob_flags;
    uint32_t *lineage;
    uint32_t nlineages;
    struct lp_snap_tlsh *tlsh; /* by blob id */
    size_t ntlsh;
    /* private: sha256 -> blob id table, and the set of blob sizes (size+1,
     * 0 = empty slot), both of sha_mask+1 slots */
    uint32_t *sha_table;
    uint64_t *size_table;
    size_t sha_mask;
    /* private: holders of a shared snapshot (the handle while it is the
     * current one, and each scan that took it), under the handle's
     * mutex; 0 for a snapshot of lp_registry_snapshot() */
    unsigned refs;
};

/* Loads the snapshot of the registry's current generation. Caller frees
 * with lp_snapshot_free(). */
lp_err lp_registry_snapshot(lp_registry *reg, struct lp_snapshot **out);
void lp_snapshot_free(struct lp_snapshot *snap);

/* The snapshot of the registry's current generation that scans share:
 * built at the first call (and again after an add through this handle
 * made a new generation). A daemon that scans one small item at a time
 * through one handle reads the metadata once instead of at every scan
 * (watch: the snapshot of a registry of 5,000 files cost more than
 * scanning a 1 KB paste). Each successful call takes a reference, given
 * back with lp_registry_snapshot_release(): a snapshot replaced by a newer
 * generation lives until its last holder releases it, so a scan in
 * another thread may keep using the one it took. Thread-safe; every
 * reference is released before lp_registry_close(). */
lp_err lp_registry_snapshot_shared(lp_registry *reg,
                                   const struct lp_snapshot **out);

/* One value a stage above the registry keeps with the handle for its
 * current generation (the secrets' engine a scan builds, say), so that
 * scans on the handle share it. lp_registry_keep() stores v (drop(v) is
 * called when it is replaced or the handle closes); lp_registry_kept()
 * returns take(v) (under the handle's lock: take counts a reference) when
 * v was kept for the current generation, else NULL. */
void lp_registry_keep(lp_registry *reg, void *v, void (*drop)(void *));
void *lp_registry_kept(lp_registry *reg, void *(*take)(void *));
/* Gives back a reference lp_registry_snapshot_shared() took (NULL: none);
 * the last one frees a snapshot that is no longer the current one. */
void lp_registry_snapshot_release(lp_registry *reg,
                                  const struct lp_snapshot *snap);

/* Blob id with this sha256, or 0 when absent. */
uint32_t lp_snapshot_find_sha(const struct lp_snapshot *snap,
                              const uint8_t sha[LP_SHA256_LEN]);

/* Whether some blob has exactly `size` bytes: a file of another size cannot
 * be identical to a registered one, and its SHA-256 need not be computed.
 * False for an empty snapshot (a zeroed struct: a scan without registry). */
bool lp_snapshot_has_size(const struct lp_snapshot *snap, uint64_t size);

/* Index of the first asset of `blob` in snap->assets and their count. */
size_t lp_snapshot_assets(const struct lp_snapshot *snap, uint32_t blob,
                          size_t *first);

/* ---- writer transaction (needs LP_REGISTRY_WRITE) ------------------------ */

/* A transaction must not overlap scans or lookups on the same handle: its
 * commit replaces the handle's segments, which lookups read without a
 * lock. Scans that ran before keep their shared snapshot (see above). */

struct lp_txn;

lp_err lp_registry_begin(lp_registry *reg, struct lp_txn **out);

/* Collection id by name, created when missing (its public flag is set at
 * creation; LP_EINVAL if it exists with the other flag). */
lp_err lp_txn_collection(struct lp_txn *txn, const char *name, bool public_,
                         int64_t *out);

/* Creates version `name` of a collection. LP_EEXIST if it exists. */
lp_err lp_txn_version(struct lp_txn *txn, int64_t collection, const char *name,
                      int64_t created, int64_t *out);

/* Blob id of an existing blob with this sha256, or 0. */
lp_err lp_txn_blob_find(struct lp_txn *txn, const uint8_t sha[LP_SHA256_LEN],
                        uint32_t *out);

/* Adds a new blob and returns its id. */
lp_err lp_txn_blob_add(struct lp_txn *txn, const struct lp_blob_info *info,
                       uint32_t *out);

/* The blob a git blob id was registered as (0: none), in the current
 * generation; needs LP_REGISTRY_WRITE (add is the only caller). */
lp_err lp_registry_gitblob(lp_registry *reg, const uint8_t oid[20],
                           uint32_t *out);

/* Gives every git blob id the registry records (those of files `add`
 * read from a git repository) and its blob to fn (non-zero stops:
 * LP_EABORTED), in the current generation. Read-only; for file listings
 * that name git blob ids. */
lp_err lp_registry_gitblobs(lp_registry *reg,
                            int (*fn)(void *ctx, const uint8_t oid[20],
                                      uint32_t blob),
                            void *ctx);

/* Records that git blob `oid` is `blob`. */
lp_err lp_txn_gitblob(struct lp_txn *txn, const uint8_t oid[20], uint32_t blob);

/* Records the TLSH digest (LP_TLSH_LEN hex digits) of a binary blob. */
lp_err lp_txn_tlsh(struct lp_txn *txn, uint32_t blob, const char *digest);

/* Records a secret of a new blob (its keyed fingerprint, never the value)
 * and a domain its e-mail addresses name. */
lp_err lp_txn_secret(struct lp_txn *txn, uint32_t blob, const char *rule,
                     const char *fp, uint32_t line);
lp_err lp_txn_domain(struct lp_txn *txn, uint32_t blob, const char *domain);
/* Records a watch term learnt from a new blob: kind "ident" or "host"
 * (lp_meta_term_add()). */
lp_err lp_txn_term(struct lp_txn *txn, uint32_t blob, const char *kind,
                   const char *term);

/* Records that `path` of `version` has content `blob`. */
lp_err lp_txn_file(struct lp_txn *txn, int64_t version, const char *path,
                   uint32_t blob);

/* Queues fingerprint entries (copied); they are written as a new segment at
 * commit (or earlier, when many are queued). */
lp_err lp_txn_fingerprints(struct lp_txn *txn, const struct lp_fp_entry *e,
                           size_t n);

/* Makes the transaction durable (see the commit protocol above) and frees
 * it; on failure the registry is left as before and the txn is freed. */
lp_err lp_txn_commit(struct lp_txn *txn);

/* Drops the transaction; accepts NULL. */
void lp_txn_abort(struct lp_txn *txn);

#endif
