// Start-up: how fast the engine rebuilds its state from the SQLite log (events/s), and how long
// start-up takes when a snapshot near the head leaves only a tail to replay (DESIGN.md §7: 10
// million events with snapshots in under 10 s).
//
// The log holds real command-and-control events: incidents created, logged three times and
// closed, made by the real domain through the engine over the SQLite file; London's share of them
// mental-health contacts (CONCORDAT_REPLAY_MH_SHARE=1 makes them all so, the worst case). A copy of
// the file adds the snapshot the engine had with 10% of the incidents still to come (at most 9,000:
// about the 50,000 events the engine leaves between snapshots in service).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <latch>

#include "bench_support.hpp"
#include "engine/engine.hpp"
#include "engine/forked_encoding.hpp"
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
  std::string with_snapshot;  // the log and a snapshot near its end
  std::uint64_t events = 0;
  std::uint64_t snapshot_seq = 0;
  size_t snapshot_bytes = 0;
  double encode_ms = 0;  // State::ToSnapshot on the engine's state, as the writer took one
  // The same in the background, as the engine takes one now: the writer waits for the fork
  // only; the child's encoding and its bytes through the pipe take background_ms.
  double fork_ms = 0;
  double background_ms = 0;
  bool background_same = false;  // the child's bytes are the writer's encoding, byte for byte
  std::string error;
};

// The share of incidents that are mental-health contacts: London's by default (about 92,000 of
// 4 million contacts a year, data/sim/london.toml), or CONCORDAT_REPLAY_MH_SHARE (0..1). A restore
// rebuilds the repeat-demand index from every mental-health contact, so 1 is the worst case.
double MhShare() {
  static const double share = [] {
    const char* v = std::getenv("CONCORDAT_REPLAY_MH_SHARE");
    const double parsed = v != nullptr && *v != '\0' ? std::atof(v) : -1;
    return parsed >= 0 && parsed <= 1 ? parsed : 92'000.0 / 4'000'000.0;
  }();
  return share;
}

// Spread evenly through the log: incident n is a mental-health contact when its place in a
// 10,000-long cycle (stepped by a prime) falls under the share.
bool IsMentalHealth(int n) {
  return static_cast<double>((static_cast<std::int64_t>(n) * 7919) % 10'000) < MhShare() * 10'000;
}

boost::json::object IncidentBody(const RefData& ref, int n) {
  static const char* const kOtherTypes[] = {"disturbance", "theft", "road_traffic_collision",
                                            "domestic", "suspicious_person"};
  const auto& b = ref.boroughs[static_cast<size_t>(n) % ref.boroughs.size()];
  const bool mh = IsMentalHealth(n);
  return {
      {"channel", "999"},
      {"caller", {{"name", "Bench Caller"}, {"phone", "07700 900123"}}},
      {"location",
       {{"lat", b.centroid.lat + 0.0001 * (n % 7)},
        {"lon", b.centroid.lon - 0.0001 * (n % 5)},
        {"address", std::to_string(n) + " High Street"}}},
      {"type", mh ? "mental_health" : kOtherTypes[n % 5]},
      {"grade", n % 3 == 0 ? "I" : "S"},
      {"flags", mh ? boost::json::array{"mental_health"} : boost::json::array{}},
      {"description", mh ? "Man in distress on the bridge parapet, talking about ending his life."
                         : "Caller reports a disturbance in the street; several people involved."}};
}

// A tail of 9,000 incidents is about 45,000 events: no more than the engine leaves between its
// snapshots in service (engine.snapshot_every, default 50,000 events).
constexpr int kMaxTailIncidents = 9'000;

// Submits `commands` at once (the writer groups them into batches, as under load) and waits for
// all their outcomes; the first failure is the result.
Result<std::vector<Outcome>> RunWave(Engine& engine, std::vector<Command> commands) {
  std::vector<Outcome> out(commands.size());
  std::latch done(static_cast<std::ptrdiff_t>(commands.size()));
  for (size_t i = 0; i < commands.size(); ++i) {
    engine.Submit(std::move(commands[i]), [&out, &done, i](Outcome o) {
      out[i] = std::move(o);
      done.count_down();
    });
  }
  done.wait();
  for (const Outcome& o : out) {
    if (!o.ok) return o.error;
  }
  return out;
}

// The log is written by the engine itself over the SQLite file, as in service (group commit,
// durable), in waves of 512 incidents: their creations, then their log entries and closures. The
// snapshot is the engine's state after the first wave that leaves a tail of at most 10% of the
// incidents and at most kMaxTailIncidents. The file with the snapshot is a copy of the whole log
// plus that snapshot.
Status Generate(Fixture& f) {
  auto ref = LoadLondonRefData(DefaultDataDir() + "/refdata/london");
  if (!ref.ok()) {
    return ref.error();
  }
  Policy policy;
  Domain domain;
  RegisterAllDomains(domain);
  VirtualClock clock(kBenchStart);
  std::string snapshot;
  {
    auto log = OpenSqliteEventLog(f.full);
    if (!log.ok()) {
      return log.error();
    }
    EngineOptions eo;
    eo.ref = &*ref;
    eo.policy = &policy;
    eo.snapshot_every = 0;
    Engine engine(**log, clock, domain, eo);
    if (auto st = engine.Start(); !st.ok()) {
      return st;
    }
    const int total = Incidents();
    constexpr int kWave = 512;
    for (int first = 0; first < total; first += kWave) {
      const int last = std::min(total, first + kWave);
      std::vector<Command> creates;
      for (int n = first; n < last; ++n) {
        creates.push_back(Command{"incident.create", "", IncidentBody(*ref, n), kBenchActor,
                                  "replay-" + std::to_string(n) + "-create"});
      }
      auto created = RunWave(engine, std::move(creates));
      if (!created.ok()) {
        return created.error();
      }
      std::vector<Command> rest;
      for (int n = first; n < last; ++n) {
        const std::string key = "replay-" + std::to_string(n);
        const std::string id((*created)[static_cast<size_t>(n - first)].reply.at("id").as_string());
        for (int i = 0; i < 3; ++i) {
          rest.push_back(Command{"incident.log",
                                 id,
                                 {{"text", NoteText(static_cast<std::uint64_t>(i))}},
                                 kBenchActor,
                                 key + "-log-" + std::to_string(i)});
          // No reply wanted (as the simulator's commands): the outcome kept for a retry is then
          // small, and a 10-million-event log about half the size (still about 10 GB).
          rest.back().wants_reply = false;
        }
        rest.push_back(
            Command{"incident.close",
                    id,
                    {{"result_code", "advice_given"}, {"summary", "Handed to the crisis team."}},
                    kBenchActor,
                    key + "-close"});
        rest.back().wants_reply = false;
      }
      if (auto st = RunWave(engine, std::move(rest)); !st.ok()) {
        return st.error();
      }
      clock.Set(clock.Now() + Seconds(45) * (last - first));
      if (snapshot.empty() && total - last <= std::min(total / 10, kMaxTailIncidents)) {
        // Timed as the engine's second and later snapshots run: with the last one's size known.
        (void)engine.Read([](const State& s) { return s.ToSnapshot().size(); });
        const auto t0 = std::chrono::steady_clock::now();
        snapshot = engine.Read([](const State& s) { return s.ToSnapshot(); });
        f.encode_ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count();
        f.snapshot_seq = engine.HeadSeq();
        const auto t2 = std::chrono::steady_clock::now();
        auto child = engine.Read([](const State& s) {
          return ForkedEncoding::Start([&s] { return s.ToSnapshot(); });
        });
        const auto t3 = std::chrono::steady_clock::now();
        f.fork_ms = std::chrono::duration<double, std::milli>(t3 - t2).count();
        if (child.ok()) {
          auto bytes = child->Collect();
          f.background_ms =
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t3)
                  .count();
          f.background_same = bytes.ok() && *bytes == snapshot;
        }
      }
    }
    engine.Stop();
    f.events = engine.HeadSeq();
  }
  f.snapshot_bytes = snapshot.size();
  // Closing the log checkpointed its WAL into the file; copy any that is left as well.
  for (const std::string suffix : {"", "-wal"}) {
    if (std::filesystem::exists(f.full + suffix)) {
      std::filesystem::copy_file(f.full + suffix, f.with_snapshot + suffix,
                                 std::filesystem::copy_options::overwrite_existing);
    }
  }
  auto log = OpenSqliteEventLog(f.with_snapshot);
  if (!log.ok()) {
    return log.error();
  }
  return (*log)->SaveSnapshot(Snapshot{f.snapshot_seq, snapshot});
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
  state.counters["mh_percent"] = 100 * MhShare();
  state.counters["encode_ms"] = f.encode_ms;
  state.counters["fork_ms"] = f.fork_ms;
  state.counters["background_ms"] = f.background_ms;
  state.counters["background_same"] = f.background_same ? 1 : 0;
}

void BM_ReplayWholeLog(benchmark::State& state) { StartUp(state, TheFixture().full); }
BENCHMARK(BM_ReplayWholeLog)->Iterations(3)->Unit(benchmark::kMillisecond)->UseManualTime();

void BM_StartupWithSnapshot(benchmark::State& state) { StartUp(state, TheFixture().with_snapshot); }
BENCHMARK(BM_StartupWithSnapshot)->Iterations(3)->Unit(benchmark::kMillisecond)->UseManualTime();

}  // namespace
}  // namespace concordat::bench
