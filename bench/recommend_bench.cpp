// Unit recommendation (issue 3; DESIGN.md §7): the best 5 of 10,000 available units for an
// incident, through the grid index the engine keeps (RecommendUnits), against a full scan that
// scores every unit the same way, in the same run. Goal: under 20 µs per recommendation.
//
// Units are spread over Greater London (a box around its extent, seeded), a third of crews
// mental-health trained, each in the BCU where it is; incidents are drawn from the same box, half of them
// flagged mental health, so the search sees the mix of preferences and penalties it has in use.
#include <benchmark/benchmark.h>

#include <random>

#include "core/cad.hpp"
#include "core/state.hpp"

namespace concordat::bench {
namespace {

constexpr double kSouth = 51.30, kNorth = 51.68, kWest = -0.50, kEast = 0.30;
constexpr Timestamp kNow = 1'795'773'600'000'000;
const char* const kBcus[] = {"AW", "CN", "CE", "CS", "NA", "NE", "NW", "EA", "SE", "SN", "SW", "WA"};

// BCUs as a 4 × 3 partition of the box, so that, as in service, a unit's home BCU is where it
// patrols and most near units share the incident's BCU.
std::string BcuAt(LatLon p) {
  const int col = std::min(3, static_cast<int>((p.lon - kWest) / (kEast - kWest) * 4));
  const int row = std::min(2, static_cast<int>((p.lat - kSouth) / (kNorth - kSouth) * 3));
  return kBcus[row * 4 + col];
}

struct World {
  State state;
  std::vector<Incident> incidents;
  Policy policy;
};

const World& MakeWorld(int units) {
  static std::map<int, World> cache;
  auto it = cache.find(units);
  if (it != cache.end()) return it->second;
  World& w = cache[units];
  std::mt19937_64 rng(20261127);
  std::uniform_real_distribution<double> lat(kSouth, kNorth), lon(kWest, kEast);
  for (int n = 0; n < units; ++n) {
    Unit u;
    u.id = "unit-" + std::to_string(n);
    u.call_sign = "U" + std::to_string(n);
    u.status = "available";
    CrewMember c;
    c.collar = "C" + std::to_string(n);
    if (n % 3 == 0) c.skills.emplace_back("mental_health_trained");
    u.crew.push_back(c);
    u.fix = Fix{{lat(rng), lon(rng)}, kNow - Minutes(1), 10};
    u.bcu = BcuAt(u.fix->point);
    w.state.cad.available_grid.Put(u);
    w.state.cad.units.emplace(u.id, std::move(u));
  }
  for (int n = 0; n < 1000; ++n) {
    Incident i;
    i.id = "inc-" + std::to_string(n);
    i.location.located = true;
    i.location.point = {lat(rng), lon(rng)};
    i.grade = n % 2 ? "I" : "S";
    i.bcu_code = BcuAt(i.location.point);
    if (n % 2 == 0) i.flags.emplace_back("mental_health");
    w.incidents.push_back(std::move(i));
  }
  return w;
}

void BM_RecommendBest5Grid(benchmark::State& st) {
  const World& w = MakeWorld(static_cast<int>(st.range(0)));
  size_t n = 0, found = 0;
  for (auto _ : st) {
    auto r = RecommendUnits(w.state, w.incidents[n++ % w.incidents.size()], w.policy, kNow, 5);
    found += r.units.size();
    benchmark::DoNotOptimize(r);
  }
  st.counters["units"] = static_cast<double>(st.range(0));
  st.counters["found_per_query"] = static_cast<double>(found) / static_cast<double>(st.iterations());
}

// The same ranking by scoring every available unit: the baseline the index must beat.
void BM_RecommendBest5Scan(benchmark::State& st) {
  const World& w = MakeWorld(static_cast<int>(st.range(0)));
  const auto& rp = w.policy.recommend;
  size_t n = 0;
  std::vector<std::pair<Timestamp, const std::string*>> scored;
  for (auto _ : st) {
    const Incident& i = w.incidents[n++ % w.incidents.size()];
    const GradePolicy* g = w.policy.FindGrade(i.grade);
    const double speed_ms = g->speed_kmh / 3.6;
    const bool mh = i.HasFlag("mental_health");
    scored.clear();
    for (const auto& [id, u] : w.state.cad.units) {
      if (u.status != "available" || !u.fix || kNow - u.fix->fixed_at > rp.max_fix_age) continue;
      const double d = DistanceMetres(u.fix->point, i.location.point);
      Timestamp score = static_cast<Timestamp>(d * rp.detour_factor / speed_ms * kMicrosPerSecond);
      if (mh && u.MentalHealthTrained()) score -= rp.mental_health_bonus;
      if (u.bcu != i.bcu_code) score += rp.out_of_bcu_penalty;
      scored.emplace_back(score, &id);
    }
    std::partial_sort(scored.begin(), scored.begin() + 5, scored.end());
    benchmark::DoNotOptimize(scored.data());
  }
  st.counters["units"] = static_cast<double>(st.range(0));
}

BENCHMARK(BM_RecommendBest5Grid)->Arg(10'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RecommendBest5Scan)->Arg(10'000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace concordat::bench
