// A thin RAII wrapper over the SQLite C API: a connection and prepared statements, with errors as
// Status values. Not thread-safe: one connection per thread, or guard it with a mutex.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace concordat::sqlite {

class Db;

class Stmt {
 public:
  Stmt() = default;
  Stmt(Stmt&& o) noexcept : db_(o.db_), st_(o.st_) { o.st_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept;
  ~Stmt();

  Stmt& Bind(int i, std::int64_t v);
  Stmt& Bind(int i, std::string_view v);
  Stmt& BindNull(int i);
  Stmt& BindBlob(int i, std::string_view bytes);
  // SQLITE_ROW → true, SQLITE_DONE → false; any other result → error.
  Result<bool> Step();
  Status Run();  // Step until done, then Reset
  void Reset();

  std::int64_t Int(int col) const { return sqlite3_column_int64(st_, col); }
  std::string Text(int col) const;
  bool IsNull(int col) const { return sqlite3_column_type(st_, col) == SQLITE_NULL; }
  int Columns() const { return sqlite3_column_count(st_); }

 private:
  friend class Db;
  Stmt(sqlite3* db, sqlite3_stmt* st) : db_(db), st_(st) {}
  sqlite3* db_ = nullptr;
  sqlite3_stmt* st_ = nullptr;
};

class Db {
 public:
  // Opens (creating if needed) with WAL, synchronous=FULL, no automatic checkpoint (the event
  // log's thread checkpoints the file), foreign keys on, a busy timeout.
  static Result<std::unique_ptr<Db>> Open(const std::string& path, bool read_only = false);
  ~Db();

  Status Exec(std::string_view sql);
  Result<Stmt> Prepare(std::string_view sql);
  // Prepares `sql`, lets `bind` bind its parameters, and calls `row` for each row of the result.
  Status Each(std::string_view sql, const std::function<void(Stmt&)>& bind,
              const std::function<void(const Stmt&)>& row);
  sqlite3* raw() { return db_; }
  std::string LastError() const { return sqlite3_errmsg(db_); }

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

}  // namespace concordat::sqlite
