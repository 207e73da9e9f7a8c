// Incidents: create from a call, THRIVE, log, regrade, link persons, close, reopen.
#include <algorithm>

#include "core/cad_internal.hpp"
#include "core/cad_requests.hpp"
#include "core/id_lookup.hpp"

namespace concordat::cad {
namespace {

const std::initializer_list<std::string_view> kChannels = {
    "999", "101", "online", "partner", "officer_initiated", "emergency_button"};
const std::initializer_list<std::string_view> kLocationTypes = {
    "public_place",   "private_dwelling", "dwelling_curtilage",
    "health_setting", "police_station",   "transport",
    "other"};
const std::initializer_list<std::string_view> kFlags = {"mental_health", "vulnerability", "weapons",
                                                        "children"};

}  // namespace

void IncidentClosed::WritePayload(std::string& out) const {
  out.reserve(out.size() + 56 + incident_id.size() + result_code.size() + summary.size());
  JsonWriter w(out);
  w.Open().Key("incident_id").Str(incident_id).Key("result_code").Str(result_code);
  w.Key("summary").Str(summary).Close();
}

const IncidentClosed& IncidentClosed::Of(const Event& e, IncidentClosed& read) {
  if (const auto* typed = dynamic_cast<const IncidentClosed*>(e.body.get())) return *typed;
  read.incident_id = Str(e.data, "incident_id");
  read.result_code = Str(e.data, "result_code");
  read.summary = Str(e.data, "summary");
  return read;
}

void IncidentCreated::WritePayload(std::string& out) const {
  const Incident& i = incident;
  // About 420 bytes of keys, punctuation, times and codes besides the free text.
  out.reserve(out.size() + 512 + i.caller.name.size() + i.caller.phone.size() +
              i.location.address.size() + i.borough_name.size() + i.bcu_name.size() +
              i.description.size() + 16 * i.flags.size());
  JsonWriter w(out);
  w.Open().Key("id").Str(i.id).Key("reference").Str(i.reference).Key("day").Str(day);
  w.Key("n").Int(n).Key("received_at").Str(FormatIso(i.received_at));
  w.Key("channel").Str(i.channel);
  w.Key("caller").Open().Key("name").Str(i.caller.name).Key("phone").Str(i.caller.phone).Close();
  w.Key("location").Open().Key("located").Bool(i.location.located);
  w.Key("lat").LogDouble(i.location.point.lat).Key("lon").LogDouble(i.location.point.lon);
  w.Key("address").Str(i.location.address).Key("type").Str(i.location.type).Close();
  w.Key("borough_code").Str(i.borough_code).Key("borough_name").Str(i.borough_name);
  w.Key("bcu_code").Str(i.bcu_code).Key("bcu_name").Str(i.bcu_name);
  w.Key("type").Str(i.type).Key("grade").Str(i.grade).Key("flags").StrArray(i.flags);
  w.Key("description").Str(i.description).Key("target_at");
  if (i.target_at) {
    w.Str(FormatIso(*i.target_at));
  } else {
    w.Null();
  }
  if (!i.emergency_unit_id.empty()) {  // the emergency button's: both, the parent maybe ""
    w.Key("emergency_unit_id").Str(i.emergency_unit_id);
    w.Key("parent_incident_id").Str(i.parent_incident_id);
  }
  w.Close();
}

IncidentCreated IncidentCreated::FromData(const boost::json::object& d, Timestamp at) {
  IncidentCreated c;
  Incident& i = c.incident;
  i.id = Str(d, "id");
  i.reference = Str(d, "reference");
  i.received_at = OptTime(d, "received_at").value_or(at);
  i.channel = Str(d, "channel");
  const auto& caller = d.at("caller").as_object();
  i.caller = Caller{Str(caller, "name"), Str(caller, "phone")};
  const auto& loc = d.at("location").as_object();
  i.location.located = loc.at("located").as_bool();
  i.location.point = {loc.at("lat").to_number<double>(), loc.at("lon").to_number<double>()};
  i.location.address = Str(loc, "address");
  i.location.type = Str(loc, "type");
  i.borough_code = Str(d, "borough_code");
  i.borough_name = Str(d, "borough_name");
  i.bcu_code = Str(d, "bcu_code");
  i.bcu_name = Str(d, "bcu_name");
  i.type = Str(d, "type");
  i.grade = Str(d, "grade");
  i.flags = StrList(d, "flags");
  i.description = Str(d, "description");
  i.target_at = OptTime(d, "target_at");
  i.emergency_unit_id = Str(d, "emergency_unit_id");
  i.parent_incident_id = Str(d, "parent_incident_id");
  c.day = Str(d, "day");
  c.n = static_cast<int>(d.at("n").to_number<std::int64_t>());
  return c;
}

Result<Decision> DecideIncidentCreate(const State& s, const Command& c, const Context& ctx) {
  IncidentCreateRequest read;
  auto request = RequestOf(c, read);
  if (!request.ok()) return request.error();
  const IncidentCreateRequest& q = **request;
  const std::string& type = q.type;
  const std::string& grade = q.grade;
  const auto& flags = q.flags;
  const auto& lat = q.lat;
  const auto& lon = q.lon;
  const auto& address = q.address;
  if (!IsIncidentTypeCode(type)) {
    return Error::InvalidArgument("type", "type must be a lower-case code such as mental_health");
  }
  const GradePolicy* g = ctx.policy->FindGrade(grade);
  if (g == nullptr) {
    std::string codes;
    for (const auto& gp : ctx.policy->grades) codes += (codes.empty() ? "" : ", ") + gp.code;
    return Error::InvalidArgument("grade", "grade must be one of: " + codes);
  }
  for (const auto& f : flags) {
    if (!IsIncidentFlag(f)) {
      return Error::InvalidArgument("flags",
                                    "unknown flag " + f + "; flags are " + IncidentFlagList());
    }
  }
  if (lat.has_value() != lon.has_value()) {
    return Error::InvalidArgument(lat ? "location.lon" : "location.lat",
                                  "give both location.lat and location.lon, or neither");
  }
  if (!lat && (!address || address->empty())) {
    return Error::InvalidArgument("location", "a location needs lat/lon or an address");
  }
  const Timestamp received = q.received_at.value_or(ctx.now);
  if (received > ctx.now + Minutes(5)) {
    return Error::InvalidArgument("received_at", "received_at is in the future");
  }

  std::vector<std::string> warnings;
  auto created = std::make_shared<IncidentCreated>();
  Incident& i = created->incident;
  if (lat) {
    const Borough* b = ctx.ref ? ctx.ref->BoroughAt({*lat, *lon}) : nullptr;
    if (b == nullptr) {
      warnings.push_back(
          "the location is outside the Metropolitan Police area: borough and "
          "BCU are not set");
    } else {
      i.borough_code = b->code;
      i.borough_name = b->name;
      if (b->bcu_code.empty()) {
        warnings.push_back(b->name + " is policed by " + b->force + ": BCU is not set");
      } else if (const Bcu* bcu = ctx.ref->FindBcu(b->bcu_code)) {
        i.bcu_code = bcu->code;
        i.bcu_name = bcu->name;
      }
    }
  } else {
    warnings.push_back("no coordinates: the incident is unlocated until a point is given");
  }
  created->day = FormatDate(LondonDate(received));
  created->n = 1;
  if (auto it = s.cad.day_counters.find(created->day); it != s.cad.day_counters.end()) {
    created->n = it->second + 1;
  }
  const std::string id = "inc-" + std::to_string(s.cad.next_incident);
  i.id = id;
  i.reference = "CAD " + std::to_string(created->n) + "/" + FormatCadDate(LondonDate(received));
  i.received_at = received;
  i.channel = q.channel;
  i.caller = Caller{q.caller_name.value_or(""), q.caller_phone.value_or("")};
  i.location.located = lat.has_value();
  i.location.point = {lat.value_or(0), lon.value_or(0)};
  i.location.address = address.value_or("");
  i.location.type = q.location_type.value_or("other");
  i.type = type;
  i.grade = grade;
  i.flags = flags;
  i.description = q.description.value_or("");
  if (g->target > 0) i.target_at = received + g->target;
  Decision d;
  d.status = 201;
  d.events.push_back(NewEvent{
      IncidentStream(id), "incident.created", classification::kPersonal, {}, std::move(created)});
  auto render = IncidentReply(id, ctx);
  d.reply = [render, warnings](const State& st) {
    auto v = render(st);
    v.as_object()["warnings"] = StrArray(warnings);
    return v;
  };
  d.reply_text = [id, p = ctx.policy, now = ctx.now, warnings](const State& st) {
    return IncidentJsonText(st, st.cad.incidents.at(id), *p, now, &warnings);
  };
  return d;
}

namespace {

// Live, the event carries the decider's IncidentCreated; replayed from the log, its data.
// The incident is copied into the state once from the decider's typed body (moved when it was
// read from a log's payload), not copied out of the body and then moved in.
template <class I>
void PutCreated(State& s, I&& incident, const std::string& created_by) {
  auto [it, added] = s.cad.incidents.try_emplace(incident.id, std::forward<I>(incident));
  if (!added) it->second = std::forward<I>(incident);  // try_emplace left it as it was
  it->second.created_by = created_by;
  s.cad.TrackOpen(it->second);
}

void ApplyCreated(State& s, const Event& e) {
  if (const auto* typed = dynamic_cast<const IncidentCreated*>(e.body.get())) {
    s.cad.day_counters[typed->day] = typed->n;
    s.cad.next_incident++;
    PutCreated(s, typed->incident, e.actor.user_id);
    return;
  }
  IncidentCreated c = IncidentCreated::FromData(e.data, e.at);
  s.cad.day_counters[c.day] = c.n;
  s.cad.next_incident++;
  PutCreated(s, std::move(c.incident), e.actor.user_id);
}

Result<Incident*> Mutable(State& s, const Event& e) {
  auto it = s.cad.incidents.find(Str(e.data, "incident_id"));
  if (it == s.cad.incidents.end()) return Error::NotFound("");
  return &it->second;
}

Result<Decision> OneEvent(const Command& c, const Context& ctx, std::string type,
                          boost::json::object data,
                          const char* cls = classification::kOperational) {
  data["incident_id"] = c.target;
  Decision d;
  d.events.push_back(NewEvent{IncidentStream(c.target), std::move(type), cls, std::move(data)});
  SetIncidentReply(d, c.target, ctx);
  return d;
}

Result<Decision> DecideThrive(const State& s, const Command& c, const Context& ctx) {
  auto inc = FindIncident(s, c.target);
  if (!inc.ok()) return inc.error();
  FieldReader r(c.body);
  boost::json::object data;
  for (const char* k : {"threat", "harm", "risk", "investigation", "vulnerability", "engagement"}) {
    data[k] = r.String(k, 2000);
  }
  data["overall"] = r.Enum("overall", {"low", "medium", "high"});
  if (!r.ok()) return r.error();
  data["version"] = (*inc)->thrive.size() + 1;
  return OneEvent(c, ctx, "incident.thrive_assessed", std::move(data), classification::kPersonal);
}

Result<Decision> DecideLog(const State& s, const Command& c, const Context& ctx) {
  auto inc = FindIncident(s, c.target);
  if (!inc.ok()) return inc.error();
  FieldReader r(c.body);
  const std::string text = r.String("text", 4000);
  if (!r.ok()) return r.error();
  return OneEvent(c, ctx, "incident.logged", {{"text", text}}, classification::kPersonal);
}

Result<Decision> DecideRegrade(const State& s, const Command& c, const Context& ctx) {
  auto inc = FindIncident(s, c.target);
  if (!inc.ok()) return inc.error();
  FieldReader r(c.body);
  const std::string grade = r.String("grade", 4);
  const std::string reason = r.String("reason", 1000);
  if (!r.ok()) return r.error();
  const GradePolicy* g = ctx.policy->FindGrade(grade);
  if (g == nullptr) return Error::InvalidArgument("grade", "unknown grade " + grade);
  if ((*inc)->status == "closed") return Error::Conflict("the incident is closed; reopen it first");
  if ((*inc)->grade == grade) return Error::Conflict("the incident is already grade " + grade);
  auto d = OneEvent(
      c, ctx, "incident.regraded",
      {{"from", (*inc)->grade},
       {"grade", grade},
       {"reason", reason},
       {"target_at", g->target > 0 ? boost::json::value(FormatIso((*inc)->received_at + g->target))
                                   : boost::json::value(nullptr)}});
  // A new grade changes the recommended attendance: re-govern.
  Incident after = AttendanceCopy(**inc);
  after.grade = grade;
  GovernAttendance(s, after, ctx, d->events, 0);
  return d;
}

Result<Decision> DecideLinkPerson(const State& s, const Command& c, const Context& ctx) {
  auto inc = FindIncident(s, c.target);
  if (!inc.ok()) return inc.error();
  FieldReader r(c.body);
  const std::string person = r.String("person_id", 100);
  if (!r.ok()) return r.error();
  if (!s.team.persons.contains(person)) {  // the person registry (issue 6, team_persons.cpp)
    return Error::NotFound("no person " + person + "; record the person first (POST /api/persons)");
  }
  const auto& p = (*inc)->persons;
  if (std::find(p.begin(), p.end(), person) != p.end()) {
    return Error::Conflict("person " + person + " is already linked to this incident");
  }
  return OneEvent(c, ctx, "incident.person_linked", {{"person_id", person}},
                  classification::kPersonal);
}

Result<Decision> DecideClose(const State& s, const Command& c, const Context& ctx) {
  auto inc = FindIncident(s, c.target);
  if (!inc.ok()) return inc.error();
  IncidentCloseRequest read;
  auto request = RequestOf(c, read);
  if (!request.ok()) return request.error();
  if ((*inc)->status == "closed") return Error::Conflict("the incident is already closed");
  // A detention under s135/s136 MHA 1983 goes on whatever happens to the call: closing the
  // incident would clear the units of officers still responsible for a detained person.
  std::string live;
  for (const auto& id : IdsUnder(s.mh.detentions_by_incident, c.target)) {
    if (s.mh.live.contains(id)) live += (live.empty() ? "" : ", ") + id;
  }
  if (!live.empty()) {
    return Error::FailedPrecondition(
        "a detention on this incident is still live (" + live +
        "): record its outcome (handover, release or admission) before closing the incident");
  }
  Decision d;
  // Units still attached are cleared by the closure, each recorded.
  for (const auto& [unit_id, a] : (*inc)->assignments) {
    if (a.Active()) {
      d.events.push_back(
          AssignmentStateChangedEvent(c.target, unit_id, a.state, "cleared", /*by_closure=*/true));
    }
  }
  if ((*inc)->resourced) {
    // Closed with nobody attached: a reopened incident starts unresourced.
    auto body = std::make_shared<IncidentUnresourced>();
    body->incident_id = c.target;
    body->reason = "closed";
    d.events.push_back(NewEvent{IncidentStream(c.target),
                                "incident.unresourced",
                                classification::kOperational,
                                {},
                                std::move(body)});
  }
  AnswerStatusPrompts(s, c.target, "", "incident closed", d.events);
  auto closed = std::make_shared<IncidentClosed>();
  closed->incident_id = c.target;
  closed->result_code = (*request)->result_code;
  closed->summary = (*request)->summary;
  d.events.push_back(NewEvent{IncidentStream(c.target),
                              "incident.closed",
                              classification::kOperational,
                              {},
                              std::move(closed)});
  SetIncidentReply(d, c.target, ctx);
  return d;
}

Result<Decision> DecideReopen(const State& s, const Command& c, const Context& ctx) {
  auto inc = FindIncident(s, c.target);
  if (!inc.ok()) return inc.error();
  FieldReader r(c.body);
  const std::string reason = r.String("reason", 1000);
  if (!r.ok()) return r.error();
  if ((*inc)->status != "closed") return Error::Conflict("the incident is not closed");
  return OneEvent(c, ctx, "incident.reopened", {{"reason", reason}});
}

}  // namespace

void RegisterIncidents(Domain& d) {
  d.OnCommand("incident.create", DecideIncidentCreate);
  d.OnCommand("incident.thrive", DecideThrive);
  d.OnCommand("incident.log", DecideLog);
  d.OnCommand("incident.regrade", DecideRegrade);
  d.OnCommand("incident.link_person", DecideLinkPerson);
  d.OnCommand("incident.close", DecideClose);
  d.OnCommand("incident.reopen", DecideReopen);

  d.OnEvent("incident.created", ApplyCreated);
  d.OnEvent("incident.thrive_assessed", [](State& s, const Event& e) {
    auto i = Mutable(s, e);
    if (!i.ok()) return;
    Thrive t;
    t.version = static_cast<int>(e.data.at("version").to_number<std::int64_t>());
    t.at = e.at;
    t.author = e.actor.user_id;
    t.threat = Str(e.data, "threat");
    t.harm = Str(e.data, "harm");
    t.risk = Str(e.data, "risk");
    t.investigation = Str(e.data, "investigation");
    t.vulnerability = Str(e.data, "vulnerability");
    t.engagement = Str(e.data, "engagement");
    t.overall = Str(e.data, "overall");
    (*i)->thrive.push_back(std::move(t));
  });
  d.OnEvent("incident.logged", [](State& s, const Event& e) {
    auto i = Mutable(s, e);
    if (!i.ok()) return;
    (*i)->log.push_back(LogEntry{e.at, e.actor.user_id, Str(e.data, "text")});
  });
  d.OnEvent("incident.regraded", [](State& s, const Event& e) {
    auto i = Mutable(s, e);
    if (!i.ok()) return;
    (*i)->grade = Str(e.data, "grade");
    (*i)->target_at = OptTime(e.data, "target_at");
  });
  d.OnEvent("incident.person_linked", [](State& s, const Event& e) {
    auto i = Mutable(s, e);
    if (!i.ok()) return;
    (*i)->persons.push_back(Str(e.data, "person_id"));
  });
  d.OnEvent("incident.closed", [](State& s, const Event& e) {
    IncidentClosed read;
    const IncidentClosed& c = IncidentClosed::Of(e, read);
    auto it = s.cad.incidents.find(c.incident_id);
    if (it == s.cad.incidents.end()) return;
    Incident& inc = it->second;
    inc.status = "closed";
    inc.closed_at = e.at;
    s.cad.TrackOpen(inc);
    inc.result_code = c.result_code;
    inc.summary = c.summary;
    // Presence watches end with the incident. A presence or escalation timer exists only while
    // the unit is near the incident (unit.near_incident / left_incident_area) or, for
    // escalation, assigned to it, so only those units are visited.
    const std::string& id = inc.id;
    std::set<std::string> visit;
    if (auto n = s.cad.near_units.find(id); n != s.cad.near_units.end()) {
      visit = std::move(n->second);
      s.cad.near_units.erase(n);
    }
    for (const auto& [uid, a] : inc.assignments) visit.insert(uid);
    for (const auto& uid : visit) {
      auto u = s.cad.units.find(uid);
      if (u == s.cad.units.end()) continue;
      if (u->second.near.erase(id) == 0 && !inc.assignments.contains(uid)) continue;
      s.timers.Cancel("presence:" + uid + ":" + id);
      s.timers.Cancel("escalate:" + uid + ":" + id);
    }
    inc.present_unassigned.clear();
  });
  d.OnEvent("incident.reopened", [](State& s, const Event& e) {
    auto i = Mutable(s, e);
    if (!i.ok()) return;
    (*i)->status = "open";
    s.cad.TrackOpen(**i);
    (*i)->closed_at.reset();
  });
}

}  // namespace concordat::cad

namespace concordat {

bool IsIncidentFlag(std::string_view flag) {
  return std::find(cad::kFlags.begin(), cad::kFlags.end(), flag) != cad::kFlags.end();
}

std::string IncidentFlagList() {
  std::string out;
  for (auto f : cad::kFlags) {
    if (!out.empty()) out += ", ";
    out += f;
  }
  return out;
}

bool IsIncidentTypeCode(std::string_view type) {
  return !type.empty() && type.size() <= 40 &&
         type.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
}

}  // namespace concordat

namespace concordat {

Status IncidentCreateRequest::Read(const boost::json::object& body, IncidentCreateRequest& out) {
  FieldReader r(body);
  out.channel = r.Enum("channel", cad::kChannels);
  out.caller_name = r.OptionalString("caller.name", 200);
  out.caller_phone = r.OptionalString("caller.phone", 40);
  out.lat = r.OptionalNumber("location.lat", -90, 90);
  out.lon = r.OptionalNumber("location.lon", -180, 180);
  out.address = r.OptionalString("location.address", 500);
  out.location_type = r.OptionalEnum("location.type", cad::kLocationTypes);
  out.type = r.String("type", 40);
  out.grade = r.String("grade", 4);
  out.flags = r.StringList("flags", 10);
  out.description = r.OptionalString("description", 4000);
  out.received_at = r.OptionalTime("received_at");
  if (!r.ok()) return r.error();
  return {};
}

boost::json::object IncidentCreateRequest::ToBody() const {
  boost::json::object b{{"channel", channel}, {"type", type}, {"grade", grade}};
  boost::json::object caller;
  if (caller_name) caller["name"] = *caller_name;
  if (caller_phone) caller["phone"] = *caller_phone;
  if (!caller.empty()) b["caller"] = std::move(caller);
  boost::json::object location;
  if (lat) location["lat"] = *lat;
  if (lon) location["lon"] = *lon;
  if (address) location["address"] = *address;
  if (location_type) location["type"] = *location_type;
  if (!location.empty()) b["location"] = std::move(location);
  b["flags"] = cad::StrArray(flags);
  if (description) b["description"] = *description;
  if (received_at) b["received_at"] = FormatIso(*received_at);
  return b;
}

Status IncidentCloseRequest::Read(const boost::json::object& body, IncidentCloseRequest& out) {
  FieldReader r(body);
  out.result_code = r.String("result_code", 60);
  out.summary = r.String("summary", 4000);
  if (!r.ok()) return r.error();
  return {};
}

boost::json::object IncidentCloseRequest::ToBody() const {
  return {{"result_code", result_code}, {"summary", summary}};
}

}  // namespace concordat
