#include "store/sqlite.hpp"

namespace concordat::sqlite {

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    if (st_ != nullptr) {
      sqlite3_finalize(st_);
    }
    db_ = o.db_;
    st_ = o.st_;
    o.st_ = nullptr;
  }
  return *this;
}

Stmt::~Stmt() {
  if (st_ != nullptr) {
    sqlite3_finalize(st_);
  }
}

Stmt& Stmt::Bind(int i, std::int64_t v) {
  sqlite3_bind_int64(st_, i, v);
  return *this;
}

Stmt& Stmt::Bind(int i, std::string_view v) {
  sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}

Stmt& Stmt::BindBlob(int i, std::string_view bytes) {
  sqlite3_bind_blob64(st_, i, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  return *this;
}

Stmt& Stmt::BindNull(int i) {
  sqlite3_bind_null(st_, i);
  return *this;
}

Result<bool> Stmt::Step() {
  const int rc = sqlite3_step(st_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  if (rc == SQLITE_BUSY) {
    return Error::Unavailable(std::string("database busy: ") + sqlite3_errmsg(db_));
  }
  return Error::Internal(std::string("sqlite: ") + sqlite3_errmsg(db_));
}

Status Stmt::Run() {
  while (true) {
    auto r = Step();
    if (!r.ok()) {
      Reset();
      return r.error();
    }
    if (!*r) {
      break;
    }
  }
  Reset();
  return OkStatus();
}

void Stmt::Reset() {
  sqlite3_reset(st_);
  sqlite3_clear_bindings(st_);
}

std::string Stmt::Text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st_, col));
  if (p == nullptr) {
    return {};
  }
  return std::string(p, static_cast<size_t>(sqlite3_column_bytes(st_, col)));
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, bool read_only) {
  sqlite3* raw = nullptr;
  const int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : "out of memory";
    sqlite3_close(raw);
    return Error::Unavailable("cannot open database " + path + ": " + msg);
  }
  std::unique_ptr<Db> db(new Db(raw));
  sqlite3_busy_timeout(raw, 5000);
  if (!read_only) {
    // wal_autocheckpoint=0: no commit copies the WAL into the database file and fsyncs it before
    // its caller hears back. The event log's checkpoint thread does that for the whole file
    // (sqlite_event_log.cpp); a store opened without the log is checkpointed when it closes.
    if (auto st = db->Exec(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=0;");
        !st.ok()) {
      return st.error();
    }
  }
  if (auto st = db->Exec("PRAGMA foreign_keys=ON;"); !st.ok()) {
    return st.error();
  }
  return db;
}

Db::~Db() { sqlite3_close_v2(db_); }

Status Db::Exec(std::string_view sql) {
  char* err = nullptr;
  std::string s(sql);
  if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Error::Internal("sqlite: " + msg);
  }
  return OkStatus();
}

Status Db::Each(std::string_view sql, const std::function<void(Stmt&)>& bind,
                const std::function<void(const Stmt&)>& row) {
  auto st = Prepare(sql);
  if (!st.ok()) {
    return st.error();
  }
  bind(*st);
  while (true) {
    auto more = st->Step();
    if (!more.ok()) {
      return more.error();
    }
    if (!*more) {
      return OkStatus();
    }
    row(*st);
  }
}

Result<Stmt> Db::Prepare(std::string_view sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &st, nullptr) !=
      SQLITE_OK) {
    return Error::Internal("sqlite prepare: " + LastError());
  }
  return Stmt(db_, st);
}

}  // namespace concordat::sqlite
