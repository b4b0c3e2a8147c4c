#!/usr/bin/env bash
# add --public registers background material: content held only by public
# collections is never reported; content also held by a protected
# collection still is.
. "$(dirname "$0")/lib.sh"
"$LP" add -q --public --name upstream --version 1 "$FIX/proj/src"
run_rc "$LP" scan --format json "$FIX/proj"
expect_eq "public only exit" 0 "$rc"
expect_eq "public only level" none "$(jqv .verdict.level)"
run_rc "$LP" list --format json
expect_eq "public flag" true "$(jqv '.collections[0].public')"
add_proj 1.0
run_rc "$LP" scan --format json "$FIX/proj/src/ring.c"
expect_eq "protected exit" 1 "$rc"
expect_eq "protected collection" gw "$(jqv '.files[0].matches[0].collection')"
