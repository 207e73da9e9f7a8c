#include "core/geo.hpp"

#include <algorithm>
#include <cmath>

namespace concordat {

namespace {
constexpr double kEarthRadius = 6371008.8;
constexpr double kRad = M_PI / 180.0;
}  // namespace

double CosLat(LatLon p) { return std::cos(p.lat * kRad); }

double DistanceMetres(LatLon a, double cos_lat_a, LatLon b, double cos_lat_b) {
  const double sin_dlat = std::sin((b.lat - a.lat) * kRad / 2);
  const double sin_dlon = std::sin((b.lon - a.lon) * kRad / 2);
  const double s = sin_dlat * sin_dlat + cos_lat_a * cos_lat_b * sin_dlon * sin_dlon;
  return 2 * kEarthRadius * std::asin(std::min(1.0, std::sqrt(s)));
}

double DistanceMetres(LatLon a, LatLon b) { return DistanceMetres(a, CosLat(a), b, CosLat(b)); }

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
