// `concordat report s136 --year 2025 [--data DIR] [--out FILE]`: the Home Office annual data
// return for s136 detentions in the financial year 1 April 2025 – 31 March 2026, as CSV.
#include <fmt/format.h>

#include <fstream>

#include "cli/report.hpp"
#include "cli/store_open.hpp"
#include "core/mh.hpp"

namespace concordat::cli {

void AddReportS136(CLI::App& report, int& exit_code) {
  auto* cmd = report.add_subcommand(
      "s136", "Home Office s136 annual return (CSV) for the financial year starting 1 April YEAR");
  struct Opts {
    int year = 0;
    StoreFlags store;
    std::string out;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("--year", o->year, "First calendar year of the financial year (2025 = 2025/26)")
      ->required()
      ->check(CLI::Range(2000, 2100));
  AddStoreOptions(cmd, o->store);
  cmd->add_option("--out", o->out, "Write the CSV here (default: standard output)");
  cmd->callback([o, &exit_code] {
    auto state = ReplayState(o->store);
    if (!state.ok()) {
      fmt::print(stderr, "report s136: {}\n", state.error().message);
      exit_code = 2;
      return;
    }
    const std::string csv = S136ReturnCsv(*state, o->year);
    if (o->out.empty()) {
      fmt::print("{}", csv);
    } else {
      std::ofstream f(o->out, std::ios::binary);
      f << csv;
      if (!f) {
        fmt::print(stderr, "report s136: cannot write {}\n", o->out);
        exit_code = 1;
        return;
      }
    }
    exit_code = 0;
  });
}

}  // namespace concordat::cli
