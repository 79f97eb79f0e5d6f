#!/bin/sh
# check.sh: the golden test of `internbench report`. Small hand-made JSON
# inputs (a run, a --sweep n run, a google-benchmark file with an error
# row and a peer without aggregates) must give expected.md byte for byte
# (--no-plots: the page does not depend on gnuplot); bad JSON, a file of
# the wrong kind and inputs from two machines must give exit 2 naming
# the file.
#
#   check.sh INTERNBENCH DIR_OF_THIS_SCRIPT
set -u
bin=$1
dir=$2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0

"$bin" report --run "$dir/run.json" --run "$dir/sweep-n.json" \
    --bench "$dir/bench.json" -o "$tmp/out" --no-plots >"$tmp/log" 2>&1
st=$?
if [ "$st" -ne 0 ]; then
    echo "FAIL: golden: exit $st"
    cat "$tmp/log"
    fail=1
elif ! diff -u "$dir/expected.md" "$tmp/out/README.md"; then
    echo "FAIL: golden: README.md differs from expected.md (above)"
    fail=1
elif ls "$tmp/out"/*.svg >/dev/null 2>&1; then
    echo "FAIL: golden: --no-plots wrote a plot"
    fail=1
else
    echo "ok: golden Markdown"
fi

# --from DIR: the standard names that exist; another machine's left out
mkdir "$tmp/from"
cp "$dir/run.json" "$tmp/from/latest.json"
cp "$dir/other-machine.json" "$tmp/from/sweep-len.json"
cp "$dir/bench.json" "$tmp/from/bench.json"
"$bin" report --from "$tmp/from" -o "$tmp/from-out" --no-plots \
    >"$tmp/log" 2>&1
st=$?
if [ "$st" -ne 0 ]; then
    echo "FAIL: --from: exit $st"
    cat "$tmp/log"
    fail=1
elif ! grep -q "left out .*sweep-len.json" "$tmp/log" ||
    grep -q "sweep-len.json" "$tmp/from-out/README.md" ||
    ! grep -q "^| bench.json |" "$tmp/from-out/README.md"; then
    echo "FAIL: --from: sweep-len.json (another machine) not left out"
    cat "$tmp/log"
    fail=1
else
    echo "ok: --from leaves out another machine's file, with a note"
fi

want2() { # description expected-text-in-stderr args...
    what=$1
    text=$2
    shift 2
    "$bin" report "$@" -o "$tmp/bad" --no-plots >"$tmp/log" 2>&1
    st=$?
    if [ "$st" -ne 2 ]; then
        echo "FAIL: $what: exit $st, want 2"
        cat "$tmp/log"
        fail=1
    elif ! grep -qF -- "$text" "$tmp/log"; then
        echo "FAIL: $what: the message does not say '$text'"
        cat "$tmp/log"
        fail=1
    elif [ -e "$tmp/bad/README.md" ]; then
        echo "FAIL: $what: README.md written anyway"
        fail=1
    else
        echo "ok: $what (exit 2)"
    fi
}

want2 "bad JSON" "$dir/bad.json:5:" --run "$dir/bad.json"
want2 "bad JSON beside a good input" "$dir/bad.json" \
    --run "$dir/run.json" --bench "$dir/bad.json"
want2 "missing file" "$tmp/none.json" --run "$tmp/none.json"
want2 "bench JSON as --run" "$dir/bench.json: not the JSON of internbench run" \
    --run "$dir/bench.json"
want2 "run JSON as --bench" "$dir/run.json: not google-benchmark JSON" \
    --bench "$dir/run.json"
want2 "two machines" "come from different machines (cpu" \
    --run "$dir/run.json" --run "$dir/other-machine.json"
want2 "no input" "no input"
want2 "unknown argument" "unknown argument" --frobnicate
exit $fail
