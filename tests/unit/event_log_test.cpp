#include "store/event_log.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/json.hpp>
#include <chrono>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <thread>
#include <tuple>

#include "store/hash_chain.hpp"
#include "store/sqlite.hpp"
#include "store/sqlite_event_log.hpp"

namespace concordat {
namespace {

std::vector<Event> Batch(std::uint64_t first, int n) {
  std::vector<Event> out;
  for (int i = 0; i < n; ++i) {
    Event e;
    e.seq = first + static_cast<std::uint64_t>(i);
    e.at = 1'700'000'000'000'000 + static_cast<Timestamp>(e.seq);
    e.stream = "incident/1";
    e.type = "test.happened";
    e.actor = {"user-a", "controller", "mps"};
    e.command_id = "cmd-" + std::to_string(e.seq);
    e.classification = "operational";
    e.data = {{"n", e.seq}};
    out.push_back(e);
  }
  return out;
}

std::string TempDb(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("concordat-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return (dir / "concordat.db").string();
}

class EventLogTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "memory") {
      log_ = MakeMemoryEventLog();
    } else {
      path_ = TempDb(::testing::UnitTest::GetInstance()->current_test_info()->name());
      log_ = std::move(*OpenSqliteEventLog(path_));
    }
  }
  std::unique_ptr<EventLog> log_;
  std::string path_;
};

TEST_P(EventLogTest, AppendsGaplessAndChainsHashes) {
  auto b1 = Batch(1, 3);
  ASSERT_TRUE(log_->Append(b1, {{"cmd-x", R"({"ok":true})"}}).ok());
  auto b2 = Batch(4, 2);
  ASSERT_TRUE(log_->Append(b2, {}).ok());
  EXPECT_EQ(log_->HeadSeq(), 5u);
  auto all = log_->ReadAfter(0, 100);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 5u);
  EXPECT_EQ((*all)[0].prev_hash, "");
  for (size_t i = 1; i < all->size(); ++i) {
    EXPECT_EQ((*all)[i].prev_hash, (*all)[i - 1].hash);
    EXPECT_EQ((*all)[i].hash, EventHash((*all)[i]));
  }
  EXPECT_EQ((*all)[4].data.at("n").to_number<std::int64_t>(), 5);
  auto report = log_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok);
  EXPECT_EQ(report->count, 5u);
  EXPECT_EQ(report->head_hash, log_->HeadHash());
}

TEST_P(EventLogTest, RefusesAGapAndWritesNothing) {
  auto b1 = Batch(1, 2);
  ASSERT_TRUE(log_->Append(b1, {}).ok());
  auto gap = Batch(4, 1);
  EXPECT_FALSE(log_->Append(gap, {{"cmd-gap", "{}"}}).ok());
  EXPECT_EQ(log_->HeadSeq(), 2u);
  EXPECT_FALSE(log_->FindCommand("cmd-gap")->has_value());
}

TEST_P(EventLogTest, StoresCommandOutcomes) {
  auto b = Batch(1, 1);
  ASSERT_TRUE(log_->Append(b, {{"user-a\x1fkey-1", R"({"ok":true,"status":201})"}}).ok());
  auto found = log_->FindCommand("user-a\x1fkey-1");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, R"({"ok":true,"status":201})");
  EXPECT_FALSE(log_->FindCommand("user-b\x1fkey-1")->has_value());
}

TEST_P(EventLogTest, KeepsTheNewestSnapshot) {
  {
    auto st = log_->SaveSnapshot({10, "{\"a\":1}"});
    ASSERT_TRUE(st.ok()) << st.error().message;
  }
  ASSERT_TRUE(log_->SaveSnapshot({20, "{\"a\":2}"}).ok());
  auto s = log_->LatestSnapshot();
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(s->has_value());
  EXPECT_EQ((*s)->seq, 20u);
  EXPECT_EQ((*s)->state, "{\"a\":2}");
}

// Snapshots are binary (State::ToSnapshot): every byte value, NUL included, comes back as saved.
TEST_P(EventLogTest, KeepsSnapshotBytesExactly) {
  std::string bytes;
  for (int i = 0; i < 512; ++i) bytes.push_back(static_cast<char>(i % 256));
  ASSERT_TRUE(log_->SaveSnapshot({30, bytes}).ok());
  auto s = log_->LatestSnapshot();
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(s->has_value());
  EXPECT_EQ((*s)->state.size(), bytes.size());
  EXPECT_EQ((*s)->state, bytes);
}

// A large state's snapshot is stored in parts (SQLite holds at most 1 GB in one value): here parts
// of 100 bytes. The newest comes back whole, after a reopen too; only the two newest are kept,
// parts included.
TEST(SqliteSnapshotParts, ASnapshotInManyPartsComesBackWhole) {
  const std::string path = TempDb("snapshot-parts");
  SqliteLogOptions options;
  options.snapshot_part_bytes = 100;
  auto bytes_of = [](size_t n, int salt) {
    std::string b;
    for (size_t i = 0; i < n; ++i) b.push_back(static_cast<char>((i * 7 + salt) % 256));
    return b;
  };
  {
    auto log = std::move(*OpenSqliteEventLog(path, options));
    ASSERT_TRUE(log->SaveSnapshot({10, bytes_of(1050, 1)}).ok());
    ASSERT_TRUE(log->SaveSnapshot({20, bytes_of(150, 2)}).ok());
    ASSERT_TRUE(log->SaveSnapshot({30, bytes_of(1001, 3)}).ok());
    auto s = log->LatestSnapshot();
    ASSERT_TRUE(s.ok() && s->has_value());
    EXPECT_EQ((*s)->seq, 30u);
    EXPECT_EQ((*s)->state, bytes_of(1001, 3));
  }
  auto log = std::move(*OpenSqliteEventLog(path, options));
  auto s = log->LatestSnapshot();
  ASSERT_TRUE(s.ok() && s->has_value());
  EXPECT_EQ((*s)->state, bytes_of(1001, 3));
  auto db = std::move(*sqlite::Db::Open(path));
  auto q = std::move(*db->Prepare(
      "SELECT seq, COUNT(*), SUM(length(bytes)) FROM snapshot_parts GROUP BY seq ORDER BY seq"));
  std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t>> rows;
  while (*q.Step()) rows.emplace_back(q.Int(0), q.Int(1), q.Int(2));
  // seq 10's ten further parts are gone; 20 has one (50 bytes), 30 has ten (901 bytes).
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], std::make_tuple(20, 1, 50));
  EXPECT_EQ(rows[1], std::make_tuple(30, 10, 901));
}

INSTANTIATE_TEST_SUITE_P(Both, EventLogTest, ::testing::Values("memory", "sqlite"));

// A save cut short (the process killed between parts) leaves parts without a head row: they are
// never read as a snapshot, and the next save removes them.
TEST(SqliteSnapshotParts, PartsOfASaveCutShortAreNeverRead) {
  const std::string path = TempDb("snapshot-cut-short");
  SqliteLogOptions options;
  options.snapshot_part_bytes = 100;
  auto log = std::move(*OpenSqliteEventLog(path, options));
  ASSERT_TRUE(log->SaveSnapshot({30, std::string(250, 'a')}).ok());
  {
    auto db = std::move(*sqlite::Db::Open(path));
    ASSERT_TRUE(db->Exec("INSERT INTO snapshot_parts (seq, part, bytes) VALUES "
                         "(40, 1, x'0102'), (40, 2, x'0304')")
                    .ok());
  }
  auto s = log->LatestSnapshot();
  ASSERT_TRUE(s.ok() && s->has_value());
  EXPECT_EQ((*s)->seq, 30u);
  EXPECT_EQ((*s)->state, std::string(250, 'a'));
  ASSERT_TRUE(log->SaveSnapshot({50, std::string(120, 'b')}).ok());
  auto db = std::move(*sqlite::Db::Open(path));
  auto q = std::move(*db->Prepare("SELECT COUNT(*) FROM snapshot_parts WHERE seq = 40"));
  ASSERT_TRUE(*q.Step());
  EXPECT_EQ(q.Int(0), 0);
  s = log->LatestSnapshot();
  ASSERT_TRUE(s.ok() && s->has_value());
  EXPECT_EQ((*s)->seq, 50u);
  EXPECT_EQ((*s)->state, std::string(120, 'b'));
}

// Each part is a transaction of its own, so appends go on while a large snapshot is stored (in
// one transaction they waited for all of it). The test appends, from the first part on, and
// counts the appends that both began and ended while the save was under way.
TEST(SqliteSnapshotParts, AppendsGoOnWhileASnapshotIsStored) {
  const std::string path = TempDb("snapshot-while-appending");
  SqliteLogOptions options;
  options.snapshot_part_bytes = 64 << 10;
  auto log = std::move(*OpenSqliteEventLog(path, options));
  std::string bytes(256 * (64 << 10), '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7 % 256);
  std::atomic<bool> saving{true};
  auto saved = std::async(std::launch::async, [&] {
    auto st = log->SaveSnapshot({1, bytes});
    saving = false;
    return st;
  });
  // Appends start once a part is visible to another connection: in one transaction that is when
  // the whole snapshot is.
  {
    auto db = std::move(*sqlite::Db::Open(path));
    auto parts = std::move(*db->Prepare("SELECT COUNT(*) FROM snapshot_parts WHERE seq = 1"));
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (saving && std::chrono::steady_clock::now() < give_up) {
      const bool some = *parts.Step() && parts.Int(0) > 0;
      parts.Reset();
      if (some) break;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  }
  int during = 0;
  std::uint64_t seq = 1;
  for (int i = 0; i < 5000 && saving; ++i) {
    auto b = Batch(seq, 1);
    const bool began_during = saving;
    ASSERT_TRUE(log->Append(b, {}).ok());
    ++seq;
    if (began_during && saving) ++during;
  }
  const Status st = saved.get();
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_GE(during, 3) << "appends waited for the whole snapshot";
  auto s = log->LatestSnapshot();
  ASSERT_TRUE(s.ok() && s->has_value());
  EXPECT_EQ((*s)->state, bytes);
  EXPECT_EQ(log->HeadSeq(), seq - 1);
  auto report = log->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->problem;
}

// Tampering behind the program's back, directly in the SQLite file.
class TamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = TempDb(::testing::UnitTest::GetInstance()->current_test_info()->name());
    auto log = std::move(*OpenSqliteEventLog(path_));
    auto b = Batch(1, 7);
    ASSERT_TRUE(log->Append(b, {{"cmd-1", R"({"ok":true,"status":201,"reply":{},"seq":7})"}}).ok());
    auto c = Batch(8, 3);
    ASSERT_TRUE(
        log->Append(c, {{"cmd-2", R"({"ok":true,"status":201,"reply":{},"seq":10})"}}).ok());
  }
  void Sql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  VerifyReport Verify() { return *(*OpenSqliteEventLog(path_))->Verify(); }
  std::string path_;
};

TEST_F(TamperTest, FindsAnEditedPayload) {
  Sql("UPDATE events SET payload = '{\"n\":999}' WHERE seq = 6");
  auto r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 6u);
  EXPECT_EQ(r.count, 5u);  // the events before it were whole
  EXPECT_NE(r.problem.find("altered"), std::string::npos);
}

TEST_F(TamperTest, FindsAnEditedActorEvenWithARecomputedHash) {
  // Re-hashing the edited row alone breaks the next event's link.
  Sql("UPDATE events SET actor_user = 'someone-else', hash = 'ff' WHERE seq = 3");
  auto r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 3u);
}

TEST_F(TamperTest, FindsADeletedEvent) {
  Sql("DELETE FROM events WHERE seq = 4");
  auto r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 4u);
  EXPECT_NE(r.problem.find("missing"), std::string::npos);
}

// The chain cannot show that nothing followed its last event; the outcome of the command answered
// at seq 10, stored with those events, can.
TEST_F(TamperTest, FindsEventsRemovedFromTheEnd) {
  Sql("DELETE FROM events WHERE seq > 7");
  auto r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.count, 7u);
  EXPECT_EQ(r.first_bad_seq, 8u);
  EXPECT_NE(r.problem.find("the log ends at seq 7, but a command's stored outcome was answered at "
                           "seq 10: events after 7 have been removed"),
            std::string::npos)
      << r.problem;
}

TEST_F(TamperTest, WholeLogVerifies) {
  auto r = Verify();
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.count, 10u);
}

// Verify checks a thousand events at a time: a change is found, and named by its own seq, on
// either side of a batch's edge and deep in a later batch, and a whole long log verifies.
TEST(TamperLongLog, FindsAnEditAnywhereAcrossVerifysBatches) {
  const std::string path = TempDb("tamper-long");
  {
    auto log = std::move(*OpenSqliteEventLog(path));
    for (std::uint64_t seq = 1; seq <= 2500; seq += 100) {
      auto b = Batch(seq, 100);
      ASSERT_TRUE(log->Append(b, {}).ok());
    }
    auto whole = log->Verify();
    ASSERT_TRUE(whole.ok());
    EXPECT_TRUE(whole->ok) << whole->problem;
    EXPECT_EQ(whole->count, 2500u);
    EXPECT_EQ(whole->head_hash, log->HeadHash());
  }
  for (std::uint64_t bad : {1024u, 1025u, 2222u, 2500u}) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const std::string edit =
        "UPDATE events SET stream = stream || 'x' WHERE seq = " + std::to_string(bad);
    ASSERT_EQ(sqlite3_exec(db, edit.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    auto report = (*OpenSqliteEventLog(path))->Verify();
    ASSERT_TRUE(report.ok());
    EXPECT_FALSE(report->ok);
    EXPECT_EQ(report->first_bad_seq, bad);
    EXPECT_NE(report->problem.find("altered"), std::string::npos) << report->problem;
    const std::string undo =
        "UPDATE events SET stream = substr(stream, 1, length(stream) - 1) "
        "WHERE seq = " +
        std::to_string(bad);
    ASSERT_EQ(sqlite3_exec(db, undo.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
}

// Commits do not checkpoint (that fsync of the database file was the commit-latency tail): a
// thread of the log's own does, while the log is open. Without it the pages would stay in the WAL
// until the last connection closed.
TEST(SqliteCheckpoint, PagesReachTheDatabaseFileWhileTheLogIsOpen) {
  const std::string path = TempDb("checkpoint");
  auto log = std::move(*OpenSqliteEventLog(path));
  const auto main_size = [&] { return std::filesystem::file_size(path); };
  const auto before = main_size();
  std::uint64_t seq = 1;
  for (int batch = 0; batch < 60; ++batch) {  // 60 x 50 events of ~4 KB: about 3,000 WAL pages
    auto events = Batch(seq, 50);
    for (auto& e : events) {
      e.data["pad"] = std::string(4000, 'x');
    }
    ASSERT_TRUE(log->Append(events, {}).ok());
    seq += 50;
  }
  for (int i = 0; i < 200 && main_size() < before + 8'000'000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  EXPECT_GE(main_size(), before + 8'000'000) << "checkpoints did not copy the WAL into the file";
  EXPECT_EQ(log->HeadSeq(), seq - 1);
  auto report = log->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok);
  EXPECT_EQ(report->count, seq - 1);
}

// What another store writes to the file on a connection of its own (accounts, access log: no
// automatic checkpoint) is copied into the file by the log's thread too, with no log commit.
TEST(SqliteCheckpoint, OtherConnectionsOfTheFileAreCheckpointedToo) {
  const std::string path = TempDb("others");
  auto log = std::move(*OpenSqliteEventLog(path));
  auto other = std::move(*sqlite::Db::Open(path));
  ASSERT_TRUE(other->Exec("CREATE TABLE scratch (t TEXT)").ok());
  const auto before = std::filesystem::file_size(path);
  for (int i = 0; i < 200; ++i) {  // 200 commits of ~16 KB: about 800 WAL pages
    ASSERT_TRUE(
        other->Exec("INSERT INTO scratch VALUES ('" + std::string(16'000, 'z') + "')").ok());
  }
  for (int i = 0; i < 200 && std::filesystem::file_size(path) < before + 3'000'000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  EXPECT_GE(std::filesystem::file_size(path), before + 3'000'000)
      << "nothing checkpointed what the other connection wrote";
}

// Under steady writing the WAL is rewound, so it stays bounded instead of growing with the log.
TEST(SqliteCheckpoint, TheWalStaysBoundedUnderSteadyWriting) {
  const std::string path = TempDb("rewind");
  SqliteLogOptions options;
  options.checkpoint_pages = 64;
  options.rewind_pages = 256;
  options.catch_up_pages = 64;
  options.writer_checkpoint_pages = 1024;
  auto log = std::move(*OpenSqliteEventLog(path, options));
  const std::string wal = path + "-wal";
  const auto wal_size = [&] {
    return std::filesystem::exists(wal) ? std::filesystem::file_size(wal) : std::uintmax_t{0};
  };
  std::uintmax_t largest = 0;
  std::uint64_t seq = 1;
  for (int batch = 0; batch < 300; ++batch) {  // 300 x 10 events of ~4 KB: about 6,000 pages
    auto events = Batch(seq, 10);
    for (auto& e : events) {
      e.data["pad"] = std::string(4000, 'y');
    }
    ASSERT_TRUE(log->Append(events, {}).ok());
    seq += 10;
    largest = std::max(largest, wal_size());
  }
  constexpr std::uintmax_t kFrame = 4096 + 24;
  // The writer's own fallback is 1,024 frames; one commit adds a few dozen more.
  EXPECT_LT(largest, (1024 + 100) * kFrame) << "the WAL was not rewound";
  EXPECT_GT(largest, 0u);
  EXPECT_GE(std::filesystem::file_size(path), 12'000'000u);
  auto report = log->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok);
  EXPECT_EQ(report->count, seq - 1);
}

// The checkpoint thread copies without fsync, so the WAL must not be rewound over the pages it
// copied before the database file holds them durably. While the thread waits just before its
// fsync, commits must go on appending to the WAL instead of starting it again; once it has
// synced, the WAL is rewound as usual.
TEST(SqliteCheckpoint, TheWalIsNotRewoundBeforeTheCopiedPagesAreDurable) {
  const std::string path = TempDb("durable-copy");
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> syncs{0};
  SqliteLogOptions options;
  options.checkpoint_pages = 1;
  options.rewind_pages = 1'000'000;  // the writer copies nothing itself here
  options.writer_checkpoint_pages = 1'000'000;
  options.before_checkpoint_sync = [&] {
    if (syncs.fetch_add(1) == 0) {
      entered.set_value();
      released.wait();
    }
  };
  auto log = std::move(*OpenSqliteEventLog(path, options));
  // Declared after the log, so destroyed first: the thread is never left waiting.
  struct Releaser {
    std::promise<void>& p;
    bool done = false;
    void operator()() {
      if (!done) {
        done = true;
        p.set_value();
      }
    }
    ~Releaser() { (*this)(); }
  } let_go{release};
  // The WAL header's checkpoint sequence number and salts: all change when the WAL is rewound.
  const auto header = [&] {
    std::ifstream f(path + "-wal", std::ios::binary);
    std::string h(12, '\0');
    f.seekg(12);
    f.read(h.data(), 12);
    return h;
  };
  std::uint64_t seq = 1;
  const auto append = [&](int n) {
    auto events = Batch(seq, n);
    seq += static_cast<std::uint64_t>(n);
    return log->Append(events, {}).ok();
  };
  ASSERT_TRUE(append(5));
  ASSERT_EQ(entered.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready)
      << "the thread never copied the whole WAL";
  const std::string before = header();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(append(3));
    EXPECT_EQ(header(), before) << "the WAL was rewound before the copied pages were synced";
  }
  let_go();
  // The commits above asked for another copy: with nothing committed since, it is complete and
  // synced, and the WAL may then be rewound. (Each commit wakes the thread here, and a copy only
  // reaches what was committed before its previous round, so while commits keep coming every
  // copy is partial; a second without one lets the thread's timed round catch up.)
  for (int i = 0; i < 1000 && syncs.load() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(syncs.load(), 2) << "the thread never copied the rest";
  bool rewound = false;
  for (int i = 0; i < 5 && !rewound; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    ASSERT_TRUE(append(1));
    rewound = header() != before;
  }
  EXPECT_TRUE(rewound) << "the WAL was never rewound after the sync";
  auto report = log->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok);
  EXPECT_EQ(report->count, seq - 1);
}

// An incident's timeline comes from the stream index up to its position and from the events after
// it: whole and in order at every point of the index's rounds (written a chunk per commit), and
// after a restart in the middle of one.
TEST(SqliteStreamIndex, TimelinesAreWholeAcrossRoundsAndRestarts) {
  const std::string path = TempDb("stream-index");
  SqliteLogOptions options;
  options.stream_index_every = 16;  // rounds of 16 or more entries, 2 per commit
  std::map<std::string, std::vector<std::uint64_t>> expected;
  std::uint64_t seq = 1;
  auto log = std::move(*OpenSqliteEventLog(path, options));
  const auto append = [&](int n) {
    auto events = Batch(seq, n);
    for (auto& e : events) {
      e.stream = "incident/" + std::to_string(e.seq * 7 % 5);
      expected[e.stream].push_back(e.seq);
    }
    seq += static_cast<std::uint64_t>(n);
    ASSERT_TRUE(log->Append(events, {}).ok());
  };
  const auto check = [&](const std::string& when) {
    for (const auto& [stream, seqs] : expected) {
      auto got = log->ReadStream(stream, 100000);
      ASSERT_TRUE(got.ok()) << when;
      std::vector<std::uint64_t> got_seqs;
      for (const auto& e : *got) {
        got_seqs.push_back(e.seq);
        EXPECT_EQ(e.stream, stream) << when;
      }
      EXPECT_EQ(got_seqs, seqs) << stream << " " << when;
    }
  };
  for (int i = 0; i < 20; ++i) {
    append(3);
    check("after batch " + std::to_string(i));
  }
  log.reset();  // mid-round, most likely: 60 events, rounds of 16+ written 2 entries a commit
  log = std::move(*OpenSqliteEventLog(path, options));
  check("after the restart");
  for (int i = 0; i < 20; ++i) {
    append(4);
    check("after batch " + std::to_string(20 + i));
  }
  const auto limited = log->ReadStream("incident/2", 3);
  ASSERT_TRUE(limited.ok());
  ASSERT_EQ(limited->size(), 3u);
  EXPECT_EQ((*limited)[2].seq, expected["incident/2"][2]);
  log.reset();
  // The index is in use: most events are in it, and none past its position.
  auto db = std::move(*sqlite::Db::Open(path));
  auto upto = db->Prepare("SELECT value FROM log_meta WHERE key = 'indexed_upto'");
  ASSERT_TRUE(upto.ok() && *upto->Step());
  EXPECT_GE(upto->Int(0), 100);
  auto beyond = db->Prepare(
      "SELECT COUNT(*) FROM stream_index WHERE seq > (SELECT value FROM log_meta)");
  ASSERT_TRUE(beyond.ok() && *beyond->Step());
  auto total = db->Prepare("SELECT COUNT(*) FROM stream_index");
  ASSERT_TRUE(total.ok() && *total->Step());
  EXPECT_GE(total->Int(0), upto->Int(0));
}

// A log written with the old index on events (stream, seq) moves its entries into the stream
// index when it is opened, and the old index is gone.
TEST(SqliteStreamIndex, AnOldLogsIndexIsMovedOnce) {
  const std::string path = TempDb("stream-index-old");
  {
    auto log = std::move(*OpenSqliteEventLog(path));
    auto events = Batch(1, 30);
    for (auto& e : events) {
      e.stream = e.seq % 2 == 0 ? "incident/even" : "incident/odd";
    }
    ASSERT_TRUE(log->Append(events, {}).ok());
  }
  {
    // As a file of the old format: the index on events, no stream index.
    auto db = std::move(*sqlite::Db::Open(path));
    ASSERT_TRUE(db->Exec("DELETE FROM stream_index; DELETE FROM log_meta; "
                         "CREATE INDEX events_by_stream ON events (stream, seq);")
                    .ok());
  }
  auto log = std::move(*OpenSqliteEventLog(path));
  auto odd = log->ReadStream("incident/odd", 100);
  ASSERT_TRUE(odd.ok());
  ASSERT_EQ(odd->size(), 15u);
  EXPECT_EQ(odd->front().seq, 1u);
  EXPECT_EQ(odd->back().seq, 29u);
  log.reset();
  auto db = std::move(*sqlite::Db::Open(path));
  auto old = db->Prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'events_by_stream'");
  ASSERT_TRUE(old.ok() && *old->Step());
  EXPECT_EQ(old->Int(0), 0);
  auto moved = db->Prepare("SELECT COUNT(*) FROM stream_index");
  ASSERT_TRUE(moved.ok() && *moved->Step());
  EXPECT_EQ(moved->Int(0), 30);
  auto upto = db->Prepare("SELECT value FROM log_meta WHERE key = 'indexed_upto'");
  ASSERT_TRUE(upto.ok() && *upto->Step());
  EXPECT_EQ(upto->Int(0), 30);
}

}  // namespace
}  // namespace concordat
