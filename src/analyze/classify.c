/* SPDX-License-Identifier: Apache-2.0
 *
 * classify: what a file is, from its name and first bytes (see classify.h).
 * Order: content first for binaries (more than 1 in 32 NUL bytes, or
 * more than 1 in 10 control bytes in the first 8 KB, makes a file binary
 * whatever its name; leading NULs and runs of 64 NULs or more are padding,
 * left out of the count);
 * then exact well-known names (Makefile, CMakeLists.txt, .bashrc), name
 * prefixes that beat extensions (Kconfig*, Dockerfile*, Makefile*), the
 * extension (case-insensitive), text names (README*, COPYING*...), a "#!"
 * line, the look of the first lines (C-family code, Python), and finally
 * any other text is prose (LP_LANG_TEXT).
 * Only the last component of the logical path is used ('/' and the '!' of
 * archive members both separate components). Pure functions, tables only.
 */
#include "classify.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "banned.h"

/* Bytes looked at for binary detection and for the "#!" line. */
#define SNIFF_LEN 8192
#define SHEBANG_LEN 256

struct name_map {
    const char *s;
    enum lp_lang lang;
};

static const struct name_map exact_names[] = {
    {"Makefile", LP_LANG_MAKE},      {"makefile", LP_LANG_MAKE},
    {"GNUmakefile", LP_LANG_MAKE},   {"Kbuild", LP_LANG_MAKE},
    {"CMakeLists.txt", LP_LANG_CMAKE}, {"Containerfile", LP_LANG_DOCKERFILE},
    {".bashrc", LP_LANG_SHELL},      {".bash_profile", LP_LANG_SHELL},
    {".profile", LP_LANG_SHELL},     {".zshrc", LP_LANG_SHELL},
    {"Rakefile", LP_LANG_RUBY},      {"Gemfile", LP_LANG_RUBY},
    {NULL, LP_LANG_NONE}};

/* Name prefixes checked before the extension ("Kconfig.debug"). */
static const struct name_map strong_prefixes[] = {
    {"Kconfig", LP_LANG_KCONFIG},  {"Dockerfile", LP_LANG_DOCKERFILE},
    {"Makefile", LP_LANG_MAKE},    {"GNUmakefile", LP_LANG_MAKE},
    {"Kbuild", LP_LANG_MAKE},      {NULL, LP_LANG_NONE}};

/* Name prefixes checked after the extension ("COPYING.LIB", not
 * "README.md"). */
static const struct name_map text_prefixes[] = {
    {"README", LP_LANG_TEXT},  {"COPYING", LP_LANG_TEXT},
    {"LICENSE", LP_LANG_TEXT}, {"LICENCE", LP_LANG_TEXT},
    {"CHANGES", LP_LANG_TEXT}, {"CHANGELOG", LP_LANG_TEXT},
    {"NEWS", LP_LANG_TEXT},    {"AUTHORS", LP_LANG_TEXT},
    {"INSTALL", LP_LANG_TEXT}, {"NOTICE", LP_LANG_TEXT},
    {NULL, LP_LANG_NONE}};

static const struct name_map exts[] = {
    {"c", LP_LANG_C},           {"h", LP_LANG_C},
    {"cc", LP_LANG_CPP},        {"cpp", LP_LANG_CPP},
    {"cxx", LP_LANG_CPP},       {"c++", LP_LANG_CPP},
    {"hpp", LP_LANG_CPP},       {"hh", LP_LANG_CPP},
    {"hxx", LP_LANG_CPP},       {"inl", LP_LANG_CPP},
    {"ipp", LP_LANG_CPP},       {"tcc", LP_LANG_CPP},
    {"java", LP_LANG_JAVA},     {"js", LP_LANG_JS},
    {"mjs", LP_LANG_JS},        {"cjs", LP_LANG_JS},
    {"jsx", LP_LANG_JS},        {"ts", LP_LANG_TS},
    {"tsx", LP_LANG_TS},        {"mts", LP_LANG_TS},
    {"cts", LP_LANG_TS},        {"go", LP_LANG_GO},
    {"rs", LP_LANG_RUST},       {"cs", LP_LANG_CSHARP},
    {"kt", LP_LANG_KOTLIN},     {"kts", LP_LANG_KOTLIN},
    {"swift", LP_LANG_SWIFT},   {"m", LP_LANG_OBJC},
    {"mm", LP_LANG_OBJC},       {"sh", LP_LANG_SHELL},
    {"bash", LP_LANG_SHELL},    {"zsh", LP_LANG_SHELL},
    {"ksh", LP_LANG_SHELL},     {"py", LP_LANG_PYTHON},
    {"pyw", LP_LANG_PYTHON},    {"pyi", LP_LANG_PYTHON},
    {"pl", LP_LANG_PERL},       {"pm", LP_LANG_PERL},
    {"t", LP_LANG_PERL},        {"rb", LP_LANG_RUBY},
    {"rake", LP_LANG_RUBY},     {"gemspec", LP_LANG_RUBY},
    {"mk", LP_LANG_MAKE},       {"mak", LP_LANG_MAKE},
    /* VMS build procedures: DCL command files (make_vms.com) and MMS
     * descriptions, lexed as build files are */
    {"com", LP_LANG_MAKE},      {"mms", LP_LANG_MAKE},
    {"cmake", LP_LANG_CMAKE},   {"yml", LP_LANG_YAML},
    {"yaml", LP_LANG_YAML},     {"toml", LP_LANG_TOML},
    {"ini", LP_LANG_INI},       {"cfg", LP_LANG_INI},
    {"conf", LP_LANG_INI},      {"dockerfile", LP_LANG_DOCKERFILE},
    {"md", LP_LANG_MARKDOWN},   {"markdown", LP_LANG_MARKDOWN},
    {"mdx", LP_LANG_MARKDOWN},  {"mkd", LP_LANG_MARKDOWN},
    {"rst", LP_LANG_RST},       {"rest", LP_LANG_RST},
    {"txt", LP_LANG_TEXT},      {"text", LP_LANG_TEXT},
    {"adoc", LP_LANG_TEXT},     {"asciidoc", LP_LANG_TEXT},
    {"tex", LP_LANG_TEXT},      {"texi", LP_LANG_TEXT},
    {"texinfo", LP_LANG_TEXT},  {"org", LP_LANG_TEXT},
    {"rdoc", LP_LANG_TEXT},     {"pod", LP_LANG_TEXT},
    {"html", LP_LANG_TEXT},     {"htm", LP_LANG_TEXT},
    {"man", LP_LANG_MAN},       {"roff", LP_LANG_MAN},
    {"nroff", LP_LANG_MAN},     {NULL, LP_LANG_NONE}};

/* Interpreters of a "#!" line; a version suffix ("python3.11") is allowed. */
static const struct name_map interpreters[] = {
    {"sh", LP_LANG_SHELL},      {"bash", LP_LANG_SHELL},
    {"dash", LP_LANG_SHELL},    {"zsh", LP_LANG_SHELL},
    {"ksh", LP_LANG_SHELL},     {"mksh", LP_LANG_SHELL},
    {"ash", LP_LANG_SHELL},     {"busybox", LP_LANG_SHELL},
    {"python", LP_LANG_PYTHON}, {"pypy", LP_LANG_PYTHON},
    {"perl", LP_LANG_PERL},     {"ruby", LP_LANG_RUBY},
    {"make", LP_LANG_MAKE},     {"gmake", LP_LANG_MAKE},
    {"node", LP_LANG_JS},       {"nodejs", LP_LANG_JS},
    {"deno", LP_LANG_JS},       {NULL, LP_LANG_NONE}};

static enum lp_lang find_exact(const struct name_map *m, const char *s,
                               size_t n, bool icase)
{
    for (; m->s; m++) {
        if (strlen(m->s) != n)
            continue;
        if (icase ? strncasecmp(m->s, s, n) == 0 : memcmp(m->s, s, n) == 0)
            return m->lang;
    }
    return LP_LANG_NONE;
}

static enum lp_lang find_prefix(const struct name_map *m, const char *s)
{
    for (; m->s; m++)
        if (strncmp(m->s, s, strlen(m->s)) == 0)
            return m->lang;
    return LP_LANG_NONE;
}

/* Man page sections: "1" to "9", maybe with a short suffix ("3ssl"). */
static bool is_man_ext(const char *e)
{
    if (e[0] < '1' || e[0] > '9')
        return false;
    size_t i = 1;
    while (i < 6 && e[i] >= 'a' && e[i] <= 'z')
        i++;
    return e[i] == '\0';
}

static enum lp_lang by_ext(const char *base)
{
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base || !dot[1])
        return LP_LANG_NONE;
    if (is_man_ext(dot + 1))
        return LP_LANG_MAN;
    return find_exact(exts, dot + 1, strlen(dot + 1), true);
}

/* The interpreter named by a "#!" line, "/usr/bin/env -S python3 -u"
 * included. */
static enum lp_lang by_shebang(const unsigned char *buf, size_t len)
{
    size_t n = len < SHEBANG_LEN ? len : SHEBANG_LEN, i = 2, s, base;
    if (n < 3 || buf[0] != '#' || buf[1] != '!')
        return LP_LANG_NONE;
    for (int word = 0; word < 4; word++) {
        while (i < n && (buf[i] == ' ' || buf[i] == '\t'))
            i++;
        for (s = base = i; i < n && buf[i] > ' '; i++)
            if (buf[i] == '/')
                base = i + 1;
        if (i == s)
            return LP_LANG_NONE;
        const char *w = (const char *)buf + base;
        size_t wn = i - base;
        if ((wn == 3 && memcmp(w, "env", 3) == 0) || buf[s] == '-' ||
            memchr(w, '=', wn))
            continue; /* env, its options and VAR=value */
        while (wn > 0 && ((w[wn - 1] >= '0' && w[wn - 1] <= '9') ||
                          w[wn - 1] == '.'))
            wn--;
        return find_exact(interpreters, w, wn, false);
    }
    return LP_LANG_NONE;
}

/* In the first SNIFF_LEN bytes: more than 1 in 32 NUL bytes, or more than
 * 1 in 10 control bytes (ESC aside, for coloured logs), or a NUL among
 * more than 1 in 4 bytes with the high bit set (compressed data, images).
 * Executables, objects and images have NULs by the hundred in their first
 * 8 KB; a text file with a stray NUL (a paste through a broken tool) is
 * mostly ASCII and stays text. */
/* Control bytes that text does not use: 0-8, 14-31 but ESC (27), DEL. */
static bool is_ctrl(unsigned char b)
{
    return b <= 8 || (b >= 14 && b <= 31 && b != 27) || b == 127;
}

/* Counts the control bytes and the bytes with the high bit set of
 * buf[0, n): 16 at a time with GCC's vector extensions (the lanes' counts
 * are summed every 255 steps, before a byte lane can overflow). This runs
 * on the first 8 KB of every file a scan reads. */
typedef uint8_t v16u8 __attribute__((vector_size(16)));
static void count_ctrl_high(const unsigned char *buf, size_t n, size_t *ctrl,
                            size_t *high)
{
    size_t i = 0, c = 0, h = 0;
    while (n - i >= 16) {
        size_t steps = (n - i) / 16;
        if (steps > 255)
            steps = 255;
        v16u8 vc = {0}, vh = {0};
        for (size_t k = 0; k < steps; k++, i += 16) {
            v16u8 v;
            memcpy(&v, buf + i, sizeof v);
            v16u8 bad = (v16u8)((v <= 8) | ((v >= 14) & (v <= 31) & (v != 27)) |
                                (v == 127));
            vc -= bad; /* a true lane is all ones: -1 */
            vh += v >> 7;
        }
        for (int k = 0; k < 16; k++) {
            c += vc[k];
            h += vh[k];
        }
    }
    for (; i < n; i++) {
        c += is_ctrl(buf[i]);
        h += buf[i] >> 7;
    }
    *ctrl = c;
    *high = h;
}

/* Runs of NUL bytes at least this long are padding (a text file behind a
 * zeroed block, sectors padded with zeros), not binary data: binaries mix
 * short NUL runs with other control bytes. */
#define NUL_PAD_RUN 64
/* Leading NULs skipped at most: past that, a disk image, not a file. */
#define NUL_LEAD_MAX (1u << 20)

/* Whether buf[0, len) is binary. Leading NULs, however many, are skipped,
 * and NUL runs of NUL_PAD_RUN bytes or more are not counted: a source file
 * behind a kilobyte of zeros is text. A file of NULs only, or behind more
 * than NUL_LEAD_MAX of them, is binary. */
static bool looks_binary(const unsigned char *buf, size_t len)
{
    size_t ctrl = 0, nul = 0, pad = 0, high = 0;
    if (!buf)
        return false;
    size_t lead = 0;
    while (lead < len && lead <= NUL_LEAD_MAX && !buf[lead])
        lead++;
    if (lead && (lead == len || lead > NUL_LEAD_MAX))
        return true;
    buf += lead;
    len -= lead;
    size_t n = len < SNIFF_LEN ? len : SNIFF_LEN;
    for (const unsigned char *p = buf, *e = buf + n;
         (p = memchr(p, 0, (size_t)(e - p))) != NULL;) {
        const unsigned char *q = p;
        while (q < e && !*q)
            q++;
        if ((size_t)(q - p) >= NUL_PAD_RUN)
            pad += (size_t)(q - p);
        else
            nul += (size_t)(q - p);
        p = q;
    }
    if (pad && pad == n)
        return true; /* nothing but padding to judge by */
    size_t m = n - pad; /* bytes that are not padding */
    if (nul * 32 > m || (nul && m < 64))
        return true;
    count_ctrl_high(buf, n, &ctrl, &high);
    ctrl -= pad; /* padding NULs are control bytes too */
    return ctrl * 10 > m || (nul && high * 4 > m);
}

static bool starts(const unsigned char *p, const unsigned char *e,
                   const char *word)
{
    size_t n = strlen(word);
    return (size_t)(e - p) >= n && memcmp(p, word, n) == 0;
}

/* Code without a telling name (a paste, stdin, "snippet.txt"): in the first
 * SNIFF_LEN bytes, C-family code when 2 of 5 non-blank lines end with ';',
 * '{' or '}' or are preprocessor lines; Python when 1 of 5 are def, class
 * or import lines. Prose seldom does either. */
static enum lp_lang by_content(const unsigned char *buf, size_t len)
{
    const unsigned char *p = buf, *end = buf + (len < SNIFF_LEN ? len : SNIFF_LEN);
    size_t lines = 0, c = 0, py = 0;
    while (p < end) {
        const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
        const unsigned char *e = nl ? nl : end, *b = p, *t = e;
        while (b < e && (*b == ' ' || *b == '\t'))
            b++;
        while (t > b && (t[-1] == ' ' || t[-1] == '\t' || t[-1] == '\r'))
            t--;
        if (t > b) {
            lines++;
            c += t[-1] == ';' || t[-1] == '{' || t[-1] == '}' ||
                 starts(b, t, "#include") || starts(b, t, "#define") ||
                 starts(b, t, "#if");
            py += ((starts(b, t, "def ") || starts(b, t, "class ")) &&
                   t[-1] == ':') ||
                  starts(b, t, "import ") || starts(b, t, "from ");
        }
        p = nl ? nl + 1 : end;
    }
    if (lines < 3)
        return LP_LANG_NONE;
    if (5 * c >= 2 * lines)
        return LP_LANG_C;
    if (5 * py >= lines)
        return LP_LANG_PYTHON;
    return LP_LANG_NONE;
}

static bool texinfo(const char *base)
{
    const char *dot = strrchr(base, '.');
    return dot && (strcasecmp(dot, ".texi") == 0 ||
                   strcasecmp(dot, ".texinfo") == 0);
}

static const char *last_component(const char *path)
{
    const char *base = path;
    for (const char *p = path; *p; p++)
        if (*p == '/' || *p == '!' || *p == '\\')
            base = p + 1;
    return base;
}

static enum lp_kind kind_of(enum lp_lang lang)
{
    if (lang >= LP_LANG_TEXT)
        return LP_KIND_PROSE;
    return lang == LP_LANG_NONE ? LP_KIND_OTHER : LP_KIND_CODE;
}

enum lp_kind lp_classify(const char *path, const unsigned char *buf,
                         size_t len, enum lp_lang *lang)
{
    const char *base = last_component(path ? path : "");
    enum lp_lang l;

    *lang = LP_LANG_NONE;
    if (!buf)
        len = 0;
    if (looks_binary(buf, len))
        return LP_KIND_BINARY;
    l = find_exact(exact_names, base, strlen(base), false);
    if (!l)
        l = find_prefix(strong_prefixes, base);
    if (!l)
        l = by_ext(base);
    if (l == LP_LANG_TEXT && !texinfo(base)) {
        /* "paste.txt": plain text by name, code by the look of it (not a
         * texinfo manual: the code of its examples escapes its braces,
         * "@{", and is found as code inside prose, see regions.h) */
        enum lp_lang c = by_content(buf, len);
        l = c ? c : l;
    }
    if (!l)
        l = find_prefix(text_prefixes, base);
    if (!l)
        l = by_shebang(buf, len);
    if (!l)
        l = by_content(buf, len);
    if (!l)
        l = LP_LANG_TEXT;
    *lang = l;
    return kind_of(l);
}

const char *lp_lang_name(enum lp_lang lang)
{
    static const char *const names[] = {
        [LP_LANG_C] = "c",          [LP_LANG_CPP] = "cpp",
        [LP_LANG_JAVA] = "java",    [LP_LANG_JS] = "js",
        [LP_LANG_TS] = "ts",        [LP_LANG_GO] = "go",
        [LP_LANG_RUST] = "rust",    [LP_LANG_CSHARP] = "csharp",
        [LP_LANG_KOTLIN] = "kotlin", [LP_LANG_SWIFT] = "swift",
        [LP_LANG_OBJC] = "objc",    [LP_LANG_SHELL] = "shell",
        [LP_LANG_PYTHON] = "python", [LP_LANG_PERL] = "perl",
        [LP_LANG_RUBY] = "ruby",    [LP_LANG_MAKE] = "make",
        [LP_LANG_CMAKE] = "cmake",  [LP_LANG_KCONFIG] = "kconfig",
        [LP_LANG_YAML] = "yaml",    [LP_LANG_TOML] = "toml",
        [LP_LANG_INI] = "ini",      [LP_LANG_DOCKERFILE] = "dockerfile",
        [LP_LANG_TEXT] = "text",    [LP_LANG_MARKDOWN] = "markdown",
        [LP_LANG_RST] = "rst",      [LP_LANG_MAN] = "man",
    };
    if ((unsigned)lang >= sizeof names / sizeof names[0] || !names[lang])
        return "none";
    return names[lang];
}

const char *lp_kind_name(enum lp_kind kind)
{
    switch (kind) {
    case LP_KIND_CODE:
        return "code";
    case LP_KIND_PROSE:
        return "prose";
    case LP_KIND_BINARY:
        return "binary";
    case LP_KIND_LISTING:
        return "listing";
    case LP_KIND_OTHER:
        break;
    }
    return "other";
}
