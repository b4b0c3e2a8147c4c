/*
 * acme-gateway - single-producer / single-consumer packet ring
 *
 * Copyright (c) 2019-2024 Acme Networks Ltd. All rights reserved.
 * CONFIDENTIAL AND PROPRIETARY. (Demo material: imaginary company.)
 *
 * The RX thread of each port produces packet descriptors, one worker
 * consumes them. Slots are a power of two; head and tail are free-running
 * 32-bit counters kept on separate cache lines.
 */
#ifndef AGW_RING_H
#define AGW_RING_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AGW_CACHELINE 64
#define AGW_RING_MAX_SLOTS (1u << 20)
#define AGW_PKT_HEADROOM 128

struct agw_pkt {
	uint8_t *data;      /* start of the frame, after headroom */
	uint16_t len;       /* frame length in bytes */
	uint16_t port;      /* ingress port index */
	uint32_t flow_hash; /* computed by the NIC when available, else 0 */
	uint64_t rx_ns;     /* receive timestamp (CLOCK_MONOTONIC) */
	void *pool_cookie;  /* owner buffer pool, for agw_pkt_free() */
};

struct agw_ring {
	_Alignas(AGW_CACHELINE) _Atomic uint32_t head; /* written by producer */
	_Alignas(AGW_CACHELINE) _Atomic uint32_t tail; /* written by consumer */
	_Alignas(AGW_CACHELINE) uint32_t mask;
	uint32_t size;
	uint64_t drops;     /* producer side: ring was full */
	uint64_t enqueued;
	struct agw_pkt *slots[];
};

struct agw_ring *agw_ring_create(uint32_t slots);
void agw_ring_destroy(struct agw_ring *r);

unsigned agw_ring_enqueue_burst(struct agw_ring *r, struct agw_pkt **pkts,
				unsigned n);
unsigned agw_ring_dequeue_burst(struct agw_ring *r, struct agw_pkt **pkts,
				unsigned max);

static inline uint32_t agw_ring_count(const struct agw_ring *r)
{
	uint32_t head = atomic_load_explicit(&r->head, memory_order_acquire);
	uint32_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);

	return head - tail;
}

static inline bool agw_ring_empty(const struct agw_ring *r)
{
	return agw_ring_count(r) == 0;
}

static inline uint32_t agw_ring_free_slots(const struct agw_ring *r)
{
	return r->size - agw_ring_count(r);
}

#endif /* AGW_RING_H */
