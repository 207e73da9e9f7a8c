// The access log (DPA 2018 s62; RULES.md 33): who consulted or was disclosed which personal or
// health data, when, why, and for disclosures to whom. Rows are only ever appended.
//
// Record() returns once its row is durable: a writer thread commits everything queued in one
// transaction (group commit), so many concurrent readers cost one fsync.
//
// The log is a table in the SQLite file (Open) or in the PostgreSQL database that several servers
// share (OpenPostgres): each server appends its own rows and reads everyone's.
//
// Thread-safety: all methods may be called from any thread. Blocking: never call from an I/O
// thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace concordat {

namespace sql {
class Conn;
}

struct AccessEntry {
  std::int64_t id = 0;  // assigned by the store
  Timestamp at = 0;
  std::string user_id;
  std::string role;
  std::string agency_id;
  std::string action;  // consultation | disclosure
  std::string what;    // "incident/inc-12", "person/p-3", ...
  std::string categories;
  std::string justification;
  std::string recipient;
  std::string route;
};

struct AccessQuery {
  std::string user_id;             // "" = any
  std::string what_prefix;         // "" = any, e.g. "incident/inc-12"
  std::vector<std::string> whats;  // any of these exactly (when non-empty)
  Timestamp from = 0;
  Timestamp to = INT64_MAX;
  size_t limit = 1000;
  // The newest `limit` entries, newest first (an auditor's screen); else the oldest `limit`,
  // oldest first (a person's history, read from the beginning).
  bool newest_first = false;
};

class AccessLog {
 public:
  // Opens the SQLite file at `path`, creating it and its tables if needed.
  static Result<std::unique_ptr<AccessLog>> Open(const std::string& path);
  // Connects to the PostgreSQL database at `url` (a libpq URL), creating its tables if needed;
  // unavailable when the server cannot be reached.
  static Result<std::unique_ptr<AccessLog>> OpenPostgres(const std::string& url);
  ~AccessLog();
  Status Record(AccessEntry entry);
  Status RecordMany(std::vector<AccessEntry> entries);
  Result<std::vector<AccessEntry>> Query(const AccessQuery& q);

 private:
  struct Impl;
  explicit AccessLog(std::unique_ptr<Impl> impl);
  // `open` is called twice: a connection for the writer thread, one for queries.
  static Result<std::unique_ptr<AccessLog>> OpenWith(
      const std::function<Result<std::unique_ptr<sql::Conn>>()>& open);
  std::unique_ptr<Impl> impl_;
};

}  // namespace concordat
