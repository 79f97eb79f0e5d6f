// absl_set.cc: absl::flat_hash_set<std::string_view> over a string arena;
// lazy_emplace stores the bytes only when the key is new (one probe).
#include <absl/container/flat_hash_set.h>

#include <memory>
#include <string_view>

#include "../workload.h"

namespace ib {
namespace {

// Invariant: every view in the set points into arena_, which never moves
// its strings; the view's data pointer is the handle.
class absl_peer final : public peer {
  public:
    absl_peer() : base_(new_live_bytes()) {}
    const void *intern(const char *key, size_t len) override {
        std::string_view k(key, len);
        const char *stored = nullptr;
        bool failed = false;
        auto it = set_.lazy_emplace(k, [&](const auto &ctor) {
            stored = arena_.store(key, len);
            failed = stored == nullptr;
            ctor(std::string_view(failed ? "" : stored, failed ? 0 : len));
        });
        return failed ? nullptr : it->data();
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
    absl::flat_hash_set<std::string_view> set_;
};

void absl_add(std::vector<peer_entry> &all) {
    all.push_back(peer_make_entry<absl_peer>(
        101, "absl_flat_hash_set", memory_method::operator_new, false, true,
        "absl::flat_hash_set<std::string_view> over an arena, absl::Hash",
        [](bool) { return std::make_unique<absl_peer>(); }));
}

peer_registrar absl_registrar(absl_add);

} // namespace
} // namespace ib
