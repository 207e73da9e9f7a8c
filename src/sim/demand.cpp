#include "sim/demand.hpp"

#include <algorithm>
#include <numeric>

#include "sim/rng.hpp"

namespace concordat::sim {
namespace {

constexpr size_t kPointsPerBorough = 1024;
constexpr double kDaysPerYear = 365.2425;

Timestamp LondonMidnight(std::int64_t day) {
  const Timestamp utc = day * kMicrosPerDay;
  return utc - LondonOffsetMicros(utc);
}

std::int64_t LondonDayOf(Timestamp t) { return DaysFromCivil(LondonDate(t)); }

}  // namespace

DemandGenerator::DemandGenerator(const SimConfig& cfg, const RefData& ref, std::uint64_t seed)
    : cfg_(cfg), ref_(ref), seed_(seed) {
  Rng rng(seed ^ 0x5eed'b0b0'0000'0001ULL);
  double total = 0;
  for (std::uint32_t i = 0; i < ref.boroughs.size(); ++i) {
    const Borough& b = ref.boroughs[i];
    if (b.bcu_code.empty() || b.population <= 0) continue;  // the City has its own force
    std::uint32_t bcu = 0;
    bool found = false;
    for (std::uint32_t k = 0; k < ref.bcus.size(); ++k) {
      if (ref.bcus[k].code == b.bcu_code) {
        bcu = k;
        found = true;
      }
    }
    if (!found) continue;
    // Points inside the borough, by rejection inside its bounding box (the centroid if the
    // boundary is missing or the box is degenerate).
    std::vector<LatLon> pts;
    for (int tries = 0; tries < 20'000 && pts.size() < kPointsPerBorough; ++tries) {
      const LatLon p{b.bbox.min_lat + rng.Uniform() * (b.bbox.max_lat - b.bbox.min_lat),
                     b.bbox.min_lon + rng.Uniform() * (b.bbox.max_lon - b.bbox.min_lon)};
      bool inside = false;
      for (const auto& poly : b.boundary) inside = inside || PolygonContains(poly, p);
      if (inside) pts.push_back(p);
    }
    if (pts.empty()) pts.push_back(b.centroid);
    total += static_cast<double>(b.population);
    boroughs_.push_back(i);
    borough_bcu_.push_back(bcu);
    cumulative_population_.push_back(total);
    points_.push_back(std::move(pts));
  }
}

double DemandGenerator::RatePerHour(Timestamp t) const {
  const auto& d = cfg_.demand;
  const double hour_sum = std::accumulate(d.hour_weights.begin(), d.hour_weights.end(), 0.0);
  const double day_mean =
      std::accumulate(d.weekday_weights.begin(), d.weekday_weights.end(), 0.0) / 7.0;
  const CivilTime lt = ToLondon(t);
  const int dow = Weekday(DaysFromCivil(lt.date));
  return d.contacts_per_year / kDaysPerYear * (d.weekday_weights[static_cast<size_t>(dow)] / day_mean) *
         (d.hour_weights[static_cast<size_t>(lt.hour)] / hour_sum);
}

double DemandGenerator::ExpectedContacts(Timestamp from, Timestamp to) const {
  double sum = 0;
  for (Timestamp t = from; t < to; t += kMicrosPerHour) {
    const double part =
        static_cast<double>(std::min(to, t + kMicrosPerHour) - t) / kMicrosPerHour;
    sum += RatePerHour(t) * part;
  }
  return sum;
}

void DemandGenerator::Classify(Rng& rng, Contact& c) const {
  const auto& d = cfg_.demand;
  const double u_mh = rng.Uniform();
  const double u_attend = rng.Uniform();
  const double u_grade = rng.Uniform();
  const double u_s136 = rng.Uniform();
  const double u_emergency = rng.Uniform();
  c.u_extra = rng.Uniform();
  const double p_mh = d.contacts_per_year > 0 ? d.mh_contacts_per_year / d.contacts_per_year : 0;
  if (u_mh < p_mh) {
    const double p_attend =
        d.mh_contacts_per_year > 0 ? cfg_.MhAttendedPerYear() / d.mh_contacts_per_year : 0;
    if (u_attend < p_attend) {
      c.kind = ContactKind::kMhAttended;
      c.grade = u_grade < d.mh_grade_i_share                        ? 'I'
                : u_grade < d.mh_grade_i_share + d.mh_grade_s_share ? 'S'
                                                                    : 'E';
      c.s136 = u_s136 < cfg_.S136Share();
      c.emergency = u_emergency < cfg_.behaviour.emergency_per_mh;
    } else {
      c.kind = ContactKind::kMhReferred;
      c.grade = 'R';
    }
    return;
  }
  // Not MH: rescale the draw so the non-MH stream does not depend on the MH share.
  const double u = p_mh < 1 ? (u_mh - p_mh) / (1 - p_mh) : 0;
  if (u < d.duplicate_share) {
    c.kind = ContactKind::kDuplicate;
    c.grade = 'R';
    return;
  }
  c.grade = u_grade < d.grade_i_share                                      ? 'I'
            : u_grade < d.grade_i_share + d.grade_s_share                  ? 'S'
            : u_grade < d.grade_i_share + d.grade_s_share + d.grade_e_share ? 'E'
                                                                           : 'R';
  c.kind = c.grade == 'R' ? ContactKind::kReferred : ContactKind::kAttended;
  c.emergency = c.kind == ContactKind::kAttended && u_emergency < cfg_.behaviour.emergency_per_attended;
}

void DemandGenerator::GenerateDay(std::int64_t day, std::vector<Contact>& out) const {
  if (boroughs_.empty()) return;
  Rng rng(seed_ * 0x9e3779b97f4a7c15ULL + static_cast<std::uint64_t>(day));
  const Timestamp start = LondonMidnight(day);
  const Timestamp end = LondonMidnight(day + 1);
  const double total_pop = cumulative_population_.back();
  for (Timestamp hour = start; hour < end; hour += kMicrosPerHour) {
    const double rate = RatePerHour(hour);  // per hour
    if (rate <= 0) continue;
    const double mean_gap = static_cast<double>(kMicrosPerHour) / rate;
    const Timestamp hour_end = std::min(end, hour + kMicrosPerHour);
    double t = static_cast<double>(hour) + rng.Exponential(mean_gap);
    while (t < static_cast<double>(hour_end)) {
      Contact c;
      c.at = static_cast<Timestamp>(t);
      const double pick = rng.Uniform() * total_pop;
      const size_t k = static_cast<size_t>(
          std::upper_bound(cumulative_population_.begin(), cumulative_population_.end(), pick) -
          cumulative_population_.begin());
      const size_t b = std::min(k, boroughs_.size() - 1);
      c.borough = boroughs_[b];
      c.bcu = borough_bcu_[b];
      const auto& pts = points_[b];
      const LatLon base = pts[rng.Below(pts.size())];
      // Within about 50 m of a sampled point: calls spread, and stay in the borough.
      c.point = {base.lat + (rng.Uniform() - 0.5) * 0.0009, base.lon + (rng.Uniform() - 0.5) * 0.0014};
      Classify(rng, c);
      out.push_back(c);
      t += rng.Exponential(mean_gap);
    }
  }
}

std::vector<Contact> DemandGenerator::Generate(Timestamp from, Timestamp to) const {
  std::vector<Contact> out;
  if (to <= from) return out;
  out.reserve(static_cast<size_t>(ExpectedContacts(from, to) * 1.1) + 16);
  for (std::int64_t day = LondonDayOf(from); day <= LondonDayOf(to - 1); ++day) {
    std::vector<Contact> day_contacts;
    GenerateDay(day, day_contacts);
    for (const auto& c : day_contacts) {
      if (c.at >= from && c.at < to) out.push_back(c);
    }
  }
  return out;
}

}  // namespace concordat::sim
