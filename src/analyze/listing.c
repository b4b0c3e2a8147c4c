/* SPDX-License-Identifier: Apache-2.0
 *
 * listing: recognition, parsing and matching of file listings (see
 * listing.h and docs/internals/listing.md).
 * Lines are classified by small hand-written recognisers, one per line
 * shape (an ls -l line, a tree item, an unzip row, a path). Detection counts
 * shapes over the first 16 KB; parsing runs the recogniser of the format over
 * every line and keeps a little state (the tree's ancestors, the ls -R
 * section). Matching hashes path suffixes (component by component, from the
 * end) into open-addressing tables, so it is linear in the components.
 * Every length is checked against the line it came from; nothing recurses.
 */
#include "listing.h"

#include <string.h>
#include <strings.h>

#include "hash.h"
#include "limits.h"
#include "mem.h"
#include "banned.h"

/* Bytes of the text that detection looks at. */
#define DETECT_LEN 16384
/* Entries a text needs before it is called a listing. */
#define MIN_ENTRIES 5
/* Deepest tree indentation followed; deeper items are skipped. */
#define TREE_MAX_DEPTH LP_MAX_WALK_DEPTH
/* Components of a path suffix that matching hashes: deeper agreement adds
 * nothing to the vote. */
#define MAX_SUFFIX 64
/* Votes an alignment needs (each from a distinct listing file). */
#define MIN_VOTES 2
/* Seed of the suffix hash chain. */
#define SUFFIX_SEED 0x6c697374696e6721ull
/* Marks a suffix that several listing files share. */
#define MULTI UINT32_MAX

/* ------------------------------------------------------------------ */
/* Small helpers on (pointer, length) strings                          */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return false;
    return true;
}

static bool has_prefix(const char *s, size_t n, const char *p)
{
    size_t pn = strlen(p);
    return n >= pn && memcmp(s, p, pn) == 0;
}

/* Offset of the first occurrence of needle in s, or n. */
static size_t find_sub(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(s + i, needle, k) == 0)
            return i;
    return n;
}

/* Decimal value of s, UINT64_MAX when not all digits or too large. */
static uint64_t parse_u64(const char *s, size_t n)
{
    uint64_t v = 0;
    if (!all_digits(s, n))
        return UINT64_MAX;
    for (size_t i = 0; i < n; i++) {
        if (v > (UINT64_MAX - 9) / 10)
            return UINT64_MAX;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    return v;
}

struct line_iter {
    const char *p, *end;
    uint32_t no; /* 1-based number of the line last returned */
};

/* The next line without its "\n" or "\r\n"; false at the end. */
static bool next_line(struct line_iter *it, const char **s, size_t *n)
{
    if (it->p >= it->end)
        return false;
    const char *nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
    const char *e = nl ? nl : it->end;
    *s = it->p;
    *n = (size_t)(e - it->p);
    if (*n > 0 && (*s)[*n - 1] == '\r')
        (*n)--;
    it->p = nl ? nl + 1 : it->end;
    if (it->no < UINT32_MAX)
        it->no++;
    return true;
}

static bool is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    return true;
}

/* ------------------------------------------------------------------ */
/* Path normalization                                                  */

/* Writes the normalized form of s (n bytes) to out (room for n + 1 bytes)
 * and its length to *outn: '/' separated, no empty, "." components, so no
 * leading or trailing '/'. False when a component is "..": such an entry
 * points outside its listing and is refused. */
static bool norm_path(const char *s, size_t n, char *out, size_t *outn)
{
    size_t o = 0, i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] != '/')
            j++;
        size_t cn = j - i;
        if (cn == 2 && s[i] == '.' && s[i + 1] == '.')
            return false;
        if (cn > 0 && !(cn == 1 && s[i] == '.')) {
            if (o > 0)
                out[o++] = '/';
            memcpy(out + o, s + i, cn);
            o += cn;
        }
        i = j + 1;
    }
    out[o] = '\0';
    *outn = o;
    return true;
}

/* ------------------------------------------------------------------ */
/* Line shapes                                                         */

/* Length of an ls-style permission column ("drwxr-xr-x", maybe followed by
 * '.', '+' or '@') when s starts with one followed by a space, else 0. */
static size_t perms_len(const char *s, size_t n)
{
    static const char types[] = "-dlcbpsDnMhC?";
    if (n < 11 || s[0] == '\0' || !memchr(types, s[0], sizeof types - 1))
        return 0;
    for (size_t i = 1; i < 10; i++) {
        const char *ok = i % 3 == 1   ? "r-"
                         : i % 3 == 2 ? "w-"
                         : i == 9     ? "xtT-"
                                      : "xsS-";
        if (s[i] == '\0' || !strchr(ok, s[i]))
            return 0;
    }
    size_t i = 10;
    if (s[i] == '.' || s[i] == '+' || s[i] == '@')
        i++;
    return i < n && s[i] == ' ' ? i : 0;
}

struct tok {
    size_t off, len;
};

/* Splits s[from..n) on runs of spaces into at most max tokens. */
static size_t split_tokens(const char *s, size_t n, size_t from, struct tok *t,
                           size_t max)
{
    size_t k = 0, i = from;
    while (k < max) {
        while (i < n && s[i] == ' ')
            i++;
        if (i >= n)
            break;
        t[k].off = i;
        while (i < n && s[i] != ' ')
            i++;
        t[k].len = i - t[k].off;
        k++;
    }
    return k;
}

static bool is_month(const char *s, size_t n)
{
    static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
    if (n != 3)
        return false;
    for (size_t i = 0; i < 36; i += 3)
        if (strncasecmp(s, months + i, 3) == 0)
            return true;
    return false;
}

static bool is_day(const char *s, size_t n)
{
    return (n == 1 || n == 2) && all_digits(s, n);
}

/* "10:00", "9:05", "10:00:59", "10:00:59.123456789". */
static bool is_time(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && i < 2 && is_digit(s[i]))
        i++;
    if (i == 0 || i + 3 > n || s[i] != ':' || !is_digit(s[i + 1]) ||
        !is_digit(s[i + 2]))
        return false;
    i += 3;
    if (i == n)
        return true;
    if (i + 3 > n || s[i] != ':' || !is_digit(s[i + 1]) || !is_digit(s[i + 2]))
        return false;
    i += 3;
    if (i == n)
        return true;
    return s[i] == '.' && all_digits(s + i + 1, n - i - 1);
}

static bool is_year(const char *s, size_t n)
{
    return n == 4 && all_digits(s, n);
}

/* "2024-01-02" */
static bool is_isodate(const char *s, size_t n)
{
    return n == 10 && all_digits(s, 4) && s[4] == '-' && all_digits(s + 5, 2) &&
           s[7] == '-' && all_digits(s + 8, 2);
}

/* "01-02" (ls --time-style=iso for recent files) */
static bool is_mmdd(const char *s, size_t n)
{
    return n == 5 && all_digits(s, 2) && s[2] == '-' && all_digits(s + 3, 2);
}

/* "+0000" */
static bool is_zone(const char *s, size_t n)
{
    return n == 5 && (s[0] == '+' || s[0] == '-') && all_digits(s + 1, 4);
}

/* Tokens a date starting at t[i] takes (0 if no date starts there), out of
 * nt. The forms of ls (default, locale "DD Mon", long-iso, full-iso, iso)
 * and of GNU tar and bsdtar. */
static size_t date_at(const char *s, const struct tok *t, size_t nt, size_t i)
{
#define TK(k) (s + t[k].off), t[k].len
    if (i + 2 < nt &&
        ((is_month(TK(i)) && is_day(TK(i + 1))) ||
         (is_day(TK(i)) && is_month(TK(i + 1)))) &&
        (is_time(TK(i + 2)) || is_year(TK(i + 2))))
        return 3;
    if (i + 1 < nt && is_isodate(TK(i)) && is_time(TK(i + 1)))
        return i + 2 < nt && is_zone(TK(i + 2)) ? 3 : 2;
    if (i + 1 < nt && is_mmdd(TK(i)) && is_time(TK(i + 1)))
        return 2;
    if (i + 1 < nt && is_isodate(TK(i)))
        return 1;
    return 0;
#undef TK
}

/* "1234", or ls -h's "4.0K", "12M". */
static bool is_size(const char *s, size_t n)
{
    if (all_digits(s, n))
        return true;
    if (n < 2 || !strchr("KMGTPE", s[n - 1]) || s[n - 1] == '\0')
        return false;
    for (size_t i = 0; i + 1 < n; i++)
        if (!is_digit(s[i]) && s[i] != '.' && s[i] != ',')
            return false;
    return is_digit(s[0]);
}

struct lsl {
    char type;
    bool owner_slash; /* "user/group": GNU tar */
    uint64_t size;
    size_t name_off, name_len;
};

#define LSL_TOKENS 12

/* An ls -l, bsdtar tv or GNU tar tv line: permissions, some columns, a
 * size, a date, then the name (one space after the date; it may hold
 * spaces). A symbolic link's " -> target" and a hard link's " link to
 * target" are cut off. */
static bool parse_lsl(const char *s, size_t n, struct lsl *o)
{
    struct tok t[LSL_TOKENS];
    size_t p = perms_len(s, n);
    if (!p)
        return false;
    size_t nt = split_tokens(s, n, p, t, LSL_TOKENS);
    for (size_t i = 1; i < nt && i <= 6; i++) {
        size_t k = date_at(s, t, nt, i);
        if (!k)
            continue;
        const struct tok *sz = &t[i - 1];
        bool dev = i >= 2 && t[i - 2].len > 0 &&
                   s[t[i - 2].off + t[i - 2].len - 1] == ',';
        if (!dev && !is_size(s + sz->off, sz->len))
            continue;
        const struct tok *last = &t[i + k - 1];
        size_t off = last->off + last->len + 1;
        if (off >= n)
            return false;
        o->type = s[0];
        o->owner_slash = i >= 2 && memchr(s + t[0].off, '/', t[0].len);
        o->size = dev ? UINT64_MAX : parse_u64(s + sz->off, sz->len);
        o->name_off = off;
        o->name_len = n - off;
        if (o->type == 'l')
            o->name_len = find_sub(s + off, n - off, " -> ");
        else if (o->type == 'h')
            o->name_len = find_sub(s + off, n - off, " link to ");
        return o->name_len > 0;
    }
    return false;
}

/* "total 16", "total 1.2M" */
static bool is_total(const char *s, size_t n)
{
    return has_prefix(s, n, "total ") && is_size(s + 6, n - 6);
}

/* "dir:" -- an ls -R or ls -lR section header, when after a blank line. */
static bool is_section(const char *s, size_t n)
{
    return n >= 2 && s[n - 1] == ':' && s[0] != ' ';
}

/* Bytes of a tree connector at s ("├── ", "└── ", "|-- ", "`-- ", with a
 * space or a no-break space after the dashes), else 0. */
static size_t tree_connector(const char *s, size_t n)
{
    size_t i;
    if (n >= 3 && memcmp(s, "\xe2\x94", 2) == 0 &&
        (s[2] == '\x9c' || s[2] == '\x94'))
        i = 3;
    else if (n >= 1 && (s[0] == '|' || s[0] == '`'))
        i = 1;
    else
        return 0;
    for (int d = 0; d < 2; d++) {
        if (i + 3 <= n && memcmp(s + i, "\xe2\x94\x80", 3) == 0)
            i += 3;
        else if (i < n && s[i] == '-')
            i++;
        else
            return 0;
    }
    if (i < n && s[i] == ' ')
        return i + 1;
    if (i + 2 <= n && memcmp(s + i, "\xc2\xa0", 2) == 0)
        return i + 2;
    return 0;
}

/* Bytes of one column of tree indentation at s: a space, a no-break
 * space, '|' or '│'; else 0. */
static size_t tree_indent(const char *s, size_t n)
{
    if (n >= 1 && (s[0] == ' ' || s[0] == '|'))
        return 1;
    if (n >= 2 && memcmp(s, "\xc2\xa0", 2) == 0)
        return 2;
    if (n >= 3 && memcmp(s, "\xe2\x94\x82", 3) == 0)
        return 3;
    return 0;
}

/* A tree item: indentation in columns of 4, a connector, a name. */
static bool tree_item(const char *s, size_t n, size_t *depth, size_t *name)
{
    size_t i = 0, col = 0;
    while (i < n && col <= 4 * (size_t)TREE_MAX_DEPTH) {
        size_t c = tree_connector(s + i, n - i);
        if (c) {
            if (col % 4 != 0 || i + c >= n)
                return false;
            *depth = col / 4;
            *name = i + c;
            return true;
        }
        size_t u = tree_indent(s + i, n - i);
        if (!u)
            return false;
        i += u;
        col++;
    }
    return false;
}

/* tree's last line: "5 directories, 12 files", "1 directory, 1 file",
 * "3 directories" (tree -d). */
static bool tree_summary(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_digit(s[i]))
        i++;
    if (i == 0)
        return false;
    if (has_prefix(s + i, n - i, " directory"))
        i += 10;
    else if (has_prefix(s + i, n - i, " directories"))
        i += 12;
    else
        return false;
    if (i == n)
        return true;
    if (!has_prefix(s + i, n - i, ", "))
        return false;
    i += 2;
    size_t d = i;
    while (i < n && is_digit(s[i]))
        i++;
    if (i == d)
        return false;
    return (n - i == 5 && memcmp(s + i, " file", 5) == 0) ||
           (n - i == 6 && memcmp(s + i, " files", 6) == 0);
}

/* unzip -l's column header "  Length      Date    Time    Name". */
static bool unzip_header(const char *s, size_t n)
{
    /* Blanks, then "Length": checked first, as most lines fail here. */
    size_t lead = 0;
    while (lead < n && (s[lead] == ' ' || s[lead] == '\t'))
        lead++;
    if (!has_prefix(s + lead, n - lead, "Length"))
        return false;
    size_t a = find_sub(s, n, "Length");
    size_t b = find_sub(s, n, "Date");
    size_t c = find_sub(s, n, "Time");
    size_t d = find_sub(s, n, "Name");
    return a < b && b < c && c < d && d < n && is_blank(s, a);
}

/* A rule of dashes ("---------  ---------- -----   ----"). */
static bool dash_rule(const char *s, size_t n)
{
    if (!has_prefix(s, n, "---"))
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] != '-' && s[i] != ' ')
            return false;
    return true;
}

/* An unzip -l row: "     1234  2024-01-02 10:00   name" (or the date as
 * 01-02-2024 or 01-02-24). */
static bool unzip_row(const char *s, size_t n, uint64_t *size, size_t *name)
{
    struct tok t[3];
    if (split_tokens(s, n, 0, t, 3) < 3)
        return false;
    const char *d = s + t[1].off;
    size_t dn = t[1].len, digits = 0;
    for (size_t i = 0; i < dn; i++)
        digits += is_digit(d[i]);
    if (!all_digits(s + t[0].off, t[0].len) || dn < 8 || dn > 10 ||
        digits + 2 != dn || !is_time(s + t[2].off, t[2].len) || t[2].len != 5)
        return false;
    size_t i = t[2].off + t[2].len;
    /* unzip puts 3 spaces before the name; a name may start with spaces */
    for (int k = 0; k < 3 && i < n && s[i] == ' '; k++)
        i++;
    if (i >= n || i == t[2].off + t[2].len)
        return false;
    *size = parse_u64(s + t[0].off, t[0].len);
    *name = i;
    return true;
}

/* unzip -l's footer "    12                     10 files" and its
 * "Archive:  x.zip" line. */
static bool unzip_other(const char *s, size_t n)
{
    struct tok t[3];
    if (has_prefix(s, n, "Archive:  "))
        return true;
    size_t k = split_tokens(s, n, 0, t, 3);
    return k == 3 && all_digits(s + t[0].off, t[0].len) &&
           all_digits(s + t[1].off, t[1].len) &&
           ((t[2].len == 5 && memcmp(s + t[2].off, "files", 5) == 0) ||
            (t[2].len == 4 && memcmp(s + t[2].off, "file", 4) == 0));
}

/* ------------------------------------------------------------------ */
/* Size listings, checksum manifests, git's object listings            */

static bool is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Hex digits at s (at most max), all of them when they run to n. */
static size_t hex_run(const char *s, size_t n, size_t max)
{
    size_t i = 0;
    while (i < n && i < max && is_hex(s[i]))
        i++;
    return i;
}

/* The kind of a hash of `digits` hex digits. */
static uint8_t hash_kind_of(size_t digits)
{
    switch (digits) {
    case 32: return LP_LHASH_MD5;
    case 40: return LP_LHASH_SHA1;
    case 64: return LP_LHASH_SHA256;
    case 128: return LP_LHASH_SHA512;
    default: return LP_LHASH_NONE;
    }
}

/* A listed entry with what a line of the new formats says of it. */
struct hline {
    size_t name, name_len;
    uint64_t size;     /* UINT64_MAX: not said */
    uint8_t hash_kind; /* enum lp_listing_hash */
    const char *hex;   /* its digits */
    size_t hexn;
    bool skip; /* a submodule or tree of git ls-tree: no file */
};

/* du -ab ("1234<TAB>path") and find -printf '%s %p\n' ("1234 path"). */
static bool size_line(const char *s, size_t n, struct hline *o)
{
    size_t i = 0;
    while (i < n && i < 20 && is_digit(s[i]))
        i++;
    if (i == 0 || i + 1 >= n || (s[i] != '\t' && s[i] != ' ') ||
        s[i + 1] == ' ' || s[i + 1] == '\t')
        return false;
    memset(o, 0, sizeof *o);
    o->size = parse_u64(s, i);
    o->name = i + 1;
    o->name_len = n - i - 1;
    return o->size != UINT64_MAX;
}

/* sha256sum, md5sum, sha1sum ("HEX  path", "HEX *path"; a name with a
 * backslash or a newline is printed "\HEX  path" escaped, taken as is),
 * and the BSD form of them and of shasum --tag ("SHA256 (path) = HEX"). */
static bool sum_line(const char *s, size_t n, struct hline *o)
{
    static const char *const tags[] = {"MD5 (", "SHA1 (", "SHA256 (",
                                       "SHA512 ("};
    memset(o, 0, sizeof *o);
    o->size = UINT64_MAX;
    for (size_t t = 0; t < 4; t++) {
        if (!has_prefix(s, n, tags[t]))
            continue;
        size_t open = strlen(tags[t]), e = n;
        while (e > open && is_hex(s[e - 1]))
            e--;
        size_t digits = n - e;
        if (e < open + 5 || memcmp(s + e - 4, ") = ", 4) != 0 ||
            hash_kind_of(digits) != (t == 0   ? LP_LHASH_MD5
                                     : t == 1 ? LP_LHASH_SHA1
                                     : t == 2 ? LP_LHASH_SHA256
                                              : LP_LHASH_SHA512))
            return false;
        o->name = open;
        o->name_len = e - 4 - open;
        o->hash_kind = hash_kind_of(digits);
        o->hex = s + e;
        o->hexn = digits;
        return o->name_len > 0;
    }
    size_t off = n > 0 && s[0] == '\\' ? 1 : 0;
    size_t h = hex_run(s + off, n - off, 129);
    if (!hash_kind_of(h) || off + h + 2 >= n || s[off + h] != ' ' ||
        (s[off + h + 1] != ' ' && s[off + h + 1] != '*'))
        return false;
    o->hash_kind = hash_kind_of(h);
    o->hex = s + off;
    o->hexn = h;
    o->name = off + h + 2;
    o->name_len = n - o->name;
    return true;
}

/* git ls-tree -r ("100644 blob OID<TAB>path"; with -l a size column
 * before the tab) and git ls-files -s ("100644 OID 0<TAB>path"). */
static bool git_line(const char *s, size_t n, struct hline *o)
{
    if (n < 8 || !all_digits(s, 6) || s[6] != ' ')
        return false;
    const char *tab = memchr(s, '\t', n);
    if (!tab || (size_t)(tab - s) + 1 >= n)
        return false;
    size_t head = (size_t)(tab - s);
    struct tok t[4];
    size_t k = split_tokens(s, head, 7, t, 4);
    memset(o, 0, sizeof *o);
    o->size = UINT64_MAX;
    o->name = head + 1;
    o->name_len = n - head - 1;
    const struct tok *oid;
    if (k >= 2 && (t[0].len == 4 || t[0].len == 6) &&
        (has_prefix(s + t[0].off, t[0].len, "blob") ||
         has_prefix(s + t[0].off, t[0].len, "tree") ||
         has_prefix(s + t[0].off, t[0].len, "commit"))) {
        oid = &t[1];
        o->skip = s[t[0].off] != 'b';
        if (k == 3) {
            /* -l: a size, or "-" for a tree or submodule */
            if (!(t[2].len == 1 && s[t[2].off] == '-'))
                o->size = parse_u64(s + t[2].off, t[2].len);
        } else if (k != 2) {
            return false;
        }
        if (k == 3 && o->size == UINT64_MAX && !o->skip)
            return false;
    } else if (k == 2 && t[1].len == 1 && is_digit(s[t[1].off])) {
        oid = &t[0];
    } else {
        return false;
    }
    if ((oid->len != 40 && oid->len != 64) ||
        hex_run(s + oid->off, oid->len, oid->len) != oid->len)
        return false;
    o->hash_kind = oid->len == 40 ? LP_LHASH_GIT : LP_LHASH_NONE;
    o->hex = s + oid->off;
    o->hexn = oid->len;
    return true;
}

enum path_shape {
    SHAPE_NAME = 1 << 0,  /* could be a bare file name */
    SHAPE_PATH = 1 << 1,  /* looks like a path or a file name */
    SHAPE_SLASH = 1 << 2, /* has a directory part */
    SHAPE_FIND = 1 << 3,  /* ".", "./x" or "/x": find's output */
};

/* Whether the last component ends in an extension (".c", ".tar.gz") or is
 * a dot file (".gitignore"). */
static bool has_ext(const char *s, size_t n)
{
    size_t b = n;
    while (b > 0 && s[b - 1] != '/')
        b--;
    for (size_t i = n; i > b; i--) {
        if (s[i - 1] != '.')
            continue;
        size_t e = n - i;
        if (e == 0 || e > 10)
            return false;
        for (size_t k = i; k < n; k++)
            if (!((s[k] >= 'a' && s[k] <= 'z') ||
                  (s[k] >= 'A' && s[k] <= 'Z') || is_digit(s[k]) ||
                  s[k] == '_'))
                return false;
        return true;
    }
    return false;
}

/* How much a line looks like a path, for detection only: strict, so that
 * code, prose, CSV, logs and shell commands do not. */
/* Bytes a path's line cannot hold at each place (a table: this runs on
 * every line of every plain-text file a scan reads). NUL is in each set,
 * inside as one of the control bytes that path_shape() tests itself. */
enum {
    NOT_FIRST = 1,       /* " -*#>+|`~=" */
    NOT_LAST = 2,        /* " :,.;" */
    NOT_INSIDE = 4,      /* ";{}<>\"'=,|`$!?*\\" (control bytes aside) */
    NOT_AFTER_SPACE = 8, /* " -/:" */
};
static const uint8_t path_bytes[256] = {
    [0] = NOT_FIRST | NOT_LAST | NOT_AFTER_SPACE,
    [' '] = NOT_FIRST | NOT_LAST | NOT_AFTER_SPACE,
    ['-'] = NOT_FIRST | NOT_AFTER_SPACE,
    ['*'] = NOT_FIRST | NOT_INSIDE,
    ['#'] = NOT_FIRST,
    ['>'] = NOT_FIRST | NOT_INSIDE,
    ['+'] = NOT_FIRST,
    ['|'] = NOT_FIRST | NOT_INSIDE,
    ['`'] = NOT_FIRST | NOT_INSIDE,
    ['~'] = NOT_FIRST,
    ['='] = NOT_FIRST | NOT_INSIDE,
    [':'] = NOT_LAST | NOT_AFTER_SPACE,
    [','] = NOT_LAST | NOT_INSIDE,
    ['.'] = NOT_LAST,
    [';'] = NOT_LAST | NOT_INSIDE,
    ['{'] = NOT_INSIDE, ['}'] = NOT_INSIDE, ['<'] = NOT_INSIDE,
    ['"'] = NOT_INSIDE, ['\''] = NOT_INSIDE, ['$'] = NOT_INSIDE,
    ['!'] = NOT_INSIDE, ['?'] = NOT_INSIDE, ['\\'] = NOT_INSIDE,
    ['/'] = NOT_AFTER_SPACE,
};

static bool path_byte(char c, unsigned what)
{
    return (path_bytes[(unsigned char)c] & what) != 0;
}

static unsigned path_shape(const char *s, size_t n)
{
    size_t spaces = 0;
    if (n == 0 || n > 1024 || path_byte(s[0], NOT_FIRST))
        return 0;
    if (n == 1 && s[0] == '.')
        return SHAPE_PATH | SHAPE_FIND;
    if (path_byte(s[n - 1], NOT_LAST))
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || path_byte((char)c, NOT_INSIDE))
            return 0;
        if (c == ' ') {
            spaces++;
            if (i + 1 < n && path_byte(s[i + 1], NOT_AFTER_SPACE))
                return 0;
        }
        if (c == ':' && i + 1 < n && (s[i + 1] == ' ' || s[i + 1] == '/'))
            return 0;
    }
    if (spaces > 2)
        return 0;
    unsigned r = SHAPE_NAME;
    if (memchr(s, '/', n))
        r |= SHAPE_PATH | SHAPE_SLASH;
    else if (has_ext(s, n) || spaces == 0)
        r |= SHAPE_PATH;
    if (has_prefix(s, n, "./") || s[0] == '/')
        r |= SHAPE_FIND;
    return r;
}

/* ------------------------------------------------------------------ */
/* Detection                                                           */

struct shape_counts {
    size_t lines, lsl, lsl_tar, lsl_slash, total, section, section_bad;
    size_t tree, tree_summary, unzip_hdr, unzip_rule, unzip_row, unzip_other;
    size_t name, path, slash, find;
    size_t sized, sized_slash, sums, git;
};

static void count_line(struct shape_counts *c, const char *s, size_t n,
                       bool after_blank)
{
    struct lsl ls;
    struct hline hl;
    size_t a, b;
    uint64_t sz;
    c->lines++;
    if (parse_lsl(s, n, &ls)) {
        c->lsl++;
        c->lsl_tar += ls.owner_slash;
        c->lsl_slash += s[ls.name_off + ls.name_len - 1] == '/';
    } else if (is_total(s, n)) {
        c->total++;
    } else if (tree_item(s, n, &a, &b)) {
        c->tree++;
    } else if (tree_summary(s, n)) {
        c->tree_summary++;
    } else if (unzip_header(s, n)) {
        c->unzip_hdr++;
    } else if (dash_rule(s, n)) {
        c->unzip_rule++;
    } else if (unzip_row(s, n, &sz, &a)) {
        c->unzip_row++;
    } else if (unzip_other(s, n)) {
        c->unzip_other++;
    } else if (sum_line(s, n, &hl)) {
        c->sums++;
    } else if (git_line(s, n, &hl)) {
        c->git++;
    } else if (size_line(s, n, &hl) &&
               (path_shape(s + hl.name, hl.name_len) & SHAPE_PATH)) {
        c->sized++;
        c->sized_slash +=
            (path_shape(s + hl.name, hl.name_len) & SHAPE_SLASH) != 0;
    } else if (is_section(s, n) && !strchr(" -#", s[0]) &&
               (path_shape(s, n - 1) & SHAPE_NAME || (n == 2 && s[0] == '.'))) {
        c->section++;
        c->section_bad += !after_blank;
    }
    unsigned sh = path_shape(s, n);
    c->name += (sh & SHAPE_NAME) && !(sh & SHAPE_SLASH);
    c->path += (sh & SHAPE_PATH) != 0;
    c->slash += (sh & SHAPE_SLASH) != 0;
    c->find += (sh & SHAPE_FIND) != 0;
}

/* At least 4 in 5 of n. */
static bool most(size_t k, size_t n)
{
    return k * 5 >= n * 4;
}

/* Lines in the shape of the format that has most of them. */
static size_t best_shape(const struct shape_counts *c)
{
    size_t v[] = {c->unzip_hdr + c->unzip_rule + c->unzip_row + c->unzip_other,
                  c->tree + c->tree_summary, c->lsl + c->total + c->section,
                  c->section + c->name, c->path, c->sized, c->sums, c->git};
    size_t best = 0;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        best = v[i] > best ? v[i] : best;
    return best;
}

static enum lp_listing_format decide(const struct shape_counts *c)
{
    size_t n = c->lines;
    if (c->unzip_hdr && c->unzip_rule && c->unzip_row >= MIN_ENTRIES &&
        most(c->unzip_hdr + c->unzip_rule + c->unzip_row + c->unzip_other, n))
        return LP_LISTING_UNZIP;
    /* the root lines of tree are paths, counted as such */
    if (c->tree >= MIN_ENTRIES && most(c->tree + c->tree_summary, n))
        return LP_LISTING_TREE;
    if (c->lsl >= MIN_ENTRIES && most(c->lsl + c->total + c->section, n)) {
        if (2 * c->lsl_tar >= c->lsl ||
            (c->lsl_slash && !c->total && !c->section))
            return LP_LISTING_TAR_TV;
        return LP_LISTING_LS_L;
    }
    if (c->section >= 2 && !c->section_bad && c->name >= MIN_ENTRIES &&
        most(c->section + c->name, n))
        return LP_LISTING_LS_R;
    if (c->sums >= MIN_ENTRIES && most(c->sums, n))
        return LP_LISTING_SUMS;
    if (c->git >= MIN_ENTRIES && most(c->git, n))
        return LP_LISTING_GIT;
    /* sizes and paths: as strict as a plain list (below) */
    if (c->sized >= MIN_ENTRIES && c->sized * 10 >= n * 9 &&
        c->sized_slash * 3 >= n)
        return LP_LISTING_SIZES;
    /* a plain list: 9 in 10 lines paths, 1 in 3 with a directory part */
    if (c->path >= MIN_ENTRIES && c->path * 10 >= n * 9 && c->slash * 3 >= n)
        return 2 * c->find >= c->path ? LP_LISTING_FIND : LP_LISTING_PATHS;
    return LP_LISTING_NONE;
}

enum lp_listing_format lp_listing_detect(const char *text, size_t len)
{
    struct shape_counts c;
    struct line_iter it;
    const char *s;
    size_t n;
    bool after_blank = true;

    if (!text || len == 0)
        return LP_LISTING_NONE;
    memset(&c, 0, sizeof c);
    it.p = text;
    it.end = text + (len < DETECT_LEN ? len : DETECT_LEN);
    it.no = 0;
    if (len > DETECT_LEN) {
        /* only whole lines: a cut one would look like noise */
        const char *e = it.end;
        while (e > it.p && e[-1] != '\n')
            e--;
        it.end = e;
    }
    if (memchr(it.p, '\0', (size_t)(it.end - it.p)))
        return LP_LISTING_NONE;
    while (next_line(&it, &s, &n)) {
        if (is_blank(s, n)) {
            after_blank = true;
            continue;
        }
        count_line(&c, s, n, after_blank);
        after_blank = false;
        /* Prose and code show no listing shape at all: past 40 lines with
         * at most 1 in 10 in any shape, stop (a short preamble before a
         * listing, as in a forum post, is still read through). */
        if (c.lines == 40 && best_shape(&c) * 10 <= c.lines)
            return LP_LISTING_NONE;
    }
    return decide(&c);
}

const char *lp_listing_format_name(enum lp_listing_format f)
{
    switch (f) {
    case LP_LISTING_FIND: return "find";
    case LP_LISTING_TREE: return "tree";
    case LP_LISTING_LS_R: return "ls-r";
    case LP_LISTING_LS_L: return "ls-l";
    case LP_LISTING_PATHS: return "paths";
    case LP_LISTING_UNZIP: return "unzip";
    case LP_LISTING_TAR_TV: return "tar-tv";
    case LP_LISTING_SIZES: return "sizes";
    case LP_LISTING_SUMS: return "checksums";
    case LP_LISTING_GIT: return "git";
    case LP_LISTING_NONE: break;
    }
    return "none";
}

/* ------------------------------------------------------------------ */
/* Hash tables: 64-bit keys to 32-bit values, open addressing. The keys
 * are hashes already, so their low bits index the table. Key 0 means
 * empty; a real 0 is stored as 1 (one more collision among 2^64).     */

struct htab {
    uint64_t *keys;
    uint32_t *vals;
    size_t cap, n; /* cap: a power of 2, or 0 */
};

static void ht_release(struct htab *h)
{
    lp_free(h->keys);
    lp_free(h->vals);
    memset(h, 0, sizeof *h);
}

static uint64_t ht_key(uint64_t k)
{
    return k ? k : 1;
}

/* The value slot of key, or NULL. */
static uint32_t *ht_get(const struct htab *h, uint64_t key)
{
    if (!h->cap)
        return NULL;
    key = ht_key(key);
    for (size_t i = key & (h->cap - 1);; i = (i + 1) & (h->cap - 1)) {
        if (h->keys[i] == key)
            return &h->vals[i];
        if (!h->keys[i])
            return NULL;
    }
}

static bool ht_rehash(struct htab *h, size_t ncap)
{
    uint64_t *keys = lp_calloc(ncap, sizeof *keys);
    uint32_t *vals = lp_calloc(ncap, sizeof *vals);
    if (!keys || !vals) {
        lp_free(keys);
        lp_free(vals);
        return false;
    }
    for (size_t j = 0; j < h->cap; j++) {
        if (!h->keys[j])
            continue;
        size_t i = h->keys[j] & (ncap - 1);
        while (keys[i])
            i = (i + 1) & (ncap - 1);
        keys[i] = h->keys[j];
        vals[i] = h->vals[j];
    }
    lp_free(h->keys);
    lp_free(h->vals);
    h->keys = keys;
    h->vals = vals;
    h->cap = ncap;
    return true;
}

/* The value slot of key, made with value v when new (*added then true). */
static lp_err ht_put(struct htab *h, uint64_t key, uint32_t v, uint32_t **slot,
                     bool *added)
{
    size_t ncap;
    if ((h->n + 1) * 2 > h->cap) {
        if (!lp_mul_ok(h->cap ? h->cap : 8, 2, &ncap) ||
            ncap > SIZE_MAX / sizeof(uint64_t) || !ht_rehash(h, ncap))
            return LP_ENOMEM;
    }
    key = ht_key(key);
    size_t i = key & (h->cap - 1);
    while (h->keys[i] && h->keys[i] != key)
        i = (i + 1) & (h->cap - 1);
    *added = !h->keys[i];
    if (*added) {
        h->keys[i] = key;
        h->vals[i] = v;
        h->n++;
    }
    *slot = &h->vals[i];
    return LP_OK;
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */

struct pctx {
    struct lp_listing *l;
    size_t max_line, max_entries, dropped;
    struct line_iter it;
    char *buf;        /* LP_MAX_PATH + 1: a normalized path */
    char *tmp;        /* LP_MAX_PATH + 1: a joined path */
    struct htab dirs; /* hashes of directories seen (find, paths, ls -R) */
};

/* The next line the parser may look at: too long ones and ones with a NUL
 * byte are dropped (counted) here. */
static bool parse_line(struct pctx *c, const char **s, size_t *n)
{
    while (next_line(&c->it, s, n)) {
        if (*n <= c->max_line && !memchr(*s, '\0', *n))
            return true;
        c->dropped++;
    }
    return false;
}

/* Normalizes dir + "/" + name (dir already normalized, maybe empty) into
 * c->buf; *len is its length. False when it is refused (".."), empty, or
 * longer than LP_MAX_PATH (then counted as dropped). */
static bool join_norm(struct pctx *c, const char *dir, size_t dn,
                      const char *name, size_t nn, size_t *len)
{
    size_t total = dn + 1 + nn;
    if (dn > LP_MAX_PATH || nn > LP_MAX_PATH || total > LP_MAX_PATH) {
        c->dropped++;
        return false;
    }
    memmove(c->tmp, dir, dn);
    c->tmp[dn] = '/';
    memcpy(c->tmp + dn + 1, name, nn);
    return norm_path(c->tmp, total, c->buf, len) && *len > 0;
}

/* Appends the path in c->buf (len bytes); *idx is its index, or SIZE_MAX
 * when max_entries is reached. */
static lp_err push(struct pctx *c, size_t len, uint64_t size, bool dir,
                   size_t *idx)
{
    struct lp_listing *l = c->l;
    *idx = SIZE_MAX;
    if (l->n >= c->max_entries) {
        c->dropped++;
        return LP_OK;
    }
    if (!lp_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v))
        return LP_ENOMEM;
    char *p = lp_strndup(c->buf, len);
    if (!p)
        return LP_ENOMEM;
    memset(&l->v[l->n], 0, sizeof l->v[l->n]);
    l->v[l->n].path = p;
    l->v[l->n].size = dir ? UINT64_MAX : size;
    l->v[l->n].line = c->it.no;
    l->v[l->n].dir = dir;
    *idx = l->n++;
    return LP_OK;
}

/* One entry named by `name` under directory `dir` (normalized). A
 * trailing '/' marks a directory. */
static lp_err add_entry(struct pctx *c, const char *dir, size_t dn,
                        const char *name, size_t nn, uint64_t size, bool isdir)
{
    size_t len, idx;
    if (nn > 0 && name[nn - 1] == '/')
        isdir = true;
    /* a name that adds no component ("", ".") would repeat its directory */
    if (!join_norm(c, dir, dn, name, nn, &len) || len == dn)
        return LP_OK;
    return push(c, len, size, isdir, &idx);
}

/* find, git ls-files, tar t: one path per line. */
static lp_err parse_paths(struct pctx *c)
{
    const char *s;
    size_t n;
    lp_err err = LP_OK;
    while (!err && parse_line(c, &s, &n))
        if (!is_blank(s, n))
            err = add_entry(c, "", 0, s, n, UINT64_MAX, false);
    return err;
}

/* The bytes of hex digits h (2 * k of them) into out. */
static void unhex(const char *h, size_t k, uint8_t *out)
{
    for (size_t i = 0; i < k; i++)
        out[i] = (uint8_t)(lp_hex_digit((unsigned char)h[2 * i]) << 4 |
                           lp_hex_digit((unsigned char)h[2 * i + 1]));
}

/* du -ab, find -printf, checksum manifests, git ls-tree and ls-files -s:
 * one entry per line, with a size or a hash. */
static lp_err parse_hlines(struct pctx *c, enum lp_listing_format f)
{
    const char *s;
    size_t n, len, idx;
    struct hline h;
    lp_err err = LP_OK;
    while (!err && parse_line(c, &s, &n)) {
        bool ok = f == LP_LISTING_SIZES ? size_line(s, n, &h)
                  : f == LP_LISTING_SUMS ? sum_line(s, n, &h)
                                         : git_line(s, n, &h);
        if (!ok || h.skip ||
            !join_norm(c, "", 0, s + h.name, h.name_len, &len))
            continue;
        err = push(c, len, h.size, false, &idx);
        if (err || idx == SIZE_MAX)
            continue;
        struct lp_listing_entry *e = &c->l->v[idx];
        size_t bytes = h.hexn / 2;
        if (bytes > sizeof e->hash)
            bytes = h.hash_kind == LP_LHASH_SHA512 ? 0 : sizeof e->hash;
        e->hash_kind = h.hash_kind;
        unhex(h.hex, bytes, e->hash);
    }
    return err;
}

/* Marks "dir:" after a blank line as the current directory of ls -R and
 * ls -lR; *prefix (in `cur`, LP_MAX_PATH + 1 bytes) is its normalized
 * path. It is also remembered as a directory. */
static lp_err enter_section(struct pctx *c, const char *s, size_t n, char *cur,
                            size_t *curlen)
{
    size_t len;
    uint32_t *slot;
    bool added;
    *curlen = 0;
    cur[0] = '\0';
    if (!join_norm(c, "", 0, s, n - 1, &len))
        return LP_OK;
    memcpy(cur, c->buf, len + 1);
    *curlen = len;
    return ht_put(&c->dirs, lp_hash64(cur, len), 1, &slot, &added);
}

/* ls -R: sections of bare names. */
static lp_err parse_ls_r(struct pctx *c)
{
    const char *s;
    size_t n, curlen = 0;
    bool after_blank = true;
    lp_err err = LP_OK;
    char *cur = lp_malloc(LP_MAX_PATH + 1);
    if (!cur)
        return LP_ENOMEM;
    cur[0] = '\0';
    while (!err && parse_line(c, &s, &n)) {
        if (is_blank(s, n)) {
            after_blank = true;
            continue;
        }
        if (after_blank && is_section(s, n))
            err = enter_section(c, s, n, cur, &curlen);
        else if (!(n == 1 && s[0] == '.')) /* ls -aR lists "." */
            err = add_entry(c, cur, curlen, s, n, UINT64_MAX, false);
        after_blank = false;
    }
    lp_free(cur);
    return err;
}

/* ls -l, ls -lR, tar tv. */
static lp_err parse_ls_l(struct pctx *c)
{
    const char *s;
    size_t n, curlen = 0;
    bool after_blank = true;
    struct lsl ls;
    lp_err err = LP_OK;
    char *cur = lp_malloc(LP_MAX_PATH + 1);
    if (!cur)
        return LP_ENOMEM;
    cur[0] = '\0';
    while (!err && parse_line(c, &s, &n)) {
        if (is_blank(s, n)) {
            after_blank = true;
            continue;
        }
        if (parse_lsl(s, n, &ls)) {
            const char *name = s + ls.name_off;
            bool dot = (ls.name_len == 1 && name[0] == '.');
            if (!dot)
                err = add_entry(c, cur, curlen, name, ls.name_len, ls.size,
                                ls.type == 'd');
        } else if (after_blank && is_section(s, n) && !is_total(s, n)) {
            err = enter_section(c, s, n, cur, &curlen);
        }
        after_blank = false;
    }
    lp_free(cur);
    return err;
}

/* unzip -l: rows between the two dash rules of each archive. */
static lp_err parse_unzip(struct pctx *c)
{
    const char *s;
    size_t n, name;
    uint64_t size;
    bool inside = false;
    lp_err err = LP_OK;
    while (!err && parse_line(c, &s, &n)) {
        if (dash_rule(s, n))
            inside = !inside;
        else if (inside && unzip_row(s, n, &size, &name))
            err = add_entry(c, "", 0, s + name, n - name, size, false);
    }
    return err;
}

/* tree -s/-p/-u prefix the name with "[...]  "; the last bracketed word
 * is the size when -s is on and it is all digits. */
static void tree_brackets(const char **name, size_t *nn, uint64_t *size)
{
    const char *s = *name;
    size_t n = *nn;
    if (n < 4 || s[0] != '[')
        return;
    size_t close = find_sub(s, n, "]  ");
    if (close >= n)
        return;
    size_t w = close;
    while (w > 1 && s[w - 1] != ' ' && s[w - 1] != '[')
        w--;
    *size = parse_u64(s + w, close - w);
    *name = s + close + 3;
    *nn = n - close - 3;
}

struct tree_state {
    /* Per level (0: the root line, k + 1: an item of depth k): end of its
     * path in cur, its name as printed, its entry index (SIZE_MAX if none). */
    size_t end[TREE_MAX_DEPTH + 2];
    const char *raw[TREE_MAX_DEPTH + 2];
    size_t rawn[TREE_MAX_DEPTH + 2];
    size_t ent[TREE_MAX_DEPTH + 2];
    size_t top; /* deepest valid level + 1; 0: none */
    char cur[LP_MAX_PATH + 1];
};

/* A line of tree that is not an item: a root ("." or "proj"). */
static lp_err tree_root(struct pctx *c, struct tree_state *t, const char *s,
                        size_t n)
{
    size_t len;
    t->top = 1;
    t->end[0] = 0;
    t->raw[0] = s;
    t->rawn[0] = n;
    t->ent[0] = SIZE_MAX;
    t->cur[0] = '\0';
    if (!join_norm(c, "", 0, s, n, &len)) {
        /* "." is a root without a path; "../x" is refused with its items */
        if (!(n == 1 && s[0] == '.'))
            t->top = 0;
        return LP_OK;
    }
    memcpy(t->cur, c->buf, len + 1);
    t->end[0] = len;
    return push(c, len, UINT64_MAX, true, &t->ent[0]);
}

static lp_err tree_line(struct pctx *c, struct tree_state *t, const char *s,
                        size_t n, size_t depth, size_t off)
{
    const char *name = s + off;
    size_t nn = n - off, len, p = depth, idx;
    uint64_t size = UINT64_MAX;
    bool dir = false;
    if (depth >= TREE_MAX_DEPTH || p + 1 > t->top)
        return LP_OK; /* deeper than its parent: its parent was skipped */
    t->top = p + 1;
    tree_brackets(&name, &nn, &size);
    nn = find_sub(name, nn, " -> ");
    if (nn > 0 && name[nn - 1] == '/')
        dir = true;
    const char *rel = name;
    size_t reln = nn;
    /* tree -f prints whole paths: "./src/a.c" under "./src" */
    if (t->rawn[p] > 0 && nn > t->rawn[p] &&
        memcmp(name, t->raw[p], t->rawn[p]) == 0 && name[t->rawn[p]] == '/') {
        rel = name + t->rawn[p] + 1;
        reln = nn - t->rawn[p] - 1;
    }
    if (!join_norm(c, t->cur, t->end[p], rel, reln, &len) || len == t->end[p])
        return LP_OK;
    memcpy(t->cur, c->buf, len + 1);
    lp_err err = push(c, len, size, dir, &idx);
    if (err)
        return err;
    if (t->ent[p] != SIZE_MAX) {
        c->l->v[t->ent[p]].dir = true;
        c->l->v[t->ent[p]].size = UINT64_MAX;
    }
    t->end[p + 1] = len;
    t->raw[p + 1] = name;
    t->rawn[p + 1] = nn;
    t->ent[p + 1] = idx;
    t->top = p + 2;
    return LP_OK;
}

/* tree: items at depths of 4 columns under root lines. An item is a
 * directory when the next item is deeper (an empty directory looks like a
 * file unless tree -F marked it with '/'). */
static lp_err parse_tree(struct pctx *c)
{
    const char *s;
    size_t n, depth, off;
    lp_err err = LP_OK;
    struct tree_state *t = lp_malloc(sizeof *t);
    if (!t)
        return LP_ENOMEM;
    /* items before any root line hang from an unnamed one */
    memset(t, 0, sizeof *t);
    t->ent[0] = SIZE_MAX;
    t->top = 1;
    while (!err && parse_line(c, &s, &n)) {
        if (is_blank(s, n) || tree_summary(s, n))
            continue;
        if (tree_item(s, n, &depth, &off))
            err = tree_line(c, t, s, n, depth, off);
        else
            err = tree_root(c, t, s, n);
    }
    lp_free(t);
    return err;
}

/* find, paths and ls -R do not say which entries are directories: those
 * that are the parent of another entry (or an ls -R section) are. */
static lp_err infer_dirs(struct pctx *c)
{
    struct lp_listing *l = c->l;
    uint32_t *slot;
    bool added;
    for (size_t i = 0; i < l->n; i++) {
        const char *p = l->v[i].path, *slash = strrchr(p, '/');
        if (!slash)
            continue;
        lp_err err = ht_put(&c->dirs, lp_hash64(p, (size_t)(slash - p)), 1,
                            &slot, &added);
        if (err)
            return err;
    }
    for (size_t i = 0; i < l->n; i++)
        if (ht_get(&c->dirs, lp_hash64(l->v[i].path, strlen(l->v[i].path)))) {
            l->v[i].dir = true;
            l->v[i].size = UINT64_MAX;
        }
    return LP_OK;
}

void lp_listing_init(struct lp_listing *l)
{
    memset(l, 0, sizeof *l);
}

void lp_listing_release(struct lp_listing *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        lp_free(l->v[i].path);
    lp_free(l->v);
    lp_listing_init(l);
}

lp_err lp_listing_parse(const char *text, size_t len, enum lp_listing_format f,
                        size_t max_line, size_t max_entries,
                        struct lp_listing *out, size_t *dropped)
{
    struct pctx c;
    lp_err err = LP_OK;

    memset(&c, 0, sizeof c);
    if (dropped)
        *dropped = 0;
    if (!out || (!text && len > 0) || out->n || out->v)
        return LP_EINVAL;
    if (f == LP_LISTING_NONE)
        f = lp_listing_detect(text, len);
    if (f == LP_LISTING_NONE || f > LP_LISTING_LAST)
        return LP_EFORMAT;
    out->format = f;
    c.l = out;
    c.max_line = max_line ? max_line : LP_LISTING_MAX_LINE_DEFAULT;
    c.max_entries = max_entries ? max_entries : LP_LISTING_MAX_ENTRIES_DEFAULT;
    c.it.p = text;
    c.it.end = text ? text + len : text;
    c.buf = lp_malloc(LP_MAX_PATH + 1);
    c.tmp = lp_malloc(LP_MAX_PATH + 1);
    if (!c.buf || !c.tmp) {
        err = LP_ENOMEM;
        goto out;
    }
    switch (f) {
    case LP_LISTING_TREE: err = parse_tree(&c); break;
    case LP_LISTING_LS_R: err = parse_ls_r(&c); break;
    case LP_LISTING_LS_L:
    case LP_LISTING_TAR_TV: err = parse_ls_l(&c); break;
    case LP_LISTING_UNZIP: err = parse_unzip(&c); break;
    case LP_LISTING_SIZES:
    case LP_LISTING_SUMS:
    case LP_LISTING_GIT: err = parse_hlines(&c, f); break;
    default: err = parse_paths(&c); break;
    }
    if (err)
        goto out;
    if (f == LP_LISTING_FIND || f == LP_LISTING_PATHS ||
        f == LP_LISTING_LS_R || f == LP_LISTING_SIZES)
        err = infer_dirs(&c);
out:
    if (dropped)
        *dropped = c.dropped;
    lp_free(c.buf);
    lp_free(c.tmp);
    ht_release(&c.dirs);
    return err;
}

/* ------------------------------------------------------------------ */
/* Matching                                                            */

/* Listing path L = A/S and registered path R = B/S share the suffix S: the
 * pair votes for the alignment (A, B) of R's collection. Each registered
 * path votes once, with the listing file sharing its longest suffix, when
 * that suffix has 2 components or more and belongs to no other listing
 * file. Such a vote is a distinct listing file per alignment: given A and
 * B, R determines L. */
struct vote {
    uint32_t coll;       /* slot in the collection table */
    uint32_t count;      /* distinct listing files that voted */
    uint32_t li, ri;     /* one listing entry and one ref that voted */
    uint32_t alen, blen; /* bytes of A in that entry's path, of B in ref's */
};

struct coll {
    uint32_t id, total;
    uint32_t best; /* vote index, NO_VOTE if none */
    uint32_t hit;  /* index in the result, NO_VOTE if none */
};

#define NO_VOTE UINT32_MAX

/* A matched registered path: its key in pathset, its directory group. */
struct mpath {
    uint64_t key, dkey;
    uint32_t entry, hit;
    uint8_t how;   /* enum lp_listing_how */
    uint32_t blob; /* of the ref whose hash matched, when how says so */
};

/* A registered content a listed hash matched, in hit h. */
struct cblob {
    uint32_t hit, blob;
};

struct mdir {
    uint32_t hit;
    struct lp_listing_dir d;
};

struct mctx {
    const struct lp_listing *l;
    const struct lp_listing_ref *refs;
    size_t nrefs;
    uint8_t *uniq;       /* per ref: first of its (collection, path) */
    struct htab pathset; /* hash of a path seeded by its collection id */
    struct htab content; /* that hash with a size, SHA-256 or git id */
    struct cblob *cb;    /* contents matched by a hash, by hit */
    size_t cbn, cbcap;
    struct htab colls;   /* collection id + 1 -> slot of cv */
    struct coll *cv;
    size_t cn, ccap;
    struct htab lfull; /* hash of a listing file's path: seen */
    struct htab lsuf;  /* suffix hash -> listing entry, or MULTI */
    struct htab votes; /* alignment key -> index of vv */
    struct vote *vv;
    size_t vn, vcap;
    struct mpath *mp;
    size_t mn, mcap;
    struct htab dirmap; /* directory group key -> index of dv */
    struct mdir *dv;
    size_t dn, dcap;
    char *buf, *buf2; /* LP_MAX_PATH + 1 bytes each */
};

/* Normalized path of ref i into buf; false when it has none. */
static bool ref_path(const struct mctx *m, size_t i, char *buf, size_t *len)
{
    const char *p = m->refs[i].path;
    if (!p)
        return false;
    size_t n = strnlen(p, LP_MAX_PATH + 1);
    return n <= LP_MAX_PATH && norm_path(p, n, buf, len) && *len > 0;
}

/* Offset in p (n bytes) of its last k components. */
static size_t suffix_start(const char *p, size_t n, size_t k)
{
    size_t i = n;
    while (i > 0 && k > 0) {
        i--;
        if (p[i] == '/' && --k == 0)
            return i + 1;
    }
    return 0;
}

/* Bytes of a prefix ending before the suffix that starts at `start`. */
static uint32_t root_len(size_t start)
{
    return start ? (uint32_t)(start - 1) : 0;
}

/* The first two directory components of p (n bytes): its group. */
static size_t dir2_len(const char *p, size_t n)
{
    size_t ls = n, slashes = 0;
    while (ls > 0 && p[ls - 1] != '/')
        ls--;
    if (ls == 0)
        return 0;
    ls--;
    for (size_t i = 0; i < ls; i++)
        if (p[i] == '/' && ++slashes == 2)
            return i;
    return ls;
}

static uint64_t dir_key(const char *p, size_t n, uint32_t id)
{
    return lp_hash64_seed(p, n, ((uint64_t)id << 32) ^ 0x646972ull);
}

/* Seeds of the content keys: a path key with a size, a SHA-256, a git id. */
#define SIZE_SEED 0x73697a6500000001ull
#define SHA_SEED 0x7368613235360002ull
#define GIT_SEED 0x676974626c6f6203ull

static uint64_t size_key(uint64_t pathkey, uint64_t size)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(size >> (8 * i));
    return lp_hash64_seed(b, 8, pathkey ^ SIZE_SEED);
}

/* What ref i's contents let a listed file agree with at its path. */
static lp_err index_content(struct mctx *m, size_t i, uint64_t pathkey)
{
    const struct lp_listing_ref *r = &m->refs[i];
    uint32_t *slot;
    bool added;
    lp_err err = LP_OK;
    /* the value of a hash's key: the ref that has it */
    if (r->sha256) {
        err = ht_put(&m->content, size_key(pathkey, r->size), 0, &slot,
                     &added);
        if (!err)
            err = ht_put(&m->content,
                         lp_hash64_seed(r->sha256, 32, pathkey ^ SHA_SEED),
                         (uint32_t)i, &slot, &added);
    }
    if (!err && r->git)
        err = ht_put(&m->content,
                     lp_hash64_seed(r->git, 20, pathkey ^ GIT_SEED),
                     (uint32_t)i, &slot, &added);
    return err;
}

/* How listing entry e agrees with the registered file whose path key is
 * pathkey (it is registered); *blob: the matched ref's blob for a hash. */
static uint8_t entry_how(const struct mctx *m, size_t e, uint64_t pathkey,
                         uint32_t *blob)
{
    const struct lp_listing_entry *x = &m->l->v[e];
    const uint32_t *r;
    *blob = 0;
    if (x->hash_kind == LP_LHASH_GIT &&
        (r = ht_get(&m->content,
                    lp_hash64_seed(x->hash, 20, pathkey ^ GIT_SEED)))) {
        *blob = m->refs[*r].blob;
        return LP_LHOW_GIT;
    }
    if (x->hash_kind == LP_LHASH_SHA256 &&
        (r = ht_get(&m->content,
                    lp_hash64_seed(x->hash, 32, pathkey ^ SHA_SEED)))) {
        *blob = m->refs[*r].blob;
        return LP_LHOW_SHA256;
    }
    if (x->size != UINT64_MAX &&
        ht_get(&m->content, size_key(pathkey, x->size)))
        return LP_LHOW_SIZE;
    return LP_LHOW_NAME;
}

/* Distinct (collection, path) of the refs, and the collections. */
static lp_err index_refs(struct mctx *m)
{
    uint32_t *slot, *cslot;
    bool added;
    size_t len;
    lp_err err;
    for (size_t i = 0; i < m->nrefs; i++) {
        uint32_t id = m->refs[i].collection;
        if (!ref_path(m, i, m->buf, &len))
            continue;
        uint64_t pk = lp_hash64_seed(m->buf, len, id);
        err = index_content(m, i, pk);
        if (!err)
            err = ht_put(&m->pathset, pk, 0, &slot, &added);
        if (err || !added)
            goto next;
        m->uniq[i] = 1;
        err = ht_put(&m->colls, (uint64_t)id + 1, (uint32_t)m->cn, &cslot,
                     &added);
        if (err)
            return err;
        if (added) {
            if (!lp_grow((void **)&m->cv, &m->ccap, m->cn + 1, sizeof *m->cv))
                return LP_ENOMEM;
            m->cv[m->cn++] = (struct coll){id, 0, NO_VOTE, NO_VOTE};
        }
        m->cv[*cslot].total++;
    next:
        if (err)
            return err;
    }
    return LP_OK;
}

/* Suffix hashes of the distinct listing files. */
static lp_err index_listing(struct mctx *m, uint32_t *files)
{
    uint32_t *slot;
    bool added;
    lp_err err;
    *files = 0;
    for (size_t i = 0; i < m->l->n; i++) {
        const struct lp_listing_entry *e = &m->l->v[i];
        if (e->dir || !e->path)
            continue;
        (*files)++;
        size_t n = strlen(e->path);
        err = ht_put(&m->lfull, lp_hash64(e->path, n), 0, &slot, &added);
        if (err)
            return err;
        if (!added)
            continue;
        uint64_t h = SUFFIX_SEED;
        size_t end = n;
        for (size_t k = 0; k < MAX_SUFFIX && end > 0; k++) {
            size_t st = suffix_start(e->path, end, 1);
            h = lp_hash64_seed(e->path + st, end - st, h);
            err = ht_put(&m->lsuf, h, (uint32_t)i, &slot, &added);
            if (err)
                return err;
            if (!added && *slot != (uint32_t)i)
                *slot = MULTI;
            end = root_len(st);
            if (st == 0)
                break;
        }
    }
    return LP_OK;
}

/* Ref i's vote (see struct vote). */
static lp_err vote_ref(struct mctx *m, size_t i)
{
    uint32_t *slot, li = MULTI;
    bool added;
    size_t len, end, k = 0, rstart = 0;
    if (!ref_path(m, i, m->buf, &len))
        return LP_OK;
    uint64_t h = SUFFIX_SEED;
    for (end = len; k < MAX_SUFFIX && end > 0;) {
        size_t st = suffix_start(m->buf, end, 1);
        h = lp_hash64_seed(m->buf + st, end - st, h);
        const uint32_t *v = ht_get(&m->lsuf, h);
        if (!v)
            break;
        k++;
        li = *v;
        rstart = st;
        if (st == 0)
            break;
        end = root_len(st);
    }
    if (k < 2 || li == MULTI)
        return LP_OK;
    const char *lp = m->l->v[li].path;
    size_t lstart = suffix_start(lp, strlen(lp), k);
    uint32_t alen = root_len(lstart), blen = root_len(rstart);
    uint32_t id = m->refs[i].collection;
    uint64_t key = lp_hash64_seed(m->buf, blen, id);
    key = lp_hash64_seed(lp, alen, key);
    lp_err err = ht_put(&m->votes, key, (uint32_t)m->vn, &slot, &added);
    if (err)
        return err;
    if (added) {
        if (!lp_grow((void **)&m->vv, &m->vcap, m->vn + 1, sizeof *m->vv))
            return LP_ENOMEM;
        const uint32_t *c = ht_get(&m->colls, (uint64_t)id + 1);
        if (!c)
            return LP_EINVAL; /* cannot be: index_refs saw this ref */
        m->vv[m->vn++] = (struct vote){*c, 0, li, (uint32_t)i, alen, blen};
    }
    m->vv[*slot].count++;
    return LP_OK;
}

/* Orders two alignments of one collection: more votes, then shorter
 * roots, then their bytes. Negative when a is better. */
static int cmp_vote(struct mctx *m, const struct vote *a, const struct vote *b)
{
    size_t la, lb;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    if (a->alen + (size_t)a->blen != b->alen + (size_t)b->blen)
        return a->alen + (size_t)a->blen < b->alen + (size_t)b->blen ? -1 : 1;
    int r = memcmp(m->l->v[a->li].path, m->l->v[b->li].path,
                   a->alen < b->alen ? a->alen : b->alen);
    if (r || a->alen != b->alen)
        return r ? r : (a->alen < b->alen ? -1 : 1);
    if (!ref_path(m, a->ri, m->buf, &la) || !ref_path(m, b->ri, m->buf2, &lb))
        return 0;
    r = memcmp(m->buf, m->buf2, a->blen < b->blen ? a->blen : b->blen);
    return r ? r : (a->blen < b->blen ? -1 : a->blen > b->blen);
}

/* R = B/S for listing entry e under vote v, into buf2; false if e is not
 * under A or R would be too long. */
static bool aligned_path(struct mctx *m, const struct vote *v, const char *b,
                         size_t e, size_t *len)
{
    const char *p = m->l->v[e].path, *a = m->l->v[v->li].path;
    size_t n = strlen(p);
    if (v->alen) {
        if (n <= v->alen || memcmp(p, a, v->alen) != 0 || p[v->alen] != '/')
            return false;
        p += v->alen + 1;
        n -= v->alen + 1;
    }
    size_t rl = v->blen + (v->blen ? 1 : 0) + n;
    if (rl > LP_MAX_PATH)
        return false;
    memcpy(m->buf2, b, v->blen);
    if (v->blen)
        m->buf2[v->blen] = '/';
    memcpy(m->buf2 + rl - n, p, n);
    m->buf2[rl] = '\0';
    *len = rl;
    return true;
}

/* Fills hit h (collection slot c): roots, matched files, and their
 * registered paths in m->mp. */
static lp_err fill_hit(struct mctx *m, struct coll *c, struct lp_listing_hit *h,
                       uint32_t hi)
{
    const struct vote *v = &m->vv[c->best];
    size_t len;
    h->collection = c->id;
    h->total = c->total;
    h->listing_root = lp_strndup(m->l->v[v->li].path, v->alen);
    if (!ref_path(m, v->ri, m->buf, &len))
        len = 0; /* cannot be: the ref voted */
    h->registry_root = lp_strndup(m->buf, v->blen <= len ? v->blen : 0);
    if (!h->listing_root || !h->registry_root)
        return LP_ENOMEM;
    for (size_t e = 0; e < m->l->n; e++) {
        if (m->l->v[e].dir || !m->l->v[e].path ||
            !aligned_path(m, v, m->buf, e, &len))
            continue;
        uint64_t key = lp_hash64_seed(m->buf2, len, c->id);
        if (!ht_get(&m->pathset, key))
            continue;
        h->matched++;
        if (!lp_grow((void **)&m->mp, &m->mcap, m->mn + 1, sizeof *m->mp))
            return LP_ENOMEM;
        struct mpath *mp = &m->mp[m->mn++];
        *mp = (struct mpath){key,
                             dir_key(m->buf2, dir2_len(m->buf2, len), c->id),
                             (uint32_t)e, hi, 0, 0};
        mp->how = entry_how(m, e, key, &mp->blob);
    }
    return LP_OK;
}

static int cmp_mpath(const void *a, const void *b)
{
    const struct mpath *x = a, *y = b;
    if (x->hit != y->hit)
        return x->hit < y->hit ? -1 : 1;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->entry > y->entry) - (x->entry < y->entry);
}

/* Distinct registered paths of each hit, counted into it and into their
 * directory groups (created here). */
static lp_err count_groups(struct mctx *m, struct lp_listing_result *out)
{
    uint32_t *slot;
    bool added;
    size_t len;
    lp_sort(m->mp, m->mn, sizeof *m->mp, cmp_mpath);
    for (size_t i = 0; i < m->mn; i++) {
        const struct mpath *p = &m->mp[i];
        if (i > 0 && p[-1].hit == p->hit && p[-1].key == p->key)
            continue;
        struct lp_listing_hit *h = &out->hits[p->hit];
        h->registered++;
        /* the strongest agreement of the listed files of this path */
        uint8_t how = p->how;
        uint32_t blob = p->blob;
        for (size_t j = i + 1; j < m->mn && m->mp[j].hit == p->hit &&
                               m->mp[j].key == p->key;
             j++)
            if (m->mp[j].how > how) {
                how = m->mp[j].how;
                blob = m->mp[j].blob;
            }
        if (how >= LP_LHOW_SHA256) {
            if (!lp_grow((void **)&m->cb, &m->cbcap, m->cbn + 1,
                         sizeof *m->cb))
                return LP_ENOMEM;
            m->cb[m->cbn++] = (struct cblob){p->hit, blob};
        }
        h->by_size += how == LP_LHOW_SIZE;
        h->by_sha256 += how == LP_LHOW_SHA256;
        h->by_git += how == LP_LHOW_GIT;
        h->distinctive +=
            how != LP_LHOW_NAME || !lp_listing_generic(m->l->v[p->entry].path);
        lp_err err =
            ht_put(&m->dirmap, p->dkey, (uint32_t)m->dn, &slot, &added);
        if (err)
            return err;
        if (added) {
            const uint32_t *cs = ht_get(&m->colls, (uint64_t)h->collection + 1);
            if (!cs)
                return LP_EINVAL; /* cannot be: the hit has a collection */
            const struct coll *c = &m->cv[*cs];
            if (!lp_grow((void **)&m->dv, &m->dcap, m->dn + 1, sizeof *m->dv))
                return LP_ENOMEM;
            if (!aligned_path(m, &m->vv[c->best], h->registry_root, p->entry,
                              &len))
                len = 0;
            char *d = lp_strndup(m->buf2, dir2_len(m->buf2, len));
            if (!d)
                return LP_ENOMEM;
            m->dv[m->dn++] = (struct mdir){p->hit, {d, 0, 0}};
        }
        m->dv[*slot].d.matched++;
    }
    /* totals of the groups: one pass over the registered paths */
    for (size_t i = 0; i < m->nrefs; i++) {
        if (!m->uniq[i])
            continue;
        const uint32_t *cs =
            ht_get(&m->colls, (uint64_t)m->refs[i].collection + 1);
        if (!cs || m->cv[*cs].hit == NO_VOTE || !ref_path(m, i, m->buf, &len))
            continue;
        const uint32_t *d = ht_get(
            &m->dirmap, dir_key(m->buf, dir2_len(m->buf, len), m->cv[*cs].id));
        if (d)
            m->dv[*d].d.total++;
    }
    return LP_OK;
}

static int cmp_dir(const void *a, const void *b)
{
    const struct lp_listing_dir *x = a, *y = b;
    if (x->matched != y->matched)
        return x->matched > y->matched ? -1 : 1;
    return strcmp(x->dir, y->dir);
}

static int cmp_hit(const void *a, const void *b)
{
    const struct lp_listing_hit *x = a, *y = b;
    if (x->matched != y->matched)
        return x->matched > y->matched ? -1 : 1;
    return (x->collection > y->collection) - (x->collection < y->collection);
}

static int cmp_cblob(const void *a, const void *b)
{
    const struct cblob *x = a, *y = b;
    if (x->hit != y->hit)
        return x->hit < y->hit ? -1 : 1;
    return (x->blob > y->blob) - (x->blob < y->blob);
}

/* Moves the contents of m->cb into their hits, sorted, each once. */
static lp_err hand_out_contents(struct mctx *m, struct lp_listing_result *out)
{
    lp_sort(m->cb, m->cbn, sizeof *m->cb, cmp_cblob);
    for (size_t i = 0; i < m->cbn;) {
        size_t j = i;
        while (j < m->cbn && m->cb[j].hit == m->cb[i].hit)
            j++;
        struct lp_listing_hit *h = &out->hits[m->cb[i].hit];
        if (!(h->content_blobs = lp_calloc(j - i, sizeof *h->content_blobs)))
            return LP_ENOMEM;
        for (size_t k = i; k < j; k++)
            if (k == i || m->cb[k].blob != m->cb[k - 1].blob)
                h->content_blobs[h->ncontent++] = m->cb[k].blob;
        i = j;
    }
    return LP_OK;
}

/* Moves the groups of m->dv into their hits, sorted. */
static lp_err hand_out_groups(struct mctx *m, struct lp_listing_result *out)
{
    for (size_t i = 0; i < m->dn; i++)
        out->hits[m->dv[i].hit].ndirs++;
    for (size_t h = 0; h < out->nhits; h++) {
        struct lp_listing_hit *hit = &out->hits[h];
        size_t want = hit->ndirs;
        hit->ndirs = 0;
        if (!want)
            continue;
        hit->dirs = lp_calloc(want, sizeof *hit->dirs);
        if (!hit->dirs) {
            /* the later hits still hold counts, not arrays */
            for (size_t k = h; k < out->nhits; k++)
                out->hits[k].ndirs = 0;
            return LP_ENOMEM;
        }
    }
    for (size_t i = 0; i < m->dn; i++) {
        struct lp_listing_hit *hit = &out->hits[m->dv[i].hit];
        hit->dirs[hit->ndirs++] = m->dv[i].d;
        m->dv[i].d.dir = NULL; /* owned by the hit now */
    }
    for (size_t h = 0; h < out->nhits; h++)
        lp_sort(out->hits[h].dirs, out->hits[h].ndirs,
                sizeof *out->hits[h].dirs, cmp_dir);
    lp_sort(out->hits, out->nhits, sizeof *out->hits, cmp_hit);
    return LP_OK;
}

/* The best alignment of each collection, and a hit for each that has one. */
static lp_err choose_hits(struct mctx *m, struct lp_listing_result *out)
{
    size_t nhits = 0;
    for (size_t i = 0; i < m->vn; i++) {
        struct vote *v = &m->vv[i];
        struct coll *c = &m->cv[v->coll];
        if (v->count < MIN_VOTES)
            continue;
        if (c->best == NO_VOTE || cmp_vote(m, v, &m->vv[c->best]) < 0)
            c->best = (uint32_t)i;
    }
    for (size_t i = 0; i < m->cn; i++)
        nhits += m->cv[i].best != NO_VOTE;
    if (!nhits)
        return LP_OK;
    out->hits = lp_calloc(nhits, sizeof *out->hits);
    if (!out->hits)
        return LP_ENOMEM;
    /* hits in collection order, so that their groups are made in it too */
    for (size_t i = 0; i < m->cn; i++) {
        if (m->cv[i].best == NO_VOTE)
            continue;
        m->cv[i].hit = (uint32_t)out->nhits;
        lp_err err =
            fill_hit(m, &m->cv[i], &out->hits[out->nhits++], m->cv[i].hit);
        if (err)
            return err;
    }
    return LP_OK;
}

static void mctx_release(struct mctx *m)
{
    lp_free(m->uniq);
    ht_release(&m->pathset);
    ht_release(&m->content);
    lp_free(m->cb);
    ht_release(&m->colls);
    lp_free(m->cv);
    ht_release(&m->lfull);
    ht_release(&m->lsuf);
    ht_release(&m->votes);
    lp_free(m->vv);
    lp_free(m->mp);
    ht_release(&m->dirmap);
    for (size_t i = 0; i < m->dn; i++)
        lp_free(m->dv[i].d.dir);
    lp_free(m->dv);
    lp_free(m->buf);
    lp_free(m->buf2);
}

lp_err lp_listing_match(const struct lp_listing *l,
                        const struct lp_listing_ref *refs, size_t nrefs,
                        struct lp_listing_result *out)
{
    struct mctx m;
    lp_err err = LP_OK;

    memset(&m, 0, sizeof m);
    if (!out)
        return LP_EINVAL;
    memset(out, 0, sizeof *out);
    if (!l || (!refs && nrefs) || (!l->v && l->n) || l->n >= UINT32_MAX ||
        nrefs >= UINT32_MAX)
        return LP_EINVAL;
    m.l = l;
    m.refs = refs;
    m.nrefs = nrefs;
    m.uniq = lp_calloc(nrefs ? nrefs : 1, 1);
    m.buf = lp_malloc(LP_MAX_PATH + 1);
    m.buf2 = lp_malloc(LP_MAX_PATH + 1);
    if (!m.uniq || !m.buf || !m.buf2) {
        err = LP_ENOMEM;
        goto out;
    }
    err = index_refs(&m);
    if (err)
        goto out;
    err = index_listing(&m, &out->files);
    if (err)
        goto out;
    for (size_t i = 0; i < nrefs && !err; i++)
        if (m.uniq[i])
            err = vote_ref(&m, i);
    if (err)
        goto out;
    err = choose_hits(&m, out);
    if (err)
        goto out;
    err = count_groups(&m, out);
    if (!err)
        err = hand_out_contents(&m, out); /* before hits are sorted */
    if (err)
        goto out;
    err = hand_out_groups(&m, out);
out:
    mctx_release(&m);
    if (err)
        lp_listing_result_release(out);
    return err;
}

/* Last components most projects have, lower case; searched linearly. */
static const char *const generic_names[] = {
    "readme", "readme.md", "readme.txt", "readme.rst", "license",
    "license.md", "license.txt", "licence", "copying", "copying.lib",
    "copyright", "notice", "authors", "contributors", "changelog",
    "changelog.md", "changes", "news", "install", "todo", "makefile",
    "makefile.am", "makefile.in", "gnumakefile", "cmakelists.txt",
    "configure", "configure.ac", "configure.in", "config.h", "config.h.in",
    "meson.build", "build.gradle", "pom.xml", "package.json",
    "package-lock.json", "yarn.lock", "cargo.toml", "cargo.lock", "go.mod",
    "go.sum", "setup.py", "setup.cfg", "pyproject.toml", "requirements.txt",
    "__init__.py", "main.c", "main.cc", "main.cpp", "main.go", "main.rs",
    "main.py", "lib.rs", "mod.rs", "index.html", "index.js", "index.ts",
    "app.js", "style.css", "dockerfile", ".gitignore", ".gitattributes",
    ".dockerignore", ".editorconfig", ".travis.yml", "test.c", "utils.c",
    "util.c", "version.h", "config.mk", "rules", "control",
};

bool lp_listing_generic(const char *path)
{
    if (!path)
        return true;
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    for (size_t i = 0; i < sizeof generic_names / sizeof *generic_names; i++)
        if (strcasecmp(b, generic_names[i]) == 0)
            return true;
    return false;
}

void lp_listing_result_release(struct lp_listing_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nhits; i++) {
        struct lp_listing_hit *h = &r->hits[i];
        lp_free(h->listing_root);
        lp_free(h->registry_root);
        for (size_t d = 0; d < h->ndirs; d++)
            lp_free(h->dirs[d].dir);
        lp_free(h->dirs);
        lp_free(h->content_blobs);
    }
    lp_free(r->hits);
    memset(r, 0, sizeof *r);
}
