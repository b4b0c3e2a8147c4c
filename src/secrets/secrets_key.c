/* SPDX-License-Identifier: Apache-2.0
 *
 * secrets_key: reading, making and naming the fingerprints' key (see
 * secrets_key.h). The key never leaves this module's buffers but into the
 * engine; buffers that held it are wiped.
 */
#include "secrets_key.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "hash.h"
#include "banned.h"

lp_err lp_secrets_key_read(const char *path, unsigned char key[LP_KEY_LEN],
                           char *why, size_t whylen)
{
    /* one byte more than the longest valid file tells a longer one */
    char buf[2 * LP_KEY_LEN + 2];
    ssize_t n = -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return lp_errf(why, whylen, errno == ENOENT ? LP_ENOTFOUND : LP_EIO,
                       "'%s': %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return lp_errf(why, whylen, LP_EFORMAT,
                       "'%s': not a fingerprint key (not a regular file)",
                       path);
    }
    size_t got = 0;
    while (got < sizeof buf &&
           (n = read(fd, buf + got, sizeof buf - got)) > 0)
        got += (size_t)n;
    int rerr = errno;
    close(fd);
    if (n < 0) {
        OPENSSL_cleanse(buf, sizeof buf);
        return lp_errf(why, whylen, LP_EIO, "'%s': %s", path, strerror(rerr));
    }
    bool ok = got == 2 * LP_KEY_LEN ||
              (got == 2 * LP_KEY_LEN + 1 && buf[2 * LP_KEY_LEN] == '\n');
    for (size_t i = 0; ok && i < LP_KEY_LEN; i++) {
        int hi = lp_hex_digit(buf[2 * i]), lo = lp_hex_digit(buf[2 * i + 1]);
        ok = hi >= 0 && lo >= 0;
        key[i] = ok ? (unsigned char)(hi << 4 | lo) : 0;
    }
    OPENSSL_cleanse(buf, sizeof buf);
    if (!ok) {
        OPENSSL_cleanse(key, LP_KEY_LEN);
        return lp_errf(why, whylen, LP_EFORMAT,
                       "'%s': not a fingerprint key (64 hexadecimal digits)",
                       path);
    }
    return LP_OK;
}

lp_err lp_secrets_key_random(unsigned char key[LP_KEY_LEN])
{
    return RAND_bytes(key, LP_KEY_LEN) == 1 ? LP_OK : LP_EIO;
}

/* Writes key as a new key file, mode 0600, named from the template tmp
 * ("...XXXXXX", completed in place: unique even between threads); *made
 * says whether the file was created (to be removed after). */
static lp_err write_key(char *tmp, const unsigned char key[LP_KEY_LEN],
                        bool *made)
{
    static const char hex[] = "0123456789abcdef";
    char buf[2 * LP_KEY_LEN + 1];
    for (size_t i = 0; i < LP_KEY_LEN; i++) {
        buf[2 * i] = hex[key[i] >> 4];
        buf[2 * i + 1] = hex[key[i] & 15];
    }
    buf[2 * LP_KEY_LEN] = '\n';
    int fd = mkostemp(tmp, O_CLOEXEC); /* O_EXCL, mode 0600 */
    lp_err err = fd < 0 ? LP_EIO : LP_OK;
    *made = fd >= 0;
    if (!err && (fchmod(fd, 0600) != 0 ||
                 write(fd, buf, sizeof buf) != (ssize_t)sizeof buf ||
                 fsync(fd) != 0))
        err = LP_EIO;
    int saved = errno;
    if (fd >= 0 && close(fd) != 0 && !err) {
        saved = errno;
        err = LP_EIO;
    }
    OPENSSL_cleanse(buf, sizeof buf);
    errno = saved;
    return err;
}

lp_err lp_secrets_key_get(const char *path, unsigned char key[LP_KEY_LEN],
                          bool *created, char *why, size_t whylen)
{
    if (created)
        *created = false;
    lp_err err = lp_secrets_key_read(path, key, why, whylen);
    if (err != LP_ENOTFOUND)
        return err;
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= sizeof tmp)
        return lp_errf(why, whylen, LP_EINVAL, "'%s': path too long", path);
    if ((err = lp_secrets_key_random(key)) != LP_OK)
        return lp_errf(why, whylen, err, "'%s': no random bytes for a key",
                       path);
    bool made = false;
    err = write_key(tmp, key, &made);
    int saved = errno;
    /* link() fails if another writer made the key first: then theirs is
     * the key, and it is whole, for it was linked whole */
    bool lost = !err && link(tmp, path) != 0;
    if (lost)
        saved = errno;
    if (made)
        unlink(tmp); /* never left beside the key */
    if (!err && !lost) {
        if (created)
            *created = true;
        return LP_OK;
    }
    OPENSSL_cleanse(key, LP_KEY_LEN);
    if (lost && saved == EEXIST)
        return lp_secrets_key_read(path, key, why, whylen);
    return lp_errf(why, whylen, LP_EIO, "'%s': cannot write the key: %s",
                   path, strerror(saved));
}

void lp_secrets_key_id(const unsigned char key[LP_KEY_LEN],
                       char out[LP_KEY_ID_LEN + 1])
{
    static const char label[] = "leakprint key id";
    static const char hex[] = "0123456789abcdef";
    unsigned char buf[sizeof label - 1 + LP_KEY_LEN];
    uint8_t h[LP_SHA256_LEN];
    memcpy(buf, label, sizeof label - 1);
    memcpy(buf + sizeof label - 1, key, LP_KEY_LEN);
    if (lp_sha256(buf, sizeof buf, h) != LP_OK)
        memset(h, 0, sizeof h);
    OPENSSL_cleanse(buf, sizeof buf);
    for (size_t i = 0; i < LP_KEY_ID_LEN / 2; i++) {
        out[2 * i] = hex[h[i] >> 4];
        out[2 * i + 1] = hex[h[i] & 15];
    }
    out[LP_KEY_ID_LEN] = '\0';
}
