// Alerts: things a controller or supervisor must see and acknowledge. Each domain raises its own
// types (over_attendance, status_prompt, s136_clock, referral_overdue, ...) by emitting an
// "alert.raised" event built with MakeAlertRaised; acknowledgement is the "alert.acknowledge"
// command, which any role allowed to acknowledge may run once.
#pragma once

#include <boost/describe.hpp>
#include <boost/json/object.hpp>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/event.hpp"
#include "core/indexed_map.hpp"

namespace concordat {

struct Alert {
  std::string id;
  std::string type;
  std::string incident_id;
  std::vector<std::string> unit_ids;
  std::string message;
  Timestamp raised_at = 0;
  std::optional<Timestamp> acknowledged_at;
  std::string acknowledged_by;
  std::string audience;  // "control" (controllers and supervisors), "supervisor", "unit", ...
  boost::json::object data;
};
BOOST_DESCRIBE_STRUCT(Alert, (),
                      (id, type, incident_id, unit_ids, message, raised_at, acknowledged_at,
                       acknowledged_by, audience, data))

struct AlertsState {
  IndexedMap<Alert> by_id;
  std::uint64_t next = 1;
  // Derived (not snapshotted; Reindex rebuilds it): alert ids per incident, each incident's in
  // by_id's order, so an incident's view does not scan every alert ever raised.
  std::unordered_map<std::string, std::set<std::string>> by_incident;
  // Derived (likewise): ids of the alerts not yet acknowledged, in by_id's order, so the board
  // and the open-alerts list do not scan every alert ever raised (a year's status prompts alone
  // are hundreds of thousands).
  std::set<std::string> unacknowledged;
  void Reindex();
};
BOOST_DESCRIBE_STRUCT(AlertsState, (), (by_id, next))

struct State;

// Builds an "alert.raised" event; the id comes from the state's alert counter plus `offset` (the
// number of alerts already raised by the same decision).
NewEvent MakeAlertRaised(const State& s, int offset, std::string type, std::string incident_id,
                         std::vector<std::string> unit_ids, std::string message,
                         boost::json::object data = {}, std::string audience = "control");

// Builds an "alert.updated" event: the open alert `a` now says `message`, about `unit_ids`, with
// `data` (an over-attendance alert as more units arrive or leave).
NewEvent MakeAlertUpdated(const Alert& a, std::vector<std::string> unit_ids, std::string message,
                          boost::json::object data);

boost::json::object AlertToJson(const Alert& a);
// Acknowledges, with `note`, every open alert of `incident_id` ("" = alerts about no incident)
// that `which` picks: alerts a later fact has made untrue (a clock warning for an end the
// extension moved, a wait that has ended, a prompt the unit has answered), so that what stays
// open on a board is still so. `by` is recorded as who acknowledged ("" = the command's actor,
// as when a unit's own status update answers its prompt). Appends the events.
void CloseAlerts(const State& s, const std::string& incident_id,
                 const std::function<bool(const Alert&)>& which, const std::string& note,
                 std::vector<NewEvent>& out, const std::string& by = "system");

}  // namespace concordat
