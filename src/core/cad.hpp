// Command and control: the decide/apply functions for incidents, units, assignments, attendance
// governance, status compliance and recommendations, and their JSON views.
//
// Commands (type → body; `target` is the path id):
//   incident.create      {channel, caller{name,phone}, location{lat,lon,address,type}, type, grade,
//                         flags[], description}
//   incident.thrive      {threat, harm, risk, investigation, vulnerability, engagement, overall}
//   incident.log         {text}
//   incident.regrade     {grade, reason}
//   incident.link_person {person_id}
//   incident.close       {result_code, summary}        incident.reopen {reason}
//   unit.create          {call_sign, bcu, crew[], capabilities[], status?}
//   unit.status          {status}
//   unit.location        {lat, lon, fixed_at?, accuracy_m?}
//   unit.emergency       {}                             unit.emergency_cancel {note?}
//   assignment.create    target=incident {unit_id, mode, confirm?, reason?}
//   assignment.state     target=incident {unit_id, state}
//   assignment.stand_down target=incident {unit_ids[]? | all_not_at_scene? | alert_id?, reason?}
#pragma once

#include <boost/json/object.hpp>
#include <vector>

#include "core/domain.hpp"

namespace concordat {

void RegisterCad(Domain& d);

// What incident.create accepts as a flag and as a type code, for checking inputs before they
// become commands (the calls importer's mapping). IncidentFlagList: "a, b, c".
bool IsIncidentFlag(std::string_view flag);
std::string IncidentFlagList();
bool IsIncidentTypeCode(std::string_view type);

// Views for the API and the board. `now` gives time-to-target.
boost::json::object IncidentSummaryJson(const State& s, const Incident& i, const Policy& p,
                                        Timestamp now);
boost::json::object IncidentJson(const State& s, const Incident& i, const Policy& p,
                                 Timestamp now);
// Exactly JsonText(IncidentJson(s, i, p, now)), written directly (a command's reply); with
// `warnings`, a "warnings" array of them last, as a creation's reply has.
std::string IncidentJsonText(const State& s, const Incident& i, const Policy& p, Timestamp now,
                             const std::vector<std::string>* warnings = nullptr);
// With the state, each crew member shows their mental-health training on record (issue 6).
boost::json::object UnitJson(const Unit& u, Timestamp now, const State* s = nullptr);
boost::json::object AssignmentJson(const Assignment& a, const State& s);

struct Recommendation {
  std::string unit_id;
  double distance_m = 0;
  Timestamp eta = 0;    // estimated travel time
  Timestamp score = 0;  // eta with penalties and preferences; lower is better
  std::vector<std::string> reasons;
};
struct RecommendResult {
  std::vector<Recommendation> units;
  std::vector<std::string> why_none;  // when `units` is empty or short
};
// Best `k` available units for `incident` by estimated arrival, using the spatial index.
RecommendResult RecommendUnits(const State& s, const Incident& i, const Policy& p, Timestamp now,
                               size_t k, const std::set<std::string>& exclude = {});

// Stand-down suggestion: units not yet at scene, furthest first, specialists kept, enough to
// bring attendance back to the recommendation.
std::vector<std::string> SuggestStandDown(const State& s, const Incident& i, const Policy& p);

// Units counted as attending: active assignments plus units found present without one.
int AttendingCount(const Incident& i);

}  // namespace concordat
