#include "sim/sim_log.hpp"

#include <mutex>

#include "store/hash_chain.hpp"

namespace concordat::sim {

Status SimEventLog::Append(std::vector<Event>& events, const std::vector<CommandRecord>& commands) {
  std::lock_guard lock(mu_);
  std::uint64_t expect = head_ + 1;
  for (const auto& e : events) {
    if (e.seq != expect++) {
      return Error::Internal("append out of sequence at " + std::to_string(e.seq));
    }
  }
  ChainEvents(events, head_hash_);
  if (!events.empty()) {
    head_ = events.back().seq;
    head_hash_ = events.back().hash;
  }
  for (const auto& e : events) {
    stats_.payload_bytes += e.payload.size();
  }
  stats_.events += events.size();
  stats_.commands += commands.size();
  stats_.appends++;
  return OkStatus();
}

std::uint64_t SimEventLog::HeadSeq() const {
  std::lock_guard lock(mu_);
  return head_;
}

std::string SimEventLog::HeadHash() const {
  std::lock_guard lock(mu_);
  return head_hash_;
}

Result<std::vector<Event>> SimEventLog::ReadAfter(std::uint64_t, size_t) {
  return std::vector<Event>{};
}

Result<std::vector<Event>> SimEventLog::ReadStream(const std::string&, size_t) {
  return std::vector<Event>{};
}

Result<std::optional<std::string>> SimEventLog::FindCommand(const std::string&) {
  return std::optional<std::string>();
}

Status SimEventLog::SaveSnapshot(const Snapshot&) { return OkStatus(); }

Result<std::optional<Snapshot>> SimEventLog::LatestSnapshot() {
  return std::optional<Snapshot>();
}

Result<VerifyReport> SimEventLog::Verify() {
  return Error::FailedPrecondition("the simulator's log keeps no events to verify");
}

SimLogStats SimEventLog::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace concordat::sim
