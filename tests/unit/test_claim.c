/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of daemon/claim.h, sale-claim scoring: sale posts written
 * for these tests (English with a BTC price, escrow and Telegram; a WTS
 * with a size and a sample; mixed case with a euro price and a Tox ID)
 * are offers with exactly the signals expected; a job ad with a salary,
 * a changelog, a news article about a breach (with a price) and a code
 * review comment are not. Then each signal on its own, word boundaries,
 * the weights and threshold, hostile bytes, and a large input read once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "claim.h"

#include "testutil.h"
#include "banned.h"

/* The signal names of c joined with ',' into buf. */
static const char *joined(const struct lp_claim *c, char *buf, size_t len)
{
    buf[0] = '\0';
    size_t o = 0;
    for (size_t i = 0; i < c->nnames && o < len; i++)
        o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? "," : "",
                              c->names[i]);
    return buf;
}

/* Scores text and checks the signals (joined), the offer and the score
 * in percent. */
static void expect(const char *text, const char *signals, bool offer,
                   int percent)
{
    struct lp_claim c;
    char buf[256];
    lp_claim_score(text, strlen(text), &c);
    assert_string_equal(joined(&c, buf, sizeof buf), signals);
    assert_int_equal(c.offer, offer);
    assert_int_equal((int)(c.score * 100 + 0.5), percent);
}

static const char post_btc[] =
    "Selling full source code of ACME Gateway (acme-gw), all internal "
    "repos incl. CI secrets.\n"
    "Price: 2.5 BTC, no haggling. Escrow accepted (forum escrow only).\n"
    "Contact me on Telegram: @acme_vendor_77\n";

static const char post_wts[] =
    "[WTS] acme-corp internal gitlab dump - 45GB compressed\n"
    "Everything from 2019 to last week. Sample attached (3 repos).\n";

static const char post_euro[] =
    "SeLLiNg AcMe CuStOmEr DaTaBaSe, 1.2Tb, 3.4M rOwS\n"
    "PrIcE 4.500\xe2\x82\xac (eUr oNlY)\n"
    "ToX: 56A1ADE4B65B86BCD51CC73E2CD4E542179F47959FE3E0E21B4B0ACDADE51855"
    "D34D34D34D34\n";

static void test_offers(void **state)
{
    (void)state;
    expect(post_btc, "price,currency,sale,escrow,contact,leak", true, 80);
    expect(post_wts, "sale,size,sample,leak", true, 50);
    expect(post_euro, "price,currency,sale,contact,size,leak", true, 65);
}

static const char job_ad[] =
    "We're hiring: Senior Backend Engineer (remote, EU)\n"
    "Salary: \xe2\x82\xac"
    "70k - \xe2\x82\xac"
    "85k + equity. You will own our "
    "PostgreSQL database and review source code daily.\n"
    "Contact: careers@example.com\n";

static const char changelog[] =
    "v2.4.1 (2026-11-02)\n"
    "- Fixed: import of files larger than 500 MB stalled at 99%\n"
    "- The cache database is now vacuumed weekly\n"
    "- Crash dumps are written to /var/crash\n";

static const char news[] =
    "Acme Corp confirms breach after hackers claim 1.2 TB of data\n"
    "A threat actor has been selling what they say is Acme's customer "
    "database on a hacking forum for $50,000, according to researchers. "
    "The company said the leak came from a misconfigured repository and "
    "that it had informed regulators.\n";

static const char review[] =
    "@alice_dev nit: dump_state() leaks the handle on the error path, and "
    "the 2 GB cap should be a named constant. The repo's CI is red too; "
    "PM me if the sample config is unclear.\n";

static void test_not_offers(void **state)
{
    (void)state;
    expect(job_ad, "price,currency,contact,leak", false, 45);
    expect(changelog, "size,leak", false, 15);
    expect(news, "price,currency,sale,size,leak", false, 45);
    /* Seller-like signals, but no price, currency or sale. */
    expect(review, "contact,size,sample,leak", false, 55);
}

static void test_prices(void **state)
{
    (void)state;
    expect("$5,000", "price,currency", false, 15);
    expect("5000$", "price,currency", false, 15);
    expect("$ 5000", "price,currency", false, 15);
    expect("\xe2\x82\xac"
           "4500",
           "price,currency", false, 15);
    expect("4500 \xe2\x82\xac", "price,currency", false, 15);
    expect("\xc2\xa3"
           "300",
           "price,currency", false, 15);
    expect("0.5 BTC", "price,currency", false, 15);
    expect("10k USDT", "price,currency", false, 15);
    expect("10K usd", "price,currency", false, 15);
    expect("$10k", "price,currency", false, 15);
    expect("3 xmr", "price,currency", false, 15);
    expect("2 ETH", "price,currency", false, 15);
    expect("BTC 0.5", "price,currency", false, 15);
    expect("asking 2", "price", false, 10);
    expect("PRICE", "price", false, 10);
    /* A currency alone, and numbers that are no price. */
    expect("paid in monero", "currency", false, 5);
    expect("10k rows", "", false, 0);
    expect("$HOME and $PATH", "", false, 0);
    expect("eth0 is up", "", false, 0);
    expect("version 2 of usdtool", "", false, 0);
}

static void test_sizes(void **state)
{
    (void)state;
    expect("120 GB", "size", false, 5);
    expect("1.2TB", "size", false, 5);
    expect("500 MB", "size", false, 5);
    expect("45gb", "size", false, 5);
    expect("3 GiB", "size", false, 5);
    expect("2 terabytes", "size", false, 5);
    expect("5kb", "size", false, 5);
    expect("45GBs", "", false, 0);
    expect("GB 45", "", false, 0);
    expect("1234567890123456789012345 GB", "", false, 0); // too long a number
}

static void test_contacts(void **state)
{
    (void)state;
    expect("telegram: @acme_seller", "contact", false, 20);
    expect("TG @acme_seller", "contact", false, 20);
    expect("write to @acme_seller on Telegram", "contact", false, 20);
    expect("https://t.me/acme_seller", "contact", false, 20);
    expect("t.me/", "", false, 0);
    expect("jabber: seller@xmpp.example.org", "contact", false, 20);
    expect("xmpp:seller@xmpp.example.org", "contact", false, 20);
    expect("pm me", "contact", false, 20);
    expect("DM   for details", "contact", false, 20);
    expect("Contact:", "contact", false, 20);
    /* Mentions, mail addresses and short handles are not enough. */
    expect("@acme_seller", "", false, 0);
    expect("telegram: @abc", "", false, 0);
    expect("@abc on telegram", "", false, 0);
    expect("telegram: a@acme_seller", "", false, 0);
    expect("mail seller@example.org", "", false, 0);
    expect("contacted the vendor", "", false, 0);
    expect("pmme", "", false, 0);
    /* A Tox ID is 76 hex digits: 64 (a SHA-256) are not one. */
    expect("56A1ADE4B65B86BCD51CC73E2CD4E542179F47959FE3E0E21B4B0ACDADE51855",
           "", false, 0);
}

static void test_words(void **state)
{
    (void)state;
    expect("for\n\tsale", "sale", false, 15);
    expect("for sale", "sale", false, 15);
    expect("forsale", "", false, 0);
    expect("wts", "sale", false, 15);
    expect("WTSX", "", false, 0);
    expect("auctioning now", "sale", false, 15);
    expect("Buy Now", "sale", false, 15);
    expect("via a guarantor", "escrow", false, 20);
    expect("middleman ok", "escrow", false, 20);
    expect("free teaser", "sample", false, 20);
    expect("proof:", "sample", false, 20);
    expect("breached", "leak", false, 10);
    expect("sourcecode", "leak", false, 10);
    expect("dumpster", "", false, 0);
    expect("releasing", "", false, 0);
    /* Words glued to UTF-8 letters are longer words. */
    expect("\xc3\xa9selling", "", false, 0);
    expect("selling\xc3\xa9", "", false, 0);
    expect("\xe2\x80\x9cselling\xe2\x80\x9d", "", false, 0);
}

static void test_weights(void **state)
{
    (void)state;
    int sum = 0;
    for (int k = 0; k < LP_CLAIM_NSIGNALS; k++)
        sum += lp_claim_weight(k);
    assert_int_equal(sum, 105);
    assert_int_equal(lp_claim_weight(LP_CLAIM_NSIGNALS), 0);
    assert_string_equal(lp_claim_signal_name(LP_CLAIM_PRICE), "price");
    assert_string_equal(lp_claim_signal_name(LP_CLAIM_LEAK), "leak");
    assert_null(lp_claim_signal_name(LP_CLAIM_NSIGNALS));
    /* Every signal at once: the score is capped at 1. */
    expect("selling db 2 GB $5 escrow pm me sample",
           "price,currency,sale,escrow,contact,size,sample,leak", true, 100);
    /* Exactly the threshold is an offer; below it is not. */
    expect("wts sample, repo, 1 GB", "sale,size,sample,leak", true, 50);
    expect("wts sample, repo", "sale,sample,leak", false, 45);
}

static void test_hostile(void **state)
{
    (void)state;
    struct lp_claim c;
    lp_claim_score(NULL, 0, &c);
    assert_int_equal(c.nnames, 0);
    assert_false(c.offer);
    const char nul[] = "selling\0escrow\0$5";
    lp_claim_score(nul, sizeof nul - 1, &c);
    assert_int_equal(c.signals, 1u << LP_CLAIM_PRICE | 1u << LP_CLAIM_CURRENCY |
                                    1u << LP_CLAIM_SALE |
                                    1u << LP_CLAIM_ESCROW);
    /* Truncated signs and words at the very end. */
    expect("\xe2\x82", "", false, 0);
    expect("$", "", false, 0);
    expect("for ", "", false, 0);
    expect("@", "", false, 0);
    expect("5 G", "", false, 0);
    expect("5k", "", false, 0);
}

/* 64 MiB of words that start like the keywords and numbers without a
 * unit: nothing found, in one pass (the time is printed, not checked:
 * sanitizers slow it down). */
static void test_large(void **state)
{
    (void)state;
    size_t len = (size_t)64 << 20;
    char *buf = malloc(len);
    assert_non_null(buf);
    static const char unit[] = "sell 12.5 dum pric @x t.me telegrap a b c ";
    for (size_t i = 0; i < len; i++)
        buf[i] = unit[i % (sizeof unit - 1)];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct lp_claim c;
    lp_claim_score(buf, len, &c);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_int_equal(c.nnames, 0);
    fprintf(stderr, "test_large: 64 MiB in %.3f s\n",
            (double)(t1.tv_sec - t0.tv_sec) +
                (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_offers),   cmocka_unit_test(test_not_offers),
        cmocka_unit_test(test_prices),   cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_contacts), cmocka_unit_test(test_words),
        cmocka_unit_test(test_weights),  cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
