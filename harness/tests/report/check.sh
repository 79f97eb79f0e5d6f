#!/bin/sh
# check.sh: the golden tests of `internbench report`. Small hand-made JSON
# inputs (a v2 run, a v2 --sweep n run with hit_shuffled and a batch_
# workload, a google-benchmark file with an error row, a peer without
# aggregates and one with min/max aggregates) must give expected.md byte
# for byte (--no-plots: the page does not depend on gnuplot); a v1 run
# alone expected-v1.md (v1 still reads, in v2's shapes); --plot-scripts
# the scripts of the memory/speed scatter and the ns-against-n plot as in
# expected-*.gp. Bad JSON, a file of the wrong kind and inputs from two
# machines must give exit 2 naming the file; gnuplot missing, exit 1 with
# the page written.
#
#   check.sh INTERNBENCH DIR_OF_THIS_SCRIPT
set -u
bin=$1
dir=$2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0

# golden DESCRIPTION EXPECTED OUTDIR ARGS...: the page must be EXPECTED
golden() {
    what=$1
    want=$2
    out=$3
    shift 3
    "$bin" report "$@" -o "$out" --no-plots >"$tmp/log" 2>&1
    st=$?
    if [ "$st" -ne 0 ]; then
        echo "FAIL: $what: exit $st"
        cat "$tmp/log"
        fail=1
    elif ! diff -u "$want" "$out/README.md"; then
        echo "FAIL: $what: README.md differs from $(basename "$want") (above)"
        fail=1
    elif ls "$out"/*.svg "$out"/*.gp >/dev/null 2>&1; then
        echo "FAIL: $what: --no-plots wrote a plot or a script"
        fail=1
    else
        echo "ok: $what"
    fi
}

golden "golden Markdown" "$dir/expected.md" "$tmp/out" \
    --run "$dir/run.json" --run "$dir/sweep-n.json" --bench "$dir/bench.json"
golden "a v1 run in v2's shapes" "$dir/expected-v1.md" "$tmp/v1" \
    --run "$dir/run-v1.json"

# --plot-scripts: a script per plot with data, the new plots' as expected
"$bin" report --run "$dir/run.json" --run "$dir/sweep-n.json" \
    --bench "$dir/bench.json" -o "$tmp/gp" --plot-scripts >"$tmp/log" 2>&1
st=$?
scripts=$(cd "$tmp/gp" 2>/dev/null && ls *.gp | tr '\n' ' ')
want="bytes-per-string.gp memory-speed-c-identifiers.gp \
memory-speed-json-keys.gp ns-length.gp ns-n.gp speedup-length.gp \
throughput-n.gp "
if [ "$st" -ne 0 ]; then
    echo "FAIL: --plot-scripts: exit $st"
    cat "$tmp/log"
    fail=1
elif [ "$scripts" != "$want" ]; then
    echo "FAIL: --plot-scripts wrote: $scripts; want: $want"
    fail=1
elif ! cmp -s "$tmp/gp/README.md" "$tmp/out/README.md"; then
    echo "FAIL: --plot-scripts: the page differs from --no-plots'"
    fail=1
else
    echo "ok: --plot-scripts: a script per plot"
fi
for s in memory-speed-json-keys ns-n; do
    if ! diff -u "$dir/expected-$s.gp" "$tmp/gp/$s.gp"; then
        echo "FAIL: $s.gp differs from expected-$s.gp (above)"
        fail=1
    else
        echo "ok: $s.gp"
    fi
done

# no gnuplot: the page is written all the same, exit 1 naming the cause
PATH=/nonexistent "$bin" report --run "$dir/run.json" -o "$tmp/nognuplot" \
    >"$tmp/log" 2>&1
st=$?
if [ "$st" -ne 1 ] || ! grep -q "gnuplot not found" "$tmp/log" ||
    [ ! -s "$tmp/nognuplot/README.md" ]; then
    echo "FAIL: without gnuplot: exit $st, want 1 with the page written"
    cat "$tmp/log"
    fail=1
else
    echo "ok: without gnuplot: exit 1, the page written"
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

# google-benchmark files from another host, with other caches, misnamed
sed 's/"host_name": "example"/"host_name": "elsewhere"/' "$dir/bench.json" \
    >"$tmp/bench-host.json"
sed 's/"size": 2097152/"size": 1048576/' "$dir/bench.json" \
    >"$tmp/bench-caches.json"
sed 's|"run_name": "build/json-keys/open/manual_time"|"run_name": "oops"|' \
    "$dir/bench.json" >"$tmp/bench-name.json"

want2 "bad JSON" "$dir/bad.json:5:" --run "$dir/bad.json"
want2 "bad JSON beside a good input" "$dir/bad.json" \
    --run "$dir/run.json" --bench "$dir/bad.json"
want2 "missing file" "$tmp/none.json" --run "$tmp/none.json"
want2 "bench JSON as --run" "$dir/bench.json: not the JSON of internbench run" \
    --run "$dir/bench.json"
want2 "run JSON as --bench" "$dir/run.json: not google-benchmark JSON" \
    --bench "$dir/run.json"
want2 "a benchmark not WORKLOAD/CASE/TABLE" \
    "$tmp/bench-name.json: benchmarks[0] (oops): not WORKLOAD/CASE/TABLE" \
    --bench "$tmp/bench-name.json"
want2 "two machines" "come from different machines (cpu" \
    --run "$dir/run.json" --run "$dir/other-machine.json"
want2 "a run and a benchmark from two hosts" \
    "$dir/run.json and $tmp/bench-host.json come from different machines (host 'example' vs 'elsewhere')" \
    --run "$dir/run.json" --bench "$tmp/bench-host.json"
want2 "a run and a benchmark with other caches" \
    "come from different machines (caches 'L1 Data 48K, L2 Unified 2048K' vs 'L1 Data 48K, L2 Unified 1024K')" \
    --run "$dir/run.json" --bench "$tmp/bench-caches.json"
want2 "no input" "no input"
want2 "unknown option" "unknown option '--frobnicate'" --frobnicate
want2 "an operand" "unknown argument 'extra'" --run "$dir/run.json" extra
exit $fail
