/*
 * acme-gateway - flow session table
 *
 * Copyright (c) 2019-2024 Acme Networks Ltd. All rights reserved.
 * CONFIDENTIAL AND PROPRIETARY. (Demo material: imaginary company.)
 *
 * A chained hash table keyed by the 5-tuple plus zone, with a global LRU list
 * for idle expiry. A session is found from either direction: the reverse
 * lookup swaps source and destination. Sessions come from a fixed pool sized
 * at start-up so the data path never calls malloc.
 */
#include "session.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"

struct agw_sess_table {
	struct agw_session **buckets;
	size_t nbuckets, mask;
	struct agw_session *pool, *free_list;
	size_t max_sessions;
	struct agw_session lru; /* sentinel: lru.lru_next is the oldest */
	struct agw_sess_stats st;
	uint32_t seed;
};

static inline uint32_t mix32(uint32_t h, uint32_t v)
{
	v *= 0xcc9e2d51u;
	v = (v << 15) | (v >> 17);
	v *= 0x1b873593u;
	h ^= v;
	h = (h << 13) | (h >> 19);
	return h * 5 + 0xe6546b64u;
}

static uint32_t flow_hash(const struct agw_sess_table *t,
			  const struct agw_flow_key *k)
{
	const uint32_t *w;
	uint32_t h = t->seed;
	size_t i;

	w = (const uint32_t *)&k->src;
	for (i = 0; i < 4; i++)
		h = mix32(h, w[i]);
	w = (const uint32_t *)&k->dst;
	for (i = 0; i < 4; i++)
		h = mix32(h, w[i]);
	h = mix32(h, ((uint32_t)k->sport << 16) | k->dport);
	h = mix32(h, ((uint32_t)k->proto << 8) | k->zone);
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	return h;
}

static void reverse_key(const struct agw_flow_key *in, struct agw_flow_key *out)
{
	*out = *in;
	out->src = in->dst;
	out->dst = in->src;
	out->sport = in->dport;
	out->dport = in->sport;
}

static bool key_equal(const struct agw_flow_key *a, const struct agw_flow_key *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

static void lru_unlink(struct agw_session *s)
{
	s->lru_prev->lru_next = s->lru_next;
	s->lru_next->lru_prev = s->lru_prev;
}

static void lru_push_tail(struct agw_sess_table *t, struct agw_session *s)
{
	s->lru_prev = t->lru.lru_prev;
	s->lru_next = &t->lru;
	t->lru.lru_prev->lru_next = s;
	t->lru.lru_prev = s;
}

struct agw_sess_table *agw_sess_table_create(size_t buckets, size_t max_sessions)
{
	struct agw_sess_table *t;
	size_t n = 1;

	while (n < buckets)
		n <<= 1;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->buckets = calloc(n, sizeof(*t->buckets));
	t->pool = calloc(max_sessions, sizeof(*t->pool));
	if (!t->buckets || !t->pool) {
		free(t->buckets);
		free(t->pool);
		free(t);
		return NULL;
	}
	t->nbuckets = n;
	t->mask = n - 1;
	t->max_sessions = max_sessions;
	for (size_t i = max_sessions; i-- > 0;) {
		t->pool[i].hnext = t->free_list;
		t->free_list = &t->pool[i];
	}
	t->lru.lru_next = t->lru.lru_prev = &t->lru;
	t->seed = (uint32_t)random();
	agw_info("session table: %zu buckets, %zu sessions max", n, max_sessions);
	return t;
}

void agw_sess_table_destroy(struct agw_sess_table *t)
{
	if (!t)
		return;
	free(t->buckets);
	free(t->pool);
	free(t);
}

static struct agw_session *find_in_bucket(struct agw_sess_table *t,
					  const struct agw_flow_key *key)
{
	struct agw_session *s = t->buckets[flow_hash(t, key) & t->mask];

	for (; s; s = s->hnext)
		if (key_equal(&s->key, key))
			return s;
	return NULL;
}

struct agw_session *agw_sess_lookup(struct agw_sess_table *t,
				    const struct agw_flow_key *key,
				    bool *reverse)
{
	struct agw_flow_key rk;
	struct agw_session *s;

	t->st.lookups++;
	s = find_in_bucket(t, key);
	if (s) {
		*reverse = false;
		t->st.hits++;
		return s;
	}
	reverse_key(key, &rk);
	s = find_in_bucket(t, &rk);
	if (s) {
		*reverse = true;
		t->st.hits++;
	}
	return s;
}

static void unhash(struct agw_sess_table *t, struct agw_session *s)
{
	struct agw_session **pp = &t->buckets[flow_hash(t, &s->key) & t->mask];

	while (*pp && *pp != s)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = s->hnext;
}

static void release(struct agw_sess_table *t, struct agw_session *s)
{
	unhash(t, s);
	lru_unlink(s);
	memset(s, 0, sizeof(*s));
	s->hnext = t->free_list;
	t->free_list = s;
	t->st.active--;
}

struct agw_session *agw_sess_insert(struct agw_sess_table *t,
				    const struct agw_flow_key *key,
				    uint64_t now_ns)
{
	struct agw_session *s = t->free_list;
	size_t b;

	if (!s) {
		/* Table full: recycle the least recently used session. */
		if (t->lru.lru_next == &t->lru) {
			t->st.alloc_failures++;
			return NULL;
		}
		release(t, t->lru.lru_next);
		t->st.evictions++;
		s = t->free_list;
	}
	t->free_list = s->hnext;
	s->key = *key;
	s->state = AGW_SESS_NEW;
	s->created_ns = s->last_seen_ns = now_ns;
	b = flow_hash(t, key) & t->mask;
	s->hnext = t->buckets[b];
	t->buckets[b] = s;
	lru_push_tail(t, s);
	t->st.inserts++;
	t->st.active++;
	return s;
}

void agw_sess_touch(struct agw_sess_table *t, struct agw_session *s,
		    bool reverse, uint32_t bytes, uint64_t now_ns)
{
	s->pkts[reverse]++;
	s->bytes[reverse] += bytes;
	s->last_seen_ns = now_ns;
	if (reverse && s->state == AGW_SESS_NEW)
		s->state = AGW_SESS_ESTABLISHED;
	lru_unlink(s);
	lru_push_tail(t, s);
}

static uint64_t idle_limit_ns(const struct agw_session *s)
{
	switch (s->key.proto) {
	case IPPROTO_TCP:
		return s->state == AGW_SESS_CLOSED ? 10ull * 1000000000ull
			: (uint64_t)AGW_SESS_IDLE_TCP_S * 1000000000ull;
	case IPPROTO_UDP:
		return (uint64_t)AGW_SESS_IDLE_UDP_S * 1000000000ull;
	default:
		return (uint64_t)AGW_SESS_IDLE_OTHER_S * 1000000000ull;
	}
}

size_t agw_sess_expire(struct agw_sess_table *t, uint64_t now_ns, size_t budget)
{
	size_t n = 0;

	while (n < budget && t->lru.lru_next != &t->lru) {
		struct agw_session *s = t->lru.lru_next;

		if (now_ns - s->last_seen_ns < idle_limit_ns(s))
			break;
		release(t, s);
		n++;
	}
	t->st.expired += n;
	return n;
}

void agw_sess_stats(const struct agw_sess_table *t, struct agw_sess_stats *out)
{
	*out = t->st;
}

int agw_sess_foreach(struct agw_sess_table *t, agw_sess_visit_fn fn, void *arg)
{
	for (struct agw_session *s = t->lru.lru_next; s != &t->lru; s = s->lru_next) {
		int rc = fn(s, arg);

		if (rc)
			return rc;
	}
	return 0;
}
