#!/usr/bin/env bash
# TLSH distances of leakprint's binary module (src/binary.h), to choose
# LP_TLSH_SAME_MAX: builds three small C programs written here, each at
# -O0 and -O2, with a one-line patch, stripped and not, and with clang;
# prints the distance table of all those builds and of a few /usr/bin
# programs; then the distances among about 100 unrelated ELF files of
# /usr/bin and /usr/lib (identical copies removed) at several thresholds,
# and the digest speed on the largest library found. Nothing is written
# outside a temporary directory. Results go in docs/internals/binary.md.
# Usage: bash bench/binary-tlsh.sh [build dir with libleakprint.a]
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:-build}
make -s -j2 BUILD="$B" "$B/libleakprint.a" >&2
W=$(mktemp -d /tmp/lp-binary-tlsh.XXXXXX)
trap 'rm -rf "$W"' EXIT

# The measuring tool: "table F...", "pairs T... -- F...", "speed F".
cat >"$W/tool.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "binary.h"
static unsigned char *slurp(const char *p, size_t *n)
{
    FILE *f = fopen(p, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long l = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = l > 0 ? malloc((size_t)l) : NULL;
    *n = b ? fread(b, 1, (size_t)l, f) : 0;
    fclose(f);
    return b;
}
static const char *base(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}
int main(int argc, char **argv)
{
    if (argc < 3) return 2;
    if (!strcmp(argv[1], "speed")) {
        size_t n; unsigned char *b = slurp(argv[2], &n);
        char d[LP_TLSH_LEN + 1];
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (int i = 0; i < 3; i++) lp_tlsh_digest(b, n, d);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
        printf("%s: %.1f MB, %.1f MB/s\n", base(argv[2]), n / 1e6, 3 * n / 1e6 / s);
        free(b);
        return 0;
    }
    int ti = 2, nt = 0, thr[16];
    if (!strcmp(argv[1], "pairs"))
        while (ti < argc && strcmp(argv[ti], "--") && nt < 16) thr[nt++] = atoi(argv[ti++]);
    if (ti < argc && !strcmp(argv[ti], "--")) ti++;
    int nf = argc - ti;
    char (*d)[LP_TLSH_LEN + 1] = calloc((size_t)nf, sizeof *d);
    for (int i = 0; i < nf; i++) {
        size_t n; unsigned char *b = slurp(argv[ti + i], &n);
        if (!b || lp_tlsh_digest(b, n, d[i]) != LP_OK) d[i][0] = 0;
        free(b);
    }
    if (!strcmp(argv[1], "table")) {
        printf("| |");
        for (int j = 0; j < nf; j++) printf(" %d |", j + 1);
        printf("\n|---|");
        for (int j = 0; j < nf; j++) printf("---|");
        printf("\n");
        for (int i = 0; i < nf; i++) {
            printf("| %d %s |", i + 1, base(argv[ti + i]));
            for (int j = 0; j < nf; j++) printf(" %d |", lp_tlsh_diff(d[i], d[j]));
            printf("\n");
        }
        return 0;
    }
    long pairs = 0, below[16] = {0}, hist[8] = {0};
    int mind = 1 << 30;
    for (int i = 0; i < nf; i++)
        for (int j = i + 1; j < nf; j++) {
            int x = lp_tlsh_diff(d[i], d[j]);
            if (x < 0) continue;
            pairs++;
            if (x < mind) mind = x;
            hist[x / 50 < 7 ? x / 50 : 7]++;
            for (int k = 0; k < nt; k++) below[k] += x <= thr[k];
            if (x <= thr[0])
                printf("close: %d %s %s\n", x, base(argv[ti + i]), base(argv[ti + j]));
        }
    printf("%d files, %ld pairs, smallest distance %d\n", nf, pairs, mind);
    for (int k = 0; k < nt; k++)
        printf("pairs with distance <= %d: %ld (%.2f%%)\n", thr[k], below[k],
               pairs ? 100.0 * below[k] / pairs : 0.0);
    printf("histogram (bins of 50):");
    for (int k = 0; k < 8; k++) printf(" %ld", hist[k]);
    printf("\n");
    return 0;
}
EOF
cc -std=c11 -D_GNU_SOURCE -O2 -Isrc -Iinclude "$W/tool.c" "$B/libleakprint.a" \
    -ltlsh -lstdc++ -lxxhash -lcrypto -lm -o "$W/tool"

# Three small, different programs: a word counter, a CRC-32 table checker
# and an RPN calculator. PATCH_LINE is the one line a patch changes.
cat >"$W/wc.c" <<'EOF'
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
struct word { char *w; unsigned n; struct word *next; };
static struct word *tab[4096];
static unsigned hash(const char *s) { unsigned h = 5381; while (*s) h = h * 33 + (unsigned char)*s++; return h; }
static void add(const char *s)
{
    unsigned h = hash(s) % 4096;
    for (struct word *p = tab[h]; p; p = p->next)
        if (!strcmp(p->w, s)) { p->n++; return; }
    struct word *p = malloc(sizeof *p);
    if (!p) exit(1);
    p->w = strdup(s); p->n = 1; p->next = tab[h]; tab[h] = p;
}
static int cmp(const void *a, const void *b)
{
    const struct word *x = *(struct word *const *)a, *y = *(struct word *const *)b;
    return x->n != y->n ? (x->n < y->n) - (x->n > y->n) : strcmp(x->w, y->w);
}
int main(int argc, char **argv)
{
    char buf[256]; size_t n = 0; int c; unsigned total = 0, min = 1; /* PATCH_LINE */
    FILE *f = argc > 1 ? fopen(argv[1], "r") : stdin;
    if (!f) { perror(argv[1]); return 2; }
    while ((c = fgetc(f)) != EOF) {
        if (isalnum(c) && n < sizeof buf - 1) buf[n++] = (char)tolower(c);
        else if (n) { buf[n] = 0; if (n >= min) { add(buf); total++; } n = 0; }
    }
    struct word **all = NULL; size_t k = 0;
    for (int i = 0; i < 4096; i++)
        for (struct word *p = tab[i]; p; p = p->next) {
            all = realloc(all, (k + 1) * sizeof *all);
            if (!all) return 1;
            all[k++] = p;
        }
    qsort(all, k, sizeof *all, cmp);
    for (size_t i = 0; i < k && i < 20; i++) printf("%7u %s\n", all[i]->n, all[i]->w);
    printf("words: %u, distinct: %zu\n", total, k);
    return 0;
}
EOF
cat >"$W/crc.c" <<'EOF'
#include <stdint.h>
#include <stdio.h>
#include <string.h>
static uint32_t table[256];
static void make_table(uint32_t poly)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? poly ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
}
static uint32_t crc(FILE *f, uint64_t *len)
{
    unsigned char buf[65536]; size_t n; uint32_t c = 0xffffffffu;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        for (size_t i = 0; i < n; i++) c = table[(c ^ buf[i]) & 0xff] ^ (c >> 8);
        *len += n;
    }
    return c ^ 0xffffffffu;
}
int main(int argc, char **argv)
{
    uint32_t poly = 0xedb88320u; /* PATCH_LINE */
    int bad = 0;
    if (argc > 2 && !strcmp(argv[1], "-c")) { poly = 0x82f63b78u; argv++; argc--; }
    make_table(poly);
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) { perror(argv[i]); bad = 1; continue; }
        uint64_t len = 0;
        uint32_t c = crc(f, &len);
        printf("%08x %llu %s\n", c, (unsigned long long)len, argv[i]);
        fclose(f);
    }
    return bad;
}
EOF
cat >"$W/rpn.c" <<'EOF'
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static double st[64]; static int sp;
static void push(double v) { if (sp == 64) { fputs("stack full\n", stderr); exit(1); } st[sp++] = v; }
static double pop(void) { if (!sp) { fputs("stack empty\n", stderr); exit(1); } return st[--sp]; }
static int op(const char *t)
{
    double a, b;
    if (!strcmp(t, "+")) { b = pop(); a = pop(); push(a + b); }
    else if (!strcmp(t, "-")) { b = pop(); a = pop(); push(a - b); }
    else if (!strcmp(t, "*")) { b = pop(); a = pop(); push(a * b); }
    else if (!strcmp(t, "/")) { b = pop(); a = pop(); push(b ? a / b : NAN); }
    else if (!strcmp(t, "sqrt")) push(sqrt(pop()));
    else if (!strcmp(t, "dup")) { a = pop(); push(a); push(a); }
    else if (!strcmp(t, "swap")) { b = pop(); a = pop(); push(b); push(a); }
    else if (!strcmp(t, "p")) printf("%.10g\n", st[sp ? sp - 1 : 0]);
    else return 0;
    return 1;
}
int main(void)
{
    char line[1024]; int precision = 10; /* PATCH_LINE */
    while (fgets(line, sizeof line, stdin)) {
        for (char *t = strtok(line, " \t\n"); t; t = strtok(NULL, " \t\n")) {
            char *e; double v = strtod(t, &e);
            if (*e == 0) push(v);
            else if (!op(t)) fprintf(stderr, "unknown: %s\n", t);
        }
    }
    if (sp) printf("%.*g\n", precision, st[sp - 1]);
    return 0;
}
EOF
files=()
for p in wc crc rpn; do
    sed 's|/\* PATCH_LINE \*/|/* patched */ if (argc > 9) return 3;|' "$W/$p.c" >"$W/${p}_patched.c"
    [ "$p" = rpn ] && sed -i 's|/\* patched \*/ if (argc > 9) return 3;|/* patched */ precision = 12;|' "$W/${p}_patched.c"
    gcc -O0 -o "$W/$p-O0" "$W/$p.c" -lm
    gcc -O2 -o "$W/$p-O2" "$W/$p.c" -lm
    gcc -O2 -o "$W/$p-O2-patch" "$W/${p}_patched.c" -lm
    cp "$W/$p-O2" "$W/$p-O2-strip" && strip "$W/$p-O2-strip"
    cp "$W/$p-O0" "$W/$p-O0-strip" && strip "$W/$p-O0-strip"
    clang -O2 -o "$W/$p-clang-O2" "$W/$p.c" -lm
    files+=("$W/$p-O0" "$W/$p-O2" "$W/$p-O2-patch" "$W/$p-O2-strip" "$W/$p-O0-strip" "$W/$p-clang-O2")
done
echo "## Small programs (gcc $(gcc -dumpversion), clang $(clang -dumpversion)) and /usr/bin"
"$W/tool" table "${files[@]}" /usr/bin/ls /usr/bin/cp /usr/bin/grep /usr/bin/sqlite3
echo

# About 100 distinct ELF files between 20 KB and 20 MB: every k-th of the
# sorted candidates, identical copies (hard links, duplicates) dropped.
mapfile -t cand < <(find /usr/bin /usr/lib/x86_64-linux-gnu -maxdepth 1 -type f \
    -size +20k -size -20M 2>/dev/null | sort |
    while read -r f; do
        [ "$(head -c4 "$f" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] && echo "$f"
    done)
step=$(( ${#cand[@]} / 100 )); [ "$step" -ge 1 ] || step=1
sel=(); declare -A seen=()
for ((i = 0; i < ${#cand[@]} && ${#sel[@]} < 100; i += step)); do
    h=$(sha256sum "${cand[$i]}" | cut -d' ' -f1)
    [ -z "${seen[$h]:-}" ] || continue
    seen[$h]=1; sel+=("${cand[$i]}")
done
echo "## Unrelated system binaries, pairwise"
"$W/tool" pairs 100 30 50 70 150 -- "${sel[@]}"
echo
echo "## Digest speed"
big=$(find /usr/lib/x86_64-linux-gnu -maxdepth 1 -type f -name '*.so*' -size +10M \
    2>/dev/null | head -n 1)
[ -n "$big" ] && "$W/tool" speed "$big"
"$W/tool" speed /usr/bin/sqlite3
