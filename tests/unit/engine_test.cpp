#include "engine/engine.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include "test_domain.hpp"

namespace concordat {
namespace {

const Actor kCtl{"user-ctl", "controller", "mps"};
constexpr Timestamp kStart = 1'790'000'000'000'000;  // 2026-09-21

Command Raise(const std::string& key, const std::string& msg = "hello") {
  return Command{"test.raise", "", {{"message", msg}}, kCtl, key};
}

class EngineTest : public ::testing::Test {
 protected:
  EngineTest() : clock_(kStart) { testing::RegisterTestDomain(domain_); }
  // Snapshots on the writer unless asked otherwise: the tests that count where snapshots fall
  // need them at once; the background path has tests of its own below.
  std::unique_ptr<Engine> MakeEngine(std::uint64_t snapshot_every = 0, bool background = false,
                                     std::chrono::milliseconds snapshot_min_interval = {}) {
    EngineOptions o = Options(snapshot_every);
    o.snapshot_in_background = background;
    o.snapshot_min_interval = snapshot_min_interval;
    auto e = std::make_unique<Engine>(*log_, clock_, domain_, o);
    EXPECT_TRUE(e->Start().ok());
    return e;
  }
  // The fixture's reference data and policy; snapshots every `snapshot_every` events (0: none).
  EngineOptions Options(std::uint64_t snapshot_every = 0) {
    EngineOptions o;
    o.ref = &ref_;
    o.policy = &policy_;
    o.snapshot_every = snapshot_every;
    return o;
  }
  std::unique_ptr<EventLog> log_ = MakeMemoryEventLog();
  VirtualClock clock_;
  Domain domain_;
  RefData ref_;
  Policy policy_;
};

TEST_F(EngineTest, DecidesAppliesAndReplies) {
  auto e = MakeEngine();
  Outcome o = e->Execute(Raise("k1"));
  ASSERT_TRUE(o.ok) << o.error.message;
  EXPECT_EQ(o.status, 201);
  EXPECT_EQ(o.reply.at("alerts").to_number<std::int64_t>(), 1);
  EXPECT_EQ(o.seq, 1u);
  EXPECT_EQ(log_->HeadSeq(), 1u);
  auto ev = log_->ReadAfter(0, 10);
  EXPECT_EQ((*ev)[0].actor.user_id, "user-ctl");
  EXPECT_EQ((*ev)[0].command_id, "k1");
  EXPECT_EQ((*ev)[0].at, kStart);
}

// A stored outcome says which request made it (RequestFingerprint), so that the HTTP API can tell
// a retry of it from a key used again for another request: the same for the same type, target
// and body, different when any of them differs.
TEST_F(EngineTest, AStoredOutcomeCarriesTheFingerprintOfItsRequest) {
  auto e = MakeEngine();
  const Command first = Raise("key-1", "one");
  ASSERT_TRUE(e->Execute(first).ok);
  Outcome again = e->Execute(Raise("key-1", "two"));
  ASSERT_TRUE(again.duplicate);
  EXPECT_EQ(again.request, RequestFingerprint(first));
  EXPECT_NE(again.request, RequestFingerprint(Raise("key-1", "two")));
  EXPECT_EQ(again.request.size(), 32u);
  Command elsewhere = first;
  elsewhere.target = "somewhere";
  EXPECT_NE(RequestFingerprint(elsewhere), RequestFingerprint(first));
  EXPECT_EQ(log_->HeadSeq(), 1u);
}

TEST_F(EngineTest, BadInputIsAnErrorThatAppendsNothing) {
  auto e = MakeEngine();
  Outcome o = e->Execute(Command{"test.raise", "", {{"message", 5}}, kCtl, "k-bad"});
  EXPECT_FALSE(o.ok);
  EXPECT_EQ(o.error.code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(o.error.field, "message");
  EXPECT_EQ(log_->HeadSeq(), 0u);
}

TEST_F(EngineTest, RetriedCommandReturnsFirstOutcomeAndAppendsNothing) {
  auto e = MakeEngine();
  Outcome first = e->Execute(Raise("same-key", "one"));
  Outcome again = e->Execute(Raise("same-key", "two"));
  EXPECT_TRUE(again.ok);
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(boost::json::serialize(again.reply), boost::json::serialize(first.reply));
  EXPECT_EQ(log_->HeadSeq(), 1u);
  // The same key from another user is another command.
  Command other = Raise("same-key");
  other.actor.user_id = "user-other";
  EXPECT_FALSE(e->Execute(other).duplicate);
  EXPECT_EQ(log_->HeadSeq(), 2u);
}

// A caller that needs no reply (the simulator) gets `{}`, the same events and the same state; a
// retry of its id returns that outcome.
TEST_F(EngineTest, ACommandWithoutAReplyStillDecidesAppliesAndLogs) {
  auto e = MakeEngine();
  Command quiet = Raise("quiet-1", "no reply wanted");
  quiet.wants_reply = false;
  Outcome o = e->Execute(quiet);
  ASSERT_TRUE(o.ok) << o.error.message;
  EXPECT_EQ(o.status, 201);
  EXPECT_EQ(boost::json::serialize(o.reply), "{}");
  EXPECT_EQ(o.seq, 1u);
  Outcome loud = e->Execute(Raise("loud-1", "a reply wanted"));
  EXPECT_EQ(loud.reply.at("alerts").to_number<std::int64_t>(), 2);  // both were applied
  auto ev = log_->ReadAfter(0, 10);
  ASSERT_EQ(ev->size(), 2u);
  EXPECT_EQ((*ev)[0].command_id, "quiet-1");
  EXPECT_EQ((*ev)[0].data.at("message").as_string(), "no reply wanted");
  Outcome again = e->Execute(quiet);
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(boost::json::serialize(again.reply), "{}");
  EXPECT_EQ(log_->HeadSeq(), 2u);
}

TEST_F(EngineTest, ACommandThatIsNotIdempotentIsNeitherLookedUpNorRemembered) {
  auto e = MakeEngine();
  Command once = Raise("sim-1", "numbered by its sender");
  once.idempotent = false;
  once.wants_reply = false;
  Outcome first = e->Execute(once);
  ASSERT_TRUE(first.ok) << first.error.message;
  // Its outcome names the stream of its first event: a sender that wants only the created id
  // reads it there.
  auto ev = log_->ReadAfter(0, 10);
  ASSERT_EQ(ev->size(), 1u);
  EXPECT_FALSE(first.stream.empty());
  EXPECT_EQ(first.stream, (*ev)[0].stream);
  EXPECT_EQ((*ev)[0].command_id, "sim-1");  // the events still carry the id
  // Nothing was kept for a retry: the log holds no outcome, and the same id runs again.
  EXPECT_FALSE(log_->FindCommand(std::string(kCtl.user_id) + "\x1f" + "sim-1")->has_value());
  Outcome second = e->Execute(once);
  ASSERT_TRUE(second.ok);
  EXPECT_FALSE(second.duplicate);
  EXPECT_EQ(log_->HeadSeq(), 2u);
  // An idempotent command (every API command) with that id is still answered once only.
  Outcome a = e->Execute(Raise("sim-1", "idempotent"));
  Outcome b = e->Execute(Raise("sim-1", "idempotent"));
  EXPECT_FALSE(a.duplicate);
  EXPECT_TRUE(b.duplicate);
  EXPECT_EQ(log_->HeadSeq(), 3u);
}

TEST_F(EngineTest, RetryAcrossRestartIsStillIdempotent) {
  {
    auto e = MakeEngine();
    ASSERT_TRUE(e->Execute(Raise("before-restart")).ok);
  }
  auto e2 = MakeEngine();
  Outcome again = e2->Execute(Raise("before-restart"));
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(log_->HeadSeq(), 1u);
}

TEST_F(EngineTest, ReplayRebuildsTheSameState) {
  std::string before;
  {
    auto e = MakeEngine();
    for (int i = 0; i < 20; ++i) {
      ASSERT_TRUE(e->Execute(Raise("r" + std::to_string(i))).ok);
    }
    before = e->Read([](const State& s) { return boost::json::serialize(s.ToJson()); });
  }
  auto e2 = MakeEngine();
  EXPECT_EQ(e2->replayed_events(), 20u);
  EXPECT_EQ(e2->Read([](const State& s) { return boost::json::serialize(s.ToJson()); }), before);
}

// The JSON values a restored state keeps own their memory: none points into the parse of the
// snapshot, which is gone once start-up returns. (Boost.JSON copies an object with its source's
// memory resource; a vector of objects, such as a detention's checks, keeps it.)
TEST_F(EngineTest, ARestoredStateOwnsItsJson) {
  domain_.OnCommand(
      "test.check", [](const State&, const Command& c, const Context&) -> Result<Decision> {
        Decision d;
        d.events.push_back(
            NewEvent{"detention/d1", "test.checked", classification::kSystem, c.body});
        return d;
      });
  domain_.OnEvent("test.checked",
                  [](State& s, const Event& e) { s.mh.detentions["d1"].checks.push_back(e.data); });
  {
    auto e = MakeEngine(/*snapshot_every=*/5);
    for (int i = 0; i < 12; ++i) {
      ASSERT_TRUE(e->Execute(Command{"test.check",
                                     "",
                                     {{"n", i}, {"note", "checked"}},
                                     kCtl,
                                     "check-" + std::to_string(i)})
                      .ok);
    }
  }
  auto e2 = MakeEngine();
  EXPECT_LT(e2->replayed_events(), 12u) << "the restart did not start from a snapshot";
  const boost::json::storage_ptr plain;
  e2->Read([&](const State& s) {
    const auto& checks = s.mh.detentions.at("d1").checks;
    EXPECT_EQ(checks.size(), 12u);
    for (const auto& c : checks) {
      EXPECT_EQ(c.storage().get(), plain.get()) << boost::json::serialize(c);
    }
    return 0;
  });
}

TEST_F(EngineTest, SnapshotBoundsReplay) {
  std::string before;
  {
    auto e = MakeEngine(/*snapshot_every=*/10);
    for (int i = 0; i < 25; ++i) {
      ASSERT_TRUE(e->Execute(Raise("s" + std::to_string(i))).ok);
    }
    before = e->Read([](const State& s) { return boost::json::serialize(s.ToJson()); });
  }
  auto snap = log_->LatestSnapshot();
  ASSERT_TRUE(snap->has_value());
  EXPECT_GE((*snap)->seq, 20u);
  auto e2 = MakeEngine(10);
  EXPECT_LE(e2->replayed_events(), 5u);
  EXPECT_EQ(e2->Read([](const State& s) { return boost::json::serialize(s.ToJson()); }), before);
}

// Under a burst, snapshot_every events can come every second or two; the minimum interval keeps
// the snapshots (each a fork and an encoding of the whole state) apart, and none is lost: the
// first is taken as soon as it is due, and the next once the interval has passed.
TEST_F(EngineTest, SnapshotsAreKeptApartByTheMinimumInterval) {
  // A fresh log and an engine that would snapshot every 5 events, on the writer.
  auto start = [&](std::chrono::milliseconds interval) {
    log_ = MakeMemoryEventLog();
    return MakeEngine(/*snapshot_every=*/5, /*background=*/false, interval);
  };
  auto taken_after = [&](std::chrono::milliseconds interval, int commands) {
    auto e = start(interval);
    for (int i = 0; i < commands; ++i) {
      EXPECT_TRUE(e->Execute(Raise("b" + std::to_string(i))).ok);
    }
    return e->stats().snapshots.load();
  };
  EXPECT_EQ(taken_after(std::chrono::milliseconds(0), 30), 6u);  // every 5 events
  EXPECT_EQ(taken_after(std::chrono::hours(1), 30), 1u);  // the first, then none within the hour
  // A short interval: taken again once it has passed, at the next batch after it.
  auto e = start(std::chrono::milliseconds(500));
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(e->Execute(Raise("c" + std::to_string(i))).ok);
  EXPECT_EQ(e->stats().snapshots.load(), 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(550));
  ASSERT_TRUE(e->Execute(Raise("c-late")).ok);
  EXPECT_EQ(e->stats().snapshots.load(), 2u);
  auto snap = log_->LatestSnapshot();
  ASSERT_TRUE(snap.ok() && snap->has_value());
  EXPECT_EQ((*snap)->seq, 11u);
}

// The log of the test below: SaveSnapshot waits until the test opens the gate, so the test can
// act while a snapshot is being stored. Everything else goes to an in-memory log.
class GatedSnapshotLog final : public EventLog {
 public:
  explicit GatedSnapshotLog(std::unique_ptr<EventLog> inner) : inner_(std::move(inner)) {}
  Status Append(std::vector<Event>& events, const std::vector<CommandRecord>& commands) override {
    return inner_->Append(events, commands);
  }
  std::uint64_t HeadSeq() const override { return inner_->HeadSeq(); }
  std::string HeadHash() const override { return inner_->HeadHash(); }
  Result<std::vector<Event>> ReadAfter(std::uint64_t after, size_t limit) override {
    return inner_->ReadAfter(after, limit);
  }
  Result<std::vector<Event>> ReadStream(const std::string& stream, size_t limit) override {
    return inner_->ReadStream(stream, limit);
  }
  Result<std::optional<std::string>> FindCommand(const std::string& id) override {
    return inner_->FindCommand(id);
  }
  Status SaveSnapshot(const Snapshot& snapshot) override {
    entered_.set_value();
    gate_.wait();
    return inner_->SaveSnapshot(snapshot);
  }
  Result<std::optional<Snapshot>> LatestSnapshot() override { return inner_->LatestSnapshot(); }
  Result<VerifyReport> Verify() override { return inner_->Verify(); }

  std::promise<void> open_;
  std::shared_future<void> gate_ = open_.get_future().share();
  std::promise<void> entered_;

 private:
  std::unique_ptr<EventLog> inner_;
};

// The writer does not wait for a snapshot: it is encoded by a child process from the state as
// it was when due (copy-on-write), and stored by a thread of its own. While it is being stored,
// commands go on and are answered; the snapshot holds the state at its own seq, not the later
// one; a restart restores it and replays the rest.
TEST_F(EngineTest, ASnapshotIsTakenInTheBackgroundWhileCommandsGoOn) {
  auto gated = std::make_unique<GatedSnapshotLog>(MakeMemoryEventLog());
  GatedSnapshotLog& log = *gated;
  log_ = std::move(gated);
  std::future<void> entered = log.entered_.get_future();
  {
    auto e = MakeEngine(/*snapshot_every=*/5, /*background=*/true);
    // Submits and waits at most 10 s; a command that waits longer is waiting for the snapshot
    // (then the gate is opened, so that the engine can stop, and the test fails).
    auto answer_of = [&](const std::string& key) -> std::optional<Outcome> {
      auto answer = std::make_shared<std::promise<Outcome>>();
      auto answered = answer->get_future();
      e->Submit(Raise(key), [answer](Outcome o) { answer->set_value(std::move(o)); });
      if (answered.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
        log.open_.set_value();
        return std::nullopt;
      }
      return answered.get();
    };
    for (int i = 0; i < 5; ++i) {
      auto o = answer_of("before-" + std::to_string(i));
      ASSERT_TRUE(o.has_value()) << "a command waited for the snapshot to be stored";
      ASSERT_TRUE(o->ok) << o->error.message;
    }
    ASSERT_EQ(entered.wait_for(std::chrono::seconds(30)), std::future_status::ready)
        << "no snapshot was stored after 5 events";
    for (int i = 0; i < 7; ++i) {  // the snapshot is still being stored: the gate is shut
      auto o = answer_of("during-" + std::to_string(i));
      ASSERT_TRUE(o.has_value()) << "a command waited for the snapshot to be stored";
      ASSERT_TRUE(o->ok) << o->error.message;
    }
    EXPECT_EQ(e->stats().snapshots.load(), 0u);
    EXPECT_EQ(e->Read([](const State& s) { return s.alerts.by_id.size(); }), 12u);
    log.open_.set_value();
  }  // Stop waits for the snapshot under way
  auto snap = log_->LatestSnapshot();
  ASSERT_TRUE(snap.ok() && snap->has_value());
  EXPECT_EQ((*snap)->seq, 5u);
  auto restored = State::FromSnapshot((*snap)->state);
  ASSERT_TRUE(restored.ok()) << restored.error().message;
  EXPECT_EQ(restored->seq, 5u);
  EXPECT_EQ(restored->alerts.by_id.size(), 5u) << "the snapshot holds the state when it was due";
  auto e2 = MakeEngine();
  EXPECT_EQ(e2->replayed_events(), 7u);
  EXPECT_EQ(e2->Read([](const State& s) { return s.alerts.by_id.size(); }), 12u);
}

TEST_F(EngineTest, SnapshotsInTheBackgroundAreCounted) {
  {
    auto e = MakeEngine(/*snapshot_every=*/3, /*background=*/true);
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(e->Execute(Raise("s-" + std::to_string(i))).ok);
    }
    e->Stop();
    EXPECT_EQ(e->stats().snapshots.load(), 1u);
    EXPECT_EQ(e->stats().snapshot_failures.load(), 0u);
  }
  auto snap = log_->LatestSnapshot();
  ASSERT_TRUE(snap.ok() && snap->has_value());
  EXPECT_EQ((*snap)->seq, 3u);
}

TEST_F(EngineTest, TimersFireInOrderAtTheirDueTimesOnAdvance) {
  auto e = MakeEngine();
  ASSERT_TRUE(
      e->Execute(Command{"test.arm", "", {{"seconds", 120}, {"id", "late"}}, kCtl, "a1"}).ok);
  ASSERT_TRUE(
      e->Execute(Command{"test.arm", "", {{"seconds", 60}, {"id", "early"}}, kCtl, "a2"}).ok);
  Outcome none = e->AdvanceClock(Seconds(59), kCtl, "adv-1");
  ASSERT_TRUE(none.ok);
  EXPECT_EQ(e->Read([](const State& s) { return s.alerts.by_id.size(); }), 0u);
  ASSERT_TRUE(e->AdvanceClock(Seconds(100), kCtl, "adv-2").ok);
  auto events = *log_->ReadAfter(0, 100);
  std::vector<std::pair<std::string, Timestamp>> rings;
  for (const auto& ev : events) {
    if (ev.type == "alert.raised") {
      rings.emplace_back(std::string(ev.data.at("message").as_string()), ev.at);
    }
  }
  ASSERT_EQ(rings.size(), 2u);
  EXPECT_EQ(rings[0].first, "timer early");
  EXPECT_EQ(rings[0].second, kStart + Seconds(60));
  EXPECT_EQ(rings[1].first, "timer late");
  EXPECT_EQ(rings[1].second, kStart + Seconds(120));
  EXPECT_EQ(clock_.Now(), kStart + Seconds(159));
  EXPECT_EQ(e->Read([](const State& s) { return s.timers.size(); }), 0u);
}

// An advance is kept for retries like any command with an id, unless its caller says it never
// sends an id twice (the simulator): then a second use of the id moves the clock again.
TEST_F(EngineTest, AnAdvanceIsRememberedOnlyWhenIdempotent) {
  auto e = MakeEngine();
  const auto advance = [&](const std::string& id, bool idempotent) {
    std::promise<Outcome> p;
    e->SubmitAdvance(
        Seconds(10), kCtl, id, [&p](Outcome o) { p.set_value(std::move(o)); }, idempotent);
    return p.get_future().get();
  };
  ASSERT_TRUE(advance("adv-kept", true).ok);
  ASSERT_TRUE(advance("adv-kept", true).ok);  // a retry: answered, the clock not moved again
  EXPECT_EQ(clock_.Now(), kStart + Seconds(10));
  ASSERT_TRUE(log_->FindCommand(std::string(kCtl.user_id) + "\x1f" + "adv-kept").ok());
  EXPECT_TRUE(log_->FindCommand(std::string(kCtl.user_id) + "\x1f" + "adv-kept")->has_value());
  ASSERT_TRUE(advance("sim-clock-1", false).ok);
  ASSERT_TRUE(advance("sim-clock-1", false).ok);
  EXPECT_EQ(clock_.Now(), kStart + Seconds(30));
  EXPECT_FALSE(log_->FindCommand(std::string(kCtl.user_id) + "\x1f" + "sim-clock-1")->has_value());
}

TEST_F(EngineTest, RealClockRefusesAdvance) {
  RealClock real;
  EngineOptions o;
  Engine e(*log_, real, domain_, o);
  ASSERT_TRUE(e.Start().ok());
  EXPECT_EQ(e.AdvanceClock(Seconds(1), kCtl, "x").error.code, ErrorCode::kFailedPrecondition);
}

TEST_F(EngineTest, SubscribersSeeCommittedEventsInOrder) {
  auto e = MakeEngine();
  std::mutex mu;
  std::vector<std::uint64_t> seen;
  e->Subscribe([&](const Engine::EventBatch& evs) {
    std::lock_guard lock(mu);
    for (const auto& ev : *evs) {
      seen.push_back(ev.seq);
    }
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        ASSERT_TRUE(e->Execute(Raise("t" + std::to_string(t) + "-" + std::to_string(i))).ok);
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  std::lock_guard lock(mu);
  ASSERT_EQ(seen.size(), 100u);
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i], i + 1);
  }
}

// Answers run on the completion thread: a `done` that takes its time (a slow client's reply, a
// subscriber) does not keep the writer from committing the next batch, and answers still come in
// commit order. With complete_off_writer = false the writer itself is held up, as it used to be.
TEST_F(EngineTest, AnAnswerThatTakesItsTimeDoesNotHoldUpTheNextCommit) {
  for (const bool off_writer : {true, false}) {
    SCOPED_TRACE(off_writer ? "off the writer" : "on the writer");
    log_ = MakeMemoryEventLog();
    EngineOptions o = Options();
    o.complete_off_writer = off_writer;
    Engine e(*log_, clock_, domain_, o);
    ASSERT_TRUE(e.Start().ok());
    std::promise<void> entered;
    std::promise<void> release;
    auto released = release.get_future().share();
    std::mutex mu;
    std::vector<std::string> order;
    e.Submit(Raise(off_writer ? "a1" : "a0"), [&](Outcome out) {
      EXPECT_TRUE(out.ok);
      entered.set_value();
      released.wait();
      std::lock_guard lock(mu);
      order.push_back("a");
    });
    entered.get_future().wait();
    std::promise<void> b_done;
    e.Submit(Raise(off_writer ? "b1" : "b0"), [&](Outcome out) {
      EXPECT_TRUE(out.ok);
      {
        std::lock_guard lock(mu);
        order.push_back("b");
      }
      b_done.set_value();
    });
    // Up to 5 s for the second command to be committed while the first answer is still running.
    bool committed = false;
    for (int i = 0; i < 500 && !committed; ++i) {
      committed = e.HeadSeq() >= 2;
      if (!committed) std::this_thread::sleep_for(std::chrono::milliseconds(off_writer ? 10 : 1));
    }
    EXPECT_EQ(committed, off_writer);
    {
      std::lock_guard lock(mu);
      EXPECT_TRUE(order.empty());  // b's answer waits behind a's, whichever thread runs them
    }
    release.set_value();
    b_done.get_future().wait();
    EXPECT_EQ(e.HeadSeq(), 2u);
    std::lock_guard lock(mu);
    EXPECT_EQ(order, (std::vector<std::string>{"a", "b"}));
    e.Stop();
  }
}

// A log that refuses appends, reads of command ids or reads of events while asked to.
class FailingLog final : public EventLog {
 public:
  explicit FailingLog(EventLog& inner) : inner_(inner) {}
  std::atomic<bool> fail_append{false};
  std::atomic<bool> fail_find{false};
  std::atomic<bool> fail_read{false};
  Status Append(std::vector<Event>& events, const std::vector<CommandRecord>& commands) override {
    if (fail_append) return Error::Unavailable("disk full");
    return inner_.Append(events, commands);
  }
  std::uint64_t HeadSeq() const override { return inner_.HeadSeq(); }
  std::string HeadHash() const override { return inner_.HeadHash(); }
  Result<std::vector<Event>> ReadAfter(std::uint64_t after, size_t limit) override {
    if (fail_read) return Error::Unavailable("disk unreadable");
    return inner_.ReadAfter(after, limit);
  }
  Result<std::vector<Event>> ReadStream(const std::string& stream, size_t limit) override {
    return inner_.ReadStream(stream, limit);
  }
  Result<std::optional<std::string>> FindCommand(const std::string& id) override {
    if (fail_find) return Error::Unavailable("disk unreadable");
    return inner_.FindCommand(id);
  }
  Status SaveSnapshot(const Snapshot& snapshot) override { return inner_.SaveSnapshot(snapshot); }
  Result<std::optional<Snapshot>> LatestSnapshot() override { return inner_.LatestSnapshot(); }
  Result<VerifyReport> Verify() override { return inner_.Verify(); }

 private:
  EventLog& inner_;
};

// A batch the log refuses fails whole, through the same ordered answers as a committed one: every
// command is told why, nothing of it stays in the state, and the engine goes on afterwards.
TEST_F(EngineTest, ABatchTheLogRefusesFailsEveryCommandAndChangesNothing) {
  FailingLog failing(*log_);
  Engine e(failing, clock_, domain_, Options());
  ASSERT_TRUE(e.Start().ok());
  ASSERT_TRUE(e.Execute(Raise("before")).ok);
  const auto alerts = [&] { return e.Read([](const State& s) { return s.alerts.by_id.size(); }); };
  ASSERT_EQ(alerts(), 1u);

  failing.fail_append = true;
  Outcome refused = e.Execute(Raise("refused"));
  EXPECT_FALSE(refused.ok);
  EXPECT_EQ(refused.error.code, ErrorCode::kUnavailable);
  EXPECT_NE(refused.error.message.find("could not be written: disk full"), std::string::npos);
  EXPECT_EQ(alerts(), 1u);  // the state is as the log has it
  EXPECT_EQ(log_->HeadSeq(), 1u);
  // Health reports it (WriteProblem) until a write succeeds again.
  EXPECT_NE(e.WriteProblem().find("disk full"), std::string::npos);
  EXPECT_EQ(e.stats().write_failures.load(), 1u);

  failing.fail_append = false;
  failing.fail_find = true;
  Outcome unread = e.Execute(Raise("unread"));
  EXPECT_EQ(unread.error.code, ErrorCode::kUnavailable);
  EXPECT_NE(unread.error.message.find("could not be read"), std::string::npos);

  failing.fail_find = false;
  Outcome again = e.Execute(Raise("refused"));  // the same id: it was never stored
  ASSERT_TRUE(again.ok) << again.error.message;
  EXPECT_FALSE(again.duplicate);
  EXPECT_EQ(alerts(), 2u);
  EXPECT_EQ(log_->HeadSeq(), 2u);
  EXPECT_EQ(e.WriteProblem(), "");
}

// A failed append is followed by a rebuild of the state from the log; when the log cannot be
// read then either, the state may hold the refused batch's events, so nothing is decided on it
// until a rebuild succeeds — and then every command sees only what the log holds.
TEST_F(EngineTest, NothingIsDecidedOnAStateTheLogCouldNotRebuild) {
  FailingLog failing(*log_);
  Engine e(failing, clock_, domain_, Options());
  ASSERT_TRUE(e.Start().ok());
  ASSERT_TRUE(e.Execute(Raise("before")).ok);
  failing.fail_append = true;
  failing.fail_read = true;
  EXPECT_FALSE(e.Execute(Raise("refused")).ok);
  failing.fail_append = false;
  Outcome waiting = e.Execute(Raise("while-unreadable"));
  EXPECT_FALSE(waiting.ok);
  EXPECT_EQ(waiting.error.code, ErrorCode::kUnavailable);
  EXPECT_NE(waiting.error.message.find("rebuilt"), std::string::npos) << waiting.error.message;
  EXPECT_EQ(log_->HeadSeq(), 1u);
  failing.fail_read = false;
  Outcome after = e.Execute(Raise("after"));
  ASSERT_TRUE(after.ok) << after.error.message;
  EXPECT_EQ(after.seq, 2u);  // continues the log, not the refused batch
  EXPECT_EQ(e.Read([](const State& s) { return s.alerts.by_id.size(); }), 2u);
  auto report = log_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok);
}

TEST_F(EngineTest, StopAnswersEveryCommandQueuedBeforeIt) {
  auto e = MakeEngine();
  std::atomic<int> answered{0};
  std::atomic<int> ok{0};
  for (int i = 0; i < 300; ++i) {
    e->Submit(Raise("q" + std::to_string(i)), [&](Outcome out) {
      ok.fetch_add(out.ok ? 1 : 0);
      answered.fetch_add(1);
    });
  }
  e->Stop();
  EXPECT_EQ(answered.load(), 300);
  EXPECT_EQ(ok.load(), 300);
  EXPECT_EQ(log_->HeadSeq(), 300u);
}

}  // namespace
}  // namespace concordat
