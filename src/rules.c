/* SPDX-License-Identifier: Apache-2.0
 *
 * rules: the list of built-in rule tables (see rules.h).
 */
#include "rules.h"

#include "banned.h"

/* Until the tables of rules_*.c land, a starter set. */
static const struct lp_rule starter[] = {
    {.id = "aws-access-key-id", .format = "AWS access key ID",
     .category = "cloud-credential",
     .hs = "(A3T[A-Z0-9]|AKIA|ASIA)[A-Z2-7]{16}",
     .pcre = "(?<secret>(?:A3T[A-Z0-9]|AKIA|ASIA)[A-Z2-7]{16})",
     .min_len = 20, .max_len = 20, .min_entropy = 3,
     .positive = "aws_access_key_id=AKIAZZZZ2222EXAMPLEX",
     .positive_value = "AKIAZZZZ2222EXAMPLEX", .negative = "AKIA1234"},
    {.id = NULL},
};

const struct lp_rule *const *lp_rules_tables(size_t *n)
{
    static const struct lp_rule *const tables[] = {starter};
    *n = sizeof tables / sizeof tables[0];
    return tables;
}
