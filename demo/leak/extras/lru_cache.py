"""A tiny least-recently-used cache with per-entry expiry.

    cache = LRUCache(capacity=1000, ttl=60)
    cache.put("key", value)
    cache.get("key")          # -> value, or None when missing or expired
"""

import time
from collections import OrderedDict


class LRUCache:
    def __init__(self, capacity=128, ttl=None, clock=time.monotonic):
        if capacity <= 0:
            raise ValueError("capacity must be positive")
        self.capacity = capacity
        self.ttl = ttl
        self.clock = clock
        self._items = OrderedDict()
        self.hits = 0
        self.misses = 0

    def __len__(self):
        return len(self._items)

    def __contains__(self, key):
        return self.get(key, count=False) is not None

    def get(self, key, default=None, count=True):
        entry = self._items.get(key)
        if entry is not None:
            value, stamp = entry
            if self.ttl is None or self.clock() - stamp < self.ttl:
                self._items.move_to_end(key)
                if count:
                    self.hits += 1
                return value
            del self._items[key]
        if count:
            self.misses += 1
        return default

    def put(self, key, value):
        self._items[key] = (value, self.clock())
        self._items.move_to_end(key)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)

    def purge_expired(self):
        if self.ttl is None:
            return 0
        now = self.clock()
        stale = [k for k, (_, t) in self._items.items() if now - t >= self.ttl]
        for k in stale:
            del self._items[k]
        return len(stale)


if __name__ == "__main__":
    fake_now = [0.0]
    c = LRUCache(capacity=2, ttl=10, clock=lambda: fake_now[0])
    c.put("a", 1)
    c.put("b", 2)
    c.get("a")
    c.put("c", 3)          # evicts "b", the least recently used
    assert "b" not in c and c.get("a") == 1
    fake_now[0] = 11.0
    assert c.get("a") is None
    print("ok: hits=%d misses=%d" % (c.hits, c.misses))
