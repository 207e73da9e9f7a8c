// Units: creation, status, location fixes (with status-compliance watches), emergency button.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/cad_internal.hpp"
#include "core/cad_requests.hpp"

namespace concordat::cad {

void UnitNearIncident::WritePayload(std::string& out) const {
  out.reserve(out.size() + 160 + unit_id.size() + incident_id.size());
  JsonWriter w(out);
  w.Open().Key("unit_id").Str(unit_id).Key("incident_id").Str(incident_id);
  w.Key("since").Str(FormatIso(since)).Key("due").Str(FormatIso(due));
  w.Key("assigned").Bool(assigned).Close();
}

const UnitNearIncident& UnitNearIncident::Of(const Event& e, UnitNearIncident& read) {
  if (const auto* typed = dynamic_cast<const UnitNearIncident*>(e.body.get())) return *typed;
  UnitNearIncident& n = read;
  const auto& d = e.data;
  n.unit_id = Str(d, "unit_id");
  n.incident_id = Str(d, "incident_id");
  n.since = OptTime(d, "since").value_or(e.at);
  n.due = OptTime(d, "due").value_or(e.at);
  const auto* assigned = d.if_contains("assigned");
  n.assigned = assigned != nullptr && assigned->is_bool() && assigned->get_bool();
  return n;
}

namespace {

void RefreshGrid(CadState& cad, const Unit& u) {
  if (u.status == "available" && u.fix) {
    cad.available_grid.Put(u);
  } else {
    cad.available_grid.Remove(u.id);
  }
}

Result<Decision> DecideUnitCreate(const State& s, const Command& c, const Context& ctx) {
  FieldReader r(c.body);
  const std::string call_sign = r.String("call_sign", 20);
  const std::string bcu = r.String("bcu", 4);
  const auto status = r.OptionalString("status", 40);
  const auto caps = r.StringList("capabilities", 20);
  if (!r.ok()) return r.error();
  if (ctx.ref && !ctx.ref->bcus.empty() && ctx.ref->FindBcu(bcu) == nullptr) {
    return Error::InvalidArgument("bcu", "unknown BCU " + bcu);
  }
  if (status && !ctx.policy->IsUnitStatus(*status)) {
    return Error::InvalidArgument("status", "unknown unit status " + *status);
  }
  if (s.cad.unit_by_call_sign.contains(call_sign)) {
    return Error{ErrorCode::kAlreadyExists, "call sign " + call_sign + " exists", "call_sign", {}};
  }
  boost::json::array crew;
  if (const auto* cv = c.body.if_contains("crew")) {
    if (!cv->is_array() || cv->as_array().size() > 8) {
      return Error::InvalidArgument("crew", "crew must be a list of up to 8 officers");
    }
    for (size_t k = 0; k < cv->as_array().size(); ++k) {
      const auto& m = cv->as_array()[k];
      if (!m.is_object()) return Error::InvalidArgument("crew", "each crew member is an object");
      FieldReader mr(m.as_object());
      const std::string collar = mr.String("collar", 20);
      const auto name = mr.OptionalString("name", 120);
      const auto rank = mr.OptionalString("rank", 40);
      const auto skills = mr.StringList("skills", 20);
      if (!mr.ok()) {
        Error e = mr.error();
        e.field = "crew[" + std::to_string(k) + "]." + e.field;
        return e;
      }
      crew.push_back({{"collar", collar},
                      {"name", name.value_or("")},
                      {"rank", rank.value_or("PC")},
                      {"skills", StrArray(skills)}});
    }
  }
  const std::string id = "unit-" + call_sign;
  Decision d;
  d.status = 201;
  d.events.push_back(NewEvent{UnitStream(id),
                              "unit.created",
                              classification::kOperational,
                              {{"unit_id", id},
                               {"call_sign", call_sign},
                               {"bcu", bcu},
                               {"crew", crew},
                               {"capabilities", StrArray(caps)},
                               {"status", status.value_or("off_duty")}}});
  const Timestamp now = ctx.now;
  d.reply = [id, now](const State& st) -> boost::json::value {
    return UnitJson(st.cad.units.at(id), now);
  };
  return d;
}

std::function<boost::json::value(const State&)> UnitReply(const std::string& id, Timestamp now) {
  return [id, now](const State& st) -> boost::json::value {
    return UnitJson(st.cad.units.at(id), now);
  };
}

// "En route" or "At scene" pressed as the unit's status is the same news for the incident the unit
// is on: its assignment moves too (answering a status prompt, setting the first arrival), so the
// incident's record does not say "assigned" while the unit says "at scene". "En route" pressed at
// the scene means the unit has left it (conveying someone, say): the assignment becomes "left
// scene", which "At scene" can undo. Whatever the assignment's own decider refuses (the incident
// closed, say) leaves it as it is; other statuses do not touch it.
void MoveAssignmentWithStatus(const State& s, const Unit& u, const std::string& status,
                              const Command& c, const Context& ctx, std::vector<NewEvent>& out) {
  if ((status != "en_route" && status != "at_scene") || u.active_incident.empty()) return;
  const auto inc = s.cad.incidents.find(u.active_incident);
  if (inc == s.cad.incidents.end() || inc->second.status != "open") return;
  const auto a = inc->second.assignments.find(u.id);
  if (a == inc->second.assignments.end() || a->second.Finished()) return;
  const std::string& from = a->second.state;
  const std::string to = status == "en_route" && from == "at_scene" ? "left_scene" : status;
  if (from == to || (from == "left_scene" && to == "en_route")) return;
  const Command move{"assignment.state",
                     u.active_incident,
                     {{"unit_id", u.id}, {"state", to}},
                     c.actor,
                     c.command_id};
  if (auto moved = DecideAssignmentState(s, move, ctx); moved.ok()) {
    for (auto& e : moved->events) out.push_back(std::move(e));
  }
}

Result<Decision> DecideUnitStatus(const State& s, const Command& c, const Context& ctx) {
  auto unit = FindUnit(s, c.target);
  if (!unit.ok()) return unit.error();
  if (auto st = CheckOwnUnit(c, **unit); !st.ok()) return st.error();
  FieldReader r(c.body);
  const std::string status = r.String("status", 40);
  if (!r.ok()) return r.error();
  if (!ctx.policy->IsUnitStatus(status)) {
    return Error::InvalidArgument("status", "unknown unit status " + status);
  }
  const Unit& u = **unit;
  if (status == "off_duty") {
    // Every incident a unit has an active assignment on is the one it is on or one stacked
    // behind it (UpdateUnitForAssignment keeps both for each assignment event): those are
    // looked at, not every incident ever kept.
    const auto still_on = [&](const std::string& iid) -> const Incident* {
      const auto inc = s.cad.incidents.find(iid);
      if (inc == s.cad.incidents.end()) return nullptr;
      const auto a = inc->second.assignments.find(u.id);
      return a != inc->second.assignments.end() && a->second.Active() ? &inc->second : nullptr;
    };
    const Incident* on = u.active_incident.empty() ? nullptr : still_on(u.active_incident);
    for (auto it = u.stacked.begin(); on == nullptr && it != u.stacked.end(); ++it) {
      on = still_on(*it);
    }
    if (on != nullptr) {
      return Error::FailedPrecondition(u.call_sign + " is still assigned to " + on->reference +
                                       ": clear or stand down first");
    }
  }
  Decision d;
  d.events.push_back(NewEvent{UnitStream(u.id),
                              "unit.status_changed",
                              classification::kOperational,
                              {{"unit_id", u.id}, {"from", u.status}, {"status", status}}});
  MoveAssignmentWithStatus(s, u, status, c, ctx, d.events);
  d.reply = UnitReply(u.id, ctx.now);
  return d;
}

Result<Decision> DecideUnitLocation(const State& s, const Command& c, const Context& ctx) {
  auto unit = FindUnit(s, c.target);
  if (!unit.ok()) return unit.error();
  if (auto st = CheckOwnUnit(c, **unit); !st.ok()) return st.error();
  UnitLocationRequest read;
  auto request = RequestOf(c, read);
  if (!request.ok()) return request.error();
  const double lat = (*request)->lat;
  const double lon = (*request)->lon;
  const auto& accuracy = (*request)->accuracy_m;
  const Timestamp at = (*request)->fixed_at.value_or(ctx.now);
  if (at > ctx.now + Minutes(1)) {
    return Error::InvalidArgument("fixed_at", "fixed_at is in the future");
  }
  const Unit& u = **unit;
  const bool stale = u.fix && at < u.fix->fixed_at;
  Decision d;
  // Left a JSON object: its coordinates are applied live as the decider has them, and Boost
  // 1.81's parser can read a 17-digit one back a unit in the last place away (PERFORMANCE.md,
  // sessions 11 and 20), so a typed body would make the in-memory log's replay differ too.
  d.events.push_back(NewEvent{UnitStream(u.id),
                              "unit.located",
                              classification::kOperational,
                              {{"unit_id", u.id},
                               {"lat", lat},
                               {"lon", lon},
                               {"fixed_at", FormatIso(at)},
                               {"accuracy_m", accuracy.value_or(0)},
                               {"stale", stale}}});
  if (!stale) {
    // Status compliance: watch every open incident this fix puts the unit at — those around
    // the fix (grid), and those it was at (to see it leave) — in id order, as events must be.
    const auto& cp = ctx.policy->compliance;
    std::vector<const std::string*> candidates;
    s.cad.open_grid.VisitNear({lat, lon}, cp.radius_m,
                              [&](const std::string& iid) { candidates.push_back(&iid); });
    for (const auto& [iid, since] : u.near) candidates.push_back(&iid);
    std::sort(candidates.begin(), candidates.end(),
              [](const std::string* a, const std::string* b) { return *a < *b; });
    candidates.erase(
        std::unique(candidates.begin(), candidates.end(),
                    [](const std::string* a, const std::string* b) { return *a == *b; }),
        candidates.end());
    for (const std::string* candidate : candidates) {
      const std::string& iid = *candidate;
      auto found = s.cad.incidents.find(iid);
      if (found == s.cad.incidents.end()) continue;
      const Incident& inc = found->second;
      if (inc.status != "open" || !inc.location.located) continue;
      const bool near = DistanceMetres({lat, lon}, inc.location.point) <= cp.radius_m;
      const bool was_near = u.near.contains(iid);
      if (near && !was_near) {
        auto a = inc.assignments.find(u.id);
        const bool assigned = a != inc.assignments.end() && !a->second.Finished();
        const Timestamp due = at + (assigned ? cp.prompt_after : cp.unrecorded_after);
        auto body = std::make_shared<UnitNearIncident>();
        body->unit_id = u.id;
        body->incident_id = iid;
        body->since = at;
        body->due = due;
        body->assigned = assigned;
        d.events.push_back(NewEvent{IncidentStream(iid),
                                    "unit.near_incident",
                                    classification::kOperational,
                                    {},
                                    std::move(body)});
      } else if (!near && was_near) {
        d.events.push_back(NewEvent{IncidentStream(iid),
                                    "unit.left_incident_area",
                                    classification::kOperational,
                                    {{"unit_id", u.id}, {"incident_id", iid}}});
      }
    }
  }
  d.reply = UnitReply(u.id, ctx.now);
  return d;
}

// Where a unit's last fix puts it, for an incident's address when nothing better is known:
// "Last fix of AW11: 51.50239, -0.17215 at 16:41" (London time).
std::string LastFixAddress(const Unit& u) {
  char text[160];
  const CivilTime t = ToLondon(u.fix->fixed_at);
  std::snprintf(text, sizeof text, "Last fix of %s: %.5f, %.5f at %02d:%02d", u.call_sign.c_str(),
                u.fix->point.lat, u.fix->point.lon, t.hour, t.minute);
  return text;
}

// The emergency button: create or join an immediate officer-assistance incident at the unit's
// last fix, dispatch the nearest available units, and let governance mark it resourced.
Result<Decision> DecideEmergency(const State& s, const Command& c, const Context& ctx) {
  auto unit = FindUnit(s, c.target);
  if (!unit.ok()) return unit.error();
  if (auto st = CheckOwnUnit(c, **unit); !st.ok()) return st.error();
  const Unit& u = **unit;
  const auto& ap = ctx.policy->attendance;
  // Join: an open emergency incident this unit raised within the window.
  for (const auto& iid : s.cad.open_ids) {
    const Incident& inc = s.cad.incidents.at(iid);
    if (inc.status == "open" && inc.emergency_unit_id == u.id && !inc.emergency_cancelled &&
        ctx.now - inc.received_at <= ap.emergency_join_window) {
      Decision d;
      d.events.push_back(NewEvent{
          IncidentStream(iid),
          "incident.logged",
          classification::kOperational,
          {{"incident_id", iid}, {"text", "Emergency button pressed again by " + u.call_sign}}});
      SetIncidentReply(d, iid, ctx);
      return d;
    }
  }
  if (!u.fix) {
    return Error::FailedPrecondition(u.call_sign +
                                     " has no location fix: give the location by radio");
  }
  // The incident the unit is at gives the location type and flags (e.g. mental health).
  const Incident* parent = nullptr;
  if (!u.active_incident.empty()) {
    auto it = s.cad.incidents.find(u.active_incident);
    if (it != s.cad.incidents.end() && it->second.status == "open") parent = &it->second;
  }
  boost::json::array flags;
  if (parent) {
    for (const auto& f : parent->flags) flags.emplace_back(f);
  }
  // The parent's address says where the unit is only when the unit is there (within the
  // "at the incident" radius); pressed on the way or after moving on, it would send help to the
  // wrong place, so the incident is then described by the unit's own fix.
  const double from_parent = parent && parent->location.located
                                 ? DistanceMetres(u.fix->point, parent->location.point)
                                 : -1;
  const bool at_parent = from_parent >= 0 && from_parent <= ctx.policy->compliance.radius_m;
  std::string address = parent && at_parent ? parent->location.address : LastFixAddress(u);
  // Pressed at the scene of its incident: the units already assigned there are on their way to
  // (or at) the same place, and count towards the help sent (PC/2334/19: one press, 26 officers).
  std::vector<std::string> already;
  if (parent && at_parent && ap.emergency_counts_units_at_scene_incident) {
    for (const auto& [uid, a] : parent->assignments) {
      if (uid != u.id &&
          (a.state == "assigned" || a.state == "en_route" || a.state == "at_scene")) {
        already.push_back(uid);
      }
    }
  }
  const int to_send = std::max(0, ap.emergency_units - static_cast<int>(already.size()));
  std::string description = "Emergency button pressed by " + u.call_sign;
  if (parent && at_parent) {
    description += " at " + parent->reference;
    if (!already.empty()) {
      std::string names;
      for (const auto& uid : already) {
        auto other = s.cad.units.find(uid);
        names += (names.empty() ? "" : ", ") +
                 (other != s.cad.units.end() ? other->second.call_sign : uid);
      }
      description += "; " + std::to_string(already.size()) + " unit" +
                     (already.size() == 1 ? "" : "s") + " already assigned there (" + names +
                     ") join it and count towards the " + std::to_string(ap.emergency_units) +
                     ", so " + std::to_string(to_send) + " more " + (to_send == 1 ? "is" : "are") +
                     " sent";
    }
  } else if (parent && from_parent >= 0) {
    description += " away from " + parent->reference + " (" + parent->location.address + ", " +
                   std::to_string(std::lround(from_parent)) + " m off)";
  } else if (parent) {
    // The job has only an address: whether the unit is there is not known; its fix is.
    description += " while assigned to " + parent->reference + " (" + parent->location.address +
                   ", which has no coordinates)";
  }
  Command create{"incident.create",
                 "",
                 {{"channel", "emergency_button"},
                  {"location",
                   {{"lat", u.fix->point.lat},
                    {"lon", u.fix->point.lon},
                    {"address", address},
                    {"type", at_parent ? parent->location.type : "public_place"}}},
                  {"type", "officer_assistance"},
                  {"grade", "I"},
                  {"flags", flags},
                  {"description", description}},
                 c.actor,
                 c.command_id};
  auto created = DecideIncidentCreate(s, create, ctx);
  if (!created.ok()) return created.error();
  Decision d;
  d.status = 201;
  d.events = std::move(created->events);
  // The created incident's typed body (see IncidentCreated), marked as this press's.
  auto body = std::make_shared<IncidentCreated>(
      dynamic_cast<const IncidentCreated&>(*d.events.front().body));
  body->incident.emergency_unit_id = u.id;
  body->incident.parent_incident_id = parent ? parent->id : "";
  const std::string iid = body->incident.id;
  const std::string bcu_code = body->incident.bcu_code;
  d.events.front().body = std::move(body);
  d.events.push_back(NewEvent{UnitStream(u.id),
                              "unit.emergency_pressed",
                              classification::kOperational,
                              {{"unit_id", u.id}, {"incident_id", iid}}});
  // Preview the incident to choose units and govern attendance.
  Incident preview;
  preview.id = iid;
  preview.type = "officer_assistance";
  preview.grade = "I";
  preview.location.located = true;
  preview.location.point = u.fix->point;
  preview.bcu_code = bcu_code;
  preview.emergency_unit_id = u.id;  // counted as the one helped, not a helper
  auto assign = [&](const std::string& unit_id, const char* mode, const char* by,
                    const std::string& state, std::string reason) {
    AssignmentCreated a;
    a.incident_id = iid;
    a.unit_id = unit_id;
    a.mode = mode;
    a.dispatched_by = by;
    a.state = state;
    a.reason = std::move(reason);
    ApplyAssignmentCreated(preview, a, ctx.now);
    d.events.push_back(std::move(a).ToEvent());
  };
  assign(u.id, "self_deployed", "", "at_scene", "pressed the emergency button");
  // The units already assigned at the scene join the emergency as they are (at scene, en route or
  // assigned), so that its attendance, its governance and its stand-down count them.
  for (const auto& uid : already) {
    assign(uid, "dispatched", "system:emergency_scene", parent->assignments.at(uid).state,
           "already assigned at " + parent->reference + ", where the button was pressed");
  }
  std::set<std::string> exclude{u.id};
  exclude.insert(already.begin(), already.end());
  auto rec =
      RecommendUnits(s, preview, *ctx.policy, ctx.now, static_cast<size_t>(to_send), exclude);
  for (const auto& r : rec.units) {
    assign(r.unit_id, "dispatched", "system:emergency", "assigned",
           "nearest available to the emergency button");
  }
  GovernAttendance(s, preview, ctx, d.events, 0);
  SetIncidentReply(d, iid, ctx);
  return d;
}

Result<Decision> DecideEmergencyCancel(const State& s, const Command& c, const Context& ctx) {
  auto unit = FindUnit(s, c.target);
  if (!unit.ok()) return unit.error();
  if (auto st = CheckOwnUnit(c, **unit); !st.ok()) return st.error();
  const Unit& u = **unit;
  const Incident* inc = nullptr;
  for (const auto& iid : s.cad.open_ids) {
    const Incident& i = s.cad.incidents.at(iid);
    if (i.status == "open" && i.emergency_unit_id == u.id && !i.emergency_cancelled) inc = &i;
  }
  if (inc == nullptr) {
    return Error::FailedPrecondition(u.call_sign + " has no open emergency to cancel");
  }
  FieldReader r(c.body);
  const auto note = r.OptionalString("note", 1000);
  if (!r.ok()) return r.error();
  Decision d;
  d.events.push_back(
      NewEvent{UnitStream(u.id),
               "unit.emergency_cancelled",
               classification::kOperational,
               {{"unit_id", u.id}, {"incident_id", inc->id}, {"note", note.value_or("all OK")}}});
  Incident after = AttendanceCopy(*inc);
  for (const auto& [uid, a] : inc->assignments) {
    if (uid != u.id && a.Active() && a.state != "at_scene") {
      ApplyAssignmentState(after, uid, "stood_down", ctx.now);
      d.events.push_back(
          NewEvent{IncidentStream(inc->id),
                   "assignment.stood_down",
                   classification::kOperational,
                   {{"incident_id", inc->id},
                    {"unit_id", uid},
                    {"reason", "emergency cancelled by " + u.call_sign + ": all OK"}}});
    }
  }
  GovernAttendance(s, after, ctx, d.events, 0);
  SetIncidentReply(d, inc->id, ctx);
  return d;
}

}  // namespace

void RegisterUnits(Domain& d) {
  d.OnCommand("unit.create", DecideUnitCreate);
  d.OnCommand("unit.status", DecideUnitStatus);
  d.OnCommand("unit.location", DecideUnitLocation);
  d.OnCommand("unit.emergency", DecideEmergency);
  d.OnCommand("unit.emergency_cancel", DecideEmergencyCancel);

  d.OnEvent("unit.created", [](State& s, const Event& e) {
    Unit u;
    u.id = Str(e.data, "unit_id");
    u.call_sign = Str(e.data, "call_sign");
    u.bcu = Str(e.data, "bcu");
    u.status = Str(e.data, "status");
    u.capabilities = StrList(e.data, "capabilities");
    for (const auto& m : e.data.at("crew").as_array()) {
      const auto& o = m.as_object();
      u.crew.push_back(
          CrewMember{Str(o, "collar"), Str(o, "name"), Str(o, "rank"), StrList(o, "skills")});
    }
    s.cad.unit_by_call_sign[u.call_sign] = u.id;
    auto& stored = s.cad.units[u.id] = std::move(u);
    RefreshGrid(s.cad, stored);
  });
  d.OnEvent("unit.status_changed", [](State& s, const Event& e) {
    auto it = s.cad.units.find(Str(e.data, "unit_id"));
    if (it == s.cad.units.end()) return;
    it->second.status = Str(e.data, "status");
    RefreshGrid(s.cad, it->second);
  });
  d.OnEvent("unit.located", [](State& s, const Event& e) {
    auto it = s.cad.units.find(Str(e.data, "unit_id"));
    if (it == s.cad.units.end() || e.data.at("stale").as_bool()) return;
    it->second.fix =
        Fix{{e.data.at("lat").to_number<double>(), e.data.at("lon").to_number<double>()},
            OptTime(e.data, "fixed_at").value_or(e.at),
            e.data.at("accuracy_m").to_number<double>()};
    RefreshGrid(s.cad, it->second);
  });
  d.OnEvent("unit.emergency_pressed", [](State& s, const Event& e) {
    auto it = s.cad.units.find(Str(e.data, "unit_id"));
    if (it != s.cad.units.end()) it->second.emergency = true;
  });
  d.OnEvent("unit.emergency_cancelled", [](State& s, const Event& e) {
    auto it = s.cad.units.find(Str(e.data, "unit_id"));
    if (it != s.cad.units.end()) it->second.emergency = false;
    auto inc = s.cad.incidents.find(Str(e.data, "incident_id"));
    if (inc != s.cad.incidents.end()) inc->second.emergency_cancelled = true;
  });
}

}  // namespace concordat::cad

namespace concordat {
void UnitGrid::Put(const Unit& u) {
  Remove(u.id);
  const Key k = KeyOf(RowOf(u.fix->point.lat), ColOf(u.fix->point.lon));
  cells_[k].push_back(Entry{u.id, u.fix->point, CosLat(u.fix->point), u.fix->fixed_at, u.bcu,
                            u.MentalHealthTrained()});
  where_[u.id] = k;
}

void UnitGrid::Remove(const std::string& unit_id) {
  auto it = where_.find(unit_id);
  if (it == where_.end()) return;
  if (auto cell = cells_.find(it->second); cell != cells_.end()) {
    auto& v = cell->second;
    for (size_t n = 0; n < v.size(); ++n) {
      if (v[n].unit_id != unit_id) continue;
      v[n] = std::move(v.back());
      v.pop_back();
      break;
    }
    if (v.empty()) cells_.erase(cell);
  }
  where_.erase(it);
}

// Each id is put once: TrackOpen puts an incident only when it enters `open_ids`. (A search
// of the cell for the id here was linear in the cell's incidents, on every creation.)
void IncidentGrid::Put(const std::string& incident_id, LatLon p) {
  cells_[KeyOf(RowOf(p.lat), ColOf(p.lon))].push_back(incident_id);
  ++count_;
}

void IncidentGrid::Remove(const std::string& incident_id, LatLon p) {
  auto cell = cells_.find(KeyOf(RowOf(p.lat), ColOf(p.lon)));
  if (cell == cells_.end()) return;
  auto& v = cell->second;
  auto it = std::find(v.begin(), v.end(), incident_id);
  if (it == v.end()) return;
  *it = std::move(v.back());
  v.pop_back();
  --count_;
  if (v.empty()) cells_.erase(cell);
}

void CadState::TrackOpen(const Incident& i) {
  if (i.status == "open") {
    if (open_ids.insert(i.id).second && i.location.located) open_grid.Put(i.id, i.location.point);
    if (i.closed_at) recently_closed.erase({*i.closed_at, i.id});  // reopened
  } else {
    if (open_ids.erase(i.id) > 0 && i.location.located) open_grid.Remove(i.id, i.location.point);
    if (i.closed_at) {
      recently_closed.emplace(*i.closed_at, i.id);
      // Relative to the latest close, not to this one: the same set whatever the order of calls.
      const Timestamp keep_from = recently_closed.rbegin()->first - kRecentlyClosedFor;
      recently_closed.erase(recently_closed.begin(),
                            recently_closed.lower_bound({keep_from, std::string()}));
    }
  }
}

void CadState::Reindex() {
  open_ids.clear();
  open_grid = IncidentGrid();
  recently_closed.clear();
  // The closes kept are those within kRecentlyClosedFor of the latest (as TrackOpen keeps them
  // live): found first, so that a restore of millions of closed incidents does not put each in
  // the set only to trim it out again.
  std::optional<Timestamp> latest_close;
  for (const auto& [id, i] : incidents) {
    if (i.status != "open" && i.closed_at && (!latest_close || *i.closed_at > *latest_close)) {
      latest_close = i.closed_at;
    }
  }
  for (const auto& [id, i] : incidents) {
    if (i.status == "open") {
      TrackOpen(i);
    } else if (i.closed_at && *i.closed_at >= *latest_close - kRecentlyClosedFor) {
      recently_closed.emplace(*i.closed_at, id);
    }
  }
  available_grid = UnitGrid();
  near_units.clear();
  for (const auto& [id, u] : units) {
    if (u.status == "available" && u.fix) available_grid.Put(u);
    for (const auto& [incident, since] : u.near) near_units[incident].insert(id);
  }
}
}  // namespace concordat

namespace concordat {

Status UnitLocationRequest::Read(const boost::json::object& body, UnitLocationRequest& out) {
  FieldReader r(body);
  out.lat = r.Number("lat", -90, 90);
  out.lon = r.Number("lon", -180, 180);
  out.fixed_at = r.OptionalTime("fixed_at");
  out.accuracy_m = r.OptionalNumber("accuracy_m", 0, 100000);
  if (!r.ok()) return r.error();
  return {};
}

boost::json::object UnitLocationRequest::ToBody() const {
  boost::json::object b{{"lat", lat}, {"lon", lon}};
  if (fixed_at) b["fixed_at"] = FormatIso(*fixed_at);
  if (accuracy_m) b["accuracy_m"] = *accuracy_m;
  return b;
}

}  // namespace concordat
