// The command line's mistakes said before anything is touched: an empty or non-PostgreSQL
// --database is not quietly the SQLite store, a `users` command other than `add` on a store that
// is not there makes nothing, and `serve` on a port already taken says so before it opens the
// store and replays its log.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace concordat::testing {
namespace {

struct Ran {
  int status = -1;
  std::string out;
};

Ran Concordat(const std::string& args) {
  Ran r;
  std::FILE* p = ::popen((std::string(CONCORDAT_BINARY) + " " + args + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  char buf[512];
  while (std::fgets(buf, sizeof buf, p) != nullptr) r.out += buf;
  const int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

class CommandLine : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("concordat-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(CommandLine, AnEmptyOrForeignDatabaseUrlIsAMistakeNotTheSqliteStore) {
  for (const std::string& cmd :
       std::vector<std::string>{"serve --database '' --data '" + dir_.string() + "'",
                                "users list --database ''", "verify --database ''"}) {
    auto r = Concordat(cmd);
    EXPECT_EQ(r.status, 2) << cmd << "\n" << r.out;
    EXPECT_NE(r.out.find("--database needs the URL of a PostgreSQL database"), std::string::npos)
        << r.out;
  }
  auto mysql = Concordat("users list --database mysql://db/x");
  EXPECT_EQ(mysql.status, 2);
  EXPECT_NE(mysql.out.find("--database must be a PostgreSQL URL"), std::string::npos) << mysql.out;
  EXPECT_FALSE(std::filesystem::exists(dir_)) << "serve made a data folder";
}

TEST_F(CommandLine, UsersCommandsOnAStoreThatIsNotThereMakeNothing) {
  for (const char* sub : {"list", "disable pc.x", "enable pc.x", "unlock pc.x"}) {
    auto r = Concordat(std::string("users ") + sub + " --data '" + dir_.string() + "'");
    EXPECT_EQ(r.status, 2) << sub << "\n" << r.out;
    EXPECT_NE(r.out.find("no store at " + dir_.string() + "/concordat.db"), std::string::npos)
        << r.out;
  }
  EXPECT_FALSE(std::filesystem::exists(dir_));
  // The first account is what makes a store, before any server has run.
  auto add = Concordat("users add chief --role admin --password 'a-long-enough-password' --data '" +
                       dir_.string() + "'");
  ASSERT_EQ(add.status, 0) << add.out;
  auto list = Concordat("users list --data '" + dir_.string() + "'");
  EXPECT_EQ(list.status, 0) << list.out;
  EXPECT_NE(list.out.find("chief"), std::string::npos) << list.out;
}

// An officer's own unit is found by the collar number: the command line refuses an officer's
// account without one, as the API does, before it makes anything.
TEST_F(CommandLine, AnOfficersAccountNeedsACollarNumber) {
  auto bare = Concordat(
      "users add pc.one --role officer --password 'a-long-enough-password' "
      "--data '" +
      dir_.string() + "'");
  EXPECT_EQ(bare.status, 2) << bare.out;
  EXPECT_NE(bare.out.find("an officer's account needs --collar"), std::string::npos) << bare.out;
  EXPECT_FALSE(std::filesystem::exists(dir_)) << "a refused account made a store";
  auto with = Concordat(
      "users add pc.one --role officer --collar AW-1234 --name 'PC One' "
      "--password 'a-long-enough-password' --data '" +
      dir_.string() + "'");
  ASSERT_EQ(with.status, 0) << with.out;
  EXPECT_NE(with.out.find("added pc.one (officer"), std::string::npos) << with.out;
  auto list = Concordat("users list --data '" + dir_.string() + "'");
  EXPECT_NE(list.out.find("pc.one"), std::string::npos) << list.out;
}

TEST_F(CommandLine, ServeOnAPortAlreadyTakenSaysSoBeforeOpeningTheStore) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string listen = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  auto r = Concordat("serve --listen " + listen + " --data '" + dir_.string() + "'");
  ::close(fd);
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find(listen + " is already in use"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(dir_)) << "the store was opened before the port was tried";
}

}  // namespace
}  // namespace concordat::testing
