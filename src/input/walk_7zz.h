/* SPDX-License-Identifier: Apache-2.0
 *
 * walk_7zz: encrypted 7z and RAR archives, which libarchive cannot
 * decrypt, read through Debian's 7zz program with the passwords given
 * (see walk_7zz.c). Used by walk_archive only.
 */
#ifndef LP_WALK_7ZZ_H
#define LP_WALK_7ZZ_H

#include "walk_archive.h"

/* Walks the archive (buf[0..len), or the file fspath when not NULL) as
 * lp_archive_walk() does, through the program lim->sevenzip (not NULL),
 * trying lim's passwords in turn. LP_EFORMAT when
 * none fits (nothing was said to w about it: the caller says why);
 * LP_EUNSUPPORTED when 7zz cannot be run; LP_ENOMEM; the callback's
 * error. */
lp_err lp_7zz_walk(const char *logical, const char *buf, size_t len,
                   const char *fspath, unsigned depth,
                   const struct lp_archive_limits *lim,
                   struct lp_archive_budget *budget, struct lp_warner *w,
                   lp_archive_member_fn fn, void *ctx);

#endif
