/* SPDX-License-Identifier: Apache-2.0
 *
 * meta: the registry's metadata in SQLite (meta.sqlite, WAL mode):
 * collections, versions, files (path -> blob) and blobs. Every row carries
 * the generation `gen` of the transaction that wrote it; readers pass the
 * manifest's generation and never see rows of a later (uncommitted or
 * crashed) transaction. The writer connection uses synchronous=FULL; reader
 * connections are read-only and never block the writer.
 *
 * Schema (docs/FORMAT.md copies it; PRAGMA user_version = LP_META_SCHEMA):
 *   collection(id INTEGER PRIMARY KEY, name TEXT UNIQUE, public INT, gen)
 *   version(id INTEGER PRIMARY KEY, collection, name, created, gen,
 *           UNIQUE(collection, name))
 *   file(version, path, blob, gen)            index on version, on gen
 *   blob(id INTEGER PRIMARY KEY, sha256 BLOB UNIQUE, size, lines, nfp,
 *        nafp, kind, lang, gen)               index on gen
 *   setting(name TEXT PRIMARY KEY, value)     fingerprint parameters
 *   gitblob(oid BLOB PRIMARY KEY, blob, gen)
 *   tlsh(blob INTEGER PRIMARY KEY, digest, gen)
 *   secret(blob, rule, fp, line, gen)         index on fp
 *   maildomain(blob, domain, gen)             index on blob
 *   term(blob, kind, term, gen)               no index (read whole)
 * The last five are added by a writer to a registry that lacks them.
 *
 * Threads: the reader queries (snapshot, counts, list, blob ids, git blobs,
 * secret places, organisation domains, terms) may be called from several
 * threads on one handle (they take its lock); the writer calls may not
 * overlap them.
 */
#ifndef LP_META_H
#define LP_META_H

#include <stdbool.h>
#include <stdint.h>

#include "leakprint.h"
#include "registry.h"

#define LP_META_SCHEMA 2
/* Size of the error buffer meta writes its messages to. */
#define LP_META_ERRLEN 1024

struct lp_meta;

/* Opens `path`. A writer (write=true) creates the file and the schema when
 * missing and sets WAL mode; a reader opens it read-only. Messages go to
 * `err` (LP_META_ERRLEN bytes, borrowed for the handle's life). Reader:
 * LP_ENOTFOUND when the file or its schema is missing. Writer: LP_EFORMAT
 * for an SQLite database with tables but no schema version (another
 * program's), left untouched. LP_EUNSUPPORTED for another schema version
 * or other fingerprint parameters, LP_ECORRUPT, LP_EIO, LP_ENOMEM. *out is
 * set only on success; close with lp_meta_close(). */
lp_err lp_meta_open(const char *path, bool write, char *err,
                    struct lp_meta **out);
void lp_meta_close(struct lp_meta *m);

/* Write transaction of the writer: BEGIN IMMEDIATE, COMMIT, ROLLBACK. */
lp_err lp_meta_begin(struct lp_meta *m);
lp_err lp_meta_commit(struct lp_meta *m);
void lp_meta_rollback(struct lp_meta *m);

/* Recovery: deletes, in one transaction, every row with gen > `gen`. */
lp_err lp_meta_recover(struct lp_meta *m, uint64_t gen);

/* Inside a write transaction (see the lp_txn_* calls of registry.h). */
lp_err lp_meta_collection(struct lp_meta *m, const char *name, bool public_,
                          uint64_t gen, int64_t *out);
lp_err lp_meta_version(struct lp_meta *m, int64_t collection,
                       const char *name, int64_t created, uint64_t gen,
                       int64_t *out);
lp_err lp_meta_blob_find(struct lp_meta *m, const uint8_t sha[LP_SHA256_LEN],
                         uint32_t *out);
lp_err lp_meta_blob_add(struct lp_meta *m, const struct lp_blob_info *info,
                        uint64_t gen, uint32_t *out);
lp_err lp_meta_file(struct lp_meta *m, int64_t version, const char *path,
                    uint32_t blob, uint64_t gen);
/* Git blob id -> blob id (0: unknown), among rows of generation <= gen;
 * and recording one (ignored when known). */
lp_err lp_meta_gitblob_find(struct lp_meta *m, const uint8_t oid[20],
                            uint64_t gen, uint32_t *out);
lp_err lp_meta_tlsh_add(struct lp_meta *m, uint32_t blob, const char *digest,
                        uint64_t gen);
/* Records a secret of a blob: its rule, keyed fingerprint and line. */
lp_err lp_meta_secret_add(struct lp_meta *m, uint32_t blob, const char *rule,
                          const char *fp, uint32_t line, uint64_t gen);

/* Records that a blob names e-mail addresses under `domain`. */
lp_err lp_meta_domain_add(struct lp_meta *m, uint32_t blob, const char *domain,
                          uint64_t gen);

/* A protected file that holds a secret (strings valid during the call). */
struct lp_secret_place {
    const char *collection, *path, *version, *rule;
    uint32_t line;
    bool newest; /* the version is its collection's newest */
};

/* Each protected file (of generation <= gen) holding the secret whose
 * fingerprint is fp, newest versions first, to fn (non-zero stops). A
 * registry made before secrets were recorded has none. */
lp_err lp_meta_secret_where(struct lp_meta *m, uint64_t gen, const char *fp,
                            int (*fn)(void *ctx,
                                      const struct lp_secret_place *p),
                            void *ctx);

/* The domains learnt from the protected collections' e-mail addresses
 * (see meta.c for the rule), in order, to fn (non-zero stops). */
lp_err lp_meta_org_domains(struct lp_meta *m, uint64_t gen,
                           int (*fn)(void *ctx, const char *domain),
                           void *ctx);

/* Records a watch term learnt from a blob: kind "ident" (an identifier
 * of code, src/analyze/terms.h) or "host" (an internal host name,
 * lower-cased). Never a secret's value. */
lp_err lp_meta_term_add(struct lp_meta *m, uint32_t blob, const char *kind,
                        const char *term, uint64_t gen);

/* Each collection of generation <= gen, by name, with whether it is
 * public, to fn (strings valid during the call; non-zero stops). */
lp_err lp_meta_collections(struct lp_meta *m, uint64_t gen,
                           int (*fn)(void *ctx, const char *name,
                                     bool public_),
                           void *ctx);

/* A term learnt from protected blobs (strings valid during the call). */
struct lp_meta_term {
    const char *kind;       /* "ident" or "host" */
    const char *term;
    const char *collection; /* the first by name of those holding it */
    uint64_t files;         /* protected blobs holding it */
};

/* The terms learnt from the protected blobs of live files (generation <=
 * gen) that no public collection's file holds, each once, at most max:
 * held by more blobs first, then longer, then in byte order, then by
 * kind; to fn (non-zero stops). A registry made before terms were
 * learnt has none. */
lp_err lp_meta_terms(struct lp_meta *m, uint64_t gen, size_t max,
                     int (*fn)(void *ctx, const struct lp_meta_term *t),
                     void *ctx);

lp_err lp_meta_gitblob_add(struct lp_meta *m, const uint8_t oid[20],
                           uint32_t blob, uint64_t gen);

/* Deletes a collection, its versions and their files in one transaction.
 * LP_ENOTFOUND when no collection of generation <= gen has this name. */
lp_err lp_meta_remove(struct lp_meta *m, const char *name, uint64_t gen);

/* Fills collections, versions, assets and blobs of `snap` (zeroed by the
 * caller) with the rows of generation <= gen, in one read transaction. On
 * failure the caller frees what was filled with lp_snapshot_free(). */
lp_err lp_meta_snapshot(struct lp_meta *m, uint64_t gen,
                        struct lp_snapshot *snap);

struct lp_meta_counts {
    uint64_t collections, versions, files, blobs, blob_bytes;
};

/* Row counts of generation <= gen, in one read transaction. */
lp_err lp_meta_counts(struct lp_meta *m, uint64_t gen,
                      struct lp_meta_counts *out);

/* One row of lp_meta_list(): a collection and one of its versions
 * (version == NULL for a collection without versions). Strings borrowed
 * for the call. Return non-zero to stop (lp_meta_list returns LP_EABORTED). */
struct lp_meta_list_row {
    const char *collection;
    bool public_;
    const char *version;
    int64_t created;
    uint64_t files;
};

/* Calls cb for each version of each collection, ordered by collection name,
 * then oldest version first, in one read transaction. */
lp_err lp_meta_list(struct lp_meta *m, uint64_t gen,
                    int (*cb)(void *ctx, const struct lp_meta_list_row *row),
                    void *ctx);

/* ---- checks (check.c) ---------------------------------------------------- */

/* The largest generation of any collection, version, file or blob row (0
 * for a registry that holds none). */
lp_err lp_meta_max_gen(struct lp_meta *m, uint64_t *out);

/* Runs SQLite's PRAGMA quick_check (the structure of every page and index)
 * and gives each problem it names to fn (non-zero stops: LP_EABORTED). */
lp_err lp_meta_quick_check(struct lp_meta *m,
                           int (*fn)(void *ctx, const char *problem),
                           void *ctx);

/* Gives the id of each blob of generation <= gen to fn (non-zero stops:
 * LP_EABORTED). */
lp_err lp_meta_blob_ids(struct lp_meta *m, uint64_t gen,
                        int (*fn)(void *ctx, uint32_t id), void *ctx);

/* Gives each git blob id of generation <= gen and the blob it was
 * registered as to fn (non-zero stops: LP_EABORTED). */
lp_err lp_meta_gitblobs(struct lp_meta *m, uint64_t gen,
                        int (*fn)(void *ctx, const uint8_t oid[20],
                                  uint32_t blob),
                        void *ctx);

/* ---- registry internals used by list.c (defined in registry.c) ---------- */

/* The registry's metadata handle (borrowed). */
struct lp_meta *lp_registry_meta(lp_registry *reg);

/* Generation of the manifest the handle reads. */
uint64_t lp_registry_gen(const lp_registry *reg);

struct lp_registry_disk {
    uint64_t segments;      /* live segments */
    uint64_t fingerprints;  /* sum of their entry counts */
    uint64_t segment_bytes; /* sum of their file sizes */
    uint64_t meta_bytes;    /* meta.sqlite and its WAL */
};

/* Sizes of the registry's files. */
void lp_registry_disk(const lp_registry *reg, struct lp_registry_disk *out);

#endif
