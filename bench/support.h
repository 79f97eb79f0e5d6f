// support.h: what every benchmark shares: the cases (loaded once, with
// their vectors and miss keys), the peer registry, and running a piece of
// work in a forked child for peers whose table is process-global.
#ifndef INTERNBENCH_BENCH_SUPPORT_H
#define INTERNBENCH_BENCH_SUPPORT_H

#include <benchmark/benchmark.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "internbench/engine.h"
#include "peers/peer.h"

namespace ib {

// One case, loaded on first use by the engine (engine_case_load: the
// strings, the expected vector or the reference computed by sorting, and
// the miss keys), with string views over them for the C++ peers.
// Invariant: keys holds the case's strings in file order, shuffled the
// same in the engine's seeded order, misses the engine's miss keys, each
// followed by a '\0' not counted in its size; error is non-empty when the
// case could not be loaded, and then nothing else is meaningful.
struct bench_case {
    bench_case() = default;
    bench_case(const bench_case &) = delete;
    bench_case &operator=(const bench_case &) = delete;
    ~bench_case() {
        if (loaded)
            engine_case_free(&c);
    }
    std::string name;
    std::string error;
    engine_status status = ENGINE_OK; // of the load (ENGINE_ECHECK: vector)
    engine_case c{};
    bool loaded = false;
    key_list keys;
    key_list shuffled;
    key_list misses;
    bool has_nul = false; // some key holds a NUL byte
};

// How a case is given on the command line: --cases=NAME (a shipped case
// from INTERNBENCH_CASES_DIR, else the source tree's cases/; a generated
// one; or a .case path) or --lines=FILE (any text file, one string per
// line).
struct case_spec {
    std::string value;
    bool lines = false;
};

// The name of the case in row names, without loading it.
std::string case_name(const case_spec &spec);
// The case, loaded on first use and kept.
const bench_case &case_get(const case_spec &spec);

// What checking a peer on a case found; plain data, so that it crosses a
// pipe from a child. ok is false with message set when the peer does not
// reproduce the case's vector.
struct check_result {
    bool ok;
    uint64_t unique;
    uint64_t bytes_held;
    double probes_hit;  // negative: not exposed by the table
    double probes_miss; // negative: not exposed by the table
    char message[512];
};

// Runs fn in a forked child and copies its result back. On a child that
// died or wrote nothing, returns false with *err set.
bool fork_call(const std::function<void(int fd)> &child, void *out, size_t size,
               std::string *err);
// Writes all of buf to fd (the child's side of fork_call).
void write_all(int fd, const void *buf, size_t size);

// A forked child serving timed passes: start() forks and runs setup in
// the child; pass(cmd) sends a command and returns what serve(cmd)
// returned in the child (nanoseconds, or a negative value on failure).
class fork_worker {
  public:
    ~fork_worker();
    bool start(const std::function<void()> &setup,
               const std::function<int64_t(int)> &serve, std::string *err);
    int64_t pass(int cmd);
    void stop();

  private:
    int pid_ = -1;
    int to_child_ = -1;
    int from_child_ = -1;
};

int64_t now_ns();

// state.SkipWithError, counted: the binary exits 1 when any row erred.
void skip_with_error(benchmark::State &state, const std::string &why);
size_t errors_reported();

// One row kind of a table or peer on a case.
using bench_fn = std::function<void(benchmark::State &, const bench_case &)>;

// A table or peer as the benchmarks see it.
struct peer_entry {
    int rank; // listing order: ours, then the peers
    std::string name;
    memory_method memory;
    bool forked;             // its table is process-global: runs in children
    bool has_find;           // a lookup that does not insert
    bool binary_keys = true; // takes keys holding NUL bytes
    bool batch = false;      // has a batch path of its own: batch rows
    std::string note;        // one line for --list
    bench_fn build;
    // the same build, each in a fresh forked child (the control row that
    // shows what forking costs the peers that need it)
    bench_fn build_in_child;
    bench_fn hit, hit_shuffled, miss;
    bench_fn batch_build, batch_hit, batch_hit_shuffled, batch_miss;
};

std::vector<peer_entry> &peer_registry();
// Adds an entry for every table the loaded plugins brought (plugin.h).
void plugin_tables_add(std::vector<peer_entry> &all);

// Each peer file defines one of these at namespace scope.
struct peer_registrar {
    explicit peer_registrar(void (*add)(std::vector<peer_entry> &));
};

} // namespace ib

#endif
