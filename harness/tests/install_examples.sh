#!/bin/sh
# install_examples.sh: the table library as a user gets it. Installs
# BUILD_DIR into a temporary prefix (cmake --install), then builds the
# examples out of tree against that copy (the program with pkg-config and
# with find_package(intern), the example plugin and its two wrong builds
# with find_package) and runs them: the program, and the plugin through
# run, verify and the benchmark binary, whose wrong builds must be caught.
# Skipped (77) in sanitizer builds, whose library wants the sanitizer
# runtime at link time.
#
#   install_examples.sh BUILD_DIR SOURCE_DIR
set -u
build=$1
src=$2
if grep -q 'fsanitize' "$build/CMakeCache.txt" 2>/dev/null; then
    echo "install_examples.sh: a sanitizer build: skipped"
    exit 77
fi
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0
step() { # what command...
    what=$1
    shift
    if "$@" >"$tmp/out" 2>&1; then
        echo "ok: $what"
    else
        echo "FAIL: $what"
        cat "$tmp/out"
        fail=1
    fi
}
prefix=$tmp/prefix
step "cmake --install into a temporary prefix" \
    cmake --install "$build" --prefix "$prefix"
libdir=$(dirname "$(find "$prefix" -name intern.pc | head -n 1)")/..
export PKG_CONFIG_PATH="$libdir/pkgconfig"
export LD_LIBRARY_PATH="$libdir"
# a library a program links must not take names it does not own
others=$(nm -D --defined-only "$libdir/libintern.so" | awk '{ print $3 }' |
    grep -v '^intern_')
if [ -n "$others" ]; then
    echo "FAIL: libintern.so exports symbols outside intern_*:"
    echo "$others"
    fail=1
else
    echo "ok: every symbol libintern.so exports starts with intern_"
fi
ex=$src/harness/examples
# shellcheck disable=SC2046
step "hello_intern with pkg-config" \
    cc -std=c11 -Wall -Wextra -Werror "$ex/hello_intern.c" \
    $(pkg-config --cflags --libs intern) -o "$tmp/hello_pc"
step "hello_intern (pkg-config) runs" "$tmp/hello_pc"
step "examples with find_package(intern)" \
    cmake -S "$ex" -B "$tmp/ex" -DCMAKE_PREFIX_PATH="$prefix"
step "examples build" cmake --build "$tmp/ex"
step "hello_intern (find_package) runs" "$tmp/ex/hello_intern"

# expect STATUS PATTERN what command...: the exit status and a line of
# the output matching PATTERN
expect() {
    want=$1 pattern=$2 what=$3
    shift 3
    "$@" >"$tmp/out" 2>&1
    got=$?
    if [ "$got" -eq "$want" ] && grep -Eq "$pattern" "$tmp/out"; then
        echo "ok: $what (exit $got)"
    else
        echo "FAIL: $what: exit $got (want $want), output:"
        cat "$tmp/out"
        fail=1
    fi
}
ib=$build/internbench
plugin=$tmp/ex/example_plugin.so
expect 0 "^json-keys +example_linear " "run times the plugin's table beside ours" \
    "$ib" run --load "$plugin" --cases-dir "$src/cases" --case json-keys \
    --reps 1 --workload build --workload hit --workload batch_hit
expect 2 "example_plugin_abi.so: built against interface version 999; this internbench has version [0-9]+" \
    "a plugin of another interface version is refused, both versions named" \
    "$ib" run --load "$tmp/ex/example_plugin_abi.so" --case json-keys
expect 2 "no-such-plugin.so" "a missing plugin file is named" \
    "$ib" run --load "$tmp/no-such-plugin.so" --case json-keys
expect 2 "exports no internbench_plugin" "a library that is no plugin is refused" \
    "$ib" run --load "$libdir/libintern.so" --case json-keys
expect 0 "^ok conformance batch, table example_linear" \
    "verify --load runs every conformance aspect on the plugin's table" \
    "$ib" verify --load "$plugin"
expect 1 "^MISMATCH conformance identity, table example_linear" \
    "verify --load fails the plugin that returns a wrong handle, naming the aspect" \
    "$ib" verify --load "$tmp/ex/example_plugin_broken.so" \
    --aspect identity --aspect growth
if [ -x "$build/bench/internbench_bench" ]; then
    expect 0 "^hit/json-keys/example_linear" \
        "the benchmark binary times the plugin's table beside the peers" \
        "$build/bench/internbench_bench" --load="$plugin" \
        --cases=json-keys --tables=example_linear,open \
        --benchmark_min_time=0.01
fi
exit $fail
