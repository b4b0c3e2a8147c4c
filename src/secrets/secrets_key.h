/* SPDX-License-Identifier: Apache-2.0
 *
 * secrets_key: the key of the secrets' fingerprints (issue 14). A
 * fingerprint is HMAC-SHA256 of the value under a random 256-bit key, so
 * that a report, a baseline or a registry cannot be used to test guesses
 * without the key. A key file holds the key as 64 hexadecimal digits and
 * an optional newline (`openssl rand -hex 32` makes one); it is created
 * with mode 0600, whole or not at all. A key is named by its id, the first
 * 8 bytes of SHA-256("leakprint key id" || key) in hex: reports and
 * baselines carry the id, never the key.
 */
#ifndef LP_SECRETS_KEY_H
#define LP_SECRETS_KEY_H

#include <stdbool.h>
#include <stddef.h>

#include "leakprint.h"

#define LP_KEY_LEN 32    /* bytes of a key */
#define LP_KEY_ID_LEN 16 /* hex digits of a key's id */

/* The name of a registry's key file, in its directory. */
#define LP_KEY_FILE "secrets.key"

/* Reads the key file at `path` into key. LP_ENOTFOUND when there is no
 * such file, LP_EFORMAT when it holds no key (wrong size, not hex),
 * LP_EIO when it cannot be read (permission denied...): a one-line reason
 * naming the path in why. */
lp_err lp_secrets_key_read(const char *path, unsigned char key[LP_KEY_LEN],
                           char *why, size_t whylen);

/* Reads the key file at `path`; when there is none, makes a random key
 * and writes it there (mode 0600, through a temporary file linked into
 * place, so that a reader never sees half a key and two writers agree on
 * the first one's). *created (may be NULL) says whether it was made. */
lp_err lp_secrets_key_get(const char *path, unsigned char key[LP_KEY_LEN],
                          bool *created, char *why, size_t whylen);

/* A random key (for a run that keeps none). */
lp_err lp_secrets_key_random(unsigned char key[LP_KEY_LEN]);

/* The id of key: LP_KEY_ID_LEN hex digits and a NUL into out. */
void lp_secrets_key_id(const unsigned char key[LP_KEY_LEN],
                       char out[LP_KEY_ID_LEN + 1]);

#endif
