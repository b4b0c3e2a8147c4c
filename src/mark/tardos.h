/* SPDX-License-Identifier: Apache-2.0
 *
 * tardos: a binary Tardos fingerprinting code with the symmetric score
 * (Tardos, "Optimal probabilistic fingerprint codes"; Skoric, Katzenbeisser,
 * Celik, "Symmetric Tardos fingerprinting codes for arbitrary alphabet
 * sizes"). Each recipient (user) gets m bits; a leak read back gives, per
 * position, a bit or an erasure; users whose score over the positions read
 * passes a threshold are accused. Everything is derived from a 32-byte
 * secret key with HMAC-SHA256, so the same key and parameters give the same
 * code. The false-accusation bound is Bennett's inequality (docs/CANARY.md);
 * the chance to catch a colluder is a normal estimate.
 */
#ifndef LP_TARDOS_H
#define LP_TARDOS_H

#include <stddef.h>
#include <stdint.h>

#include "leakprint.h"

#define LP_TARDOS_KEY_LEN 32
/* Caps: hitting one gives LP_ELIMIT. */
#define LP_TARDOS_MAX_USERS (1u << 20)  /* recipients of one code */
#define LP_TARDOS_MAX_C 32              /* colluders designed against */
#define LP_TARDOS_MAX_LEN (1u << 20)    /* code length m */
#define LP_TARDOS_MAX_CELLS (1ul << 28) /* users * m bits kept (32 MiB) */
/* Defaults of issue 18: 3 colluders, 1e-6 false accusation per report. */
#define LP_TARDOS_DEFAULT_C 3
#define LP_TARDOS_DEFAULT_EPS 1e-6

/* A code. Fields are read-only after lp_tardos_init(); release with
 * lp_tardos_release(). */
struct lp_tardos {
    size_t n_users;
    unsigned c;     /* colluders designed against */
    double eps;     /* whole-report false-accusation probability */
    double cutoff;  /* t: biases lie in [t, 1-t] */
    double bound;   /* sqrt((1-t)/t): the largest score term */
    double mu;      /* worst-case coalition score per position, c colluders */
    size_t m;       /* code length */
    double *bias;   /* m biases p_i */
    double *s1;     /* m values sqrt((1-p_i)/p_i) */
    double *s0;     /* m values sqrt(p_i/(1-p_i)) */
    uint64_t *bits; /* n_users rows of words_per_user words, bit i = X_ji */
    size_t words_per_user;
};

/* One user's result of lp_tardos_accuse(). */
struct lp_tardos_verdict {
    double score;     /* symmetric score over the positions read */
    double threshold; /* Z(m_read, eps/n_users): the same for every user */
    double p_false;   /* bound on P(an innocent's score >= score) */
    double p_report;  /* p_false * n_users, at most 1 */
    int accused;      /* score >= threshold */
};

/* Builds the code for n_users recipients, at most c colluders (0: the
 * default 3) and a whole-report false-accusation probability eps (0: the
 * default 1e-6): chooses the cutoff t and the length m (docs/CANARY.md),
 * then derives the biases and all codewords from key.
 * Returns LP_OK; LP_EINVAL (NULL, n_users 0, eps outside (0, 0.5]);
 * LP_ELIMIT (a cap above); LP_ENOMEM. On failure *t needs no release. */
lp_err lp_tardos_init(struct lp_tardos *t, const uint8_t key[LP_TARDOS_KEY_LEN],
                      size_t n_users, unsigned c, double eps);

/* Frees what lp_tardos_init() allocated; accepts NULL and a zeroed struct. */
void lp_tardos_release(struct lp_tardos *t);

/* The code length m. */
size_t lp_tardos_length(const struct lp_tardos *t);

/* Bit of user at position pos (0 or 1); -1 when either is out of range. */
int lp_tardos_bit(const struct lp_tardos *t, size_t user, size_t pos);

/* Bias p_pos, in [t, 1-t]; -1 when pos is out of range. */
double lp_tardos_bias(const struct lp_tardos *t, size_t pos);

/* Scores the leak y (len values: 0, 1, or -1 for an erased position; len
 * must equal the code length) against every user, into out[n_users].
 * *m_read (may be NULL) gets the number of positions read. With none read,
 * nobody is accused (threshold infinite, p_false 1).
 * Returns LP_OK; LP_EINVAL (NULL, len != m, a value not in {-1, 0, 1}). */
lp_err lp_tardos_accuse(const struct lp_tardos *t, const int8_t *y, size_t len,
                        struct lp_tardos_verdict *out, size_t *m_read);

/* Accusation threshold for m_read positions read: the least score whose
 * bound is at most eps / n_users (infinite for m_read 0 or no code). */
double lp_tardos_threshold(const struct lp_tardos *t, size_t m_read);

/* Bennett's bound on P(innocent score >= s) over m_read positions (1 for
 * s <= 0, m_read 0 or no code). */
double lp_tardos_p_false(const struct lp_tardos *t, size_t m_read, double s);

/* Planning estimate: with a fraction f (0 < f <= 1) of the positions read,
 * the largest number of colluders c' (at most LP_TARDOS_MAX_C) such that
 * at least one colluder is accused with probability >= 0.99 whatever they
 * do under the marking assumption, by a normal approximation of the
 * coalition's score; 0 when even one recipient alone is not. */
unsigned lp_tardos_plan(const struct lp_tardos *t, double f);

#endif
