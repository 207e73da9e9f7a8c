// The commonest command and control commands as typed requests (see CommandRequest in
// core/event.hpp): what their deciders read, made either from an API body (`Read`, which checks
// each field as FieldReader does) or in process by the simulator. `ToBody` gives the API body of
// the same request. The fields are those of the bodies listed in core/cad.hpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "core/result.hpp"

namespace concordat {

// incident.create
struct IncidentCreateRequest final : CommandRequest {
  std::string channel;  // "999", "101", ...
  std::optional<std::string> caller_name;
  std::optional<std::string> caller_phone;
  std::optional<double> lat;
  std::optional<double> lon;
  std::optional<std::string> address;
  std::optional<std::string> location_type;
  std::string type;
  std::string grade;
  std::vector<std::string> flags;
  std::optional<std::string> description;
  std::optional<Timestamp> received_at;

  static Status Read(const boost::json::object& body, IncidentCreateRequest& out);
  boost::json::object ToBody() const override;
};

// incident.close
struct IncidentCloseRequest final : CommandRequest {
  std::string result_code;
  std::string summary;

  static Status Read(const boost::json::object& body, IncidentCloseRequest& out);
  boost::json::object ToBody() const override;
};

// assignment.create (target: the incident)
struct AssignmentCreateRequest final : CommandRequest {
  std::string unit_id;
  std::string mode;  // "dispatched" or "self_deployed"
  bool confirm = false;
  std::optional<std::string> reason;

  static Status Read(const boost::json::object& body, AssignmentCreateRequest& out);
  boost::json::object ToBody() const override;
};

// assignment.state (target: the incident)
struct AssignmentStateRequest final : CommandRequest {
  std::string unit_id;
  std::string state;  // en_route, at_scene, left_scene, cleared

  static Status Read(const boost::json::object& body, AssignmentStateRequest& out);
  boost::json::object ToBody() const override;
};

// unit.location (target: the unit)
struct UnitLocationRequest final : CommandRequest {
  double lat = 0;
  double lon = 0;
  std::optional<Timestamp> fixed_at;
  std::optional<double> accuracy_m;

  static Status Read(const boost::json::object& body, UnitLocationRequest& out);
  boost::json::object ToBody() const override;
};

// The command's request as R: the typed request its caller made, or else its body read into
// `read` (the body's problems, all of them, as the error).
template <class R>
Result<const R*> RequestOf(const Command& c, R& read) {
  if (c.request) {
    if (const auto* typed = dynamic_cast<const R*>(c.request.get())) return typed;
    return Error::Internal("command " + c.type + " carries the request of another command");
  }
  if (auto st = R::Read(c.body, read); !st.ok()) return st.error();
  return &read;
}

}  // namespace concordat
