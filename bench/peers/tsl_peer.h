// tsl_peer.h: tsl::hopscotch_set and tsl::robin_set of std::string_view
// over a string arena (one adapter template for both). tsl has no lazy
// insert, so a new key costs a find and an insert (two probes); a hit
// costs one find.
#ifndef INTERNBENCH_BENCH_TSL_PEER_H
#define INTERNBENCH_BENCH_TSL_PEER_H

#include <string_view>

#include "view_set_peer.h"

namespace ib {

// The shared lookup, bytes and handle check are view_set_peer's.
template <class Set> class tsl_peer final : public view_set_peer<Set> {
  public:
    const void *intern(const char *key, size_t len) override {
        std::string_view k(key, len);
        auto it = this->set_.find(k);
        if (it != this->set_.end())
            return it->data();
        const char *stored = this->arena_.store(key, len);
        if (!stored)
            return nullptr;
        this->set_.insert(std::string_view(stored, len));
        return stored;
    }
};

} // namespace ib

#endif
