// The access log on PostgreSQL: the same answers as on SQLite (each case runs on both), and the
// log of several servers on one database — each server's rows, once Record() returned, are read
// by every other.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <latch>
#include <set>
#include <thread>

#include "pg_fixture.hpp"
#include "store/access_log.hpp"
#include "store/pg.hpp"

namespace concordat {
namespace {

constexpr Timestamp kNow = 1'795'773'600'000'000;

AccessEntry Entry(Timestamp at, const std::string& user, const std::string& what) {
  return AccessEntry{0,    at,         user,           "controller", "mps",     "consultation",
                     what, "location", "current work", "",           "incident"};
}

std::vector<std::string> Whats(const std::vector<AccessEntry>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.what);
  return out;
}

// One log on SQLite (the reference) or on PostgreSQL, by the test's parameter.
class AccessLogOnBoth : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const auto at = testing::FreshStoreLocation(GetParam(), "access-log-both");
    url_ = at.url;
    dir_ = at.dir;
    ASSERT_FALSE(url_.empty() && dir_.empty());
    log_ = OpenLog();
    ASSERT_NE(log_, nullptr);
  }
  void TearDown() override {
    log_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::unique_ptr<AccessLog> OpenLog() {
    auto l = url_.empty() ? AccessLog::Open(dir_ + "/store.db") : AccessLog::OpenPostgres(url_);
    EXPECT_TRUE(l.ok()) << l.error().message;
    return l.ok() ? std::move(*l) : nullptr;
  }
  std::vector<AccessEntry> Query(const AccessQuery& q) {
    auto rows = log_->Query(q);
    EXPECT_TRUE(rows.ok()) << rows.error().message;
    return rows.ok() ? *rows : std::vector<AccessEntry>{};
  }

  std::string url_;
  std::string dir_;
  std::unique_ptr<AccessLog> log_;
};

INSTANTIATE_TEST_SUITE_P(Stores, AccessLogOnBoth, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

TEST_P(AccessLogOnBoth, AnEntryComesBackWithEveryFieldAndAnId) {
  const AccessEntry e{0,
                      kNow,
                      "user-clinician",
                      "clinician",
                      "trust-slam",
                      "disclosure",
                      "incident/inc-12",
                      "health,location",
                      "street triage: O'Brien's referral?",  // quotes and a '?' stay text
                      "trust-slam",
                      "GET /api/incidents/inc-12"};
  ASSERT_TRUE(log_->Record(e).ok());
  ASSERT_TRUE(log_->RecordMany({}).ok());
  const auto rows = Query({});
  ASSERT_EQ(rows.size(), 1u);
  const AccessEntry& r = rows[0];
  EXPECT_GT(r.id, 0);
  EXPECT_EQ(r.at, e.at);
  EXPECT_EQ(r.user_id, e.user_id);
  EXPECT_EQ(r.role, e.role);
  EXPECT_EQ(r.agency_id, e.agency_id);
  EXPECT_EQ(r.action, e.action);
  EXPECT_EQ(r.what, e.what);
  EXPECT_EQ(r.categories, e.categories);
  EXPECT_EQ(r.justification, e.justification);
  EXPECT_EQ(r.recipient, e.recipient);
  EXPECT_EQ(r.route, e.route);
}

TEST_P(AccessLogOnBoth, QueriesFilterByUserPrefixExactNamesAndTimeInOrder) {
  ASSERT_TRUE(log_->RecordMany({Entry(kNow, "user-a", "incident/inc-1"),
                                Entry(kNow + 1, "user-b", "incident/inc-12"),
                                Entry(kNow + 2, "user-a", "person/p-3"),
                                Entry(kNow + 3, "user-b", "incident/inc-2"),
                                Entry(kNow + 4, "user-a", "incident/inc-1")})
                  .ok());
  EXPECT_EQ(Whats(Query({})),
            (std::vector<std::string>{"incident/inc-1", "incident/inc-12", "person/p-3",
                                      "incident/inc-2", "incident/inc-1"}));
  AccessQuery by_user;
  by_user.user_id = "user-b";
  EXPECT_EQ(Whats(Query(by_user)), (std::vector<std::string>{"incident/inc-12", "incident/inc-2"}));
  AccessQuery prefix;
  prefix.what_prefix = "incident/inc-1";  // a prefix: inc-12 too
  EXPECT_EQ(Whats(Query(prefix)),
            (std::vector<std::string>{"incident/inc-1", "incident/inc-12", "incident/inc-1"}));
  AccessQuery exact;
  exact.whats = {"incident/inc-2", "person/p-3", "incident/none"};
  EXPECT_EQ(Whats(Query(exact)), (std::vector<std::string>{"person/p-3", "incident/inc-2"}));
  AccessQuery window;  // from inclusive, to exclusive
  window.from = kNow + 1;
  window.to = kNow + 4;
  EXPECT_EQ(Whats(Query(window)),
            (std::vector<std::string>{"incident/inc-12", "person/p-3", "incident/inc-2"}));
  AccessQuery all_of_them;
  all_of_them.user_id = "user-a";
  all_of_them.what_prefix = "incident/";
  all_of_them.from = kNow + 1;
  EXPECT_EQ(Whats(Query(all_of_them)), (std::vector<std::string>{"incident/inc-1"}));
  AccessQuery limited;
  limited.limit = 2;
  const auto first_two = Query(limited);
  ASSERT_EQ(first_two.size(), 2u);
  EXPECT_EQ(first_two[0].at, kNow);
  EXPECT_LT(first_two[0].id, first_two[1].id);
  AccessQuery nobody;
  nobody.user_id = "user-c";
  EXPECT_TRUE(Query(nobody).empty());
}

TEST_P(AccessLogOnBoth, EntriesFromManyThreadsAllLandOnceAndInEachThreadsOrder) {
  constexpr int kThreads = 8;
  constexpr int kEach = 40;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        if (!log_->Record(Entry(kNow + i, "user-" + std::to_string(t), "n/" + std::to_string(i)))
                 .ok()) {
          ++failures;
        }
      }
    });
  }
  // More rows at once than one INSERT statement carries.
  std::vector<AccessEntry> many;
  for (int i = 0; i < 250; ++i) many.push_back(Entry(kNow, "user-many", "m/" + std::to_string(i)));
  ASSERT_TRUE(log_->RecordMany(many).ok());
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  AccessQuery q;
  q.limit = 10'000;
  const auto rows = Query(q);
  ASSERT_EQ(rows.size(), static_cast<size_t>(kThreads * kEach + 250));
  std::set<std::int64_t> ids;
  for (const auto& r : rows) ids.insert(r.id);
  EXPECT_EQ(ids.size(), rows.size());
  for (int t = 0; t < kThreads; ++t) {
    AccessQuery mine;
    mine.user_id = "user-" + std::to_string(t);
    const auto got = Query(mine);
    ASSERT_EQ(got.size(), static_cast<size_t>(kEach));
    for (int i = 0; i < kEach; ++i) EXPECT_EQ(got[i].what, "n/" + std::to_string(i));
  }
  AccessQuery batch;
  batch.user_id = "user-many";
  const auto got = Query(batch);
  ASSERT_EQ(got.size(), 250u);
  EXPECT_EQ(got.front().what, "m/0");
  EXPECT_EQ(got.back().what, "m/249");
}

TEST_P(AccessLogOnBoth, WhatWasRecordedIsThereWhenTheLogIsOpenedAgain) {
  ASSERT_TRUE(log_->Record(Entry(kNow, "user-a", "person/p-1")).ok());
  log_.reset();
  log_ = OpenLog();
  ASSERT_NE(log_, nullptr);
  ASSERT_TRUE(log_->Record(Entry(kNow + 1, "user-a", "person/p-2")).ok());
  EXPECT_EQ(Whats(Query({})), (std::vector<std::string>{"person/p-1", "person/p-2"}));
}

// Two servers on one PostgreSQL database.
TEST(AccessLogTwoServers, WhatOneRecordedIsReadByTheOtherAsSoonAsRecordReturns) {
  const std::string url = testing::FreshPgDatabase();
  ASSERT_FALSE(url.empty());
  auto a = AccessLog::OpenPostgres(url);
  auto b = AccessLog::OpenPostgres(url);
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok()) << b.error().message;
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE((*a)->Record(Entry(kNow + i, "user-a", "person/p-" + std::to_string(i))).ok());
    AccessQuery q;
    q.whats = {"person/p-" + std::to_string(i)};
    auto seen = (*b)->Query(q);
    ASSERT_TRUE(seen.ok()) << seen.error().message;
    ASSERT_EQ(seen->size(), 1u) << "entry " << i;
    EXPECT_EQ((*seen)[0].user_id, "user-a");
  }
  // Committed, not merely visible to the writer's own connection.
  auto raw = pg::Conn::Open(url);
  ASSERT_TRUE(raw.ok());
  auto count = (*raw)->Query("SELECT COUNT(*) FROM access_log");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(count->Int(0, 0), 20);
}

TEST(AccessLogTwoServers, BothServersAppendAtOnceAndEachReadsEveryRow) {
  const std::string url = testing::FreshPgDatabase();
  ASSERT_FALSE(url.empty());
  std::vector<std::unique_ptr<AccessLog>> logs;
  for (int s = 0; s < 2; ++s) {
    auto l = AccessLog::OpenPostgres(url);
    ASSERT_TRUE(l.ok()) << l.error().message;
    logs.push_back(std::move(*l));
  }
  constexpr int kEach = 100;
  std::latch start(4);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < kEach; ++i) {
        if (!logs[t % 2]->Record(Entry(kNow, "user-" + std::to_string(t), "x")).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  for (const auto& log : logs) {
    AccessQuery q;
    q.limit = 10'000;
    auto rows = log->Query(q);
    ASSERT_TRUE(rows.ok());
    EXPECT_EQ(rows->size(), static_cast<size_t>(4 * kEach));
  }
}

}  // namespace
}  // namespace concordat
