/*
 * acme-gateway - single-producer / single-consumer packet ring
 *
 * Copyright (c) 2019-2024 Acme Networks Ltd. All rights reserved.
 * CONFIDENTIAL AND PROPRIETARY. (Demo material: imaginary company.)
 */
#include "ring.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static uint32_t round_up_pow2(uint32_t v)
{
	if (v < 2)
		return 2;
	v--;
	v |= v >> 1;
	v |= v >> 2;
	v |= v >> 4;
	v |= v >> 8;
	v |= v >> 16;
	return v + 1;
}

struct agw_ring *agw_ring_create(uint32_t slots)
{
	struct agw_ring *r;
	size_t bytes;

	if (slots == 0 || slots > AGW_RING_MAX_SLOTS) {
		errno = EINVAL;
		return NULL;
	}
	slots = round_up_pow2(slots);
	bytes = sizeof(*r) + (size_t)slots * sizeof(r->slots[0]);
	bytes = (bytes + AGW_CACHELINE - 1) & ~(size_t)(AGW_CACHELINE - 1);
	r = aligned_alloc(AGW_CACHELINE, bytes);
	if (!r)
		return NULL;
	memset(r, 0, bytes);
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	r->size = slots;
	r->mask = slots - 1;
	agw_dbg("ring %p: %u slots, %zu bytes", (void *)r, slots, bytes);
	return r;
}

void agw_ring_destroy(struct agw_ring *r)
{
	if (!r)
		return;
	if (agw_ring_count(r))
		agw_warn("ring %p destroyed with %u packets queued", (void *)r,
			 agw_ring_count(r));
	free(r);
}

/*
 * Producer side. Copies up to n descriptors into the ring and publishes them
 * with a single release store of head, so the consumer sees either none or
 * all of them. Returns how many were queued; the rest count as drops and stay
 * owned by the caller.
 */
unsigned agw_ring_enqueue_burst(struct agw_ring *r, struct agw_pkt **pkts,
				unsigned n)
{
	uint32_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	uint32_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
	uint32_t room = r->size - (head - tail);
	unsigned i;

	if (n > room) {
		r->drops += n - room;
		n = room;
	}
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		r->slots[(head + i) & r->mask] = pkts[i];
	atomic_store_explicit(&r->head, head + n, memory_order_release);
	r->enqueued += n;
	return n;
}

/*
 * Consumer side. Takes up to max descriptors in FIFO order. The acquire load
 * of head pairs with the producer's release store: slot contents written
 * before the store are visible after the load.
 */
unsigned agw_ring_dequeue_burst(struct agw_ring *r, struct agw_pkt **pkts,
				unsigned max)
{
	uint32_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	uint32_t head = atomic_load_explicit(&r->head, memory_order_acquire);
	uint32_t avail = head - tail;
	unsigned i;

	if (avail > max)
		avail = max;
	if (avail == 0)
		return 0;
	for (i = 0; i < avail; i++) {
		struct agw_pkt *p = r->slots[(tail + i) & r->mask];

		__builtin_prefetch(p->data);
		pkts[i] = p;
	}
	atomic_store_explicit(&r->tail, tail + avail, memory_order_release);
	return avail;
}

/*
 * Debug helper used by "show ring <port>": walks the queued descriptors
 * without consuming them. Only safe while the producer is paused.
 */
size_t agw_ring_snapshot(const struct agw_ring *r, uint16_t *ports,
			 uint16_t *lens, size_t cap);

size_t agw_ring_snapshot(const struct agw_ring *r, uint16_t *ports,
			 uint16_t *lens, size_t cap)
{
	uint32_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
	uint32_t n = agw_ring_count(r);
	size_t i;

	if (n > cap)
		n = (uint32_t)cap;
	for (i = 0; i < n; i++) {
		const struct agw_pkt *p = r->slots[(tail + i) & r->mask];

		ports[i] = p->port;
		lens[i] = p->len;
	}
	return i;
}
