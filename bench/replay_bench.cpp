// Start-up: how fast the engine rebuilds its state from the SQLite log (events/s), and how long
// start-up takes when a snapshot near the head leaves only a tail to replay (DESIGN.md §7: 10
// million events with snapshots in under 10 s).
//
// The log holds real command-and-control events: incidents created, logged three times and
// closed, made by the real domain through an engine over the in-memory log, then copied into an
// SQLite file. A second file adds the snapshot the engine had after 90% of the incidents.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>

#include "bench_support.hpp"
#include "engine/engine.hpp"
#include "refdata/london.hpp"
#include "store/sqlite_event_log.hpp"

namespace concordat::bench {
namespace {

// 20,000 by default (bench.sh); CONCORDAT_REPLAY_INCIDENTS sets another count, to see how the
// snapshot restore grows with the state.
int Incidents() {
  static const int n = [] {
    const char* v = std::getenv("CONCORDAT_REPLAY_INCIDENTS");
    const int parsed = v != nullptr ? std::atoi(v) : 0;
    return parsed >= 100 ? parsed : 20'000;
  }();
  return n;
}

struct Fixture {
  std::string dir;
  std::string full;           // the log alone
  std::string with_snapshot;  // the log and a snapshot at 90%
  std::uint64_t events = 0;
  std::uint64_t snapshot_seq = 0;
  size_t snapshot_bytes = 0;
  std::string error;
};

boost::json::object IncidentBody(const RefData& ref, int n) {
  const auto& b = ref.boroughs[static_cast<size_t>(n) % ref.boroughs.size()];
  return {{"channel", "999"},
          {"caller", {{"name", "Bench Caller"}, {"phone", "07700 900123"}}},
          {"location",
           {{"lat", b.centroid.lat + 0.0001 * (n % 7)},
            {"lon", b.centroid.lon - 0.0001 * (n % 5)},
            {"address", std::to_string(n) + " High Street"}}},
          {"type", "mental_health"},
          {"grade", n % 3 == 0 ? "I" : "S"},
          {"flags", boost::json::array{"mental_health"}},
          {"description", "Man in distress on the bridge parapet, talking about ending his life."}};
}

Status Generate(Fixture& f) {
  auto ref = LoadLondonRefData(DefaultDataDir() + "/refdata/london");
  if (!ref.ok()) {
    return ref.error();
  }
  Policy policy;
  Domain domain;
  RegisterAllDomains(domain);
  VirtualClock clock(kBenchStart);
  auto memory = MakeMemoryEventLog();
  EngineOptions eo;
  eo.ref = &*ref;
  eo.policy = &policy;
  eo.snapshot_every = 0;
  Engine engine(*memory, clock, domain, eo);
  if (auto st = engine.Start(); !st.ok()) {
    return st;
  }
  std::string snapshot;
  for (int n = 0; n < Incidents(); ++n) {
    const std::string key = "replay-" + std::to_string(n);
    Outcome o = engine.Execute(
        Command{"incident.create", "", IncidentBody(*ref, n), kBenchActor, key + "-create"});
    if (!o.ok) {
      return o.error;
    }
    const std::string id(o.reply.at("id").as_string());
    for (int i = 0; i < 3; ++i) {
      o = engine.Execute(Command{"incident.log",
                                 id,
                                 {{"text", NoteText(static_cast<std::uint64_t>(i))}},
                                 kBenchActor,
                                 key + "-log-" + std::to_string(i)});
      if (!o.ok) {
        return o.error;
      }
    }
    o = engine.Execute(
        Command{"incident.close",
                id,
                {{"result_code", "advice_given"}, {"summary", "Handed to the crisis team."}},
                kBenchActor,
                key + "-close"});
    if (!o.ok) {
      return o.error;
    }
    clock.Set(clock.Now() + Seconds(45));
    if (n + 1 == Incidents() * 9 / 10) {
      snapshot = engine.Read([](const State& s) { return boost::json::serialize(s.ToJson()); });
      f.snapshot_seq = engine.HeadSeq();
    }
  }
  engine.Stop();
  f.events = memory->HeadSeq();
  f.snapshot_bytes = snapshot.size();
  for (const std::string& path : {f.full, f.with_snapshot}) {
    auto log = OpenSqliteEventLog(path);
    if (!log.ok()) {
      return log.error();
    }
    for (std::uint64_t after = 0; after < f.events;) {
      auto page = memory->ReadAfter(after, 5000);
      if (!page.ok()) {
        return page.error();
      }
      if (auto st = (*log)->Append(*page, {}); !st.ok()) {
        return st;
      }
      after = page->back().seq;
    }
    if (path == f.with_snapshot) {
      if (auto st = (*log)->SaveSnapshot(Snapshot{f.snapshot_seq, snapshot}); !st.ok()) {
        return st;
      }
    }
  }
  return OkStatus();
}

const Fixture& TheFixture() {
  static const Fixture f = [] {
    Fixture f;
    f.dir = ScratchDir("replay");
    static const std::string dir = f.dir;
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    });
    f.full = f.dir + "/full.db";
    f.with_snapshot = f.dir + "/snapshot.db";
    if (auto st = Generate(f); !st.ok()) {
      f.error = st.error().message;
    }
    return f;
  }();
  return f;
}

// Times Engine::Start() (snapshot restore + replay + writer start) on a freshly opened log.
void StartUp(benchmark::State& state, const std::string& path) {
  const Fixture& f = TheFixture();
  if (!f.error.empty()) {
    state.SkipWithError(f.error.c_str());
    return;
  }
  auto ref = LoadLondonRefData(DefaultDataDir() + "/refdata/london");
  Policy policy;
  Domain domain;
  RegisterAllDomains(domain);
  std::uint64_t replayed = 0;
  for (auto _ : state) {
    auto log = OpenSqliteEventLog(path);
    VirtualClock clock(kBenchStart);
    EngineOptions eo;
    eo.ref = &*ref;
    eo.policy = &policy;
    eo.snapshot_every = 0;
    Engine engine(**log, clock, domain, eo);
    const auto t0 = std::chrono::steady_clock::now();
    const bool ok = engine.Start().ok();
    const auto t1 = std::chrono::steady_clock::now();
    if (!ok || engine.HeadSeq() != f.events) {
      state.SkipWithError("start-up did not reach the head");
      return;
    }
    replayed = engine.replayed_events();
    state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
    engine.Stop();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * replayed));
  state.counters["log_events"] = static_cast<double>(f.events);
  state.counters["replayed"] = static_cast<double>(replayed);
  state.counters["snapshot_bytes"] = static_cast<double>(f.snapshot_bytes);
}

void BM_ReplayWholeLog(benchmark::State& state) { StartUp(state, TheFixture().full); }
BENCHMARK(BM_ReplayWholeLog)->Iterations(3)->Unit(benchmark::kMillisecond)->UseManualTime();

void BM_StartupWithSnapshot(benchmark::State& state) { StartUp(state, TheFixture().with_snapshot); }
BENCHMARK(BM_StartupWithSnapshot)->Iterations(3)->Unit(benchmark::kMillisecond)->UseManualTime();

}  // namespace
}  // namespace concordat::bench
