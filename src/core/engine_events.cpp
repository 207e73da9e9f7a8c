#include "core/engine_events.hpp"

#include "core/json_text.hpp"

namespace concordat {

void TimerFired::WritePayload(std::string& out) const {
  out.reserve(out.size() + 80 + timer_id.size() + kind.size() + (error ? error->size() + 12 : 0));
  JsonWriter w(out);
  w.Open().Key("timer_id").Str(timer_id).Key("kind").Str(kind).Key("due").Str(FormatIso(due));
  if (error) w.Key("error").Str(*error);
  w.Close();
}

std::string TimerFired::TimerId(const Event& e) {
  if (const auto* typed = dynamic_cast<const TimerFired*>(e.body.get())) return typed->timer_id;
  const auto* id = e.data.if_contains("timer_id");
  return id != nullptr && id->is_string() ? std::string(id->get_string()) : std::string();
}

void ClockAdvanced::WritePayload(std::string& out) const {
  JsonWriter w(out);
  w.Open().Key("from").Str(FormatIso(from)).Key("to").Str(FormatIso(to)).Close();
}

}  // namespace concordat
