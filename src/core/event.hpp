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
#include <memory>
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

// Event data a decider made as a typed value instead of a JSON object, for the commonest events
// (building, serialising, reading back by key and freeing an object of twenty fields was most of
// what such an event cost the writer). The body writes the payload itself, and the event's
// appliers read its fields directly. An event read back from the log has no body, only `data`
// parsed from the payload, so every applier of a typed event takes either (the same value).
class EventBody {
 public:
  virtual ~EventBody() = default;
  // Appends the event's data as a JSON object: the payload that is hashed and stored.
  virtual void WritePayload(std::string& out) const = 0;
};

// An event as the domain emits it, before the engine stamps it.
struct NewEvent {
  std::string stream;  // e.g. "incident/0001"
  std::string type;    // e.g. "incident.created"
  std::string classification = classification::kOperational;
  boost::json::object data;
  std::shared_ptr<const EventBody> body;  // when set, `data` is left empty (see EventBody)
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
  // Empty while `body` is set until the engine hands the event to anything but its appliers
  // (subscribers, the in-memory log): MaterialiseData fills it from the payload.
  boost::json::object data;
  std::shared_ptr<const EventBody> body;  // the decider's typed data, if it made one
  std::string payload;    // `data` serialised exactly as hashed and stored
  std::string prev_hash;  // hex SHA-256 of the previous event ("" for seq 1)
  std::string hash;       // hex SHA-256 of this event's canonical form
};

// A command's body as its decider reads it, made in process by a caller that has the fields
// already (the simulator, which sends millions): building a JSON object, finding each field in it
// by key and freeing it was a tenth of what such a command cost. Only the commonest commands have
// one (core/cad_requests.hpp). Each is the same request as the body `ToBody()` gives, which an
// API client would send; the decider takes either and decides the same way. A body read from JSON
// has its fields checked (types, lengths, allowed values) on the way in; a request made in
// process is taken as it is made, and the decider's own rules apply to both. The simulator's
// tests run the same days both ways and compare every total (tests/sim_test.cpp).
class CommandRequest {
 public:
  virtual ~CommandRequest() = default;
  virtual boost::json::object ToBody() const = 0;
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
  // RequestFingerprint of this command (src/engine/engine.hpp), when the caller has made it
  // already (the API, which compares it with a retry's); otherwise Engine::Submit makes it for an
  // idempotent command on the caller's thread, so the writer does not (it hashes the whole body).
  std::string fingerprint;
  // When set, the decider reads this instead of `body`, which is then left empty (see
  // CommandRequest). Never set by the API.
  std::shared_ptr<const CommandRequest> request;
};

// Sets `data` to the payload parsed (as a log's reader does); left empty when it does not parse.
void DataFromPayload(Event& e);
// Fills `data` from the payload when the event was made with a typed body and has no `data` yet.
void MaterialiseData(Event& e);

// The wire form used by the API and the stream: {"seq","at","stream","type","actor",...,"data"}.
boost::json::object EventToJson(const Event& e);

}  // namespace concordat
