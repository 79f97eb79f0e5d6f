// absl_set.cc: absl::flat_hash_set<std::string_view> over a string arena;
// lazy_emplace stores the bytes only when the key is new (one probe).
#include <absl/container/flat_hash_set.h>

#include <memory>
#include <string_view>

#include "view_set_peer.h"

namespace ib {
namespace {

// The shared lookup, bytes and handle check are view_set_peer's.
class absl_peer final
    : public view_set_peer<absl::flat_hash_set<std::string_view>> {
  public:
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
