// JSON views of incidents, units and assignments for the API and the board.
#include "core/cad_internal.hpp"
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
          {"emergency", u.emergency}};
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
}  // namespace cad

void RegisterCad(Domain& d) {
  cad::RegisterIncidents(d);
  cad::RegisterUnits(d);
  cad::RegisterAssignments(d);
  cad::RegisterCompliance(d);
}

}  // namespace concordat
