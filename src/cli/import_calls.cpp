// `concordat import calls`: see import_calls.hpp.
#include "cli/import_calls.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <unordered_map>

#include "cli/commands.hpp"
#include "cli/config.hpp"
#include "core/policy.hpp"
#include "engine/clock.hpp"
#include "engine/engine.hpp"
#include "refdata/london.hpp"
#include "store/hash_chain.hpp"

namespace concordat::cli {
namespace {

std::optional<std::string> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

void DrawProgress(std::size_t done, std::size_t total) {
  constexpr int kWidth = 40;
  const int filled = total == 0 ? kWidth : static_cast<int>(kWidth * done / total);
  fmt::print(stderr, "\r[{}{}] {}/{}", std::string(filled, '#'), std::string(kWidth - filled, ' '),
             done, total);
  if (done == total) fmt::print(stderr, "\n");
  std::fflush(stderr);
}

}  // namespace

int ImportCalls(const ImportCallsOptions& o, ImportCallsSummary& out, std::FILE* report) {
  auto fail = [&](std::string msg) {
    out.error = std::move(msg);
    fmt::print(stderr, "import calls: {}\n", out.error);
    return 2;
  };
  const auto csv = ReadAll(o.file);
  if (!csv) return fail("cannot read " + o.file);
  const auto mapping_text = ReadAll(o.mapping);
  if (!mapping_text) return fail("cannot read " + o.mapping);
  auto mapping = interop::ParseMapping(*mapping_text);
  if (!mapping.ok()) {
    return fail(o.mapping + ": " + mapping.error().field + ": " + mapping.error().message);
  }
  auto mapped = interop::MapCalls(*csv, *mapping);
  if (!mapped.ok()) return fail(o.file + ": " + mapped.error().message);
  Policy policy;
  // Grades must be ones the engine knows: a bad row now rather than a refusal half-way.
  std::vector<interop::MappedRow> rows;
  for (auto& r : mapped->rows) {
    const std::string grade(r.body.at("grade").as_string());
    if (policy.FindGrade(grade) == nullptr) {
      mapped->bad.push_back({r.line, "grade \"" + grade + "\" is not a grade in the policy"});
    } else {
      rows.push_back(std::move(r));
    }
  }
  std::sort(mapped->bad.begin(), mapped->bad.end(),
            [](const auto& a, const auto& b) { return a.line < b.line; });
  out.records = mapped->records;
  out.bad = mapped->bad;
  for (const auto& b : out.bad) fmt::print(report, "  line {}: {}\n", b.line, b.reason);
  if (!out.bad.empty() && !o.skip_bad) {
    fmt::print(report, "{}: {} records, {} bad; nothing imported (use --skip-bad to import the "
                       "{} valid rows)\n",
               o.file, out.records, out.bad.size(), rows.size());
    return 1;
  }

  auto ref = LoadLondonRefData(o.refdata.empty() ? DefaultRefdataDir() : o.refdata);
  if (!ref.ok()) return fail("reference data: " + ref.error().message);
  auto log = OpenLogToWrite(o.store);
  if (!log.ok()) return fail(log.error().message);
  Domain domain;
  RegisterAllDomains(domain);
  RealClock clock;
  Engine engine(**log, clock, domain, EngineOptions{&*ref, &policy});
  if (auto st = engine.Start(); !st.ok()) return fail("cannot start the engine: " + st.error().message);

  const std::string source =
      mapping->source.empty() ? std::filesystem::path(o.mapping).stem().string() : mapping->source;
  const bool bar = o.progress && isatty(fileno(stderr)) != 0;
  std::mutex mu;
  std::condition_variable cv;
  std::size_t finished = 0;
  std::vector<std::pair<int, std::string>> refused;
  std::unordered_map<std::string, int> occurrences;  // of each content in this file
  for (const auto& r : rows) {
    const int line = r.line;
    const bool located = r.located;
    const std::string digest = Sha256Hex(r.content);
    engine.Submit(Command{"incident.create", "", r.body, Actor{"cli", "admin", "mps", ""},
                          interop::CommandIdFor(source, digest, ++occurrences[digest])},
                  [&, line, located](Outcome oc) {
                    std::lock_guard lock(mu);
                    if (!oc.ok) {
                      refused.emplace_back(line, oc.error.message);
                    } else if (oc.duplicate) {
                      ++out.duplicates;
                    } else {
                      ++out.created;
                      out.unlocated += located ? 0 : 1;  // of the incidents made now
                    }
                    ++finished;
                    cv.notify_all();
                  });
  }
  {
    std::unique_lock lock(mu);
    while (finished < rows.size()) {
      cv.wait_for(lock, std::chrono::milliseconds(100));
      if (bar) DrawProgress(finished, rows.size());
    }
  }
  if (bar && rows.empty()) DrawProgress(0, 0);
  engine.Stop();
  std::sort(refused.begin(), refused.end());
  for (const auto& [line, why] : refused) fmt::print(report, "  line {}: refused: {}\n", line, why);
  out.rejected = static_cast<int>(refused.size());
  fmt::print(report,
             "{}: {} records; {} incidents created ({} unlocated), {} already imported, {} "
             "bad rows skipped, {} refused\n",
             o.file, out.records, out.created, out.unlocated, out.duplicates, out.bad.size(),
             out.rejected);
  return out.rejected == 0 ? 0 : 1;
}

void AddImportCalls(CLI::App& imp, int& exit_code) {
  auto* calls = imp.add_subcommand(
      "calls", "Calls-for-service CSV → incidents, mapped by a TOML file (data/import/*.toml)");
  auto o = std::make_shared<ImportCallsOptions>();
  calls->add_option("FILE", o->file, "The CSV file")->required();
  calls->add_option("--mapping", o->mapping, "The mapping TOML (columns, formats, zone, types)")
      ->required();
  AddStoreOptions(calls, o->store);
  calls->add_option("--refdata", o->refdata, "Folder of the London reference data");
  calls->add_flag("--skip-bad", o->skip_bad, "Import the valid rows even if some rows are bad");
  auto no_progress = std::make_shared<bool>(false);
  calls->add_flag("--no-progress", *no_progress, "No progress bar");
  calls->callback([o, no_progress, &exit_code] {
    o->progress = !*no_progress;
    ImportCallsSummary s;
    exit_code = ImportCalls(*o, s, stdout);
  });
}

}  // namespace concordat::cli
