// The event log: the append-only record of truth (see docs/LOG_FORMAT.md).
//
// Every event has a gapless sequence number starting at 1 and a SHA-256 hash over its canonical
// form and its predecessor's hash, so any edit, deletion or reordering is detectable by Verify().
// Command outcomes are stored alongside, in the same transaction, so a retried command_id returns
// its first outcome even after a restart.
//
// Thread-safety: Append and LatestSnapshot are called by one writer at a time; SaveSnapshot by
// one thread at a time, which may run beside the writer (the engine stores snapshots from a
// thread of its own); ReadAfter, FindCommand, HeadSeq and Verify may be called from any thread
// concurrently with them.
//
// Example:
//   auto log = SqliteEventLog::Open("var/concordat.db");
//   std::vector<Event> batch = ...;   // seq = HeadSeq()+1, +2, ...
//   Status st = log->Append(batch, {{"cmd-1", R"({"ok":true})"}});  // durable when ok
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/event.hpp"
#include "core/result.hpp"

namespace concordat {

struct CommandRecord {
  std::string command_id;
  std::string outcome;  // JSON text, as the engine replies
};

struct Snapshot {
  std::uint64_t seq = 0;
  std::string state;  // State::ToSnapshot(): binary (older snapshots: JSON text)
};

struct VerifyReport {
  bool ok = true;
  std::uint64_t count = 0;
  std::string head_hash;
  std::uint64_t first_bad_seq = 0;  // when !ok
  std::string problem;              // when !ok, human-readable
};

class EventLog {
 public:
  virtual ~EventLog() = default;

  // Appends `events` (their seq must continue the head, gapless) and `commands` in one durable
  // transaction. Fills each event's payload (if empty), prev_hash and hash. On error nothing is
  // written and the log is unchanged.
  virtual Status Append(std::vector<Event>& events, const std::vector<CommandRecord>& commands) = 0;

  virtual std::uint64_t HeadSeq() const = 0;
  virtual std::string HeadHash() const = 0;

  // Up to `limit` events with seq > after, in order. Data is parsed from the stored payload.
  virtual Result<std::vector<Event>> ReadAfter(std::uint64_t after, size_t limit) = 0;

  // Up to `limit` events of one stream (e.g. "incident/inc-1"), oldest first.
  virtual Result<std::vector<Event>> ReadStream(const std::string& stream, size_t limit) = 0;

  // The stored outcome of a command, or nullopt when the id was never seen.
  virtual Result<std::optional<std::string>> FindCommand(const std::string& command_id) = 0;

  // The stored outcomes of those of `command_ids` that were seen (id → outcome), all read at one
  // moment. The writer asks once per batch; a store may answer much faster than id by id.
  virtual Result<std::unordered_map<std::string, std::string>> FindCommands(
      const std::vector<std::string>& command_ids) {
    std::unordered_map<std::string, std::string> found;
    for (const auto& id : command_ids) {
      auto one = FindCommand(id);
      if (!one.ok()) return one.error();
      if (*one) found.emplace(id, std::move(**one));
    }
    return found;
  }

  virtual Status SaveSnapshot(const Snapshot& snapshot) = 0;
  virtual Result<std::optional<Snapshot>> LatestSnapshot() = 0;

  // Walks the whole log checking sequence, hashes and links.
  virtual Result<VerifyReport> Verify() = 0;

  // --- Several writers on one log (the PostgreSQL log; DESIGN.md §6) ---
  // A shared log may be appended to by other servers' engines. The engine then brackets each of
  // its batches: BeginBatch() takes the log's append lock, which other writers wait for, and
  // returns the head as the log has it, so that the engine applies what the others appended
  // before it decides; Append() commits and releases the lock, and EndBatch() releases it when
  // nothing was appended (or after a failure). Watch() calls `appended` (on a thread of the
  // log's) whenever another writer may have appended, so that an idle engine catches up and its
  // subscribers see the others' events; Watch({}) stops the calls, waiting for one under way.
  // The defaults are those of a log with one writer.
  virtual bool Shared() const { return false; }
  virtual Result<std::uint64_t> BeginBatch() { return HeadSeq(); }
  virtual void EndBatch() {}
  virtual void Watch(std::function<void()> appended) { (void)appended; }
  // Why the log's database cannot be reached now, as its listener last found ("" when it can, or
  // when the log has no listener).
  virtual std::string Problem() const { return {}; }
};

// In memory, for unit tests and the simulator. Same semantics, no durability.
std::unique_ptr<EventLog> MakeMemoryEventLog();

}  // namespace concordat
