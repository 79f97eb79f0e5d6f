// tsl_peer.h: tsl::hopscotch_set and tsl::robin_set of std::string_view
// over a string arena (one adapter template for both). tsl has no lazy
// insert, so a new key costs a find and an insert (two probes); a hit
// costs one find.
#ifndef INTERNBENCH_BENCH_TSL_PEER_H
#define INTERNBENCH_BENCH_TSL_PEER_H

#include <memory>
#include <string_view>

#include "../workload.h"

namespace ib {

// Invariant: every view in the set points into arena_, which never moves
// its strings; the view's data pointer is the handle.
template <class Set> class tsl_peer final : public peer {
  public:
    tsl_peer() : base_(new_live_bytes()) {}
    const void *intern(const char *key, size_t len) override {
        std::string_view k(key, len);
        auto it = set_.find(k);
        if (it != set_.end())
            return it->data();
        const char *stored = arena_.store(key, len);
        if (!stored)
            return nullptr;
        set_.insert(std::string_view(stored, len));
        return stored;
    }
    bool find(const char *key, size_t len) override {
        return set_.find(std::string_view(key, len)) != set_.end();
    }
    uint64_t bytes_held() override {
        return new_live_bytes() - base_;
    }
    std::string_view canonical(const void *handle) override {
        // the arena NUL-terminates; the identifier cases hold no NUL
        auto p = static_cast<const char *>(handle);
        auto it = set_.find(std::string_view(p));
        return it == set_.end() || it->data() != p ? std::string_view() : *it;
    }

  private:
    uint64_t base_;
    string_arena arena_;
    Set set_;
};

} // namespace ib

#endif
