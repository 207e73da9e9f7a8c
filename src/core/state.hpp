// The whole domain state, evolved only by apply(). Each aggregate's state is a member; the
// engine snapshots it (every member is described, so Boost.JSON and the binary snapshot codec
// can walk it) and restores it on start-up before replaying the log's tail.
//
// Thread-safety: the engine's writer thread owns it; readers take the engine's shared lock.
#pragma once

#include <boost/describe.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/alerts.hpp"
#include "core/cad_state.hpp"
#include "core/mh_state.hpp"
#include "core/partners_state.hpp"
#include "core/team_state.hpp"
#include "core/timers.hpp"

namespace concordat {

struct State {
  std::uint64_t seq = 0;  // the last applied event
  Timestamp last_at = 0;  // its time
  TimerTable timers;
  AlertsState alerts;
  CadState cad;
  MhState mh;
  PartnersState partners;
  TeamState team;

  // JSON form (tests compare states by it; snapshots were written in it before the binary form).
  boost::json::value ToJson() const;
  static Result<State> FromJson(const boost::json::value& v);

  // Snapshot form (core/snapshot_codec.hpp): binary, with the signature of the types it was
  // written with. FromSnapshot also takes the older JSON text; it refuses a snapshot of other
  // types or a damaged one with an error (the engine then replays the whole log).
  std::string ToSnapshot() const;
  static Result<State> FromSnapshot(std::string_view bytes);
};

}  // namespace concordat
