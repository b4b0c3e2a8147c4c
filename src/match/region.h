/* SPDX-License-Identifier: Apache-2.0
 *
 * region: how much a matched region of a scanned file says, in absolute
 * terms (its tokens) and by how informative its text is (its vocabulary: a
 * long list of `case 'A':` ... `case 'Z':` says little however many
 * fingerprints it yields). See docs/VERDICT.md, "Evidence floor".
 */
#ifndef LP_REGION_H
#define LP_REGION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The matcher counts over byte stretches it finds through its own index of
 * line starts (lp_region_count_tokens, lp_word_set_add); the line-addressed
 * forms below find the lines themselves, from the start of the text.
 *
 * Tokens of the lines [first, last] (1-based, inclusive) of text[0..len):
 * each run of letters, digits and '_' is one token, each other character
 * that is not white space is one. */
size_t lp_region_tokens(const char *text, size_t len, uint32_t first,
                        uint32_t last);

/* Tokens of text[0..len), counted as lp_region_tokens() counts them. */
size_t lp_region_count_tokens(const char *text, size_t len);

/* Lines [first, last], 1-based, inclusive. */
struct lp_line_range {
    uint32_t first, last;
};

#define LP_WORDS_SET 1024

/* Distinct words (runs of 2 or more letters, digits, '_' or bytes of
 * UTF-8 sequences) on the lines of text[0..len) in the n ranges r (sorted
 * by first line), counted up to cap (at most LP_WORDS_SET / 2): what a
 * region says beyond its punctuation and single characters. A list of
 * `case 'A':` ... `case 'Z':` has one word however long it is. Words are
 * told apart by a 32-bit hash. */
size_t lp_region_words(const char *text, size_t len,
                       const struct lp_line_range *r, size_t n, size_t cap);

/* Distinct words of several stretches of text, counted as
 * lp_region_words() counts them: init, then add each stretch (its count so
 * far is returned; adding stops at cap). */
struct lp_word_set {
    uint32_t set[LP_WORDS_SET];
    size_t d;
};
void lp_word_set_init(struct lp_word_set *ws);
size_t lp_word_set_add(struct lp_word_set *ws, const char *p, size_t n,
                       size_t cap);

/* Lines of text[0..len) that are not C scaffolding, counted up to cap.
 * Scaffolding is what any header has whoever wrote it: blank lines, a
 * comment alone, a conditional (#if, #ifdef, #ifndef, #elif, #else,
 * #endif), #include of a system header (<...>), #pragma once,
 * `extern "C" {` and a lone closing brace. A #define, a declaration, any
 * other code is not. A match whose shared text is scaffolding but for a
 * line (the C++ guard and <stddef.h> of two small headers, a k-gram
 * reaching into the end of the declaration before the guard's close)
 * says nothing of where a file comes from. */
size_t lp_region_code_lines(const char *text, size_t len, size_t cap);

#endif
