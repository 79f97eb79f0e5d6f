#!/bin/sh
# limits_oom.sh: running out of memory on a huge case is a clear message
# and exit 2, never a crash or an abort. internbench runs under an
# address-space limit (ulimit -v) on inputs streamed through a pipe:
#   - 2*10^7 lines of "y": holding them (case_load) needs far more than
#     the limit, so reading fails;
#   - 4*10^6 distinct lines: they load, the table interning them does not
#     fit.
# Skipped (exit 77) where the limit cannot be applied, as under
# AddressSanitizer, which reserves terabytes of address space.
#
#   limits_oom.sh INTERNBENCH [LIMIT_KIB]
set -u
bin=$1
limit=${2:-200000}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0

if ! (ulimit -v "$limit" && "$bin" tables >/dev/null 2>&1); then
    echo "SKIP: internbench does not start under ulimit -v $limit (sanitizer build?)"
    exit 77
fi

# expect WHAT PATTERN GENERATOR ARGS...: GENERATOR's output piped into
# internbench ARGS under the limit gives exit 2 and PATTERN on stderr.
expect() {
    what=$1
    pattern=$2
    gen=$3
    shift 3
    sh -c "$gen" | (ulimit -v "$limit" && exec "$bin" "$@") \
        >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -ne 2 ]; then
        echo "FAIL: $what: exit $got, want 2"
        tail -n 5 "$tmp/out" "$tmp/err"
        fail=1
    elif ! grep -q -- "$pattern" "$tmp/err"; then
        echo "FAIL: $what: stderr lacks '$pattern':"
        cat "$tmp/err"
        fail=1
    else
        echo "ok: $what: $(head -1 "$tmp/err")"
    fi
}

expect "cases --lines, too many strings to hold" \
    '^<stdin>:[0-9]*: out of memory' \
    'yes | head -n 20000000' cases --lines -
expect "classify --lines, too many strings to hold" \
    '^<stdin>:[0-9]*: out of memory' \
    'yes | head -n 20000000' classify --lines -
expect "cases --lines, too many distinct strings for the table" \
    'out of memory' \
    'seq 1 4000000' cases --lines -
exit $fail
