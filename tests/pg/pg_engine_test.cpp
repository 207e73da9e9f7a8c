// Two engines — two servers — on one PostgreSQL log: one gapless sequence, every command once,
// every event seen by both servers' subscribers once and in order, a retry on the other server
// answered as the first, and a timer fired once.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "../unit/test_domain.hpp"
#include "engine/engine.hpp"
#include "pg_fixture.hpp"
#include "store/pg_event_log.hpp"

namespace concordat {
namespace {

const Actor kCtl{"user-ctl", "controller", "mps"};

Command Raise(const std::string& key, const std::string& msg = "hello") {
  return Command{"test.raise", "", {{"message", msg}}, kCtl, key};
}

// One server: its log connection, its engine, and what its subscribers were given.
struct Server {
  std::unique_ptr<EventLog> log;
  std::unique_ptr<Engine> engine;
  std::mutex mu;
  std::vector<std::uint64_t> seen;  // seqs published to this server's subscribers, in order

  std::vector<std::uint64_t> Seen() {
    std::lock_guard lock(mu);
    return seen;
  }
};

class TwoServers : public ::testing::Test {
 protected:
  TwoServers() { testing::RegisterTestDomain(domain_); }

  void SetUp() override {
    url_ = testing::FreshPgDatabase();
    ASSERT_FALSE(url_.empty());
    for (auto* s : {&a_, &b_}) Start(*s);
  }
  void TearDown() override {
    for (auto* s : {&a_, &b_}) {
      if (s->engine) s->engine->Stop();
    }
  }
  void Start(Server& s) {
    PgLogOptions lo;
    lo.watch_poll_ms = 200;
    auto log = OpenPgEventLog(url_, lo);
    ASSERT_TRUE(log.ok()) << log.error().message;
    s.log = std::move(*log);
    EngineOptions o;
    o.ref = &ref_;
    o.policy = &policy_;
    o.snapshot_every = 0;
    s.engine = std::make_unique<Engine>(*s.log, clock_, domain_, o);
    s.engine->Subscribe([&s](const Engine::EventBatch& batch) {
      std::lock_guard lock(s.mu);
      for (const auto& e : *batch) s.seen.push_back(e.seq);
    });
    ASSERT_TRUE(s.engine->Start().ok());
  }
  // Waits (bounded) until both servers' subscribers have seen `n` events.
  void AwaitBoth(size_t n) {
    for (int i = 0; i < 200 && (a_.Seen().size() < n || b_.Seen().size() < n); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  static void ExpectOneToN(const std::vector<std::uint64_t>& seqs, size_t n) {
    ASSERT_EQ(seqs.size(), n);
    for (size_t i = 0; i < n; ++i) {
      ASSERT_EQ(seqs[i], i + 1) << "at position " << i;
    }
  }

  std::string url_;
  RealClock clock_;
  Domain domain_;
  RefData ref_;
  Policy policy_;
  Server a_;
  Server b_;
};

TEST_F(TwoServers, CommandsOnBothMakeOneSequenceThatBothServersSee) {
  constexpr int kEach = 150;
  std::atomic<int> failed{0};
  auto drive = [&](Server& s, const std::string& name) {
    for (int i = 0; i < kEach; ++i) {
      Outcome o = s.engine->Execute(Raise(name + "-" + std::to_string(i)));
      if (!o.ok) failed.fetch_add(1);
    }
  };
  std::thread ta([&] { drive(a_, "a"); });
  std::thread tb([&] { drive(b_, "b"); });
  ta.join();
  tb.join();
  EXPECT_EQ(failed.load(), 0);
  AwaitBoth(2 * kEach);
  ExpectOneToN(a_.Seen(), 2 * kEach);
  ExpectOneToN(b_.Seen(), 2 * kEach);
  EXPECT_EQ(a_.engine->HeadSeq(), 2u * kEach);
  EXPECT_EQ(b_.engine->HeadSeq(), 2u * kEach);
  // Both states hold every alert: each server decided on the other's events too.
  const size_t alerts_a = a_.engine->Read([](const State& s) { return s.alerts.by_id.size(); });
  const size_t alerts_b = b_.engine->Read([](const State& s) { return s.alerts.by_id.size(); });
  EXPECT_EQ(alerts_a, 2u * kEach);
  EXPECT_EQ(alerts_b, 2u * kEach);
  auto report = a_.log->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(report->count, 2u * kEach);
  EXPECT_GT(b_.engine->stats().others_events.load(), 0u);
}

TEST_F(TwoServers, ARetryOnTheOtherServerIsAnsweredAsTheFirstAndAppendsNothing) {
  Outcome first = a_.engine->Execute(Raise("same-key", "one"));
  ASSERT_TRUE(first.ok) << first.error.message;
  Outcome again = b_.engine->Execute(Raise("same-key", "two"));
  ASSERT_TRUE(again.ok) << again.error.message;
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.seq, first.seq);
  EXPECT_EQ(b_.log->HeadSeq(), 1u);
  AwaitBoth(1);
  EXPECT_EQ(b_.Seen(), std::vector<std::uint64_t>{1});
}

TEST_F(TwoServers, ATimerFiresOnceThoughBothServersHoldIt) {
  Outcome armed =
      a_.engine->Execute(Command{"test.arm", "", {{"seconds", 1}, {"id", "t-1"}}, kCtl, "arm-1"});
  ASSERT_TRUE(armed.ok) << armed.error.message;
  // Both states hold the timer (b learns of it from the log); both writers wake when it is due.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  auto events = a_.log->ReadAfter(0, 100);
  ASSERT_TRUE(events.ok());
  int fired = 0;
  int rings = 0;
  for (const auto& e : *events) {
    if (e.type == "timer.fired") ++fired;
    if (e.type == "alert.raised") ++rings;
  }
  EXPECT_EQ(fired, 1);
  EXPECT_EQ(rings, 1);
  AwaitBoth(events->size());
  EXPECT_EQ(a_.Seen().size(), events->size());
  EXPECT_EQ(b_.Seen().size(), events->size());
}

TEST_F(TwoServers, AServerStartedLaterReplaysWhatTheOthersWrote) {
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(a_.engine->Execute(Raise("k" + std::to_string(i))).ok);
  Server c;
  Start(c);
  EXPECT_EQ(c.engine->HeadSeq(), 20u);
  ASSERT_TRUE(c.engine->Execute(Raise("from-c")).ok);
  AwaitBoth(21);
  ExpectOneToN(a_.Seen(), 21);
  c.engine->Stop();
}

}  // namespace
}  // namespace concordat
