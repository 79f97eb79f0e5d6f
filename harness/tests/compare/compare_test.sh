#!/bin/sh
# compare_test.sh: 'internbench compare' on planted inputs (this folder),
# and 'internbench metrics' deterministic from run to run.
#   compare_test.sh INTERNBENCH SOURCE_DIR
# base.json is a real metrics file cut to json-keys × {chained, open}; the
# others differ from it by one planted change each (see README
# "Regression tracking"). Exit 0 when every expectation holds.
set -u
bin=$1
root=$2
dir=$root/harness/tests/compare
pass=0
fail=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

# expect WANT_STATUS PATTERN ARGS...: runs 'internbench ARGS', checks the
# exit status and that PATTERN (grep -E, "" for none) is in its output.
expect() {
    want=$1
    pattern=$2
    shift 2
    "$bin" "$@" >"$tmp/out" 2>&1
    got=$?
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: internbench $*: exit $got, want $want"
        cat "$tmp/out"
        fail=$((fail + 1))
    elif [ -n "$pattern" ] && ! grep -Eq -- "$pattern" "$tmp/out"; then
        echo "FAIL: internbench $*: output lacks /$pattern/"
        cat "$tmp/out"
        fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
}

expect 0 "ok: no metric worse" compare "$dir/base.json" "$dir/base.json"
expect 0 "\(no changes\)" compare "$dir/base.json" "$dir/base.json"
# a planted 1-byte memory regression (one table's total bytes + 1)
expect 1 "chained +bytes_per_string .*WORSE" \
    compare "$dir/base.json" "$dir/mem-1byte.json"
# a planted 3% instruction regression (open's hit pass)
expect 1 "open +instr_hit .*\+3\.000% +2% +WORSE" \
    compare "$dir/base.json" "$dir/instr-3pct.json"
# 1% is within the default 2%; a raised threshold lets 3% pass
expect 0 "instr_hit .*worse, within limit" \
    compare "$dir/base.json" "$dir/instr-1pct.json"
expect 0 "ok: no metric worse" \
    compare "$dir/base.json" "$dir/instr-3pct.json" --threshold instructions=5
expect 0 "ok: no metric worse" \
    compare "$dir/base.json" "$dir/mem-1byte.json" --threshold 1
# improvements pass, and reversed they are regressions
expect 0 "open +allocations .*better" \
    compare "$dir/base.json" "$dir/better.json"
expect 1 "FAIL: 8 metrics worse" compare "$dir/better.json" "$dir/base.json"
# a row of the baseline missing from the current file fails; a new one passes
expect 1 "open +probes_miss .*MISSING" \
    compare "$dir/base.json" "$dir/missing.json"
expect 0 "open +probes_miss .* new" \
    compare "$dir/missing.json" "$dir/base.json"
# bad input: exit 2, naming the file
expect 2 "bad-syntax\.json:[0-9]+:[0-9]+: " \
    compare "$dir/base.json" "$dir/bad-syntax.json"
expect 2 "bad-format\.json: not a metrics file" \
    compare "$dir/bad-format.json" "$dir/base.json"
expect 2 "bad-value\.json: metrics\[[0-9]+\]: needs a number" \
    compare "$dir/base.json" "$dir/bad-value.json"
expect 2 "no-such\.json: " compare "$dir/base.json" "$dir/no-such.json"
expect 2 "threshold" compare "$dir/base.json" "$dir/base.json" --threshold x
expect 2 "unknown kind" \
    compare "$dir/base.json" "$dir/base.json" --threshold speed=1
expect 2 "usage" compare "$dir/base.json"
# the committed baseline is a valid metrics file
expect 0 "ok: no metric worse" \
    compare "$root/harness/tests/regress/baseline.json" "$root/harness/tests/regress/baseline.json"

# metrics: the same numbers twice (no callgrind here: CTest stays quick
# and runs under ASan; .ci/run checks the instruction counts)
for n in 1 2; do
    expect 0 "json-keys +open " metrics --no-instructions \
        --cases-dir "$root/cases" --case json-keys --case gen-ident-1e3 \
        --json "$tmp/m$n.json"
done
if cmp -s "$tmp/m1.json" "$tmp/m2.json"; then
    pass=$((pass + 1))
else
    echo "FAIL: two metrics runs differ"
    diff "$tmp/m1.json" "$tmp/m2.json" | head -20
    fail=$((fail + 1))
fi
expect 0 "ok: no metric worse" compare "$tmp/m1.json" "$tmp/m2.json"
expect 2 "no table 'nope'" metrics --no-instructions --table nope
expect 2 "no case 'nope'" metrics --no-instructions --case nope

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
