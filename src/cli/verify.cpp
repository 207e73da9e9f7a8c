#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/store_open.hpp"

namespace concordat::cli {

void AddVerifyCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("verify", "Walk the event log and check every hash-chain link");
  auto store = std::make_shared<StoreFlags>();
  AddStoreOptions(cmd, *store);
  cmd->callback([store, &exit_code] {
    auto log = OpenLogToRead(*store);
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
      if (report->count == 0) {
        fmt::print("no event verified before it\n");
      } else {
        fmt::print("{} events verified before it (seq 1 to {})\n", report->count, report->count);
      }
      exit_code = 1;
      return;
    }
    fmt::print("OK: {} events, head {}\n", report->count,
               report->head_hash.empty() ? "(empty log)" : report->head_hash);
    exit_code = 0;
  });
}

}  // namespace concordat::cli
