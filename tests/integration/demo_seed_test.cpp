// The demo seed on a real clock, as `concordat serve --demo` runs it: stories that began hours ago
// are recorded whole before their timers fire, so the board starts with only the alerts the
// stories really call for.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/test_server.hpp"

namespace concordat::testing {
namespace {

TEST(DemoSeed, RealClockSeedRaisesNoAlertForAHandoverItRecordsAsDone) {
  TestServer server(TestServerOptions{.virtual_clock = false});
  HttpClient http(server.port());
  const std::string token = server.Login("controller");
  auto board = http.Get("/api/board", token).json;
  ASSERT_GE(board.at("detentions").as_array().size(), 2u) << board;
  // Clapham was handed over 25 minutes after arrival and Whitechapel has waited under an hour:
  // neither may show a handover alert (they did when the seed's past timers fired mid-story).
  for (const auto& a : board.at("alerts").as_array()) {
    EXPECT_NE(a.at("type"), "handover_wait") << a;
  }
}

}  // namespace
}  // namespace concordat::testing
