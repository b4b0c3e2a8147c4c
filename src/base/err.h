/* SPDX-License-Identifier: Apache-2.0
 *
 * err: formatting of error details into a caller's fixed buffer, for the
 * modules that report "'path': reason" messages up to a handle.
 */
#ifndef LP_ERR_H
#define LP_ERR_H

#include <stddef.h>

#include "leakprint.h"

/* Formats the message into buf (len bytes; nothing when buf is NULL) and
 * returns code, so that `return lp_errf(...)` reports and fails at once. */
lp_err lp_errf(char *buf, size_t len, lp_err code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The reason errno value e gives, for a "'path': reason" message: "permission
 * denied" for EACCES and EPERM (so that a file the user may not read is
 * never taken for a missing one), strerror()'s text otherwise. */
const char *lp_errno_str(int e);

#endif
