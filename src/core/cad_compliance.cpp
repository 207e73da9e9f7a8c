// Status compliance (DESIGN.md §4): a unit whose fixes keep it within the radius of an incident
// it is assigned to, without "at scene", is prompted after 2 minutes and the controller alerted 3
// minutes later; a unit at an incident it is not assigned to is an unrecorded attendance. Every
// step is an engine timer, so replays reproduce them exactly.
#include "core/cad_internal.hpp"

namespace concordat::cad {
namespace {

std::string PresenceTimer(const std::string& unit, const std::string& incident) {
  return "presence:" + unit + ":" + incident;
}
std::string EscalateTimer(const std::string& unit, const std::string& incident) {
  return "escalate:" + unit + ":" + incident;
}

struct Watch {
  const Unit* unit = nullptr;
  const Incident* incident = nullptr;
};

// The unit and incident a timer refers to, if both still exist, the incident is open and the
// unit is still near it.
std::optional<Watch> LiveWatch(const State& s, const Timer& t) {
  auto u = s.cad.units.find(Str(t.data, "unit_id"));
  auto i = s.cad.incidents.find(Str(t.data, "incident_id"));
  if (u == s.cad.units.end() || i == s.cad.incidents.end() || i->second.status != "open" ||
      !u->second.near.contains(i->first)) {
    return std::nullopt;
  }
  return Watch{&u->second, &i->second};
}

Result<Decision> FirePresence(const State& s, const Timer& t, const Context& ctx) {
  Decision d;
  auto w = LiveWatch(s, t);
  if (!w) return d;
  const Unit& u = *w->unit;
  const Incident& i = *w->incident;
  auto a = i.assignments.find(u.id);
  if (a != i.assignments.end()) {
    if (!a->second.Active() || a->second.state == "at_scene") return d;
    // Assigned, here, and not at scene: prompt the unit, then escalate if nothing changes.
    d.events.push_back(MakeAlertRaised(s, 0, "status_prompt", i.id, {u.id},
                                       u.call_sign + ": your location shows you at " + i.reference +
                                           " — update your status to At scene",
                                       {{"call_sign", u.call_sign}, {"state", a->second.state}},
                                       "unit"));
    d.events.push_back(
        NewEvent{IncidentStream(i.id),
                 "compliance.prompted",
                 classification::kOperational,
                 {{"unit_id", u.id},
                  {"incident_id", i.id},
                  {"escalate_at", FormatIso(ctx.now + ctx.policy->compliance.escalate_after)}}});
    return d;
  }
  // Here without any assignment: the attendance is not recorded — unless the unit is recorded
  // at a co-located incident (an emergency-button incident sits where its parent incident is).
  if (i.present_unassigned.contains(u.id)) return d;
  bool recorded_nearby = false;
  if (i.location.located) {
    s.cad.open_grid.VisitNear(
        i.location.point, ctx.policy->compliance.radius_m, [&](const std::string& oid) {
          if (recorded_nearby || oid == i.id) return;
          const Incident& other = s.cad.incidents.at(oid);
          if (other.status != "open" || !other.location.located) return;
          if (DistanceMetres(other.location.point, i.location.point) >
              ctx.policy->compliance.radius_m) {
            return;
          }
          auto oa = other.assignments.find(u.id);
          recorded_nearby = (oa != other.assignments.end() && oa->second.Active()) ||
                            other.present_unassigned.contains(u.id);
        });
  }
  if (recorded_nearby) return d;  // recorded there, or already reported there
  d.events.push_back(
      MakeAlertRaised(s, 0, "unrecorded_attendance", i.id, {u.id},
                      u.call_sign + " is at " + i.reference + " without being assigned to it",
                      {{"call_sign", u.call_sign}}));
  d.events.push_back(NewEvent{IncidentStream(i.id),
                              "incident.presence_unrecorded",
                              classification::kOperational,
                              {{"unit_id", u.id}, {"incident_id", i.id}}});
  Incident after = AttendanceCopy(i);
  after.present_unassigned.insert(u.id);
  GovernAttendance(s, after, ctx, d.events, 1);
  return d;
}

Result<Decision> FireEscalate(const State& s, const Timer& t, const Context&) {
  Decision d;
  auto w = LiveWatch(s, t);
  if (!w) return d;
  auto a = w->incident->assignments.find(w->unit->id);
  if (a == w->incident->assignments.end() || !a->second.Active() || a->second.state == "at_scene") {
    return d;
  }
  d.events.push_back(MakeAlertRaised(
      s, 0, "status_not_updated", w->incident->id, {w->unit->id},
      w->unit->call_sign + " has been at " + w->incident->reference +
          " for 5 minutes without updating its status (now: " + a->second.state + ")",
      {{"call_sign", w->unit->call_sign}, {"state", a->second.state}}));
  return d;
}

}  // namespace

void RegisterCompliance(Domain& d) {
  d.OnTimer("compliance.presence", FirePresence);
  d.OnTimer("compliance.escalate", FireEscalate);

  d.OnEvent("unit.near_incident", [](State& s, const Event& e) {
    UnitNearIncident read;
    const UnitNearIncident& n = UnitNearIncident::Of(e, read);
    const std::string& unit = n.unit_id;
    const std::string& incident = n.incident_id;
    auto u = s.cad.units.find(unit);
    if (u == s.cad.units.end()) return;
    const Timestamp since = n.since;
    u->second.near[incident] = since;
    s.cad.near_units[incident].insert(unit);
    if (auto i = s.cad.incidents.find(incident); i != s.cad.incidents.end()) {
      if (auto a = i->second.assignments.find(unit);
          a != i->second.assignments.end() && !a->second.avl_arrived_at) {
        a->second.avl_arrived_at = since;
      }
    }
    s.timers.Schedule(Timer{PresenceTimer(unit, incident),
                            n.due,
                            "compliance.presence",
                            IncidentStream(incident),
                            {{"unit_id", unit}, {"incident_id", incident}}});
  });
  d.OnEvent("unit.left_incident_area", [](State& s, const Event& e) {
    const std::string unit = Str(e.data, "unit_id");
    const std::string incident = Str(e.data, "incident_id");
    if (auto u = s.cad.units.find(unit); u != s.cad.units.end()) u->second.near.erase(incident);
    if (auto n = s.cad.near_units.find(incident); n != s.cad.near_units.end()) {
      n->second.erase(unit);
      if (n->second.empty()) s.cad.near_units.erase(n);
    }
    if (auto i = s.cad.incidents.find(incident); i != s.cad.incidents.end()) {
      i->second.present_unassigned.erase(unit);
    }
    s.timers.Cancel(PresenceTimer(unit, incident));
    s.timers.Cancel(EscalateTimer(unit, incident));
  });
  d.OnEvent("compliance.prompted", [](State& s, const Event& e) {
    const std::string unit = Str(e.data, "unit_id");
    const std::string incident = Str(e.data, "incident_id");
    s.timers.Schedule(Timer{EscalateTimer(unit, incident),
                            OptTime(e.data, "escalate_at").value_or(e.at),
                            "compliance.escalate",
                            IncidentStream(incident),
                            {{"unit_id", unit}, {"incident_id", incident}}});
  });
  d.OnEvent("incident.presence_unrecorded", [](State& s, const Event& e) {
    auto i = s.cad.incidents.find(Str(e.data, "incident_id"));
    if (i != s.cad.incidents.end()) i->second.present_unassigned.insert(Str(e.data, "unit_id"));
  });
}

}  // namespace concordat::cad
