// workload.h: the workloads and the check, as templates over a concrete
// adapter class P (final, deriving from ib::peer): build, hit (in file
// order and in the engine's seeded shuffled order) and miss, and their
// batch variants for peers with a batch path.
//
// Every benchmark uses manual time: only the loop of intern or find calls
// (or the batch call) is timed (clock_gettime, CLOCK_MONOTONIC), never
// the construction, preparation or destruction around it. A peer whose
// table is process global (GLib, CPython) runs in forked children: each
// build in a child of its own (a fresh table), the other passes in one
// child per benchmark run that builds once and then serves timed passes.
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
size_t intern_pass(P &p, const key_list &keys, uintptr_t *sink) {
    size_t failed = 0;
    uintptr_t acc = 0;
    for (std::string_view k : keys.views) {
        const void *h = p.P::intern(k.data(), k.size());
        failed += h == nullptr;
        acc += reinterpret_cast<uintptr_t>(h);
    }
    *sink += acc;
    return failed;
}

template <class P> size_t find_pass(P &p, const key_list &keys) {
    size_t found = 0;
    for (std::string_view k : keys.views)
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
    p->prepare(c.keys.views);
    for (size_t i = 0; i < n; i++)
        handles[i] =
            p->P::intern(c.keys.views[i].data(), c.keys.views[i].size());
    p->finish_pass();
    r->bytes_held = p->bytes_held();
    p->probes(&r->probes_hit, &r->probes_miss);
    r->unique = c.c.want.unique;
    check_handles(*p, c, handles, r);
    if (r->ok && has_find) {
        size_t found = find_pass(*p, c.misses);
        if (found)
            check_fail(r, std::to_string(found) + " miss keys found by find");
        else if (n && !p->find(c.keys.views[0].data(), c.keys.len[0]))
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
                         const key_list &keys, bool miss) {
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
    state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(keys.bytes));
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

// Every key of k interned into p, by single calls or in one batch; the
// number that failed.
template <class P>
size_t intern_all(P &p, const key_list &k, bool batch, uintptr_t *sink) {
    return batch ? k.size() - p.P::intern_batch(k, sink)
                 : intern_pass(p, k, sink);
}

// One build into a fresh table; the nanoseconds of the intern loop, or
// -1 when an intern failed.
template <class P>
int64_t build_once(const peer_factory<P> &make, const bench_case &c, bool batch,
                   uintptr_t *sink) {
    std::unique_ptr<P> p = make(false);
    if (!p)
        return -1;
    p->prepare(c.keys.views);
    int64_t t0 = now_ns();
    size_t failed = intern_all(*p, c.keys, batch, sink);
    int64_t t1 = now_ns();
    p->finish_pass();
    return failed ? -1 : t1 - t0;
}

// How a build row runs: in this process or in a fresh child each time,
// by single calls or in a batch.
struct build_how {
    bool in_child, batch;
};

template <class P>
void bench_build(benchmark::State &state, const peer_entry &e,
                 const peer_factory<P> &make, const bench_case &c,
                 build_how how) {
    const check_result *r;
    if (!bench_ready<P>(state, e, make, c, &r))
        return;
    uintptr_t sink = 0;
    for (auto _ : state) {
        int64_t ns = -1;
        std::string err;
        if (!how.in_child)
            ns = build_once<P>(make, c, how.batch, &sink);
        else if (!fork_call(
                     [&](int fd) {
                         int64_t t = build_once<P>(make, c, how.batch, &sink);
                         write_all(fd, &t, sizeof t);
                     },
                     &ns, sizeof ns, &err))
            ns = -1;
        if (ns < 0) {
            skip_with_error(state, "build failed");
            break;
        }
        state.SetIterationTime(double(ns) * 1e-9);
    }
    benchmark::DoNotOptimize(sink);
    set_counters(state, e, c, *r, c.keys, false);
}

// The passes on a built table, and the keys each one takes.
enum pass_kind {
    pass_hit = 1,
    pass_hit_shuffled,
    pass_miss,
    pass_batch_hit,
    pass_batch_hit_shuffled,
    pass_batch_miss,
};

inline bool pass_is_miss(int cmd) {
    return cmd == pass_miss || cmd == pass_batch_miss;
}

inline bool pass_is_batch(int cmd) {
    return cmd >= pass_batch_hit;
}

inline const key_list &pass_keys(const bench_case &c, int cmd) {
    if (pass_is_miss(cmd))
        return c.misses;
    if (cmd == pass_hit_shuffled || cmd == pass_batch_hit_shuffled)
        return c.shuffled;
    return c.keys;
}

// A built table serving timed passes.
template <class P> struct pass_server {
    std::unique_ptr<P> p;
    uintptr_t sink = 0;
    bool setup(const peer_factory<P> &make, const bench_case &c) {
        p = make(false);
        if (!p)
            return false;
        p->prepare(c.keys.views);
        size_t failed = intern_pass(*p, c.keys, &sink);
        p->finish_pass();
        return failed == 0;
    }
    // The ns of one pass, or -1 when it failed (a hit not done, a miss
    // key found).
    int64_t serve(int cmd, const bench_case &c) {
        if (!p)
            return -1;
        const key_list &k = pass_keys(c, cmd);
        if (pass_is_miss(cmd)) {
            int64_t t0 = now_ns();
            size_t found =
                pass_is_batch(cmd) ? p->P::find_batch(k) : find_pass(*p, k);
            int64_t t1 = now_ns();
            return found ? -1 : t1 - t0;
        }
        p->prepare(k.views);
        int64_t t0 = now_ns();
        size_t failed = intern_all(*p, k, pass_is_batch(cmd), &sink);
        int64_t t1 = now_ns();
        p->finish_pass();
        return failed ? -1 : t1 - t0;
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
            skip_with_error(state, pass_is_miss(cmd) ? "a miss key was found"
                                                     : "a hit failed");
            break;
        }
        state.SetIterationTime(double(ns) * 1e-9);
    }
    worker.stop();
    benchmark::DoNotOptimize(server.sink);
    set_counters(state, e, c, *r, pass_keys(c, cmd), pass_is_miss(cmd));
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
    auto build = [meta, make](build_how how) -> bench_fn {
        return [meta, make, how](benchmark::State &s, const bench_case &c) {
            bench_build<P>(s, meta, make, c, how);
        };
    };
    auto pass = [meta, make](int cmd) -> bench_fn {
        return [meta, make, cmd](benchmark::State &s, const bench_case &c) {
            bench_pass<P>(s, meta, make, c, cmd);
        };
    };
    e.build = build({meta.forked, false});
    e.build_in_child = build({true, false});
    e.batch_build = build({meta.forked, true});
    e.hit = pass(pass_hit);
    e.hit_shuffled = pass(pass_hit_shuffled);
    e.batch_hit = pass(pass_batch_hit);
    e.batch_hit_shuffled = pass(pass_batch_hit_shuffled);
    if (has_find) {
        e.miss = pass(pass_miss);
        e.batch_miss = pass(pass_batch_miss);
    }
    return e;
}

} // namespace ib

#endif
