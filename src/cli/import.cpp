// `concordat import training FILE --data DIR`: training completions from a CSV file, through the
// engine like any other command (one decision: every accepted row or none; rejected rows are
// listed by line). The command id is derived from the file's content, so importing the same file
// twice adds nothing. Run it while the server is stopped: a running server does not see events
// another process appends (use POST /api/training/completions/import instead).
#include <fmt/format.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/config.hpp"
#include "cli/store_open.hpp"
#include "engine/clock.hpp"
#include "engine/engine.hpp"
#include "refdata/london.hpp"

namespace concordat::cli {
namespace {

struct ImportFlags {
  std::string file;
  StoreFlags store;
  std::string mode = "all_or_nothing";
  std::string refdata;
};

std::string ContentKey(const std::string& text, const std::string& mode) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : text + "|" + mode) {
    h = (h ^ c) * 1099511628211ULL;
  }
  return fmt::format("cli-import-training:{:016x}", h);
}

int ImportTraining(const ImportFlags& f) {
  std::ifstream in(f.file, std::ios::binary);
  if (!in) {
    fmt::print(stderr, "import: cannot read {}\n", f.file);
    return 2;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string csv = buf.str();
  auto ref = LoadLondonRefData(f.refdata.empty() ? DefaultRefdataDir() : f.refdata);
  if (!ref.ok()) {
    fmt::print(stderr, "import: reference data: {}\n", ref.error().message);
    return 2;
  }
  auto log = OpenLogToWrite(f.store);
  if (!log.ok()) {
    fmt::print(stderr, "import: {}\n", log.error().message);
    return 2;
  }
  Domain domain;
  RegisterAllDomains(domain);
  RealClock clock;
  Policy policy;
  Engine engine(**log, clock, domain, EngineOptions{&*ref, &policy});
  if (auto st = engine.Start(); !st.ok()) {
    fmt::print(stderr, "import: cannot start the engine: {}\n", st.error().message);
    return 2;
  }
  Outcome o =
      engine.Execute(Command{"training.import",
                             "",
                             {{"csv", csv},
                              {"mode", f.mode},
                              {"file_name", std::filesystem::path(f.file).filename().string()}},
                             Actor{"cli", "admin", "mps", ""},
                             ContentKey(csv, f.mode)});
  engine.Stop();
  const boost::json::value* report = o.ok ? &o.reply : nullptr;
  if (!o.ok && o.error.details.is_object()) report = &o.error.details;
  if (report == nullptr) {
    fmt::print(stderr, "import: {}\n", o.error.message);
    return 2;
  }
  const auto& r = report->as_object();
  for (const auto& row : r.at("rejected").as_array()) {
    fmt::print(stderr, "  line {}: rejected: {}\n", row.at("line").to_number<std::int64_t>(),
               std::string(row.at("reason").as_string()));
  }
  for (const auto& row : r.at("skipped").as_array()) {
    fmt::print("  line {}: skipped: {}\n", row.at("line").to_number<std::int64_t>(),
               std::string(row.at("reason").as_string()));
  }
  const auto rows = r.at("rows").to_number<std::int64_t>();
  const auto imported = r.at("imported").to_number<std::int64_t>();
  const auto skipped = r.at("skipped").as_array().size();
  const auto rejected = r.at("rejected").as_array().size();
  if (o.duplicate) {
    // The same file (by content and mode) was given before: its first outcome, said as then.
    fmt::print(
        "{}: this file was {} before ({} rows: {} imported then, {} skipped, {} "
        "rejected); nothing added now\n",
        f.file, o.ok ? "imported" : "refused", rows, imported, skipped, rejected);
  } else {
    fmt::print("{}: {} rows; {} imported, {} skipped, {} rejected\n", f.file, rows, imported,
               skipped, rejected);
  }
  if (!o.ok) {
    fmt::print(stderr, "import: {}\n", o.error.message);
    return 1;
  }
  return 0;
}

}  // namespace

void AddImportCommand(CLI::App& app, int& exit_code) {
  auto* imp = app.add_subcommand("import", "Import data files into the store (server stopped)");
  imp->require_subcommand(1);
  auto* training = imp->add_subcommand(
      "training",
      "Training completions from CSV: collar,name,bcu,course,completed_on[,session_id]");
  auto f = std::make_shared<ImportFlags>();
  training->add_option("FILE", f->file, "The CSV file")->required();
  AddStoreOptions(training, f->store);
  training
      ->add_option("--mode", f->mode,
                   "all_or_nothing: any rejected row imports nothing; valid_rows: import the "
                   "valid rows and report the rest")
      ->check(CLI::IsMember({"all_or_nothing", "valid_rows"}))
      ->capture_default_str();
  training->add_option("--refdata", f->refdata, "Folder of the London reference data");
  training->callback([f, &exit_code] { exit_code = ImportTraining(*f); });
  AddImportCalls(*imp, exit_code);
}

}  // namespace concordat::cli
