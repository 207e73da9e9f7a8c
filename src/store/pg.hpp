// A thin RAII wrapper over libpq (PostgreSQL's C client): a connection, parameterised queries with
// their results, and LISTEN/NOTIFY, with errors as Status values. Used by the stores when
// Concordat runs as several servers on one PostgreSQL database (DESIGN.md §6).
//
// Not thread-safe: one connection per thread, or guard it with a mutex.
//
// Errors: a lost or refused connection is `unavailable`; a unique or exclusion violation is
// `conflict`; anything else the server refuses is `internal` with its message. A connection that
// broke is reset once on the next call.
//
// Example:
//   auto conn = pg::Conn::Open("postgresql://concordat@127.0.0.1:5432/concordat");
//   auto rows = (*conn)->Query("SELECT seq, hash FROM events WHERE seq > $1", {pg::Param(after)});
//   for (int r = 0; r < rows->size(); ++r) use(rows->Int(r, 0), rows->Text(r, 1));
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

struct pg_conn;
struct pg_result;

namespace concordat::pg {

// One query parameter, sent as text (or as bytes for a `bytea` column); empty = SQL NULL.
struct Param {
  std::optional<std::string> value;
  bool binary = false;

  Param() = default;
  Param(std::string_view v) : value(std::string(v)) {}  // NOLINT: implicit by design
  Param(const std::string& v) : value(v) {}             // NOLINT
  Param(const char* v) : value(std::string(v)) {}       // NOLINT
  Param(std::int64_t v) : value(std::to_string(v)) {}   // NOLINT
  Param(std::uint64_t v) : value(std::to_string(v)) {}  // NOLINT
  Param(int v) : value(std::to_string(v)) {}            // NOLINT
  static Param Bytes(std::string_view b) {
    Param p;
    p.value = std::string(b);
    p.binary = true;
    return p;
  }
  static Param Null() { return Param(); }
};

// The rows of one statement's result.
class Rows {
 public:
  Rows() = default;
  explicit Rows(pg_result* r) : r_(r) {}
  Rows(Rows&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  Rows& operator=(Rows&& o) noexcept;
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;
  ~Rows();

  int size() const;
  int columns() const;
  bool empty() const { return size() == 0; }
  bool IsNull(int row, int col) const;
  std::string_view View(int row, int col) const;
  std::string Text(int row, int col) const { return std::string(View(row, col)); }
  std::int64_t Int(int row, int col) const;
  // Rows affected by an INSERT/UPDATE/DELETE.
  std::int64_t Affected() const;

 private:
  pg_result* r_ = nullptr;
};

class Conn {
 public:
  // Connects (libpq URL or "key=value" string); unavailable when the server cannot be reached.
  static Result<std::unique_ptr<Conn>> Open(const std::string& url);
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  // One or more statements without parameters (DDL, BEGIN, COMMIT...).
  Status Exec(std::string_view sql);
  // One statement with $1, $2... parameters; text results, except `bytea` columns asked for as
  // binary with `binary_results`.
  Result<Rows> Query(const std::string& sql, const std::vector<Param>& params = {},
                     bool binary_results = false);

  // LISTEN/NOTIFY. Waits up to `timeout_ms` for notifications on channels this connection
  // LISTENs to and returns their payloads (empty on timeout); unavailable when the connection
  // broke.
  Result<std::vector<std::string>> WaitNotifications(int timeout_ms);

  std::string LastError() const;
  // How many times the connection was made again after the server dropped it (a LISTEN does
  // not survive that: the listener issues it again).
  int resets() const { return resets_; }
  // The URL with any password replaced by "***", for messages and logs.
  static std::string Redacted(const std::string& url);

 private:
  explicit Conn(pg_conn* c, std::string url) : c_(c), url_(std::move(url)) {}
  Status EnsureConnected();
  // Sends a statement through `send`, once more on a new connection if the old one had been
  // dropped while no transaction was open; the result when it succeeded.
  Result<pg_result*> Run(const std::function<pg_result*()>& send, std::string_view what);
  Error FromResult(pg_result* r, std::string_view what) const;
  Error Lost() const;
  pg_conn* c_;
  std::string url_;
  int resets_ = 0;
};

}  // namespace concordat::pg
