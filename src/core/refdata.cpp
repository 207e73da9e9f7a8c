#include "core/refdata.hpp"

#include <algorithm>
#include <set>

namespace concordat {

const Bcu* RefData::FindBcu(std::string_view code) const {
  for (const auto& b : bcus) {
    if (b.code == code) {
      return &b;
    }
  }
  return nullptr;
}

const Borough* RefData::FindBorough(std::string_view code) const {
  for (const auto& b : boroughs) {
    if (b.code == code) {
      return &b;
    }
  }
  return nullptr;
}

const Agency* RefData::FindAgency(std::string_view id) const {
  for (const auto& a : agencies) {
    if (a.id == id) {
      return &a;
    }
  }
  return nullptr;
}

const Agency* RefData::AgencyByName(std::string_view name) const {
  for (const auto& a : agencies) {
    bool match = a.name == name;
    for (const auto& alias : a.aliases) {
      match = match || alias == name;
    }
    if (match) {
      if (!a.merged_into.empty()) {
        if (const Agency* successor = FindAgency(a.merged_into)) {
          return successor;
        }
      }
      return &a;
    }
  }
  return nullptr;
}

const Borough* RefData::BoroughAt(LatLon p) const {
  for (const auto& b : boroughs) {
    if (!b.bbox.Contains(p)) {
      continue;
    }
    for (const auto& poly : b.boundary) {
      if (PolygonContains(poly, p)) {
        return &b;
      }
    }
  }
  return nullptr;
}

std::vector<std::string> RefData::NeighbourBcus(std::string_view code) const {
  std::vector<std::string> out;
  for (const auto& [a, b] : bcu_neighbours) {
    if (a == code) {
      out.push_back(b);
    }
  }
  return out;
}

void RefData::ComputeNeighbours() {
  // Two boroughs touch when some vertex of one lies within 1.5 km of a vertex of the other; the
  // simplified boundaries (about 18 points each) make exact adjacency unreliable.
  constexpr double kTouchMetres = 1500;
  std::set<std::pair<std::string, std::string>> pairs;
  for (const auto& a : boroughs) {
    for (const auto& b : boroughs) {
      if (a.code >= b.code || a.bcu_code.empty() || b.bcu_code.empty() ||
          a.bcu_code == b.bcu_code) {
        continue;
      }
      bool touch = false;
      for (const auto& pa : a.boundary) {
        for (const auto& va : pa.outer) {
          for (const auto& pb : b.boundary) {
            for (const auto& vb : pb.outer) {
              if (DistanceMetres(va, vb) < kTouchMetres) {
                touch = true;
                break;
              }
            }
            if (touch) break;
          }
          if (touch) break;
        }
        if (touch) break;
      }
      if (touch) {
        pairs.insert({a.bcu_code, b.bcu_code});
        pairs.insert({b.bcu_code, a.bcu_code});
      }
    }
  }
  bcu_neighbours.assign(pairs.begin(), pairs.end());
}

}  // namespace concordat
