/* SPDX-License-Identifier: Apache-2.0
 *
 * front: what the two programs on the public API in the leakprint binary
 * share (cli/: add, scan, check, list, secrets; daemon/: watch, cases):
 * the one-line error, and what is taken from the environment on the
 * library's behalf for the input options (the library reads no
 * environment variable). Both include this header; front/ itself uses
 * <leakprint.h> only, never cli/ or daemon/ (scripts/check-layers.py).
 */
#ifndef LP_FRONT_H
#define LP_FRONT_H

#include <stddef.h>

#include "leakprint.h"

/* Prints "leakprint: <msg>" on stderr (one line). */
void lp_front_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Sets opt->sevenzip to the first executable 7zz on the PATH, its path
 * written into buf (len bytes; NULL when there is none, or PATH is unset),
 * and opt->no_io_uring when LEAKPRINT_IO_URING is "0". */
void lp_front_input_env(struct lp_input_options *opt, char *buf, size_t len);

/* Where the compiled secret rules are cached: $XDG_CACHE_HOME/leakprint
 * or $HOME/.cache/leakprint, made when missing, its path written into buf.
 * Returns buf, or NULL when there is none (no variable set, or it cannot
 * be made): the rules are then compiled at every run. */
const char *lp_front_cache_dir(char *buf, size_t len);

#endif
