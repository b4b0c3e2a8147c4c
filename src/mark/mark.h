/* SPDX-License-Identifier: Apache-2.0
 *
 * mark: a recipient's Tardos codeword (tardos.h) written into a
 * collection's C files through their carriers (carrier.h), and read back
 * from a leak (issue 18; docs/CANARY.md).
 *
 * The plan says which site carries which position of the code. Sites are
 * named by their context keys, so a plan holds no path: a leaked file
 * that was moved, renamed, reformatted or cut still names its sites. Of
 * every key of the collection (a key found in several files is one slot:
 * every site of it carries the same bit), the keys ranked first by
 * HMAC-SHA256 of the marking key and the site key (an order nobody
 * without the key can predict) carry positions 0, 1, ... up to the code
 * length; the others are left as they are written. A mark changes a
 * planned site only when its spelling differs from the recipient's bit
 * (a bit b is spelling b: an increment's third spelling, x += 1, is
 * never written, and read back as nothing).
 *
 * Reading counts, per position, the sites that spell 0 and those that
 * spell 1 over every file of the leak; a position is the majority's bit,
 * or erased on a tie or when no site of it was found.
 */
#ifndef LP_MARK_H
#define LP_MARK_H

#include <stddef.h>
#include <stdint.h>

#include "leakprint.h"
#include "tardos.h"

/* One slot of a plan: the sites of key carry position pos. */
struct lp_mark_slot {
    uint64_t key;
    uint32_t pos;
};

/* Which keys carry which positions (sorted by key). */
struct lp_mark_plan {
    struct lp_mark_slot *slots;
    size_t n; /* slots: min(distinct keys, m) */
    size_t m; /* the code length */
};

/* Builds the plan of a code of length m over the site keys keys[0..nkeys)
 * of a collection (duplicates allowed), ranked by HMAC-SHA256 of key.
 * LP_OK, LP_EINVAL (m 0 or above LP_TARDOS_MAX_LEN), LP_ENOMEM. Release
 * with lp_mark_plan_release(). */
lp_err lp_mark_plan_build(const uint8_t key[LP_TARDOS_KEY_LEN],
                          const uint64_t *keys, size_t nkeys, size_t m,
                          struct lp_mark_plan *out);

/* Frees the plan; accepts a zeroed one. */
void lp_mark_plan_release(struct lp_mark_plan *p);

/* The position site key carries, or -1 when it carries none. */
long lp_mark_plan_pos(const struct lp_mark_plan *p, uint64_t key);

/* Recipient's copy of the C text text[0..len) into *out (caller frees
 * with lp_free; *outlen bytes, NUL-terminated): each site of a planned
 * key spelled the recipient's bit of its position; the rest as it is.
 * *changed (may be NULL): the sites whose spelling changed. Errors of
 * the carriers (a one-line reason in err). */
lp_err lp_mark_text(const struct lp_mark_plan *p, const struct lp_tardos *code,
                    size_t recipient, const char *text, size_t len,
                    char **out, size_t *outlen, size_t *changed, char *err,
                    size_t errlen);

/* The votes of a leak read file by file: per position, the sites found
 * spelling 0 and spelling 1. */
struct lp_mark_votes {
    uint32_t *zeros, *ones;
    size_t m;
    size_t sites; /* planned sites found in all */
};

/* Empty votes for a plan's code length. LP_OK, LP_ENOMEM. */
lp_err lp_mark_votes_init(struct lp_mark_votes *v, size_t m);

/* Frees the votes; accepts zeroed ones. */
void lp_mark_votes_release(struct lp_mark_votes *v);

/* Adds the planned sites a (possibly altered) C text text[0..len) carries
 * to v. Errors of the carriers (a one-line reason in err). */
lp_err lp_mark_read_text(const struct lp_mark_plan *p,
                         struct lp_mark_votes *v, const char *text,
                         size_t len, char *err, size_t errlen);

/* The leak's word y[0..m): per position the majority's bit, -1 on a tie
 * or when no site was found. */
void lp_mark_votes_word(const struct lp_mark_votes *v, int8_t *y);

#endif
