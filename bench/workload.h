// workload.h: the three workloads and the check, as templates over a
// concrete adapter class P (final, deriving from ib::peer).
//
// Every benchmark uses manual time: only the loop of intern or find calls
// is timed (clock_gettime, CLOCK_MONOTONIC), never the construction,
// preparation or destruction around it. A peer whose table is process
// global (GLib, CPython) runs in forked children: each build in a child
// of its own (a fresh table), hit and miss in one child per benchmark run
// that builds once and then serves timed passes.
#ifndef INTERNBENCH_BENCH_WORKLOAD_H
#define INTERNBENCH_BENCH_WORKLOAD_H

#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_set>
#include <utility>

#include "support.h"

namespace ib {

// Makes an empty table. measure is true for the one build whose memory
// is reported (the check); a peer may then set up counting that would
// slow the timed runs down (CPython's allocator hooks).
template <class P>
using peer_factory = std::function<std::unique_ptr<P>(bool measure)>;

// Interns every key; returns the number of failed calls (0 when all is
// well) and folds the handles into *sink so the loop is not optimized
// away.
template <class P>
size_t intern_pass(P &p, const std::vector<std::string_view> &keys,
                   uintptr_t *sink) {
    size_t failed = 0;
    uintptr_t acc = 0;
    for (std::string_view k : keys) {
        const void *h = p.P::intern(k.data(), k.size());
        failed += h == nullptr;
        acc += reinterpret_cast<uintptr_t>(h);
    }
    *sink += acc;
    return failed;
}

template <class P>
size_t find_pass(P &p, const std::vector<std::string_view> &keys) {
    size_t found = 0;
    for (std::string_view k : keys)
        found += p.P::find(k.data(), k.size());
    return found;
}

inline void check_fail(check_result *r, const std::string &what) {
    r->ok = false;
    std::snprintf(r->message, sizeof r->message, "%s", what.c_str());
}

// The engine's check (engine_check_handles) reads a peer's handles
// through this.
template <class P>
vector_str check_canonical(void *ctx, const void *h, size_t len) {
    std::string_view s = static_cast<P *>(ctx)->canonical(h, len);
    return vector_str{s.data(), s.size()};
}

// The engine's check of what a built peer returned: its handles, or
// (hat-trie, whose handles are ids) its own listing of what it holds.
template <class P>
void check_handles(P &p, const bench_case &c,
                   const std::vector<const void *> &handles, check_result *r) {
    engine_error err;
    std::vector<std::string> listed;
    if (!p.enumerate(&listed)) {
        if (engine_check_handles(&c.c, handles.data(), check_canonical<P>, &p,
                                 &err) != ENGINE_OK)
            check_fail(r, err.message);
        return;
    }
    std::vector<vector_str> set;
    for (const std::string &s : listed)
        set.push_back({s.data(), s.size()});
    std::unordered_set<const void *> distinct(handles.begin(), handles.end());
    if (distinct.count(nullptr))
        check_fail(r, "an intern failed");
    else if (distinct.size() != listed.size())
        check_fail(r, std::to_string(distinct.size()) +
                          " distinct handles for " +
                          std::to_string(listed.size()) + " listed strings");
    else if (engine_check_set(&c.c, set.data(), set.size(), &err) != ENGINE_OK)
        check_fail(r, err.message);
}

// The check: build the case once; the engine's checks must pass on what
// the peer returned, and no miss key may be found.
template <class P>
void check_run(const peer_factory<P> &make, bool has_find, const bench_case &c,
               check_result *r) {
    std::memset(r, 0, sizeof *r);
    r->ok = true;
    const size_t n = c.keys.size();
    std::vector<const void *> handles(n); // allocated before the peer
    std::unique_ptr<P> p = make(true);
    if (!p) {
        check_fail(r, "could not create the table");
        return;
    }
    p->prepare(c.keys);
    for (size_t i = 0; i < n; i++)
        handles[i] = p->P::intern(c.keys[i].data(), c.keys[i].size());
    p->finish_pass();
    r->bytes_held = p->bytes_held();
    p->probes(&r->probes_hit, &r->probes_miss);
    r->unique = c.c.want.unique;
    check_handles(*p, c, handles, r);
    if (r->ok && has_find) {
        size_t found = find_pass(*p, c.misses);
        if (found)
            check_fail(r, std::to_string(found) + " miss keys found by find");
        else if (n && !p->find(c.keys[0].data(), c.keys[0].size()))
            check_fail(r, "find misses a held string");
    }
}

// The check of peer e on case c, run once and remembered.
template <class P>
const check_result &check_get(const peer_entry &e, const peer_factory<P> &make,
                              const bench_case &c) {
    static std::map<std::pair<std::string, std::string>, check_result> done;
    auto key = std::make_pair(e.name, c.name);
    auto it = done.find(key);
    if (it != done.end())
        return it->second;
    check_result r;
    if (e.forked) {
        std::string err;
        if (!fork_call(
                [&](int fd) {
                    check_result cr;
                    check_run<P>(make, e.has_find, c, &cr);
                    write_all(fd, &cr, sizeof cr);
                },
                &r, sizeof r, &err)) {
            std::memset(&r, 0, sizeof r);
            check_fail(&r, "check: " + err);
        }
    } else {
        check_run<P>(make, e.has_find, c, &r);
    }
    return done.emplace(key, r).first->second;
}

// The counters every row carries.
inline void set_counters(benchmark::State &state, const peer_entry &e,
                         const bench_case &c, const check_result &r,
                         const std::vector<std::string_view> &keys,
                         uint64_t key_bytes, bool miss) {
    double u = r.unique ? double(r.unique) : 1.0;
    state.counters["strings"] = double(c.keys.size());
    state.counters["unique"] = double(r.unique);
    state.counters["bytes_per_string"] = double(r.bytes_held) / u;
    state.counters["overhead_per_string"] =
        (double(r.bytes_held) - double(c.c.want.unique_bytes)) / u;
    double probes = miss ? r.probes_miss : r.probes_hit;
    if (probes >= 0) // absent for peers that expose no probe count
        state.counters["probes_per_op"] = probes;
    state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(keys.size()));
    state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(key_bytes));
    state.SetLabel(memory_method_name(e.memory));
}

template <class P>
bool bench_ready(benchmark::State &state, const peer_entry &e,
                 const peer_factory<P> &make, const bench_case &c,
                 const check_result **out) {
    if (!c.error.empty()) {
        skip_with_error(state, c.error);
        return false;
    }
    const check_result &r = check_get<P>(e, make, c);
    if (!r.ok) {
        std::string m = e.name + " on " + c.name + ": " + r.message;
        skip_with_error(state, m);
        return false;
    }
    *out = &r;
    return true;
}

// One build into a fresh table; the nanoseconds of the intern loop, or
// -1 when an intern failed.
template <class P>
int64_t build_once(const peer_factory<P> &make, const bench_case &c,
                   uintptr_t *sink) {
    std::unique_ptr<P> p = make(false);
    if (!p)
        return -1;
    p->prepare(c.keys);
    int64_t t0 = now_ns();
    size_t failed = intern_pass(*p, c.keys, sink);
    int64_t t1 = now_ns();
    p->finish_pass();
    return failed ? -1 : t1 - t0;
}

template <class P>
void bench_build(benchmark::State &state, const peer_entry &e,
                 const peer_factory<P> &make, const bench_case &c,
                 bool in_child) {
    const check_result *r;
    if (!bench_ready<P>(state, e, make, c, &r))
        return;
    uintptr_t sink = 0;
    for (auto _ : state) {
        int64_t ns = -1;
        if (in_child) {
            std::string err;
            if (!fork_call(
                    [&](int fd) {
                        int64_t t = build_once<P>(make, c, &sink);
                        write_all(fd, &t, sizeof t);
                    },
                    &ns, sizeof ns, &err))
                ns = -1;
        } else {
            ns = build_once<P>(make, c, &sink);
        }
        if (ns < 0) {
            skip_with_error(state, "build failed");
            break;
        }
        state.SetIterationTime(double(ns) * 1e-9);
    }
    benchmark::DoNotOptimize(sink);
    set_counters(state, e, c, *r, c.keys, c.key_bytes, false);
}

enum { pass_hit = 1, pass_miss = 2 };

// A built table serving timed passes.
template <class P> struct pass_server {
    std::unique_ptr<P> p;
    uintptr_t sink = 0;
    bool setup(const peer_factory<P> &make, const bench_case &c) {
        p = make(false);
        if (!p)
            return false;
        p->prepare(c.keys);
        size_t failed = intern_pass(*p, c.keys, &sink);
        p->finish_pass();
        return failed == 0;
    }
    int64_t serve(int cmd, const bench_case &c) {
        if (!p)
            return -1;
        if (cmd == pass_hit) {
            p->prepare(c.keys);
            int64_t t0 = now_ns();
            size_t failed = intern_pass(*p, c.keys, &sink);
            int64_t t1 = now_ns();
            p->finish_pass();
            return failed ? -1 : t1 - t0;
        }
        int64_t t0 = now_ns();
        size_t found = find_pass(*p, c.misses);
        int64_t t1 = now_ns();
        return found ? -1 : t1 - t0;
    }
};

template <class P>
void bench_pass(benchmark::State &state, const peer_entry &e,
                const peer_factory<P> &make, const bench_case &c, int cmd) {
    const check_result *r;
    if (!bench_ready<P>(state, e, make, c, &r))
        return;
    pass_server<P> server;
    fork_worker worker;
    std::string err;
    bool ok =
        e.forked ? worker.start([&] { server.setup(make, c); },
                                [&](int k) { return server.serve(k, c); }, &err)
                 : server.setup(make, c);
    if (!ok) {
        std::string m = "setup failed: " + err;
        skip_with_error(state, m);
        return;
    }
    for (auto _ : state) {
        int64_t ns = e.forked ? worker.pass(cmd) : server.serve(cmd, c);
        if (ns < 0) {
            skip_with_error(state, cmd == pass_hit ? "a hit failed"
                                                   : "a miss key was found");
            break;
        }
        state.SetIterationTime(double(ns) * 1e-9);
    }
    worker.stop();
    benchmark::DoNotOptimize(server.sink);
    bool miss = cmd == pass_miss;
    set_counters(state, e, c, *r, miss ? c.misses : c.keys,
                 miss ? c.miss_key_bytes : c.key_bytes, miss);
}

// The entry for adapter class P.
template <class P>
peer_entry peer_make_entry(int rank, std::string name, memory_method memory,
                           bool forked, bool has_find, std::string note,
                           peer_factory<P> make) {
    peer_entry e;
    e.rank = rank;
    e.name = std::move(name);
    e.memory = memory;
    e.forked = forked;
    e.has_find = has_find;
    e.note = std::move(note);
    // the lambdas hold a copy of the entry's settings, not a reference to
    // the entry, which moves into the registry
    peer_entry meta = e;
    e.build = [meta, make](benchmark::State &s, const bench_case &c) {
        bench_build<P>(s, meta, make, c, meta.forked);
    };
    e.build_in_child = [meta, make](benchmark::State &s, const bench_case &c) {
        bench_build<P>(s, meta, make, c, true);
    };
    e.hit = [meta, make](benchmark::State &s, const bench_case &c) {
        bench_pass<P>(s, meta, make, c, pass_hit);
    };
    if (has_find)
        e.miss = [meta, make](benchmark::State &s, const bench_case &c) {
            bench_pass<P>(s, meta, make, c, pass_miss);
        };
    return e;
}

} // namespace ib

#endif
