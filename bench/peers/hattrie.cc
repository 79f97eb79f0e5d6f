// hattrie.cc: the hat-trie C library (libhat-trie) as a symbol table:
// hattrie_get finds or inserts the key and gives its value slot; a new
// key's slot receives the next id, and the id is the handle. hat-trie
// moves its keys as it bursts buckets, so no pointer into it is stable;
// the check lists the trie's own keys instead (enumerate). Memory: it
// calls malloc directly, so glibc's in-use bytes over the build.
extern "C" {
#include <hat-trie/hat-trie.h>
}

#include <cstring>
#include <memory>
#include <string>

#include "../workload.h"

namespace ib {
namespace {

// Invariant: every key in t_ has a distinct non-zero value, in 1..next_-1.
class hattrie_peer final : public peer {
  public:
    hattrie_peer() : base_(malloc_live_bytes()), t_(hattrie_create()) {}
    ~hattrie_peer() override {
        if (t_)
            hattrie_free(t_);
    }
    bool ok() const {
        return t_ != nullptr;
    }
    const void *intern(const char *key, size_t len) override {
        value_t *v = hattrie_get(t_, key, len);
        if (!v)
            return nullptr;
        // hat-trie packs value slots after the key bytes, unaligned
        value_t id;
        std::memcpy(&id, v, sizeof id);
        if (id == 0) {
            id = next_++;
            std::memcpy(v, &id, sizeof id);
        }
        return reinterpret_cast<const void *>(id);
    }
    bool find(const char *key, size_t len) override {
        return hattrie_tryget(t_, key, len) != nullptr;
    }
    uint64_t bytes_held() override {
        uint64_t now = malloc_live_bytes();
        return now > base_ ? now - base_ : 0;
    }
    std::string_view canonical(const void *, size_t) override {
        return std::string_view();
    }
    bool enumerate(std::vector<std::string> *out) override {
        hattrie_iter_t *it = hattrie_iter_begin(t_, false);
        for (; !hattrie_iter_finished(it); hattrie_iter_next(it)) {
            size_t len = 0;
            const char *k = hattrie_iter_key(it, &len);
            out->emplace_back(k, len);
        }
        hattrie_iter_free(it);
        // hat-trie's iterator never yields the empty key, though the trie
        // holds it: listed here when its value slot has an id, so the check
        // sees what the trie holds (tryget of "" gives the root's slot
        // whether or not "" was ever interned)
        value_t *v = hattrie_tryget(t_, "", 0);
        value_t id = 0;
        if (v)
            std::memcpy(&id, v, sizeof id);
        if (id != 0)
            out->emplace_back();
        return true;
    }

  private:
    uint64_t base_;
    hattrie_t *t_;
    value_t next_ = 1;
};

void hattrie_add(std::vector<peer_entry> &all) {
    all.push_back(peer_make_entry<hattrie_peer>(
        104, "hat_trie", memory_method::malloc_stats, false, true,
        "libhat-trie hattrie_get: string -> id", [](bool) {
            auto p = std::make_unique<hattrie_peer>();
            return p->ok() ? std::move(p) : nullptr;
        }));
}

peer_registrar hattrie_registrar(hattrie_add);

} // namespace
} // namespace ib
