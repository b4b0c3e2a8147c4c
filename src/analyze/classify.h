/* SPDX-License-Identifier: Apache-2.0
 *
 * classify: decides what a file is (code in some language, prose, binary or
 * other) from its name and its first bytes: extension first, then well-known
 * file names (Makefile, Dockerfile, Kconfig, CMakeLists.txt), then a shebang
 * line, then content (NUL bytes and control characters mean binary).
 */
#ifndef LP_CLASSIFY_H
#define LP_CLASSIFY_H

#include <stddef.h>

enum lp_kind {
    LP_KIND_OTHER = 0,
    LP_KIND_CODE = 1,
    LP_KIND_PROSE = 2,
    LP_KIND_BINARY = 3,
    LP_KIND_LISTING = 4, /* reserved: file listings (a later issue) */
};

/* Never renumber: stored in the registry. */
enum lp_lang {
    LP_LANG_NONE = 0,
    /* C family */
    LP_LANG_C = 1,
    LP_LANG_CPP = 2,
    LP_LANG_JAVA = 3,
    LP_LANG_JS = 4,
    LP_LANG_TS = 5,
    LP_LANG_GO = 6,
    LP_LANG_RUST = 7,
    LP_LANG_CSHARP = 8,
    LP_LANG_KOTLIN = 9,
    LP_LANG_SWIFT = 10,
    LP_LANG_OBJC = 11,
    /* #-comment family */
    LP_LANG_SHELL = 20,
    LP_LANG_PYTHON = 21,
    LP_LANG_PERL = 22,
    LP_LANG_RUBY = 23,
    LP_LANG_MAKE = 24,
    LP_LANG_CMAKE = 25,
    LP_LANG_KCONFIG = 26,
    LP_LANG_YAML = 27,
    LP_LANG_TOML = 28,
    LP_LANG_INI = 29,
    LP_LANG_DOCKERFILE = 30,
    /* prose */
    LP_LANG_TEXT = 40,
    LP_LANG_MARKDOWN = 41,
    LP_LANG_RST = 42,
    LP_LANG_MAN = 43,
};

/* Classifies `path` (a logical path; only its last component is used) with
 * the first `len` bytes of its content (`len` may be the whole file). Sets
 * *lang (LP_LANG_NONE for binary/other) and returns the kind. Never fails. */
enum lp_kind lp_classify(const char *path, const unsigned char *buf,
                         size_t len, enum lp_lang *lang);

/* Short lower-case name of a language ("c", "shell", "markdown"), or "none". */
const char *lp_lang_name(enum lp_lang lang);

/* Name of a kind as in CONTRACT.md: code, prose, binary, listing, other. */
const char *lp_kind_name(enum lp_kind kind);

#endif
