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
    // Abseil's own help for a stream of keys: prefetch() the slot of the
    // key kWindow ahead, then intern this one (prefetch hashes the key
    // itself, so each key is hashed twice; it does not reach the bytes a
    // slot points at).
    size_t intern_batch(const key_list &k, uintptr_t *sink) override {
        const size_t n = k.size();
        for (size_t i = 0; i < n && i < kWindow; i++)
            set_.prefetch(k.views[i]);
        uintptr_t acc = 0;
        size_t i = 0;
        for (; i < n; i++) {
            if (i + kWindow < n)
                set_.prefetch(k.views[i + kWindow]);
            const void *h = intern(k.views[i].data(), k.views[i].size());
            if (!h)
                break;
            acc += reinterpret_cast<uintptr_t>(h);
        }
        *sink += acc;
        return i;
    }
    size_t find_batch(const key_list &k) override {
        const size_t n = k.size();
        for (size_t i = 0; i < n && i < kWindow; i++)
            set_.prefetch(k.views[i]);
        size_t found = 0;
        for (size_t i = 0; i < n; i++) {
            if (i + kWindow < n)
                set_.prefetch(k.views[i + kWindow]);
            found += set_.find(k.views[i]) != set_.end();
        }
        return found;
    }

  private:
    static constexpr size_t kWindow = 16; // as our batch path's window
};

void absl_add(std::vector<peer_entry> &all) {
    peer_entry e = peer_make_entry<absl_peer>(
        101, "absl_flat_hash_set", memory_method::operator_new, false, true,
        "absl::flat_hash_set<std::string_view> over an arena, absl::Hash; "
        "batch rows: prefetch() 16 keys ahead",
        [](bool) { return std::make_unique<absl_peer>(); });
    e.batch = true;
    all.push_back(std::move(e));
}

peer_registrar absl_registrar(absl_add);

} // namespace
} // namespace ib
