/* SPDX-License-Identifier: Apache-2.0
 *
 * tardos: the binary symmetric Tardos code (tardos.h). Derivation: one
 * HMAC-SHA256 of the key gives four uniform doubles (8 bytes each, top 53
 * bits); the biases use the message "leakprint/tardos/v1/bias|" + block,
 * the bits "leakprint/tardos/v1/bit|" + user + block (64-bit little-endian),
 * so the two never share an input. p_i = sin^2(r), r uniform on
 * [asin(sqrt t), pi/2 - asin(sqrt t)]: the arcsine density cut to [t, 1-t].
 * X_ji = 1 when its uniform is below p_i. The whole code is kept as bits
 * (the key is not kept), so scoring is a pass over memory.
 */
#include "tardos.h"

#include <math.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "mem.h"

/* One-sided 0.99 quantile of the normal law: the planning margin. */
#define Q99 2.3263478740408408
/* Midpoints of the angle integral of coalition_mu(). */
#define MU_STEPS 2048

static const char BIAS_MSG[] = "leakprint/tardos/v1/bias|";
static const char BIT_MSG[] = "leakprint/tardos/v1/bit|";

static void put_u64le(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Four uniform doubles in [0, 1) from HMAC-SHA256(key, msg). */
static lp_err prf4(const uint8_t *key, const uint8_t *msg, size_t len,
                   double u[4])
{
    uint8_t mac[32];
    unsigned n = 0;
    if (!HMAC(EVP_sha256(), key, LP_TARDOS_KEY_LEN, msg, len, mac, &n) ||
        n != 32)
        return LP_ENOMEM;
    for (int k = 0; k < 4; k++) {
        uint64_t v = 0;
        for (int i = 0; i < 8; i++)
            v |= (uint64_t)mac[8 * k + i] << (8 * i);
        u[k] = (double)(v >> 11) * 0x1p-53;
    }
    return LP_OK;
}

/* Bennett: h(u) = (1+u) ln(1+u) - u. */
static double bennett_h(double u)
{
    return (1 + u) * log1p(u) - u;
}

/* ln of Bennett's bound on P(S >= s), S a sum of m independent zero-mean,
 * unit-variance terms each at most b. */
static double log_bound(size_t m, double b, double s)
{
    if (m == 0 || s <= 0)
        return 0;
    double md = (double)m;
    return -md / (b * b) * bennett_h(b * s / md);
}

/* Least s with log_bound(m, b, s) <= log_eta; infinite when even the
 * largest possible score m*b is not enough. */
static double threshold_of(size_t m, double b, double log_eta)
{
    if (m == 0)
        return INFINITY;
    double lo = 0, hi = (double)m * b;
    if (log_bound(m, b, hi) > log_eta)
        return INFINITY;
    for (int i = 0; i < 100; i++) {
        double mid = (lo + hi) / 2;
        if (log_bound(m, b, mid) > log_eta)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

/* Worst-case expected coalition score per position for c colluders and
 * cutoff t. With k of the c colluders holding a 1, the sum of their
 * symmetric scores is (2y-1)(k - cp)/sqrt(p(1-p)); k = 0 and k = c force y
 * (marking assumption), otherwise the coalition picks the y with the
 * smaller mean over p. Its variance is c whatever y is (E(k-cp)^2 =
 * cp(1-p)). Integral over the angle r with midpoints. */
static double coalition_mu(unsigned c, double t)
{
    double ik[LP_TARDOS_MAX_C + 1] = {0};
    double r0 = asin(sqrt(t)), r1 = M_PI / 2 - r0;
    double binom[LP_TARDOS_MAX_C + 1];
    binom[0] = 1;
    for (unsigned k = 1; k <= c; k++)
        binom[k] = binom[k - 1] * (double)(c - k + 1) / (double)k;
    for (int i = 0; i < MU_STEPS; i++) {
        double r = r0 + (r1 - r0) * (i + 0.5) / MU_STEPS;
        double p = sin(r) * sin(r), q = 1 - p, sd = sqrt(p * q);
        for (unsigned k = 0; k <= c; k++) {
            double pk = binom[k] * pow(p, k) * pow(q, c - k);
            ik[k] += pk * ((double)k - c * p) / sd;
        }
    }
    double mu = (ik[c] - ik[0]) / MU_STEPS;
    for (unsigned k = 1; k < c; k++)
        mu += -fabs(ik[k]) / MU_STEPS;
    return mu;
}

/* Whether m positions catch one of c colluders with probability >= 0.99
 * (normal estimate of the coalition sum: mean >= mu m, variance <= c m;
 * its sum reaching c Z makes one colluder reach Z). */
static int enough(size_t m, unsigned c, double mu, double b, double log_eta)
{
    double md = (double)m;
    double z = threshold_of(m, b, log_eta);
    return isfinite(z) && mu * md - Q99 * sqrt(c * md) >= c * z;
}

/* Least m <= LP_TARDOS_MAX_LEN that is enough(); 0 when none. */
static size_t least_length(unsigned c, double mu, double b, double log_eta)
{
    if (!enough(LP_TARDOS_MAX_LEN, c, mu, b, log_eta))
        return 0;
    size_t lo = 1, hi = LP_TARDOS_MAX_LEN; // hi is enough
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (enough(mid, c, mu, b, log_eta))
            hi = mid;
        else
            lo = mid + 1;
    }
    return hi;
}

void lp_tardos_release(struct lp_tardos *t)
{
    if (!t)
        return;
    lp_free(t->bias);
    lp_free(t->s1);
    lp_free(t->s0);
    lp_free(t->bits);
    memset(t, 0, sizeof *t);
}

lp_err lp_tardos_init(struct lp_tardos *t, const uint8_t key[LP_TARDOS_KEY_LEN],
                      size_t n_users, unsigned c, double eps)
{
    lp_err err = LP_OK;
    if (!t)
        return LP_EINVAL;
    memset(t, 0, sizeof *t);
    if (c == 0)
        c = LP_TARDOS_DEFAULT_C;
    if (eps == 0)
        eps = LP_TARDOS_DEFAULT_EPS;
    if (!key || n_users == 0 || !(eps > 0 && eps <= 0.5))
        return LP_EINVAL;
    if (n_users > LP_TARDOS_MAX_USERS || c > LP_TARDOS_MAX_C)
        return LP_ELIMIT;
    double log_eta = log(eps / (double)n_users);

    /* Cutoff: Tardos's 1/(300c) and larger ones, by steps of 10%; the one
     * that gives the shortest code wins (a larger t lowers the bound b of
     * a term, which tightens Bennett, but also the coalition's mean). */
    double best_t = 0, best_mu = 0;
    size_t best_m = 0;
    for (double tc = 1.0 / (300.0 * c); tc < 0.25; tc *= 1.1) {
        double mu = coalition_mu(c, tc), b = sqrt((1 - tc) / tc);
        size_t m = mu > 0 ? least_length(c, mu, b, log_eta) : 0;
        if (m && (!best_m || m < best_m)) {
            best_m = m;
            best_t = tc;
            best_mu = mu;
        }
    }
    if (!best_m)
        return LP_ELIMIT;
    size_t cells;
    if (!lp_mul_ok(n_users, best_m, &cells) || cells > LP_TARDOS_MAX_CELLS)
        return LP_ELIMIT;

    t->n_users = n_users;
    t->c = c;
    t->eps = eps;
    t->cutoff = best_t;
    t->bound = sqrt((1 - best_t) / best_t);
    t->mu = best_mu;
    t->m = best_m;
    t->words_per_user = (best_m + 63) / 64;
    t->bias = lp_calloc(best_m, sizeof *t->bias);
    t->s1 = lp_calloc(best_m, sizeof *t->s1);
    t->s0 = lp_calloc(best_m, sizeof *t->s0);
    t->bits = lp_calloc(n_users * t->words_per_user, sizeof *t->bits);
    if (!t->bias || !t->s1 || !t->s0 || !t->bits) {
        err = LP_ENOMEM;
        goto out;
    }

    /* Biases, four per HMAC. */
    double r0 = asin(sqrt(best_t)), r1 = M_PI / 2 - r0;
    uint8_t msg[sizeof BIT_MSG - 1 + 16];
    size_t bl = sizeof BIAS_MSG - 1;
    memcpy(msg, BIAS_MSG, bl);
    for (size_t blk = 0; blk * 4 < best_m; blk++) {
        double u[4];
        put_u64le(msg + bl, blk);
        err = prf4(key, msg, bl + 8, u);
        if (err)
            goto out;
        for (size_t k = 0; k < 4 && blk * 4 + k < best_m; k++) {
            double s = sin(r0 + (r1 - r0) * u[k]), p = s * s;
            /* rounding must not leave [t, 1-t] */
            p = fmin(fmax(p, best_t), 1 - best_t);
            t->bias[blk * 4 + k] = p;
            t->s1[blk * 4 + k] = sqrt((1 - p) / p);
            t->s0[blk * 4 + k] = sqrt(p / (1 - p));
        }
    }

    /* Codewords, four bits per HMAC. */
    bl = sizeof BIT_MSG - 1;
    memcpy(msg, BIT_MSG, bl);
    for (size_t j = 0; j < n_users; j++) {
        uint64_t *row = t->bits + j * t->words_per_user;
        put_u64le(msg + bl, j);
        for (size_t blk = 0; blk * 4 < best_m; blk++) {
            double u[4];
            put_u64le(msg + bl + 8, blk);
            err = prf4(key, msg, bl + 16, u);
            if (err)
                goto out;
            for (size_t k = 0; k < 4 && blk * 4 + k < best_m; k++) {
                size_t i = blk * 4 + k;
                if (u[k] < t->bias[i])
                    row[i / 64] |= 1ull << (i % 64);
            }
        }
    }
out:
    if (err)
        lp_tardos_release(t);
    return err;
}

size_t lp_tardos_length(const struct lp_tardos *t)
{
    return t ? t->m : 0;
}

int lp_tardos_bit(const struct lp_tardos *t, size_t user, size_t pos)
{
    if (!t || user >= t->n_users || pos >= t->m)
        return -1;
    const uint64_t *row = t->bits + user * t->words_per_user;
    return (int)(row[pos / 64] >> (pos % 64) & 1);
}

double lp_tardos_bias(const struct lp_tardos *t, size_t pos)
{
    if (!t || pos >= t->m)
        return -1;
    return t->bias[pos];
}

double lp_tardos_threshold(const struct lp_tardos *t, size_t m_read)
{
    if (!t || !t->m)
        return INFINITY;
    return threshold_of(m_read, t->bound, log(t->eps / (double)t->n_users));
}

double lp_tardos_p_false(const struct lp_tardos *t, size_t m_read, double s)
{
    if (!t || !t->m)
        return 1;
    return exp(log_bound(m_read, t->bound, s));
}

lp_err lp_tardos_accuse(const struct lp_tardos *t, const int8_t *y, size_t len,
                        struct lp_tardos_verdict *out, size_t *m_read)
{
    if (!t || !y || !out || len != t->m)
        return LP_EINVAL;
    size_t nread = 0;
    for (size_t i = 0; i < len; i++) {
        if (y[i] < -1 || y[i] > 1)
            return LP_EINVAL;
        nread += y[i] >= 0;
    }
    double z = lp_tardos_threshold(t, nread);
    for (size_t j = 0; j < t->n_users; j++) {
        const uint64_t *row = t->bits + j * t->words_per_user;
        double s = 0;
        /* Symmetric score: a match scores the rarity of the bit read
         * (sqrt((1-p)/p) for a 1), a mismatch loses the other's. */
        for (size_t i = 0; i < len; i++) {
            if (y[i] < 0)
                continue;
            int x = (int)(row[i / 64] >> (i % 64) & 1);
            if (y[i])
                s += x ? t->s1[i] : -t->s0[i];
            else
                s += x ? -t->s1[i] : t->s0[i];
        }
        struct lp_tardos_verdict *v = &out[j];
        v->score = s;
        v->threshold = z;
        v->p_false = lp_tardos_p_false(t, nread, s);
        v->p_report = fmin(1.0, v->p_false * (double)t->n_users);
        v->accused = nread > 0 && s >= z;
    }
    if (m_read)
        *m_read = nread;
    return LP_OK;
}

unsigned lp_tardos_plan(const struct lp_tardos *t, double f)
{
    if (!t || !(f > 0 && f <= 1))
        return 0;
    size_t mr = (size_t)floor(f * (double)t->m);
    double log_eta = log(t->eps / (double)t->n_users);
    unsigned best = 0;
    for (unsigned c = 1; c <= LP_TARDOS_MAX_C; c++) {
        double mu = coalition_mu(c, t->cutoff);
        if (mr == 0 || !enough(mr, c, mu, t->bound, log_eta))
            break;
        best = c;
    }
    return best;
}
