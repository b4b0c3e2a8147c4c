/* SPDX-License-Identifier: Apache-2.0
 *
 * err: names of error codes and the library version.
 */
#include "err.h"

#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "banned.h"

lp_err lp_errf(char *buf, size_t len, lp_err code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (buf && len)
        vsnprintf(buf, len, fmt, ap);
    va_end(ap);
    return code;
}

const char *lp_errno_str(int e)
{
    if (e == EACCES || e == EPERM)
        return "permission denied";
    return strerror(e);
}

const char *lp_strerror(lp_err err)
{
    switch (err) {
    case LP_OK: return "success";
    case LP_ENOMEM: return "out of memory";
    case LP_EIO: return "input/output error";
    case LP_EINVAL: return "invalid argument";
    case LP_EFORMAT: return "input not understood";
    case LP_ECORRUPT: return "registry is corrupt";
    case LP_ELIMIT: return "limit reached";
    case LP_ENOTFOUND: return "not found";
    case LP_EEXIST: return "already exists";
    case LP_EUNSUPPORTED: return "not supported";
    case LP_EABORTED: return "aborted";
    case LP_EBUSY: return "busy";
    }
    return "unknown error";
}

const char *lp_version(void)
{
    return LP_VERSION_STRING;
}
