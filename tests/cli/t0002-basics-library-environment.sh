#!/usr/bin/env bash
# The library has no hidden process-level side effects: it reads no
# environment variable, runs no program found on the PATH and makes no
# directory it was not asked for (lp_registry_open with
# LP_REGISTRY_CREATE); what the environment decides comes in as options
# (the tool reads the variables). The test hooks (a commit that dies at a
# named step) are in test objects only, never in the library or the tool.
. "$(dirname "$0")/lib.sh"
root=$(cd "$TESTS_DIR/../.." && pwd)
cd "$root"

found=$(grep -rn getenv src || true)
expect_eq "getenv in src" "" "$found"
found=$(grep -rnE '\b(secure_getenv|setenv|unsetenv|putenv|clearenv|execvp|execlp|execvpe|system|popen|posix_spawnp|mkdtemp|tmpfile|chdir|umask)[[:space:]]*\(' src || true)
expect_eq "environment, PATH or process calls in src" "" "$found"
found=$(grep -rlE '\bmkdir(at)?[[:space:]]*\(' src || true)
expect_eq "mkdir in src" "src/index/registry.c" "$found"

# (grep reads whole outputs: an early exit would fail the pipe, unseen)
# the release library, and the tool as built (not run: $LP runs it)
for f in "$BUILD_DIR/libleakprint.a" "$BUILD_DIR/leakprint"; do
    [ -f "$f" ] || die "'$f' not built"
    syms=$(nm "$f" 2>/dev/null)
    ! grep lp_registry_test_hooks <<<"$syms" >/dev/null || die "'$f' has the test hooks"
    text=$(strings "$f")
    ! grep -E 'LP_CRASH_POINT|LP_TXN_FLUSH_ENTRIES|after-manifest' <<<"$text" >/dev/null \
        || die "'$f' names a crash point"
done
