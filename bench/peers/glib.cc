// glib.cc: GLib's g_intern_string, the process-global string table behind
// GQuark. It can be neither reset nor freed, so every build runs in a
// fresh forked child and hit and miss in a child that built once (the
// parent never interns a string into it). find is g_quark_try_string.
// GLib's allocator cannot be hooked (g_mem_set_vtable is a no-op since
// GLib 2.46), so memory is glibc's in-use bytes over the build in the
// child.
#include <glib.h>

#include <cstring>
#include <memory>

#include "../workload.h"

namespace ib {
namespace {

// Keys are C strings here: the case strings are NUL-terminated, and a
// string holding a NUL would be cut (the check then fails, as it should).
class glib_peer final : public peer {
  public:
    glib_peer() : base_(malloc_live_bytes()) {}
    const void *intern(const char *key, size_t) override {
        return g_intern_string(key);
    }
    bool find(const char *key, size_t) override {
        return g_quark_try_string(key) != 0;
    }
    uint64_t bytes_held() override {
        uint64_t now = malloc_live_bytes();
        return now > base_ ? now - base_ : 0;
    }
    std::string_view canonical(const void *handle, size_t) override {
        return std::string_view(static_cast<const char *>(handle));
    }

  private:
    uint64_t base_;
};

void glib_add(std::vector<peer_entry> &all) {
    peer_entry e = peer_make_entry<glib_peer>(
        105, "glib_intern", memory_method::malloc_stats, true, true,
        "GLib g_intern_string (process-global; forked children; C strings: "
        "no keys holding NUL)",
        [](bool) { return std::make_unique<glib_peer>(); });
    e.binary_keys = false; // g_intern_string takes a C string
    all.push_back(std::move(e));
}

peer_registrar glib_registrar(glib_add);

} // namespace
} // namespace ib
