// ours.cc: every table of the C library, through its intern_ops vtable,
// with the library's counting allocator (memory from intern_stats).
#include <algorithm>
#include <cstring>
#include <memory>

#include "../workload.h"
#include "intern/alloc.h"
#include "intern/intern.h"
#include "internbench/plugin.h"

namespace ib {
namespace {

class ours_peer final : public peer {
  public:
    // Invariant: t_ is a table of ops_ whose every byte passes through
    // alloc_ (so stats().total_bytes equals alloc_.live_bytes).
    explicit ours_peer(const intern_ops *ops) : ops_(ops) {
        intern_counting_alloc_init(&alloc_);
        intern_config cfg;
        intern_config_init(&cfg);
        cfg.alloc = &alloc_.base;
        t_ = ops_->create(&cfg);
    }
    ~ours_peer() override {
        if (t_)
            ops_->destroy(t_);
    }
    bool ok() const {
        return t_ != nullptr;
    }
    const void *intern(const char *key, size_t len) override {
        const intern_str *s = nullptr;
        intern_status st = ops_->intern(t_, key, len, &s);
        return st >= 0 ? s : nullptr;
    }
    bool find(const char *key, size_t len) override {
        return ops_->find(t_, key, len) != nullptr;
    }
    // The library's batch entry points, ENGINE_BATCH keys a call as
    // internbench run makes them (tables without a batch path take the
    // library's loop).
    void prepare(const std::vector<std::string_view> &keys) override {
        if (out_.size() < keys.size()) // sized untimed, before a pass
            out_.resize(keys.size());
    }
    size_t intern_batch(const key_list &k, uintptr_t *sink) override {
        if (out_.size() < k.size())
            out_.resize(k.size());
        size_t done = 0;
        while (done < k.size()) {
            size_t c = std::min<size_t>(k.size() - done, ENGINE_BATCH);
            size_t got =
                intern_many(ops_, t_, k.ptr.data() + done, k.len.data() + done,
                            c, out_.data() + done, nullptr);
            done += got;
            if (got < c)
                break;
        }
        uintptr_t acc = 0;
        for (size_t i = 0; i < done; i++)
            acc += reinterpret_cast<uintptr_t>(out_[i]);
        *sink += acc;
        return done;
    }
    size_t find_batch(const key_list &k) override {
        if (out_.size() < k.size())
            out_.resize(k.size());
        size_t found = 0;
        for (size_t i = 0; i < k.size(); i += ENGINE_BATCH)
            found += intern_find_many(
                ops_, t_, k.ptr.data() + i, k.len.data() + i,
                std::min<size_t>(k.size() - i, ENGINE_BATCH), out_.data() + i);
        return found;
    }
    uint64_t bytes_held() override {
        intern_stats st;
        std::memset(&st, 0, sizeof st);
        ops_->stats(t_, &st);
        return st.total_bytes;
    }
    std::string_view canonical(const void *handle, size_t) override {
        auto s = static_cast<const intern_str *>(handle);
        return std::string_view(intern_str_bytes(s), intern_str_len(s));
    }
    void probes(double *hit, double *miss) override {
        intern_stats st;
        std::memset(&st, 0, sizeof st);
        ops_->stats(t_, &st);
        // a table that derives no count leaves it zero (a trie's misses)
        *hit = st.probe_hit_sum && st.strings
                   ? double(st.probe_hit_sum) / double(st.strings)
                   : -1;
        *miss = st.probe_miss_sum && st.probe_miss_samples
                    ? double(st.probe_miss_sum) / double(st.probe_miss_samples)
                    : -1;
    }

  private:
    const intern_ops *ops_;
    intern_counting_alloc alloc_;
    intern_table *t_ = nullptr;
    std::vector<const intern_str *> out_; // the batch calls' handles
};

// The entry of a table reached through intern_ops: ours, or a plugin's.
peer_entry table_entry(const intern_ops *ops, int rank, std::string note) {
    peer_factory<ours_peer> make = [ops](bool) {
        auto p = std::make_unique<ours_peer>(ops);
        return p->ok() ? std::move(p) : nullptr;
    };
    peer_entry e =
        peer_make_entry<ours_peer>(rank, ops->name, memory_method::table_stats,
                                   false, true, std::move(note), make);
    e.batch = true;
    return e;
}

void ours_add(std::vector<peer_entry> &all) {
    size_t n = 0;
    const intern_table_info *reg = intern_registry(&n);
    for (size_t i = 0; i < n; i++)
        all.push_back(table_entry(
            reg[i].ops, int(i), std::string("ours: ") + reg[i].ops->settings));
}

peer_registrar ours_registrar(ours_add);

} // namespace

void plugin_tables_add(std::vector<peer_entry> &all) {
    size_t n = 0;
    const intern_table_info *every = plugin_tables(&n);
    for (size_t i = 0; i < n; i++) {
        const char *from = plugin_table_origin(&every[i]);
        if (!from)
            continue;
        std::string note =
            std::string("plugin ") + from + ": " +
            (every[i].ops->settings ? every[i].ops->settings : "");
        all.push_back(table_entry(every[i].ops, 200 + int(i), note));
    }
}

} // namespace ib
