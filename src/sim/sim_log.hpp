// The simulator's event log: the engine appends to it exactly as to the in-memory log (sequence
// check, SHA-256 hash chain over every event), but it keeps only counts, not the events, so a
// simulated year does not hold tens of millions of events in memory. Reads return nothing and
// no command id is ever found (the simulator's ids are unique), snapshots are not kept.
//
// Thread-safety: as EventLog (one writer; readers may call HeadSeq/HeadHash concurrently).
#pragma once

#include <memory>

#include "store/event_log.hpp"

namespace concordat::sim {

struct SimLogStats {
  std::uint64_t events = 0;
  std::uint64_t payload_bytes = 0;
  std::uint64_t commands = 0;
  std::uint64_t appends = 0;
};

class SimEventLog final : public EventLog {
 public:
  Status Append(std::vector<Event>& events, const std::vector<CommandRecord>& commands) override;
  std::uint64_t HeadSeq() const override;
  std::string HeadHash() const override;
  Result<std::vector<Event>> ReadAfter(std::uint64_t after, size_t limit) override;
  Result<std::vector<Event>> ReadStream(const std::string& stream, size_t limit) override;
  Result<std::optional<std::string>> FindCommand(const std::string& command_id) override;
  Status SaveSnapshot(const Snapshot& snapshot) override;
  Result<std::optional<Snapshot>> LatestSnapshot() override;
  Result<VerifyReport> Verify() override;

  SimLogStats stats() const;

 private:
  mutable std::mutex mu_;
  std::uint64_t head_ = 0;
  std::string head_hash_;
  SimLogStats stats_;
};

}  // namespace concordat::sim
