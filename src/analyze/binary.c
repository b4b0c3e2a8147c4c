/* SPDX-License-Identifier: Apache-2.0
 *
 * binary: kind of binary by magic number, TLSH digests and distances
 * (through src/analyze/tlsh_wrap.cc), and printable strings (see binary.h).
 * Every header field is read through lp_get_u*le() after a bounds check.
 * The strings scanner makes one pass and keeps three runs open at once
 * (ASCII, UTF-16LE at even and at odd offsets); a run is written when it
 * ends. A byte is in at most one string written, so the runs written are
 * disjoint and end in the order they start; runs that end together (at
 * the end of buf) are sorted by start. Offsets therefore increase
 * strictly; fuzz/fuzz_binary.c checks it.
 */
#include "binary.h"

#include <string.h>

#include "classify.h"
#include "hash.h"
#include "mem.h"

#include "banned.h"

/* Implemented in tlsh_wrap.cc (which repeats these declarations, as it
 * cannot include a C header that pulls in leakprint.h). */
int lp_tlsh_raw_digest(const unsigned char *buf, size_t len, char *out,
                       size_t outlen);
int lp_tlsh_raw_diff(const char *a, const char *b);

const char *lp_bin_name(enum lp_bin b)
{
    switch (b) {
    case LP_BIN_ELF: return "elf";
    case LP_BIN_PE: return "pe";
    case LP_BIN_MACHO: return "macho";
    case LP_BIN_COFF: return "coff";
    case LP_BIN_WASM: return "wasm";
    case LP_BIN_JAVA_CLASS: return "java-class";
    case LP_BIN_FIRMWARE: return "firmware";
    case LP_BIN_NONE: break;
    }
    return "none";
}

static uint32_t get_u32be(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           (uint32_t)p[3];
}

/* "MZ", then the PE header's offset (e_lfanew) at 0x3c, which must leave
 * room for "PE\0\0" inside buf: a truncated or forged e_lfanew is a DOS
 * program at most. */
static bool is_pe(const unsigned char *buf, size_t len)
{
    if (len < 0x40 || buf[0] != 'M' || buf[1] != 'Z')
        return false;
    uint32_t off = lp_get_u32le(buf + 0x3c);
    if (off > len || len - off < 4)
        return false;
    return memcmp(buf + off, "PE\0\0", 4) == 0;
}

/* CAFEBABE is both a fat Mach-O (big-endian count of architectures next)
 * and a Java class (minor, major version next, big-endian). A class file's
 * major version is at least 45, and fat files hold a handful of
 * architectures, so a count in 1..44 is fat Mach-O. */
#define FAT_MAX_ARCHS 44
#define CLASS_MIN_MAJOR 45

static enum lp_bin cafebabe(const unsigned char *buf, size_t len)
{
    if (len < 8)
        return LP_BIN_FIRMWARE;
    uint32_t n = get_u32be(buf + 4);
    if (n >= 1 && n <= FAT_MAX_ARCHS)
        return LP_BIN_MACHO;
    if ((n & 0xffff) >= CLASS_MIN_MAJOR)
        return LP_BIN_JAVA_CLASS;
    return LP_BIN_FIRMWARE;
}

/* Machines of Windows object files: i386, x86-64, ARM, ARMv7 Thumb-2,
 * ARM64, IA-64. */
static const uint16_t coff_machines[] = {0x14c, 0x8664, 0x1c0,
                                         0x1c4, 0xaa64, 0x200};

/* A COFF object has no magic: a known machine, 1 to 96 sections whose
 * table (40 bytes each, after the 20-byte header) fits in buf, no
 * optional header (executables have one, and are PE) and a symbol table
 * that starts inside buf. */
static bool is_coff(const unsigned char *buf, size_t len)
{
    if (len < 20)
        return false;
    uint16_t machine = lp_get_u16le(buf);
    bool known = false;
    for (size_t i = 0; i < sizeof coff_machines / sizeof coff_machines[0]; i++)
        known |= machine == coff_machines[i];
    if (!known)
        return false;
    uint16_t nsect = lp_get_u16le(buf + 2);
    uint32_t symtab = lp_get_u32le(buf + 8);
    uint16_t opthdr = lp_get_u16le(buf + 16);
    if (nsect == 0 || nsect > 96 || opthdr != 0 || symtab > len)
        return false;
    return 20 + (size_t)nsect * 40 <= len;
}

enum lp_bin lp_bin_detect(const unsigned char *buf, size_t len)
{
    enum lp_lang lang;

    if (!buf)
        return LP_BIN_NONE;
    if (len >= 4) {
        uint32_t be = get_u32be(buf);
        if (memcmp(buf,
                   "\x7f"
                   "ELF",
                   4) == 0)
            return LP_BIN_ELF;
        if (be == 0xfeedface || be == 0xfeedfacf || be == 0xcefaedfe ||
            be == 0xcffaedfe || be == 0xcafebabf)
            return LP_BIN_MACHO;
        if (be == 0xcafebabe)
            return cafebabe(buf, len);
        if (memcmp(buf, "\0asm", 4) == 0)
            return LP_BIN_WASM;
    }
    if (is_pe(buf, len))
        return LP_BIN_PE;
    if (is_coff(buf, len))
        return LP_BIN_COFF;
    /* One rule for "binary" in the whole pipeline: classify's. */
    if (lp_classify("", buf, len, &lang) == LP_KIND_BINARY)
        return LP_BIN_FIRMWARE;
    return LP_BIN_NONE;
}

lp_err lp_tlsh_digest(const unsigned char *buf, size_t len,
                      char out[LP_TLSH_LEN + 1])
{
    if (!out)
        return LP_EINVAL;
    out[0] = '\0';
    if (!buf || len < LP_TLSH_MIN_LEN)
        return LP_EINVAL;
    if (len > LP_TLSH_MAX_LEN)
        return LP_ELIMIT;
    switch (lp_tlsh_raw_digest(buf, len, out, LP_TLSH_LEN + 1)) {
    case 0: return LP_OK;
    case 2: return LP_ENOMEM;
    default: break;
    }
    out[0] = '\0';
    return LP_EINVAL;
}

/* Copies a digest upper-cased into d; false unless it is exactly
 * LP_TLSH_LEN hex digits. */
static bool canon_digest(const char *s, char d[LP_TLSH_LEN + 1])
{
    if (!s)
        return false;
    for (size_t i = 0; i < LP_TLSH_LEN; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'f')
            c = (char)(c - 'a' + 'A');
        else if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F')))
            return false; // the NUL of a short digest stops here too
        d[i] = c;
    }
    d[LP_TLSH_LEN] = '\0';
    return s[LP_TLSH_LEN] == '\0';
}

int lp_tlsh_diff(const char *a, const char *b)
{
    char ca[LP_TLSH_LEN + 1], cb[LP_TLSH_LEN + 1];

    if (!canon_digest(a, ca) || !canon_digest(b, cb))
        return -1;
    return lp_tlsh_raw_diff(ca, cb);
}

void lp_strings_init(struct lp_strings *s)
{
    memset(s, 0, sizeof *s);
}

void lp_strings_release(struct lp_strings *s)
{
    if (!s)
        return;
    lp_free(s->text);
    lp_free(s->offset);
    lp_strings_init(s);
}

/* One open run of printable characters: its first byte in the binary,
 * its length in characters, and the bytes per character (1 ASCII,
 * 2 UTF-16LE). */
struct run {
    size_t start, n;
    unsigned step;
};

struct scan {
    const unsigned char *buf;
    size_t min_len, max_out;
    struct lp_strings *out;
};

static bool printable(unsigned char c)
{
    return (c >= 0x20 && c <= 0x7e) || c == '\t';
}

/* Appends run r as a line, cut to what max_out leaves. Sets *stop when the
 * output is full. */
static lp_err emit(struct scan *sc, const struct run *r, bool *stop)
{
    struct lp_strings *o = sc->out;
    size_t n = r->n, room = sc->max_out - o->len;

    if (n >= room) {
        /* A line needs n + 1 bytes with its '\n'. */
        *stop = true;
        o->truncated = true;
        n = room ? room - 1 : 0;
        if (n < sc->min_len)
            return LP_OK;
    }
    if (!lp_grow((void **)&o->text, &o->cap, o->len + n + 2, 1))
        return LP_ENOMEM;
    o->text[o->len] = '\0'; // a first allocation, then a failure below
    if (!lp_grow((void **)&o->offset, &o->capl, o->nlines + 1,
                 sizeof o->offset[0]))
        return LP_ENOMEM;
    const unsigned char *p = sc->buf + r->start;
    for (size_t i = 0; i < n; i++)
        o->text[o->len + i] = (char)p[i * r->step];
    o->len += n;
    o->text[o->len++] = '\n';
    o->text[o->len] = '\0';
    o->offset[o->nlines++] = r->start;
    return LP_OK;
}

/* Writes the runs of done[0..k) long enough to count, in order of start,
 * and resets them. */
static lp_err flush(struct scan *sc, struct run **done, size_t k, bool *stop)
{
    lp_err err = LP_OK;

    for (size_t i = 1; i < k; i++)
        for (size_t j = i; j > 0 && done[j]->start < done[j - 1]->start; j--) {
            struct run *t = done[j];
            done[j] = done[j - 1];
            done[j - 1] = t;
        }
    for (size_t i = 0; i < k; i++) {
        if (!err && !*stop && done[i]->n >= sc->min_len)
            err = emit(sc, done[i], stop);
        done[i]->n = 0;
    }
    return err;
}

lp_err lp_bin_strings(const unsigned char *buf, size_t len, size_t min_len,
                      size_t max_out, struct lp_strings *out)
{
    struct run ascii = {0, 0, 1}, u16[2] = {{0, 0, 2}, {0, 0, 2}};
    struct run *done[3];
    struct scan sc = {buf, min_len, max_out, out};
    bool stop = false;
    lp_err err = LP_OK;

    if (!out || min_len < 2 || (!buf && len > 0))
        return LP_EINVAL;
    out->len = 0;
    out->nlines = 0;
    out->truncated = false;
    if (out->text)
        out->text[0] = '\0';
    for (size_t i = 0; i < len && !err && !stop; i++) {
        size_t k = 0, ended = 0;
        if (printable(buf[i])) {
            if (ascii.n++ == 0)
                ascii.start = i;
        } else if (ascii.n) {
            ended = ascii.n;
            done[k++] = &ascii;
        }
        /* The UTF-16 unit that starts at i - 1 is complete at i. */
        if (i > 0) {
            struct run *u = &u16[(i - 1) & 1];
            if (printable(buf[i - 1]) && buf[i] == 0) {
                /* "hello\0w\0o\0r\0": the 'o' NUL could start "oworld", but
                 * that 'o' ends "hello", which is written: it stays there. */
                bool taken = u->n == 0 && ended >= min_len;
                if (!taken && u->n++ == 0)
                    u->start = i - 1;
            } else if (u->n) {
                done[k++] = u;
            }
        }
        err = flush(&sc, done, k, &stop);
    }
    if (!err && !stop) {
        done[0] = &ascii;
        done[1] = &u16[0];
        done[2] = &u16[1];
        err = flush(&sc, done, 3, &stop);
    }
    return err;
}
