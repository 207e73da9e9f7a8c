// The engine: the one writer. Commands queue here; a single thread takes them in batches,
// decides each against the current state, applies the resulting events, appends the whole batch
// to the log in one durable transaction (group commit), and only then replies to each command and
// publishes the events to subscribers in sequence order. Replies and publishing run on a
// completion thread of their own, batch by batch in commit order, so the writer goes straight on
// to the next batch (under load it spent about a seventh of its time there: copying the events
// for the stream, waking callers, freeing the batch).
//
// Idempotency: a command's command_id (scoped by user) is stored with its outcome in the same
// transaction; a retry returns the first outcome and appends nothing, across restarts too.
//
// Timers live in the domain state (see core/timers.hpp). The writer fires due timers before each
// batch (real clock) or as a virtual-clock advance passes them, in due order, with `now` set to
// each timer's due time, so a replay reproduces them exactly.
//
// Thread-safety: Submit/Execute/Read/Subscribe may be called from any thread. Read() takes a
// shared lock; the writer holds the exclusive lock from decide until the batch is durable, so
// readers never see state that is not yet committed.
//
// Example:
//   Engine engine(*log, clock, domain, {.ref = &refdata, .policy = &policy});
//   if (auto st = engine.Start(); !st.ok()) ...
//   Outcome o = engine.Execute(Command{"alert.acknowledge", "alert-1", {}, actor, "key-1"});
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <thread>

#include "core/domain.hpp"
#include "engine/clock.hpp"
#include "store/event_log.hpp"

namespace concordat {

// What a request asked for (type, target, body), as 32 hex digits of SHA-256: a retry with the
// same Idempotency-Key must ask for the same thing.
std::string RequestFingerprint(const Command& c);

// The command that moves a virtual clock forward by `delta`: its body carries the delta, so a key
// used again for another advance is told apart from a retry (RequestFingerprint).
Command ClockAdvanceCommand(Timestamp delta, const Actor& actor, std::string command_id);

struct Outcome {
  bool ok = false;
  Error error;
  boost::json::value reply;
  // `reply` as JSON text, when the engine wrote it for the stored outcome or the decider wrote
  // it directly for a caller that takes text (Command::reply_as_text; `reply` is then null);
  // empty otherwise. The HTTP layer sends it as it is rather than writing it again.
  std::string reply_text;
  int status = 200;
  std::uint64_t seq = 0;   // the log head after the command (ok outcomes)
  // The stream of the command's first event ("incident/inc-12"; ok outcomes that made events):
  // a caller that needs only the id of what it created reads it here, without a reply.
  std::string stream;
  bool duplicate = false;  // a retry answered from the stored first outcome
  // The stored outcome's: RequestFingerprint of the command that made it, so that a caller can
  // tell a retry of the same request from a key used again for another (the HTTP API refuses
  // that with 409). "" for outcomes stored before 2026-11-29.
  std::string request;

  std::string ToJsonText() const;
  static Outcome FromJsonText(const std::string& text);
  static Outcome Fail(Error e) {
    Outcome o;
    o.error = std::move(e);
    return o;
  }
};

struct EngineOptions {
  const RefData* ref = nullptr;
  const Policy* policy = nullptr;
  size_t max_batch = 1024;
  std::uint64_t snapshot_every = 50'000;  // events between snapshots
  // And at least this long (steady clock) between the starts of two snapshots: under a burst of
  // thousands of commands a second, 50,000 events come every second or two, and each snapshot
  // forks the process and encodes the whole state on the same cores. 0: no spacing (tests).
  std::chrono::milliseconds snapshot_min_interval{0};
  // True: a snapshot is encoded by a forked child process from the state as it was when due,
  // and stored by a thread of its own, so the writer does not wait for either (see
  // engine/forked_encoding.hpp). False, or if the process cannot fork: on the writer, holding
  // the state, as a test that counts snapshot positions needs.
  bool snapshot_in_background = true;
  // True: `done` callbacks and subscribers run on the engine's completion thread (see above).
  // False: on the writer, after each batch, which saves a hand-over per batch where the
  // callbacks are trivial and every core is busy anyway (the simulator).
  bool complete_off_writer = true;
};

struct EngineStats {
  std::atomic<std::uint64_t> commands{0};
  std::atomic<std::uint64_t> duplicates{0};
  std::atomic<std::uint64_t> rejected{0};
  std::atomic<std::uint64_t> commits{0};
  std::atomic<std::uint64_t> events{0};
  std::atomic<std::uint64_t> timers_fired{0};
  std::atomic<std::uint64_t> last_batch{0};
  std::atomic<std::uint64_t> max_batch{0};
  std::atomic<std::uint64_t> snapshots{0};
  std::atomic<std::uint64_t> snapshot_failures{0};  // encodings or saves that failed
  std::atomic<std::uint64_t> write_failures{0};     // batches the log could not write
  std::atomic<std::uint64_t> commit_micros_total{0};
  // A shared log (several servers): events other servers appended, applied here.
  std::atomic<std::uint64_t> others_events{0};
};

class Engine {
 public:
  using Done = std::function<void(Outcome)>;
  // A committed batch's events, shared by every subscriber (none copies them; the last to let go
  // frees them, off the writer).
  using EventBatch = std::shared_ptr<const std::vector<Event>>;
  using Subscriber = std::function<void(const EventBatch&)>;

  Engine(EventLog& log, Clock& clock, const Domain& domain, EngineOptions options);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Restores the newest snapshot, replays the log after it, and starts the writer thread.
  Status Start();
  // Finishes queued commands, then stops the writer. Idempotent.
  void Stop();

  // Queues a command; `done` runs on the completion thread (or the writer, see
  // EngineOptions::complete_off_writer) after the outcome is durable, after the subscribers have
  // had the batch's events. Keep it short (post elsewhere for real work).
  void Submit(Command command, Done done);
  // Submits and waits.
  Outcome Execute(Command command);

  // Real clock: while held, due timers wait (a seed recording a past sequence of commands holds
  // them so that a timer due in that past does not fire between two of its steps); on release
  // they fire in due order as usual.
  void HoldTimers(bool hold);

  // Virtual clock only: moves time forward by `delta`, firing due timers in order.
  // failed_precondition on a real clock.
  Outcome AdvanceClock(Timestamp delta, const Actor& actor, const std::string& command_id);
  // The same, queued in order with the commands and answered through `done` (the simulator keeps
  // the writer busy by never waiting). Errors as AdvanceClock, through `done`. `idempotent` as
  // Command::idempotent: false only for a caller that never sends an id twice (the simulator).
  void SubmitAdvance(Timestamp delta, const Actor& actor, std::string command_id, Done done,
                     bool idempotent = true);

  template <class F>
  auto Read(F&& f) const {
    std::shared_lock lock(mu_);
    return f(static_cast<const State&>(state_));
  }

  // A subscriber is called with each committed batch, in sequence order, on the completion
  // thread (see EngineOptions::complete_off_writer), before that batch's `done` callbacks. It
  // must not wait for the engine (Execute would never return).
  std::uint64_t Subscribe(Subscriber s);
  void Unsubscribe(std::uint64_t id);

  std::uint64_t HeadSeq() const { return head_seq_.load(std::memory_order_acquire); }
  // Why the last batch could not be written to the log, while the latest append failed ("" once
  // one succeeds again): nothing can be recorded meanwhile, and health says so.
  // With a shared log, also while its database cannot be reached (EventLog::Problem), which
  // an idle server learns from the log's listener before any command fails.
  std::string WriteProblem() const {
    if (!write_failing_.load(std::memory_order_acquire)) return log_.Problem();
    std::lock_guard lock(write_problem_mu_);
    return write_problem_;
  }
  const Clock& clock() const { return clock_; }
  const Policy& policy() const { return *options_.policy; }
  const RefData& ref() const { return *options_.ref; }
  const EngineStats& stats() const { return stats_; }
  EventLog& log() { return log_; }
  Context MakeContext(Timestamp now) const { return Context{now, options_.ref, options_.policy}; }
  // Replay timing from the last Start(), for metrics and benchmarks.
  std::uint64_t replayed_events() const { return replayed_events_; }

 private:
  struct Pending {
    Command command;
    Done done;
    Timestamp advance = 0;  // > 0: a virtual-clock advance request
  };
  struct BatchResult;
  // A batch's answers, run in commit order: its events to the subscribers, then each `done`.
  struct Completion {
    std::vector<Event> events;  // published as one EventBatch (none when empty)
    std::vector<Pending> batch;
    std::vector<Outcome> outcomes;  // one per batch entry
  };

  Status Restore();
  // After a batch failed: the state back as the log has it (Restore). If that fails too, the
  // state is marked stale and rebuilt before the next batch is decided. Writer only, under mu_.
  void Rebuild();
  // The latest write failed for `why`: health says so until one succeeds.
  void WriteFailed(const Error& why);
  // A shared log: applies the events after the state's head that other servers appended, and
  // adds them to `applied`. Writer only, under mu_.
  Status CatchUp(std::vector<Event>& applied);
  // A shared log, after Restore() put the state at the log's head: the events since the last
  // ones handed to the subscribers, which they must still see. Writer only, under mu_.
  std::vector<Event> Unpublished();
  // The time a command or timer is decided at: the clock, but with a shared log never before
  // the log's last event (another server's clock may be a little ahead of this one's).
  Timestamp DecisionTime() const;
  void WriterLoop();
  void ProcessBatch(std::vector<Pending>& batch);
  Outcome DecideOne(const Command& c, Timestamp now, BatchResult& out);
  void FireDueTimers(Timestamp until, bool set_virtual_clock, BatchResult& out);
  void Stamp(std::vector<NewEvent>&& news, Timestamp at, const Actor& actor,
             const std::string& command_id, BatchResult& out);
  std::optional<Outcome> FindPrior(const std::string& scoped_id, const BatchResult& batch);
  void MaybeSnapshot();
  bool SnapshotInBackground();  // under the writer's lock; false if it could not start
  void Publish(std::vector<Event>&& events);
  // Hands a batch's answers to the completion thread, or runs them here (see the option).
  void Complete(Completion c);
  // Fails every command of a batch that could not be committed (nothing of it was written).
  void FailAll(std::vector<Pending>& batch, const Error& why, std::vector<Event> events = {});
  // A shared log: hands events other servers appended, applied while idle, to the subscribers.
  void PublishApplied(std::vector<Event> events);
  void RunCompletion(Completion& c);
  void CompletionLoop();

  EventLog& log_;
  Clock& clock_;
  const Domain& domain_;
  EngineOptions options_;

  mutable std::shared_mutex mu_;  // guards state_
  State state_;
  std::atomic<std::uint64_t> head_seq_{0};
  std::uint64_t published_seq_ = 0;  // writer only: the last event handed to the subscribers
  bool state_stale_ = false;         // writer only: a Rebuild() failed (see there)
  // Writer only: after a failed write, a due timer waits until then before it is tried again.
  std::chrono::steady_clock::time_point retry_timers_after_{};
  // A shared log: another server appended (EventLog::Watch); the idle writer catches up.
  std::atomic<bool> catch_up_wanted_{false};
  std::atomic<bool> write_failing_{false};  // the latest append failed
  mutable std::mutex write_problem_mu_;
  std::string write_problem_;  // why, while write_failing_
  std::uint64_t last_snapshot_seq_ = 0;
  // When the last snapshot was started (EngineOptions::snapshot_min_interval); writer only.
  std::optional<std::chrono::steady_clock::time_point> last_snapshot_started_;
  // The thread storing a snapshot encoded in the background; one at a time.
  std::thread snapshot_thread_;
  std::atomic<bool> snapshot_busy_{false};
  std::uint64_t replayed_events_ = 0;

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  std::atomic<bool> timers_held_{false};
  std::thread writer_;

  std::mutex completion_mu_;
  std::condition_variable completion_cv_;
  std::deque<Completion> completions_;
  bool completions_stopping_ = false;
  std::thread completer_;

  std::mutex subs_mu_;
  std::map<std::uint64_t, Subscriber> subscribers_;
  std::uint64_t next_sub_ = 1;

  EngineStats stats_;
};

}  // namespace concordat
