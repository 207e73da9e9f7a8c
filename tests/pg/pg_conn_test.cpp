#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "pg_fixture.hpp"
#include "store/pg.hpp"

namespace concordat {
namespace {

TEST(PgConn, QueriesWithParametersAndNamesConflicts) {
  const std::string url = testing::FreshPgDatabase();
  ASSERT_FALSE(url.empty());
  auto c = pg::Conn::Open(url);
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_TRUE((*c)->Exec("CREATE TABLE t (k TEXT PRIMARY KEY, n BIGINT, b BYTEA)").ok());
  const std::string bytes("a\0b\xff", 4);
  auto ins = (*c)->Query("INSERT INTO t VALUES ($1, $2, $3)",
                         {pg::Param("it's"), pg::Param(std::int64_t{-7}), pg::Param::Bytes(bytes)});
  ASSERT_TRUE(ins.ok()) << ins.error().message;
  EXPECT_EQ(ins->Affected(), 1);
  auto again = (*c)->Query("INSERT INTO t (k) VALUES ($1)", {pg::Param("it's")});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict) << again.error().message;
  auto rows = (*c)->Query("SELECT k, n, b, NULL FROM t", {}, true);
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 1);
  EXPECT_EQ(rows->Text(0, 0), "it's");
  EXPECT_EQ(rows->View(0, 2), bytes);  // binary results: bytea as its bytes
  EXPECT_TRUE(rows->IsNull(0, 3));
  auto text = (*c)->Query("SELECT n FROM t WHERE k = $1", {pg::Param("it's")});
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->Int(0, 0), -7);
  auto bad = (*c)->Query("SELECT nonsense FROM t");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInternal);
  EXPECT_NE(bad.error().message.find("nonsense"), std::string::npos);
}

TEST(PgConn, DeliversNotificationsToAListener) {
  const std::string url = testing::FreshPgDatabase();
  ASSERT_FALSE(url.empty());
  auto listener = pg::Conn::Open(url);
  auto sender = pg::Conn::Open(url);
  ASSERT_TRUE(listener.ok() && sender.ok());
  ASSERT_TRUE((*listener)->Exec("LISTEN news").ok());
  auto none = (*listener)->WaitNotifications(10);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  ASSERT_TRUE((*sender)->Query("SELECT pg_notify('news', $1)", {pg::Param("42")}).ok());
  std::vector<std::string> got;
  for (int i = 0; i < 50 && got.empty(); ++i) {
    auto n = (*listener)->WaitNotifications(100);
    ASSERT_TRUE(n.ok());
    got = *n;
  }
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], "42");
}

TEST(PgConn, AnUnreachableServerIsUnavailableAndThePasswordIsNotShown) {
  auto c = pg::Conn::Open("postgresql://someone:secret@127.0.0.1:1/nowhere?connect_timeout=2");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(c.error().message.find("secret"), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find("someone:***@127.0.0.1"), std::string::npos)
      << c.error().message;
}

}  // namespace
}  // namespace concordat

namespace concordat {
namespace {

// The server drops a connection (a restart, a failover, an administrator): outside a
// transaction the next statement is sent again on a new connection; inside one the caller hears
// that the transaction is gone.
TEST(PgConn, AfterTheServerDropsTheConnectionTheNextStatementGoesThroughOnANewOne) {
  const std::string url = testing::FreshPgDatabase();
  ASSERT_FALSE(url.empty());
  auto c = pg::Conn::Open(url);
  auto admin = pg::Conn::Open(url);
  ASSERT_TRUE(c.ok() && admin.ok());
  auto drop = [&] {
    auto pid = (*c)->Query("SELECT pg_backend_pid()");
    ASSERT_TRUE(pid.ok());
    ASSERT_TRUE(
        (*admin)->Query("SELECT pg_terminate_backend($1)", {pg::Param(pid->Int(0, 0))}).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  };
  drop();
  auto one = (*c)->Query("SELECT 1");
  ASSERT_TRUE(one.ok()) << one.error().message;
  EXPECT_EQ(one->Int(0, 0), 1);
  EXPECT_EQ((*c)->resets(), 1);

  ASSERT_TRUE((*c)->Exec("BEGIN").ok());
  drop();
  auto inside = (*c)->Query("SELECT 1");
  ASSERT_FALSE(inside.ok());
  EXPECT_EQ(inside.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(inside.error().message.find('\n'), std::string::npos) << inside.error().message;
  EXPECT_TRUE((*c)->Query("SELECT 1").ok());  // and the connection is made again after it
}

}  // namespace
}  // namespace concordat
