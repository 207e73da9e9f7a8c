// Unit recommendation: available units ranked by estimated arrival (great-circle distance ×
// detour factor ÷ speed for the grade), with mental-health-trained crews preferred on
// mental-health incidents and leaving the home BCU penalised. A grid index bounds the search.
#include <algorithm>
#include <cmath>

#include "core/cad_internal.hpp"

namespace concordat {

namespace {

// The haversine of geo.cpp, bounded from below without trigonometry: sin x ≥ x − x³/6 for x ≥ 0
// and asin y ≥ y, so this never exceeds DistanceMetres for the same points. The radius is the
// one geo.hpp documents; the last factor absorbs rounding, so a unit is never pruned that a full
// scan would rank.
constexpr double kEarthRadius = 6371008.8;
constexpr double kRad = M_PI / 180.0;
constexpr double kRoundingMargin = 1 - 1e-9;

double SinLowerBound(double x) {
  x = std::fabs(x);
  return std::max(0.0, x - x * x * x / 6);
}

double DistanceLowerBound(LatLon a, double cos_a, LatLon b, double cos_b) {
  const double y = SinLowerBound((b.lat - a.lat) * kRad / 2);
  const double x = SinLowerBound((b.lon - a.lon) * kRad / 2);
  const double s = y * y + cos_a * cos_b * x * x;
  return 2 * kEarthRadius * std::min(1.0, std::sqrt(s)) * kRoundingMargin;
}

// The nearest any unit in ring `ring` of the grid (cells of UnitGrid::kCellDeg around the
// incident's cell) can be to the incident at `p`: the gap to the ring's inner edge north-south or
// east-west, whichever is smaller, the east-west one at the ring's most poleward latitude.
double RingLowerBound(LatLon p, double cos_p, int ring) {
  if (ring == 0) return 0;
  constexpr double c = UnitGrid::kCellDeg;
  constexpr double kEdgeSlack = 1e-9;  // degrees: cell edges from floor(lat / c) are not exact
  const double row = std::floor(p.lat / c), col = std::floor(p.lon / c);
  const double lat_in = std::min(p.lat - row * c, (row + 1) * c - p.lat);
  const double lon_in = std::min(p.lon - col * c, (col + 1) * c - p.lon);
  const double lat_gap = std::max(0.0, (ring - 1) * c + lat_in - kEdgeSlack);
  const double lon_gap = std::max(0.0, (ring - 1) * c + lon_in - kEdgeSlack);
  const double poleward = std::max(std::fabs((row - ring) * c), std::fabs((row + ring + 1) * c));
  const double cos_far = poleward >= 90 ? 0.0 : std::cos(poleward * kRad);
  const double ns = 2 * kEarthRadius * SinLowerBound(lat_gap * kRad / 2);
  const double ew =
      2 * kEarthRadius * std::sqrt(cos_p * cos_far) * SinLowerBound(lon_gap * kRad / 2);
  return std::min(ns, ew) * kRoundingMargin;
}

struct Candidate {
  Timestamp score;
  const UnitGrid::Entry* unit;
};

// Ranking order: score, then unit id (ids are unique, so the order is total and deterministic).
bool RanksBefore(const Candidate& a, const Candidate& b) {
  return a.score != b.score ? a.score < b.score : a.unit->unit_id < b.unit->unit_id;
}

}  // namespace

RecommendResult RecommendUnits(const State& s, const Incident& i, const Policy& p, Timestamp now,
                               size_t k, const std::set<std::string>& exclude) {
  RecommendResult out;
  if (k == 0) return out;
  if (!i.location.located) {
    out.why_none.push_back("the incident has no coordinates: give a location to rank units");
    return out;
  }
  const GradePolicy* g = p.FindGrade(i.grade);
  const double speed_ms = std::max(1.0, (g ? g->speed_kmh : 25.0) / 3.6);
  const auto& rp = p.recommend;
  const bool mh = i.HasFlag("mental_health") || i.type == "mental_health";
  const bool penalise_bcu = !i.bcu_code.empty();
  auto eta_for = [&](double metres) {
    return static_cast<Timestamp>(metres * rp.detour_factor / speed_ms * kMicrosPerSecond);
  };
  // Preference and penalty for a unit: known before its distance is.
  auto adjustment = [&](const UnitGrid::Entry& u) {
    Timestamp a = 0;
    if (mh && u.mental_health_trained) a -= rp.mental_health_bonus;
    if (penalise_bcu && u.bcu != i.bcu_code) a += rp.out_of_bcu_penalty;
    return a;
  };
  const Timestamp best_possible_bonus = mh ? rp.mental_health_bonus : 0;
  const LatLon at = i.location.point;
  const double cos_incident = CosLat(at);
  // The best k so far as a max-heap in ranking order: front() is the k-th best.
  std::vector<Candidate> best;
  best.reserve(std::min(k, s.cad.available_grid.size()));
  size_t stale = 0;
  constexpr int kMaxRing = 150;  // about 100 km: all of London and beyond
  int last_ring = -1;
  Timestamp ring_eta = 0;  // the smallest estimated arrival any unit in the current ring can have
  s.cad.available_grid.VisitRings(at, kMaxRing, [&](const UnitGrid::Entry& u, int ring) {
    if (ring != last_ring) {
      ring_eta = eta_for(RingLowerBound(at, cos_incident, ring));
      // Entering a new ring: stop when nothing in it can beat (or tie) the k-th best so far.
      if (best.size() >= k && ring_eta - best_possible_bonus > best.front().score) return false;
      last_ring = ring;
    }
    if (!exclude.empty() && exclude.contains(u.unit_id)) return true;
    if (now - u.fixed_at > rp.max_fix_age) {
      ++stale;
      return true;
    }
    const Timestamp adjust = adjustment(u);
    if (best.size() >= k) {
      // Cheap bounds first: the ring's, then this unit's; the exact distance only when needed.
      const Timestamp kth = best.front().score;
      if (ring_eta + adjust > kth) return true;
      if (eta_for(DistanceLowerBound(at, cos_incident, u.point, u.cos_lat)) + adjust > kth) {
        return true;
      }
    }
    const Candidate c{eta_for(DistanceMetres(at, cos_incident, u.point, u.cos_lat)) + adjust, &u};
    if (best.size() < k) {
      best.push_back(c);
      std::push_heap(best.begin(), best.end(), RanksBefore);
    } else if (RanksBefore(c, best.front())) {
      std::pop_heap(best.begin(), best.end(), RanksBefore);
      best.back() = c;
      std::push_heap(best.begin(), best.end(), RanksBefore);
    }
    return true;
  });
  std::sort_heap(best.begin(), best.end(), RanksBefore);
  // Only the units shown are materialised, with their reasons; the grid's entry carries what the
  // ranking used (it is refreshed whenever the unit's status, fix, crew or BCU changes), so no
  // lookup in the units map is needed.
  std::vector<Recommendation> found;
  found.reserve(best.size());
  for (const Candidate& c : best) {
    const UnitGrid::Entry& u = *c.unit;
    Recommendation& r = found.emplace_back();
    r.unit_id = u.unit_id;
    r.distance_m = DistanceMetres(at, cos_incident, u.point, u.cos_lat);
    r.eta = eta_for(r.distance_m);
    r.score = c.score;
    char buf[96];
    std::snprintf(
        buf, sizeof buf, "%.1f km away, about %lld min at grade %s speed", r.distance_m / 1000.0,
        static_cast<long long>((r.eta + kMicrosPerMinute / 2) / kMicrosPerMinute), i.grade.c_str());
    r.reasons.emplace_back(buf);
    if (mh && u.mental_health_trained) {
      r.reasons.emplace_back("mental-health-trained crew (preferred for this incident)");
    }
    if (penalise_bcu && u.bcu != i.bcu_code) {
      r.reasons.emplace_back("would leave its home BCU " + u.bcu);
    }
    const auto age_min = (now - u.fixed_at) / kMicrosPerMinute;
    if (age_min >= 5) {
      r.reasons.emplace_back("location fix is " + std::to_string(age_min) + " min old");
    }
  }
  out.units = std::move(found);
  if (out.units.size() < k) {
    if (s.cad.available_grid.size() == 0) {
      out.why_none.push_back("no unit is available with a location fix");
    }
    if (stale > 0) {
      out.why_none.push_back(std::to_string(stale) + " available units have fixes older than " +
                             std::to_string(rp.max_fix_age / kMicrosPerMinute) + " min");
    }
    if (out.units.empty() && out.why_none.empty()) {
      out.why_none.push_back("no available unit within reach");
    }
  }
  return out;
}

}  // namespace concordat
