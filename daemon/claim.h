/* SPDX-License-Identifier: Apache-2.0
 *
 * claim.h: whether a post (a paste, a forum post's title and body) offers
 * data for sale, for `leakprint watch` (docs/TERMS.md). The text is read
 * once, byte by byte, for eight signals; each present signal adds its
 * weight to a score in [0, 1]. A post is an offer when the score reaches
 * LP_CLAIM_THRESHOLD and it names a price, a currency or a sale verb. The
 * caller adds the last condition of a sale-claim alert: the post names a
 * watched term or a collection.
 *
 * Reading is case-insensitive (ASCII letters), on bytes: any UTF-8 text,
 * or any bytes at all, are read without decoding. Words are delimited as
 * in watchterms.h (letters, digits, _ and the bytes of multi-byte characters
 * make words). Time and memory: linear in the text, no allocation.
 *
 * Weights (percent of the score; the sum is capped at 100):
 *   price 10, currency 5, sale 15, escrow 20, contact 20, size 5,
 *   sample 20, leak 10.
 * What an article about a sale can show (price, currency, sale, size,
 * leak) adds up to 45, under the threshold of 50: an offer also needs
 * a way to deal (escrow, a contact, a sample).
 */
#ifndef LP_DAEMON_CLAIM_H
#define LP_DAEMON_CLAIM_H

#include <stdbool.h>
#include <stddef.h>

/* The score (in percent) from which a post may be an offer. */
#define LP_CLAIM_THRESHOLD 50

/* The signals, in the order they are reported. */
enum lp_claim_signal {
    LP_CLAIM_PRICE,    /* a number with a currency, "price", "asking" */
    LP_CLAIM_CURRENCY, /* $ € £ ₿, USD EUR BTC XMR USDT ETH LTC... */
    LP_CLAIM_SALE,     /* "selling", "for sale", "WTS", "auction", "buy now" */
    LP_CLAIM_ESCROW,   /* "escrow", "guarantor", "middleman" */
    LP_CLAIM_CONTACT,  /* Telegram @handle or t.me/, jabber/xmpp address,
                          a Tox ID, "PM me", "DM me", "contact" */
    LP_CLAIM_SIZE,     /* a number with KB, MB, GB, TB, PB (or KiB...) */
    LP_CLAIM_SAMPLE,   /* "sample", "proof", "teaser" */
    LP_CLAIM_LEAK,     /* "source code", "database", "dump", "repo",
                          "leak", "breach" and their plurals */
    LP_CLAIM_NSIGNALS
};

/* What lp_claim_score() found. */
struct lp_claim {
    double score;     /* in [0, 1]: the weights of the signals found */
    bool offer;       /* score >= threshold and price, currency or sale */
    unsigned signals; /* bit (1u << LP_CLAIM_X) for each signal found */
    size_t nnames;    /* names[0..nnames) */
    const char *names[LP_CLAIM_NSIGNALS]; /* the signals found, in the
                          enum's order ("price", "escrow"...; static) */
};

/* Scores the len bytes of text (NUL bytes allowed) into *out. text may be
 * NULL when len is 0. Never fails. */
void lp_claim_score(const char *text, size_t len, struct lp_claim *out);

/* The signal's name ("price", "currency", "sale", "escrow", "contact",
 * "size", "sample", "leak"; static), or NULL out of range. */
const char *lp_claim_signal_name(enum lp_claim_signal s);

/* The signal's weight in percent (see above), or 0 out of range. */
int lp_claim_weight(enum lp_claim_signal s);

#endif
