// Geography: points, great-circle distance, point-in-polygon. Pure functions.
#pragma once

#include <vector>

namespace concordat {

struct LatLon {
  double lat = 0;
  double lon = 0;
};

// Great-circle distance in metres (haversine, mean Earth radius 6,371,008.8 m).
double DistanceMetres(LatLon a, LatLon b);
// The same great-circle distance with the cosines of both latitudes given (precomputed by callers
// that measure from one point to many).
double DistanceMetres(LatLon a, double cos_lat_a, LatLon b, double cos_lat_b);
double CosLat(LatLon p);

struct BoundingBox {
  double min_lat = 90, max_lat = -90, min_lon = 180, max_lon = -180;
  void Extend(LatLon p);
  bool Contains(LatLon p) const;
};

// A polygon: an outer ring and optional holes; rings are closed or open (either works).
struct Polygon {
  std::vector<LatLon> outer;
  std::vector<std::vector<LatLon>> holes;
};

// Even-odd ray casting in lon/lat space; points on an edge may fall either side, which is fine at
// borough scale.
bool RingContains(const std::vector<LatLon>& ring, LatLon p);
bool PolygonContains(const Polygon& poly, LatLon p);

}  // namespace concordat
