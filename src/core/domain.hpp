// The domain's decide/apply dispatch. Each aggregate registers its command deciders, event
// appliers and timer handlers here (RegisterCoreDomain and the aggregates' Register functions);
// the engine calls Decide/Apply/FireTimer and nothing else.
//
//   decide(state, command, context) -> Decision | Error   (pure: no I/O, no clock, no randomness)
//   apply(state, event)                                    (pure: evolves state)
//
// A Decision's reply function runs after its events are applied, so it can render the new state
// (e.g. the created incident); the engine stores that reply as the command's outcome.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/event.hpp"
#include "core/policy.hpp"
#include "core/refdata.hpp"
#include "core/result.hpp"
#include "core/state.hpp"

namespace concordat {

struct Context {
  Timestamp now = 0;
  const RefData* ref = nullptr;
  const Policy* policy = nullptr;
};

struct Decision {
  std::vector<NewEvent> events;
  std::function<boost::json::value(const State&)> reply;  // optional
  // Optional: the same reply written as JSON text directly (exactly JsonText(reply(state))),
  // cheaper on the writer; used for commands whose caller takes the reply as text only.
  std::function<std::string(const State&)> reply_text;
  int status = 200;                                       // HTTP status on success (200/201)
};

using DecideFn = std::function<Result<Decision>(const State&, const Command&, const Context&)>;
using ApplyFn = std::function<void(State&, const Event&)>;
using TimerFn = std::function<Result<Decision>(const State&, const Timer&, const Context&)>;

class Domain {
 public:
  void OnCommand(std::string type, DecideFn fn);
  void OnEvent(std::string type, ApplyFn fn);
  void OnTimer(std::string kind, TimerFn fn);

  Result<Decision> Decide(const State& s, const Command& c, const Context& ctx) const;
  // Applies one event: the registered applier (if any), then seq/last_at bookkeeping.
  void Apply(State& s, const Event& e) const;
  // The handler's decision for a due timer (an empty decision when no handler is registered).
  Result<Decision> FireTimer(const State& s, const Timer& t, const Context& ctx) const;

  bool HasCommand(std::string_view type) const;

 private:
  // Looked up by type once per command and once per event: hashed, and by string_view (no
  // temporary string), as a tree of ~150 types cost eight string comparisons a look-up.
  struct TypeHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <class V>
  using ByType = std::unordered_map<std::string, V, TypeHash, std::equal_to<>>;
  ByType<DecideFn> deciders_;
  ByType<std::vector<ApplyFn>> appliers_;
  ByType<TimerFn> timers_;
};

// Registers the platform's own commands and events (alerts, timers, clock).
void RegisterCoreDomain(Domain& d);

// Every aggregate: the one place the product's domain is assembled.
void RegisterAllDomains(Domain& d);

}  // namespace concordat
