#!/bin/sh
# regress.sh: the regression check (CTest test `regression`, label
# regression). Collects `internbench metrics` (bytes, allocations, probes
# and callgrind instructions per op on a small fixed workload) with
# BUILD_DIR's internbench and compares them with baseline.json beside
# this script: exit 1 when a metric is worse than its threshold
# (harness/README.md, "Regression tracking").
#
#   regress.sh BUILD_DIR             check
#   regress.sh --rewrite BUILD_DIR   rewrite baseline.json instead
#
# Instruction counts depend on the compiler and its flags, so the
# baseline comes from the test preset's build (gcc, RelWithDebInfo, no
# extra C flags), the one CI checks. In another build the check is
# skipped (exit 77, which CTest reports as skipped) and --rewrite is
# refused, unless REGRESS_FORCE=1.
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
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
bin=$build/internbench
baseline=$here/baseline.json
current=$build/regress-current.json
if [ ! -x "$bin" ]; then
    echo "regress.sh: no $bin: build BUILD_DIR first" >&2
    exit 2
fi
cache=$build/CMakeCache.txt
type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$cache" 2>/dev/null)
flags=$(sed -n 's/^CMAKE_C_FLAGS:[A-Z]*=//p' "$cache" 2>/dev/null)
compiler=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$cache" 2>/dev/null)
if [ "${REGRESS_FORCE:-0}" != 1 ] &&
    { [ "$type" != RelWithDebInfo ] || [ -n "$flags" ] ||
        "$compiler" --version 2>/dev/null | grep -qi clang; }; then
    echo "regress.sh: $build is not a test-preset build (build type" \
        "'$type', CMAKE_C_FLAGS '$flags'); the baseline holds the test" \
        "preset's numbers. Use the test preset, or REGRESS_FORCE=1."
    [ $rewrite = 1 ] && exit 2
    exit 77
fi
if ! command -v valgrind >/dev/null 2>&1; then
    echo "regress.sh: valgrind is not installed (harness/bootstrap installs it)"
    exit 77
fi
start=$(date +%s)
"$bin" metrics --cases-dir "$root/cases" --json "$current" || exit $?
echo "regress.sh: metrics in $(($(date +%s) - start)) s -> $current"
if [ $rewrite = 1 ]; then
    cp "$current" "$baseline" || exit 2
    echo "regress.sh: wrote harness/tests/regress/baseline.json; commit it" \
        "with the change that moves it, and say why"
    exit 0
fi
echo
exec "$bin" compare "$baseline" "$current"
