// Assignments (dispatch and self-deployment), their states, stand-down, and attendance
// governance: "resourced" advisories and over-attendance alerts.
#include <algorithm>

#include "core/cad_internal.hpp"
#include "core/cad_requests.hpp"

namespace concordat::cad {

void ApplyAssignmentCreated(Incident& i, const AssignmentCreated& c, Timestamp at) {
  Assignment a;
  a.unit_id = c.unit_id;
  a.mode = c.mode;
  a.dispatched_by = c.dispatched_by;
  a.state = c.state;
  a.reason = c.reason;
  a.after_advisory = c.after_advisory;
  a.assigned_at = at;
  if (a.state == "at_scene") {
    a.at_scene_at = at;
    if (!i.first_arrival_at && !i.IsPresser(a.unit_id)) i.first_arrival_at = at;
  }
  i.present_unassigned.erase(a.unit_id);
  i.assignments[a.unit_id] = std::move(a);
}

void AssignmentCreated::WritePayload(std::string& out) const {
  out.reserve(out.size() + 112 + incident_id.size() + unit_id.size() + mode.size() +
              dispatched_by.size() + state.size() + reason.size());
  JsonWriter w(out);
  w.Open().Key("incident_id").Str(incident_id).Key("unit_id").Str(unit_id);
  w.Key("mode").Str(mode).Key("dispatched_by").Str(dispatched_by).Key("state").Str(state);
  w.Key("reason").Str(reason).Key("after_advisory").Bool(after_advisory).Close();
}

AssignmentCreated AssignmentCreated::FromData(const boost::json::object& d) {
  AssignmentCreated c;
  c.incident_id = Str(d, "incident_id");
  c.unit_id = Str(d, "unit_id");
  c.mode = Str(d, "mode");
  c.dispatched_by = Str(d, "dispatched_by");
  c.state = Str(d, "state");
  c.reason = Str(d, "reason");
  if (const auto* v = d.if_contains("after_advisory"); v && v->is_bool()) {
    c.after_advisory = v->as_bool();
  }
  return c;
}

const AssignmentCreated& AssignmentCreated::Of(const Event& e, AssignmentCreated& read) {
  if (const auto* typed = dynamic_cast<const AssignmentCreated*>(e.body.get())) return *typed;
  read = FromData(e.data);
  return read;
}

NewEvent AssignmentCreated::ToEvent() && {
  NewEvent e{
      IncidentStream(incident_id), "assignment.created", classification::kOperational, {}, nullptr};
  e.body = std::make_shared<AssignmentCreated>(std::move(*this));
  return e;
}

void ApplyAssignmentState(Incident& i, const std::string& unit_id, const std::string& state,
                          Timestamp at) {
  auto it = i.assignments.find(unit_id);
  if (it == i.assignments.end()) return;
  Assignment& a = it->second;
  a.state = state;
  if (state == "en_route") a.en_route_at = at;
  if (state == "at_scene") {
    a.at_scene_at = at;
    if (!i.first_arrival_at && !i.IsPresser(unit_id)) i.first_arrival_at = at;
  }
  if (state == "left_scene") a.left_scene_at = at;
  if (state == "cleared") a.cleared_at = at;
  if (state == "stood_down") a.stood_down_at = at;
}

}  // namespace concordat::cad

namespace concordat {

int AttendingCount(const Incident& i) {
  // Not the unit that pressed the emergency button: the recommendation (officer_assistance: 4)
  // counts the units sent to help it.
  int n = static_cast<int>(i.present_unassigned.size());
  for (const auto& [u, a] : i.assignments) {
    n += a.Active() && !i.IsPresser(u) ? 1 : 0;
  }
  return n;
}

std::vector<std::string> SuggestStandDown(const State& s, const Incident& i, const Policy& p) {
  const int recommended = p.RecommendedUnits(i.type, i.grade);
  const int surplus = AttendingCount(i) - recommended;
  std::vector<std::pair<double, std::string>> candidates;
  for (const auto& [uid, a] : i.assignments) {
    if (!a.Active() || a.state == "at_scene") continue;
    auto u = s.cad.units.find(uid);
    if (u == s.cad.units.end()) continue;
    bool specialist = false;
    for (const auto& cap : u->second.capabilities) {
      const auto& sp = p.attendance.specialist_capabilities;
      specialist = specialist || std::find(sp.begin(), sp.end(), cap) != sp.end();
    }
    if (specialist || i.IsPresser(uid)) continue;
    candidates.emplace_back(cad::DistanceTo(u->second, i), uid);
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });  // furthest first
  std::vector<std::string> out;
  for (const auto& [dist, uid] : candidates) {
    if (static_cast<int>(out.size()) >= surplus) break;
    out.push_back(uid);
  }
  return out;
}

}  // namespace concordat

namespace concordat::cad {

void GovernAttendance(const State& s, const Incident& after, const Context& ctx,
                      std::vector<NewEvent>& out, int alerts_already) {
  const Policy& p = *ctx.policy;
  const int recommended = p.RecommendedUnits(after.type, after.grade);
  const int active = after.ActiveCount();
  if (recommended > 0 && !after.resourced && active >= recommended) {
    auto body = std::make_shared<IncidentResourced>();
    if (!after.bcu_code.empty()) {
      body->advisory_bcus.push_back(after.bcu_code);
      if (ctx.ref) {
        for (const auto& n : ctx.ref->NeighbourBcus(after.bcu_code)) {
          body->advisory_bcus.push_back(n);
        }
      }
    }
    auto ref = s.cad.incidents.find(after.id);
    const std::string& reference = ref != s.cad.incidents.end() ? ref->second.reference : after.id;
    body->incident_id = after.id;
    body->recommended = recommended;
    body->assigned = active;
    body->message = "Sufficient resources: " + std::to_string(active) + " of " +
                    std::to_string(recommended) + " " + UnitsWord(recommended) + " assigned to " +
                    reference + ". Do not self-deploy without a reason.";
    out.push_back(NewEvent{IncidentStream(after.id),
                           "incident.resourced",
                           classification::kOperational,
                           {},
                           std::move(body)});
  } else if (after.resourced && active < recommended) {
    auto body = std::make_shared<IncidentUnresourced>();
    body->incident_id = after.id;
    body->recommended = recommended;
    body->assigned = active;
    out.push_back(NewEvent{IncidentStream(after.id),
                           "incident.unresourced",
                           classification::kOperational,
                           {},
                           std::move(body)});
  }
  const int attending = AttendingCount(after);
  // The incident's open over-attendance alert, if any (one at a time), unless this decision has
  // already acknowledged it (a stand-down from the alert).
  const Alert* open = nullptr;
  if (auto ids = s.alerts.by_incident.find(after.id); ids != s.alerts.by_incident.end()) {
    for (const auto& aid : ids->second) {
      const Alert& al = s.alerts.by_id.at(aid);
      if (al.type != "over_attendance" || al.acknowledged_at) continue;
      const bool closed_now = std::any_of(out.begin(), out.end(), [&](const NewEvent& e) {
        return e.type == "alert.acknowledged" && Str(e.data, "alert_id") == aid;
      });
      if (!closed_now) open = &al;
    }
  }
  const int threshold = recommended + p.attendance.tolerance;
  if (attending <= threshold) {
    if (open != nullptr) {
      // What it asked for has happened: off the board, saying why.
      CloseAlerts(
          s, after.id, [&](const Alert& a) { return a.id == open->id; },
          "attendance back within the recommendation: " + std::to_string(attending) + " of " +
              std::to_string(recommended),
          out, /*by=*/"");
    }
    return;
  }
  auto suggested = SuggestStandDown(s, after, p);
  boost::json::array list;
  for (const auto& uid : suggested) {
    auto u = s.cad.units.find(uid);
    list.push_back(boost::json::object{
        {"unit_id", uid},
        {"call_sign", u != s.cad.units.end() ? u->second.call_sign : uid},
        {"distance_m", u != s.cad.units.end() ? std::round(DistanceTo(u->second, after)) : 0.0}});
  }
  std::string message = std::to_string(attending) + " units attending against " +
                        std::to_string(recommended) + " recommended (+" +
                        std::to_string(p.attendance.tolerance) + " tolerance): stand down " +
                        std::to_string(suggested.size());
  boost::json::object data{{"recommended", recommended},
                           {"tolerance", p.attendance.tolerance},
                           {"attending", attending},
                           {"suggested_stand_down", list}};
  if (open == nullptr) {
    out.push_back(MakeAlertRaised(s, alerts_already, "over_attendance", after.id, suggested,
                                  std::move(message), std::move(data)));
  } else if (open->message != message || open->unit_ids != suggested) {
    // The scene has moved on: the alert says so, and its stand-down button stands down what it
    // now shows.
    out.push_back(MakeAlertUpdated(*open, suggested, std::move(message), std::move(data)));
  }
}

void AnswerStatusPrompts(const State& s, const std::string& incident_id,
                         const std::string& unit_id, const std::string& note,
                         std::vector<NewEvent>& out) {
  CloseAlerts(
      s, incident_id,
      [&](const Alert& a) {
        return (a.type == "status_prompt" || a.type == "status_not_updated") &&
               (unit_id.empty() ||
                std::find(a.unit_ids.begin(), a.unit_ids.end(), unit_id) != a.unit_ids.end());
      },
      note, out, /*by=*/"");
}

int CountAlerts(const std::vector<NewEvent>& evs) {
  int n = 0;
  for (const auto& e : evs) n += e.type == "alert.raised" ? 1 : 0;
  return n;
}

namespace {

Result<Decision> DecideAssign(const State& s, const Command& c, const Context& ctx) {
  auto inc = FindIncident(s, c.target);
  if (!inc.ok()) return inc.error();
  AssignmentCreateRequest read;
  auto request = RequestOf(c, read);
  if (!request.ok()) return request.error();
  const std::string& unit_id = (*request)->unit_id;
  const std::string& mode = (*request)->mode;
  const bool confirm = (*request)->confirm;
  const auto& reason = (*request)->reason;
  const Incident& i = **inc;
  auto unit = FindUnit(s, unit_id);
  if (!unit.ok()) return Error::InvalidArgument("unit_id", unit.error().message);
  const Unit& u = **unit;
  if (mode == "dispatched" && c.actor.role == "officer") {
    return Error::PermissionDenied("officers self-deploy; dispatch is for the control room");
  }
  if (mode == "self_deployed") {
    if (auto st = CheckOwnUnit(c, u); !st.ok()) return st.error();
  }
  if (i.status != "open") return Error::Conflict(i.reference + " is closed");
  if (u.status == "off_duty") {
    return Error::FailedPrecondition(u.call_sign + " is off duty and cannot be assigned", "unit_id");
  }
  if (auto a = i.assignments.find(unit_id); a != i.assignments.end() && a->second.Active()) {
    return Error::Conflict(u.call_sign + " is already assigned to " + i.reference);
  }
  const int recommended = ctx.policy->RecommendedUnits(i.type, i.grade);
  const bool advisory = i.resourced && mode == "self_deployed";
  if (advisory && !confirm) {
    Error e = Error::FailedPrecondition(
        "Sufficient resources: " + i.reference + " already has " + std::to_string(i.ActiveCount()) +
            " of " + std::to_string(recommended) + " " + UnitsWord(recommended) +
            ". To self-deploy anyway, confirm with a reason.",
        "confirm");
    e.details = boost::json::object{
        {"advisory", boost::json::object{{"incident_id", i.id},
                                         {"reference", i.reference},
                                         {"recommended", recommended},
                                         {"assigned", i.ActiveCount()},
                                         {"attending", AttendingCount(i)}}}};
    return e;
  }
  if (advisory && (!reason || IsBlank(*reason))) {
    return Error::InvalidArgument("reason", "a reason is required to self-deploy after the "
                                            "sufficient-resources advisory");
  }
  AssignmentCreated created;
  created.incident_id = i.id;
  created.unit_id = unit_id;
  created.mode = mode;
  created.dispatched_by = mode == "dispatched" ? c.actor.user_id : "";
  created.state = "assigned";
  created.reason = reason.value_or("");
  created.after_advisory = advisory;
  Incident after = AttendanceCopy(i);
  ApplyAssignmentCreated(after, created, ctx.now);
  Decision d;
  d.status = 201;
  d.events.push_back(std::move(created).ToEvent());
  GovernAttendance(s, after, ctx, d.events, 0);
  SetIncidentReply(d, i.id, ctx);
  return d;
}

bool TransitionAllowed(const std::string& from, const std::string& to) {
  static const std::map<std::string, std::vector<std::string>> kNext = {
      {"assigned", {"en_route", "at_scene", "cleared"}},
      {"en_route", {"at_scene", "cleared"}},
      {"at_scene", {"left_scene", "cleared"}},
      {"left_scene", {"at_scene", "cleared"}},
  };
  auto it = kNext.find(from);
  return it != kNext.end() && std::find(it->second.begin(), it->second.end(), to) != it->second.end();
}

}  // namespace

void IncidentResourced::WritePayload(std::string& out) const {
  out.reserve(out.size() + 96 + incident_id.size() + message.size() + 8 * advisory_bcus.size());
  JsonWriter w(out);
  w.Open().Key("incident_id").Str(incident_id).Key("recommended").Int(recommended);
  w.Key("assigned").Int(assigned).Key("advisory_bcus").StrArray(advisory_bcus);
  w.Key("message").Str(message).Close();
}

void IncidentUnresourced::WritePayload(std::string& out) const {
  JsonWriter w(out);
  w.Open().Key("incident_id").Str(incident_id);
  if (recommended) w.Key("recommended").Int(*recommended);
  if (assigned) w.Key("assigned").Int(*assigned);
  if (reason) w.Key("reason").Str(*reason);
  w.Close();
}

Incident* IncidentOfStream(State& s, const Event& e) {
  const std::string_view id = IncidentIdOfStream(e.stream);
  if (id.empty()) return nullptr;
  auto it = s.cad.incidents.find(id);
  return it == s.cad.incidents.end() ? nullptr : &it->second;
}

void AssignmentStateChanged::WritePayload(std::string& out) const {
  out.reserve(out.size() + 64 + incident_id.size() + unit_id.size() + from.size() + state.size());
  JsonWriter w(out);
  w.Open().Key("incident_id").Str(incident_id).Key("unit_id").Str(unit_id);
  w.Key("from").Str(from).Key("state").Str(state);
  if (by_closure) w.Key("by_closure").Bool(true);
  w.Close();
}

AssignmentStateChanged AssignmentStateChanged::FromData(const boost::json::object& d) {
  AssignmentStateChanged c;
  c.incident_id = Str(d, "incident_id");
  c.unit_id = Str(d, "unit_id");
  c.from = Str(d, "from");
  c.state = Str(d, "state");
  const auto* closure = d.if_contains("by_closure");
  c.by_closure = closure != nullptr && closure->is_bool() && closure->get_bool();
  return c;
}

const AssignmentStateChanged& AssignmentStateChanged::Of(const Event& e,
                                                         AssignmentStateChanged& read) {
  if (const auto* typed = dynamic_cast<const AssignmentStateChanged*>(e.body.get())) return *typed;
  read = FromData(e.data);
  return read;
}

NewEvent AssignmentStateChangedEvent(std::string incident_id, std::string unit_id, std::string from,
                                     std::string state, bool by_closure) {
  auto body = std::make_shared<AssignmentStateChanged>();
  NewEvent e{IncidentStream(incident_id),
             "assignment.state_changed",
             classification::kOperational,
             {},
             nullptr};
  body->incident_id = std::move(incident_id);
  body->unit_id = std::move(unit_id);
  body->from = std::move(from);
  body->state = std::move(state);
  body->by_closure = by_closure;
  e.body = std::move(body);
  return e;
}

Result<Decision> DecideAssignmentState(const State& s, const Command& c, const Context& ctx) {
  auto inc = FindIncident(s, c.target);
  if (!inc.ok()) return inc.error();
  AssignmentStateRequest read;
  auto request = RequestOf(c, read);
  if (!request.ok()) return request.error();
  const std::string& unit_id = (*request)->unit_id;
  const std::string& state = (*request)->state;
  const Incident& i = **inc;
  auto unit = FindUnit(s, unit_id);
  if (!unit.ok()) return Error::InvalidArgument("unit_id", unit.error().message);
  if (auto st = CheckOwnUnit(c, **unit); !st.ok()) return st.error();
  auto a = i.assignments.find(unit_id);
  if (a == i.assignments.end()) {
    return Error::FailedPrecondition((*unit)->call_sign + " is not assigned to " + i.reference +
                                         ": assign or self-deploy first",
                                     "unit_id");
  }
  if (!TransitionAllowed(a->second.state, state)) {
    return Error::FailedPrecondition("an assignment cannot go from " + a->second.state + " to " +
                                         state,
                                     "state");
  }
  Incident after = AttendanceCopy(i);
  ApplyAssignmentState(after, unit_id, state, ctx.now);
  Decision d;
  d.events.push_back(AssignmentStateChangedEvent(i.id, unit_id, a->second.state, state));
  if (state != "en_route") {
    AnswerStatusPrompts(s, i.id, unit_id, "status updated: " + state, d.events);
  }
  GovernAttendance(s, after, ctx, d.events, 0);
  SetIncidentReply(d, i.id, ctx);
  return d;
}

namespace {

Result<Decision> DecideStandDown(const State& s, const Command& c, const Context& ctx) {
  auto inc = FindIncident(s, c.target);
  if (!inc.ok()) return inc.error();
  const Incident& i = **inc;
  FieldReader r(c.body);
  auto unit_ids = r.StringList("unit_ids", 200);
  const bool all_not_at_scene = r.OptionalBool("all_not_at_scene").value_or(false);
  const auto alert_id = r.OptionalString("alert_id", 100);
  const auto reason = r.OptionalString("reason", 1000);
  if (!r.ok()) return r.error();
  // unit_ids with alert_id: the units the alert showed the user, and the alert is answered.
  const int ways = (unit_ids.empty() && !alert_id ? 0 : 1) + (all_not_at_scene ? 1 : 0);
  if (ways != 1) {
    return Error::InvalidArgument("unit_ids",
                                  "give unit_ids, alert_id (or both), or all_not_at_scene alone");
  }
  const Alert* alert = nullptr;
  if (alert_id) {
    auto it = s.alerts.by_id.find(*alert_id);
    if (it == s.alerts.by_id.end() || it->second.incident_id != i.id ||
        it->second.type != "over_attendance") {
      return Error::InvalidArgument("alert_id", "no over-attendance alert " + *alert_id +
                                                    " on this incident");
    }
    alert = &it->second;
    if (unit_ids.empty()) {
      // What the alert shows (kept up to date as units come and go: GovernAttendance), less any
      // unit that has since arrived or left: a button stands down what it says, never more.
      for (const auto& uid : alert->unit_ids) {
        auto a = i.assignments.find(uid);
        if (a != i.assignments.end() && a->second.Active() && a->second.state != "at_scene") {
          unit_ids.push_back(uid);
        }
      }
      if (unit_ids.empty()) {
        return Error::Conflict("none of the units alert " + *alert_id +
                               " suggested is still on its way: nothing was stood down");
      }
    }
  }
  if (all_not_at_scene) {
    for (const auto& [uid, a] : i.assignments) {
      if (a.Active() && a.state != "at_scene") unit_ids.push_back(uid);
    }
  }
  for (const auto& uid : unit_ids) {
    auto a = i.assignments.find(uid);
    if (a == i.assignments.end() || !a->second.Active()) {
      return Error::InvalidArgument("unit_ids", uid + " has no active assignment on " +
                                                    i.reference);
    }
  }
  Incident after = AttendanceCopy(i);
  Decision d;
  const std::string why = reason.value_or(alert ? "over-attendance: surplus to requirement"
                                                : "stood down by control");
  for (const auto& uid : unit_ids) {
    ApplyAssignmentState(after, uid, "stood_down", ctx.now);
    d.events.push_back(NewEvent{IncidentStream(i.id), "assignment.stood_down",
                                classification::kOperational,
                                {{"incident_id", i.id}, {"unit_id", uid}, {"reason", why}}});
    AnswerStatusPrompts(s, i.id, uid, "stood down", d.events);
  }
  if (alert && !alert->acknowledged_at) {
    d.events.push_back(NewEvent{IncidentStream(i.id),
                                "alert.acknowledged",
                                classification::kOperational,
                                {{"alert_id", alert->id},
                                 {"note", "stood down " + std::to_string(unit_ids.size()) + " " +
                                              UnitsWord(static_cast<long>(unit_ids.size()))}}});
  }
  GovernAttendance(s, after, ctx, d.events, CountAlerts(d.events));
  const size_t n = unit_ids.size();
  auto render = IncidentReply(i.id, ctx);
  d.reply = [render, n](const State& st) {
    auto v = render(st);
    v.as_object()["stood_down"] = n;
    return v;
  };
  return d;
}

// Keeps the unit's active/stacked incidents and its status in step with an assignment change.
void UpdateUnitForAssignment(State& s, const std::string& unit_id, const std::string& incident_id,
                             const std::string& state) {
  auto it = s.cad.units.find(unit_id);
  if (it == s.cad.units.end()) return;
  Unit& u = it->second;
  const bool finished = state == "cleared" || state == "stood_down";
  if (!finished) {
    // Going to or arriving at an incident makes it the one the unit is on, whatever it was on
    // before (that one waits, stacked): the unit's status then says where it really is.
    const bool moving = state == "en_route" || state == "at_scene";
    if (u.active_incident.empty() || u.active_incident == incident_id || moving) {
      if (!u.active_incident.empty() && u.active_incident != incident_id) {
        u.stacked.insert(u.active_incident);
      }
      u.active_incident = incident_id;
      u.stacked.erase(incident_id);
    } else {
      u.stacked.insert(incident_id);
    }
    if (u.active_incident == incident_id) {
      if (state == "at_scene") u.status = "at_scene";
      else if (state == "assigned" || state == "en_route") u.status = "en_route";
    }
  } else {
    u.stacked.erase(incident_id);
    if (u.active_incident == incident_id) {
      u.active_incident.clear();
      if (!u.stacked.empty()) {
        u.active_incident = *u.stacked.begin();
        u.stacked.erase(u.stacked.begin());
      } else if (u.status != "off_duty") {
        u.status = "available";
      }
    }
    s.timers.Cancel("escalate:" + unit_id + ":" + incident_id);
  }
  if (state == "at_scene") s.timers.Cancel("escalate:" + unit_id + ":" + incident_id);
  if (u.status == "available" && u.fix) {
    s.cad.available_grid.Put(u);
  } else {
    s.cad.available_grid.Remove(u.id);
  }
}

Incident* MutableIncident(State& s, const Event& e) {
  auto it = s.cad.incidents.find(Str(e.data, "incident_id"));
  return it == s.cad.incidents.end() ? nullptr : &it->second;
}

}  // namespace

void RegisterAssignments(Domain& d) {
  d.OnCommand("assignment.create", DecideAssign);
  d.OnCommand("assignment.state", DecideAssignmentState);
  d.OnCommand("assignment.stand_down", DecideStandDown);

  d.OnEvent("assignment.created", [](State& s, const Event& e) {
    AssignmentCreated read;
    const AssignmentCreated& c = AssignmentCreated::Of(e, read);
    auto found = s.cad.incidents.find(c.incident_id);
    if (found == s.cad.incidents.end()) return;
    Incident* i = &found->second;
    ApplyAssignmentCreated(*i, c, e.at);
    const std::string& unit = c.unit_id;
    // Already at the incident by its fixes (a self-deployer who arrived first): AVL arrival then.
    if (auto u = s.cad.units.find(unit); u != s.cad.units.end()) {
      if (auto n = u->second.near.find(i->id); n != u->second.near.end()) {
        i->assignments[unit].avl_arrived_at = n->second;
      }
    }
    UpdateUnitForAssignment(s, unit, i->id, c.state);
  });
  d.OnEvent("assignment.state_changed", [](State& s, const Event& e) {
    AssignmentStateChanged read;
    const AssignmentStateChanged& c = AssignmentStateChanged::Of(e, read);
    auto it = s.cad.incidents.find(c.incident_id);
    if (it == s.cad.incidents.end()) return;
    ApplyAssignmentState(it->second, c.unit_id, c.state, e.at);
    UpdateUnitForAssignment(s, c.unit_id, it->second.id, c.state);
  });
  d.OnEvent("assignment.stood_down", [](State& s, const Event& e) {
    Incident* i = MutableIncident(s, e);
    if (i == nullptr) return;
    ApplyAssignmentState(*i, Str(e.data, "unit_id"), "stood_down", e.at);
    UpdateUnitForAssignment(s, Str(e.data, "unit_id"), i->id, "stood_down");
  });
  d.OnEvent("incident.resourced", [](State& s, const Event& e) {
    if (Incident* i = IncidentOfStream(s, e)) {
      i->resourced = true;
      i->resourced_at = e.at;
    }
  });
  d.OnEvent("incident.unresourced", [](State& s, const Event& e) {
    if (Incident* i = IncidentOfStream(s, e)) i->resourced = false;
  });
}

}  // namespace concordat::cad

namespace concordat {

Status AssignmentCreateRequest::Read(const boost::json::object& body,
                                     AssignmentCreateRequest& out) {
  FieldReader r(body);
  out.unit_id = r.String("unit_id", 100);
  out.mode = r.Enum("mode", {"dispatched", "self_deployed"});
  out.confirm = r.OptionalBool("confirm").value_or(false);
  out.reason = r.OptionalString("reason", 1000);
  if (!r.ok()) return r.error();
  return {};
}

boost::json::object AssignmentCreateRequest::ToBody() const {
  boost::json::object b{{"unit_id", unit_id}, {"mode", mode}};
  if (confirm) b["confirm"] = true;
  if (reason) b["reason"] = *reason;
  return b;
}

Status AssignmentStateRequest::Read(const boost::json::object& body, AssignmentStateRequest& out) {
  FieldReader r(body);
  out.unit_id = r.String("unit_id", 100);
  out.state = r.Enum("state", {"en_route", "at_scene", "left_scene", "cleared"});
  if (!r.ok()) return r.error();
  return {};
}

boost::json::object AssignmentStateRequest::ToBody() const {
  return {{"unit_id", unit_id}, {"state", state}};
}

}  // namespace concordat
