#include <fmt/format.h>

#include <filesystem>

#include "cli/commands.hpp"
#include "store/pg_event_log.hpp"
#include "store/sqlite_event_log.hpp"

namespace concordat::cli {

void AddVerifyCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("verify", "Walk the event log and check every hash-chain link");
  auto data = std::make_shared<std::string>("var");
  auto database = std::make_shared<std::string>();
  cmd->add_option("--data", *data, "Data folder (holds concordat.db)")->capture_default_str();
  cmd->add_option("--database", *database, "PostgreSQL URL of a shared store (instead of --data)");
  cmd->callback([data, database, &exit_code] {
    const std::string path = *data + "/concordat.db";
    if (database->empty() && !std::filesystem::exists(path)) {
      fmt::print(stderr, "verify: no store at {}\n", path);
      exit_code = 2;
      return;
    }
    PgLogOptions reader;
    reader.writer = false;
    auto log = database->empty() ? OpenSqliteEventLog(path, ReaderOptions())
                                 : OpenPgEventLog(*database, reader);
    if (!log.ok()) {
      fmt::print(stderr, "verify: {}\n", log.error().message);
      exit_code = 2;
      return;
    }
    auto report = (*log)->Verify();
    if (!report.ok()) {
      fmt::print(stderr, "verify: {}\n", report.error().message);
      exit_code = 2;
      return;
    }
    if (!report->ok) {
      fmt::print("BROKEN at seq {}: {}\n", report->first_bad_seq, report->problem);
      fmt::print("{} events verified before it\n", report->count);
      exit_code = 1;
      return;
    }
    fmt::print("OK: {} events, head {}\n", report->count,
               report->head_hash.empty() ? "(empty log)" : report->head_hash);
    exit_code = 0;
  });
}

}  // namespace concordat::cli
