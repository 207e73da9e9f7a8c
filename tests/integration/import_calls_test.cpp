// `concordat import calls` on the three public samples in data/replay/: counts, a few known rows,
// mental-health types, and re-running the same import adds nothing twice.
#include "cli/import_calls.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "core/domain.hpp"
#include "core/state.hpp"
#include "engine/clock.hpp"
#include "engine/engine.hpp"
#include "refdata/london.hpp"
#include "store/sqlite_event_log.hpp"

namespace concordat {
namespace {

namespace fs = std::filesystem;

class ImportCalls : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("concordat-import-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
    ASSERT_TRUE(OpenSqliteEventLog((dir_ / "concordat.db").string()).ok());
    report_ = std::tmpfile();
  }
  void TearDown() override {
    std::fclose(report_);
    fs::remove_all(dir_);
  }

  int Run(const std::string& csv, const std::string& mapping, cli::ImportCallsSummary& s) {
    cli::ImportCallsOptions o;
    o.file = DefaultDataDir() + "/replay/" + csv;
    o.mapping = DefaultDataDir() + "/import/" + mapping;
    o.store.data = dir_.string();
    o.progress = false;
    return cli::ImportCalls(o, s, report_);
  }

  // The incidents in the store, by address.
  std::vector<Incident> Incidents() {
    auto log = OpenSqliteEventLog((dir_ / "concordat.db").string());
    EXPECT_TRUE(log.ok());
    auto ref = LoadLondonRefData(DefaultDataDir() + "/refdata/london");
    EXPECT_TRUE(ref.ok());
    Domain domain;
    RegisterAllDomains(domain);
    RealClock clock;
    Policy policy;
    Engine engine(**log, clock, domain, EngineOptions{&*ref, &policy});
    EXPECT_TRUE(engine.Start().ok());
    std::vector<Incident> out;
    engine.Read([&](const State& s) {
      for (const auto& [id, i] : s.cad.incidents) out.push_back(i);
    });
    engine.Stop();
    return out;
  }

  fs::path dir_;
  std::FILE* report_ = nullptr;
};

const Incident* Find(const std::vector<Incident>& v, const std::string& address,
                          Timestamp received) {
  for (const auto& i : v) {
    if (i.location.address == address && i.received_at == received) return &i;
  }
  return nullptr;
}

TEST_F(ImportCalls, OrlandoIsUnlocatedAndReRunAddsNothing) {
  cli::ImportCallsSummary s;
  ASSERT_EQ(Run("orlando_pd_active_calls_2022.csv", "orlando.toml", s), 0) << s.error;
  EXPECT_EQ(s.records, 2889);
  EXPECT_TRUE(s.bad.empty());
  EXPECT_EQ(s.created, 2889);
  EXPECT_EQ(s.unlocated, 2889);
  auto v = Incidents();
  ASSERT_EQ(v.size(), 2889u);
  // Line 2: "0,1/25/2022 20:27,Bank alarm,8200 BLOCK LEEVISTA BLVD" (EST, UTC-5).
  const auto* a = Find(v, "8200 BLOCK LEEVISTA BLVD", *ParseIso("2022-01-26T01:27:00Z"));
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->type, "alarm");
  EXPECT_EQ(a->grade, "I");
  EXPECT_EQ(a->channel, "999");
  EXPECT_FALSE(a->location.located);
  int mh = 0;
  for (const auto& i : v) mh += i.type == "mental_health" ? 1 : 0;
  EXPECT_EQ(mh, 45);  // "Mentally-ill person (non-violent)" 32 + "(violent)" 13

  cli::ImportCallsSummary again;
  ASSERT_EQ(Run("orlando_pd_active_calls_2022.csv", "orlando.toml", again), 0);
  EXPECT_EQ(again.created, 0);
  EXPECT_EQ(again.duplicates, 2889);
  EXPECT_EQ(again.unlocated, 0);  // of the incidents made this time: none
  EXPECT_EQ(Incidents().size(), 2889u);
}

TEST_F(ImportCalls, BerkeleyTakesCoordinatesFromTheMultiLineField) {
  cli::ImportCallsSummary s;
  ASSERT_EQ(Run("berkeley_pd_calls_for_service_2018.csv", "berkeley.toml", s), 0) << s.error;
  EXPECT_EQ(s.records, 3788);
  EXPECT_TRUE(s.bad.empty());
  EXPECT_EQ(s.created, 3788);
  EXPECT_EQ(s.unlocated, 159);  // rows whose Block_Location has no "(lat, lon)"
  auto v = Incidents();
  ASSERT_EQ(v.size(), 3788u);
  // First row: 04/18/2018 22:17 PDT (UTC-7), DISORDERLY CONDUCT, (37.856572, -122.275241).
  const auto* a = Find(v, "OREGON STREET & MCGEE AVE, Berkeley, CA",
                       *ParseIso("2018-04-19T05:17:00Z"));
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->type, "disturbance");
  EXPECT_TRUE(a->location.located);
  EXPECT_NEAR(a->location.point.lat, 37.856572, 1e-6);
  EXPECT_TRUE(a->bcu_code.empty());  // outside the Metropolitan Police area
}

TEST_F(ImportCalls, MontgomeryBurstImportsWithPrefixTypes) {
  cli::ImportCallsSummary s;
  ASSERT_EQ(Run("montgomery_pa_911_sample.csv", "montgomery.toml", s), 0) << s.error;
  EXPECT_EQ(s.records, 3051);
  EXPECT_TRUE(s.bad.empty());
  EXPECT_EQ(s.created, 3051);
  EXPECT_EQ(s.unlocated, 0);
  auto v = Incidents();
  ASSERT_EQ(v.size(), 3051u);
  // "EMS: ABDOMINAL PAINS,2016-01-15 12:01,UPPER MERION,DEKALB PIKE & ALLENDALE RD" (EST).
  const auto* a = Find(v, "DEKALB PIKE & ALLENDALE RD, UPPER MERION",
                       *ParseIso("2016-01-15T17:01:00Z"));
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->type, "medical");
  EXPECT_EQ(a->grade, "S");
  // 11 of its rows repeat an earlier row in every field (two calls about one breakdown in the
  // same minute): each is an incident, and importing the file again adds none of them twice.
  cli::ImportCallsSummary again;
  ASSERT_EQ(Run("montgomery_pa_911_sample.csv", "montgomery.toml", again), 0);
  EXPECT_EQ(again.created, 0);
  EXPECT_EQ(again.duplicates, 3051);
  EXPECT_EQ(Incidents().size(), 3051u);
}

TEST_F(ImportCalls, ABadRowImportsNothingUnlessSkipBad) {
  const fs::path csv = dir_ / "calls.csv";
  {
    std::FILE* f = std::fopen(csv.string().c_str(), "w");
    std::fputs(",Date,Description,Location\n0,1/25/2022 20:27,Bank alarm,1 MAIN ST\n"
               "1,13/25/2022 20:27,Bank alarm,2 MAIN ST\n",
               f);
    std::fclose(f);
  }
  cli::ImportCallsOptions o;
  o.file = csv.string();
  o.mapping = DefaultDataDir() + "/import/orlando.toml";
  o.store.data = dir_.string();
  o.progress = false;
  cli::ImportCallsSummary s;
  EXPECT_EQ(cli::ImportCalls(o, s, report_), 1);
  ASSERT_EQ(s.bad.size(), 1u);
  EXPECT_EQ(s.bad[0].line, 3);
  EXPECT_EQ(Incidents().size(), 0u);
  o.skip_bad = true;
  cli::ImportCallsSummary s2;
  EXPECT_EQ(cli::ImportCalls(o, s2, report_), 0);
  EXPECT_EQ(s2.created, 1);
  EXPECT_EQ(Incidents().size(), 1u);
}

// Lines [first, last] of the Orlando sample (line 1 is its header), as a CSV of their own.
void WriteOrlandoLines(const fs::path& to, int first, int last) {
  std::ifstream in(DefaultDataDir() + "/replay/orlando_pd_active_calls_2022.csv");
  std::ofstream out(to);
  std::string line;
  for (int n = 1; std::getline(in, line) && n <= last; ++n) {
    if (n == 1 || n >= first) out << line << "\n";
  }
}

// A call is known by what its row says. Monthly exports all named calls.csv are each imported;
// a renamed copy of one already imported adds nothing; an export that overlaps an earlier one
// adds only the calls the earlier one did not have.
TEST_F(ImportCalls, ACallIsKnownByItsRowNotByTheFilesName) {
  fs::create_directories(dir_ / "january");
  fs::create_directories(dir_ / "february");
  WriteOrlandoLines(dir_ / "january" / "calls.csv", 2, 101);     // 100 calls
  WriteOrlandoLines(dir_ / "february" / "calls.csv", 200, 300);  // 101 other calls
  auto run = [&](const fs::path& csv, cli::ImportCallsSummary& s) {
    cli::ImportCallsOptions o;
    o.file = csv.string();
    o.mapping = DefaultDataDir() + "/import/orlando.toml";
    o.store.data = dir_.string();
    o.progress = false;
    return cli::ImportCalls(o, s, report_);
  };
  cli::ImportCallsSummary jan;
  ASSERT_EQ(run(dir_ / "january" / "calls.csv", jan), 0) << jan.error;
  EXPECT_EQ(jan.created, 100);
  cli::ImportCallsSummary feb;
  ASSERT_EQ(run(dir_ / "february" / "calls.csv", feb), 0) << feb.error;
  EXPECT_EQ(feb.created, 101);
  EXPECT_EQ(feb.duplicates, 0);

  fs::copy_file(dir_ / "january" / "calls.csv", dir_ / "calls (1).csv");
  cli::ImportCallsSummary copy;
  ASSERT_EQ(run(dir_ / "calls (1).csv", copy), 0) << copy.error;
  EXPECT_EQ(copy.created, 0);
  EXPECT_EQ(copy.duplicates, 100);

  WriteOrlandoLines(dir_ / "overlap.csv", 90, 110);  // 12 already in January, 9 new
  cli::ImportCallsSummary overlap;
  ASSERT_EQ(run(dir_ / "overlap.csv", overlap), 0) << overlap.error;
  EXPECT_EQ(overlap.created, 9);
  EXPECT_EQ(overlap.duplicates, 12);
  EXPECT_EQ(Incidents().size(), 210u);
}

// Only one process appends to a store: `concordat import calls` run while another process holds
// the store to write (as `concordat serve` does) is refused with that process's pid and changes
// nothing; `verify` and reports, which only read, still run beside it; once it lets go, the
// import runs.
TEST_F(ImportCalls, ImportIsRefusedWhileAnotherProcessWritesTheStore) {
  WriteOrlandoLines(dir_ / "calls.csv", 2, 21);
  const std::string import = std::string(CONCORDAT_BINARY) + " import calls '" +
                             (dir_ / "calls.csv").string() + "' --mapping '" + DefaultDataDir() +
                             "/import/orlando.toml' --data '" + dir_.string() +
                             "' --no-progress 2>&1";
  auto run = [](const std::string& cmd, std::string& output) {
    output.clear();
    std::FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) return -1;
    char buf[512];
    while (std::fgets(buf, sizeof buf, p) != nullptr) output += buf;
    const int status = ::pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  std::string out;
  {
    auto held = OpenSqliteEventLog((dir_ / "concordat.db").string());
    ASSERT_TRUE(held.ok()) << held.error().message;
    EXPECT_EQ(run(import, out), 2) << out;
    EXPECT_NE(
        out.find("in use by another Concordat process (pid " + std::to_string(::getpid()) + ")"),
        std::string::npos)
        << out;
    EXPECT_EQ((*held)->HeadSeq(), 0u);
    EXPECT_EQ(
        run(std::string(CONCORDAT_BINARY) + " verify --data '" + dir_.string() + "' 2>&1", out), 0)
        << out;
  }
  EXPECT_EQ(run(import, out), 0) << out;
  EXPECT_NE(out.find("20 incidents created (20 unlocated)"), std::string::npos) << out;
  EXPECT_EQ(Incidents().size(), 20u);
}

// A store opened only to read (reports, verify) refuses to append.
TEST(StoreReaders, AReaderCannotAppend) {
  const fs::path dir =
      fs::temp_directory_path() / ("concordat-reader-" + std::to_string(std::random_device{}()));
  fs::create_directories(dir);
  auto reader = OpenSqliteEventLog((dir / "concordat.db").string(), ReaderOptions());
  ASSERT_TRUE(reader.ok());
  std::vector<Event> none;
  Event e;
  e.seq = 1;
  e.stream = "clock";
  e.type = "clock.advanced";
  e.payload = "{}";
  none.push_back(e);
  const Status st = (*reader)->Append(none, {});
  EXPECT_FALSE(st.ok());
  EXPECT_EQ((*reader)->HeadSeq(), 0u);
  reader->reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace concordat
