// Durable appends per second through the engine with group commit, against raw batched SQLite
// inserts of the same rows (same schema, WAL, synchronous=FULL) in the same run (DESIGN.md §7:
// the engine should reach at least half the raw rate). scripts/bench.sh turns the two into a ratio.
//
//   BM_EngineGroupCommit/T/W  T submitting threads, each keeping W commands in flight; every
//                             command is decided, hashed, appended with its outcome and answered
//                             only once its transaction is durable.
//   BM_RawBatchedInsert/B     the same event rows and command-outcome rows, precomputed (hashes
//                             included), inserted B commands per transaction with prepared
//                             statements, and the stream index's entries written as the log
//                             writes them (in rounds): the storage floor, no engine at all.
//   BM_RawGroupCommitLatency/T  the engine's closed loop over those raw inserts: the latency floor.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <ranges>
#include <memory>
#include <semaphore>
#include <thread>

#include "bench_support.hpp"
#include "engine/engine.hpp"
#include "store/hash_chain.hpp"
#include "store/sqlite.hpp"
#include "store/sqlite_event_log.hpp"
#include "store/stream_index.hpp"

namespace concordat::bench {
namespace {

constexpr std::uint64_t kCommandsPerIteration = 20'000;

// complete_off_writer: the engine's default (answers and subscribers on a completion thread);
// false answers on the writer, as before 2026-11-28 (BM_EngineGroupCommitOnWriter).
void RunEngineGroupCommit(benchmark::State& state, bool complete_off_writer) {
  const auto threads = static_cast<int>(state.range(0));
  const auto window = static_cast<std::ptrdiff_t>(state.range(1));
  const std::string dir = ScratchDir("engine");
  auto log = OpenSqliteEventLog(dir + "/concordat.db");
  if (!log.ok()) {
    state.SkipWithError(log.error().message.c_str());
    return;
  }
  Domain domain;
  RegisterBenchDomain(domain);
  VirtualClock clock(kBenchStart);
  EngineOptions options;
  options.snapshot_every = 0;
  options.complete_off_writer = complete_off_writer;
  auto engine = std::make_unique<Engine>(**log, clock, domain, options);
  if (!engine->Start().ok()) {
    state.SkipWithError("engine did not start");
    return;
  }
  // One semaphore per submitter, alive until the engine has stopped (callbacks release them).
  std::vector<std::unique_ptr<std::counting_semaphore<>>> slots;
  for (int t = 0; t < threads; ++t) {
    slots.push_back(std::make_unique<std::counting_semaphore<>>(window));
  }
  std::atomic<std::uint64_t> failed{0};
  std::uint64_t base = 0;
  // Submit-to-answer time of every command of the last iteration, in microseconds.
  std::vector<std::int64_t> latency_us(kCommandsPerIteration, 0);
  for (auto _ : state) {
    std::vector<std::thread> submitters;
    for (int t = 0; t < threads; ++t) {
      submitters.emplace_back([&, t] {
        auto& sem = *slots[static_cast<size_t>(t)];
        for (std::uint64_t i = static_cast<std::uint64_t>(t); i < kCommandsPerIteration;
             i += static_cast<std::uint64_t>(threads)) {
          sem.acquire();
          const auto submitted = std::chrono::steady_clock::now();
          engine->Submit(BenchCommand(base + i + 1),
                         [&failed, &sem, &latency_us, i, submitted](Outcome o) {
                           if (!o.ok) {
                             failed.fetch_add(1);
                           }
                           latency_us[i] = std::chrono::duration_cast<std::chrono::microseconds>(
                                               std::chrono::steady_clock::now() - submitted)
                                               .count();
                           sem.release();
                         });
        }
        for (std::ptrdiff_t w = 0; w < window; ++w) {
          sem.acquire();  // every command of this thread answered
        }
        sem.release(window);
      });
    }
    for (auto& s : submitters) {
      s.join();
    }
    base += kCommandsPerIteration;
  }
  const auto& stats = engine->stats();
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kCommandsPerIteration));
  state.counters["commits"] = static_cast<double>(stats.commits.load());
  state.counters["mean_batch"] =
      stats.commits.load() == 0
          ? 0.0
          : static_cast<double>(stats.commands.load()) / static_cast<double>(stats.commits.load());
  state.counters["max_batch"] = static_cast<double>(stats.max_batch.load());
  state.counters["failed"] = static_cast<double>(failed.load());
  std::sort(latency_us.begin(), latency_us.end());
  auto percentile_ms = [&](double q) {
    return static_cast<double>(latency_us[static_cast<size_t>(q * (latency_us.size() - 1))]) / 1000;
  };
  state.counters["p50_ms"] = percentile_ms(0.50);
  state.counters["p99_ms"] = percentile_ms(0.99);
  state.counters["p999_ms"] = percentile_ms(0.999);
  state.counters["max_ms"] = percentile_ms(1.0);
  engine->Stop();
  engine.reset();
  log->reset();
  std::filesystem::remove_all(dir);
}
void BM_EngineGroupCommit(benchmark::State& state) { RunEngineGroupCommit(state, true); }
void BM_EngineGroupCommitOnWriter(benchmark::State& state) { RunEngineGroupCommit(state, false); }
BENCHMARK(BM_EngineGroupCommit)
    ->Args({64, 1})
    ->Args({64, 16})
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_EngineGroupCommitOnWriter)
    ->Args({64, 1})
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The rows the engine writes for BenchCommand(n): its event and its stored outcome.
struct Rows {
  std::vector<Event> events;
  std::vector<CommandRecord> commands;
};

Rows MakeRows(std::uint64_t count) {
  Rows rows;
  for (std::uint64_t n = 1; n <= count; ++n) {
    const Command c = BenchCommand(n);
    Event e;
    e.seq = n;
    e.at = kBenchStart;
    e.stream = "bench/" + c.target;
    e.type = "bench.noted";
    e.actor = c.actor;
    e.command_id = c.command_id;
    e.classification = classification::kOperational;
    e.data = {{"text", c.body.at("text")}, {"n", c.body.at("n")}};
    rows.events.push_back(std::move(e));
    Outcome o;
    o.ok = true;
    o.reply = boost::json::object{};
    o.seq = n;
    rows.commands.push_back(CommandRecord{c.actor.user_id + "\x1f" + c.command_id, o.ToJsonText()});
  }
  ChainEvents(rows.events, "");
  return rows;
}

// A fresh file with the log's schema and pragmas (WAL, synchronous=FULL) and no checkpoint
// thread, and the log's own INSERTs.
// It holds the rows of every iteration, and removes its scratch folder when it goes.
struct RawDb {
  std::string dir;
  Rows rows;
  std::unique_ptr<sqlite::Db> db;
  sqlite::Stmt ins;
  sqlite::Stmt cmd;
  StreamIndexer index;

  RawDb() = default;
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;
  ~RawDb() {
    index = {};  // statements before their connection
    ins = {};
    cmd = {};
    db.reset();
    if (!dir.empty()) {
      std::filesystem::remove_all(dir);
    }
  }

  bool Open(const char* name, benchmark::State& state) {
    dir = ScratchDir(name);
    rows = MakeRows(kCommandsPerIteration * static_cast<std::uint64_t>(state.max_iterations));
    auto d = sqlite::Db::Open(dir + "/concordat.db");
    if (!d.ok() || !(*d)->Exec(kSchemaSql).ok()) {
      state.SkipWithError("cannot open the database");
      return false;
    }
    db = std::move(*d);
    auto i = db->Prepare(kInsertEventSql);
    auto c = db->Prepare(kInsertCommandSql);
    if (!i.ok() || !c.ok()) {
      state.SkipWithError("cannot prepare");
      return false;
    }
    ins = std::move(*i);
    cmd = std::move(*c);
    if (!index.Start(*db, SqliteLogOptions{}.stream_index_every).ok()) {
      state.SkipWithError("cannot start the stream index");
      return false;
    }
    return true;
  }

  // Commits rows `ids` (indexes into rows) in one transaction: each event row and outcome row,
  // and the stream index's chunk as the log writes it (in rounds, store/stream_index.hpp).
  template <typename Ids>
  bool Commit(const Ids& ids) {
    bool ok = db->Exec("BEGIN IMMEDIATE").ok();
    size_t n = 0;
    for (size_t i : ids) {
      ok = ok && Insert(i);
      ++n;
    }
    ok = ok && index.WriteChunk(n).ok() && db->Exec("COMMIT").ok();
    if (!ok) {
      (void)db->Exec("ROLLBACK");
      return false;
    }
    index.Committed();
    for (size_t i : ids) {
      index.Appended(rows.events[i].stream, rows.events[i].seq);
    }
    return true;
  }

  // Command i's event row and outcome row.
  bool Insert(size_t i) {
    BindEventRow(ins, rows.events[i]);
    return ins.Run().ok() &&
           cmd.Bind(1, rows.commands[i].command_id).Bind(2, rows.commands[i].outcome).Run().ok();
  }
};

void BM_RawBatchedInsert(benchmark::State& state) {
  const auto batch = static_cast<size_t>(state.range(0));
  RawDb raw;
  if (!raw.Open("raw", state)) {
    return;
  }
  size_t next = 0;
  bool ok = true;
  for (auto _ : state) {
    const size_t end = next + kCommandsPerIteration;
    while (next < end && ok) {
      const size_t stop = std::min(end, next + batch);
      ok = raw.Commit(std::views::iota(next, stop));
      next = stop;
    }
  }
  if (!ok) {
    state.SkipWithError("insert failed");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kCommandsPerIteration));
  state.counters["batch"] = static_cast<double>(batch);
}
BENCHMARK(BM_RawBatchedInsert)
    ->Arg(64)
    ->Arg(1024)
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The latency floor of group commit on this disk: BM_EngineGroupCommit's closed loop (T threads,
// one command each in flight) over the raw inserts of BM_RawBatchedInsert. One committer thread
// takes every row waiting, inserts them in one transaction (WAL, synchronous=FULL, no checkpoint:
// the WAL only grows, so no copying into the database file either) and answers them once it is
// durable. No deciding, hashing, outcome text or callbacks: what any group commit of these rows
// on this disk would cost at least. Its p99 is the baseline for the engine's.
void BM_RawGroupCommitLatency(benchmark::State& state) {
  const auto threads = static_cast<int>(state.range(0));
  RawDb raw;
  if (!raw.Open("rawgc", state)) {
    return;
  }
  struct Waiting {
    size_t row;
    std::chrono::steady_clock::time_point submitted;
    std::binary_semaphore* done;
  };
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Waiting> queue;
  bool stop = false;
  std::atomic<bool> ok{true};
  std::uint64_t commits = 0;
  std::uint64_t committed = 0;
  std::vector<std::int64_t> latency_us(raw.rows.events.size(), 0);
  std::thread committer([&] {
    std::vector<Waiting> batch;
    while (true) {
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return stop || !queue.empty(); });
        if (queue.empty()) {
          return;
        }
        batch.swap(queue);
      }
      if (!raw.Commit(batch | std::views::transform(&Waiting::row))) {
        ok = false;
      }
      ++commits;
      committed += batch.size();
      const auto now = std::chrono::steady_clock::now();
      for (const Waiting& w : batch) {
        latency_us[w.row] =
            std::chrono::duration_cast<std::chrono::microseconds>(now - w.submitted).count();
        w.done->release();
      }
      batch.clear();
    }
  });
  size_t base = 0;
  for (auto _ : state) {
    std::vector<std::thread> clients;
    for (int t = 0; t < threads; ++t) {
      clients.emplace_back([&, t] {
        std::binary_semaphore done(0);
        for (size_t i = base + static_cast<size_t>(t); i < base + kCommandsPerIteration;
             i += static_cast<size_t>(threads)) {
          {
            std::lock_guard lock(mu);
            queue.push_back({i, std::chrono::steady_clock::now(), &done});
          }
          cv.notify_one();
          done.acquire();
        }
      });
    }
    for (auto& c : clients) {
      c.join();
    }
    base += kCommandsPerIteration;
  }
  {
    std::lock_guard lock(mu);
    stop = true;
  }
  cv.notify_one();
  committer.join();
  if (!ok) {
    state.SkipWithError("insert failed");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kCommandsPerIteration));
  state.counters["mean_batch"] =
      commits == 0 ? 0.0 : static_cast<double>(committed) / static_cast<double>(commits);
  // The last iteration's commands, as for the engine.
  std::vector<std::int64_t> last(latency_us.end() - kCommandsPerIteration, latency_us.end());
  std::sort(last.begin(), last.end());
  auto percentile_ms = [&](double q) {
    return static_cast<double>(last[static_cast<size_t>(q * (last.size() - 1))]) / 1000;
  };
  state.counters["p50_ms"] = percentile_ms(0.50);
  state.counters["p99_ms"] = percentile_ms(0.99);
  state.counters["p999_ms"] = percentile_ms(0.999);
  state.counters["max_ms"] = percentile_ms(1.0);
}
BENCHMARK(BM_RawGroupCommitLatency)
    ->Arg(64)
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace concordat::bench
