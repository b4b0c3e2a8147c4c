/* SPDX-License-Identifier: Apache-2.0
 *
 * binary: what leakprint knows of compiled files (executables, libraries,
 * object files, firmware). Three pieces of evidence come from here: the
 * kind of binary (by magic number), a TLSH digest whose distance to a
 * registered binary's survives a rebuild or a patch, and the printable
 * strings of the file, which the prose pipeline then fingerprints.
 * TLSH is Debian's libtlsh 3.4.4 (C++), wrapped in src/analyze/tlsh_wrap.cc; its
 * digests are 70 hex digits without the "T1" prefix of TLSH 4.
 * Pure functions over caller buffers, no globals: safe from any thread.
 * Thresholds and measurements: docs/internals/binary.md.
 */
#ifndef LP_BINARY_H
#define LP_BINARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "leakprint.h"
#include "params.h"

/* Never renumber: may be stored in the registry. */
enum lp_bin {
    LP_BIN_NONE = 0,       /* text: not a binary at all */
    LP_BIN_ELF = 1,        /* Unix executables, .so, .o, kernel modules */
    LP_BIN_PE = 2,         /* Windows .exe, .dll, .sys, EFI */
    LP_BIN_MACHO = 3,      /* macOS/iOS, thin or fat (universal) */
    LP_BIN_COFF = 4,       /* Windows object files (.obj) */
    LP_BIN_WASM = 5,       /* WebAssembly modules */
    LP_BIN_JAVA_CLASS = 6, /* Java .class files */
    LP_BIN_FIRMWARE = 7,   /* any other non-text data */
};

/* Short lower-case name of a kind ("elf", "pe", "macho", "coff", "wasm",
 * "java-class", "firmware", "none"); "none" for an unknown value too. */
const char *lp_bin_name(enum lp_bin b);

/* The kind of binary buf[0..len) is, by its magic number: ELF "\x7fELF";
 * PE "MZ" with "PE\0\0" at the u32le e_lfanew of offset 0x3c (checked to
 * lie inside buf); Mach-O FEEDFACE/FEEDFACF in either byte order; fat
 * Mach-O CAFEBABE/CAFEBABF with 1 to 44 architectures, where CAFEBABE
 * with a class-file version >= 45 (JDK 1.0.2) is a Java class instead;
 * WebAssembly "\0asm"; a COFF object header (known machine, no optional
 * header, section table inside buf). Without a magic number: LP_BIN_NONE
 * when the bytes look like text (the rule of lp_classify(): no NUL byte
 * and few control bytes in the first 8 KB), else LP_BIN_FIRMWARE. A DOS
 * "MZ" program without a PE header is therefore firmware. buf may be NULL
 * when len is 0. Never fails. */
enum lp_bin lp_bin_detect(const unsigned char *buf, size_t len);

/* Fewest bytes libtlsh 3.4.4 will digest (TLSH 4 accepts 50). */
#define LP_TLSH_MIN_LEN 256

/* Largest buffer digested: libtlsh 3.4.4 counts the length in 32 bits. */
#define LP_TLSH_MAX_LEN 0xffffffffu

/* TLSH distance at or below which two binaries are reported as the same
 * program rebuilt or patched. Measured (docs/internals/binary.md): a
 * one-line patch gives 16-23; 1 pair in 4950 of distinct system binaries
 * is this close (two tools of one package). Rebuilds at another -O level
 * or stripped copies often land at 35-110, where unrelated small programs
 * of the same compiler also land: TLSH cannot tell those apart. */
#define LP_TLSH_SAME_MAX 30

/* Writes the TLSH digest of buf[0..len) into out: LP_TLSH_LEN upper-case
 * hex digits and a NUL. Returns LP_OK; LP_EINVAL when TLSH gives no digest
 * (fewer than LP_TLSH_MIN_LEN bytes, or too little variety: more than half
 * of the 128 buckets empty, as for a run of one byte) or out is NULL;
 * LP_ELIMIT above LP_TLSH_MAX_LEN bytes; LP_ENOMEM when libtlsh's own
 * allocation fails (it uses operator new, not lp_malloc). On error out
 * holds "". Thread-safe. */
lp_err lp_tlsh_digest(const unsigned char *buf, size_t len,
                      char out[LP_TLSH_LEN + 1]);

/* TLSH distance between two digests made by lp_tlsh_digest(), with the
 * length difference counted: 0 for the same digest, larger for more
 * different files (unbounded above, in practice under about 1000). Hex
 * digits may be either case. -1 if either is NULL or is not exactly
 * LP_TLSH_LEN hex digits. Thread-safe. */
int lp_tlsh_diff(const char *a, const char *b);

/* Printable strings of a binary, one per line. Invariants: text[len] is
 * NUL (when text is not NULL); the text is nlines lines, each ended by
 * '\n' and made of bytes 0x20-0x7e and tab only; offset[i] is the offset
 * in the binary where line i starts, strictly increasing. */
struct lp_strings {
    char *text;       /* owned; lp_strings_release() frees */
    size_t len, cap;  /* bytes of text without the NUL; allocated */
    uint64_t *offset; /* owned; nlines entries used, capl allocated */
    size_t nlines, capl;
    bool truncated; /* stopped at max_out */
};

/* Makes s empty, without allocating. */
void lp_strings_init(struct lp_strings *s);

/* Frees what s holds and makes it empty; accepts NULL. */
void lp_strings_release(struct lp_strings *s);

/* Replaces the contents of out (keeping its allocations) with the strings
 * of buf[0..len): maximal runs of at least min_len printable ASCII bytes
 * (0x20-0x7e or tab), and of at least min_len UTF-16LE code units that are
 * printable ASCII (at even or odd offsets; written as ASCII), in the order
 * of their start in buf. A byte goes to one string at most: in
 * "hello\0w\0o\0r\0l\0d\0" the 'o' followed by NUL could start a UTF-16
 * string "oworld", but it ends "hello", which wins when it is long enough
 * to be written: "hello" and "world". The text stops at max_out bytes: the
 * string that does not fit is cut to what fits (dropped if that is under
 * min_len), scanning ends and out->truncated is set. Returns LP_OK; LP_EINVAL
 * if out is NULL, min_len < 2 (single characters would turn every UTF-16 string
 * into noise) or buf is NULL with len > 0; LP_ENOMEM with out holding the lines
 * done so far. */
lp_err lp_bin_strings(const unsigned char *buf, size_t len, size_t min_len,
                      size_t max_out, struct lp_strings *out);

#endif
