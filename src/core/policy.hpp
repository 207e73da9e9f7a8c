// Policy as data: the configurable values the domain uses, with MPS-like defaults. The CLI loads
// them from the TOML configuration file (src/cli/config.cpp); the core only reads them.
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/team_policy.hpp"
#include "core/time.hpp"

namespace concordat {

struct GradePolicy {
  std::string code;      // "I"
  std::string name;      // "Immediate"
  Timestamp target = 0;  // 0 = no deployment target
  bool deploys = true;   // false for R
  double speed_kmh = 30;  // travel speed used for estimated arrival
};

struct AttendancePolicy {
  // "type:grade" → units; "type:*" and "*:grade" are fallbacks, then `default_units`.
  std::map<std::string, int> recommended = {
      {"officer_assistance:*", 4}, {"*:I", 2}, {"*:S", 1}, {"*:E", 1}, {"*:R", 0}};
  int default_units = 1;
  int tolerance = 2;  // over-attendance when present > recommended + tolerance
  // Capabilities kept off stand-down lists (specialists).
  std::vector<std::string> specialist_capabilities = {"firearms", "dog", "taser", "medic",
                                                      "mental_health_triage"};
  int emergency_units = 4;                 // units the emergency button dispatches
  // Units already assigned to the incident the button was pressed at (the presser at its scene)
  // are going to the same place: they join the emergency as they are and count towards
  // emergency_units, and only the rest are sent.
  bool emergency_counts_units_at_scene_incident = true;
  Timestamp emergency_join_window = Minutes(30);  // a second press joins the open incident
};

struct CompliancePolicy {
  double radius_m = 100;                 // "at the incident"
  Timestamp prompt_after = Minutes(2);   // near, assigned, not at scene → prompt the unit
  Timestamp escalate_after = Minutes(3); // then alert the controller
  Timestamp unrecorded_after = Minutes(2);  // near, not assigned → unrecorded attendance
};

struct RecommendPolicy {
  double detour_factor = 1.3;
  Timestamp out_of_bcu_penalty = Minutes(3);
  Timestamp mental_health_bonus = Minutes(4);  // preference for trained crews on MH incidents
  Timestamp max_fix_age = Minutes(30);          // older fixes are not trusted for ranking
};

struct PartnerPolicy {
  // Time for the receiving agency to acknowledge a referral, by type; then `referral_overdue`.
  std::map<std::string, Timestamp> referral_deadlines = {
      {"street_triage", Minutes(15)},  {"amhp_assessment", Hours(2)},
      {"ambulance_conveyance", Minutes(30)}, {"nhs111_hub", Hours(1)},
      {"crisis_team", Hours(1)},        {"safeguarding", Hours(24)},
      {"police_assistance", Minutes(30)}};
  Timestamp DeadlineFor(const std::string& type) const {
    auto it = referral_deadlines.find(type);
    return it == referral_deadlines.end() ? Hours(1) : it->second;
  }
  // Which kinds of agency (the reference data's `kind`) take each type of referral from the
  // police; a type not listed goes to none. Street triage and crisis teams are the trusts'
  // services, AMHPs the local authorities'; safeguarding goes to the local authority or a trust.
  std::map<std::string, std::vector<std::string>> referral_recipients = {
      {"street_triage", {"mental_health_trust"}},
      {"amhp_assessment", {"amhp_service"}},
      {"ambulance_conveyance", {"ambulance_service"}},
      {"nhs111_hub", {"nhs111_hub"}},
      {"crisis_team", {"mental_health_trust"}},
      {"safeguarding", {"amhp_service", "mental_health_trust", "acute_trust", "voluntary"}}};
  bool TakesReferral(const std::string& agency_kind, const std::string& type) const {
    auto it = referral_recipients.find(type);
    return it != referral_recipients.end() &&
           std::find(it->second.begin(), it->second.end(), agency_kind) != it->second.end();
  }
};

// The mental-health pathway (RULES.md A, D). Statutory periods are code (core/mh_rules.hpp);
// these are the configurable values around them.
struct MentalHealthPolicy {
  // RULES.md A4: alerts this long before the s135/s136 period ends (and always at expiry).
  std::vector<Timestamp> clock_alerts_before = {Hours(4), Hours(1)};
  Timestamp welfare_grace = Minutes(5);          // A8: reg 4 check missed after 30 min + grace
  Timestamp custody_review_every = Hours(1);     // A8: *check* the interval against reg 3
  Timestamp handover_alert_after = Minutes(60);  // D25: guidance, an alert not a block
  // A4: detained and not at a place of safety this long after the decision (the period has not
  // started): an `s136_not_arrived` alert, and again each time as long again passes.
  Timestamp arrival_alert_after = Minutes(60);
  Timestamp ambulance_wait = Minutes(30);        // A12: "no ambulance within 30 minutes"
  // A14: the Mental Health Act 2025 removes police stations as places of safety from a
  // commencement date not yet set; nullopt until it is.
  std::optional<Timestamp> police_stations_removed_from;
  double conveyance_speed_kmh = 30;  // travel estimate for place-of-safety suggestions
  Timestamp awol_report_within = Minutes(60);  // D24: "immediately", flagged when later
};

// Reports (issue 8): the shifts the record-quality report groups by, as local (Europe/London)
// start hours in order; a shift runs to the next one's start.
struct ReportsPolicy {
  std::vector<std::pair<std::string, int>> shifts = {{"early", 7}, {"late", 15}, {"night", 23}};
  std::string ShiftOf(int local_hour) const {
    std::string last = shifts.empty() ? std::string("all") : shifts.back().first;
    for (const auto& [name, start] : shifts) {
      if (local_hour >= start) last = name;
    }
    return last;
  }
};

struct Policy {
  ReportsPolicy reports;
  PartnerPolicy partners;
  TeamPolicy team;  // issue 6: repeat demand, organisation, HIU, training (team_policy.hpp)
  // RULES.md C21: MPS defaults. Speeds: blue-light urgent, then normal road speeds in London.
  std::vector<GradePolicy> grades = {
      {"I", "Immediate", Minutes(15), true, 40},
      {"S", "Significant", Minutes(60), true, 25},
      {"E", "Extended", Hours(48), true, 20},
      {"R", "Referred", 0, false, 20},
  };
  // Unit statuses (DESIGN.md §4 defaults). "available" is the one recommendations use.
  std::vector<std::string> unit_statuses = {"off_duty",     "available",  "en_route",
                                            "at_scene",     "transporting", "at_hospital",
                                            "committed_elsewhere", "unavailable"};
  AttendancePolicy attendance;
  CompliancePolicy compliance;
  RecommendPolicy recommend;
  MentalHealthPolicy mental_health;

  const GradePolicy* FindGrade(std::string_view code) const {
    for (const auto& g : grades) {
      if (g.code == code) {
        return &g;
      }
    }
    return nullptr;
  }
  bool IsUnitStatus(std::string_view s) const {
    for (const auto& u : unit_statuses) {
      if (u == s) {
        return true;
      }
    }
    return false;
  }
  int RecommendedUnits(const std::string& type, const std::string& grade) const {
    const auto& r = attendance.recommended;
    for (const auto& key : {type + ":" + grade, type + ":*", "*:" + grade}) {
      if (auto it = r.find(key); it != r.end()) {
        return it->second;
      }
    }
    return attendance.default_units;
  }
};

}  // namespace concordat
