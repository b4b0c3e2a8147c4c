#!/usr/bin/env bash
# kill -9 at random moments of add, many times: the registry must always
# open and answer exactly as before the add or as after it.
. "$(dirname "$0")/lib.sh"
add_proj 1.0
mkdir -p "$T/more/src"
for i in $(seq 1 40); do
    sed "s/pkt_/p${i}_/g" "$FIX/proj/src/ring.c" >"$T/more/src/ring$i.c"
done
state() {
    "$LP" list --format json | jq -c '[.collections[] | {name, v: [.versions[] | [.name, .files]]}]'
    local rc=0
    "$LP" scan -q -j 1 --format json "$T/more/src/ring7.c" >"$T/state.json" || rc=$?
    [ "$rc" -le 1 ] || return 1
    jq -c '[.files[].matches[0].asset]' "$T/state.json"
}
before=$(state)
"$LP" add -q --name more --version x "$T/more"
after=$(state)
[ "$before" != "$after" ] || die "add changed nothing"
seen_before=0; seen_after=0
for round in $(seq 1 25); do
    rm -rf "$LEAKPRINT_DB"
    add_proj 1.0
    "$LP" add -q --name more --version x "$T/more" & pid=$!
    # A random delay of 0-60 ms before the kill; nothing waits for a result.
    perl -e 'select(undef, undef, undef, rand(0.06))'
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    now=$(state) || die "round $round: registry does not answer"
    if [ "$now" == "$before" ]; then seen_before=$((seen_before + 1))
    elif [ "$now" == "$after" ]; then seen_after=$((seen_after + 1))
    else die "round $round: state is neither before nor after: $now"; fi
    # The next writer recovers and the registry takes new versions.
    "$LP" add -q --name gw --version "r$round" "$FIX/proj/docs" \
        || die "round $round: add after the crash failed"
done
echo "killed 25 times: $seen_before before, $seen_after after"
