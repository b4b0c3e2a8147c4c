#!/usr/bin/env bash
# Dating (issue 15, point 9): 2.0 adds a function to ring.c. Content of a
# version that the sample lacks is evidence against that version: a
# renamed copy of 1.0's ring.c is dated 1.0, one of 2.0's 2.0, and a
# partial copy of code both hold is consistent with both (best 1.0, the
# version whose file the sample explains most of).
. "$(dirname "$0")/lib.sh"
cp -r "$FIX/proj" "$T/v1"
"$LP" add -q --name gw --version 1.0 "$T/v1"
cp -r "$T/v1" "$T/v2"
cat >>"$T/v2/src/ring.c" <<'C'

/* Moves up to `max` descriptors into `out`, oldest first; returns how many. */
size_t pkt_ring_drain(struct pkt_ring *r, struct pkt_desc *out, size_t max)
{
    size_t n = 0;
    while (n < max && r->tail != r->head) {
        out[n++] = r->slots[r->tail & r->mask];
        r->tail++;
    }
    if (n)
        __atomic_thread_fence(__ATOMIC_RELEASE);
    return n;
}
C
"$LP" add -q --name gw --version 2.0 "$T/v2"

# scan_dated DIR: the JSON report of DIR in $T/out.
scan_dated() {
    run_rc "$LP" scan --format json "$1"
    expect_eq "$1 exit" 1 "$rc"
}

# A copy of 1.0's ring.c, renamed (file and identifiers).
mkdir -p "$T/s1"
sed 's/pkt_ring/packet_queue/g; s/ring_used/queue_used/g' \
    "$T/v1/src/ring.c" >"$T/s1/packet_queue.c"
scan_dated "$T/s1"
expect_eq "1.0 copy: match version" 1.0 "$(jqv '.files[0].matches[0].version')"
expect_eq "1.0 copy: coverage" 1 "$(jqv '.files[0].matches[0].coverage')"
expect_eq "1.0 copy: best" 1.0 "$(jqv .scope.collections[0].versions.best)"
expect_eq "1.0 copy: consistent" '["1.0"]' \
    "$(jqv '.scope.collections[0].versions.consistent | tojson')"
expect_eq "1.0 copy: summary" \
    "1 of 1 file comes from protected collection 'gw' (1.0)" \
    "$(jqv .verdict.summary)"
run_rc "$LP" scan "$T/s1"
grep -q "^         the sample is consistent with version 1.0 only (dated " \
    "$T/out" || die "text: not dated 1.0 only: $(cat "$T/out")"
grep -qF "<- gw:src/ring.c @1.0  " "$T/out" || die "text: match not @1.0"

# The same of 2.0's ring.c: dated 2.0.
mkdir -p "$T/s2"
sed 's/pkt_ring/packet_queue/g; s/ring_used/queue_used/g' \
    "$T/v2/src/ring.c" >"$T/s2/packet_queue.c"
scan_dated "$T/s2"
expect_eq "2.0 copy: match version" 2.0 "$(jqv '.files[0].matches[0].version')"
expect_eq "2.0 copy: best" 2.0 "$(jqv .scope.collections[0].versions.best)"
expect_eq "2.0 copy: consistent" '["2.0"]' \
    "$(jqv '.scope.collections[0].versions.consistent | tojson')"

# Byte-identical copies under other names: each dated by its own version.
mkdir -p "$T/e1" "$T/e2"
cp "$T/v1/src/ring.c" "$T/e1/r.c"
cp "$T/v2/src/ring.c" "$T/e2/r.c"
scan_dated "$T/e1"
expect_eq "exact 1.0: consistent" '["1.0"]' \
    "$(jqv '.scope.collections[0].versions.consistent | tojson')"
scan_dated "$T/e2"
expect_eq "exact 2.0: consistent" '["2.0"]' \
    "$(jqv '.scope.collections[0].versions.consistent | tojson')"

# Half of ring.c (lines 17-58, the same in both): consistent with both;
# the match names 1.0, whose file the sample explains most of.
mkdir -p "$T/p"
sed -n '17,58p' "$T/v1/src/ring.c" | sed 's/pkt_ring/pq/g' >"$T/p/part.c"
scan_dated "$T/p"
expect_eq "part: match version" 1.0 "$(jqv '.files[0].matches[0].version')"
expect_eq "part: consistent" '["1.0","2.0"]' \
    "$(jqv '.scope.collections[0].versions.consistent | tojson')"
expect_eq "part: best" 1.0 "$(jqv .scope.collections[0].versions.best)"
