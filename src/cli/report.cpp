#include "cli/report.hpp"

#include <boost/json.hpp>
#include <filesystem>

#include "cli/commands.hpp"
#include "cli/store_open.hpp"
#include "core/domain.hpp"

namespace concordat::cli {

Result<State> ReplayState(const StoreFlags& store) {
  auto log = OpenLogToRead(store);
  if (!log.ok()) return log.error();
  Domain domain;
  RegisterAllDomains(domain);
  State state;
  auto snap = (*log)->LatestSnapshot();
  if (!snap.ok()) return snap.error();
  if (*snap) {
    if (auto restored = State::FromSnapshot((*snap)->state); restored.ok()) {
      state = std::move(*restored);
    }
  }
  while (true) {
    auto page = (*log)->ReadAfter(state.seq, 10'000);
    if (!page.ok()) return page.error();
    if (page->empty()) break;
    for (const auto& e : *page) domain.Apply(state, e);
  }
  return state;
}

// Every report kind is registered here, one line each.
void AddReportCommand(CLI::App& app, int& exit_code) {
  auto* report = app.add_subcommand("report", "Reports from the event log (read-only)");
  report->require_subcommand(1);
  AddReportS136(*report, exit_code);
  AddReportViews(*report, exit_code);
}

}  // namespace concordat::cli
