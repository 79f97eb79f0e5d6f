#!/bin/sh
# install_examples.sh: the table library as a user gets it. Installs
# BUILD_DIR into a temporary prefix (cmake --install), then builds the
# example program out of tree against that copy twice, with pkg-config and
# with find_package(intern), and runs both. Skipped (77) in sanitizer
# builds, whose library wants the sanitizer runtime at link time.
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
exit $fail
