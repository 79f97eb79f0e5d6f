#!/usr/bin/env python3
"""run_check_json.py: checks the JSON of `internbench run` against the
fields the README documents ("Reading the results"), and that the CSV and
Markdown files agree with it. Standard library only.

    run_check_json.py RESULT.json [RESULT.csv [RESULT.md]]

Exit 0 when every check holds, 1 otherwise (each failure printed)."""
import csv
import json
import sys

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def has(obj, key, kind, where):
    check(isinstance(obj, dict) and key in obj, f"{where}: no '{key}'")
    if isinstance(obj, dict) and key in obj:
        check(isinstance(obj[key], kind),
              f"{where}.{key}: {type(obj[key]).__name__}, want {kind}")


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    num = (int, float)
    has(doc, "format", str, "top")
    check(doc.get("format") == "internbench-run v2", "format: not v2")
    has(doc, "status", str, "top")
    check(doc.get("status") == "ok", f"status: {doc.get('status')}")
    has(doc, "failures", list, "top")
    check(doc.get("failures") == [], "failures: not empty")

    ctx = doc.get("context", {})
    has(doc, "context", dict, "top")
    for key in ("date", "host", "cpu", "compiler", "build_type", "flags",
                "git_commit", "internbench_version"):
        has(ctx, key, str, "context")
    has(ctx, "logical_cpus", int, "context")
    has(ctx, "caches", list, "context")
    for c in ctx.get("caches", []):
        has(c, "level", int, "context.caches[]")
        has(c, "type", str, "context.caches[]")
        has(c, "size", str, "context.caches[]")
    check("/" not in ctx.get("git_commit", ""), "git_commit holds a path")

    st = doc.get("settings", {})
    has(doc, "settings", dict, "top")
    for key in ("reps", "warmup", "records", "keys"):
        has(st, key, int, "settings")
    has(st, "workloads", list, "settings")
    check("sweep" in st, "settings: no 'sweep'")

    has(doc, "tables", list, "top")
    tables = [t.get("name") for t in doc.get("tables", [])]
    check(len(tables) >= 1, "tables: empty")
    for t in doc.get("tables", []):
        has(t, "name", str, "tables[]")
        has(t, "settings", str, "tables[]")

    has(doc, "cases", list, "top")
    per_case = {"build", "hit", "hit_shuffled", "miss", "batch_build",
                "batch_hit", "batch_hit_shuffled", "batch_miss", "memory",
                "floor", "policy"}
    if per_case & set(st.get("workloads", [])):
        check(len(doc.get("cases", [])) >= 1, "cases: empty")
    for c in doc.get("cases", []):
        w = f"cases[{c.get('name')}]"
        for key in ("name", "source", "digest", "expected_from"):
            has(c, key, str, w)
        for key in ("strings", "unique", "unique_bytes", "key_bytes",
                    "peak_rss_kib"):
            has(c, key, int, w)
        check("/" not in c.get("name", "/"), f"{w}: a path in the name")
        check(c.get("expected_from") in ("vector", "reference"),
              f"{w}: expected_from {c.get('expected_from')}")
        has(c, "verified", dict, w)
        table_workloads = per_case - {"policy"}
        for t in tables:
            if table_workloads & set(st.get("workloads", [])):
                check(c.get("verified", {}).get(t) is True,
                      f"{w}: table {t} not verified")
        if "miss" in st.get("workloads", []):
            for key in ("miss_keys", "miss_skipped_present",
                        "miss_skipped_empty"):
                has(c, key, int, w)

    has(doc, "results", list, "top")
    rows = doc.get("results", [])
    seen = set()
    for i, r in enumerate(rows):
        w = f"results[{i}]"
        for key in ("workload", "case", "table", "param", "metric", "unit"):
            has(r, key, str, w)
        has(r, "value", num, w)
        seen.add((r.get("workload"), r.get("metric")))
        if "reps" in r:
            has(r, "min", num, w)
            has(r, "max", num, w)
            check(r.get("reps") == st.get("reps"), f"{w}: reps")
            if all(isinstance(r.get(k), num) for k in ("min", "max", "value")):
                check(r["min"] <= r["value"] <= r["max"],
                      f"{w}: not min <= value <= max")
        if "ratio_to_best" in r:
            check(isinstance(r["ratio_to_best"], num) and
                  r["ratio_to_best"] >= 1.0 - 1e-9, f"{w}: ratio_to_best < 1")
        if "checksum" in r:
            check(isinstance(r["checksum"], str) and
                  len(r["checksum"]) == 16, f"{w}: checksum not 16 hex")

    # every workload the README documents, with its metrics
    documented = {
        "build": ["ns_per_string", "mstrings_per_s", "mb_per_s"],
        "hit": ["ns_per_op"],
        "hit_shuffled": ["ns_per_op"],
        "miss": ["ns_per_op"],
        "batch_build": ["ns_per_string", "mstrings_per_s", "mb_per_s"],
        "batch_hit": ["ns_per_op"],
        "batch_hit_shuffled": ["ns_per_op"],
        "batch_miss": ["ns_per_op"],
        "memory": ["total_bytes", "bytes_per_unique", "overhead_per_unique",
                   "payload_bytes", "header_bytes", "index_bytes",
                   "slack_bytes", "peak_rss_kib"],
        "floor": ["hash_ns_per_string", "access_ns_per_string",
                  "hit_over_floor", "build_over_floor"],
        "identity": ["memcmp_ns", "pointer_ns", "intern_ns",
                     "break_even_compares", "private_strings",
                     "private_bytes", "interned_strings", "interned_bytes",
                     "private_lookup_ns", "interned_lookup_ns",
                     "lookup_speedup"],
        "policy": ["objects", "bytes", "objects_pct", "bytes_pct"],
        "smallint": ["ns_per_box", "ns_over_no_cache", "allocations", "bytes",
                     "hit_rate"],
    }
    for wl in st.get("workloads", []):
        for metric in documented.get(wl, []):
            check((wl, metric) in seen, f"results: no {wl}/{metric}")
    # timed rows of build/hit/miss: one per table and case, compared
    # across tables; every pass that returns handles is checksummed
    def timed(wl, metric, c, t):
        return [r for r in rows if r.get("workload") == wl and
                r.get("metric") == metric and r.get("case") == c and
                r.get("table") == t]
    passes = (("build", "ns_per_string"), ("hit", "ns_per_op"),
              ("hit_shuffled", "ns_per_op"), ("miss", "ns_per_op"),
              ("batch_build", "ns_per_string"), ("batch_hit", "ns_per_op"),
              ("batch_hit_shuffled", "ns_per_op"),
              ("batch_miss", "ns_per_op"))
    for wl, metric in passes:
        if wl not in st.get("workloads", []):
            continue
        for c in doc.get("cases", []):
            for t in tables:
                match = timed(wl, metric, c.get("name"), t)
                check(len(match) == 1 and "ratio_to_best" in match[0] and
                      ("checksum" in match[0]) == (not wl.endswith("miss")),
                      f"results: {wl} of {t} on {c.get('name')}")
    # the checksum folds the handles: a table's hits return the handles
    # of its build (equal folds), two tables hold different handles
    if "build" in st.get("workloads", []):
        for c in doc.get("cases", []):
            sums = {}
            for t in tables:
                b = timed("build", "ns_per_string", c.get("name"), t)
                sums[t] = b[0].get("checksum") if b else None
                for wl in ("hit", "hit_shuffled"):
                    # (a batch build makes its own table: its hits are
                    # checked by the engine against that build)
                    h = timed(wl, "ns_per_op", c.get("name"), t)
                    if h and b:
                        check(h[0].get("checksum") == sums[t],
                              f"checksum: {wl} of {t} on {c.get('name')} "
                              "differs from its build's")
            if c.get("unique", 0) > 0:
                check(len(set(sums.values())) == len(tables),
                      f"checksum: two tables agree on {c.get('name')}")
    # identity: every table has its intern and break-even rows
    if "identity" in st.get("workloads", []):
        for t in tables:
            check(any(r.get("workload") == "identity" and
                      r.get("table") == t and r.get("metric") == "intern_ns"
                      for r in rows), f"identity: no intern_ns of {t}")
            check(any(r.get("workload") == "identity" and
                      r.get("table") == t and
                      r.get("metric") == "private_lookup_ns"
                      for r in rows), f"identity: no records of {t}")
    # counts are exact, not rounded to the six digits of a timing: the
    # policy bytes of no interning are the case's key bytes
    for c in doc.get("cases", []):
        for r in rows:
            if (r.get("workload"), r.get("case"), r.get("param"),
                    r.get("metric")) == ("policy", c.get("name"), "none",
                                         "bytes"):
                check(r.get("value") == c.get("key_bytes"),
                      f"policy bytes of {c.get('name')}: {r.get('value')}, "
                      f"the case has {c.get('key_bytes')} key bytes")
    # records: the default 3 keys shared, one string each when interned
    for r in rows:
        if r.get("metric") == "interned_strings":
            check(r.get("value") == st.get("keys"), "records: interned keys")
        if r.get("metric") == "private_strings":
            check(r.get("value") == st.get("keys") * st.get("records"),
                  "records: private keys")

    if len(argv) > 2:
        with open(argv[2], encoding="utf-8", newline="") as f:
            lines = [ln for ln in f if not ln.startswith("#")]
        data = list(csv.DictReader(lines))
        check(len(data) == len(rows), f"csv: {len(data)} rows, json "
              f"{len(rows)}")
        for key in ("workload", "case", "table", "param", "metric", "unit",
                    "value", "min", "max", "reps", "ratio_to_best",
                    "checksum"):
            check(data and key in data[0], f"csv: no column {key}")
    if len(argv) > 3:
        with open(argv[3], encoding="utf-8") as f:
            md = f.read()
        check(md.startswith("# internbench run"), "md: no title")
        for wl in st.get("workloads", []):
            check(f"### {wl}" in md, f"md: no {wl} table")

    for f in failures:
        print("FAIL:", f)
    print(f"run_check_json: {len(rows)} result rows, "
          f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
