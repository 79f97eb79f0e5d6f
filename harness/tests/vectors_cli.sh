#!/bin/sh
# vectors_cli.sh: internbench classify and verify as a user runs them:
# --help, exit codes, --version, --each on a --lines file.
#
#   vectors_cli.sh INTERNBENCH SOURCE_DIR
set -u
bin=$1
src=$2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0

expect() { # status description command...
    want=$1
    what=$2
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: $what: exit $got, want $want"
        cat "$tmp/out" "$tmp/err"
        fail=1
    else
        echo "ok: $what"
    fi
}

expect 0 "classify --help" "$bin" classify --help
grep -q '^usage: internbench classify' "$tmp/out" || { echo "FAIL: help text"; fail=1; }
expect 0 "verify --help" "$bin" verify --help
expect 2 "classify with no case" "$bin" classify
expect 2 "classify with a bad option" "$bin" classify --bogus
expect 2 "classify of a missing file" "$bin" classify --lines "$tmp/none"
expect 2 "verify with no case" "$bin" verify
expect 2 "verify of an unknown table" "$bin" verify --table nope gen-ident-1e3
expect 2 "verify of an unknown case" "$bin" verify --cases-dir "$src/cases" \
    --vectors-dir "$src/vectors/cases" no-such-case
expect 0 "classify --version" "$bin" classify --version
grep -Eq '^PCRE2 .*(JIT|interpreter)' "$tmp/out" || {
    echo "FAIL: --version does not say JIT or interpreter"; cat "$tmp/out"; fail=1; }

# --each on a --lines file: escaped strings and their classes
printf 'hello\n123\n\303\251\n\377x\nhello world\n\n' >"$tmp/lines.txt"
expect 0 "classify --each --lines" "$bin" classify --each --lines "$tmp/lines.txt"
cat >"$tmp/want" <<'WANT'
hello	ascii,utf8,name_chars,identifier,py_identifier
123	ascii,utf8,name_chars,digits,number
é	utf8,py_identifier,latin1_char
\xFFx	binary
hello world	ascii,utf8,space
	empty,ascii,utf8,name_chars
WANT
if ! cmp -s "$tmp/want" "$tmp/out"; then
    echo "FAIL: classify --each output"
    diff "$tmp/want" "$tmp/out"
    fail=1
fi
expect 0 "classify --lines counts" "$bin" classify --lines "$tmp/lines.txt"
grep -Eq '^name_chars +3 ' "$tmp/out" || { echo "FAIL: counts"; cat "$tmp/out"; fail=1; }
grep -Eq '^binary +1 +16.67% +2$' "$tmp/out" || { echo "FAIL: binary bytes"; cat "$tmp/out"; fail=1; }
exit $fail
