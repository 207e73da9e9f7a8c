// Engine timers as part of domain state. A timer is scheduled and cancelled only by applying
// events, so replaying the log rebuilds exactly the same set; the engine fires due timers by
// appending a "timer.fired" event together with whatever the timer's handler decides.
#pragma once

#include <boost/describe.hpp>
#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "core/indexed_map.hpp"
#include "core/time.hpp"

namespace concordat {

struct Timer {
  std::string id;      // unique; scheduling an existing id replaces it
  Timestamp due = 0;
  std::string kind;    // selects the handler, e.g. "status.prompt"
  std::string stream;  // the stream the timer belongs to
  boost::json::object data;
};
BOOST_DESCRIBE_STRUCT(Timer, (), (id, due, kind, stream, data))

class TimerTable {
 public:
  void Schedule(Timer t);
  void Cancel(const std::string& id);
  const Timer* Find(const std::string& id) const;
  // The earliest timer, or nullptr.
  const Timer* Next() const;
  size_t size() const { return by_id_.size(); }
  const std::map<std::string, Timer>& all() const { return by_id_.map(); }
  void Restore(std::map<std::string, Timer> timers);

 private:
  IndexedMap<Timer> by_id_;  // ids are long ("status.prompt:unit-…:inc-…"): found by hash
  std::set<std::pair<Timestamp, std::string>> by_due_;
};

}  // namespace concordat
