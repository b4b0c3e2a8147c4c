/* SPDX-License-Identifier: Apache-2.0
 *
 * sink_webhook.c: `--alert webhook:URL`. Each alert is POSTed (libcurl) as
 * its JSON, with the Standard Webhooks headers: webhook-id (the alert's
 * id, the same at every attempt), webhook-timestamp (unix seconds of the
 * attempt) and webhook-signature "v1,<base64 of HMAC-SHA256 over
 * id.timestamp.body>" keyed with the secret (whsec_<base64>, decoded).
 * A 2xx answer delivers it. A 5xx, a timeout or a refused connection is
 * tried again after 1, 2, 4... seconds (times a random 0.5 to 1), or
 * after Retry-After when that is longer, up to --webhook-tries attempts;
 * then the alert stays in the outbox for the next run. 410 Gone disables
 * the sink for good (recorded in the case database). The secret lives in
 * buffers wiped after use and is never printed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "leakprint.h"
#include "cases.h"
#include "daemon.h"
#include "sink.h"
#include "banned.h" /* a list of poisoned names: defines nothing */

/* A secret's text longer than this is no Standard Webhooks secret. */
#define WEBHOOK_MAX_SECRET 1024
/* The first retry's delay, in seconds; each next one doubles it. */
#define WEBHOOK_BACKOFF 1.0

int lp_sink_webhook_secret(const struct lp_sink_options *o, unsigned char *key,
                           size_t cap, size_t *len)
{
    char text[WEBHOOK_MAX_SECRET + 2];
    const char *from = o->webhook_secret_file;
    size_t n = 0;
    int r = -1;
    if (from) {
        FILE *fp = fopen(from, "re");
        if (!fp) {
            lp_daemon_error("'%s': cannot read the webhook secret: %s", from,
                            lp_daemon_strerror(errno));
            return -1;
        }
        n = fread(text, 1, sizeof text - 1, fp);
        int bad = ferror(fp);
        fclose(fp);
        if (bad) {
            lp_daemon_error("'%s': cannot read the webhook secret", from);
            goto out;
        }
    } else {
        const char *env = getenv("LEAKPRINT_WEBHOOK_SECRET");
        from = "$LEAKPRINT_WEBHOOK_SECRET";
        if (!env || !*env) {
            lp_daemon_error("webhook: no secret (set "
                            "LEAKPRINT_WEBHOOK_SECRET or give "
                            "--webhook-secret-file)");
            return -1;
        }
        n = strnlen(env, sizeof text - 1);
        memcpy(text, env, n);
    }
    text[n] = '\0';
    if (n > WEBHOOK_MAX_SECRET) {
        lp_daemon_error("'%s': webhook secret longer than %d bytes", from,
                        WEBHOOK_MAX_SECRET);
        goto out;
    }
    while (n && strchr(" \t\r\n", text[n - 1]))
        text[--n] = '\0';
    const char *b64 = text;
    if (!strncmp(b64, "whsec_", 6))
        b64 += 6;
    size_t blen = strlen(b64), pad = 0;
    while (pad < blen && pad < 2 && b64[blen - 1 - pad] == '=')
        pad++;
    unsigned char raw[WEBHOOK_MAX_SECRET];
    int m = blen && blen % 4 == 0 &&
                    strspn(b64, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "abcdefghijklmnopqrstuvwxyz"
                                "0123456789+/=") == blen
                ? EVP_DecodeBlock(raw, (const unsigned char *)b64, (int)blen)
                : -1;
    if (m < 0 || (size_t)m - pad == 0 || (size_t)m - pad > cap) {
        lp_daemon_error("'%s': not a webhook secret (whsec_ then base64 "
                        "of 1 to %zu bytes)",
                        from, cap);
        OPENSSL_cleanse(raw, sizeof raw);
        goto out;
    }
    *len = (size_t)m - pad;
    memcpy(key, raw, *len);
    OPENSSL_cleanse(raw, sizeof raw);
    r = 0;
out:
    OPENSSL_cleanse(text, sizeof text);
    return r;
}

struct hook {
    const char *spec, *url;
    const struct lp_sink_options *o;
    struct lp_cases *cases;
    CURL *curl;
    unsigned char key[256];
    size_t keylen;
};

static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
    (void)p;
    (void)ctx;
    return size * n;
}

/* One POST of json: the HTTP status in *status (0 when none came), the
 * Retry-After seconds in *after (0 when none), libcurl's code returned. */
static CURLcode post(struct hook *h, const char *id, const char *json,
                     long *status, double *after)
{
    char ts[32], hid[128], hts[64], hsig[128];
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int maclen = 0;
    unsigned char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
    snprintf(ts, sizeof ts, "%lld", (long long)time(NULL));
    size_t n = strlen(id) + strlen(ts) + strlen(json) + 3;
    char *signed_text = malloc(n);
    *status = 0;
    *after = 0;
    if (!signed_text)
        return CURLE_OUT_OF_MEMORY;
    snprintf(signed_text, n, "%s.%s.%s", id, ts, json);
    if (!HMAC(EVP_sha256(), h->key, (int)h->keylen,
              (const unsigned char *)signed_text, n - 1, mac, &maclen)) {
        free(signed_text);
        return CURLE_SSL_ENGINE_INITFAILED;
    }
    free(signed_text);
    EVP_EncodeBlock(b64, mac, (int)maclen);
    snprintf(hid, sizeof hid, "webhook-id: %s", id);
    snprintf(hts, sizeof hts, "webhook-timestamp: %s", ts);
    snprintf(hsig, sizeof hsig, "webhook-signature: v1,%s", b64);
    struct curl_slist *hdr = NULL, *t;
    const char *lines[] = {
        "Content-Type: application/json",
        hid,
        hts,
        hsig,
        "User-Agent: leakprint/" LP_VERSION_STRING,
        "Expect:", // no "100-continue" round trip
    };
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        if (!(t = curl_slist_append(hdr, lines[i]))) {
            curl_slist_free_all(hdr);
            return CURLE_OUT_OF_MEMORY;
        }
        hdr = t;
    }
    CURL *c = h->curl;
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, h->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(json));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
                     (long)(h->o->webhook_timeout * 1000));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    CURLcode cc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
    curl_off_t ra = 0;
    if (curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
        *after = (double)ra;
    curl_slist_free_all(hdr);
    OPENSSL_cleanse(mac, sizeof mac);
    return cc;
}

/* A random factor from 0.5 to 1 (the jitter of a retry's delay). */
static double jitter(void)
{
    unsigned short r = 0;
    if (RAND_bytes((unsigned char *)&r, sizeof r) != 1)
        return 0.75;
    return 0.5 + 0.5 * (double)r / 65535.0;
}

/* Delivers one alert (the callback of lp_cases_deliver()): 0 once a 2xx
 * came back. */
static int send_alert(void *ctx, const char *id, const char *json)
{
    struct hook *h = ctx;
    char why[160];
    for (unsigned try = 1;; try++) {
        long status = 0;
        double after = 0;
        CURLcode cc = post(h, id, json, &status, &after);
        if (cc == CURLE_OK && status >= 200 && status < 300)
            return 0;
        if (cc == CURLE_OK && status == 410) {
            if (lp_cases_sink_disable(h->cases, h->spec, "HTTP 410 Gone"))
                lp_daemon_error("%s", lp_cases_errmsg(h->cases));
            else
                lp_daemon_error("'%s': HTTP 410 Gone: sink disabled (its "
                                "alerts stay in the outbox)",
                                h->spec);
            return -1;
        }
        int again;
        if (cc == CURLE_OK) {
            snprintf(why, sizeof why, "HTTP %ld", status);
            again = status >= 500;
        } else {
            snprintf(why, sizeof why, "%s", curl_easy_strerror(cc));
            if (why[0] >= 'A' && why[0] <= 'Z' && why[1] >= 'a' &&
                why[1] <= 'z')
                why[0] = (char)(why[0] - 'A' + 'a');
            again =
                cc == CURLE_OPERATION_TIMEDOUT || cc == CURLE_COULDNT_CONNECT;
        }
        if (!again || try >= h->o->webhook_tries) {
            lp_daemon_error("'%s': alert %s not delivered (%s, %u "
                            "attempt%s); kept for the next run",
                            h->spec, id, why, try, try == 1 ? "" : "s");
            return -1;
        }
        double delay = WEBHOOK_BACKOFF *
                       (double)(1u << (try - 1 < 20 ? try - 1 : 20)) * jitter();
        if (after > h->o->webhook_max_delay) {
            lp_daemon_error("'%s': alert %s not delivered (%s, Retry-After "
                            "%.0f s is more than --webhook-max-delay); kept "
                            "for the next run",
                            h->spec, id, why, after);
            return -1;
        }
        if (after > delay)
            delay = after;
        if (delay > h->o->webhook_max_delay)
            delay = h->o->webhook_max_delay;
        lp_sink_sleep(delay);
    }
}

int lp_sink_webhook(struct lp_cases *c, const char *spec, const char *url,
                    const struct lp_sink_options *o)
{
    struct hook h = {.spec = spec, .url = url, .o = o, .cases = c};
    int r = -1;
    if (lp_sink_webhook_secret(o, h.key, sizeof h.key, &h.keylen) < 0)
        return -1;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        lp_daemon_error("'%s': cannot start libcurl", spec);
        goto out;
    }
    if (!(h.curl = curl_easy_init())) {
        lp_daemon_error("'%s': cannot start libcurl", spec);
        curl_global_cleanup();
        goto out;
    }
    lp_err err = lp_cases_deliver(c, spec, send_alert, &h);
    if (err && err != LP_EABORTED)
        lp_daemon_error("%s", lp_cases_errmsg(c));
    r = err ? -1 : 0;
    curl_easy_cleanup(h.curl);
    curl_global_cleanup();
out:
    OPENSSL_cleanse(h.key, sizeof h.key);
    return r;
}
