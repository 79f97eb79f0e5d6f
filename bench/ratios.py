#!/usr/bin/env python3
"""ratios.py: the performance targets of bench/ from one google-benchmark
JSON file (internbench_bench --benchmark_out=FILE --benchmark_out_format=json).

For each case: how many times faster our table (default: open) is than each
peer on build and hit (peer time / our time, from the medians when the run
has repetitions), and bytes per string of every row. Targets: >= 1.25x
Abseil's flat_hash_set, >= 3x CPython's and GLib's intern, fewer bytes per
string than every peer. Usage: bench/ratios.py results/bench.json [--table T]
Exit status: 0 every target met, 1 a target missed (counted at the end),
2 bad usage.
"""
import json
import sys

TARGETS = {"absl_flat_hash_set": 1.25, "cpython_intern": 3.0, "glib_intern": 3.0}


def load(path):
    with open(path) as f:
        doc = json.load(f)
    rows = {}
    for b in doc["benchmarks"]:
        if b.get("error_occurred"):
            continue
        agg = b.get("aggregate_name")
        if agg not in (None, "median"):
            continue
        name = b.get("run_name", b["name"]).replace("/manual_time", "")
        parts = name.split("/")
        if len(parts) != 3:
            continue
        if agg is None and rows.get(tuple(parts), {}).get("_median"):
            continue
        b["_median"] = agg == "median"
        rows[tuple(parts)] = b
    return rows


def main():
    args = sys.argv[1:]
    ours = "open"
    if "--table" in args:
        i = args.index("--table")
        ours = args[i + 1]
        del args[i:i + 2]
    if len(args) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    rows = load(args[0])
    cases = sorted({c for (_, c, _) in rows}, key=lambda c: (c.startswith("gen"), c))
    peers = sorted({t for (_, _, t) in rows})
    short = 0
    for case in cases:
        print(f"== {case} (ratio = peer time / {ours} time; >1: {ours} faster)")
        for w in ("build", "hit", "miss"):
            mine = rows.get((w, case, ours))
            if not mine:
                continue
            for p in peers:
                other = rows.get((w, case, p))
                if not other or p == ours:
                    continue
                r = other["real_time"] / mine["real_time"]
                want = TARGETS.get(p) if w in ("build", "hit") else None
                mark = ""
                if want:
                    mark = "  ok" if r >= want else f"  SHORT of {want}x"
                    short += r < want
                print(f"  {w:5} {p:22} {r:6.2f}x{mark}")
        mine = rows.get(("build", case, ours))
        if mine:
            b = mine["bytes_per_string"]
            print(f"  bytes/string: {ours} {b:.1f}")
            for p in peers:
                other = rows.get(("build", case, p))
                if other and p != ours and not p.endswith("@fork"):
                    o = other["bytes_per_string"]
                    mark = "  ok" if b < o else "  MORE"
                    short += b >= o and not p.startswith(("chained", "radix", "open"))
                    print(f"    {p:22} {o:7.1f}{mark}")
    if short:
        print(f"{short} target{'s' if short != 1 else ''} missed")
        return 1
    print("every target met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
