// JSON views of incidents, units and assignments for the API and the board.
#include "core/cad_internal.hpp"
#include "core/json_text.hpp"
#include "core/team.hpp"

namespace concordat {
using cad::StrArray;
using cad::TimeOrNull;

boost::json::object AssignmentJson(const Assignment& a, const State& s) {
  auto u = s.cad.units.find(a.unit_id);
  return {{"unit_id", a.unit_id},
          {"call_sign", u != s.cad.units.end() ? u->second.call_sign : a.unit_id},
          {"mode", a.mode},
          {"dispatched_by", a.dispatched_by.empty() ? boost::json::value(nullptr)
                                                    : boost::json::value(a.dispatched_by)},
          {"state", a.state},
          {"reason", a.reason},
          {"after_advisory", a.after_advisory},
          {"assigned_at", FormatIso(a.assigned_at)},
          {"en_route_at", TimeOrNull(a.en_route_at)},
          {"at_scene_at", TimeOrNull(a.at_scene_at)},
          {"left_scene_at", TimeOrNull(a.left_scene_at)},
          {"cleared_at", TimeOrNull(a.cleared_at)},
          {"stood_down_at", TimeOrNull(a.stood_down_at)}};
}

boost::json::object IncidentSummaryJson(const State& /*s*/, const Incident& i, const Policy& p,
                                        Timestamp now) {
  const GradePolicy* g = p.FindGrade(i.grade);
  boost::json::object o{
      {"id", i.id},
      {"reference", i.reference},
      {"received_at", FormatIso(i.received_at)},
      {"created_at", FormatIso(i.received_at)},
      {"channel", i.channel},
      {"type", i.type},
      {"grade", i.grade},
      {"grade_name", g ? g->name : i.grade},
      {"flags", StrArray(i.flags)},
      {"description", i.description},
      {"status", i.status},
      {"location",
       {{"located", i.location.located},
        {"lat", i.location.located ? boost::json::value(i.location.point.lat) : nullptr},
        {"lon", i.location.located ? boost::json::value(i.location.point.lon) : nullptr},
        {"address", i.location.address},
        {"type", i.location.type}}},
      {"borough", i.borough_code.empty() ? boost::json::value(nullptr)
                                         : boost::json::value(boost::json::object{
                                               {"code", i.borough_code}, {"name", i.borough_name}})},
      {"bcu", i.bcu_code.empty() ? boost::json::value(nullptr)
                                 : boost::json::value(boost::json::object{{"code", i.bcu_code},
                                                                          {"name", i.bcu_name}})},
      {"target_at", TimeOrNull(i.target_at)},
      {"first_arrival_at", TimeOrNull(i.first_arrival_at)},
      {"recommended_attendance", p.RecommendedUnits(i.type, i.grade)},
      {"assigned_count", i.ActiveCount()},
      {"attending_count", AttendingCount(i)},
      {"resourced", i.resourced},
      {"emergency", !i.emergency_unit_id.empty() && !i.emergency_cancelled},
      {"closed_at", TimeOrNull(i.closed_at)}};
  boost::json::value met = nullptr;
  boost::json::value to_target = nullptr;
  bool overdue = false;
  if (i.target_at) {
    if (i.first_arrival_at) {
      met = *i.first_arrival_at <= *i.target_at;
    } else if (i.status == "open") {
      to_target = (*i.target_at - now) / kMicrosPerSecond;
      overdue = now > *i.target_at;
    }
  }
  o["target_met"] = met;
  o["time_to_target_seconds"] = to_target;
  o["overdue"] = overdue;
  return o;
}

boost::json::object IncidentJson(const State& s, const Incident& i, const Policy& p,
                                 Timestamp now) {
  boost::json::object o = IncidentSummaryJson(s, i, p, now);
  o["caller"] = {{"name", i.caller.name}, {"phone", i.caller.phone}};
  boost::json::array thrive;
  for (const auto& t : i.thrive) {
    thrive.push_back({{"version", t.version},
                      {"at", FormatIso(t.at)},
                      {"author", t.author},
                      {"threat", t.threat},
                      {"harm", t.harm},
                      {"risk", t.risk},
                      {"investigation", t.investigation},
                      {"vulnerability", t.vulnerability},
                      {"engagement", t.engagement},
                      {"overall", t.overall}});
  }
  o["thrive"] = thrive;
  boost::json::array log;
  for (const auto& l : i.log) {
    log.push_back({{"at", FormatIso(l.at)}, {"author", l.author}, {"text", l.text}});
  }
  o["log"] = log;
  o["persons"] = StrArray(i.persons);
  boost::json::array assignments;
  for (const auto& [uid, a] : i.assignments) {
    assignments.push_back(AssignmentJson(a, s));
  }
  o["assignments"] = assignments;
  boost::json::array present;
  for (const auto& uid : i.present_unassigned) present.emplace_back(uid);
  o["present_unassigned"] = present;
  boost::json::array alerts;
  if (auto ids = s.alerts.by_incident.find(i.id); ids != s.alerts.by_incident.end()) {
    for (const auto& aid : ids->second) alerts.push_back(AlertToJson(s.alerts.by_id.at(aid)));
  }
  o["alerts"] = alerts;
  o["result_code"] = i.result_code;
  o["summary"] = i.summary;
  o["emergency_unit_id"] = i.emergency_unit_id;
  o["parent_incident_id"] = i.parent_incident_id;
  return o;
}

boost::json::object UnitJson(const Unit& u, Timestamp now, const State* s) {
  boost::json::array crew;
  for (const auto& c : u.crew) {
    crew.push_back({{"collar", c.collar},
                    {"name", c.name},
                    {"rank", c.rank},
                    {"skills", StrArray(c.skills)}});
    if (s != nullptr) {
      crew.back().as_object()["mental_health_training"] = CrewTrainingJson(*s, c.collar, now);
    }
  }
  boost::json::value loc = nullptr;
  if (u.fix) {
    loc = boost::json::object{{"lat", u.fix->point.lat},
                              {"lon", u.fix->point.lon},
                              {"fixed_at", FormatIso(u.fix->fixed_at)},
                              {"age_seconds", (now - u.fix->fixed_at) / kMicrosPerSecond},
                              {"accuracy_m", u.fix->accuracy_m}};
  }
  boost::json::array stacked;
  for (const auto& sid : u.stacked) stacked.emplace_back(sid);
  // The unit's assignment on its active incident: "assigned" while the crew has not said it is on
  // its way (the unit's status says en route from the moment it is committed; a board must not
  // show those crews as moving: PC/2334/19, officers who never updated the control room).
  boost::json::value assignment_state = nullptr;
  if (s != nullptr && !u.active_incident.empty()) {
    if (auto inc = s->cad.incidents.find(u.active_incident); inc != s->cad.incidents.end()) {
      if (auto a = inc->second.assignments.find(u.id); a != inc->second.assignments.end()) {
        assignment_state = boost::json::value(a->second.state);
      }
    }
  }
  return {{"id", u.id},
          {"call_sign", u.call_sign},
          {"bcu", u.bcu},
          {"status", u.status},
          {"location", loc},
          {"crew", crew},
          {"capabilities", StrArray(u.capabilities)},
          {"mental_health_trained", u.MentalHealthTrained()},
          {"mental_health_trained_by_record",
           s != nullptr ? boost::json::value(CrewTrainedByRecord(*s, u, now)) : nullptr},
          {"active_incident", u.active_incident.empty() ? boost::json::value(nullptr)
                                                        : boost::json::value(u.active_incident)},
          {"stacked", stacked},
          {"assignment_state", assignment_state},
          {"emergency", u.emergency}};
}

namespace {

void WriteTimeOrNull(JsonWriter& w, const std::optional<Timestamp>& t) {
  if (t) {
    w.Str(FormatIso(*t));
  } else {
    w.Null();
  }
}

void WriteAssignment(JsonWriter& w, const Assignment& a, const State& s) {
  auto u = s.cad.units.find(a.unit_id);
  w.Open();
  w.Key("unit_id").Str(a.unit_id);
  w.Key("call_sign").Str(u != s.cad.units.end() ? u->second.call_sign : a.unit_id);
  w.Key("mode").Str(a.mode);
  w.Key("dispatched_by").StrOrNull(a.dispatched_by);
  w.Key("state").Str(a.state);
  w.Key("reason").Str(a.reason);
  w.Key("after_advisory").Bool(a.after_advisory);
  w.Key("assigned_at").Str(FormatIso(a.assigned_at));
  w.Key("en_route_at");
  WriteTimeOrNull(w, a.en_route_at);
  w.Key("at_scene_at");
  WriteTimeOrNull(w, a.at_scene_at);
  w.Key("left_scene_at");
  WriteTimeOrNull(w, a.left_scene_at);
  w.Key("cleared_at");
  WriteTimeOrNull(w, a.cleared_at);
  w.Key("stood_down_at");
  WriteTimeOrNull(w, a.stood_down_at);
  w.Close();
}

}  // namespace

// Field for field as IncidentSummaryJson and IncidentJson above
// (IncidentTest.TheIncidentWrittenDirectlyIsTheSameTextAsItsJsonView compares the two over
// incidents in every state): a change to one is a change to both.
std::string IncidentJsonText(const State& s, const Incident& i, const Policy& p, Timestamp now,
                             const std::vector<std::string>* warnings) {
  std::string out;
  out.reserve(2048);
  JsonWriter w(out);
  const GradePolicy* g = p.FindGrade(i.grade);
  const std::string received = FormatIso(i.received_at);
  w.Open();
  w.Key("id").Str(i.id);
  w.Key("reference").Str(i.reference);
  w.Key("received_at").Str(received);
  w.Key("created_at").Str(received);
  w.Key("channel").Str(i.channel);
  w.Key("type").Str(i.type);
  w.Key("grade").Str(i.grade);
  w.Key("grade_name").Str(g ? g->name : i.grade);
  w.Key("flags").StrArray(i.flags);
  w.Key("description").Str(i.description);
  w.Key("status").Str(i.status);
  w.Key("location").Open();
  w.Key("located").Bool(i.location.located);
  if (i.location.located) {
    w.Key("lat").Double(i.location.point.lat);
    w.Key("lon").Double(i.location.point.lon);
  } else {
    w.Key("lat").Null();
    w.Key("lon").Null();
  }
  w.Key("address").Str(i.location.address);
  w.Key("type").Str(i.location.type);
  w.Close();
  w.Key("borough");
  if (i.borough_code.empty()) {
    w.Null();
  } else {
    w.Open().Key("code").Str(i.borough_code).Key("name").Str(i.borough_name).Close();
  }
  w.Key("bcu");
  if (i.bcu_code.empty()) {
    w.Null();
  } else {
    w.Open().Key("code").Str(i.bcu_code).Key("name").Str(i.bcu_name).Close();
  }
  w.Key("target_at");
  WriteTimeOrNull(w, i.target_at);
  w.Key("first_arrival_at");
  WriteTimeOrNull(w, i.first_arrival_at);
  w.Key("recommended_attendance").Int(p.RecommendedUnits(i.type, i.grade));
  w.Key("assigned_count").Int(i.ActiveCount());
  w.Key("attending_count").Int(AttendingCount(i));
  w.Key("resourced").Bool(i.resourced);
  w.Key("emergency").Bool(!i.emergency_unit_id.empty() && !i.emergency_cancelled);
  w.Key("closed_at");
  WriteTimeOrNull(w, i.closed_at);
  w.Key("target_met");
  if (i.target_at && i.first_arrival_at) {
    w.Bool(*i.first_arrival_at <= *i.target_at);
  } else {
    w.Null();
  }
  const bool counting = i.target_at && !i.first_arrival_at && i.status == "open";
  w.Key("time_to_target_seconds");
  if (counting) {
    w.Int((*i.target_at - now) / kMicrosPerSecond);
  } else {
    w.Null();
  }
  w.Key("overdue").Bool(counting && now > *i.target_at);
  w.Key("caller").Open().Key("name").Str(i.caller.name).Key("phone").Str(i.caller.phone).Close();
  w.Key("thrive").OpenArray();
  for (const auto& t : i.thrive) {
    w.Open();
    w.Key("version").Int(t.version);
    w.Key("at").Str(FormatIso(t.at));
    w.Key("author").Str(t.author);
    w.Key("threat").Str(t.threat);
    w.Key("harm").Str(t.harm);
    w.Key("risk").Str(t.risk);
    w.Key("investigation").Str(t.investigation);
    w.Key("vulnerability").Str(t.vulnerability);
    w.Key("engagement").Str(t.engagement);
    w.Key("overall").Str(t.overall);
    w.Close();
  }
  w.CloseArray();
  w.Key("log").OpenArray();
  for (const auto& l : i.log) {
    w.Open().Key("at").Str(FormatIso(l.at)).Key("author").Str(l.author);
    w.Key("text").Str(l.text).Close();
  }
  w.CloseArray();
  w.Key("persons").StrArray(i.persons);
  w.Key("assignments").OpenArray();
  for (const auto& [uid, a] : i.assignments) WriteAssignment(w, a, s);
  w.CloseArray();
  w.Key("present_unassigned").OpenArray();
  for (const auto& uid : i.present_unassigned) w.Str(uid);
  w.CloseArray();
  w.Key("alerts").OpenArray();
  if (auto ids = s.alerts.by_incident.find(i.id); ids != s.alerts.by_incident.end()) {
    for (const auto& aid : ids->second) w.Value(AlertToJson(s.alerts.by_id.at(aid)));
  }
  w.CloseArray();
  w.Key("result_code").Str(i.result_code);
  w.Key("summary").Str(i.summary);
  w.Key("emergency_unit_id").Str(i.emergency_unit_id);
  w.Key("parent_incident_id").Str(i.parent_incident_id);
  if (warnings != nullptr) w.Key("warnings").StrArray(*warnings);
  w.Close();
  return out;
}

namespace cad {
std::function<boost::json::value(const State&)> IncidentReply(const std::string& id,
                                                              const Context& ctx) {
  const Policy* p = ctx.policy;
  const Timestamp now = ctx.now;
  return [id, p, now](const State& st) -> boost::json::value {
    return IncidentJson(st, st.cad.incidents.at(id), *p, now);
  };
}

void SetIncidentReply(Decision& d, const std::string& id, const Context& ctx) {
  d.reply = IncidentReply(id, ctx);
  d.reply_text = [id, p = ctx.policy, now = ctx.now](const State& st) {
    return IncidentJsonText(st, st.cad.incidents.at(id), *p, now);
  };
}
}  // namespace cad

void RegisterCad(Domain& d) {
  cad::RegisterIncidents(d);
  cad::RegisterUnits(d);
  cad::RegisterAssignments(d);
  cad::RegisterCompliance(d);
}

}  // namespace concordat
