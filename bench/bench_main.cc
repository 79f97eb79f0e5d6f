// bench_main.cc: internbench_bench, every table of ours and every peer
// found at configure time, side by side in one google-benchmark run.
//
// Rows are named WORKLOAD/CASE/TABLE (build, hit, miss), case by case;
// "build/CASE/open@fork" is the control row: our open table built in a
// fresh forked child each time, as GLib and CPython must be, to show what
// that costs. Options besides google-benchmark's own:
//   --cases=A,B,...   the cases to register (default below)
//   --tables=A,B,...  only these tables and peers ("ours": all of ours)
//   --list            print the tables and peers with how each is
//                     measured, and exit
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "support.h"

namespace {

const char *const default_cases[] = {"json-keys", "c-identifiers",
                                     "python-identifiers", "gen-ident-1e6"};

std::vector<std::string> split(const std::string &s) {
    std::vector<std::string> out;
    std::stringstream in(s);
    std::string item;
    while (std::getline(in, item, ','))
        if (!item.empty())
            out.push_back(item);
    return out;
}

void add(
    const std::string &name,
    const std::function<void(benchmark::State &, const ib::bench_case &)> &fn,
    const std::string &cname) {
    auto *b = benchmark::RegisterBenchmark(
        name.c_str(), [fn, cname](benchmark::State &state) {
            fn(state, ib::case_get(cname));
        });
    b->UseManualTime();
    b->Unit(cname.rfind("gen-", 0) == 0 ? benchmark::kMillisecond
                                        : benchmark::kMicrosecond);
}

} // namespace

int main(int argc, char **argv) {
    benchmark::Initialize(&argc, argv);
    std::vector<std::string> cases(std::begin(default_cases),
                                   std::end(default_cases));
    std::vector<std::string> tables;
    bool list = false;
    for (int i = 1; i < argc; i++) {
        if (std::strncmp(argv[i], "--cases=", 8) == 0) {
            cases = split(argv[i] + 8);
        } else if (std::strncmp(argv[i], "--tables=", 9) == 0) {
            tables = split(argv[i] + 9);
        } else if (std::strcmp(argv[i], "--list") == 0) {
            list = true;
        } else {
            std::fprintf(
                stderr,
                "internbench_bench: unknown option '%s' (besides "
                "google-benchmark's: --cases=A,B --tables=A,B --list)\n",
                argv[i]);
            return 2;
        }
    }
    auto &peers = ib::peer_registry();
    std::stable_sort(peers.begin(), peers.end(),
                     [](const ib::peer_entry &a, const ib::peer_entry &b) {
                         return a.rank < b.rank;
                     });
    if (!tables.empty()) {
        auto wanted = [&](const ib::peer_entry &e) {
            for (const std::string &t : tables)
                if (t == e.name || (t == "ours" && e.rank < 100))
                    return true;
            return false;
        };
        for (const std::string &t : tables)
            if (t != "ours" && std::none_of(peers.begin(), peers.end(),
                                            [&](const ib::peer_entry &e) {
                                                return e.name == t;
                                            })) {
                std::fprintf(stderr,
                             "internbench_bench: no table or peer '%s' "
                             "(see --list)\n",
                             t.c_str());
                return 2;
            }
        peers.erase(
            std::remove_if(peers.begin(), peers.end(),
                           [&](const ib::peer_entry &e) { return !wanted(e); }),
            peers.end());
    }
    for (const auto &e : peers)
        benchmark::AddCustomContext(
            "table " + e.name,
            std::string(ib::memory_method_name(e.memory)) + "; " + e.note);
    if (list) {
        for (const auto &e : peers)
            std::printf("%-20s %-22s %s%s\n", e.name.c_str(),
                        ib::memory_method_name(e.memory), e.note.c_str(),
                        e.has_find ? "" : " (no find: no miss row)");
        return 0;
    }
    for (const std::string &c : cases) {
        for (const auto &e : peers) {
            add("build/" + c + "/" + e.name, e.build, c);
            if (e.name == "open")
                add("build/" + c + "/open@fork", e.build_in_child, c);
        }
        for (const auto &e : peers)
            add("hit/" + c + "/" + e.name, e.hit, c);
        for (const auto &e : peers)
            if (e.miss)
                add("miss/" + c + "/" + e.name, e.miss, c);
    }
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
