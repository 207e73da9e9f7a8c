// Where a command line finds the store: the SQLite file in `--data DIR` (one server), or the
// PostgreSQL database several servers share, `--database URL` (default: $CONCORDAT_DATABASE).
// Every subcommand that reads or writes the store takes both, through these functions.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "store/access_log.hpp"
#include "store/event_log.hpp"
#include "store/users_store.hpp"

namespace concordat::cli {

struct StoreFlags {
  std::string data = "var";
  std::string database;  // "" = the SQLite store in `data`
  bool shared() const { return !database.empty(); }
  std::string sqlite_path() const { return data + "/concordat.db"; }
  // For messages: the file, or the URL without its password.
  std::string name() const;
};

// "" for a PostgreSQL URL; else what is wrong with it (an empty --database is a mistake, not
// the SQLite store). For CLI11's check().
std::string CheckDatabaseUrl(const std::string& url);

// Adds --data and --database to `cmd`.
void AddStoreOptions(CLI::App* cmd, StoreFlags& f);

// The event log to read (verify, reports), beside running servers. not_found when there is no
// SQLite store at --data.
Result<std::unique_ptr<EventLog>> OpenLogToRead(const StoreFlags& f);
// The event log to append to (the importers). SQLite: refused while a server holds the store;
// PostgreSQL: appended beside the running servers, as one more writer.
Result<std::unique_ptr<EventLog>> OpenLogToWrite(const StoreFlags& f);
// Accounts: with `create` (`users add`, the first account before any server ran) the store and
// its tables are made if needed; without, not_found for a store that is not there or a database
// without Concordat's accounts, and nothing is made.
Result<std::unique_ptr<UsersStore>> OpenUsersOf(const StoreFlags& f, bool create = false);
// The access log.
Result<std::unique_ptr<AccessLog>> OpenAccessLogOf(const StoreFlags& f);
// Whether servers are writing the store now: an SQLite store's writer lock is held by another
// process; a shared database is taken to be served (that is what it is for).
bool ServedNow(const StoreFlags& f);

}  // namespace concordat::cli
