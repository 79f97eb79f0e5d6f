// view_set_peer.h: what the peers that keep a hash set of std::string_view
// over a string arena share (Abseil, tsl): lookup, bytes held, and the
// handle check. Each derived peer supplies only intern(), the one place
// the sets' APIs differ.
#ifndef INTERNBENCH_BENCH_VIEW_SET_PEER_H
#define INTERNBENCH_BENCH_VIEW_SET_PEER_H

#include <string_view>

#include "../workload.h"

namespace ib {

// Invariant: every view in set_ points into arena_, which never moves its
// strings; the view's data pointer is the handle.
template <class Set> class view_set_peer : public peer {
  public:
    view_set_peer() : base_(new_live_bytes()) {}
    bool find(const char *key, size_t len) override {
        return set_.find(std::string_view(key, len)) != set_.end();
    }
    uint64_t bytes_held() override {
        return new_live_bytes() - base_;
    }
    std::string_view canonical(const void *handle, size_t len) override {
        // the handle is a view's data pointer: the view of that length
        // must be in the set, at that very address
        auto p = static_cast<const char *>(handle);
        auto it = set_.find(std::string_view(p, len));
        return it == set_.end() || it->data() != p ? std::string_view() : *it;
    }

  protected:
    uint64_t base_;
    string_arena arena_;
    Set set_;
};

} // namespace ib

#endif
