// `concordat simulate`: synthetic London demand through the real engine (src/sim), its totals,
// the reports for each simulated window, and a comparison of two policies on the same demand.
#include <fmt/format.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "cli/commands.hpp"
#include "cli/config.hpp"
#include "core/json_text.hpp"
#include "core/reports.hpp"
#include "refdata/london.hpp"
#include "sim/simulator.hpp"

namespace concordat::cli {
namespace {

struct SimulateArgs {
  int days = 7;
  std::uint64_t seed = 1;
  std::string policy;
  std::string compare;
  std::string data;
  std::string refdata;
  int jobs = 1;
  bool bench = false;
  bool quiet = false;
};

int RunSimulate(const SimulateArgs& a) {
  if (a.days < 1) {
    fmt::print(stderr, "simulate: --days must be at least 1 (got {})\n", a.days);
    return 2;
  }
  sim::SimConfig base;
  if (!a.policy.empty()) {
    if (auto st = sim::LoadSimConfig(a.policy, base); !st.ok()) {
      fmt::print(stderr, "simulate: --policy {}\n", st.error().message);
      return 2;
    }
  }
  // The compare file is laid over the --policy file (then the defaults), as the base is laid over
  // the defaults: it changes only what it names.
  sim::SimConfig other = base;
  if (!a.compare.empty()) {
    if (auto st = sim::LoadSimConfig(a.compare, other); !st.ok()) {
      fmt::print(stderr, "simulate: --compare {}\n", st.error().message);
      return 2;
    }
  }
  const std::string ref_dir = a.refdata.empty() ? DefaultRefdataDir() : a.refdata;
  auto ref = LoadLondonRefData(ref_dir);
  if (!ref.ok()) {
    fmt::print(stderr, "simulate: reference data {}: {}\n", ref_dir, ref.error().message);
    return 2;
  }
  sim::SimOptions opt;
  opt.days = a.days;
  opt.seed = a.seed;
  opt.jobs = a.jobs;
  // The reports (core/reports.hpp) for each simulated window: summaries printed, whole reports
  // written to DIR/reports-<first day>.json with --data.
  boost::json::array window_reports;
  if (!a.bench) {
    opt.on_window = [&](const State& s, const Policy& policy, Timestamp from, Timestamp to) {
      const Context ctx{to, &*ref, &policy};
      boost::json::object all;
      if (!a.quiet) {
        fmt::print("Reports for {} to {} (London days):\n", FormatDate(LondonDate(from)),
                   FormatDate(LondonDate(to - 1)));
      }
      for (const auto& [name, title] : reports::Catalogue()) {
        auto r = reports::Build(s, ctx, {name, from, to, ""});
        if (!r.ok()) {
          fmt::print(stderr, "simulate: report {}: {}\n", name, r.error().message);
          continue;
        }
        if (!a.quiet) fmt::print("  {:<16} {}\n", name, JsonText(r->summary));
        all[name] = reports::ToJson(*r);
      }
      window_reports.push_back(
          {{"from", FormatIso(from)}, {"to", FormatIso(to)}, {"reports", all}});
    };
  }
  if (!a.quiet && !a.bench) {
    fmt::print("Simulating {} day(s) of London demand from {}, seed {}{}\n", a.days,
               base.start_date, a.seed, a.policy.empty() ? "" : ", policy " + a.policy);
  }
  auto totals = sim::RunSimulation(base, *ref, opt);
  if (!totals.ok()) {
    fmt::print(stderr, "simulate: {}\n", totals.error().message);
    return totals.error().code == ErrorCode::kInvalidArgument ? 2 : 1;
  }
  boost::json::object out{{"days", a.days}, {"seed", a.seed}, {"base", totals->ToJson()}};
  if (a.bench) {
    // One line for bench/ scripts.
    fmt::print("{}\n",
               JsonText(boost::json::object{{"benchmark", "simulate"},
                                            {"days", a.days},
                                            {"seed", a.seed},
                                            {"jobs", a.jobs},
                                            {"contacts", totals->contacts},
                                            {"commands", totals->commands},
                                            {"events", totals->events},
                                            {"wall_seconds", totals->wall_seconds},
                                            {"cpu_seconds", totals->cpu_seconds},
                                            {"events_per_second", totals->EventsPerSecond()},
                                            {"contacts_per_second", totals->ContactsPerSecond()},
                                            {"peak_rss_kb", totals->peak_rss_kb}}));
  } else if (!a.quiet) {
    fmt::print("{}", totals->Text());
  }
  if (!a.compare.empty()) {
    const std::string base_name =
        a.policy.empty() ? "defaults" : std::filesystem::path(a.policy).stem().string();
    const std::string compare_name = (a.policy.empty() ? "" : base_name + "+") +
                                     std::filesystem::path(a.compare).stem().string();
    if (!a.quiet && !a.bench) {
      fmt::print("\nSame demand under {} ({} laid over {})\n", compare_name, a.compare,
                 a.policy.empty() ? "the defaults" : a.policy);
    }
    sim::SimOptions second_opt = opt;
    second_opt.on_window = nullptr;  // the comparison table, not a second set of reports
    auto second = sim::RunSimulation(other, *ref, second_opt);
    if (!second.ok()) {
      fmt::print(stderr, "simulate: {}\n", second.error().message);
      return second.error().code == ErrorCode::kInvalidArgument ? 2 : 1;
    }
    if (!a.bench && !a.quiet) {
      fmt::print("{}\n{}", second->Text(),
                 sim::CompareTable(*totals, *second, base_name, compare_name));
    }
    out["compare"] = second->ToJson();
  }
  if (!a.data.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(a.data, ec);
    const std::string path = a.data + "/simulation.json";
    std::ofstream f(path);
    f << JsonText(out) << "\n";
    if (!f) {
      fmt::print(stderr, "simulate: cannot write {}\n", path);
      return 1;
    }
    if (!a.quiet && !a.bench) fmt::print("Totals written to {}\n", path);
    if (!window_reports.empty()) {
      const std::string rpath = a.data + "/reports.json";
      std::ofstream rf(rpath);
      rf << JsonText(window_reports) << "\n";
      if (!rf) {
        fmt::print(stderr, "simulate: cannot write {}\n", rpath);
        return 1;
      }
      if (!a.quiet) fmt::print("Reports of each window written to {}\n", rpath);
    }
  }
  return 0;
}

}  // namespace

void AddSimulateCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "simulate", "Simulate London demand through the real engine and compare policies");
  auto args = std::make_shared<SimulateArgs>();
  cmd->add_option("--days", args->days, "Days to simulate (at least 1)")->capture_default_str();
  cmd->add_option("--seed", args->seed, "Random seed: the same seed gives the same run")
      ->capture_default_str();
  cmd->add_option("--policy", args->policy,
                  "Calibration and behaviour (TOML; see data/sim/london.toml)");
  cmd->add_option("--compare", args->compare,
                  "A second policy file: run the same demand under it and print the differences");
  cmd->add_option("--data", args->data, "Folder for simulation.json (totals of the run)");
  cmd->add_option("--refdata", args->refdata, "London reference data folder");
  cmd->add_option("--jobs", args->jobs, "Windows simulated at once, each on its own engine")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  cmd->add_flag("--bench", args->bench, "Print one JSON line of timings (for bench/)");
  cmd->add_flag("--quiet", args->quiet, "Print nothing but errors");
  cmd->callback([args, &exit_code] { exit_code = RunSimulate(*args); });
}

}  // namespace concordat::cli
