#!/bin/sh
# run_smoke.sh: `internbench run` on a tiny case with one repetition;
# the JSON, CSV and Markdown are written and the JSON is checked against
# the fields the README documents (run_check_json.py). Then a copy of the
# case's vector with its digest changed must make the run exit 1 with a
# MISMATCH line naming the case, and bad usage must give exit 2.
#
#   run_smoke.sh INTERNBENCH SOURCE_DIR PYTHON3
set -u
bin=$1
src=$2
py=$3
case_name=python-urls
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0

"$bin" run --cases-dir "$src/cases" --vectors-dir "$src/vectors/cases" \
    --case "$case_name" --lines "$src/cases/README.md" --reps 1 \
    --records 100 --json "$tmp/r.json" --csv "$tmp/r.csv" --md "$tmp/r.md" \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -ne 0 ]; then
    echo "FAIL: run exit $rc"
    cat "$tmp/out" "$tmp/err"
    fail=1
else
    echo "ok: run exit 0"
    for w in build hit hit_shuffled miss batch_build batch_hit \
        batch_hit_shuffled batch_miss memory floor identity policy smallint; do
        grep -q "^$w" "$tmp/out" || { echo "FAIL: no $w table on stdout"; fail=1; }
    done
    [ -s "$tmp/err" ] && { echo "FAIL: stderr not empty (not a terminal)"; cat "$tmp/err"; fail=1; }
    "$py" "$src/harness/tests/run_check_json.py" "$tmp/r.json" "$tmp/r.csv" \
        "$tmp/r.md" || fail=1
fi

# a wrong digest: exit 1, the case named
sed 's/^digest: .*/digest: 0000000000000001/' \
    "$src/vectors/cases/$case_name.vec" >"$tmp/$case_name.vec"
"$bin" run --cases-dir "$src/cases" --vectors-dir "$tmp" --case "$case_name" \
    --reps 1 --workload build >"$tmp/out" 2>&1
rc=$?
if [ "$rc" -ne 1 ] || ! grep -q "MISMATCH case $case_name, table .*: digest: expected 0000000000000001" "$tmp/out"; then
    echo "FAIL: wrong digest: exit $rc, want 1 and a MISMATCH naming the digest"
    cat "$tmp/out"
    fail=1
else
    echo "ok: a wrong vector fails the run (exit 1)"
fi

# counts above a million stay exact in the JSON (python-identifiers has
# 1662515 key bytes; six significant digits would write 1662520)
"$bin" run --cases-dir "$src/cases" --case python-identifiers \
    --workload policy --reps 1 --json "$tmp/p.json" >"$tmp/out" 2>&1
rc=$?
if [ "$rc" -ne 0 ] || ! "$py" "$src/harness/tests/run_check_json.py" "$tmp/p.json" >"$tmp/check" 2>&1; then
    echo "FAIL: policy counts on python-identifiers: exit $rc"
    cat "$tmp/out" "$tmp/check"
    fail=1
else
    echo "ok: counts above a million are exact"
fi

# identity with every registered table: rows for each, however many
all_tables=$("$bin" tables | awk '{ printf "--table %s ", $1 }')
# shellcheck disable=SC2086
"$bin" run --workload identity --reps 1 --records 10 $all_tables \
    --json "$tmp/id.json" >"$tmp/out" 2>&1
rc=$?
if [ "$rc" -ne 0 ] || ! "$py" "$src/harness/tests/run_check_json.py" "$tmp/id.json" >"$tmp/check" 2>&1; then
    echo "FAIL: identity over every table: exit $rc"
    cat "$tmp/out" "$tmp/check"
    fail=1
else
    echo "ok: identity rows for every registered table"
fi

# bad usage and bad input: exit 2
for args in "--reps 0" "--workload nope" "--table nope" "--case no-such-case" "--sweep x"; do
    # shellcheck disable=SC2086
    "$bin" run --cases-dir "$src/cases" $args >"$tmp/out" 2>&1
    rc=$?
    if [ "$rc" -ne 2 ]; then
        echo "FAIL: run $args: exit $rc, want 2"
        fail=1
    else
        echo "ok: run $args (exit 2)"
    fi
done
exit $fail
