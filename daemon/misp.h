/* SPDX-License-Identifier: Apache-2.0
 *
 * misp.h: the cases as a MISP feed (`leakprint cases export --format misp
 * -o DIR`; docs/cli/cases.md). A feed is a directory MISP reads as a
 * local or network feed: one `<event uuid>.json` per case ({"Event":
 * ...}: the case's items as `file` objects, the URLs they were seen at,
 * tags of the tlp, infoleak and dark-web taxonomies), `manifest.json`
 * (each event's summary by uuid) and `hashes.csv` (the MD5 of each
 * attribute value and its event's uuid, for MISP's feed correlation).
 *
 * Every uuid is derived from the content (RFC 4122 version 5, SHA-1 under
 * leakprint's own namespace): a case's event uuid from its first item's
 * SHA-256, so an export made again, or from another copy of the database,
 * updates the same events instead of adding new ones.
 */
#ifndef LP_DAEMON_MISP_H
#define LP_DAEMON_MISP_H

#include "cases.h"

/* Writes the feed of every case of c into dir (made when missing; each
 * file written to a temporary name, then renamed). org names the
 * organisation that made the events (Orgc). 0, or -1 after one line on
 * stderr naming the path and the reason. */
int lp_misp_export(struct lp_cases *c, const char *dir, const char *org);

/* Brings the feed in dir (as an export wrote it) up to date for the
 * cases of alerts (a JSON array of {id, case_id}: lp_cases_undelivered())
 * and those changed since the sink `sink` last wrote them
 * (lp_cases_touched(): an item filed into them, seen again, their status
 * set): their events are written again and manifest.json and hashes.csv
 * updated for them; the other events are left as they are. The result is
 * byte for byte what lp_misp_export() writes. A missing or foreign feed
 * (other cases) is written whole; with no alert and no case changed,
 * nothing is written. Then the sink is marked as holding every case as
 * it is now (lp_cases_feed_mark()). 0, or -1 after one line on stderr. */
int lp_misp_update(struct lp_cases *c, const char *sink, const char *dir,
                   const char *org, json_t *alerts);

/* Reads back a feed's manifest.json (mlen bytes) and hashes.csv (hlen
 * bytes) as lp_misp_export() writes them: into *manifest_out the manifest
 * (an object, its events in order), into *chunks_out each event's lines of
 * hashes.csv (an object of strings by event uuid). -1 (nothing said, both
 * NULL) for anything else: not JSON, a line not "<md5>,<uuid>\n", an
 * event's lines apart or out of the manifest's order, a uuid it lacks. */
int lp_misp_feed_parse(const char *manifest, size_t mlen, const char *hashes,
                       size_t hlen, json_t **manifest_out, json_t **chunks_out);

/* The version 5 uuid of name under namespace ns (a uuid string), as
 * "xxxxxxxx-xxxx-5xxx-yxxx-xxxxxxxxxxxx" into out (37 bytes). */
void lp_misp_uuid5(const char *ns, const char *name, char out[37]);

#endif
