// Helpers shared by the team_*.cpp sources. Not part of the core's interface.
#pragma once

#include <boost/json.hpp>
#include <string>

#include "core/cad_internal.hpp"
#include "core/team.hpp"
#include "core/team_address.hpp"

namespace concordat::team {

using cad::OptTime;
using cad::Str;
using cad::StrArray;
using cad::StrList;
using cad::TimeOrNull;

inline const std::initializer_list<std::string_view> kFunctions = {"partnerships_crisis",
                                                                   "prevention", "high_intensity"};

inline std::string TeamStream(const std::string& bcu) { return "team/" + bcu; }
inline std::string PersonStream(const std::string& id) { return "person/" + id; }
inline std::string FlagStream(const std::string& id) { return "hiu/" + id; }
inline std::string CaseStream(const std::string& id) { return "hiu-case/" + id; }
inline std::string TrainingStream() { return "training"; }
inline std::string LearningStream(const std::string& id) { return "learning/" + id; }

inline Timestamp DaysMicros(std::int64_t d) { return d * kMicrosPerDay; }

// `d` plus `months` calendar months, the day clamped to the month's length (31 Jan + 1 → 28 Feb).
CivilDate AddMonths(CivilDate d, int months);
// The instant London's day `d` begins.
Timestamp LondonMidnight(CivilDate d);
// A "YYYY-MM-DD" already validated (written by decide); the epoch date when it does not parse.
CivilDate DateOf(const std::string& s);
std::int64_t DayNumber(const std::string& s);

// A decision of one event with a reply.
Decision OneEvent(NewEvent e, std::function<boost::json::value(const State&)> reply,
                  int status = 200);

boost::json::value PartnerLeadsJson(const std::vector<PartnerLead>& v);
// Reads [{name, organisation, role?}] at `path`; errors name the item.
std::vector<PartnerLead> ReadPartnerLeads(FieldReader& r, const boost::json::object& body,
                                          std::string_view path, size_t max_items = 20);
std::vector<PartnerLead> PartnerLeadsFrom(const boost::json::object& data, std::string_view key);

// Training status of one officer on one course: last completion, the date a refresher is due
// ("" when the course never needs one) and current | due | overdue.
struct CourseStanding {
  const Course* course = nullptr;
  const Completion* last = nullptr;
  std::string due_on;
  std::string status;
};
std::vector<CourseStanding> Standings(const State& s, const TrainedOfficer& o, Timestamp now,
                                      int due_soon_days);

// Index hooks (team_persons.cpp): keep the repeat-demand index in step with the CAD.
void RegisterDemandIndexing(Domain& d);
void RegisterOrganisation(Domain& d);
void RegisterPersons(Domain& d);
void RegisterHiu(Domain& d);
void RegisterTraining(Domain& d);
void RegisterLearning(Domain& d);

// The attendance of a contact as the index wants it, from the incident's assignments.
void RefreshAttendance(RepeatDemandIndex& ix, const CadState& cad, const Incident& i);

}  // namespace concordat::team
