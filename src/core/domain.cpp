#include "core/domain.hpp"

#include <boost/json.hpp>

#include "core/engine_events.hpp"

namespace concordat {

void Domain::OnCommand(std::string type, DecideFn fn) { deciders_[std::move(type)] = std::move(fn); }

void Domain::OnEvent(std::string type, ApplyFn fn) {
  appliers_[std::move(type)].push_back(std::move(fn));
}

void Domain::OnTimer(std::string kind, TimerFn fn) { timers_[std::move(kind)] = std::move(fn); }

bool Domain::HasCommand(std::string_view type) const { return deciders_.contains(type); }

Result<Decision> Domain::Decide(const State& s, const Command& c, const Context& ctx) const {
  auto it = deciders_.find(c.type);
  if (it == deciders_.end()) {
    return Error::Internal("no decider for command " + c.type);
  }
  return it->second(s, c, ctx);
}

void Domain::Apply(State& s, const Event& e) const {
  if (auto it = appliers_.find(e.type); it != appliers_.end()) {
    for (const auto& fn : it->second) {
      fn(s, e);
    }
  }
  s.seq = e.seq;
  s.last_at = e.at;
}

Result<Decision> Domain::FireTimer(const State& s, const Timer& t, const Context& ctx) const {
  auto it = timers_.find(t.kind);
  if (it == timers_.end()) {
    return Decision{};
  }
  return it->second(s, t, ctx);
}

void RegisterAlerts(Domain& d);  // alerts.cpp

void RegisterCoreDomain(Domain& d) {
  // The engine appends "timer.fired" when it fires a timer; applying it removes the timer.
  d.OnEvent("timer.fired",
            [](State& s, const Event& e) { s.timers.Cancel(TimerFired::TimerId(e)); });
  // A virtual-clock advance is recorded so the log says when simulated time moved.
  d.OnEvent("clock.advanced", [](State&, const Event&) {});
  RegisterAlerts(d);
}

}  // namespace concordat
