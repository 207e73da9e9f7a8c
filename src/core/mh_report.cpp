// The Home Office annual data return for s136 detentions (RULES.md A15): by financial year
// (1 April–31 March, London dates of the decision to detain), one row per detention with its age
// band (under 18 included), sex, ethnicity, first place of safety, transport and — for a police
// vehicle — the reason.
#include <cstdio>

#include "core/csv.hpp"
#include "core/mh_internal.hpp"

namespace concordat {
namespace {

std::string Csv(const std::string& v) { return CsvQuote(v); }

std::string AgeBand(const Detention& d) {
  const mh::AgeFacts a = mh::AgeAt(d.person, d.decided_at);
  if (!a.years) return a.child ? "under_18" : "not_known";
  const int y = *a.years;
  if (y < 18) return "under_18";
  if (y <= 24) return "18_24";
  if (y <= 34) return "25_34";
  if (y <= 44) return "35_44";
  if (y <= 54) return "45_54";
  if (y <= 64) return "55_64";
  return "65_plus";
}

std::string FirstPlace(const Detention& d) {
  const PlaceVisit* first = nullptr;
  for (const auto& p : d.places) {
    if (p.arrived_at) {
      first = &p;
      break;
    }
  }
  if (first == nullptr) return "not_recorded";
  if (first->kind == "hbpos") return "health_based_place_of_safety";
  if (first->kind == "emergency_department") return "emergency_department";
  if (first->kind == "police_station") return "police_station";
  if (first->other_type == "private_home") return "private_home";
  if (first->other_type == "hospital") return "hospital_other";
  return "other";
}

}  // namespace

std::string S136ReturnCsv(const State& s, int year) {
  const std::int64_t from = DaysFromCivil({year, 4, 1});
  const std::int64_t to = DaysFromCivil({year + 1, 3, 31});
  char fy[16];
  std::snprintf(fy, sizeof fy, "%d/%02d", year, (year + 1) % 100);
  std::string out =
      "financial_year,detention_id,decided_on,age_band,sex,ethnicity,first_place_of_safety,"
      "transport,police_vehicle_reason\n";
  for (const auto& [id, d] : s.mh.detentions) {
    if (d.power != "s136") continue;
    const CivilDate on = LondonDate(d.decided_at);
    const std::int64_t day = DaysFromCivil(on);
    if (day < from || day > to) continue;
    std::string transport = d.kept_at_location ? "not_conveyed" : "not_recorded";
    std::string reason;
    if (!d.conveyances.empty()) {
      transport = d.conveyances.front().mode;
      reason = d.conveyances.front().police_vehicle_reason;
    }
    out += Csv(fy) + "," + Csv(d.id) + "," + FormatDate(on) + "," + AgeBand(d) + "," +
           Csv(d.person.sex.empty() ? "not_stated" : d.person.sex) + "," +
           Csv(d.person.ethnicity.empty() ? "not_stated" : d.person.ethnicity) + "," +
           FirstPlace(d) + "," + Csv(transport) + "," + Csv(reason) + "\n";
  }
  return out;
}

}  // namespace concordat
