/* SPDX-License-Identifier: Apache-2.0
 *
 * analyze: the per-file front half of the pipeline shared by add and scan:
 * classify (lp_analyze_id), then normalize and fingerprint
 * (lp_analyze_fp) only for contents that need it. A struct lp_analyzer holds one
 * worker's scratch buffers, reused from file to file.
 */
#ifndef LP_ANALYZE_H
#define LP_ANALYZE_H

#include <stdbool.h>

#include "binary.h"
#include "classify.h"
#include "extract.h"
#include "fingerprint.h"
#include "hash.h"
#include "normalize.h"
#include "regions.h"

struct lp_analyzer {
    struct lp_tokens tok;
    struct lp_fps fps;
    char *text; /* the contents as UTF-8, when they were UTF-16 */
    size_t captext;
    struct lp_strings strings; /* a binary's printable strings */
    struct lp_doc_text doc;    /* a document's text */
    /* Code found inside the host (regions.h): its regions, the tokens of
     * one region, of all of them, and a region's rewritten text. */
    struct lp_regions regions;
    struct lp_tokens rtok, rall;
    char *rbuf;
    size_t caprbuf;
};

struct lp_analysis {
    uint8_t sha[LP_SHA256_LEN]; /* set when have_sha */
    bool have_sha;
    uint64_t size;
    enum lp_kind kind;
    enum lp_lang lang;
    uint32_t lines;
    /* What is classified and lexed: the file's bytes, or their UTF-8 form
     * for UTF-16 text (with a byte-order mark, or NUL every other byte);
     * a UTF-8 byte-order mark is left out. Borrowed. */
    const char *text;
    size_t tlen;
    /* Borrowed from the analyzer until its next call: nfp fingerprints of
     * the normalized stream, then nafp of the abstract one (0 until
     * lp_analyze_abstract()). */
    const struct lp_fp *fp;
    size_t nfp, nafp;
    /* Every fingerprint was lexed as code (lp_analyze_fp() of a file in a
     * language lexed as code, and the code found in its comments): none
     * can be a k-gram of licence prose, so the matcher does not look them
     * up in the licence background. False when unknown. */
    bool code_only;
    /* Borrowed likewise: the tokens the fingerprints were made of (set by
     * lp_analyze_fp() for lexed text; match places span ends with them). */
    const struct lp_token *tok;
    size_t ntok;
    /* A binary (after lp_analyze_fp()): what it is, its TLSH digest when
     * it has one; its fingerprints are those of its printable strings, one
     * per line (`lines` counts them). */
    uint8_t bin; /* enum lp_bin */
    bool have_tlsh;
    char tlsh[LP_TLSH_LEN + 1];
};

void lp_analyzer_init(struct lp_analyzer *a);
void lp_analyzer_release(struct lp_analyzer *a);

/* First stage: identifies buf[0..len) named `name`: size, text (decoded),
 * kind, language (and lines for files that are not lexed), and the SHA-256
 * of the bytes when want_sha. Enough to recognise a content the registry
 * already has, which then needs no second stage. LP_OK or LP_ENOMEM. */
lp_err lp_analyze_id(struct lp_analyzer *a, const char *name, const char *buf,
                     size_t len, bool want_sha, struct lp_analysis *out);

/* What a search for secrets needs of a content, and no more: its text
 * (UTF-16 decoded, without a byte-order mark), kind LP_KIND_OTHER, not
 * classified. */
lp_err lp_analyze_raw(struct lp_analyzer *a, const char *buf, size_t len,
                      struct lp_analysis *out);

/* First stage for a document (PDF, office file, HTML, RTF: format d, see
 * extract.h): the SHA-256 of its bytes when want_sha, then its text,
 * extracted into a->doc, becomes out's text, read as prose. LP_EFORMAT
 * when it cannot be read, LP_ELIMIT when a cap cut its text (what was
 * extracted is kept): the reason is in why. LP_ENOMEM. */
lp_err lp_analyze_document(struct lp_analyzer *a, enum lp_doc d,
                           const char *buf, size_t len, bool want_sha,
                           struct lp_analysis *out, char *why, size_t whylen);

/* Computes the SHA-256 if the first stage did not. */
lp_err lp_analyze_sha(const char *buf, size_t len, struct lp_analysis *out);

/* Second stage: lexes and winnows the text of code and prose identified by
 * the first (other kinds get no fingerprint); sets lines, fp and nfp.
 * Code found inside the host (regions.h: in prose, documents and shell
 * scripts; in the comments of C-family code) is lexed as C too, and its
 * fingerprints follow the host's own in the normalized stream, with the
 * host's line numbers. LP_OK or LP_ENOMEM. */
lp_err lp_analyze_fp(struct lp_analyzer *a, struct lp_analysis *out);

/* Third stage, for code analyzed by the second: appends the fingerprints
 * of the abstract stream (none for prose and other kinds); sets fp and
 * nafp. LP_OK or LP_ENOMEM. */
lp_err lp_analyze_abstract(struct lp_analyzer *a, struct lp_analysis *out);

#endif
