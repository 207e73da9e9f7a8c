// The command line on a shared PostgreSQL store (`--database`), as an operator of several servers
// uses it: the first administrator added before any server runs (no demo), calls imported while
// a server runs (it sees them at once), reports and verify read the same database.
#include <gtest/gtest.h>

#include <array>
#include <boost/json.hpp>
#include <cstdio>
#include <thread>

#include "pg_fixture.hpp"
#include "support/test_server.hpp"

namespace concordat::testing {
namespace {

using std::chrono::milliseconds;

struct Ran {
  int status = -1;
  std::string out;
};

Ran Concordat(const std::string& args) {
  Ran r;
  FILE* p = ::popen((std::string(CONCORDAT_BINARY) + " " + args + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf{};
  while (size_t n = std::fread(buf.data(), 1, buf.size(), p)) r.out.append(buf.data(), n);
  const int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

TEST(CommandLineOnPostgres, FirstAdminImportReportsAndVerify) {
  const std::string url = FreshPgDatabase();
  ASSERT_FALSE(url.empty());
  const std::string db = "--database '" + url + "'";

  // Listing the accounts of a database that has none is a wrong database: said, nothing made.
  auto wrong = Concordat("users list " + db);
  EXPECT_EQ(wrong.status, 2) << wrong.out;
  EXPECT_NE(wrong.out.find("no Concordat accounts in PostgreSQL"), std::string::npos) << wrong.out;
  EXPECT_EQ(Concordat("users list " + db).out, wrong.out) << "the first look made tables";

  // The first administrator, before any server has run against the database.
  auto added = Concordat(
      "users add chief --role admin --name 'Duty Inspector' --password "
      "'a-long-enough-password' " +
      db);
  ASSERT_EQ(added.status, 0) << added.out;
  auto listed = Concordat("users list " + db);
  EXPECT_NE(listed.out.find("chief"), std::string::npos) << listed.out;

  TestServerOptions o;
  o.virtual_clock = false;
  o.demo = false;
  o.database_url = url;
  TestServer server(o);
  const std::string token = server.Login("chief", "a-long-enough-password");
  ASSERT_FALSE(token.empty());

  // Calls imported beside the running server: it has them without a restart.
  auto imported = Concordat("import calls " + std::string(CONCORDAT_SOURCE_DIR) +
                            "/data/replay/orlando_pd_active_calls_2022.csv --mapping " +
                            CONCORDAT_SOURCE_DIR + "/data/import/orlando.toml " + db);
  ASSERT_EQ(imported.status, 0) << imported.out;
  HttpClient http(server.port());
  std::uint64_t head = 0;
  auto verified = Concordat("verify " + db);
  ASSERT_EQ(verified.status, 0) << verified.out;
  const auto count = std::stoull(verified.out.substr(verified.out.find("OK: ") + 4));
  for (int i = 0; i < 100 && head < count; ++i) {
    head = http.Get("/api/health", "").json.at("log_seq").to_number<std::uint64_t>();
    if (head < count) std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_EQ(head, count) << "the running server did not take in the imported calls";
  EXPECT_GT(count, 1000u);

  auto report = Concordat("report response --from 2020-01-01T00:00:00Z " + db);
  ASSERT_EQ(report.status, 0) << report.out;
  EXPECT_NE(report.out.find("as at now"), std::string::npos) << report.out;
  EXPECT_NE(report.out.find("\"summary\""), std::string::npos) << report.out;

  // A store that is not there is named, and nothing is made.
  auto missing = Concordat("verify --database 'postgresql://concordat@127.0.0.1:1/none'");
  EXPECT_EQ(missing.status, 2) << missing.out;
  EXPECT_NE(missing.out.find("cannot connect to PostgreSQL"), std::string::npos) << missing.out;
}

// Too many wrong passwords through a server lock the account on every server sharing the
// database; the operator lifts the lock from the command line and it is on the record.
TEST(CommandLineOnPostgres, AnOperatorLiftsASignInLock) {
  const std::string url = FreshPgDatabase();
  ASSERT_FALSE(url.empty());
  const std::string db = "--database '" + url + "'";
  ASSERT_EQ(
      Concordat("users add chief --role admin --password 'a-long-enough-password' " + db).status,
      0);
  TestServerOptions o;
  o.virtual_clock = false;
  o.demo = false;
  o.database_url = url;
  TestServer server(o);
  HttpClient http(server.port());
  auto login = [&](const std::string& password) {
    return http.Post("/api/auth/login", "",
                     boost::json::object{{"username", "chief"}, {"password", password}});
  };
  for (int i = 0; i < 5; ++i) EXPECT_EQ(login("wrong-" + std::to_string(i)).status, 401);
  EXPECT_EQ(login("a-long-enough-password").status, 429);

  auto unlocked = Concordat("users unlock chief " + db);
  ASSERT_EQ(unlocked.status, 0) << unlocked.out;
  EXPECT_NE(unlocked.out.find("unlocked chief"), std::string::npos) << unlocked.out;
  EXPECT_EQ(login("a-long-enough-password").status, 200);
  auto unknown = Concordat("users unlock nobody " + db);
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.out.find("no user nobody"), std::string::npos) << unknown.out;

  // The list keeps its columns whatever the width of a name.
  ASSERT_EQ(Concordat("users add amhp.x --role amhp --agency-id lambeth-amhp --agency-name "
                      "'Lambeth Council Approved Mental Health Professional Service' --password "
                      "'a-long-enough-password' " +
                      db)
                .status,
            0);
  auto listed = Concordat("users list " + db);
  ASSERT_EQ(listed.status, 0) << listed.out;
  const auto header_state = listed.out.find("STATE");
  const auto line_start = listed.out.find("\nchief");
  ASSERT_NE(line_start, std::string::npos) << listed.out;
  EXPECT_EQ(listed.out.substr(line_start + 1 + header_state, 6), "active") << listed.out;
}

}  // namespace
}  // namespace concordat::testing
