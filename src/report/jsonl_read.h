/* SPDX-License-Identifier: Apache-2.0
 *
 * jsonl_read: reads a JSONL report of `scan` or of `secrets` (report_json.c,
 * docs/cli/scan.md and secrets.md, "JSONL") back into the result model, so
 * that every writer renders it again: JSONL -> lp_scan -> JSON is the JSON
 * document the run would have written, byte for byte, and -> JSONL the same
 * lines. Sharded scans (merge) and the monitoring daemon read reports so.
 *
 * The input is hostile: each line is parsed by jansson, every field is
 * checked for its type and range, and every name a line gives (collection,
 * version, rule) must be in the tables of the last line. A line is at most
 * LP_MAX_JSONL_LINE bytes. Nothing is kept of a line but what the model
 * holds, so a report is read in one pass whatever its size. Keys the
 * reader does not know are ignored: a later writer may add some.
 *
 * What the reports do not hold comes back empty: a match's blob, a span's
 * evidence, a file's size and fingerprint count, a commit's time of day
 * (midnight UTC of its day), the files without findings (counted in
 * nscanned), the registry's versions that nothing names. A scan's
 * listings and then its secrets and exposures (its last line) come back as
 * file results of their own after the files of the lines: one per listing,
 * one per run of findings of the same path and commit. A name's bytes come
 * from its *_b64 field when it has one (docs/ENCODING.md). A listing in a
 * file's line (reports written before "listings") is read too.
 */
#ifndef LP_JSONL_READ_H
#define LP_JSONL_READ_H

#include <stddef.h>
#include <stdio.h>

#include "result.h"

/* Reads the JSONL report in fp (read to its end) into a new result.
 * [in] name: the report's name for messages (a path, "-"), not opened.
 * [out] out: on success a new result, which the caller frees with
 *       lp_scan_free(); NULL on failure.
 * [out] why: on failure a one-line reason (whylen bytes), which names the
 *       line: "NAME:LINE: 'kind': not one of code, prose, ...".
 * Returns LP_OK; LP_EFORMAT for input that is not such a report (a line
 * that is not a JSON object, a field missing or of the wrong type or
 * range, a name that the last line does not hold, no last line, a line
 * after it); LP_ELIMIT for a line over LP_MAX_JSONL_LINE bytes; LP_EIO
 * when fp cannot be read; LP_ENOMEM. */
lp_err lp_jsonl_read(FILE *fp, const char *name, struct lp_scan **out,
                     char *why, size_t whylen);

/* The same of the len bytes at buf (a whole report). */
lp_err lp_jsonl_read_buf(const char *buf, size_t len, const char *name,
                         struct lp_scan **out, char *why, size_t whylen);

#endif
