#include "cli/store_open.hpp"

#include <filesystem>

#include "store/pg.hpp"
#include "store/pg_event_log.hpp"
#include "store/sqlite_event_log.hpp"
#include "store/writer_lock.hpp"

namespace concordat::cli {

std::string StoreFlags::name() const {
  return shared() ? "PostgreSQL " + pg::Conn::Redacted(database) : sqlite_path();
}

std::string CheckDatabaseUrl(const std::string& url) {
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) return "";
  return url.empty() ? "--database needs the URL of a PostgreSQL database "
                       "(postgresql://USER@HOST:PORT/DB); leave it out for the SQLite store in "
                       "--data"
                     : "--database must be a PostgreSQL URL (postgresql://USER@HOST:PORT/DB)";
}

void AddStoreOptions(CLI::App* cmd, StoreFlags& f) {
  cmd->add_option("--data", f.data, "Data folder (holds concordat.db)")->capture_default_str();
  cmd->add_option("--database", f.database,
                  "PostgreSQL URL of the store several servers share, instead of --data")
      ->envname("CONCORDAT_DATABASE")
      ->check(CheckDatabaseUrl, "URL");
}

namespace {

Status Exists(const StoreFlags& f) {
  if (!f.shared() && !std::filesystem::exists(f.sqlite_path())) {
    return Error::NotFound("no store at " + f.sqlite_path());
  }
  return OkStatus();
}

}  // namespace

Result<std::unique_ptr<EventLog>> OpenLogToRead(const StoreFlags& f) {
  if (auto st = Exists(f); !st.ok()) return st.error();
  if (f.shared()) {
    PgLogOptions o;
    o.writer = false;
    return OpenPgEventLog(f.database, o);
  }
  return OpenSqliteEventLog(f.sqlite_path(), ReaderOptions());
}

Result<std::unique_ptr<EventLog>> OpenLogToWrite(const StoreFlags& f) {
  if (auto st = Exists(f); !st.ok()) return st.error();
  return f.shared() ? OpenPgEventLog(f.database) : OpenSqliteEventLog(f.sqlite_path());
}

Result<std::unique_ptr<UsersStore>> OpenUsersOf(const StoreFlags& f, bool create) {
  if (!create) {
    if (auto st = Exists(f); !st.ok()) return st.error();
    if (f.shared()) {
      // A database without Concordat's accounts is the wrong one: said, and left as it was.
      auto conn = pg::Conn::Open(f.database);
      if (!conn.ok()) return conn.error();
      auto found = (*conn)->Query("SELECT to_regclass('users') IS NOT NULL");
      if (!found.ok()) return found.error();
      if (found->Text(0, 0) != "t") {
        return Error::NotFound("no Concordat accounts in " + f.name() +
                               ": is it the right database? (`users add` makes the first)");
      }
    }
  }
  if (f.shared()) return UsersStore::OpenPostgres(f.database, PasswordCost{});
  std::error_code ec;
  std::filesystem::create_directories(f.data, ec);
  return UsersStore::Open(f.sqlite_path(), PasswordCost{});
}

Result<std::unique_ptr<AccessLog>> OpenAccessLogOf(const StoreFlags& f) {
  if (auto st = Exists(f); !st.ok()) return st.error();
  return f.shared() ? AccessLog::OpenPostgres(f.database) : AccessLog::Open(f.sqlite_path());
}

bool ServedNow(const StoreFlags& f) {
  return f.shared() || StoreWriterLock::HeldByAnother(f.sqlite_path());
}

}  // namespace concordat::cli
