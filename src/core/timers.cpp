#include "core/timers.hpp"

namespace concordat {

void TimerTable::Schedule(Timer t) {
  Cancel(t.id);
  by_due_.insert({t.due, t.id});
  std::string id = t.id;
  by_id_.emplace(std::move(id), std::move(t));
}

void TimerTable::Cancel(const std::string& id) {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) {
    return;
  }
  by_due_.erase({it->second.due, id});
  by_id_.erase(it);
}

const Timer* TimerTable::Find(const std::string& id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &it->second;
}

const Timer* TimerTable::Next() const {
  if (by_due_.empty()) {
    return nullptr;
  }
  return &by_id_.at(by_due_.begin()->second);
}

void TimerTable::Restore(std::map<std::string, Timer> timers) {
  by_id_.clear();
  by_due_.clear();
  for (auto& [id, t] : timers) {
    Schedule(std::move(t));
  }
}

}  // namespace concordat
