// The two events the engine itself makes, as typed bodies (EventBody): "timer.fired" for each
// timer it fires and "clock.advanced" for each move of a virtual clock. A simulated London day
// fires about 4,000 timers and advances the clock 2,880 times, so neither is built, serialised
// and freed as a JSON object. Their payloads are the documents the engine used to build.
#pragma once

#include <optional>
#include <string>

#include "core/event.hpp"
#include "core/time.hpp"

namespace concordat {

// {"timer_id","kind","due"} and "error" when the timer's handler refused.
struct TimerFired final : EventBody {
  std::string timer_id, kind;
  Timestamp due = 0;
  std::optional<std::string> error;
  void WritePayload(std::string& out) const override;
  // The fired timer's id: the event's own body, or its data (an event read from the log).
  static std::string TimerId(const Event& e);
};

// {"from","to"}: the virtual clock's move.
struct ClockAdvanced final : EventBody {
  Timestamp from = 0, to = 0;
  void WritePayload(std::string& out) const override;
};

}  // namespace concordat
