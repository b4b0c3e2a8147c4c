/* SPDX-License-Identifier: Apache-2.0
 *
 * rules: the list of built-in rule tables (see rules.h).
 */
#include "rules.h"

#include "banned.h"

const struct lp_rule *const *lp_rules_tables(size_t *n)
{
    /* Specific formats first: at the same end, their finding stands and a
     * generic assignment around the same value is not reported again. */
    static const struct lp_rule *const tables[] = {
        lp_rules_services, lp_rules_generic, lp_rules_exposures};
    *n = sizeof tables / sizeof tables[0];
    return tables;
}
