// Unit recommendation: available units ranked by estimated arrival (great-circle distance ×
// detour factor ÷ speed for the grade), with mental-health-trained crews preferred on
// mental-health incidents and leaving the home BCU penalised. A grid index bounds the search.
#include <algorithm>
#include <cmath>

#include "core/cad_internal.hpp"

namespace concordat {

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
  auto eta_for = [&](double metres) {
    return static_cast<Timestamp>(metres * rp.detour_factor / speed_ms * kMicrosPerSecond);
  };
  // The smallest distance any unit in ring r can be from the incident.
  constexpr double kMinCellMetres = 690;  // 0.01° of longitude at London's latitude
  const Timestamp best_possible_bonus = mh ? rp.mental_health_bonus : 0;
  std::vector<Recommendation> found;
  found.reserve(256);
  const double cos_incident = CosLat(i.location.point);
  size_t stale = 0;
  constexpr int kMaxRing = 150;  // about 100 km: all of London and beyond
  int last_ring = -1;
  auto kth_score = [&]() {
    std::nth_element(found.begin(), found.begin() + static_cast<long>(k - 1), found.end(),
                     [](const auto& a, const auto& b) { return a.score < b.score; });
    return found[k - 1].score;
  };
  s.cad.available_grid.VisitRings(i.location.point, kMaxRing, [&](const UnitGrid::Entry& u,
                                                                   int ring) {
    if (ring != last_ring) {
      // Entering a new ring: stop when nothing in it can beat the k-th best so far.
      if (found.size() >= k) {
        const Timestamp bound =
            eta_for(std::max(0, ring - 1) * kMinCellMetres) - best_possible_bonus;
        if (bound > kth_score()) return false;
      }
      last_ring = ring;
    }
    if (!exclude.empty() && exclude.contains(u.unit_id)) return true;
    if (now - u.fixed_at > rp.max_fix_age) {
      ++stale;
      return true;
    }
    Recommendation r;
    r.unit_id = u.unit_id;
    r.distance_m = DistanceMetres(i.location.point, cos_incident, u.point, u.cos_lat);
    r.eta = eta_for(r.distance_m);
    r.score = r.eta;
    if (mh && u.mental_health_trained) r.score -= rp.mental_health_bonus;
    if (!i.bcu_code.empty() && u.bcu != i.bcu_code) r.score += rp.out_of_bcu_penalty;
    found.push_back(std::move(r));
    return true;
  });
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.score != b.score ? a.score < b.score : a.unit_id < b.unit_id;
  });
  if (found.size() > k) found.resize(k);
  // Reasons only for the units shown: the search itself stays allocation-light.
  for (auto& r : found) {
    const Unit& u = s.cad.units.at(r.unit_id);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.1f km away, about %lld min at grade %s speed",
                  r.distance_m / 1000.0, static_cast<long long>((r.eta + kMicrosPerMinute / 2) /
                                                                kMicrosPerMinute),
                  i.grade.c_str());
    r.reasons.emplace_back(buf);
    if (mh && u.MentalHealthTrained()) {
      r.reasons.emplace_back("mental-health-trained crew (preferred for this incident)");
    }
    if (!i.bcu_code.empty() && u.bcu != i.bcu_code) {
      r.reasons.emplace_back("would leave its home BCU " + u.bcu);
    }
    const auto age_min = (now - u.fix->fixed_at) / kMicrosPerMinute;
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
