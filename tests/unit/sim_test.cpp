// The simulator (issue 8): demand calibration against the configured London figures,
// reproducibility, the emergency button with and without attendance governance through the real
// engine, and bad input.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sys/wait.h>

#include "cad_fixture.hpp"
#include "sim/demand.hpp"
#include "sim/simulator.hpp"

namespace concordat::sim {
namespace {

using concordat::testing::LondonRef;

// A tenth of London's demand, one-day windows: fast enough for unit tests.
SimConfig Small() {
  SimConfig c;
  c.demand.contacts_per_year = 400'000;
  c.demand.mh_contacts_per_year = 9'200;
  c.demand.mh_attended_per_year = 2'600;
  c.demand.s136_per_month = 55;
  c.fleet.units_per_100k = 1.0;
  c.window_days = 1;
  return c;
}

std::string WithoutTimings(const SimTotals& t) {
  auto o = t.ToJson();
  for (const char* k : {"wall_seconds", "cpu_seconds", "events_per_second", "contacts_per_second",
                        "peak_rss_kb"}) {
    o.erase(k);
  }
  return boost::json::serialize(o);
}

std::string Contacts(const std::vector<Contact>& cs) {
  std::string s;
  for (const auto& c : cs) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%lld %u %u %.9f %.9f %d %c %d %d %.9f\n",
                  static_cast<long long>(c.at), c.borough, c.bcu, c.point.lat, c.point.lon,
                  static_cast<int>(c.kind), c.grade, c.s136, c.emergency, c.u_extra);
    s += buf;
  }
  return s;
}

TEST(SimDemand, SameSeedSameContactsWhateverTheWindow) {
  SimConfig cfg;
  const Timestamp t0 = *StartTime(cfg);
  DemandGenerator a(cfg, LondonRef(), 7), b(cfg, LondonRef(), 7), c(cfg, LondonRef(), 8);
  const auto two_days = a.Generate(t0, t0 + 2 * kMicrosPerDay);
  ASSERT_GT(two_days.size(), 15'000u);
  EXPECT_EQ(Contacts(two_days), Contacts(b.Generate(t0, t0 + 2 * kMicrosPerDay)));
  // Generated a day at a time, the same contacts.
  auto first = b.Generate(t0, t0 + kMicrosPerDay);
  const auto second = b.Generate(t0 + kMicrosPerDay, t0 + 2 * kMicrosPerDay);
  first.insert(first.end(), second.begin(), second.end());
  EXPECT_EQ(Contacts(two_days), Contacts(first));
  EXPECT_NE(Contacts(two_days), Contacts(c.Generate(t0, t0 + 2 * kMicrosPerDay)));
  for (size_t i = 1; i < two_days.size(); ++i) {
    ASSERT_LE(two_days[i - 1].at, two_days[i].at) << "contacts must come in time order";
  }
}

TEST(SimDemand, AWeekMatchesTheLondonCalibration) {
  SimConfig cfg;  // RULES.md H defaults
  const Timestamp t0 = *StartTime(cfg);
  DemandGenerator gen(cfg, LondonRef(), 2026);
  const auto week = gen.Generate(t0, t0 + 7 * kMicrosPerDay);
  const double expected = cfg.demand.contacts_per_year * 7 / 365.2425;
  EXPECT_NEAR(static_cast<double>(week.size()), expected, expected * 0.02);
  EXPECT_NEAR(gen.ExpectedContacts(t0, t0 + 7 * kMicrosPerDay), expected, expected * 0.001);

  std::array<double, 24> by_hour{};
  double mh = 0, mh_attended = 0, s136 = 0;
  std::map<std::uint32_t, double> by_bcu;
  for (const auto& c : week) {
    by_hour[static_cast<size_t>(ToLondon(c.at).hour)]++;
    mh += c.MentalHealth() ? 1 : 0;
    mh_attended += c.kind == ContactKind::kMhAttended ? 1 : 0;
    s136 += c.s136 ? 1 : 0;
    by_bcu[c.bcu]++;
  }
  const double n = static_cast<double>(week.size());
  // Mental-health share: about 92k of 4M (2.3%).
  EXPECT_NEAR(mh / n, 92'000.0 / 4'000'000.0, 0.002);
  // About 26k of 92k attended; s136 at 550 a month.
  EXPECT_NEAR(mh_attended, 26'000.0 * 7 / 365.2425, 26'000.0 * 7 / 365.2425 * 0.15);
  EXPECT_NEAR(s136, 550.0 * 12 * 7 / 365.2425, 550.0 * 12 * 7 / 365.2425 * 0.3);
  // The hour-of-day shape follows the configured weights (each hour within 10% of its share).
  const auto& w = cfg.demand.hour_weights;
  const double wsum = std::accumulate(w.begin(), w.end(), 0.0);
  for (size_t h = 0; h < 24; ++h) {
    EXPECT_NEAR(by_hour[h] / n, w[h] / wsum, w[h] / wsum * 0.10) << "hour " << h;
  }
  EXPECT_GT(by_hour[18], 2 * by_hour[5]) << "evening peak, early-morning trough";
  // Every BCU gets demand in proportion to its population (within 15%).
  const auto& ref = LondonRef();
  double pop = 0;
  for (const auto& b : ref.bcus) pop += static_cast<double>(b.population);
  for (std::uint32_t b = 0; b < ref.bcus.size(); ++b) {
    const double share = static_cast<double>(ref.bcus[b].population) / pop;
    EXPECT_NEAR(by_bcu[b] / n, share, share * 0.15) << ref.bcus[b].code;
  }
}

TEST(SimDemand, RcrpLowersMentalHealthAttendanceOnTheSameCalls) {
  SimConfig before;
  SimConfig after;
  after.demand.rcrp = true;
  const Timestamp t0 = *StartTime(before);
  const auto a = DemandGenerator(before, LondonRef(), 3).Generate(t0, t0 + 28 * kMicrosPerDay);
  const auto b = DemandGenerator(after, LondonRef(), 3).Generate(t0, t0 + 28 * kMicrosPerDay);
  ASSERT_EQ(a.size(), b.size()) << "the same calls arrive";
  double s136_a = 0, s136_b = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].at, b[i].at);
    ASSERT_EQ(a[i].MentalHealth(), b[i].MentalHealth());
    s136_a += a[i].s136;
    s136_b += b[i].s136;
  }
  ASSERT_GT(s136_a, 300);
  EXPECT_NEAR(s136_b / s136_a, 1 - 0.27, 0.06);
}

TEST(Simulator, SameSeedSameRunThroughTheEngine) {
  const SimConfig cfg = Small();
  auto a = RunSimulation(cfg, LondonRef(), {.days = 1, .seed = 11});
  auto b = RunSimulation(cfg, LondonRef(), {.days = 1, .seed = 11});
  auto c = RunSimulation(cfg, LondonRef(), {.days = 1, .seed = 12});
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok() && c.ok());
  EXPECT_GT(a->contacts, 800u);
  EXPECT_GT(a->events, a->contacts);
  EXPECT_EQ(WithoutTimings(*a), WithoutTimings(*b));
  EXPECT_NE(WithoutTimings(*a), WithoutTimings(*c));
}

TEST(Simulator, WindowsRunInParallelGiveTheSameTotals) {
  const SimConfig cfg = Small();  // one-day windows
  auto one = RunSimulation(cfg, LondonRef(), {.days = 3, .seed = 4, .jobs = 1});
  auto two = RunSimulation(cfg, LondonRef(), {.days = 3, .seed = 4, .jobs = 2});
  ASSERT_TRUE(one.ok() && two.ok());
  EXPECT_EQ(one->windows, 3u);
  EXPECT_EQ(WithoutTimings(*one), WithoutTimings(*two));
}

// The simulator makes the commonest commands as typed requests (core/cad_requests.hpp); sent as
// the JSON bodies an API client would send instead, the run is the same to the last event:
// totals, payload bytes and every window's final state.
TEST(Simulator, TypedRequestsAndJsonBodiesGiveTheSameRun) {
  const SimConfig cfg = Small();  // one-day windows
  auto run = [&](bool json_bodies, std::vector<std::string>& states) {
    SimOptions opt{.days = 2, .seed = 21, .jobs = 1};
    opt.json_bodies = json_bodies;
    opt.on_window = [&](const State& s, const Policy&, Timestamp, Timestamp) {
      states.push_back(s.ToSnapshot());
    };
    return RunSimulation(cfg, LondonRef(), opt);
  };
  std::vector<std::string> typed_states, json_states;
  auto typed = run(false, typed_states);
  auto json = run(true, json_states);
  ASSERT_TRUE(typed.ok() && json.ok());
  EXPECT_EQ(typed->rejected, 0u) << (typed->errors.empty() ? "" : typed->errors.front());
  EXPECT_GT(typed->incidents, 1000u);
  EXPECT_EQ(WithoutTimings(*typed), WithoutTimings(*json));
  ASSERT_EQ(typed_states.size(), 2u);
  EXPECT_TRUE(typed_states == json_states) << "the windows' final states differ";
}

// Threads take windows as they free up; reports still come in window order, once each.
TEST(Simulator, WindowsAreReportedInOrderWhicheverFinishesFirst) {
  const SimConfig cfg = Small();  // one-day windows
  std::vector<Timestamp> seen;
  SimOptions opt{.days = 5, .seed = 9, .jobs = 3};
  opt.on_window = [&](const State&, const Policy&, Timestamp from, Timestamp to) {
    EXPECT_EQ(to - from, kMicrosPerDay);
    seen.push_back(from);
  };
  auto three = RunSimulation(cfg, LondonRef(), opt);
  auto one = RunSimulation(cfg, LondonRef(), {.days = 5, .seed = 9, .jobs = 1});
  ASSERT_TRUE(three.ok() && one.ok());
  ASSERT_EQ(seen.size(), 5u);
  for (size_t i = 1; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i] - seen[i - 1], kMicrosPerDay) << "window " << i;
  }
  EXPECT_EQ(WithoutTimings(*one), WithoutTimings(*three));
}

TEST(Simulator, ADayOfLondonRunsCleanlyAndMatchesItsDemand) {
  SimConfig cfg;  // full London rate
  cfg.window_days = 1;
  std::uint64_t open_after = 1;
  std::uint64_t state_incidents = 0;
  SimOptions opt{.days = 1, .seed = 5};
  opt.on_window = [&](const State& s, const Policy&, Timestamp, Timestamp) {
    open_after = 0;
    for (const auto& [id, i] : s.cad.incidents) open_after += i.status == "open" ? 1 : 0;
    state_incidents = s.cad.incidents.size();
  };
  auto t = RunSimulation(cfg, LondonRef(), opt);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->rejected, 0u) << (t->errors.empty() ? "" : t->errors.front());
  EXPECT_EQ(state_incidents, t->incidents) << "every simulated incident is in the engine";
  EXPECT_EQ(open_after, 0u) << "a window drains its work";
  const double expected = DemandGenerator(cfg, LondonRef(), 5)
                              .ExpectedContacts(*StartTime(cfg), *StartTime(cfg) + kMicrosPerDay);
  EXPECT_NEAR(static_cast<double>(t->contacts), expected, expected * 0.03);
  EXPECT_GT(t->i_arrivals, 0u);
  EXPECT_GT(t->i_met, t->i_arrivals / 2) << "most grade I calls reached within 15 minutes";
}

// Over-attendance alerts the engine raised, per run.
std::uint64_t RunCountingAlerts(const SimConfig& cfg, SimTotals* totals) {
  std::uint64_t alerts = 0;
  SimOptions opt{.days = 2, .seed = 21};
  opt.on_window = [&](const State& s, const Policy&, Timestamp, Timestamp) {
    for (const auto& [id, a] : s.alerts.by_id) alerts += a.type == "over_attendance" ? 1 : 0;
  };
  auto t = RunSimulation(cfg, LondonRef(), opt);
  EXPECT_TRUE(t.ok()) << t.error().message;
  if (t.ok()) *totals = *t;
  return alerts;
}

TEST(Simulator, EmergencyButtonOverAttendanceFallsWithGovernance) {
  SimConfig without = Small();
  without.behaviour.emergency_per_attended = 0.05;
  without.behaviour.emergency_self_deploy = 6;
  SimConfig with = without;
  with.behaviour.advisory_compliance = 0.8;
  with.behaviour.stand_down_on_alert = true;
  SimTotals a, b;
  const std::uint64_t alerts_without = RunCountingAlerts(without, &a);
  const std::uint64_t alerts_with = RunCountingAlerts(with, &b);
  ASSERT_GT(a.emergencies, 5u);
  EXPECT_EQ(a.emergencies, b.emergencies) << "the same presses under both policies";
  EXPECT_EQ(a.rejected, 0u) << (a.errors.empty() ? "" : a.errors.front());
  EXPECT_EQ(b.rejected, 0u) << (b.errors.empty() ? "" : b.errors.front());
  // Without governance: 4 dispatched + the presser + 6 self-deployed against 4 recommended.
  EXPECT_GE(alerts_without, a.emergencies * 9 / 10);
  EXPECT_GE(a.over_attended, a.emergencies * 9 / 10);
  EXPECT_EQ(a.advisory_heeded, 0u);
  EXPECT_EQ(a.stood_down, 0u);
  // With it: most heed the advisory, control stands down the rest.
  EXPECT_GT(b.advisory_heeded, 0u);
  EXPECT_LT(b.self_deployments, a.self_deployments);
  EXPECT_LT(alerts_with, alerts_without);
  EXPECT_LT(b.over_attended, a.over_attended);
  EXPECT_LT(b.officer_hours, a.officer_hours);
  EXPECT_GT(a.excess_officer_hours, 0.0);
  EXPECT_LT(b.excess_officer_hours, a.excess_officer_hours / 2)
      << "heeding the advisory and standing down the surplus cut the time over the recommendation";
}

TEST(SimConfigFile, BadInputIsAClearError) {
  SimConfig cfg;
  auto missing = LoadSimConfig("/nonexistent/policy.toml", cfg);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(missing.error().message.find("/nonexistent/policy.toml"), std::string::npos);

  const std::string dir = ::testing::TempDir() + "/sim-config";
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir + "/" + name) << text;
    return dir + "/" + name;
  };
  auto bad_toml = LoadSimConfig(write("bad.toml", "[demand\nrcrp = true\n"), cfg);
  ASSERT_FALSE(bad_toml.ok());
  EXPECT_NE(bad_toml.error().message.find("line 1"), std::string::npos) << bad_toml.error().message;
  auto unknown = LoadSimConfig(write("unknown.toml", "[demand]\ncalls = 3\n"), cfg);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("demand.calls"), std::string::npos);
  auto range = LoadSimConfig(write("range.toml", "[demand]\nrcrp_reduction = 1.5\n"), cfg);
  ASSERT_FALSE(range.ok());
  EXPECT_NE(range.error().message.find("rcrp_reduction"), std::string::npos);
  auto weights = LoadSimConfig(write("weights.toml", "[demand]\nhour_weights = [1, 2]\n"), cfg);
  ASSERT_FALSE(weights.ok());
  EXPECT_NE(weights.error().message.find("24"), std::string::npos);

  SimConfig ok;
  ASSERT_TRUE(LoadSimConfig(write("ok.toml", "[demand]\nrcrp = true\n[behaviour]\n"
                                             "emergency_self_deploy = 3\n"),
                            ok)
                  .ok());
  EXPECT_TRUE(ok.demand.rcrp);
  EXPECT_EQ(ok.behaviour.emergency_self_deploy, 3);

  auto zero = RunSimulation(SimConfig{}, LondonRef(), {.days = 0, .seed = 1});
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(zero.error().field, "days");
}

TEST(SimConfigFile, TheShippedDefaultsFileIsTheDefaults) {
  SimConfig from_file;
  ASSERT_TRUE(LoadSimConfig(DefaultDataDir() + "/sim/london.toml", from_file).ok());
  const SimConfig d;
  EXPECT_EQ(from_file.demand.contacts_per_year, d.demand.contacts_per_year);
  EXPECT_EQ(from_file.demand.hour_weights, d.demand.hour_weights);
  EXPECT_EQ(from_file.demand.weekday_weights, d.demand.weekday_weights);
  EXPECT_EQ(from_file.timing.handover_wait, d.timing.handover_wait);
  EXPECT_EQ(from_file.behaviour.emergency_self_deploy, d.behaviour.emergency_self_deploy);
  EXPECT_EQ(from_file.policy.attendance.emergency_units, d.policy.attendance.emergency_units);
  EXPECT_EQ(from_file.start_date, d.start_date);
}

// The comparison shows each figure as rounded, takes the difference between the shown figures,
// and gives the chance spread of counts, so that a difference another seed could give is not
// read as the policy's effect.
TEST(SimulateCompare, DifferencesAreOfTheShownFiguresWithTheirChanceSpread) {
  SimTotals a, b;
  a.s_met = 14991;  // 99.94%
  a.s_arrivals = 15000;
  b.s_met = 14979;  // 99.86%: both shown as 99.9
  b.s_arrivals = 15000;
  a.s136 = 42;
  b.s136 = 38;
  const std::string t = CompareTable(a, b, "defaults", "governance+rcrp");
  const auto line = [&](const std::string& start) {
    const auto at = t.find(start);
    EXPECT_NE(at, std::string::npos) << t;
    return t.substr(at, t.find('\n', at) - at);
  };
  EXPECT_NE(t.find("governance+rcrp"), std::string::npos);
  const std::string s_line = line("grade S at scene");
  EXPECT_NE(s_line.find("99.9"), std::string::npos) << s_line;
  EXPECT_EQ(s_line.find("-0.0"), std::string::npos) << s_line;
  EXPECT_EQ(s_line.find("-0.1"), std::string::npos) << s_line;
  const std::string s136 = line("s136 detentions");
  EXPECT_NE(s136.find("-4"), std::string::npos) << s136;
  EXPECT_NE(s136.find("+/-18"), std::string::npos) << s136;  // 2 * sqrt(42 + 38)
  EXPECT_NE(t.find("--seed could give as well"), std::string::npos);
}

#ifdef CONCORDAT_BINARY
// The command line: bad input is exit code 2 with a message naming the problem.
std::pair<int, std::string> RunCli(const std::string& args) {
  const std::string cmd = std::string(CONCORDAT_BINARY) + " simulate " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return {-1, ""};
  std::string out;
  char buf[512];
  while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
  const int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST(SimulateCommand, BadInputExitsWithTwo) {
  ASSERT_TRUE(std::filesystem::exists(CONCORDAT_BINARY)) << "build the concordat target";
  auto [rc, out] = RunCli("--days 0 --seed 1");
  EXPECT_EQ(rc, 2);
  EXPECT_NE(out.find("--days must be at least 1"), std::string::npos) << out;
  std::tie(rc, out) = RunCli("--days 1 --policy /nonexistent/policy.toml");
  EXPECT_EQ(rc, 2);
  EXPECT_NE(out.find("/nonexistent/policy.toml"), std::string::npos) << out;
  std::tie(rc, out) = RunCli("--days 1 --compare /nonexistent/other.toml");
  EXPECT_EQ(rc, 2);
  EXPECT_NE(out.find("/nonexistent/other.toml"), std::string::npos) << out;
  std::tie(rc, out) = RunCli("--days seven");
  EXPECT_EQ(rc, 2);
}

// The compare file is laid over --policy: governance's behaviour stays on in both runs when the
// comparison is of RCRP, so governance's own figures do not move between the two columns.
TEST(SimulateCommand, TheCompareFileIsLaidOverThePolicy) {
  const std::string data = DefaultDataDir() + "/sim/";
  SimConfig base;
  ASSERT_TRUE(LoadSimConfig(data + "governance.toml", base).ok());
  SimConfig other = base;  // as the command builds the second run's configuration
  ASSERT_TRUE(LoadSimConfig(data + "rcrp.toml", other).ok());
  EXPECT_TRUE(other.behaviour.stand_down_on_alert);
  EXPECT_EQ(other.behaviour.advisory_compliance, base.behaviour.advisory_compliance);
  auto [rc, out] = RunCli("--days 1 --seed 2 --policy " + data + "governance.toml --compare " +
                          data + "rcrp.toml");
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("governance+rcrp"), std::string::npos) << out;
  EXPECT_NE(out.find("laid over " + data + "governance.toml"), std::string::npos) << out;
}
#endif

}  // namespace
}  // namespace concordat::sim
