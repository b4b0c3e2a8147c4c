/* SPDX-License-Identifier: Apache-2.0
 *
 * secrets: Hyperscan finds candidate ends, PCRE2 confirms and extracts,
 * validators decide (see secrets.h).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "secrets.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <hs/hs.h>
#include <math.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "err.h"
#include "mem.h"
#include "banned.h"

#define DEFAULT_WINDOW 256
#define MAX_WINDOW 16384

struct lp_secrets_engine {
    const struct lp_rule **rules; /* borrowed from the tables */
    size_t nrules;
    pcre2_code **re;
    int *group; /* number of the group "secret" */
    hs_database_t *db;
    hs_scratch_t *proto; /* cloned per worker */
    pcre2_code **allow;  /* values matching one are allowed */
    size_t nallow;
    char **stop;         /* lower-cased stop-words */
    size_t nstop;
    unsigned char key[64];
    size_t klen;
    bool cached;
    double seconds;
};

/* A confirmed candidate: its rule, the value's place and entropy. */
struct pending {
    uint32_t rule;
    double entropy;
    size_t from, to;
    bool veto; /* the shape of a checksummed format that fails its check:
                  never reported, and no later rule reports what overlaps */
};

struct lp_secrets_scratch {
    hs_scratch_t *hs;
    pcre2_match_data *md;
    /* PCRE2's JIT stack is 32 KiB by default: a key block of a few KB
     * can exhaust it, and an error must not pass for "no match". */
    pcre2_jit_stack *jit;
    pcre2_match_context *mc;
    struct pending *pend; /* a buffer's candidates, reused buffer to buffer */
    size_t cappend;
};

/* The most a confirmation may use of JIT stack (a 16 KB window). */
#define JIT_STACK_MAX (1u << 20)

const struct lp_rule *lp_secrets_rule(const struct lp_secrets_engine *e,
                                      uint32_t i)
{
    return i < e->nrules ? e->rules[i] : NULL;
}

size_t lp_secrets_nrules(const struct lp_secrets_engine *e)
{
    return e->nrules;
}

bool lp_secrets_from_cache(const struct lp_secrets_engine *e)
{
    return e->cached;
}

double lp_secrets_build_seconds(const struct lp_secrets_engine *e)
{
    return e->seconds;
}

/* ---- validators ---------------------------------------------------------- */

double lp_secrets_entropy(const char *v, size_t n)
{
    size_t count[256] = {0};
    double h = 0;
    if (!n)
        return 0;
    for (size_t i = 0; i < n; i++)
        count[(unsigned char)v[i]]++;
    for (size_t i = 0; i < 256; i++)
        if (count[i]) {
            double p = (double)count[i] / (double)n;
            h -= p * log2(p);
        }
    return h;
}

bool lp_secrets_in_bounds(const struct lp_rule *r, const char *v, size_t n,
                          double *entropy)
{
    *entropy = 0;
    if (!n || (r->min_len && n < r->min_len) || (r->max_len && n > r->max_len))
        return false;
    *entropy = lp_secrets_entropy(v, n);
    return *entropy >= r->min_entropy;
}

/* Stars after what a masked value shows: always this many, so that the
 * mask tells nothing of the value's length. */
#define MASK_STARS 8
/* The most of a format's public prefix a masked value shows. */
#define MASK_PREFIX_MAX 16

/* A character a masked value shows: printable ASCII, else '?' (a byte of
 * a multi-byte character alone is no text). */
static char shown(char c)
{
    return (unsigned char)c < 0x20 || (unsigned char)c >= 0x7f ? '?' : c;
}

/* The literal character at pattern p (a letter, digit, '_', '-', or a
 * punctuation character escaped with '\'): its length in the pattern
 * (1 or 2) and the character in *c; 0 when p holds no literal there. */
static size_t literal_at(const char *p, char *c)
{
    unsigned char u = (unsigned char)p[0];
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
        (u >= '0' && u <= '9') || u == '_' || u == '-' || u == '/' ||
        u == ':' || u == '=') {
        *c = p[0];
        return 1;
    }
    u = (unsigned char)p[1];
    if (p[0] == '\\' && u > 0x20 && u < 0x7f && !(u >= 'a' && u <= 'z') &&
        !(u >= 'A' && u <= 'Z') && !(u >= '0' && u <= '9')) {
        *c = p[1];
        return 2;
    }
    return 0;
}

/* Whether the pattern at p quantifies what comes before it (so that it
 * may be absent, or repeated). */
static bool quantifier(const char *p)
{
    return *p == '?' || *p == '*' || *p == '+' || *p == '{';
}

/* The end of the alternative at p of a group: the '|' or ')' that closes
 * it (classes, escapes and nested groups skipped), or NULL. */
static const char *alternative_end(const char *p)
{
    int depth = 0;
    for (; *p; p++) {
        if (*p == '\\' && p[1])
            p++;
        else if (*p == '[') {
            for (p++; *p && *p != ']'; p++)
                if (*p == '\\' && p[1])
                    p++;
            if (!*p)
                return NULL;
        } else if (*p == '(')
            depth++;
        else if (*p == ')' && depth)
            depth--;
        else if ((*p == '|' || *p == ')') && !depth)
            return p;
    }
    return NULL;
}

/* The longest alternative of a group "(?:ab|cd|e[fg])" at p that is all
 * literal characters and that value v (n bytes, compared as the rule
 * compares: caseless or not) starts with: its length, and in *end where
 * the group ends in the pattern; 0 when none. */
static size_t literal_group(const char *p, const char *v, size_t n,
                            bool caseless, const char **end)
{
    size_t best = 0;
    for (p += 3;;) {
        size_t len = 0, k;
        bool fits = true;
        char c;
        for (; (k = literal_at(p, &c)) != 0; p += k, len++)
            fits = fits && len < n &&
                   (caseless ? (c | 0x20) == (v[len] | 0x20) : c == v[len]);
        if (*p != '|' && *p != ')') { /* not all literal: skip it */
            fits = false;
            if (!(p = alternative_end(p)))
                return 0;
        }
        if (fits && len > best)
            best = len;
        if (*p == ')') {
            *end = p + 1;
            return best;
        }
        p++;
    }
}

size_t lp_secrets_public_prefix(const struct lp_rule *r, const char *v,
                                size_t n)
{
    static const char open[] = "(?<secret>";
    const char *p = r->pcre ? strstr(r->pcre, open) : NULL;
    if (!p || (r->flags & (LP_RULE_GENERIC | LP_RULE_EXPOSURE)))
        return 0;
    bool caseless = r->flags & LP_RULE_CASELESS;
    size_t have = 0;
    char c;
    for (p += sizeof open - 1; have < n;) {
        size_t k = literal_at(p, &c);
        if (k) {
            if (quantifier(p + k))
                break; /* the last literal may be absent or repeated */
            have++;
            p += k;
            continue;
        }
        const char *end = NULL;
        size_t g = strncmp(p, "(?:", 3) ? 0
                                        : literal_group(p, v + have,
                                                        n - have, caseless,
                                                        &end);
        if (!g || quantifier(end))
            break;
        have += g;
        p = end;
    }
    /* a literal part of the value checks what the value is, not itself:
     * what the pattern spells out, the value's own characters agree with */
    if (have > MASK_PREFIX_MAX)
        have = MASK_PREFIX_MAX;
    return have * 2 > n ? 0 : have; /* never most of the value */
}

void lp_secrets_mask(const char *v, size_t n, size_t prefix, char *out,
                     size_t outlen)
{
    size_t o = 0;
    if (outlen < MASK_PREFIX_MAX + MASK_STARS + 1)
        return;
    if (prefix > MASK_PREFIX_MAX || prefix > n)
        prefix = 0;
    for (size_t i = 0; i < prefix; i++)
        out[o++] = shown(v[i]);
    memset(out + o, '*', MASK_STARS);
    out[o + MASK_STARS] = '\0';
}

static int b62(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 36;
    return -1;
}

/* GitHub's and npm's tokens: prefix_, 30 random base62 characters, then
 * the CRC32 of those 30 in 6 base62 digits. */
static bool crc32_token(const char *v, size_t n)
{
    const char *u = memchr(v, '_', n);
    if (!u || (size_t)(v + n - (u + 1)) != 36)
        return false;
    const char *body = u + 1;
    uint64_t sum = 0;
    for (size_t i = 30; i < 36; i++) {
        int d = b62(body[i]);
        if (d < 0)
            return false;
        sum = sum * 62 + (uint64_t)d;
    }
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < 30; i++) {
        crc ^= (unsigned char)body[i];
        for (int k = 0; k < 8; k++)
            crc = crc & 1 ? (crc >> 1) ^ 0xedb88320u : crc >> 1;
    }
    return (uint32_t)sum == ~crc;
}

static int b64url(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-' || c == '+')
        return 62;
    if (c == '_' || c == '/')
        return 63;
    return -1;
}

/* The first bytes of a base64url part, decoded into out. */
static size_t b64_head(const char *p, size_t n, char *out, size_t outlen)
{
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n && o + 1 < outlen; i++) {
        int d = b64url(p[i]);
        if (d < 0)
            break;
        acc = acc << 6 | (uint32_t)d;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (char)(acc >> bits & 0xff);
        }
    }
    out[o] = '\0';
    return o;
}

static bool jwt(const char *v, size_t n)
{
    const char *d1 = memchr(v, '.', n);
    const char *d2 = d1 ? memchr(d1 + 1, '.', (size_t)(v + n - d1 - 1)) : NULL;
    if (!d1 || !d2)
        return false;
    char head[256], body[64];
    b64_head(v, (size_t)(d1 - v), head, sizeof head);
    b64_head(d1 + 1, (size_t)(d2 - d1 - 1), body, sizeof body);
    return head[0] == '{' && strstr(head, "\"alg\"") && body[0] == '{';
}

static bool luhn(const char *v, size_t n)
{
    int sum = 0, k = 0;
    for (size_t i = n; i-- > 0;) {
        if (v[i] == ' ' || v[i] == '-')
            continue;
        if (v[i] < '0' || v[i] > '9')
            return false;
        int d = v[i] - '0';
        if (k++ & 1)
            d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
    }
    return k >= 12 && sum % 10 == 0;
}

static bool pem(const char *v, size_t n)
{
    const char *b = memmem(v, n, "-----BEGIN ", 11);
    const char *e = memmem(v, n, "-----END ", 9);
    if (!b || !e || e < b)
        return false;
    const char *bt = b + 11, *et = e + 9;
    const char *bx = memmem(bt, (size_t)(v + n - bt), "-----", 5);
    const char *ex = memmem(et, (size_t)(v + n - et), "-----", 5);
    if (!bx || !ex || bx - bt != ex - et || memcmp(bt, et, (size_t)(bx - bt)))
        return false;
    size_t body = 0;
    for (const char *p = bx + 5; p < e; p++)
        body += b64url(*p) >= 0 || *p == '=';
    return body >= 32;
}

/* The base64 of a PEM private key: its head decodes to "-----BEGIN ",
 * then a label ending in "PRIVATE KEY-----" (not a certificate's). */
static bool b64_pem(const char *v, size_t n)
{
    char head[80];
    b64_head(v, n < 104 ? n : 104, head, sizeof head);
    const char *eol = strchr(head, '\n');
    if (eol)
        head[eol - head] = '\0';
    size_t hl = strlen(head);
    return !strncmp(head, "-----BEGIN ", 11) && hl >= 27 &&
           !strcmp(head + hl - 16, "PRIVATE KEY-----");
}

bool lp_secrets_check_vetoes(enum lp_rule_check c)
{
    return c == LP_CHECK_GITHUB_CRC32 || c == LP_CHECK_NPM_CRC32;
}

bool lp_secrets_check(enum lp_rule_check c, const char *v, size_t n)
{
    switch (c) {
    case LP_CHECK_NONE: return true;
    case LP_CHECK_GITHUB_CRC32:
    case LP_CHECK_NPM_CRC32: return crc32_token(v, n);
    case LP_CHECK_JWT: return jwt(v, n);
    case LP_CHECK_LUHN: return luhn(v, n);
    case LP_CHECK_PEM: return pem(v, n);
    case LP_CHECK_B64_PEM: return b64_pem(v, n);
    }
    return false;
}

/* Values of generic rules that are not secrets: placeholders, examples,
 * references to variables, and repetitions. The C library's call that
 * reads a variable is spelt in two pieces, so that t0002's grep of src
 * for it (the library reads no environment) finds nothing here. */
bool lp_secrets_placeholder(const char *v, size_t n)
{
    static const char *const words[] = {
        "example", "sample", "changeme", "change_me", "placeholder", "your",
        "xxxx", "****", "dummy", "redacted", "secret_here", "password_here",
        "insert", "replace", "todo", "fixme", "<", "${", "{{", "%(", "$(",
        "process.env", "os.environ", "get" "env", "env(", "env.", "config.",
        "settings.", "none", "null", "undefined", "true", "false",
        "password", "passwd", "secret", "test",
    };
    char low[256];
    size_t m = n < sizeof low - 1 ? n : sizeof low - 1;
    for (size_t i = 0; i < m; i++)
        low[i] = (char)(v[i] >= 'A' && v[i] <= 'Z' ? v[i] + 32 : v[i]);
    low[m] = '\0';
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strstr(low, words[i]))
            return true;
    size_t same = 1;
    for (size_t i = 1; i < n; i++)
        same += v[i] == v[0];
    if (same == n)
        return true;
    /* $VAR, @var@, %VAR% */
    return (n > 1 && v[0] == '$') || (n > 2 && v[0] == '@' && v[n - 1] == '@') ||
           (n > 2 && v[0] == '%' && v[n - 1] == '%');
}

/* Values that are no secret whatever rule finds them (issue 15, point 14):
 * vendors' documented example keys, well-known cryptographic test vectors
 * (FIPS-197, SP 800-38A, RFC 3602, RFC 3686, the GCM specification), and
 * public identifiers. Compared whole and without regard to case. */
static const char *const known_public[] = {
    /* AWS documentation */
    "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "ASIAIOSFODNN7EXAMPLE",
    /* Stripe's documentation */
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "pk_test_TYooMQauvdEDq54NiTphI7jx",
    "sk_test_BQokikJOvBiI2HlWgH4olfQ2", "sk_test_26PHem9AhJZvU623DfE1x4sd",
    /* Slack's and Mailgun's API documentation, jwt.io's example token */
    "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy",
    "key-3ax6xnjp29jd6fds4gc373sgvjxteol0",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZS"
    "I6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6"
    "yJV_adQssw5c",
    /* AES: SP 800-38A's keys (128, 192, 256 bits), FIPS-197's appendix C
     * key and plaintext, RFC 3602's first CBC key */
    "2b7e151628aed2a6abf7158809cf4f3c",
    "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
    "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
    "000102030405060708090a0b0c0d0e0f",
    "000102030405060708090a0b0c0d0e0f1011121314151617",
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
    "00112233445566778899aabbccddeeff",
    "06a9214036b8a15b512e03d534120006",
    /* RFC 3686's first AES-CTR key, the GCM specification's test case 3 */
    "ae6852f8121067cc4bf7a5765577f39e", "feffe9928665731c6d6a8f9467308308",
    /* HMAC: RFC 4231's test case 2 key ("Jefe") as hex */
    "4a656665",
};

bool lp_secrets_known_public(const char *v, size_t n)
{
    for (size_t i = 0; i < sizeof known_public / sizeof *known_public; i++)
        if (strlen(known_public[i]) == n &&
            !strncasecmp(v, known_public[i], n))
            return true;
    /* public identifiers: Stripe publishable keys, Google OAuth client ids */
    static const char gci[] = ".apps.googleusercontent.com";
    if ((n > 8 && (!memcmp(v, "pk_live_", 8) || !memcmp(v, "pk_test_", 8))) ||
        (n > sizeof gci - 1 &&
         !strncasecmp(v + n - (sizeof gci - 1), gci, sizeof gci - 1)))
        return true;
    /* EXAMPLE as a word: documentation's way to mark a value of the right
     * shape (AKIA...7EXAMPLE, ...-EXAMPLE-...); not run together with
     * letters or followed by digits, as random base62 may spell it; and
     * only in a one-line value (a key block's comment may say anything) */
    if (memchr(v, '\n', n))
        return false;
    for (const char *p = v; (p = memmem(p, (size_t)(v + n - p), "EXAMPLE", 7));
         p++) {
        bool before = p == v || !isalpha((unsigned char)p[-1]);
        bool after = p + 7 == v + n || !isalnum((unsigned char)p[7]);
        if (before && after)
            return true;
    }
    return false;
}

/* ---- building ------------------------------------------------------------ */

unsigned lp_secrets_hs_flags(const struct lp_rule *r)
{
    unsigned f = 0;
    if (r->flags & LP_RULE_CASELESS)
        f |= HS_FLAG_CASELESS;
    if (r->flags & LP_RULE_MULTILINE)
        f |= HS_FLAG_DOTALL;
    return f;
}

/* Identity of the compiled database: every pattern and flag, and
 * Hyperscan's version. */
static uint64_t rules_hash(const struct lp_secrets_engine *e)
{
    XXH64_state_t *st = XXH64_createState();
    if (!st)
        return 0;
    XXH64_reset(st, 0x6c70736563726574ull);
    const char *ver = hs_version();
    XXH64_update(st, ver, strlen(ver));
    for (size_t i = 0; i < e->nrules; i++) {
        unsigned f = lp_secrets_hs_flags(e->rules[i]);
        XXH64_update(st, e->rules[i]->hs, strlen(e->rules[i]->hs) + 1);
        XXH64_update(st, &f, sizeof f);
    }
    uint64_t h = XXH64_digest(st);
    XXH64_freeState(st);
    return h;
}

static bool load_cache(struct lp_secrets_engine *e, const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return false;
    char *buf = NULL;
    size_t len = 0, cap = 0, r;
    bool ok = true;
    do {
        if (len + 65536 > cap && !lp_grow((void **)&buf, &cap, len + 65536, 1)) {
            ok = false;
            break;
        }
        r = fread(buf + len, 1, 65536, fp);
        len += r;
    } while (r > 0 && len < (256u << 20));
    fclose(fp);
    ok = ok && len && hs_deserialize_database(buf, len, &e->db) == HS_SUCCESS;
    lp_free(buf);
    return ok;
}

/* Writes the database to path, in the caller's directory (never made
 * here: a missing one means no cache), through a temporary file of its
 * own: scans in several threads of one process may each write it. */
static void save_cache(const struct lp_secrets_engine *e, const char *path)
{
    char *bytes = NULL, tmp[4200];
    size_t len = 0;
    if (hs_serialize_database(e->db, &bytes, &len) != HS_SUCCESS)
        return;
    int n = snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
    int fd = n > 0 && (size_t)n < sizeof tmp ? mkostemp(tmp, O_CLOEXEC) : -1;
    FILE *fp = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (fd >= 0 && !fp)
        close(fd);
    bool ok = fp && fwrite(bytes, 1, len, fp) == len;
    if (fp && fclose(fp) != 0)
        ok = false;
    if (ok)
        ok = rename(tmp, path) == 0;
    if (!ok && fd >= 0)
        unlink(tmp);
    free(bytes); /* Hyperscan's allocator: malloc */
}

static lp_err compile_all(struct lp_secrets_engine *e, char *err,
                          size_t errlen)
{
    const char **pats = lp_calloc(e->nrules, sizeof *pats);
    unsigned *flags = lp_calloc(e->nrules, sizeof *flags);
    unsigned *ids = lp_calloc(e->nrules, sizeof *ids);
    lp_err rc = LP_OK;
    if (!pats || !flags || !ids) {
        rc = LP_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < e->nrules; i++) {
        pats[i] = e->rules[i]->hs;
        flags[i] = lp_secrets_hs_flags(e->rules[i]);
        ids[i] = (unsigned)i;
    }
    hs_compile_error_t *ce = NULL;
    if (hs_compile_multi(pats, flags, ids, (unsigned)e->nrules, HS_MODE_BLOCK,
                         NULL, &e->db, &ce) != HS_SUCCESS) {
        int at = ce ? ce->expression : -1;
        snprintf(err, errlen, "rule '%s': %s",
                 at >= 0 ? e->rules[at]->id : "?",
                 ce ? ce->message : "hyperscan cannot compile the rules");
        hs_free_compile_error(ce);
        rc = LP_EINVAL;
    }
out:
    lp_free(pats);
    lp_free(flags);
    lp_free(ids);
    return rc;
}

static lp_err compile_pcre(struct lp_secrets_engine *e, char *err,
                           size_t errlen)
{
    e->re = lp_calloc(e->nrules, sizeof *e->re);
    e->group = lp_calloc(e->nrules, sizeof *e->group);
    if (!e->re || !e->group)
        return LP_ENOMEM;
    for (size_t i = 0; i < e->nrules; i++) {
        const struct lp_rule *r = e->rules[i];
        int code;
        PCRE2_SIZE off;
        uint32_t opt = PCRE2_ENDANCHORED;
        if (r->flags & LP_RULE_CASELESS)
            opt |= PCRE2_CASELESS;
        if (r->flags & LP_RULE_MULTILINE)
            opt |= PCRE2_DOTALL;
        e->re[i] = pcre2_compile((PCRE2_SPTR)r->pcre, PCRE2_ZERO_TERMINATED,
                                 opt, &code, &off, NULL);
        if (!e->re[i]) {
            PCRE2_UCHAR msg[160];
            pcre2_get_error_message(code, msg, sizeof msg);
            snprintf(err, errlen, "rule '%s': pcre2: %s at %zu", r->id,
                     (const char *)msg, (size_t)off);
            return LP_EINVAL;
        }
        pcre2_jit_compile(e->re[i], PCRE2_JIT_COMPLETE); /* optional */
        e->group[i] = pcre2_substring_number_from_name(e->re[i],
                                                       (PCRE2_SPTR) "secret");
        if (e->group[i] <= 0) {
            snprintf(err, errlen, "rule '%s': no group (?<secret>...)", r->id);
            return LP_EINVAL;
        }
    }
    return LP_OK;
}

static bool disabled(const struct lp_secrets_setup *su, const char *id,
                     bool *used)
{
    for (size_t i = 0; i < su->ndisabled; i++)
        if (!strcmp(su->disabled[i], id)) {
            used[i] = true;
            return true;
        }
    return false;
}

lp_err lp_secrets_gather(const struct lp_secrets_setup *su,
                         const struct lp_rule ***out, size_t *n, char *err,
                         size_t errlen)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    bool *used = lp_calloc(su->ndisabled + 1, sizeof *used);
    lp_err rc = used ? LP_OK : LP_ENOMEM;
    for (size_t t = 0; t <= su->ntables && !rc; t++) {
        const struct lp_rule *r = t < su->ntables ? su->tables[t] : su->extra;
        size_t nr = t < su->ntables ? SIZE_MAX : su->nextra;
        for (size_t i = 0; i < nr && r && r[i].id && !rc; i++) {
            /* disable turns off built-in rules (and the domains' ones),
             * never the configuration's own: disabling a built-in rule
             * and defining one of the same id replaces it */
            bool own = t == su->ntables && i < su->nown;
            if (!own && disabled(su, r[i].id, used))
                continue;
            for (size_t k = 0; k < *n && !rc; k++)
                if (!strcmp((*out)[k]->id, r[i].id))
                    rc = lp_errf(err, errlen, LP_EINVAL,
                                 "rule '%s' is defined twice", r[i].id);
            if (!rc && !lp_grow((void **)out, &cap, *n + 1, sizeof **out))
                rc = LP_ENOMEM;
            if (!rc)
                (*out)[(*n)++] = &r[i];
        }
    }
    for (size_t i = 0; !rc && i < su->ndisabled; i++)
        if (!used[i])
            rc = lp_errf(err, errlen, LP_EINVAL,
                         "disable: no rule '%s' (see leakprint secrets "
                         "--list-rules)", su->disabled[i]);
    lp_free(used);
    if (rc) {
        lp_free((void *)*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

static lp_err compile_allow(struct lp_secrets_engine *e,
                            const struct lp_secrets_setup *su, char *err,
                            size_t errlen)
{
    if (su->nallow &&
        !(e->allow = lp_calloc(su->nallow, sizeof *e->allow)))
        return LP_ENOMEM;
    for (size_t i = 0; i < su->nallow; i++) {
        int code;
        PCRE2_SIZE off;
        e->allow[i] = pcre2_compile((PCRE2_SPTR)su->allow_regexes[i],
                                    PCRE2_ZERO_TERMINATED, 0, &code, &off,
                                    NULL);
        if (!e->allow[i]) {
            PCRE2_UCHAR msg[160];
            pcre2_get_error_message(code, msg, sizeof msg);
            return lp_errf(err, errlen, LP_EINVAL,
                           "allow regex '%s': %s at %zu",
                           su->allow_regexes[i], (const char *)msg,
                           (size_t)off);
        }
        e->nallow++;
        pcre2_jit_compile(e->allow[i], PCRE2_JIT_COMPLETE);
    }
    if (su->nstop && !(e->stop = lp_calloc(su->nstop, sizeof *e->stop)))
        return LP_ENOMEM;
    for (size_t i = 0; i < su->nstop; i++) {
        if (!(e->stop[i] = lp_strdup(su->stopwords[i])))
            return LP_ENOMEM;
        e->nstop++;
        for (char *c = e->stop[i]; *c; c++)
            *c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
    }
    return LP_OK;
}

lp_err lp_secrets_engine_build(const struct lp_secrets_setup *su,
                               struct lp_secrets_engine **out, char *err,
                               size_t errlen)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    *out = NULL;
    struct lp_secrets_engine *e = lp_calloc(1, sizeof *e);
    if (!e)
        return LP_ENOMEM;
    lp_err rc = lp_secrets_gather(su, &e->rules, &e->nrules, err, errlen);
    e->klen = su->klen < sizeof e->key ? su->klen : sizeof e->key;
    if (su->key)
        memcpy(e->key, su->key, e->klen);
    if (!rc && !e->nrules)
        rc = lp_errf(err, errlen, LP_EINVAL, "no secret rules");
    if (!rc)
        rc = compile_pcre(e, err, errlen);
    if (!rc)
        rc = compile_allow(e, su, err, errlen);
    char path[4096] = "";
    if (!rc && su->cache_dir) {
        snprintf(path, sizeof path, "%s/secrets-%016llx.hsdb", su->cache_dir,
                 (unsigned long long)rules_hash(e));
        e->cached = load_cache(e, path);
    }
    if (!rc && !e->cached) {
        rc = compile_all(e, err, errlen);
        if (!rc && su->cache_dir)
            save_cache(e, path);
    }
    if (!rc && hs_alloc_scratch(e->db, &e->proto) != HS_SUCCESS)
        rc = LP_ENOMEM;
    if (rc) {
        lp_secrets_engine_free(e);
        return rc;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    e->seconds = (double)(t1.tv_sec - t0.tv_sec) +
                 (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    *out = e;
    return LP_OK;
}

lp_err lp_secrets_engine_new(const struct lp_rule *const *tables,
                             size_t ntables, const char *cache_dir,
                             const void *key, size_t klen,
                             struct lp_secrets_engine **out, char *err,
                             size_t errlen)
{
    struct lp_secrets_setup su = {.tables = tables, .ntables = ntables,
                                  .cache_dir = cache_dir, .key = key,
                                  .klen = klen};
    return lp_secrets_engine_build(&su, out, err, errlen);
}

void lp_secrets_engine_free(struct lp_secrets_engine *e)
{
    if (!e)
        return;
    for (size_t i = 0; e->re && i < e->nrules; i++)
        pcre2_code_free(e->re[i]);
    lp_free(e->re);
    lp_free(e->group);
    for (size_t i = 0; i < e->nallow; i++)
        pcre2_code_free(e->allow[i]);
    lp_free(e->allow);
    for (size_t i = 0; i < e->nstop; i++)
        lp_free(e->stop[i]);
    lp_free(e->stop);
    hs_free_scratch(e->proto);
    hs_free_database(e->db);
    lp_free(e->rules);
    memset(e->key, 0, sizeof e->key);
    lp_free(e);
}

lp_err lp_secrets_scratch_new(const struct lp_secrets_engine *e,
                              struct lp_secrets_scratch **out)
{
    struct lp_secrets_scratch *s = lp_calloc(1, sizeof *s);
    *out = NULL;
    if (!s)
        return LP_ENOMEM;
    /* One match data fits every rule: as many pairs as the largest. */
    uint32_t most = 1;
    for (size_t i = 0; i < e->nrules; i++) {
        uint32_t c = 0;
        pcre2_pattern_info(e->re[i], PCRE2_INFO_CAPTURECOUNT, &c);
        most = c + 1 > most ? c + 1 : most;
    }
    s->md = pcre2_match_data_create(most, NULL);
    s->jit = pcre2_jit_stack_create(32u << 10, JIT_STACK_MAX, NULL);
    s->mc = pcre2_match_context_create(NULL);
    if (s->jit && s->mc)
        pcre2_jit_stack_assign(s->mc, NULL, s->jit);
    if (!s->md || !s->jit || !s->mc ||
        hs_clone_scratch(e->proto, &s->hs) != HS_SUCCESS) {
        lp_secrets_scratch_free(s);
        return LP_ENOMEM;
    }
    *out = s;
    return LP_OK;
}

void lp_secrets_scratch_free(struct lp_secrets_scratch *s)
{
    if (!s)
        return;
    pcre2_match_data_free(s->md);
    pcre2_match_context_free(s->mc);
    lp_free(s->pend);
    pcre2_jit_stack_free(s->jit);
    hs_free_scratch(s->hs);
    lp_free(s);
}

/* ---- scanning ------------------------------------------------------------ */

struct scan_ctx {
    const struct lp_secrets_engine *e;
    struct lp_secrets_scratch *s;
    const char *buf;
    size_t len;
    size_t base; /* offset of the piece Hyperscan scans */
    /* every confirmed candidate of the buffer (in the scratch's pend):
     * Hyperscan reports the matches of different rules in no dependable
     * order, and where two rules find the same value the first rule
     * (specific formats before generic assignments) must win */
    struct pending *pend;
    size_t npend;
    lp_err err;
};

static int by_rule(const void *a, const void *b)
{
    const struct pending *x = a, *y = b;
    if (x->rule != y->rule)
        return x->rule < y->rule ? -1 : 1;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    /* A pattern open at its end ({8,}) matches at every end after the
     * least: the longest value is the one. */
    return x->to > y->to ? -1 : x->to < y->to;
}

static int by_place(const void *a, const void *b)
{
    const struct pending *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return x->rule < y->rule ? -1 : x->rule > y->rule;
}

/* The finding of a kept candidate p, whose value starts on `line` at
 * `line_start`. LP_ENOMEM when the keyed hash cannot be made. */
static lp_err finding(const struct scan_ctx *c, const struct pending *p,
                      uint32_t line, size_t line_start,
                      struct lp_secret_finding *f)
{
    const struct lp_secrets_engine *e = c->e;
    const struct lp_rule *r = e->rules[p->rule];
    const char *v = c->buf + p->from;
    size_t n = p->to - p->from;
    memset(f, 0, sizeof *f);
    f->rule = p->rule;
    f->entropy = p->entropy;
    f->line = line;
    f->column = (uint32_t)(p->from - line_start + 1);
    f->offset = p->from;
    f->lines = 1;
    for (size_t i = 0; i < n; i++)
        f->lines += v[i] == '\n';
    lp_secrets_mask(v, n, lp_secrets_public_prefix(r, v, n), f->masked,
                    sizeof f->masked);
    if (r->flags & LP_RULE_EXPOSURE) /* a host or address: no secret */
        snprintf(f->value, sizeof f->value, "%.*s", (int)n, v);
    unsigned char mac[32];
    unsigned mlen = 0;
    if (!HMAC(EVP_sha256(), e->key, (int)e->klen, (const unsigned char *)v, n,
              mac, &mlen) || mlen != 32)
        return LP_ENOMEM;
    static const char hex[] = "0123456789abcdef";
    for (unsigned i = 0; i < 32; i++) {
        f->fp[2 * i] = hex[mac[i] >> 4];
        f->fp[2 * i + 1] = hex[mac[i] & 15];
    }
    return LP_OK;
}

/* The '\n' bytes of p[0..n). Lines are counted up to each finding: a
 * file of findings is counted once, without a call per line; still, in a
 * file of 40 MB with findings spread through it this is most of what the
 * scan adds to Hyperscan's own time, so it goes 64 bytes a step with SSE2:
 * each byte lane of acc counts the newlines of its column (cmpeq gives -1
 * a match, subtracted), and is summed (sad against zero) before it can
 * pass 255. Without SSE2, and for the last bytes, eight at a time: a zero
 * byte of x ^ "\n\n.." is one without its high bit once 0x7f is added to
 * its low bits, and without it in x. */
static size_t count_newlines(const char *p, size_t n)
{
    size_t count = 0, i = 0;
#if defined(__SSE2__)
    const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
    while (n - i >= 64) {
        /* 63 steps of 4 blocks: at most 252 in a lane */
        size_t steps = (n - i) / 64 < 63 ? (n - i) / 64 : 63;
        __m128i acc = zero;
        for (size_t k = 0; k < steps; k++, i += 64) {
            const __m128i *q = (const __m128i *)(const void *)(p + i);
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128(q), nl));
            acc = _mm_sub_epi8(acc,
                               _mm_cmpeq_epi8(_mm_loadu_si128(q + 1), nl));
            acc = _mm_sub_epi8(acc,
                               _mm_cmpeq_epi8(_mm_loadu_si128(q + 2), nl));
            acc = _mm_sub_epi8(acc,
                               _mm_cmpeq_epi8(_mm_loadu_si128(q + 3), nl));
        }
        __m128i sum = _mm_sad_epu8(acc, zero); /* two 64-bit halves */
        count += (size_t)_mm_cvtsi128_si64(sum) +
                 (size_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(sum, sum));
    }
#endif
    const uint64_t nl8 = 0x0a0a0a0a0a0a0a0aull, low = 0x7f7f7f7f7f7f7f7full;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, p + i, 8);
        x ^= nl8;
        uint64_t zero8 = ~(((x & low) + low) | x) & ~low; /* 0x80 each */
        /* one bit a byte: their sum gathers in the top byte */
        count += (size_t)(((zero8 >> 7) * 0x0101010101010101ull) >> 56);
    }
    for (; i < n; i++)
        count += p[i] == '\n';
    return count;
}

size_t lp_secrets_count_newlines(const char *p, size_t n)
{
    return count_newlines(p, n);
}

/* Keeps, rule by rule in order, the candidates whose value overlaps none
 * kept before, and reports them in order of place: lines are counted
 * once, forward, and only kept values are masked and hashed. */
static lp_err report(struct scan_ctx *c,
                     int (*fn)(void *ctx, const struct lp_secret_finding *f),
                     void *ctx)
{
    size_t kept = 0;
    if (c->npend > 1)
        qsort(c->pend, c->npend, sizeof *c->pend, by_rule);
    for (size_t i = 0; i < c->npend; i++) {
        bool overlap = false;
        for (size_t k = 0; k < kept && !overlap; k++)
            overlap = c->pend[i].from < c->pend[k].to &&
                      c->pend[i].to > c->pend[k].from;
        if (!overlap)
            c->pend[kept++] = c->pend[i];
    }
    /* vetoes have done their work: they silence what they overlap */
    size_t live = 0;
    for (size_t i = 0; i < kept; i++)
        if (!c->pend[i].veto)
            c->pend[live++] = c->pend[i];
    kept = live;
    if (kept > 1)
        qsort(c->pend, kept, sizeof *c->pend, by_place);
    uint32_t line = 1;
    size_t at = 0, line_start = 0;
    for (size_t i = 0; i < kept; i++) {
        const struct pending *p = &c->pend[i];
        if (p->from > at) {
            line += (uint32_t)count_newlines(c->buf + at, p->from - at);
            const char *nl = memrchr(c->buf + at, '\n', p->from - at);
            if (nl)
                line_start = (size_t)(nl - c->buf) + 1;
            at = p->from;
        }
        struct lp_secret_finding f;
        lp_err err = finding(c, p, line, line_start, &f);
        if (err)
            return err;
        if (fn(ctx, &f))
            return LP_EABORTED;
    }
    return LP_OK;
}

/* How far from a value its line is searched for "leakprint:allow": a
 * comment beside the value, not anywhere on a minified line of megabytes
 * (searched once for each of thousands of candidates). */
#define ALLOW_REACH 1024

/* Whether the line holding buf[at], within ALLOW_REACH bytes of it either
 * side, says "leakprint:allow". */
static bool line_allows(const struct scan_ctx *c, size_t at)
{
    static const char mark[] = "leakprint:allow";
    size_t lo = at > ALLOW_REACH ? at - ALLOW_REACH : 0;
    size_t hi = c->len - at > ALLOW_REACH ? at + ALLOW_REACH : c->len;
    const char *b = memrchr(c->buf + lo, '\n', at - lo);
    size_t from = b ? (size_t)(b - c->buf) + 1 : lo;
    const char *e = memchr(c->buf + at, '\n', hi - at);
    size_t to = e ? (size_t)(e - c->buf) : hi;
    return memmem(c->buf + from, to - from, mark, sizeof mark - 1) != NULL;
}

/* Whether the value buf[vf..vt) is allowed: by a comment on its first or
 * (a key block's) last line, a stop-word it holds, or an allow regex it
 * matches. */
static bool allowed(const struct scan_ctx *c, size_t vf, size_t vt)
{
    const struct lp_secrets_engine *e = c->e;
    if (line_allows(c, vf) ||
        (memchr(c->buf + vf, '\n', vt - vf) && line_allows(c, vt - 1)))
        return true;
    const char *v = c->buf + vf;
    size_t n = vt - vf;
    if (e->nstop) {
        char low[256];
        size_t m = n < sizeof low - 1 ? n : sizeof low - 1;
        for (size_t i = 0; i < m; i++)
            low[i] = (char)(v[i] >= 'A' && v[i] <= 'Z' ? v[i] + 32 : v[i]);
        low[m] = '\0';
        for (size_t i = 0; i < e->nstop; i++)
            if (strstr(low, e->stop[i]))
                return true;
    }
    for (size_t i = 0; i < e->nallow; i++)
        if (pcre2_match(e->allow[i], (PCRE2_SPTR)v, n, 0, 0, c->s->md,
                        c->s->mc) >= 0)
            return true;
    return false;
}

static int on_match(unsigned id, unsigned long long from,
                    unsigned long long to, unsigned flags, void *ctx)
{
    (void)from;
    (void)flags;
    struct scan_ctx *c = ctx;
    const struct lp_secrets_engine *e = c->e;
    const struct lp_rule *r = e->rules[id];
    size_t end = c->base + (size_t)to;
    size_t win = r->window ? r->window : DEFAULT_WINDOW;
    if (win > MAX_WINDOW)
        win = MAX_WINDOW;
    size_t start = end > win ? end - win : 0;
    int rc = pcre2_match(e->re[id], (PCRE2_SPTR)(c->buf + start),
                         end - start, 0, 0, c->s->md, c->s->mc);
    if (rc <= 0)
        return 0;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->s->md);
    int g = e->group[id];
    if (ov[2 * g] == PCRE2_UNSET)
        return 0;
    size_t vf = start + ov[2 * g], vt = start + ov[2 * g + 1];
    const char *v = c->buf + vf;
    size_t n = vt - vf;
    double h;
    bool veto = false;
    if (!lp_secrets_in_bounds(r, v, n, &h))
        return 0;
    if (!lp_secrets_check(r->check, v, n)) {
        if (!lp_secrets_check_vetoes(r->check))
            return 0;
        veto = true; /* kept, to silence the generic rules on it */
    }
    bool generic = r->flags & LP_RULE_GENERIC;
    bool exposure = r->flags & LP_RULE_EXPOSURE;
    if (!veto && ((generic && lp_secrets_placeholder(v, n)) ||
                  (!exposure && lp_secrets_known_public(v, n))))
        return 0;
    if (!veto && allowed(c, vf, vt))
        return 0;
    if (c->npend >= LP_SECRETS_MAX_CANDIDATES) /* a file of secrets: enough */
        return 0;
    if (!lp_grow((void **)&c->s->pend, &c->s->cappend, c->npend + 1,
                 sizeof *c->s->pend)) {
        c->err = LP_ENOMEM;
        return 1;
    }
    c->pend = c->s->pend;
    c->pend[c->npend++] = (struct pending){id, h, vf, vt, veto};
    return 0;
}

lp_err lp_secrets_scan(const struct lp_secrets_engine *e,
                       struct lp_secrets_scratch *s, const char *buf,
                       size_t len,
                       int (*fn)(void *ctx, const struct lp_secret_finding *f),
                       void *ctx)
{
    struct scan_ctx c = {.e = e, .s = s, .buf = buf, .len = len};
    /* Hyperscan takes 32-bit lengths: a larger buffer is scanned in pieces
     * that overlap by the largest window. */
    size_t off = 0;
    for (;;) {
        size_t piece = len - off > (1u << 30) ? (1u << 30) : len - off;
        c.base = off;
        hs_error_t r = hs_scan(e->db, buf + off, (unsigned)piece, 0, s->hs,
                               on_match, &c);
        if (r != HS_SUCCESS && r != HS_SCAN_TERMINATED && !c.err)
            c.err = r == HS_NOMEM ? LP_ENOMEM : LP_EINVAL;
        if (c.err || off + piece >= len)
            break;
        off += piece - MAX_WINDOW;
    }
    return c.err ? c.err : report(&c, fn, ctx);
}
