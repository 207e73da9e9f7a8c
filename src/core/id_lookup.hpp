// The records a derived index names, found in their map. The state's derived indexes (open
// incidents, live detentions, an incident's referrals, unacknowledged alerts, ...) hold ids so
// that a view reads only what it shows instead of visiting everything ever kept; these turn
// them back into the records, in the index's order.
#pragma once

#include <string>
#include <vector>

namespace concordat {

// The records of `ids` in `map` (an std::map or IndexedMap), in the ids' order; an id the map
// does not hold is left out.
template <class Map, class Ids>
std::vector<const typename Map::mapped_type*> ValuesOf(const Map& map, const Ids& ids) {
  std::vector<const typename Map::mapped_type*> out;
  out.reserve(ids.size());
  for (const auto& id : ids) {
    if (auto it = map.find(id); it != map.end()) out.push_back(&it->second);
  }
  return out;
}

// The ids `index` files under `key` (an incident's detentions, ...), or none.
template <class Index>
const typename Index::mapped_type& IdsUnder(const Index& index, const std::string& key) {
  static const typename Index::mapped_type kNone;
  const auto it = index.find(key);
  return it == index.end() ? kNone : it->second;
}

}  // namespace concordat
