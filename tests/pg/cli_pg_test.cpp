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

}  // namespace
}  // namespace concordat::testing
