// peer.h: the adapter interface every benchmarked table implements, ours
// and the peers alike, and the small pieces adapters share.
//
// A peer is an empty intern table when constructed and frees everything
// when destroyed. The workloads (workload.h) are templates over the
// concrete adapter class, which is final, so the calls below are direct
// calls in the timed loops, not virtual ones.
#ifndef INTERNBENCH_BENCH_PEER_H
#define INTERNBENCH_BENCH_PEER_H

#include <cstddef>
#include <cstdint>
#include <new>
#include <string_view>
#include <vector>

namespace ib {

// How a peer's bytes_held() is obtained (the README's memory section).
enum class memory_method {
    table_stats,   // the table's own counting allocator (intern_stats)
    operator_new,  // the counting global operator new of this binary
    malloc_stats,  // glibc mallinfo2() in-use bytes, delta over the build
    cpython_hooks, // PyMem_SetAllocator hooks on CPython's allocators
};

const char *memory_method_name(memory_method m);

// The keys of a pass, three ways: views for the single calls, and the
// addresses and lengths a batch call takes. Invariant: ptr[i] and len[i]
// are views[i]'s; bytes is the sum of the lengths.
struct key_list {
    std::vector<std::string_view> views;
    std::vector<const void *> ptr;
    std::vector<size_t> len;
    uint64_t bytes = 0;
    size_t size() const {
        return views.size();
    }
};

class peer {
  public:
    virtual ~peer() = default;
    // The canonical copy of the key: a handle that is equal for equal
    // bytes and distinct otherwise, stable until destruction; nullptr
    // when the peer failed (out of memory, a key it cannot hold).
    virtual const void *intern(const char *key, size_t len) = 0;
    // Whether the key is held, without inserting it.
    virtual bool find(const char *key, size_t len) = 0;
    // The batch workloads: every key of k interned (or looked up) at once,
    // the handles folded into *sink. intern_batch returns how many were
    // done (all of them unless one failed), find_batch how many were
    // found. The default is the loop of single calls; a peer with a batch
    // path (ours through intern_many, Abseil prefetching a window ahead)
    // overrides them, and only such peers have batch rows.
    virtual size_t intern_batch(const key_list &k, uintptr_t *sink) {
        size_t i = 0;
        for (; i < k.size(); i++) {
            const void *h = intern(k.views[i].data(), k.views[i].size());
            if (!h)
                break;
            *sink += reinterpret_cast<uintptr_t>(h);
        }
        return i;
    }
    virtual size_t find_batch(const key_list &k) {
        size_t found = 0;
        for (std::string_view v : k.views)
            found += find(v.data(), v.size());
        return found;
    }
    // Bytes the peer holds now beyond what it held when constructed, as
    // its memory_method counts them.
    virtual uint64_t bytes_held() = 0;
    // The canonical bytes behind a handle (used by the checks only); len
    // is the length of a key the handle was returned for, for peers whose
    // handle is a bare data pointer.
    virtual std::string_view canonical(const void *handle, size_t len) = 0;
    // Called untimed before every timed intern pass with the keys that
    // pass will intern, in order (CPython makes its fresh str objects
    // here); the next intern calls are then exactly those keys in order.
    virtual void prepare(const std::vector<std::string_view> &keys) {
        (void)keys;
    }
    // Called untimed after every timed intern pass.
    virtual void finish_pass() {}
    // Probe counts from the table itself, where it exposes them: the mean
    // groups, records or nodes visited by a hit and by a miss (each left
    // negative when the table derives no such count).
    virtual void probes(double *hit, double *miss) {
        *hit = -1;
        *miss = -1;
    }
    // Every held string, where the peer can list them (hat-trie, whose
    // handles are ids): used instead of canonical() by the checks.
    virtual bool enumerate(std::vector<std::string> *out) {
        (void)out;
        return false;
    }
};

// Canonical strings of the C++ peers (Abseil, tsl) live here, as they
// would in a program that keeps string_views in a set: bytes plus a NUL,
// back to back in chunks that never move. The chunk policy is the C
// library's arena's (harness/src/intern/arena.c), so that the peers' bytes
// per string compare fairly with ours: a new chunk is 1/16 of the bytes
// held, within 1 KiB and 1 MiB, and a string of over 1 KiB, or too big for
// a quarter of a new chunk, gets a chunk of its own while the current chunk
// stays in use. Invariant:
// every stored string is [data, data + len) followed by '\0' inside one
// chunk; held_ is the sum of the chunks' sizes; chunks come from operator
// new and are freed only by the destructor.
class string_arena {
  public:
    string_arena() = default;
    string_arena(const string_arena &) = delete;
    string_arena &operator=(const string_arena &) = delete;
    ~string_arena();
    // nullptr when out of memory
    const char *store(const char *key, size_t len);

  private:
    static constexpr size_t min_chunk = 1024, max_chunk = 1 << 20,
                            growth_shift = 4, own_record = 1024;
    char *new_chunk(size_t size);
    size_t held_ = 0;
    std::vector<char *> chunks_;
    char *cursor_ = nullptr;
    char *limit_ = nullptr;
};

// Live bytes allocated through this binary's global operator new.
uint64_t new_live_bytes();
// Bytes glibc's malloc has handed out and not taken back (mallinfo2).
uint64_t malloc_live_bytes();

} // namespace ib

#endif
