/* SPDX-License-Identifier: Apache-2.0
 *
 * rules_exposures: what a leak tells of the inside of a network, beside
 * its secrets: private IPv4 addresses (RFC 1918) and host names under the
 * suffixes organisations use internally (RFC 6762's .local, RFC 8375's
 * home.arpa, and the customary corp, internal, intranet, lan, private),
 * where a host is named: after "://" or "@" (in code, "cfg.local" is a
 * field, not a host).
 * Reported under "exposures" with their value (they are no secrets).
 * Each rule's examples are made up.
 */
#include "rules.h"

#include "banned.h"

/* One octet, 0-255, without a leading zero. */
#define OCT "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
/* The address must not continue (a version number 10.1.2.3.4) and must
 * not be the tail of a longer number. */
#define IP_END "(?:[^0-9.]|\\.[^0-9]|\\z)"
#define IP_START "(?:^|[^0-9.])"

const struct lp_rule lp_rules_exposures[] = {
    {.id = "private-ipv4-10", .format = "private IPv4 address (10/8)",
     .category = "internal-address",
     .hs = IP_START "10\\." OCT "\\." OCT "\\." OCT IP_END,
     .pcre = IP_START "(?<secret>10\\." OCT "\\." OCT "\\." OCT ")" IP_END,
     .flags = LP_RULE_EXPOSURE,
     .positive = "DB_HOST=10.20.30.40\n", .positive_value = "10.20.30.40",
     .negative = "version 110.20.30.40.5"},
    {.id = "private-ipv4-172", .format = "private IPv4 address (172.16/12)",
     .category = "internal-address",
     .hs = IP_START "172\\.(?:1[6-9]|2[0-9]|3[01])\\." OCT "\\." OCT IP_END,
     .pcre = IP_START "(?<secret>172\\.(?:1[6-9]|2[0-9]|3[01])\\." OCT "\\."
             OCT ")" IP_END,
     .flags = LP_RULE_EXPOSURE,
     .positive = "server 172.20.1.5:8080;", .positive_value = "172.20.1.5",
     .negative = "server 172.32.1.5:8080;"},
    {.id = "private-ipv4-192", .format = "private IPv4 address (192.168/16)",
     .category = "internal-address",
     .hs = IP_START "192\\.168\\." OCT "\\." OCT IP_END,
     .pcre = IP_START "(?<secret>192\\.168\\." OCT "\\." OCT ")" IP_END,
     .flags = LP_RULE_EXPOSURE,
     .positive = "ping 192.168.7.21 ", .positive_value = "192.168.7.21",
     .negative = "ping 192.169.7.21 "},
    {.id = "internal-hostname", .format = "internal host name",
     .category = "internal-hostname",
     .hs = "(?:://|@)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.){1,6}"
           "(?:corp|internal|intranet|lan|private|local|localdomain|"
           "home\\.arpa)(?:[^a-z0-9.-]|\\.[^a-z0-9]|\\z)",
     .pcre = "(?:://|@)(?<secret>(?:[a-z0-9](?:[a-z0-9-]{0,61}"
             "[a-z0-9])?\\.){1,6}(?:corp|internal|intranet|lan|private|local|"
             "localdomain|home\\.arpa))(?:[^a-z0-9.-]|\\.[^a-z0-9]|\\z)",
     .flags = LP_RULE_EXPOSURE | LP_RULE_CASELESS,
     .positive = "url: https://build01.eu.acme.corp/jobs",
     .positive_value = "build01.eu.acme.corp",
     .negative = "see https://www.example.com/corp/jobs"},
    {.id = NULL},
};
