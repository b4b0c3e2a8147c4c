/* pktq.c: lock-free packet queue for the flowtop capture tool. */
#include "pq.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static uint32_t next_pow(uint32_t x)
{
	if (x < 2)
		return 2;
	x--;
	x |= x >> 1;
	x |= x >> 2;
	x |= x >> 4;
	x |= x >> 8;
	x |= x >> 16;
	return x + 1;
}

struct pq_buf *pq_create(uint32_t cap)
{
	struct pq_buf *q;
	size_t nb;

	if (cap == 0 || cap > AGW_RING_MAX_SLOTS) {
		errno = EINVAL;
		return NULL;
	}
	cap = next_pow(cap);
	nb = sizeof(*q) + (size_t)cap * sizeof(q->cap[0]);
	nb = (nb + AGW_CACHELINE - 1) & ~(size_t)(AGW_CACHELINE - 1);
	q = aligned_alloc(AGW_CACHELINE, nb);
	if (!q)
		return NULL;
	memset(q, 0, nb);
	atomic_init(&q->head, 0);
	atomic_init(&q->tail, 0);
	q->size = cap;
	q->mask = cap - 1;
	agw_dbg("queue %p: %u cap, %zu nb", (void *)q, cap, nb);
	return q;
}

void pq_destroy(struct pq_buf *q)
{
	if (!q)
		return;
	if (pq_count(q))
		agw_warn("queue %p destroyed with %u packets queued", (void *)q,
			 pq_count(q));
	free(q);
}

unsigned pq_enqueue_burst(struct pq_buf *q, struct agw_pkt **pkts,
				unsigned n)
{
	uint32_t head = atomic_load_explicit(&q->head, memory_order_relaxed);
	uint32_t tail = atomic_load_explicit(&q->tail, memory_order_acquire);
	uint32_t room = q->size - (head - tail);
	unsigned i;

	if (n > room) {
		q->drops += n - room;
		n = room;
	}
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		q->cap[(head + i) & q->mask] = pkts[i];
	atomic_store_explicit(&q->head, head + n, memory_order_release);
	q->enqueued += n;
	return n;
}

unsigned pq_dequeue_burst(struct pq_buf *q, struct agw_pkt **pkts,
				unsigned max)
{
	uint32_t tail = atomic_load_explicit(&q->tail, memory_order_relaxed);
	uint32_t head = atomic_load_explicit(&q->head, memory_order_acquire);
	uint32_t avail = head - tail;
	unsigned i;

	if (avail > max)
		avail = max;
	if (avail == 0)
		return 0;
	for (i = 0; i < avail; i++) {
		struct agw_pkt *p = q->cap[(tail + i) & q->mask];

		__builtin_prefetch(p->data);
		pkts[i] = p;
	}
	atomic_store_explicit(&q->tail, tail + avail, memory_order_release);
	return avail;
}

size_t pq_snapshot(const struct pq_buf *q, uint16_t *ports,
			 uint16_t *lens, size_t cap);

size_t pq_snapshot(const struct pq_buf *q, uint16_t *ports,
			 uint16_t *lens, size_t cap)
{
	uint32_t tail = atomic_load_explicit(&q->tail, memory_order_acquire);
	uint32_t n = pq_count(q);
	size_t i;

	if (n > cap)
		n = (uint32_t)cap;
	for (i = 0; i < n; i++) {
		const struct agw_pkt *p = q->cap[(tail + i) & q->mask];

		ports[i] = p->port;
		lens[i] = p->len;
	}
	return i;
}
