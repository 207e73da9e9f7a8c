// One small interface over the two databases the accounts store and the access log run on: the
// embedded SQLite file (one server) and PostgreSQL (several servers sharing one database, DESIGN.md
// §6). The stores hold each SQL statement and each rule once, written in the SQL both accept
// (`INSERT ... ON CONFLICT DO NOTHING`, `!=`, `substr`) with `?` placeholders; the PostgreSQL
// connection numbers them `$1, $2...`. Only the creation of the tables and the taking of locks
// differ, and they live here.
//
// Internal to src/store. Not thread-safe: one connection per thread, or guard it with a mutex.
//
// Example:
//   auto conn = sql::OpenPostgres(url);
//   auto st = sql::Transact(**conn, sql::kAccountsLock, [&]() -> Status {
//     auto rows = (*conn)->Query("SELECT COUNT(*) FROM users WHERE role = ?", {"admin"});
//     ...
//   });
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"

namespace concordat::sql {

// A statement parameter: an integer or a text.
struct Value {
  std::variant<std::int64_t, std::string> v;

  Value(std::int64_t i) : v(i) {}                   // NOLINT: implicit by design
  Value(int i) : v(std::int64_t{i}) {}              // NOLINT
  Value(std::string s) : v(std::move(s)) {}         // NOLINT
  Value(std::string_view s) : v(std::string(s)) {}  // NOLINT
  Value(const char* s) : v(std::string(s)) {}       // NOLINT
};

// The result of one statement: its rows as text (NULL reads as ""), and how many rows it
// inserted, updated or deleted.
class Rows {
 public:
  int size() const { return static_cast<int>(cells_.size() / (cols_ == 0 ? 1 : cols_)); }
  bool empty() const { return cells_.empty(); }
  const std::string& Text(int row, int col) const { return cells_[row * cols_ + col]; }
  std::int64_t Int(int row, int col) const;
  std::int64_t changed() const { return changed_; }

 private:
  friend class SqliteConn;
  friend class PgConn;
  int cols_ = 0;
  std::vector<std::string> cells_;  // row-major
  std::int64_t changed_ = 0;
};

// Advisory locks (PostgreSQL): a transaction begun with one of these excludes every other
// transaction begun with the same one, on any connection to the database, until it ends. They
// are (class, object) pairs in Concordat's class, as the event log's are (pg_event_log.cpp:
// objects 1-3, 3 for creating its tables); 0 = none.
inline constexpr std::int32_t kLockClass = 1129270883;  // "CONC"
inline constexpr int kSchemaLock = 3;                   // creating tables: shared with the log
inline constexpr int kAccountsLock = 4;                 // account changes

class Conn {
 public:
  virtual ~Conn() = default;

  // One statement with `?` parameters. Errors as the wrappers give them (store/sqlite.hpp,
  // store/pg.hpp): a lost database is unavailable, a unique violation on PostgreSQL conflict.
  virtual Result<Rows> Query(std::string_view sql, const std::vector<Value>& params) = 0;

  // Starts a transaction that will write. On SQLite every write transaction excludes every other
  // (BEGIN IMMEDIATE); on PostgreSQL a non-zero `lock` makes it exclude those begun with the same
  // key, so that what it checks stays true until it commits (READ COMMITTED: each statement after
  // the lock sees every change committed before it was granted).
  virtual Status Begin(int lock) = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;

  // True when other servers write the same database while this one runs: what this process
  // holds in memory about accounts may be stale at any moment.
  virtual bool SharedByServers() const = 0;
};

// Opens the store's SQLite file (store/schema.sql: every table), creating its tables.
Result<std::unique_ptr<Conn>> OpenSqlite(const std::string& path);
// Connects to PostgreSQL and creates the tables of accounts, sessions and the access log if
// they are missing (under kSchemaLock: servers starting at once do not race on them).
Result<std::unique_ptr<Conn>> OpenPostgres(const std::string& url);

// Runs `body` in a write transaction (see Conn::Begin): commits when it succeeds, rolls back
// when it fails and returns its error.
Status Transact(Conn& conn, int lock, const std::function<Status()>& body);

}  // namespace concordat::sql
