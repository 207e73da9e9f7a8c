// For the PostgreSQL tests: a database of its own for each test, on the throw-away server that
// CTest starts (tests/CMakeLists.txt, fixture "postgres"), whose URL is in CONCORDAT_TEST_PG_URL.
// Without that variable (the binary run by hand, not through CTest) a test fails saying how to
// run it: these tests are never skipped in silence.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "store/pg.hpp"

namespace concordat::testing {

// The URL of a new, empty database; "" (with the test failed) when there is no server.
inline std::string FreshPgDatabase() {
  const char* base = std::getenv("CONCORDAT_TEST_PG_URL");
  if (base == nullptr || *base == '\0') {
    ADD_FAILURE() << "CONCORDAT_TEST_PG_URL is not set: run these tests through ctest, which "
                     "starts PostgreSQL (scripts/pg_test_server.sh)";
    return "";
  }
  auto admin = pg::Conn::Open(base);
  if (!admin.ok()) {
    ADD_FAILURE() << admin.error().message;
    return "";
  }
  static std::atomic<int> counter{0};
  const std::string name =
      "t_" + std::to_string(::getpid()) + "_" + std::to_string(counter.fetch_add(1));
  if (auto st = (*admin)->Exec("DROP DATABASE IF EXISTS " + name); !st.ok()) {
    ADD_FAILURE() << st.error().message;
    return "";
  }
  if (auto st = (*admin)->Exec("CREATE DATABASE " + name); !st.ok()) {
    ADD_FAILURE() << st.error().message;
    return "";
  }
  std::string url = base;
  return url.substr(0, url.rfind('/') + 1) + name;
}

// Where a test that runs on both stores keeps its store: a fresh PostgreSQL database (`url`) for
// the parameter "postgres", else a fresh SQLite folder (`dir`) named after the running test.
struct StoreLocation {
  std::string url;
  std::string dir;
};

inline StoreLocation FreshStoreLocation(const std::string& which, const std::string& prefix) {
  StoreLocation at;
  if (which == "postgres") {
    at.url = FreshPgDatabase();
    return at;
  }
  std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::replace(name.begin(), name.end(), '/', '_');
  at.dir = ::testing::TempDir() + "/" + prefix + "-" + name;
  std::filesystem::remove_all(at.dir);
  std::filesystem::create_directories(at.dir);
  return at;
}

}  // namespace concordat::testing
