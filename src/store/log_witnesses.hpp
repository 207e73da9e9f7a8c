// What a log's store wrote alongside its later events, for Verify to notice events removed from
// the end. The hash chain proves each event follows the one before; it cannot prove that nothing
// came after the last one. But every command's stored outcome names the sequence number it was
// answered at, snapshots are keyed by the sequence number they were taken at, and the stream
// index records how far it has indexed: all written in the same transactions as those events.
// One of them past the head means the log was cut short. (Removing those too is not caught here:
// comparing `verify`'s head with one recorded earlier, outside the store, is what catches that.)
#pragma once

#include <cstdint>
#include <string>

#include "store/event_log.hpp"

namespace concordat {

struct LogWitnesses {
  std::uint64_t command_outcome = 0;  // the highest seq a stored outcome was answered at
  std::uint64_t snapshot = 0;         // the newest snapshot's seq
  std::uint64_t stream_index = 0;     // how far the stream index reaches
};

// Marks `r` (a whole chain of r.count events) broken when a witness reaches past its head.
inline void CheckWitnesses(const LogWitnesses& w, VerifyReport& r) {
  if (!r.ok) return;
  const std::pair<std::uint64_t, const char*> seen[] = {
      {w.command_outcome, "a command's stored outcome was answered at seq "},
      {w.snapshot, "a snapshot was taken at seq "},
      {w.stream_index, "the stream index reaches seq "}};
  for (const auto& [seq, what] : seen) {
    if (seq <= r.count) continue;
    r.ok = false;
    r.first_bad_seq = r.count + 1;
    r.problem = "the log ends at seq " + std::to_string(r.count) + ", but " + what +
                std::to_string(seq) + ": events after " + std::to_string(r.count) +
                " have been removed";
    return;
  }
}

}  // namespace concordat
