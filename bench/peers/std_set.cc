// std_set.cc: std::unordered_set<std::string>, as a C++17 program would
// intern: a std::string made from the bytes, then insert (or find).
#include <memory>
#include <string>
#include <unordered_set>

#include "../workload.h"

namespace ib {
namespace {

// Invariant: the set's nodes hold the canonical strings; a node never
// moves, so &*it is a stable handle.
class std_peer final : public peer {
  public:
    std_peer() : base_(new_live_bytes()) {}
    const void *intern(const char *key, size_t len) override {
        return &*set_.insert(std::string(key, len)).first;
    }
    bool find(const char *key, size_t len) override {
        return set_.find(std::string(key, len)) != set_.end();
    }
    uint64_t bytes_held() override {
        return new_live_bytes() - base_;
    }
    std::string_view canonical(const void *handle, size_t) override {
        return *static_cast<const std::string *>(handle);
    }

  private:
    uint64_t base_;
    std::unordered_set<std::string> set_;
};

void std_add(std::vector<peer_entry> &all) {
    all.push_back(peer_make_entry<std_peer>(
        100, "std_unordered_set", memory_method::operator_new, false, true,
        "std::unordered_set<std::string>, std::hash",
        [](bool) { return std::make_unique<std_peer>(); }));
}

peer_registrar std_registrar(std_add);

} // namespace
} // namespace ib
