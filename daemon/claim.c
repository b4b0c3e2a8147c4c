/* SPDX-License-Identifier: Apache-2.0
 *
 * claim: sale-claim scoring (see claim.h for the signals and weights).
 * One pass over the bytes. At each word start the keywords of that first
 * letter are compared (a space in a keyword stands for a run of 1 to 8
 * blanks), and a number is read with what follows it (a size unit, a
 * currency) and what precedes it (a currency sign). Every comparison
 * reads a bounded number of bytes, so the pass is linear; it stops early
 * once every signal is found.
 */
#include <stdint.h>
#include <string.h>

#include "claim.h"
#include "banned.h" /* a list of poisoned names: defines nothing */

/* How far (bytes) a Telegram or jabber keyword reaches to the address. */
#define CTX_REACH 64
/* The longest number read (digits and separators). */
#define NUM_MAX 24

static const char *const names[LP_CLAIM_NSIGNALS] = {
    "price", "currency", "sale", "escrow", "contact", "size", "sample", "leak",
};

static const int weights[LP_CLAIM_NSIGNALS] = {10, 5, 15, 20, 20, 5, 20, 10};

/* What a keyword does besides its signal. */
enum kw_flag {
    KW_TG = 1 << 0,     /* a Telegram keyword: an @handle may follow */
    KW_JABBER = 1 << 1, /* a jabber keyword: an address may follow */
    KW_CODE = 1 << 2,   /* a currency code: a number after it is a price */
    KW_OPEN = 1 << 3,   /* no word boundary needed at its end */
    KW_HANDLE = 1 << 4, /* a link: a handle must follow (t.me/NAME) */
};

struct keyword {
    const char *text; /* lower case; ' ' stands for 1 to 8 blanks */
    int signal;       /* or -1: only its flags count */
    unsigned flags;
};

/* Sorted by first letter (all start with a-z): the pass compares each
 * word start with the entries of its first letter only (pass.first). */
static const struct keyword keywords[] = {
    {"asking", LP_CLAIM_PRICE, 0},
    {"auction", LP_CLAIM_SALE, 0},
    {"auctions", LP_CLAIM_SALE, 0},
    {"auctioning", LP_CLAIM_SALE, 0},
    {"bitcoin", LP_CLAIM_CURRENCY, KW_CODE},
    {"bitcoins", LP_CLAIM_CURRENCY, KW_CODE},
    {"breach", LP_CLAIM_LEAK, 0},
    {"breached", LP_CLAIM_LEAK, 0},
    {"breaches", LP_CLAIM_LEAK, 0},
    {"btc", LP_CLAIM_CURRENCY, KW_CODE},
    {"buy now", LP_CLAIM_SALE, 0},
    {"contact", LP_CLAIM_CONTACT, 0},
    {"database", LP_CLAIM_LEAK, 0},
    {"databases", LP_CLAIM_LEAK, 0},
    {"db", LP_CLAIM_LEAK, 0},
    {"dm me", LP_CLAIM_CONTACT, 0},
    {"dm for", LP_CLAIM_CONTACT, 0},
    {"dollars", LP_CLAIM_CURRENCY, KW_CODE},
    {"dump", LP_CLAIM_LEAK, 0},
    {"dumps", LP_CLAIM_LEAK, 0},
    {"dumped", LP_CLAIM_LEAK, 0},
    {"escrow", LP_CLAIM_ESCROW, 0},
    {"eth", LP_CLAIM_CURRENCY, KW_CODE},
    {"eur", LP_CLAIM_CURRENCY, KW_CODE},
    {"euro", LP_CLAIM_CURRENCY, KW_CODE},
    {"euros", LP_CLAIM_CURRENCY, KW_CODE},
    {"for sale", LP_CLAIM_SALE, 0},
    {"guarantor", LP_CLAIM_ESCROW, 0},
    {"jabber", -1, KW_JABBER},
    {"jid", -1, KW_JABBER},
    {"leak", LP_CLAIM_LEAK, 0},
    {"leaks", LP_CLAIM_LEAK, 0},
    {"leaked", LP_CLAIM_LEAK, 0},
    {"ltc", LP_CLAIM_CURRENCY, KW_CODE},
    {"middleman", LP_CLAIM_ESCROW, 0},
    {"middle man", LP_CLAIM_ESCROW, 0},
    {"monero", LP_CLAIM_CURRENCY, KW_CODE},
    {"pm me", LP_CLAIM_CONTACT, 0},
    {"pm for", LP_CLAIM_CONTACT, 0},
    {"price", LP_CLAIM_PRICE, 0},
    {"priced", LP_CLAIM_PRICE, 0},
    {"proof", LP_CLAIM_SAMPLE, 0},
    {"proofs", LP_CLAIM_SAMPLE, 0},
    {"repo", LP_CLAIM_LEAK, 0},
    {"repos", LP_CLAIM_LEAK, 0},
    {"repository", LP_CLAIM_LEAK, 0},
    {"repositories", LP_CLAIM_LEAK, 0},
    {"sample", LP_CLAIM_SAMPLE, 0},
    {"samples", LP_CLAIM_SAMPLE, 0},
    {"selling", LP_CLAIM_SALE, 0},
    {"source code", LP_CLAIM_LEAK, 0},
    {"sourcecode", LP_CLAIM_LEAK, 0},
    {"t.me/", LP_CLAIM_CONTACT, KW_OPEN | KW_HANDLE},
    {"teaser", LP_CLAIM_SAMPLE, 0},
    {"teasers", LP_CLAIM_SAMPLE, 0},
    {"telegram", -1, KW_TG},
    {"telegram.me/", LP_CLAIM_CONTACT, KW_OPEN | KW_HANDLE},
    {"tg", -1, KW_TG},
    {"usd", LP_CLAIM_CURRENCY, KW_CODE},
    {"usdt", LP_CLAIM_CURRENCY, KW_CODE},
    {"wts", LP_CLAIM_SALE, 0},
    {"xmpp", -1, KW_JABBER},
    {"xmr", LP_CLAIM_CURRENCY, KW_CODE},
};

#define NKEYWORDS (sizeof keywords / sizeof *keywords)

/* Size units after a number (lower case, whole words). */
static const char *const units[] = {
    "kb",  "mb",  "gb",  "tb",   "pb",        "kib",       "mib",
    "gib", "tib", "gig", "gigs", "gigabytes", "terabytes", "megabytes",
};

const char *lp_claim_signal_name(enum lp_claim_signal s)
{
    return (unsigned)s < LP_CLAIM_NSIGNALS ? names[s] : NULL;
}

int lp_claim_weight(enum lp_claim_signal s)
{
    return (unsigned)s < LP_CLAIM_NSIGNALS ? weights[s] : 0;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool is_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_hex(unsigned char c)
{
    return is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'f');
}

struct pass {
    const unsigned char *s;
    size_t len;
    unsigned found;
    size_t tg_end;     /* end of the last Telegram keyword, + 1 (0: none) */
    size_t jabber_end; /* the same for a jabber keyword */
    size_t handle_end; /* the same for an @handle */
    /* keywords[first[c]..first[c + 1]) start with letter 'a' + c. */
    unsigned char first[27];
};

/* Compares pattern p (lower case, ' ' a run of 1 to 8 blanks) at i: the
 * end offset, or 0 when it does not match there. */
static size_t match_at(const struct pass *ps, size_t i, const char *p)
{
    for (; *p; p++) {
        if (*p == ' ') {
            size_t run = 0;
            while (i < ps->len && run < 8 && is_blank(ps->s[i]))
                i++, run++;
            if (!run)
                return 0;
            continue;
        }
        if (i >= ps->len || lower(ps->s[i]) != *p)
            return 0;
        i++;
    }
    return i;
}

/* Blanks after i, at most 2: where the next thing starts. */
static size_t skip_blanks(const struct pass *ps, size_t i)
{
    for (int n = 0; n < 2 && i < ps->len && ps->s[i] == ' '; n++)
        i++;
    return i;
}

/* A currency sign ending just before end ($, €, £, ₿): its start, or
 * SIZE_MAX. */
static size_t sign_before(const struct pass *ps, size_t end)
{
    const unsigned char *s = ps->s;
    if (end >= 1 && s[end - 1] == '$')
        return end - 1;
    if (end >= 2 && s[end - 2] == 0xc2 && s[end - 1] == 0xa3) // £
        return end - 2;
    if (end >= 3 && s[end - 3] == 0xe2 && s[end - 2] == 0x82 &&
        (s[end - 1] == 0xac || s[end - 1] == 0xbf)) // € ₿
        return end - 3;
    return SIZE_MAX;
}

/* The length of a currency sign at i, or 0. */
static size_t sign_at(const struct pass *ps, size_t i)
{
    const unsigned char *s = ps->s;
    size_t left = ps->len - i;
    if (left >= 1 && s[i] == '$')
        return 1;
    if (left >= 2 && s[i] == 0xc2 && s[i + 1] == 0xa3)
        return 2;
    if (left >= 3 && s[i] == 0xe2 && s[i + 1] == 0x82 &&
        (s[i + 2] == 0xac || s[i + 2] == 0xbf))
        return 3;
    return 0;
}

/* A whole word from the list at i (case-insensitive): true when one is. */
static bool word_in(const struct pass *ps, size_t i, const char *const *list,
                    size_t n)
{
    for (size_t k = 0; k < n; k++) {
        size_t e = match_at(ps, i, list[k]);
        if (e && (e == ps->len || !is_word(ps->s[e])))
            return true;
    }
    return false;
}

/* A currency code as a whole word at i. */
static bool code_at(const struct pass *ps, size_t i)
{
    int c = lower(ps->s[i]) - 'a';
    if (c < 0 || c >= 26)
        return false;
    for (size_t k = ps->first[c]; k < ps->first[c + 1]; k++) {
        if (!(keywords[k].flags & KW_CODE))
            continue;
        size_t e = match_at(ps, i, keywords[k].text);
        if (e && (e == ps->len || !is_word(ps->s[e])))
            return true;
    }
    return false;
}

/* A number at i (a digit at a word start): digits with , or . between
 * them, an optional k; then a size unit, or a currency (sign or code)
 * before or after it, make a size or a price. Returns where the digits
 * end (at most NUM_MAX bytes on), where the pass goes on. */
static size_t number(struct pass *ps, size_t i)
{
    const unsigned char *s = ps->s;
    size_t j = i, n = 0;
    while (j < ps->len && n < NUM_MAX &&
           (is_digit(s[j]) || ((s[j] == ',' || s[j] == '.') &&
                               j + 1 < ps->len && is_digit(s[j + 1]))))
        j++, n++;
    if (n == NUM_MAX)
        return j;
    size_t end = j;
    bool thousands =
        j < ps->len && lower(s[j]) == 'k' &&
        (j + 1 == ps->len || !is_word(s[j + 1]) || sign_at(ps, j + 1));
    if (thousands)
        j++;
    size_t after = skip_blanks(ps, j);
    size_t before = i;
    while (before > 0 && i - before < 2 && s[before - 1] == ' ')
        before--;
    bool money = sign_before(ps, before) != SIZE_MAX ||
                 (after < ps->len && sign_at(ps, after)) ||
                 (after < ps->len && code_at(ps, after));
    if (money) {
        ps->found |= 1u << LP_CLAIM_PRICE | 1u << LP_CLAIM_CURRENCY;
        return end;
    }
    if (!thousands && after < ps->len && strchr("kmgtpKMGTP", s[after]) &&
        s[after] && word_in(ps, after, units, sizeof units / sizeof *units))
        ps->found |= 1u << LP_CLAIM_SIZE;
    return end;
}

/* An @handle at i ('@'): Telegram's usernames are 5 to 32 of [A-Za-z0-9_].
 * With a Telegram keyword before or after it (CTX_REACH bytes apart) it
 * is a contact; a jabber address
 * (local@domain.tld) after a jabber keyword is one too. */
static void at_sign(struct pass *ps, size_t i)
{
    const unsigned char *s = ps->s;
    size_t j = i + 1;
    while (j < ps->len && j - i <= 64 &&
           (is_word(s[j]) || s[j] == '.' || s[j] == '-') && s[j] < 0x80)
        j++;
    bool local = i > 0 && is_word(s[i - 1]);
    size_t k = i + 1;
    while (!local && k < j && is_word(s[k]) && s[k] < 0x80)
        k++;
    if (!local && k - (i + 1) >= 5 && k - (i + 1) <= 32) {
        if (ps->tg_end && i - (ps->tg_end - 1) <= CTX_REACH)
            ps->found |= 1u << LP_CLAIM_CONTACT;
        ps->handle_end = k + 1; // "@name on Telegram"
    }
    if (local && ps->jabber_end && i - (ps->jabber_end - 1) <= CTX_REACH) {
        const void *dot = memchr(s + i + 1, '.', j - (i + 1));
        if (dot && (const unsigned char *)dot > s + i + 1 && s[j - 1] != '.')
            ps->found |= 1u << LP_CLAIM_CONTACT;
    }
}

/* The keywords at word start i. */
static void keywords_at(struct pass *ps, size_t i)
{
    int c = lower(ps->s[i]) - 'a';
    if (c < 0 || c >= 26)
        return;
    for (size_t k = ps->first[c]; k < ps->first[c + 1]; k++) {
        const struct keyword *kw = &keywords[k];
        size_t e = match_at(ps, i, kw->text);
        if (!e)
            continue;
        if (!(kw->flags & KW_OPEN) && e < ps->len && is_word(ps->s[e]))
            continue;
        if ((kw->flags & KW_HANDLE) && (e == ps->len || !is_word(ps->s[e])))
            continue;
        if (kw->signal >= 0)
            ps->found |= 1u << kw->signal;
        if (kw->flags & KW_TG) {
            ps->tg_end = e + 1;
            if (ps->handle_end && i - (ps->handle_end - 1) <= CTX_REACH)
                ps->found |= 1u << LP_CLAIM_CONTACT;
        }
        if (kw->flags & KW_JABBER)
            ps->jabber_end = e + 1;
        if (kw->flags & KW_CODE) { // "BTC 0.5", "USD 5000"
            size_t a = skip_blanks(ps, e);
            if (a < ps->len && is_digit(ps->s[a]))
                ps->found |= 1u << LP_CLAIM_PRICE;
        }
    }
}

/* A word of exactly 76 hex digits at i: a Tox ID. */
static void tox_at(struct pass *ps, size_t i)
{
    size_t j = i;
    while (j < ps->len && j - i <= 76 && is_hex(ps->s[j]))
        j++;
    if (j - i == 76 && (j == ps->len || !is_word(ps->s[j])))
        ps->found |= 1u << LP_CLAIM_CONTACT;
}

void lp_claim_score(const char *text, size_t len, struct lp_claim *out)
{
    struct pass ps = {.s = (const unsigned char *)text, .len = text ? len : 0};
    const unsigned all = (1u << LP_CLAIM_NSIGNALS) - 1;
    /* keywords[] is sorted by first letter: each letter's range. */
    for (int c = 0, k = 0; c <= 26; c++) {
        while (k < (int)NKEYWORDS && keywords[k].text[0] - 'a' < c)
            k++;
        ps.first[c] = (unsigned char)k;
    }
    for (size_t i = 0; i < ps.len && ps.found != all; i++) {
        unsigned char c = ps.s[i];
        if (c == '@') {
            at_sign(&ps, i);
            continue;
        }
        if (c != '$' && sign_at(&ps, i)) { // $ counts next to a number
            ps.found |= 1u << LP_CLAIM_CURRENCY;
            continue;
        }
        if (!is_word(c) || c >= 0x80)
            continue;
        /* A word starts here, or a number right after a sign (€4500). */
        bool start = i == 0 || !is_word(ps.s[i - 1]) ||
                     (is_digit(c) && sign_before(&ps, i) != SIZE_MAX);
        if (!start)
            continue;
        if (is_hex(c))
            tox_at(&ps, i);
        if (is_digit(c)) // no keyword starts with a digit
            i = number(&ps, i) - 1;
        else
            keywords_at(&ps, i);
    }
    memset(out, 0, sizeof *out);
    int sum = 0;
    for (int k = 0; k < LP_CLAIM_NSIGNALS; k++) {
        if (!(ps.found & 1u << k))
            continue;
        sum += weights[k];
        out->names[out->nnames++] = names[k];
    }
    if (sum > 100)
        sum = 100;
    out->signals = ps.found;
    out->score = sum / 100.0;
    const unsigned deal =
        1u << LP_CLAIM_PRICE | 1u << LP_CLAIM_CURRENCY | 1u << LP_CLAIM_SALE;
    out->offer = sum >= LP_CLAIM_THRESHOLD && (ps.found & deal);
}
