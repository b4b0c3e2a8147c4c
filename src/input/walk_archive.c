/* SPDX-License-Identifier: Apache-2.0
 *
 * walk_archive: archive members through libarchive, from memory, under
 * limits (see walk_archive.h).
 */
#include "walk_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "limits.h"
#include "mem.h"
#include "walk_7zz.h"
#include "banned.h"

void lp_archive_limits_default(struct lp_archive_limits *lim)
{
    memset(lim, 0, sizeof *lim);
    lim->max_depth = LP_MAX_ARCHIVE_DEPTH_DEFAULT;
    lim->max_entry = LP_MAX_FILE_SIZE_DEFAULT;
    lim->max_total = LP_MAX_EXPANDED_DEFAULT;
    lim->max_ratio = LP_MAX_RATIO_DEFAULT;
    lim->max_entries = LP_MAX_ENTRIES_DEFAULT;
    lim->max_line = LP_MAX_LINE_DEFAULT;
    lim->max_path = LP_MAX_PATH;
}

void lp_archive_limits_from(struct lp_archive_limits *lim,
                            const struct lp_input_options *in,
                            uint64_t max_file)
{
    lp_archive_limits_default(lim);
    if (max_file)
        lim->max_entry = max_file;
    if (!in)
        return;
    if (in->max_depth)
        lim->max_depth = in->max_depth;
    if (in->max_expanded)
        lim->max_total = in->max_expanded;
    if (in->max_ratio)
        lim->max_ratio = in->max_ratio;
    if (in->max_entries)
        lim->max_entries = in->max_entries;
    if (in->max_line)
        lim->max_line = in->max_line;
    if (in->max_path && in->max_path < LP_MAX_PATH)
        lim->max_path = in->max_path;
    lim->passwords = in->passwords;
    lim->npasswords = in->npasswords;
    lim->sevenzip = in->sevenzip;
}

size_t lp_archive_cut_lines(struct lp_warner *w, const char *path,
                            const char *buf, size_t len,
                            const struct lp_archive_limits *lim)
{
    uint32_t line;
    size_t keep = lp_walk_long_line(buf, len, (size_t)lim->max_line, &line);
    if (line) {
        char why[160];
        snprintf(why, sizeof why,
                 "line %u longer than %llu bytes (--max-line-length): read "
                 "up to the line before it", (unsigned)line,
                 (unsigned long long)lim->max_line);
        lp_warner_skip(w, path, why);
    }
    return keep;
}

void lp_archive_say_too_deep(struct lp_warner *w, const char *path,
                             const struct lp_archive_limits *lim)
{
    char why[128];
    snprintf(why, sizeof why,
             "archive nested deeper than %u levels (--max-depth) (skipped)",
             lim->max_depth);
    lp_warner_skip(w, path, why);
}

static bool has(const unsigned char *buf, size_t len, size_t off,
                const char *magic, size_t n)
{
    return len >= off + n && memcmp(buf + off, magic, n) == 0;
}

/* A tar header without the "ustar" mark (7th edition tar): its checksum,
 * the sum of the header's bytes with the checksum field read as spaces,
 * must be the octal number in that field. */
static bool old_tar(const unsigned char *buf, size_t len)
{
    if (len < 512)
        return false;
    unsigned long sum = 0, want = 0;
    for (size_t i = 0; i < 512; i++)
        sum += i >= 148 && i < 156 ? ' ' : buf[i];
    size_t i = 148;
    while (i < 156 && buf[i] == ' ')
        i++;
    size_t digits = 0;
    for (; i < 156 && buf[i] >= '0' && buf[i] <= '7'; i++, digits++)
        want = want * 8 + (unsigned long)(buf[i] - '0');
    /* An all-zero block sums to 256 (the spaces): not a header. */
    return digits > 0 && want == sum && sum != 8 * ' ';
}

bool lp_archive_detect(const unsigned char *b, size_t len)
{
    if (len < 4)
        return false;
    return has(b, len, 0, "\x1f\x8b", 2) ||                 /* gzip */
           (has(b, len, 0, "BZh", 3) && b[3] >= '1' && b[3] <= '9') ||
           has(b, len, 0, "\xfd" "7zXZ\0", 6) ||            /* xz */
           has(b, len, 0, "\x28\xb5\x2f\xfd", 4) ||         /* zstd */
           has(b, len, 0, "\x04\x22\x4d\x18", 4) ||         /* lz4 */
           has(b, len, 0, "\x1f\x9d", 2) ||                 /* compress */
           (has(b, len, 0, "\x5d\0\0", 3) && len >= 13 &&   /* lzma alone */
            (b[12] == 0 || b[12] == 0xff)) ||
           has(b, len, 0, "PK\3\4", 4) || has(b, len, 0, "PK\5\6", 4) ||
           has(b, len, 0, "PK\7\x08", 4) ||
           has(b, len, 0, "7z\xbc\xaf\x27\x1c", 6) ||
           has(b, len, 0, "Rar!\x1a\x07", 6) ||
           has(b, len, 0, "070707", 6) || has(b, len, 0, "070701", 6) ||
           has(b, len, 0, "070702", 6) || has(b, len, 0, "\xc7\x71", 2) ||
           has(b, len, 0, "\x71\xc7", 2) ||                 /* binary cpio */
           has(b, len, 0, "!<arch>\n", 8) ||
           has(b, len, 0, "MSCF\0\0\0\0", 8) ||             /* cabinet */
           has(b, len, 0, "xar!", 4) ||
           has(b, len, 257, "ustar", 5) || old_tar(b, len) ||
           has(b, len, 32769, "CD001", 5);                  /* iso9660 */
}

struct walk {
    const char *logical;
    unsigned depth;
    const struct lp_archive_limits *lim;
    struct lp_archive_budget *budget;
    struct lp_warner *w;
    uint64_t len; /* bytes of this archive */
};

static void skipped(struct walk *k, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void skipped(struct walk *k, const char *path, const char *fmt, ...)
{
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    lp_warner_skip(k->w, path, why);
}

/* The name of the one member of a compressed plain file: the archive's
 * own name without its compression suffix. */
static void raw_name(const char *logical, char *out, size_t outlen)
{
    static const char *const sfx[][2] = {
        {".tgz", ".tar"}, {".tbz2", ".tar"}, {".tbz", ".tar"},
        {".txz", ".tar"}, {".tzst", ".tar"}, {".gz", ""}, {".bz2", ""},
        {".xz", ""}, {".lzma", ""}, {".zst", ""}, {".lz4", ""}, {".Z", ""},
    };
    const char *base = logical;
    for (const char *p = logical; *p; p++)
        if (*p == '/' || *p == '!')
            base = p + 1;
    size_t n = strlen(base);
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
        size_t s = strlen(sfx[i][0]);
        if (n > s && strcmp(base + n - s, sfx[i][0]) == 0) {
            snprintf(out, outlen, "%.*s%s", (int)(n - s), base, sfx[i][1]);
            return;
        }
    }
    snprintf(out, outlen, "%s", *base ? base : "data");
}

/* Whether the bytes expanded so far break a budget limit; says so once. */
static bool over_budget(struct walk *k)
{
    struct lp_archive_budget *b = k->budget;
    if (b->exhausted)
        return true;
    /* A small input may expand a little more than the ratio allows (a
     * 1 KB zip of a 1 MB log is no bomb). */
    uint64_t floor = 16u << 20;
    uint64_t ratio_cap = b->input * k->lim->max_ratio;
    if (ratio_cap / k->lim->max_ratio != b->input)
        ratio_cap = UINT64_MAX;
    if (b->expanded > k->lim->max_total) {
        skipped(k, k->logical,
                "expands to more than %llu bytes (--max-expanded): rest not "
                "read",
                (unsigned long long)k->lim->max_total);
        b->exhausted = true;
    } else if (b->expanded > floor && b->expanded > ratio_cap) {
        skipped(k, k->logical,
                "expands more than %u times its size (--max-ratio; a "
                "compression bomb?): rest not read",
                (unsigned)k->lim->max_ratio);
        b->exhausted = true;
    }
    return b->exhausted;
}

/* Why an encrypted member could not be read: libarchive decrypts zip
 * (PKWARE and WinZip AES) only; for 7-Zip AES and RAR it says "not
 * supported" whatever the password. */
static const char *why_encrypted(const struct walk *k, const char *msg)
{
    if (!k->lim->npasswords)
        return "no password given (--password)";
    if (msg && strstr(msg, "not supported"))
        return k->lim->sevenzip
                   ? "with a cipher libarchive cannot decrypt (7-Zip AES, RAR)"
                   : "with a cipher libarchive cannot decrypt (7-Zip AES, "
                     "RAR), and no 7zz to read it";
    return "no password given fits";
}

/* Reads the current member whole into *buf. Returns LP_OK with *ok set
 * when it was read; LP_OK with *ok clear when it was not (said to w);
 * LP_ENOMEM. *fatal is set when the archive cannot go on. */
static lp_err read_member(struct walk *k, struct archive *a,
                          struct archive_entry *ent, const char *path,
                          char **buf, size_t *cap, size_t *len, bool *ok,
                          bool *fatal)
{
    uint64_t max = k->lim->max_entry;
    *ok = false;
    *len = 0;
    if (archive_entry_size_is_set(ent) && archive_entry_size(ent) >= 0 &&
        (uint64_t)archive_entry_size(ent) > max) {
        skipped(k, path, "file larger than %llu bytes (skipped)",
                (unsigned long long)max);
        return LP_OK;
    }
    for (;;) {
        if (*len + 1 >= *cap) {
            size_t want = *cap ? *cap * 2 : 64u << 10;
            if (want > max + 2)
                want = (size_t)max + 2;
            if (want <= *len + 1) { /* full at max + 1 bytes */
                skipped(k, path, "file larger than %llu bytes (skipped)",
                        (unsigned long long)max);
                return LP_OK;
            }
            char *nb = lp_realloc(*buf, want);
            if (!nb)
                return LP_ENOMEM;
            *buf = nb;
            *cap = want;
        }
        la_ssize_t r = archive_read_data(a, *buf + *len, *cap - 1 - *len);
        if (r == 0)
            break;
        if (r < 0) {
            const char *msg = archive_error_string(a);
            *fatal = r == ARCHIVE_FATAL;
            if (archive_entry_is_encrypted(ent))
                skipped(k, path, "encrypted, %s: %s", why_encrypted(k, msg),
                        msg ? msg : "cannot decrypt");
            else
                skipped(k, path, "cannot read: %s", msg ? msg : "damaged");
            return LP_OK;
        }
        *len += (size_t)r;
        k->budget->expanded += (uint64_t)r;
        if (*len > max) {
            skipped(k, path, "file larger than %llu bytes (skipped)",
                    (unsigned long long)max);
            return LP_OK;
        }
        if (over_budget(k)) {
            skipped(k, path, "not read: the archive's limits were reached");
            *fatal = true;
            return LP_OK;
        }
    }
    (*buf)[*len] = '\0';
    *ok = true;
    return LP_OK;
}

static const char *entry_type(struct archive_entry *ent)
{
    switch (archive_entry_filetype(ent)) {
    case AE_IFLNK: return "symbolic link";
    case AE_IFCHR: return "character device";
    case AE_IFBLK: return "block device";
    case AE_IFIFO: return "named pipe";
    case AE_IFSOCK: return "socket";
    default: return "not a regular file";
    }
}

/* Opens the archive in buf[0..len), or else in the file `path`. */
/* A 7z or RAR archive with encrypted members, which libarchive cannot
 * decrypt, when passwords were given and 7zz can: read through it. */
static bool encrypted_elsewhere(struct archive *a,
                                const struct lp_archive_limits *lim)
{
    int f = archive_format(a) & ARCHIVE_FORMAT_BASE_MASK;
    return lim->npasswords && lim->sevenzip &&
           (f == ARCHIVE_FORMAT_7ZIP || f == ARCHIVE_FORMAT_RAR ||
            f == ARCHIVE_FORMAT_RAR_V5) &&
           archive_read_has_encrypted_entries(a) > 0;
}

/* The archive through 7zz; what it cannot read is said. */
static lp_err via_7zz(struct walk *k, const char *buf, size_t len,
                      const char *fspath, lp_archive_member_fn fn, void *ctx)
{
    lp_err err = lp_7zz_walk(k->logical, buf, len, fspath, k->depth, k->lim,
                             k->budget, k->w, fn, ctx);
    if (err == LP_EFORMAT)
        skipped(k, k->logical, "encrypted: 7zz could not extract it with "
                "any password given (wrong password, or damaged)");
    else if (err == LP_EUNSUPPORTED)
        skipped(k, k->logical, "encrypted: 7zz could not be run");
    return err == LP_EFORMAT || err == LP_EUNSUPPORTED ? LP_OK : err;
}

static struct archive *open_archive(const struct lp_archive_limits *lim,
                                    const char *buf, size_t len,
                                    const char *path)
{
    struct archive *a = archive_read_new();
    if (!a)
        return NULL;
    archive_read_support_filter_all(a);
    archive_read_support_format_all(a);
    archive_read_support_format_raw(a);
    for (size_t i = 0; i < lim->npasswords; i++)
        archive_read_add_passphrase(a, lim->passwords[i]);
    int r = path ? archive_read_open_filename(a, path, 1u << 20)
                 : archive_read_open_memory(a, buf, len);
    if (r != ARCHIVE_OK) {
        archive_read_free(a);
        return NULL;
    }
    return a;
}

static lp_err walk(const char *logical, const char *buf, size_t len,
                   const char *fspath, unsigned depth,
                   const struct lp_archive_limits *lim,
                   struct lp_archive_budget *budget, struct lp_warner *w,
                   lp_archive_member_fn fn, void *ctx)
{
    struct walk k = {logical, depth, lim, budget, w, len};
    char *data = NULL, path[LP_MAX_PATH + 1];
    size_t cap = 0, dlen = 0;
    lp_err err = LP_OK;
    if (depth == 1 && !budget->input)
        budget->input = len;
    struct archive *a = open_archive(lim, buf, len, fspath);
    if (!a)
        return LP_EFORMAT;
    struct archive_entry *ent;
    bool first = true;
    int r;
    while ((r = archive_read_next_header(a, &ent)) == ARCHIVE_OK ||
           r == ARCHIVE_WARN) {
        bool raw = archive_format(a) == ARCHIVE_FORMAT_RAW;
        if (first && raw && archive_filter_code(a, 0) == ARCHIVE_FILTER_NONE) {
            err = LP_EFORMAT; /* not compressed, not an archive */
            goto out;
        }
        if (first && encrypted_elsewhere(a, lim)) {
            archive_read_free(a);
            a = NULL;
            err = via_7zz(&k, buf, len, fspath, fn, ctx);
            goto out;
        }
        first = false;
        const char *name = archive_entry_pathname(ent);
        char rname[LP_MAX_PATH + 1];
        if (raw) {
            raw_name(logical, rname, sizeof rname);
            name = rname;
        }
        if (!name || !*name)
            name = "?";
        int n = snprintf(path, sizeof path, "%s!%s", logical, name);
        if (++budget->entries > lim->max_entries) {
            skipped(&k, logical,
                    "more than %llu members (--max-entries): rest not read",
                    (unsigned long long)lim->max_entries);
            budget->exhausted = true;
            goto out;
        }
        if (n < 0 || (size_t)n >= sizeof path || (size_t)n > lim->max_path) {
            skipped(&k, logical, "a member's path is longer than %u bytes "
                    "(--max-path-length) (skipped)", (unsigned)lim->max_path);
            continue;
        }
        if (archive_entry_filetype(ent) == AE_IFDIR)
            continue;
        const char *hard = archive_entry_hardlink(ent);
        if (hard) {
            skipped(&k, path, "hard link to '%s' (read under that name)",
                    hard);
            continue;
        }
        /* No type at all (ar archives made in deterministic mode store
         * the permission bits only) is a plain member. */
        if (archive_entry_filetype(ent) != AE_IFREG &&
            archive_entry_filetype(ent) != 0) {
            skipped(&k, path, "%s (skipped)", entry_type(ent));
            continue;
        }
        bool ok = false, fatal = false;
        err = read_member(&k, a, ent, path, &data, &cap, &dlen, &ok, &fatal);
        if (err)
            goto out;
        if (ok)
            err = fn(ctx, path, data, dlen, depth);
        if (err || fatal)
            goto out;
    }
    if (r == ARCHIVE_FATAL) {
        const char *msg = archive_error_string(a);
        if (first && msg && strstr(msg, "encrypted") && lim->npasswords &&
            lim->sevenzip) { /* an encrypted 7z header */
            archive_read_free(a);
            a = NULL;
            err = via_7zz(&k, buf, len, fspath, fn, ctx);
            goto out;
        }
        if (first && msg && strstr(msg, "encrypted"))
            skipped(&k, logical, "encrypted, %s: %s", why_encrypted(&k, msg),
                    msg);
        else if (first) /* no member at all: nothing of it can be read */
            skipped(&k, logical, "damaged or truncated archive: %s (not "
                    "read)", msg ? msg : "unknown format");
        else
            skipped(&k, logical, "damaged or truncated archive: %s (rest "
                    "not read)", msg ? msg : "read error");
    }
out:
    if (a)
        archive_read_free(a);
    lp_free(data);
    return err;
}

lp_err lp_archive_walk(const char *logical, const char *buf, size_t len,
                       unsigned depth, const struct lp_archive_limits *lim,
                       struct lp_archive_budget *budget, struct lp_warner *w,
                       lp_archive_member_fn fn, void *ctx)
{
    return walk(logical, buf, len, NULL, depth, lim, budget, w, fn, ctx);
}

lp_err lp_archive_walk_file(const char *logical, const char *fspath,
                            uint64_t size, const struct lp_archive_limits *lim,
                            struct lp_archive_budget *budget,
                            struct lp_warner *w, lp_archive_member_fn fn,
                            void *ctx)
{
    return walk(logical, NULL, (size_t)size, fspath, 1, lim, budget, w, fn,
                ctx);
}
