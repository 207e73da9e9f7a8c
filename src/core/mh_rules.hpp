// The law of the mental-health pathway as effective-dated values and small pure predicates, so
// each decider asks "which rules applied at this moment?" rather than hard-coding today's law.
//
//   Mental Health Act 1983 s135/s136 as amended by the Policing and Crime Act 2017 ss80–83, in
//   force 11 December 2017 (SI 2017/1249); Mental Health Act 1983 (Places of Safety)
//   Regulations 2017 (SI 2017/1036) from the same date; the Mental Health Act 2025's removal of
//   police stations as places of safety from a commencement date set in configuration.
//
// Thread-safety: pure functions over values.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/mh_state.hpp"
#include "core/policy.hpp"

namespace concordat::mh {

// 11 December 2017 00:00 (GMT): the Policing and Crime Act 2017 amendments commence.
inline constexpr Timestamp kPaca2017InForce = 1'512'950'400'000'000;

struct MhaRules {
  bool paca2017 = true;  // the 2017 amendments apply
  // s136(2A)/s135(3ZA): 24 hours from the start; before 2017 the period was 72 hours.
  Timestamp period = Hours(24);
  // s136B: one extension of up to 12 hours; no extension existed before 2017.
  Timestamp max_extension = Hours(12);
  bool dwelling_block = true;            // s136(1A): not in a dwelling or its curtilage
  bool public_place_only = false;        // s136(1) before 2017: a place the public have access to
  bool consultation_required = true;     // s136(1C)
  bool child_station_ban = true;         // s136A
  bool adult_station_conditions = true;  // SI 2017/1036 reg 2
  bool police_stations = true;           // false once the MHA 2025 removal commences
};

// The rules in force at `at` (a decision or arrival time).
MhaRules RulesOn(Timestamp at, const MentalHealthPolicy& p);

// Age on a date from the detained person's record. `child` is true under 18 by date of birth or
// stated age, or — with neither — when the person shows signs of being a child (s136A as read
// with the Code of Practice: unknown age with signs of being a child is treated as a child).
struct AgeFacts {
  std::optional<int> years;
  bool child = false;
  bool known = false;
};
AgeFacts AgeAt(const DetainedPerson& p, Timestamp at);
// Under 16 for the Mental Capacity Act (s2(5)): the same rule with 16.
bool UnderSixteen(const AgeFacts& a);

// Police ranks, constable upwards; -1 when unknown.
int RankOrder(std::string_view rank);
inline bool InspectorOrAbove(std::string_view rank) { return RankOrder(rank) >= 2; }
inline bool SuperintendentOrAbove(std::string_view rank) { return RankOrder(rank) >= 4; }
const char* RankList();

// Whether a partner agency is the trust that runs a site: names are compared after
// normalisation ("NHS FT" = "NHS Foundation Trust", "&" = "and", bracketed notes dropped,
// generic trailing words such as "NHS Foundation Trust" ignored), so "South London and Maudsley
// NHS Foundation Trust" runs a site listed under "South London and Maudsley NHS FT".
bool SameTrust(std::string_view agency_name, std::string_view site_trust);
std::string TrustCore(std::string_view name);

// The London time of day "14:05" for alert messages.
std::string LondonClock(Timestamp t);

}  // namespace concordat::mh
