#include "core/alerts.hpp"

#include <boost/json.hpp>

#include "core/domain.hpp"
#include "core/json_fields.hpp"
#include "core/state.hpp"

namespace concordat {

NewEvent MakeAlertRaised(const State& s, int offset, std::string type, std::string incident_id,
                         std::vector<std::string> unit_ids, std::string message,
                         boost::json::object data, std::string audience) {
  const std::string id = "alert-" + std::to_string(s.alerts.next + offset);
  boost::json::array units;
  for (auto& u : unit_ids) {
    units.emplace_back(u);
  }
  NewEvent e;
  e.stream = incident_id.empty() ? "alert/" + id : "incident/" + incident_id;
  e.type = "alert.raised";
  e.data = {
      {"alert_id", id},         {"alert_type", std::move(type)}, {"incident_id", incident_id},
      {"unit_ids", units},      {"message", std::move(message)}, {"audience", std::move(audience)},
      {"data", std::move(data)}};
  return e;
}

NewEvent MakeAlertUpdated(const Alert& a, std::vector<std::string> unit_ids, std::string message,
                          boost::json::object data) {
  boost::json::array units;
  for (auto& u : unit_ids) units.emplace_back(u);
  NewEvent e;
  e.stream = a.incident_id.empty() ? "alert/" + a.id : "incident/" + a.incident_id;
  e.type = "alert.updated";
  e.data = {{"alert_id", a.id},
            {"unit_ids", units},
            {"message", std::move(message)},
            {"data", std::move(data)}};
  return e;
}

boost::json::object AlertToJson(const Alert& a) {
  boost::json::array units;
  for (const auto& u : a.unit_ids) {
    units.emplace_back(u);
  }
  boost::json::object o{{"id", a.id},
                        {"type", a.type},
                        {"incident_id", a.incident_id.empty() ? boost::json::value(nullptr)
                                                              : boost::json::value(a.incident_id)},
                        {"unit_ids", units},
                        {"message", a.message},
                        {"raised_at", FormatIso(a.raised_at)},
                        {"audience", a.audience},
                        {"data", a.data}};
  o["acknowledged_at"] =
      a.acknowledged_at ? boost::json::value(FormatIso(*a.acknowledged_at)) : nullptr;
  o["acknowledged_by"] = a.acknowledged_by.empty() ? boost::json::value(nullptr)
                                                   : boost::json::value(a.acknowledged_by);
  return o;
}

void CloseAlerts(const State& s, const std::string& incident_id,
                 const std::function<bool(const Alert&)>& which, const std::string& note,
                 std::vector<NewEvent>& out, const std::string& by) {
  auto close = [&](const Alert& a) {
    if (a.acknowledged_at || !which(a)) return;
    NewEvent e;
    e.stream = incident_id.empty() ? "alert/" + a.id : "incident/" + incident_id;
    e.type = "alert.acknowledged";
    e.data = {{"alert_id", a.id}, {"note", note}};
    if (!by.empty()) e.data["by"] = by;
    out.push_back(std::move(e));
  };
  if (incident_id.empty()) {
    // Alerts about no incident (a partner's referral to the police, a team's vacancy) are not
    // indexed by incident: the open ones are looked at (a board's worth), not every alert ever
    // kept (the acknowledged ones would be passed over anyway), in the same order.
    for (const auto& id : s.alerts.unacknowledged) {
      const Alert& a = s.alerts.by_id.at(id);
      if (a.incident_id.empty()) close(a);
    }
    return;
  }
  auto ids = s.alerts.by_incident.find(incident_id);
  if (ids == s.alerts.by_incident.end()) return;
  for (const auto& id : ids->second) close(s.alerts.by_id.at(id));
}

namespace {

void ApplyAlertRaised(State& s, const Event& e) {
  Alert a;
  const auto& d = e.data;
  a.id = std::string(d.at("alert_id").as_string());
  a.type = std::string(d.at("alert_type").as_string());
  a.incident_id = std::string(d.at("incident_id").as_string());
  for (const auto& u : d.at("unit_ids").as_array()) {
    a.unit_ids.emplace_back(u.as_string());
  }
  a.message = std::string(d.at("message").as_string());
  if (const auto* au = d.if_contains("audience"); au && au->is_string()) {
    a.audience = std::string(au->as_string());
  }
  if (const auto* extra = d.if_contains("data"); extra && extra->is_object()) {
    a.data = extra->as_object();
  }
  a.raised_at = e.at;
  s.alerts.next++;
  if (!a.incident_id.empty()) s.alerts.by_incident[a.incident_id].insert(a.id);
  s.alerts.unacknowledged.insert(a.id);
  s.alerts.by_id[a.id] = std::move(a);
}

void ApplyAlertUpdated(State& s, const Event& e) {
  auto it = s.alerts.by_id.find(std::string(e.data.at("alert_id").as_string()));
  if (it == s.alerts.by_id.end()) return;
  Alert& a = it->second;
  a.unit_ids.clear();
  for (const auto& u : e.data.at("unit_ids").as_array()) a.unit_ids.emplace_back(u.as_string());
  a.message = std::string(e.data.at("message").as_string());
  if (const auto* extra = e.data.if_contains("data"); extra && extra->is_object()) {
    a.data = extra->as_object();
  }
}

void ApplyAlertAcknowledged(State& s, const Event& e) {
  auto it = s.alerts.by_id.find(std::string(e.data.at("alert_id").as_string()));
  if (it != s.alerts.by_id.end()) {
    it->second.acknowledged_at = e.at;
    s.alerts.unacknowledged.erase(it->first);
    // Closed by the system when a later fact made it untrue (CloseAlerts), else by the actor.
    const auto* by = e.data.if_contains("by");
    it->second.acknowledged_by =
        by && by->is_string() ? std::string(by->as_string()) : e.actor.user_id;
  }
}

Result<Decision> DecideAcknowledge(const State& s, const Command& c, const Context&) {
  auto it = s.alerts.by_id.find(c.target);
  if (it == s.alerts.by_id.end()) {
    return Error::NotFound("no alert " + c.target);
  }
  if (it->second.acknowledged_at) {
    return Error::Conflict("alert " + c.target + " was already acknowledged by " +
                           it->second.acknowledged_by);
  }
  // An alert for supervisors (a team left without its liaison officer or below strength) is
  // theirs to acknowledge: anyone else doing so would take it off their board unread.
  if (it->second.audience == "supervisor" && c.actor.role != "supervisor" &&
      c.actor.role != "admin") {
    return Error::PermissionDenied("alert " + c.target +
                                   " is for supervisors to acknowledge, not " + c.actor.role);
  }
  // The Mental Health Team's (a high-intensity flag's review falling due) closes itself when the
  // flag is reviewed again or ends; of the control room, only a supervisor may take it off.
  if (it->second.audience == "mh_team" && c.actor.role != "supervisor" && c.actor.role != "admin") {
    return Error::PermissionDenied("alert " + c.target +
                                   " is the Mental Health Team's: it closes when the flag is "
                                   "reviewed again or ends (a supervisor may acknowledge it)");
  }
  FieldReader r(c.body);
  auto note = r.OptionalString("note", 1000);
  if (!r.ok()) {
    return r.error();
  }
  NewEvent e;
  e.stream =
      it->second.incident_id.empty() ? "alert/" + c.target : "incident/" + it->second.incident_id;
  e.type = "alert.acknowledged";
  e.data = {{"alert_id", c.target}, {"note", note.value_or("")}};
  Decision d;
  d.events.push_back(std::move(e));
  const std::string id = c.target;
  d.reply = [id](const State& st) -> boost::json::value {
    return AlertToJson(st.alerts.by_id.at(id));
  };
  return d;
}

}  // namespace

void RegisterAlerts(Domain& d) {
  d.OnEvent("alert.raised", ApplyAlertRaised);
  d.OnEvent("alert.acknowledged", ApplyAlertAcknowledged);
  d.OnEvent("alert.updated", ApplyAlertUpdated);
  d.OnCommand("alert.acknowledge", DecideAcknowledge);
}

void AlertsState::Reindex() {
  by_incident.clear();
  unacknowledged.clear();
  for (const auto& [id, a] : by_id) {
    if (!a.incident_id.empty()) by_incident[a.incident_id].insert(id);
    if (!a.acknowledged_at) unacknowledged.insert(unacknowledged.end(), id);
  }
}

}  // namespace concordat
