// The PostgreSQL event log: the same rows, hashes and outcomes as the other logs, and what
// several writers on one database need (the append lock, the head as the database has it,
// notifications).
#include "store/pg_event_log.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "pg_fixture.hpp"
#include "store/hash_chain.hpp"
#include "store/pg.hpp"

namespace concordat {
namespace {

std::vector<Event> Batch(std::uint64_t first, int n, const std::string& stream = "incident/1") {
  std::vector<Event> out;
  for (int i = 0; i < n; ++i) {
    Event e;
    e.seq = first + static_cast<std::uint64_t>(i);
    e.at = 1'700'000'000'000'000 + static_cast<Timestamp>(e.seq);
    e.stream = stream;
    e.type = "test.happened";
    e.actor = {"user-a", "controller", "mps"};
    e.command_id = "cmd-" + std::to_string(e.seq);
    e.classification = "operational";
    e.data = {{"n", e.seq}, {"text", "it's \"quoted\" \\ and ünïcode"}};
    out.push_back(e);
  }
  return out;
}

std::unique_ptr<EventLog> Open(const std::string& url, PgLogOptions o = {}) {
  auto log = OpenPgEventLog(url, o);
  EXPECT_TRUE(log.ok()) << log.error().message;
  return log.ok() ? std::move(*log) : nullptr;
}

TEST(PgEventLog, HashesAsTheOtherLogsAndReadsBack) {
  const std::string url = testing::FreshPgDatabase();
  ASSERT_FALSE(url.empty());
  auto log = Open(url);
  ASSERT_TRUE(log);
  auto memory = MakeMemoryEventLog();
  auto b1 = Batch(1, 3);
  auto m1 = b1;
  ASSERT_TRUE(log->Append(b1, {{"user-a\x1fkey-1", R"({"ok":true})"}}).ok());
  ASSERT_TRUE(memory->Append(m1, {}).ok());
  auto b2 = Batch(4, 2, "incident/2");
  auto m2 = b2;
  ASSERT_TRUE(log->Append(b2, {}).ok());
  ASSERT_TRUE(memory->Append(m2, {}).ok());
  EXPECT_EQ(log->HeadSeq(), 5u);
  EXPECT_EQ(log->HeadHash(), memory->HeadHash());  // the same chain, byte for byte
  auto all = log->ReadAfter(0, 100);
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), 5u);
  for (size_t i = 0; i < all->size(); ++i) {
    EXPECT_EQ((*all)[i].hash, EventHash((*all)[i]));
    EXPECT_EQ((*all)[i].prev_hash, i == 0 ? "" : (*all)[i - 1].hash);
  }
  EXPECT_EQ((*all)[4].data.at("text").as_string(), "it's \"quoted\" \\ and ünïcode");
  auto stream = log->ReadStream("incident/2", 10);
  ASSERT_TRUE(stream.ok());
  ASSERT_EQ(stream->size(), 2u);
  EXPECT_EQ((*stream)[0].seq, 4u);
  auto found = log->FindCommands({"user-a\x1fkey-1", "user-b\x1fkey-1", "with \"quotes\" {,}"});
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->at("user-a\x1fkey-1"), R"({"ok":true})");
  auto report = log->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok);
  EXPECT_EQ(report->count, 5u);
  EXPECT_EQ(report->head_hash, log->HeadHash());
  // A second process (another server, or verify) opening the database finds the same head.
  auto again = Open(url);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->HeadSeq(), 5u);
  EXPECT_EQ(again->HeadHash(), log->HeadHash());
}

TEST(PgEventLog, RefusesAGapAndWritesNothing) {
  const std::string url = testing::FreshPgDatabase();
  ASSERT_FALSE(url.empty());
  auto log = Open(url);
  ASSERT_TRUE(log);
  auto b1 = Batch(1, 2);
  ASSERT_TRUE(log->Append(b1, {}).ok());
  auto gap = Batch(4, 1);
  EXPECT_FALSE(log->Append(gap, {{"cmd-gap", "{}"}}).ok());
  EXPECT_EQ(log->HeadSeq(), 2u);
  EXPECT_FALSE(log->FindCommand("cmd-gap")->has_value());
  auto next = Batch(3, 1);
  EXPECT_TRUE(log->Append(next, {}).ok());  // the failed append left no lock or transaction
}

TEST(PgEventLog, VerifyFindsARowEditedBehindItsBack) {
  const std::string url = testing::FreshPgDatabase();
  ASSERT_FALSE(url.empty());
  auto log = Open(url);
  ASSERT_TRUE(log);
  for (std::uint64_t at = 1; at <= 3000; at += 500) {
    auto b = Batch(at, 500);
    ASSERT_TRUE(log->Append(b, {}).ok());
  }
  auto sql = pg::Conn::Open(url);
  ASSERT_TRUE(sql.ok());
  ASSERT_TRUE((*sql)->Exec("UPDATE events SET payload = '{\"n\":9999}' WHERE seq = 2049").ok());
  PgLogOptions reader;
  reader.writer = false;
  auto check = Open(url, reader);
  ASSERT_TRUE(check);
  auto report = check->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->first_bad_seq, 2049u);
  EXPECT_EQ(report->count, 2048u);
  auto b = Batch(3001, 1);
  EXPECT_EQ(check->Append(b, {}).error().code, ErrorCode::kFailedPrecondition);  // a reader
}

TEST(PgEventLog, SnapshotsInPartsComeBackWholeAndOnlyTheTwoNewestAreKept) {
  const std::string url = testing::FreshPgDatabase();
  ASSERT_FALSE(url.empty());
  PgLogOptions o;
  o.snapshot_part_bytes = 100;
  auto log = Open(url, o);
  ASSERT_TRUE(log);
  std::string bytes;
  for (int i = 0; i < 1050; ++i) bytes.push_back(static_cast<char>(i % 256));  // NULs too
  for (std::uint64_t seq : {10u, 20u, 30u}) {
    auto st = log->SaveSnapshot({seq, bytes + std::to_string(seq)});
    ASSERT_TRUE(st.ok()) << st.error().message;
  }
  auto s = Open(url)->LatestSnapshot();
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_TRUE(s->has_value());
  EXPECT_EQ((*s)->seq, 30u);
  EXPECT_EQ((*s)->state, bytes + "30");
  auto sql = pg::Conn::Open(url);
  auto heads = (*sql)->Query("SELECT seq FROM snapshots ORDER BY seq");
  ASSERT_TRUE(heads.ok());
  ASSERT_EQ(heads->size(), 2);
  EXPECT_EQ(heads->Int(0, 0), 20);
  auto parts = (*sql)->Query("SELECT count(*) FROM snapshot_parts WHERE seq = 10");
  EXPECT_EQ(parts->Int(0, 0), 0);
}

// Two servers: the second's append lock waits for the first's batch; its head is the database's
// when it gets the lock, and an append that does not continue that head is refused.
TEST(PgEventLog, TwoWritersTakeTurnsOnOneSequence) {
  const std::string url = testing::FreshPgDatabase();
  ASSERT_FALSE(url.empty());
  auto a = Open(url);
  auto b = Open(url);
  ASSERT_TRUE(a && b);
  auto head_a = a->BeginBatch();
  ASSERT_TRUE(head_a.ok());
  EXPECT_EQ(*head_a, 0u);
  std::atomic<bool> b_has_lock{false};
  std::uint64_t head_b = 999;
  std::thread other([&] {
    auto h = b->BeginBatch();
    head_b = h.ok() ? *h : 999;
    b_has_lock = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(b_has_lock.load());  // waiting for a's batch
  auto batch = Batch(1, 2);
  ASSERT_TRUE(a->Append(batch, {}).ok());
  other.join();
  EXPECT_TRUE(b_has_lock.load());
  EXPECT_EQ(head_b, 2u);
  EXPECT_EQ(b->HeadHash(), a->HeadHash());
  auto stale = Batch(1, 1);  // as if b had not seen a's events
  EXPECT_EQ(b->Append(stale, {}).error().code, ErrorCode::kAborted);
  auto next = Batch(3, 1);
  ASSERT_TRUE(b->Append(next, {}).ok());
  auto report = a->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok);
  EXPECT_EQ(report->count, 3u);
  // EndBatch without an append lets the lock go too.
  ASSERT_TRUE(a->BeginBatch().ok());
  a->EndBatch();
  auto last = Batch(4, 1);
  EXPECT_TRUE(b->Append(last, {}).ok());
}

TEST(PgEventLog, AWatcherHearsAnotherWritersAppendsButNotItsOwn) {
  const std::string url = testing::FreshPgDatabase();
  ASSERT_FALSE(url.empty());
  auto a = Open(url);
  auto b = Open(url);
  ASSERT_TRUE(a && b);
  std::atomic<int> heard{0};
  b->Watch([&] { heard.fetch_add(1); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // LISTEN is in place
  auto own = Batch(1, 1);
  ASSERT_TRUE(b->Append(own, {}).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(heard.load(), 0);
  auto theirs = Batch(2, 1);
  ASSERT_TRUE(a->Append(theirs, {}).ok());
  for (int i = 0; i < 50 && heard.load() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GE(heard.load(), 1);
  b->Watch({});
  const int before = heard.load();
  auto more = Batch(3, 1);
  ASSERT_TRUE(a->Append(more, {}).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(heard.load(), before);  // stopped
}

// Every connection of both logs dropped by the server (a PostgreSQL restart): the writer appends
// again at once, and the watcher listens again and hears the other writer.
TEST(PgEventLog, AfterTheServerDropsEveryConnectionWritersAndWatchersCarryOn) {
  const std::string url = testing::FreshPgDatabase();
  ASSERT_FALSE(url.empty());
  PgLogOptions o;
  o.watch_poll_ms = 5000;  // longer than the test waits: only a notification can be heard
  auto a = Open(url, o);
  auto b = Open(url, o);
  ASSERT_TRUE(a && b);
  std::atomic<int> heard{0};
  b->Watch([&] { heard.fetch_add(1); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto admin = pg::Conn::Open(url);
  ASSERT_TRUE(admin.ok());
  auto dropped = (*admin)->Query(
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
      "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  ASSERT_TRUE(dropped.ok()) << dropped.error().message;
  EXPECT_GE(dropped->Int(0, 0), 7);  // a's three, b's three and b's listener
  std::this_thread::sleep_for(std::chrono::milliseconds(700));  // the listener makes a new one
  auto batch = Batch(1, 1);
  auto st = a->Append(batch, {});
  ASSERT_TRUE(st.ok()) << st.error().message;
  for (int i = 0; i < 100 && heard.load() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GE(heard.load(), 1);
  auto read = b->ReadAfter(0, 10);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->size(), 1u);
  b->Watch({});
}

TEST(PgEventLog, AnUnreachableDatabaseIsAClearError) {
  auto log = OpenPgEventLog("postgresql://concordat@127.0.0.1:1/none?connect_timeout=2");
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(log.error().message.find("cannot connect to PostgreSQL"), std::string::npos)
      << log.error().message;
}

}  // namespace
}  // namespace concordat

namespace concordat {
namespace {

// A watching log whose database goes away says so (health reads it), and stops saying so when
// the database is back.
TEST(PgEventLog, AWatcherSaysWhenTheDatabaseCannotBeReached) {
  const std::string url = testing::FreshPgDatabase();
  ASSERT_FALSE(url.empty());
  PgLogOptions o;
  o.watch_poll_ms = 100;
  auto log = Open(url, o);
  ASSERT_TRUE(log);
  log->Watch([] {});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(log->Problem(), "");
  // The database is dropped under it: every connection ends and none can be made again.
  auto admin = pg::Conn::Open(std::string(std::getenv("CONCORDAT_TEST_PG_URL")));
  ASSERT_TRUE(admin.ok());
  const std::string name = url.substr(url.rfind('/') + 1);
  ASSERT_TRUE((*admin)->Exec("DROP DATABASE " + name + " WITH (FORCE)").ok());
  std::string problem;
  for (int i = 0; i < 100 && problem.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    problem = log->Problem();
  }
  EXPECT_NE(problem.find("PostgreSQL"), std::string::npos) << problem;
  ASSERT_TRUE((*admin)->Exec("CREATE DATABASE " + name).ok());
  for (int i = 0; i < 100 && !problem.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    problem = log->Problem();
  }
  EXPECT_EQ(problem, "");
  log->Watch({});
}

}  // namespace
}  // namespace concordat
