#include "core/geo.hpp"

#include <algorithm>
#include <cmath>

namespace concordat {

double DistanceMetres(LatLon a, LatLon b) {
  constexpr double kRadius = 6371008.8;
  constexpr double kRad = M_PI / 180.0;
  const double dlat = (b.lat - a.lat) * kRad;
  const double dlon = (b.lon - a.lon) * kRad;
  const double s = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(a.lat * kRad) * std::cos(b.lat * kRad) * std::sin(dlon / 2) *
                       std::sin(dlon / 2);
  return 2 * kRadius * std::asin(std::min(1.0, std::sqrt(s)));
}

void BoundingBox::Extend(LatLon p) {
  min_lat = std::min(min_lat, p.lat);
  max_lat = std::max(max_lat, p.lat);
  min_lon = std::min(min_lon, p.lon);
  max_lon = std::max(max_lon, p.lon);
}

bool BoundingBox::Contains(LatLon p) const {
  return p.lat >= min_lat && p.lat <= max_lat && p.lon >= min_lon && p.lon <= max_lon;
}

bool RingContains(const std::vector<LatLon>& ring, LatLon p) {
  bool inside = false;
  const size_t n = ring.size();
  for (size_t i = 0, j = n - 1; i < n; j = i++) {
    const LatLon& a = ring[i];
    const LatLon& b = ring[j];
    if ((a.lat > p.lat) != (b.lat > p.lat)) {
      const double x = (b.lon - a.lon) * (p.lat - a.lat) / (b.lat - a.lat) + a.lon;
      if (p.lon < x) {
        inside = !inside;
      }
    }
  }
  return inside;
}

bool PolygonContains(const Polygon& poly, LatLon p) {
  if (poly.outer.size() < 3 || !RingContains(poly.outer, p)) {
    return false;
  }
  for (const auto& hole : poly.holes) {
    if (hole.size() >= 3 && RingContains(hole, p)) {
      return false;
    }
  }
  return true;
}

}  // namespace concordat
