// The whole domain state, evolved only by apply(). Each aggregate's state is a member; the
// engine snapshots it as JSON (every member is described for Boost.JSON) and restores it on
// start-up before replaying the log's tail.
//
// Thread-safety: the engine's writer thread owns it; readers take the engine's shared lock.
#pragma once

#include <boost/describe.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <string>

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

  // Snapshot form; Restore replaces everything.
  boost::json::value ToJson() const;
  static Result<State> FromJson(const boost::json::value& v);
};

}  // namespace concordat
