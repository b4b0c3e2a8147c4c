#!/usr/bin/env bash
# Issue 15, point 3: VMS build procedures (DCL .com files, MMS descriptions)
# are build files: a project's makevms.com that shares the compiler
# detection idiom of the registered build_vms.com (similarity 0.34, once
# "likely" as prose) is not reported; a copy with the library renamed is.
. "$(dirname "$0")/lib.sh"
F=$FIX/vms-build
"$LP" add -q --name ringbuf "$F/prot"
run_rc "$LP" scan -j 1 --format json "$F/leak"
expect_eq "exit" 0 "$rc"
expect_eq "level" none "$(jqv '.verdict.level')"
expect_eq "files" 0 "$(jqv '.files | length')"
[ ! -s "$T/err" ] || die "stderr: $(cat "$T/err")"

mkdir -p "$T/leak"
sed 's/ringbuf/queuelib/g' "$F/prot/build_vms.com" > "$T/leak/make_queue.com"
run_rc "$LP" scan -j 1 --format json "$T/leak"
expect_eq "exit copy" 1 "$rc"
expect_eq "matched" '["build_vms.com"]' \
    "$(jqv '[.files[].matches[0].asset] | tojson')"
expect_eq "kind" code "$(jqv '.files[0].kind')"
echo ok
