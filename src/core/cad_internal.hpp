// Helpers shared by the command-and-control source files. Not part of the core's interface.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/cad.hpp"
#include "core/json_fields.hpp"
#include "core/json_text.hpp"
#include "core/state.hpp"

namespace concordat::cad {

// "unit" or "units" after a count of n ("1 of 1 unit", "2 of 3 units").
inline const char* UnitsWord(long n) { return n == 1 ? "unit" : "units"; }

inline std::string Str(const boost::json::object& o, std::string_view k) {
  const auto* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}
inline std::optional<Timestamp> OptTime(const boost::json::object& o, std::string_view k) {
  const auto* v = o.if_contains(k);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  auto t = ParseIso(v->as_string());
  return t.ok() ? std::optional<Timestamp>(*t) : std::nullopt;
}
inline boost::json::value TimeOrNull(const std::optional<Timestamp>& t) {
  return t ? boost::json::value(FormatIso(*t)) : boost::json::value(nullptr);
}
inline boost::json::array StrArray(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}
inline std::vector<std::string> StrList(const boost::json::object& o, std::string_view k) {
  std::vector<std::string> out;
  if (const auto* v = o.if_contains(k); v && v->is_array()) {
    for (const auto& x : v->as_array()) {
      if (x.is_string()) out.emplace_back(x.as_string());
    }
  }
  return out;
}

inline std::string IncidentStream(const std::string& id) { return "incident/" + id; }
// The incident id of an incident's stream ("incident/<id>"), or "" for another stream.
inline std::string_view IncidentIdOfStream(std::string_view stream) {
  constexpr std::string_view kPrefix = "incident/";
  return stream.starts_with(kPrefix) ? stream.substr(kPrefix.size()) : std::string_view();
}

// The data of `incident.created` as a typed body (see EventBody): the incident as the call made
// it, and the London day's number. The payload is the document the decider used to build as a
// JSON object (the emergency button's incidents add `emergency_unit_id` and `parent_incident_id`).
struct IncidentCreated final : EventBody {
  Incident incident;  // everything but created_by (the event's actor)
  std::string day;    // London date "2026-11-27" of received_at
  int n = 0;          // the incident's number on that day
  void WritePayload(std::string& out) const override;
  static IncidentCreated FromData(const boost::json::object& d, Timestamp at);
};
// The data of `assignment.state_changed` as a typed body (see EventBody): the most frequent
// event of a control room (a fifth of the simulator's), so it is neither built, serialised nor
// read back as a JSON object on the writer. The payload is the document the deciders used to
// build: {"incident_id","unit_id","from","state"} and `"by_closure":true` when an incident's
// closure cleared the unit.
struct AssignmentStateChanged final : EventBody {
  std::string incident_id, unit_id, from, state;
  bool by_closure = false;
  void WritePayload(std::string& out) const override;
  static AssignmentStateChanged FromData(const boost::json::object& d);
  // The event's own body (no copy), or — an event read from the log — one read from its data into
  // `read`. The other bodies' Of are the same.
  static const AssignmentStateChanged& Of(const Event& e, AssignmentStateChanged& read);
};
// `assignment.created` as a typed body: a unit dispatched or self-deployed to an incident. Payload
// {"incident_id","unit_id","mode","dispatched_by","state","reason","after_advisory"}, the document
// the deciders used to build.
struct AssignmentCreated final : EventBody {
  std::string incident_id, unit_id, mode, dispatched_by, state, reason;
  bool after_advisory = false;
  void WritePayload(std::string& out) const override;
  static AssignmentCreated FromData(const boost::json::object& d);
  static const AssignmentCreated& Of(const Event& e, AssignmentCreated& read);
  // The event carrying it (on the incident's stream).
  NewEvent ToEvent() &&;
};

NewEvent AssignmentStateChangedEvent(std::string incident_id, std::string unit_id, std::string from,
                                     std::string state, bool by_closure = false);

// `incident.closed` as a typed body: every incident ends with one. Payload
// {"incident_id","result_code","summary"}.
struct IncidentClosed final : EventBody {
  std::string incident_id, result_code, summary;
  void WritePayload(std::string& out) const override;
  static const IncidentClosed& Of(const Event& e, IncidentClosed& read);
};

// `incident.resourced` / `incident.unresourced` as typed bodies: attendance governance makes one
// whenever an incident reaches or falls below its recommended units (a tenth of the simulator's
// events). Payloads {"incident_id","recommended","assigned","advisory_bcus","message"} and
// {"incident_id","recommended","assigned"} — or, for a closure, {"incident_id","reason"}.
struct IncidentResourced final : EventBody {
  std::string incident_id;
  int recommended = 0, assigned = 0;
  std::vector<std::string> advisory_bcus;
  std::string message;
  void WritePayload(std::string& out) const override;
};
struct IncidentUnresourced final : EventBody {
  std::string incident_id;
  std::optional<int> recommended, assigned;
  std::optional<std::string> reason;
  void WritePayload(std::string& out) const override;
};
// The incident an event of the incident's own stream ("incident/<id>") is about, or nullptr.
Incident* IncidentOfStream(State& s, const Event& e);

// `unit.near_incident` as a typed body: a fix put the unit within the compliance radius of an
// open incident. Payload {"unit_id","incident_id","since","due","assigned"}.
struct UnitNearIncident final : EventBody {
  std::string unit_id, incident_id;
  Timestamp since = 0, due = 0;
  bool assigned = false;
  void WritePayload(std::string& out) const override;
  static const UnitNearIncident& Of(const Event& e, UnitNearIncident& read);
};

// "assignment.state": a unit's assignment to an incident moves on (en route, at scene, …), with
// the status prompts it answers and the attendance it changes. Also behind a unit's own status
// change to en route or at scene (cad_units.cpp), so the two records never disagree.
Result<Decision> DecideAssignmentState(const State& s, const Command& c, const Context& ctx);
inline std::string UnitStream(const std::string& id) { return "unit/" + id; }

// Finds the incident named by a command's target, or a not_found error.
inline Result<const Incident*> FindIncident(const State& s, const std::string& id) {
  auto it = s.cad.incidents.find(id);
  if (it == s.cad.incidents.end()) {
    return Error::NotFound("no incident " + id);
  }
  return &it->second;
}
inline Result<const Unit*> FindUnit(const State& s, const std::string& id) {
  auto it = s.cad.units.find(id);
  if (it == s.cad.units.end()) {
    return Error::NotFound("no unit " + id);
  }
  return &it->second;
}

// Officers act only for a unit they crew; control-room roles and admins for any unit.
inline Status CheckOwnUnit(const Command& c, const Unit& u) {
  if (c.actor.role == "officer" && !u.HasCrewMember(c.actor.collar)) {
    return Error::PermissionDenied("officers may act only for their own unit; " + u.call_sign +
                                   " is not crewed by collar " +
                                   (c.actor.collar.empty() ? "(none)" : c.actor.collar));
  }
  return OkStatus();
}

// Distance from a unit's last fix to an incident, or a large number without either.
inline double DistanceTo(const Unit& u, const Incident& i) {
  if (!u.fix || !i.location.located) return 1e12;
  return DistanceMetres(u.fix->point, i.location.point);
}

// Builds the reply for a decision: the incident as it is after the events are applied.
std::function<boost::json::value(const State&)> IncidentReply(const std::string& id,
                                                              const Context& ctx);
// Sets both forms of that reply on a decision (Decision::reply and ::reply_text).
void SetIncidentReply(Decision& d, const std::string& id, const Context& ctx);

// Attendance governance after a change of assignments or presence: appends "incident.resourced"
// and over-attendance alert events to `out` when thresholds are crossed. `after` describes the
// incident as it will be once the events already in `out` apply (computed by the caller). It
// reads only the fields AttendanceCopy keeps (keep the two in step).
void GovernAttendance(const State& s, const Incident& after, const Context& ctx,
                      std::vector<NewEvent>& out, int alerts_already);
// How many alerts `evs` raises: the offset for the next MakeAlertRaised of the same decision.
int CountAlerts(const std::vector<NewEvent>& evs);

// What GovernAttendance reads of an incident, copied so a decider can apply its change and see
// the attendance after it without copying the incident's caller, text, log and assessments (the
// whole copy was ~1% of the simulator's instructions, one per status change). Every decider
// that governs attendance makes its `after` with this.
inline Incident AttendanceCopy(const Incident& i) {
  Incident a;
  a.id = i.id;
  a.type = i.type;
  a.grade = i.grade;
  a.bcu_code = i.bcu_code;
  a.location = i.location;
  a.resourced = i.resourced;
  a.emergency_unit_id = i.emergency_unit_id;  // never suggested for stand-down
  a.first_arrival_at = i.first_arrival_at;
  a.assignments = i.assignments;
  a.present_unassigned = i.present_unassigned;
  return a;
}

// The status-compliance alerts ("update your status", "has not updated its status") of
// `incident_id` that are still open, for `unit_id` (every unit when empty), answered: appends an
// alert.acknowledged event for each to `out`, with `note`. Used when the unit records at scene,
// leaves, is cleared or stood down, and when the incident closes — a prompt that has been
// answered must not stay on the board as if it had not.
void AnswerStatusPrompts(const State& s, const std::string& incident_id,
                         const std::string& unit_id, const std::string& note,
                         std::vector<NewEvent>& out);

// incident.create's decider, also used by the emergency button.
Result<Decision> DecideIncidentCreate(const State& s, const Command& c, const Context& ctx);

// Assignment bookkeeping shared by apply() and by deciders previewing a change.
void ApplyAssignmentCreated(Incident& i, const AssignmentCreated& a, Timestamp at);
void ApplyAssignmentState(Incident& i, const std::string& unit_id, const std::string& state,
                          Timestamp at);

void RegisterIncidents(Domain& d);
void RegisterUnits(Domain& d);
void RegisterAssignments(Domain& d);
void RegisterCompliance(Domain& d);

}  // namespace concordat::cad
