#!/bin/sh
# regress.sh: the regression check, run by .ci/run after the tests.
# Collects 'internbench metrics' (bytes, allocations, probes and callgrind
# instructions per op on a small fixed workload) with BUILD_DIR's
# internbench and compares them with results/baseline.json: exit 1 when a
# metric is worse than its threshold (README "Regression tracking").
#
#   regress.sh BUILD_DIR             check (CI: build/test)
#   regress.sh --rewrite BUILD_DIR   rewrite results/baseline.json instead
#
# Instruction counts depend on the compiler and its flags, so the
# baseline must come from the test preset's build (RelWithDebInfo, no
# extra C flags), the one CI checks: --rewrite refuses another build type
# or extra CMAKE_C_FLAGS unless REGRESS_FORCE=1.
set -u
rewrite=0
if [ "${1:-}" = --rewrite ]; then
    rewrite=1
    shift
fi
if [ $# -ne 1 ]; then
    echo "usage: regress.sh [--rewrite] BUILD_DIR" >&2
    exit 2
fi
build=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$build/internbench
baseline=$root/results/baseline.json
current=$build/regress-current.json
if [ ! -x "$bin" ]; then
    echo "regress.sh: no $bin: build BUILD_DIR first" >&2
    exit 2
fi
if [ $rewrite = 1 ] && [ "${REGRESS_FORCE:-0}" != 1 ]; then
    cache=$build/CMakeCache.txt
    type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$cache" 2>/dev/null)
    flags=$(sed -n 's/^CMAKE_C_FLAGS:[A-Z]*=//p' "$cache" 2>/dev/null)
    if [ "$type" != RelWithDebInfo ] || [ -n "$flags" ]; then
        echo "regress.sh: $build is not a test-preset build (build type" \
            "'$type', CMAKE_C_FLAGS '$flags'); CI compares against the test" \
            "preset's numbers. Use build/test, or REGRESS_FORCE=1." >&2
        exit 2
    fi
fi
start=$(date +%s)
"$bin" metrics --cases-dir "$root/cases" --json "$current" || exit $?
echo "regress.sh: metrics in $(($(date +%s) - start)) s -> $current"
if [ $rewrite = 1 ]; then
    cp "$current" "$baseline" || exit 2
    echo "regress.sh: wrote results/baseline.json; commit it with the change that moves it"
    exit 0
fi
echo
exec "$bin" compare "$baseline" "$current"
