// Events and commands: the vocabulary between the API, the engine and the domain core.
//
// An Event is a fact that happened, appended once to the log and never changed. Its `data` is a
// JSON object whose shape belongs to its `type` (documented with the aggregate that emits it).
// A Command is a request to change something; the domain's decide function turns it into events
// or an Error.
//
// Data classification (who may see an event; the API filters on it when publishing):
//   "operational"  incident facts without personal data (grade, location type, units, alerts)
//   "personal"     identifies a person (caller, linked person, officer-level detail)
//   "health"       mental-health or health information (detentions, capacity, triage detail)
//   "system"       engine bookkeeping (timers, clock); never shown to partners
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace concordat {

struct Actor {
  std::string user_id;    // "system" for engine-made events
  std::string role;       // a role name, see src/api/roles.hpp
  std::string agency_id;  // "mps" for police users
  std::string collar;     // the officer's collar number, for own-unit checks (not stored)
  std::string agency_name;  // e.g. a trust's name, to match the sites it runs (not stored)
};

namespace classification {
inline constexpr const char* kOperational = "operational";
inline constexpr const char* kPersonal = "personal";
inline constexpr const char* kHealth = "health";
inline constexpr const char* kSystem = "system";
}  // namespace classification

// An event as the domain emits it, before the engine stamps it.
struct NewEvent {
  std::string stream;  // e.g. "incident/0001"
  std::string type;    // e.g. "incident.created"
  std::string classification = classification::kOperational;
  boost::json::object data;
};

// An event as stored in the log.
struct Event {
  std::uint64_t seq = 0;  // gapless, starting at 1
  Timestamp at = 0;
  std::string stream;
  std::string type;
  Actor actor;
  std::string command_id;
  std::string classification;
  boost::json::object data;
  std::string payload;    // `data` serialised exactly as hashed and stored
  std::string prev_hash;  // hex SHA-256 of the previous event ("" for seq 1)
  std::string hash;       // hex SHA-256 of this event's canonical form
};

struct Command {
  std::string type;        // e.g. "incident.create"
  std::string target;      // the id a path names, if any ("" otherwise)
  boost::json::object body;
  Actor actor;
  std::string command_id;  // client-made idempotency key
  // False when the caller needs only success or failure (the simulator, which sends millions):
  // the engine then skips rendering the reply and answers `{}`, also to a retry of the same id.
  // Deciding, applying and logging are the same either way.
  bool wants_reply = true;
  // True: a retry of this command_id is answered with the first outcome and appends nothing
  // (the API's Idempotency-Key; always so over HTTP). False only for a caller that never sends
  // an id twice (the simulator numbers its commands): the engine then neither looks the id up
  // nor keeps the outcome for retries. Its events still carry the id.
  bool idempotent = true;
  // True when the caller reads only the reply's JSON text (the API, which sends it as it is):
  // the engine then has the decider write it directly where it can (Decision::reply_text) and
  // `Outcome::reply` stays null. The text is the same either way.
  bool reply_as_text = false;
};

// The wire form used by the API and the stream: {"seq","at","stream","type","actor",...,"data"}.
boost::json::object EventToJson(const Event& e);

}  // namespace concordat
