/* SPDX-License-Identifier: Apache-2.0
 *
 * walk_archive: archive members through libarchive, from memory, under
 * limits (see walk_archive.h). A stream compressed with gzip, xz, zstd,
 * bzip2 or lz4 is decoded by walk_decode and handed to libarchive already
 * decompressed, through a read callback that counts every byte (skipped
 * members included) and stops at the input's limits; a cut or damaged
 * stream then still gives every byte before the damage.
 *
 * Each member is read in chunks of LP_WALK_CHUNK, checked after each one
 * against its own limits (size, ratio: skipped alone, the next member is
 * read) and the input's (expansion, ratio, bombs: the rest is not read).
 */
#include "walk_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "limits.h"
#include "mem.h"
#include "walk_7zz.h"
#include "walk_decode.h"
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

/* Bytes of a member read at a time: its limits are checked after each. */
#define LP_WALK_CHUNK (64u << 10)

/* Decompressed bytes looked at to tell a tar that starts with zero blocks
 * from raw content that starts with zeros (see probe_zeros()). */
#define LP_WALK_ZERO_PROBE (1u << 20)

/* How libarchive is asked to read the bytes. */
enum mode {
    MODE_ALL,       /* any format, or raw content */
    MODE_RAW,       /* raw content only: one member, the stream itself */
    MODE_TAR_ZEROS, /* a tar whose first header follows zero blocks */
};

struct walk {
    const char *logical;
    unsigned depth;
    const struct lp_archive_limits *lim;
    struct lp_archive_budget *budget;
    struct lp_warner *w;
    uint64_t len;          /* bytes of this archive */
    const char *buf;       /* the archive in memory, or NULL: */
    const char *fspath;    /* in this file */
    enum lp_codec codec;   /* its outer compression, decoded here */
    struct lp_decode *dec; /* that decoder, while the archive is open */
    unsigned char *dbuf;   /* the decoder's output, lent to libarchive */
    struct archive *a;
    lp_err cb_err;  /* LP_ENOMEM met in the read callback */
    bool stopped;   /* the read callback stopped at the input's limits */
    bool said_end;  /* the damage or the cut was said */
    bool in_bomb;   /* getting past a member skipped as a bomb */
    size_t fed;     /* bytes of dbuf given to libarchive last */
    char last[LP_MAX_PATH + 1]; /* the last member's name: where a cut is */
};

static void skipped(struct walk *k, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void skipped(struct walk *k, const char *path, const char *fmt, ...)
{
    char why[LP_MAX_PATH + 512];
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

/* in * ratio, or UINT64_MAX when that overflows. */
static uint64_t times(uint64_t in, uint32_t ratio)
{
    uint64_t r;
    return __builtin_mul_overflow(in, (uint64_t)ratio, &r) ? UINT64_MAX : r;
}

/* Whether the input as a whole went past a limit; says so once. */
static bool over_budget(struct walk *k)
{
    struct lp_archive_budget *b = k->budget;
    if (b->exhausted)
        return true;
    /* Bytes of bombs skipped one by one do not count against the ratio:
     * they were not read, and the members after them are to be. */
    uint64_t kept = b->expanded > b->wasted ? b->expanded - b->wasted : 0;
    if (b->expanded > k->lim->max_total) {
        skipped(k, k->logical,
                "expands to more than %llu bytes (--max-expanded): rest not "
                "read",
                (unsigned long long)k->lim->max_total);
        b->exhausted = true;
    } else if (kept > LP_RATIO_INPUT_FLOOR &&
               kept > times(b->input, k->lim->max_ratio)) {
        skipped(k, k->logical,
                "expands more than %u times its size (--max-ratio; a "
                "compression bomb?): rest not read",
                (unsigned)k->lim->max_ratio);
        b->exhausted = true;
    } else if (b->wasted > LP_BOMB_WASTE_FLOOR &&
               b->wasted > times(b->input, k->lim->max_ratio)) {
        uint64_t cap = times(b->input, k->lim->max_ratio);
        skipped(k, k->logical,
                "its members skipped as compression bombs expand to more than "
                "%llu bytes (--max-ratio): rest not read",
                (unsigned long long)(cap > LP_BOMB_WASTE_FLOOR
                                         ? cap
                                         : LP_BOMB_WASTE_FLOOR));
        b->exhausted = true;
    }
    return b->exhausted;
}

/* libarchive's read callback for a stream decoded here: the next bytes
 * of decompressed output (0 at its end, or where it is cut), counted as
 * expanded; -1 once the input's limits are reached. */
static la_ssize_t feed(struct archive *a, void *ctx, const void **out)
{
    struct walk *k = ctx;
    size_t n = 0;
    *out = k->dbuf;
    if (over_budget(k)) {
        k->stopped = true;
        archive_set_error(a, -1, "the input's limits were "
                          "reached");
        return -1;
    }
    /* LP_EIO: the stream ends here, and its status says why. */
    if (lp_decode_read(k->dec, k->dbuf, LP_WALK_CHUNK, &n) == LP_ENOMEM) {
        k->cb_err = LP_ENOMEM;
        archive_set_error(a, -1, "out of memory");
        return -1;
    }
    k->budget->expanded += n;
    if (k->in_bomb)
        k->budget->wasted += n;
    k->fed = n;
    return (la_ssize_t)n;
}

/* Compressed bytes of this archive consumed so far. */
static uint64_t in_pos(const struct walk *k)
{
    if (k->dec)
        return lp_decode_in(k->dec);
    la_int64_t p = archive_filter_bytes(k->a, -1);
    return p > 0 ? (uint64_t)p : 0;
}

/* Why the archive's bytes end early: the decoder's reason when the
 * compressed stream was cut or damaged, else libarchive's message. */
static const char *end_why(const struct walk *k, const char *msg)
{
    const char *why = NULL;
    if (k->dec && lp_decode_status(k->dec, &why) != LP_DECODE_OK)
        return why;
    return msg ? msg : "unreadable data";
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

/* Whether libarchive skips the rest of a member without decompressing
 * anything: its data is stored apart, at a known length, in bytes not
 * compressed as a whole. Solid formats (7z, RAR, cab) decompress what
 * they skip. */
static bool cheap_skip(struct archive *a, struct archive_entry *ent)
{
    if (archive_filter_code(a, 0) != ARCHIVE_FILTER_NONE)
        return false;
    switch (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) {
    case ARCHIVE_FORMAT_TAR:
    case ARCHIVE_FORMAT_CPIO:
    case ARCHIVE_FORMAT_AR:
    case ARCHIVE_FORMAT_ISO9660:
    case ARCHIVE_FORMAT_XAR:
        return true;
    case ARCHIVE_FORMAT_ZIP: /* unknown size: found by decompressing */
        return archive_entry_size_is_set(ent) != 0;
    default:
        return false;
    }
}

/* Gets past the rest of a member that is not read. Where libarchive would
 * decompress it to skip it (see cheap_skip()), it is read here instead,
 * counted as expanded, and stopped at the input's limits: a skip must
 * not expand without limit. A stream decoded here is counted by feed().
 * Sets *stop when the archive cannot go on. */
static void drain(struct walk *k, struct archive_entry *ent, bool *stop)
{
    if (k->dec || cheap_skip(k->a, ent))
        return;
    for (;;) {
        const void *p;
        size_t n;
        la_int64_t off;
        int r = archive_read_data_block(k->a, &p, &n, &off);
        if (r == ARCHIVE_EOF)
            return;
        if (r < ARCHIVE_WARN) {
            *stop = r == ARCHIVE_FATAL;
            return;
        }
        k->budget->expanded += n;
        if (k->in_bomb)
            k->budget->wasted += n;
        if (over_budget(k)) {
            *stop = true;
            return;
        }
    }
}

/* Whether a member of len bytes read from `in` compressed bytes expands
 * past the ratio (past its first LP_RATIO_MEMBER_FLOOR bytes). */
static bool member_bomb(const struct walk *k, uint64_t len, uint64_t in)
{
    return len > LP_RATIO_MEMBER_FLOOR && len > times(in, k->lim->max_ratio);
}

/* A read of the current member failed after len bytes: says why. Returns
 * the error to stop the walk with (only LP_ENOMEM); *stop when the
 * archive cannot go on. */
static lp_err read_failed(struct walk *k, struct archive_entry *ent,
                          const char *path, size_t len, la_ssize_t r,
                          bool *stop)
{
    const char *msg = archive_error_string(k->a);
    *stop = r == ARCHIVE_FATAL;
    if (k->cb_err)
        return k->cb_err;
    if (k->stopped) {
        skipped(k, path, "not read: the input's limits were reached");
        return LP_OK;
    }
    if (archive_entry_is_encrypted(ent)) {
        skipped(k, path, "encrypted, %s: %s", why_encrypted(k, msg),
                msg ? msg : "cannot decrypt");
        return LP_OK;
    }
    if (*stop)
        k->said_end = true;
    if (len)
        skipped(k, path, "damaged or truncated after %zu bytes: %s (read up "
                "to there)", len, end_why(k, msg));
    else
        skipped(k, path, "damaged or truncated: %s (not read)",
                end_why(k, msg));
    return LP_OK;
}

/* Reads the current member into *buf (capacity *cap, grown as needed).
 * Over 80 lines: one loop over the member's blocks, each limit checked
 * where its bytes arrive. On return *len bytes are to be handed on when *hand (the whole member,
 * or the part before a cut, which was said); a member not read was said.
 * *stop: the archive cannot go on. Returns LP_OK or LP_ENOMEM. */
static lp_err read_member(struct walk *k, struct archive_entry *ent,
                          const char *path, char **buf, size_t *cap,
                          size_t *len, bool *hand, bool *stop)
{
    uint64_t max = k->lim->max_entry, in0 = in_pos(k);
    *hand = *stop = false;
    *len = 0;
    if (archive_entry_size_is_set(ent) && archive_entry_size(ent) >= 0 &&
        (uint64_t)archive_entry_size(ent) > max) {
        skipped(k, path, "file larger than %llu bytes (--max-file-size) "
                "(skipped)", (unsigned long long)max);
        drain(k, ent, stop);
        return LP_OK;
    }
    for (;;) {
        /* Blocks, not archive_read_data(): that drops what it copied of a
         * call when the archive ends inside it. */
        const void *p;
        size_t n;
        la_int64_t off;
        int r = archive_read_data_block(k->a, &p, &n, &off);
        if (r == ARCHIVE_EOF)
            break;
        if (r < ARCHIVE_WARN) {
            lp_err err = read_failed(k, ent, path, *len, r, stop);
            *hand = !err && *len && !k->stopped &&
                    !archive_entry_is_encrypted(ent);
            if (*len < *cap)
                (*buf)[*len] = '\0';
            return err;
        }
        /* A block after a hole (sparse files) starts further on; one that
         * goes back is put after the last. */
        uint64_t at = off > 0 && (uint64_t)off > *len ? (uint64_t)off : *len;
        uint64_t end = at + n;
        if (end > max || end < at) {
            skipped(k, path, "file larger than %llu bytes (--max-file-size) "
                    "(skipped)", (unsigned long long)max);
            drain(k, ent, stop);
            return LP_OK;
        }
        if (end + 1 > *cap) {
            size_t want = *cap * 2 > end + 1 ? *cap * 2 : (size_t)end + 1;
            if (want < LP_WALK_CHUNK)
                want = LP_WALK_CHUNK;
            if (want > max + 1)
                want = (size_t)max + 1;
            char *nb = lp_realloc(*buf, want);
            if (!nb)
                return LP_ENOMEM;
            *buf = nb;
            *cap = want;
        }
        memset(*buf + *len, 0, (size_t)(at - *len));
        if (n)
            memcpy(*buf + at, p, n);
        if (!k->dec)
            k->budget->expanded += end - *len;
        *len = (size_t)end;
        uint64_t in = in_pos(k), used = in > in0 ? in - in0 : 0;
        if (member_bomb(k, *len, used)) {
            skipped(k, path, "expands more than %u times its compressed size "
                    "(--max-ratio; a compression bomb?) (skipped)",
                    (unsigned)k->lim->max_ratio);
            k->budget->wasted += *len;
            k->in_bomb = true;
            drain(k, ent, stop);
            if (over_budget(k))
                *stop = true;
            return LP_OK;
        }
        if (over_budget(k)) {
            skipped(k, path, "not read: the input's limits were reached");
            *stop = true;
            return LP_OK;
        }
    }
    if (!*cap) { /* an empty member: a buffer for its NUL */
        if (!(*buf = lp_malloc(1)))
            return LP_ENOMEM;
        *cap = 1;
    }
    /* Raw content ends with its stream: a cut stream is a cut member. */
    const char *why;
    *hand = true;
    if (k->dec && archive_format(k->a) == ARCHIVE_FORMAT_RAW &&
        lp_decode_status(k->dec, &why) != LP_DECODE_OK) {
        k->said_end = true;
        *hand = *len > 0;
        if (*hand)
            skipped(k, path, "damaged or truncated after %zu bytes: %s (read "
                    "up to there)", *len, why);
        else
            skipped(k, path, "damaged or truncated: %s (not read)", why);
    }
    (*buf)[*len] = '\0';
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

/* Opens libarchive on the archive in `mode`: through a decoder of k->codec
 * when there is one, else on the memory or the file. LP_EFORMAT when
 * libarchive does not take the bytes; LP_ENOMEM. */
static lp_err open_archive(struct walk *k, enum mode mode)
{
    struct archive *a = archive_read_new();
    if (!a)
        return LP_ENOMEM;
    archive_read_support_filter_all(a);
    if (mode == MODE_RAW) {
        archive_read_support_format_raw(a);
    } else if (mode == MODE_TAR_ZEROS) {
        archive_read_support_format_tar(a);
        archive_read_set_format_option(a, "tar", "read_concatenated_archives",
                                       "1");
    } else {
        archive_read_support_format_all(a);
        archive_read_support_format_raw(a);
    }
    for (size_t i = 0; i < k->lim->npasswords; i++)
        archive_read_add_passphrase(a, k->lim->passwords[i]);
    lp_err err = LP_OK;
    int r;
    k->a = a;
    if (k->codec) {
        err = lp_decode_new(k->codec, k->buf, k->len, k->fspath, &k->dec);
        if (err) {
            err = err == LP_ENOMEM ? LP_ENOMEM : LP_EFORMAT;
            goto out;
        }
        r = archive_read_open(a, k, NULL, feed, NULL);
    } else if (k->fspath) {
        r = archive_read_open_filename(a, k->fspath, 1u << 20);
    } else {
        r = archive_read_open_memory(a, k->buf, k->len);
    }
    if (r == ARCHIVE_OK)
        return LP_OK;
    err = k->cb_err ? k->cb_err : LP_EFORMAT;
    const char *why;
    if (err == LP_EFORMAT && k->dec &&
        lp_decode_status(k->dec, &why) != LP_DECODE_OK) {
        /* a compressed stream cut or damaged before its first bytes */
        skipped(k, k->logical, "damaged or truncated archive: %s (not read)",
                why);
        err = LP_OK;
    } else if (err == LP_EFORMAT && k->stopped) {
        err = LP_OK; /* said by over_budget() */
    }
out:
    /* Not open: k->a stays NULL (with LP_OK, all was said). */
    archive_read_free(a);
    k->a = NULL;
    lp_decode_free(k->dec);
    k->dec = NULL;
    return err;
}

static bool all_zero(const unsigned char *p, size_t n)
{
    return n == 0 || (p[0] == 0 && memcmp(p, p + 1, n - 1) == 0);
}

/* The mode to read a decoded stream in. libarchive's tar reader takes a
 * first block of zeros for the end of an empty tar, and would give no
 * member for a compressed disk image (or any content that starts with
 * zeros). Such a stream is a tar only when its first block that is not
 * zero, within LP_WALK_ZERO_PROBE bytes, is a tar header (its checksum
 * holds): then the zero blocks are skipped; else it is raw content. */
static lp_err probe_zeros(struct walk *k, enum mode *mode)
{
    struct lp_decode *d = NULL;
    size_t have = 0, n = 1;
    uint64_t seen = 0;
    *mode = MODE_ALL;
    lp_err err = lp_decode_new(k->codec, k->buf, k->len, k->fspath, &d);
    if (err)
        return err == LP_ENOMEM ? err : LP_OK;
    while (n && seen < LP_WALK_ZERO_PROBE) {
        /* A full buffer, or the stream's end: whole blocks to look at. */
        for (n = 1; n && have < LP_WALK_CHUNK; have += n)
            if (lp_decode_read(d, k->dbuf + have, LP_WALK_CHUNK - have, &n) ==
                LP_ENOMEM) {
                err = LP_ENOMEM;
                goto out;
            }
        size_t off = 0;
        for (; off + 512 <= have; off += 512)
            if (!all_zero(k->dbuf + off, 512))
                break;
        if (off + 512 <= have || (!n && !all_zero(k->dbuf + off, have - off))) {
            if (seen + off > 0)
                *mode = off + 512 <= have &&
                                old_tar(k->dbuf + off, 512)
                            ? MODE_TAR_ZEROS
                            : MODE_RAW;
            goto out;
        }
        seen += off;
        memmove(k->dbuf, k->dbuf + off, have - off);
        have -= off;
    }
    *mode = MODE_RAW; /* zeros only, or zeros beyond what is looked at */
out:
    lp_decode_free(d);
    return err;
}

/* Whether a zip lacks its end of central directory record in its last
 * 64 KB: it was cut (or something was appended), and libarchive read its
 * members from their own headers, up to where they end. */
static bool zip_cut(const struct walk *k)
{
    if (k->dec || (archive_format(k->a) & ARCHIVE_FORMAT_BASE_MASK) !=
                      ARCHIVE_FORMAT_ZIP)
        return false;
    size_t n = k->len < 65536 + 22 ? (size_t)k->len : 65536 + 22;
    const unsigned char *p = (const unsigned char *)k->buf;
    unsigned char *mine = NULL;
    if (k->fspath) {
        int fd = open(k->fspath, O_RDONLY | O_CLOEXEC);
        mine = fd >= 0 ? lp_malloc(n ? n : 1) : NULL;
        ssize_t r = mine ? pread(fd, mine, n, (off_t)(k->len - n)) : -1;
        if (fd >= 0)
            close(fd);
        if (r != (ssize_t)n) {
            lp_free(mine);
            return false; /* not known: not said */
        }
        p = mine;
    } else {
        p += k->len - n;
    }
    bool found = false;
    for (size_t i = n >= 4 ? n - 4 + 1 : 0; i-- > 0 && !found;)
        found = memcmp(p + i, "PK\5\6", 4) == 0;
    lp_free(mine);
    return !found;
}

/* Reads what is left of a decoded stream after libarchive's end of the
 * archive, counted as expanded and under the input's limits; *after is
 * set when it holds more than zeros (padding). */
static lp_err finish_stream(struct walk *k, bool *after)
{
    /* What libarchive was given and did not read is the end of dbuf (it
     * reads in order, and a tar ends within a record of its last read). */
    la_int64_t used = archive_filter_bytes(k->a, 0);
    uint64_t out = lp_decode_out(k->dec);
    if (used >= 0 && (uint64_t)used <= out && out - (uint64_t)used <= k->fed)
        *after = !all_zero(k->dbuf + k->fed - (out - (uint64_t)used),
                           (size_t)(out - (uint64_t)used));
    size_t n = 1;
    while (n && !over_budget(k)) {
        if (lp_decode_read(k->dec, k->dbuf, LP_WALK_CHUNK, &n) == LP_ENOMEM)
            return LP_ENOMEM;
        k->budget->expanded += n;
        if (!all_zero(k->dbuf, n))
            *after = true;
    }
    return LP_OK;
}

/* After the last member: what ended the archive early, if anything, and
 * it was not said yet. r is libarchive's last answer. */
static lp_err say_end(struct walk *k, int r, bool first)
{
    const char *msg = archive_error_string(k->a);
    if (k->cb_err)
        return k->cb_err;
    if (k->stopped || k->budget->exhausted || k->said_end)
        return LP_OK;
    bool cut = r == ARCHIVE_FATAL, after = false;
    if (!cut && k->dec && !first &&
        archive_format(k->a) != ARCHIVE_FORMAT_RAW) { /* raw: read to end */
        /* The archive ended before its stream: read the stream to its
         * end, to know it whole and with nothing after the archive. */
        lp_err err = finish_stream(k, &after);
        if (err || k->budget->exhausted)
            return err;
        cut = lp_decode_status(k->dec, NULL) != LP_DECODE_OK;
    }
    if (after && !cut)
        skipped(k, k->logical, "data after the end of the archive, after "
                "member '%s' (another archive appended?) (not read)",
                k->last);
    if (cut && first)
        skipped(k, k->logical, "damaged or truncated archive: %s (not read)",
                end_why(k, msg));
    else if (cut)
        skipped(k, k->logical, "damaged or truncated archive after member "
                "'%s': %s (rest not read)", k->last, end_why(k, msg));
    else if (!first && zip_cut(k))
        skipped(k, k->logical, "damaged or truncated zip: no central "
                "directory at its end (members read from their own headers, "
                "the last '%s')", k->last);
    return LP_OK;
}

/* The first bytes of the archive, to tell its compression. */
static enum lp_codec codec_of(const struct walk *k)
{
    unsigned char head[16];
    size_t n = k->len < sizeof head ? (size_t)k->len : sizeof head;
    if (!k->fspath)
        return lp_codec_detect((const unsigned char *)k->buf, n);
    int fd = open(k->fspath, O_RDONLY | O_CLOEXEC);
    ssize_t r = fd >= 0 ? pread(fd, head, n, 0) : -1;
    if (fd >= 0)
        close(fd);
    return r > 0 ? lp_codec_detect(head, (size_t)r) : LP_CODEC_NONE;
}

/* What is done with one member header: the member read and handed to fn,
 * or said as skipped. *stop: the walk ends here (said). */
static lp_err one_member(struct walk *k, struct archive_entry *ent,
                         bool raw, char **data, size_t *cap,
                         lp_archive_member_fn fn, void *ctx, bool *stop)
{
    char path[LP_MAX_PATH + 1], rname[LP_MAX_PATH + 1];
    const char *name = archive_entry_pathname(ent);
    *stop = false;
    k->in_bomb = false;
    if (raw) {
        raw_name(k->logical, rname, sizeof rname);
        name = rname;
    }
    if (!name || !*name)
        name = "?";
    snprintf(k->last, sizeof k->last, "%s", name);
    int n = snprintf(path, sizeof path, "%s!%s", k->logical, name);
    if (++k->budget->entries > k->lim->max_entries) {
        skipped(k, k->logical,
                "more than %llu members (--max-entries): rest not read",
                (unsigned long long)k->lim->max_entries);
        k->budget->exhausted = true;
        *stop = true;
        return LP_OK;
    }
    if (n < 0 || (size_t)n >= sizeof path || (size_t)n > k->lim->max_path) {
        skipped(k, k->logical, "a member's path is longer than %u bytes "
                "(--max-path-length) (skipped)", (unsigned)k->lim->max_path);
        drain(k, ent, stop);
        return LP_OK;
    }
    if (archive_entry_filetype(ent) == AE_IFDIR)
        return LP_OK;
    const char *hard = archive_entry_hardlink(ent);
    if (hard) {
        skipped(k, path, "hard link to '%s' (read under that name)", hard);
        return LP_OK;
    }
    /* No type at all (ar archives made in deterministic mode store the
     * permission bits only) is a plain member. */
    if (archive_entry_filetype(ent) != AE_IFREG &&
        archive_entry_filetype(ent) != 0) {
        skipped(k, path, "%s (skipped)", entry_type(ent));
        return LP_OK;
    }
    size_t len = 0;
    bool hand = false;
    lp_err err = read_member(k, ent, path, data, cap, &len, &hand, stop);
    if (!err && hand)
        err = fn(ctx, path, *data, len, k->depth);
    return err;
}

static lp_err walk(const char *logical, const char *buf, size_t len,
                   const char *fspath, unsigned depth,
                   const struct lp_archive_limits *lim,
                   struct lp_archive_budget *budget, struct lp_warner *w,
                   lp_archive_member_fn fn, void *ctx)
{
    struct walk k = {.logical = logical, .depth = depth, .lim = lim,
                     .budget = budget, .w = w, .len = len, .buf = buf,
                     .fspath = fspath};
    char *data = NULL;
    size_t cap = 0;
    enum mode mode = MODE_ALL;
    lp_err err = LP_OK;
    if (depth == 1 && !budget->input)
        budget->input = len;
    k.codec = codec_of(&k);
    if (k.codec) {
        if (!(k.dbuf = lp_malloc(LP_WALK_CHUNK)))
            return LP_ENOMEM;
        if ((err = probe_zeros(&k, &mode)))
            goto out;
    }
    err = open_archive(&k, mode);
    if (err || !k.a)
        goto out;
    struct archive_entry *ent;
    bool first = true, stop = false;
    int r = ARCHIVE_OK;
    while (!stop && ((r = archive_read_next_header(k.a, &ent)) == ARCHIVE_OK ||
                     r == ARCHIVE_WARN)) {
        bool raw = archive_format(k.a) == ARCHIVE_FORMAT_RAW;
        if (first && raw && !k.codec &&
            archive_filter_code(k.a, 0) == ARCHIVE_FILTER_NONE) {
            err = LP_EFORMAT; /* not compressed, not an archive */
            goto out;
        }
        if (first && encrypted_elsewhere(k.a, lim)) {
            archive_read_free(k.a);
            k.a = NULL;
            err = via_7zz(&k, buf, len, fspath, fn, ctx);
            goto out;
        }
        first = false;
        err = one_member(&k, ent, raw, &data, &cap, fn, ctx, &stop);
        if (err)
            goto out;
    }
    if (stop)
        goto out;
    if (r == ARCHIVE_FATAL && first && !k.stopped) {
        const char *msg = archive_error_string(k.a);
        if (msg && strstr(msg, "encrypted") && lim->npasswords &&
            lim->sevenzip) { /* an encrypted 7z header */
            archive_read_free(k.a);
            k.a = NULL;
            err = via_7zz(&k, buf, len, fspath, fn, ctx);
            goto out;
        }
        if (msg && strstr(msg, "encrypted")) {
            skipped(&k, logical, "encrypted, %s: %s", why_encrypted(&k, msg),
                    msg);
            goto out;
        }
    }
    err = say_end(&k, r, first);
out:
    if (k.a)
        archive_read_free(k.a);
    lp_decode_free(k.dec);
    lp_free(k.dbuf);
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
