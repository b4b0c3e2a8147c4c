#!/usr/bin/env bash
# watch --alert exec:CMD: the command (/bin/sh -c) gets the alert's JSON
# and a newline on its standard input, its standard output goes to watch's
# standard error; exit 0 delivers the alert, another status keeps it for
# the next run (one line naming the status), a command that outlives
# --exec-timeout is killed with its process group (one line) and the alert
# kept; a command that does not read its input still delivers.
. "$(dirname "$0")/lib.sh"
cd "$T"
"$LP" add -q --name vault --version 1.0 "$FIX/watch/vault"
LEDGER=$FIX/watch/vault/src/ledger.c
mkdir in
cp "$LEDGER" in/a.c

# fails first (exit 3): kept
cat >hook.sh <<'S'
#!/bin/sh
cat >>"$1/got"
exit "$(cat "$1/rc")"
S
chmod +x hook.sh
echo 3 >rc
run_rc "$LP" watch --inbox in --cases c.db --alert jsonl:a.jsonl \
    --alert "exec:./hook.sh '$T'" --once
expect_eq "exit failing" 2 "$rc"
expect_one_line_error "^leakprint: 'exec:./hook.sh '$T'': alert [0-9a-f]{64}: exit status 3; kept for the next run$"
expect_eq "got once" "$(cat a.jsonl)" "$(cat got)"
run_rc "$LP" cases --cases c.db status --format json
expect_eq "backlog" 1 "$(jq ".undelivered[\"exec:./hook.sh '$T'\"]" "$T/out")"

# then exit 0: delivered, the same JSON again, nothing left
echo 0 >rc
run_rc "$LP" watch --inbox in --cases c.db --alert "exec:./hook.sh '$T'" --once
expect_eq "exit ok" 0 "$rc"
expect_eq "stderr ok" "" "$(cat "$T/err")"
expect_eq "got twice" "$(cat a.jsonl a.jsonl)" "$(cat got)"
run_rc "$LP" watch --inbox in --cases c.db --alert "exec:./hook.sh '$T'" --once
expect_eq "got no more" 2 "$(wc -l <got)"

# its standard output goes to stderr, not to watch's stdout; a command
# that does not read the alert still delivers
cp "$LEDGER" in/b.c
run_rc "$LP" watch --inbox in --cases c2.db --alert "exec:echo said so" --once
expect_eq "exit echo" 0 "$rc"
expect_eq "stdout echo" "" "$(cat "$T/out")"
expect_eq "stderr echo" "said so" "$(cat "$T/err")"

# a command that hangs (and a child of it): killed after 1 s, kept
cp "$LEDGER" in/c.c
start=$(date +%s)
run_rc "$LP" watch --inbox in --cases c3.db --alert "exec:sleep 30 & echo \$! >'$T/child'; sleep 30" \
    --exec-timeout 1 --once
expect_eq "exit timeout" 2 "$rc"
expect_one_line_error "^leakprint: 'exec:sleep 30 .*': alert [0-9a-f]{64}: the command did not end within 1 s \(--exec-timeout\); kept for the next run$"
[ $(($(date +%s) - start)) -lt 20 ] || die "the timeout did not stop the command"
i=0
while kill -0 "$(cat child)" 2>/dev/null; do
    i=$((i + 1))
    [ $i -lt 250 ] || die "the command's child outlived the timeout"
    sleep 0.02
done
run_rc "$LP" cases --cases c3.db status --format json
expect_eq "backlog timeout" 1 "$(jqv '[.undelivered[]] | add')"

# a command killed by a signal
cp "$LEDGER" in/d.c
run_rc "$LP" watch --inbox in --cases c4.db --alert 'exec:kill -9 $$' --once
expect_eq "exit signal" 2 "$rc"
expect_one_line_error "^leakprint: 'exec:kill -9 \\\$\\\$': alert [0-9a-f]{64}: killed by signal 9; kept for the next run$"
run_rc "$LP" watch --inbox in --cases c4.db --alert 'exec:' --once
expect_one_line_error "^leakprint: 'exec:': exec: needs a command$"
run_rc "$LP" watch --inbox in --cases c4.db --alert 'exec:true' --exec-timeout x --once
expect_one_line_error "^leakprint: watch: --exec-timeout 'x': not a number of seconds \(more than 0, at most 86400\)$"
