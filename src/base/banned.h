/* SPDX-License-Identifier: Apache-2.0
 *
 * banned.h: libc calls that are unsafe or not thread-safe become compile
 * errors. Include it last in every .c file of the library and the CLI.
 */
#ifndef LP_BANNED_H
#define LP_BANNED_H

#define LP_BANNED(f) sorry_##f##_is_banned_in_leakprint

#undef strcpy
#define strcpy(a, b) LP_BANNED(strcpy)
#undef strcat
#define strcat(a, b) LP_BANNED(strcat)
#undef sprintf
#define sprintf(...) LP_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) LP_BANNED(vsprintf)
#undef strtok
#define strtok(a, b) LP_BANNED(strtok)
#undef atoi
#define atoi(a) LP_BANNED(atoi)
#undef atol
#define atol(a) LP_BANNED(atol)
#undef gmtime
#define gmtime(a) LP_BANNED(gmtime)
#undef localtime
#define localtime(a) LP_BANNED(localtime)
#undef gets
#define gets(a) LP_BANNED(gets)

#endif
