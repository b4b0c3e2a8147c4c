/*
 * acme-gateway - flow session table
 *
 * Copyright (c) 2019-2024 Acme Networks Ltd. All rights reserved.
 * CONFIDENTIAL AND PROPRIETARY. (Demo material: imaginary company.)
 */
#ifndef AGW_SESSION_H
#define AGW_SESSION_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AGW_SESS_DEFAULT_BUCKETS 65536
#define AGW_SESS_IDLE_TCP_S 3600
#define AGW_SESS_IDLE_UDP_S 120
#define AGW_SESS_IDLE_OTHER_S 60

enum agw_sess_state {
	AGW_SESS_NEW = 0,
	AGW_SESS_ESTABLISHED,
	AGW_SESS_CLOSING,
	AGW_SESS_CLOSED,
};

struct agw_flow_key {
	struct in6_addr src, dst; /* IPv4 is stored v4-mapped */
	uint16_t sport, dport;
	uint8_t proto;
	uint8_t zone;
	uint16_t pad;
};

struct agw_session {
	struct agw_flow_key key;
	struct agw_session *hnext;          /* hash chain */
	struct agw_session *lru_prev, *lru_next;
	enum agw_sess_state state;
	uint64_t created_ns, last_seen_ns;
	uint64_t pkts[2], bytes[2];         /* [0] forward, [1] reverse */
	uint32_t policy_id;
	uint32_t nat_index;
};

struct agw_sess_stats {
	uint64_t lookups, hits, inserts, evictions, expired, alloc_failures;
	size_t active;
};

struct agw_sess_table;

struct agw_sess_table *agw_sess_table_create(size_t buckets, size_t max_sessions);
void agw_sess_table_destroy(struct agw_sess_table *t);

struct agw_session *agw_sess_lookup(struct agw_sess_table *t,
				    const struct agw_flow_key *key,
				    bool *reverse);
struct agw_session *agw_sess_insert(struct agw_sess_table *t,
				    const struct agw_flow_key *key,
				    uint64_t now_ns);
void agw_sess_touch(struct agw_sess_table *t, struct agw_session *s,
		    bool reverse, uint32_t bytes, uint64_t now_ns);
size_t agw_sess_expire(struct agw_sess_table *t, uint64_t now_ns, size_t budget);
void agw_sess_stats(const struct agw_sess_table *t, struct agw_sess_stats *out);

typedef int (*agw_sess_visit_fn)(const struct agw_session *s, void *arg);
int agw_sess_foreach(struct agw_sess_table *t, agw_sess_visit_fn fn, void *arg);

#endif /* AGW_SESSION_H */
