/* SPDX-License-Identifier: Apache-2.0
 *
 * Unit tests of licence: the built-in background table (sorted, distinct,
 * names in range), lookups of a licence's own fingerprints (read from
 * /usr/share/common-licenses, always there on Debian) whole and inside
 * other prose, of prose that is no licence, and the names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fingerprint.h"
#include "licence.h"
#include "normalize.h"
#include "testutil.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    fclose(f);
    buf[*len] = '\0';
    return buf;
}

/* The winnowed fingerprints of text as a scanned prose file gets them. */
static void prose_fps(const char *text, size_t len, struct lp_fps *out)
{
    struct lp_tokens tok;
    lp_tokens_init(&tok);
    assert_int_equal(lp_normalize(LP_LANG_TEXT, text, len, &tok), LP_OK);
    assert_int_equal(lp_fingerprint(tok.v, tok.n, LP_FP_K, LP_FP_W, out),
                     LP_OK);
    lp_tokens_release(&tok);
}

static void test_table(void **state)
{
    (void)state;
    /* Debian's common licences are always in it (at least 15 texts). */
    assert_true(lp_licence_nnames >= 15);
    assert_true(lp_licence_nhashes > 1000);
    for (size_t i = 0; i < lp_licence_nhashes; i++) {
        if (i)
            assert_true(lp_licence_hashes[i - 1] < lp_licence_hashes[i]);
        assert_true(lp_licence_of[i] < lp_licence_nnames);
        /* each hash lies in its bucket */
        size_t b = (size_t)(lp_licence_hashes[i] >> (64 - LP_LICENCE_BUCKET_BITS));
        assert_true(lp_licence_index[b] <= i && i < lp_licence_index[b + 1]);
        size_t bit = (size_t)(lp_licence_hashes[i] >> (64 - LP_LICENCE_BITS_LOG));
        assert_true(lp_licence_bits[bit / 64] >> (bit % 64) & 1);
    }
    assert_int_equal(lp_licence_index[0], 0);
    assert_int_equal(lp_licence_index[LP_LICENCE_BUCKETS], lp_licence_nhashes);
    assert_int_equal(lp_licence_lookup(lp_licence_hashes[0]),
                     lp_licence_of[0] + 1);
    size_t last = lp_licence_nhashes - 1;
    assert_int_equal(lp_licence_lookup(lp_licence_hashes[last]),
                     lp_licence_of[last] + 1);
    if (lp_licence_hashes[0] > 0)
        assert_int_equal(lp_licence_lookup(lp_licence_hashes[0] - 1), 0);
    if (lp_licence_hashes[last] < UINT64_MAX)
        assert_int_equal(lp_licence_lookup(lp_licence_hashes[last] + 1), 0);
}

static void test_names(void **state)
{
    (void)state;
    assert_null(lp_licence_name(0));
    assert_null(lp_licence_name((unsigned)lp_licence_nnames + 1));
    unsigned id = lp_licence_find("GPL-2", 5);
    assert_true(id > 0);
    assert_string_equal(lp_licence_name(id), "GPL-2");
    assert_int_equal(lp_licence_find("GPL-2x", 6), 0);
    assert_int_equal(lp_licence_find("GPL", 3), 0); /* an alias: not a text */
    assert_string_equal(lp_licence_name(lp_licence_find("LGPL-2.1", 8)),
                        "LGPL-2.1");
}

/* Every fingerprint of GPL-2 and LGPL-2.1 is found, and most of them are
 * named after the licence itself (passages the LGPL shares with the GPL
 * are named GPL-2, which comes first). */
static void whole(const char *path, const char *name, unsigned min_own_pct)
{
    size_t len, own = 0;
    char *text = slurp(path, &len);
    struct lp_fps f;
    lp_fps_init(&f);
    prose_fps(text, len, &f);
    assert_true(f.n > 50);
    unsigned self = lp_licence_find(name, strlen(name));
    for (size_t i = 0; i < f.n; i++) {
        unsigned id = lp_licence_lookup(f.v[i].hash);
        assert_true(id != 0);
        own += id == self;
    }
    assert_true(100 * own >= min_own_pct * f.n);
    lp_fps_release(&f);
    free(text);
}

static void test_whole_texts(void **state)
{
    (void)state;
    whole("/usr/share/common-licenses/GPL-2", "GPL-2", 100);
    whole("/usr/share/common-licenses/LGPL-2.1", "LGPL-2.1", 50);
}

/* A paragraph of prose of no licence: none of its fingerprints is in the
 * background; with a GPL-2 passage pasted in its middle, the fingerprints
 * of the passage are, whatever winnowing chose around them. */
static void test_inside_prose(void **state)
{
    (void)state;
    static const char own[] =
        "The gateway keeps a ring of frames for each radio link and hands\n"
        "them to the scheduler in the order the modem delivered them; a\n"
        "frame that waits longer than its deadline is dropped and counted\n"
        "in the link statistics that the operator console shows hourly.\n";
    size_t len;
    char *gpl = slurp("/usr/share/common-licenses/GPL-2", &len);
    const char *from = strstr(gpl, "  When we speak of free software");
    assert_non_null(from);
    const char *to = strstr(from, "\n\n");
    assert_non_null(to);
    size_t plen = (size_t)(to - from), n = 2 * sizeof own + plen;
    char *mix = malloc(n + 1);
    assert_non_null(mix);
    memcpy(mix, own, sizeof own - 1);
    memcpy(mix + sizeof own - 1, from, plen);
    mix[sizeof own - 1 + plen] = '\n';
    memcpy(mix + sizeof own + plen, own, sizeof own);

    struct lp_fps f;
    lp_fps_init(&f);
    prose_fps(own, sizeof own - 1, &f);
    assert_true(f.n > 0);
    for (size_t i = 0; i < f.n; i++)
        assert_int_equal(lp_licence_lookup(f.v[i].hash), 0);

    /* Lines 5 to 5 + the passage's lines hold the passage. */
    uint32_t first = 5, last = 5;
    for (const char *p = from; p < to; p++)
        last += *p == '\n';
    prose_fps(mix, strlen(mix), &f);
    size_t inside = 0, found = 0;
    for (size_t i = 0; i < f.n; i++) {
        bool in = f.v[i].first >= first && f.v[i].last <= last;
        unsigned id = lp_licence_lookup(f.v[i].hash);
        inside += in;
        found += in && id;
        if (!in)
            continue;
        assert_string_equal(lp_licence_name(id), "GPL-2");
    }
    assert_true(inside >= 3);
    assert_int_equal(found, inside);
    lp_fps_release(&f);
    free(mix);
    free(gpl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_whole_texts),
        cmocka_unit_test(test_inside_prose),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
