/* SPDX-License-Identifier: Apache-2.0
 *
 * regions: code found by its look inside a host of another kind or
 * language (a C function in Markdown, reStructuredText, texinfo, a shell
 * heredoc, a document's text) or inside a code file's comments
 * (commented-out code). A line classifier marks lines that look like
 * C-family code (a preprocessor directive; a last byte ';', '{' or '}'; a
 * call or declaration ending with ')' or ','; case labels, else, do); a
 * region is a run of such lines, with at most REGION_GAP other lines and
 * two blank lines in a row between them, at least 3 code lines, and code
 * lines at least half of its non-blank lines. Fences (```, ~~~), texinfo
 * commands and reStructuredText directives end a region. analyze.c lexes
 * each region with the C lexer, so that its fingerprints are those of the
 * code file it came from; line numbers are the host's.
 *
 * Pure functions; they read only [text, text + len) and accept any bytes.
 */
#ifndef LP_REGIONS_H
#define LP_REGIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "leakprint.h"

/* A region: bytes [off, off + len) of the text given, starting on line
 * `line` (the host's numbering). */
struct lp_region {
    size_t off, len;
    uint32_t line;
};

struct lp_regions {
    struct lp_region *v;
    size_t n, cap;
};

void lp_regions_init(struct lp_regions *r);
void lp_regions_release(struct lp_regions *r);

/* Whether the line [b, e) (no newline in it) looks like C-family code. */
bool lp_code_line(const char *b, const char *e);

/* Appends to `out` the code regions of text[0, len), whose first line is
 * line `line0` of the host. LP_OK or LP_ENOMEM. */
lp_err lp_code_regions(const char *text, size_t len, uint32_t line0,
                       struct lp_regions *out);

/* Rewrites in place the text of a comment (or of a run of comments on
 * consecutive lines) so that its body reads as code: the markers
 * slash-star, star-slash, a leading '*' of a line and a leading "//" (with
 * "///" and "//!") become spaces; newlines stay, so lines keep their
 * numbers. */
void lp_comment_unwrap(char *s, size_t len);

/* Rewrites in place texinfo's escapes of braces and '@' ("@{", "@}",
 * "@@") into a space and the byte, so that code in an @example block
 * lexes as it does in its source file. */
void lp_texinfo_unescape(char *s, size_t len);

#endif
