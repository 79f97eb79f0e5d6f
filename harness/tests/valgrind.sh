#!/bin/sh
# valgrind.sh: valgrind memcheck over the conformance suite and the fuzz
# corpora: no error, no leak (CTest test `memcheck`, label memcheck). The identity aspect runs on 10^5 keys (not 10^6);
# the growth aspect (2^20 keys, 20 growths: three minutes under
# valgrind) only with VALGRIND_GROWTH=1, since identity's keys already
# grow every table through a dozen resizes. About a minute on two cores.
# Skipped (exit 77) without valgrind or in a sanitizer build, whose
# shadow memory valgrind cannot run.
#
#   valgrind.sh BUILD_DIR [IDENTITY_KEYS]
set -u
build=$1
keys=${2:-100000}
tests=$build/harness/tests
src=$(cd "$(dirname "$0")" && pwd)
if ! command -v valgrind >/dev/null 2>&1; then
    echo "valgrind.sh: valgrind is not installed (harness/bootstrap installs it)"
    exit 77
fi
if grep -q 'fsanitize' "$build/CMakeCache.txt" 2>/dev/null; then
    echo "valgrind.sh: $build is a sanitizer build: memcheck skipped"
    exit 77
fi
fail=0
run() { # description command...
    what=$1
    shift
    start=$(date +%s)
    if valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \
        --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \
        --quiet "$@" >"$tmp/out" 2>&1; then
        echo "ok: $what ($(($(date +%s) - start)) s, $(tail -n 1 "$tmp/out"))"
    else
        echo "FAIL: $what"
        cat "$tmp/out"
        fail=1
    fi
}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

conf=$tests/test_conformance_identity
run "conformance identity, $keys keys" "$conf" identity "$keys"
aspects="stats faults bigkey batch"
[ "${VALGRIND_GROWTH:-0}" = 1 ] && aspects="growth $aspects"
for aspect in $aspects; do
    run "conformance $aspect" "$conf" "$aspect"
done
run "fuzz corpus: case reader" "$tests/fuzz_replay_case_reader" "$src/fuzz/corpus/case_reader"
run "fuzz corpus: tables" "$tests/fuzz_replay_table" "$src/fuzz/corpus/table"
exit $fail
