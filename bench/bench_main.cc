// bench_main.cc: internbench_bench, every table of ours and every peer
// found at configure time, side by side in one google-benchmark run.
//
// Rows are named WORKLOAD/CASE/TABLE (build, hit, miss), case by case;
// "build/CASE/open@fork" is the control row: our open table built in a
// fresh forked child each time, as GLib and CPython must be, to show what
// that costs. Options besides google-benchmark's own:
//   --cases=A,B,...   the cases: names (shipped or generated) or .case
//                     paths (default below)
//   --lines=FILE      a plain text file, one string per line (repeatable)
//   --tables=A,B,...  only these tables and peers ("ours": all of ours)
//   --load=PATH.so    add the tables of a plugin (repeatable; intern.h)
//   --list            print the tables and peers with how each is
//                     measured, and exit
// Workloads: build, hit, hit_shuffled (the engine's seeded order), miss,
// and for the peers with a batch path of their own (ours through
// intern_many, Abseil prefetching a window ahead) batch_build, batch_hit,
// batch_hit_shuffled and batch_miss.
// Every case is loaded before anything runs: a file that cannot be read
// or parsed is an error naming it (FILE:LINE), exit 2.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "internbench/plugin.h"
#include "support.h"

namespace {

const char *const default_cases[] = {"json-keys", "c-identifiers",
                                     "python-identifiers", "gen-ident-1e6"};

// The options after google-benchmark has taken its own.
struct options {
    std::vector<ib::case_spec> cases;
    std::vector<std::string> loads;
    std::vector<std::string> tables;
    bool list = false;
    bool cases_given = false;
};

std::vector<std::string> split(const std::string &s) {
    std::vector<std::string> out;
    std::stringstream in(s);
    std::string item;
    while (std::getline(in, item, ','))
        if (!item.empty())
            out.push_back(item);
    return out;
}

// false (message printed) on an argument that is not ours.
bool parse(int argc, char **argv, options *o) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (std::strncmp(a, "--cases=", 8) == 0) {
            for (const std::string &c : split(a + 8))
                o->cases.push_back({c, false});
            o->cases_given = true;
        } else if (std::strncmp(a, "--lines=", 8) == 0 && a[8]) {
            o->cases.push_back({a + 8, true});
            o->cases_given = true;
        } else if (std::strncmp(a, "--load=", 7) == 0 && a[7]) {
            o->loads.push_back(a + 7);
        } else if (std::strncmp(a, "--tables=", 9) == 0) {
            o->tables = split(a + 9);
        } else if (std::strcmp(a, "--list") == 0) {
            o->list = true;
        } else {
            std::fprintf(stderr,
                         "internbench_bench: unknown option '%s' (besides "
                         "google-benchmark's: --cases=A,B --lines=FILE "
                         "--tables=A,B --load=PATH.so --list)\n",
                         a);
            return false;
        }
    }
    if (!o->cases_given)
        for (const char *c : default_cases)
            o->cases.push_back({c, false});
    return true;
}

// Keeps the peers --tables names; false (message printed) on a name that
// is no table or peer.
bool select_peers(const std::vector<std::string> &tables) {
    auto &peers = ib::peer_registry();
    std::stable_sort(peers.begin(), peers.end(),
                     [](const ib::peer_entry &a, const ib::peer_entry &b) {
                         return a.rank < b.rank;
                     });
    if (tables.empty())
        return true;
    for (const std::string &t : tables)
        if (t != "ours" && std::none_of(peers.begin(), peers.end(),
                                        [&](const ib::peer_entry &e) {
                                            return e.name == t;
                                        })) {
            std::fprintf(stderr,
                         "internbench_bench: no table or peer '%s' (see "
                         "--list)\n",
                         t.c_str());
            return false;
        }
    auto wanted = [&](const ib::peer_entry &e) {
        return std::any_of(tables.begin(), tables.end(), [&](const auto &t) {
            return t == e.name || (t == "ours" && e.rank < 100);
        });
    };
    peers.erase(std::remove_if(peers.begin(), peers.end(),
                               [&](const auto &e) { return !wanted(e); }),
                peers.end());
    return true;
}

void add(
    const std::string &name,
    const std::function<void(benchmark::State &, const ib::bench_case &)> &fn,
    const ib::case_spec &spec) {
    auto *b = benchmark::RegisterBenchmark(
        name.c_str(),
        [fn, spec](benchmark::State &state) { fn(state, ib::case_get(spec)); });
    b->UseManualTime();
    b->Unit(ib::case_name(spec).rfind("gen-", 0) == 0
                ? benchmark::kMillisecond
                : benchmark::kMicrosecond);
}

// The peers that can hold a case's keys: one that takes C strings has
// no row on a case whose keys hold NUL bytes (said on stderr).
std::vector<ib::peer_entry> peers_for(const ib::case_spec &spec) {
    std::vector<ib::peer_entry> out;
    const ib::bench_case &bc = ib::case_get(spec);
    for (const auto &e : ib::peer_registry()) {
        if (bc.has_nul && !e.binary_keys)
            std::fprintf(stderr,
                         "internbench_bench: no %s rows on %s: its keys hold "
                         "NUL bytes, which %s cannot take\n",
                         e.name.c_str(), bc.name.c_str(), e.name.c_str());
        else
            out.push_back(e);
    }
    return out;
}

// The rows of one case, every table and peer that can hold it.
void register_case(const ib::case_spec &spec) {
    const std::string c = ib::case_name(spec);
    const auto peers = peers_for(spec);
    for (const auto &e : peers) {
        add("build/" + c + "/" + e.name, e.build, spec);
        if (e.name == "open")
            add("build/" + c + "/open@fork", e.build_in_child, spec);
    }
    // the other workloads, a block each; batch ones only for the peers
    // with a batch path of their own
    static const struct {
        const char *name;
        ib::bench_fn ib::peer_entry::*fn;
        bool batch;
    } rows[] = {
        {"hit", &ib::peer_entry::hit, false},
        {"hit_shuffled", &ib::peer_entry::hit_shuffled, false},
        {"miss", &ib::peer_entry::miss, false},
        {"batch_build", &ib::peer_entry::batch_build, true},
        {"batch_hit", &ib::peer_entry::batch_hit, true},
        {"batch_hit_shuffled", &ib::peer_entry::batch_hit_shuffled, true},
        {"batch_miss", &ib::peer_entry::batch_miss, true},
    };
    for (const auto &row : rows)
        for (const auto &e : peers)
            if ((e.*row.fn) && (!row.batch || e.batch))
                add(std::string(row.name) + "/" + c + "/" + e.name, e.*row.fn,
                    spec);
}

void list_peers() {
    for (const auto &e : ib::peer_registry())
        std::printf("%-20s %-22s %s%s\n", e.name.c_str(),
                    ib::memory_method_name(e.memory), e.note.c_str(),
                    e.has_find ? "" : " (no find: no miss row)");
}

// Loads the plugins and adds their tables; false (message printed, the
// file named) when one cannot be loaded.
bool load_plugins(const std::vector<std::string> &loads) {
    for (const std::string &path : loads) {
        engine_error err;
        if (plugin_load(path.c_str(), &err) != ENGINE_OK) {
            std::fprintf(stderr, "internbench_bench: %s\n", err.message);
            return false;
        }
    }
    ib::plugin_tables_add(ib::peer_registry());
    return true;
}

// Loads every case now; false (message printed) when one is bad input.
bool load_cases(const std::vector<ib::case_spec> &cases) {
    for (const ib::case_spec &spec : cases) {
        const ib::bench_case &c = ib::case_get(spec);
        if (c.status == ENGINE_EINPUT || c.status == ENGINE_ENOMEM) {
            std::fprintf(stderr, "internbench_bench: %s\n", c.error.c_str());
            return false;
        }
    }
    return true;
}

} // namespace

int main(int argc, char **argv) {
    benchmark::Initialize(&argc, argv);
    options o;
    if (!parse(argc, argv, &o) || !load_plugins(o.loads) ||
        !select_peers(o.tables))
        return 2;
    for (const auto &e : ib::peer_registry())
        benchmark::AddCustomContext(
            "table " + e.name,
            std::string(ib::memory_method_name(e.memory)) + "; " + e.note);
    if (o.list) {
        list_peers();
        return 0;
    }
    if (!load_cases(o.cases))
        return 2;
    for (const ib::case_spec &spec : o.cases)
        register_case(spec);
    size_t ran = benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    if (ran == 0) {
        std::fprintf(stderr, "internbench_bench: no benchmark matched\n");
        return 1;
    }
    if (ib::errors_reported()) {
        std::fprintf(stderr,
                     "internbench_bench: %zu rows reported an error instead "
                     "of a number\n",
                     ib::errors_reported());
        return 1;
    }
    return 0;
}
