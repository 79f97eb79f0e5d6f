// tsl_hopscotch.cc: tsl::hopscotch_set<std::string_view> over an arena
// (tsl_peer.h), the default std::hash.
#include <tsl/hopscotch_set.h>

#include "tsl_peer.h"

namespace ib {
namespace {

using hopscotch_peer = tsl_peer<tsl::hopscotch_set<std::string_view>>;

void hopscotch_add(std::vector<peer_entry> &all) {
    all.push_back(peer_make_entry<hopscotch_peer>(
        102, "tsl_hopscotch_set", memory_method::operator_new, false, true,
        "tsl::hopscotch_set<std::string_view> over an arena, std::hash",
        [](bool) { return std::make_unique<hopscotch_peer>(); }));
}

peer_registrar hopscotch_registrar(hopscotch_add);

} // namespace
} // namespace ib
