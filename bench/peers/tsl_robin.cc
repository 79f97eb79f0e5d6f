// tsl_robin.cc: tsl::robin_set<std::string_view> over an arena
// (tsl_peer.h), the default std::hash.
#include <tsl/robin_set.h>

#include "tsl_peer.h"

namespace ib {
namespace {

using robin_peer = tsl_peer<tsl::robin_set<std::string_view>>;

void robin_add(std::vector<peer_entry> &all) {
    all.push_back(peer_make_entry<robin_peer>(
        103, "tsl_robin_set", memory_method::operator_new, false, true,
        "tsl::robin_set<std::string_view> over an arena, std::hash",
        [](bool) { return std::make_unique<robin_peer>(); }));
}

peer_registrar robin_registrar(robin_add);

} // namespace
} // namespace ib
