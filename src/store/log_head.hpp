// The head of a stored log — its last event's seq and hash — which the writer moves and any
// thread may read (EventLog::HeadSeq / HeadHash). Shared by the SQLite and PostgreSQL logs.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/event.hpp"

namespace concordat {

class LogHead {
 public:
  std::uint64_t seq() const {
    std::lock_guard lock(mu_);
    return seq_;
  }
  std::string hash() const {
    std::lock_guard lock(mu_);
    return hash_;
  }
  std::pair<std::uint64_t, std::string> Get() const {
    std::lock_guard lock(mu_);
    return {seq_, hash_};
  }
  void Set(std::uint64_t seq, std::string hash) {
    std::lock_guard lock(mu_);
    seq_ = seq;
    hash_ = std::move(hash);
  }
  // To the last of `events` (appended, or read from the log) when it is beyond the head.
  void Advance(const std::vector<Event>& events) {
    if (events.empty()) return;
    std::lock_guard lock(mu_);
    if (events.back().seq > seq_) {
      seq_ = events.back().seq;
      hash_ = events.back().hash;
    }
  }

 private:
  mutable std::mutex mu_;
  std::uint64_t seq_ = 0;
  std::string hash_;
};

}  // namespace concordat
