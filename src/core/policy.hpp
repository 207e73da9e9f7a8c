// Policy as data: the configurable values the domain uses, with MPS-like defaults. The CLI loads
// them from the TOML configuration file (src/cli/config.cpp); the core only reads them.
#pragma once

#include <map>
#include <string>
#include <vector>

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

struct Policy {
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
